//! Coverage: how much of each operation's documentation a driver's cases exercised, from
//! what the results record (parameters sent and put on the wire, error codes the client
//! reported, response fields it parsed, constraints and rules broken on purpose).

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::results::Results;
use crate::contract::{ContractSet, Field, Location, Parameter, WireStyle, resolve, walk};

/// The kinds of coverage.
pub const KINDS: [&str; 4] = ["params", "errors", "fields", "constraints"];

/// A share: how many of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    /// How many were exercised.
    pub covered: usize,
    /// How many the documentation has.
    pub total: usize,
}

impl Ratio {
    /// The share in percent (100 when there is nothing to cover).
    pub fn percent(self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        }
    }

    fn add(&mut self, other: Ratio) {
        self.covered += other.covered;
        self.total += other.total;
    }
}

/// One driver's coverage of one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverageRow {
    /// The driver.
    pub driver: String,
    /// The operation.
    pub operation: String,
    /// Documented parameters the cases sent and the client put on the wire.
    pub params: Ratio,
    /// Documented error codes the client reported.
    pub errors: Ratio,
    /// Documented response fields the client parsed.
    pub fields: Ratio,
    /// Constraints and rules broken on purpose by a case that ran.
    pub constraints: Ratio,
    /// What was not covered, by kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub uncovered: BTreeMap<String, Vec<String>>,
}

impl CoverageRow {
    /// The ratio of one kind (`params`, `errors`, `fields`, `constraints`).
    pub fn get(&self, kind: &str) -> Option<Ratio> {
        match kind {
            "params" => Some(self.params),
            "errors" => Some(self.errors),
            "fields" => Some(self.fields),
            "constraints" => Some(self.constraints),
            _ => None,
        }
    }
}

/// Coverage of a run, by driver and operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// One row per driver and operation, in order.
    pub rows: Vec<CoverageRow>,
}

impl Coverage {
    /// The coverage of one kind over the rows of `driver` (all drivers when `None`).
    pub fn total(&self, driver: Option<&str>, kind: &str) -> Ratio {
        let mut r = Ratio::default();
        for row in self
            .rows
            .iter()
            .filter(|row| driver.is_none_or(|d| row.driver == d))
        {
            if let Some(k) = row.get(kind) {
                r.add(k);
            }
        }
        r
    }
}

fn key(p: &Parameter) -> usize {
    std::ptr::from_ref(p) as usize
}

/// Every key path of a JSON tree (`A`, `A.B`, `A.B.0.C`): the names a request holds.
fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(p.clone());
                key_paths(x, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                key_paths(x, &format!("{prefix}.{i}"), out);
            }
        }
        _ => {}
    }
}

/// The documented parameters a parameter tree (or flat map) holds.
fn params_in(params: &[Parameter], v: &Value, prefix: &str, out: &mut BTreeSet<usize>) {
    let mut paths = Vec::new();
    key_paths(v, prefix, &mut paths);
    for path in paths {
        // A flat name (`Tags.0.Key`, from a form body) holds its parents too.
        for (at, _) in path
            .match_indices('.')
            .chain(std::iter::once((path.len(), "")))
        {
            if let Some(r) = resolve(params, &path[..at]) {
                out.insert(key(r.param));
            }
        }
    }
}

/// Every field path (`Data.OrderId`) of the documented response.
fn field_paths(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for f in fields {
        let p = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.push(p.clone());
        field_paths(&f.members, &p, out);
    }
}

/// The non-null field paths of a parsed result (list items share their list's path).
fn parsed_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if x.is_null() {
                    continue;
                }
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                parsed_paths(x, &p, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                parsed_paths(x, prefix, out);
            }
        }
        _ => {}
    }
}

/// Computes the coverage of `results` against the contracts they were run with.
pub fn coverage(results: &Results, set: &ContractSet) -> Coverage {
    // (driver, operation) → the items of that pair.
    let mut pairs: BTreeMap<(String, String), Vec<&super::results::Item>> = BTreeMap::new();
    for item in &results.items {
        if let (Some(driver), Some(case)) = (&item.driver, &item.case) {
            pairs
                .entry((driver.clone(), case.operation.clone()))
                .or_default()
                .push(item);
        }
    }
    let mut rows = Vec::new();
    for ((driver, operation), items) in pairs {
        let Ok(loaded) = set.find(&operation) else {
            continue;
        };
        let c = &loaded.contract;
        let base = set.base_of(c).map(|b| &b.contract);
        let mut uncovered: BTreeMap<String, Vec<String>> = BTreeMap::new();

        // Parameters: documented, sent, on the wire.
        let mut documented: Vec<(String, usize)> = Vec::new();
        walk(&c.parameters, &mut |path, p, _| {
            if p.location != Location::Common {
                documented.push((path.to_string(), key(p)));
            }
        });
        let mut sent = BTreeSet::new();
        let mut wired = BTreeSet::new();
        for item in &items {
            let Some(case) = &item.case else { continue };
            for s in &case.sent {
                params_in(&c.parameters, s, "", &mut sent);
            }
            for w in &case.wire {
                if let Some(p) = w.get("params") {
                    params_in(&c.parameters, p, "", &mut wired);
                }
                if let Some(b) = w.get("body") {
                    let prefix = if c.style == WireStyle::AlibabaRoa {
                        "body"
                    } else {
                        ""
                    };
                    if !prefix.is_empty() {
                        wired.extend(c.parameters.iter().filter(|p| p.name == "body").map(key));
                    }
                    params_in(&c.parameters, b, prefix, &mut wired);
                }
            }
        }
        let mut params = Ratio {
            covered: 0,
            total: documented.len(),
        };
        for (path, k) in &documented {
            if sent.contains(k) && wired.contains(k) {
                params.covered += 1;
            } else {
                uncovered
                    .entry("params".into())
                    .or_default()
                    .push(path.clone());
            }
        }

        // Error codes: documented (the base's too, for a profile), reported by the client.
        let mut codes: BTreeSet<String> = c.errors.iter().map(|e| e.code.clone()).collect();
        if let Some(b) = base {
            codes.extend(b.errors.iter().map(|e| e.code.clone()));
        }
        let reported: BTreeSet<String> = items
            .iter()
            .filter_map(|i| i.case.as_ref())
            .flat_map(|c| c.answers.iter())
            .filter_map(|a| {
                a.pointer("/error/code")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let errors = Ratio {
            covered: codes.iter().filter(|c| reported.contains(*c)).count(),
            total: codes.len(),
        };
        let missing: Vec<String> = codes
            .iter()
            .filter(|c| !reported.contains(*c))
            .cloned()
            .collect();
        if !missing.is_empty() {
            uncovered.insert("errors".into(), missing);
        }

        // Response fields: documented, parsed.
        let fields_from = match base {
            Some(b) if c.response.documented_only => &b.response.fields,
            _ => &c.response.fields,
        };
        let mut documented_fields = Vec::new();
        field_paths(fields_from, "", &mut documented_fields);
        let mut parsed = BTreeSet::new();
        for item in &items {
            for a in item.case.iter().flat_map(|c| c.answers.iter()) {
                if let Some(p) = a.get("parsed") {
                    parsed_paths(p, "", &mut parsed);
                }
            }
        }
        let fields = Ratio {
            covered: documented_fields
                .iter()
                .filter(|f| parsed.contains(*f))
                .count(),
            total: documented_fields.len(),
        };
        let missing: Vec<String> = documented_fields
            .iter()
            .filter(|f| !parsed.contains(*f))
            .cloned()
            .collect();
        if !missing.is_empty() {
            uncovered.insert("fields".into(), missing);
        }

        // Constraints and rules: broken on purpose by a case that ran.
        let mut wanted: Vec<String> = Vec::new();
        walk(&c.parameters, &mut |path, p, _| {
            if p.location == Location::Common {
                return;
            }
            for k in &p.constraints {
                wanted.push(format!("invalid:{path}:{}", k.check.name()));
            }
        });
        for r in &c.rules {
            let kind = match r.kind {
                crate::contract::RuleKind::RequiredIf => "required_if",
                crate::contract::RuleKind::AbsentIf => "absent_if",
            };
            wanted.push(format!("rule:{}:{kind}", r.param));
        }
        wanted.sort();
        wanted.dedup();
        let ran: BTreeSet<String> = items.iter().map(|i| i.id.clone()).collect();
        let mut constraints = Ratio {
            covered: 0,
            total: wanted.len(),
        };
        for w in wanted {
            if ran.contains(&format!("{operation}/{w}")) {
                constraints.covered += 1;
            } else {
                uncovered.entry("constraints".into()).or_default().push(w);
            }
        }
        rows.push(CoverageRow {
            driver,
            operation,
            params,
            errors,
            fields,
            constraints,
            uncovered,
        });
    }
    Coverage { rows }
}

/// A threshold: `KIND=PERCENT`, or `DRIVER:KIND=PERCENT` for one driver.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The driver it applies to (`None`: the whole run).
    pub driver: Option<String>,
    /// `params`, `errors`, `fields` or `constraints`.
    pub kind: String,
    /// The least share, in percent.
    pub percent: f64,
}

impl std::str::FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Threshold, String> {
        let (left, percent) = s
            .split_once('=')
            .ok_or_else(|| format!("expected KIND=PERCENT or DRIVER:KIND=PERCENT, got {s:?}"))?;
        let (driver, kind) = match left.rsplit_once(':') {
            Some((d, k)) => (Some(d.to_string()), k),
            None => (None, left),
        };
        if !KINDS.contains(&kind) {
            return Err(format!(
                "unknown coverage kind {kind:?} (params, errors, fields, constraints)"
            ));
        }
        let percent: f64 = percent
            .trim_end_matches('%')
            .parse()
            .ok()
            .filter(|p: &f64| (0.0..=100.0).contains(p))
            .ok_or_else(|| format!("{percent:?} is not a percentage from 0 to 100"))?;
        Ok(Threshold {
            driver,
            kind: kind.to_string(),
            percent,
        })
    }
}

impl Threshold {
    /// `None` when met; otherwise what fell short, in words.
    pub fn check(&self, cov: &Coverage) -> Option<String> {
        let r = cov.total(self.driver.as_deref(), &self.kind);
        let got = r.percent();
        (got + 1e-9 < self.percent).then(|| {
            format!(
                "{} coverage{} is {got:.1}% ({} of {}), below {}%",
                self.kind,
                self.driver
                    .as_ref()
                    .map(|d| format!(" of {d}"))
                    .unwrap_or_default(),
                r.covered,
                r.total,
                self.percent
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse_and_explain_mistakes() {
        let t: Threshold = "python-tea:params=80".parse().unwrap();
        assert_eq!(t.driver.as_deref(), Some("python-tea"));
        assert_eq!((t.kind.as_str(), t.percent), ("params", 80.0));
        let t: Threshold = "errors=95.5%".parse().unwrap();
        assert_eq!((t.driver, t.percent), (None, 95.5));
        assert!(
            "bogus=1"
                .parse::<Threshold>()
                .unwrap_err()
                .contains("unknown coverage kind")
        );
        assert!(
            "params=120"
                .parse::<Threshold>()
                .unwrap_err()
                .contains("percentage")
        );
        assert!(
            "params"
                .parse::<Threshold>()
                .unwrap_err()
                .contains("KIND=PERCENT")
        );
    }

    #[test]
    fn ratios_are_percentages() {
        assert_eq!(
            Ratio {
                covered: 1,
                total: 4
            }
            .percent(),
            25.0
        );
        assert_eq!(
            Ratio {
                covered: 0,
                total: 0
            }
            .percent(),
            100.0
        );
    }
}
