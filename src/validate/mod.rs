//! Validation: a decoded call against its contract, answered in the provider's vocabulary.
//! Pure logic, no I/O.

mod tree;
mod violation;

pub use tree::unflatten;
pub use violation::{Violation, ViolationKind, to_provider_error};

use crate::contract::{
    Contract, Location, ParamType, Parameter, Provider, RuleKind, WireStyle, resolve,
};
use crate::protocol::{Call, Json, Object, Scheme};

/// Every violation of `contract` by `call`, in a stable order (first is answered).
pub fn validate(call: &Call, contract: &Contract) -> Vec<Violation> {
    let mut out = Vec::new();
    // Tencent's parameters as one tree, built once for the types and the rules.
    let tree = (contract.style == WireStyle::TencentApi3).then(|| view(call, contract));
    match contract.style {
        WireStyle::AlibabaRpc => flat(call, contract, &mut out),
        WireStyle::AlibabaRoa => {
            // The JSON body is the one top-level value, named `body` (borrowed, not copied
            // into a root object as `view` does).
            let mut cx = TreeCx {
                provider: contract.provider,
                text: call.body.is_none(),
                out: &mut out,
            };
            let body = call.body.as_ref();
            cx.fields(
                body.map(|b| ("body", b)).into_iter(),
                |name| body.filter(|_| name == "body"),
                &contract.parameters,
                None,
            );
        }
        WireStyle::TencentApi3 => {
            let root = tree.as_deref().unwrap_or(&Json::Null);
            let text = matches!(call.scheme, Scheme::TcV1) || call.body.is_none();
            let mut cx = TreeCx {
                provider: contract.provider,
                text,
                out: &mut out,
            };
            cx.object(root.as_object(), &contract.parameters, None);
        }
    }
    common(call, contract, &mut out);
    rules(call, contract, tree.as_deref(), &mut out);
    out
}

/// Required common parameters the decoder does not already demand (`Region` for Tencent;
/// `Action` and `Version` route the call, so they are always there).
fn common(call: &Call, contract: &Contract, out: &mut Vec<Violation>) {
    for p in &contract.parameters {
        if p.location == Location::Common
            && p.required
            && p.name != "Action"
            && p.name != "Version"
            && call.common(&p.name).is_none_or(|v| v.trim().is_empty())
        {
            out.push(Violation::missing(&p.name, None));
        }
    }
}

/// The parameters of a tree-style call as one JSON object keyed by documented names
/// (borrowed from the JSON body where it already has that shape).
pub fn view<'a>(call: &'a Call, contract: &Contract) -> std::borrow::Cow<'a, Json<'a>> {
    use std::borrow::Cow;
    match contract.style {
        WireStyle::AlibabaRoa => {
            let members = call
                .body
                .iter()
                .map(|b| ("body".into(), b.clone()))
                .collect();
            Cow::Owned(Json::Object(Object::from_unique(members)))
        }
        _ => match &call.body {
            Some(body) => Cow::Borrowed(body),
            None => Cow::Owned(unflatten(&call.params)),
        },
    }
}

fn flat(call: &Call, contract: &Contract, out: &mut Vec<Violation>) {
    for (name, value) in &call.params {
        if value.is_empty() {
            continue;
        }
        // Alibaba ignores parameters it does not document.
        let Some(r) = resolve(&contract.parameters, name) else {
            continue;
        };
        if matches!(r.param.ty, ParamType::Object | ParamType::Array) {
            continue;
        }
        check_typed_scalar(r.param, r.param.ty, At::top(name), value, out);
    }
    for p in &contract.parameters {
        if p.required && p.repeat.is_none() && p.location != Location::Common {
            let given = call.param(&p.name).is_some_and(|v| !v.is_empty());
            if !given {
                out.push(Violation::missing(&p.name, None));
            }
        }
    }
}

/// One step of a path: a member's name or a list index.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Name(&'a str),
    Index(usize),
}

/// Where a value sits: its step and its parent's place, a chain on the stack, spelled out
/// (`Parent.0.Name`) only when a violation needs it, so validating allocates nothing.
#[derive(Clone, Copy)]
struct At<'a> {
    parent: Option<&'a At<'a>>,
    seg: Seg<'a>,
}

impl<'a> At<'a> {
    fn top(name: &'a str) -> At<'a> {
        At {
            parent: None,
            seg: Seg::Name(name),
        }
    }

    fn child(parent: Option<&'a At<'a>>, seg: Seg<'a>) -> At<'a> {
        At { parent, seg }
    }

    fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(a) = at {
            steps.push(a.seg);
            at = a.parent;
        }
        let mut out = String::new();
        for (i, seg) in steps.into_iter().rev().enumerate() {
            if i > 0 {
                out.push('.');
            }
            match seg {
                Seg::Name(n) => out.push_str(n),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

/// Checks a scalar against `ty` (the parameter's type, or its item type) and its constraints.
fn check_typed_scalar(
    p: &Parameter,
    ty: ParamType,
    at: At<'_>,
    value: &str,
    out: &mut Vec<Violation>,
) {
    if ty.accepts_text(value) == Some(false) {
        out.push(Violation {
            kind: ViolationKind::Type,
            param: at.path(),
            detail: format!("{value:?} is not of type {}", ty.name()),
            code: None,
        });
        return;
    }
    for k in &p.constraints {
        if k.check.is_count_check() {
            continue;
        }
        if let Err(why) = k.check.evaluate(value) {
            out.push(Violation {
                kind: ViolationKind::Value,
                param: at.path(),
                detail: format!("{value:?} {why}"),
                code: k.error.clone(),
            });
            return;
        }
    }
}

struct TreeCx<'a> {
    provider: Provider,
    text: bool,
    out: &'a mut Vec<Violation>,
}

impl TreeCx<'_> {
    fn absent(&self, v: &Json) -> bool {
        match v {
            Json::Null => true,
            // tea sends unset lists as [] and the pages print "" examples: both mean "not given".
            Json::Array(a) => a.is_empty() && self.provider == Provider::Alibaba,
            Json::String(s) => s.is_empty() && self.provider == Provider::Alibaba,
            _ => false,
        }
    }

    fn object(&mut self, map: Option<&Object>, params: &[Parameter], parent: Option<&At<'_>>) {
        let empty = Object::default();
        let map = map.unwrap_or(&empty);
        self.fields(map.iter(), |name| map.get(name), params, parent);
    }

    /// The members of an object, given as its entries and a lookup by name.
    fn fields<'v, 'j: 'v>(
        &mut self,
        entries: impl Iterator<Item = (&'v str, &'v Json<'j>)>,
        get: impl Fn(&str) -> Option<&'v Json<'j>>,
        params: &[Parameter],
        parent: Option<&At<'_>>,
    ) {
        for (k, v) in entries {
            let at = At::child(parent, Seg::Name(k));
            match params
                .iter()
                .find(|p| p.name == k && p.location != Location::Common)
            {
                Some(p) if !self.absent(v) => self.value(v, p, at),
                Some(_) => {}
                None if self.provider == Provider::Tencent => self.out.push(Violation {
                    kind: ViolationKind::Unknown,
                    param: at.path(),
                    detail: "is not a documented parameter".into(),
                    code: None,
                }),
                None => {}
            }
        }
        for p in params
            .iter()
            .filter(|p| p.required && p.location != Location::Common)
        {
            if get(&p.name).is_none_or(|v| self.absent(v)) {
                let at = At::child(parent, Seg::Name(&p.name));
                self.out.push(Violation::missing(&at.path(), None));
            }
        }
    }

    fn value(&mut self, v: &Json, p: &Parameter, at: At<'_>) {
        match p.ty {
            ParamType::Object => match v {
                Json::Object(m) => self.object(Some(m), &p.members, Some(&at)),
                _ => self.type_error(at, p, v),
            },
            ParamType::Array => {
                let Json::Array(items) = v else {
                    return self.type_error(at, p, v);
                };
                for k in p.constraints.iter().filter(|k| k.check.is_count_check()) {
                    if let Err(why) = k.check.evaluate_count(items.len()) {
                        self.out.push(Violation {
                            kind: ViolationKind::Value,
                            param: at.path(),
                            detail: why,
                            code: k.error.clone(),
                        });
                        return;
                    }
                }
                for (i, item) in items.iter().enumerate() {
                    let item_at = At::child(Some(&at), Seg::Index(i));
                    match p.item_type.unwrap_or(ParamType::String) {
                        ParamType::Object => match item {
                            Json::Object(m) => self.object(Some(m), &p.members, Some(&item_at)),
                            _ => self.type_error(item_at, p, item),
                        },
                        ty => self.scalar(item, ty, p, item_at),
                    }
                }
            }
            ty => self.scalar(v, ty, p, at),
        }
    }

    fn scalar(&mut self, v: &Json, ty: ParamType, p: &Parameter, at: At<'_>) {
        let number;
        let text: &str = match (v, self.text) {
            (Json::String(s), true) => s,
            (Json::String(s), false) if ty == ParamType::String => s,
            (Json::Number(n), false)
                if matches!(ty, ParamType::Integer | ParamType::Long)
                    && (n.is_i64() || n.is_u64()) =>
            {
                number = n.to_string();
                &number
            }
            (Json::Number(n), false) if ty == ParamType::Float => {
                number = n.to_string();
                &number
            }
            (Json::Bool(true), false) if ty == ParamType::Boolean => "true",
            (Json::Bool(false), false) if ty == ParamType::Boolean => "false",
            _ => return self.type_error(at, p, v),
        };
        check_typed_scalar(p, ty, at, text, self.out);
    }

    fn type_error(&mut self, at: At<'_>, p: &Parameter, v: &Json) {
        self.out.push(Violation {
            kind: ViolationKind::Type,
            param: at.path(),
            detail: format!("{v} is not of type {}", p.ty.name()),
            code: None,
        });
    }
}

/// `tree`: Tencent's parameters as [`view`] gives them.
fn rules(call: &Call, contract: &Contract, tree: Option<&Json>, out: &mut Vec<Violation>) {
    use std::borrow::Cow;
    if contract.rules.is_empty() {
        return;
    }
    // A value by its dotted name: RPC's by its flat name; ROA's under `body` and Tencent's
    // in their tree, as `view` lays them out (ROA's body is not copied under a root for it).
    let lookup = |name: &str| -> Option<Cow<'_, str>> {
        let mut segs = name.split('.');
        let mut v: &Json = match contract.style {
            WireStyle::AlibabaRpc => {
                return call
                    .param(name)
                    .filter(|v| !v.is_empty())
                    .map(Cow::Borrowed);
            }
            WireStyle::AlibabaRoa => match segs.next() {
                Some("body") => call.body.as_ref()?,
                _ => return None,
            },
            WireStyle::TencentApi3 => tree?,
        };
        for seg in segs {
            v = match v {
                Json::Object(m) => m.get(seg)?,
                Json::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        match v {
            Json::String(s) if s.is_empty() => None,
            Json::String(s) => Some(Cow::Borrowed(s)),
            Json::Null => None,
            other => Some(Cow::Owned(other.to_string())),
        }
    };
    for r in &contract.rules {
        let values = [r.when.param(), r.param.as_str()].map(|n| (n, lookup(n)));
        let get = |n: &str| {
            values
                .iter()
                .find(|(k, _)| *k == n)
                .and_then(|(_, v)| v.as_deref())
        };
        if !r.when.holds(get) {
            continue;
        }
        let present = get(&r.param).is_some();
        match r.kind {
            RuleKind::RequiredIf if !present => {
                out.push(Violation::missing(&r.param, r.error.clone()))
            }
            RuleKind::AbsentIf if present => out.push(Violation {
                kind: ViolationKind::Value,
                param: r.param.clone(),
                detail: format!("must be absent when {} holds", r.when.param()),
                code: r.error.clone(),
            }),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;
    use crate::protocol::{HttpRequest, decode_unsigned};
    use serde_json::{Value, json};

    /// The contract `id` with one rule: `param` required when `when` holds.
    fn with_rule(id: &str, param: &str, when: Value) -> Contract {
        let set = ContractSet::builtin().unwrap();
        let mut rule = set
            .find("ens/2017-11-10/CreateInstance")
            .unwrap()
            .contract
            .rules[0]
            .clone();
        rule.kind = RuleKind::RequiredIf;
        rule.param = param.into();
        rule.when = serde_json::from_value(when).unwrap();
        let mut contract = set.find(id).unwrap().contract.clone();
        contract.rules = vec![rule];
        contract
    }

    /// The names of the parameters `contract` finds missing in `req`.
    fn missing(contract: &Contract, req: &HttpRequest) -> Vec<String> {
        let call = decode_unsigned(req).unwrap();
        validate(&call, contract)
            .into_iter()
            .filter(|v| v.kind == ViolationKind::Missing)
            .map(|v| v.param)
            .collect()
    }

    #[test]
    fn rules_read_values_in_every_wire_style() {
        // ROA: names under `body`, in the JSON body; a number compares as its text.
        let roa = with_rule(
            "searchengine/2021-10-25/CreateInstance",
            "body.paymentInfo.duration",
            json!({"equals": {"param": "body.order.duration", "value": "1"}}),
        );
        let req = |body: &str| {
            HttpRequest::new("POST", "/openapi/ha3/instances")
                .with_header("x-acs-version", "2021-10-25")
                .with_header("content-type", "application/json")
                .with_body(body)
        };
        let name = vec!["body.paymentInfo.duration".to_string()];
        assert_eq!(missing(&roa, &req(r#"{"order":{"duration":1}}"#)), name);
        assert!(missing(&roa, &req(r#"{"order":{"duration":2}}"#)).is_empty());
        let both = r#"{"order":{"duration":1},"paymentInfo":{"duration":"3"}}"#;
        assert!(missing(&roa, &req(both)).is_empty());
        // Tencent: a JSON body, and the same names from a form's flat ones.
        let tcr = with_rule(
            "tcr/2019-09-24/CreateInstance",
            "RegistryChargePrepaid.Period",
            json!({"equals": {"param": "TagSpecification.Tags.0.Key", "value": "env"}}),
        );
        let tencent = |content_type: &str, body: &str| {
            HttpRequest::new("POST", "/")
                .with_header("x-tc-action", "CreateInstance")
                .with_header("x-tc-version", "2019-09-24")
                .with_header("x-tc-region", "ap-guangzhou")
                .with_header("content-type", content_type)
                .with_body(body)
        };
        let name = vec!["RegistryChargePrepaid.Period".to_string()];
        let json_body = r#"{"RegistryName":"r","RegistryType":"basic","TagSpecification":{"ResourceType":"instance","Tags":[{"Key":"env","Value":"x"}]}}"#;
        assert_eq!(missing(&tcr, &tencent("application/json", json_body)), name);
        let form = "RegistryName=r&RegistryType=basic&TagSpecification.ResourceType=instance&TagSpecification.Tags.0.Key=env&TagSpecification.Tags.0.Value=x";
        let form_type = "application/x-www-form-urlencoded";
        assert_eq!(missing(&tcr, &tencent(form_type, form)), name);
        let other = form.replace("Key=env", "Key=team");
        assert!(missing(&tcr, &tencent(form_type, &other)).is_empty());
        // RPC: flat names; an empty value is absent.
        let ens = ContractSet::builtin().unwrap();
        let ens = &ens.find("ens/2017-11-10/CreateInstance").unwrap().contract;
        let rpc = |query: &str| {
            HttpRequest::new(
                "GET",
                &format!(
                    "/?Action=CreateInstance&Version=2017-11-10&InstanceType=t&EnsRegionId=r&Period=1&Quantity=1&InstanceName=n{query}"
                ),
            )
        };
        let renew = vec!["AutoRenewPeriod".to_string()];
        assert_eq!(missing(ens, &rpc("&AutoRenew=True")), renew);
        assert_eq!(
            missing(ens, &rpc("&AutoRenew=True&AutoRenewPeriod=")),
            renew
        );
        assert!(missing(ens, &rpc("&AutoRenew=True&AutoRenewPeriod=1")).is_empty());
    }
}
