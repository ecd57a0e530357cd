//! Contract files: any text loads or fails with a message, never a panic.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::contract(data));
