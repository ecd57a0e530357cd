//! Alibaba RPC signature v1: HMAC-SHA1 over the sorted, RFC 3986-encoded parameters, sent as
//! the `Signature` parameter (aliyun-python-sdk-core, pop-core).

use crate::protocol::SignInput;
use crate::protocol::encoding::{
    CanonicalOrder, DigestText, Sha1Key, hmac_sha1_with, iso8601, pct, sha1_key,
};
use crate::protocol::http::HttpRequest;

/// `METHOD&%2F&pct(sorted k=v joined by &)`, over every parameter except `Signature`.
pub fn string_to_sign<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
    method: &str,
    pairs: impl IntoIterator<Item = &'a (K, V)>,
) -> String {
    let order = CanonicalOrder::new(pairs, Some("Signature"));
    let mut out = String::with_capacity(method.len() + 5 + order.room(true));
    out.push_str(method);
    out.push_str("&%2F&");
    order.write(&mut out, true);
    out
}

/// Base64 HMAC-SHA1 with the key `secret&`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut key = String::with_capacity(secret.len() + 1);
    key.push_str(secret);
    key.push_str(KEY_SUFFIX);
    sign_with(&sha1_key(key.as_bytes()), string_to_sign).to_string()
}

/// What follows the secret in the HMAC key.
pub const KEY_SUFFIX: &str = "&";

/// [`sign`] with the key (`secret&`) prepared.
pub fn sign_with(key: &Sha1Key, string_to_sign: &str) -> DigestText {
    DigestText::b64(&hmac_sha1_with(key, string_to_sign.as_bytes()))
}

/// Builds a signed RPC request as pop-core does: parameters in the query (GET) or a form
/// body (POST), common parameters added, `Signature` last.
pub fn build(
    method: &str,
    action: &str,
    version: &str,
    params: &[(String, String)],
    in_body: bool,
    s: &SignInput<'_>,
) -> HttpRequest {
    let mut pairs: Vec<(String, String)> = params.to_vec();
    if !pairs.iter().any(|(k, _)| k == "Format") {
        pairs.push(("Format".into(), "JSON".into()));
    }
    for (k, v) in [
        ("Action", action.to_string()),
        ("Version", version.to_string()),
        ("AccessKeyId", s.key_id.to_string()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        ("SignatureNonce", s.nonce.to_string()),
        ("Timestamp", iso8601(s.timestamp)),
    ] {
        pairs.push((k.to_string(), v));
    }
    let signature = sign(s.secret, &string_to_sign(method, &pairs));
    pairs.push(("Signature".into(), signature));
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect();
    let encoded = encoded.join("&");
    let req = if in_body {
        HttpRequest::new(method, "/")
            .with_header("content-type", "application/x-www-form-urlencoded")
            .with_body(encoded)
    } else {
        HttpRequest::new(method, &format!("/?{encoded}"))
    };
    req.with_header("host", s.host)
        .with_header("x-acs-action", action)
        .with_header("x-acs-version", version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn official_describe_regions_vector() {
        let p = pairs(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]);
        let sts = string_to_sign("GET", &p);
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(sign("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert_eq!(
            sign("testsecret", &string_to_sign("POST", &p)),
            "MxbnVAM4w6sft9xjVpe/GCKueuk="
        );
    }

    #[test]
    fn describe_dedicated_hosts_vector() {
        let p = pairs(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeDedicatedHosts"),
            ("Format", "JSON"),
            ("RegionId", "cn-beijing"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2023-03-13T08:34:30Z"),
            ("Version", "2014-05-26"),
        ]);
        assert_eq!(
            sign("testsecret", &string_to_sign("GET", &p)),
            "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
        );
    }

    #[test]
    fn sdk_unit_test_vector() {
        let p = pairs(&[("query", "test"), ("body", "test")]);
        let sts = string_to_sign("GET", &p);
        assert_eq!(sts, "GET&%2F&body%3Dtest%26query%3Dtest");
        assert_eq!(sign("secret", &sts), "XlUyV4sXjOuX5FnjUz9IF9tm5rU=");
    }
}
