//! Where results go: standard output in one format, and `--report FORMAT=PATH` files.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use crate::cli::error::CliError;
use crate::report::{ReportFormat, Results, TextOptions};

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` or `CI` is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && !in_ci()
            }
        }
    }
}

/// Whether the process runs in CI (`CI` set to anything but `false` or `0`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A report file to write: `json=results.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    /// The format.
    pub format: ReportFormat,
    /// The file.
    pub path: PathBuf,
}

fn parse_target(s: &str) -> Result<ReportTarget, String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH (json=results.json), got {s:?}"))?;
    let format = <ReportFormat as clap::ValueEnum>::from_str(format, true)
        .map_err(|_| format!("unknown report format {format:?} (text, json, junit, markdown)"))?;
    if path.is_empty() {
        return Err(format!("{s:?} names no file"));
    }
    Ok(ReportTarget {
        format,
        path: PathBuf::from(path),
    })
}

/// Report files, shared by every command that produces results.
#[derive(Debug, Clone, Default, Args)]
pub struct ReportFiles {
    /// Also write the results in FORMAT to PATH (repeatable): text, json, junit, markdown.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_target)]
    pub reports: Vec<ReportTarget>,
}

/// Writes a report file (see [`crate::report::write_file`]).
pub fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    crate::report::write_file(path, text).map_err(|source| CliError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Finishes `results` (duration, summary), prints them in `format` and writes the report
/// files; returns the run's exit code.
pub fn conclude(
    mut results: Results,
    started: std::time::Instant,
    format: ReportFormat,
    files: &ReportFiles,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    results.duration_ms = started.elapsed().as_millis() as u64;
    results.finish();
    let text = TextOptions {
        color,
        passes: true,
    };
    emit(&results, Some(format), files, text, out)?;
    Ok(results.exit_code())
}

/// Prints `results` on `out` in `format` (unless `None`) and writes every report file.
pub fn emit(
    results: &Results,
    format: Option<ReportFormat>,
    files: &ReportFiles,
    text: TextOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(format) = format {
        out.write_all(format.render(results, &text).as_bytes())?;
        if format != ReportFormat::Text && results.exit_code() != crate::report::exit_codes::OK {
            // Standard output is for machines; people still see what went wrong.
            let failures = TextOptions {
                color: false,
                passes: false,
            };
            eprint!("{}", crate::report::text(results, &failures));
        }
    }
    let plain = TextOptions {
        color: false,
        passes: true,
    };
    for target in &files.reports {
        write_file(&target.path, &target.format.render(results, &plain))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_targets_parse_and_explain_mistakes() {
        assert_eq!(
            parse_target("junit=out/j.xml").unwrap(),
            ReportTarget {
                format: ReportFormat::Junit,
                path: PathBuf::from("out/j.xml")
            }
        );
        assert!(
            parse_target("results.json")
                .unwrap_err()
                .contains("FORMAT=PATH")
        );
        assert!(
            parse_target("yaml=x")
                .unwrap_err()
                .contains("unknown report format")
        );
        assert!(parse_target("json=").unwrap_err().contains("names no file"));
    }
}
