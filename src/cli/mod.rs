//! The command line: parse, run, print errors with their causes, exit.

mod args;
mod cmd;
mod error;
mod output;

use std::error::Error as _;
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;
pub use error::{CliError, exit_codes};
pub use output::{ColorChoice, ReportTarget, in_ci};

/// Runs docpact with the process arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    match run(&cli, &mut stdout) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = err.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            if let Some(hint) = err.hint() {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

/// Runs a parsed command, writing its output to `out`; returns the exit code.
pub fn run(cli: &Cli, out: &mut dyn std::io::Write) -> Result<u8, CliError> {
    match &cli.command {
        args::Command::Contracts(c) => {
            cmd::contracts::run(c, cli.contracts.as_deref(), cli.color.enabled(), out)
        }
        args::Command::Serve(a) => cmd::serve::run(a, cli.contracts.as_deref(), out),
        args::Command::Record(a) => cmd::record::run(a, cli.contracts.as_deref(), out),
        args::Command::Cassette(c) => cmd::record::cassette(c, cli.contracts.as_deref(), out),
        args::Command::Verify(a) => {
            cmd::record::verify(a, cli.contracts.as_deref(), cli.color.enabled(), out)
        }
        args::Command::Derive(a) => cmd::derive::run(a, cli.color.enabled(), out),
        args::Command::Lint(a) => cmd::derive::lint(a, cli.color.enabled(), out),
        args::Command::Check(a) => {
            cmd::check::run(a, cli.contracts.as_deref(), cli.color.enabled(), out)
        }
        args::Command::Driver(a) => cmd::check::driver(a, cli.contracts.as_deref()),
        args::Command::Report(a) => {
            cmd::report::run(a, cli.contracts.as_deref(), cli.color.enabled(), out)
        }
        args::Command::Schema(a) => {
            let text = match a.format {
                args::SchemaFormat::Contract => crate::contract::schema_json(),
                args::SchemaFormat::Results => crate::report::schema_json(),
                args::SchemaFormat::Driver => crate::check::protocol::schema_json(),
                args::SchemaFormat::Cassette => crate::cassette::schema_json(),
            };
            out.write_all(text.as_bytes())?;
            Ok(exit_codes::OK)
        }
    }
}
