//! Arbitrary parameters, correctly signed in every wire style a contract serves: flattening,
//! rendering, verification, unflattening and validation never panic, and every answer is
//! whole. Input: a byte picking the operation and wire style, then a JSON object.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::signed_params(data));
