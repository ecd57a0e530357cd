//! The CLI's errors and exit codes.

use crate::contract::LoadError;

pub use crate::report::exit_codes;

/// An error that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Contracts could not be loaded.
    #[error("cannot load contracts")]
    Load(#[from] LoadError),
    /// The named operation is unknown or ambiguous.
    #[error("{0}")]
    Operation(String),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A credentials file could not be read or parsed.
    #[error("cannot use the credentials file {path}")]
    Credentials {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A recording could not start or finish.
    #[error("cannot record")]
    Record(#[from] crate::cassette::RecordError),
    /// Cassettes could not be loaded.
    #[error("cannot load the cassettes")]
    Cassette(#[from] crate::cassette::CassetteError),
    /// TLS could not be set up.
    #[error("cannot serve https")]
    Tls(#[from] crate::replay::TlsError),
    /// Writing output failed.
    #[error("cannot write output")]
    Io(#[from] std::io::Error),
    /// A flag's value cannot be used.
    #[error("{0}")]
    Usage(String),
    /// The check could not run.
    #[error("cannot run the check")]
    Check(#[from] crate::check::CheckError),
    /// The known-failures file cannot be used.
    #[error("cannot use the known-failures file")]
    KnownFailures(#[from] crate::check::KnownFailuresError),
    /// A results file cannot be read.
    #[error("cannot read the results {path}")]
    Results {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Results cannot be merged.
    #[error("cannot merge the results")]
    Merge(#[from] crate::report::MergeError),
    /// A report or snapshot file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
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
            CliError::Bind { .. } => {
                Some("choose another port with --listen, or --listen 127.0.0.1:0 for a free one")
            }
            CliError::Load(LoadError::Invalid { .. }) => {
                Some("`docpact contracts schema` prints the JSON Schema of the contract format")
            }
            _ => None,
        }
    }
}
