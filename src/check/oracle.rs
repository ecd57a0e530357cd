//! What the replay server answers a set of parameters: the same core, on a private state,
//! fed a request that docpact's own signer built. Cases learn their expected outcome here.

use serde_json::{Map, Value};

use super::render::{Wire, render};
use crate::contract::{Contract, ContractSet, Provider};
use crate::protocol::{
    SignInput, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, TEST_SECRET_ID, TEST_SECRET_KEY,
};
use crate::replay::{Config, Env, State, respond};

/// The server's verdict on a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The HTTP status.
    pub status: u16,
    /// The error code, when the call was refused.
    pub code: Option<String>,
    /// Why, when a parameter was at fault.
    pub detail: Option<String>,
}

/// The error code and message of an answer body, in either provider's envelope.
pub fn error_of(provider: Provider, status: u16, body: &[u8]) -> Option<(String, String)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let e = match provider {
        Provider::Tencent => v.get("Response")?.get("Error")?,
        Provider::Alibaba if status >= 300 => &v,
        Provider::Alibaba => return None,
    };
    Some((
        e.get("Code")?.as_str()?.to_string(),
        e.get("Message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    ))
}

/// A private replay core that answers calls without a network.
#[derive(Debug)]
pub struct Oracle {
    state: State,
    nonce: u64,
}

impl Oracle {
    /// An oracle over `set`, with the checks that depend on earlier calls switched off.
    pub fn new(set: &ContractSet) -> Oracle {
        let config = Config {
            check_nonces: false,
            idempotency: false,
            unique_names: false,
            rate_limits: false,
            journal_capacity: 1,
            ..Config::default()
        };
        Oracle {
            state: State::new(set.clone(), config),
            nonce: 0,
        }
    }

    /// The server's verdict on `params` sent to `c`.
    pub fn verdict(&mut self, c: &Contract, params: &Map<String, Value>) -> Verdict {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        self.nonce += 1;
        let nonce = format!("oracle{}", self.nonce);
        let (key_id, secret) = match c.provider {
            Provider::Alibaba => (TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET),
            Provider::Tencent => (TEST_SECRET_ID, TEST_SECRET_KEY),
        };
        let sign = SignInput {
            host: "127.0.0.1:1",
            key_id,
            secret,
            timestamp: now,
            nonce: &nonce,
        };
        let req = render(c, params, Wire::default_for(c), &sign);
        let env = Env {
            now_ms: now * 1000,
            peer_loopback: true,
        };
        let d = respond(&mut self.state, &req, &env);
        let detail = self
            .state
            .journal()
            .entries()
            .last()
            .and_then(|e| e.detail.clone());
        Verdict {
            status: d.response.status,
            code: error_of(c.provider, d.response.status, &d.response.body).map(|(c, _)| c),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::params::{Fill, build};

    #[test]
    fn built_parameters_are_accepted_and_a_missing_one_is_refused() {
        let set = ContractSet::builtin().unwrap();
        let mut oracle = Oracle::new(&set);
        let tcr = &set.find("tcr/2019-09-24/CreateInstance").unwrap().contract;
        let mut p = build(tcr, Fill::Every);
        let v = oracle.verdict(tcr, &p);
        assert_eq!(v.code, None, "{p:?}: {v:?}");
        p.remove("RegistryName");
        let v = oracle.verdict(tcr, &p);
        assert_eq!(v.code.as_deref(), Some("MissingParameter"), "{v:?}");
    }
}
