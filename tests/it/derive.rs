//! `docpact derive` and `docpact lint` on pages: the five built-in ones, invented pages in
//! each layout family, and damaged input.

use std::path::PathBuf;

use docpact::contract::{Condition, FindingKind, Location, ParamType, Predicate, RuleKind};
use docpact::derive::{self, Derived, DiagnosticKind};

use crate::support::{copy_contracts, root, run};

fn sources() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("contracts/sources"))
        .expect("sources")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 5, "five pages under contracts/sources");
    pages
}

fn strs(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

fn invented(name: &str) -> Derived {
    let path = root().join("tests/fixtures/pages").join(name);
    let bytes = std::fs::read(&path).expect("page");
    derive::derive(name, &bytes, None).expect("derives")
}

// --- the five pages ------------------------------------------------------------------

#[test]
fn derive_check_finds_every_committed_contract_up_to_date() {
    let mut args = vec![
        "derive".to_string(),
        "--check".into(),
        "--format".into(),
        "text".into(),
    ];
    args.extend(strs(&sources()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&args);
    assert_eq!(
        code, 0,
        "derive --check must pass on the committed contracts:\n{out}\n{err}"
    );
    assert_eq!(out.matches(": unchanged (").count(), 5, "{out}");
}

#[test]
fn derive_check_prints_a_diff_and_fails_when_a_contract_drifts() {
    let dir = copy_contracts();
    let ens = dir
        .path()
        .join("alibaba/ens/2017-11-10/CreateInstance.json");
    let text = std::fs::read_to_string(&ens).expect("contract");
    std::fs::write(
        &ens,
        text.replace(
            "\"summary\": \"Creates an instance.\"",
            "\"summary\": \"Creates a widget.\"",
        ),
    )
    .expect("write");
    let page = dir.path().join("sources/003_75818ab7a25c795f.txt");
    let (code, out, _) = run(&[
        "derive",
        "--check",
        "--format",
        "text",
        &page.display().to_string(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(": drift"), "{out}");
    assert!(
        out.contains("-  \"summary\": \"Creates a widget.\","),
        "{out}"
    );
    assert!(
        out.contains("+  \"summary\": \"Creates an instance.\","),
        "{out}"
    );
}

#[test]
fn derive_out_rewrites_the_committed_contracts_byte_for_byte() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let mut args = vec![
        "derive".to_string(),
        "--out".into(),
        out_dir.path().display().to_string(),
    ];
    args.extend(strs(&sources()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report, err) = run(&args);
    assert_eq!(code, 0, "{report}{err}");
    let report: serde_json::Value = serde_json::from_str(&report).expect("json report");
    assert_eq!(report["command"], "derive");
    assert_eq!(report["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(report["summary"]["counts"]["pass"], 5);
    for c in docpact::contract::ContractSet::builtin()
        .expect("builtin")
        .iter()
    {
        let written = std::fs::read_to_string(out_dir.path().join(&c.path)).expect("written");
        assert_eq!(written, c.text, "{}", c.path);
    }
}

#[test]
fn each_layout_family_is_recognised_from_the_text_not_the_file_name() {
    let families: Vec<(String, String)> = sources()
        .iter()
        .map(|p| {
            // The page under a neutral name: derivation must not depend on it.
            let bytes = std::fs::read(p).expect("page");
            let d = derive::derive("page.txt", &bytes, None).expect("derives");
            (
                p.file_name().unwrap().to_string_lossy()[..3].to_string(),
                d.family,
            )
        })
        .collect();
    let expect = [
        ("000", "alibaba rpc; request table: run-together cells"),
        ("001", "tencent api 3.0; request table: spaced rows"),
        ("002", "alibaba rpc; request table: spaced rows"),
        ("003", "alibaba rpc; request table: one cell per line"),
        ("004", "alibaba roa; request table: run-together cells"),
    ];
    for ((n, family), (en, prefix)) in families.iter().zip(expect) {
        assert_eq!(n, en);
        assert!(family.starts_with(prefix), "{n}: {family}");
    }
}

#[test]
fn without_an_overlay_a_page_derives_a_draft_and_names_each_missing_fact() {
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("ens.txt");
    std::fs::copy(
        root().join("contracts/sources/003_75818ab7a25c795f.txt"),
        &page,
    )
    .expect("copy");
    let out = dir.path().join("out");
    let (code, report, err) = run(&[
        "derive",
        "--out",
        &out.display().to_string(),
        &page.display().to_string(),
    ]);
    assert_eq!(code, 3, "derived with findings:\n{report}{err}");
    assert!(
        err.contains("ens.txt:0: missing-fact: the page does not print the API version"),
        "{err}"
    );
    assert!(
        err.contains("missing-fact: the page does not print the endpoint host"),
        "{err}"
    );
    let draft = out.join("drafts/ens.json");
    let text = std::fs::read_to_string(&draft).expect("the draft is written");
    let c: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(c["draft"], true);
    assert_eq!(c["parameters"].as_array().map(Vec::len), Some(22));
    // A draft is not served.
    let (code, _, err) = run(&["contracts", "lint", &out.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("is a draft"), "{err}");
}

#[test]
fn the_overlay_says_which_facts_it_supplied() {
    let page = root().join("contracts/sources/003_75818ab7a25c795f.txt");
    let (code, out, _) = run(&[
        "derive",
        "--format",
        "text",
        "--check",
        &page.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("version 2017-11-10; endpoint ens.aliyuncs.com"),
        "{out}"
    );
    assert!(
        out.contains("parameter DataDisk.1.Size: named DataDisk.N.Size"),
        "{out}"
    );
}

#[test]
fn a_broken_overlay_is_a_clear_error_with_its_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("p.txt");
    std::fs::copy(
        root().join("contracts/sources/002_c3aeaaafad8ee7c3.txt"),
        &page,
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("p.overlay.json"),
        "{\n  \"version\": \"2017\",\n  \"colour\": 1\n}\n",
    )
    .expect("write");
    let (code, _, err) = run(&["derive", &page.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("p.overlay.json:2:"), "{err}");
    assert!(err.contains("version"), "{err}");
    std::fs::write(dir.path().join("p.overlay.json"), "{\"colour\": 1}").expect("write");
    let (code, _, err) = run(&["derive", &page.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn lint_prints_each_contradiction_with_its_line() {
    let page = root().join("contracts/sources/004_f346dc7d6c0a1ab7.txt");
    let (code, out, _) = run(&["lint", &page.display().to_string()]);
    assert_eq!(code, 1, "contradictions were found");
    for needle in [
        "004_f346dc7d6c0a1ab7.txt:19: path_mismatch: ",
        "path-mismatch:uri",
        "example-outside-valid-values:body.order.duration",
        "sample-id:result.instanceId",
        "undocumented-parameter:paymentInfo",
    ] {
        assert!(out.contains(needle), "{needle} missing from:\n{out}");
    }
    let (code, out, _) = run(&["lint", "--format", "json", &page.display().to_string()]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["summary"]["counts"]["finding"], 6, "{v}");
    assert_eq!(v["items"][0]["location"]["line"], 19, "{v}");
}

// --- invented pages, one per family -----------------------------------------------------

#[test]
fn invented_pages_snapshot() {
    insta::glob!("../fixtures", "pages/*.{txt,md,html}", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let d = invented(&name);
        insta::assert_json_snapshot!(serde_json::json!({
            "family": d.family,
            "diagnostics": d.diagnostics,
            "contract": d.contract,
        }));
    });
}

#[test]
fn invented_run_together_page() {
    let d = invented("alibaba_run_together.txt");
    let c = &d.contract;
    assert_eq!(c.action, "CreateWidgetGateway");
    assert_eq!(c.source.last_updated.as_deref(), Some("Feb 3, 2026"));
    let spec = c.parameter("Spec").expect("Spec").param;
    assert!(spec.required);
    assert_eq!(spec.example.as_deref(), Some("Small"));
    assert!(
        matches!(&spec.constraints[0].check, Predicate::Enum { values } if values.len() == 3 && values[2].value == "Large")
    );
    let name = c.parameter("GatewayName").expect("name").param;
    assert!(name.constraints.iter().any(|k| k.check
        == Predicate::Length {
            min: Some(2),
            max: Some(64)
        }));
    let bw = c.parameter("Bandwidth").expect("bw").param;
    assert_eq!(bw.ty, ParamType::Integer);
    assert_eq!(
        bw.constraints[0].error.as_deref(),
        Some("InvalidParameter.Bandwidth")
    );
    assert_eq!(c.rules[0].param, "Period");
    assert_eq!(
        c.rules[0].when,
        Condition::Equals {
            param: "InstanceChargeType".into(),
            value: "PrePaid".into()
        }
    );
    assert_eq!(
        c.limits.idempotency.as_ref().map(|i| i.param.as_str()),
        Some("ClientToken")
    );
    assert_eq!(
        c.errors.iter().map(|e| e.http_status).collect::<Vec<_>>(),
        vec![Some(400), Some(400), Some(403)]
    );
    // The planted contradiction: the sample's ID prefix differs from the table's.
    assert!(
        c.findings
            .iter()
            .any(|f| f.kind == FindingKind::SampleIdPrefixMismatch && f.subjects == ["GatewayId"])
    );
}

#[test]
fn invented_spaced_page() {
    let d = invented("alibaba_spaced.txt");
    let c = &d.contract;
    assert_eq!(c.action, "DescribeWidgetQuota");
    let key = c.parameter("Filter.3.Key").expect("repeated").param;
    assert_eq!(key.repeat.as_ref().and_then(|r| r.max), Some(5));
    assert!(c.parameter("Filter.6.Key").is_none());
    let size = c.parameter("PageSize").expect("PageSize").param;
    assert_eq!(size.default.as_deref(), Some("10"));
    let quota = c
        .response
        .fields
        .iter()
        .find(|f| f.name == "Quota")
        .expect("Quota");
    assert_eq!(
        quota
            .members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["Used", "Total"]
    );
    assert_eq!(c.errors[1].http_status, Some(429));
    assert_eq!(
        c.errors[1].description.as_deref(),
        Some("The error message returned when too many requests are sent.")
    );
    assert!(
        c.findings
            .iter()
            .any(|f| f.kind == FindingKind::SampleMissing)
    );
}

#[test]
fn invented_cell_per_line_page() {
    let d = invented("alibaba_cells.txt");
    let c = &d.contract;
    assert_eq!(
        c.parameters.len(),
        3,
        "the RAM table is not a parameter table"
    );
    let mode = c.parameter("StopMode").expect("StopMode").param;
    assert_eq!(mode.example.as_deref(), Some("StopCharging"));
    assert_eq!(
        c.parameter("ForceStop")
            .expect("f")
            .param
            .default
            .as_deref(),
        Some("false")
    );
    let results = c
        .response
        .fields
        .iter()
        .find(|f| f.name == "Results")
        .expect("Results");
    assert_eq!(
        (results.ty, results.item_type),
        (ParamType::Array, Some(ParamType::Object))
    );
    assert_eq!(results.members.len(), 2);
    assert!(
        c.response.fields.iter().any(|f| f.name == "TotalCount"),
        "placed at the top, as the sample shows"
    );
    let rate = c.limits.rate.as_ref().expect("rate");
    assert_eq!(rate.per_second, 50);
    assert!(c.limits.asynchronous.is_some());
    assert_eq!(c.errors.len(), 2);
}

#[test]
fn invented_roa_page() {
    let d = invented("alibaba_roa.txt");
    let c = &d.contract;
    assert_eq!(c.style, docpact::contract::WireStyle::AlibabaRoa);
    assert_eq!(
        (c.http.methods.as_slice(), c.http.path.as_str()),
        (
            &["PUT".to_string()][..],
            "/openapi/instances/{InstanceId}/snapshot-policy"
        )
    );
    let id = c.parameter("InstanceId").expect("InstanceId").param;
    assert_eq!(id.location, Location::Path);
    let body = c
        .parameters
        .iter()
        .find(|p| p.name == "body")
        .expect("body");
    let names: Vec<&str> = body.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["hours", "retentionDays", "enabled"]);
    assert_eq!(body.members[0].item_type, Some(ParamType::Integer));
    assert!(c.findings.is_empty(), "{:?}", c.findings);
}

#[test]
fn invented_tencent_page() {
    let d = invented("tencent_api3.txt");
    let c = &d.contract;
    assert_eq!(
        (c.service.as_str(), c.version.as_str()),
        ("cbs", "2017-03-12")
    );
    assert_eq!(c.endpoint.host, "cbs.intl.tencentcloudapi.com");
    assert_eq!(
        c.parameter("Region").expect("Region").param.location,
        Location::Common
    );
    let tags = c.parameter("Tags").expect("Tags").param;
    assert_eq!(
        (tags.ty, tags.type_name.as_deref()),
        (ParamType::Array, Some("Tag"))
    );
    assert_eq!(
        c.parameter("DiskId").expect("d").param.example.as_deref(),
        Some("disk-abc12345")
    );
    assert_eq!(c.limits.rate.as_ref().map(|r| r.per_second), Some(10));
    assert!(
        d.diagnostics
            .iter()
            .any(|x| x.kind == DiagnosticKind::MissingFact && x.message.contains("Tags (Tag)"))
    );
    assert!(c.draft);
}

#[test]
fn conditional_rules_come_from_prose() {
    let bytes =
        std::fs::read(root().join("contracts/sources/003_75818ab7a25c795f.txt")).expect("page");
    let c = derive::derive("p.txt", &bytes, None)
        .expect("derives")
        .contract;
    let absent = c
        .rules
        .iter()
        .find(|r| r.kind == RuleKind::AbsentIf)
        .expect("absent_if");
    assert_eq!(absent.param, "Password");
    assert_eq!(
        absent.error.as_deref(),
        Some("InvalidPasswordParam.Mismatch")
    );
    assert!(c.rules.iter().any(|r| r.param == "VSwitchId"
        && r.when
            == Condition::Present {
                param: "PrivateIpAddress".into()
            }));
}

// --- damaged input ----------------------------------------------------------------------

fn derive_text(text: &str) -> Result<Derived, derive::PageError> {
    derive::derive("damaged.txt", text.as_bytes(), None)
}

fn page_text(n: &str) -> String {
    let p = sources()
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(n))
        .expect("page");
    std::fs::read_to_string(p).expect("page")
}

fn drop_line(text: &str, line: usize) -> String {
    text.lines()
        .enumerate()
        .filter(|(i, _)| i + 1 != line)
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

fn has(d: &Derived, kind: DiagnosticKind, line: u32) -> bool {
    d.diagnostics
        .iter()
        .any(|x| x.kind == kind && x.line == line)
}

#[test]
fn a_row_cut_off_is_reported_with_its_line_in_each_family() {
    // Run-together (000): the row line of Parameter.3.Value cut mid-type.
    let t = page_text("000")
        .lines()
        .map(|l| {
            if l.starts_with("Parameter.3.ValueString") {
                "Parameter.3.ValueStri"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let d = derive_text(&t).expect("derives");
    assert!(has(&d, DiagnosticKind::Unplaced, 32), "{:?}", d.diagnostics);
    // Spaced (001): a row without its type.
    let t = page_text("001").replace("RegistryType Yes String Enterprise", "RegistryType Yes");
    let t = t
        .lines()
        .map(|l| {
            if l.starts_with("RegistryType Yes") {
                "RegistryType Yes"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let d = derive_text(&t).expect("derives");
    assert!(has(&d, DiagnosticKind::Unplaced, 92), "{:?}", d.diagnostics);
    // Spaced (002).
    let t = page_text("002").replace("Period Integer No The cycle", "Period");
    let t = t
        .lines()
        .map(|l| if l.starts_with("Period") { "Period" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let d = derive_text(&t).expect("derives");
    assert!(has(&d, DiagnosticKind::Unplaced, 26), "{:?}", d.diagnostics);
    // One cell per line (003): Period loses its type cell (line 113).
    let d = derive_text(&drop_line(&page_text("003"), 113)).expect("derives");
    assert!(
        d.diagnostics
            .iter()
            .any(|x| x.kind == DiagnosticKind::Unplaced && x.message.contains("Period")),
        "{:?}",
        d.diagnostics
    );
    // ROA (004): a member row cut to its name.
    let t = page_text("004").replace("durationlongNo", "duration");
    let d = derive_text(&t).expect("derives");
    assert!(
        d.contract.parameters[0]
            .members
            .iter()
            .all(|m| m.members.iter().all(|x| x.name != "duration"))
    );
}

#[test]
fn a_missing_table_header_is_reported_in_each_family() {
    for (n, header_line, heading_line) in [
        ("000", 17, 15),
        ("001", 87, 83),
        ("002", 19, 17),
        ("004", 35, 33),
    ] {
        let d = derive_text(&drop_line(&page_text(n), header_line)).expect("derives");
        assert!(
            has(&d, DiagnosticKind::Unreadable, heading_line),
            "{n}: {:?}",
            d.diagnostics
        );
        assert!(d.contract.parameters.is_empty() || n == "001");
    }
    // One cell per line: without its header lines the section is unreadable.
    let t: String = page_text("003")
        .lines()
        .enumerate()
        .filter(|(i, _)| !(66..75).contains(i))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n");
    let d = derive_text(&t).expect("derives");
    assert!(
        has(&d, DiagnosticKind::Unreadable, 65),
        "{:?}",
        d.diagnostics
    );
}

#[test]
fn a_blank_line_inside_a_table_does_not_drop_the_rows_after_it() {
    let t = page_text("001").replace(
        "\nRegistryChargeType No Integer",
        "\n\nRegistryChargeType No Integer",
    );
    let d = derive_text(&t).expect("derives");
    assert!(d.contract.parameter("DeletionProtection").is_some());
    assert_eq!(d.contract.parameters.len(), 11);
}

#[test]
fn an_error_table_without_its_header_is_reported() {
    let d = derive_text(&drop_line(&page_text("001"), 141)).expect("derives");
    assert!(d.contract.errors.is_empty());
    assert!(
        has(&d, DiagnosticKind::Unreadable, 137),
        "{:?}",
        d.diagnostics
    );
}

#[test]
fn a_page_truncated_mid_table_derives_what_it_has_and_reports_the_rest() {
    for (n, keep, params) in [
        ("000", 30, 5),
        ("001", 93, 6),
        ("002", 24, 5),
        ("003", 150, 7),
        ("004", 60, 1),
    ] {
        let t: String = page_text(n)
            .lines()
            .take(keep)
            .collect::<Vec<_>>()
            .join("\n");
        let d = derive_text(&t).expect("derives");
        assert_eq!(d.contract.parameters.len(), params, "{n}");
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.message.contains("no response parameters section")),
            "{n}: {:?}",
            d.diagnostics
        );
    }
}

#[test]
fn empty_and_binary_pages_are_clear_errors_through_the_binary() {
    let dir = tempfile::tempdir().expect("tmp");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n\n").expect("write");
    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").expect("write");
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Request parameters\nNom\xe9 String Yes x\n").expect("write");
    for (path, message) in [
        (&empty, "the page is empty"),
        (&binary, "looks like a binary file"),
        (&latin1, "not UTF-8 text (invalid byte at offset 22)"),
    ] {
        let (code, out, err) = run(&["derive", &path.display().to_string()]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains(message), "{err}");
    }
    let (code, _, err) = run(&["derive", "/nonexistent/page.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the page"), "{err}");
}

#[test]
fn no_cut_or_deletion_of_any_page_makes_derive_panic() {
    let mut pages: Vec<String> = sources()
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("page"))
        .collect();
    for e in std::fs::read_dir(root().join("tests/fixtures/pages")).expect("fixtures") {
        pages.push(std::fs::read_to_string(e.expect("entry").path()).expect("page"));
    }
    let mut runs = 0;
    for text in &pages {
        let lines: Vec<&str> = text.lines().collect();
        for cut in 0..lines.len() {
            // Truncated at a line, mid-line, and with one line removed.
            let head = lines[..cut].join("\n");
            let _ = derive_text(&head);
            let line = lines[cut];
            let mid = line
                .char_indices()
                .nth(line.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            let _ = derive_text(&format!("{head}\n{}", &line[..mid]));
            let _ = derive_text(&drop_line(text, cut + 1));
            runs += 3;
        }
    }
    assert!(runs > 2000, "{runs}");
}
