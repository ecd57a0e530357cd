//! Every in-tree driver (the reference driver, the official Python and Node SDKs, tccli over
//! TLS) through `docpact check` against its committed snapshots and known failures, as
//! `drivers/check-all.sh` runs them; then the conformance report of that real run, with one
//! planted failure and the five pages' derive results, read by the Nu HTML Checker and
//! rendered by headless Chromium. Installs the pinned SDKs, Chromium and vnu on first use.

use std::path::Path;
use std::process::Command;

use crate::support::{docpact, root};

fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what} runs: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Width and height of a PNG, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).expect("the screenshot");
    assert_eq!(&bytes[1..4], b"PNG", "not a PNG");
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (word(16), word(20))
}

fn chromium(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!(
        "--user-data-dir={}",
        dir.join("chromium").display()
    ))
    .args(args);
    c
}

#[test]
fn every_in_tree_driver_conforms_and_the_report_of_the_run_renders() {
    let dir = tempfile::tempdir().expect("tmp");
    let results = dir.path().join("results");
    std::fs::create_dir_all(&results).expect("mkdir");
    let out = Command::new(root().join("drivers/check-all.sh"))
        .env("DOCPACT", env!("CARGO_BIN_EXE_docpact"))
        .env("RESULTS_DIR", &results)
        .output()
        .expect("drivers/check-all.sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "a driver failed its check:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Thirteen drivers ran, and each judged its cases.
    assert_eq!(stdout.matches("\ncheck: ").count(), 13, "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.trim_start().starts_with("FAIL ")),
        "{stdout}"
    );

    // One planted failure: a client that misreads a field.
    let tamper = root().join("tests/fixtures/drivers/tamper.py");
    let planted = format!(
        "python3 {} set-parsed:RegistryId=tcr-misread -- {} driver",
        tamper.display(),
        env!("CARGO_BIN_EXE_docpact")
    );
    let out = docpact()
        .args([
            "check",
            "--name",
            "planted",
            "--operations",
            "tencent/*",
            "--cases",
        ])
        .arg("*/sample")
        .args(["--driver", &planted, "--results"])
        .arg(results.join("planted.json"))
        .output()
        .expect("check runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The five pages, derived and compared with their contracts.
    let mut derive = docpact();
    derive.args(["derive", "--check", "--format", "text", "--report"]);
    derive.arg(format!("json={}", results.join("derive.json").display()));
    for page in std::fs::read_dir(root().join("contracts/sources")).expect("pages") {
        let page = page.expect("entry").path();
        if page.extension().is_some_and(|e| e == "txt") {
            derive.arg(page);
        }
    }
    run_ok(&mut derive, "derive --check");

    // The report.
    let html = dir.path().join("report.html");
    let mut report = docpact();
    report.arg("report");
    for f in std::fs::read_dir(&results).expect("results") {
        report.arg(f.expect("entry").path());
    }
    report
        .arg("--html")
        .arg(&html)
        .arg("--badge")
        .arg(dir.path().join("badge.svg"));
    let text = run_ok(&mut report, "docpact report");
    assert!(text.contains("coverage: params"), "{text}");
    let page = std::fs::read_to_string(&html).expect("the report");
    assert!(
        page.len() < 1024 * 1024,
        "the report is {} bytes",
        page.len()
    );
    for driver in [
        "reference",
        "python-tea",
        "python-core",
        "node-popcore-roa",
        "tccli",
        "planted",
    ] {
        assert!(
            page.contains(&format!("<th><code>{driver}</code></th>")),
            "{driver} has no column"
        );
    }
    assert!(page.contains("<span class=\"verdict fail\">Failed</span>"));
    assert!(
        page.contains("003_75818ab7a25c795f.txt"),
        "the pages are listed"
    );

    // The Nu HTML Checker finds no error.
    let vnu = run_ok(
        &mut Command::new(root().join("tests/tools/setup-browser.sh")),
        "tests/tools/setup-browser.sh",
    );
    run_ok(
        Command::new("java")
            .args(["-jar", vnu.trim(), "--errors-only"])
            .arg(&html),
        "the Nu HTML Checker",
    );

    // Chromium opens the planted failure from its link, and the screenshot shows it below
    // the matrix.
    let target = "c/planted/tencent/tcr/2019-09-24/CreateInstance/sample";
    let url = format!("file://{}?outcome=fail#{target}", html.display());
    let top = format!("file://{}?outcome=fail&open={target}", html.display());
    let dom = run_ok(
        &mut chromium(dir.path(), &["--dump-dom", &url]),
        "chromium --dump-dom",
    );
    let row = dom
        .split(&format!("<tr id=\"{target}\""))
        .nth(1)
        .expect("the planted case's row");
    let row = &row[..row.find("</tr>").expect("end of row")];
    assert!(
        row.contains("<details open=\"\">"),
        "the failure is opened: {row}"
    );
    assert!(row.contains("RegistryId: served"), "{row}");
    let hidden_passes = dom.matches("data-bad=\"0\" hidden=\"\"").count();
    assert!(
        hidden_passes > 1000,
        "the outcome filter hid the passing cases ({hidden_passes})"
    );
    let shot = dir.path().join("report.png");
    run_ok(
        &mut chromium(
            dir.path(),
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1280,2200",
                &top,
            ],
        ),
        "chromium --screenshot",
    );
    assert_eq!(png_size(&shot), (1280, 2200));
    // DOCPACT_SCREENSHOT=src/report/report.png refreshes the README's picture.
    if let Some(keep) = std::env::var_os("DOCPACT_SCREENSHOT") {
        std::fs::copy(&shot, keep).expect("keep the screenshot");
    }
}
