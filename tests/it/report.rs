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
