//! The reference driver (`docpact driver`): a client built on docpact's own signers that
//! speaks the driver protocol in stream mode. It shows what a conforming client does, and
//! lets the checker's tests run without any SDK.
//!
//! Clients (`--client`, or `DOCPACT_CLIENT`): `acs3` (default for Alibaba), `rpc-get`,
//! `rpc-post`, `roa`, `tc3` (default for Tencent), `tc-hmacsha256`, `tc-hmacsha1`.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;
use tokio_rustls::rustls::ClientConfig;

use super::http::{send, tls_trusting};
use super::protocol::{Answer, CaseMessage, ClientError, DRIVER_PROTOCOL_VERSION};
use super::render::{Wire, render};
use crate::contract::{ContractSet, Provider};
use crate::protocol::SignInput;

/// The driver's settings, from its environment.
#[derive(Debug, Clone)]
pub struct ReferenceDriver {
    endpoint: String,
    alibaba: (String, String),
    tencent: (String, String),
    timeout: Duration,
    client: Option<String>,
    ca_cert: Option<String>,
}

impl ReferenceDriver {
    /// Settings from `DOCPACT_*` variables (test keys and 10 s when unset).
    pub fn from_env() -> ReferenceDriver {
        let var = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        ReferenceDriver {
            endpoint: var("DOCPACT_ENDPOINT", "127.0.0.1:8080"),
            alibaba: (
                var("DOCPACT_ACCESS_KEY_ID", crate::protocol::TEST_ACCESS_KEY_ID),
                var(
                    "DOCPACT_ACCESS_KEY_SECRET",
                    crate::protocol::TEST_ACCESS_KEY_SECRET,
                ),
            ),
            tencent: (
                var("DOCPACT_SECRET_ID", crate::protocol::TEST_SECRET_ID),
                var("DOCPACT_SECRET_KEY", crate::protocol::TEST_SECRET_KEY),
            ),
            timeout: Duration::from_millis(
                var("DOCPACT_CLIENT_TIMEOUT_MS", "10000")
                    .parse()
                    .unwrap_or(10_000),
            ),
            client: std::env::var("DOCPACT_CLIENT")
                .ok()
                .filter(|c| !c.is_empty()),
            ca_cert: std::env::var("DOCPACT_CA_CERT")
                .ok()
                .filter(|c| !c.is_empty()),
        }
    }

    /// Uses `client` unless a case names another.
    pub fn with_client(mut self, client: &str) -> ReferenceDriver {
        self.client = Some(client.to_string());
        self
    }

    async fn call(
        &self,
        set: &ContractSet,
        tls: Option<Arc<ClientConfig>>,
        case: &CaseMessage,
        nonce: u64,
    ) -> Answer {
        let fail = |code: &str, message: String| Answer {
            id: case.id.clone(),
            ok: false,
            parsed: None,
            error: Some(ClientError {
                code: Some(code.to_string()),
                message: Some(message),
                request_id: None,
                http_status: None,
            }),
        };
        let Ok(loaded) = set.find(&case.operation) else {
            return fail(
                "UnknownOperation",
                format!("this driver does not know {}", case.operation),
            );
        };
        let c = &loaded.contract;
        let client = case.client.clone().or_else(|| self.client.clone());
        let wire = match client.as_deref() {
            None => Wire::default_for(c),
            Some(name) => match Wire::named(name) {
                Some(w) if w.serves(c) => w,
                Some(_) => {
                    return fail(
                        "UnsupportedClient",
                        format!("client {name} cannot call {}", case.operation),
                    );
                }
                None => return fail("UnknownClient", format!("no client named {name}")),
            },
        };
        let (key_id, secret) = match (&case.credentials, c.provider) {
            (Some(k), _) => (k.key_id.clone(), k.secret.clone()),
            (None, Provider::Alibaba) => self.alibaba.clone(),
            (None, Provider::Tencent) => self.tencent.clone(),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let nonce = format!("{:x}{nonce:08x}", now);
        let sign = SignInput {
            host: &self.endpoint,
            key_id: &key_id,
            secret: &secret,
            timestamp: now,
            nonce: &nonce,
        };
        let req = render(c, &case.params, wire, &sign);
        let res = match send(&self.endpoint, tls, &req, self.timeout).await {
            Ok(r) => r,
            Err(e) => return fail("ClientNetworkError", e.to_string()),
        };
        let body: Value = match serde_json::from_slice(&res.body) {
            Ok(v) => v,
            Err(e) => {
                let mut a = fail("InvalidResponse", format!("the answer is not JSON: {e}"));
                if let Some(err) = a.error.as_mut() {
                    err.http_status = Some(res.status);
                }
                return a;
            }
        };
        let (error, parsed, rid) = match c.provider {
            Provider::Tencent => {
                let r = body.get("Response").cloned().unwrap_or(Value::Null);
                let rid = r
                    .get("RequestId")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                (r.get("Error").cloned(), r, rid)
            }
            Provider::Alibaba => {
                let rid = body
                    .get("RequestId")
                    .or_else(|| body.get("requestId"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let error = (res.status >= 300).then(|| body.clone());
                (error, body, rid)
            }
        };
        match error {
            Some(e) => Answer {
                id: case.id.clone(),
                ok: false,
                parsed: None,
                error: Some(ClientError {
                    code: e.get("Code").and_then(Value::as_str).map(str::to_string),
                    message: e.get("Message").and_then(Value::as_str).map(str::to_string),
                    request_id: rid,
                    http_status: Some(res.status),
                }),
            },
            None if res.status >= 300 => {
                let mut a = fail("HttpError", format!("HTTP {}", res.status));
                if let Some(err) = a.error.as_mut() {
                    err.http_status = Some(res.status);
                    err.request_id = rid;
                }
                a
            }
            None => Answer {
                id: case.id.clone(),
                ok: true,
                parsed: Some(parsed),
                error: None,
            },
        }
    }

    /// Reads cases from standard input and answers each on standard output until the input
    /// ends. `set` holds the operations it can call.
    pub async fn serve(&self, set: &ContractSet) -> std::io::Result<()> {
        let tls = match &self.ca_cert {
            Some(path) => Some(tls_trusting(path).map_err(std::io::Error::other)?),
            None => None,
        };
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{}",
            json!({"docpact_driver": {"protocol": DRIVER_PROTOCOL_VERSION, "operations": ["*"],
                   "about": format!("docpact reference driver {}", env!("CARGO_PKG_VERSION"))}})
        )?;
        out.flush()?;
        drop(out);
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        let mut n = 0u64;
        while let Some(line) = lines.next_line().await? {
            if line.trim().is_empty() {
                continue;
            }
            n += 1;
            let answer = match serde_json::from_str::<CaseMessage>(&line) {
                Ok(case) => self.call(set, tls.clone(), &case, n).await,
                Err(e) => Answer {
                    id: serde_json::from_str::<Value>(&line)
                        .ok()
                        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
                        .unwrap_or_default(),
                    ok: false,
                    parsed: None,
                    error: Some(ClientError {
                        code: Some("InvalidCase".into()),
                        message: Some(format!("the case cannot be read: {e}")),
                        request_id: None,
                        http_status: None,
                    }),
                },
            };
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{}",
                serde_json::to_string(&answer).unwrap_or_default()
            )?;
            out.flush()?;
        }
        Ok(())
    }
}
