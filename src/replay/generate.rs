//! Building success bodies from a contract's response fields.

use serde_json::{Map, Value};

use super::rng::Rng;
use crate::contract::{Field, Generate, ParamType, Provider, parse_integer};
use crate::protocol::{Call, alibaba_request_id, tencent_request_id};

const ID_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn id(rng: &mut Rng, prefix: &str, length: u32) -> String {
    let mut out = String::with_capacity(prefix.len() + length as usize);
    out.push_str(prefix);
    rng.push_string(&mut out, ID_CHARS, length as usize);
    out
}

/// The provider's RequestId form.
pub fn request_id(provider: Provider, rng: &mut Rng) -> String {
    match provider {
        Provider::Alibaba => alibaba_request_id(rng.next_u128()),
        Provider::Tencent => tencent_request_id(rng.next_u128()),
    }
}

/// The success fields for a call; `request_id` fills `RequestId` generators.
pub fn success_fields(
    fields: &[Field],
    call: &Call,
    request_id: &str,
    rng: &mut Rng,
) -> Map<String, Value> {
    let mut out = Map::new();
    for f in fields {
        if let Some(v) = field_value(f, call, request_id, rng) {
            out.insert(f.name.clone(), v);
        }
    }
    out
}

fn field_value(f: &Field, call: &Call, request_id: &str, rng: &mut Rng) -> Option<Value> {
    match &f.generate {
        Some(Generate::RequestId) => Some(Value::String(request_id.to_string())),
        Some(Generate::Const { value }) => Some(value.clone()),
        Some(Generate::Id { prefix, length }) => Some(Value::String(id(rng, prefix, *length))),
        Some(Generate::Digits { length }) => {
            let mut digits = rng.string(b"123456789", 1);
            digits.push_str(&rng.string(b"0123456789", length.saturating_sub(1) as usize));
            match f.ty {
                ParamType::Integer | ParamType::Long => digits.parse::<i64>().ok().map(Value::from),
                _ => Some(Value::String(digits)),
            }
        }
        Some(Generate::Ids {
            prefix,
            length,
            count_from,
        }) => {
            let count = call
                .param(count_from)
                .or_else(|| call.body.as_ref().and_then(|b| b.get(count_from)?.as_str()))
                .and_then(parse_integer)
                .unwrap_or(1)
                .clamp(1, 100);
            Some(Value::Array(
                (0..count)
                    .map(|_| Value::String(id(rng, prefix, *length)))
                    .collect(),
            ))
        }
        None if !f.members.is_empty() && f.ty == ParamType::Object => {
            let inner = success_fields(&f.members, call, request_id, rng);
            (!inner.is_empty()).then_some(Value::Object(inner))
        }
        // A list of structures: one item built from the members.
        None if !f.members.is_empty() && f.ty == ParamType::Array => {
            let inner = success_fields(&f.members, call, request_id, rng);
            (!inner.is_empty()).then_some(Value::Array(vec![Value::Object(inner)]))
        }
        None => None,
    }
}
