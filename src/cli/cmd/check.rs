//! `docpact check` and `docpact driver`.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::check::{
    CaseSettings, CheckOptions, DriverCommand, KnownFailures, Progress, ReferenceDriver, generate,
    select,
};
use crate::cli::args::{CheckArgs, DriverArgs};
use crate::cli::cmd::contracts::load;
use crate::cli::error::{CliError, exit_codes};
use crate::cli::output::{ReportFiles, ReportTarget, emit, in_ci};
use crate::report::{Item, ReportFormat, Status, TextOptions};

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Io)
}

fn globs(flag: &str, list: &[String]) -> Result<Vec<glob::Pattern>, CliError> {
    list.iter()
        .map(|g| {
            glob::Pattern::new(g).map_err(|e| {
                CliError::Usage(format!("{flag} {g:?} is not a valid glob: {}", e.msg))
            })
        })
        .collect()
}

/// A name for a driver: the script it runs (its folder when the script is `driver.*`),
/// then the client.
fn default_name(argv: &[String], client: Option<&str>) -> String {
    let script = argv
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-') && (a.contains('/') || Path::new(a).extension().is_some()));
    let mut name = match script {
        Some(s) => {
            let p = Path::new(s);
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match p.parent().and_then(|d| d.file_name()) {
                Some(dir) if stem == "driver" || stem == "main" || stem == "index" => {
                    dir.to_string_lossy().into_owned()
                }
                _ => stem,
            }
        }
        None => argv
            .iter()
            .take_while(|a| !a.starts_with('-'))
            .map(|a| {
                Path::new(a)
                    .file_stem()
                    .map_or_else(|| a.clone(), |s| s.to_string_lossy().into_owned())
            })
            .collect::<Vec<_>>()
            .join("-"),
    };
    if let Some(c) = client {
        name.push('-');
        name.push_str(c);
    }
    name
}

/// A bar on a terminal; in CI, one plain line per failure as it happens.
struct Shown {
    bar: Option<indicatif::ProgressBar>,
    ci: bool,
}

impl Progress for Shown {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn case_done(&self, item: &Item) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if item.status.fails() {
                bar.println(format!(
                    "{:>10} {}: {}",
                    item.status.label(),
                    item.id,
                    item.message
                ));
            }
        } else if self.ci && item.status.fails() {
            eprintln!("{} {}: {}", item.status.label(), item.id, item.message);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

pub(crate) fn run(
    args: &CheckArgs,
    contracts: Option<&Path>,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let set = load(contracts)?;
    let argv = match &args.driver {
        Some(cmd) => {
            let argv = shlex::split(cmd).ok_or_else(|| {
                CliError::Usage(format!("--driver {cmd:?} has an unbalanced quote"))
            })?;
            if argv.is_empty() {
                return Err(CliError::Usage("--driver is empty".into()));
            }
            argv
        }
        None => Vec::new(),
    };
    if args.jobs == 0 {
        return Err(CliError::Usage("--jobs must be at least 1".into()));
    }
    if args.endpoint.is_some() && args.jobs > 1 {
        return Err(CliError::Usage(
            "--jobs above 1 needs a server per job: leave out --endpoint".into(),
        ));
    }
    if !(args.case_timeout.is_finite() && args.case_timeout > 0.0) {
        return Err(CliError::Usage(
            "--case-timeout must be a positive number of seconds".into(),
        ));
    }
    if args.case_timeout * 1000.0 <= args.client_timeout as f64 + 1000.0 {
        eprintln!(
            "warning: --case-timeout ({} s) leaves no room after the client's timeout ({} ms): the fault:timeout cases will hang the driver",
            args.case_timeout, args.client_timeout
        );
    }
    let known = match &args.known_failures {
        Some(p) => Some(KnownFailures::load(p)?),
        None => None,
    };
    let opts = CheckOptions {
        driver: DriverCommand {
            argv: argv.clone(),
            env: Vec::new(),
            mode: args.mode,
            timeout: Duration::from_secs_f64(args.case_timeout),
        },
        name: args
            .name
            .clone()
            .unwrap_or_else(|| default_name(&argv, args.client.as_deref())),
        client: args.client.clone(),
        operations: globs("--operations", &args.operations)?,
        cases: globs("--cases", &args.cases)?,
        partition: args.partition,
        jobs: args.jobs,
        client_timeout_ms: args.client_timeout,
        endpoint: args.endpoint.clone(),
        tls: args.tls,
        ca_cert: args.ca_cert.clone(),
        snapshots: args.snapshots.clone(),
        accept: args.accept,
        known,
    };
    let generated = generate(
        &set,
        CaseSettings {
            client_timeout_ms: args.client_timeout,
        },
    );
    let cases = select(generated.cases, &opts);
    if args.list {
        for c in &cases {
            writeln!(out, "{}", c.id)?;
        }
        return Ok(exit_codes::OK);
    }
    if cases.is_empty() {
        return Err(CliError::Usage(
            "no case matches --operations, --cases and --partition".into(),
        ));
    }
    let terminal = std::io::stderr().is_terminal() && !in_ci();
    let bar = terminal.then(|| {
        let bar = indicatif::ProgressBar::new(cases.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} cases",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let progress: Arc<dyn Progress> = Arc::new(Shown { bar, ci: in_ci() });
    let rt = runtime()?;
    let mut results = rt.block_on(crate::check::run(&set, cases, &opts, progress))?;
    // Cases docpact could not build, for the operations this driver ran, in this selection.
    let ran: std::collections::HashSet<String> =
        results.items.iter().map(|i| i.group.clone()).collect();
    for skipped in &generated.skipped {
        let (id, why) = skipped.split_once(": ").unwrap_or((skipped, ""));
        let op = id.rsplit_once('/').map_or(id, |(op, _)| op);
        let selected = (opts.cases.is_empty() || opts.cases.iter().any(|p| p.matches(id)))
            && opts
                .partition
                .is_none_or(|(k, n)| crate::check::in_partition(id, k, n));
        if ran.contains(op) && selected {
            results.push(Item::new(
                id,
                Status::Warning,
                op,
                format!("not run: {why}"),
            ));
        }
    }
    for item in &mut results.items {
        item.driver.get_or_insert_with(|| opts.name.clone());
    }
    results.finish();
    let mut files = ReportFiles {
        reports: args.files.reports.clone(),
    };
    for (path, format) in [
        (&args.results, ReportFormat::Json),
        (&args.junit, ReportFormat::Junit),
        (&args.summary, ReportFormat::Markdown),
    ] {
        if let Some(path) = path {
            files.reports.push(ReportTarget {
                format,
                path: path.clone(),
            });
        }
    }
    let text = TextOptions {
        color,
        passes: args.verbose,
    };
    emit(&results, Some(args.format), &files, text, out)?;
    Ok(results.exit_code())
}

pub(crate) fn driver(args: &DriverArgs, contracts: Option<&Path>) -> Result<u8, CliError> {
    let set = load(contracts)?;
    let mut d = ReferenceDriver::from_env();
    if let Some(c) = &args.client {
        d = d.with_client(c);
    }
    runtime()?.block_on(d.serve(&set))?;
    Ok(exit_codes::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_names_come_from_the_script_and_the_client() {
        let v = |s: &str| shlex::split(s).unwrap();
        assert_eq!(
            default_name(&v("python drivers/python/driver.py"), Some("tea")),
            "python-tea"
        );
        assert_eq!(
            default_name(&v("node drivers/node/driver.js"), None),
            "node"
        );
        assert_eq!(
            default_name(&v("./my_sdk_driver.sh --fast"), None),
            "my_sdk_driver"
        );
        assert_eq!(
            default_name(&v("docpact driver --client tc3"), Some("tc3")),
            "docpact-driver-tc3"
        );
    }
}
