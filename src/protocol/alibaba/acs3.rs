//! ACS3-HMAC-SHA256 (the tea SDKs, RPC and ROA): a canonical request over the signed headers
//! the client lists, hashed, then HMAC-SHA256 with the secret.

use crate::protocol::encoding::{
    DigestText, Sha256Key, canonical_pairs_into, hmac_sha256_with, iso8601, lowercase, pct,
    push_header_line, push_joined, push_sha256_hex, sha256_hex, sha256_key, split_ascii,
    split_once_ascii,
};
use crate::protocol::http::HttpRequest;
use crate::protocol::{SignInput, Text};

/// The algorithm name.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The parts of an ACS3 `Authorization` header, borrowed from it (the signed header names
/// are lowercased, so owned where the header had capitals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The AccessKeyId.
    pub credential: Text<'a>,
    /// Lowercase header names, as listed, separated by `;`.
    pub signed_headers: Text<'a>,
    /// Hex signature.
    pub signature: Text<'a>,
}

/// Parses `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`.
pub fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in split_ascii(rest, b',') {
        let (k, v) = split_once_ascii(part.trim(), b'=')?;
        match k {
            "Credential" => credential = Some(Text::Borrowed(v)),
            "SignedHeaders" => signed = Some(lowercase(v)),
            "Signature" => signature = Some(Text::Borrowed(v)),
            _ => return None,
        }
    }
    Some(Authorization {
        credential: credential.filter(|c| !c.is_empty())?,
        signed_headers: signed?,
        signature: signature?,
    })
}

/// The canonical request for the headers listed in `signed_headers`.
pub fn canonical_request<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
    req: &HttpRequest,
    query: impl IntoIterator<Item = &'a (K, V)>,
    signed_headers: &[&str],
) -> String {
    let path = req.path();
    let mut out = String::with_capacity(req.method.len() + path.len() + req.target.len() + 512);
    out.push_str(&req.method);
    out.push('\n');
    out.push_str(path);
    out.push('\n');
    canonical_pairs_into(&mut out, query, None, false);
    out.push('\n');
    for (&name, value) in signed_headers
        .iter()
        .zip(req.headers_joined(signed_headers))
    {
        push_header_line(&mut out, name, value.as_deref().unwrap_or_default(), false);
    }
    out.push('\n');
    push_joined(&mut out, signed_headers, ';');
    out.push('\n');
    push_sha256_hex(&mut out, &req.body);
    out
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 65);
    out.push_str(ALGORITHM);
    out.push('\n');
    push_sha256_hex(&mut out, canonical_request.as_bytes());
    out
}

/// Hex HMAC-SHA256 with the secret.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    sign_with(&sha256_key(secret.as_bytes()), string_to_sign).to_string()
}

/// [`sign`] with the secret prepared as a key.
pub fn sign_with(key: &Sha256Key, string_to_sign: &str) -> DigestText {
    DigestText::hex(&hmac_sha256_with(key, string_to_sign.as_bytes()))
}

/// Builds a signed request as the tea SDK does: RPC parameters in the query, or an ROA path
/// with a JSON body.
pub fn build(
    method: &str,
    path: &str,
    action: &str,
    version: &str,
    query: &[(String, String)],
    body: Option<&[u8]>,
    s: &SignInput<'_>,
) -> HttpRequest {
    let target = if query.is_empty() {
        path.to_string()
    } else {
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
            .collect();
        format!("{path}?{}", q.join("&"))
    };
    let body = body.unwrap_or_default().to_vec();
    let mut req = HttpRequest::new(method, &target)
        .with_header("host", s.host)
        .with_header("x-acs-version", version)
        .with_header("x-acs-action", action)
        .with_header("x-acs-date", &iso8601(s.timestamp))
        .with_header("x-acs-signature-nonce", s.nonce)
        .with_header("accept", "application/json");
    if !body.is_empty() {
        req = req.with_header("content-type", "application/json; charset=utf-8");
    }
    req = req
        .with_header("x-acs-content-sha256", &sha256_hex(&body))
        .with_body(body);
    let mut signed: Vec<String> = req
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    signed.sort();
    let names: Vec<&str> = signed.iter().map(String::as_str).collect();
    let sts = string_to_sign(&canonical_request(&req, query, &names));
    let auth = format!(
        "{ALGORITHM} Credential={},SignedHeaders={},Signature={}",
        s.key_id,
        signed.join(";"),
        sign(s.secret, &sts)
    );
    req.with_header("Authorization", &auth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_run_instances_vector() {
        let req = HttpRequest::new(
            "POST",
            "/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        )
        .with_header("host", "ecs.cn-shanghai.aliyuncs.com")
        .with_header("x-acs-action", "RunInstances")
        .with_header("x-acs-version", "2014-05-26")
        .with_header("x-acs-date", "2023-10-26T10:22:32Z")
        .with_header("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
        .with_header(
            "x-acs-content-sha256",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        );
        let query = crate::protocol::encoding::parse_form(req.raw_query()).unwrap();
        let signed: Vec<&str> =
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
                .split(';')
                .collect();
        let canonical = canonical_request(&req, &query, &signed);
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            sign("YourAccessKeySecret", &string_to_sign(&canonical)),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn parses_and_rejects_authorization_headers() {
        let a = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=ab",
        )
        .unwrap();
        assert_eq!(a.credential, "ak");
        assert_eq!(a.signed_headers, "host;x-acs-date");
        // Header names are lowercased; text already in lowercase is borrowed.
        assert!(matches!(a.signed_headers, Text::Borrowed(_)));
        let upper = "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=Host;X-Acs-Date,Signature=ab";
        let a = parse_authorization(upper).unwrap();
        assert_eq!(a.signed_headers, "host;x-acs-date");
        assert!(parse_authorization("ACS3-HMAC-SHA256 Credential=ak").is_none());
        assert!(parse_authorization("ACS3-HMAC-SHA256 junk").is_none());
        assert!(parse_authorization("Bearer x").is_none());
    }
}
