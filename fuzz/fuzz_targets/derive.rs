//! Pages: any bytes derive to a contract or fail with a message, never a panic or a hang.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::derive(data));
