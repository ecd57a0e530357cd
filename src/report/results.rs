//! The results model: what every command found, as data, before anything is printed.
//!
//! A [`Results`] is one run of one command: `derive`, `lint`, `contracts lint` or `check`.
//! Each [`Item`] is one thing judged (a page, a finding, a case) with a [`Status`], where it
//! points to, a message and an optional diff. The run's exit code follows from its items
//! ([`Results::exit_code`]), so every writer and the process agree on the verdict.
//!
//! On disk (`--report json=FILE`, `check --results FILE`) the model is pretty JSON whose
//! shape is fixed by [`RESULTS_FORMAT_VERSION`]; `docpact schema results` prints its JSON
//! Schema. A reader refuses a newer version rather than guessing.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::exit_codes;

/// The version of the results format this build reads and writes.
pub const RESULTS_FORMAT_VERSION: u32 = 1;

/// One run of one command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Results {
    /// Must equal [`RESULTS_FORMAT_VERSION`].
    pub format_version: u32,
    /// The docpact version that produced the results.
    pub docpact_version: String,
    /// The command (`check`, `derive`, `lint`, `contracts lint`).
    pub command: String,
    /// When the run started, RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// How long the run took, milliseconds.
    #[serde(default)]
    pub duration_ms: u64,
    /// The contract set the run used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<ContractSetInfo>,
    /// The drivers `check` ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drivers: Vec<DriverInfo>,
    /// `K/N` when the run was one partition of the cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Changes against earlier runs (`docpact report --baseline`, `--history`), first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<super::trend::Trend>,
    /// What was judged, in order.
    pub items: Vec<Item>,
    /// Coverage of the documentation, by driver and operation (`docpact report`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<super::coverage::Coverage>,
    /// Counts by status, and the exit code they imply.
    pub summary: Summary,
}

/// Which contracts a run used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractSetInfo {
    /// Where they were loaded from (`built-in` or a folder).
    pub root: String,
    /// How many contracts.
    pub count: usize,
    /// SHA-256 over the contracts' paths and texts: equal fingerprints, equal contracts.
    pub fingerprint: String,
}

/// A driver as `check` ran it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DriverInfo {
    /// The driver's name in case results and snapshot folders.
    pub name: String,
    /// The command line.
    pub command: String,
    /// `oneshot` or `stream`.
    pub mode: String,
    /// The client the driver was asked to use, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// What the driver said about itself (SDK names and versions), if it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The checks of a whole run that this run, one partition of the cases, could not make:
    /// joining all the partitions (`report merge`, `report`) makes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferred: Option<Deferred>,
}

/// What a partition of `check` leaves to the joined run: entries of a known-failures file
/// that list no case, and snapshots that no case produced, can only be told over all cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deferred {
    /// The known-failures file (`--known-failures`), as it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_failures: Option<String>,
    /// The snapshot folder (`--snapshots`), as it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<String>,
}

/// One judged thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// A stable identifier (a case ID, a page path, a finding ID).
    pub id: String,
    /// The verdict.
    pub status: Status,
    /// What the item belongs to (an operation, a page); JUnit's suite.
    pub group: String,
    /// Where it points to in a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What happened, in one line.
    pub message: String,
    /// Further lines for people (counts, facts, the tail of a driver's stderr).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// A unified or path diff of expected against actual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// Why a failure is expected (known failures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How long it took, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// The driver that produced it (`check`), so that merged results keep it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// What a checker case sent, saw on the wire and got back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseRecord>,
}

impl Item {
    /// An item with no location, notes, diff or case.
    pub fn new(
        id: impl Into<String>,
        status: Status,
        group: impl Into<String>,
        message: impl Into<String>,
    ) -> Item {
        Item {
            id: id.into(),
            status,
            group: group.into(),
            location: None,
            message: message.into(),
            notes: Vec::new(),
            diff: None,
            reason: None,
            duration_ms: None,
            driver: None,
            case: None,
        }
    }

    /// Points the item at a file position.
    pub fn at(mut self, path: impl Into<String>, line: Option<u32>, column: Option<u32>) -> Item {
        self.location = Some(Location {
            path: path.into(),
            line,
            column,
        });
        self
    }
}

/// A position in a file; line and column are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// The file.
    pub path: String,
    /// The line (absent or 0: the file as a whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// A checker case as it ran: enough to review it without running it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    /// The operation (contract id).
    pub operation: String,
    /// The case kind (`sample`, `missing`, `invalid`, `error`, `idempotent`, `auth`, `fault`).
    pub kind: String,
    /// The driver that ran it.
    pub driver: String,
    /// The parameters each call sent, in documented names.
    pub sent: Vec<serde_json::Value>,
    /// What the driver answered for each call.
    pub answers: Vec<serde_json::Value>,
    /// Every request the server received during the case, normalized.
    pub wire: Vec<serde_json::Value>,
    /// How many requests reached the server (retries included).
    pub requests: usize,
    /// The case's place among every case the contracts imply, so that the results of
    /// partitions merge back into one order.
    pub order: usize,
}

/// The verdict on one item.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// As expected.
    Pass,
    /// Conformance failure.
    Fail,
    /// A failure the known-failures file expects, with its reason.
    KnownFailure,
    /// Listed as a known failure, but it passed: the list is stale.
    UnexpectedPass,
    /// A committed file differs from what docpact derives now.
    Drift,
    /// A contradiction on a page.
    Finding,
    /// A contradiction a contract records and resolves.
    Noted,
    /// Derived, but facts are missing or rows could not be placed.
    Incomplete,
    /// Worth a look; does not fail the run.
    Warning,
    /// The item could not be judged (an unreadable page).
    Error,
    /// The client refused to send a call that breaks the contract (its own validation):
    /// recorded in its snapshot, not a failure.
    Refused,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 11] = [
        Status::Pass,
        Status::Refused,
        Status::Fail,
        Status::KnownFailure,
        Status::UnexpectedPass,
        Status::Drift,
        Status::Finding,
        Status::Noted,
        Status::Incomplete,
        Status::Warning,
        Status::Error,
    ];

    /// The name used in files (`known_failure`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::KnownFailure => "known_failure",
            Status::UnexpectedPass => "unexpected_pass",
            Status::Drift => "drift",
            Status::Finding => "finding",
            Status::Noted => "noted",
            Status::Incomplete => "incomplete",
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Refused => "refused",
        }
    }

    /// The label for people (`KNOWN`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::KnownFailure => "KNOWN",
            Status::UnexpectedPass => "FIXED",
            Status::Drift => "DRIFT",
            Status::Finding => "FINDING",
            Status::Noted => "NOTED",
            Status::Incomplete => "INCOMPLETE",
            Status::Warning => "WARN",
            Status::Error => "ERROR",
            Status::Refused => "REFUSED",
        }
    }

    /// Whether this status fails the run.
    pub fn fails(self) -> bool {
        self.exit_code() != exit_codes::OK
    }

    /// The exit code one item of this status asks for.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Pass
            | Status::Refused
            | Status::KnownFailure
            | Status::Noted
            | Status::Warning => exit_codes::OK,
            Status::Fail | Status::UnexpectedPass | Status::Drift | Status::Finding => {
                exit_codes::FAILURES
            }
            Status::Incomplete => exit_codes::WITH_FINDINGS,
            Status::Error => exit_codes::SETUP,
        }
    }
}

/// Counts by status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// How many items of each status (statuses with none are left out).
    pub counts: BTreeMap<Status, usize>,
    /// The exit code of the run.
    pub exit_code: u8,
}

/// Why a results file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// Not JSON of the results shape.
    #[error("{path}:{line}:{column}: {field}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON path of the field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Written by a newer docpact.
    #[error(
        "{path}: results format version {found} is not supported (this docpact reads {RESULTS_FORMAT_VERSION})"
    )]
    Version {
        /// The file.
        path: String,
        /// The version found.
        found: u32,
    },
}

impl Results {
    /// An empty run of `command`.
    pub fn new(command: &str) -> Results {
        Results {
            format_version: RESULTS_FORMAT_VERSION,
            docpact_version: env!("CARGO_PKG_VERSION").to_string(),
            command: command.to_string(),
            started_at: None,
            duration_ms: 0,
            contracts: None,
            drivers: Vec::new(),
            partition: None,
            trend: None,
            items: Vec::new(),
            coverage: None,
            summary: Summary::default(),
        }
    }

    /// Adds an item.
    pub fn push(&mut self, item: Item) {
        self.items.push(item);
    }

    /// Recomputes the summary from the items; call before writing.
    pub fn finish(&mut self) {
        let mut counts = BTreeMap::new();
        for item in &self.items {
            *counts.entry(item.status).or_insert(0) += 1;
        }
        self.summary = Summary {
            counts,
            exit_code: self.exit_code(),
        };
    }

    /// The process exit code: 2 if an item could not be judged, else 1 on any failure,
    /// else 3 if something is incomplete, else 0.
    pub fn exit_code(&self) -> u8 {
        let has = |code| self.items.iter().any(|i| i.status.exit_code() == code);
        if has(exit_codes::SETUP) {
            exit_codes::SETUP
        } else if has(exit_codes::FAILURES) {
            exit_codes::FAILURES
        } else if has(exit_codes::WITH_FINDINGS) {
            exit_codes::WITH_FINDINGS
        } else {
            exit_codes::OK
        }
    }

    /// How many items have this status.
    pub fn count(&self, status: Status) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }

    /// The counts as words: `3 pass, 1 fail`.
    pub fn counts_in_words(&self) -> String {
        let words: Vec<String> = Status::ALL
            .iter()
            .filter_map(|s| {
                let n = self.count(*s);
                (n > 0).then(|| format!("{n} {}", s.name().replace('_', " ")))
            })
            .collect();
        if words.is_empty() {
            "nothing to judge".to_string()
        } else {
            words.join(", ")
        }
    }

    /// Reads results written by [`crate::report::json`], naming the file, line and field of
    /// what is wrong.
    pub fn parse(path: &str, text: &str) -> Result<Results, ResultsError> {
        let invalid =
            |line: usize, column: usize, field: String, message: String| ResultsError::Invalid {
                path: path.to_string(),
                line,
                column,
                field,
                message,
            };
        let version = |found: u64| ResultsError::Version {
            path: path.to_string(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
        };
        // The fast path; a failure is read again to name the field that broke it.
        if let Ok(results) = serde_json::from_str::<Results>(text) {
            if results.format_version != RESULTS_FORMAT_VERSION {
                return Err(version(u64::from(results.format_version)));
            }
            return Ok(results);
        }
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| invalid(e.line(), e.column(), ".".into(), e.to_string()))?;
        if let Some(found) = value.get("format_version").and_then(|v| v.as_u64())
            && found != u64::from(RESULTS_FORMAT_VERSION)
        {
            return Err(version(found));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, Results>(&mut de) {
            Ok(results) => Ok(results),
            Err(e) => {
                let field = e.path().to_string();
                let inner = e.into_inner();
                Err(invalid(
                    inner.line(),
                    inner.column(),
                    field,
                    inner.to_string(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_follows_the_worst_item() {
        let mut r = Results::new("check");
        r.push(Item::new("a", Status::Pass, "g", ""));
        r.push(Item::new("b", Status::KnownFailure, "g", ""));
        assert_eq!(r.exit_code(), 0);
        r.push(Item::new("c", Status::Incomplete, "g", ""));
        assert_eq!(r.exit_code(), 3);
        r.push(Item::new("d", Status::Fail, "g", ""));
        assert_eq!(r.exit_code(), 1);
        r.push(Item::new("e", Status::Error, "g", ""));
        assert_eq!(r.exit_code(), 2);
        r.finish();
        assert_eq!(r.summary.counts[&Status::Pass], 1);
        assert_eq!(r.summary.exit_code, 2);
        assert_eq!(
            r.counts_in_words(),
            "1 pass, 1 fail, 1 known failure, 1 incomplete, 1 error"
        );
    }

    #[test]
    fn results_round_trip_and_bad_files_name_the_field() {
        let mut r = Results::new("lint");
        r.push(Item::new("p", Status::Finding, "page.txt", "m").at("page.txt", Some(3), None));
        r.finish();
        let text = serde_json::to_string_pretty(&r).unwrap();
        assert_eq!(Results::parse("r.json", &text).unwrap(), r);
        let broken = text.replace("\"finding\"", "\"bogus\"");
        let err = Results::parse("r.json", &broken).unwrap_err().to_string();
        assert!(err.starts_with("r.json:"), "{err}");
        assert!(err.contains("items[0].status"), "{err}");
        let newer = text.replace("\"format_version\": 1", "\"format_version\": 9");
        let err = Results::parse("r.json", &newer).unwrap_err().to_string();
        assert!(err.contains("version 9 is not supported"), "{err}");
    }
}
