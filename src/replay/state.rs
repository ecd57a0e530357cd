//! The server's state and configuration.

use std::collections::{HashMap, VecDeque};

use super::capture::{Capture, Exchange};
use super::journal::Journal;
use super::rng::Rng;
use crate::cassette::Library;
use crate::contract::ContractSet;
use crate::protocol::{Credentials, NonceLedger, SigningKeys};

/// What the server checks; each check can be switched off.
#[derive(Debug, Clone)]
pub struct Config {
    /// Verify signatures (off: any signature passes, keys are still looked up).
    pub verify_signatures: bool,
    /// Accept unsigned requests (no key, signature, timestamp or nonce checks), as tools
    /// that send what an OpenAPI description says do; the rest of the decision order stays.
    pub no_auth: bool,
    /// Check signing times against the clock.
    pub check_time: bool,
    /// Refuse reused nonces.
    pub check_nonces: bool,
    /// Answer repeated ClientTokens with the first answer.
    pub idempotency: bool,
    /// Refuse names already taken.
    pub unique_names: bool,
    /// Enforce documented rate limits.
    pub rate_limits: bool,
    /// How many interactions the journal keeps.
    pub journal_capacity: usize,
    /// How many whole exchanges (bodies included) to keep for the checker; 0 keeps none.
    pub capture: usize,
    /// How many nonces to remember (for the providers' 15-minute window) at most.
    pub nonces: usize,
    /// The seed of generated IDs and RequestIds: the same answers in the same order under one
    /// seed (and again after a reset); random when `None`.
    pub seed: Option<u64>,
    /// The accepted keys.
    pub credentials: Credentials,
    /// How long a request head may take to arrive, milliseconds, counted from the
    /// connection's start or its last answer (so also how long a connection may stay idle),
    /// and how long a TLS handshake may take.
    pub header_timeout_ms: u64,
    /// How long a whole request body may take to arrive, milliseconds.
    pub body_timeout_ms: u64,
    /// How many bytes all request bodies being received may hold together.
    pub body_budget: usize,
    /// With cassettes loaded: a request no interaction matches fails with a near-miss report
    /// instead of falling back to the contract.
    pub strict_cassettes: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            verify_signatures: true,
            no_auth: false,
            check_time: true,
            check_nonces: true,
            idempotency: true,
            unique_names: true,
            rate_limits: true,
            journal_capacity: 1000,
            capture: 0,
            nonces: 1 << 20,
            seed: None,
            credentials: Credentials::test(),
            strict_cassettes: false,
            header_timeout_ms: u64::try_from(super::server::HEADER_TIMEOUT.as_millis())
                .unwrap_or(u64::MAX),
            body_timeout_ms: 30_000,
            body_budget: 256 * 1024 * 1024,
        }
    }
}

/// How many ClientTokens, and how many unique names, the server remembers at most.
pub const MAX_REMEMBERED: usize = 100_000;

/// How many outcomes can wait in the queues at once (all operations together).
pub const MAX_QUEUED: usize = 10_000;

/// A queued outcome for an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Answer with this documented (or common) error code.
    Error(String),
    /// Answer normally, after a delay.
    Delay(u64),
    /// Close the connection without answering.
    Reset,
    /// Answer the provider's server error with this HTTP status (500 or 503).
    Status(u16),
    /// Answer the provider's throttling error.
    Throttle,
}

/// A first answer to a ClientToken: a digest of the request and the answer's fields as JSON
/// text (a fraction of the memory of a map of values).
pub(crate) type Remembered = ([u8; 16], Box<str>);

/// The first 128 bits of SHA-256 over `parts` (each followed by a zero byte): how the server
/// keys what clients decide the size of (tokens, names, request fingerprints).
pub(crate) fn digest(parts: &[&str]) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let full = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// A map bounded in count whose keys are digests, so bounded in bytes too: past the bound
/// the oldest entry goes.
#[derive(Debug)]
pub(crate) struct Memory<V> {
    capacity: usize,
    map: HashMap<[u8; 16], V>,
    order: VecDeque<[u8; 16]>,
}

impl<V> Memory<V> {
    pub(crate) fn new(capacity: usize) -> Memory<V> {
        Memory {
            capacity: capacity.max(1),
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub(crate) fn get(&self, key: &[u8; 16]) -> Option<&V> {
        self.map.get(key)
    }

    pub(crate) fn insert(&mut self, key: [u8; 16], value: V) {
        if self.map.insert(key, value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Everything the server remembers between requests.
#[derive(Debug)]
pub struct State {
    pub(crate) contracts: ContractSet,
    pub(crate) config: Config,
    pub(crate) rng: Rng,
    pub(crate) nonces: NonceLedger,
    pub(crate) signing_keys: SigningKeys,
    /// digest(operation, key id, token) → (digest of the request, answer fields).
    pub(crate) tokens: Memory<Remembered>,
    /// (operation, parameter, value) of created resources.
    pub(crate) names: Memory<()>,
    /// (operation, scope key) → (second, count).
    pub(crate) rates: HashMap<(String, String), (i64, u32)>,
    pub(crate) forced: HashMap<String, VecDeque<Outcome>>,
    pub(crate) journal: Journal,
    pub(crate) capture: Option<Capture>,
    /// Recorded interactions that answer ahead of the contract.
    pub(crate) cassettes: Option<Library>,
}

impl State {
    /// A fresh state over a contract set.
    pub fn new(contracts: ContractSet, config: Config) -> State {
        State {
            rng: config.seed.map_or_else(Rng::from_entropy, Rng::new),
            nonces: NonceLedger::new(15 * 60, config.nonces),
            signing_keys: SigningKeys::new(64),
            journal: Journal::new(config.journal_capacity),
            capture: (config.capture > 0).then(|| Capture::new(config.capture)),
            contracts,
            config,
            tokens: Memory::new(MAX_REMEMBERED),
            names: Memory::new(MAX_REMEMBERED),
            rates: HashMap::new(),
            forced: HashMap::new(),
            cassettes: None,
        }
    }

    /// Replays `library` ahead of the contracts (replacing any loaded before).
    pub fn set_cassettes(&mut self, library: Library) {
        self.cassettes = Some(library);
    }

    /// Recorded interactions loaded but never used since the start (or the last reset).
    pub fn unused_interactions(&self) -> Vec<String> {
        self.cassettes
            .as_ref()
            .map(Library::unused)
            .unwrap_or_default()
    }

    /// Forgets tokens, names, rate counters, nonces, queued outcomes and the journal.
    pub fn reset(&mut self) {
        self.rng = self.config.seed.map_or_else(Rng::from_entropy, Rng::new);
        self.nonces = NonceLedger::new(15 * 60, self.config.nonces);
        self.tokens.clear();
        self.names.clear();
        self.rates.clear();
        self.forced.clear();
        self.journal.clear();
        if let Some(l) = &mut self.cassettes {
            l.reset_uses();
        }
        if let Some(c) = &mut self.capture {
            c.clear();
        }
    }

    /// Forgets all state, and generates from `seed` until the next reset.
    pub fn reset_with_seed(&mut self, seed: u64) {
        self.reset();
        self.rng = Rng::new(seed);
    }

    /// The captured exchanges (none unless [`Config::capture`] is set), and how many were
    /// dropped since the last reset to stay within the capture's bounds.
    pub fn exchanges(&self) -> (Vec<Exchange>, u64) {
        self.capture.as_ref().map_or((Vec::new(), 0), |c| {
            (c.exchanges().cloned().collect(), c.dropped())
        })
    }

    /// The contracts served.
    pub fn contracts(&self) -> &ContractSet {
        &self.contracts
    }

    /// The journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// How many outcomes are queued, over all operations.
    pub fn queued(&self) -> usize {
        self.forced.values().map(VecDeque::len).sum()
    }

    /// Queues an outcome for the next call of `operation` (an operation id); false when
    /// [`MAX_QUEUED`] are waiting already.
    pub fn force(&mut self, operation: &str, outcome: Outcome) -> bool {
        if self.queued() >= MAX_QUEUED {
            return false;
        }
        self.forced
            .entry(operation.to_string())
            .or_default()
            .push_back(outcome);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memories_forget_their_oldest_entry_past_the_bound() {
        let mut m = Memory::new(2);
        m.insert(digest(&["a"]), 1);
        m.insert(digest(&["b"]), 2);
        m.insert(digest(&["a"]), 3);
        assert_eq!(m.len(), 2, "a key inserted again is one entry");
        m.insert(digest(&["c"]), 4);
        assert_eq!(m.len(), 2);
        assert!(m.get(&digest(&["a"])).is_none(), "the oldest went");
        assert_eq!(m.get(&digest(&["c"])), Some(&4));
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
    }
}
