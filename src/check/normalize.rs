//! A request as a client put it on the wire, made stable for a snapshot: decoded, its
//! signature verified, checked against its contract, volatile values replaced by markers
//! that say what was verified (`[TC3-HMAC-SHA256 verified]`, `[timestamp within window]`).

use serde_json::{Map, Value, json};

use crate::contract::{ContractSet, Provider};
use crate::protocol::{
    Call, Credentials, Scheme, SigningKeys, VerifyOptions, decode, encoding::pct,
};
use crate::replay::Exchange;
use crate::validate::validate;

/// Headers that say nothing about the client's conformance (transport plumbing).
const DROPPED: &[&str] = &[
    "connection",
    "keep-alive",
    "content-length",
    "transfer-encoding",
    "accept-encoding",
    "te",
];

/// Headers whose values change with every request or every SDK release.
const SDK_AGENT: &[&str] = &["user-agent", "x-sdk-client", "x-tc-requestclient"];

/// A normalized request and what the checker learnt from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The stable form, for the snapshot.
    pub value: Value,
    /// What is wrong with the request (signature, time, contract), in words.
    pub problems: Vec<String>,
    /// Volatile strings seen in the request and the marker each becomes in answers.
    pub volatile: Vec<(String, String)>,
    /// The decoded call, when the request could be decoded.
    pub call: Option<Call<'static>>,
    /// Whether its signature verified with the keys given.
    pub verified: bool,
}

/// The words for a scheme: `TC3-HMAC-SHA256`, `RPC HMAC-SHA1`.
fn scheme_label(call: &Call) -> String {
    match call.scheme {
        Scheme::Acs3 => "ACS3-HMAC-SHA256".into(),
        Scheme::RpcV1 => "RPC HMAC-SHA1".into(),
        Scheme::RoaV1 => "ROA HMAC-SHA1".into(),
        Scheme::Tc3 => "TC3-HMAC-SHA256".into(),
        Scheme::TcV1 => {
            let method = call
                .signed()
                .find(|(k, _)| k == "SignatureMethod")
                .map_or("HmacSHA1", |(_, v)| v.as_ref());
            format!("Tencent v1 {method}")
        }
    }
}

/// Sorts object keys all the way down, so snapshots do not depend on a client's order.
pub fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The window a provider allows between signing and arrival, seconds.
fn window(p: Provider) -> i64 {
    match p {
        Provider::Alibaba => 15 * 60,
        Provider::Tencent => 5 * 60,
    }
}

/// Normalizes one captured request. `creds` are the keys the case signed with;
/// `breaks_contract` is true when the case sends an invalid request on purpose.
pub fn normalize(
    ex: &Exchange,
    set: &ContractSet,
    creds: &Credentials,
    breaks_contract: bool,
) -> Normalized {
    let req = ex.request.to_request();
    let mut problems = Vec::new();
    let mut volatile = Vec::new();
    let mut out = Map::new();
    out.insert("method".into(), json!(req.method));
    out.insert("path".into(), json!(req.path()));
    let call = match decode(&req) {
        Ok(call) => Some(call),
        Err(e) => {
            problems.push(format!(
                "the server cannot decode the request: {} {}",
                e.code, e.message
            ));
            out.insert(
                "undecodable".into(),
                json!(format!("{}: {}", e.code, e.message)),
            );
            None
        }
    };
    let mut verified = false;
    let mut time_marker = "[timestamp]".to_string();
    let mut sig_marker = "[signature]".to_string();
    if let Some(call) = &call {
        let label = scheme_label(call);
        out.insert("scheme".into(), json!(label));
        let now = ex.time_ms.div_euclid(1000);
        let skew = (call.auth.timestamp - now).abs();
        time_marker = if skew <= window(call.provider) {
            "[timestamp within window]".into()
        } else {
            problems.push(format!(
                "the request was signed {skew} s away from its arrival, outside the provider's window"
            ));
            "[timestamp outside window]".into()
        };
        let mut opts = VerifyOptions::at(now);
        opts.check_time = false;
        sig_marker = match crate::protocol::verify_with(
            &req,
            call,
            creds,
            &opts,
            &mut SigningKeys::new(2),
        ) {
            Ok(()) => {
                verified = true;
                format!("[{label} verified]")
            }
            Err(e) => format!("[{label} does not verify: {}]", e.code),
        };
        if let Some(n) = &call.auth.nonce {
            volatile.push((n.to_string(), "[nonce]".to_string()));
        }
        // Parameters in documented names, sorted.
        let mut params = Map::new();
        let mut names: Vec<(&str, &str)> = call
            .params
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        names.sort();
        for (k, v) in names {
            params.insert(k.to_string(), json!(v));
        }
        if let Some(body) = &call.body {
            out.insert("body".into(), sorted(&body.to_value()));
        }
        if !params.is_empty() {
            out.insert("params".into(), Value::Object(params));
        }
        let business: std::collections::HashSet<&str> =
            call.params.iter().map(|(k, _)| k.as_ref()).collect();
        let mut common: Vec<(String, String)> = call
            .signed()
            .filter(|(k, _)| !business.contains(k.as_ref()))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        common.sort();
        let mut cm = Map::new();
        for (k, v) in common {
            let marked = match k.as_str() {
                "Timestamp" => {
                    volatile.push((v.clone(), time_marker.clone()));
                    time_marker.clone()
                }
                "SignatureNonce" | "Nonce" => {
                    volatile.push((v.clone(), "[nonce]".into()));
                    "[nonce]".into()
                }
                "Signature" => {
                    volatile.push((v.clone(), "[signature]".into()));
                    sig_marker.clone()
                }
                _ => v,
            };
            cm.insert(k, json!(marked));
        }
        if !cm.is_empty() {
            out.insert("common".into(), Value::Object(cm));
        }
        // Against the contract, as the server would judge it with no queued outcome.
        if !breaks_contract && let Ok((base, profile)) = crate::replay::route_call(set, call) {
            for c in std::iter::once(&base.contract).chain(profile.map(|p| &p.contract)) {
                if let Some(v) = validate(call, c).into_iter().next() {
                    problems.push(format!(
                        "the request breaks the contract: {} {}",
                        v.param, v.detail
                    ));
                    break;
                }
            }
        }
    }
    // Headers that matter, with volatile values marked.
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &ex.request.headers {
        let lower = name.to_ascii_lowercase();
        if DROPPED.contains(&lower.as_str()) {
            continue;
        }
        let marked = match lower.as_str() {
            "authorization" => {
                volatile.push((value.clone(), "[authorization]".into()));
                if let Some(sig) = value
                    .rsplit("Signature=")
                    .next()
                    .filter(|s| s.len() < value.len())
                {
                    volatile.push((sig.to_string(), "[signature]".into()));
                }
                if let Some((_, sig)) = value.strip_prefix("acs ").and_then(|v| v.split_once(':')) {
                    volatile.push((sig.to_string(), "[signature]".into()));
                }
                sig_marker.clone()
            }
            "x-acs-date" | "x-tc-timestamp" | "date" => {
                volatile.push((value.clone(), time_marker.clone()));
                time_marker.clone()
            }
            "x-acs-signature-nonce" => "[nonce]".into(),
            "x-acs-content-sha256" => "[payload hash]".into(),
            "content-md5" => "[content-md5]".into(),
            "x-tc-traceid" => {
                volatile.push((value.clone(), "[trace id]".into()));
                "[trace id]".into()
            }
            "host" => "[endpoint]".into(),
            n if SDK_AGENT.contains(&n) => {
                volatile.push((value.clone(), "[sdk user agent]".into()));
                "[sdk user agent]".into()
            }
            _ => value.clone(),
        };
        headers.push((lower, marked));
    }
    headers.sort();
    let mut hm = Map::new();
    for (k, v) in headers {
        // Repeated headers are joined, as HTTP folds them.
        match hm.get_mut(&k) {
            Some(Value::String(s)) => {
                s.push_str(", ");
                s.push_str(&v);
            }
            _ => {
                hm.insert(k, json!(v));
            }
        }
    }
    out.insert("headers".into(), Value::Object(hm));
    let mut answer = Map::new();
    if ex.reset {
        answer.insert(
            "closed".into(),
            json!("the connection was closed without an answer"),
        );
    } else {
        answer.insert("status".into(), json!(ex.response.status));
        let provider = call.as_ref().map_or(Provider::Alibaba, |c| c.provider);
        if let Some((code, _)) =
            super::oracle::error_of(provider, ex.response.status, ex.response.body.as_bytes())
        {
            answer.insert("error".into(), json!(code));
        }
    }
    if ex.delay_ms > 0 {
        answer.insert("delay_ms".into(), json!(ex.delay_ms));
    }
    out.insert("served".into(), Value::Object(answer));
    Normalized {
        value: Value::Object(out),
        problems,
        volatile,
        call: call.map(Call::into_owned),
        verified,
    }
}

/// Replaces volatile strings (and their percent-encoded forms) in every string of `v`.
pub fn redact(v: &Value, volatile: &[(String, String)]) -> Value {
    match v {
        Value::String(s) => Value::String(redact_text(s, volatile)),
        Value::Array(a) => Value::Array(a.iter().map(|x| redact(x, volatile)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), redact(x, volatile)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// [`redact`] for one string; Alibaba's string-to-sign in signature errors is cut, as it
/// holds a hash of every volatile value.
pub fn redact_text(s: &str, volatile: &[(String, String)]) -> String {
    let mut out = s.to_string();
    const STS: &str = "server string to sign is:";
    if let Some(at) = out.find(STS) {
        out.truncate(at + STS.len());
        out.push_str(" [string to sign]");
    }
    let mut needles: Vec<(String, &str)> = Vec::new();
    for (needle, marker) in volatile {
        if needle.len() < 4 {
            continue;
        }
        let once = pct(needle);
        let twice = pct(&once);
        let form = once.replace("%20", "+");
        for n in [twice, once, form, needle.clone()] {
            needles.push((n, marker));
        }
    }
    // Longest first, so a value is not half-replaced by a shorter one inside it.
    needles.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    for (n, marker) in needles {
        if out.contains(&n) {
            out = out.replace(&n, marker);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::render::{Wire, render};
    use crate::protocol::SignInput;
    use crate::replay::Message;

    fn exchange(req: &crate::protocol::HttpRequest, time_ms: i64) -> Exchange {
        Exchange {
            seq: 0,
            time_ms,
            request: Message {
                method: req.method.clone(),
                target: req.target.clone(),
                status: 0,
                headers: req.headers.clone(),
                body: String::from_utf8_lossy(&req.body).into_owned(),
                truncated: false,
            },
            response: Message {
                method: String::new(),
                target: String::new(),
                status: 200,
                headers: vec![],
                body: "{}".into(),
                truncated: false,
            },
            operation: None,
            detail: None,
            delay_ms: 0,
            reset: false,
        }
    }

    #[test]
    fn volatile_values_become_markers_that_say_what_was_verified() {
        let set = ContractSet::builtin().unwrap();
        let ens = &set.find("ens/2017-11-10/CreateInstance").unwrap().contract;
        let params = crate::check::params::build(ens, crate::check::params::Fill::Required);
        let t = 1_795_373_698;
        let s = SignInput {
            host: "127.0.0.1:4242",
            key_id: "testAccessKeyId",
            secret: "testAccessKeySecret",
            timestamp: t,
            nonce: "0123456789abcdef",
        };
        for wire in [Wire::Acs3, Wire::RpcGet, Wire::RpcPost] {
            let req = render(ens, &params, wire, &s);
            let n = normalize(&exchange(&req, t * 1000), &set, &Credentials::test(), false);
            assert!(n.problems.is_empty(), "{wire:?}: {:?}", n.problems);
            let text = n.value.to_string();
            assert!(text.contains("verified]"), "{text}");
            assert!(
                !text.contains("0123456789abcdef"),
                "the nonce is volatile: {text}"
            );
            assert!(!text.contains("4242"), "the port is volatile: {text}");
            assert!(text.contains("\"InstanceType\":\"ens.se1.tiny\""), "{text}");
        }
        // Signed an hour before it arrived, with another secret.
        let bad = SignInput {
            secret: "other",
            ..s
        };
        let req = render(ens, &params, Wire::RpcGet, &bad);
        let n = normalize(
            &exchange(&req, (t + 3600) * 1000),
            &set,
            &Credentials::test(),
            false,
        );
        let text = n.value.to_string();
        assert!(
            text.contains("[RPC HMAC-SHA1 does not verify: SignatureDoesNotMatch]"),
            "{text}"
        );
        assert!(text.contains("[timestamp outside window]"), "{text}");
        assert_eq!(n.problems.len(), 1, "{:?}", n.problems);
    }

    #[test]
    fn redaction_covers_encoded_forms_and_the_string_to_sign() {
        let v = vec![("2026-11-22T18:54:57Z".to_string(), "[ts]".to_string())];
        assert_eq!(
            redact_text(
                "at 2026-11-22T18%3A54%3A57Z and 2026-11-22T18%253A54%253A57Z",
                &v
            ),
            "at [ts] and [ts]"
        );
        assert_eq!(
            redact_text("not matched. server string to sign is:GET&%2F&x", &v),
            "not matched. server string to sign is: [string to sign]"
        );
    }
}
