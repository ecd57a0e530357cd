//! Decoding and verifying the official SDKs' requests, altered copies, garbage, and
//! sign-then-verify round trips.

use base64::Engine as _;
use docpact::contract::Provider;
use docpact::protocol::{
    self, Call, Credentials, HttpRequest, ProviderError, Scheme, SignInput, VerifyOptions,
};
use proptest::prelude::*;
use serde_json::Value;

use crate::support::root;

pub(crate) struct Vector {
    seq: u64,
    source: String,
    style: String,
    action: Option<String>,
    version: String,
    pub(crate) req: HttpRequest,
}

pub(crate) fn vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/vectors/sdk-requests.jsonl"))
        .expect("vectors");
    let out: Vec<Vector> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("json line");
            let headers = v["headers"]
                .as_array()
                .expect("headers")
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_string(),
                        h[1].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let b64 = v["body_b64"].as_str().unwrap_or_default();
            let body = if b64.is_empty() {
                v["body"].as_str().unwrap_or_default().as_bytes().to_vec()
            } else {
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("base64")
            };
            Vector {
                seq: v["seq"].as_u64().unwrap(),
                source: v["source"].as_str().unwrap().to_string(),
                style: v["style"].as_str().unwrap().to_string(),
                action: v["action"].as_str().map(String::from),
                version: v["version"].as_str().unwrap().to_string(),
                req: HttpRequest {
                    method: v["method"].as_str().unwrap().to_string(),
                    target: v["raw_path"].as_str().unwrap().to_string(),
                    headers,
                    body,
                },
            }
        })
        .collect();
    assert_eq!(out.len(), 29, "the fixture holds the 29 captured requests");
    out
}

pub(crate) fn check<'a>(
    req: &'a HttpRequest,
    creds: &Credentials,
    now: Option<i64>,
) -> Result<Call<'a>, ProviderError> {
    let call = protocol::decode(req)?;
    let opts = VerifyOptions::at(now.unwrap_or(call.auth.timestamp));
    protocol::verify(req, &call, creds, &opts)?;
    Ok(call)
}

fn signature_code(p: Provider) -> &'static str {
    match p {
        Provider::Alibaba => "SignatureDoesNotMatch",
        Provider::Tencent => "AuthFailure.SignatureFailure",
    }
}

#[test]
fn every_sdk_request_decodes_to_its_call_and_verifies() {
    let creds = Credentials::test();
    for v in vectors() {
        let call =
            check(&v.req, &creds, None).unwrap_or_else(|e| panic!("{} #{}: {e}", v.source, v.seq));
        assert_eq!(call.scheme.name(), v.style, "{}", v.source);
        assert_eq!(call.action.as_deref(), v.action.as_deref(), "{}", v.source);
        assert_eq!(call.version, v.version, "{}", v.source);
        let has_params = !call.params.is_empty()
            || call
                .body
                .as_ref()
                .is_some_and(|b| b.as_object().is_some_and(|o| !o.is_empty()));
        assert!(has_params, "{}: no business parameters decoded", v.source);
        for (k, _) in &call.params {
            assert!(
                ![
                    "Signature",
                    "AccessKeyId",
                    "SecretId",
                    "Timestamp",
                    "Nonce",
                    "SignatureNonce"
                ]
                .contains(&k.as_ref()),
                "{}: common parameter {k} leaked into the business parameters",
                v.source
            );
        }
    }
}

#[test]
fn sdk_requests_decode_values_exactly() {
    let by_seq = |n: u64| vectors().into_iter().find(|v| v.seq == n).unwrap();
    // tea Python sends `a+b%2Ac`, aliyun-python-sdk-core `a%20b%2Ac`: both mean "a b*c".
    for seq in [1, 10] {
        let v = by_seq(seq);
        let call = protocol::decode(&v.req).unwrap();
        assert_eq!(call.param("Parameter.1.Value"), Some("a b*c"), "#{seq}");
    }
    let v = by_seq(12);
    let call = protocol::decode(&v.req).unwrap();
    assert_eq!(call.param("Parameter.2.Value"), Some("a b/c*d~e+f=g&h"));
    let v = by_seq(8);
    let call = protocol::decode(&v.req).unwrap();
    assert_eq!(call.param("TagSpecification.Tags.0.Value"), Some("a b"));
    assert_eq!(call.common("Region"), Some("ap-guangzhou"));
    assert_eq!(call.common("Language"), Some("zh-CN"));
    let v = by_seq(7);
    let call = protocol::decode(&v.req).unwrap();
    assert_eq!(
        call.body.as_ref().unwrap().to_value()["TagSpecification"]["Tags"][0]["Key"],
        "env"
    );
    let v = by_seq(6);
    let call = protocol::decode(&v.req).unwrap();
    assert_eq!(call.common("RegionId"), Some("cn-hangzhou"));
    assert_eq!(
        call.body.as_ref().unwrap().to_value()["order"]["duration"],
        1
    );
}

/// Changes one character of signed content: a JSON string value, or a business parameter's
/// value in the query or form (not the key id, which would give a different error).
pub(crate) fn alter_one_byte(req: &HttpRequest) -> HttpRequest {
    fn flip_form(text: &str) -> Option<String> {
        let skip = [
            "AccessKeyId",
            "SecretId",
            "Signature",
            "SignatureMethod",
            "Timestamp",
            "Action",
            "Version",
        ];
        let mut parts: Vec<String> = text.split('&').map(String::from).collect();
        for part in parts.iter_mut() {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            if skip.contains(&k) {
                continue;
            }
            if let Some(i) = v.find(|c: char| c.is_ascii_alphabetic()) {
                let mut v = v.to_string().into_bytes();
                v[i] ^= 0x20;
                *part = format!("{k}={}", String::from_utf8(v).ok()?);
                return Some(parts.join("&"));
            }
        }
        None
    }
    let mut out = req.clone();
    if out.body.first() == Some(&b'{') {
        let pos = (0..out.body.len())
            .find(|&i| {
                out.body[i] == b':' && out.body[i + 1..].iter().find(|b| **b != b' ') == Some(&b'"')
            })
            .expect("a string value");
        let b = out
            .body
            .iter_mut()
            .skip(pos)
            .find(|b| b.is_ascii_alphabetic())
            .expect("a letter");
        *b ^= 0x20;
    } else if !out.body.is_empty() {
        out.body = flip_form(std::str::from_utf8(&out.body).unwrap())
            .expect("a form value")
            .into_bytes();
    } else {
        let (path, query) = out.target.split_once('?').expect("a query");
        out.target = format!("{path}?{}", flip_form(query).expect("a query value"));
    }
    out
}

#[test]
fn altered_sdk_requests_fail_with_the_providers_signature_error() {
    let creds = Credentials::test();
    for v in vectors() {
        let provider = protocol::guess_provider(&v.req);
        let altered = alter_one_byte(&v.req);
        let ts = protocol::decode(&v.req).unwrap().auth.timestamp;
        let err = check(&altered, &creds, Some(ts)).expect_err(&v.source);
        assert_eq!(
            err.code,
            signature_code(provider),
            "{} #{}: {err}",
            v.source,
            v.seq
        );
    }
}

#[test]
fn wrong_secret_unknown_key_and_old_timestamp_get_the_exact_codes() {
    let wrong = Credentials::parse(
        r#"{"format_version":1,"keys":[
            {"provider":"alibaba","id":"testAccessKeyId","secret":"nope"},
            {"provider":"tencent","id":"AKIDtest","secret":"nope"}]}"#,
    )
    .unwrap();
    let nobody = Credentials::parse(r#"{"format_version":1,"keys":[]}"#).unwrap();
    let disabled = Credentials::parse(
        r#"{"format_version":1,"keys":[
            {"provider":"alibaba","id":"testAccessKeyId","secret":"testAccessKeySecret","disabled":true},
            {"provider":"tencent","id":"AKIDtest","secret":"testSecretKey","disabled":true}]}"#,
    )
    .unwrap();
    for v in vectors() {
        let p = protocol::guess_provider(&v.req);
        let ts = protocol::decode(&v.req).unwrap().auth.timestamp;
        let code = |r: Result<Call, ProviderError>| r.expect_err(&v.source).code;
        assert_eq!(
            code(check(&v.req, &wrong, Some(ts))),
            signature_code(p),
            "{}",
            v.source
        );
        let (unknown, off, expired) = match p {
            Provider::Alibaba => (
                "InvalidAccessKeyId.NotFound",
                "InvalidAccessKeyId.Inactive",
                "InvalidTimeStamp.Expired",
            ),
            Provider::Tencent => (
                "AuthFailure.SecretIdNotFound",
                "AuthFailure.SecretIdNotFound",
                "AuthFailure.SignatureExpire",
            ),
        };
        assert_eq!(
            code(check(&v.req, &nobody, Some(ts))),
            unknown,
            "{}",
            v.source
        );
        assert_eq!(
            code(check(&v.req, &disabled, Some(ts))),
            off,
            "{}",
            v.source
        );
        assert_eq!(
            code(check(&v.req, &Credentials::test(), Some(ts + 3600))),
            expired,
            "{}",
            v.source
        );
        assert_eq!(
            code(check(&v.req, &Credentials::test(), Some(ts - 3600))),
            expired,
            "{}",
            v.source
        );
    }
}

#[test]
fn alibaba_signature_error_carries_the_server_string_to_sign() {
    let v = vectors().into_iter().find(|v| v.seq == 4).unwrap();
    let altered = alter_one_byte(&v.req);
    let err = check(&altered, &Credentials::test(), Some(1_795_373_698)).unwrap_err();
    assert_eq!(err.http_status, 400);
    let (sentence, sts) = err.message.split_once(':').unwrap();
    assert_eq!(
        sentence,
        "Specified signature is not matched with our calculation. server string to sign is"
    );
    assert!(
        sts.starts_with("GET&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DCreateInstance"),
        "{sts}"
    );
}

#[test]
fn garbage_gets_a_clean_provider_error() {
    let alibaba = |target: &str| HttpRequest::new("GET", target);
    let cases: Vec<(HttpRequest, &str)> = vec![
        (alibaba("/?Action=%zz"), "InvalidParameter"),
        (alibaba("/?Action=%ff%fe"), "InvalidParameter"),
        (alibaba("/?Action=A&Action=B"), "InvalidParameter"),
        (alibaba("/?=x"), "InvalidParameter"),
        (alibaba("/"), "MissingAccessKeyId"),
        (alibaba("/?AccessKeyId=a&Signature=s&Version=v&Action=a&Timestamp=yesterday&SignatureNonce=n"), "InvalidTimeStamp.Format"),
        (alibaba("/?AccessKeyId=a&Signature=s&Version=v&Action=a&Timestamp=2026-11-22T18:54:57Z&SignatureNonce=n&SignatureMethod=MD5"), "InvalidSignatureMethod"),
        (alibaba("/").with_header("Authorization", "Bearer x"), "IncompleteSignature"),
        (alibaba("/").with_header("Authorization", "ACS3-HMAC-SHA256 nonsense"), "IncompleteSignature"),
        (alibaba("/").with_header("x-big", &"a".repeat(100_000)), "InvalidParameter"),
        (
            HttpRequest::new("POST", "/openapi/ha3/instances")
                .with_header("Authorization", "acs ak:sig")
                .with_header("date", "Sun, 22 Nov 2026 18:54:58 GMT")
                .with_header("x-acs-version", "2021-10-25")
                .with_header("content-type", "application/json")
                .with_body("[1,2]"),
            "InvalidParameter",
        ),
        (
            HttpRequest::new("POST", "/")
                .with_header("X-TC-Action", "CreateInstance")
                .with_header("Authorization", "TC3-HMAC-SHA256 Credential=AKIDtest/2026-11-22/tcr/tc3_request, SignedHeaders=content-type;host, Signature=00")
                .with_header("X-TC-Version", "2019-09-24")
                .with_header("X-TC-Timestamp", "1795373698")
                .with_header("Content-Type", "application/json")
                .with_body("{\"a\":"),
            "InvalidParameter",
        ),
        (
            HttpRequest::new("POST", "/")
                .with_header("X-TC-Action", "CreateInstance")
                .with_header("Authorization", "TC3-HMAC-SHA256 garbage"),
            "AuthFailure.InvalidAuthorization",
        ),
        (
            HttpRequest::new("POST", "/")
                .with_header("X-TC-Action", "CreateInstance")
                .with_header("Authorization", "TC3-HMAC-SHA256 Credential=AKIDtest/2026-11-22/tcr/tc3_request, SignedHeaders=content-type;host, Signature=00")
                .with_header("X-TC-Version", "2019-09-24")
                .with_header("X-TC-Timestamp", "soon"),
            "InvalidParameter",
        ),
        (
            HttpRequest::new("POST", "/")
                .with_header("Content-Type", "application/x-www-form-urlencoded")
                .with_body("SecretId=AKIDtest&Action=X&Version=1&Timestamp=1&Nonce=abc&Signature=s"),
            "InvalidParameter",
        ),
        (
            HttpRequest::new("POST", "/")
                .with_header("Content-Type", "application/x-www-form-urlencoded")
                .with_body("SecretId=AKIDtest&Action=X"),
            "MissingParameter",
        ),
    ];
    for (req, want) in cases {
        let got = protocol::decode(&req).and_then(|call| {
            protocol::verify(
                &req,
                &call,
                &Credentials::test(),
                &VerifyOptions::at(call.auth.timestamp),
            )
            .map(|_| call)
        });
        let err = got.expect_err(&format!("{req:?}"));
        assert_eq!(err.code, want, "{}: {err}", req.target);
        assert!(!err.message.is_empty());
    }
}

// --- sign-then-verify round trips -------------------------------------------------------

const HOST: &str = "127.0.0.1:8080";

fn sign_input(ts: i64, nonce: &str, p: Provider) -> SignInput<'_> {
    match p {
        Provider::Alibaba => SignInput {
            host: HOST,
            key_id: "testAccessKeyId",
            secret: "testAccessKeySecret",
            timestamp: ts,
            nonce,
        },
        Provider::Tencent => SignInput {
            host: HOST,
            key_id: "AKIDtest",
            secret: "testSecretKey",
            timestamp: ts,
            nonce,
        },
    }
}

fn build(scheme: u8, params: &[(String, String)], ts: i64) -> HttpRequest {
    let json = || {
        let map: serde_json::Map<String, Value> = params
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        serde_json::to_vec(&map).unwrap()
    };
    use protocol::alibaba::{acs3, roa, rpc};
    use protocol::tencent::{tc3, v1};
    let a = sign_input(ts, "0123456789abcdef0123456789abcdef", Provider::Alibaba);
    let t = sign_input(ts, "12345", Provider::Tencent);
    match scheme {
        0 => rpc::build("GET", "CreateInstance", "2017-11-10", params, false, &a),
        1 => rpc::build("POST", "CreateInstance", "2017-11-10", params, true, &a),
        2 => acs3::build(
            "POST",
            "/",
            "CreateInstance",
            "2017-11-10",
            params,
            None,
            &a,
        ),
        3 => acs3::build(
            "POST",
            "/openapi/ha3/instances",
            "CreateInstance",
            "2021-10-25",
            &[],
            Some(&json()),
            &a,
        ),
        4 => roa::build(
            "POST",
            "/openapi/ha3/instances",
            "2021-10-25",
            &json(),
            &docpact_date(ts),
            &a,
        ),
        5 => tc3::build(
            "tcr",
            "CreateInstance",
            "2019-09-24",
            "ap-guangzhou",
            &json(),
            &t,
        ),
        6 => v1::build(
            "CreateInstance",
            "2019-09-24",
            "ap-guangzhou",
            params,
            v1::Method::HmacSha256,
            &t,
        ),
        _ => v1::build(
            "CreateInstance",
            "2019-09-24",
            "ap-guangzhou",
            params,
            v1::Method::HmacSha1,
            &t,
        ),
    }
}

fn docpact_date(ts: i64) -> String {
    // RFC 1123 from the ISO form: the weekday is not checked by the verifier.
    let iso = protocol::encoding::iso8601(ts);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m: usize = iso[5..7].parse().unwrap();
    format!(
        "Sun, {} {} {} {} GMT",
        &iso[8..10],
        months[m - 1],
        &iso[..4],
        &iso[11..19]
    )
}

fn decoded_params(call: &Call) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = match &call.body {
        Some(protocol::Json::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_str().unwrap_or_default().to_string()))
            .collect(),
        _ => call
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    out.sort();
    out
}

fn param_map() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        "[A-Z][A-Za-z]{0,12}",
        "Parameter\\.[1-9]\\.(Code|Value)",
        "Tags\\.[0-9]\\.Key",
    ];
    let value = prop_oneof![
        "\\PC{0,24}",
        "[ !*'();:@&=+$,/?#\\[\\]%~._-]{0,12}",
        Just(String::new()),
        "[a-z0-9 ]{1,10}",
    ];
    proptest::collection::btree_map(name, value, 1..8).prop_map(|m| {
        m.into_iter()
            .filter(|(k, _)| {
                ![
                    "Action",
                    "Version",
                    "Format",
                    "Region",
                    "Nonce",
                    "Timestamp",
                    "Signature",
                    "SecretId",
                    "Language",
                    "Token",
                    "RegionId",
                    "SignatureMethod",
                    "SignatureNonce",
                    "SignatureVersion",
                    "SignatureType",
                    "AccessKeyId",
                    "SecurityToken",
                    "RequestClient",
                ]
                .contains(&k.as_str())
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_round_trips(scheme in 0u8..8, params in param_map(), ts in 1_600_000_000i64..1_900_000_000) {
        prop_assume!(!params.is_empty());
        let req = build(scheme, &params, ts);
        let call = check(&req, &Credentials::test(), Some(ts)).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let mut want = params.clone();
        want.sort();
        prop_assert_eq!(decoded_params(&call), want);
        let expected = match scheme {
            0 | 1 => Scheme::RpcV1,
            2 | 3 => Scheme::Acs3,
            4 => Scheme::RoaV1,
            5 => Scheme::Tc3,
            _ => Scheme::TcV1,
        };
        prop_assert_eq!(call.scheme, expected);
    }

    #[test]
    fn any_changed_value_fails_verification(scheme in 0u8..8, params in param_map(), pick in any::<prop::sample::Index>(), extra in "[a-z]{1,3}") {
        prop_assume!(!params.is_empty());
        let ts = 1_795_373_698;
        let signed = build(scheme, &params, ts);
        let mut changed = params.clone();
        let i = pick.index(changed.len());
        changed[i].1.push_str(&extra);
        let unsigned = build(scheme, &changed, ts);
        // The changed content under the original signature.
        let mut forged = unsigned.clone();
        let auth = signed.header("authorization").map(String::from);
        if let Some(auth) = auth {
            forged.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            forged.headers.push(("Authorization".into(), auth));
            if let Some(md5) = signed.header("content-md5") {
                forged.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-md5"));
                forged.headers.push(("content-md5".into(), md5.to_string()));
            }
        } else {
            let sig = |r: &HttpRequest| {
                let text = if r.body.is_empty() { r.raw_query().to_string() } else { String::from_utf8(r.body.clone()).unwrap() };
                text.rsplit_once("&Signature=").unwrap().1.to_string()
            };
            let (old, new) = (sig(&signed), sig(&unsigned));
            if forged.body.is_empty() {
                forged.target = forged.target.replace(&format!("&Signature={new}"), &format!("&Signature={old}"));
            } else {
                let body = String::from_utf8(forged.body.clone()).unwrap();
                forged.body = body.replace(&format!("&Signature={new}"), &format!("&Signature={old}")).into_bytes();
            }
        }
        let result = check(&forged, &Credentials::test(), Some(ts));
        prop_assert!(result.is_err(), "a changed value verified: {:?}", forged);
    }
}
