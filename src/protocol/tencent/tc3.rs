//! TC3-HMAC-SHA256 (Tencent Cloud API 3.0): a canonical request over the signed headers, a
//! credential scope `date/service/tc3_request`, and a key derived from the date and service.

use crate::protocol::encoding::{
    DigestText, Sha256Key, hmac_sha256, hmac_sha256_with, lowercase, push_header_line, push_joined,
    push_sha256_hex, sha256_key, split_ascii, split_once_ascii, utc_date,
};
use crate::protocol::http::HttpRequest;
use crate::protocol::{SignInput, Text};

/// The algorithm name.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The parts of a TC3 `Authorization` header, borrowed from it (the signed header names
/// are lowercased, so owned where the header had capitals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The SecretId.
    pub secret_id: Text<'a>,
    /// The credential scope's date (`YYYY-MM-DD`).
    pub date: Text<'a>,
    /// The credential scope's service (`tcr`; the Node SDK sends the endpoint's first label).
    pub service: Text<'a>,
    /// Lowercase signed header names, separated by `;`.
    pub signed_headers: Text<'a>,
    /// Hex signature.
    pub signature: Text<'a>,
}

/// Parses `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=hex`.
pub fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in split_ascii(rest, b',') {
        let (k, v) = split_once_ascii(part.trim(), b'=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(lowercase(v)),
            "Signature" => signature = Some(Text::Borrowed(v)),
            _ => return None,
        }
    }
    let mut scope = split_ascii(credential?, b'/');
    let secret_id = Text::Borrowed(scope.next()?);
    let date = Text::Borrowed(scope.next()?);
    let service = Text::Borrowed(scope.next()?);
    if scope.next()? != "tc3_request" || scope.next().is_some() || secret_id.is_empty() {
        return None;
    }
    Some(Authorization {
        secret_id,
        date,
        service,
        signed_headers: signed?,
        signature: signature?,
    })
}

/// The canonical request; `host_override` replaces the Host value (the Node SDK signs the
/// host without its port).
pub fn canonical_request(
    req: &HttpRequest,
    signed_headers: &[&str],
    host_override: Option<&str>,
) -> String {
    let query = if req.method.eq_ignore_ascii_case("GET") {
        req.raw_query()
    } else {
        ""
    };
    let path = req.path();
    let mut out = String::with_capacity(req.method.len() + path.len() + query.len() + 256);
    out.push_str(&req.method);
    out.push('\n');
    out.push_str(path);
    out.push('\n');
    out.push_str(query);
    out.push('\n');
    for (&name, value) in signed_headers
        .iter()
        .zip(req.headers_joined(signed_headers))
    {
        match (name, host_override) {
            ("host", Some(h)) => push_header_line(&mut out, name, h, true),
            _ => push_header_line(&mut out, name, value.as_deref().unwrap_or_default(), true),
        }
    }
    out.push('\n');
    push_joined(&mut out, signed_headers, ';');
    out.push('\n');
    if req
        .header("x-tc-content-sha256")
        .is_some_and(|v| v.eq_ignore_ascii_case("UNSIGNED-PAYLOAD"))
    {
        push_sha256_hex(&mut out, b"UNSIGNED-PAYLOAD");
    } else {
        push_sha256_hex(&mut out, &req.body);
    }
    out
}

/// The string to sign.
pub fn string_to_sign(
    timestamp: &str,
    date: &str,
    service: &str,
    canonical_request: &str,
) -> String {
    let mut out =
        String::with_capacity(ALGORITHM.len() + timestamp.len() + date.len() + service.len() + 80);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(timestamp);
    out.push('\n');
    out.push_str(date);
    out.push('/');
    out.push_str(service);
    out.push_str("/tc3_request\n");
    push_sha256_hex(&mut out, canonical_request.as_bytes());
    out
}

/// Hex signature with the key derived from the secret, date and service.
pub fn sign(secret: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    sign_with_key(&signing_key(secret, date, service), string_to_sign)
}

/// The key derived from the secret, the credential date and the service; it changes once a
/// day, so a verifier may keep it.
pub fn signing_key(secret: &str, date: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("TC3{secret}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// Hex signature with a derived signing key.
pub fn sign_with_key(key: &[u8; 32], string_to_sign: &str) -> String {
    sign_with(&sha256_key(key), string_to_sign).to_string()
}

/// [`sign_with_key`] with the derived key prepared.
pub fn sign_with(key: &Sha256Key, string_to_sign: &str) -> DigestText {
    DigestText::hex(&hmac_sha256_with(key, string_to_sign.as_bytes()))
}

/// Builds a signed TC3 JSON request as the Python SDK does.
pub fn build(
    service: &str,
    action: &str,
    version: &str,
    region: &str,
    body: &[u8],
    s: &SignInput<'_>,
) -> HttpRequest {
    let ts = s.timestamp.to_string();
    let date = utc_date(s.timestamp);
    let req = HttpRequest::new("POST", "/")
        .with_header("Content-Type", "application/json")
        .with_header("Host", s.host)
        .with_header("X-TC-Action", action)
        .with_header("X-TC-Timestamp", &ts)
        .with_header("X-TC-Version", version)
        .with_header("X-TC-Region", region)
        .with_body(body.to_vec());
    let signed = ["content-type", "host"];
    let sts = string_to_sign(&ts, &date, service, &canonical_request(&req, &signed, None));
    let auth = format!(
        "{ALGORITHM} Credential={}/{date}/{service}/tc3_request, SignedHeaders=content-type;host, Signature={}",
        s.key_id,
        sign(s.secret, &date, service, &sts)
    );
    req.with_header("Authorization", &auth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::encoding::sha256_hex;

    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn official() -> HttpRequest {
        HttpRequest::new("POST", "/")
            .with_header("content-type", "application/json; charset=utf-8")
            .with_header("host", "cvm.tencentcloudapi.com")
            .with_header("x-tc-action", "DescribeInstances")
            .with_body(BODY)
    }

    #[test]
    fn official_vector_with_two_signed_headers() {
        let signed = ["content-type", "host"];
        let canonical = canonical_request(&official(), &signed, None);
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        let sts = string_to_sign("1551113065", "2019-02-25", "cvm", &canonical);
        assert_eq!(
            sign(
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "2019-02-25",
                "cvm",
                &sts
            ),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            sign(
                "Gu5t9xGARNpq86cd98joQYCN3*******",
                "2019-02-25",
                "cvm",
                &sts
            ),
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }

    #[test]
    fn official_vector_signing_the_action_header() {
        let signed = ["content-type", "host", "x-tc-action"];
        let canonical = canonical_request(&official(), &signed, None);
        assert!(canonical.contains("x-tc-action:describeinstances\n"));
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        let sts = string_to_sign("1551113065", "2019-02-25", "cvm", &canonical);
        assert_eq!(
            sign(&"*".repeat(32), "2019-02-25", "cvm", &sts),
            "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
    }

    #[test]
    fn parses_authorization() {
        let a = parse_authorization(
            "TC3-HMAC-SHA256 Credential=AKIDtest/2026-11-22/tcr/tc3_request, SignedHeaders=content-type;host, Signature=ab",
        )
        .unwrap();
        assert_eq!(
            (a.secret_id.as_ref(), a.date.as_ref(), a.service.as_ref()),
            ("AKIDtest", "2026-11-22", "tcr")
        );
        assert!(parse_authorization("TC3-HMAC-SHA256 Credential=AKIDtest/2026-11-22/tcr, SignedHeaders=host, Signature=ab").is_none());
        assert!(parse_authorization("TC3-HMAC-SHA256 Credential=a/b/c/tc3_request").is_none());
    }
}
