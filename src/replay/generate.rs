//! Building success bodies from a contract's response fields.

use serde_json::{Map, Value};

use super::rng::Rng;
use crate::contract::{Field, Generate, ParamType, Provider, parse_integer};
use crate::protocol::{Call, alibaba_request_id, tencent_request_id};

const ID_CHARS: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

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
            let count = ids_count(call, count_from);
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

/// How many IDs an `ids` generator makes: the request's `count_from` parameter, 1 to 100.
fn ids_count(call: &Call, count_from: &str) -> i64 {
    call.param(count_from)
        .or_else(|| call.body.as_ref().and_then(|b| b.get(count_from)?.as_str()))
        .and_then(parse_integer)
        .unwrap_or(1)
        .clamp(1, 100)
}

/// Whether some level of `fields` repeats a name. In a map a later value replaces an earlier
/// one; [`success_json`] writes members as it goes, so it leaves such fields to the map.
/// Small levels compare each name with those before it; larger ones are sorted, so a
/// contract with a long answer does not make every request quadratic.
fn repeats_a_name(fields: &[Field]) -> bool {
    let level = if fields.len() <= 16 {
        fields
            .iter()
            .enumerate()
            .any(|(i, f)| fields[..i].iter().any(|g| g.name == f.name))
    } else {
        let mut names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        names.windows(2).any(|w| w[0] == w[1])
    };
    level || fields.iter().any(|f| repeats_a_name(&f.members))
}

/// An [`id`] as a JSON string, written in place: a prefix that JSON leaves as it is (as contracts'
/// prefixes are) is copied between quotes with the drawn characters, with no text of its own.
fn push_json_id(out: &mut Vec<u8>, rng: &mut Rng, prefix: &str, length: u32) {
    if !json_plain(prefix) {
        push_json_str(out, &id(rng, prefix, length));
        return;
    }
    out.reserve(prefix.len() + length as usize + 2);
    out.push(b'"');
    out.extend_from_slice(prefix.as_bytes());
    rng.push_bytes(out, ID_CHARS, length as usize);
    out.push(b'"');
}

/// Whether serde_json writes `s` between quotes without escaping a byte of it.
fn json_plain(s: &str) -> bool {
    // Eight bytes at a time: `(x - 0x01..) & !x & 0x80..` is not zero exactly when a byte of
    // `x` is zero, and `(x - 0x20..) & !x & 0x80..` when a byte is below 0x20 (a borrow
    // only runs on from a byte that is itself flagged).
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS != 0;
    let chunks = s.as_bytes().chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if below(w, 0x20) || below(w ^ (ONES * 0x22), 1) || below(w ^ (ONES * 0x5C), 1) {
            return false;
        }
    }
    rest.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// A JSON string, escaped as serde_json escapes it.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes only control characters, `"` and `\`: a string without them (most
    // an answer carries) is written between quotes as it is.
    if json_plain(s) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The JSON body of a success answer (`encode_success`'s bytes for the JSON formats), written
/// straight from the contract's fields: the same members in the same order, drawing from
/// `rng` in the same order as [`success_fields`], without building the map. `None` when a
/// level of the fields repeats a name (the map's answer differs there).
pub fn success_json(
    provider: Provider,
    fields: &[Field],
    call: &Call,
    request_id: &str,
    rng: &mut Rng,
) -> Option<Vec<u8>> {
    if repeats_a_name(fields) {
        return None;
    }
    let mut out = Vec::with_capacity(256);
    let tencent = provider == Provider::Tencent;
    let w = Writer {
        call,
        request_id,
        top_request_id: tencent,
    };
    if tencent {
        out.extend_from_slice(b"{\"Response\":{");
        let (count, has_request_id) = w.members(fields, rng, &mut out);
        if !has_request_id {
            if count > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"\"RequestId\":");
            push_json_str(&mut out, request_id);
        }
        out.extend_from_slice(b"}}");
    } else {
        out.push(b'{');
        w.members(fields, rng, &mut out);
        out.push(b'}');
    }
    Some(out)
}

struct Writer<'a> {
    call: &'a Call<'a>,
    request_id: &'a str,
    /// Tencent: a top-level `RequestId` member carries the answer's RequestId whatever
    /// generated it (the envelope sets it).
    top_request_id: bool,
}

impl Writer<'_> {
    /// Writes `"name":value` members joined by commas; returns how many, and whether one of
    /// them was the top-level `RequestId`.
    fn members(&self, fields: &[Field], rng: &mut Rng, out: &mut Vec<u8>) -> (usize, bool) {
        let mut count = 0;
        let mut has_request_id = false;
        for f in fields {
            let mark = out.len();
            if count > 0 {
                out.push(b',');
            }
            push_json_str(out, &f.name);
            out.push(b':');
            let at = out.len();
            let inner = Writer {
                top_request_id: false,
                ..*self
            };
            if !inner.value(f, rng, out) {
                out.truncate(mark);
                continue;
            }
            if self.top_request_id && f.name == "RequestId" {
                out.truncate(at);
                push_json_str(out, self.request_id);
                has_request_id = true;
            }
            count += 1;
        }
        (count, has_request_id)
    }

    /// Writes the field's value; `false` (with whatever was written left for the caller to
    /// cut) where [`field_value`] gives none.
    fn value(&self, f: &Field, rng: &mut Rng, out: &mut Vec<u8>) -> bool {
        match &f.generate {
            Some(Generate::RequestId) => push_json_str(out, self.request_id),
            Some(Generate::Const { value }) => {
                // Writing to a Vec cannot fail, nor can serializing a JSON value.
                let _ = serde_json::to_writer(&mut *out, value);
            }
            Some(Generate::Id { prefix, length }) => push_json_id(out, rng, prefix, *length),
            Some(Generate::Ids {
                prefix,
                length,
                count_from,
            }) => {
                // As the map writes its list of strings, drawing in the same order.
                out.push(b'[');
                for i in 0..ids_count(self.call, count_from) {
                    if i > 0 {
                        out.push(b',');
                    }
                    push_json_id(out, rng, prefix, *length);
                }
                out.push(b']');
            }
            Some(Generate::Digits { .. }) => {
                // Rare in answers: the map's value, written as the map would.
                let Some(v) = field_value(f, self.call, self.request_id, rng) else {
                    return false;
                };
                let _ = serde_json::to_writer(&mut *out, &v);
            }
            None if !f.members.is_empty() && f.ty == ParamType::Object => {
                out.push(b'{');
                if self.members(&f.members, rng, out).0 == 0 {
                    return false;
                }
                out.push(b'}');
            }
            None if !f.members.is_empty() && f.ty == ParamType::Array => {
                out.extend_from_slice(b"[{");
                if self.members(&f.members, rng, out).0 == 0 {
                    return false;
                }
                out.extend_from_slice(b"}]");
            }
            None => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;
    use crate::protocol::{Auth, Format, Scheme, encode_success};

    fn call(provider: Provider) -> Call<'static> {
        Call {
            provider,
            scheme: Scheme::Tc3,
            action: Some("CreateInstance".into()),
            version: "2020-01-01".into(),
            method: "POST".into(),
            path: "/".into(),
            params: vec![("Quantity".into(), "3".into())],
            body: None,
            common: vec![],
            auth: Auth::default(),
            signed_pairs: vec![],
            params_signed: false,
            header_signature: None,
        }
    }

    /// The map's bytes and the direct writer's, and where each left the generator.
    fn both(provider: Provider, fields: &[Field], seed: u64) -> (Vec<u8>, Option<Vec<u8>>, bool) {
        let c = call(provider);
        let (mut a, mut b) = (Rng::new(seed), Rng::new(seed));
        let map = success_fields(fields, &c, "RID", &mut a);
        let via_map = encode_success(provider, map, "RID", "CreateInstance", Format::Json).body;
        let direct = success_json(provider, fields, &c, "RID", &mut b);
        (via_map, direct, a.next_u64() == b.next_u64())
    }

    proptest::proptest! {
        #[test]
        fn json_strings_are_written_as_serde_json_writes_them(
            s in proptest::prop_oneof![
                proptest::prelude::any::<String>(),
                "[a-z0-9\"\\\\\u{1}\u{1f}\u{20}\u{7f}é /-]{0,40}"
            ]
        ) {
            let mut out = Vec::new();
            push_json_str(&mut out, &s);
            proptest::prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
            let plain = s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
            proptest::prop_assert_eq!(json_plain(&s), plain);
        }
    }

    #[test]
    fn direct_answers_match_the_map_for_every_builtin_contract() {
        let set = ContractSet::builtin().unwrap();
        for l in set.iter() {
            let c = &l.contract;
            for provider in [Provider::Alibaba, Provider::Tencent] {
                let (via_map, direct, same_draws) = both(provider, &c.response.fields, 7);
                assert_eq!(Some(via_map), direct, "{}", l.id);
                assert!(same_draws, "{}", l.id);
            }
        }
    }

    #[test]
    fn direct_answers_match_the_map_on_every_generator_and_shape() {
        let fields: Vec<Field> = serde_json::from_value(serde_json::json!([
            {"name": "RequestId", "type": "string", "origin": {"docs": "t"},
             "generate": {"const": {"value": "overridden on Tencent"}}},
            {"name": "Quote\"d\u{1}", "type": "string", "origin": {"docs": "t"},
             "generate": {"const": {"value": {"a": [1, 2.5, null, "é\n"]}}}},
            {"name": "Empty", "type": "object", "origin": {"docs": "t"},
             "members": [{"name": "Nothing", "type": "string", "origin": {"docs": "t"}}]},
            {"name": "Set", "type": "object", "origin": {"docs": "t"},
             "members": [{"name": "Id", "type": "string", "origin": {"docs": "t"},
                          "generate": {"id": {"prefix": "i-", "length": 8}}},
                         {"name": "Nothing", "type": "string", "origin": {"docs": "t"}},
                         {"name": "RequestId", "type": "string", "origin": {"docs": "t"},
                          "generate": {"const": {"value": 1}}}]},
            {"name": "Items", "type": "array", "origin": {"docs": "t"},
             "members": [{"name": "N", "type": "integer", "origin": {"docs": "t"},
                          "generate": {"digits": {"length": 5}}}]},
            {"name": "TooLong", "type": "long", "origin": {"docs": "t"},
             "generate": {"digits": {"length": 30}}},
            {"name": "Text", "type": "string", "origin": {"docs": "t"},
             "generate": {"digits": {"length": 4}}},
            {"name": "Ids", "type": "array", "origin": {"docs": "t"},
             "generate": {"ids": {"prefix": "x-", "length": 4, "count_from": "Quantity"}}},
            {"name": "Quoted", "type": "string", "origin": {"docs": "t"},
             "generate": {"id": {"prefix": "q\"\\\u{1}-", "length": 3}}},
            {"name": "Rid", "type": "string", "origin": {"docs": "t"},
             "generate": "request_id"}
        ]))
        .unwrap();
        for provider in [Provider::Alibaba, Provider::Tencent] {
            for seed in 0..20 {
                let (via_map, direct, same_draws) = both(provider, &fields, seed);
                assert_eq!(
                    String::from_utf8(via_map).unwrap(),
                    String::from_utf8(direct.unwrap()).unwrap()
                );
                assert!(same_draws);
            }
            // Without a RequestId member, Tencent's envelope adds one at the end; with
            // nothing generated at all, the body is the envelope alone.
            for fields in [&fields[1..], &fields[2..3]] {
                let (via_map, direct, _) = both(provider, fields, 1);
                assert_eq!(Some(via_map), direct);
            }
        }
    }

    #[test]
    fn a_repeated_name_is_left_to_the_map() {
        let fields: Vec<Field> = serde_json::from_value(serde_json::json!([
            {"name": "A", "type": "object", "origin": {"docs": "t"}, "members": [
                {"name": "B", "type": "string", "origin": {"docs": "t"},
                 "generate": {"const": {"value": 1}}},
                {"name": "B", "type": "string", "origin": {"docs": "t"},
                 "generate": {"const": {"value": 2}}}]}
        ]))
        .unwrap();
        assert_eq!(both(Provider::Alibaba, &fields, 1).1, None);
        // A long level, past the pairwise comparison, is checked too.
        let long = |last: &str| -> Vec<Field> {
            let names = (0..30).map(|i| format!("F{i}")).chain([last.to_string()]);
            let fields: Vec<Value> = names
                .map(|n| {
                    serde_json::json!({"name": n, "type": "string", "origin": {"docs": "t"},
                                        "generate": {"const": {"value": n}}})
                })
                .collect();
            serde_json::from_value(Value::Array(fields)).unwrap()
        };
        assert_eq!(both(Provider::Tencent, &long("F7"), 1).1, None);
        let (via_map, direct, _) = both(Provider::Tencent, &long("Last"), 1);
        assert_eq!(Some(via_map), direct);
    }
}
