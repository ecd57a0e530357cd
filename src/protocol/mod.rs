//! Wire protocols: decode a request into a [`Call`], sign and verify every scheme the official
//! SDKs use, and encode the providers' success and error envelopes. No state, no I/O.

pub mod alibaba;
mod call;
mod credentials;
mod decode;
pub mod encoding;
mod envelope;
mod error;
mod http;
pub(crate) mod json;
pub mod tencent;
mod verify;

pub use call::{Auth, Call, HeaderSignature, Pair, Scheme, Text};
pub use credentials::{
    Credentials, CredentialsError, Key, KeyLookup, SecretString, TEST_ACCESS_KEY_ID,
    TEST_ACCESS_KEY_SECRET, TEST_SECRET_ID, TEST_SECRET_KEY,
};
pub use decode::{decode, decode_unsigned, guess_provider};
pub use envelope::{
    Format, HttpResponse, alibaba_request_id, encode_error, encode_success, json_success,
    tencent_request_id,
};
pub use error::ProviderError;
pub use http::{HttpRequest, MAX_HEADER_VALUE};
pub use json::{Json, Object};
pub use verify::{NonceLedger, SigningKeys, VerifyOptions, verify, verify_with};

/// What a client signs with (used to build requests in tests and by the recording proxy).
#[derive(Debug, Clone, Copy)]
pub struct SignInput<'a> {
    /// The Host header value.
    pub host: &'a str,
    /// AccessKeyId or SecretId.
    pub key_id: &'a str,
    /// The secret.
    pub secret: &'a str,
    /// Unix seconds.
    pub timestamp: i64,
    /// The nonce.
    pub nonce: &'a str,
}
