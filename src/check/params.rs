//! Case parameters as a tree of documented names, built from a contract: values that keep
//! every constraint, values that break one, and paths to reach into the tree.

use serde_json::{Map, Value, json};

use crate::contract::{
    CharClass, Contract, Location, ParamType, Parameter, Predicate, Provider, WireStyle,
    parse_boolean, parse_integer,
};

/// One step into a parameter tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// An object member (or a flat RPC name such as `DataDisk.1.Size`).
    Key(String),
    /// A list item.
    Index(usize),
}

/// A place in the tree.
pub type Path = Vec<Seg>;

/// The value at `path`.
pub fn get<'a>(root: &'a Map<String, Value>, path: &[Seg]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(k) = first else { return None };
    let mut v = root.get(k)?;
    for seg in rest {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn parent_mut<'a>(root: &'a mut Map<String, Value>, path: &[Seg]) -> Option<&'a mut Value> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(k) = first else { return None };
    let mut v = root.get_mut(k)?;
    for seg in rest {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Removes the value at `path`; true if it was there.
pub fn remove(root: &mut Map<String, Value>, path: &[Seg]) -> bool {
    match path {
        [] => false,
        [Seg::Key(k)] => root.remove(k).is_some(),
        [init @ .., last] => match (parent_mut(root, init), last) {
            (Some(Value::Object(m)), Seg::Key(k)) => m.remove(k).is_some(),
            (Some(Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
                a.remove(*i);
                true
            }
            _ => false,
        },
    }
}

/// Sets the value at `path`, creating objects on the way; false if the way is blocked.
pub fn set(root: &mut Map<String, Value>, path: &[Seg], value: Value) -> bool {
    match path {
        [] => false,
        [Seg::Key(k)] => {
            root.insert(k.clone(), value);
            true
        }
        [init @ .., last] => {
            if get(root, init).is_none() && !set(root, init, json!({})) {
                return false;
            }
            match (parent_mut(root, init), last) {
                (Some(Value::Object(m)), Seg::Key(k)) => {
                    m.insert(k.clone(), value);
                    true
                }
                (Some(Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
                    a[*i] = value;
                    true
                }
                _ => false,
            }
        }
    }
}

/// A documented parameter at a place in the tree.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    /// Where its value sits.
    pub path: Path,
    /// The parameter.
    pub param: &'a Parameter,
    /// Its documented name (`TagSpecification.Tags.Key`, `DataDisk.N.Size`, `body.order.duration`).
    pub name: String,
}

/// The top-level name a parameter takes in a case: its documented name with a repeated
/// index at its smallest value (`DataDisk.N.Size` → `DataDisk.1.Size`).
pub fn wire_name(p: &Parameter) -> String {
    match &p.repeat {
        Some(r) => p
            .name
            .replace(".N.", &format!(".{}.", r.min))
            .replace(".N", &format!(".{}", r.min)),
        None => p.name.clone(),
    }
}

/// Every parameter of `c` that `root` holds a value for, parents before members.
pub fn slots<'a>(c: &'a Contract, root: &Map<String, Value>) -> Vec<Slot<'a>> {
    fn walk<'a>(
        params: &'a [Parameter],
        root: &Map<String, Value>,
        at: &Path,
        name: &str,
        out: &mut Vec<Slot<'a>>,
    ) {
        for p in params {
            let mut path = at.clone();
            path.push(Seg::Key(if at.is_empty() {
                wire_name(p)
            } else {
                p.name.clone()
            }));
            let Some(v) = get(root, &path) else { continue };
            let full = if name.is_empty() {
                p.name.clone()
            } else {
                format!("{name}.{}", p.name)
            };
            out.push(Slot {
                path: path.clone(),
                param: p,
                name: full.clone(),
            });
            match (p.ty, v) {
                (ParamType::Object, Value::Object(_)) => walk(&p.members, root, &path, &full, out),
                (ParamType::Array, Value::Array(items))
                    if !p.members.is_empty() && !items.is_empty() =>
                {
                    let mut item = path.clone();
                    item.push(Seg::Index(0));
                    walk(&p.members, root, &item, &full, out);
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&c.parameters, root, &Vec::new(), "", &mut out);
    out
}

/// A scalar typed as the contract documents it (`"12"` → `12` for integers), or the text.
pub fn typed(ty: ParamType, text: &str) -> Value {
    match ty {
        ParamType::Integer | ParamType::Long => {
            parse_integer(text).map_or_else(|| json!(text), |n| json!(n))
        }
        ParamType::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
            .unwrap_or_else(|| json!(text)),
        ParamType::Boolean => parse_boolean(text).map_or_else(|| json!(text), |b| json!(b)),
        _ => json!(text),
    }
}

/// Whether `text` fits the parameter's type (or item type) and every value constraint.
pub fn fits(p: &Parameter, text: &str) -> bool {
    let ty = match p.ty {
        ParamType::Array => p.item_type.unwrap_or(ParamType::String),
        t => t,
    };
    ty.accepts_text(text) != Some(false)
        && p.constraints
            .iter()
            .filter(|k| !k.check.is_count_check())
            .all(|k| k.check.evaluate(text).is_ok())
}

fn class_sample(c: CharClass) -> &'static str {
    match c {
        CharClass::Lower | CharClass::Letter | CharClass::Ascii => "docpact",
        CharClass::Upper => "DOCPACT",
        CharClass::Digit => "1234567",
    }
}

/// Candidate texts for a scalar, most natural first: the example, the listed values,
/// then values built from the constraints.
fn candidates(p: &Parameter) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Pages print `""` for "no example".
    if let Some(e) = p.example.as_ref().filter(|e| *e != "\"\"") {
        out.push(e.clone());
    }
    if let Some(d) = &p.default {
        out.push(d.clone());
    }
    let ty = match p.ty {
        ParamType::Array => p.item_type.unwrap_or(ParamType::String),
        t => t,
    };
    let mut factor = 1;
    let mut low = None;
    for k in &p.constraints {
        match &k.check {
            Predicate::Enum { values } => out.extend(
                values
                    .iter()
                    .filter(|v| v.supported)
                    .map(|v| v.value.clone()),
            ),
            Predicate::Const { value } => out.push(value.clone()),
            Predicate::Range { ranges } => {
                for [lo, hi] in ranges {
                    if let Some(lo) = lo {
                        out.push(lo.to_string());
                        low = Some(*lo);
                    } else if let Some(hi) = hi {
                        out.push(hi.to_string());
                    }
                }
            }
            Predicate::MultipleOf { factor: f } => factor = *f,
            Predicate::Digits { count } => out.push("1".repeat(*count as usize)),
            Predicate::Password {
                min_length,
                specials,
                ..
            } => {
                let special = specials.chars().next().unwrap_or('!');
                let mut pw = format!("Docpact{special}1");
                while (pw.chars().count() as u64) < *min_length {
                    pw.push('x');
                }
                out.push(pw);
            }
            Predicate::StartsWith { prefix } => out.push(format!("{prefix}docpact")),
            Predicate::Charset { classes, .. } | Predicate::StartsWithClass { classes } => {
                out.extend(classes.iter().map(|c| class_sample(*c).to_string()));
            }
            Predicate::Length { min: Some(min), .. } => out.push("d".repeat(*min as usize)),
            _ => {}
        }
    }
    if factor > 1 {
        let start = low.unwrap_or(factor).max(factor);
        let first = (start + factor - 1) / factor * factor;
        out.push(first.to_string());
    }
    match ty {
        ParamType::Integer | ParamType::Long | ParamType::Float => out.push("1".into()),
        ParamType::Boolean => out.push("false".into()),
        _ => out.extend(["docpact".to_string(), "docpact1".into()]),
    }
    out
}

/// A value for a scalar parameter that keeps its type and every constraint, typed as
/// documented; `None` when no candidate does.
pub fn valid_scalar(p: &Parameter) -> Option<Value> {
    let ty = match p.ty {
        ParamType::Array => p.item_type.unwrap_or(ParamType::String),
        t => t,
    };
    candidates(p)
        .into_iter()
        .find(|t| !t.is_empty() && fits(p, t))
        .map(|t| typed(ty, &t))
}

/// How much of a structure to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required parameters only.
    Required,
    /// Every documented parameter.
    Every,
}

/// A valid value for `p` (structures filled as `fill` says); `None` when one cannot be
/// built.
pub fn valid_value(p: &Parameter, fill: Fill) -> Option<Value> {
    match p.ty {
        ParamType::Object => {
            let mut m = Map::new();
            for member in &p.members {
                if member.required || fill == Fill::Every {
                    match valid_value(member, fill) {
                        Some(v) => {
                            m.insert(member.name.clone(), v);
                        }
                        None if member.required => return None,
                        None => {}
                    }
                }
            }
            Some(Value::Object(m))
        }
        ParamType::Array if !p.members.is_empty() => {
            let mut item = Map::new();
            for member in &p.members {
                if member.required || fill == Fill::Every {
                    if let Some(v) = valid_value(member, fill) {
                        item.insert(member.name.clone(), v);
                    } else if member.required {
                        return None;
                    }
                }
            }
            Some(json!([item]))
        }
        ParamType::Array => valid_scalar(p).map(|v| json!([v])),
        _ => valid_scalar(p),
    }
}

/// The request parameters of a case: every non-common parameter that `fill` asks for.
pub fn build(c: &Contract, fill: Fill) -> Map<String, Value> {
    let mut m = Map::new();
    for p in &c.parameters {
        if p.location == Location::Common || !(p.required || fill == Fill::Every) {
            continue;
        }
        if let Some(v) = valid_value(p, fill) {
            m.insert(wire_name(p), v);
        }
    }
    m
}

/// Parameters printed as flat text pairs (a URL sample) in the case's shape: flat names
/// for RPC, a typed tree for Tencent and ROA; common parameters left out.
pub fn from_pairs(
    c: &Contract,
    base: Option<&Contract>,
    pairs: &[(String, String)],
) -> Map<String, Value> {
    let lookup = |name: &str| {
        c.parameter(name)
            .or_else(|| base.and_then(|b| b.parameter(name)))
            .map(|r| r.param)
    };
    let business: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| lookup(k).is_none_or(|p| p.location != Location::Common))
        .cloned()
        .collect();
    if c.style == WireStyle::AlibabaRpc {
        return business
            .iter()
            .map(|(k, v)| {
                let ty = lookup(k).map_or(ParamType::String, |p| p.ty);
                (k.clone(), typed(ty, v))
            })
            .collect();
    }
    let tree = crate::validate::unflatten(&business).to_value();
    let mut out = match tree {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    retype(&mut out, &c.parameters);
    out
}

/// Gives the scalars of an untyped tree (from text) their documented types.
fn retype(m: &mut Map<String, Value>, params: &[Parameter]) {
    for (k, v) in m.iter_mut() {
        let Some(p) = params.iter().find(|p| &p.name == k) else {
            continue;
        };
        match v {
            Value::Object(inner) => retype(inner, &p.members),
            Value::Array(items) => {
                for item in items.iter_mut() {
                    match item {
                        Value::Object(inner) => retype(inner, &p.members),
                        Value::String(s) => {
                            *item = typed(p.item_type.unwrap_or(ParamType::String), s);
                        }
                        _ => {}
                    }
                }
            }
            Value::String(s) => *v = typed(p.ty, s),
            _ => {}
        }
    }
}

fn first_outside(classes: &[CharClass], extra: &str) -> Option<char> {
    ['!', '#', ' ', '$', '~', '中', '_', '-', '.', 'A', 'a', '1']
        .into_iter()
        .find(|c| {
            !extra.contains(*c)
                && !classes.iter().any(|k| match k {
                    CharClass::Lower => c.is_ascii_lowercase(),
                    CharClass::Upper => c.is_ascii_uppercase(),
                    CharClass::Letter => c.is_ascii_alphabetic(),
                    CharClass::Digit => c.is_ascii_digit(),
                    CharClass::Ascii => c.is_ascii(),
                })
        })
}

/// A value that breaks `check` and, where it can, nothing else; `valid` is a value that
/// keeps every constraint. `None` when docpact cannot build one.
pub fn breaking(p: &Parameter, check: &Predicate, valid: &Value) -> Option<Value> {
    let ty = match p.ty {
        ParamType::Array => p.item_type.unwrap_or(ParamType::String),
        t => t,
    };
    let text = crate::check::render::text_of(valid).unwrap_or_default();
    let first = text.chars().next().unwrap_or('d');
    let out = match check {
        Predicate::Enum { values } => {
            if matches!(ty, ParamType::Integer | ParamType::Long) {
                let max = values
                    .iter()
                    .filter_map(|v| parse_integer(&v.value))
                    .max()
                    .unwrap_or(0);
                (max + 1000).to_string()
            } else {
                "docpact-unlisted".to_string()
            }
        }
        Predicate::Const { value } => format!("{value}X"),
        Predicate::Length { max: Some(max), .. } => first.to_string().repeat(*max as usize + 1),
        Predicate::Length { min: Some(min), .. } if *min > 1 => {
            first.to_string().repeat(*min as usize - 1)
        }
        Predicate::Bytes { max } => "d".repeat(*max as usize + 1),
        Predicate::Range { ranges } => {
            let mut bad = None;
            let inside = |n: i64| {
                ranges
                    .iter()
                    .any(|[lo, hi]| lo.is_none_or(|lo| n >= lo) && hi.is_none_or(|hi| n <= hi))
            };
            for [lo, hi] in ranges {
                for n in [hi.map(|h| h + 1), lo.map(|l| l - 1)].into_iter().flatten() {
                    if !inside(n) && bad.is_none() {
                        bad = Some(n);
                    }
                }
            }
            bad?.to_string()
        }
        Predicate::MultipleOf { factor } => {
            let n = parse_integer(&text).unwrap_or(*factor);
            (n + 1).to_string()
        }
        Predicate::Digits { count } => "1".repeat(*count as usize + 1),
        Predicate::Charset { classes, extra } => {
            let c = first_outside(classes, extra)?;
            let mut t = text.clone();
            t.insert(t.chars().count().min(1), c);
            t
        }
        Predicate::StartsWithClass { classes } => {
            let c = first_outside(classes, "")?;
            format!("{c}{text}")
        }
        Predicate::StartsWith { prefix } => {
            format!("X{}", text.strip_prefix(prefix.as_str()).unwrap_or(&text))
        }
        Predicate::NotStartsWith { prefixes } => format!("{}{text}", prefixes.first()?),
        Predicate::NotAtEdges { chars } => format!("{}{text}", chars.chars().next()?),
        Predicate::NoRepeated { chars } => {
            let c = chars.chars().next()?;
            let mut t = text.clone();
            let at = t.chars().count() / 2;
            let byte = t.char_indices().nth(at).map_or(t.len(), |(i, _)| i);
            t.insert_str(byte, &format!("{c}{c}"));
            t
        }
        Predicate::Password { .. } => "a".to_string(),
        Predicate::MaxItems { .. } | Predicate::Length { .. } => return None,
    };
    Some(typed(ty, &out))
}

/// For a list with a most-items constraint: the list with one item more than allowed.
pub fn too_many_items(list: &Value, max: u64) -> Option<Value> {
    let first = list.as_array()?.first()?.clone();
    let items: Vec<Value> = (0..=max)
        .map(|i| match &first {
            // Keep items distinct where they are structures with a text member.
            Value::Object(m) => {
                let mut m = m.clone();
                if let Some((_, v)) = m.iter_mut().find(|(_, v)| v.is_string()) {
                    *v = json!(format!("{}{i}", v.as_str().unwrap_or_default()));
                }
                Value::Object(m)
            }
            other => other.clone(),
        })
        .collect();
    Some(Value::Array(items))
}

/// A value of the wrong type for a scalar parameter (text where a number or boolean is
/// documented); `None` for text parameters and structures.
pub fn wrong_type(p: &Parameter, provider: Provider) -> Option<Value> {
    match p.ty {
        ParamType::Integer | ParamType::Long | ParamType::Float | ParamType::Boolean => {
            let _ = provider;
            Some(json!("docpact"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;

    #[test]
    fn paths_reach_into_trees_and_lists() {
        let mut m = json!({"A": {"B": [{"C": 1}]}}).as_object().unwrap().clone();
        let path = vec![
            Seg::Key("A".into()),
            Seg::Key("B".into()),
            Seg::Index(0),
            Seg::Key("C".into()),
        ];
        assert_eq!(get(&m, &path), Some(&json!(1)));
        assert!(set(&mut m, &path, json!(2)));
        assert_eq!(get(&m, &path), Some(&json!(2)));
        assert!(remove(&mut m, &path));
        assert_eq!(get(&m, &path), None);
        assert!(set(
            &mut m,
            &[Seg::Key("X".into()), Seg::Key("Y".into())],
            json!(true)
        ));
        assert_eq!(m["X"]["Y"], true);
    }

    #[test]
    fn built_values_keep_every_constraint_and_breaking_values_do_not() {
        let set = ContractSet::builtin().unwrap();
        for loaded in set.iter() {
            let c = &loaded.contract;
            let every = build(c, Fill::Every);
            for slot in slots(c, &every) {
                let Some(v) = get(&every, &slot.path) else {
                    continue;
                };
                if matches!(slot.param.ty, ParamType::Object | ParamType::Array) {
                    continue;
                }
                let text = crate::check::render::text_of(v).unwrap();
                assert!(
                    fits(slot.param, &text),
                    "{}: {} = {text}",
                    loaded.id,
                    slot.name
                );
                for k in &slot.param.constraints {
                    if let Some(bad) = breaking(slot.param, &k.check, v) {
                        let bad = crate::check::render::text_of(&bad).unwrap();
                        assert!(
                            k.check.evaluate(&bad).is_err(),
                            "{}: {:?} kept by {bad}",
                            slot.name,
                            k.check
                        );
                    }
                }
            }
        }
    }
}
