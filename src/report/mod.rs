//! The results model every command returns, and one writer per output format: text for
//! people, versioned JSON, JUnit XML and Markdown for a CI step summary. Reads results only;
//! runs nothing.

mod badge;
mod coverage;
mod html;
mod junit;
mod markdown;
mod merge;
mod results;
mod text;
mod trend;

pub use badge::badge;
pub use coverage::{Coverage, CoverageRow, KINDS, Ratio, Threshold, coverage};
pub use html::{HtmlContext, PageInfo, html};
pub use junit::junit;
pub use markdown::markdown;
pub use merge::{MergeError, merge, order};
pub use results::{
    CaseRecord, ContractSetInfo, Deferred, DriverInfo, Item, Location, RESULTS_FORMAT_VERSION,
    Results, ResultsError, Status, Summary,
};
pub use text::{TextOptions, text};
pub use trend::{CoverageChange, Flaky, Trend, case_key, trend};

/// Exit codes, named once.
pub mod exit_codes {
    /// Everything passed.
    pub const OK: u8 = 0;
    /// The command ran and found failures (lint problems, conformance failures, drift).
    pub const FAILURES: u8 = 1;
    /// Bad usage or a setup error (unreadable file, invalid contract, a driver that cannot start).
    pub const SETUP: u8 = 2;
    /// `derive` wrote contracts but could not read everything or is missing facts.
    pub const WITH_FINDINGS: u8 = 3;
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Lines for people.
    Text,
    /// The versioned results model (`docpact schema results`).
    Json,
    /// JUnit XML, for CI test views.
    Junit,
    /// Markdown, for a CI step summary or a review comment.
    Markdown,
}

impl ReportFormat {
    /// Renders `results` in this format.
    pub fn render(self, results: &Results, options: &TextOptions) -> String {
        match self {
            ReportFormat::Text => text(results, options),
            ReportFormat::Json => json(results),
            ReportFormat::Junit => junit(results),
            ReportFormat::Markdown => markdown(results),
        }
    }
}

/// Writes `text` to `path` through a temporary file beside it, renamed into place (folders
/// created), so that a reader never sees half a report or snapshot.
pub fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The results as pretty JSON, ending with a newline.
pub fn json(results: &Results) -> String {
    // Serializing plain data with string keys cannot fail.
    let mut out = serde_json::to_string_pretty(results).unwrap_or_default();
    out.push('\n');
    out
}

/// The JSON Schema of the results format, pretty, ending with a newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Results);
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}
