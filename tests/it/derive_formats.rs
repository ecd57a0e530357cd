//! Pages as users have them (Markdown, HTML) and the layouts of every generation: the same
//! page in three formats derives to one contract, each layout reads, the facts a page does
//! not print come from flags, and a page of a product docpact has never seen goes to a
//! served operation that the official SDKs' generic clients call.

use std::path::Path;

use docpact::contract::{Location, ParamType};
use docpact::derive::{self, Derived, DiagnosticKind};

use crate::sdk_capture::python_with_sdks;
use crate::support::{Served, root, run};

fn fixture(name: &str) -> Derived {
    let bytes = std::fs::read(root().join("tests/fixtures/pages").join(name)).expect("page");
    derive::derive(name, &bytes, None).expect("derives")
}

/// The contract as JSON without what depends on the file: line numbers and its name.
fn without_lines(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, v)| !(k == "source" || (k == "origin" && v.get("page").is_some())))
                .map(|(k, v)| (k, without_lines(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_lines).collect()),
        other => other,
    }
}

#[test]
fn text_markdown_and_html_versions_of_a_page_derive_the_same_contract() {
    let text = fixture("tencent_api3.txt");
    let markdown = fixture("tencent_api3.md");
    let html = fixture("tencent_api3.html");
    assert!(
        markdown.family.contains("(markdown)"),
        "{}",
        markdown.family
    );
    assert!(html.family.contains("(html)"), "{}", html.family);
    let t = without_lines(serde_json::to_value(&text.contract).unwrap());
    for other in [&markdown, &html] {
        let o = without_lines(serde_json::to_value(&other.contract).unwrap());
        assert_json_diff::assert_json_eq!(t.clone(), o);
        assert_eq!(
            text.diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>(),
            other
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
    }
    // The contract has the page's facts, not an empty shell.
    assert_eq!(text.contract.parameters.len(), 8);
    assert_eq!(text.contract.errors.len(), 4);
}

#[test]
fn the_2018_alibaba_layout_reads_yes_with_a_dot_and_values_over_several_lines() {
    let d = fixture("alibaba_2018.md");
    let c = &d.contract;
    assert_eq!(c.action, "AttachWidgetVpc");
    let names: Vec<&str> = c.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Action", "RegionId", "WidgetId", "VpcId", "LinkMode"]
    );
    assert!(c.parameters[2].required, "`Yes.` is required");
    let mode = &c.parameters[4];
    assert_eq!(mode.default.as_deref(), Some("Shared"));
    assert!(
        mode.constraints.iter().any(|k| matches!(&k.check, docpact::contract::Predicate::Enum { values } if values.len() == 2)),
        "{:?}",
        mode.constraints
    );
    // Code first, status third.
    assert_eq!(c.errors.len(), 4);
    assert_eq!(c.errors[2].code, "InvalidWidgetId.NotBelong");
    assert_eq!(c.errors[2].http_status, Some(403));
}

#[test]
fn the_current_alibaba_layout_takes_product_and_version_from_the_explorer_link() {
    let d = fixture("alibaba_current.md");
    let c = &d.contract;
    assert_eq!(
        (c.product.as_str(), c.version.as_str()),
        ("Widget", "2020-06-01")
    );
    assert_eq!(c.action, "CreateWidgetEntry");
    // The authorization table before the request table is not a parameter table.
    assert!(!c.parameters.iter().any(|p| p.name.contains("widget:")));
    let ip = c.parameters.iter().find(|p| p.name == "EntryIp").unwrap();
    assert!(
        ip.description.contains("Note: All addresses"),
        "{}",
        ip.description
    );
    assert_eq!(c.errors[0].http_status, Some(404));
    assert_eq!(c.errors[2].code, "ENTRY_IP_POOL_COUNT_TOO_MANY");
    // Only the endpoint is missing: the page does not print it.
    let missing: Vec<&str> = d
        .diagnostics
        .iter()
        .filter(|x| x.kind == DiagnosticKind::MissingFact)
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("--endpoint"));
}

#[test]
fn roa_pages_place_parameters_by_position_and_nest_by_their_marks() {
    let d = fixture("alibaba_roa_position.md");
    let c = &d.contract;
    assert_eq!(c.http.path, "/openapi/clusters/{ClusterId}/collectors");
    let at = |n: &str| c.parameters.iter().find(|p| p.name == n).unwrap();
    assert_eq!(at("ClusterId").location, Location::Path);
    assert_eq!(at("clientToken").location, Location::Query);
    assert_eq!(at("name").location, Location::Body);
    // The same child names under two parents.
    for parent in ["tags", "labels"] {
        let p = at(parent);
        assert_eq!(p.ty, ParamType::Array);
        let kids: Vec<&str> = p.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(kids, ["key", "value"], "{parent}");
    }
    assert_eq!(c.parameters.len(), 6);
    // No error table, only the error centre: no codes, and a diagnostic that says so.
    assert!(c.errors.is_empty());
    assert!(
        d.diagnostics
            .iter()
            .any(|x| x.kind == DiagnosticKind::Limitation && x.message.contains("error center"))
    );
}

#[test]
fn tencent_structures_are_read_from_the_data_structure_section() {
    let d = fixture("tencent_structures.md");
    assert!(d.is_clean(), "{:?}", d.diagnostics);
    let c = &d.contract;
    assert!(!c.draft);
    assert_eq!(
        (c.service.as_str(), c.version.as_str()),
        ("widget", "2021-03-04")
    );
    assert_eq!(c.endpoint.host, "widget.tencentcloudapi.com");
    let common: Vec<&str> = c
        .parameters
        .iter()
        .filter(|p| p.location == Location::Common)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(common, ["Action", "Version", "Region"]);
    let placement = c.parameters.iter().find(|p| p.name == "Placement").unwrap();
    let kids: Vec<(&str, bool)> = placement
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.required))
        .collect();
    assert_eq!(kids, [("Zone", true), ("ProjectId", false)]);
    let members = c
        .response
        .fields
        .iter()
        .find(|f| f.name == "Members")
        .unwrap();
    assert_eq!(members.members.len(), 2);
}

#[test]
fn error_tables_read_in_every_shape() {
    let codes = |name: &str| -> Vec<(String, Option<u16>, Option<String>)> {
        fixture(name)
            .contract
            .errors
            .iter()
            .map(|e| (e.code.clone(), e.http_status, e.message.clone()))
            .collect()
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        codes("errors_status_last.md"),
        [
            (
                "InvalidWidgetId.NotFound".into(),
                Some(404),
                s("The specified widget does not exist.")
            ),
            (
                "IncorrectWidgetStatus".into(),
                Some(403),
                s("The current status of the widget does not support this operation.")
            ),
        ]
    );
    assert_eq!(
        codes("errors_per_status.md"),
        [
            (
                "InvalidWidgetId.Malformed".into(),
                Some(400),
                s("The specified widget ID is malformed.")
            ),
            (
                "IncorrectWidgetStatus".into(),
                Some(400),
                s("The widget is not running.")
            ),
            (
                "InvalidWidgetId.NotFound".into(),
                Some(404),
                s("The specified widget does not exist.")
            ),
        ]
    );
    assert_eq!(
        codes("errors_listed.md"),
        [
            (
                "InvalidWidgetId.NotFound".into(),
                None,
                s("The specified widget does not exist.")
            ),
            (
                "IncorrectWidgetStatus".into(),
                None,
                s("The widget is already running.")
            ),
        ]
    );
    assert_eq!(
        codes("errors_note_column.md"),
        [
            (
                "ResourceNotFound.Widget".into(),
                None,
                s("The widget does not exist.")
            ),
            (
                "ResourceInUse.Widget".into(),
                None,
                s("The widget is in use.")
            ),
        ]
    );
}

#[test]
fn flags_supply_what_a_page_does_not_print_and_bad_values_are_refused() {
    let page = root().join("tests/fixtures/pages/alibaba_2018.md");
    let page = page.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let (code, stdout, err) = run(&[
        "derive",
        page,
        "--api-version",
        "2014-05-26",
        "--endpoint",
        "widget.aliyuncs.com",
        "--product",
        "Widget",
        "--out",
        dir,
        "--format",
        "text",
    ]);
    // Complete (written to the canonical layout), the missing response table reported.
    assert_eq!(code, 3, "{stdout}{err}");
    let written = out
        .path()
        .join("alibaba/widget/2014-05-26/AttachWidgetVpc.json");
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).expect("canonical path")).unwrap();
    assert_eq!(c["endpoint"]["host"], "widget.aliyuncs.com");
    assert!(c.get("draft").is_none_or(|d| d == false), "{c}");
    assert!(
        stdout.contains("given on the command line")
            || c.to_string().contains("given on the command line")
    );
    // One set of flags for many pages: a page that gives the fact keeps its own.
    let tencent = root().join("tests/fixtures/pages/tencent_structures.md");
    let (_, stdout, err) = run(&[
        "derive",
        tencent.to_str().unwrap(),
        "--endpoint",
        "widget.aliyuncs.com",
        "--format",
        "text",
    ]);
    assert!(
        stdout.contains(
            "--endpoint widget.aliyuncs.com not used: the page gives widget.tencentcloudapi.com"
        ),
        "{stdout}{err}"
    );
    for (flag, value, says) in [
        ("--api-version", "May 2014", "YYYY-MM-DD"),
        ("--endpoint", "https://widget.aliyuncs.com/", "host name"),
        ("--product", "Wid get", "product code"),
    ] {
        let (code, _, err) = run(&["derive", page, flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {err}");
        assert!(err.contains(says), "{flag}: {err}");
    }
}

/// Calls a served operation with an official SDK's generic client and prints the answer.
fn call(python: &str, script: &str, endpoint: &str) -> serde_json::Value {
    let out = std::process::Command::new(python)
        .args(["-c", script, endpoint])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON answer")
}

const TENCENT: &str = r#"
import json, sys
from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
profile = ClientProfile(httpProfile=HttpProfile(endpoint=sys.argv[1], protocol="http"))
client = CommonClient("widget", "2021-03-04", credential.Credential("AKIDtest", "testSecretKey"), "ap-guangzhou", profile=profile)
ok = client.call_json("CreateWidgetGroup", {"GroupName": "blue", "Placement": {"Zone": "ap-guangzhou-3"},
                                            "Filters": [{"Name": "zone", "Values": ["a"]}]})
try:
    client.call_json("CreateWidgetGroup", {"Placement": {"Zone": "ap-guangzhou-3"}})
    refused = None
except TencentCloudSDKException as e:
    refused = e.code
print(json.dumps({"ok": ok, "refused": refused}))
"#;

const ALIBABA: &str = r#"
import json, sys
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from aliyunsdkcore.acs_exception.exceptions import ServerException
client = AcsClient("testAccessKeyId", "testAccessKeySecret", "cn-hangzhou")
def request(params):
    r = CommonRequest(domain=sys.argv[1], version="2020-06-01", action_name="CreateWidgetEntry")
    r.set_protocol_type("http")
    r.set_method("POST")
    for k, v in params:
        r.add_query_param(k, v)
    return r
ok = json.loads(client.do_action_with_exception(request([("RegionId", "cn-hangzhou"), ("TableId", "wtb-1"), ("EntryIp", "47.1.1.98")])))
try:
    client.do_action_with_exception(request([("RegionId", "cn-hangzhou"), ("EntryIp", "47.1.1.98")]))
    refused = None
except ServerException as e:
    refused = e.get_error_code()
print(json.dumps({"ok": ok, "refused": refused}))
"#;

fn derive_into(dir: &Path, page: &str, flags: &[&str]) {
    let page = root().join("tests/fixtures/pages").join(page);
    let mut args = vec![
        "derive",
        page.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(flags);
    let (code, out, err) = run(&args);
    assert!(code == 0 || code == 3, "{out}{err}");
    assert!(!out.contains("drafts/"), "written as a draft: {out}");
}

#[test]
fn pages_of_unseen_products_go_to_served_operations_that_official_sdks_call() {
    let python = python_with_sdks();
    let contracts = tempfile::tempdir().unwrap();
    // Two commands: derive (the Tencent page prints everything; the Alibaba page all but
    // its endpoint), then serve.
    derive_into(contracts.path(), "tencent_structures.md", &[]);
    derive_into(
        contracts.path(),
        "alibaba_current.md",
        &["--endpoint", "widget.aliyuncs.com"],
    );
    let server = Served::start(&["--contracts", contracts.path().to_str().unwrap()]);

    let t = call(&python, TENCENT, &server.1);
    let ok = &t["ok"]["Response"];
    assert!(ok["GroupId"].is_string(), "{t}");
    assert!(ok["Members"].is_array(), "the output table's fields: {t}");
    assert!(ok["RequestId"].is_string(), "{t}");
    assert_eq!(t["refused"], "MissingParameter", "{t}");

    let a = call(&python, ALIBABA, &server.1);
    assert!(a["ok"]["EntryId"].is_string(), "{a}");
    assert!(a["ok"]["RequestId"].is_string(), "{a}");
    assert_eq!(a["refused"], "MissingParameter", "{a}");
}

#[test]
fn nesting_a_page_decides_is_bounded_and_markup_cannot_stall_the_reader() {
    // Rows each marked one level deeper than the last, and structures each opening inside the
    // previous one: derive nests to a bound instead of recursing as deep as the page says.
    let mut md = String::from(
        "# DeepWidget\n\n## Request parameters\n\n|Parameter|Type|Required|Description|\n|---|---|---|---|\n",
    );
    for i in 0..3000 {
        md.push_str(&format!("|{}k{i}|Object|No|Level {i}.|\n", "└".repeat(i)));
    }
    let d = derive::derive("deep.md", md.as_bytes(), None).expect("derives");
    assert_eq!(d.contract.parameters.len(), 1);
    let mut text =
        String::from("DeepWidget\n\nRequest parameters\n\nParameterTypeRequiredDescription\n");
    for i in 0..3000 {
        text.push_str(&format!("k{i}ObjectNoLevel {i}.\n"));
    }
    let d = derive::derive("deep.txt", text.as_bytes(), None).expect("derives");
    assert!(!d.contract.parameters.is_empty());
    // Thousands of unclosed scripts and tags: read in one pass each.
    let html = format!(
        "<html><body><h2>Request parameters</h2>{}<table><tr><td>x</td></tr></table></body></html>",
        "<script>a<SCRIPT>b</scrip".repeat(5000)
    );
    derive::derive("scripts.html", html.as_bytes(), None).expect("derives");
}

#[test]
fn pages_are_compared_with_the_apis_machine_readable_descriptions() {
    let findings = |page: &str, sdk: &str| -> (i32, Vec<String>, String) {
        let page = root().join("tests/fixtures/pages").join(page);
        let sdk = root().join("tests/fixtures/sdk").join(sdk);
        let (code, out, err) = run(&[
            "derive",
            page.to_str().unwrap(),
            "--sdk",
            sdk.to_str().unwrap(),
        ]);
        let c: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        let ids = c["findings"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter(|f| f["kind"] == "disagrees_with_base")
                    .map(|f| f["id"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        (code, ids, err)
    };
    // tccli's shape: a parameter only in the description, a required flag, a type.
    let (_, ids, err) = findings("tencent_structures.md", "widget-api.json");
    assert_eq!(
        ids,
        [
            "sdk-only:ClientToken",
            "sdk-type:DryRun",
            "sdk-required:Placement"
        ],
        "{err}"
    );
    // A request class found in its package folder: one name in another case, a type, a
    // parameter only in the SDK and one only on the page; owner parameters left out.
    let (_, ids, err) = findings("alibaba_current.md", ".");
    assert_eq!(
        ids,
        [
            "sdk-only:Bandwidth",
            "sdk-type:EntryName",
            "sdk-case:tableId",
            "page-only:ClientToken",
        ],
        "{err}"
    );
    // Nothing to compare with: a clear error naming the file.
    let (code, _, err) = findings("alibaba_current.md", "widget-api.json");
    assert_ne!(code, 0);
    assert!(
        err.contains("describes no action CreateWidgetEntry"),
        "{err}"
    );
}
