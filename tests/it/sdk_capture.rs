//! The official Python SDKs, unmodified, against a capturing wiremock server on loopback:
//! every request they send decodes and verifies, and altered copies fail with the provider's
//! exact error. The SDKs are installed by `drivers/setup.sh` (pinned in
//! `drivers/python/requirements.txt`).

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use docpact::contract::Provider;
use docpact::protocol::{self, Credentials, HttpRequest};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::protocol::{alter_one_byte, check};
use crate::support::root;

/// Runs the project's setup script and returns the virtualenv's python.
pub fn python_with_sdks() -> String {
    let out = std::process::Command::new(root().join("drivers/setup.sh"))
        .output()
        .expect("drivers/setup.sh runs");
    assert!(
        out.status.success(),
        "installing the Python SDKs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

fn to_http(r: &wiremock::Request) -> HttpRequest {
    let target = match r.url.query() {
        Some(q) => format!("{}?{q}", r.url.path()),
        None => r.url.path().to_string(),
    };
    HttpRequest {
        method: r.method.to_string(),
        target,
        headers: r
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: r.body.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_requests_decode_and_verify() {
    let python = python_with_sdks();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    let endpoint = format!("127.0.0.1:{}", server.address().port());
    let out = tokio::process::Command::new(&python)
        .arg(root().join("drivers/python/capture.py"))
        .arg(&endpoint)
        .output()
        .await
        .expect("capture.py runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report.lines().count(), 8, "{report}");

    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 8, "one request per SDK call: {report}");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let mut schemes = BTreeSet::new();
    for r in &received {
        let req = to_http(r);
        let call = check(&req, &Credentials::test(), Some(now))
            .unwrap_or_else(|e| panic!("{} {}: {e}", req.method, req.target));
        assert_eq!(
            call.action.as_deref(),
            Some("CreateInstance"),
            "{}",
            req.target
        );
        schemes.insert(call.scheme.name());

        let provider = protocol::guess_provider(&req);
        let (signature, unknown, expired) = match provider {
            Provider::Alibaba => (
                "SignatureDoesNotMatch",
                "InvalidAccessKeyId.NotFound",
                "InvalidTimeStamp.Expired",
            ),
            Provider::Tencent => (
                "AuthFailure.SignatureFailure",
                "AuthFailure.SecretIdNotFound",
                "AuthFailure.SignatureExpire",
            ),
        };
        let code = |r: Result<_, protocol::ProviderError>| r.expect_err(&req.target).code;
        let altered = alter_one_byte(&req);
        assert_eq!(
            code(check(&altered, &Credentials::test(), Some(now))),
            signature
        );
        let wrong = Credentials::parse(&format!(
            r#"{{"format_version":1,"keys":[{{"provider":"{}","id":"{}","secret":"wrong"}}]}}"#,
            match provider {
                Provider::Alibaba => "alibaba",
                Provider::Tencent => "tencent",
            },
            call.auth.key_id
        ))
        .expect("credentials");
        assert_eq!(code(check(&req, &wrong, Some(now))), signature);
        let nobody = Credentials::parse(r#"{"format_version":1,"keys":[]}"#).expect("credentials");
        assert_eq!(code(check(&req, &nobody, Some(now))), unknown);
        assert_eq!(
            code(check(&req, &Credentials::test(), Some(now + 3600))),
            expired
        );
    }
    assert_eq!(
        schemes.into_iter().collect::<Vec<_>>(),
        vec!["acs3", "roa-v1", "rpc-v1", "tc-v1", "tc3"],
        "every scheme the Python SDKs use was exercised"
    );
}
