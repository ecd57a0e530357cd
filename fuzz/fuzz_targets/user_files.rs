//! What users and drivers hand docpact besides contracts and pages: driver output lines,
//! results files, known-failure lists, credentials files and overlays. Never a panic.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::user_files(data));
