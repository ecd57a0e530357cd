//! A contract as an OpenAPI 3.1 description, for Prism, Postman and Schemathesis.
//!
//! One document per operation: RPC and API 3.0 operations all live on `/` and are told apart
//! by a parameter or a header, which one OpenAPI path cannot express. Alibaba RPC: `GET` and
//! `POST` on `/` with `Action` and `Version` as constant query parameters; Tencent API 3.0:
//! `POST /` with constant `X-TC-Action` and `X-TC-Version` headers and a JSON body; Alibaba
//! ROA: the documented method and path, with a constant `x-acs-version` header. Signatures
//! are left out: serve such a document with `docpact serve --no-auth`. Errors are the
//! provider's envelope (Tencent's arrives with 200, beside the success).

use serde_json::{Map, Value, json};

use super::model::{
    Contract, Field, Location, ParamType, Parameter, Predicate, Provider, WireStyle,
};

fn base_type(ty: ParamType) -> Value {
    match ty {
        ParamType::String => json!({"type": "string"}),
        ParamType::Integer => json!({"type": "integer", "format": "int32"}),
        ParamType::Long => json!({"type": "integer", "format": "int64"}),
        ParamType::Float => json!({"type": "number"}),
        ParamType::Boolean => json!({"type": "boolean"}),
        ParamType::Object => json!({"type": "object"}),
        ParamType::Array => json!({"type": "array"}),
    }
}

/// A regular-expression class for a character class of the contract.
fn class(c: super::model::CharClass) -> &'static str {
    use super::model::CharClass;
    match c {
        CharClass::Lower => "a-z",
        CharClass::Upper => "A-Z",
        CharClass::Letter => "A-Za-z",
        CharClass::Digit => "0-9",
        CharClass::Ascii => "\\x00-\\x7F",
    }
}

fn escape_class(extra: &str) -> String {
    extra
        .chars()
        .map(|c| {
            if "\\]^-[".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The schema of a scalar of type `ty` under `p`'s constraints.
fn scalar(p: &Parameter, ty: ParamType) -> Value {
    let mut s = base_type(ty);
    let numeric = matches!(ty, ParamType::Integer | ParamType::Long);
    let obj = s.as_object_mut().map(std::mem::take).unwrap_or_default();
    let mut m = obj;
    let mut patterns = Vec::new();
    for k in &p.constraints {
        match &k.check {
            Predicate::Enum { values } => {
                let vals: Vec<Value> = values
                    .iter()
                    .filter(|v| v.supported)
                    .map(|v| typed(ty, &v.value))
                    .collect();
                m.insert("enum".into(), Value::Array(vals));
            }
            Predicate::Const { value } => {
                m.insert("enum".into(), json!([typed(ty, value)]));
            }
            Predicate::Length { min, max } if !numeric => {
                if let Some(min) = min {
                    m.insert("minLength".into(), json!(min));
                }
                if let Some(max) = max {
                    m.insert("maxLength".into(), json!(max));
                }
            }
            Predicate::Range { ranges } if numeric && ranges.len() == 1 => {
                let [lo, hi] = ranges[0];
                if let Some(lo) = lo {
                    m.insert("minimum".into(), json!(lo));
                }
                if let Some(hi) = hi {
                    m.insert("maximum".into(), json!(hi));
                }
            }
            Predicate::Range { ranges } if numeric => {
                let lo = ranges.iter().filter_map(|r| r[0]).min();
                let hi = ranges.iter().filter_map(|r| r[1]).max();
                if let Some(lo) = lo {
                    m.insert("minimum".into(), json!(lo));
                }
                if let Some(hi) = hi {
                    m.insert("maximum".into(), json!(hi));
                }
            }
            Predicate::MultipleOf { factor } if numeric => {
                m.insert("multipleOf".into(), json!(factor));
            }
            Predicate::Digits { count } if !numeric => {
                patterns.push(format!("^[0-9]{{{count}}}$"));
            }
            Predicate::Charset { classes, extra } if !numeric => {
                let set: String = classes.iter().map(|c| class(*c)).collect();
                patterns.push(format!("^[{set}{}]*$", escape_class(extra)));
            }
            Predicate::StartsWith { prefix } if !numeric => {
                patterns.push(format!("^{}", regex_escape(prefix)));
            }
            Predicate::StartsWithClass { classes } if !numeric => {
                let set: String = classes.iter().map(|c| class(*c)).collect();
                patterns.push(format!("^[{set}]"));
            }
            Predicate::NotAtEdges { chars } if !numeric && !chars.is_empty() => {
                let c = escape_class(chars);
                patterns.push(format!("^[^{c}](.*[^{c}])?$"));
            }
            Predicate::MaxItems { .. } => {}
            _ => {}
        }
    }
    // Alibaba treats an empty value as an absent one: a required text needs a character.
    if p.required
        && ty == ParamType::String
        && !m.contains_key("minLength")
        && !m.contains_key("enum")
    {
        m.insert("minLength".into(), json!(1));
    }
    match patterns.len() {
        0 => {}
        1 => {
            m.insert("pattern".into(), json!(patterns[0]));
        }
        _ => {
            let all: Vec<Value> = patterns.iter().map(|p| json!({"pattern": p})).collect();
            m.insert("allOf".into(), Value::Array(all));
        }
    }
    Value::Object(m)
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$-/".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn typed(ty: ParamType, text: &str) -> Value {
    match ty {
        ParamType::Integer | ParamType::Long => text
            .parse::<i64>()
            .map_or_else(|_| json!(text), |n| json!(n)),
        ParamType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(text),
        },
        _ => json!(text),
    }
}

/// The schema of a parameter (structures with their members).
fn param_schema(p: &Parameter) -> Value {
    let mut s = match p.ty {
        ParamType::Object => members_schema(&p.members),
        ParamType::Array => {
            let item = if p.members.is_empty() {
                scalar(p, p.item_type.unwrap_or(ParamType::String))
            } else {
                members_schema(&p.members)
            };
            let mut a = json!({"type": "array", "items": item});
            for k in &p.constraints {
                if let Predicate::MaxItems { max } = k.check {
                    a["maxItems"] = json!(max);
                }
            }
            a
        }
        ty => scalar(p, ty),
    };
    if !p.description.is_empty() {
        s["description"] = json!(p.description);
    }
    s
}

fn members_schema(members: &[Parameter]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for m in members {
        props.insert(m.name.clone(), param_schema(m));
        if m.required {
            required.push(json!(m.name));
        }
    }
    let mut s = json!({"type": "object", "properties": props, "additionalProperties": false});
    if !required.is_empty() {
        s["required"] = Value::Array(required);
    }
    s
}

fn field_schema(f: &Field) -> Value {
    match f.ty {
        ParamType::Object => fields_schema(&f.members),
        ParamType::Array => {
            let item = if f.members.is_empty() {
                base_type(f.item_type.unwrap_or(ParamType::String))
            } else {
                fields_schema(&f.members)
            };
            json!({"type": "array", "items": item})
        }
        ty => base_type(ty),
    }
}

fn fields_schema(fields: &[Field]) -> Value {
    let props: Map<String, Value> = fields
        .iter()
        .map(|f| (f.name.clone(), field_schema(f)))
        .collect();
    json!({"type": "object", "properties": props})
}

fn alibaba_error() -> Value {
    json!({
        "type": "object",
        "properties": {
            "RequestId": {"type": "string"},
            "HostId": {"type": "string"},
            "Code": {"type": "string"},
            "Message": {"type": "string"},
            "Recommend": {"type": "string"}
        },
        "required": ["RequestId", "Code", "Message"]
    })
}

fn tencent_error() -> Value {
    json!({
        "type": "object",
        "properties": {
            "Response": {
                "type": "object",
                "properties": {
                    "Error": {
                        "type": "object",
                        "properties": {"Code": {"type": "string"}, "Message": {"type": "string"}},
                        "required": ["Code", "Message"]
                    },
                    "RequestId": {"type": "string"}
                },
                "required": ["Error", "RequestId"]
            }
        },
        "required": ["Response"]
    })
}

fn json_content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

/// The OpenAPI 3.1 document of `c`; `base` is the contract a profile narrows (its parameters
/// and answers complete the profile's).
pub fn openapi(c: &Contract, base: Option<&Contract>, id: &str) -> Value {
    let fields_from = match base {
        Some(b) if c.response.documented_only => &b.response.fields,
        _ => &c.response.fields,
    };
    let mut success = fields_schema(fields_from);
    let (success, error) = match c.provider {
        Provider::Alibaba => (success, alibaba_error()),
        Provider::Tencent => {
            if let Some(props) = success["properties"].as_object_mut() {
                props
                    .entry("RequestId")
                    .or_insert(json!({"type": "string"}));
            }
            let wrapped = json!({"type": "object", "properties": {"Response": success}, "required": ["Response"]});
            (
                json!({"anyOf": [wrapped, tencent_error()]}),
                tencent_error(),
            )
        }
    };
    // A request stripped of what names its provider (Tencent's X-TC-* headers) is answered
    // in the other provider's envelope: the server cannot know whom it was meant for.
    let error = json!({"anyOf": [error, match c.provider {
        Provider::Alibaba => tencent_error(),
        Provider::Tencent => alibaba_error(),
    }]});
    let (ok_content, error_content) = match c.style {
        // RPC answers XML when a client asks for it (`Format=XML`) or names no format.
        WireStyle::AlibabaRpc => {
            let xml = json!({"schema": {"type": "string"}});
            let mut ok = json_content(success);
            ok["text/xml"] = xml.clone();
            let mut err = json_content(error);
            err["text/xml"] = xml;
            (ok, err)
        }
        _ => (json_content(success), json_content(error)),
    };
    let responses = json!({
        "200": {"description": "The documented answer", "content": ok_content},
        "default": {"description": "The provider's error envelope", "content": error_content}
    });
    let summary = if c.summary.is_empty() {
        c.action.clone()
    } else {
        c.summary.clone()
    };
    let op_id = id.replace(['/', '#', '-'], "_");
    let mut paths = Map::new();
    match c.style {
        WireStyle::AlibabaRpc => {
            let mut params = vec![
                json!({"name": "Action", "in": "query", "required": true, "schema": {"type": "string", "enum": [c.action]}}),
                json!({"name": "Version", "in": "query", "required": true, "schema": {"type": "string", "enum": [c.version]}}),
                json!({"name": "Format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["JSON", "XML"]}}),
            ];
            for p in c
                .parameters
                .iter()
                .filter(|p| p.location != Location::Common)
            {
                let name = match &p.repeat {
                    Some(r) => p
                        .name
                        .replace(".N.", &format!(".{}.", r.min))
                        .replace(".N", &format!(".{}", r.min)),
                    None => p.name.clone(),
                };
                params.push(json!({
                    "name": name,
                    "in": "query",
                    "required": p.required,
                    "schema": param_schema(p),
                }));
            }
            let mut item = Map::new();
            for method in ["get", "post"] {
                item.insert(
                    method.into(),
                    json!({
                        "operationId": format!("{op_id}_{method}"),
                        "summary": summary,
                        "parameters": params,
                        "responses": responses,
                    }),
                );
            }
            paths.insert("/".into(), Value::Object(item));
        }
        WireStyle::TencentApi3 => {
            let body: Vec<Parameter> = c
                .parameters
                .iter()
                .filter(|p| p.location != Location::Common)
                .cloned()
                .collect();
            let region_required = c
                .parameters
                .iter()
                .any(|p| p.location == Location::Common && p.name == "Region" && p.required);
            let params = vec![
                json!({"name": "X-TC-Action", "in": "header", "required": true, "schema": {"type": "string", "enum": [c.action]}}),
                json!({"name": "X-TC-Version", "in": "header", "required": true, "schema": {"type": "string", "enum": [c.version]}}),
                json!({"name": "X-TC-Region", "in": "header", "required": region_required, "schema": {"type": "string", "minLength": 1, "pattern": "^[a-z0-9-]+$", "example": "ap-guangzhou"}}),
            ];
            paths.insert(
                "/".into(),
                json!({"post": {
                    "operationId": op_id,
                    "summary": summary,
                    "parameters": params,
                    "requestBody": {"required": true, "content": json_content(members_schema(&body))},
                    "responses": responses,
                }}),
            );
        }
        WireStyle::AlibabaRoa => {
            let body = c
                .parameters
                .iter()
                .find(|p| p.name == "body")
                .map_or_else(|| json!({"type": "object"}), |b| members_schema(&b.members));
            let params = vec![
                json!({"name": "x-acs-version", "in": "header", "required": true, "schema": {"type": "string", "enum": [c.version]}}),
            ];
            let mut item = Map::new();
            for method in &c.http.methods {
                item.insert(
                    method.to_ascii_lowercase(),
                    json!({
                        "operationId": format!("{op_id}_{}", method.to_ascii_lowercase()),
                        "summary": summary,
                        "parameters": params,
                        "requestBody": {"required": true, "content": json_content(body.clone())},
                        "responses": responses,
                    }),
                );
            }
            paths.insert(c.http.path.clone(), Value::Object(item));
        }
    }
    let _ = base;
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("{} {} {}", c.product, c.version, c.action),
            "version": c.version,
            "description": format!(
                "{id}, from the page {} (docpact contracts openapi). Signatures are left out: serve it with docpact serve --no-auth.",
                c.source.page
            ),
        },
        "servers": [{"url": format!("https://{}", c.endpoint.host)}],
        "paths": paths,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;

    #[test]
    fn every_builtin_contract_exports_a_document_per_style() {
        let set = ContractSet::builtin().unwrap();
        for l in set.iter() {
            let base = set.base_of(&l.contract).map(|b| &b.contract);
            let doc = openapi(&l.contract, base, &l.id);
            assert_eq!(doc["openapi"], "3.1.0");
            let paths = doc["paths"].as_object().unwrap();
            assert_eq!(paths.len(), 1, "{}", l.id);
        }
        let tcr = set.find("tcr/2019-09-24/CreateInstance").unwrap();
        let doc = openapi(&tcr.contract, None, &tcr.id);
        let body =
            &doc["paths"]["/"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(
            body["properties"]["RegistryType"]["enum"][0], "basic",
            "{body}"
        );
        assert!(
            body["required"]
                .as_array()
                .unwrap()
                .contains(&json!("RegistryName"))
        );
        assert_eq!(
            body["properties"]["TagSpecification"]["properties"]["Tags"]["maxItems"],
            10
        );
    }
}
