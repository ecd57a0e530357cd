//! How a derived operation answers: every documented response field that neither the page
//! nor an overlay says how to generate gets a generator from what the page prints, so that
//! a served success carries the fields of the page's output table, not only a RequestId.
//!
//! An example that looks like a resource ID (`snap-9z8y7x6w`) becomes fresh IDs of the same
//! shape; any other example is answered as printed, typed as the field is; a field without
//! an example gets its type's empty value. Structures and lists of structures are built
//! from their members.

use serde_json::Value;

use crate::contract::{Field, Generate, ParamType};

re!(
    ID_EXAMPLE,
    r"^([a-z][a-z0-9]*-(?:[a-z0-9]+-)*)([a-z0-9*]{4,})$"
);

/// Fills in the generators the fields lack (fields with members are built from them).
pub fn fill(fields: &mut [Field]) {
    for f in fields {
        if f.generate.is_some() {
            continue;
        }
        if !f.members.is_empty() {
            fill(&mut f.members);
            continue;
        }
        f.generate = Some(generator(f));
    }
}

fn generator(f: &Field) -> Generate {
    let example = f
        .example
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if matches!(f.name.as_str(), "RequestId" | "requestId") {
        return Generate::RequestId;
    }
    if let (Some(e), ParamType::String) = (example, f.ty) {
        if let Some(c) = ID_EXAMPLE.captures(e) {
            return Generate::Id {
                prefix: c[1].to_string(),
                length: c[2].len() as u32,
            };
        }
    }
    let value = match (f.ty, example) {
        (ParamType::Integer | ParamType::Long, Some(e)) => {
            e.parse::<i64>().map(Value::from).unwrap_or(Value::from(0))
        }
        (ParamType::Float, Some(e)) => e
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .unwrap_or(Value::from(0.0)),
        (ParamType::Boolean, Some(e)) => Value::Bool(e.eq_ignore_ascii_case("true")),
        (ParamType::Array | ParamType::Object, Some(e)) => serde_json::from_str::<Value>(e)
            .ok()
            .filter(|v| {
                v.is_array() == (f.ty == ParamType::Array) && (v.is_array() || v.is_object())
            })
            .unwrap_or_else(|| empty(f.ty)),
        (ParamType::String, Some(e)) => Value::String(e.to_string()),
        (_, None) => empty(f.ty),
    };
    Generate::Const { value }
}

fn empty(ty: ParamType) -> Value {
    match ty {
        ParamType::Integer | ParamType::Long => Value::from(0),
        ParamType::Float => Value::from(0.0),
        ParamType::Boolean => Value::Bool(false),
        ParamType::Array => Value::Array(Vec::new()),
        ParamType::Object => Value::Object(serde_json::Map::new()),
        _ => Value::String(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Origin;

    fn field(name: &str, ty: ParamType, example: Option<&str>) -> Field {
        Field {
            name: name.into(),
            ty,
            item_type: None,
            description: String::new(),
            example: example.map(str::to_string),
            members: Vec::new(),
            generate: None,
            sensitive: false,
            origin: Origin::Page([1, 1]),
        }
    }

    #[test]
    fn examples_become_generators_of_their_shape() {
        let mut fs = vec![
            field("SnapshotId", ParamType::String, Some("snap-9z8y7x6w")),
            field("EntryId", ParamType::String, Some("went-kmd6nv8fy****")),
            field("Count", ParamType::Integer, Some("12")),
            field("Ready", ParamType::Boolean, Some("true")),
            field("Name", ParamType::String, Some("blue")),
            field("Tags", ParamType::Array, None),
            field("RequestId", ParamType::String, Some("x")),
        ];
        fill(&mut fs);
        let g: Vec<Generate> = fs.into_iter().map(|f| f.generate.unwrap()).collect();
        assert_eq!(
            g[0],
            Generate::Id {
                prefix: "snap-".into(),
                length: 8
            }
        );
        assert_eq!(
            g[1],
            Generate::Id {
                prefix: "went-".into(),
                length: 13
            }
        );
        assert_eq!(
            g[2],
            Generate::Const {
                value: Value::from(12)
            }
        );
        assert_eq!(
            g[3],
            Generate::Const {
                value: Value::Bool(true)
            }
        );
        assert_eq!(
            g[4],
            Generate::Const {
                value: Value::from("blue")
            }
        );
        assert_eq!(
            g[5],
            Generate::Const {
                value: Value::Array(vec![])
            }
        );
        assert_eq!(g[6], Generate::RequestId);
    }
}
