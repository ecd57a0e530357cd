//! The checker: the driver protocol, cases from contracts, running drivers, the wire and
//! parse judgement of each case, snapshots and known failures. Renders no report: it returns
//! results (`crate::report`).

mod case;
mod driver;
mod http;
mod judge;
mod known;
mod normalize;
mod oracle;
mod params;
pub mod protocol;
mod reference;
mod render;
mod run;
pub mod snapshot;

pub use case::{
    Case, CaseCall, CaseKind, CaseSettings, Expect, Fault, Generated, generate, in_partition,
};
pub use driver::{
    CallResult, Driver, DriverCommand, Failed, Failure, Mode, StartError, describe_exit,
};
pub use http::{HttpError, send, tls_trusting};
pub use judge::{CallRun, Judged, judge, parse_diff};
pub use known::{KnownFailure, KnownFailures, KnownFailuresError};
pub use normalize::{Normalized, normalize, redact, sorted};
pub use oracle::{Oracle, Verdict, error_of};
pub use reference::ReferenceDriver;
pub use render::{Wire, flatten, render, text_of};
pub use run::{CHECK_SEED, CheckError, CheckOptions, Progress, Silent, complete, run, select};
