//! Verifying a decoded call's signature, key and timestamp; nonce bookkeeping.

use std::collections::{HashMap, VecDeque};

use super::alibaba::{acs3, roa, rpc};
use super::call::{Call, HeaderSignature, Scheme};
use super::credentials::{Credentials, KeyLookup};
use super::encoding::{
    Sha1Key, Sha256Key, content_md5_text, is_utc_date, same, same_hex, sha1_key, sha256_key,
    split_ascii,
};
use super::error::ProviderError;
use super::http::HttpRequest;
use super::tencent::{tc3, v1};
use crate::contract::Provider;

/// How strictly to verify.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions {
    /// The current time, Unix seconds.
    pub now: i64,
    /// Check the signing time against `now`.
    pub check_time: bool,
    /// Alibaba's clock-skew window in seconds (15 minutes).
    pub alibaba_window: i64,
    /// Tencent's clock-skew window in seconds (5 minutes).
    pub tencent_window: i64,
}

impl VerifyOptions {
    /// The providers' windows at time `now`.
    pub fn at(now: i64) -> VerifyOptions {
        VerifyOptions {
            now,
            check_time: true,
            alibaba_window: 15 * 60,
            tencent_window: 5 * 60,
        }
    }
}

/// Checks the key, the signing time and the signature of `call`, which must have been
/// decoded from `req` (its signed pairs are used as they are).
pub fn verify(
    req: &HttpRequest,
    call: &Call,
    creds: &Credentials,
    opts: &VerifyOptions,
) -> Result<(), ProviderError> {
    verify_with(req, call, creds, opts, &mut SigningKeys::new(1))
}

/// [`verify`], keeping TC3's derived signing keys in `keys` between calls.
pub fn verify_with(
    req: &HttpRequest,
    call: &Call,
    creds: &Credentials,
    opts: &VerifyOptions,
    keys: &mut SigningKeys,
) -> Result<(), ProviderError> {
    let secret = match (
        creds.lookup(call.provider, &call.auth.key_id),
        call.provider,
    ) {
        (KeyLookup::Active(s), _) => s.expose(),
        (KeyLookup::Disabled, Provider::Alibaba) => {
            return Err(ProviderError::alibaba_disabled_key());
        }
        (KeyLookup::Unknown, Provider::Alibaba) => return Err(ProviderError::alibaba_unknown_key()),
        (_, Provider::Tencent) => return Err(ProviderError::tencent_unknown_key()),
    };
    if opts.check_time {
        let skew = (opts.now - call.auth.timestamp).abs();
        match call.provider {
            Provider::Alibaba if skew > opts.alibaba_window => {
                return Err(ProviderError::alibaba_expired());
            }
            Provider::Tencent if skew > opts.tencent_window => {
                return Err(ProviderError::tencent_expired());
            }
            _ => {}
        }
    }
    match call.scheme {
        Scheme::RpcV1 => {
            let given = call
                .signed()
                .find(|(k, _)| k == "Signature")
                .map(|(_, v)| v.as_ref())
                .unwrap_or_default();
            let sts = rpc::string_to_sign(&req.method, call.signed());
            let key = keys.sha1([secret.as_bytes(), rpc::KEY_SUFFIX.as_bytes()]);
            if same(&rpc::sign_with(key, &sts), given) {
                Ok(())
            } else {
                Err(ProviderError::alibaba_signature(&sts))
            }
        }
        Scheme::Acs3 => {
            let Some(HeaderSignature::Acs3(auth)) = &call.header_signature else {
                return Err(ProviderError::alibaba_bad_acs3_authorization());
            };
            let sts = acs3::string_to_sign(&acs3::canonical_request(
                req,
                call.signed(),
                &split_ascii(&auth.signed_headers, b';').collect::<Vec<_>>(),
            ));
            let key = keys.sha256([secret.as_bytes(), b""]);
            if same_hex(&acs3::sign_with(key, &sts), &auth.signature) {
                Ok(())
            } else {
                Err(ProviderError::alibaba_signature(&sts))
            }
        }
        Scheme::RoaV1 => {
            let Some(HeaderSignature::Roa(given)) = &call.header_signature else {
                return Err(ProviderError::alibaba_bad_roa_authorization());
            };
            let query = &call.signed_pairs;
            let sts = roa::string_to_sign(req, query);
            // The signature covers Content-MD5, not the body: the body must match it.
            let body_ok = match req.header("content-md5") {
                Some(md5) => md5 == content_md5_text(&req.body).as_str(),
                None => req.body.is_empty(),
            };
            if body_ok
                && same(
                    &roa::sign_with(keys.sha1([secret.as_bytes(), b""]), &sts),
                    given,
                )
            {
                Ok(())
            } else {
                Err(ProviderError::alibaba_signature(&sts))
            }
        }
        Scheme::Tc3 => {
            let Some(HeaderSignature::Tc3(auth)) = &call.header_signature else {
                return Err(ProviderError::tencent_bad_authorization());
            };
            if !is_utc_date(&auth.date, call.auth.timestamp) {
                return Err(ProviderError::tencent_signature());
            }
            let ts = call.auth.timestamp.to_string();
            let host = req.header("host").unwrap_or_default();
            let without_port = host
                .rsplit_once(':')
                .map(|(h, _)| h)
                .filter(|h| !h.ends_with(']') || h.starts_with('['));
            let candidates = [None, without_port];
            let key = keys.get_prepared(&call.auth.key_id, secret, &auth.date, &auth.service);
            let names: Vec<&str> = split_ascii(&auth.signed_headers, b';').collect();
            let ok = candidates.iter().any(|h| {
                let canonical = tc3::canonical_request(req, &names, *h);
                let sts = tc3::string_to_sign(&ts, &auth.date, &auth.service, &canonical);
                same_hex(&tc3::sign_with(key, &sts), &auth.signature)
            });
            if ok {
                Ok(())
            } else {
                Err(ProviderError::tencent_signature())
            }
        }
        Scheme::TcV1 => {
            let get = |n: &str| call.signed().find(|(k, _)| k == n).map(|(_, v)| v.as_ref());
            let method = v1::Method::parse(get("SignatureMethod"))
                .ok_or_else(ProviderError::tencent_signature)?;
            let host = req.header("host").unwrap_or_default();
            let sts = v1::string_to_sign(&req.method, host, req.path(), call.signed());
            let signature = match method {
                v1::Method::HmacSha1 => v1::sign_sha1(keys.sha1([secret.as_bytes(), b""]), &sts),
                v1::Method::HmacSha256 => {
                    v1::sign_sha256(keys.sha256([secret.as_bytes(), b""]), &sts)
                }
            };
            if same(&signature, get("Signature").unwrap_or_default()) {
                Ok(())
            } else {
                Err(ProviderError::tencent_signature())
            }
        }
    }
}

/// Keys a verifier derives from secrets, kept by the caller (the protocol module holds no
/// state of its own): TC3 signing keys derived from (key, date, service), and HMAC keys with
/// their padded blocks already hashed (two compressions a request fewer; TC3's are kept
/// with the key they are derived into). Each list is bounded, and emptied when full.
#[derive(Default)]
pub struct SigningKeys {
    capacity: usize,
    // Few keys are live at once (one per key id and day): a scan beats hashing owned keys.
    keys: Vec<(String, String, String, [u8; 32], Sha256Key)>,
    sha1: Vec<(Box<[u8]>, Sha1Key)>,
    sha256: Vec<(Box<[u8]>, Sha256Key)>,
}

/// Says how many keys are kept, never the keys (they are secrets, or derived from them).
impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeys")
            .field("capacity", &self.capacity)
            .field("tc3", &self.keys.len())
            .field("sha1", &self.sha1.len())
            .field("sha256", &self.sha256.len())
            .finish()
    }
}

/// The entry of `list` for the key `parts` joined, made by `prepare` if there is none.
fn prepared<'a, K>(
    list: &'a mut Vec<(Box<[u8]>, K)>,
    capacity: usize,
    [a, b]: [&[u8]; 2],
    prepare: fn(&[u8]) -> K,
) -> &'a K {
    let at = list
        .iter()
        .position(|(k, _)| k.len() == a.len() + b.len() && k.starts_with(a) && k.ends_with(b));
    let at = match at {
        Some(at) => at,
        None => {
            if list.len() >= capacity {
                list.clear();
            }
            let key: Box<[u8]> = [a, b].concat().into();
            let k = prepare(&key);
            list.push((key, k));
            list.len() - 1
        }
    };
    &list[at].1
}

impl SigningKeys {
    /// A cache of at most `capacity` keys of each kind.
    pub fn new(capacity: usize) -> SigningKeys {
        SigningKeys {
            capacity: capacity.max(1),
            keys: Vec::new(),
            sha1: Vec::new(),
            sha256: Vec::new(),
        }
    }

    /// The HMAC-SHA1 key made of `parts` joined, prepared.
    pub fn sha1(&mut self, parts: [&[u8]; 2]) -> &Sha1Key {
        prepared(&mut self.sha1, self.capacity, parts, sha1_key)
    }

    /// The HMAC-SHA256 key made of `parts` joined, prepared.
    pub fn sha256(&mut self, parts: [&[u8]; 2]) -> &Sha256Key {
        prepared(&mut self.sha256, self.capacity, parts, sha256_key)
    }

    /// The signing key for `key_id` (whose secret is `secret`) on `date` for `service`.
    pub fn get(&mut self, key_id: &str, secret: &str, date: &str, service: &str) -> [u8; 32] {
        let at = self.tc3(key_id, secret, date, service);
        self.keys[at].3
    }

    /// [`SigningKeys::get`], prepared as an HMAC-SHA256 key.
    pub fn get_prepared(
        &mut self,
        key_id: &str,
        secret: &str,
        date: &str,
        service: &str,
    ) -> &Sha256Key {
        let at = self.tc3(key_id, secret, date, service);
        &self.keys[at].4
    }

    /// Where the TC3 key for (`key_id`, `date`, `service`) is, derived if it was not kept.
    fn tc3(&mut self, key_id: &str, secret: &str, date: &str, service: &str) -> usize {
        if let Some(at) = self
            .keys
            .iter()
            .position(|(i, d, s, _, _)| i == key_id && d == date && s == service)
        {
            return at;
        }
        if self.keys.len() >= self.capacity {
            self.keys.clear();
        }
        let k = tc3::signing_key(secret, date, service);
        self.keys.push((
            key_id.to_string(),
            date.to_string(),
            service.to_string(),
            k,
            sha256_key(&k),
        ));
        self.keys.len() - 1
    }
}

/// Remembers nonces for a window, bounded in count and so in bytes: it keeps a 128-bit
/// digest of each key and nonce, never the nonce itself (a client decides its length), about
/// 80 bytes an entry. The caller owns it (the protocol module holds no state of its own).
#[derive(Debug)]
pub struct NonceLedger {
    window: i64,
    capacity: usize,
    seen: HashMap<[u8; 16], i64>,
    order: VecDeque<([u8; 16], i64)>,
}

/// The ledger's key of a nonce: the first 128 bits of SHA-256 over the key id and nonce.
fn nonce_digest(key_id: &str, nonce: &str) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(key_id.as_bytes());
    h.update([0]);
    h.update(nonce.as_bytes());
    let full = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

impl NonceLedger {
    /// A ledger keeping nonces for `window` seconds, at most `capacity` of them.
    pub fn new(window: i64, capacity: usize) -> NonceLedger {
        NonceLedger {
            window,
            capacity: capacity.max(1),
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Records `nonce` for `key_id`; false when it was already used within the window.
    pub fn check_and_record(&mut self, key_id: &str, nonce: &str, now: i64) -> bool {
        while let Some((k, t)) = self.order.front() {
            if now - *t > self.window || self.order.len() >= self.capacity {
                if self.seen.get(k) == Some(t) {
                    self.seen.remove(k);
                }
                self.order.pop_front();
            } else {
                break;
            }
        }
        let key = nonce_digest(key_id, nonce);
        if self.seen.contains_key(&key) {
            return false;
        }
        self.seen.insert(key, now);
        self.order.push_back((key, now));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::credentials::{
        TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, TEST_SECRET_ID, TEST_SECRET_KEY,
    };
    use crate::protocol::{SignInput, decode};

    /// Every signed form of a request with a business parameter `Name=alpha` and a region,
    /// by the schemes that sign pairs (the ones whose pairs decoding moves apart).
    fn signed_requests() -> Vec<(&'static str, HttpRequest)> {
        const T: i64 = 1_795_373_698;
        let params = vec![
            ("Name".to_string(), "alpha".to_string()),
            ("RegionId".to_string(), "cn-hangzhou".to_string()),
        ];
        let ali = SignInput {
            host: "127.0.0.1:1",
            key_id: TEST_ACCESS_KEY_ID,
            secret: TEST_ACCESS_KEY_SECRET,
            timestamp: T,
            nonce: "n-1",
        };
        let tc = SignInput {
            key_id: TEST_SECRET_ID,
            secret: TEST_SECRET_KEY,
            nonce: "12345",
            ..ali
        };
        let tc_params = vec![("Name".to_string(), "alpha".to_string())];
        vec![
            (
                "rpc get",
                rpc::build("GET", "CreateInstance", "2017-11-10", &params, false, &ali),
            ),
            (
                "rpc post",
                rpc::build("POST", "CreateInstance", "2017-11-10", &params, true, &ali),
            ),
            (
                "acs3 query",
                acs3::build(
                    "POST",
                    "/",
                    "CreateInstance",
                    "2017-11-10",
                    &params,
                    None,
                    &ali,
                ),
            ),
            (
                "tencent v1",
                v1::build(
                    "CreateInstance",
                    "2019-09-24",
                    "ap-guangzhou",
                    &tc_params,
                    v1::Method::HmacSha256,
                    &tc,
                ),
            ),
        ]
    }

    #[test]
    fn every_pair_stays_signed_once_decoding_moves_the_pairs_apart() {
        let creds = Credentials::test();
        let opts = VerifyOptions::at(1_795_373_698);
        for (scheme, req) in signed_requests() {
            let call = decode(&req).unwrap();
            assert!(call.params_signed, "{scheme}");
            assert_eq!(verify(&req, &call, &creds, &opts), Ok(()), "{scheme}");
            // The same request with one value changed after signing: a business parameter,
            // then a common one.
            for (from, to) in [
                ("alpha", "alphb"),
                ("cn-hangzhou", "cn-beijing"),
                ("ap-guangzhou", "ap-beijing"),
            ] {
                let mut changed = req.clone();
                changed.target = changed.target.replace(from, to);
                let body = String::from_utf8(changed.body.clone())
                    .unwrap()
                    .replace(from, to);
                changed.body = body.into_bytes();
                if changed == req {
                    continue;
                }
                let call = decode(&changed).unwrap();
                assert!(
                    verify(&changed, &call, &creds, &opts).is_err(),
                    "{scheme}: {from}"
                );
            }
        }
    }

    #[test]
    fn signing_keys_are_kept_per_key_date_and_service_and_bounded() {
        let mut keys = SigningKeys::new(2);
        let a = keys.get("AKIDtest", "s", "2026-11-22", "tcr");
        assert_eq!(a, tc3::signing_key("s", "2026-11-22", "tcr"));
        assert_eq!(keys.get("AKIDtest", "s", "2026-11-22", "tcr"), a);
        assert_ne!(keys.get("AKIDtest", "s", "2026-11-23", "tcr"), a);
        assert_ne!(keys.get("AKIDtest", "s", "2026-11-22", "127"), a);
        assert!(keys.keys.len() <= 2);
        // Debug output counts keys and shows none.
        assert_eq!(
            format!("{keys:?}"),
            format!(
                "SigningKeys {{ capacity: 2, tc3: {}, sha1: 0, sha256: 0 }}",
                keys.keys.len()
            )
        );
    }

    #[test]
    fn prepared_hmac_keys_sign_as_the_secret_does_and_stay_bounded() {
        use crate::protocol::encoding::{hmac_sha1, hmac_sha1_with, hmac_sha256, hmac_sha256_with};
        let mut keys = SigningKeys::new(2);
        // A key split anywhere is the same key; keys of 64 bytes and more are hashed first.
        for secret in [
            "s",
            "testAccessKeySecret",
            &"k".repeat(64),
            &"k".repeat(100),
        ] {
            let joined = format!("{secret}&");
            for at in [0, 1, joined.len()] {
                let (a, b) = joined.split_at(at);
                let parts = [a.as_bytes(), b.as_bytes()];
                assert_eq!(
                    hmac_sha1_with(keys.sha1(parts), b"message"),
                    hmac_sha1(joined.as_bytes(), b"message")
                );
                assert_eq!(
                    hmac_sha256_with(keys.sha256(parts), b"message"),
                    hmac_sha256(joined.as_bytes(), b"message")
                );
            }
            assert!(keys.sha1.len() <= 2 && keys.sha256.len() <= 2);
        }
        // Joined parts are compared whole: `ab` + `` is not `a` + `bc`.
        let ab = hmac_sha1_with(keys.sha1([b"ab", b""]), b"m");
        assert_ne!(hmac_sha1_with(keys.sha1([b"a", b"bc"]), b"m"), ab);
        assert_eq!(hmac_sha1_with(keys.sha1([b"a", b"b"]), b"m"), ab);
    }

    #[test]
    fn nonce_ledger_forgets_after_the_window_and_stays_bounded() {
        let mut l = NonceLedger::new(900, 3);
        assert!(l.check_and_record("ak", "n1", 0));
        assert!(!l.check_and_record("ak", "n1", 10));
        assert!(l.check_and_record("other", "n1", 10));
        assert!(l.check_and_record("ak", "n1", 1000));
        for i in 0..100 {
            assert!(l.check_and_record("ak", &format!("x{i}"), 1000));
        }
        assert!(l.seen.len() <= 3);
    }
}
