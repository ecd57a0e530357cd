//! A request's JSON parameters as the decoder hands them on: member names and strings
//! borrowed from the request wherever they carry no escape, objects as their members in
//! order. Reading a body this way costs one list per object or array and nothing per name or
//! string, where `serde_json::Value` costs an owned string for each and hashes every name.
//! [`Json::to_value`] gives the `serde_json` value where one is wanted (cassettes, the
//! checker), off the replay's path.

use std::collections::HashMap;

use serde_json::{Number, Value};

use super::call::Text;

/// A JSON value read from a request.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json<'a> {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(Number),
    /// A string, borrowed unless it had escapes.
    String(Text<'a>),
    /// A list.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// An object's members in the order they came, each name once: a repeated name keeps its
/// first place and takes its last value, as `serde_json`'s ordered map does. Unlike that
/// map's, equality here also compares the order (compare [`Json::to_value`]s to ignore it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'a> {
    members: Vec<(Text<'a>, Json<'a>)>,
}

impl<'a> Object<'a> {
    /// The member called `name`. Objects in requests are small, and a scan over a few names
    /// beats hashing the one looked for; a large object is still read in one pass.
    pub fn get(&self, name: &str) -> Option<&Json<'a>> {
        self.members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    fn into_owned(self) -> Object<'static> {
        Object {
            members: self
                .members
                .into_iter()
                .map(|(k, v)| (Text::Owned(k.into_owned()), v.into_owned()))
                .collect(),
        }
    }
}

impl<'a> Json<'a> {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Json<'a>> {
        self.as_object()?.get(name)
    }

    /// The same value as `serde_json` holds it.
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(o) => Value::Object(
                o.members
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// A `serde_json` value, borrowing its text.
    pub fn borrowed(v: &'a Value) -> Json<'a> {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Text::Borrowed(s)),
            Value::Array(items) => Json::Array(items.iter().map(Json::borrowed).collect()),
            Value::Object(m) => Json::Object(Object {
                members: m
                    .iter()
                    .map(|(k, v)| (Text::Borrowed(k.as_str()), Json::borrowed(v)))
                    .collect(),
            }),
        }
    }

    /// The same value, owning its text.
    pub fn into_owned(self) -> Json<'static> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number(n) => Json::Number(n),
            Json::String(s) => Json::String(Text::Owned(s.into_owned())),
            Json::Array(items) => Json::Array(items.into_iter().map(Json::into_owned).collect()),
            Json::Object(o) => Json::Object(o.into_owned()),
        }
    }
}

/// Compact JSON text, as `serde_json` writes it.
impl std::fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Number(n) => write!(f, "{n}"),
            other => write!(f, "{}", other.to_value()),
        }
    }
}

/// While an object is read, each name is looked for among the members already read (to keep
/// it once): up to this many members by comparing it with each, past it through an index of
/// the names, so that a body or a form of thousands of names is not read in quadratic time.
/// A finished [`Object`] keeps no index: it is looked up only by documented names, a few
/// dozen at most per request, each in one pass.
const SCAN: usize = 16;

/// An object being read, keeping each name once (first place, last value).
pub(crate) struct Members<'a, V> {
    members: Vec<(Text<'a>, V)>,
    index: Option<HashMap<Text<'a>, usize>>,
}

impl<'a, V: Default> Members<'a, V> {
    pub(crate) fn new() -> Members<'a, V> {
        Members {
            members: Vec::new(),
            index: None,
        }
    }

    /// The value of `name`, a default one added at the end when the name is new.
    pub(crate) fn slot(&mut self, name: Text<'a>) -> &mut V {
        let found = match &self.index {
            Some(index) => index.get(name.as_ref()).copied(),
            None => self.members.iter().position(|(k, _)| *k == name),
        };
        let at = match found {
            Some(at) => at,
            None => {
                let at = self.members.len();
                if let Some(index) = &mut self.index {
                    index.insert(name.clone(), at);
                }
                self.members.push((name, V::default()));
                if self.index.is_none() && self.members.len() > SCAN {
                    let index = self
                        .members
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect();
                    self.index = Some(index);
                }
                at
            }
        };
        &mut self.members[at].1
    }

    /// The members, in order.
    pub(crate) fn into_vec(self) -> Vec<(Text<'a>, V)> {
        self.members
    }
}

impl<'a> Members<'a, Json<'a>> {
    pub(crate) fn finish(self) -> Object<'a> {
        Object {
            members: self.members,
        }
    }
}

impl<'a> Object<'a> {
    /// An object of `members`, already each named once.
    pub(crate) fn from_unique(members: Vec<(Text<'a>, Json<'a>)>) -> Object<'a> {
        Object { members }
    }
}

/// How many more JSON values a body may hold (each value, whatever its kind, takes one), and
/// whether one was refused for want of it.
pub(crate) struct ValueBudget {
    left: std::cell::Cell<usize>,
    refused: std::cell::Cell<bool>,
}

impl ValueBudget {
    pub(crate) fn new(values: usize) -> ValueBudget {
        ValueBudget {
            left: std::cell::Cell::new(values),
            refused: std::cell::Cell::new(false),
        }
    }

    /// Whether a value was refused for want of budget.
    pub(crate) fn refused(&self) -> bool {
        self.refused.get()
    }

    /// The whole of `text` as one JSON value, as `serde_json` reads it (its nesting limit
    /// included), within the budget.
    pub(crate) fn parse<'t>(&self, text: &'t str) -> Result<Json<'t>, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = serde::de::DeserializeSeed::deserialize(Bounded(self), &mut de)?;
        de.end()?;
        Ok(value)
    }
}

/// A JSON value read within a [`ValueBudget`].
struct Bounded<'b>(&'b ValueBudget);

impl Bounded<'_> {
    fn take<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.0.left.get() {
            0 => {
                self.0.refused.set(true);
                Err(E::custom("too many values"))
            }
            n => {
                self.0.left.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Bounded<'_> {
    type Value = Json<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Bounded<'_> {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json<'de>, E> {
        self.take()?;
        // As serde_json's own: a number JSON cannot hold is null.
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::String(Text::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::String(Text::Owned(v.to_string())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::String(Text::Owned(v)))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Json<'de>, E> {
        self.take()?;
        Ok(Json::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        self.take()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Bounded(self.0))? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        self.take()?;
        let mut members = Members::new();
        while let Some(k) = map.next_key_seed(Name)? {
            let v = map.next_value_seed(Bounded(self.0))?;
            *members.slot(k) = v;
        }
        Ok(Json::Object(members.finish()))
    }
}

/// A member's name, borrowed when it has no escape.
struct Name;

impl<'de> serde::de::DeserializeSeed<'de> for Name {
    type Value = Text<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Text<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Name {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text::Borrowed(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text::Owned(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn parse(text: &str) -> Json<'_> {
        ValueBudget::new(10_000).parse(text).unwrap()
    }

    #[test]
    fn names_and_strings_without_escapes_are_borrowed() {
        let text = r#"{"Name":"plain","Esc\u0061ped":"a\nb","List":[{"K":"v"}]}"#;
        let v = parse(text);
        let o = v.as_object().unwrap();
        let names: Vec<(&str, bool)> = o
            .members
            .iter()
            .map(|(k, _)| (k.as_ref(), matches!(k, Text::Borrowed(_))))
            .collect();
        assert_eq!(names, [("Name", true), ("Escaped", false), ("List", true)]);
        assert!(matches!(
            o.get("Name"),
            Some(Json::String(Text::Borrowed("plain")))
        ));
        assert!(matches!(o.get("Escaped"), Some(Json::String(Text::Owned(s))) if s == "a\nb"));
        assert_eq!(v.to_value(), serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn a_repeated_name_keeps_its_place_and_takes_the_last_value() {
        let small = parse(r#"{"a":1,"b":2,"a":3}"#);
        assert_eq!(small.to_string(), r#"{"a":3,"b":2}"#);
        // Past the scan, through the index.
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str("\"k3\":\"again\",\"k39\":null}");
        let big = parse(&text);
        let o = big.as_object().unwrap();
        assert_eq!(o.len(), 40);
        assert_eq!(o.get("k3"), Some(&Json::String("again".into())));
        assert_eq!(o.iter().nth(3).map(|(k, _)| k), Some("k3"));
        assert_eq!(o.get("k39"), Some(&Json::Null));
        assert_eq!(
            big.to_value(),
            serde_json::from_str::<Value>(&text).unwrap()
        );
    }

    #[test]
    fn display_is_serde_jsons_compact_text() {
        for text in [
            "null",
            "true",
            "-12",
            "1.5",
            r#""a\"b""#,
            r#"[1,{"x":[]}]"#,
            r#"{"a":{"b":"c"}}"#,
        ] {
            let ours = parse(text);
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn borrowed_from_serde_json_is_the_same_value() {
        let v = json!({"a": [1, "x", {"b": null}], "c": true, "d": 1.5});
        assert_eq!(Json::borrowed(&v).to_value(), v);
        assert_eq!(Json::borrowed(&v).to_string(), v.to_string());
    }

    #[test]
    fn into_owned_keeps_the_value() {
        let text = String::from(r#"{"a":["x",{"b":"y"}],"c":1}"#);
        let owned = parse(&text).into_owned();
        drop(text);
        assert_eq!(owned.to_value(), json!({"a": ["x", {"b": "y"}], "c": 1}));
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e300f64..1e300).prop_map(Value::from),
            "[a-z\\\\\"é\u{1}]{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec(("[ab_\\\\]{0,2}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The bounded read holds what serde_json reads, member order included, and writes
        /// it back as serde_json does.
        #[test]
        fn reads_what_serde_json_reads(value in json_value()) {
            let text = value.to_string();
            let ours = ValueBudget::new(10_000).parse(&text).unwrap();
            let theirs: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(ours.to_string(), theirs.to_string());
            prop_assert_eq!(ours.to_value(), theirs);
        }

        /// Texts with repeated names, in objects both under and past the scan: the same
        /// members, in the same order, as serde_json's ordered map.
        #[test]
        fn repeated_names_as_serde_json(names in proptest::collection::vec("[a-e][a-e]?", 0..80)) {
            let body: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("\"{n}\":{i}"))
                .collect();
            let text = format!("{{{}}}", body.join(","));
            let theirs: Value = serde_json::from_str(&text).unwrap();
            let ours = parse(&text);
            prop_assert_eq!(ours.to_string(), theirs.to_string());
        }
    }
}
