//! A request decoded into provider-neutral form.

use crate::contract::Provider;

/// The signature scheme a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Alibaba `ACS3-HMAC-SHA256` header signing.
    Acs3,
    /// Alibaba RPC signature v1 (`Signature` parameter, HMAC-SHA1).
    RpcV1,
    /// Alibaba ROA signature v1 (`Authorization: acs AK:sig`).
    RoaV1,
    /// Tencent `TC3-HMAC-SHA256`.
    Tc3,
    /// Tencent v1 (`HmacSHA1`/`HmacSHA256` `Signature` parameter).
    TcV1,
}

impl Scheme {
    /// The scheme a [`Scheme::name`] names.
    pub fn from_name(name: &str) -> Option<Scheme> {
        [
            Scheme::Acs3,
            Scheme::RpcV1,
            Scheme::RoaV1,
            Scheme::Tc3,
            Scheme::TcV1,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }

    /// The scheme's short name (`acs3`, `rpc-v1`, `roa-v1`, `tc3`, `tc-v1`).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Acs3 => "acs3",
            Scheme::RpcV1 => "rpc-v1",
            Scheme::RoaV1 => "roa-v1",
            Scheme::Tc3 => "tc3",
            Scheme::TcV1 => "tc-v1",
        }
    }
}

/// Text decoded from a request: borrowed from the request where its wire form is already
/// the decoded text (most names and values), owned where decoding changed it (`%3A`, `+`).
pub type Text<'a> = std::borrow::Cow<'a, str>;

/// A decoded name and value.
pub type Pair<'a> = (Text<'a>, Text<'a>);

/// Who signed, and when (text borrowed from the request, as in [`Call`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Auth<'a> {
    /// AccessKeyId or SecretId.
    pub key_id: Text<'a>,
    /// The signing time, Unix seconds.
    pub timestamp: i64,
    /// The nonce, where the scheme has one.
    pub nonce: Option<Text<'a>>,
    /// An STS token, where one was sent.
    pub security_token: Option<Text<'a>>,
}

impl Auth<'_> {
    /// The same, owning its text.
    pub fn into_owned(self) -> Auth<'static> {
        Auth {
            key_id: owned(self.key_id),
            timestamp: self.timestamp,
            nonce: self.nonce.map(owned),
            security_token: self.security_token.map(owned),
        }
    }
}

/// A decoded request. It borrows from the request it was decoded from; [`Call::into_owned`]
/// gives one that does not.
#[derive(Debug, Clone, PartialEq)]
pub struct Call<'a> {
    /// The provider.
    pub provider: Provider,
    /// The signature scheme.
    pub scheme: Scheme,
    /// The action (ROA requests from pop-core carry none).
    pub action: Option<Text<'a>>,
    /// The API version.
    pub version: Text<'a>,
    /// The HTTP method.
    pub method: Text<'a>,
    /// The request path.
    pub path: Text<'a>,
    /// Business parameters in wire form: flat names (`Parameter.1.Code`,
    /// `TagSpecification.Tags.0.Key`) for RPC, query and form requests.
    pub params: Vec<Pair<'a>>,
    /// The JSON body, for Tencent API 3.0 JSON requests and ROA.
    pub body: Option<super::Json<'a>>,
    /// Common parameters that are not business parameters (`Format`, `RegionId`, `Region`,
    /// `Language`), by their documented names.
    pub common: Vec<Pair<'a>>,
    /// The signer.
    pub auth: Auth<'a>,
    /// The decoded pairs the signature covers, in arrival order, kept so verification does
    /// not decode them again: where [`Call::params_signed`], only those in neither `params`
    /// nor `common`; otherwise all of them. [`Call::signed`] gives the signed set either way.
    pub signed_pairs: Vec<Pair<'a>>,
    /// Whether `params` and `common` were moved out of the signed pairs (RPC, Tencent v1,
    /// ACS3 without a form body: every pair such a request carries is signed) rather than
    /// copied (ACS3 with a form body and ROA, whose signed query is not all they carry).
    pub params_signed: bool,
    /// The parsed `Authorization` header of header-signed schemes.
    pub header_signature: Option<HeaderSignature<'a>>,
}

/// A parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderSignature<'a> {
    /// `ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...`.
    Acs3(super::alibaba::acs3::Authorization<'a>),
    /// `TC3-HMAC-SHA256 Credential=.../date/service/tc3_request, ...`.
    Tc3(super::tencent::tc3::Authorization<'a>),
    /// `acs AK:signature`: the signature.
    Roa(Text<'a>),
}

impl HeaderSignature<'_> {
    /// The same, owning its text.
    pub fn into_owned(self) -> HeaderSignature<'static> {
        use super::alibaba::acs3;
        use super::tencent::tc3;
        match self {
            HeaderSignature::Acs3(a) => HeaderSignature::Acs3(acs3::Authorization {
                credential: owned(a.credential),
                signed_headers: owned(a.signed_headers),
                signature: owned(a.signature),
            }),
            HeaderSignature::Tc3(a) => HeaderSignature::Tc3(tc3::Authorization {
                secret_id: owned(a.secret_id),
                date: owned(a.date),
                service: owned(a.service),
                signed_headers: owned(a.signed_headers),
                signature: owned(a.signature),
            }),
            HeaderSignature::Roa(s) => HeaderSignature::Roa(owned(s)),
        }
    }
}

/// `pairs` owning their text.
fn owned_pairs(pairs: Vec<Pair<'_>>) -> Vec<Pair<'static>> {
    pairs
        .into_iter()
        .map(|(k, v)| (Text::Owned(k.into_owned()), Text::Owned(v.into_owned())))
        .collect()
}

/// `text`, owning it.
fn owned(text: Text<'_>) -> Text<'static> {
    Text::Owned(text.into_owned())
}

impl<'a> Call<'a> {
    /// The same call, owning all its text (to keep it beyond the request).
    pub fn into_owned(self) -> Call<'static> {
        Call {
            provider: self.provider,
            scheme: self.scheme,
            action: self.action.map(owned),
            version: owned(self.version),
            method: owned(self.method),
            path: owned(self.path),
            params: owned_pairs(self.params),
            body: self.body.map(super::Json::into_owned),
            common: owned_pairs(self.common),
            auth: self.auth.into_owned(),
            signed_pairs: owned_pairs(self.signed_pairs),
            params_signed: self.params_signed,
            header_signature: self.header_signature.map(HeaderSignature::into_owned),
        }
    }

    /// A common parameter's value.
    pub fn common(&self, name: &str) -> Option<&str> {
        self.common
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Every pair the signature covers (see [`Call::signed_pairs`]), in no particular order.
    pub fn signed(&self) -> impl Iterator<Item = &Pair<'a>> {
        let (params, common): (&[_], &[_]) = if self.params_signed {
            (&self.params, &self.common)
        } else {
            (&[], &[])
        };
        params.iter().chain(common).chain(&self.signed_pairs)
    }

    /// A business parameter's value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }
}
