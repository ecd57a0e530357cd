//! The admin API under `/__docpact/`, answered to loopback peers only.
//!
//! - `GET /__docpact/health`: `{"status":"ok","operations":N}`
//! - `GET /__docpact/journal`: `{"entries":[...]}`, oldest first
//! - `POST /__docpact/outcomes` with `{"operation":"ens/2017-11-10/CreateInstance","error":"StockNotEnough"}`
//!   or `"fault":"reset"|"throttle"|"http500"|"http503"`, or `"delay_ms":N`; `"times"` repeats it
//! - `DELETE /__docpact/outcomes`: drop every queued outcome
//! - `POST /__docpact/reset`: forget tokens, names, rate counters, nonces, outcomes, journal;
//!   with `{"seed": N}`, generate IDs from that seed until the next reset
//! - `GET /__docpact/exchanges`: `{"exchanges":[...],"dropped":N}`, whole requests and
//!   answers since the last reset, oldest first, and how many the bounds dropped; only when
//!   the server keeps them (`serve --capture N`), else 404

use serde::Deserialize;
use serde_json::json;

use super::core::{Decision, Env, forced_error};
use super::state::{Outcome, State};
use crate::contract::operation_id;
use crate::protocol::{HttpRequest, HttpResponse};

/// The reserved path prefix.
pub const PREFIX: &str = "/__docpact/";

fn reply(status: u16, body: serde_json::Value) -> Decision {
    Decision {
        response: HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        },
        delay_ms: 0,
        reset: false,
    }
}

fn refuse(status: u16, message: impl Into<String>) -> Decision {
    reply(status, json!({"error": message.into()}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    #[serde(default)]
    seed: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeRequest {
    operation: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    fault: Option<String>,
    #[serde(default)]
    delay_ms: Option<u64>,
    #[serde(default)]
    times: Option<u32>,
}

/// Answers an admin request.
pub fn handle(state: &mut State, req: &HttpRequest, env: &Env) -> Decision {
    if !env.peer_loopback {
        return refuse(403, "the admin API answers loopback clients only");
    }
    let route = &req.path()[PREFIX.len()..];
    match (req.method.as_str(), route) {
        ("GET", "health") => reply(
            200,
            json!({"status": "ok", "operations": state.contracts.len()}),
        ),
        ("GET", "journal") => {
            let entries: Vec<_> = state.journal.entries().collect();
            reply(200, json!({ "entries": entries }))
        }
        ("GET", "exchanges") => match &state.capture {
            Some(c) => {
                let exchanges: Vec<_> = c.exchanges().collect();
                reply(
                    200,
                    json!({ "exchanges": exchanges, "dropped": c.dropped() }),
                )
            }
            None => refuse(
                404,
                "this server keeps no exchanges: start it with docpact serve --capture N",
            ),
        },
        ("POST", "reset") => {
            // An optional {"seed": N}: IDs from that seed until the next reset.
            let seed = if req.body.iter().all(u8::is_ascii_whitespace) {
                None
            } else {
                match serde_json::from_slice::<ResetRequest>(&req.body) {
                    Ok(r) => r.seed,
                    Err(e) => return refuse(400, format!("invalid reset request: {e}")),
                }
            };
            match seed {
                Some(seed) => state.reset_with_seed(seed),
                None => state.reset(),
            }
            reply(200, json!({"reset": true}))
        }
        ("DELETE", "outcomes") => {
            state.forced.clear();
            reply(200, json!({"cleared": true}))
        }
        ("POST", "outcomes") => queue(state, req),
        _ => refuse(404, format!("no admin route {} {}", req.method, req.path())),
    }
}

fn queue(state: &mut State, req: &HttpRequest) -> Decision {
    let r: OutcomeRequest = match serde_json::from_slice(&req.body) {
        Ok(r) => r,
        Err(e) => return refuse(400, format!("invalid outcome request: {e}")),
    };
    let found = match state.contracts.find(&r.operation) {
        Ok(c) => c,
        Err(candidates) if candidates.is_empty() => {
            return refuse(404, format!("no operation matches {}", r.operation));
        }
        Err(candidates) => {
            return refuse(
                400,
                format!(
                    "{} matches several operations: {}",
                    r.operation,
                    candidates.join(", ")
                ),
            );
        }
    };
    let op = operation_id(&found.contract);
    let outcome = match (&r.error, r.fault.as_deref(), r.delay_ms) {
        (Some(code), None, None) => {
            let base = state
                .contracts
                .base_of(&found.contract)
                .map(|b| &b.contract);
            if forced_error(&found.contract, base, code).is_none() {
                return refuse(
                    400,
                    format!("{code} is neither in the error table of {op} nor a common code"),
                );
            }
            Outcome::Error(code.clone())
        }
        (None, Some("reset"), None) => Outcome::Reset,
        (None, Some("throttle"), None) => Outcome::Throttle,
        (None, Some("http500"), None) => Outcome::Status(500),
        (None, Some("http503"), None) => Outcome::Status(503),
        (None, None, Some(ms)) if ms <= 60_000 => Outcome::Delay(ms),
        (None, None, Some(_)) => return refuse(400, "delay_ms is at most 60000"),
        (None, Some(other), None) => {
            return refuse(
                400,
                format!("unknown fault {other:?} (reset, throttle, http500, http503)"),
            );
        }
        _ => return refuse(400, "give exactly one of error, fault or delay_ms"),
    };
    let times = r.times.unwrap_or(1).max(1) as usize;
    let room = super::state::MAX_QUEUED.saturating_sub(state.queued());
    if times > room {
        return refuse(
            400,
            format!(
                "{times} more outcomes do not fit: at most {} can wait at once, {} do (DELETE /__docpact/outcomes empties the queues)",
                super::state::MAX_QUEUED,
                state.queued()
            ),
        );
    }
    for _ in 0..times {
        state.force(&op, outcome.clone());
    }
    reply(200, json!({"queued": times, "operation": op}))
}
