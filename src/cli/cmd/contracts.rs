//! `docpact contracts list|show|lint|schema`.

use std::io::Write;
use std::path::Path;

use crate::cli::args::ContractsCommand;
use crate::cli::cmd::derive::finding_item;
use crate::cli::error::{CliError, exit_codes};
use crate::cli::output::conclude;
use crate::contract::{self, ContractSet, operation_id};
use crate::report::{Item, Results, Status};

pub(crate) fn run(
    command: &ContractsCommand,
    contracts: Option<&Path>,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    match command {
        ContractsCommand::List => {
            let set = load(contracts)?;
            for c in set.iter() {
                let k = &c.contract;
                writeln!(
                    out,
                    "{:<52} {:<13} {:<5} {} ({} parameters, {} errors, {} findings)",
                    operation_id(k),
                    k.style.name(),
                    k.http.methods.join(","),
                    k.http.path,
                    k.parameters.len(),
                    k.errors.len(),
                    k.findings.len()
                )?;
            }
            Ok(exit_codes::OK)
        }
        ContractsCommand::Show(args) => {
            let set = load(contracts)?;
            let found = find(&set, &args.operation)?;
            out.write_all(found.text.as_bytes())?;
            if !found.text.ends_with('\n') {
                writeln!(out)?;
            }
            Ok(exit_codes::OK)
        }
        ContractsCommand::Lint(args) => {
            let started = std::time::Instant::now();
            let set = load(args.dir.as_deref().or(contracts))?;
            let report = contract::lint(&set);
            let mut results = Results::new("contracts lint");
            results.contracts = Some(set_info(&set));
            for p in &report.problems {
                results.push(
                    Item::new(
                        format!("{}:{}", p.path, p.field),
                        Status::Fail,
                        &p.path,
                        format!("{}: {}", p.field, p.message),
                    )
                    .at(
                        set.file_path(&p.path),
                        u32::try_from(p.line).ok(),
                        u32::try_from(p.column).ok(),
                    ),
                );
            }
            for (op, f) in &report.findings {
                let page = set
                    .find(op)
                    .map(|c| set.file_path(&format!("sources/{}", c.contract.source.page)))
                    .unwrap_or_default();
                let mut item = finding_item(&page, f, Status::Noted);
                item.id = format!("{op}: {}", f.id);
                item.group = op.clone();
                results.push(item);
            }
            if report.problems.is_empty() {
                results.push(Item::new(
                    set.root(),
                    Status::Pass,
                    set.root(),
                    format!("{} contracts, no problems", set.len()),
                ));
            }
            conclude(results, started, args.format, &args.files, color, out)
        }
        ContractsCommand::Fmt(args) => {
            let set = ContractSet::from_dir(&args.dir)?;
            let mut changed = 0;
            for c in set.iter() {
                let mut text =
                    serde_json::to_string_pretty(&c.contract).map_err(std::io::Error::other)?;
                text.push('\n');
                if text != c.text {
                    changed += 1;
                    if args.check {
                        writeln!(out, "not canonical: {}", c.path)?;
                    } else {
                        std::fs::write(args.dir.join(&c.path), text)?;
                        writeln!(out, "rewrote {}", c.path)?;
                    }
                }
            }
            Ok(if args.check && changed > 0 {
                exit_codes::FAILURES
            } else {
                exit_codes::OK
            })
        }
        ContractsCommand::Openapi(args) => {
            let set = load(contracts)?;
            let doc = |l: &contract::LoadedContract| {
                let base = set.base_of(&l.contract).map(|b| &b.contract);
                let mut text =
                    serde_json::to_string_pretty(&contract::openapi(&l.contract, base, &l.id))
                        .unwrap_or_default();
                text.push('\n');
                text
            };
            match (&args.operation, &args.out) {
                (Some(op), None) => {
                    let found = find(&set, op)?;
                    out.write_all(doc(found).as_bytes())?;
                }
                (op, Some(dir)) => {
                    let chosen: Vec<&contract::LoadedContract> = match op {
                        Some(op) => vec![find(&set, op)?],
                        None => set.iter().collect(),
                    };
                    for l in chosen {
                        let path =
                            dir.join(format!("{}.openapi.json", l.path.trim_end_matches(".json")));
                        crate::cli::output::write_file(&path, &doc(l))?;
                        writeln!(out, "{}", path.display())?;
                    }
                }
                (None, None) => {
                    return Err(CliError::Usage(
                        "name an operation to print, or --out DIR for all of them".into(),
                    ));
                }
            }
            Ok(exit_codes::OK)
        }
        ContractsCommand::Schema => {
            out.write_all(contract::schema_json().as_bytes())?;
            Ok(exit_codes::OK)
        }
    }
}

pub(crate) fn load(dir: Option<&Path>) -> Result<ContractSet, CliError> {
    Ok(match dir {
        Some(d) => ContractSet::from_dir(d)?,
        None => ContractSet::builtin()?,
    })
}

/// What results record of the contract set a run used.
pub(crate) fn set_info(set: &ContractSet) -> crate::report::ContractSetInfo {
    crate::report::ContractSetInfo {
        root: set.root().to_string(),
        count: set.len(),
        fingerprint: set.fingerprint(),
    }
}

/// The contract an operation names (an id or a unique suffix).
fn find<'a>(set: &'a ContractSet, op: &str) -> Result<&'a contract::LoadedContract, CliError> {
    set.find(op).map_err(|candidates| {
        if candidates.is_empty() {
            CliError::Operation(format!("no operation matches {op}"))
        } else {
            CliError::Operation(format!(
                "{op} matches several operations: {}",
                candidates.join(", ")
            ))
        }
    })
}
