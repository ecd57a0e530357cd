//! The trend of a run against earlier ones: new failures, fixed cases, changed snapshots,
//! coverage up or down (against a baseline), and flaky cases (against a history).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::coverage::{Coverage, KINDS};
use super::results::{Item, Results};

/// A change of coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverageChange {
    /// The driver (`None`: the whole run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// `params`, `errors`, `fields` or `constraints`.
    pub kind: String,
    /// Percent in the baseline.
    pub before: f64,
    /// Percent now.
    pub after: f64,
}

impl std::fmt::Display for CoverageChange {
    /// `python-tea params: 90.0% → 95.5%`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(d) = &self.driver {
            write!(f, "{d} ")?;
        }
        write!(f, "{}: {:.1}% → {:.1}%", self.kind, self.before, self.after)
    }
}

/// A case whose outcome flipped more than once over the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flaky {
    /// `driver: case id`.
    pub case: String,
    /// How many times the outcome flipped.
    pub flips: usize,
    /// The outcomes, oldest first (`pass`, `fail`, …; `-` where the case did not run).
    pub outcomes: Vec<String>,
}

/// What changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trend {
    /// The baseline file, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// How many earlier runs the history holds.
    #[serde(default)]
    pub history: usize,
    /// Cases that fail now and did not in the baseline (`driver: case id`).
    #[serde(default)]
    pub new_failures: Vec<String>,
    /// Cases that failed in the baseline and pass now.
    #[serde(default)]
    pub fixed: Vec<String>,
    /// Cases whose recorded wire requests or answers differ from the baseline's.
    #[serde(default)]
    pub snapshot_changes: Vec<String>,
    /// Coverage that went up or down.
    #[serde(default)]
    pub coverage: Vec<CoverageChange>,
    /// Cases whose outcome flipped more than once.
    #[serde(default)]
    pub flaky: Vec<Flaky>,
}

impl Trend {
    /// Whether there is nothing to say.
    pub fn is_quiet(&self) -> bool {
        self.new_failures.is_empty()
            && self.fixed.is_empty()
            && self.snapshot_changes.is_empty()
            && self.coverage.is_empty()
            && self.flaky.is_empty()
    }
}

/// How a case is named across runs: `driver: id`.
pub fn case_key(item: &Item) -> String {
    match &item.driver {
        Some(d) => format!("{d}: {}", item.id),
        None => item.id.clone(),
    }
}

fn by_key(r: &Results) -> BTreeMap<String, &Item> {
    r.items
        .iter()
        .filter(|i| i.case.is_some() || i.status.fails())
        .map(|i| (case_key(i), i))
        .collect()
}

/// The trend of `now` against `baseline` (with both runs' coverage) and `history` (earlier
/// runs, oldest first).
pub fn trend(
    now: &Results,
    now_coverage: &Coverage,
    baseline: Option<(&str, &Results, &Coverage)>,
    history: &[Results],
) -> Trend {
    let mut t = Trend {
        history: history.len(),
        ..Trend::default()
    };
    let current = by_key(now);
    if let Some((name, base, base_cov)) = baseline {
        t.baseline = Some(name.to_string());
        let before = by_key(base);
        for (key, item) in &current {
            match before.get(key) {
                Some(old) if old.status.fails() && !item.status.fails() => {
                    t.fixed.push(key.clone())
                }
                Some(old) if !old.status.fails() && item.status.fails() => {
                    t.new_failures.push(key.clone());
                }
                None if item.status.fails() => t.new_failures.push(key.clone()),
                _ => {}
            }
            if let (Some(a), Some(b)) = (before.get(key).and_then(|o| o.case.as_ref()), &item.case)
                && (a.wire != b.wire || a.answers != b.answers)
            {
                t.snapshot_changes.push(key.clone());
            }
        }
        let mut drivers: Vec<Option<String>> = vec![None];
        for row in &now_coverage.rows {
            if !drivers.contains(&Some(row.driver.clone())) {
                drivers.push(Some(row.driver.clone()));
            }
        }
        for driver in drivers {
            for kind in KINDS {
                let a = base_cov.total(driver.as_deref(), kind);
                let b = now_coverage.total(driver.as_deref(), kind);
                if a.total == 0 && driver.is_some() {
                    continue;
                }
                if (a.percent() - b.percent()).abs() >= 0.05 {
                    t.coverage.push(CoverageChange {
                        driver: driver.clone(),
                        kind: kind.to_string(),
                        before: (a.percent() * 10.0).round() / 10.0,
                        after: (b.percent() * 10.0).round() / 10.0,
                    });
                }
            }
        }
    }
    if !history.is_empty() {
        let runs: Vec<BTreeMap<String, &Item>> = history
            .iter()
            .map(by_key)
            .chain(std::iter::once(current.clone()))
            .collect();
        let mut keys: Vec<&String> = runs.iter().flat_map(|r| r.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let outcomes: Vec<String> = runs
                .iter()
                .map(|r| match r.get(key) {
                    Some(i) if i.status.fails() => "fail".to_string(),
                    Some(_) => "pass".to_string(),
                    None => "-".to_string(),
                })
                .collect();
            let seen: Vec<&String> = outcomes.iter().filter(|o| *o != "-").collect();
            let flips = seen.windows(2).filter(|w| w[0] != w[1]).count();
            if flips > 1 {
                t.flaky.push(Flaky {
                    case: key.clone(),
                    flips,
                    outcomes,
                });
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CaseRecord, Status};

    fn run(statuses: &[(&str, Status)]) -> Results {
        let mut r = Results::new("check");
        for (i, (id, s)) in statuses.iter().enumerate() {
            let mut item = Item::new(*id, *s, "op", "");
            item.driver = Some("d".into());
            item.case = Some(CaseRecord {
                operation: "op".into(),
                kind: "sample".into(),
                driver: "d".into(),
                sent: vec![],
                answers: vec![serde_json::json!({"ok": *s == Status::Pass})],
                wire: vec![],
                requests: 1,
                order: i,
            });
            r.push(item);
        }
        r.finish();
        r
    }

    #[test]
    fn new_failures_fixes_changes_and_flaky_cases_are_named() {
        use Status::{Fail, Pass};
        let h1 = run(&[("a", Pass), ("b", Fail), ("c", Pass)]);
        let h2 = run(&[("a", Pass), ("b", Fail), ("c", Fail)]);
        let base = run(&[("a", Pass), ("b", Fail), ("c", Pass)]);
        let now = run(&[("a", Fail), ("b", Pass), ("c", Pass)]);
        let cov = Coverage::default();
        let t = trend(
            &now,
            &cov,
            Some(("base.json", &base, &cov)),
            &[h1, h2, base.clone()],
        );
        assert_eq!(t.new_failures, ["d: a"]);
        assert_eq!(t.fixed, ["d: b"]);
        assert_eq!(t.snapshot_changes, ["d: a", "d: b"]);
        assert_eq!(t.flaky.len(), 1, "{:?}", t.flaky);
        assert_eq!(t.flaky[0].case, "d: c");
        assert_eq!(t.flaky[0].outcomes, ["pass", "fail", "pass", "pass"]);
        assert_eq!(t.flaky[0].flips, 2);
    }
}
