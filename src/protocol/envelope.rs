//! Success and error envelopes, per provider, in JSON or XML.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::error::ProviderError;
use crate::contract::Provider;

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers: the constant names and values borrowed, the rest owned.
    pub headers: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// The body format an Alibaba RPC client asked for (`Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// XML.
    Xml,
}

/// An Alibaba RequestId from 128 random bits: an upper-case UUID.
pub fn alibaba_request_id(bits: u128) -> String {
    uuid(bits, b"0123456789ABCDEF")
}

/// A Tencent RequestId from 128 random bits: a lower-case UUID version 4.
pub fn tencent_request_id(bits: u128) -> String {
    let bits = (bits & !(0xF << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    uuid(bits, b"0123456789abcdef")
}

/// `bits` as hex, in `digits`, in the 8-4-4-4-12 groups of a UUID.
fn uuid(bits: u128, digits: &[u8; 16]) -> String {
    // Where each byte's two digits go: dashes after 4, 6, 8 and 10 bytes. Constant places
    // let the loop unroll into plain loads and stores.
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    let mut out = [b'-'; 36];
    for (&at, b) in AT.iter().zip(bits.to_be_bytes()) {
        out[at] = digits[usize::from(b >> 4)];
        out[at + 1] = digits[usize::from(b & 0xF)];
    }
    // Hex digits and dashes are ASCII.
    std::str::from_utf8(&out).unwrap_or_default().to_owned()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn xml_value(name: &str, v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            for item in items {
                xml_value(name, item, out);
            }
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in map {
                xml_value(k, v, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", xml_escape(s))),
        Value::Null => out.push_str(&format!("<{name}/>")),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

/// Serializes straight to bytes (serde_json's writer, not `Display`).
fn json_bytes(v: &Value) -> Vec<u8> {
    // Serializing a `Value` to memory cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

const XML_DECL: &str = "<?xml version='1.0' encoding='UTF-8'?>";

/// Encodes an error: Alibaba's `{RequestId, HostId, Code, Message, Recommend}` (or its XML
/// form) with the error's status, Tencent's `{"Response":{"Error":{...},"RequestId"}}` with
/// the error's status too: 200 for every API error, 5xx only for a gateway failure.
pub fn encode_error(
    err: &ProviderError,
    request_id: &str,
    host: &str,
    format: Format,
) -> HttpResponse {
    match err.provider {
        Provider::Alibaba => {
            let recommend = format!(
                "https://api.aliyun.com/troubleshoot?q={}&product={}&requestId={request_id}",
                err.code,
                host.split('.').next().unwrap_or_default()
            );
            let (content_type, body) = match format {
                Format::Json => (
                    "application/json;charset=utf-8",
                    json!({
                        "RequestId": request_id,
                        "HostId": host,
                        "Code": err.code,
                        "Message": err.message,
                        "Recommend": recommend,
                    })
                    .to_string(),
                ),
                Format::Xml => (
                    "text/xml;charset=utf-8",
                    format!(
                        "{XML_DECL}<Error><RequestId>{}</RequestId><HostId>{}</HostId><Code>{}</Code><Message>{}</Message><Recommend><![CDATA[{recommend}]]></Recommend></Error>",
                        xml_escape(request_id),
                        xml_escape(host),
                        xml_escape(&err.code),
                        xml_escape(&err.message)
                    ),
                ),
            };
            HttpResponse {
                status: err.http_status,
                headers: vec![
                    ("content-type".into(), content_type.into()),
                    ("x-acs-request-id".into(), request_id.to_owned().into()),
                ],
                body: body.into_bytes(),
            }
        }
        Provider::Tencent => HttpResponse {
            status: err.http_status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: json_bytes(
                &json!({"Response": {"Error": {"Code": err.code, "Message": err.message}, "RequestId": request_id}}),
            ),
        },
    }
}

/// Encodes a success body: Alibaba fields as given (XML under `<{Action}Response>`), Tencent
/// fields inside `Response` with the RequestId.
pub fn encode_success(
    provider: Provider,
    fields: Map<String, Value>,
    request_id: &str,
    action: &str,
    format: Format,
) -> HttpResponse {
    match (provider, format) {
        (Provider::Tencent, _) => {
            let mut inner = fields;
            inner.insert("RequestId".into(), Value::String(request_id.into()));
            // {"Response": inner} without building another map.
            let mut body = b"{\"Response\":".to_vec();
            body.extend_from_slice(&json_bytes(&Value::Object(inner)));
            body.push(b'}');
            json_success(provider, body, request_id.to_owned())
        }
        (Provider::Alibaba, Format::Json) => json_success(
            provider,
            json_bytes(&Value::Object(fields)),
            request_id.to_owned(),
        ),
        (Provider::Alibaba, Format::Xml) => {
            let mut out = String::from(XML_DECL);
            xml_value(
                &format!("{action}Response"),
                &Value::Object(fields),
                &mut out,
            );
            HttpResponse {
                status: 200,
                headers: vec![
                    ("content-type".into(), "text/xml;charset=utf-8".into()),
                    ("x-acs-request-id".into(), request_id.to_owned().into()),
                ],
                body: out.into_bytes(),
            }
        }
    }
}

/// A success answer in JSON around a body already written (Tencent's `{"Response":{...}}`,
/// Alibaba's fields object), carrying `request_id` (Alibaba's answers do).
pub fn json_success(provider: Provider, body: Vec<u8>, request_id: String) -> HttpResponse {
    let headers = match provider {
        Provider::Tencent => vec![("content-type".into(), "application/json".into())],
        Provider::Alibaba => vec![
            (
                "content-type".into(),
                "application/json;charset=utf-8".into(),
            ),
            ("x-acs-request-id".into(), request_id.into()),
        ],
    };
    HttpResponse {
        status: 200,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_have_each_providers_form() {
        let a = alibaba_request_id(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(a, "01234567-89AB-CDEF-0123-456789ABCDEF");
        let t = tencent_request_id(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(t, "01234567-89ab-4def-8123-456789abcdef");
        let t = tencent_request_id(u128::MAX);
        assert_eq!(&t[14..15], "4");
        assert!(matches!(&t[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(t, t.to_lowercase());
    }

    #[test]
    fn alibaba_errors_in_json_and_xml() {
        let err = ProviderError::alibaba_signature("GET&%2F&a%3D1");
        let r = encode_error(&err, "RID", "ens.aliyuncs.com", Format::Json);
        assert_eq!(r.status, 400);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["Code"], "SignatureDoesNotMatch");
        assert_eq!(
            v["Message"].as_str().unwrap().split_once(':').unwrap().1,
            "GET&%2F&a%3D1"
        );
        let x = encode_error(&err, "RID", "ens.aliyuncs.com", Format::Xml);
        let body = String::from_utf8(x.body).unwrap();
        assert!(body.starts_with("<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>RID</RequestId><HostId>ens.aliyuncs.com</HostId><Code>SignatureDoesNotMatch</Code>"));
    }

    #[test]
    fn tencent_errors_are_http_200_with_exact_content_type() {
        let r = encode_error(
            &ProviderError::tencent_signature(),
            "rid",
            "tcr.tencentcloudapi.com",
            Format::Json,
        );
        assert_eq!(r.status, 200);
        assert_eq!(
            r.headers[0],
            ("content-type".into(), "application/json".into())
        );
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            v["Response"]["Error"]["Code"],
            "AuthFailure.SignatureFailure"
        );
        assert_eq!(v["Response"]["RequestId"], "rid");
    }

    #[test]
    fn xml_success_nests_lists_as_repeated_elements() {
        let mut m = Map::new();
        m.insert("InstanceIds".into(), json!({"InstanceId": ["i-1", "i-2"]}));
        m.insert("Code".into(), json!(0));
        let r = encode_success(Provider::Alibaba, m, "RID", "CreateInstance", Format::Xml);
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            "<?xml version='1.0' encoding='UTF-8'?><CreateInstanceResponse><InstanceIds><InstanceId>i-1</InstanceId><InstanceId>i-2</InstanceId></InstanceIds><Code>0</Code></CreateInstanceResponse>"
        );
    }
}
