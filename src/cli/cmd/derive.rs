//! `docpact derive PAGE...` and `docpact lint PAGE...`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::args::{DeriveArgs, Format, PageLintArgs};
use crate::cli::error::{CliError, exit_codes};
use crate::contract::{Contract, describe_finding, expected_path};
use crate::derive::{self, Derived, overlay};

/// One page's outcome.
struct Outcome {
    result: Result<Derived, String>,
    overlay: Option<PathBuf>,
}

fn derive_page(path: &Path, use_overlay: bool) -> Outcome {
    let mut outcome = Outcome {
        result: Err(String::new()),
        overlay: None,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            outcome.result = Err(format!("cannot read the page: {e}"));
            return outcome;
        }
    };
    let ov = if use_overlay {
        match overlay::load_beside(path) {
            Ok(o) => o,
            Err(e) => {
                outcome.result = Err(e.to_string());
                return outcome;
            }
        }
    } else {
        None
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    outcome.overlay = ov.as_ref().map(|(p, _)| p.clone());
    outcome.result = derive::derive(&name, &bytes, ov.as_ref().map(|(_, o)| o))
        .map_err(|e| format!("cannot derive: {e}"));
    outcome
}

/// The contract as written to disk.
pub(crate) fn canonical(c: &Contract) -> Result<String, CliError> {
    let mut text =
        serde_json::to_string_pretty(c).map_err(|e| CliError::Io(std::io::Error::other(e)))?;
    text.push('\n');
    Ok(text)
}

/// Where a contract is written: its canonical path, or `drafts/PAGE.json` for a draft
/// (whose operation id is not known yet, so two drafts must not share a path).
fn target_path(page: &Path, c: &Contract) -> PathBuf {
    if c.draft {
        let stem = page
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "page".into());
        PathBuf::from("drafts").join(format!("{stem}.json"))
    } else {
        PathBuf::from(expected_path(c))
    }
}

/// Where `--check` looks for committed contracts when `--out` is not given.
fn default_dir(page: &Path) -> PathBuf {
    match page.parent() {
        Some(dir) if dir.file_name().is_some_and(|n| n == "sources") => {
            dir.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        _ => PathBuf::from("contracts"),
    }
}

pub(crate) fn run(args: &DeriveArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut code = exit_codes::OK;
    let mut report = Vec::new();
    let mut contracts = Vec::new();
    for page in &args.pages {
        let o = derive_page(page, !args.no_overlay);
        let d = match &o.result {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {}: {e}", page.display());
                code = code.max(exit_codes::SETUP);
                report.push(serde_json::json!({
                    "page": page.display().to_string(),
                    "status": "error",
                    "error": e,
                }));
                continue;
            }
        };
        let text = canonical(&d.contract)?;
        let mut status = if d.is_clean() {
            "derived"
        } else {
            "derived with findings"
        };
        let mut target = None;
        let mut diff = None;
        if args.check || args.out.is_some() {
            let dir = args.out.clone().unwrap_or_else(|| default_dir(page));
            let path = dir.join(target_path(page, &d.contract));
            if args.check {
                let committed = std::fs::read_to_string(&path).unwrap_or_default();
                if committed == text {
                    status = if d.is_clean() {
                        "unchanged"
                    } else {
                        "unchanged, with findings"
                    };
                } else {
                    status = "drift";
                    code = code.max(exit_codes::FAILURES);
                    let old = path.display().to_string();
                    diff = Some(
                        similar::TextDiff::from_lines(&committed, &text)
                            .unified_diff()
                            .context_radius(3)
                            .header(&old, &format!("derived from {}", page.display()))
                            .to_string(),
                    );
                }
            } else {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &text)?;
            }
            target = Some(path);
        } else {
            contracts.push(d.contract.clone());
        }
        if !d.is_clean() && code == exit_codes::OK {
            code = exit_codes::WITH_FINDINGS;
        }
        match args.format {
            Format::Text if args.check || args.out.is_some() => {
                writeln!(
                    out,
                    "{}: {status}{}",
                    page.display(),
                    target
                        .as_ref()
                        .map(|t| format!(" ({})", t.display()))
                        .unwrap_or_default()
                )?;
                write_details(out, page, &o, d)?;
                if let Some(diff) = &diff {
                    out.write_all(diff.as_bytes())?;
                }
            }
            Format::Text => {
                writeln!(out, "{}: {status}", page.display())?;
                write_details(out, page, &o, d)?;
            }
            Format::Json => {
                for diag in &d.diagnostics {
                    eprintln!("{}", diagnostic_line(page, diag));
                }
                if let Some(diff) = &diff {
                    eprint!("{diff}");
                }
                report.push(serde_json::json!({
                    "page": page.display().to_string(),
                    "family": d.family,
                    "status": status,
                    "contract": target.map(|t| t.display().to_string()),
                    "overlay": o.overlay.as_ref().map(|p| p.display().to_string()),
                    "from_overlay": d.from_overlay,
                    "diagnostics": d.diagnostics,
                    "findings": d.contract.findings.iter().map(|f| &f.id).collect::<Vec<_>>(),
                    "diff": diff,
                }));
            }
        }
    }
    if args.format == Format::Json {
        let value = if args.check || args.out.is_some() {
            serde_json::Value::Array(report)
        } else if contracts.len() == 1 && args.pages.len() == 1 {
            serde_json::to_value(&contracts[0])
                .map_err(|e| CliError::Io(std::io::Error::other(e)))?
        } else {
            serde_json::to_value(&contracts).map_err(|e| CliError::Io(std::io::Error::other(e)))?
        };
        let mut text = serde_json::to_string_pretty(&value)
            .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    }
    Ok(code)
}

fn diagnostic_line(page: &Path, d: &derive::Diagnostic) -> String {
    format!(
        "{}:{}: {}: {}",
        page.display(),
        d.line,
        d.kind.name(),
        d.message
    )
}

fn write_details(
    out: &mut dyn Write,
    page: &Path,
    o: &Outcome,
    d: &Derived,
) -> std::io::Result<()> {
    let c = &d.contract;
    writeln!(out, "  family: {}", d.family)?;
    writeln!(
        out,
        "  {} {} {}: {} parameters, {} response fields, {} errors, {} samples, {} rules, {} findings{}",
        c.product,
        c.version,
        c.action,
        c.parameters.len(),
        c.response.fields.len(),
        c.errors.len(),
        c.samples.len(),
        c.rules.len(),
        c.findings.len(),
        if c.draft { " (draft)" } else { "" }
    )?;
    if let Some(ov) = &o.overlay {
        writeln!(
            out,
            "  overlay {}: {}",
            ov.display(),
            d.from_overlay.join("; ")
        )?;
    }
    for diag in &d.diagnostics {
        writeln!(out, "  {}", diagnostic_line(page, diag))?;
    }
    Ok(())
}

pub(crate) fn lint(args: &PageLintArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut code = exit_codes::OK;
    let mut report = Vec::new();
    for page in &args.pages {
        let o = derive_page(page, !args.no_overlay);
        let d = match &o.result {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {}: {e}", page.display());
                code = code.max(exit_codes::SETUP);
                continue;
            }
        };
        if !d.contract.findings.is_empty() || !d.diagnostics.is_empty() {
            code = code.max(exit_codes::FAILURES);
        }
        match args.format {
            Format::Text => {
                for f in &d.contract.findings {
                    let line = match &f.origin {
                        crate::contract::Origin::Page([a, _]) => *a,
                        _ => 0,
                    };
                    writeln!(
                        out,
                        "{}:{line}: {}",
                        page.display(),
                        describe_finding(&kind_name(f.kind), f)
                    )?;
                }
                for diag in &d.diagnostics {
                    writeln!(out, "{}", diagnostic_line(page, diag))?;
                }
            }
            Format::Json => report.push(serde_json::json!({
                "page": page.display().to_string(),
                "findings": d.contract.findings,
                "diagnostics": d.diagnostics,
            })),
        }
    }
    if args.format == Format::Json {
        let mut text = serde_json::to_string_pretty(&report)
            .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    }
    Ok(code)
}

fn kind_name(kind: crate::contract::FindingKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
