//! Cassettes: real traffic recorded through a re-signing proxy, secrets redacted before
//! anything touches disk, replayed by the server ahead of the contract.

pub mod format;
pub mod har;
pub mod matching;
pub mod record;
pub mod redact;
pub mod resign;
pub mod store;
pub mod verify;

pub use format::{
    Body, Cassette, FORMAT_VERSION, Interaction, RecordedRequest, RecordedResponse, schema_json,
};
pub use matching::{Library, NearMiss};
pub use record::{RecordError, RecordMode, RecordOptions, RecordProxy, RecordSummary, Upstream};
pub use redact::Redactor;
pub use resign::{ResignError, UpstreamKey, resign};
pub use store::{CassetteError, Loaded, Recording, load, parse_cassette, save};
pub use verify::verify;
