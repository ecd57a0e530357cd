//! `docpact contracts openapi` read by a real consumer: Schemathesis (from PyPI) runs every
//! exported document against `docpact serve --no-auth`, bounded in examples and time, and
//! finds no server error, no undocumented status or content type, and no answer that breaks
//! the exported schema (every answer in the provider's envelope).

use crate::support::{Served, run};

#[test]
fn schemathesis_finds_the_served_api_true_to_the_exported_openapi() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("openapi");
    let (code, listed, err) = run(&["contracts", "openapi", "--out", &out.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let docs: Vec<&str> = listed.lines().collect();
    assert_eq!(docs.len(), 5, "{listed}");
    let (code, one, _) = run(&["contracts", "openapi", "tcr/2019-09-24/CreateInstance"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&one).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");

    let server = Served::start(&["--no-auth"]);
    let url = format!("http://{}", server.1);

    let python = crate::sdk_capture::python_with_sdks();
    let st = std::path::Path::new(&python).with_file_name("schemathesis");
    let mut failures = Vec::new();
    for doc in &docs {
        let out = std::process::Command::new("timeout")
            .arg("120")
            .arg(&st)
            .args(["run", doc, "--url", &url])
            .args([
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--max-examples",
                "40",
                "--workers",
                "1",
            ])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("schemathesis runs");
        if !out.status.success() {
            failures.push(format!("{doc}:\n{}", String::from_utf8_lossy(&out.stdout)));
        }
    }
    drop(server);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
