//! Cassettes end to end: the official Python and Node SDKs record through `docpact record`
//! against an upstream that only knows other ("real") keys; the upstream stops; the cassette
//! replays the same bodies byte for byte; no file written while recording holds a secret;
//! `kill -9` mid-recording leaves a cassette that loads; near misses and unused interactions
//! are reported.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use docpact::Replay;
use docpact::contract::{ContractSet, Provider};
use docpact::protocol::{Credentials, Key, SecretString};
use docpact::replay::Config;
use serde_json::{Value, json};

use crate::replay::{BSS, ENS, HA, TCR, case, every_python_client, example_params};
use crate::support::{docpact, drive, drive_node, root, run};

const AK: &str = "LTAI5tRealAccessKeyId";
const AK_SECRET: &str = "RealAccessKeySecretValue0123";
const STS: &str = "CAIS-real-security-token-value";
const SID: &str = "AKIDRealSecretIdValue01";
const SKEY: &str = "RealSecretKeyValue4567";

/// An upstream that knows only the real keys (the test keys are refused), keeping every
/// exchange so that the bodies it sent can be compared with the replayed ones.
async fn upstream() -> Replay {
    let mut real = Credentials::parse(r#"{"format_version": 1, "keys": []}"#).unwrap();
    for k in [
        (Provider::Alibaba, AK, AK_SECRET),
        (Provider::Tencent, SID, SKEY),
    ] {
        real = real.with(Key {
            provider: k.0,
            id: k.1.into(),
            secret: SecretString::new(k.2),
            disabled: false,
        });
    }
    let config = Config {
        credentials: real,
        capture: 1000,
        seed: Some(11),
        ..Config::default()
    };
    Replay::start(
        ContractSet::builtin().unwrap(),
        config,
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

/// `docpact record` as a user runs it: real keys in the environment, the address on stdout.
fn record(cassette: &Path, upstream: &str, extra: &[&str]) -> (Child, String) {
    let mut child = docpact()
        .args(["record", "--cassette"])
        .arg(cassette)
        .args(["--listen", "127.0.0.1:0", "--upstream"])
        .arg(format!("http://{upstream}"))
        .args(["--redact", r"test:Instance_Name\.\d-\d"])
        .args(extra)
        .env("DOCPACT_UPSTREAM_ACCESS_KEY_ID", AK)
        .env("DOCPACT_UPSTREAM_ACCESS_KEY_SECRET", AK_SECRET)
        .env("DOCPACT_UPSTREAM_SECURITY_TOKEN", STS)
        .env("DOCPACT_UPSTREAM_SECRET_ID", SID)
        .env("DOCPACT_UPSTREAM_SECRET_KEY", SKEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docpact record starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .rsplit("http://")
        .next()
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, addr)
}

/// SIGTERM, as a user's Ctrl-C, and the exit status with stderr.
fn stop(child: Child) -> (bool, String) {
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn node_cases() -> Vec<Value> {
    let tcr = |name: &str| {
        let mut p = example_params(TCR);
        p["RegistryName"] = json!(name);
        p
    };
    vec![
        case("node get", "popcore-get", ENS, example_params(ENS)),
        case("node post", "popcore-post", BSS, example_params(BSS)),
        case("node roa", "popcore-roa", HA, example_params(HA)),
        case("node tc3", "tc3", TCR, tcr("tcr-node-a")),
        case("node v1", "tc-hmacsha256", TCR, tcr("tcr-node-b")),
    ]
}

fn bodies(replay: &Replay) -> Vec<String> {
    let (exchanges, dropped) = replay.exchanges();
    assert_eq!(dropped, 0);
    exchanges.into_iter().map(|e| e.response.body).collect()
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn assert_no_secret(dir: &Path, secrets: &[&str]) {
    let all = files(dir);
    assert!(!all.is_empty(), "nothing written under {}", dir.display());
    for (name, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        for s in secrets {
            assert!(!text.contains(s), "{name} holds the secret {s:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdks_record_through_docpact_and_replay_the_same_bytes_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cassettes = dir.path().join("cassettes");
    let cassette = cassettes.join("sdks.json");
    let up = upstream().await;
    let (proxy, addr) = record(&cassette, &up.endpoint(), &[]);

    // The SDKs keep docpact's test keys; the upstream knows only the real ones.
    let py = every_python_client("py");
    let node = node_cases();
    let recorded_py = drive(&addr, &[], &py).await;
    let recorded_node = drive_node(&addr, &node).await;
    for r in recorded_py.iter().chain(&recorded_node) {
        assert_eq!(r["ok"], true, "through the recording proxy: {r}");
    }
    // Mid-recording, the journal holds no secret either.
    let secrets = [
        AK,
        AK_SECRET,
        STS,
        SID,
        SKEY,
        "yourPassword:1",
        "Hello World. The time is now",
        "test:Instance_Name.1-2",
    ];
    assert_no_secret(&cassettes, &secrets);
    let (ok, stderr) = stop(proxy);
    assert!(ok, "record stops cleanly: {stderr}");
    assert!(
        stderr.contains(&format!("recorded {} interactions", py.len() + node.len())),
        "{stderr}"
    );
    let sent = bodies(&up);
    assert_eq!(
        sent.len(),
        py.len() + node.len(),
        "every request reached the upstream"
    );
    up.shutdown().await;
    assert_no_secret(&cassettes, &secrets);
    let text = std::fs::read_to_string(&cassette).unwrap();
    assert!(
        text.contains("[redacted:"),
        "sensitive values are placeholders"
    );
    assert!(
        text.contains("\"InstanceIds\": {"),
        "JSON bodies are values, not strings"
    );

    // The upstream is gone; the cassette answers, byte for byte, every SDK the same.
    let config = Config {
        capture: 1000,
        strict_cassettes: true,
        ..Config::default()
    };
    let replay = Replay::builder()
        .config(config)
        .cassettes(&cassettes)
        .start()
        .await
        .unwrap();
    let replayed_py = drive(&replay.endpoint(), &[], &py).await;
    let replayed_node = drive_node(&replay.endpoint(), &node).await;
    assert_eq!(
        replayed_py, recorded_py,
        "Python SDKs parse the same answers"
    );
    assert_eq!(
        replayed_node, recorded_node,
        "Node SDKs parse the same answers"
    );
    assert_eq!(
        bodies(&replay),
        sent,
        "the replayed bodies are the upstream's bytes"
    );
    assert!(replay.unused_interactions().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_recording_leaves_a_cassette_that_loads_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = dir.path().join("c.json");
    let up = upstream().await;
    let (mut proxy, addr) = record(&cassette, &up.endpoint(), &[]);
    let cases: Vec<Value> = (0..6)
        .map(|i| {
            let mut p = example_params(TCR);
            p["RegistryName"] = json!(format!("tcr-kill-{i}"));
            case(&format!("k{i}"), "tc3", TCR, p)
        })
        .collect();
    let results = drive(&addr, &[], &cases).await;
    assert!(results.iter().all(|r| r["ok"] == true), "{results:?}");
    proxy.kill().unwrap();
    proxy.wait().unwrap();
    // The journal is there, the pretty file holds none of this session yet.
    assert!(docpact::cassette::store::journal_path(&cassette).exists());
    let loaded = docpact::cassette::load(&cassette).unwrap().unwrap();
    assert_eq!(loaded.cassette.interactions.len(), 6, "{:?}", loaded.notes);
    // The next recording recovers it and compacts on a clean stop.
    let (proxy, _) = record(&cassette, &up.endpoint(), &["--mode", "append"]);
    let (ok, stderr) = stop(proxy);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("6 interactions of an interrupted recording recovered"),
        "{stderr}"
    );
    assert!(!docpact::cassette::store::journal_path(&cassette).exists());
    up.shutdown().await;

    // Replayed by `docpact serve --cassettes --strict`: a recorded request answers, another
    // gets the near-miss report, and the interactions never used are listed at shutdown.
    let mut serve = docpact()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--strict",
            "--cassettes",
        ])
        .arg(&cassette)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(serve.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let endpoint = line.rsplit("http://").next().unwrap().trim().to_string();
    let again = drive(&endpoint, &[], &cases[..1]).await;
    assert_eq!(again[0]["parsed"], results[0]["parsed"]);
    let mut other = example_params(TCR);
    other["RegistryName"] = json!("tcr-kill-x");
    let miss = drive(&endpoint, &[], &[case("miss", "tc3", TCR, other)]).await;
    assert_eq!(
        miss[0]["error"]["code"], "NoRecordedInteraction",
        "{miss:?}"
    );
    // The near miss names the closest interaction and the parameter that differs.
    let journal: Value = reqwest_like_get(&endpoint, "/__docpact/journal").await;
    let detail = journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["detail"].as_str())
        .find(|d| d.contains("no recorded interaction"))
        .unwrap_or_else(|| panic!("{journal}"))
        .to_string();
    assert!(
        detail.contains("c.json#") && detail.contains("RegistryName: recorded \"tcr-kill-"),
        "{detail}"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (_, stderr) = stop(serve);
    assert!(
        stderr.contains("5 recorded interactions were never used"),
        "{stderr}"
    );
    assert!(
        stderr.contains("c.json#1 (tencent/tcr/2019-09-24/CreateInstance"),
        "{stderr}"
    );
}

/// GET on the admin API, JSON back.
async fn reqwest_like_get(endpoint: &str, path: &str) -> Value {
    let req = docpact::protocol::HttpRequest::new("GET", path).with_header("host", endpoint);
    let r = docpact::check::send(endpoint, None, &req, Duration::from_secs(5))
        .await
        .unwrap();
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn committed_cassette_schema_matches_the_format() {
    let committed = std::fs::read_to_string(root().join("cassettes/cassette.schema.json")).unwrap();
    assert!(
        committed == docpact::cassette::schema_json(),
        "regenerate with: cargo run -- schema cassette > cassettes/cassette.schema.json"
    );
    let (code, out, _) = run(&["schema", "cassette"]);
    assert_eq!(code, 0);
    assert_eq!(out, committed);
}

#[test]
fn bad_cassettes_and_flags_get_specific_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"format_version\": 1,\n  \"salt\": \"a\",\n  \"interactions\": [{\"operation\": 3}]\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--cassettes",
        &bad.display().to_string(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad.json:4:") && err.contains("interactions[0].operation"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "record",
        "--cassette",
        &dir.path().join("c.json").display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no real credentials: set DOCPACT_UPSTREAM_ACCESS_KEY_ID"),
        "{err}"
    );
    let out = docpact()
        .args(["record", "--cassette", "c.json", "--upstream", "ftp://x"])
        .env("DOCPACT_UPSTREAM_SECRET_ID", "a")
        .env("DOCPACT_UPSTREAM_SECRET_KEY", "b")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("an upstream is http://HOST[:PORT] or https://HOST[:PORT]"),
        "{err}"
    );
    let out = docpact()
        .args(["record", "--cassette", "c.json"])
        .env("DOCPACT_UPSTREAM_ACCESS_KEY_ID", "a")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "set both DOCPACT_UPSTREAM_ACCESS_KEY_ID and DOCPACT_UPSTREAM_ACCESS_KEY_SECRET"
        ),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_refusing_the_signature_is_reported_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = dir.path().join("c.json");
    let up = upstream().await;
    // The real secret is wrong: the upstream refuses what docpact signed.
    let mut proxy = docpact()
        .args(["record", "--listen", "127.0.0.1:0", "--cassette"])
        .arg(&cassette)
        .arg("--upstream")
        .arg(format!("http://{}", up.endpoint()))
        .env("DOCPACT_UPSTREAM_SECRET_ID", SID)
        .env("DOCPACT_UPSTREAM_SECRET_KEY", "not-the-secret")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(proxy.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.rsplit("http://").next().unwrap().trim().to_string();
    let r = drive(&addr, &[], &[case("t", "tc3", TCR, example_params(TCR))]).await;
    assert_eq!(
        r[0]["error"]["code"], "AuthFailure.SignatureFailure",
        "{r:?}"
    );
    let (ok, stderr) = stop(proxy);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("the upstream refused docpact's signature"),
        "{stderr}"
    );
    assert!(stderr.contains("recorded 0 interactions"), "{stderr}");
    assert!(
        stderr.contains("1 refused by the upstream for the signature"),
        "{stderr}"
    );
    up.shutdown().await;
}

/// The reference driver (`docpact driver`) over `cases` against `endpoint`.
fn reference(endpoint: &str, cases: &[Value]) -> Vec<Value> {
    use std::io::Write;
    let mut child = docpact()
        .arg("driver")
        .env("DOCPACT_ENDPOINT", endpoint)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for c in cases {
        writeln!(stdin, "{c}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.contains("docpact_driver"))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_passes_a_faithful_cassette_and_finds_planted_drift() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = dir.path().join("c.json");
    let up = upstream().await;
    let (proxy, addr) = record(&cassette, &up.endpoint(), &[]);
    let mut tcr = example_params(TCR);
    tcr["RegistryName"] = json!("tcr-verify");
    let cases = [
        case("ens", "acs3", ENS, example_params(ENS)),
        case("tcr", "tc3", TCR, tcr.clone()),
        case("tcr again", "tc3", TCR, tcr),
    ];
    let r = tokio::task::spawn_blocking(move || reference(&addr, &cases))
        .await
        .unwrap();
    assert_eq!(r[0]["ok"], true, "{r:?}");
    assert_eq!(
        r[2]["error"]["code"], "InvalidParameter.ErrorNameExists",
        "{r:?}"
    );
    let (ok, stderr) = stop(proxy);
    assert!(ok, "{stderr}");
    up.shutdown().await;
    let path = cassette.display().to_string();
    let (code, out, err) = run(&["verify", &path]);
    assert_eq!(code, 0, "a faithful cassette verifies:\n{out}{err}");
    assert!(out.contains("verify: 2 pass"), "{out}");

    // Plant drift: an undocumented field, a changed type, a missing field, an unknown code.
    let mut c: Value = serde_json::from_str(&std::fs::read_to_string(&cassette).unwrap()).unwrap();
    let ens = &mut c["interactions"][0]["response"]["body"]["content"];
    ens["Surprise"] = json!(1);
    ens["Code"] = json!("0");
    let tcr_ok = &mut c["interactions"][1]["response"]["body"]["content"]["Response"];
    tcr_ok.as_object_mut().unwrap().remove("RegistryId");
    c["interactions"][2]["response"]["body"]["content"]["Response"]["Error"]["Code"] =
        json!("ResourceUnavailable.Mystery");
    std::fs::write(&cassette, serde_json::to_string_pretty(&c).unwrap()).unwrap();
    let (code, out, err) = run(&["verify", &path, "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let results: Value = serde_json::from_str(&out).unwrap();
    let messages: Vec<&str> = results["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "drift")
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    let has = |needle: &str| messages.iter().any(|m| m.contains(needle));
    assert!(
        has("the service sent Surprise (integer), which the page does not document"),
        "{messages:#?}"
    );
    assert!(
        has("Code: the page says integer, the service sent string \"0\""),
        "{messages:#?}"
    );
    assert!(
        has("the page documents RegistryId, which never came in 1 successful answers"),
        "{messages:#?}"
    );
    assert!(
        has("the error ResourceUnavailable.Mystery, which the page's error table does not list"),
        "{messages:#?}"
    );
    assert_eq!(messages.len(), 4, "{messages:#?}");
}

/// har-validator (npm) over HAR files: one line per file, "valid" or why not.
fn har_validator(files: &[&Path]) -> String {
    let out = std::process::Command::new(root().join("tests/tools/setup-har.sh"))
        .output()
        .expect("tests/tools/setup-har.sh runs");
    assert!(
        out.status.success(),
        "installing har-validator failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let out = std::process::Command::new("node")
        .arg(script)
        .args(files)
        .output()
        .expect("node runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A cassette recorded with the reference driver in every wire style.
async fn reference_cassette(dir: &Path) -> std::path::PathBuf {
    let cassette = dir.join("c.json");
    let up = upstream().await;
    let (proxy, addr) = record(&cassette, &up.endpoint(), &[]);
    let tcr = |name: &str| {
        let mut p = example_params(TCR);
        p["RegistryName"] = json!(name);
        p
    };
    let cases = [
        case("acs3", "acs3", ENS, example_params(ENS)),
        case("rpc-get", "rpc-get", ENS, example_params(ENS)),
        case("rpc-post", "rpc-post", BSS, example_params(BSS)),
        case("roa", "roa", HA, example_params(HA)),
        case("tc3", "tc3", TCR, tcr("tcr-har-a")),
        case("tc-v1", "tc-hmacsha1", TCR, tcr("tcr-har-b")),
    ];
    let r = tokio::task::spawn_blocking(move || reference(&addr, &cases))
        .await
        .unwrap();
    assert!(r.iter().all(|r| r["ok"] == true), "{r:?}");
    let (ok, stderr) = stop(proxy);
    assert!(ok, "{stderr}");
    up.shutdown().await;
    cassette
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn har_export_is_valid_har_and_imports_back_to_the_same_interactions() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = reference_cassette(dir.path()).await;
    let har = dir.path().join("c.har");
    let (code, _, err) = run(&[
        "cassette",
        "export",
        &cassette.display().to_string(),
        "--out",
        &har.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    // The validator bites: the same log without its version is refused.
    let broken = dir.path().join("broken.har");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    v["log"].as_object_mut().unwrap().remove("version");
    std::fs::write(&broken, v.to_string()).unwrap();
    let verdicts = har_validator(&[&har, &broken]);
    let lines: Vec<&str> = verdicts.lines().collect();
    assert_eq!(lines[0], "valid", "{verdicts}");
    assert!(lines[1].starts_with("invalid"), "{verdicts}");

    let back = dir.path().join("back.json");
    let (code, out, err) = run(&[
        "cassette",
        "import",
        &har.display().to_string(),
        "--cassette",
        &back.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported 6 of 6 entries"), "{out}");
    let a = docpact::cassette::load(&cassette)
        .unwrap()
        .unwrap()
        .cassette;
    let b = docpact::cassette::load(&back).unwrap().unwrap().cassette;
    assert_eq!(a.interactions, b.interactions);
}

/// Chrome's HAR export wraps each exchange in fields of its own (`_initiator`,
/// `_resourceType`, `pageref`, `serverIPAddress`, HTTP/2 pseudo-headers); mitmproxy's has
/// none of those but `comment` fields. This log mixes both shapes, around requests the
/// official SDKs really sent, and an unrelated request a browser would record too.
fn foreign_har() -> Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/vectors/sdk-requests.jsonl")).unwrap();
    let vectors: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pick = |source: &str| {
        vectors
            .iter()
            .find(|v| v["source"].as_str().unwrap().starts_with(source))
            .unwrap_or_else(|| panic!("no vector {source}"))
            .clone()
    };
    let mut entries = Vec::new();
    for (i, source) in [
        "py-tea/ens api 003",
        "py-tc/tcr-tc3 api 001",
        "node-popcore/ens-get",
    ]
    .iter()
    .enumerate()
    {
        let v = pick(source);
        let mut headers: Vec<Value> = v["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| json!({"name": h[0], "value": h[1]}))
            .collect();
        let chrome = i % 2 == 0;
        if chrome {
            headers.insert(0, json!({"name": ":authority", "value": "127.0.0.1:42191"}));
            headers.insert(0, json!({"name": ":method", "value": v["method"]}));
        }
        let body = v["body"].as_str().unwrap_or_default();
        let mut request = json!({
            "method": v["method"], "url": format!("https://127.0.0.1:42191{}", v["raw_path"].as_str().unwrap()),
            "httpVersion": if chrome { "http/2.0" } else { "HTTP/1.1" },
            "headers": headers, "queryString": [], "cookies": [], "headersSize": -1,
            "bodySize": body.len(),
        });
        if !body.is_empty() {
            request["postData"] = json!({"mimeType": "application/json", "text": body});
        }
        let answer = if source.starts_with("py-tc") {
            r#"{"Response":{"RegistryId":"tcr-abc","RequestId":"6a1f0b2c-0000-4000-8000-000000000001"}}"#
        } else {
            r#"{"RequestId":"6A1F0B2C-0000-4000-8000-000000000002","InstanceIds":{"InstanceId":["i-1"]},"Code":0}"#
        };
        let mut e = json!({
            "startedDateTime": "2026-11-22T18:54:57.123+00:00",
            "time": 12.5,
            "request": request,
            "response": {
                "status": 200, "statusText": "", "httpVersion": "http/2.0",
                "headers": [{"name": "content-type", "value": "application/json"}],
                "cookies": [],
                "content": {"size": answer.len(), "mimeType": "application/json", "text": answer},
                "redirectURL": "", "headersSize": -1, "bodySize": -1, "_transferSize": 300
            },
            "cache": {},
            "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1, "wait": 12, "receive": 0.4},
        });
        if chrome {
            e["_initiator"] = json!({"type": "other"});
            e["_priority"] = json!("High");
            e["_resourceType"] = json!("fetch");
            e["pageref"] = json!("page_1");
            e["serverIPAddress"] = json!("127.0.0.1");
            e["connection"] = json!("443");
        } else {
            e["comment"] = json!("");
        }
        entries.push(e);
    }
    entries.push(json!({
        "startedDateTime": "2026-11-22T18:54:58.000+00:00", "time": 1,
        "request": {"method": "GET", "url": "https://127.0.0.1:42191/favicon.ico", "httpVersion": "HTTP/1.1",
                    "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 404, "statusText": "Not Found", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                     "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    }));
    json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                   "pages": [{"startedDateTime": "2026-11-22T18:54:57.000+00:00", "id": "page_1",
                              "title": "sdk", "pageTimings": {}}],
                   "entries": entries}})
}

#[test]
fn hars_written_by_other_tools_import() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("browser.har");
    std::fs::write(&har, serde_json::to_string_pretty(&foreign_har()).unwrap()).unwrap();
    assert_eq!(
        har_validator(&[&har]).trim(),
        "valid",
        "the fixture is a real HAR"
    );
    let cassette = dir.path().join("c.json");
    let out = docpact()
        .args(["cassette", "import"])
        .arg(&har)
        .arg("--cassette")
        .arg(&cassette)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("imported 3 of 4 entries"), "{stdout}");
    assert!(
        stderr.contains("entry 3 (https://127.0.0.1:42191/favicon.ico)"),
        "{stderr}"
    );
    let c = docpact::cassette::load(&cassette)
        .unwrap()
        .unwrap()
        .cassette;
    let ops: Vec<&str> = c
        .interactions
        .iter()
        .map(|i| i.operation.as_str())
        .collect();
    assert_eq!(ops, [ENS, TCR, ENS]);
    assert_eq!(
        c.interactions[1].request.body.as_ref().unwrap()["RegistryType"],
        "standard"
    );
    let text = std::fs::read_to_string(&cassette).unwrap();
    for gone in ["testAccessKeyId", "Signature", "AKIDtest", "yourPassword"] {
        assert!(!text.contains(gone), "{gone} stored: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_modes_keep_what_is_recorded_or_start_over() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = dir.path().join("c.json");
    let up = upstream().await;
    let tcr = |name: &str| {
        let mut p = example_params(TCR);
        p["RegistryName"] = json!(name);
        case(name, "tc3", TCR, p)
    };
    let names = |path: &Path| -> Vec<String> {
        docpact::cassette::load(path)
            .unwrap()
            .unwrap()
            .cassette
            .interactions
            .iter()
            .map(|i| {
                i.request.body.as_ref().unwrap()["RegistryName"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    for (mode, send, want, said) in [
        (
            "new",
            vec!["tcr-m-1"],
            vec!["tcr-m-1"],
            "1 interactions into",
        ),
        (
            "new",
            vec!["tcr-m-1", "tcr-m-2"],
            vec!["tcr-m-1", "tcr-m-2"],
            "1 already there",
        ),
        (
            "append",
            vec!["tcr-m-2"],
            vec!["tcr-m-1", "tcr-m-2", "tcr-m-2"],
            "3 in all",
        ),
        ("overwrite", vec!["tcr-m-3"], vec!["tcr-m-3"], "1 in all"),
    ] {
        let (proxy, addr) = record(&cassette, &up.endpoint(), &["--mode", mode]);
        let cases: Vec<Value> = send.iter().map(|n| tcr(n)).collect();
        let _ = tokio::task::spawn_blocking(move || reference(&addr, &cases))
            .await
            .unwrap();
        let (ok, stderr) = stop(proxy);
        assert!(ok, "{stderr}");
        assert!(stderr.contains(said), "{mode}: {stderr}");
        assert_eq!(names(&cassette), want, "{mode}");
    }
    up.shutdown().await;
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_har_that_mitmproxy_wrote_imports_and_replays() {
    let out = std::process::Command::new(root().join("tests/tools/setup-mitmproxy.sh"))
        .output()
        .expect("tests/tools/setup-mitmproxy.sh runs");
    assert!(
        out.status.success(),
        "installing mitmproxy failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mitmdump = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("mitm.har");
    let service = Replay::builder().seed(3).start().await.unwrap();
    // mitmdump as a reverse proxy in front of the service, the Host header kept (it is signed).
    let port = free_port();
    let mut proxy = std::process::Command::new(&mitmdump)
        .args(["--mode", &format!("reverse:http://{}", service.endpoint())])
        .args([
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            &port.to_string(),
        ])
        .args(["--set", "keep_host_header=true", "--set"])
        .arg(format!("hardump={}", har.display()))
        .args(["-q"])
        .env("HOME", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mitmdump starts");
    let endpoint = format!("127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(&endpoint).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "mitmdump did not listen"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut tcr = example_params(TCR);
    tcr["RegistryName"] = json!("tcr-mitm");
    let cases = vec![
        case("tea", "tea", ENS, example_params(ENS)),
        case("core", "core", BSS, example_params(BSS)),
        case("tc3", "tc3", TCR, tcr),
    ];
    let through = drive(&endpoint, &[], &cases).await;
    assert!(through.iter().all(|r| r["ok"] == true), "{through:?}");
    // mitmdump writes the HAR when it stops.
    std::process::Command::new("kill")
        .args(["-INT", &proxy.id().to_string()])
        .status()
        .unwrap();
    let status = proxy.wait().unwrap();
    assert!(har.exists(), "mitmdump wrote no HAR ({status})");
    service.shutdown().await;
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(
        text.contains("\"name\": \"mitmproxy\""),
        "written by mitmproxy"
    );

    let cassette = dir.path().join("c.json");
    let (code, out, err) = run(&[
        "cassette",
        "import",
        &har.display().to_string(),
        "--cassette",
        &cassette.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported 3 of 3 entries"), "{out}{err}");
    let replay = Replay::builder()
        .cassettes(&cassette)
        .strict()
        .start()
        .await
        .unwrap();
    let again = drive(&replay.endpoint(), &[], &cases).await;
    assert_eq!(again, through, "the SDKs parse what mitmproxy saw");
}
