//! The CLI's errors and exit codes.

use crate::contract::LoadError;

/// Exit codes, named once.
pub mod exit_codes {
    /// Everything passed.
    pub const OK: u8 = 0;
    /// The command ran and found failures (lint problems, conformance failures, drift).
    pub const FAILURES: u8 = 1;
    /// Bad usage or a setup error (unreadable file, invalid contract).
    pub const SETUP: u8 = 2;
}

/// An error that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Contracts could not be loaded.
    #[error("cannot load contracts")]
    Load(#[from] LoadError),
    /// The named operation is unknown or ambiguous.
    #[error("{0}")]
    Operation(String),
    /// Writing output failed.
    #[error("cannot write output")]
    Io(#[from] std::io::Error),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        exit_codes::SETUP
    }

    /// A hint for the user, where one is known.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            CliError::Operation(_) => Some("run `docpact contracts list` to see the operations"),
            CliError::Load(LoadError::Invalid { .. }) => {
                Some("`docpact contracts schema` prints the JSON Schema of the contract format")
            }
            _ => None,
        }
    }
}
