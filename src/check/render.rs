//! Case parameters onto the wire, signed with docpact's own signers: the reference driver's
//! client, and how the checker learns what the server answers a case.

use serde_json::{Map, Value};

use crate::contract::{Contract, Provider, WireStyle};
use crate::protocol::alibaba::{acs3, roa, rpc};
use crate::protocol::tencent::{tc3, v1};
use crate::protocol::{HttpRequest, SignInput};

/// How the reference client signs and shapes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// Alibaba `ACS3-HMAC-SHA256`: RPC parameters in the query, ROA bodies as JSON.
    Acs3,
    /// Alibaba RPC signature v1, parameters in the query of a GET.
    RpcGet,
    /// Alibaba RPC signature v1, parameters in a form body.
    RpcPost,
    /// Alibaba ROA `acs AK:signature`.
    Roa,
    /// Tencent `TC3-HMAC-SHA256` with a JSON body.
    Tc3,
    /// Tencent v1 with `HmacSHA256`, a form body.
    TcHmacSha256,
    /// Tencent v1 with `HmacSHA1`, a form body.
    TcHmacSha1,
}

impl Wire {
    /// Every client of the reference driver, by name.
    pub const ALL: [(&'static str, Wire); 7] = [
        ("acs3", Wire::Acs3),
        ("rpc-get", Wire::RpcGet),
        ("rpc-post", Wire::RpcPost),
        ("roa", Wire::Roa),
        ("tc3", Wire::Tc3),
        ("tc-hmacsha256", Wire::TcHmacSha256),
        ("tc-hmacsha1", Wire::TcHmacSha1),
    ];

    /// The client called `name`.
    pub fn named(name: &str) -> Option<Wire> {
        Wire::ALL.iter().find(|(n, _)| *n == name).map(|(_, w)| *w)
    }

    /// The default for an operation: ACS3 for Alibaba, TC3 for Tencent.
    pub fn default_for(c: &Contract) -> Wire {
        match c.provider {
            Provider::Alibaba => Wire::Acs3,
            Provider::Tencent => Wire::Tc3,
        }
    }

    /// Whether this client can call `c` at all.
    pub fn serves(self, c: &Contract) -> bool {
        match self {
            Wire::Acs3 => c.provider == Provider::Alibaba,
            Wire::RpcGet | Wire::RpcPost => c.style == WireStyle::AlibabaRpc,
            Wire::Roa => c.style == WireStyle::AlibabaRoa,
            Wire::Tc3 | Wire::TcHmacSha256 | Wire::TcHmacSha1 => c.provider == Provider::Tencent,
        }
    }
}

/// A JSON value as the text a form or query carries (`true`, `12`, `a b`).
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// Flattens `params` into `Name.Sub` pairs; list items are numbered from `first`
/// (1 for Alibaba, 0 for Tencent v1), as the SDKs number them.
pub fn flatten(params: &Map<String, Value>, first: usize) -> Vec<(String, String)> {
    fn walk(prefix: &str, v: &Value, first: usize, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    walk(&format!("{prefix}.{k}"), v, first, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(&format!("{prefix}.{}", i + first), v, first, out);
                }
            }
            other => {
                if let Some(text) = text_of(other) {
                    out.push((prefix.to_string(), text));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (k, v) in params {
        match v {
            Value::Object(_) | Value::Array(_) => walk(k, v, first, &mut out),
            other => {
                if let Some(text) = text_of(other) {
                    out.push((k.clone(), text));
                }
            }
        }
    }
    out
}

/// The region a request names (Tencent's `Region`, Alibaba's `RegionId`).
const TENCENT_REGION: &str = "ap-guangzhou";

/// Builds the signed request `wire` makes for `params` against `c`.
pub fn render(
    c: &Contract,
    params: &Map<String, Value>,
    wire: Wire,
    s: &SignInput<'_>,
) -> HttpRequest {
    match wire {
        Wire::Acs3 if c.style == WireStyle::AlibabaRoa => {
            let body = roa_body(params);
            let method = c.http.methods.first().map_or("POST", String::as_str);
            acs3::build(
                method,
                &c.http.path,
                &c.action,
                &c.version,
                &[],
                Some(&body),
                s,
            )
        }
        Wire::Acs3 => acs3::build(
            "POST",
            "/",
            &c.action,
            &c.version,
            &flatten(params, 1),
            None,
            s,
        ),
        Wire::RpcGet | Wire::RpcPost => {
            let method = if wire == Wire::RpcGet { "GET" } else { "POST" };
            rpc::build(
                method,
                &c.action,
                &c.version,
                &flatten(params, 1),
                wire == Wire::RpcPost,
                s,
            )
        }
        Wire::Roa => {
            let body = roa_body(params);
            let method = c.http.methods.first().map_or("POST", String::as_str);
            let date = crate::protocol::encoding::rfc1123(s.timestamp);
            roa::build(method, &c.http.path, &c.version, &body, &date, s)
        }
        Wire::Tc3 => {
            let body = serde_json::to_vec(params).unwrap_or_default();
            tc3::build(&c.service, &c.action, &c.version, TENCENT_REGION, &body, s)
        }
        Wire::TcHmacSha256 | Wire::TcHmacSha1 => {
            let method = if wire == Wire::TcHmacSha1 {
                v1::Method::HmacSha1
            } else {
                v1::Method::HmacSha256
            };
            // Tencent v1 nonces are integers.
            let nonce = if !s.nonce.is_empty() && s.nonce.bytes().all(|b| b.is_ascii_digit()) {
                s.nonce.to_string()
            } else {
                let h = s
                    .nonce
                    .bytes()
                    .fold(17u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
                (h % 2_000_000_000 + 1).to_string()
            };
            let s = SignInput {
                nonce: &nonce,
                ..*s
            };
            v1::build(
                &c.action,
                &c.version,
                TENCENT_REGION,
                &flatten(params, 0),
                method,
                &s,
            )
        }
    }
}

fn roa_body(params: &Map<String, Value>) -> Vec<u8> {
    match params.get("body") {
        Some(body) => serde_json::to_vec(body).unwrap_or_default(),
        None => b"{}".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;
    use serde_json::json;

    fn sign() -> SignInput<'static> {
        SignInput {
            host: "127.0.0.1:1",
            key_id: "AKIDtest",
            secret: "testSecretKey",
            timestamp: 1_795_373_698,
            nonce: "n",
        }
    }

    #[test]
    fn flattening_numbers_lists_as_each_provider_does() {
        let p =
            json!({"Tags": [{"Key": "a"}, {"Key": "b"}], "Period": 12, "On": true, "Gone": null});
        let p = p.as_object().unwrap();
        assert_eq!(
            flatten(p, 0),
            [
                ("Tags.0.Key".to_string(), "a".to_string()),
                ("Tags.1.Key".into(), "b".into()),
                ("Period".into(), "12".into()),
                ("On".into(), "true".into())
            ]
        );
        assert_eq!(flatten(p, 1)[1].0, "Tags.2.Key");
    }

    #[test]
    fn every_client_renders_a_request_the_protocol_layer_decodes() {
        let set = ContractSet::builtin().unwrap();
        let tcr = &set.find("tcr/2019-09-24/CreateInstance").unwrap().contract;
        let ha = &set
            .find("searchengine/2021-10-25/CreateInstance")
            .unwrap()
            .contract;
        let ens = &set.find("ens/2017-11-10/CreateInstance").unwrap().contract;
        let tp = json!({"RegistryName": "a", "Tags": [{"Key": "k"}]});
        let ap = json!({"body": {"chargeType": "PREPAY"}});
        let ep = json!({"Quantity": 1, "InstanceType": "x"});
        for (name, wire) in Wire::ALL {
            for (c, p) in [(tcr, &tp), (ha, &ap), (ens, &ep)] {
                if !wire.serves(c) {
                    continue;
                }
                let req = render(c, p.as_object().unwrap(), wire, &sign());
                let call = crate::protocol::decode(&req)
                    .unwrap_or_else(|e| panic!("{name} on {}: {e}", c.action));
                assert_eq!(call.version, c.version, "{name}");
            }
        }
    }
}
