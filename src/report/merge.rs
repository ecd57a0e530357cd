//! Joining results: the partitions of one run (`check --partition K/N`), several drivers,
//! several commands, into one set of results, refusing what does not belong together.

use super::results::{Item, Results};

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
fn sort_key(item: &Item) -> (String, u8, usize, String) {
    let driver = item.driver.clone().unwrap_or_default();
    match &item.case {
        Some(c) => (driver, 0, c.order, item.id.clone()),
        None => (driver, 1, 0, item.id.clone()),
    }
}

/// Joins `inputs` (file name, results) into one set of results.
pub fn merge(inputs: Vec<(String, Results)>) -> Result<Results, MergeError> {
    let mut iter = inputs.into_iter();
    let (first_name, first) = iter.next().ok_or(MergeError::Empty)?;
    let mut out = first.clone();
    out.partition = None;
    let mut seen: std::collections::HashMap<(String, String), String> = Default::default();
    let mut note_cases = |file: &str, items: &[Item]| -> Result<(), MergeError> {
        for item in items.iter().filter(|i| i.case.is_some()) {
            let key = (item.driver.clone().unwrap_or_default(), item.id.clone());
            if let Some(other) = seen.get(&key) {
                return Err(MergeError::Duplicate {
                    file: file.to_string(),
                    id: key.1,
                    driver: key.0,
                    other: other.clone(),
                });
            }
            seen.insert(key, file.to_string());
        }
        Ok(())
    };
    note_cases(&first_name, &first.items)?;
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
        note_cases(&name, &r.items)?;
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
        for item in r.items {
            // Warnings and findings that every partition repeats are kept once.
            if item.case.is_none() && out.items.iter().any(|i| i == &item) {
                continue;
            }
            out.items.push(item);
        }
    }
    out.items.sort_by_cached_key(sort_key);
    out.finish();
    Ok(out)
}
