//! `docpact check` through the binary: the reference driver passes every case, and the gate
//! bites, with a precise message, on every way a client or its driver can go wrong.

use serde_json::Value;

use crate::support::{Served, docpact, root};

const TCR: &str = "tencent/tcr/2019-09-24/CreateInstance";
const ENS: &str = "alibaba/ens/2017-11-10/CreateInstance";

fn bin() -> String {
    env!("CARGO_BIN_EXE_docpact").to_string()
}

/// The reference driver's command line.
fn reference() -> String {
    format!("{} driver", shlex::try_quote(&bin()).expect("path"))
}

/// The reference driver behind `tests/fixtures/drivers/tamper.py` with `flaws`.
fn tampered(flaws: &str) -> String {
    let script = root().join("tests/fixtures/drivers/tamper.py");
    format!(
        "python3 {} {flaws} -- {}",
        shlex::try_quote(&script.display().to_string()).expect("path"),
        reference()
    )
}

/// Runs `docpact check` with `args`; returns (exit code, stdout, stderr).
fn check(args: &[&str]) -> (i32, String, String) {
    let out = docpact()
        .arg("check")
        .arg("--client-timeout")
        .arg("300")
        .args(args)
        .output()
        .expect("docpact runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a check writing its results to a file, and returns (exit code, results, stdout).
fn check_results(args: &[&str]) -> (i32, Value, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("results.json");
    let mut all = args.to_vec();
    let file_arg = file.display().to_string();
    all.extend(["--results", &file_arg]);
    let (code, out, err) = check(&all);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("no results file ({e}); stdout:\n{out}\nstderr:\n{err}"));
    (
        code,
        serde_json::from_str(&text).expect("results are JSON"),
        out,
    )
}

fn item<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("no item {id} in {results:#}"))
}

#[test]
fn the_reference_driver_passes_every_case_of_every_contract() {
    let (code, results, out) = check_results(&["--driver", &reference(), "--jobs", "2"]);
    assert_eq!(code, 0, "{out}");
    let counts = &results["summary"]["counts"];
    assert!(counts["pass"].as_u64().unwrap_or(0) > 200, "{counts}");
    assert!(counts.get("fail").is_none(), "{out}");
    // Every kind of case ran, for every operation.
    let ids: Vec<&str> = results["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    for kind in [
        "sample",
        "example",
        "missing:",
        "invalid:",
        "rule:",
        "error:",
        "idempotent",
        "auth:",
        "fault:",
    ] {
        assert!(
            ids.iter().any(|id| id.contains(&format!("/{kind}"))),
            "no {kind} case"
        );
    }
    for op in [
        TCR,
        ENS,
        "alibaba/searchengine/2021-10-25/CreateInstance",
        "alibaba/bssopenapi/2017-12-14/CreateInstance#acr",
    ] {
        assert!(ids.iter().any(|id| id.starts_with(op)), "no case of {op}");
    }
    assert_eq!(
        results["drivers"][0]["about"]
            .as_str()
            .map(|a| a.starts_with("docpact reference driver")),
        Some(true)
    );
    let fault = item(&results, &format!("{TCR}/fault:timeout"));
    assert_eq!(fault["case"]["requests"], 1, "{fault}");
}

#[test]
fn every_client_of_the_reference_driver_passes_its_operations() {
    for (client, ops) in [
        ("rpc-get", "alibaba/ens/*"),
        ("rpc-post", "alibaba/bssopenapi/*"),
        ("roa", "alibaba/searchengine/*"),
        ("tc-hmacsha256", "tencent/*"),
        ("tc-hmacsha1", "tencent/*"),
    ] {
        let (code, out, err) = check(&[
            "--driver",
            &reference(),
            "--client",
            client,
            "--operations",
            ops,
            "--cases",
            "*/example",
            "--cases",
            "*/error:*",
            "--cases",
            "*/auth:*",
            "--cases",
            "*/invalid:*",
        ]);
        assert_eq!(code, 0, "{client}:\n{out}\n{err}");
    }
}

#[test]
fn a_dropped_required_parameter_fails_with_the_servers_refusal() {
    let (code, results, _) = check_results(&[
        "--driver",
        &tampered("drop:RegistryName"),
        "--cases",
        &format!("{TCR}/example"),
    ]);
    assert_eq!(code, 1);
    let it = item(&results, &format!("{TCR}/example"));
    assert_eq!(
        it["message"],
        "the request breaks the contract: RegistryName is required"
    );
    let notes = it["notes"].to_string();
    assert!(
        notes.contains("the server refused the request with MissingParameter"),
        "{notes}"
    );
}

#[test]
fn a_wrong_key_fails_because_the_signature_does_not_verify() {
    let (code, results, _) = check_results(&[
        "--driver",
        &tampered("wrong-secret"),
        "--cases",
        &format!("{TCR}/example"),
    ]);
    assert_eq!(code, 1);
    let it = item(&results, &format!("{TCR}/example"));
    let all = format!("{} {}", it["message"], it["notes"]);
    assert!(
        all.contains("the server refused the request with AuthFailure.SignatureFailure"),
        "{all}"
    );
    assert!(all.contains("signature does not verify"), "{all}");
    assert!(
        it["case"]["wire"][0]["headers"]["authorization"]
            .as_str()
            .is_some_and(|a| a.contains("does not verify")),
        "{it}"
    );
}

#[test]
fn a_misparsed_field_and_a_number_turned_string_show_as_path_diffs() {
    let (code, results, _) = check_results(&[
        "--driver",
        &tampered("set-parsed:RegistryId=tcr-other"),
        "--cases",
        &format!("{TCR}/sample"),
    ]);
    assert_eq!(code, 1);
    let it = item(&results, &format!("{TCR}/sample"));
    assert!(
        it["message"]
            .as_str()
            .unwrap()
            .contains("the parsed result differs"),
        "{it}"
    );
    let diff = it["diff"].as_str().unwrap();
    assert!(diff.starts_with("RegistryId: served \"tcr-"), "{diff}");
    assert!(diff.contains("parsed \"tcr-other\""), "{diff}");

    let (code, results, _) = check_results(&[
        "--driver",
        &tampered("stringify:Code"),
        "--cases",
        &format!("{ENS}/example"),
    ]);
    assert_eq!(code, 1);
    let diff = item(&results, &format!("{ENS}/example"))["diff"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(diff, "Code: served 0 (number), parsed \"0\" (string)");
}

#[test]
fn a_hanging_driver_is_killed_and_the_run_goes_on() {
    let (code, results, _) = check_results(&[
        "--driver",
        &tampered(&format!("hang:{TCR}/sample")),
        "--case-timeout",
        "2",
        "--cases",
        &format!("{TCR}/sample"),
        "--cases",
        &format!("{TCR}/example"),
    ]);
    assert_eq!(code, 1);
    let hung = item(&results, &format!("{TCR}/sample"));
    assert_eq!(
        hung["message"],
        "the driver hung: no answer within 2 s (--case-timeout); it was killed"
    );
    assert_eq!(
        item(&results, &format!("{TCR}/example"))["status"],
        "pass",
        "a fresh driver takes the next case"
    );
}

#[test]
fn garbage_exits_crashes_and_double_answers_are_named() {
    let sample = format!("{TCR}/sample");
    let example = format!("{TCR}/example");
    for (flaw, want) in [
        ("garbage", "the driver printed a line that is not JSON"),
        ("exit", "the driver exited with status 3 before answering"),
        (
            "crash",
            "the driver was killed by signal 11 (SIGSEGV: it crashed) before answering",
        ),
        ("twice", "the driver answered twice"),
        (
            "flood",
            "the driver printed a line that is not JSON (a line longer than 16777216 bytes)",
        ),
    ] {
        let (code, results, _) = check_results(&[
            "--driver",
            &tampered(&format!("{flaw}:{sample}")),
            "--cases",
            &sample,
            "--cases",
            &example,
        ]);
        assert_eq!(code, 1, "{flaw}");
        let it = item(&results, &sample);
        assert!(
            it["message"].as_str().unwrap().starts_with(want),
            "{flaw}: {it}"
        );
        assert_eq!(
            item(&results, &example)["status"],
            "pass",
            "{flaw}: the run goes on"
        );
        if flaw == "crash" || flaw == "exit" {
            let notes = it["notes"].to_string();
            assert!(
                notes.contains("driver stderr"),
                "{flaw}: the tail of stderr: {notes}"
            );
        }
    }
}

#[test]
fn a_oneshot_driver_runs_once_per_call_and_an_empty_one_prints_nothing() {
    let script = root().join("tests/fixtures/drivers/tamper.py");
    let driver = format!(
        "python3 {} --oneshot env-only -- {}",
        script.display(),
        reference()
    );
    let (code, results, out) = check_results(&[
        "--driver",
        &driver,
        "--mode",
        "oneshot",
        "--cases",
        &format!("{TCR}/example"),
        "--cases",
        &format!("{TCR}/auth:*"),
    ]);
    assert_eq!(
        code, 0,
        "the keys of auth cases reach a driver that reads only its environment:\n{out}"
    );
    assert_eq!(results["drivers"][0]["mode"], "oneshot");
    let (code, results, _) = check_results(&[
        "--driver",
        "true",
        "--mode",
        "oneshot",
        "--cases",
        &format!("{TCR}/example"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        item(&results, &format!("{TCR}/example"))["message"],
        "the driver printed nothing"
    );
}

#[test]
fn a_driver_that_cannot_start_is_a_setup_error() {
    let (code, _, err) = check(&[
        "--driver",
        "/nonexistent/driver --x",
        "--cases",
        &format!("{TCR}/example"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error: cannot run the check"), "{err}");
    assert!(
        err.contains("cannot start the driver `/nonexistent/driver`"),
        "{err}"
    );
    let (code, _, err) = check(&["--driver", "x 'unbalanced"]);
    assert_eq!(code, 2);
    assert!(err.contains("unbalanced quote"), "{err}");
}

#[test]
fn a_run_of_some_operations_does_not_call_other_operations_known_failures_stale() {
    let dir = tempfile::tempdir().expect("tmp");
    let known = dir.path().join("known.txt");
    std::fs::write(
        &known,
        "alibaba/ens/2017-11-10/CreateInstance/sample   fails in another operation\n",
    )
    .expect("write");
    let (code, results, out) = check_results(&[
        "--driver",
        &reference(),
        "--operations",
        TCR,
        "--known-failures",
        &known.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}");
    let stale: Vec<&Value> = results["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| {
            i["message"]
                .as_str()
                .unwrap_or_default()
                .contains("lists no case")
        })
        .collect();
    assert!(stale.is_empty(), "not a whole run: {stale:?}");
}

#[test]
fn known_failures_are_judged_case_by_case() {
    let dir = tempfile::tempdir().expect("tmp");
    let known = dir.path().join("known.txt");
    std::fs::write(
        &known,
        format!(
            "# planted\n{TCR}/sample   the parse is known to be wrong\n{TCR}/auth:*   stale entry\n"
        ),
    )
    .expect("write");
    let (code, results, out) = check_results(&[
        "--driver",
        &tampered("set-parsed:RegistryId=1"),
        "--known-failures",
        &known.display().to_string(),
        "--cases",
        &format!("{TCR}/sample"),
        "--cases",
        &format!("{TCR}/auth:unknown-key"),
    ]);
    assert_eq!(code, 1, "the stale entry fails the gate:\n{out}");
    let sample = item(&results, &format!("{TCR}/sample"));
    assert_eq!(sample["status"], "known_failure");
    assert_eq!(sample["reason"], "the parse is known to be wrong");
    let example = item(&results, &format!("{TCR}/auth:unknown-key"));
    assert_eq!(example["status"], "unexpected_pass");
    assert!(
        example["message"]
            .as_str()
            .unwrap()
            .contains("known.txt:3: stale entry"),
        "{example}"
    );
    std::fs::write(&known, format!("{TCR}/sample\n")).expect("write");
    let (code, _, err) = check(&[
        "--driver",
        &reference(),
        "--known-failures",
        &known.display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("known.txt:1:") && err.contains("has no reason"),
        "{err}"
    );
}

#[test]
fn partitions_cover_the_list_exactly_once() {
    let (code, all, _) = check(&["--list"]);
    assert_eq!(code, 0);
    let all: Vec<&str> = all.lines().collect();
    let mut joined = Vec::new();
    for k in 1..=4 {
        let (code, part, _) = check(&["--list", "--partition", &format!("{k}/4")]);
        assert_eq!(code, 0);
        joined.extend(part.lines().map(str::to_string));
    }
    joined.sort();
    let mut sorted: Vec<String> = all.iter().map(|s| s.to_string()).collect();
    sorted.sort();
    assert_eq!(joined, sorted);
    let (code, _, err) = check(&["--list", "--partition", "0/4"]);
    assert_eq!(code, 2);
    assert!(err.contains("1 <= K <= N"), "{err}");
}

#[test]
fn snapshots_are_written_on_accept_compared_after_and_a_renamed_parameter_is_a_named_diff() {
    let dir = tempfile::tempdir().expect("tmp");
    let snaps = dir.path().join("snaps");
    let s = snaps.display().to_string();
    let cases = ["--cases", &format!("{TCR}/example")];
    let base = ["--name", "sdk", "--snapshots", &s];
    // No snapshot yet: the case fails and leaves one for review.
    let (code, out, _) = check(&[&["--driver", &reference()][..], &base, &cases].concat());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no reviewed snapshot"), "{out}");
    let snap = snaps.join("sdk/tencent/tcr/2019-09-24/CreateInstance/example.snap");
    assert!(
        snaps
            .join("sdk/tencent/tcr/2019-09-24/CreateInstance/example.snap.new")
            .exists()
    );
    let (code, _, _) =
        check(&[&["--driver", &reference(), "--accept"][..], &base, &cases].concat());
    assert_eq!(code, 0);
    assert!(snap.exists());
    assert!(
        !snaps
            .join("sdk/tencent/tcr/2019-09-24/CreateInstance/example.snap.new")
            .exists()
    );
    let (code, out, _) = check(&[&["--driver", &reference()][..], &base, &cases].concat());
    assert_eq!(code, 0, "the same behaviour matches its snapshot:\n{out}");
    // An SDK upgrade renames a parameter.
    let (code, results, _) = check_results(
        &[
            &["--driver", &tampered("rename:RegistryName=RegistryNam")][..],
            &base,
            &cases,
        ]
        .concat(),
    );
    assert_eq!(code, 1);
    let it = item(&results, &format!("{TCR}/example"));
    let diff = it["diff"].as_str().unwrap();
    // What the client put on the wire changed; what the case asked for did not.
    assert!(
        diff.contains(
            "\n-            \"RegistryName\": \"tcr-test\",\n+            \"RegistryNam\": \"tcr-test\",\n"
        ),
        "{diff}"
    );
    // A snapshot that no case produces is reported when every case runs.
    let stray = snaps.join("sdk/tencent/tcr/2019-09-24/CreateInstance/retired.snap");
    std::fs::copy(&snap, &stray).expect("copy");
    let (_, results, _) = check_results(&[
        "--driver",
        &reference(),
        "--name",
        "sdk",
        "--snapshots",
        &s,
        "--accept",
    ]);
    let warning = item(&results, &stray.display().to_string());
    assert_eq!(warning["status"], "warning");
}

/// The project's Python, with the tests' readers of docpact's files (tests/tools).
fn tools_python() -> String {
    crate::sdk_capture::python_with_sdks()
}

#[test]
fn the_junit_file_and_the_results_are_read_by_real_consumers() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = |n: &str| dir.path().join(n).display().to_string();
    let known = dir.path().join("known.txt");
    std::fs::write(
        &known,
        format!("{TCR}/example   planted: the parse is wrong\n"),
    )
    .expect("write");
    let (code, out, _) = check(&[
        "--driver",
        &tampered("set-parsed:RegistryId=planted"),
        "--cases",
        &format!("{TCR}/*"),
        "--known-failures",
        &known.display().to_string(),
        "--junit",
        &file("junit.xml"),
        "--results",
        &file("results.json"),
        "--summary",
        &file("summary.md"),
    ]);
    assert_eq!(code, 1, "the sample's parse fails:\n{out}");
    // junitparser reads the JUnit file.
    let parsed = std::process::Command::new(tools_python())
        .arg(root().join("tests/tools/consume.py"))
        .args(["junit", &file("junit.xml")])
        .output()
        .expect("junitparser runs");
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let junit: Value = serde_json::from_slice(&parsed.stdout).expect("json");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(file("results.json")).unwrap()).unwrap();
    let items = results["items"].as_array().unwrap().len() as u64;
    assert_eq!(junit["tests"], items, "{junit}");
    assert_eq!(junit["failures"], 1, "{junit}");
    assert_eq!(junit["skipped"], 1, "the known failure is skipped: {junit}");
    let cases = junit["suites"][0]["cases"].as_array().unwrap();
    let sample = cases
        .iter()
        .find(|c| c["name"] == format!("{TCR}/sample"))
        .expect("the sample case");
    assert_eq!(sample["results"][0]["kind"], "Failure");
    assert!(
        sample["results"][0]["text"]
            .as_str()
            .unwrap()
            .contains("RegistryId: served"),
        "{sample}"
    );
    // jsonschema validates the results against the committed schema, and so do lint's.
    let schema = root()
        .join("src/report/results.schema.json")
        .display()
        .to_string();
    let lint = file("lint.json");
    let page = root().join("contracts/sources/004_f346dc7d6c0a1ab7.txt");
    let _ = crate::support::run(&[
        "lint",
        &page.display().to_string(),
        "--report",
        &format!("json={lint}"),
    ]);
    for f in [file("results.json"), lint] {
        let v = std::process::Command::new(tools_python())
            .arg(root().join("tests/tools/consume.py"))
            .args(["schema", &schema, &f])
            .output()
            .expect("jsonschema runs");
        assert_eq!(String::from_utf8_lossy(&v.stdout).trim(), "valid", "{f}");
    }
    let md = std::fs::read_to_string(file("summary.md")).unwrap();
    assert!(md.starts_with("### docpact check: failed"), "{md}");
    assert!(md.contains("| known failure | 1 |"), "{md}");
}

#[test]
fn docpact_writes_snapshot_files_byte_for_byte_as_insta_does() {
    // insta keeps this snapshot itself (tests/it/snapshots); docpact's writer must produce the
    // same bytes from the same metadata, so cargo insta reads docpact's snapshots as its own.
    let content = "{\n  \"case\": \"a/b/sample\",\n  \"calls\": []\n}\n\n  \n";
    let id = "tencent/tcr/2019-09-24/CreateInstance/missing:RegistryName";
    insta::with_settings!({description => "driver: reference"}, {
        insta::assert_snapshot!("docpact_snapshot_format", content, id);
    });
    let theirs = std::fs::read_to_string(
        root().join("tests/it/snapshots/it__check__docpact_snapshot_format.snap"),
    )
    .expect("insta wrote the snapshot");
    let ours = docpact::check::snapshot::write_snap(
        "tests/it/check.rs",
        Some("driver: reference"),
        Some(id),
        content,
    );
    assert_eq!(ours, theirs);
    assert_eq!(
        docpact::check::snapshot::read_content(&theirs).as_deref(),
        Some("{\n  \"case\": \"a/b/sample\",\n  \"calls\": []\n}\n")
    );
}

#[test]
fn a_running_server_started_with_capture_serves_the_checker() {
    let server = Served::start(&["--capture", "100"]);
    let (code, out, err) = check(&[
        "--driver",
        &reference(),
        "--endpoint",
        &server.1,
        "--cases",
        &format!("{TCR}/example"),
        "--cases",
        &format!("{TCR}/error:*"),
        "--cases",
        &format!("{ENS}/fault:*"),
        "--cases",
        "alibaba/bssopenapi/2017-12-14/CreateInstance/idempotent",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    // Without --capture the server keeps no exchanges, and the checker says so.
    let plain = Served::start(&[]);
    let (code, _, err) = check(&[
        "--driver",
        &reference(),
        "--endpoint",
        &plain.1,
        "--cases",
        &format!("{TCR}/example"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("docpact serve --capture N"), "{err}");
}

#[test]
fn over_tls_the_driver_trusts_the_generated_certificate() {
    let (code, out, err) = check(&[
        "--driver",
        &reference(),
        "--tls",
        "--jobs",
        "2",
        "--cases",
        &format!("{TCR}/example"),
        "--cases",
        &format!("{ENS}/example"),
        "--cases",
        "alibaba/searchengine/2021-10-25/CreateInstance/example",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn only_a_call_that_breaks_the_contract_may_be_refused_by_the_client() {
    let (code, results, _) = check_results(&[
        "--driver",
        &tampered("refuse:*"),
        "--cases",
        &format!("{TCR}/missing:RegistryName"),
        "--cases",
        &format!("{TCR}/error:InternalError"),
        "--cases",
        &format!("{TCR}/auth:unknown-key"),
    ]);
    assert_eq!(code, 1);
    let missing = item(&results, &format!("{TCR}/missing:RegistryName"));
    assert_eq!(missing["status"], "refused", "{missing}");
    for id in ["error:InternalError", "auth:unknown-key"] {
        let it = item(&results, &format!("{TCR}/{id}"));
        assert_eq!(it["status"], "fail", "{it}");
        assert!(
            it["message"]
                .as_str()
                .unwrap()
                .starts_with("the client sent nothing for a valid call"),
            "{it}"
        );
    }
}

#[test]
fn a_killed_driver_takes_the_processes_it_started_with_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let pidfile = dir.path().join("child.pid");
    let (code, results, _) = check_results(&[
        "--driver",
        &tampered(&format!("orphan:{}", pidfile.display())),
        "--case-timeout",
        "2",
        "--cases",
        &format!("{TCR}/sample"),
    ]);
    assert_eq!(code, 1);
    assert!(
        item(&results, &format!("{TCR}/sample"))["message"]
            .as_str()
            .unwrap()
            .starts_with("the driver hung")
    );
    let pid = std::fs::read_to_string(&pidfile).expect("the driver started a child");
    // Gone, or at most a zombie waiting for init to reap it.
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    assert!(
        state.is_empty() || state.contains(") Z "),
        "the child outlived its driver: {state}"
    );
}

#[test]
fn a_server_that_drops_exchanges_or_a_driver_that_drives_nothing_stops_the_run() {
    let server = Served::start(&["--capture", "1"]);
    let (code, _, err) = check(&[
        "--driver",
        &reference(),
        "--endpoint",
        &server.1,
        "--cases",
        "alibaba/bssopenapi/2017-12-14/CreateInstance/idempotent",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("dropped 1 exchange(s)") && err.contains("larger --capture"),
        "{err}"
    );
    let (code, _, err) = check(&[
        "--driver",
        &tampered("declare:tencent/*"),
        "--cases",
        &format!("{ENS}/example"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the driver drives none of the 1 selected case(s) (it declared tencent/*)"),
        "{err}"
    );
}

#[test]
fn sensitive_values_stay_out_of_results_and_snapshots() {
    let dir = tempfile::tempdir().expect("tmp");
    let snaps = dir.path().join("snaps").display().to_string();
    let (code, results, _) = check_results(&[
        "--driver",
        &reference(),
        "--cases",
        &format!("{ENS}/example"),
        "--name",
        "reference",
        "--snapshots",
        &snaps,
        "--accept",
    ]);
    assert_eq!(code, 0);
    let text = results.to_string();
    // The page's example password and user data.
    assert!(!text.contains("yourPassword:1"), "{text}");
    assert!(!text.contains("Hello World"), "{text}");
    assert!(text.contains("[sensitive, as sent]"), "{text}");
    let snap = std::fs::read_to_string(
        dir.path()
            .join("snaps/reference/alibaba/ens/2017-11-10/CreateInstance/example.snap"),
    )
    .expect("snapshot");
    assert!(
        !snap.contains("yourPassword:1") && snap.contains("\"Password\": \"[sensitive]\""),
        "{snap}"
    );
}
