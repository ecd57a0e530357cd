//! Joining results: the partitions of one run (`check --partition K/N`), several drivers,
//! several commands, into one set of results, refusing what does not belong together.

use std::collections::{BTreeMap, BTreeSet};

use super::results::{Deferred, Item, Results};

/// Why results cannot be joined.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Nothing to join.
    #[error("no results to merge")]
    Empty,
    /// Written by different docpact versions.
    #[error(
        "{a} was written by docpact {va} and {b} by docpact {vb}: merge results of one version"
    )]
    Version {
        /// A file.
        a: String,
        /// Its version.
        va: String,
        /// Another file.
        b: String,
        /// Its version.
        vb: String,
    },
    /// Run against different contracts.
    #[error(
        "{a} and {b} were run against different contracts (fingerprints {fa} and {fb}): merge results of one contract set"
    )]
    Contracts {
        /// A file.
        a: String,
        /// Its contracts' fingerprint.
        fa: String,
        /// Another file.
        b: String,
        /// Its contracts' fingerprint.
        fb: String,
    },
    /// The same case of the same driver appears twice (overlapping partitions).
    #[error(
        "{file} repeats case {id} of driver {driver}, which {other} holds already: are the partitions overlapping?"
    )]
    Duplicate {
        /// The file.
        file: String,
        /// The case.
        id: String,
        /// The driver.
        driver: String,
        /// The file that held it first.
        other: String,
    },
}

fn short(fingerprint: &str) -> String {
    fingerprint.chars().take(12).collect()
}

/// The order items take in merged results: each driver's cases in the order the contracts
/// imply them, then everything else by ID. An unpartitioned run has the same order.
fn sort_key(item: &Item) -> (Option<&str>, u8, usize, &str) {
    match &item.case {
        Some(c) => (item.driver.as_deref(), 0, c.order, &item.id),
        None => (item.driver.as_deref(), 1, 0, &item.id),
    }
}

/// Puts items in the order of merged results (see [`merge`]).
pub fn order(items: &mut [Item]) {
    items.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
}

/// `K/N` as numbers.
fn partition_of(r: &Results) -> Option<(u32, u32)> {
    let (k, n) = r.partition.as_deref()?.split_once('/')?;
    Some((k.parse().ok()?, n.parse().ok()?))
}

/// The partitions of one driver's runs seen so far, and the checks they deferred.
#[derive(Default)]
struct Parts {
    /// `N`, and each `K` seen (none before the first partition).
    of: Option<(u32, BTreeSet<u32>)>,
    /// What the first partition deferred.
    deferred: Option<Deferred>,
    /// A run that was not a partition, a partition of another `N`, or one that deferred
    /// other checks: these runs are not the partitions of one run.
    mixed: bool,
    /// Whether some run deferred checks.
    deferring: bool,
}

impl Parts {
    fn add(&mut self, partition: Option<(u32, u32)>, deferred: Option<&Deferred>) {
        self.deferring |= deferred.is_some();
        let first = self.of.is_none() && !self.mixed;
        match (partition, &mut self.of) {
            (Some((k, n)), Some((m, seen))) if n == *m => {
                seen.insert(k);
            }
            (Some((k, n)), None) if first => {
                self.of = Some((n, BTreeSet::from([k])));
                self.deferred = deferred.cloned();
                return;
            }
            _ => self.mixed = true,
        }
        if self.deferred.as_ref() != deferred {
            self.mixed = true;
        }
    }

    /// The deferred checks, when the partitions seen are all of them, `1/N` to `N/N`.
    fn complete(self) -> Option<Deferred> {
        let (n, seen) = self.of?;
        (!self.mixed && seen.into_iter().eq(1..=n)).then_some(self.deferred)?
    }

    /// Why deferred checks cannot be made, when runs that deferred some do not belong
    /// together (a subset of the partitions is not an error: the checks wait for the rest).
    fn not_one_run(&self) -> Option<&'static str> {
        (self.deferring && self.mixed).then_some(
            "these runs are not the partitions of one run (other partition counts, other \
             snapshot folders or known-failures files, or a run that was not a partition): \
             stale known failures and snapshots are not checked",
        )
    }
}

/// Joins `inputs` (file name, results) into one set of results.
///
/// A driver whose runs are partitions `1/N` to `N/N` of the same cases keeps the checks they
/// deferred ([`Deferred`]), for `check::complete` to make over the joined cases; otherwise
/// those are dropped, with a warning when the runs are not the partitions of one run (a
/// subset of them just waits for the rest).
pub fn merge(inputs: Vec<(String, Results)>) -> Result<Results, MergeError> {
    let mut parts: BTreeMap<String, Parts> = BTreeMap::new();
    for (_, r) in &inputs {
        for d in &r.drivers {
            parts
                .entry(d.name.clone())
                .or_default()
                .add(partition_of(r), d.deferred.as_ref());
        }
    }
    let mut iter = inputs.into_iter();
    let (first_name, mut out) = iter.next().ok_or(MergeError::Empty)?;
    out.partition = None;
    let mut files = vec![first_name.clone()];
    // Each item with the file it came from, for the duplicate check after sorting.
    let mut items: Vec<(Item, usize)> = std::mem::take(&mut out.items)
        .into_iter()
        .map(|i| (i, 0))
        .collect();
    for (name, r) in iter {
        if r.docpact_version != out.docpact_version {
            return Err(MergeError::Version {
                a: first_name.clone(),
                va: out.docpact_version.clone(),
                b: name,
                vb: r.docpact_version,
            });
        }
        if let (Some(a), Some(b)) = (&out.contracts, &r.contracts)
            && a.fingerprint != b.fingerprint
        {
            return Err(MergeError::Contracts {
                a: first_name.clone(),
                fa: short(&a.fingerprint),
                b: name,
                fb: short(&b.fingerprint),
            });
        }
        if out.contracts.is_none() {
            out.contracts = r.contracts.clone();
        }
        if out.command != r.command {
            out.command = "report".into();
        }
        out.started_at = match (out.started_at.take(), r.started_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // Partitions and drivers run side by side: the whole took as long as the longest.
        out.duration_ms = out.duration_ms.max(r.duration_ms);
        for d in r.drivers {
            if !out.drivers.iter().any(|x| x.name == d.name) {
                out.drivers.push(d);
            }
        }
        files.push(name);
        let file = files.len() - 1;
        items.extend(r.items.into_iter().map(|i| (i, file)));
    }
    for d in &mut out.drivers {
        let Some(p) = parts.remove(&d.name) else {
            d.deferred = None;
            continue;
        };
        if let Some(why) = p.not_one_run() {
            let mut item = Item::new(
                format!("{}: partitions", d.name),
                super::results::Status::Warning,
                "partitions",
                why,
            );
            item.driver = Some(d.name.clone());
            items.push((item, 0));
        }
        d.deferred = p.complete();
    }
    items.sort_by(|(a, _), (b, _)| sort_key(a).cmp(&sort_key(b)));
    // After sorting, a case held twice sits next to itself.
    for pair in items.windows(2) {
        let ((a, fa), (b, fb)) = (&pair[0], &pair[1]);
        if a.case.is_some() && b.case.is_some() && a.driver == b.driver && a.id == b.id {
            return Err(MergeError::Duplicate {
                file: files[*fb.max(fa)].clone(),
                id: b.id.clone(),
                driver: b.driver.clone().unwrap_or_default(),
                other: files[*fa.min(fb)].clone(),
            });
        }
    }
    // Warnings and findings that every partition repeats are kept once.
    items.dedup_by(|(a, _), (b, _)| a.case.is_none() && a == b);
    out.items = items.into_iter().map(|(i, _)| i).collect();
    out.finish();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deferred(known: &str) -> Deferred {
        Deferred {
            known_failures: Some(known.into()),
            snapshots: None,
        }
    }

    /// Whether runs of one driver, each `(partition, its deferred checks' file)`, join into
    /// a whole run whose deferred checks are due.
    fn due(runs: &[(Option<(u32, u32)>, &str)]) -> Option<Deferred> {
        let mut parts = Parts::default();
        for (partition, known) in runs {
            parts.add(*partition, Some(&deferred(known)));
        }
        parts.complete()
    }

    #[test]
    fn deferred_checks_are_due_only_when_every_partition_is_there() {
        let all = [
            (Some((2, 3)), "k"),
            (Some((1, 3)), "k"),
            (Some((3, 3)), "k"),
        ];
        assert_eq!(due(&all), Some(deferred("k")));
        assert_eq!(due(&all[..2]), None, "one missing");
        assert_eq!(due(&[(Some((1, 1)), "k")]), Some(deferred("k")));
        // Partitions of different splits, a whole run among them, or other files.
        assert_eq!(due(&[(Some((1, 2)), "k"), (Some((2, 3)), "k")]), None);
        assert_eq!(
            due(&[(Some((1, 2)), "k"), (Some((2, 2)), "k"), (None, "k")]),
            None
        );
        assert_eq!(
            due(&[(None, "k"), (Some((1, 2)), "k"), (Some((2, 2)), "k")]),
            None
        );
        assert_eq!(due(&[(Some((1, 2)), "k"), (Some((2, 2)), "other")]), None);
        // A partition that deferred nothing leaves nothing due.
        let mut parts = Parts::default();
        parts.add(Some((1, 2)), None);
        parts.add(Some((2, 2)), None);
        assert!(parts.not_one_run().is_none());
        assert_eq!(parts.complete(), None);
    }

    #[test]
    fn runs_that_deferred_checks_but_do_not_belong_together_say_so() {
        type Run<'a> = (Option<(u32, u32)>, Option<&'a str>);
        let mixed = |runs: &[Run<'_>]| {
            let mut parts = Parts::default();
            for (partition, known) in runs {
                parts.add(*partition, known.map(deferred).as_ref());
            }
            parts.not_one_run().is_some()
        };
        assert!(mixed(&[
            (Some((1, 2)), Some("k")),
            (Some((2, 2)), Some("other"))
        ]));
        assert!(mixed(&[
            (Some((1, 2)), Some("k")),
            (Some((2, 3)), Some("k"))
        ]));
        assert!(mixed(&[(Some((1, 2)), Some("k")), (None, None)]));
        // Waiting for the other partitions is not a mistake; nor is nothing deferred.
        assert!(!mixed(&[(Some((1, 2)), Some("k"))]));
        assert!(!mixed(&[(Some((1, 2)), None), (Some((2, 3)), None)]));
        assert!(!mixed(&[(None, None), (None, None)]));
    }
}
