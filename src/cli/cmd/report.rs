//! `docpact report` and `docpact report merge`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::args::{ReportArgs, ReportCommand};
use crate::cli::cmd::contracts::load;
use crate::cli::error::{CliError, exit_codes};
use crate::cli::output::write_file;
use crate::report::{
    HtmlContext, PageInfo, Results, TextOptions, badge, coverage, html, json, markdown, merge,
    text, trend,
};

fn read(path: &Path) -> Result<Results, CliError> {
    let failed = |source: Box<dyn std::error::Error + Send + Sync>| CliError::Results {
        path: path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(|e| failed(Box::new(e)))?;
    Results::parse(&path.display().to_string(), &text).map_err(|e| failed(Box::new(e)))
}

fn read_all(paths: &[PathBuf]) -> Result<Results, CliError> {
    let mut inputs = Vec::new();
    for p in paths {
        inputs.push((p.display().to_string(), read(p)?));
    }
    let mut merged = merge(inputs)?;
    // The partitions of a run, joined, are a whole run again: its own checks are due.
    crate::check::complete(&mut merged);
    Ok(merged)
}

fn now() -> String {
    crate::protocol::encoding::iso8601(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    )
}

pub(crate) fn run(
    args: &ReportArgs,
    contracts: Option<&Path>,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    if let Some(ReportCommand::Merge(m)) = &args.command {
        let merged = read_all(&m.results)?;
        let text = json(&merged);
        match &m.out {
            Some(path) => write_file(path, &text)?,
            None => out.write_all(text.as_bytes())?,
        }
        return Ok(exit_codes::OK);
    }
    if args.results.is_empty() {
        return Err(CliError::Usage(
            "name at least one results file (docpact check --results FILE writes one)".into(),
        ));
    }
    let set = load(contracts)?;
    let mut results = read_all(&args.results)?;
    if let Some(c) = &results.contracts
        && c.fingerprint != set.fingerprint()
    {
        eprintln!(
            "warning: the results were run against other contracts ({}) than the report reads ({}): coverage may be off; pass --contracts DIR",
            c.root,
            set.root()
        );
    }
    let cov = coverage(&results, &set);
    if args.baseline.is_some() || !args.history.is_empty() {
        let base = args.baseline.as_ref().map(|p| read(p)).transpose()?;
        let base_cov = base.as_ref().map(|b| coverage(b, &set));
        let history = args
            .history
            .iter()
            .map(|p| read(p))
            .collect::<Result<Vec<_>, _>>()?;
        let name = args
            .baseline
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let b = base
            .as_ref()
            .zip(base_cov.as_ref())
            .map(|(b, c)| (name.as_str(), b, c));
        results.trend = Some(trend(&results, &cov, b, &history));
    }
    results.coverage = Some(cov);
    let shortfalls: Vec<String> = args
        .min_coverage
        .iter()
        .filter_map(|t| results.coverage.as_ref().and_then(|c| t.check(c)))
        .collect();
    if let Some(path) = &args.html {
        let ctx = HtmlContext {
            pages: set
                .iter()
                .map(|l| PageInfo {
                    operation: l.id.clone(),
                    page: l.contract.source.page.clone(),
                    last_updated: l.contract.source.last_updated.clone(),
                })
                .collect(),
            generated_at: now(),
        };
        write_file(path, &html(&results, &ctx))?;
    }
    if let Some(path) = &args.markdown {
        write_file(path, &markdown(&results))?;
    }
    if let Some(path) = &args.json {
        write_file(path, &json(&results))?;
    }
    if let Some(path) = &args.badge {
        write_file(path, &badge(&results))?;
    }
    let shown = TextOptions {
        color,
        passes: false,
    };
    out.write_all(text(&results, &shown).as_bytes())?;
    for s in &shortfalls {
        writeln!(out, "coverage: {s}")?;
    }
    Ok(if shortfalls.is_empty() {
        exit_codes::OK
    } else {
        exit_codes::FAILURES
    })
}
