//! Signed requests per scheme for the replay benchmarks, rendered by the checker's clients,
//! each with its own nonce (or, for TC3, its own registry name) and so its own signature.

use docpact::check::{CaseKind, CaseSettings, Wire, generate, render};
use docpact::contract::{ContractSet, Provider};
use docpact::protocol::{HttpRequest, SignInput};
use serde_json::{Value, json};

/// The schemes, by the reference driver's client names, plus `mixed` (TC3 and ACS3 alternating).
pub fn wires(scheme: &str) -> Result<Vec<Wire>, String> {
    match scheme {
        "mixed" => Ok(vec![Wire::Tc3, Wire::Acs3]),
        name => Ok(vec![
            Wire::named(name).ok_or_else(|| format!("unknown scheme {name:?}"))?,
        ]),
    }
}

/// `count` distinct requests for `host`, cycling through `wires`, signed at `now` (Unix s).
/// Alibaba RPC schemes call ENS CreateInstance, ROA calls OpenSearch CreateInstance, Tencent
/// schemes call TCR CreateInstance.
pub fn requests(
    host: &str,
    wires: &[Wire],
    count: usize,
    now: i64,
) -> Result<Vec<HttpRequest>, String> {
    let set = ContractSet::builtin().map_err(|e| e.to_string())?;
    let cases = generate(
        &set,
        CaseSettings {
            client_timeout_ms: 5_000,
        },
    );
    let full = std::env::var_os("FULL").is_some_and(|v| v == "1");
    let mut targets = Vec::new();
    for &wire in wires {
        let operation = match wire {
            Wire::Acs3 | Wire::RpcGet | Wire::RpcPost => "alibaba/ens/2017-11-10/CreateInstance",
            Wire::Roa => "alibaba/searchengine/2021-10-25/CreateInstance",
            Wire::Tc3 | Wire::TcHmacSha256 | Wire::TcHmacSha1 => {
                "tencent/tcr/2019-09-24/CreateInstance"
            }
        };
        let loaded = set
            .iter()
            .find(|l| l.id == operation)
            .ok_or_else(|| format!("no built-in contract {operation}"))?;
        // The parameters: a small valid call per provider, as the benchmark has always sent
        // (`FULL=1`: the checker's first valid call, the page's sample or example, 22
        // parameters for ENS).
        let params = match (wire, full) {
            (Wire::Acs3 | Wire::RpcGet | Wire::RpcPost, false) => json!({
                "InstanceType": "ens.se1.tiny", "EnsRegionId": "cn-hangzhou",
                "Period": 1, "Quantity": 1, "InstanceName": "bench"
            }),
            (Wire::Tc3 | Wire::TcHmacSha256 | Wire::TcHmacSha1, false) => json!({
                "RegistryName": "tcr-bench", "RegistryType": "basic", "SyncTag": true
            }),
            _ => {
                let case = cases
                    .cases
                    .iter()
                    .filter(|c| c.operation == operation)
                    .find(|c| matches!(c.kind, CaseKind::Sample | CaseKind::Example))
                    .ok_or_else(|| format!("no valid call of {operation}"))?;
                Value::Object(case.calls[0].params.clone())
            }
        };
        let Value::Object(params) = params else {
            return Err("parameters must be an object".into());
        };
        targets.push((wire, loaded.contract.clone(), params));
    }
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (wire, contract, params) = &targets[i % targets.len()];
        // TC3 carries no nonce: its requests differ by the registry's name.
        let mut params = params.clone();
        if let Some(name) = params.get_mut("RegistryName") {
            *name = format!("tcr-bench-{i}").into();
        }
        // Tencent v1 nonces are integers; the others any text.
        let nonce = if contract.provider == Provider::Tencent {
            (i + 1).to_string()
        } else {
            format!("{i:032x}")
        };
        let (key_id, secret) = match contract.provider {
            Provider::Alibaba => ("testAccessKeyId", "testAccessKeySecret"),
            Provider::Tencent => ("AKIDtest", "testSecretKey"),
        };
        let s = SignInput {
            host,
            key_id,
            secret,
            timestamp: now,
            nonce: &nonce,
        };
        out.push(render(contract, &params, *wire, &s));
    }
    Ok(out)
}

/// A count from the environment, or `default` when the variable is unset.
#[allow(dead_code)]
pub fn env_usize(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(v) => v.parse().map_err(|e| format!("{name}={v:?}: {e}")),
        Err(_) => Ok(default),
    }
}
