//! Redaction before anything touches disk: secrets become placeholders that are the same for
//! the same secret (an HMAC under the cassette's salt), so that a reviewer still sees which
//! values were equal, and replay matches them by presence.

use hmac::{Hmac, Mac};
use regex::Regex;
use serde_json::Value;
use sha2::Sha256;

use crate::contract::{Contract, Field};
use crate::protocol::encoding::hex;

/// The start of every placeholder.
pub const PREFIX: &str = "[redacted:";

/// Whether a stored value is a placeholder (matched by presence on replay).
pub fn is_placeholder(s: &str) -> bool {
    s.starts_with(PREFIX) && s.ends_with(']')
}

/// What to redact, and how.
#[derive(Debug, Clone)]
pub struct Redactor {
    salt: Vec<u8>,
    secrets: Vec<String>,
    patterns: Vec<Regex>,
}

impl Redactor {
    /// Secrets are literal values found anywhere (credentials); patterns are the user's.
    /// Values shorter than 4 characters are not secrets docpact can find without harm.
    pub fn new(salt: &str, secrets: Vec<String>, patterns: Vec<Regex>) -> Redactor {
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| s.len() >= 4).collect();
        // Longest first, so that a secret containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor {
            salt: salt.as_bytes().to_vec(),
            secrets,
            patterns,
        }
    }

    /// The placeholder of `value` (a placeholder already stays as it is).
    pub fn placeholder(&self, value: &str) -> String {
        if is_placeholder(value) {
            return value.to_string();
        }
        // HMAC accepts keys of any length.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.salt).unwrap_or_else(|_| unreachable!());
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("{PREFIX}{}]", hex(&digest[..6]))
    }

    /// `text` with every secret and every match of a pattern replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &self.placeholder(secret));
            }
        }
        for pattern in &self.patterns {
            if pattern.is_match(&out) {
                out = pattern
                    .replace_all(&out, |c: &regex::Captures<'_>| self.placeholder(&c[0]))
                    .into_owned();
            }
        }
        out
    }

    /// Every string in `value` through [`Redactor::text`], keys included.
    pub fn value(&self, value: &mut Value) {
        match value {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                let old = std::mem::take(map);
                for (k, mut v) in old {
                    self.value(&mut v);
                    map.insert(self.text(&k), v);
                }
            }
            _ => {}
        }
    }

    /// Replaces the whole value of every member named in `names`, at any depth.
    pub fn members(&self, value: &mut Value, names: &[String]) {
        match value {
            Value::Array(items) => items.iter_mut().for_each(|v| self.members(v, names)),
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if names.iter().any(|n| n == k) && !v.is_null() {
                        let text = match &*v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        *v = Value::String(self.placeholder(&text));
                    } else {
                        self.members(v, names);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The last segment of every parameter a contract marks sensitive (`Password`,
/// `LoginSettings.Password` gives `Password`).
pub fn sensitive_params(c: &Contract) -> Vec<String> {
    let mut out: Vec<String> = c
        .parameters
        .iter()
        .filter(|p| p.sensitive)
        .filter_map(|p| p.name.rsplit('.').next().map(str::to_string))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The name of every response field a contract marks sensitive, at any depth.
pub fn sensitive_fields(c: &Contract) -> Vec<String> {
    fn walk(fields: &[Field], out: &mut Vec<String>) {
        for f in fields {
            if f.sensitive {
                out.push(f.name.clone());
            }
            walk(&f.members, out);
        }
    }
    let mut out = Vec::new();
    walk(&c.response.fields, &mut out);
    out.sort();
    out.dedup();
    out
}

/// Whether a flat wire name (`LoginSettings.Password`, `Users.1.Password`) names a
/// sensitive parameter.
pub fn is_sensitive_name(wire: &str, sensitive: &[String]) -> bool {
    wire.rsplit('.')
        .next()
        .is_some_and(|last| sensitive.iter().any(|s| s == last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_secret_gets_the_same_placeholder() {
        let r = Redactor::new(
            "salt",
            vec!["LTAIrealkey".into(), "abc".into()],
            vec![Regex::new(r"user-\d+").unwrap()],
        );
        let p = r.placeholder("LTAIrealkey");
        assert!(is_placeholder(&p));
        assert_eq!(
            r.text("key LTAIrealkey and LTAIrealkey, user-42, abc"),
            format!("key {p} and {p}, {}, abc", r.placeholder("user-42"))
        );
        assert_ne!(
            Redactor::new("other", vec![], vec![]).placeholder("LTAIrealkey"),
            p
        );
        let mut v =
            serde_json::json!({"a": ["LTAIrealkey"], "Password": "hunter22", "n": {"Password": 7}});
        r.value(&mut v);
        r.members(&mut v, &["Password".into()]);
        assert_eq!(v["a"][0], p);
        assert!(is_placeholder(v["Password"].as_str().unwrap()));
        assert!(is_placeholder(v["n"]["Password"].as_str().unwrap()));
        assert!(is_sensitive_name("Users.1.Password", &["Password".into()]));
        assert!(!is_sensitive_name("PasswordInherit", &["Password".into()]));
    }
}
