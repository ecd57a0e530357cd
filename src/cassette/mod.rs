//! Cassettes: real traffic recorded through a re-signing proxy, secrets redacted before
//! anything touches disk, replayed by the server ahead of the contract.

pub mod format;
pub mod matching;
pub mod redact;
pub mod store;

pub use format::{
    Body, Cassette, FORMAT_VERSION, Interaction, RecordedRequest, RecordedResponse, schema_json,
};
pub use matching::{Library, NearMiss};
pub use redact::Redactor;
pub use store::{CassetteError, Loaded, Recording, load, save};
