//! Percent-encoding, form parsing and the flattening of parameters into a tree: never a
//! panic, and decoding undoes encoding.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::form(data));
