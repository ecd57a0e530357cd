//! docpact turns cloud API documentation pages into executable contracts, and uses them to
//! test SDKs: a replay server that behaves like the documented APIs, and a checker that
//! compares what clients send and parse with the contract.
//!
//! The five built-in contracts cover Alibaba Cloud BssOpenApi, ENS and OpenSearch Havenask,
//! and Tencent Cloud TCR; see `docpact contracts list`.
//!
//! ```
//! let set = docpact::contract::ContractSet::builtin().unwrap();
//! let ens = set.find("ens/2017-11-10/CreateInstance").unwrap();
//! assert!(ens.contract.parameter("DataDisk.1.Size").is_some());
//! assert!(docpact::contract::lint(&set).problems.is_empty());
//! ```
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod alloc;
pub mod cassette;
pub mod check;
pub mod cli;
pub mod contract;
pub mod derive;
pub mod protocol;
pub mod replay;
pub mod report;
pub mod validate;

pub use replay::Replay;
