//! `docpact verify`: what a service answered, against what its page says. Drift reported:
//! fields the service sent that the page does not document, documented fields that never
//! came, types that differ, error codes missing from the page's table, and recorded requests
//! that break the contract the page describes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::format::{Body, Cassette, Interaction, pairs, text};
use super::redact::is_placeholder;
use crate::contract::{Contract, ContractSet, Field, ParamType, Provider};
use crate::protocol::{Auth, Call, ProviderError, Scheme, Text};
use crate::report::{Item, Status};

/// The recorded request as a call, for validation.
fn call_of<'a>(it: &'a Interaction, c: &'a Contract) -> Call<'a> {
    let texts = |m| {
        pairs(m)
            .into_iter()
            .map(|(k, v)| (Text::Owned(k), Text::Owned(v)))
            .collect()
    };
    Call {
        provider: c.provider,
        scheme: Scheme::from_name(&it.request.scheme).unwrap_or(Scheme::Acs3),
        action: Some(Text::Borrowed(&c.action)),
        version: Text::Borrowed(&c.version),
        method: Text::Borrowed(&it.request.method),
        path: Text::Borrowed(&it.request.path),
        params: texts(&it.request.params),
        body: it
            .request
            .body
            .as_ref()
            .map(crate::protocol::Json::borrowed),
        common: texts(&it.request.common),
        auth: Auth::default(),
        signed_pairs: Vec::new(),
        params_signed: false,
        header_signature: None,
    }
}

/// The JSON type a documented type arrives as.
fn type_matches(ty: ParamType, v: &Value) -> bool {
    match ty {
        ParamType::String => v.is_string(),
        ParamType::Integer | ParamType::Long => v.is_i64() || v.is_u64(),
        ParamType::Float => v.is_number(),
        ParamType::Boolean => v.is_boolean(),
        ParamType::Object => v.is_object(),
        ParamType::Array => v.is_array(),
    }
}

fn json_type(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "boolean".into(),
        Value::Number(n) if n.is_f64() => "float".into(),
        Value::Number(_) => "integer".into(),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

/// What one success body says about the documented fields.
#[derive(Default)]
struct Seen {
    /// Documented field paths that arrived.
    present: BTreeSet<String>,
    /// (path, what) of fields the page does not document.
    undocumented: BTreeMap<String, String>,
    /// (path, message) of type differences.
    types: BTreeMap<String, String>,
}

fn walk(fields: &[Field], value: &serde_json::Map<String, Value>, prefix: &str, seen: &mut Seen) {
    for (k, v) in value {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let Some(f) = fields.iter().find(|f| &f.name == k) else {
            seen.undocumented.insert(path, json_type(v));
            continue;
        };
        seen.present.insert(path.clone());
        if v.is_null() || v.as_str().is_some_and(is_placeholder) {
            continue;
        }
        if !type_matches(f.ty, v) {
            seen.types.insert(
                path.clone(),
                format!(
                    "the page says {}, the service sent {}",
                    f.ty.name(),
                    json_type(v)
                ),
            );
            continue;
        }
        match v {
            Value::Object(m) if !f.members.is_empty() => walk(&f.members, m, &path, seen),
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(m) if !f.members.is_empty() => {
                            walk(&f.members, m, &format!("{path}[]"), seen);
                        }
                        other => {
                            if let Some(t) = f.item_type
                                && !other.is_null()
                                && !type_matches(t, other)
                            {
                                seen.types.insert(
                                    format!("{path}[]"),
                                    format!(
                                        "the page says items are {}, the service sent {}",
                                        t.name(),
                                        json_type(other)
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every documented path (structures' members under their parent's path).
fn documented(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        let inner = if f.ty == ParamType::Array {
            format!("{path}[]")
        } else {
            path.clone()
        };
        out.push(path);
        documented(&f.members, &inner, out);
    }
}

/// The error code of an answer, if it is an error.
fn error_code(provider: Provider, status: u16, body: &Value) -> Option<String> {
    match provider {
        Provider::Tencent => body
            .pointer("/Response/Error/Code")
            .and_then(Value::as_str)
            .map(str::to_string),
        Provider::Alibaba => (status >= 400)
            .then(|| body.get("Code").and_then(Value::as_str).map(str::to_string))
            .flatten(),
    }
}

/// Verifies cassettes (name, cassette) against the contracts: one item per finding, and a
/// pass per operation that drifted in nothing.
pub fn verify(set: &ContractSet, cassettes: &[(String, Cassette)]) -> Vec<Item> {
    let mut items = Vec::new();
    // operation -> (contract, seen over all its success answers, answers counted)
    let mut per_op: BTreeMap<String, (Seen, usize, usize)> = BTreeMap::new();
    for (file, cassette) in cassettes {
        for (i, it) in cassette.interactions.iter().enumerate() {
            let at = format!("{file}#{i}");
            let Some(loaded) = set.iter().find(|l| l.id == it.operation) else {
                items.push(Item::new(
                    &at,
                    Status::Error,
                    &it.operation,
                    format!("{at}: no contract for {}", it.operation),
                ));
                continue;
            };
            let c = &loaded.contract;
            let base = c
                .profile
                .as_ref()
                .and_then(|p| set.iter().find(|l| l.id == p.base))
                .map(|l| &l.contract);
            let entry = per_op.entry(it.operation.clone()).or_default();
            entry.2 += 1;
            // The request, against the page.
            for v in crate::validate::validate(&call_of(it, c), c) {
                let value = it
                    .request
                    .params
                    .get(&v.param)
                    .map(text)
                    .unwrap_or_default();
                if is_placeholder(&value) {
                    continue;
                }
                items.push(Item::new(
                    format!("{at}/request/{}", v.param),
                    Status::Drift,
                    &it.operation,
                    format!(
                        "{at}: the recorded request breaks the page: {} {}",
                        v.param, v.detail
                    ),
                ));
            }
            let body = match &it.response.body {
                Body::Json(v) => v.clone(),
                Body::Text(t) => match serde_json::from_str::<Value>(t) {
                    Ok(v) => v,
                    Err(_) => {
                        items.push(Item::new(
                            format!("{at}/response"),
                            Status::Warning,
                            &it.operation,
                            format!("{at}: the answer is not JSON; its fields are not compared"),
                        ));
                        continue;
                    }
                },
                Body::Empty | Body::Base64(_) => continue,
            };
            if let Some(code) = error_code(c.provider, it.response.status, &body) {
                let documented = c
                    .errors
                    .iter()
                    .chain(base.map(|b| b.errors.as_slice()).unwrap_or_default())
                    .any(|e| e.code == code);
                if !documented && ProviderError::common(c.provider, &code).is_none() {
                    items.push(Item::new(
                        format!("{at}/error/{code}"),
                        Status::Drift,
                        &it.operation,
                        format!("{at}: the service answered the error {code}, which the page's error table does not list"),
                    ));
                }
                continue;
            }
            let fields = if c.response.documented_only {
                base.map_or(&c.response.fields, |b| &b.response.fields)
            } else {
                &c.response.fields
            };
            let root = match c.provider {
                Provider::Tencent => body.get("Response").and_then(Value::as_object),
                Provider::Alibaba => body.as_object(),
            };
            let Some(root) = root else {
                continue;
            };
            entry.1 += 1;
            let mut seen = Seen::default();
            walk(fields, root, "", &mut seen);
            for (path, what) in &seen.undocumented {
                items.push(Item::new(
                    format!("{at}/undocumented/{path}"),
                    Status::Drift,
                    &it.operation,
                    format!(
                        "{at}: the service sent {path} ({what}), which the page does not document"
                    ),
                ));
            }
            for (path, message) in &seen.types {
                items.push(Item::new(
                    format!("{at}/type/{path}"),
                    Status::Drift,
                    &it.operation,
                    format!("{at}: {path}: {message}"),
                ));
            }
            entry.0.present.extend(seen.present);
        }
    }
    for (op, (seen, successes, total)) in &per_op {
        let Some(loaded) = set.iter().find(|l| &l.id == op) else {
            continue;
        };
        let mut missing = Vec::new();
        if *successes > 0 {
            let mut paths = Vec::new();
            documented(&loaded.contract.response.fields, "", &mut paths);
            for p in paths {
                // A member is missing only where its parent came.
                let parent_came = p
                    .rsplit_once('.')
                    .is_none_or(|(parent, _)| seen.present.contains(parent.trim_end_matches("[]")));
                if parent_came && !seen.present.contains(&p) {
                    missing.push(p);
                }
            }
        }
        for p in &missing {
            items.push(Item::new(
                format!("{op}/missing/{p}"),
                Status::Drift,
                op,
                format!("{op}: the page documents {p}, which never came in {successes} successful answers"),
            ));
        }
        let drifted = items
            .iter()
            .any(|i| &i.group == op && i.status == Status::Drift);
        if !drifted {
            items.push(Item::new(
                format!("{op}/verified"),
                Status::Pass,
                op,
                format!("{op}: {total} recorded interactions agree with the page"),
            ));
        }
    }
    items
}
