//! Any request bytes, signed or not: decoding per wire style, canonicalization, signature
//! verification, validation and state never panic, and every answer is whole. The first byte
//! picks `serve` (odd) or `serve --no-auth` (even); the rest is a framed request.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::request(data));
