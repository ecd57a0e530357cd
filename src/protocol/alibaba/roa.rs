//! Alibaba ROA signature v1: `Authorization: acs AK:base64(HMAC-SHA1(secret, StringToSign))`
//! (aliyun-python-sdk-core CommonRequest, pop-core ROAClient).

use crate::protocol::SignInput;
use crate::protocol::encoding::{b64, content_md5, hmac_sha1};
use crate::protocol::http::HttpRequest;

/// Parses `acs AK:signature` into (AK, signature).
pub fn parse_authorization(value: &str) -> Option<(String, String)> {
    let rest = value.strip_prefix("acs ")?;
    let (ak, sig) = rest.rsplit_once(':')?;
    (!ak.is_empty() && !sig.is_empty()).then(|| (ak.to_string(), sig.to_string()))
}

/// `METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n` + every `x-acs-*` header (lowercased,
/// sorted, `name:value\n`) + the path with its sorted, decoded query.
pub fn string_to_sign(req: &HttpRequest, query: &[(String, String)]) -> String {
    let h = |n: &str| req.header(n).unwrap_or_default().to_string();
    let mut acs: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(n, _)| n.to_ascii_lowercase().starts_with("x-acs-"))
        .map(|(n, v)| {
            let v: String = v
                .chars()
                .map(|c| if "\t\n\r\x0c".contains(c) { ' ' } else { c })
                .collect();
            (n.to_ascii_lowercase(), v.trim().to_string())
        })
        .collect();
    acs.sort();
    let mut out = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        req.method,
        h("accept"),
        h("content-md5"),
        h("content-type"),
        h("date")
    );
    for (n, v) in acs {
        out.push_str(&format!("{n}:{v}\n"));
    }
    out.push_str(req.path());
    if !query.is_empty() {
        let mut q: Vec<&(String, String)> = query.iter().collect();
        q.sort();
        let parts: Vec<String> = q
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    k.clone()
                } else {
                    format!("{k}={v}")
                }
            })
            .collect();
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    out
}

/// Base64 HMAC-SHA1 keyed with the secret (no `&`).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    b64(&hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// Builds a signed ROA request as pop-core's ROAClient does.
pub fn build(
    method: &str,
    path: &str,
    version: &str,
    body: &[u8],
    date: &str,
    s: &SignInput<'_>,
) -> HttpRequest {
    let mut req = HttpRequest::new(method, path)
        .with_header("accept", "application/json")
        .with_header("date", date)
        .with_header("host", s.host)
        .with_header("x-acs-signature-nonce", s.nonce)
        .with_header("x-acs-version", version)
        .with_header("x-acs-signature-method", "HMAC-SHA1")
        .with_header("x-acs-signature-version", "1.0")
        .with_header("content-type", "application/json")
        .with_header("content-md5", &content_md5(body))
        .with_body(body.to_vec());
    let sig = sign(s.secret, &string_to_sign(&req, &[]));
    req = req.with_header("authorization", &format!("acs {}:{sig}", s.key_id));
    req
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_unit_test_vectors() {
        let sts = "GET\napplication/octet-stream\n\n\n2018-12-04T03:55:31Z\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-version:1.0\n/";
        assert_eq!(
            sign("access_key_secret", sts),
            "HKCpm41tJg6b3EYdtGMbNuwALZU="
        );
        assert_eq!(
            sign("secret", "GET\n\n\n\n\n"),
            "XGXDWA78AEvx/wmfxKoVCq/afWw="
        );
    }

    #[test]
    fn canonical_resource_keeps_bare_keys() {
        let req = HttpRequest::new("GET", "/Pathname?test=tests&ccp=ok&test1")
            .with_header("x-acs-meta", "user");
        let q = crate::protocol::encoding::parse_form(req.raw_query()).unwrap();
        assert!(
            string_to_sign(&req, &q)
                .ends_with("\nx-acs-meta:user\n/Pathname?ccp=ok&test=tests&test1")
        );
    }

    #[test]
    fn parses_authorization() {
        assert_eq!(
            parse_authorization("acs ak:c2ln"),
            Some(("ak".into(), "c2ln".into()))
        );
        assert_eq!(parse_authorization("acs :x"), None);
        assert_eq!(parse_authorization("ACS3-HMAC-SHA256 x"), None);
    }
}
