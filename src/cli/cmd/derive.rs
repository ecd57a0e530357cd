//! `docpact derive PAGE...` and `docpact lint PAGE...`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::args::{DeriveArgs, PageLintArgs};
use crate::cli::error::{CliError, exit_codes};
use crate::cli::output::{conclude, emit};
use crate::contract::{Contract, Finding, Origin, expected_path};
use crate::derive::{self, Derived, overlay};
use crate::report::{Item, ReportFormat, Results, Status, TextOptions};

/// One page's outcome.
struct Outcome {
    result: Result<Derived, String>,
    overlay: Option<PathBuf>,
    /// Flags this page did not need, each with the value the page gives instead.
    unused_flags: Vec<String>,
}

/// The facts given as flags, as an overlay; each says where it came from.
fn flag_overlay(args: &DeriveArgs) -> Result<overlay::Overlay, CliError> {
    let given = |flag: &str| Origin::Docs(format!("given on the command line ({flag})"));
    let mut o = overlay::Overlay::default();
    if let Some(v) = &args.api_version {
        let b = v.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(CliError::Usage(format!(
                "--api-version {v:?} is not a version as the providers print them (YYYY-MM-DD, like 2016-04-28)"
            )));
        }
        o.version = Some(overlay::Sourced {
            value: v.clone(),
            origin: given("--api-version"),
        });
    }
    if let Some(h) = &args.endpoint {
        let host = h.trim_end_matches('.');
        let ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
        if !ok {
            return Err(CliError::Usage(format!(
                "--endpoint {h:?} is not a host name: give the host alone, like vpc.aliyuncs.com (no scheme, port or path)"
            )));
        }
        o.endpoint = Some(crate::contract::Endpoint {
            host: host.to_ascii_lowercase(),
            origin: given("--endpoint"),
        });
    }
    for (flag, value) in [("--product", &args.product), ("--service", &args.service)] {
        if let Some(v) = value {
            if v.is_empty()
                || !v
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            {
                return Err(CliError::Usage(format!(
                    "{flag} {v:?} is not a product code: letters, digits, - and _ only (like Vpc)"
                )));
            }
        }
    }
    o.product = args.product.clone();
    o.service = args
        .service
        .clone()
        .or_else(|| args.product.as_ref().map(|p| p.to_ascii_lowercase()));
    Ok(o)
}

/// `base` with the flags' facts on top.
fn with_flags(
    base: Option<overlay::Overlay>,
    flags: &overlay::Overlay,
) -> Option<overlay::Overlay> {
    if *flags == overlay::Overlay::default() {
        return base;
    }
    let mut o = base.unwrap_or_default();
    if flags.version.is_some() {
        o.version = flags.version.clone();
    }
    if flags.endpoint.is_some() {
        o.endpoint = flags.endpoint.clone();
    }
    if flags.product.is_some() {
        o.product = flags.product.clone();
    }
    if flags.service.is_some() {
        o.service = flags.service.clone();
    }
    Some(o)
}

fn derive_page(path: &Path, use_overlay: bool, flags: &overlay::Overlay) -> Outcome {
    let mut outcome = Outcome {
        result: Err(String::new()),
        overlay: None,
        unused_flags: Vec::new(),
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
    let base = ov.map(|(_, o)| o);
    let first = derive::derive(&name, &bytes, base.as_ref());
    // Flags fill in what the page (and its overlay) leave out; where the page has the fact,
    // the page wins and the unused flag is said (one set of flags serves many pages).
    let (needed, unused) = match &first {
        Ok(d) => needed_flags(&d.contract, flags),
        Err(_) => (overlay::Overlay::default(), Vec::new()),
    };
    let result = if needed == overlay::Overlay::default() {
        first
    } else {
        derive::derive(&name, &bytes, with_flags(base, &needed).as_ref())
    };
    outcome.unused_flags = unused;
    outcome.result = result.map_err(|e| format!("cannot derive: {e}"));
    outcome
}

/// The flags' facts `c` lacks, and the flags it did not need (with the value it has).
fn needed_flags(c: &Contract, flags: &overlay::Overlay) -> (overlay::Overlay, Vec<String>) {
    let missing = |v: &str| v.is_empty() || (c.draft && v == "unknown");
    let mut needed = overlay::Overlay::default();
    let mut unused = Vec::new();
    if let Some(v) = &flags.version {
        if missing(&c.version) {
            needed.version = Some(v.clone());
        } else if c.version != v.value {
            unused.push(format!(
                "--api-version {} not used: the page gives {}",
                v.value, c.version
            ));
        }
    }
    if let Some(e) = &flags.endpoint {
        if c.endpoint.host.is_empty() {
            needed.endpoint = Some(e.clone());
        } else if c.endpoint.host != e.host {
            unused.push(format!(
                "--endpoint {} not used: the page gives {}",
                e.host, c.endpoint.host
            ));
        }
    }
    if let Some(p) = &flags.product {
        if missing(&c.product) {
            needed.product = Some(p.clone());
        } else if !c.product.eq_ignore_ascii_case(p) {
            unused.push(format!(
                "--product {p} not used: the page gives {}",
                c.product
            ));
        }
    }
    if let Some(svc) = &flags.service {
        if missing(&c.service) {
            needed.service = Some(svc.clone());
        }
    }
    (needed, unused)
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

pub(crate) fn run(args: &DeriveArgs, color: bool, out: &mut dyn Write) -> Result<u8, CliError> {
    let started = std::time::Instant::now();
    let mut results = Results::new("derive");
    let mut contracts = Vec::new();
    let writes = args.check || args.out.is_some();
    let flags = flag_overlay(args)?;
    for page in &args.pages {
        let name = page.display().to_string();
        let mut o = derive_page(page, !args.no_overlay, &flags);
        if let (Some(sdk), Ok(d)) = (&args.sdk, o.result.as_mut()) {
            match derive::sdk::load(sdk, &d.contract.action) {
                Ok(model) => {
                    let found = derive::sdk::compare(&d.contract, &model);
                    d.contract.findings.extend(found);
                }
                Err(e) => o.result = Err(format!("cannot compare with the SDK: {e}")),
            }
        }
        let d = match &o.result {
            Ok(d) => d,
            Err(e) => {
                results
                    .push(Item::new(&name, Status::Error, &name, e.as_str()).at(&name, None, None));
                continue;
            }
        };
        let text = canonical(&d.contract)?;
        let mut item = Item::new(&name, Status::Pass, &name, "derived");
        if writes {
            let dir = args.out.clone().unwrap_or_else(|| default_dir(page));
            let path = dir.join(target_path(page, &d.contract));
            if args.check {
                let committed = std::fs::read_to_string(&path).unwrap_or_default();
                if committed == text {
                    item.message = format!("unchanged ({})", path.display());
                } else {
                    item.status = Status::Drift;
                    item.message = format!("drift ({})", path.display());
                    let old = path.display().to_string();
                    item.diff = Some(
                        similar::TextDiff::from_lines(&committed, &text)
                            .unified_diff()
                            .context_radius(3)
                            .header(&old, &format!("derived from {name}"))
                            .to_string(),
                    );
                }
            } else {
                crate::cli::output::write_file(&path, &text)?;
                item.message = format!("written ({})", path.display());
            }
        } else {
            contracts.push(d.contract.clone());
        }
        if !d.is_clean() {
            item.message.push_str(", with findings");
        }
        item.notes = details(&o, d);
        item.notes.extend(o.unused_flags.iter().cloned());
        for f in &d.contract.findings {
            if f.kind == crate::contract::FindingKind::DisagreesWithBase && args.sdk.is_some() {
                item.notes.push(format!("{}: {}", f.id, f.message));
            }
        }
        for diag in &d.diagnostics {
            if diag.kind == derive::DiagnosticKind::Limitation {
                item.notes
                    .push(format!("line {}: {}", diag.line, diag.message));
            }
        }
        results.push(item);
        for diag in &d.diagnostics {
            if diag.kind != derive::DiagnosticKind::Limitation {
                results.push(diagnostic_item(&name, diag, Status::Incomplete));
            }
        }
    }
    results.duration_ms = started.elapsed().as_millis() as u64;
    results.finish();
    let text = TextOptions {
        color,
        passes: true,
    };
    if args.format == ReportFormat::Json && !writes {
        // The contracts are the output; what derive could not do goes to standard error.
        let value = if contracts.len() == 1 && args.pages.len() == 1 {
            serde_json::to_value(&contracts[0])
        } else {
            serde_json::to_value(&contracts)
        }
        .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
        let mut json = serde_json::to_string_pretty(&value)
            .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
        json.push('\n');
        out.write_all(json.as_bytes())?;
        if results.exit_code() != exit_codes::OK {
            let failures = TextOptions {
                color: false,
                passes: false,
            };
            eprint!("{}", crate::report::text(&results, &failures));
        }
        emit(&results, None, &args.files, text, out)?;
    } else {
        emit(&results, Some(args.format), &args.files, text, out)?;
    }
    Ok(results.exit_code())
}

fn diagnostic_item(page: &str, d: &derive::Diagnostic, status: Status) -> Item {
    Item::new(
        format!("{page}:{}:{}", d.line, d.kind.name()),
        status,
        page,
        format!("{}: {}", d.kind.name(), d.message),
    )
    .at(page, Some(d.line), None)
}

/// The lines under a page's result: its family, what it holds, what the overlay gave.
fn details(o: &Outcome, d: &Derived) -> Vec<String> {
    let c = &d.contract;
    let mut notes = vec![
        format!("family: {}", d.family),
        format!(
            "{} {} {}: {} parameters, {} response fields, {} errors, {} samples, {} rules, {} findings{}",
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
        ),
    ];
    if let Some(ov) = &o.overlay {
        notes.push(format!(
            "overlay {}: {}",
            ov.display(),
            d.from_overlay.join("; ")
        ));
    }
    notes
}

pub(crate) fn lint(args: &PageLintArgs, color: bool, out: &mut dyn Write) -> Result<u8, CliError> {
    let started = std::time::Instant::now();
    let mut results = Results::new("lint");
    for page in &args.pages {
        let name = page.display().to_string();
        let o = derive_page(page, !args.no_overlay, &overlay::Overlay::default());
        let d = match &o.result {
            Ok(d) => d,
            Err(e) => {
                results
                    .push(Item::new(&name, Status::Error, &name, e.as_str()).at(&name, None, None));
                continue;
            }
        };
        for f in &d.contract.findings {
            results.push(finding_item(&name, f, Status::Finding));
        }
        for diag in &d.diagnostics {
            results.push(diagnostic_item(&name, diag, Status::Finding));
        }
        if d.contract.findings.is_empty() && d.diagnostics.is_empty() {
            results.push(Item::new(&name, Status::Pass, &name, "no contradictions"));
        }
    }
    conclude(results, started, args.format, &args.files, color, out)
}

/// A page's contradiction as a result: where it is, what it is, how docpact resolves it.
pub(crate) fn finding_item(page: &str, f: &Finding, status: Status) -> Item {
    let line = match &f.origin {
        Origin::Page([a, _]) => Some(*a),
        _ => None,
    };
    let mut item = Item::new(
        &f.id,
        status,
        page,
        format!("{}: {}: {}", kind_name(f.kind), f.id, f.message),
    );
    item.notes.push(format!("resolution: {}", f.resolution));
    match &f.origin {
        Origin::OtherPage(other, a, _) => item.at(other, Some(*a), None),
        Origin::Sdk(s) | Origin::Docs(s) => {
            item.notes.push(format!("from {s}"));
            item.at(page, None, None)
        }
        Origin::Page(_) => item.at(page, line, None),
    }
}

fn kind_name(kind: crate::contract::FindingKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
