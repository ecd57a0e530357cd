//! Decoding a request into a [`Call`], by wire style.

use super::alibaba::{acs3, roa};
use super::call::{Auth, Call, HeaderSignature, Pair, Scheme, Text};
use super::encoding::{
    FormError, MAX_VALUES, form_room, parse_form, parse_form_into, parse_iso8601, parse_rfc1123,
};
use super::error::ProviderError;
use super::http::{HttpRequest, MAX_HEADER_VALUE};
use super::json::{Json, ValueBudget};
use super::tencent::{tc3, v1};
use crate::contract::Provider;

type Pairs<'a> = Vec<Pair<'a>>;

const ALIBABA_RPC_COMMON: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
    "RegionId",
];
const TENCENT_V1_COMMON: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Language",
    "RequestClient",
    "Token",
];

/// `SecretId=`, searched for in every request (a searcher is built once, not per search).
static SECRET_ID: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("SecretId="));

/// Whether a raw form (`a=1&b=2`) has a pair named `Signature`: at its start or after an
/// `&`, so that a parameter whose name ends in it (`CertSignature`) or a value holding it
/// does not count.
fn names_signature(form: &[u8]) -> bool {
    form.starts_with(b"Signature=") || memchr::memmem::find(form, b"&Signature=").is_some()
}

/// Which provider a request is meant for, judged before it is fully decoded, so that even
/// garbage gets the right provider's envelope.
pub fn guess_provider(req: &HttpRequest) -> Provider {
    let tencent_header = req
        .headers
        .iter()
        .any(|(n, _)| n.len() > 5 && n.as_bytes()[..5].eq_ignore_ascii_case(b"x-tc-"));
    let tc3 = req
        .header("authorization")
        .is_some_and(|a| a.starts_with(tc3::ALGORITHM));
    let v1 = SECRET_ID.find(req.raw_query().as_bytes()).is_some()
        || (req.has_media_type("application/x-www-form-urlencoded")
            && SECRET_ID.find(&req.body).is_some());
    if tencent_header || tc3 || v1 {
        Provider::Tencent
    } else {
        Provider::Alibaba
    }
}

fn form_error(provider: Provider, e: FormError) -> ProviderError {
    let detail = match (provider, e) {
        (Provider::Tencent, FormError::EmptyName) => {
            "Url key and value should be splited by `=`.".to_string()
        }
        (_, FormError::EmptyName) => "A parameter name is empty.".to_string(),
        (_, FormError::BadPercent(s)) => {
            format!("The value {s:?} is not correctly percent-encoded.")
        }
        (_, FormError::NotUtf8(s)) => format!("The value {s:?} does not decode to UTF-8 text."),
        (_, FormError::TooMany) => too_many(),
    };
    ProviderError::malformed(provider, detail)
}

/// Query pairs, plus form-body pairs when the body is a form; duplicates are refused.
fn wire_pairs(req: &HttpRequest, provider: Provider) -> Result<Pairs<'_>, ProviderError> {
    let query = req.raw_query();
    let form = req.has_media_type("application/x-www-form-urlencoded");
    // One list for both: no second list to copy the body's pairs from.
    let room = form_room(query.len()) + if form { form_room(req.body.len()) } else { 0 };
    let mut pairs = Vec::with_capacity(room);
    parse_form_into(query, &mut pairs).map_err(|e| form_error(provider, e))?;
    if form {
        let body = std::str::from_utf8(&req.body)
            .map_err(|_| ProviderError::malformed(provider, "The form body is not UTF-8 text."))?;
        parse_form_into(body, &mut pairs).map_err(|e| form_error(provider, e))?;
    }
    if let Some(name) = duplicate(&pairs) {
        return Err(ProviderError::malformed(
            provider,
            match provider {
                Provider::Alibaba => format!("The parameter \"{name}\" is duplicated."),
                Provider::Tencent => format!("The parameter `{name}` is duplicated."),
            },
        ));
    }
    Ok(pairs)
}

/// A name that occurs twice. Requests carry a few dozen pairs at most: comparing each with
/// those before it beats sorting them, and a name is compared only when an earlier one had
/// its length and last byte (one bit of a word per such class: most names share it with
/// none before them). More than 32 pairs are sorted instead, so no request makes this
/// quadratic.
fn duplicate<'b>(pairs: &'b [Pair<'_>]) -> Option<&'b str> {
    if pairs.len() <= 32 {
        let mut classes = 0u64;
        for (i, (k, _)) in pairs.iter().enumerate() {
            let last = k.as_bytes().last().copied().unwrap_or_default();
            let class = 1u64 << ((k.len() * 7 + usize::from(last)) % 64);
            if classes & class != 0 && pairs[..i].iter().any(|(seen, _)| seen == k) {
                return Some(k.as_ref());
            }
            classes |= class;
        }
        return None;
    }
    let mut names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_ref()).collect();
    // By length first: equal names stay adjacent, and most comparisons end there.
    names.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    names.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// The first pair named `name`'s value, as text that borrows from the request where the
/// pair does (a copy costs nothing then).
fn take<'a>(pairs: &[Pair<'a>], name: &str) -> Option<Text<'a>> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn find<'b>(pairs: &'b [Pair<'_>], name: &str) -> Option<&'b str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_ref())
}

/// A parameter that must be present and non-empty.
fn require<'b>(pairs: &'b [Pair<'_>], p: Provider, name: &str) -> Result<&'b str, ProviderError> {
    find(pairs, name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ProviderError::missing(p, name))
}

/// [`require`], as text (see [`take`]).
fn require_text<'a>(
    pairs: &[Pair<'a>],
    p: Provider,
    name: &str,
) -> Result<Text<'a>, ProviderError> {
    take(pairs, name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ProviderError::missing(p, name))
}

/// Whether `name` is one of `names`. Length and last byte are compared first: they tell
/// most names apart without a call to compare the bytes.
fn listed(names: &[&str], name: &str) -> bool {
    let name = name.as_bytes();
    names
        .iter()
        .map(|n| n.as_bytes())
        .any(|n| n.len() == name.len() && n.last() == name.last() && n == name)
}

/// Where a request's pair goes when its pairs are moved apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A business parameter.
    Business,
    /// A common parameter the call keeps (region, format, token, ...).
    Kept,
    /// Another common parameter (signature parameters, action, version).
    Rest,
}

/// [`Class`] of a signed RPC request's pair: [`ALIBABA_RPC_COMMON`], with `Format`,
/// `RegionId` and `SecurityToken` kept. A `match` tells a name apart by its length and a
/// few compares of its bytes, where a scan of the list compares it with every name.
fn rpc_class(name: &str) -> Class {
    match name {
        "Format" | "RegionId" | "SecurityToken" => Class::Kept,
        "Action" | "Version" | "AccessKeyId" | "Signature" | "SignatureMethod"
        | "SignatureVersion" | "SignatureNonce" | "SignatureType" | "Timestamp" => Class::Rest,
        _ => Class::Business,
    }
}

/// [`Class`] of a signed Tencent v1 request's pair: [`TENCENT_V1_COMMON`], with `Region`,
/// `Language` and `RequestClient` kept (see [`rpc_class`]).
fn tc_v1_class(name: &str) -> Class {
    match name {
        "Region" | "Language" | "RequestClient" => Class::Kept,
        "Action" | "Version" | "Timestamp" | "Nonce" | "SecretId" | "Signature"
        | "SignatureMethod" | "Token" => Class::Rest,
        _ => Class::Business,
    }
}

/// Moves `pairs` apart: business parameters, the `common` ones that are in `keep`, and the
/// other common ones (signature parameters, action, version), in arrival order.
fn split_owned<'a>(
    pairs: Pairs<'a>,
    common: &[&str],
    keep: &[&str],
) -> (Pairs<'a>, Pairs<'a>, Pairs<'a>) {
    split_by(pairs, common.len(), |k| {
        if !listed(common, k) {
            Class::Business
        } else if listed(keep, k) {
            Class::Kept
        } else {
            Class::Rest
        }
    })
}

/// [`split_owned`] by `class`, where at most `common` pairs are not business ones.
fn split_by<'a>(
    pairs: Pairs<'a>,
    common: usize,
    class: impl Fn(&str) -> Class,
) -> (Pairs<'a>, Pairs<'a>, Pairs<'a>) {
    let mut business = Vec::with_capacity(pairs.len());
    let mut kept = Vec::new();
    let mut rest = Vec::with_capacity(pairs.len().min(common));
    for (k, v) in pairs {
        match class(&k) {
            Class::Business => business.push((k, v)),
            Class::Kept => kept.push((k, v)),
            Class::Rest => rest.push((k, v)),
        }
    }
    (business, kept, rest)
}

fn too_many() -> String {
    format!("The request carries more than {MAX_VALUES} parameters or values.")
}

/// [`json_body`], an empty object when the body is empty.
fn json_object(req: &HttpRequest, provider: Provider) -> Result<Json<'_>, ProviderError> {
    Ok(json_body(req, provider)?.unwrap_or_else(|| Json::Object(Default::default())))
}

fn json_body(req: &HttpRequest, provider: Provider) -> Result<Option<Json<'_>>, ProviderError> {
    if req.body.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(&req.body).map_err(|_| {
        ProviderError::malformed(
            provider,
            "The request body is not valid JSON: it is not UTF-8 text.",
        )
    })?;
    let budget = ValueBudget::new(MAX_VALUES);
    let value = budget.parse(text).map_err(|e| {
        ProviderError::malformed(
            provider,
            match budget.refused() {
                true => too_many(),
                false => format!("The request body is not valid JSON: {e}."),
            },
        )
    })?;
    if !value.is_object() {
        return Err(ProviderError::malformed(
            provider,
            "The request body must be a JSON object.",
        ));
    }
    Ok(Some(value))
}

/// A header that must be present and non-empty.
fn header_value<'a>(
    req: &'a HttpRequest,
    provider: Provider,
    name: &str,
) -> Result<&'a str, ProviderError> {
    req.header(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ProviderError::missing(provider, name))
}

/// [`header_value`], as text.
fn required_header<'a>(
    req: &'a HttpRequest,
    provider: Provider,
    name: &str,
) -> Result<Text<'a>, ProviderError> {
    header_value(req, provider, name).map(Text::Borrowed)
}

fn check_header_sizes(req: &HttpRequest, provider: Provider) -> Result<(), ProviderError> {
    if req
        .headers
        .iter()
        .any(|(n, v)| v.len() > MAX_HEADER_VALUE || n.len() > 256)
    {
        return Err(ProviderError::malformed(
            provider,
            "A request header is too large.",
        ));
    }
    Ok(())
}

/// Decodes a request that may carry no signature at all (`serve --no-auth`, for tools such
/// as Schemathesis and Prism that send what an OpenAPI description says). A signed request
/// is decoded as [`decode`] does; an unsigned one by its wire style: Tencent by its
/// `X-TC-Action` and `X-TC-Version` headers (a JSON body, or a form or query); Alibaba RPC by
/// `Action` and `Version` in the query or a form body; Alibaba ROA by its path, the version
/// in `x-acs-version`, a JSON body. Its [`Auth`] is empty.
pub fn decode_unsigned(req: &HttpRequest) -> Result<Call<'_>, ProviderError> {
    let provider = guess_provider(req);
    check_header_sizes(req, provider)?;
    let signed_query = names_signature(req.raw_query().as_bytes())
        || (req.has_media_type("application/x-www-form-urlencoded") && names_signature(&req.body));
    if req.header("authorization").is_some() || signed_query {
        return decode(req);
    }
    let unsigned = |provider, scheme, action, version, params, body, common| Call {
        provider,
        scheme,
        action,
        version,
        method: Text::Borrowed(&req.method),
        path: Text::Borrowed(req.path()),
        params,
        body,
        common,
        auth: Auth::default(),
        signed_pairs: Vec::new(),
        params_signed: false,
        header_signature: None,
    };
    match provider {
        Provider::Tencent => {
            let p = Provider::Tencent;
            let action = required_header(req, p, "X-TC-Action")?;
            let version = required_header(req, p, "X-TC-Version")?;
            let mut common = Vec::new();
            if let Some(region) = req.header("X-TC-Region") {
                common.push((Text::Borrowed("Region"), Text::Borrowed(region)));
            }
            let (params, body) = if req.has_media_type("application/json") {
                (Vec::new(), Some(json_object(req, p)?))
            } else {
                let (params, _, _) = split_owned(wire_pairs(req, p)?, TENCENT_V1_COMMON, &[]);
                (params, None)
            };
            Ok(unsigned(
                p,
                Scheme::Tc3,
                Some(action),
                version,
                params,
                body,
                common,
            ))
        }
        Provider::Alibaba if req.path() == "/" => {
            let p = Provider::Alibaba;
            let pairs = wire_pairs(req, p)?;
            let action = require_text(&pairs, p, "Action")?;
            let version = require_text(&pairs, p, "Version")?;
            let (params, common, _) =
                split_owned(pairs, ALIBABA_RPC_COMMON, &["Format", "RegionId"]);
            Ok(unsigned(
                p,
                Scheme::RpcV1,
                Some(action),
                version,
                params,
                None,
                common,
            ))
        }
        Provider::Alibaba => {
            let p = Provider::Alibaba;
            let version = required_header(req, p, "x-acs-version")?;
            let (params, common, _) =
                split_owned(wire_pairs(req, p)?, &["RegionId"], &["RegionId"]);
            let body = Some(json_object(req, p)?);
            let action = req.header("x-acs-action").map(Text::Borrowed);
            Ok(unsigned(
                p,
                Scheme::RoaV1,
                action,
                version,
                params,
                body,
                common,
            ))
        }
    }
}

/// Decodes a request. Every failure is the provider's own error, never a panic.
pub fn decode(req: &HttpRequest) -> Result<Call<'_>, ProviderError> {
    let provider = guess_provider(req);
    check_header_sizes(req, provider)?;
    let auth = req.header("authorization").unwrap_or_default();
    if auth.starts_with(tc3::ALGORITHM)
        || (provider == Provider::Tencent && req.header("x-tc-action").is_some())
    {
        return decode_tc3(req);
    }
    if auth.starts_with(acs3::ALGORITHM) {
        return decode_acs3(req);
    }
    if auth.starts_with("acs ") {
        return decode_roa_v1(req);
    }
    if !auth.is_empty() {
        return Err(match provider {
            Provider::Alibaba => {
                ProviderError::alibaba_incomplete("The Authorization header names no known scheme.")
            }
            Provider::Tencent => ProviderError::tencent_bad_authorization(),
        });
    }
    let pairs = wire_pairs(req, provider)?;
    match provider {
        Provider::Tencent => decode_tc_v1(req, pairs),
        Provider::Alibaba => decode_rpc_v1(req, pairs),
    }
}

fn decode_rpc_v1<'a>(req: &'a HttpRequest, pairs: Pairs<'a>) -> Result<Call<'a>, ProviderError> {
    let p = Provider::Alibaba;
    // Moved apart first: the common parameters are then looked up among a few pairs, not
    // among all of them.
    let (params, common, rest) = split_by(pairs, ALIBABA_RPC_COMMON.len(), rpc_class);
    let need = |name: &str| require(&rest, p, name);
    let key_id = require_text(&rest, p, "AccessKeyId")?;
    need("Signature")?;
    let version = require_text(&rest, p, "Version")?;
    let action = require_text(&rest, p, "Action")?;
    let timestamp = need("Timestamp")?;
    let nonce = require_text(&rest, p, "SignatureNonce")?;
    if find(&rest, "SignatureMethod").is_some_and(|m| m != "HMAC-SHA1") {
        return Err(ProviderError::alibaba(
            "InvalidSignatureMethod",
            400,
            "Specified signature method is not valid.",
        ));
    }
    let timestamp = parse_iso8601(timestamp).ok_or_else(ProviderError::alibaba_bad_timestamp)?;
    let security_token = take(&common, "SecurityToken");
    Ok(Call {
        provider: p,
        scheme: Scheme::RpcV1,
        action: Some(action),
        version,
        method: Text::Borrowed(&req.method),
        path: Text::Borrowed(req.path()),
        params,
        body: None,
        auth: Auth {
            key_id,
            timestamp,
            nonce: Some(nonce),
            security_token,
        },
        common,
        signed_pairs: rest,
        params_signed: true,
        header_signature: None,
    })
}

fn decode_acs3(req: &HttpRequest) -> Result<Call<'_>, ProviderError> {
    let p = Provider::Alibaba;
    let auth = acs3::parse_authorization(req.header("authorization").unwrap_or_default())
        .ok_or_else(ProviderError::alibaba_bad_acs3_authorization)?;
    let date = header_value(req, p, "x-acs-date")?;
    let timestamp = parse_iso8601(date).ok_or_else(ProviderError::alibaba_bad_timestamp)?;
    let nonce = required_header(req, p, "x-acs-signature-nonce")?;
    let version = required_header(req, p, "x-acs-version")?;
    let roa = req.path() != "/";
    let action = if roa {
        req.header("x-acs-action").map(Text::Borrowed)
    } else {
        Some(required_header(req, p, "x-acs-action")?)
    };
    let pairs = wire_pairs(req, p)?;
    let body = if roa || req.has_media_type("application/json") {
        json_body(req, p)?
    } else {
        None
    };
    // ACS3 signs the query alone; a form body is covered by the payload hash. Without one,
    // every pair is in the query: moved into params and common, not copied.
    let common_names = ["RegionId", "Format"];
    let (params, common, rest) = split_owned(pairs, &common_names, &common_names);
    let (signed_query, params_signed) = if req.has_media_type("application/x-www-form-urlencoded") {
        (
            parse_form(req.raw_query()).map_err(|e| form_error(p, e))?,
            false,
        )
    } else {
        (rest, true)
    };
    Ok(Call {
        provider: p,
        scheme: Scheme::Acs3,
        action,
        version,
        method: Text::Borrowed(&req.method),
        path: Text::Borrowed(req.path()),
        params,
        body,
        common,
        auth: Auth {
            key_id: auth.credential.clone(),
            timestamp,
            nonce: Some(nonce),
            security_token: req.header("x-acs-security-token").map(Text::Borrowed),
        },
        signed_pairs: signed_query,
        params_signed,
        header_signature: Some(HeaderSignature::Acs3(auth)),
    })
}

fn decode_roa_v1(req: &HttpRequest) -> Result<Call<'_>, ProviderError> {
    let p = Provider::Alibaba;
    let (key_id, roa_signature) =
        roa::parse_authorization(req.header("authorization").unwrap_or_default())
            .ok_or_else(ProviderError::alibaba_bad_roa_authorization)?;
    let date = header_value(req, p, "date")?;
    let timestamp = parse_rfc1123(date).ok_or_else(ProviderError::alibaba_bad_timestamp)?;
    let version = required_header(req, p, "x-acs-version")?;
    let pairs = wire_pairs(req, p)?;
    // ROA signs its query as it came, so the parameters are copies.
    let (params, mut common, _) = split_owned(pairs.clone(), &["RegionId"], &["RegionId"]);
    if let Some(region) = req.header("x-acs-region-id")
        && !common.iter().any(|(k, _)| k == "RegionId")
    {
        common.push((Text::Borrowed("RegionId"), Text::Borrowed(region)));
    }
    Ok(Call {
        provider: p,
        scheme: Scheme::RoaV1,
        action: req.header("x-acs-action").map(Text::Borrowed),
        version,
        method: Text::Borrowed(&req.method),
        path: Text::Borrowed(req.path()),
        params,
        body: json_body(req, p)?,
        common,
        auth: Auth {
            key_id: Text::Borrowed(key_id),
            timestamp,
            nonce: req.header("x-acs-signature-nonce").map(Text::Borrowed),
            security_token: req.header("x-acs-security-token").map(Text::Borrowed),
        },
        signed_pairs: pairs,
        params_signed: false,
        header_signature: Some(HeaderSignature::Roa(Text::Borrowed(roa_signature))),
    })
}

fn tencent_timestamp(value: &str, name: &str) -> Result<i64, ProviderError> {
    value.trim().parse::<i64>().map_err(|_| {
        ProviderError::tencent(
            "InvalidParameter",
            format!("The value type of parameter `{name}` is not valid."),
        )
    })
}

fn decode_tc3(req: &HttpRequest) -> Result<Call<'_>, ProviderError> {
    let p = Provider::Tencent;
    let raw = req
        .header("authorization")
        .ok_or_else(|| ProviderError::missing(p, "Authorization"))?;
    let auth =
        tc3::parse_authorization(raw).ok_or_else(ProviderError::tencent_bad_authorization)?;
    let action = required_header(req, p, "X-TC-Action")?;
    let version = required_header(req, p, "X-TC-Version")?;
    let timestamp = tencent_timestamp(header_value(req, p, "X-TC-Timestamp")?, "X-TC-Timestamp")?;
    let mut common = Vec::new();
    for (header, name) in [
        ("X-TC-Region", "Region"),
        ("X-TC-Language", "Language"),
        ("X-TC-RequestClient", "RequestClient"),
    ] {
        if let Some(v) = req.header(header) {
            common.push((Text::Borrowed(name), Text::Borrowed(v)));
        }
    }
    let (params, body) = if req.method.eq_ignore_ascii_case("GET") {
        (
            parse_form(req.raw_query()).map_err(|e| form_error(p, e))?,
            None,
        )
    } else if req.has_media_type("application/x-www-form-urlencoded") {
        (wire_pairs(req, p)?, None)
    } else {
        (Vec::new(), Some(json_object(req, p)?))
    };
    Ok(Call {
        provider: p,
        scheme: Scheme::Tc3,
        action: Some(action),
        version,
        method: Text::Borrowed(&req.method),
        path: Text::Borrowed(req.path()),
        params,
        body,
        common,
        auth: Auth {
            key_id: auth.secret_id.clone(),
            timestamp,
            nonce: None,
            security_token: req.header("X-TC-Token").map(Text::Borrowed),
        },
        signed_pairs: Vec::new(),
        params_signed: false,
        header_signature: Some(HeaderSignature::Tc3(auth)),
    })
}

fn decode_tc_v1<'a>(req: &'a HttpRequest, pairs: Pairs<'a>) -> Result<Call<'a>, ProviderError> {
    let p = Provider::Tencent;
    // Moved apart first, as for RPC (see [`decode_rpc_v1`]).
    let (params, common, rest) = split_by(pairs, TENCENT_V1_COMMON.len(), tc_v1_class);
    let need = |name: &str| require(&rest, p, name);
    let key_id = require_text(&rest, p, "SecretId")?;
    need("Signature")?;
    let action = require_text(&rest, p, "Action")?;
    let version = require_text(&rest, p, "Version")?;
    let timestamp = tencent_timestamp(need("Timestamp")?, "Timestamp")?;
    let nonce = require_text(&rest, p, "Nonce")?;
    if nonce.parse::<u64>().is_err() {
        return Err(ProviderError::tencent(
            "InvalidParameter",
            "Parameter `Nonce` type error.",
        ));
    }
    if v1::Method::parse(find(&rest, "SignatureMethod")).is_none() {
        return Err(ProviderError::tencent(
            "InvalidParameterValue",
            "A value specified in `SignatureMethod` is not valid, is unsupported, or cannot be used.",
        ));
    }
    let security_token = take(&rest, "Token");
    Ok(Call {
        provider: p,
        scheme: Scheme::TcV1,
        action: Some(action),
        version,
        method: Text::Borrowed(&req.method),
        path: Text::Borrowed(req.path()),
        params,
        body: None,
        common,
        auth: Auth {
            key_id,
            timestamp,
            nonce: Some(nonce),
            security_token,
        },
        signed_pairs: rest,
        params_signed: true,
        header_signature: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs<'a>(names: &[&'a str]) -> Pairs<'a> {
        names.iter().map(|&n| (n.into(), "v".into())).collect()
    }

    #[test]
    fn the_signed_classes_match_the_lists_they_stand_for() {
        let by_list = |common: &[&str], keep: &[&str], name: &str| {
            let (business, kept, _) = split_owned(pairs(&[name]), common, keep);
            match (business.len(), kept.len()) {
                (1, _) => Class::Business,
                (_, 1) => Class::Kept,
                _ => Class::Rest,
            }
        };
        type Case = (
            fn(&str) -> Class,
            &'static [&'static str],
            &'static [&'static str],
        );
        let cases: [Case; 2] = [
            (
                rpc_class,
                ALIBABA_RPC_COMMON,
                &["Format", "RegionId", "SecurityToken"],
            ),
            (
                tc_v1_class,
                TENCENT_V1_COMMON,
                &["Region", "Language", "RequestClient"],
            ),
        ];
        for (class, common, keep) in cases {
            let near = common.iter().flat_map(|n| {
                [
                    n.to_string(),
                    n.to_lowercase(),
                    format!("{n}s"),
                    n[..n.len() - 1].to_string(),
                    format!("{n}.1"),
                ]
            });
            for name in near.chain(["".to_string(), "InstanceType".to_string()]) {
                assert_eq!(class(&name), by_list(common, keep, &name), "{name}");
            }
            assert!(common.iter().all(|n| class(n) != Class::Business));
        }
    }

    #[test]
    fn duplicates_are_found_in_short_and_long_lists() {
        assert_eq!(duplicate(&pairs(&["A", "B", "AB", "BA"])), None);
        assert_eq!(duplicate(&pairs(&["A", "B", "AB", "B"])), Some("B"));
        let mut many: Vec<String> = (0..100).map(|i| format!("Name.{i}")).collect();
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(duplicate(&pairs(&names)), None);
        many.push("Name.42".into());
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(duplicate(&pairs(&names)), Some("Name.42"));
    }

    #[test]
    fn a_repeated_form_parameter_is_refused_with_its_name() {
        let req = HttpRequest::new("GET", "/?Action=X&Version=1&RegionId=a&RegionId=b");
        let err = wire_pairs(&req, Provider::Alibaba).unwrap_err();
        assert!(
            err.message.contains("\"RegionId\" is duplicated"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_unsigned_request_is_one_without_a_signature_pair() {
        // Names and values that end in or hold `Signature=` leave a request unsigned.
        for target in [
            "/?Action=DescribeX&Version=1&CertSignature=abc",
            "/?Action=DescribeX&Version=1&Note=Signature=abc",
        ] {
            let req = HttpRequest::new("GET", target);
            let call = decode_unsigned(&req).unwrap();
            assert_eq!(call.auth, Auth::default(), "{target}");
            assert_eq!(call.params.len(), 1, "{target}");
        }
        let form = HttpRequest::new("POST", "/")
            .with_header("content-type", "application/x-www-form-urlencoded")
            .with_body("Action=DescribeX&Version=1&CertSignature=abc");
        assert_eq!(decode_unsigned(&form).unwrap().params.len(), 1);
        // A `Signature` pair, first or later, in the query or the form, asks for the signed
        // decoding, which wants the rest of a signature.
        for target in [
            "/?Signature=abc&Action=DescribeX&Version=1",
            "/?Action=DescribeX&Version=1&Signature=abc",
        ] {
            let err = decode_unsigned(&HttpRequest::new("GET", target)).unwrap_err();
            assert!(
                err.message.contains("AccessKeyId"),
                "{target}: {}",
                err.message
            );
        }
        let form = form.with_body("Action=DescribeX&Version=1&Signature=abc");
        assert!(decode_unsigned(&form).is_err());
    }

    fn json_request(body: &str) -> HttpRequest {
        HttpRequest::new("POST", "/")
            .with_header("content-type", "application/json")
            .with_body(body)
    }

    #[test]
    fn json_bodies_hold_at_most_max_values() {
        // The object itself is one value; each element another.
        let body = |n: usize| format!("{{\"a\":[{}]}}", vec!["0"; n].join(","));
        let req = json_request(&body(MAX_VALUES - 2));
        let at = json_body(&req, Provider::Tencent).unwrap().unwrap();
        assert!(matches!(at.get("a"), Some(Json::Array(items)) if items.len() == MAX_VALUES - 2));
        let err = json_body(&json_request(&body(MAX_VALUES - 1)), Provider::Tencent).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.contains("more than 50000"), "{}", err.message);
        // A syntax error is still called one, at any size.
        let err = json_body(&json_request("{\"a\":[0,}"), Provider::Alibaba).unwrap_err();
        assert!(err.message.contains("not valid JSON"), "{}", err.message);
        let bytes = HttpRequest::new("POST", "/").with_body(vec![b'{', 0xFF, b'}']);
        let err = json_body(&bytes, Provider::Tencent).unwrap_err();
        assert!(err.message.contains("not UTF-8 text"), "{}", err.message);
        // serde_json's nesting limit still holds: no stack grows with the request.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = json_body(&json_request(&deep), Provider::Tencent).unwrap_err();
        assert!(err.message.contains("recursion limit"), "{}", err.message);
    }

    #[test]
    fn forms_hold_at_most_max_values() {
        let form = |n: usize| vec!["a=1"; n].join("&");
        assert_eq!(
            parse_form(&form(MAX_VALUES)).map(|p| p.len()),
            Ok(MAX_VALUES)
        );
        assert_eq!(parse_form(&form(MAX_VALUES + 1)), Err(FormError::TooMany));
        let req = HttpRequest::new("GET", &format!("/?{}", form(MAX_VALUES + 1)));
        let err = wire_pairs(&req, Provider::Alibaba).unwrap_err();
        assert!(err.message.contains("more than 50000"), "{}", err.message);
    }

    proptest::proptest! {
        // Short names from few letters: repeats, and names that share a length and a last
        // byte without being equal, are both common. Up to 32 pairs the first name that
        // repeats an earlier one is named; beyond, one that repeats.
        #[test]
        fn duplicate_finds_a_repeated_name(names in proptest::collection::vec("[ab]{1,3}", 0..40)) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let first = names.iter().enumerate().find(|(i, n)| names[..*i].contains(n)).map(|(_, n)| *n);
            let pairs = pairs(&names);
            let found = duplicate(&pairs);
            if names.len() <= 32 {
                proptest::prop_assert_eq!(found, first);
            } else {
                proptest::prop_assert_eq!(found.is_some(), first.is_some());
                proptest::prop_assert!(found.is_none_or(|f| names.iter().filter(|n| **n == f).count() > 1));
            }
        }
    }
}
