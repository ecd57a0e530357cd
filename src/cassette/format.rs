//! The cassette file: one JSON document per cassette, versioned, pretty-printed, bodies as
//! JSON values where they are JSON (a review diff shows fields, not escaped strings).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The cassette format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A cassette: interactions recorded against one upstream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// Always 1.
    pub format_version: u32,
    /// Random hex, chosen when the cassette is created: redaction placeholders are an HMAC of
    /// the secret under this salt, so the same secret gets the same placeholder throughout.
    pub salt: String,
    /// The interactions, in the order they were recorded.
    pub interactions: Vec<Interaction>,
}

/// One request and the answer the upstream gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// The operation, as a contract id (`ens/2017-11-10/CreateInstance`).
    pub operation: String,
    /// When it was recorded, UTC (`2026-12-02T03:04:05Z`).
    pub recorded_at: String,
    /// The request, decoded.
    pub request: RecordedRequest,
    /// The upstream's answer.
    pub response: RecordedResponse,
}

/// A request as docpact decoded it: parameters in documented names, authentication left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The signature scheme the client used (`ACS3-HMAC-SHA256`, `TC3-HMAC-SHA256`, ...).
    pub scheme: String,
    /// Business parameters in wire form (flat names such as `Parameter.1.Code`), in order.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
    /// The JSON body (Tencent API 3.0, ROA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Common parameters that are not authentication (`RegionId`, `Region`, `Format`, ...).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub common: Map<String, Value>,
}

/// The upstream's answer, as it is served again on replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers by lowercase name, hop-by-hop headers left out (a repeated header's values
    /// joined with `, `).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: Body,
}

/// A response body, stored so that replay gives back the same bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "format", content = "content", rename_all = "snake_case")]
pub enum Body {
    /// No body.
    Empty,
    /// JSON that was sent compact (`{"a":1}`): served as the value written compactly.
    Json(Value),
    /// Any other text (XML, JSON with other spacing), as is.
    Text(String),
    /// Bytes that are not UTF-8, standard base64.
    Base64(String),
}

impl Body {
    /// Stores `bytes`: as a JSON value when writing the value back gives the same bytes.
    pub fn from_bytes(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        if let Ok(value) = serde_json::from_slice::<Value>(bytes)
            && (value.is_object() || value.is_array())
            && serde_json::to_vec(&value).is_ok_and(|b| b == bytes)
        {
            return Body::Json(value);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Body::Text(text.to_string()),
            Err(_) => Body::Base64(crate::protocol::encoding::b64(bytes)),
        }
    }

    /// The bytes to serve.
    pub fn to_bytes(&self) -> Vec<u8> {
        use base64::Engine as _;
        match self {
            Body::Empty => Vec::new(),
            Body::Json(v) => serde_json::to_vec(v).unwrap_or_default(),
            Body::Text(t) => t.as_bytes().to_vec(),
            Body::Base64(b) => base64::engine::general_purpose::STANDARD
                .decode(b)
                .unwrap_or_default(),
        }
    }
}

/// A stored parameter value as the text it was sent as (strings as they are, other JSON
/// values as JSON).
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Stored parameters as (name, text) pairs, in order.
pub(crate) fn pairs(m: &Map<String, Value>) -> Vec<(String, String)> {
    m.iter().map(|(k, v)| (k.clone(), text(v))).collect()
}

/// The JSON Schema of the cassette format.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Cassette);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_keep_their_bytes() {
        for bytes in [
            &b"{\"a\":1,\"b\":[true,null,\"x\"]}"[..],
            b"{ \"a\": 1 }",
            b"<?xml version=\"1.0\"?><A>1</A>",
            b"\xff\xfe",
            b"",
            b"\"just a string\"",
            b"{\"n\":1.0}",
            b"{\"u\":\"\\u4e2d\"}",
        ] {
            let body = Body::from_bytes(bytes);
            assert_eq!(body.to_bytes(), bytes, "{body:?}");
        }
        assert!(matches!(Body::from_bytes(b"{\"a\":1}"), Body::Json(_)));
        assert!(matches!(Body::from_bytes(b"{ \"a\": 1 }"), Body::Text(_)));
    }
}
