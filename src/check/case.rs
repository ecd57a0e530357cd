//! Cases from the contracts, each with its expected outcome and a stable ID
//! `<contract id>/<kind>[:<detail>]`.
//!
//! From a valid call (the page's sample request, and one built from every documented
//! example), the generator derives: each required parameter left out, each constraint and
//! type broken, each conditional rule broken, each documented and common error forced, the
//! idempotency token sent twice, a wrong secret and an unknown key, and every fault. The
//! expected outcome of a broken call is what the replay core answers it (the [`Oracle`]).

use serde_json::{Map, Value, json};

use super::oracle::Oracle;
use super::params::{
    Fill, breaking, build, from_pairs, get, remove, set, slots, too_many_items, valid_value,
    wire_name, wrong_type,
};
use super::protocol::CaseCredentials;
use crate::contract::{
    Condition, Contract, ContractSet, LoadedContract, Location, ParamType, Predicate, Provider,
    RuleKind, SampleFormat, SampleKind, common_error_codes, parse_url_sample,
};
use crate::replay::Outcome;

/// What a case is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseKind {
    /// The page's sample request.
    Sample,
    /// A call with every documented example.
    Example,
    /// A required parameter left out.
    Missing,
    /// A constraint or type broken.
    Invalid,
    /// A conditional rule broken.
    Rule,
    /// A documented or common error forced through the server.
    Error,
    /// The idempotency token sent twice.
    Idempotent,
    /// Keys the server does not accept.
    Auth,
    /// A server fault on every attempt.
    Fault,
}

impl CaseKind {
    /// The name in case IDs.
    pub fn name(self) -> &'static str {
        match self {
            CaseKind::Sample => "sample",
            CaseKind::Example => "example",
            CaseKind::Missing => "missing",
            CaseKind::Invalid => "invalid",
            CaseKind::Rule => "rule",
            CaseKind::Error => "error",
            CaseKind::Idempotent => "idempotent",
            CaseKind::Auth => "auth",
            CaseKind::Fault => "fault",
        }
    }

    /// Whether the case sends a request that breaks the contract on purpose.
    pub fn breaks_contract(self) -> bool {
        matches!(self, CaseKind::Missing | CaseKind::Invalid | CaseKind::Rule)
    }
}

/// What should happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Success, and the client parses what the server sent.
    Success,
    /// The server refuses with this code, and the client reports it.
    Refused(String),
    /// Both calls succeed with the same answer.
    SameAnswer,
    /// The client reports a failure (faults): what it does is its snapshot.
    Failure,
}

/// A server fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 with the provider's error envelope.
    Http500,
    /// HTTP 503 with the provider's error envelope.
    Http503,
    /// The connection closed without an answer.
    Reset,
    /// The provider's throttling error.
    Throttle,
    /// An answer later than the client's timeout.
    Timeout,
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 5] = [
        Fault::Http500,
        Fault::Http503,
        Fault::Reset,
        Fault::Throttle,
        Fault::Timeout,
    ];

    /// The name in case IDs.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Http500 => "http500",
            Fault::Http503 => "http503",
            Fault::Reset => "reset",
            Fault::Throttle => "throttle",
            Fault::Timeout => "timeout",
        }
    }
}

/// One call of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCall {
    /// The parameters, in documented names.
    pub params: Map<String, Value>,
    /// Keys other than the test keys.
    pub credentials: Option<CaseCredentials>,
}

/// One case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// `<contract id>/<kind>[:<detail>]`.
    pub id: String,
    /// The contract id.
    pub operation: String,
    /// What it is about.
    pub kind: CaseKind,
    /// The calls, in order (the server's state is kept between them).
    pub calls: Vec<CaseCall>,
    /// Outcomes queued on the server before the first call, each for this many requests.
    pub queue: Vec<(Outcome, u32)>,
    /// What should happen.
    pub expect: Expect,
    /// Its place among every case of the contract set.
    pub order: usize,
}

/// How many requests of a case a queued error or fault covers: every attempt a client
/// with retries makes.
pub const EVERY_ATTEMPT: u32 = 20;

/// Settings that shape cases.
#[derive(Debug, Clone, Copy)]
pub struct CaseSettings {
    /// The timeout drivers give their clients; the timeout fault answers later than this.
    pub client_timeout_ms: u64,
}

/// Cases from a contract set, and what could not be built.
#[derive(Debug, Default)]
pub struct Generated {
    /// The cases, in contract order.
    pub cases: Vec<Case>,
    /// Cases docpact could not build, and why (`<case id>: reason`).
    pub skipped: Vec<String>,
}

struct Gen<'a> {
    loaded: &'a LoadedContract,
    base: Option<&'a Contract>,
    oracle: &'a mut Oracle,
    out: &'a mut Generated,
    settings: CaseSettings,
}

impl Gen<'_> {
    fn c(&self) -> &Contract {
        &self.loaded.contract
    }

    fn id(&self, kind: CaseKind, detail: Option<&str>) -> String {
        match detail {
            Some(d) => format!("{}/{}:{d}", self.loaded.id, kind.name()),
            None => format!("{}/{}", self.loaded.id, kind.name()),
        }
    }

    fn push(
        &mut self,
        kind: CaseKind,
        detail: Option<&str>,
        calls: Vec<CaseCall>,
        queue: Vec<(Outcome, u32)>,
        expect: Expect,
    ) {
        let id = self.id(kind, detail);
        let order = self.out.cases.len();
        self.out.cases.push(Case {
            id,
            operation: self.loaded.id.clone(),
            kind,
            calls,
            queue,
            expect,
            order,
        });
    }

    fn skip(&mut self, kind: CaseKind, detail: Option<&str>, why: impl std::fmt::Display) {
        let id = self.id(kind, detail);
        self.out.skipped.push(format!("{id}: {why}"));
    }

    fn one(params: Map<String, Value>) -> Vec<CaseCall> {
        vec![CaseCall {
            params,
            credentials: None,
        }]
    }

    /// A refusal case for `params`, when the server does refuse them.
    fn refusal(&mut self, kind: CaseKind, detail: &str, params: Map<String, Value>) {
        let c = self.loaded.contract.clone();
        let v = self.oracle.verdict(&c, &params);
        match v.code {
            Some(code) => self.push(
                kind,
                Some(detail),
                Gen::one(params),
                vec![],
                Expect::Refused(code),
            ),
            None => self.skip(
                kind,
                Some(detail),
                "the server accepts the call all the same",
            ),
        }
    }

    /// Makes rules hold for `params`: required parameters added, forbidden ones removed.
    fn apply_rules(&self, params: &mut Map<String, Value>) {
        for _ in 0..3 {
            for r in &self.c().rules {
                if !holds(&r.when, params) {
                    continue;
                }
                match r.kind {
                    RuleKind::RequiredIf if !params.contains_key(&r.param) => {
                        if let Some(v) = self
                            .c()
                            .parameter(&r.param)
                            .and_then(|p| valid_value(p.param, Fill::Required))
                        {
                            params.insert(r.param.clone(), v);
                        }
                    }
                    RuleKind::AbsentIf => {
                        params.remove(&r.param);
                    }
                    RuleKind::RequiredIf => {}
                }
            }
        }
    }

    /// A valid call with every parameter the contract documents, or why there is none.
    fn every(&mut self) -> Result<Map<String, Value>, String> {
        let c = self.loaded.contract.clone();
        let mut params = build(&c, Fill::Every);
        self.apply_rules(&mut params);
        for _ in 0..16 {
            let v = self.oracle.verdict(&c, &params);
            let Some(code) = v.code else {
                return Ok(params);
            };
            // Drop the optional parameter the server refused, and try again.
            let param = v
                .detail
                .as_deref()
                .and_then(|d| d.split_whitespace().next())
                .unwrap_or_default()
                .to_string();
            let top = param.strip_prefix("body.").unwrap_or(&param);
            let top = top.split('.').next().unwrap_or_default();
            let key = if c.parameters.iter().any(|p| p.name == param) {
                &param[..]
            } else {
                top
            };
            let optional = c
                .parameters
                .iter()
                .any(|p| !p.required && (wire_name(p) == key || p.name == key));
            if !optional || params.remove(key).is_none() {
                return Err(format!(
                    "the server refuses the built call with {code}: {}",
                    v.detail.unwrap_or_default()
                ));
            }
            self.apply_rules(&mut params);
        }
        Err("no valid call found".into())
    }

    fn sample(&mut self) -> Option<Map<String, Value>> {
        let c = self.c();
        let s = c
            .samples
            .iter()
            .find(|s| s.kind == SampleKind::Request && s.format == SampleFormat::Url)?;
        let pairs = parse_url_sample(&s.text).ok()?;
        Some(from_pairs(c, self.base, &pairs))
    }

    fn generate(&mut self) {
        let c = self.loaded.contract.clone();
        // Valid calls.
        if let Some(sample) = self.sample() {
            match self.oracle.verdict(&c, &sample).code {
                None => self.push(
                    CaseKind::Sample,
                    None,
                    Gen::one(sample),
                    vec![],
                    Expect::Success,
                ),
                Some(code) => self.skip(
                    CaseKind::Sample,
                    None,
                    format!("the server refuses the page's sample request with {code}"),
                ),
            }
        }
        let every = match self.every() {
            Ok(p) => p,
            Err(why) => {
                self.skip(CaseKind::Example, None, &why);
                return;
            }
        };
        self.push(
            CaseKind::Example,
            None,
            Gen::one(every.clone()),
            vec![],
            Expect::Success,
        );

        // Each required parameter left out; each constraint, type and rule broken.
        for slot in slots(&c, &every) {
            let p = slot.param;
            if p.location == Location::Common {
                continue;
            }
            if p.required {
                let mut params = every.clone();
                remove(&mut params, &slot.path);
                self.refusal(CaseKind::Missing, &slot.name, params);
            }
            let Some(valid) = get(&every, &slot.path).cloned() else {
                continue;
            };
            if let Some(bad) = wrong_type(p, c.provider) {
                let mut params = every.clone();
                set(&mut params, &slot.path, bad);
                self.refusal(CaseKind::Invalid, &format!("{}:type", slot.name), params);
            }
            for k in &p.constraints {
                let name = k.check.name();
                let detail = format!("{}:{name}", slot.name);
                let bad = match (&k.check, p.ty) {
                    (Predicate::MaxItems { max }, _) => too_many_items(&valid, *max),
                    (_, ParamType::Array) => valid
                        .as_array()
                        .and_then(|a| a.first())
                        .and_then(|item| breaking(p, &k.check, item))
                        .map(|item| json!([item])),
                    (_, ParamType::Object) => None,
                    _ => breaking(p, &k.check, &valid),
                };
                match bad {
                    Some(bad) => {
                        let mut params = every.clone();
                        set(&mut params, &slot.path, bad);
                        self.refusal(CaseKind::Invalid, &detail, params);
                    }
                    None => self.skip(
                        CaseKind::Invalid,
                        Some(&detail),
                        "docpact cannot build a value that breaks it",
                    ),
                }
            }
        }
        for r in c.rules.clone() {
            let detail = format!(
                "{}:{}",
                r.param,
                match r.kind {
                    RuleKind::RequiredIf => "required_if",
                    RuleKind::AbsentIf => "absent_if",
                }
            );
            let mut params = every.clone();
            if !make_hold(&c, &r.when, &mut params) {
                self.skip(
                    CaseKind::Rule,
                    Some(&detail),
                    "docpact cannot make its condition hold",
                );
                continue;
            }
            match r.kind {
                RuleKind::RequiredIf => {
                    params.remove(&r.param);
                }
                RuleKind::AbsentIf => {
                    let Some(v) = c
                        .parameter(&r.param)
                        .and_then(|p| valid_value(p.param, Fill::Required))
                    else {
                        self.skip(
                            CaseKind::Rule,
                            Some(&detail),
                            "docpact cannot build a value for it",
                        );
                        continue;
                    };
                    params.insert(r.param.clone(), v);
                }
            }
            self.refusal(CaseKind::Rule, &detail, params);
        }

        // Documented and common errors, forced.
        let mut codes: Vec<String> = c.errors.iter().map(|e| e.code.clone()).collect();
        if let Some(b) = self.base {
            codes.extend(b.errors.iter().map(|e| e.code.clone()));
        }
        codes.extend(common_error_codes(c.provider).iter().map(|s| s.to_string()));
        let mut seen = std::collections::HashSet::new();
        for code in codes {
            if !seen.insert(code.clone()) {
                continue;
            }
            let queue = vec![(Outcome::Error(code.clone()), EVERY_ATTEMPT)];
            self.push(
                CaseKind::Error,
                Some(&code),
                Gen::one(every.clone()),
                queue,
                Expect::Refused(code.clone()),
            );
        }

        // The idempotency token twice.
        let token = c
            .limits
            .idempotency
            .as_ref()
            .or(self.base.and_then(|b| b.limits.idempotency.as_ref()))
            .map(|i| i.param.clone());
        if let Some(param) = token {
            let mut params = every.clone();
            params.insert(param, json!("docpact-idempotency-token-1"));
            let call = CaseCall {
                params,
                credentials: None,
            };
            self.push(
                CaseKind::Idempotent,
                None,
                vec![call.clone(), call],
                vec![],
                Expect::SameAnswer,
            );
        }

        // Keys the server does not accept.
        let (test_id, wrong_code, unknown_id, unknown_code) = match c.provider {
            Provider::Alibaba => (
                crate::protocol::TEST_ACCESS_KEY_ID,
                "SignatureDoesNotMatch",
                "docpactUnknownKeyId",
                "InvalidAccessKeyId.NotFound",
            ),
            Provider::Tencent => (
                crate::protocol::TEST_SECRET_ID,
                "AuthFailure.SignatureFailure",
                "AKIDdocpactUnknown",
                "AuthFailure.SecretIdNotFound",
            ),
        };
        for (detail, key_id, code) in [
            ("wrong-secret", test_id, wrong_code),
            ("unknown-key", unknown_id, unknown_code),
        ] {
            let call = CaseCall {
                params: every.clone(),
                credentials: Some(CaseCredentials {
                    key_id: key_id.to_string(),
                    secret: "docpactWrongSecret".to_string(),
                }),
            };
            self.push(
                CaseKind::Auth,
                Some(detail),
                vec![call],
                vec![],
                Expect::Refused(code.to_string()),
            );
        }

        // Faults on every attempt.
        for fault in Fault::ALL {
            let outcome = match fault {
                Fault::Http500 => Outcome::Status(500),
                Fault::Http503 => Outcome::Status(503),
                Fault::Reset => Outcome::Reset,
                Fault::Throttle => Outcome::Throttle,
                Fault::Timeout => Outcome::Delay(self.settings.client_timeout_ms + 1500),
            };
            let times = if fault == Fault::Timeout {
                3
            } else {
                EVERY_ATTEMPT
            };
            self.push(
                CaseKind::Fault,
                Some(fault.name()),
                Gen::one(every.clone()),
                vec![(outcome, times)],
                Expect::Failure,
            );
        }
    }
}

/// Whether a condition holds for case parameters.
fn holds(cond: &Condition, params: &Map<String, Value>) -> bool {
    let texts: Vec<(String, String)> = params
        .iter()
        .filter_map(|(k, v)| super::render::text_of(v).map(|t| (k.clone(), t)))
        .collect();
    cond.holds(|name| {
        texts
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    })
}

/// Sets parameters so that `cond` holds; false when it cannot.
fn make_hold(c: &Contract, cond: &Condition, params: &mut Map<String, Value>) -> bool {
    match cond {
        Condition::Equals { param, value } => {
            let ty = c.parameter(param).map_or(ParamType::String, |p| p.param.ty);
            params.insert(param.clone(), super::params::typed(ty, value));
        }
        Condition::Present { param } => {
            if !params.contains_key(param) {
                let Some(v) = c
                    .parameter(param)
                    .and_then(|p| valid_value(p.param, Fill::Required))
                else {
                    return false;
                };
                params.insert(param.clone(), v);
            }
        }
    }
    holds(cond, params)
}

/// Every case of every contract in `set`, in contract order.
pub fn generate(set: &ContractSet, settings: CaseSettings) -> Generated {
    let mut out = Generated::default();
    let mut oracle = Oracle::new(set);
    for loaded in set.iter() {
        let base = set.base_of(&loaded.contract).map(|b| &b.contract);
        let mut g = Gen {
            loaded,
            base,
            oracle: &mut oracle,
            out: &mut out,
            settings,
        };
        g.generate();
    }
    // Two routes to one ID (a parameter documented twice) would make results ambiguous.
    let mut seen = std::collections::HashSet::new();
    out.cases.retain(|c| seen.insert(c.id.clone()));
    for (i, c) in out.cases.iter_mut().enumerate() {
        c.order = i;
    }
    out
}

/// A stable partition of case IDs: `K` of `N` (K from 1) takes the IDs whose hash falls to
/// it, so adding cases never moves the others.
pub fn in_partition(id: &str, k: u32, n: u32) -> bool {
    // FNV-1a: tiny, stable across builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    n > 0 && h % u64::from(n) == u64::from(k.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases() -> Generated {
        generate(
            &ContractSet::builtin().unwrap(),
            CaseSettings {
                client_timeout_ms: 1000,
            },
        )
    }

    #[test]
    fn the_builtin_contracts_give_every_kind_of_case() {
        let g = cases();
        let ids: Vec<&str> = g.cases.iter().map(|c| c.id.as_str()).collect();
        for want in [
            "tencent/tcr/2019-09-24/CreateInstance/sample",
            "tencent/tcr/2019-09-24/CreateInstance/example",
            "tencent/tcr/2019-09-24/CreateInstance/missing:RegistryName",
            "tencent/tcr/2019-09-24/CreateInstance/invalid:RegistryType:enum",
            "tencent/tcr/2019-09-24/CreateInstance/invalid:TagSpecification.Tags:max_items",
            "tencent/tcr/2019-09-24/CreateInstance/error:InvalidParameter.ErrorNameExists",
            "tencent/tcr/2019-09-24/CreateInstance/auth:wrong-secret",
            "tencent/tcr/2019-09-24/CreateInstance/fault:http503",
            "alibaba/bssopenapi/2017-12-14/CreateInstance#acr/sample",
            "alibaba/bssopenapi/2017-12-14/CreateInstance#acr/idempotent",
            "alibaba/ens/2017-11-10/CreateInstance/rule:Password:absent_if",
            "alibaba/ens/2017-11-10/CreateInstance/invalid:DataDisk.N.Size:multiple_of",
            "alibaba/searchengine/2021-10-25/CreateInstance/invalid:body.order.duration:range",
        ] {
            assert!(
                ids.contains(&want),
                "{want} missing; skipped: {:#?}",
                g.skipped
            );
        }
        assert!(ids.len() > 200, "{}", ids.len());
    }

    #[test]
    fn partitions_split_cases_without_overlap() {
        let g = cases();
        let mut total = 0;
        for k in 1..=4 {
            total += g.cases.iter().filter(|c| in_partition(&c.id, k, 4)).count();
        }
        assert_eq!(total, g.cases.len());
    }
}
