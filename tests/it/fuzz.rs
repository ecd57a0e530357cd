//! Property tests over every parser a client or a user feeds: arbitrary and mutated input
//! never panics, and the server's answer is always a whole answer (a status, a body in the
//! provider's envelope, headers that are valid HTTP). Bounded: each property runs a few
//! hundred cases, all of them together well under a minute.

use docpact::contract::ContractSet;
use docpact::protocol::{self, HttpRequest, encoding};
use docpact::replay::{Config, Env, State, respond};
use proptest::prelude::*;

use crate::support::root;

/// A server state that verifies everything but the clock (mutated vectors are old).
fn state() -> State {
    let config = Config {
        check_time: false,
        seed: Some(1),
        ..Config::default()
    };
    State::new(ContractSet::builtin().expect("built-in"), config)
}

/// The answer is whole: a real status, a body, valid headers.
fn assert_whole(req: &HttpRequest, state: &mut State) -> Result<(), TestCaseError> {
    let env = Env {
        now_ms: 1_795_373_698_000,
        peer_loopback: true,
    };
    let d = respond(state, req, &env);
    if d.reset {
        return Ok(());
    }
    prop_assert!(
        (100..600).contains(&d.response.status),
        "status {}",
        d.response.status
    );
    prop_assert!(!d.response.body.is_empty(), "an empty answer to {req:?}");
    for (k, v) in &d.response.headers {
        prop_assert!(
            hyper::header::HeaderName::from_bytes(k.as_bytes()).is_ok(),
            "header name {k:?}"
        );
        prop_assert!(
            hyper::header::HeaderValue::from_str(v).is_ok(),
            "header {k}: {v:?}"
        );
    }
    Ok(())
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Authorization".to_string()),
        Just("Content-Type".to_string()),
        Just("X-TC-Action".to_string()),
        Just("X-TC-Version".to_string()),
        Just("X-TC-Timestamp".to_string()),
        Just("X-TC-Region".to_string()),
        Just("x-acs-action".to_string()),
        Just("x-acs-version".to_string()),
        Just("x-acs-date".to_string()),
        Just("x-acs-signature-nonce".to_string()),
        Just("Date".to_string()),
        Just("Host".to_string()),
        "[a-zA-Z-]{1,20}",
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("application/json".to_string()),
        Just("application/x-www-form-urlencoded".to_string()),
        Just("TC3-HMAC-SHA256 Credential=AKIDtest/2026-11-22/tcr/tc3_request, SignedHeaders=content-type;host, Signature=00".to_string()),
        Just("ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=host,Signature=00".to_string()),
        Just("acs testAccessKeyId:c2ln".to_string()),
        Just("CreateInstance".to_string()),
        Just("2019-09-24".to_string()),
        "\\PC{0,40}",
    ]
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        "/\\?([A-Za-z.0-9%]{0,12}=[^&]{0,12}&?){0,6}",
        Just("/openapi/ha3/instances".to_string()),
        "/[ -~]{0,60}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "\\{(\"[A-Za-z.]{1,12}\":(\"[^\"]{0,10}\"|[0-9]{1,4}|true|\\[\\]|\\{\\}),?){0,6}\\}"
            .prop_map(String::into_bytes),
        "([A-Za-z.0-9%]{1,12}=[^&]{0,12}&?){0,8}".prop_map(String::into_bytes),
    ]
}

fn request() -> impl Strategy<Value = HttpRequest> {
    (
        prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE")],
        target(),
        proptest::collection::vec((header_name(), header_value()), 0..10),
        body(),
    )
        .prop_map(|(m, t, h, b)| HttpRequest {
            method: m.to_string(),
            target: t,
            headers: h,
            body: b,
        })
}

/// A captured SDK request with a few bytes changed, inserted or cut.
fn mutated_vector() -> impl Strategy<Value = HttpRequest> {
    let vectors: Vec<HttpRequest> = crate::protocol::vectors()
        .into_iter()
        .map(|v| v.req)
        .collect();
    (
        0..vectors.len(),
        proptest::collection::vec((0u8..4, any::<usize>(), any::<u8>()), 1..5),
    )
        .prop_map(move |(i, edits)| {
            let mut req = vectors[i].clone();
            for (kind, at, byte) in edits {
                match kind {
                    0 if !req.body.is_empty() => {
                        let at = at % req.body.len();
                        req.body[at] = byte;
                    }
                    1 => {
                        let at = at % (req.target.len() + 1);
                        if req.target.is_char_boundary(at) {
                            req.target.insert(at, char::from(byte % 95 + 32));
                        }
                    }
                    2 if !req.headers.is_empty() => {
                        let h = at % req.headers.len();
                        let v = &mut req.headers[h].1;
                        let cut = (usize::from(byte) % (v.len() + 1)).min(v.len());
                        if v.is_char_boundary(cut) {
                            v.truncate(cut);
                        }
                    }
                    _ => {
                        let cut = at % (req.body.len() + 1);
                        req.body.truncate(cut);
                    }
                }
            }
            req
        })
}

/// A parameter name: a documented one, a dotted or indexed one, or anything at all (control
/// characters included).
fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("RegistryName".to_string()),
        Just("RegistryType".to_string()),
        Just("TagSpecification".to_string()),
        Just("Period".to_string()),
        Just("Quantity".to_string()),
        Just("InstanceType".to_string()),
        Just("Parameter.1.Code".to_string()),
        Just("DataDisk.1.Size".to_string()),
        Just("body".to_string()),
        "[A-Za-z]{1,8}(\\.[0-9A-Za-z]{1,4}){0,4}",
        "[\\x00-\\x1f\\x7f a-zA-Z.]{1,8}",
    ]
}

fn param_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let leaf = prop_oneof![
        "\\PC{0,12}".prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        Just(json!(null)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[A-Za-z]{1,6}", inner, 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn signed_requests_with_arbitrary_parameters_get_a_whole_answer(
        op in 0usize..5,
        wire in 0usize..7,
        params in proptest::collection::btree_map(param_name(), param_value(), 0..6),
    ) {
        use docpact::check::{Wire, render};
        let set = ContractSet::builtin().expect("built-in");
        let c = &set.iter().nth(op).expect("a contract").contract;
        let (_, wire) = Wire::ALL[wire];
        prop_assume!(wire.serves(c));
        let (key_id, secret) = match c.provider {
            docpact::contract::Provider::Alibaba => ("testAccessKeyId", "testAccessKeySecret"),
            docpact::contract::Provider::Tencent => ("AKIDtest", "testSecretKey"),
        };
        let sign = protocol::SignInput {
            host: "127.0.0.1:1",
            key_id,
            secret,
            timestamp: 1_795_373_698,
            nonce: "12345",
        };
        let params: serde_json::Map<String, serde_json::Value> = params.into_iter().collect();
        let req = render(c, &params, wire, &sign);
        assert_whole(&req, &mut state())?;
    }

    #[test]
    fn any_request_gets_a_whole_answer(req in request()) {
        let _ = protocol::decode(&req);
        assert_whole(&req, &mut state())?;
    }

    #[test]
    fn mutated_sdk_requests_get_a_whole_answer(req in mutated_vector()) {
        assert_whole(&req, &mut state())?;
    }

    #[test]
    fn percent_encoding_round_trips_and_form_parsing_never_panics(s in "\\PC{0,60}", raw in "[ -~]{0,80}") {
        prop_assert_eq!(encoding::form_decode(&encoding::pct(&s)).ok(), Some(s.clone()));
        let _ = encoding::parse_form(&raw);
        let _ = encoding::form_decode(&raw);
    }

    #[test]
    fn flattening_and_unflattening_never_panic(
        pairs in proptest::collection::vec(("[A-Za-z0-9.]{0,30}", "\\PC{0,10}"), 0..12),
        json in "\\{(\"[A-Za-z.]{1,8}\":(\\[(1|\"x\"|\\{\\}),?\\]|\\{\"a\":1\\}|\"v\"|2),?){0,6}\\}",
    ) {
        let _ = docpact::validate::unflatten(&pairs);
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(&json) {
            let flat = docpact::check::flatten(&m, 0);
            prop_assert!(flat.iter().all(|(k, _)| !k.is_empty()));
        }
    }

    #[test]
    fn driver_lines_and_results_never_panic(line in "\\PC{0,200}") {
        let _ = docpact::check::protocol::parse_line(&line, "id");
        let _ = docpact::report::Results::parse("r.json", &line);
        let _ = docpact::check::KnownFailures::parse("k.txt", &line);
    }
}

fn mutate(text: &str, edits: &[(usize, u8)]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for (at, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match byte % 3 {
            0 => bytes[at] = *byte,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, b"{}[]\":,.0a \n"[usize::from(*byte) % 12]),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, .. ProptestConfig::default() })]

    #[test]
    fn mutated_contracts_load_or_say_why(i in 0usize..5, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
        let set = ContractSet::builtin().expect("built-in");
        let loaded = set.iter().nth(i % set.len()).expect("a contract");
        let text = String::from_utf8_lossy(&mutate(&loaded.text, &edits)).into_owned();
        if let Err(e) = docpact::contract::parse(&loaded.path, &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn mutated_pages_derive_or_say_why(i in 0usize..5, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut pages: Vec<std::path::PathBuf> = std::fs::read_dir(root().join("contracts/sources"))
            .expect("pages")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        pages.sort();
        let text = std::fs::read_to_string(&pages[i % pages.len()]).expect("page");
        let _ = docpact::derive::derive("page.txt", &mutate(&text, &edits), None);
    }
}

/// The fuzz targets' own checks (`fuzz/fuzz_targets/checks.rs`), run here on every committed
/// corpus file and every past finding, so that what `fuzz/run.sh` explored stays explored.
#[path = "../../fuzz/fuzz_targets/checks.rs"]
mod checks;

#[test]
fn fuzz_corpora_and_past_findings_pass_the_targets_checks() {
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 7] = [
        ("request", checks::request),
        ("signed_params", checks::signed_params),
        ("form", checks::form),
        ("contract", checks::contract),
        ("derive", checks::derive),
        ("user_files", checks::user_files),
        ("cassette", checks::cassette),
    ];
    let mut failures = Vec::new();
    for (target, check) in targets {
        let mut corpus = 0;
        for dir in ["fuzz/corpus", "fuzz/regressions"] {
            let Ok(entries) = std::fs::read_dir(root().join(dir).join(target)) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("a corpus entry").path();
                let bytes = std::fs::read(&path).expect("a corpus file");
                corpus += usize::from(dir == "fuzz/corpus");
                if std::panic::catch_unwind(|| check(&bytes)).is_err() {
                    failures.push(path.display().to_string());
                }
            }
        }
        assert!(
            corpus > 0,
            "no committed corpus for the fuzz target {target}"
        );
    }
    assert!(failures.is_empty(), "fuzz inputs that fail: {failures:#?}");
}
