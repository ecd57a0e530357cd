//! Errors in the providers' own vocabulary: code, HTTP status and message.

use crate::contract::Provider;

/// An error as the provider would answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// Which provider's envelope carries it.
    pub provider: Provider,
    /// The error code (`SignatureDoesNotMatch`, `AuthFailure.SignatureFailure`).
    pub code: String,
    /// The message, as the provider words it.
    pub message: String,
    /// The HTTP status (Tencent always answers 200).
    pub http_status: u16,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.http_status, self.message)
    }
}

impl ProviderError {
    /// An Alibaba Cloud error.
    pub fn alibaba(code: &str, status: u16, message: impl Into<String>) -> ProviderError {
        ProviderError {
            provider: Provider::Alibaba,
            code: code.to_string(),
            message: message.into(),
            http_status: status,
        }
    }

    /// A Tencent Cloud error (HTTP 200, as API 3.0 answers every error).
    pub fn tencent(code: &str, message: impl Into<String>) -> ProviderError {
        ProviderError {
            provider: Provider::Tencent,
            code: code.to_string(),
            message: message.into(),
            http_status: 200,
        }
    }

    /// A required common parameter or header is absent.
    pub fn missing(provider: Provider, name: &str) -> ProviderError {
        match provider {
            Provider::Alibaba => ProviderError::alibaba(
                &format!("Missing{}", name.replace(['-', '.'], "")),
                400,
                format!("{name} is mandatory for this action."),
            ),
            Provider::Tencent => ProviderError::tencent(
                "MissingParameter",
                format!("The request is missing a required parameter `{name}`."),
            ),
        }
    }

    /// The request cannot be decoded (bad encoding, malformed body, duplicates).
    pub fn malformed(provider: Provider, detail: impl Into<String>) -> ProviderError {
        match provider {
            Provider::Alibaba => ProviderError::alibaba("InvalidParameter", 400, detail),
            Provider::Tencent => ProviderError::tencent("InvalidParameter", detail),
        }
    }

    /// Alibaba's signature mismatch, carrying the server's string to sign after the only colon
    /// before it (aliyun-python-sdk-core compares the text after the first `:`).
    pub fn alibaba_signature(string_to_sign: &str) -> ProviderError {
        ProviderError::alibaba(
            "SignatureDoesNotMatch",
            400,
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        )
    }

    /// Alibaba: an unknown AccessKeyId.
    pub fn alibaba_unknown_key() -> ProviderError {
        ProviderError::alibaba(
            "InvalidAccessKeyId.NotFound",
            404,
            "Specified access key is not found.",
        )
    }

    /// Alibaba: a disabled AccessKeyId.
    pub fn alibaba_disabled_key() -> ProviderError {
        ProviderError::alibaba(
            "InvalidAccessKeyId.Inactive",
            400,
            "Specified access key is disabled.",
        )
    }

    /// Alibaba: a timestamp outside the window.
    pub fn alibaba_expired() -> ProviderError {
        ProviderError::alibaba(
            "InvalidTimeStamp.Expired",
            400,
            "Specified time stamp or date value is expired.",
        )
    }

    /// Alibaba: a timestamp in the wrong format.
    pub fn alibaba_bad_timestamp() -> ProviderError {
        ProviderError::alibaba(
            "InvalidTimeStamp.Format",
            400,
            "Specified time stamp or date value is not well formatted.",
        )
    }

    /// Alibaba: a nonce seen before.
    pub fn alibaba_nonce_used() -> ProviderError {
        ProviderError::alibaba(
            "SignatureNonceUsed",
            400,
            "Specified signature nonce was used already.",
        )
    }

    /// Alibaba: an Authorization header that is not of the scheme's form.
    pub fn alibaba_incomplete(detail: &str) -> ProviderError {
        ProviderError::alibaba(
            "IncompleteSignature",
            400,
            format!("The request signature does not conform to Aliyun standards. {detail}"),
        )
    }

    /// Alibaba: an `Authorization` header that is not of the ACS3 form.
    pub fn alibaba_bad_acs3_authorization() -> ProviderError {
        ProviderError::alibaba_incomplete(
            "The Authorization header is not of the ACS3-HMAC-SHA256 form.",
        )
    }

    /// Alibaba: an `Authorization` header that is not `acs AccessKeyId:Signature`.
    pub fn alibaba_bad_roa_authorization() -> ProviderError {
        ProviderError::alibaba_incomplete(
            "The Authorization header is not of the form acs AccessKeyId:Signature.",
        )
    }

    /// Tencent: a signature mismatch.
    pub fn tencent_signature() -> ProviderError {
        ProviderError::tencent(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        )
    }

    /// Tencent: a timestamp outside the window.
    pub fn tencent_expired() -> ProviderError {
        ProviderError::tencent(
            "AuthFailure.SignatureExpire",
            "The signature is expired, please request again.",
        )
    }

    /// Tencent: an unknown or disabled SecretId.
    pub fn tencent_unknown_key() -> ProviderError {
        ProviderError::tencent(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
        )
    }

    /// Tencent: a malformed Authorization header.
    pub fn tencent_bad_authorization() -> ProviderError {
        ProviderError::tencent(
            "AuthFailure.InvalidAuthorization",
            "`Authorization` in the request header is invalid.",
        )
    }
}
