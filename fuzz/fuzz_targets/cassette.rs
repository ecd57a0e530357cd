//! Cassettes and HAR files: any text loads or fails with a message; what loads can be
//! indexed, verified, exported to HAR and imported back, never a panic.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::cassette(data));
