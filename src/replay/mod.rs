//! The replay server: the five APIs on one port. A sans-IO core decides each answer from the
//! request and the state ([`respond`]); a hyper loop serves it; [`Replay`] runs it in-process.

mod admin;
mod capture;
pub(crate) mod core;
mod generate;
mod handle;
mod journal;
mod rng;
pub(crate) mod server;
mod state;
mod tls;
#[cfg(feature = "wiremock")]
mod wiremock;

pub use self::core::{Decision, Env, forced_error, respond, route as route_call};
#[cfg(feature = "wiremock")]
pub use self::wiremock::ReplayResponder;
pub use admin::PREFIX as ADMIN_PREFIX;
pub use capture::{Exchange, MAX_CAPTURED_BODY, Message};
pub use handle::{Replay, ReplayBuilder, StartError};
pub use journal::{Entry, Journal};
pub use rng::Rng;
pub use server::{HEADER_TIMEOUT, MAX_BODY};
pub use state::{Config, MAX_QUEUED, MAX_REMEMBERED, Outcome, State};
pub use tls::{Tls, TlsError};
