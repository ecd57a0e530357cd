//! `docpact contracts list|show|lint|schema`.

use std::io::Write;
use std::path::Path;

use crate::cli::args::ContractsCommand;
use crate::cli::error::{CliError, exit_codes};
use crate::contract::{self, ContractSet, operation_id};

pub(crate) fn run(
    command: &ContractsCommand,
    contracts: Option<&Path>,
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
            let found = set.find(&args.operation).map_err(|candidates| {
                if candidates.is_empty() {
                    CliError::Operation(format!("no operation matches {}", args.operation))
                } else {
                    CliError::Operation(format!(
                        "{} matches several operations: {}",
                        args.operation,
                        candidates.join(", ")
                    ))
                }
            })?;
            out.write_all(found.text.as_bytes())?;
            if !found.text.ends_with('\n') {
                writeln!(out)?;
            }
            Ok(exit_codes::OK)
        }
        ContractsCommand::Lint(args) => {
            let set = load(args.dir.as_deref().or(contracts))?;
            let report = contract::lint(&set);
            for p in &report.problems {
                writeln!(out, "error: {p}")?;
            }
            if !report.findings.is_empty() {
                writeln!(out, "documentation findings ({}):", report.findings.len())?;
                for (id, f) in &report.findings {
                    writeln!(out, "  {}", contract::describe_finding(id, f))?;
                }
            }
            writeln!(
                out,
                "linted {} contracts from {}: {} problems, {} findings",
                set.len(),
                set.root(),
                report.problems.len(),
                report.findings.len()
            )?;
            Ok(if report.problems.is_empty() {
                exit_codes::OK
            } else {
                exit_codes::FAILURES
            })
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
