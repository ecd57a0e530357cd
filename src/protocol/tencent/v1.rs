//! Tencent signature v1 (`HmacSHA1` / `HmacSHA256`): the sorted, raw parameters after
//! `METHOD host path ?`, signed with the SecretKey and sent as `Signature`.

use crate::protocol::SignInput;
use crate::protocol::encoding::{
    DigestText, Sha1Key, Sha256Key, hmac_sha1_with, hmac_sha256_with, pct, sha1_key, sha256_key,
};
use crate::protocol::http::HttpRequest;

/// The HMAC of a v1 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `HmacSHA1` (the default when `SignatureMethod` is absent).
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl Method {
    /// Parses `SignatureMethod`.
    pub fn parse(value: Option<&str>) -> Option<Method> {
        match value {
            None | Some("HmacSHA1") => Some(Method::HmacSha1),
            Some("HmacSHA256") => Some(Method::HmacSha256),
            Some(_) => None,
        }
    }
}

/// `METHOD` + host + path + `?` + sorted raw `k=v` joined by `&`, without `Signature`.
pub fn string_to_sign<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
    method: &str,
    host: &str,
    path: &str,
    pairs: impl IntoIterator<Item = &'a (K, V)>,
) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs
        .into_iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| *k != "Signature")
        .collect();
    sorted.sort_unstable();
    let len: usize = sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(method.len() + host.len() + path.len() + 1 + len);
    out.push_str(method);
    out.push_str(host);
    out.push_str(path);
    out.push('?');
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Base64 HMAC with the SecretKey.
pub fn sign(method: Method, secret: &str, string_to_sign: &str) -> String {
    match method {
        Method::HmacSha1 => sign_sha1(&sha1_key(secret.as_bytes()), string_to_sign),
        Method::HmacSha256 => sign_sha256(&sha256_key(secret.as_bytes()), string_to_sign),
    }
    .to_string()
}

/// [`sign`] with HmacSHA1 and the secret prepared as a key.
pub fn sign_sha1(key: &Sha1Key, string_to_sign: &str) -> DigestText {
    DigestText::b64(&hmac_sha1_with(key, string_to_sign.as_bytes()))
}

/// [`sign`] with HmacSHA256 and the secret prepared as a key.
pub fn sign_sha256(key: &Sha256Key, string_to_sign: &str) -> DigestText {
    DigestText::b64(&hmac_sha256_with(key, string_to_sign.as_bytes()))
}

/// Builds a signed v1 form POST as the Node SDK does (0-based flattened lists).
pub fn build(
    action: &str,
    version: &str,
    region: &str,
    params: &[(String, String)],
    method: Method,
    s: &SignInput<'_>,
) -> HttpRequest {
    let mut pairs = params.to_vec();
    for (k, v) in [
        ("Action", action.to_string()),
        ("Nonce", s.nonce.to_string()),
        ("Timestamp", s.timestamp.to_string()),
        ("Version", version.to_string()),
        ("SecretId", s.key_id.to_string()),
        ("Region", region.to_string()),
        (
            "SignatureMethod",
            match method {
                Method::HmacSha1 => "HmacSHA1",
                Method::HmacSha256 => "HmacSHA256",
            }
            .to_string(),
        ),
    ] {
        pairs.push((k.to_string(), v));
    }
    let sig = sign(
        method,
        s.secret,
        &string_to_sign("POST", s.host, "/", &pairs),
    );
    pairs.push(("Signature".into(), sig));
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect();
    HttpRequest::new("POST", "/")
        .with_header("Host", s.host)
        .with_header("Content-Type", "application/x-www-form-urlencoded")
        .with_body(body.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_describe_instances_vector() {
        let pairs: Vec<(String, String)> = [
            ("Action", "DescribeInstances"),
            ("InstanceIds.0", "ins-09dx96dg"),
            ("Limit", "20"),
            ("Nonce", "11886"),
            ("Offset", "0"),
            ("Region", "ap-guangzhou"),
            ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
            ("Timestamp", "1465185768"),
            ("Version", "2017-03-12"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sts = string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &pairs);
        assert_eq!(
            sts,
            "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12"
        );
        assert_eq!(
            sign(Method::HmacSha1, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &sts),
            "EliP9YW3pW28FpsEdkXt/+WcGeI="
        );
    }
}
