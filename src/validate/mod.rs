//! Validation: a decoded call against its contract, answered in the provider's vocabulary.
//! Pure logic, no I/O.

mod tree;
mod violation;

pub use tree::unflatten;
pub use violation::{Violation, ViolationKind, to_provider_error};

use serde_json::Value;

use crate::contract::{
    Contract, Location, ParamType, Parameter, Provider, RuleKind, WireStyle, resolve,
};
use crate::protocol::{Call, Scheme};

/// Every violation of `contract` by `call`, in a stable order (first is answered).
pub fn validate(call: &Call, contract: &Contract) -> Vec<Violation> {
    let mut out = Vec::new();
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
            let root = view(call, contract);
            let root = root.as_ref();
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
    rules(call, contract, &mut out);
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
pub fn view<'a>(call: &'a Call, contract: &Contract) -> std::borrow::Cow<'a, Value> {
    use std::borrow::Cow;
    match contract.style {
        WireStyle::AlibabaRoa => {
            let mut root = serde_json::Map::new();
            if let Some(body) = &call.body {
                root.insert("body".into(), body.clone());
            }
            Cow::Owned(Value::Object(root))
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
    fn absent(&self, v: &Value) -> bool {
        match v {
            Value::Null => true,
            // tea sends unset lists as [] and the pages print "" examples: both mean "not given".
            Value::Array(a) => a.is_empty() && self.provider == Provider::Alibaba,
            Value::String(s) => s.is_empty() && self.provider == Provider::Alibaba,
            _ => false,
        }
    }

    fn object(
        &mut self,
        map: Option<&serde_json::Map<String, Value>>,
        params: &[Parameter],
        parent: Option<&At<'_>>,
    ) {
        let empty = serde_json::Map::new();
        let map = map.unwrap_or(&empty);
        self.fields(
            map.iter().map(|(k, v)| (k.as_str(), v)),
            |name| map.get(name),
            params,
            parent,
        );
    }

    /// The members of an object, given as its entries and a lookup by name.
    fn fields<'v>(
        &mut self,
        entries: impl Iterator<Item = (&'v str, &'v Value)>,
        get: impl Fn(&str) -> Option<&'v Value>,
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

    fn value(&mut self, v: &Value, p: &Parameter, at: At<'_>) {
        match p.ty {
            ParamType::Object => match v {
                Value::Object(m) => self.object(Some(m), &p.members, Some(&at)),
                _ => self.type_error(at, p, v),
            },
            ParamType::Array => {
                let Value::Array(items) = v else {
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
                            Value::Object(m) => self.object(Some(m), &p.members, Some(&item_at)),
                            _ => self.type_error(item_at, p, item),
                        },
                        ty => self.scalar(item, ty, p, item_at),
                    }
                }
            }
            ty => self.scalar(v, ty, p, at),
        }
    }

    fn scalar(&mut self, v: &Value, ty: ParamType, p: &Parameter, at: At<'_>) {
        let number;
        let text: &str = match (v, self.text) {
            (Value::String(s), true) => s,
            (Value::String(s), false) if ty == ParamType::String => s,
            (Value::Number(n), false)
                if matches!(ty, ParamType::Integer | ParamType::Long)
                    && (n.is_i64() || n.is_u64()) =>
            {
                number = n.to_string();
                &number
            }
            (Value::Number(n), false) if ty == ParamType::Float => {
                number = n.to_string();
                &number
            }
            (Value::Bool(true), false) if ty == ParamType::Boolean => "true",
            (Value::Bool(false), false) if ty == ParamType::Boolean => "false",
            _ => return self.type_error(at, p, v),
        };
        check_typed_scalar(p, ty, at, text, self.out);
    }

    fn type_error(&mut self, at: At<'_>, p: &Parameter, v: &Value) {
        self.out.push(Violation {
            kind: ViolationKind::Type,
            param: at.path(),
            detail: format!("{v} is not of type {}", p.ty.name()),
            code: None,
        });
    }
}

fn rules(call: &Call, contract: &Contract, out: &mut Vec<Violation>) {
    if contract.rules.is_empty() {
        return;
    }
    let root = match contract.style {
        WireStyle::AlibabaRpc => None,
        _ => Some(view(call, contract)),
    };
    let lookup = |name: &str| -> Option<String> {
        match &root {
            None => call
                .param(name)
                .filter(|v| !v.is_empty())
                .map(str::to_string),
            Some(root) => {
                let mut v: &Value = root;
                for seg in name.split('.') {
                    v = match v {
                        Value::Object(m) => m.get(seg)?,
                        Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                        _ => return None,
                    };
                }
                match v {
                    Value::String(s) if s.is_empty() => None,
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    other => Some(other.to_string()),
                }
            }
        }
    };
    for r in &contract.rules {
        let values: Vec<(String, Option<String>)> = [r.when.param(), r.param.as_str()]
            .iter()
            .map(|n| (n.to_string(), lookup(n)))
            .collect();
        let get = |n: &str| {
            values
                .iter()
                .find(|(k, _)| k == n)
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
