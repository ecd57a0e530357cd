//! Credentials the replay server accepts: the built-in test set, and a file format for more.
//!
//! File format (JSON, version 1):
//! ```json
//! {"format_version": 1,
//!  "keys": [{"provider": "alibaba", "id": "testAccessKeyId", "secret": "testAccessKeySecret"},
//!           {"provider": "tencent", "id": "AKIDold", "secret": "s", "disabled": true}]}
//! ```

use std::fmt;

use serde::Deserialize;

use crate::contract::Provider;

/// A secret whose `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> SecretString {
        SecretString(s.into())
    }

    /// The secret itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// One key pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    /// Whose key it is.
    pub provider: Provider,
    /// AccessKeyId (Alibaba) or SecretId (Tencent).
    pub id: String,
    /// AccessKeySecret or SecretKey.
    pub secret: SecretString,
    /// A disabled key is known but refused.
    #[serde(default)]
    pub disabled: bool,
}

/// What a lookup found.
#[derive(Debug, Clone, Copy)]
pub enum KeyLookup<'a> {
    /// An enabled key.
    Active(&'a SecretString),
    /// A known, disabled key.
    Disabled,
    /// No such key.
    Unknown,
}

/// The keys the server accepts.
#[derive(Debug, Clone)]
pub struct Credentials {
    keys: Vec<Key>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    format_version: u32,
    keys: Vec<Key>,
}

/// Why a credentials file was refused.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Not valid JSON of the format.
    #[error("invalid credentials file at line {line} column {column}: {message}")]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong (never the secret).
        message: String,
    },
    /// A newer format.
    #[error("credentials format version {0} is not supported (this docpact reads version 1)")]
    Version(u32),
}

/// The built-in Alibaba AccessKeyId.
pub const TEST_ACCESS_KEY_ID: &str = "testAccessKeyId";
/// The built-in Alibaba AccessKeySecret.
pub const TEST_ACCESS_KEY_SECRET: &str = "testAccessKeySecret";
/// The built-in Tencent SecretId.
pub const TEST_SECRET_ID: &str = "AKIDtest";
/// The built-in Tencent SecretKey.
pub const TEST_SECRET_KEY: &str = "testSecretKey";

impl Default for Credentials {
    fn default() -> Credentials {
        Credentials::test()
    }
}

impl Credentials {
    /// The built-in test credentials (documented in the README).
    pub fn test() -> Credentials {
        Credentials {
            keys: vec![
                Key {
                    provider: Provider::Alibaba,
                    id: TEST_ACCESS_KEY_ID.into(),
                    secret: SecretString::new(TEST_ACCESS_KEY_SECRET),
                    disabled: false,
                },
                Key {
                    provider: Provider::Tencent,
                    id: TEST_SECRET_ID.into(),
                    secret: SecretString::new(TEST_SECRET_KEY),
                    disabled: false,
                },
            ],
        }
    }

    /// Parses a credentials file.
    pub fn parse(text: &str) -> Result<Credentials, CredentialsError> {
        let file: CredentialsFile = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.clone(), |i| message[..i].to_string());
            CredentialsError::Invalid {
                line: e.line(),
                column: e.column(),
                message,
            }
        })?;
        if file.format_version != 1 {
            return Err(CredentialsError::Version(file.format_version));
        }
        Ok(Credentials { keys: file.keys })
    }

    /// Adds a key.
    pub fn with(mut self, key: Key) -> Credentials {
        self.keys.push(key);
        self
    }

    /// The first enabled key of a provider.
    pub fn first_active(&self, provider: Provider) -> Option<&Key> {
        self.keys
            .iter()
            .find(|k| k.provider == provider && !k.disabled)
    }

    /// Looks up a key.
    pub fn lookup(&self, provider: Provider, id: &str) -> KeyLookup<'_> {
        match self
            .keys
            .iter()
            .find(|k| k.provider == provider && k.id == id)
        {
            Some(k) if k.disabled => KeyLookup::Disabled,
            Some(k) => KeyLookup::Active(&k.secret),
            None => KeyLookup::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let creds = Credentials::test();
        let dump = format!("{creds:?}");
        assert!(!dump.contains(TEST_ACCESS_KEY_SECRET));
        assert!(dump.contains("(redacted)"));
    }

    #[test]
    fn parses_files_with_disabled_keys() {
        let creds = Credentials::parse(
            r#"{"format_version":1,"keys":[{"provider":"tencent","id":"AKIDoff","secret":"x","disabled":true}]}"#,
        )
        .unwrap();
        assert!(matches!(
            creds.lookup(Provider::Tencent, "AKIDoff"),
            KeyLookup::Disabled
        ));
        assert!(matches!(
            creds.lookup(Provider::Tencent, "AKIDtest"),
            KeyLookup::Unknown
        ));
        let err =
            Credentials::parse(r#"{"format_version":1,"keys":[{"provider":"x"}]}"#).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(matches!(
            Credentials::parse(r#"{"format_version":9,"keys":[]}"#),
            Err(CredentialsError::Version(9))
        ));
    }
}
