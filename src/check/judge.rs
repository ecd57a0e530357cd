//! Judging one case: what the client put on the wire (decoded, verified, against the
//! contract), what the server answered, and what the client reported or parsed, against
//! the case's expectation. Produces the verdict and the snapshot content.

use serde_json::{Map, Value, json};

use super::case::{Case, CaseKind, Expect};
use super::driver::Failed;
use super::normalize::{Normalized, normalize, redact, sorted};
use super::oracle::error_of;
use super::params::{Path, Seg, get, set, slots};
use super::protocol::{Answer, CaseMessage};
use super::render::text_of;
use crate::contract::{Contract, ContractSet, Provider, WireStyle};
use crate::protocol::Credentials;
use crate::replay::Exchange;
use crate::report::{CaseRecord, Status};

/// One call of a case as it ran.
#[derive(Debug, Clone)]
pub struct CallRun {
    /// What the driver was sent.
    pub message: CaseMessage,
    /// What it answered.
    pub result: Result<Answer, Failed>,
    /// The requests the server received during the call.
    pub exchanges: Vec<Exchange>,
}

/// The verdict on a case.
#[derive(Debug, Clone)]
pub struct Judged {
    /// Pass, fail or refused (the client's own validation).
    pub status: Status,
    /// One line.
    pub message: String,
    /// Every problem found, one per line.
    pub problems: Vec<String>,
    /// Further lines (the driver's standard error).
    pub notes: Vec<String>,
    /// The parse diff, when the parsed result differs from what the server sent.
    pub diff: Option<String>,
    /// The snapshot content; `None` when the driver failed.
    pub snapshot: Option<String>,
    /// The case as it ran.
    pub record: CaseRecord,
}

/// A JSON type's name in messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Where `parsed` differs from `served`, one line per difference, by path: a field served
/// but missing, of another JSON type or value, or parsed but never served. Fields a client
/// model leaves null are not differences.
pub fn parse_diff(served: &Value, parsed: &Value) -> Vec<String> {
    fn walk(path: &str, s: &Value, p: &Value, out: &mut Vec<String>) {
        match (s, p) {
            (Value::Object(sm), Value::Object(pm)) => {
                for (k, sv) in sm {
                    let at = join(path, k);
                    match pm.get(k) {
                        None if !sv.is_null() => {
                            out.push(format!("{at}: served {sv}, missing from the parsed result"));
                        }
                        Some(Value::Null) if !sv.is_null() => {
                            out.push(format!("{at}: served {sv}, parsed null"));
                        }
                        Some(pv) => walk(&at, sv, pv, out),
                        None => {}
                    }
                }
                for (k, pv) in pm {
                    if !sm.contains_key(k) && !pv.is_null() {
                        out.push(format!("{}: parsed {pv}, never served", join(path, k)));
                    }
                }
            }
            (Value::Array(sa), Value::Array(pa)) => {
                if sa.len() != pa.len() {
                    out.push(format!(
                        "{path}: served {} items, parsed {}",
                        sa.len(),
                        pa.len()
                    ));
                }
                for (i, (sv, pv)) in sa.iter().zip(pa).enumerate() {
                    walk(&format!("{path}[{i}]"), sv, pv, out);
                }
            }
            (Value::Number(a), Value::Number(b)) if a.as_f64() != b.as_f64() => {
                out.push(format!("{path}: served {a}, parsed {b}"));
            }
            (Value::Number(_), Value::Number(_)) => {}
            _ if type_name(s) != type_name(p) => out.push(format!(
                "{path}: served {s} ({}), parsed {p} ({})",
                type_name(s),
                type_name(p)
            )),
            _ if s != p => out.push(format!("{path}: served {s}, parsed {p}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", served, parsed, &mut out);
    out
}

/// The body a success answer carried, as a client should parse it (Tencent's `Response`).
fn served_body(provider: Provider, ex: &Exchange) -> Option<Value> {
    let v: Value = serde_json::from_str(&ex.response.body).ok()?;
    match provider {
        Provider::Tencent => v.get("Response").cloned(),
        Provider::Alibaba => Some(v),
    }
}

fn request_id_of(provider: Provider, ex: &Exchange) -> Option<String> {
    let v: Value = serde_json::from_str(&ex.response.body).ok()?;
    let rid = match provider {
        Provider::Tencent => v.get("Response")?.get("RequestId"),
        Provider::Alibaba => v.get("RequestId").or_else(|| v.get("requestId")),
    }?;
    rid.as_str().map(str::to_string)
}

fn without_request_ids(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != "RequestId" && *k != "requestId")
                .map(|(k, v)| (k.clone(), without_request_ids(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Values of parameters the contract marks sensitive (passwords, user data), with where
/// they sit in the case's parameters.
fn sensitive_values(c: &Contract, sent: &Map<String, Value>) -> Vec<(Path, String)> {
    slots(c, sent)
        .into_iter()
        .filter(|s| s.param.sensitive)
        .filter_map(|s| {
            let v = get(sent, &s.path)?;
            Some((s.path, text_of(v).unwrap_or_default()))
        })
        .collect()
}

/// Replaces sensitive values in a call's snapshot: what was sent becomes `[sensitive]`,
/// what reached the wire says whether it was sent as given.
fn mask_sensitive(c: &Contract, sent: &Map<String, Value>, call: &mut Map<String, Value>) {
    let secrets = sensitive_values(c, sent);
    if secrets.is_empty() {
        return;
    }
    let wire_mark = |got: &Value, want: &str| {
        if text_of(got).as_deref() == Some(want) {
            json!("[sensitive, as sent]")
        } else {
            json!("[sensitive, not as sent]")
        }
    };
    if let Some(Value::Object(m)) = call.get_mut("sent") {
        for (path, _) in &secrets {
            set(m, path, json!("[sensitive]"));
        }
    }
    let Some(Value::Array(requests)) = call.get_mut("requests") else {
        return;
    };
    for r in requests.iter_mut() {
        if let Some(Value::Object(params)) = r.get_mut("params") {
            for (path, want) in &secrets {
                if let [Seg::Key(k)] = path.as_slice()
                    && let Some(v) = params.get_mut(k)
                {
                    *v = wire_mark(v, want);
                }
            }
        }
        if let Some(body) = r.get_mut("body") {
            for (path, want) in &secrets {
                let inner: &[Seg] = match (c.style, path.split_first()) {
                    (WireStyle::AlibabaRoa, Some((Seg::Key(k), rest))) if k == "body" => rest,
                    (WireStyle::AlibabaRoa, _) => continue,
                    _ => path,
                };
                if let Value::Object(m) = body
                    && let Some(got) = get(m, inner).cloned()
                {
                    set(m, inner, wire_mark(&got, want));
                }
            }
        }
    }
}

/// Judges a case from its calls. `endpoint` is the server's `host:port` (volatile in
/// answers).
pub fn judge(
    case: &Case,
    runs: &[CallRun],
    set: &ContractSet,
    driver: &str,
    endpoint: &str,
) -> Judged {
    let contract = set.find(&case.operation).ok().map(|l| l.contract.clone());
    let provider = contract.as_ref().map_or(Provider::Alibaba, |c| c.provider);
    let mut record = CaseRecord {
        operation: case.operation.clone(),
        kind: case.kind.name().to_string(),
        driver: driver.to_string(),
        // Filled call by call below, with sensitive values masked.
        sent: Vec::new(),
        answers: Vec::new(),
        wire: Vec::new(),
        requests: runs.iter().map(|r| r.exchanges.len()).sum(),
        order: case.order,
    };
    // A driver that failed says nothing about the client.
    if let Some((i, failed)) = runs
        .iter()
        .enumerate()
        .find_map(|(i, r)| r.result.as_ref().err().map(|f| (i, f)))
    {
        let which = if runs.len() > 1 {
            format!(" (call {} of {})", i + 1, case.calls.len())
        } else {
            String::new()
        };
        let mut notes = Vec::new();
        if !failed.stderr.is_empty() {
            notes.push(format!("driver stderr (last lines):\n{}", failed.stderr));
        }
        return Judged {
            status: Status::Fail,
            message: format!("{}{which}", failed.failure),
            problems: vec![failed.failure.to_string()],
            notes,
            diff: None,
            snapshot: None,
            record,
        };
    }
    // The keys the server holds: a case's other keys are meant not to verify.
    let creds = Credentials::test();
    let mut problems: Vec<String> = Vec::new();
    let mut diff = None;
    let mut calls_snap = Vec::new();
    let mut endpoint_marks = vec![(endpoint.to_string(), "[endpoint]".to_string())];
    if let Some((_, port)) = endpoint.rsplit_once(':') {
        // Clients quote the port alone too (`port=43505`).
        endpoint_marks.push((format!("port={port}"), "port=[port]".to_string()));
        endpoint_marks.push((format!(":{port}"), ":[port]".to_string()));
    }
    let mut answers: Vec<&Answer> = Vec::new();
    for run in runs {
        let Ok(answer) = &run.result else { continue };
        answers.push(answer);
        let normalized: Vec<Normalized> = run
            .exchanges
            .iter()
            .map(|ex| normalize(ex, set, &creds, case.kind.breaks_contract()))
            .collect();
        let mut volatile = endpoint_marks.clone();
        if let Some(c) = &contract {
            for (_, secret) in sensitive_values(c, &run.message.params) {
                volatile.push((secret, "[sensitive]".into()));
            }
        }
        for n in &normalized {
            volatile.extend(n.volatile.iter().cloned());
            for p in &n.problems {
                if !problems.contains(p) {
                    problems.push(p.clone());
                }
            }
            if case.kind != CaseKind::Auth && !n.verified {
                let p = "the request's signature does not verify with the keys the case gave"
                    .to_string();
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
        let answer_value = serde_json::to_value(answer).unwrap_or(Value::Null);
        let mut answer_value = redact(&sorted(&answer_value), &volatile);
        if let Value::Object(m) = &mut answer_value {
            m.shift_remove("id");
        }
        record.answers.push(answer_value.clone());
        let requests: Vec<Value> = normalized.iter().map(|n| n.value.clone()).collect();
        let mut call = Map::new();
        call.insert(
            "sent".into(),
            sorted(&Value::Object(run.message.params.clone())),
        );
        if let Some(c) = &run.message.credentials {
            call.insert(
                "keys".into(),
                json!(format!(
                    "{} with a secret the server does not hold",
                    c.key_id
                )),
            );
        }
        call.insert("requests".into(), Value::Array(requests));
        call.insert("answer".into(), answer_value);
        if let Some(c) = &contract {
            mask_sensitive(c, &run.message.params, &mut call);
        }
        record
            .sent
            .push(call.get("sent").cloned().unwrap_or(Value::Null));
        if let Some(Value::Array(requests)) = call.get("requests") {
            record.wire.extend(requests.iter().cloned());
        }
        calls_snap.push(Value::Object(call));
    }

    // The expectation.
    let last_run = runs.last();
    let last_ex = last_run.and_then(|r| r.exchanges.last());
    let last_answer = answers.last().copied();
    let mut status = Status::Pass;
    let mut message = String::new();
    match (&case.expect, last_answer) {
        (_, None) => problems.push("the case made no call".into()),
        (Expect::Success, Some(a)) => match last_ex {
            None => problems.push(if a.ok {
                "the client reported success without sending a request".into()
            } else {
                format!(
                    "the client refused to send a valid call: {}",
                    describe_error(a)
                )
            }),
            Some(ex) => {
                if let Some((code, msg)) =
                    error_of(provider, ex.response.status, ex.response.body.as_bytes())
                {
                    let why = ex
                        .detail
                        .as_deref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default();
                    problems.push(format!(
                        "the server refused the request with {code}: {msg}{why}"
                    ));
                } else if ex.reset {
                    problems.push("the server closed the connection".into());
                }
                if !a.ok {
                    problems.push(format!(
                        "the client reported an error for a valid call: {}",
                        describe_error(a)
                    ));
                } else if let (Some(served), Some(parsed)) = (served_body(provider, ex), &a.parsed)
                {
                    let lines = parse_diff(&served, parsed);
                    if !lines.is_empty() {
                        problems.push(format!(
                            "the parsed result differs from what the server sent ({} difference{})",
                            lines.len(),
                            if lines.len() == 1 { "" } else { "s" }
                        ));
                        diff = Some(lines.join("\n"));
                    }
                }
            }
        },
        (Expect::Refused(code), Some(a)) => match last_ex {
            // A client may refuse a call that breaks the contract; the others are valid.
            None if !a.ok && case.kind.breaks_contract() => {
                status = Status::Refused;
                message = format!("the client refused to send it: {}", describe_error(a));
            }
            None if !a.ok => problems.push(format!(
                "the client sent nothing for a valid call, so it never saw the server's {code}: {}",
                describe_error(a)
            )),
            None => problems.push("the client reported success without sending a request".into()),
            Some(ex) => {
                let served = if ex.reset {
                    None
                } else {
                    error_of(provider, ex.response.status, ex.response.body.as_bytes())
                };
                match &served {
                    None => problems.push(format!(
                        "the server accepted the request, so the client did not send what the case asks (expected {code})"
                    )),
                    Some((got, _)) if got != code => problems.push(format!(
                        "the server answered {got}, the case expects {code}: the client changed the request{}",
                        ex.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
                    )),
                    Some(_) => {}
                }
                if let Some((scode, smsg)) = &served {
                    check_reported_error(a, provider, ex, scode, smsg, &mut problems);
                }
            }
        },
        (Expect::SameAnswer, Some(_)) => {
            if answers.len() == 2 && answers.iter().all(|a| a.ok) {
                let first = answers[0].parsed.as_ref().map(without_request_ids);
                let second = answers[1].parsed.as_ref().map(without_request_ids);
                if let (Some(f), Some(s)) = (&first, &second) {
                    let lines = parse_diff(f, s);
                    if !lines.is_empty() {
                        problems
                            .push("the second call with the same token got another answer".into());
                        diff = Some(lines.join("\n"));
                    }
                }
            } else {
                for (i, a) in answers.iter().enumerate() {
                    if !a.ok {
                        problems.push(format!("call {} failed: {}", i + 1, describe_error(a)));
                    }
                }
            }
        }
        (Expect::Failure, Some(a)) => {
            if a.ok {
                problems.push(
                    "the client reported success after the server failed every attempt".into(),
                );
            }
            if last_ex.is_none() {
                problems.push("the client sent no request".into());
            }
        }
    }
    if !problems.is_empty() {
        status = Status::Fail;
        message = problems[0].clone();
    } else if message.is_empty() {
        message = summary(case, last_answer, record.requests);
    }
    let snapshot = json!({ "case": case.id, "calls": calls_snap });
    let mut text = serde_json::to_string_pretty(&snapshot).unwrap_or_default();
    text.push('\n');
    Judged {
        status,
        message,
        problems,
        notes: Vec::new(),
        diff,
        snapshot: Some(text),
        record,
    }
}

/// At most 160 characters of `s`, for quoting in a one-line problem.
fn short(s: &str) -> String {
    match s.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

fn describe_error(a: &Answer) -> String {
    match &a.error {
        Some(e) => format!(
            "{}: {}",
            e.code.as_deref().unwrap_or("(no code)"),
            e.message.as_deref().unwrap_or("(no message)")
        ),
        None => "(no error)".into(),
    }
}

fn summary(case: &Case, answer: Option<&Answer>, requests: usize) -> String {
    let what = match answer {
        Some(a) if a.ok => "success".to_string(),
        Some(a) => a
            .error
            .as_ref()
            .and_then(|e| e.code.clone())
            .unwrap_or_else(|| "an error without a code".into()),
        None => String::new(),
    };
    let tries = if requests == 1 {
        "1 request".to_string()
    } else {
        format!("{requests} requests")
    };
    match case.kind {
        CaseKind::Fault => format!("the client reported {what} after {tries}"),
        _ => format!("{what} ({tries})"),
    }
}

/// The client must report the code, message, request ID and status the server answered.
fn check_reported_error(
    a: &Answer,
    provider: Provider,
    ex: &Exchange,
    code: &str,
    message: &str,
    problems: &mut Vec<String>,
) {
    let Some(e) = (!a.ok).then_some(a.error.as_ref()).flatten() else {
        problems.push(format!(
            "the client reported success, but the server answered {code}"
        ));
        return;
    };
    match e.code.as_deref() {
        Some(c) if c == code => {}
        Some(c) => problems.push(format!(
            "the client reported code {c}, the server answered {code}"
        )),
        None => problems.push(format!(
            "the client reported no code, the server answered {code}"
        )),
    }
    match e.message.as_deref() {
        Some(m) if m.contains(message) => {}
        Some(m) => problems.push(format!(
            "the client reported the message {:?}, which does not hold the server's {:?}",
            short(m),
            short(message)
        )),
        None => problems.push(format!(
            "the client reported no message, the server's was {:?}",
            short(message)
        )),
    }
    let rid = request_id_of(provider, ex);
    if rid.is_some() && e.request_id != rid {
        problems.push(format!(
            "the client reported the request ID {}, the server's was {}",
            e.request_id.as_deref().unwrap_or("(none)"),
            rid.as_deref().unwrap_or_default()
        ));
    }
    if let Some(s) = e.http_status
        && s != ex.response.status
    {
        problems.push(format!(
            "the client reported HTTP status {s}, the server answered {}",
            ex.response.status
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_diffs_name_paths_types_and_extras() {
        let served =
            json!({"Code": 0, "Data": {"OrderId": 12, "Ids": ["a", "b"]}, "RequestId": "r"});
        assert!(parse_diff(&served, &served).is_empty());
        let parsed =
            json!({"Code": "0", "Data": {"OrderId": 12, "Ids": ["a"]}, "Extra": 1, "Unset": null});
        assert_eq!(
            parse_diff(&served, &parsed),
            [
                "Code: served 0 (number), parsed \"0\" (string)",
                "Data.Ids: served 2 items, parsed 1",
                "RequestId: served \"r\", missing from the parsed result",
                "Extra: parsed 1, never served",
            ]
        );
        assert!(parse_diff(&json!({"n": 1}), &json!({"n": 1.0})).is_empty());
    }
}
