//! The sans-IO core: `(request, state) -> decision`, in the documented decision order.
//!
//! Decode by style; authenticate (key, time window, signature, nonce); find the operation;
//! a queued outcome wins; a matching cassette interaction (ahead of the page); validate (base,
//! then profile); state (rate limits, ClientToken idempotency, unique names); the contract's
//! success response; journal.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};

use super::admin;
use super::generate::{request_id, success_fields, success_json};
use super::journal::{Entry, MAX_PATH, MAX_TEXT, cut, intern};
use super::state::{Outcome, State, digest};
use crate::cassette::{Library, RecordedRequest};
use crate::contract::{Contract, ContractSet, LoadedContract, Provider, RateScope};
use crate::protocol::{
    self, Call, Format, HttpRequest, HttpResponse, KeyLookup, ProviderError, Scheme, VerifyOptions,
    encode_error, encode_success, json_success,
};
use crate::validate::{to_provider_error, validate};

/// The violation detail of answers that a queued outcome decided.
const QUEUED: &str = "queued through the admin API";

/// The outside world, as the core sees it.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    /// The current time, Unix milliseconds.
    pub now_ms: i64,
    /// Whether the peer is on a loopback address (admin requests need it).
    pub peer_loopback: bool,
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The answer.
    pub response: HttpResponse,
    /// Wait this long before answering.
    pub delay_ms: u64,
    /// Close the connection instead of answering.
    pub reset: bool,
}

impl Decision {
    fn answer(response: HttpResponse) -> Decision {
        Decision {
            response,
            delay_ms: 0,
            reset: false,
        }
    }
}

/// Decides the answer to one request, updating the state.
pub fn respond(state: &mut State, req: &HttpRequest, env: &Env) -> Decision {
    if req.path().starts_with(admin::PREFIX) {
        return admin::handle(state, req, env);
    }
    let mut entry = Entry {
        seq: 0,
        time_ms: env.now_ms,
        method: intern(
            &req.method,
            &["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"],
        ),
        path: intern(cut(req.path(), MAX_PATH).0, &["/"]),
        operation: None,
        scheme: None,
        key_id: None,
        status: 0,
        error: None,
        detail: None,
        cut: req.path().len() > MAX_PATH,
    };
    let decision = decide(state, req, env, &mut entry);
    entry.status = decision.response.status;
    if let Some(capture) = &mut state.capture {
        capture.push(
            env.now_ms,
            req,
            &decision.response,
            entry.operation.clone(),
            entry.detail.clone(),
            decision.delay_ms,
            decision.reset,
        );
    }
    state.journal.push(entry);
    decision
}

/// The body format an Alibaba client wants: `Format`, else JSON unless an RPC v1 client sent
/// neither `Format` nor a JSON `Accept`.
fn format_of(call: &Call, req: &HttpRequest) -> Format {
    match call.common("Format") {
        Some(f) if f.eq_ignore_ascii_case("XML") => Format::Xml,
        Some(_) => Format::Json,
        None if call.scheme == Scheme::RpcV1
            && !req.header("accept").is_some_and(|a| a.contains("json")) =>
        {
            Format::Xml
        }
        None => Format::Json,
    }
}

struct Failure {
    err: ProviderError,
    detail: Option<String>,
    host: Option<String>,
}

impl From<ProviderError> for Failure {
    fn from(err: ProviderError) -> Failure {
        Failure {
            err,
            detail: None,
            host: None,
        }
    }
}

fn decide(state: &mut State, req: &HttpRequest, env: &Env, entry: &mut Entry) -> Decision {
    let request_host = req.header("host").unwrap_or("localhost");
    let decoded = if state.config.no_auth {
        protocol::decode_unsigned(req)
    } else {
        protocol::decode(req)
    };
    let call = match decoded {
        Ok(call) => call,
        Err(err) => {
            return fail(state, entry, Failure::from(err), request_host, Format::Json);
        }
    };
    entry.scheme = Some(call.scheme.name());
    let (key_id, was_cut) = cut(&call.auth.key_id, MAX_TEXT);
    entry.key_id = Some(key_id.to_string());
    entry.cut |= was_cut;
    let format = format_of(&call, req);
    match handle(state, req, env, &call, format, entry) {
        Ok(d) => d,
        Err(f) => {
            let host = f.host.clone();
            fail(
                state,
                entry,
                f,
                host.as_deref().unwrap_or(request_host),
                format,
            )
        }
    }
}

fn fail(state: &mut State, entry: &mut Entry, f: Failure, host: &str, format: Format) -> Decision {
    let rid = request_id(f.err.provider, &mut state.rng);
    entry.error = Some(f.err.code.clone());
    if let Some(d) = &f.detail {
        let (d, was_cut) = cut(d, MAX_TEXT);
        entry.detail = Some(d.to_string());
        entry.cut |= was_cut;
    }
    let mut response = encode_error(&f.err, &rid, host, format);
    if let Some(detail) = f.detail {
        // SDKs ignore unknown headers; people debugging a rejection read this one. It quotes
        // the client's values, so it is cut short (clients limit header sizes) and holds no
        // control characters (which would make it an invalid header).
        response
            .headers
            .push(("x-docpact-violation".into(), header_safe(&detail).into()));
    }
    Decision::answer(response)
}

/// The longest `x-docpact-violation` header, in bytes.
const MAX_VIOLATION_HEADER: usize = 512;

/// `text` as a header value: control characters become spaces, and it is cut to
/// [`MAX_VIOLATION_HEADER`] bytes (on a character boundary) with `…` where cut.
pub(crate) fn header_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_VIOLATION_HEADER + 3));
    for c in text.chars() {
        if out.len() + c.len_utf8() > MAX_VIOLATION_HEADER {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

fn authenticate(
    state: &mut State,
    req: &HttpRequest,
    env: &Env,
    call: &Call,
) -> Result<(), ProviderError> {
    let cfg = &state.config;
    let now = env.now_ms.div_euclid(1000);
    if cfg.verify_signatures {
        let mut opts = VerifyOptions::at(now);
        opts.check_time = cfg.check_time;
        protocol::verify_with(req, call, &cfg.credentials, &opts, &mut state.signing_keys)?;
    } else if let KeyLookup::Unknown = cfg.credentials.lookup(call.provider, &call.auth.key_id) {
        return Err(match call.provider {
            Provider::Alibaba => ProviderError::alibaba_unknown_key(),
            Provider::Tencent => ProviderError::tencent_unknown_key(),
        });
    }
    if cfg.check_nonces
        && call.provider == Provider::Alibaba
        && let Some(nonce) = &call.auth.nonce
        && !state.nonces.check_and_record(&call.auth.key_id, nonce, now)
    {
        return Err(ProviderError::alibaba_nonce_used());
    }
    Ok(())
}

/// Finds the base contract and, where its condition holds, the profile.
pub fn route<'a>(
    set: &'a ContractSet,
    call: &Call,
) -> Result<(&'a LoadedContract, Option<&'a LoadedContract>), ProviderError> {
    let roa = call.provider == Provider::Alibaba && call.path != "/";
    // The set's index narrows the search to the operations with this path or action (and
    // provider, and no profile); the method is checked here.
    let by_roa_path = roa.then(|| {
        set.by_roa_path(&call.path).filter(|l| {
            l.contract
                .http
                .methods
                .iter()
                .any(|m| m.eq_ignore_ascii_case(&call.method))
        })
    });
    let by_action = match (&call.action, roa) {
        (Some(action), false) => Some(set.by_action(call.provider, action)),
        _ => None,
    };
    let candidates = by_roa_path
        .into_iter()
        .flatten()
        .chain(by_action.into_iter().flatten());
    let mut first = None;
    let mut base = None;
    for l in candidates {
        first.get_or_insert(l);
        if l.contract.version == call.version {
            base = Some(l);
            break;
        }
    }
    let any = first.is_some();
    let Some(base) = base else {
        return Err(match (call.provider, any) {
            (Provider::Alibaba, true) => ProviderError::alibaba(
                "InvalidVersion",
                400,
                "Specified parameter Version is not valid.",
            ),
            (Provider::Alibaba, false) => ProviderError::alibaba(
                "InvalidAction.NotFound",
                404,
                "Specified api is not found, please check your url and method.",
            ),
            (Provider::Tencent, true) => ProviderError::tencent(
                "NoSuchVersion",
                format!(
                    "The specified api version=`{}` does not exist in service=`{}`.",
                    call.version,
                    first.map_or("", |l| l.contract.service.as_str())
                ),
            ),
            (Provider::Tencent, false) => ProviderError::tencent(
                "InvalidAction",
                "The request `Action` is invalid or not found.",
            ),
        });
    };
    let profile = set.profiles_of(&base.id).find(|l| {
        l.contract
            .profile
            .as_ref()
            .is_some_and(|p| p.when.holds(|name| call.param(name)))
    });
    Ok((base, profile))
}

/// The error a queued `Error` outcome answers with: the operation's table, else a common code.
pub fn forced_error(c: &Contract, base: Option<&Contract>, code: &str) -> Option<ProviderError> {
    let entry = c
        .errors
        .iter()
        .chain(base.map(|b| b.errors.as_slice()).unwrap_or_default())
        .find(|e| e.code == code);
    if let Some(e) = entry {
        let message = e.message.clone().unwrap_or_else(|| e.code.clone());
        return Some(match c.provider {
            Provider::Alibaba => {
                ProviderError::alibaba(code, e.http_status.unwrap_or(400), message)
            }
            Provider::Tencent => ProviderError::tencent(code, message),
        });
    }
    ProviderError::common(c.provider, code)
}

/// The cassette step: the recorded answer to `call`, or (under `strict`) the error and the
/// near-miss report for a request nothing recorded matches; `None` falls through to the page.
fn from_cassette(
    library: &mut Library,
    strict: bool,
    op: &str,
    call: &Call,
) -> Option<Result<HttpResponse, (ProviderError, String)>> {
    if let Some(answer) = library.answer_call(op, call) {
        return Some(Ok(answer.clone()));
    }
    if !strict {
        return None;
    }
    let miss = library.near_miss(op, &RecordedRequest::from_call(call));
    let message = "No recorded interaction matches this request.";
    let err = match call.provider {
        Provider::Alibaba => ProviderError::alibaba("NoRecordedInteraction", 404, message),
        Provider::Tencent => ProviderError::tencent("NoRecordedInteraction", message),
    };
    Some(Err((err, miss.to_string())))
}

fn fingerprint(call: &Call, token_param: &str) -> String {
    let mut params: Vec<(&str, &str)> = call
        .params
        .iter()
        .filter(|(k, _)| k != token_param)
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    params.sort();
    let mut body = call.body.as_ref().map(crate::protocol::Json::to_value);
    if let Some(Value::Object(m)) = &mut body {
        m.remove(token_param);
    }
    format!(
        "{params:?}|{}",
        body.map(|b| b.to_string()).unwrap_or_default()
    )
}

fn param_value(call: &Call, name: &str) -> Option<String> {
    call.param(name)
        .map(str::to_string)
        .or_else(|| match call.body.as_ref()?.get(name)? {
            crate::protocol::Json::String(s) => Some(s.to_string()),
            other => Some(other.to_string()),
        })
}

/// The queued-outcome step: `Ok(delay)` goes on (holding the answer that long); `Err` ends
/// the request here, with a decision (a reset) or the queued error.
fn queued_outcome(
    forced: &mut HashMap<String, VecDeque<Outcome>>,
    op: &str,
    base: &LoadedContract,
    profile: Option<&LoadedContract>,
    provider: Provider,
) -> Result<u64, Result<Decision, ProviderError>> {
    if forced.is_empty() {
        return Ok(0);
    }
    let queued = forced
        .get_mut(op)
        .and_then(|q| q.pop_front())
        .or_else(|| forced.get_mut(&base.id).and_then(|q| q.pop_front()));
    forced.retain(|_, q| !q.is_empty());
    let base_c = &base.contract;
    let common = |code: &str| {
        ProviderError::common(provider, code)
            .unwrap_or_else(|| ProviderError::malformed(provider, code.to_string()))
    };
    match queued {
        None => Ok(0),
        Some(Outcome::Delay(ms)) => Ok(ms),
        Some(Outcome::Error(code)) => Err(Err(forced_error(
            profile.map_or(base_c, |p| &p.contract),
            Some(base_c),
            &code,
        )
        .unwrap_or_else(|| ProviderError::malformed(provider, format!("forced error {code}"))))),
        Some(Outcome::Reset) => Err(Ok(Decision {
            response: HttpResponse {
                status: 0,
                headers: vec![],
                body: vec![],
            },
            delay_ms: 0,
            reset: true,
        })),
        Some(Outcome::Status(status)) => {
            let mut err = match (provider, status) {
                (Provider::Alibaba, 503) => common("ServiceUnavailable"),
                _ => common("InternalError"),
            };
            err.http_status = status;
            Err(Err(err))
        }
        Some(Outcome::Throttle) => Err(Err(common(match provider {
            Provider::Alibaba => "Throttling.User",
            Provider::Tencent => "RequestLimitExceeded",
        }))),
    }
}

fn handle(
    state: &mut State,
    req: &HttpRequest,
    env: &Env,
    call: &Call,
    format: Format,
    entry: &mut Entry,
) -> Result<Decision, Failure> {
    if !state.config.no_auth {
        authenticate(state, req, env, call)?;
    }
    let State {
        contracts,
        config,
        rng,
        tokens,
        names,
        rates,
        forced,
        cassettes,
        ..
    } = state;
    let (base, profile) = route(contracts, call)?;
    let base_c = &base.contract;
    let op: &str = profile.map_or(&base.id, |p| &p.id);
    entry.operation = Some(op.to_string());
    let host = base_c.endpoint.host.as_str();
    let with_host = |err: ProviderError, detail: Option<String>| Failure {
        err,
        detail,
        host: Some(host.to_string()),
    };

    // 4. A queued outcome wins.
    let delay_ms = match queued_outcome(forced, op, base, profile, call.provider) {
        Ok(delay_ms) => delay_ms,
        Err(Ok(decision)) => return Ok(decision),
        Err(Err(err)) => return Err(with_host(err, Some(QUEUED.into()))),
    };

    // 5. A recorded interaction answers before validation and state: recorded reality wins
    // over the page (`docpact verify` is where the two are compared).
    if let Some(library) = cassettes.as_mut() {
        match from_cassette(library, config.strict_cassettes, op, call) {
            Some(Ok(response)) => {
                return Ok(Decision {
                    response,
                    delay_ms,
                    reset: false,
                });
            }
            Some(Err((err, near_miss))) => return Err(with_host(err, Some(near_miss))),
            None => {}
        }
    }

    // 6. Validate against the base, then the profile.
    for c in std::iter::once(base_c).chain(profile.map(|p| &p.contract)) {
        if let Some(v) = validate(call, c).into_iter().next() {
            let err = to_provider_error(&v, c, Some(base_c));
            return Err(with_host(err, Some(format!("{} {}", v.param, v.detail))));
        }
    }

    // 7. State: rate limits, idempotency, unique names.
    let now_s = env.now_ms.div_euclid(1000);
    if config.rate_limits
        && let Some(rate) = &base_c.limits.rate
    {
        let scope = match rate.scope {
            RateScope::Api => String::new(),
            RateScope::Account => call.auth.key_id.to_string(),
        };
        let slot = rates.entry((op.to_string(), scope)).or_insert((now_s, 0));
        if slot.0 != now_s {
            *slot = (now_s, 0);
        }
        slot.1 += 1;
        if slot.1 > rate.per_second {
            let err = match call.provider {
                Provider::Tencent => ProviderError::tencent(
                    "RequestLimitExceeded",
                    format!(
                        "Your current request times equals to `{}` in a second, which exceeds the frequency limit `{}` for a second. Please reduce the frequency of calls.",
                        slot.1, rate.per_second
                    ),
                ),
                Provider::Alibaba => {
                    let code = match rate.scope {
                        RateScope::Account => "Throttling.User",
                        RateScope::Api => "Throttling.Api",
                    };
                    ProviderError::common(Provider::Alibaba, code)
                        .unwrap_or_else(|| ProviderError::malformed(Provider::Alibaba, code))
                }
            };
            return Err(with_host(
                err,
                Some(format!(
                    "more than {} requests in one second",
                    rate.per_second
                )),
            ));
        }
    }
    let token = base_c
        .limits
        .idempotency
        .as_ref()
        .filter(|_| config.idempotency)
        .and_then(|i| {
            Some((
                i.param.clone(),
                param_value(call, &i.param).filter(|v| !v.is_empty())?,
            ))
        });
    let rid = request_id(call.provider, rng);
    if let Some((param, value)) = &token {
        let key = digest(&[op, &call.auth.key_id, value]);
        if let Some((print, fields)) = tokens.get(&key) {
            if *print != digest(&[&fingerprint(call, param)]) {
                let err = ProviderError::common(call.provider, "IdempotentParameterMismatch")
                    .unwrap_or_else(|| ProviderError::malformed(call.provider, "token reused"));
                return Err(with_host(
                    err,
                    Some(format!("{param} {value:?} was used with other parameters")),
                ));
            }
            // The first answer again, under this request's own RequestId.
            let mut fields: Map<String, Value> = serde_json::from_str(fields).unwrap_or_default();
            for key in ["RequestId", "requestId"] {
                if let Some(v) = fields.get_mut(key) {
                    *v = Value::String(rid.clone());
                }
            }
            let response = encode_success(call.provider, fields, &rid, &base_c.action, format);
            return Ok(Decision {
                response,
                delay_ms,
                reset: false,
            });
        }
    }
    let mut taken = Vec::new();
    if config.unique_names {
        for u in &base_c.limits.unique {
            if let Some(v) = param_value(call, &u.param) {
                let key = digest(&[op, &u.param, &v]);
                if names.get(&key).is_some() {
                    let err = forced_error(base_c, None, &u.error).unwrap_or_else(|| {
                        ProviderError::malformed(call.provider, u.error.clone())
                    });
                    return Err(with_host(err, Some(format!("{} {v:?} is taken", u.param))));
                }
                taken.push(key);
            }
        }
    }

    // 8. The success response.
    let fields_from = match profile {
        Some(p) if !p.contract.response.documented_only => &p.contract,
        _ => base_c,
    };
    // Remembered tokens and names are bounded (the oldest go first) and keyed by digests, so
    // a long run cannot grow them without limit.
    for key in taken {
        names.insert(key, ());
    }
    // Most answers are JSON with nothing to remember: written straight from the contract.
    if token.is_none()
        && (call.provider == Provider::Tencent || format == Format::Json)
        && let Some(body) =
            success_json(call.provider, &fields_from.response.fields, call, &rid, rng)
    {
        return Ok(Decision {
            response: json_success(call.provider, body, rid),
            delay_ms,
            reset: false,
        });
    }
    let fields: Map<String, Value> = success_fields(&fields_from.response.fields, call, &rid, rng);
    if let Some((param, value)) = token {
        tokens.insert(
            digest(&[op, &call.auth.key_id, &value]),
            (
                digest(&[&fingerprint(call, &param)]),
                serde_json::to_string(&fields)
                    .unwrap_or_default()
                    .into_boxed_str(),
            ),
        );
    }
    let response = encode_success(call.provider, fields, &rid, &base_c.action, format);
    Ok(Decision {
        response,
        delay_ms,
        reset: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::SignInput;
    use crate::protocol::alibaba::rpc;
    use crate::protocol::tencent::tc3;
    use crate::replay::state::Config;

    const T0: i64 = 1_795_373_698;

    fn state() -> State {
        State::new(ContractSet::builtin().unwrap(), Config::default())
    }

    fn env(ms: i64) -> Env {
        Env {
            now_ms: ms,
            peer_loopback: true,
        }
    }

    /// A TC3 CreateInstance with this body and region, signed at `T0` with the test key.
    fn tcr_body(body: &[u8], region: &str) -> HttpRequest {
        let s = SignInput {
            host: "127.0.0.1:1",
            key_id: "AKIDtest",
            secret: "testSecretKey",
            timestamp: T0,
            nonce: "",
        };
        tc3::build("tcr", "CreateInstance", "2019-09-24", region, body, &s)
    }

    fn tcr(name: &str, ts: i64) -> HttpRequest {
        let body = format!(r#"{{"RegistryName":"{name}","RegistryType":"basic"}}"#);
        let s = SignInput {
            host: "127.0.0.1:1",
            key_id: "AKIDtest",
            secret: "testSecretKey",
            timestamp: ts,
            nonce: "",
        };
        tc3::build(
            "tcr",
            "CreateInstance",
            "2019-09-24",
            "ap-guangzhou",
            body.as_bytes(),
            &s,
        )
    }

    fn ens(nonce: &str, ts: i64, extra: &[(&str, &str)]) -> HttpRequest {
        let mut params: Vec<(String, String)> = [
            ("InstanceType", "ens.se1.tiny"),
            ("EnsRegionId", "cn-hangzhou"),
            ("Period", "1"),
            ("Quantity", "1"),
        ]
        .iter()
        .chain(extra)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        params.sort();
        let s = SignInput {
            host: "127.0.0.1:1",
            key_id: "testAccessKeyId",
            secret: "testAccessKeySecret",
            timestamp: ts,
            nonce,
        };
        rpc::build("GET", "CreateInstance", "2017-11-10", &params, false, &s)
    }

    fn code(d: &Decision) -> String {
        let v: Value = serde_json::from_slice(&d.response.body).unwrap_or(Value::Null);
        v["Code"]
            .as_str()
            .or(v["Response"]["Error"]["Code"].as_str())
            .unwrap_or("")
            .to_string()
    }

    /// `route` as a pass over the whole set: (the first candidate, the operation, its profile).
    fn route_by_scan<'a>(
        set: &'a ContractSet,
        call: &Call,
    ) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
        use crate::contract::WireStyle;
        let roa = call.provider == Provider::Alibaba && call.path != "/";
        let candidates: Vec<&LoadedContract> = set
            .iter()
            .filter(|l| {
                let c = &l.contract;
                c.profile.is_none()
                    && c.provider == call.provider
                    && if roa {
                        c.style == WireStyle::AlibabaRoa
                            && c.http.path == call.path
                            && c.http
                                .methods
                                .iter()
                                .any(|m| m.eq_ignore_ascii_case(&call.method))
                    } else {
                        c.style != WireStyle::AlibabaRoa
                            && Some(c.action.as_str()) == call.action.as_deref()
                    }
            })
            .collect();
        let first = candidates.first().map(|l| l.id.as_str());
        let Some(base) = candidates
            .iter()
            .find(|l| l.contract.version == call.version)
        else {
            return (first, None, None);
        };
        let profile = set.iter().find(|l| {
            l.contract
                .profile
                .as_ref()
                .is_some_and(|p| p.base == base.id && p.when.holds(|name| call.param(name)))
        });
        (first, Some(&base.id), profile.map(|l| l.id.as_str()))
    }

    #[test]
    fn routing_by_the_index_finds_what_a_pass_over_the_set_finds() {
        // The built-in contracts, plus a second version of an RPC operation and of an ROA
        // operation (this one answering PUT only); every operation is `CreateInstance`.
        let dir = std::env::temp_dir().join(format!("docpact-route-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
        fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                let target = to.join(entry.file_name());
                if entry.file_type().unwrap().is_dir() {
                    copy_tree(&entry.path(), &target);
                } else {
                    std::fs::copy(entry.path(), &target).unwrap();
                }
            }
        }
        copy_tree(&root, &dir);
        let variant = |from: &str, to: &str, edit: &dyn Fn(&mut Value)| {
            let mut v: Value =
                serde_json::from_str(&std::fs::read_to_string(root.join(from)).unwrap()).unwrap();
            edit(&mut v);
            let to = dir.join(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        };
        variant(
            "alibaba/ens/2017-11-10/CreateInstance.json",
            "alibaba/ens/2016-01-01/CreateInstance.json",
            &|v| v["version"] = "2016-01-01".into(),
        );
        variant(
            "alibaba/searchengine/2021-10-25/CreateInstance.json",
            "alibaba/searchengine/2020-01-01/CreateInstance.json",
            &|v| {
                v["version"] = "2020-01-01".into();
                v["http"]["methods"] = serde_json::json!(["PUT"]);
            },
        );
        let set = ContractSet::from_dir(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);

        let mut versions: Vec<String> = set.iter().map(|l| l.contract.version.clone()).collect();
        versions.push("1999-01-01".into());
        let mut paths: Vec<String> = set.iter().map(|l| l.contract.http.path.clone()).collect();
        paths.extend(["/".to_string(), "/openapi/none".to_string()]);
        let mut checked = 0;
        for provider in [Provider::Alibaba, Provider::Tencent] {
            for path in &paths {
                for method in ["GET", "POST", "put"] {
                    for action in [None, Some("CreateInstance"), Some("DescribeNothing")] {
                        for version in &versions {
                            for params in [vec![], vec![("ProductCode".into(), "acr".into())]] {
                                let call = Call {
                                    provider,
                                    scheme: crate::protocol::Scheme::RpcV1,
                                    action: action.map(Into::into),
                                    version: version.as_str().into(),
                                    method: method.into(),
                                    path: path.as_str().into(),
                                    params,
                                    body: None,
                                    common: vec![],
                                    auth: crate::protocol::Auth {
                                        key_id: "k".into(),
                                        timestamp: 0,
                                        nonce: None,
                                        security_token: None,
                                    },
                                    signed_pairs: vec![],
                                    params_signed: false,
                                    header_signature: None,
                                };
                                let (first, base, profile) = route_by_scan(&set, &call);
                                match route(&set, &call) {
                                    Ok((b, p)) => {
                                        assert_eq!(Some(b.id.as_str()), base, "{call:?}");
                                        assert_eq!(p.map(|l| l.id.as_str()), profile, "{call:?}");
                                    }
                                    Err(e) => {
                                        assert_eq!(base, None, "{call:?}");
                                        // The error says whether the action or path exists.
                                        let any = matches!(
                                            e.code.as_str(),
                                            "InvalidVersion" | "NoSuchVersion"
                                        );
                                        assert_eq!(any, first.is_some(), "{call:?}: {}", e.code);
                                    }
                                }
                                checked += usize::from(base.is_some());
                            }
                        }
                    }
                }
            }
        }
        // Every operation and the profile were reached, in each version.
        assert!(checked >= 8, "{checked}");
    }

    #[test]
    fn violation_headers_are_short_and_printable() {
        let long = format!("UserData \"{}\x00\x7f\" is too long", "a".repeat(20_000));
        let h = header_safe(&long);
        assert!(
            h.len() <= MAX_VIOLATION_HEADER + '…'.len_utf8(),
            "{}",
            h.len()
        );
        assert!(h.ends_with('…'));
        assert!(
            !header_safe("a\u{0}b\u{7f}c\nd")
                .chars()
                .any(char::is_control)
        );
        assert_eq!(
            header_safe("é".repeat(300).as_str())
                .chars()
                .filter(|c| *c == 'é')
                .count(),
            256
        );
    }

    #[test]
    fn an_unknown_key_with_a_control_character_gets_a_whole_answer() {
        let mut s = state();
        let body = br#"{"RegistryName":"tcr-ctl","RegistryType":"basic","a\u0001b":1}"#;
        let req = tcr_body(body, "ap-guangzhou");
        let d = respond(&mut s, &req, &env(T0 * 1000));
        assert_eq!(code(&d), "UnknownParameter");
        let header = d
            .response
            .headers
            .iter()
            .find(|(k, _)| k == "x-docpact-violation")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert!(!header.chars().any(char::is_control), "{header:?}");
        assert!(
            hyper::header::HeaderValue::from_str(&header).is_ok(),
            "{header:?}"
        );
    }

    #[test]
    fn a_tencent_call_without_a_region_is_refused() {
        let mut s = state();
        let req = tcr_body(
            br#"{"RegistryName":"tcr-noregion","RegistryType":"basic"}"#,
            "",
        );
        assert_eq!(
            code(&respond(&mut s, &req, &env(T0 * 1000))),
            "MissingParameter"
        );
    }

    #[test]
    fn unsigned_requests_are_served_only_without_authentication() {
        let tcr = HttpRequest::new("POST", "/")
            .with_header("X-TC-Action", "CreateInstance")
            .with_header("X-TC-Version", "2019-09-24")
            .with_header("X-TC-Region", "ap-guangzhou")
            .with_header("Content-Type", "application/json")
            .with_body(r#"{"RegistryName":"tcr-unsigned","RegistryType":"basic"}"#);
        let rpc = HttpRequest::new(
            "GET",
            "/?Action=CreateInstance&Version=2017-11-10&Format=JSON&InstanceType=ens.se1.tiny&EnsRegionId=cn-hangzhou&Period=1&Quantity=1",
        );
        let roa = HttpRequest::new("POST", "/openapi/ha3/instances")
            .with_header("x-acs-version", "2021-10-25")
            .with_header("content-type", "application/json")
            .with_body(r#"{"chargeType":"PREPAY"}"#);
        let mut signed = state();
        for req in [&tcr, &rpc, &roa] {
            let d = respond(&mut signed, req, &env(T0 * 1000));
            assert!(!code(&d).is_empty(), "refused when authentication is on");
        }
        let mut open = State::new(
            ContractSet::builtin().unwrap(),
            Config {
                no_auth: true,
                ..Config::default()
            },
        );
        for req in [&tcr, &rpc, &roa] {
            let d = respond(&mut open, req, &env(T0 * 1000));
            assert_eq!(
                (d.response.status, code(&d)),
                (200, String::new()),
                "{}",
                String::from_utf8_lossy(&d.response.body)
            );
        }
        let d = respond(
            &mut open,
            &tcr_body(br#"{"RegistryType":"basic"}"#, "ap-guangzhou"),
            &env(T0 * 1000),
        );
        assert_eq!(
            code(&d),
            "MissingParameter",
            "validation still applies, signed or not"
        );
    }

    #[test]
    fn queued_server_faults_carry_their_status_for_every_provider() {
        let mut s = state();
        s.force(
            "tencent/tcr/2019-09-24/CreateInstance",
            Outcome::Status(503),
        );
        let d = respond(&mut s, &tcr("tcr-fault", T0), &env(T0 * 1000));
        assert_eq!(d.response.status, 503);
        assert_eq!(code(&d), "InternalError");
        s.force(
            "alibaba/ens/2017-11-10/CreateInstance",
            Outcome::Status(500),
        );
        let d = respond(&mut s, &ens("f", T0, &[]), &env(T0 * 1000));
        assert_eq!(
            (d.response.status, code(&d).as_str()),
            (500, "InternalError")
        );
    }

    #[test]
    fn twenty_five_tcr_calls_in_one_second_see_five_throttled() {
        let mut s = state();
        let codes: Vec<String> = (0..25)
            .map(|i| {
                code(&respond(
                    &mut s,
                    &tcr(&format!("tcr-n{i}"), T0),
                    &env(T0 * 1000 + i),
                ))
            })
            .collect();
        assert_eq!(codes.iter().filter(|c| c.is_empty()).count(), 20);
        assert_eq!(
            codes
                .iter()
                .filter(|c| *c == "RequestLimitExceeded")
                .count(),
            5
        );
        let next = respond(&mut s, &tcr("tcr-later", T0 + 1), &env((T0 + 1) * 1000));
        assert_eq!(code(&next), "");
    }

    #[test]
    fn ens_throttles_per_account_and_refuses_reused_nonces() {
        let mut s = state();
        for i in 0..10 {
            let d = respond(&mut s, &ens(&format!("n{i}"), T0, &[]), &env(T0 * 1000));
            assert_eq!(
                d.response.status,
                200,
                "{}",
                String::from_utf8_lossy(&d.response.body)
            );
        }
        let d = respond(&mut s, &ens("n10", T0, &[]), &env(T0 * 1000));
        assert_eq!(
            (d.response.status, code(&d).as_str()),
            (400, "Throttling.User")
        );
        let d = respond(&mut s, &ens("n0", T0 + 2, &[]), &env((T0 + 2) * 1000));
        assert_eq!(code(&d), "SignatureNonceUsed");
    }

    #[test]
    fn the_same_seed_gives_the_same_answers() {
        let answers = |seed| {
            let config = Config {
                seed: Some(seed),
                ..Config::default()
            };
            let mut s = State::new(ContractSet::builtin().unwrap(), config);
            respond(&mut s, &ens("n", T0, &[]), &env(T0 * 1000))
                .response
                .body
        };
        assert_eq!(answers(1), answers(1));
        assert_ne!(answers(1), answers(2));
        // Without a seed, every server (and every reset) draws its own.
        let fresh = || {
            let mut s = State::new(ContractSet::builtin().unwrap(), Config::default());
            respond(&mut s, &ens("n", T0, &[]), &env(T0 * 1000))
                .response
                .body
        };
        assert_ne!(fresh(), fresh());
        let mut seeded = State::new(
            ContractSet::builtin().unwrap(),
            Config {
                seed: Some(5),
                ..Config::default()
            },
        );
        let first = respond(&mut seeded, &ens("a", T0, &[]), &env(T0 * 1000))
            .response
            .body;
        seeded.reset();
        let again = respond(&mut seeded, &ens("a", T0, &[]), &env(T0 * 1000))
            .response
            .body;
        assert_eq!(first, again, "a reset keeps the seed");
    }

    #[test]
    fn a_name_with_thousands_of_dots_is_answered_not_recursed_into() {
        let name = vec!["a"; 30_000].join(".");
        let params = vec![(name, "1".to_string())];
        let t = SignInput {
            host: "127.0.0.1:1",
            key_id: "AKIDtest",
            secret: "testSecretKey",
            timestamp: T0,
            nonce: "7",
        };
        let req = crate::protocol::tencent::v1::build(
            "CreateInstance",
            "2019-09-24",
            "ap-guangzhou",
            &params,
            crate::protocol::tencent::v1::Method::HmacSha256,
            &t,
        );
        // On a small stack: recursion as deep as the name would overflow it.
        let answered = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let mut s = state();
                code(&respond(&mut s, &req, &env(T0 * 1000)))
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(answered, "UnknownParameter");
    }

    #[test]
    fn integers_with_spaces_are_refused() {
        let mut s = state();
        for (period, quantity) in [(" 1", "1"), ("1", "1 ")] {
            let params: Vec<(String, String)> = [
                ("EnsRegionId", "cn-hangzhou"),
                ("InstanceType", "ens.se1.tiny"),
                ("Period", period),
                ("Quantity", quantity),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            let sign = SignInput {
                host: "127.0.0.1:1",
                key_id: "testAccessKeyId",
                secret: "testAccessKeySecret",
                timestamp: T0,
                nonce: period,
            };
            let req = rpc::build("GET", "CreateInstance", "2017-11-10", &params, false, &sign);
            let d = respond(&mut s, &req, &env(T0 * 1000));
            assert_eq!(code(&d), "InvalidParameter", "{period:?} {quantity:?}");
        }
    }

    #[test]
    fn the_journal_keeps_a_cut_path_and_the_queues_are_bounded() {
        let mut s = state();
        let long = format!("/{}", "p".repeat(60_000));
        respond(&mut s, &HttpRequest::new("GET", &long), &env(T0 * 1000));
        let e = s.journal().entries().last().unwrap().clone();
        assert!(
            e.path.len() <= super::super::journal::MAX_PATH && e.cut,
            "{}",
            e.path.len()
        );
        let queue = |times: usize| {
            HttpRequest::new("POST", "/__docpact/outcomes").with_body(format!(
                r#"{{"operation":"ens/2017-11-10/CreateInstance","fault":"reset","times":{times}}}"#
            ))
        };
        assert_eq!(
            respond(&mut s, &queue(10_000), &env(0)).response.status,
            200
        );
        let refused = respond(&mut s, &queue(1), &env(0));
        assert_eq!(refused.response.status, 400);
        assert!(String::from_utf8_lossy(&refused.response.body).contains("at most 10000"));
        assert!(!s.force("ens/2017-11-10/CreateInstance", Outcome::Reset));
    }

    #[test]
    fn xml_is_served_when_asked_for() {
        let mut s = state();
        let d = respond(&mut s, &ens("x", T0, &[("Format", "XML")]), &env(T0 * 1000));
        let body = String::from_utf8(d.response.body).unwrap();
        assert!(
            body.starts_with(
                "<?xml version='1.0' encoding='UTF-8'?><CreateInstanceResponse><RequestId>"
            ),
            "{body}"
        );
        assert!(body.contains("<InstanceIds><InstanceId>i-"), "{body}");
    }

    #[test]
    fn unknown_actions_and_versions_get_the_providers_codes() {
        let mut s = state();
        let s_in = SignInput {
            host: "h",
            key_id: "testAccessKeyId",
            secret: "testAccessKeySecret",
            timestamp: T0,
            nonce: "a",
        };
        let req = rpc::build("GET", "DeleteInstance", "2017-11-10", &[], false, &s_in);
        let d = respond(&mut s, &req, &env(T0 * 1000));
        assert_eq!(
            (d.response.status, code(&d).as_str()),
            (404, "InvalidAction.NotFound")
        );
        let s_in = SignInput { nonce: "b", ..s_in };
        let req = rpc::build("GET", "CreateInstance", "2099-01-01", &[], false, &s_in);
        assert_eq!(
            code(&respond(&mut s, &req, &env(T0 * 1000))),
            "InvalidVersion"
        );
        let t = SignInput {
            host: "h",
            key_id: "AKIDtest",
            secret: "testSecretKey",
            timestamp: T0,
            nonce: "",
        };
        let req = tc3::build(
            "tcr",
            "DeleteInstance",
            "2019-09-24",
            "ap-guangzhou",
            b"{}",
            &t,
        );
        assert_eq!(
            code(&respond(&mut s, &req, &env(T0 * 1000))),
            "InvalidAction"
        );
        let req = tc3::build(
            "tcr",
            "CreateInstance",
            "2018-01-01",
            "ap-guangzhou",
            b"{}",
            &t,
        );
        assert_eq!(
            code(&respond(&mut s, &req, &env(T0 * 1000))),
            "NoSuchVersion"
        );
    }

    #[test]
    fn admin_answers_loopback_only_and_queues_outcomes() {
        let mut s = state();
        let remote = Env {
            now_ms: T0 * 1000,
            peer_loopback: false,
        };
        let health = HttpRequest::new("GET", "/__docpact/health");
        assert_eq!(respond(&mut s, &health, &remote).response.status, 403);
        assert_eq!(respond(&mut s, &health, &env(0)).response.status, 200);
        let bad = HttpRequest::new("POST", "/__docpact/outcomes")
            .with_body(r#"{"operation":"ens/2017-11-10/CreateInstance","error":"NotACode"}"#);
        assert_eq!(respond(&mut s, &bad, &env(0)).response.status, 400);
        let garbage = HttpRequest::new("POST", "/__docpact/outcomes").with_body("[");
        assert_eq!(respond(&mut s, &garbage, &env(0)).response.status, 400);
        let queue = HttpRequest::new("POST", "/__docpact/outcomes")
            .with_body(r#"{"operation":"ens/2017-11-10/CreateInstance","error":"StockNotEnough"}"#);
        assert_eq!(respond(&mut s, &queue, &env(0)).response.status, 200);
        let d = respond(&mut s, &ens("q", T0, &[]), &env(T0 * 1000));
        assert_eq!(code(&d), "StockNotEnough");
        let d = respond(&mut s, &ens("r", T0, &[]), &env(T0 * 1000));
        assert_eq!(d.response.status, 200, "the outcome is used once");
        let reset = HttpRequest::new("POST", "/__docpact/outcomes")
            .with_body(r#"{"operation":"tcr/2019-09-24/CreateInstance","fault":"reset"}"#);
        assert_eq!(respond(&mut s, &reset, &env(0)).response.status, 200);
        assert!(respond(&mut s, &tcr("tcr-reset", T0), &env(T0 * 1000)).reset);
        let journal = HttpRequest::new("GET", "/__docpact/journal");
        let j: Value =
            serde_json::from_slice(&respond(&mut s, &journal, &env(0)).response.body).unwrap();
        assert_eq!(j["entries"].as_array().unwrap().len(), 3);
    }
}
