//! The results model through the binary: every command's results in every format, the
//! committed JSON Schema, and real consumers of the files.

use crate::support::{root, run};

#[test]
fn committed_results_schema_matches_the_model() {
    let committed = std::fs::read_to_string(root().join("src/report/results.schema.json"))
        .expect("schema file");
    assert!(
        committed == docpact::report::schema_json(),
        "regenerate with: cargo run -- schema results > src/report/results.schema.json"
    );
    let (code, out, _) = run(&["schema", "results"]);
    assert_eq!(code, 0);
    assert_eq!(out, committed);
}

#[test]
fn committed_driver_protocol_schema_matches_the_types() {
    let committed =
        std::fs::read_to_string(root().join("src/check/driver.schema.json")).expect("schema file");
    assert!(
        committed == docpact::check::protocol::schema_json(),
        "regenerate with: cargo run -- schema driver > src/check/driver.schema.json"
    );
}

#[test]
fn every_format_is_written_beside_standard_output() {
    let dir = tempfile::tempdir().expect("tmp");
    let page = root().join("contracts/sources/004_f346dc7d6c0a1ab7.txt");
    let file = |name: &str| dir.path().join(name).display().to_string();
    let (code, out, _) = run(&[
        "lint",
        &page.display().to_string(),
        "--report",
        &format!("json={}", file("r.json")),
        "--report",
        &format!("junit={}", file("sub/r.xml")),
        "--report",
        &format!("markdown={}", file("r.md")),
        "--report",
        &format!("text={}", file("r.txt")),
    ]);
    assert_eq!(code, 1, "the page has contradictions:\n{out}");
    let text = std::fs::read_to_string(file("r.txt")).expect("text report");
    assert_eq!(text, out, "the text file is standard output without colour");
    let json = std::fs::read_to_string(file("r.json")).expect("json report");
    let results = docpact::report::Results::parse("r.json", &json).expect("results parse");
    assert_eq!(results.command, "lint");
    assert_eq!(results.summary.exit_code, 1);
    let xml = std::fs::read_to_string(file("sub/r.xml")).expect("junit report");
    assert!(
        xml.contains("<testsuites name=\"docpact lint\" tests=\"6\""),
        "{xml}"
    );
    let md = std::fs::read_to_string(file("r.md")).expect("markdown report");
    assert!(md.starts_with("### docpact lint: failed"), "{md}");
}

#[test]
fn a_bad_report_flag_is_a_usage_error() {
    let page = root().join("contracts/sources/004_f346dc7d6c0a1ab7.txt");
    let (code, _, err) = run(&["lint", &page.display().to_string(), "--report", "yaml=x"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown report format \"yaml\""), "{err}");
}

fn bin() -> String {
    env!("CARGO_BIN_EXE_docpact").to_string()
}

/// `docpact check` with the reference driver (or a flawed one) writing its results to `file`.
fn check_into(file: &std::path::Path, extra: &[&str]) -> i32 {
    let mut cmd = crate::support::docpact();
    cmd.args(["check", "--name", "reference", "--client-timeout", "300"])
        .args(extra)
        .arg("--results")
        .arg(file);
    if !extra.contains(&"--driver") {
        cmd.args(["--driver", &format!("{} driver", bin())]);
    }
    cmd.output()
        .expect("check runs")
        .status
        .code()
        .unwrap_or(-1)
}

fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("file")).expect("json")
}

/// Results with what differs from run to run (times) taken out.
fn timeless(mut v: serde_json::Value) -> serde_json::Value {
    v["started_at"] = serde_json::Value::Null;
    v["duration_ms"] = 0.into();
    for item in v["items"].as_array_mut().expect("items") {
        item.as_object_mut().expect("item").remove("duration_ms");
    }
    v
}

/// The first `.snap` file under `dir`, depth first.
fn some_snapshot(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries.iter().find_map(|p| {
        if p.is_dir() {
            some_snapshot(p)
        } else {
            p.extension()
                .is_some_and(|e| e == "snap")
                .then(|| p.clone())
        }
    })
}

/// The warnings of results that only a whole run can give (stale known failures, stale
/// snapshots).
fn whole_run_warnings(v: &serde_json::Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["status"] == "warning")
        .map(|i| i["message"].as_str().unwrap_or_default().to_string())
        .filter(|m| m.contains("lists no case") || m.contains("no case produced"))
        .collect()
}

/// Snapshots of the cases `flags` select in a new folder under `dir`, and one more that no
/// case produces; the folder.
fn snapshots_with_a_stale_one(dir: &std::path::Path, flags: &[&str]) -> String {
    let snaps = dir.join("snaps").display().to_string();
    let mut accept = flags.to_vec();
    accept.extend(["--snapshots", &snaps, "--accept"]);
    assert_eq!(check_into(&dir.join("accepted.json"), &accept), 0);
    let one = some_snapshot(std::path::Path::new(&snaps)).expect("a snapshot was written");
    std::fs::copy(&one, one.with_file_name("a-removed-case.snap")).expect("copy");
    snaps
}

/// Runs partitions `1/n` to `n/n` with `flags`, each passing and without the warnings only a
/// whole run gives; their results files and contents.
fn check_partitions(
    dir: &std::path::Path,
    flags: &[&str],
    n: u32,
) -> Vec<(std::path::PathBuf, serde_json::Value)> {
    (1..=n)
        .map(|k| {
            let part = dir.join(format!("part{k}.json"));
            let partition = format!("{k}/{n}");
            let mut args = flags.to_vec();
            args.extend(["--partition", &partition]);
            assert_eq!(check_into(&part, &args), 0);
            let v = read_json(&part);
            assert!(
                whole_run_warnings(&v).is_empty(),
                "a partition is not the whole run"
            );
            (part, v)
        })
        .collect()
}

/// `docpact report merge FILES... EXTRA...`.
fn merge_files(files: &[std::path::PathBuf], extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<String> = vec!["report".into(), "merge".into()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

#[test]
fn merging_four_partitions_gives_the_unpartitioned_results() {
    let dir = tempfile::tempdir().expect("tmp");
    // Snapshots of every case, one more that no case produces, and a known failure that
    // lists no case: warnings that only the whole run, or all its partitions joined, can give.
    let snaps_arg = snapshots_with_a_stale_one(dir.path(), &[]);
    let known = dir.path().join("known-failures.txt");
    std::fs::write(
        &known,
        "tencent/tcr/2019-09-24/NoSuchOperation/* removed long ago\n",
    )
    .expect("write");
    let known_arg = known.display().to_string();
    let flags = ["--snapshots", &snaps_arg, "--known-failures", &known_arg];
    let whole = dir.path().join("whole.json");
    assert_eq!(check_into(&whole, &flags), 0);
    assert_eq!(whole_run_warnings(&read_json(&whole)).len(), 2);
    let mut parts = Vec::new();
    for (part, v) in check_partitions(dir.path(), &flags, 4) {
        assert_eq!(
            v["drivers"][0]["deferred"]["known_failures"],
            known_arg.as_str()
        );
        parts.push(part);
    }
    // Three partitions of four are not the whole run either.
    let (code, three, err) = merge_files(&parts[..3], &[]);
    assert_eq!(code, 0, "{err}");
    let three: serde_json::Value = serde_json::from_str(&three).expect("json");
    assert!(whole_run_warnings(&three).is_empty());
    assert!(three["drivers"][0].get("deferred").is_none());
    let merged = dir.path().join("merged.json");
    let (code, _, err) = merge_files(&parts, &["--out", &merged.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let canonical = dir.path().join("canonical.json");
    let (code, _, err) = run(&[
        "report",
        "merge",
        &whole.display().to_string(),
        "--out",
        &canonical.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (a, b) = (
        timeless(read_json(&merged)),
        timeless(read_json(&canonical)),
    );
    assert_eq!(
        a["items"].as_array().map(Vec::len),
        b["items"].as_array().map(Vec::len)
    );
    assert!(a == b, "the merged partitions differ from the whole run");
    // Overlapping partitions and other contracts are refused.
    let (code, _, err) = run(&[
        "report",
        "merge",
        &parts[0].display().to_string(),
        &parts[0].display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("are the partitions overlapping?"), "{err}");
    let mut other = read_json(&parts[1]);
    other["contracts"]["fingerprint"] = "0123456789abcdef".into();
    let other_file = dir.path().join("other.json");
    std::fs::write(&other_file, other.to_string()).expect("write");
    let (code, _, err) = run(&[
        "report",
        "merge",
        &parts[0].display().to_string(),
        &other_file.display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("were run against different contracts"),
        "{err}"
    );
}

#[test]
fn partitions_of_some_operations_joined_report_their_stale_snapshots() {
    let dir = tempfile::tempdir().expect("tmp");
    let op = ["--operations", "tencent/tcr/2019-09-24/CreateInstance"];
    let snaps_arg = snapshots_with_a_stale_one(dir.path(), &op);
    let flags = [op[0], op[1], "--snapshots", &snaps_arg];
    let whole = dir.path().join("whole.json");
    assert_eq!(check_into(&whole, &flags), 0);
    let whole = read_json(&whole);
    assert_eq!(
        whole_run_warnings(&whole).len(),
        1,
        "the removed case's snapshot"
    );
    let mut parts = Vec::new();
    for (part, v) in check_partitions(dir.path(), &flags, 2) {
        // Known failures need every operation; snapshots only every case of those that ran.
        assert!(v["drivers"][0]["deferred"].get("known_failures").is_none());
        parts.push(part);
    }
    let (code, merged, err) = merge_files(&parts, &[]);
    assert_eq!(code, 0, "{err}");
    let merged: serde_json::Value = serde_json::from_str(&merged).expect("json");
    assert_eq!(whole_run_warnings(&merged), whole_run_warnings(&whole));
}

#[test]
fn the_trend_names_a_new_failure_a_fix_and_a_flaky_case() {
    let dir = tempfile::tempdir().expect("tmp");
    let op = "tencent/tcr/2019-09-24/CreateInstance";
    let (a, b, c) = (
        format!("{op}/sample"),
        format!("{op}/example"),
        format!("{op}/auth:unknown-key"),
    );
    let tamper = root().join("tests/fixtures/drivers/tamper.py");
    let run_with = |name: &str, flaw: &str| {
        let file = dir.path().join(name);
        let driver = format!("python3 {} {flaw} -- {} driver", tamper.display(), bin());
        check_into(
            &file,
            &[
                "--driver", &driver, "--cases", &a, "--cases", &b, "--cases", &c,
            ],
        );
        file
    };
    // c passes, fails, passes: flaky. b fails until the baseline and passes now: fixed.
    // a fails only now: a new failure.
    let h1 = run_with("h1.json", &format!("garbage:{b}"));
    let h2 = run_with("h2.json", &format!("garbage:{b},garbage:{c}"));
    let base = run_with("base.json", &format!("garbage:{b}"));
    let now = run_with("now.json", &format!("garbage:{a}"));
    let md = dir.path().join("trend.md");
    let json = dir.path().join("trend.json");
    let (code, out, err) = run(&[
        "report",
        &now.display().to_string(),
        "--baseline",
        &base.display().to_string(),
        "--history",
        &h1.display().to_string(),
        &h2.display().to_string(),
        &base.display().to_string(),
        "--markdown",
        &md.display().to_string(),
        "--json",
        &json.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let trend = &read_json(&json)["trend"];
    assert_eq!(
        trend["new_failures"],
        serde_json::json!([format!("reference: {a}")]),
        "{trend}"
    );
    assert_eq!(
        trend["fixed"],
        serde_json::json!([format!("reference: {b}")]),
        "{trend}"
    );
    assert_eq!(
        trend["flaky"][0]["case"],
        format!("reference: {c}"),
        "{trend}"
    );
    assert_eq!(trend["flaky"].as_array().map(Vec::len), Some(1), "{trend}");
    // Shown first.
    let first = out.lines().next().unwrap_or_default();
    assert!(first.contains("NEW FAIL") && first.contains(&a), "{out}");
    let md = std::fs::read_to_string(&md).expect("markdown");
    let trend_at = md
        .find("#### Since the last runs")
        .expect("a trend section");
    assert!(
        trend_at < md.find("| status | count |").expect("counts"),
        "{md}"
    );
}

#[test]
fn coverage_thresholds_fail_the_report_and_bad_files_are_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let results = dir.path().join("r.json");
    assert_eq!(check_into(&results, &["--cases", "tencent/*/sample"]), 0);
    let r = results.display().to_string();
    let (code, out, _) = run(&["report", &r, "--min-coverage", "params=50"]);
    assert_eq!(code, 1, "one sample sends few parameters:\n{out}");
    assert!(out.contains("coverage: params coverage is"), "{out}");
    let (code, out, _) = run(&["report", &r, "--min-coverage", "reference:fields=100"]);
    assert_eq!(code, 0, "the sample parses every field:\n{out}");
    let (code, _, err) = run(&["report", &r, "--min-coverage", "speed=10"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown coverage kind"), "{err}");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"format_version\": 1,\n  \"items\": 3\n}\n").expect("write");
    let (code, _, err) = run(&["report", &broken.display().to_string()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the results") && err.contains("broken.json:"),
        "{err}"
    );
}
