//! The official Python SDKs, unmodified, against the replay server: samples succeed and
//! parse, documented errors arrive as exceptions with their codes, constraint breaches get
//! the provider's errors, and state (tokens, names, rate limits) behaves as documented.

use docpact::Replay;
use docpact::contract::{ContractSet, ParamType, Provider, SampleKind, parse_url_sample};
use docpact::replay::Outcome;
use serde_json::{Map, Value, json};

use crate::support::drive;

pub(crate) const ACR: &str = "alibaba/bssopenapi/2017-12-14/CreateInstance#acr";
pub(crate) const BSS: &str = "alibaba/bssopenapi/2017-12-14/CreateInstance";
pub(crate) const ENS: &str = "alibaba/ens/2017-11-10/CreateInstance";
pub(crate) const HA: &str = "alibaba/searchengine/2021-10-25/CreateInstance";
pub(crate) const TCR: &str = "tencent/tcr/2019-09-24/CreateInstance";

/// A page's own sample request as case parameters, typed by the contract.
fn sample_params(op: &str) -> Value {
    let set = ContractSet::builtin().unwrap();
    let loaded = set.find(op).unwrap();
    let c = &loaded.contract;
    let base = set.base_of(c).map(|b| b.contract.clone());
    let sample = c
        .samples
        .iter()
        .find(|s| s.kind == SampleKind::Request)
        .expect("a sample request");
    let mut params = Map::new();
    for (name, value) in parse_url_sample(&sample.text).unwrap() {
        let p = c
            .parameter(&name)
            .or_else(|| base.as_ref().and_then(|b| b.parameter(&name)))
            .unwrap();
        if p.param.location == docpact::contract::Location::Common {
            continue;
        }
        let v = match (c.provider, p.param.ty) {
            (Provider::Tencent, ParamType::Boolean) => json!(value.eq_ignore_ascii_case("true")),
            (Provider::Tencent, ParamType::Integer | ParamType::Long) => {
                json!(value.parse::<i64>().unwrap())
            }
            _ => json!(value),
        };
        params.insert(name, v);
    }
    Value::Object(params)
}

/// Valid calls for the pages without a sample request, from their examples.
pub(crate) fn example_params(op: &str) -> Value {
    match op {
        BSS => json!({"ProductCode": "rds", "SubscriptionType": "Subscription", "Period": "1",
                      "OwnerId": "1234567890123456", "RenewalStatus": "AutoRenewal", "RenewPeriod": "1",
                      "Parameter.1.Code": "Region", "Parameter.1.Value": "cn-hangzhou"}),
        ENS => {
            json!({"InstanceType": "ens.se1.tiny", "EnsRegionId": "cn-hangzhou", "Password": "yourPassword:1",
                      "Period": "12", "ImageId": "yourImage ID", "SystemDisk.Size": "40", "Quantity": "2",
                      "DataDisk.1.Size": "50", "InternetChargeType": "95BandwidthByMonth", "AutoRenewPeriod": "12",
                      "AutoRenew": "True", "IpType": "ipv4", "KeyPairName": "TestKeyPairName",
                      "UserData": "#!/bin/sh echo \"Hello World. The time is now $(date -R)!\" | tee /home/output.txt",
                      "VSwitchId": "YourVSwitchId", "PrivateIpAddress": "10.10.10.10", "PaymentType": "Subscription",
                      "InstanceName": "test:Instance_Name.1-2", "HostName": "test-HostName", "UniqueSuffix": false,
                      "PublicIpIdentification": true, "PasswordInherit": false})
        }
        HA => {
            json!({"body": {"chargeType": "PREPAY", "components": [{"code": "instance_spec", "value": "4C16G"}],
                              "order": {"autoRenew": true, "duration": 1, "pricingCycle": "Month"}}})
        }
        ACR | TCR => sample_params(op),
        _ => unreachable!(),
    }
}

/// A valid call of every operation in every Python client; `prefix` keeps names and case IDs
/// apart between tests that share an upstream.
pub(crate) fn every_python_client(prefix: &str) -> Vec<Value> {
    let mut cases = Vec::new();
    for (op, clients) in [
        (ACR, &["tea", "core"][..]),
        (BSS, &["tea", "core"]),
        (ENS, &["tea", "core"]),
        (HA, &["tea", "core"]),
        (TCR, &["tc3", "tc-hmacsha256", "tc-hmacsha1"]),
    ] {
        for client in clients {
            let mut params = example_params(op);
            if op == TCR {
                params["RegistryName"] = json!(format!("tcr-{prefix}{}", client.replace('-', "")));
            }
            if op == ACR {
                params["ClientToken"] = json!(format!("token-{prefix}{client}"));
            }
            cases.push(case(&format!("{prefix}{op} {client}"), client, op, params));
        }
    }
    cases
}

pub(crate) fn case(id: &str, client: &str, op: &str, params: Value) -> Value {
    json!({"id": id, "client": client, "operation": op, "params": params})
}

fn ok(r: &Value) -> &Value {
    assert_eq!(r["ok"], true, "expected success: {r}");
    &r["parsed"]
}

fn code(r: &Value) -> &str {
    assert_eq!(r["ok"], false, "expected an error: {r}");
    r["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pages_sample_succeeds_and_parses_in_every_sdk() {
    let replay = Replay::start_builtin().await.unwrap();
    let cases = every_python_client("");
    let results = drive(&replay.endpoint(), &[], &cases).await;
    for (c, r) in cases.iter().zip(&results) {
        let parsed = ok(r);
        let op = c["operation"].as_str().unwrap();
        match op {
            ACR | BSS => {
                assert_eq!(parsed["Code"], "Success", "{r}");
                assert!(
                    parsed["Data"]["InstanceId"]
                        .as_str()
                        .is_some_and(|s| !s.is_empty()),
                    "{r}"
                );
                assert!(parsed["Data"]["OrderId"].is_i64(), "{r}");
            }
            ENS => {
                assert_eq!(parsed["Code"], 0, "ENS Code is the integer 0: {r}");
                let ids = parsed["InstanceIds"]["InstanceId"].as_array().unwrap();
                assert_eq!(ids.len(), 2, "one ID per Quantity: {r}");
                assert!(ids.iter().all(|i| i.as_str().unwrap().starts_with("i-")));
            }
            HA => assert!(
                parsed["result"]["instanceId"]
                    .as_str()
                    .unwrap()
                    .starts_with("ha-cn-"),
                "{r}"
            ),
            TCR => {
                assert!(
                    parsed["RegistryId"].as_str().unwrap().starts_with("tcr-"),
                    "{r}"
                );
                assert_eq!(parsed["RequestId"].as_str().unwrap().len(), 36, "{r}");
            }
            _ => unreachable!(),
        }
    }
    let journal = replay.journal();
    assert_eq!(journal.len(), cases.len());
    assert!(
        journal.iter().all(|e| e.status == 200 && e.error.is_none()),
        "{journal:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_error_code_reaches_the_sdk_as_its_code() {
    let replay = Replay::start_builtin().await.unwrap();
    let set = ContractSet::builtin().unwrap();
    let mut cases = Vec::new();
    for (op, client) in [(BSS, "tea"), (ENS, "tea"), (TCR, "tc3"), (ENS, "core")] {
        let errors = &set.find(op).unwrap().contract.errors;
        assert!(!errors.is_empty());
        for e in errors {
            replay.force(op, Outcome::Error(e.code.clone())).unwrap();
            cases.push(case(&e.code, client, op, example_params(op)));
        }
    }
    let results = drive(&replay.endpoint(), &[], &cases).await;
    for (c, r) in cases.iter().zip(&results) {
        assert_eq!(code(r), c["id"].as_str().unwrap(), "{c} -> {r}");
        assert!(
            r["error"]["request_id"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{r}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constraint_breaches_get_the_providers_errors() {
    let replay = Replay::start_builtin().await.unwrap();
    let with = |op: &str, edit: &dyn Fn(&mut Value)| {
        let mut p = example_params(op);
        edit(&mut p);
        p
    };
    let table: Vec<(&str, &str, Value, &str)> = vec![
        (
            "tea",
            ENS,
            with(ENS, &|p| {
                p.as_object_mut().unwrap().remove("InstanceType");
            }),
            "MissingParameter",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| p["Period"] = json!("10")),
            "InvalidParameter",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| p["DataDisk.1.Size"] = json!("55")),
            "InvalidDiskSize.ValueNotSupported",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| p["SystemDisk.Size"] = json!("30")),
            "InvalidDiskSize.ValueNotSupported",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| p["InternetChargeType"] = json!("ByTraffic")),
            "InvalidParameter.Bandwidth",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| p["PasswordInherit"] = json!(true)),
            "InvalidPasswordParam.Mismatch",
        ),
        (
            "core",
            ENS,
            with(ENS, &|p| {
                p.as_object_mut().unwrap().remove("AutoRenewPeriod");
            }),
            "MissingParameter",
        ),
        (
            "core",
            ENS,
            with(ENS, &|p| p["Password"] = json!("password")),
            "InvalidParameter",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| p["InstanceName"] = json!("http://x")),
            "InvalidParameter",
        ),
        (
            "tea",
            ENS,
            with(ENS, &|p| {
                p.as_object_mut().unwrap().remove("VSwitchId");
            }),
            "MissingParameter",
        ),
        (
            "tea",
            ACR,
            with(ACR, &|p| p["Parameter.2.Value"] = json!("Bad_Name")),
            "InvalidParameter",
        ),
        (
            "tea",
            ACR,
            with(ACR, &|p| p["Period"] = json!(6)),
            "InvalidParameter",
        ),
        (
            "core",
            ACR,
            with(ACR, &|p| {
                p["Parameter.4.Value"] = json!("false");
                p.as_object_mut()
                    .unwrap()
                    .retain(|k, _| !k.starts_with("Parameter.5."));
            }),
            "MissingParameter",
        ),
        (
            "tea",
            BSS,
            with(BSS, &|p| {
                p.as_object_mut().unwrap().remove("RenewPeriod");
            }),
            "MissingParameter",
        ),
        (
            "tea",
            BSS,
            with(BSS, &|p| p["OwnerId"] = json!("123")),
            "InvalidParameter",
        ),
        (
            "tea",
            HA,
            with(HA, &|p| p["body"]["order"]["duration"] = json!(29)),
            "InvalidParameter",
        ),
        (
            "core",
            HA,
            with(HA, &|p| p["body"]["chargeType"] = json!("POSTPAY")),
            "InvalidParameter",
        ),
        (
            "tc3",
            TCR,
            with(TCR, &|p| p["RegistryType"] = json!("bogus")),
            "InvalidParameterValue",
        ),
        (
            "tc-hmacsha256",
            TCR,
            with(TCR, &|p| {
                p.as_object_mut().unwrap().remove("RegistryType");
            }),
            "MissingParameter",
        ),
        (
            "tc3",
            TCR,
            with(
                TCR,
                &|p| p["TagSpecification"] = json!({"ResourceType": "instance", "Tags": (0..11).map(|i| json!({"Key": format!("k{i}"), "Value": "v"})).collect::<Vec<_>>()}),
            ),
            "InvalidParameter.ErrorTagOverLimit",
        ),
    ];
    let mut cases: Vec<Value> = table
        .iter()
        .enumerate()
        .map(|(i, (client, op, params, _))| case(&i.to_string(), client, op, params.clone()))
        .collect();
    // Undocumented and mistyped parameters need the raw client: SDK models drop or coerce them.
    cases.push(
        json!({"id": "unknown", "client": "tc3", "raw": true, "operation": TCR,
                      "params": {"RegistryName": "tcr-raw", "RegistryType": "basic", "Bogus": 1}}),
    );
    cases.push(json!({"id": "type", "client": "tc3", "raw": true, "operation": TCR,
                      "params": {"RegistryName": "tcr-raw2", "RegistryType": "basic", "RegistryChargeType": "one"}}));
    let results = drive(&replay.endpoint(), &[], &cases).await;
    for ((client, op, params, want), r) in table.iter().zip(&results) {
        assert_eq!(code(r), *want, "{client} {op} {params} -> {r}");
    }
    assert_eq!(code(&results[table.len()]), "UnknownParameter");
    assert_eq!(code(&results[table.len() + 1]), "InvalidParameter");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secrets_and_unknown_keys_get_the_signature_errors() {
    let replay = Replay::start_builtin().await.unwrap();
    let cases = vec![
        case("tea", "tea", ENS, example_params(ENS)),
        case("core", "core", ENS, example_params(ENS)),
        case("core-roa", "core", HA, example_params(HA)),
        case("tc3", "tc3", TCR, example_params(TCR)),
        case("v1", "tc-hmacsha256", TCR, example_params(TCR)),
    ];
    let wrong = [
        ("DOCPACT_ACCESS_KEY_SECRET", "wrong"),
        ("DOCPACT_SECRET_KEY", "wrong"),
    ];
    let results = drive(&replay.endpoint(), &wrong, &cases).await;
    let codes: Vec<&str> = results.iter().map(code).collect();
    // aliyun-python-sdk-core compares our string to sign with its own and, as they match
    // byte for byte for RPC, reports the wrong secret itself; for ROA the string has colons
    // and it cannot.
    assert_eq!(
        codes,
        [
            "SignatureDoesNotMatch",
            "InvalidAccessKeySecret",
            "SignatureDoesNotMatch",
            "AuthFailure.SignatureFailure",
            "AuthFailure.SignatureFailure"
        ]
    );
    let unknown = [
        ("DOCPACT_ACCESS_KEY_ID", "nobody"),
        ("DOCPACT_SECRET_ID", "AKIDnobody"),
    ];
    let results = drive(&replay.endpoint(), &unknown, &cases).await;
    let codes: Vec<&str> = results.iter().map(code).collect();
    assert_eq!(
        codes,
        [
            "InvalidAccessKeyId.NotFound",
            "InvalidAccessKeyId.NotFound",
            "InvalidAccessKeyId.NotFound",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.SecretIdNotFound"
        ]
    );
    assert_eq!(results[0]["error"]["http_status"], 404, "{}", results[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_tokens_names_and_rate_limits_behave_as_documented() {
    let replay = Replay::start_builtin().await.unwrap();
    let mut changed = example_params(ACR);
    changed["Period"] = json!(24);
    let mut cases = vec![
        case("first", "tea", ACR, example_params(ACR)),
        case("again", "core", ACR, example_params(ACR)),
        case("changed", "tea", ACR, changed),
        case("name", "tc3", TCR, example_params(TCR)),
        case("name-again", "tc-hmacsha1", TCR, example_params(TCR)),
    ];
    for i in 0..45 {
        let mut p = example_params(TCR);
        p["RegistryName"] = json!(format!("tcr-burst-{i}"));
        cases.push(case(&format!("burst{i}"), "tc3", TCR, p));
    }
    let results = drive(&replay.endpoint(), &[], &cases).await;
    let first = &ok(&results[0])["Data"]["InstanceId"];
    assert_eq!(
        &ok(&results[1])["Data"]["InstanceId"],
        first,
        "same token, same instance"
    );
    assert_eq!(code(&results[2]), "IdempotentParameterMismatch");
    ok(&results[3]);
    assert_eq!(code(&results[4]), "InvalidParameter.ErrorNameExists");
    let throttled = results[5..]
        .iter()
        .filter(|r| r["ok"] == false && r["error"]["code"] == "RequestLimitExceeded")
        .count();
    assert!(
        throttled >= 1,
        "45 quick calls against a limit of 20/s: {results:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_core_mounts_on_a_users_wiremock_server() {
    use wiremock::{Mock, MockServer, matchers::any};
    let server = MockServer::start().await;
    let responder = docpact::replay::ReplayResponder::builtin().unwrap();
    Mock::given(any())
        .respond_with(responder.clone())
        .mount(&server)
        .await;
    let endpoint = format!("127.0.0.1:{}", server.address().port());
    let mut broken = example_params(ENS);
    broken["Period"] = json!("10");
    let cases = vec![
        case("tcr", "tc3", TCR, example_params(TCR)),
        case("ens", "tea", ENS, example_params(ENS)),
        case("bad", "core", ENS, broken),
    ];
    let results = drive(&endpoint, &[], &cases).await;
    assert!(
        ok(&results[0])["RegistryId"]
            .as_str()
            .unwrap()
            .starts_with("tcr-")
    );
    assert_eq!(ok(&results[1])["Code"], 0);
    assert_eq!(code(&results[2]), "InvalidParameter");
    assert_eq!(
        responder
            .state()
            .lock()
            .unwrap()
            .journal()
            .entries()
            .count(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_node_sdks_work_too() {
    let replay = Replay::start_builtin().await.unwrap();
    let mut bad = example_params(ENS);
    bad["Period"] = json!("10");
    let tcr = |name: &str| {
        let mut p = example_params(TCR);
        p["RegistryName"] = json!(name);
        p["TagSpecification"] =
            json!({"ResourceType": "instance", "Tags": [{"Key": "env", "Value": "a b*~"}]});
        p
    };
    let cases = vec![
        case("get", "popcore-get", ENS, example_params(ENS)),
        case("post", "popcore-post", ACR, example_params(ACR)),
        case("generic", "popcore-post", BSS, example_params(BSS)),
        case("roa", "popcore-roa", HA, example_params(HA)),
        case("tc3", "tc3", TCR, tcr("tcr-node-a")),
        case("v1", "tc-hmacsha256", TCR, tcr("tcr-node-b")),
        case("v1-sha1", "tc-hmacsha1", TCR, tcr("tcr-node-c")),
        case("bad", "popcore-get", ENS, bad),
        case("dup", "tc3", TCR, tcr("tcr-node-a")),
    ];
    let results = crate::support::drive_node(&replay.endpoint(), &cases).await;
    assert_eq!(
        ok(&results[0])["Code"],
        0,
        "pop-core needs the integer Code 0"
    );
    assert_eq!(ok(&results[1])["Code"], "Success");
    assert_eq!(ok(&results[2])["Code"], "Success");
    assert!(
        ok(&results[3])["result"]["instanceId"]
            .as_str()
            .unwrap()
            .starts_with("ha-cn-")
    );
    for r in &results[4..7] {
        assert!(
            ok(r)["RegistryId"].as_str().unwrap().starts_with("tcr-"),
            "{r}"
        );
    }
    assert_eq!(code(&results[7]), "InvalidParameter");
    assert_eq!(code(&results[8]), "InvalidParameter.ErrorNameExists");
    let schemes: std::collections::BTreeSet<_> =
        replay.journal().iter().filter_map(|e| e.scheme).collect();
    assert_eq!(
        schemes.into_iter().collect::<Vec<_>>(),
        ["roa-v1", "rpc-v1", "tc-v1", "tc3"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_clients_trust_the_generated_loopback_certificate() {
    let tls = docpact::replay::Tls::generate().unwrap();
    let pem = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pem.path(), &tls.cert_pem).unwrap();
    let replay = Replay::start_with_tls(
        ContractSet::builtin().unwrap(),
        docpact::replay::Config::default(),
        "127.0.0.1:0".parse().unwrap(),
        Some(tls),
    )
    .await
    .unwrap();
    let cases = vec![
        case("tc3", "tc3", TCR, example_params(TCR)),
        case("v1", "tc-hmacsha256", TCR, {
            let mut p = example_params(TCR);
            p["RegistryName"] = json!("tcr-tls-v1");
            p
        }),
    ];
    let ca = pem.path().to_string_lossy().into_owned();
    let results = drive(
        &replay.endpoint(),
        &[("DOCPACT_CA_CERT", ca.as_str())],
        &cases,
    )
    .await;
    for r in &results {
        assert!(
            ok(r)["RegistryId"].as_str().unwrap().starts_with("tcr-"),
            "{r}"
        );
    }
    // A plain-http client on the https port fails without disturbing the server.
    let plain = drive(&replay.endpoint(), &[], &cases[..1]).await;
    assert_eq!(plain[0]["ok"], false);
    let again = drive(
        &replay.endpoint(),
        &[("DOCPACT_CA_CERT", ca.as_str())],
        &[case("again", "tc3", TCR, {
            let mut p = example_params(TCR);
            p["RegistryName"] = json!("tcr-tls-again");
            p
        })],
    )
    .await;
    ok(&again[0]);
}
