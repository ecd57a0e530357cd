//! The fuzz targets' bodies, one function per target, shared by the cargo-fuzz binaries
//! (`fuzz/fuzz_targets/*.rs`) and by the test that replays every committed corpus file and
//! every past finding in `cargo test` (`tests/it/fuzz.rs`). Each takes any bytes; a panic is
//! a finding.

#![allow(dead_code)]

use std::sync::OnceLock;

use docpact::check::{Wire, render};
use docpact::contract::{ContractSet, Provider};
use docpact::protocol::{HttpRequest, SignInput, encoding};
use docpact::replay::{Config, Env, State, respond};

/// The built-in contracts, loaded once per process.
fn contracts() -> &'static ContractSet {
    static SET: OnceLock<ContractSet> = OnceLock::new();
    SET.get_or_init(|| ContractSet::builtin().expect("built-in contracts"))
}

/// A state that verifies everything but the clock (corpus requests are old); `no_auth` as
/// `serve --no-auth`, which lets unsigned input reach validation and state.
fn state(no_auth: bool) -> State {
    let config = Config {
        check_time: false,
        no_auth,
        seed: Some(1),
        ..Config::default()
    };
    State::new(contracts().clone(), config)
}

/// `METHOD TARGET\nName: value\n...\n\nbody`, the framing of the corpus files: lossy where
/// the bytes are not UTF-8, as the server's HTTP layer would refuse those anyway.
fn frame(data: &[u8]) -> HttpRequest {
    let split = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(data.len());
    let head = String::from_utf8_lossy(&data[..split]);
    let body = data.get(split + 2..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default();
    let (method, target) = first.split_once(' ').unwrap_or((first, "/"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    HttpRequest {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body,
    }
}

/// Answers `req` and asserts the answer is whole.
fn assert_whole(state: &mut State, req: &HttpRequest) {
    let env = Env {
        now_ms: 1_795_373_698_000,
        peer_loopback: true,
    };
    let d = respond(state, req, &env);
    if d.reset {
        return;
    }
    let status = d.response.status;
    assert!((100..600).contains(&status), "status {status}");
    assert!(!d.response.body.is_empty(), "an empty answer to {req:?}");
    for (k, v) in &d.response.headers {
        assert!(
            hyper::header::HeaderName::from_bytes(k.as_bytes()).is_ok(),
            "header name {k:?}"
        );
        assert!(
            hyper::header::HeaderValue::from_str(v).is_ok(),
            "header {k}: {v:?}"
        );
    }
}

/// Any request bytes, signed or not: decoding per wire style, canonicalization, signature
/// verification, validation and state never panic, and every answer is whole. The first byte
/// picks `serve` (odd) or `serve --no-auth` (even); the rest is a framed request.
pub fn request(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let req = frame(rest);
    let _ = docpact::protocol::decode(&req);
    let _ = docpact::protocol::decode_unsigned(&req);
    let mut state = state(mode % 2 == 0);
    assert_whole(&mut state, &req);
}

/// Arbitrary parameters, correctly signed in every wire style a contract serves: flattening,
/// rendering, verification, unflattening and validation never panic, and every answer is
/// whole. Input: a byte picking the operation and wire style, then a JSON object.
pub fn signed_params(data: &[u8]) {
    let Some((&pick, json)) = data.split_first() else {
        return;
    };
    let Ok(serde_json::Value::Object(params)) = serde_json::from_slice(json) else {
        return;
    };
    let set = contracts();
    let c = &set
        .iter()
        .nth(usize::from(pick) % set.len())
        .expect("a contract")
        .contract;
    let (_, wire) = Wire::ALL[usize::from(pick / 8) % Wire::ALL.len()];
    if !wire.serves(c) {
        return;
    }
    let (key_id, secret) = match c.provider {
        Provider::Alibaba => ("testAccessKeyId", "testAccessKeySecret"),
        Provider::Tencent => ("AKIDtest", "testSecretKey"),
    };
    let sign = SignInput {
        host: "127.0.0.1:1",
        key_id,
        secret,
        timestamp: 1_795_373_698,
        nonce: "12345",
    };
    let req = render(c, &params, wire, &sign);
    assert_whole(&mut state(false), &req);
}

/// Percent-encoding, form parsing and the flattening of parameters into a tree: never a
/// panic, and decoding undoes encoding.
pub fn form(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    assert_eq!(
        encoding::form_decode(&encoding::pct(&text)).ok().as_deref(),
        Some(&*text)
    );
    let _ = encoding::form_decode(&text);
    if let Ok(pairs) = encoding::parse_form(&text) {
        let _ = docpact::validate::unflatten(&pairs);
    }
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(data) {
        let flat = docpact::check::flatten(&m, 0);
        let _ = docpact::validate::unflatten(&flat);
    }
}

/// Contract files: any text loads or fails with a message, never a panic.
pub fn contract(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = docpact::contract::parse("contract.json", &text) {
        assert!(!e.to_string().is_empty());
    }
}

/// Pages: any bytes derive to a contract or fail with a message, never a panic or a hang.
pub fn derive(data: &[u8]) {
    if let Err(e) = docpact::derive::derive("page.txt", data, None) {
        assert!(!e.to_string().is_empty());
    }
}

/// What users and drivers hand docpact besides contracts and pages: driver output lines,
/// results files, known-failure lists, credentials files and overlays. Never a panic.
pub fn user_files(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for line in text.lines() {
        let _ = docpact::check::protocol::parse_line(line, "id");
    }
    let _ = docpact::report::Results::parse("results.json", &text);
    let _ = docpact::check::KnownFailures::parse("known-failures.txt", &text);
    let _ = docpact::protocol::Credentials::parse(&text);
    let _ = docpact::derive::overlay::parse(std::path::Path::new("overlay.json"), &text);
}

/// Cassettes and HAR files: any text loads or fails with a message; what loads can be
/// indexed, verified, exported to HAR and imported back, never a panic.
pub fn cassette(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match docpact::cassette::parse_cassette("c.json", &text) {
        Ok(c) => {
            let set = contracts();
            let mut library = docpact::cassette::Library::default();
            library.add("c.json".into(), c.clone());
            for it in &c.interactions {
                let _ = library.answer(&it.operation, &it.request);
                let _ = library.near_miss(&it.operation, &it.request);
            }
            let _ = docpact::cassette::verify(set, &[("c.json".to_string(), c.clone())]);
            let har = docpact::cassette::har::export(&c, set);
            let mut back = docpact::cassette::har::empty_cassette();
            let _ = docpact::cassette::har::import(&har, set, &mut back, Vec::new());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(har) = serde_json::from_slice::<serde_json::Value>(data) {
        let mut c = docpact::cassette::har::empty_cassette();
        let _ = docpact::cassette::har::import(&har, contracts(), &mut c, Vec::new());
    }
}
