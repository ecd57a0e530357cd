//! docpact's integration tests: one binary, linked once.
//!
//! Tests run the real `docpact` binary (see `support::docpact`) with a cleared environment,
//! or the library against the files under `contracts/`. To debug one test:
//! `cargo test --test it contracts::lint_reports_a_rule_naming_a_missing_parameter -- --nocapture`.

mod cassette;
mod check;
mod contracts;
mod derive;
mod derive_formats;
mod drivers;
mod fuzz;
mod openapi;
mod protocol;
mod replay;
mod report;
mod sdk_capture;
mod serve;
mod support;
