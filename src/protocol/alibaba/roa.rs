//! Alibaba ROA signature v1: `Authorization: acs AK:base64(HMAC-SHA1(secret, StringToSign))`
//! (aliyun-python-sdk-core CommonRequest, pop-core ROAClient).

use crate::protocol::SignInput;
use crate::protocol::encoding::{
    DigestText, Sha1Key, content_md5, hmac_sha1_with, lowercase, sha1_key, trim,
};
use crate::protocol::http::{HttpRequest, same_name};

/// Parses `acs AK:signature` into (AK, signature).
pub fn parse_authorization(value: &str) -> Option<(&str, &str)> {
    let rest = value.strip_prefix("acs ")?;
    let (ak, sig) = rest.rsplit_once(':')?;
    (!ak.is_empty() && !sig.is_empty()).then_some((ak, sig))
}

/// `METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n` + every `x-acs-*` header (lowercased,
/// sorted, `name:value\n`) + the path with its sorted, decoded query.
pub fn string_to_sign<K: AsRef<str>, V: AsRef<str>>(req: &HttpRequest, query: &[(K, V)]) -> String {
    // One pass over the headers finds the four the string names (the first of each, as
    // `HttpRequest::header` does) and every `x-acs-*` one.
    let mut named: [Option<&str>; 4] = [None; 4];
    let mut acs: Vec<(std::borrow::Cow<'_, str>, &str)> = Vec::with_capacity(8);
    for (n, v) in &req.headers {
        let prefix = n.get(..6).filter(|_| n.len() > 6);
        if prefix.is_some_and(|p| same_name(p, "x-acs-")) {
            acs.push((lowercase(n), v.as_str()));
        } else if let Some(slot) = named_slot(n) {
            named[slot].get_or_insert(v.as_str());
        }
    }
    acs.sort_unstable();
    let mut out = String::with_capacity(256 + req.target.len());
    out.push_str(&req.method);
    out.push('\n');
    for part in named {
        out.push_str(part.unwrap_or_default());
        out.push('\n');
    }
    for (n, v) in acs {
        out.push_str(&n);
        out.push(':');
        // Line breaks and tabs in a value become spaces, and the value is trimmed (they are
        // whitespace: trimming first gives the same).
        let v = trim(v);
        // Those bytes are all below 0x20: a test of every byte without a branch a byte
        // (which the compiler reads many at a time) rules them out for most values.
        if v.bytes().fold(false, |any, b| any | (b < 0x20))
            && v.bytes()
                .any(|b| matches!(b, b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            out.extend(
                v.chars()
                    .map(|c| if "\t\n\r\x0c".contains(c) { ' ' } else { c }),
            );
        } else {
            out.push_str(v);
        }
        out.push('\n');
    }
    out.push_str(req.path());
    if !query.is_empty() {
        let mut q: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        q.sort();
        for (i, (k, v)) in q.into_iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            if !v.is_empty() {
                out.push('=');
                out.push_str(v);
            }
        }
    }
    out
}

/// Which of the headers the string to sign names, in its order (`accept`, `content-md5`,
/// `content-type`, `date`), `name` is, in any case: told apart by length first.
fn named_slot(name: &str) -> Option<usize> {
    let (slot, want) = match name.len() {
        6 => (0, "accept"),
        11 => (1, "content-md5"),
        12 => (2, "content-type"),
        4 => (3, "date"),
        _ => return None,
    };
    same_name(name, want).then_some(slot)
}

/// Base64 HMAC-SHA1 keyed with the secret (no `&`).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    sign_with(&sha1_key(secret.as_bytes()), string_to_sign).to_string()
}

/// [`sign`] with the secret prepared as a key.
pub fn sign_with(key: &Sha1Key, string_to_sign: &str) -> DigestText {
    DigestText::b64(&hmac_sha1_with(key, string_to_sign.as_bytes()))
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
    let sig = sign(s.secret, &string_to_sign::<&str, &str>(&req, &[]));
    req = req.with_header("authorization", &format!("acs {}:{sig}", s.key_id));
    req
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string to sign by its definition: each named header looked up on its own.
    fn string_to_sign_slow(req: &HttpRequest) -> String {
        let h = |n: &str| req.header(n).unwrap_or_default();
        let mut acs: Vec<(String, String)> = req
            .headers
            .iter()
            .filter(|(n, _)| n.to_ascii_lowercase().starts_with("x-acs-") && n.len() > 6)
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        acs.sort();
        let mut out = String::new();
        for part in [
            &req.method,
            h("accept"),
            h("content-md5"),
            h("content-type"),
            h("date"),
        ] {
            out.push_str(part);
            out.push('\n');
        }
        for (n, v) in acs {
            let v = v.trim().replace(['\t', '\n', '\r', '\x0c'], " ");
            out.push_str(&format!("{n}:{v}\n"));
        }
        out.push_str(req.path());
        out
    }

    proptest::proptest! {
        #[test]
        fn one_pass_over_the_headers_gives_the_definitions_string(
            headers in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "accept", "Accept", "content-md5", "Content-MD5", "content-type",
                        "date", "DATE", "dates", "accepts", "x-acs-version", "X-Acs-Action",
                        "x-acs-", "x-acs-signature-nonce", "x-ac-version", "host",
                    ]),
                    "[a-z0-9 \t\x0c\x01\u{a0}]{0,6}",
                ),
                0..12,
            )
        ) {
            let mut req = HttpRequest::new("POST", "/clusters");
            for (n, v) in &headers {
                req = req.with_header(n, v);
            }
            let empty: [(&str, &str); 0] = [];
            proptest::prop_assert_eq!(string_to_sign(&req, &empty), string_to_sign_slow(&req));
        }
    }

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
        assert_eq!(parse_authorization("acs ak:c2ln"), Some(("ak", "c2ln")));
        assert_eq!(parse_authorization("acs :x"), None);
        assert_eq!(parse_authorization("ACS3-HMAC-SHA256 x"), None);
    }
}
