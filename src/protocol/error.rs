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

    /// A provider's common code with its status and message (the codes every operation may
    /// answer, besides its own table); `None` for other codes.
    pub fn common(provider: Provider, code: &str) -> Option<ProviderError> {
        let (status, message) = match (provider, code) {
            (Provider::Alibaba, "Throttling") => {
                (400, "Request was denied due to request throttling.")
            }
            (Provider::Alibaba, "Throttling.User") => {
                (400, "Request was denied due to user flow control.")
            }
            (Provider::Alibaba, "Throttling.Api") => {
                (400, "Request was denied due to api flow control.")
            }
            (Provider::Alibaba, "InternalError") => (
                500,
                "The request processing has failed due to some unknown error, exception or failure.",
            ),
            (Provider::Alibaba, "ServiceUnavailable") => (
                503,
                "The request has failed due to a temporary failure of the server.",
            ),
            (Provider::Alibaba, "IdempotentParameterMismatch") => (
                400,
                "Request uses a client token in a previous request but is not identical to that request.",
            ),
            (Provider::Alibaba, "MissingParameter") => (
                400,
                "The input parameter that is mandatory for processing this request is not supplied.",
            ),
            (Provider::Alibaba, "InvalidParameter") => {
                (400, "The specified parameter is not valid.")
            }
            (Provider::Tencent, "InternalError") => (
                200,
                "An internal error has occurred. Retry your request, but if the problem persists, contact us.",
            ),
            (Provider::Tencent, "RequestLimitExceeded") => (
                200,
                "Your current request times exceeds the frequency limit for a second. Please reduce the frequency of calls.",
            ),
            (Provider::Tencent, "MissingParameter") => {
                (200, "The request is missing a required parameter.")
            }
            (Provider::Tencent, "InvalidParameter") => {
                (200, "Parameter error. Please check and try again.")
            }
            (Provider::Tencent, "InvalidParameterValue") => {
                (200, "A parameter value is not valid.")
            }
            (Provider::Tencent, "UnknownParameter") => (200, "An unknown parameter was sent."),
            _ => return None,
        };
        Some(match provider {
            Provider::Alibaba => ProviderError::alibaba(code, status, message),
            Provider::Tencent => ProviderError::tencent(code, message),
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::common_error_codes;

    #[test]
    fn every_common_code_lint_accepts_has_a_status_and_message() {
        for provider in [Provider::Alibaba, Provider::Tencent] {
            for code in common_error_codes(provider) {
                let err = ProviderError::common(provider, code)
                    .unwrap_or_else(|| panic!("{provider:?} {code} has no entry"));
                assert_eq!(&err.code, code);
            }
            assert!(ProviderError::common(provider, "NoSuchCode").is_none());
        }
    }
}
