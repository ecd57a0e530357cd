//! HAR 1.2 export and import: a cassette opens in any HAR viewer, and traffic captured by a
//! browser, mitmproxy or another tool becomes a cassette. Exported requests are rebuilt
//! unsigned from the decoded parameters (a cassette keeps no signatures); imported ones are
//! decoded as `serve` decodes them and redacted as `record` redacts.

use serde_json::{Value, json};

use super::format::{Body, Cassette, FORMAT_VERSION, Interaction, pairs};
use super::record::redacted_interaction;
use super::redact::Redactor;
use crate::contract::{ContractSet, Provider, WireStyle};
use crate::protocol::encoding::pct;
use crate::protocol::{HttpRequest, HttpResponse, decode, decode_unsigned};
use crate::replay::route_call;

fn name_values(list: &[(String, String)]) -> Value {
    Value::Array(
        list.iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect(),
    )
}

fn reason(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// One entry: the request rebuilt unsigned as the provider's wire style carries it.
fn entry(it: &Interaction, set: &ContractSet) -> Value {
    let contract = set
        .iter()
        .find(|l| l.id == it.operation)
        .map(|l| &l.contract);
    let host = contract.map_or("localhost", |c| c.endpoint.host.as_str());
    let req = &it.request;
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = vec![("Host".into(), host.to_string())];
    let mut post: Option<(String, String)> = None;
    let common = pairs(&req.common);
    let params = pairs(&req.params);
    match contract {
        Some(c) if c.provider == Provider::Tencent => {
            headers.push(("X-TC-Action".into(), c.action.clone()));
            headers.push(("X-TC-Version".into(), c.version.clone()));
            for (k, v) in &common {
                headers.push((format!("X-TC-{k}"), v.clone()));
            }
            if req.body.is_none() && !params.is_empty() {
                // Sent as a form (Tencent's v1 style): the parameters stay flat.
                let form: Vec<String> = params
                    .iter()
                    .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
                    .collect();
                if req.method == "GET" {
                    query = params;
                } else {
                    post = Some(("application/x-www-form-urlencoded".into(), form.join("&")));
                }
            } else {
                let body = req.body.clone().unwrap_or_else(|| json!({}));
                post = Some(("application/json".into(), body.to_string()));
            }
        }
        Some(c) if c.style == WireStyle::AlibabaRoa => {
            headers.push(("x-acs-version".into(), c.version.clone()));
            query.extend(params);
            query.extend(common);
            if let Some(b) = &req.body {
                post = Some(("application/json".into(), b.to_string()));
            }
        }
        Some(c) => {
            query.push(("Action".into(), c.action.clone()));
            query.push(("Version".into(), c.version.clone()));
            query.extend(common);
            if req.method == "GET" {
                query.extend(params);
            } else {
                let form: Vec<String> = params
                    .iter()
                    .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
                    .collect();
                post = Some(("application/x-www-form-urlencoded".into(), form.join("&")));
            }
        }
        None => query.extend(params),
    }
    if let Some((mime, _)) = &post {
        headers.push(("Content-Type".into(), mime.clone()));
    }
    let q: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect();
    let url = if q.is_empty() {
        format!("https://{host}{}", req.path)
    } else {
        format!("https://{host}{}?{}", req.path, q.join("&"))
    };
    let mut request = json!({
        "method": req.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": name_values(&headers),
        "queryString": name_values(&query),
        "headersSize": -1,
        "bodySize": post.as_ref().map_or(0, |(_, t)| t.len() as i64),
    });
    if let Some((mime, text)) = post {
        request["postData"] = json!({"mimeType": mime, "text": text});
    }
    let resp = &it.response;
    let bytes = resp.body.to_bytes();
    let mime = resp
        .headers
        .get("content-type")
        .cloned()
        .unwrap_or_else(|| "application/json".into());
    let mut content = json!({"size": bytes.len(), "mimeType": mime});
    match &resp.body {
        Body::Base64(b) => {
            content["text"] = json!(b);
            content["encoding"] = json!("base64");
        }
        _ => content["text"] = json!(String::from_utf8_lossy(&bytes)),
    }
    let response_headers: Vec<(String, String)> = resp
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    json!({
        "startedDateTime": it.recorded_at,
        "time": 0,
        "request": request,
        "response": {
            "status": resp.status,
            "statusText": reason(resp.status),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": name_values(&response_headers),
            "content": content,
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": bytes.len(),
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
        "_docpactOperation": it.operation,
        "_docpactScheme": it.request.scheme,
    })
}

/// A cassette as a HAR 1.2 log.
pub fn export(cassette: &Cassette, set: &ContractSet) -> Value {
    json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "docpact", "version": env!("CARGO_PKG_VERSION")},
            "entries": cassette.interactions.iter().map(|it| entry(it, set)).collect::<Vec<_>>(),
        }
    })
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The interactions of a HAR log: each entry decoded (signed or not) and routed to a
/// contract, redacted; entries docpact cannot place are left out with a note saying why.
pub fn import(
    har: &Value,
    set: &ContractSet,
    cassette: &mut Cassette,
    patterns: Vec<regex::Regex>,
) -> Result<Vec<String>, String> {
    let entries = har
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or("not a HAR file: no log.entries")?;
    let redactor = Redactor::new(&cassette.salt, Vec::new(), patterns);
    let mut notes = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let req = &e["request"];
        let url = str_at(req, "url");
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            notes.push(format!("entry {i}: the URL {url:?} is not http(s)"));
            continue;
        };
        let target = rest.find('/').map_or("/", |at| &rest[at..]);
        let host = rest.split('/').next().unwrap_or_default();
        let mut http = HttpRequest::new(str_at(req, "method"), target);
        let mut has_host = false;
        for h in req["headers"].as_array().into_iter().flatten() {
            let name = str_at(h, "name");
            // HTTP/2 pseudo-headers (browsers record them) are not headers.
            if name.starts_with(':') {
                continue;
            }
            has_host |= name.eq_ignore_ascii_case("host");
            http.headers
                .push((name.to_string(), str_at(h, "value").to_string()));
        }
        if !has_host {
            http.headers.push(("host".into(), host.to_string()));
        }
        if let Some(text) = req.pointer("/postData/text").and_then(Value::as_str) {
            http.body = text.as_bytes().to_vec();
        }
        let call = match decode(&http).or_else(|_| decode_unsigned(&http)) {
            Ok(c) => c,
            Err(err) => {
                notes.push(format!(
                    "entry {i} ({url}): not a request docpact decodes: {}",
                    err.message
                ));
                continue;
            }
        };
        let operation = match route_call(set, &call) {
            Ok((base, profile)) => profile.map_or(&base.id, |p| &p.id).clone(),
            Err(err) => {
                notes.push(format!("entry {i} ({url}): no contract: {}", err.message));
                continue;
            }
        };
        let resp = &e["response"];
        let content = &resp["content"];
        let text = str_at(content, "text");
        let body = if str_at(content, "encoding") == "base64" {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|err| format!("entry {i}: response.content.text is not base64: {err}"))?
        } else {
            text.as_bytes().to_vec()
        };
        let answer = HttpResponse {
            status: resp["status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(0),
            headers: resp["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|h| !str_at(h, "name").starts_with(':'))
                .map(|h| {
                    (
                        str_at(h, "name").to_string().into(),
                        str_at(h, "value").to_string().into(),
                    )
                })
                .collect(),
            body,
        };
        let when = str_at(e, "startedDateTime").to_string();
        let mut it = redacted_interaction(set, &redactor, &operation, &call, &answer, when);
        // A HAR docpact exported carries the scheme its unsigned request no longer shows.
        if let Some(scheme) = e.get("_docpactScheme").and_then(Value::as_str) {
            it.request.scheme = scheme.to_string();
        }
        cassette.interactions.push(it);
    }
    Ok(notes)
}

/// A new, empty cassette (for import).
pub fn empty_cassette() -> Cassette {
    Cassette {
        format_version: FORMAT_VERSION,
        salt: format!("{:032x}", crate::replay::Rng::from_entropy().next_u128()),
        interactions: Vec::new(),
    }
}
