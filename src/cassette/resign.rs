//! Re-signing: a request a client signed with docpact's test key, signed again with the real
//! key for the upstream, in the same scheme, with the same parameters in the same places.
//! Only what authentication needs changes: the key id, the security token, the host (signed
//! by ACS3, TC3 and Tencent v1) and the signature.

use crate::protocol::alibaba::{acs3, roa, rpc};
use crate::protocol::encoding::{parse_form, pct};
use crate::protocol::tencent::{tc3, v1};
use crate::protocol::{Call, HeaderSignature, HttpRequest, Scheme};

/// The key the upstream knows.
#[derive(Debug, Clone)]
pub struct UpstreamKey {
    /// AccessKeyId or SecretId.
    pub id: String,
    /// AccessKeySecret or SecretKey.
    pub secret: String,
    /// An STS security token (Alibaba) or session token (Tencent).
    pub token: Option<String>,
}

/// Why a request could not be signed again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot re-sign this {scheme} request: {why}")]
pub struct ResignError {
    scheme: &'static str,
    why: String,
}

fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Headers of `req` without `names` (case-insensitive), with `host` set.
fn headers_without(req: &HttpRequest, names: &[&str], host: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(n, _)| {
            !n.eq_ignore_ascii_case("host")
                && !n.eq_ignore_ascii_case("content-length")
                && !names.iter().any(|x| n.eq_ignore_ascii_case(x))
        })
        .cloned()
        .collect();
    out.insert(0, ("host".into(), host.to_string()));
    out
}

type Pairs = Vec<(String, String)>;

/// `s` parsed as a form, owning its text (the pairs are edited before they are re-encoded).
fn owned_form(s: &str) -> Result<Pairs, String> {
    let pairs = parse_form(s).map_err(|e| format!("{e:?}"))?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// Form pairs from the query and, for form bodies, the body.
fn form_parts(req: &HttpRequest) -> Result<(Pairs, Option<Pairs>), String> {
    let query = owned_form(req.raw_query())?;
    let form = req.has_media_type("application/x-www-form-urlencoded");
    let body = if form {
        let text = std::str::from_utf8(&req.body).map_err(|_| "the form body is not UTF-8")?;
        Some(owned_form(text)?)
    } else {
        None
    };
    Ok((query, body))
}

/// Replaces the key id, drops the signature and the client's token, adds the upstream token
/// where the key id was; returns whether the signature was in the body.
fn rekey(
    query: &mut Vec<(String, String)>,
    body: &mut Option<Vec<(String, String)>>,
    id_name: &str,
    token_name: &str,
    key: &UpstreamKey,
) -> bool {
    let signature_in_body = body
        .as_ref()
        .is_some_and(|b| b.iter().any(|(k, _)| k == "Signature"));
    for list in std::iter::once(&mut *query).chain(body.as_mut()) {
        let had_id = list.iter().any(|(k, _)| k == id_name);
        list.retain(|(k, _)| k != "Signature" && k != token_name);
        for (k, v) in list.iter_mut() {
            if k == id_name {
                *v = key.id.clone();
            }
        }
        if had_id && let Some(token) = &key.token {
            list.push((token_name.to_string(), token.clone()));
        }
    }
    signature_in_body
}

/// Rebuilds the request from its parts, the signature added where it was.
fn rebuild(
    req: &HttpRequest,
    host: &str,
    mut query: Vec<(String, String)>,
    mut body: Option<Vec<(String, String)>>,
    signature: String,
    in_body: bool,
) -> HttpRequest {
    match (&mut body, in_body) {
        (Some(b), true) => b.push(("Signature".into(), signature)),
        _ => query.push(("Signature".into(), signature)),
    }
    let target = format!("{}?{}", req.path(), encode(&query));
    HttpRequest {
        method: req.method.clone(),
        target,
        headers: headers_without(req, &[], host),
        body: body.map_or_else(|| req.body.clone(), |b| encode(&b).into_bytes()),
    }
}

/// `req`, decoded as `call`, signed again with `key` for `host` (the upstream's authority,
/// `host[:port]`).
pub fn resign(
    req: &HttpRequest,
    call: &Call,
    host: &str,
    key: &UpstreamKey,
) -> Result<HttpRequest, ResignError> {
    let err = |why: String| ResignError {
        scheme: call.scheme.name(),
        why,
    };
    match (&call.scheme, &call.header_signature) {
        (Scheme::RpcV1, _) => {
            let (mut query, mut body) = form_parts(req).map_err(err)?;
            let in_body = rekey(&mut query, &mut body, "AccessKeyId", "SecurityToken", key);
            let all: Vec<(String, String)> =
                query.iter().chain(body.iter().flatten()).cloned().collect();
            let signature = rpc::sign(&key.secret, &rpc::string_to_sign(&req.method, &all));
            Ok(rebuild(req, host, query, body, signature, in_body))
        }
        (Scheme::TcV1, _) => {
            let (mut query, mut body) = form_parts(req).map_err(err)?;
            let in_body = rekey(&mut query, &mut body, "SecretId", "Token", key);
            let all: Vec<(String, String)> =
                query.iter().chain(body.iter().flatten()).cloned().collect();
            let method = v1::Method::parse(
                all.iter()
                    .find(|(k, _)| k == "SignatureMethod")
                    .map(|(_, v)| v.as_str()),
            )
            .ok_or_else(|| err("an unknown SignatureMethod".into()))?;
            let sts = v1::string_to_sign(&req.method, host, req.path(), &all);
            let signature = v1::sign(method, &key.secret, &sts);
            Ok(rebuild(req, host, query, body, signature, in_body))
        }
        (Scheme::Acs3, Some(HeaderSignature::Acs3(auth))) => {
            let mut out = req.clone();
            out.headers = headers_without(req, &["authorization", "x-acs-security-token"], host);
            let mut signed: Vec<String> = auth
                .signed_headers
                .split(';')
                .map(str::to_ascii_lowercase)
                .collect();
            if let Some(token) = &key.token {
                out.headers
                    .push(("x-acs-security-token".into(), token.clone()));
                if !signed.iter().any(|s| s == "x-acs-security-token") {
                    signed.push("x-acs-security-token".into());
                    signed.sort();
                }
            } else {
                signed.retain(|s| s != "x-acs-security-token");
            }
            let query = parse_form(req.raw_query()).map_err(|e| err(format!("{e:?}")))?;
            let names: Vec<&str> = signed.iter().map(String::as_str).collect();
            let sts = acs3::string_to_sign(&acs3::canonical_request(&out, &query, &names));
            out.headers.push((
                "Authorization".into(),
                format!(
                    "{} Credential={},SignedHeaders={},Signature={}",
                    acs3::ALGORITHM,
                    key.id,
                    signed.join(";"),
                    acs3::sign(&key.secret, &sts)
                ),
            ));
            Ok(out)
        }
        (Scheme::RoaV1, _) => {
            let mut out = req.clone();
            out.headers = headers_without(req, &["authorization", "x-acs-security-token"], host);
            if let Some(token) = &key.token {
                out.headers
                    .push(("x-acs-security-token".into(), token.clone()));
            }
            let query = parse_form(req.raw_query()).map_err(|e| err(format!("{e:?}")))?;
            let sts = roa::string_to_sign(&out, &query);
            out.headers.push((
                "Authorization".into(),
                format!("acs {}:{}", key.id, roa::sign(&key.secret, &sts)),
            ));
            Ok(out)
        }
        (Scheme::Tc3, Some(HeaderSignature::Tc3(auth))) => {
            let mut out = req.clone();
            out.headers = headers_without(req, &["authorization", "x-tc-token"], host);
            if let Some(token) = &key.token {
                out.headers.push(("X-TC-Token".into(), token.clone()));
            }
            let names: Vec<&str> = auth.signed_headers.split(';').collect();
            let canonical = tc3::canonical_request(&out, &names, None);
            let ts = call.auth.timestamp.to_string();
            let sts = tc3::string_to_sign(&ts, &auth.date, &auth.service, &canonical);
            out.headers.push((
                "Authorization".into(),
                format!(
                    "{} Credential={}/{}/{}/tc3_request, SignedHeaders={}, Signature={}",
                    tc3::ALGORITHM,
                    key.id,
                    auth.date,
                    auth.service,
                    auth.signed_headers,
                    tc3::sign(&key.secret, &auth.date, &auth.service, &sts)
                ),
            ));
            Ok(out)
        }
        (scheme, _) => Err(err(format!(
            "{} without its Authorization header",
            scheme.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Wire, render};
    use crate::contract::{ContractSet, Provider};
    use crate::protocol::{
        Credentials, Key, SecretString, SignInput, VerifyOptions, decode, verify,
    };

    /// Every wire style of every built-in contract, signed with the test key, re-signed with
    /// another key for another host, verifies against that key and not the test key; the
    /// business parameters are untouched.
    #[test]
    fn every_scheme_re_signs_for_the_upstream() {
        let set = ContractSet::builtin().unwrap();
        let cases = crate::check::generate(
            &set,
            crate::check::CaseSettings {
                client_timeout_ms: 5_000,
            },
        );
        let mut seen = std::collections::BTreeSet::new();
        for loaded in set.iter() {
            let c = &loaded.contract;
            for (_, wire) in Wire::ALL {
                if !wire.serves(c) {
                    continue;
                }
                let (id, secret) = match c.provider {
                    Provider::Alibaba => ("testAccessKeyId", "testAccessKeySecret"),
                    Provider::Tencent => ("AKIDtest", "testSecretKey"),
                };
                let now = 1_795_373_698;
                let sign = SignInput {
                    host: "127.0.0.1:1",
                    key_id: id,
                    secret,
                    timestamp: now,
                    nonce: "n1",
                };
                let Some(case) = cases.cases.iter().find(|k| {
                    k.operation == loaded.id
                        && matches!(
                            k.kind,
                            crate::check::CaseKind::Sample | crate::check::CaseKind::Example
                        )
                }) else {
                    continue;
                };
                let params = case.calls[0].params.clone();
                let req = render(c, &params, wire, &sign);
                let call = decode(&req).unwrap();
                for token in [None, Some("sts-token-1".to_string())] {
                    let key = UpstreamKey {
                        id: "LTAIreal".into(),
                        secret: "realSecret".into(),
                        token: token.clone(),
                    };
                    let out = resign(&req, &call, "127.0.0.1:2", &key).unwrap();
                    let again = decode(&out).unwrap();
                    assert_eq!(again.params, call.params, "{}", call.scheme.name());
                    assert_eq!(again.body, call.body);
                    assert_eq!(again.auth.key_id, "LTAIreal");
                    assert_eq!(again.auth.security_token.as_deref(), token.as_deref());
                    let real = Credentials::test().with(Key {
                        provider: c.provider,
                        id: "LTAIreal".into(),
                        secret: SecretString::new("realSecret"),
                        disabled: false,
                    });
                    let mut opts = VerifyOptions::at(now);
                    opts.check_time = false;
                    verify(&out, &again, &real, &opts)
                        .unwrap_or_else(|e| panic!("{}: {e:?}", call.scheme.name()));
                    assert_eq!(out.header("host"), Some("127.0.0.1:2"));
                    assert!(!String::from_utf8_lossy(&out.to_http1()).contains(secret));
                }
                seen.insert(call.scheme.name());
            }
        }
        assert_eq!(seen.len(), 5, "{seen:?}");
    }
}
