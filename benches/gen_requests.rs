//! Writes raw HTTP/1.1 requests for the replay benchmark, each signed on its own (a distinct
//! nonce, so a distinct signature), separated by NUL bytes. The parameters are the page's sample
//! request of the operation the scheme calls, rendered by the checker's clients.
//!
//! Usage: gen_requests HOST:PORT COUNT OUT [SCHEME]
//!
//! SCHEME is one of the reference driver's clients (`acs3`, `rpc-get`, `rpc-post`, `roa`,
//! `tc3`, `tc-hmacsha256`, `tc-hmacsha1`), or `mixed` (the default): TC3 and ACS3 alternating.
//! Alibaba RPC schemes call ENS CreateInstance, ROA calls OpenSearch CreateInstance, Tencent
//! schemes call TCR CreateInstance. `DISTINCT=N` in the environment writes N distinct requests
//! and repeats them up to COUNT.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use docpact::check::{CaseKind, CaseSettings, Wire, generate, render};
use docpact::contract::{ContractSet, Provider};
use docpact::protocol::SignInput;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen_requests: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let (host, count, out, scheme) = match args.as_slice() {
        [_, host, count, out] => (host, count, out, "mixed"),
        [_, host, count, out, scheme] => (host, count, out, scheme.as_str()),
        _ => return Err("usage: gen_requests HOST:PORT COUNT OUT [SCHEME]".into()),
    };
    let count: usize = count.parse().map_err(|e| format!("COUNT {count:?}: {e}"))?;
    let distinct = match std::env::var("DISTINCT") {
        Ok(n) => n
            .parse::<usize>()
            .map_err(|e| format!("DISTINCT {n:?}: {e}"))?
            .clamp(1, count.max(1)),
        Err(_) => count,
    };
    let wires: Vec<Wire> = match scheme {
        "mixed" => vec![Wire::Tc3, Wire::Acs3],
        name => vec![Wire::named(name).ok_or_else(|| format!("unknown scheme {name:?}"))?],
    };
    let set = ContractSet::builtin().map_err(|e| e.to_string())?;
    let cases = generate(
        &set,
        CaseSettings {
            client_timeout_ms: 5_000,
        },
    );
    // Per wire: the contract it calls and the page's sample parameters.
    let mut targets = Vec::new();
    for &wire in &wires {
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
        let case = cases
            .cases
            .iter()
            .filter(|c| c.operation == operation)
            .find(|c| matches!(c.kind, CaseKind::Sample | CaseKind::Example))
            .ok_or_else(|| format!("no valid call of {operation}"))?;
        let params = case.calls[0].params.clone();
        targets.push((wire, &loaded.contract, params));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let mut requests = Vec::with_capacity(distinct);
    for i in 0..distinct {
        let (wire, contract, params) = &targets[i % targets.len()];
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
        requests.push(render(contract, params, *wire, &s).to_http1());
    }
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut file = std::io::BufWriter::new(file);
    for i in 0..count {
        file.write_all(&requests[i % distinct])
            .and_then(|()| file.write_all(b"\0"))
            .map_err(|e| format!("{out}: {e}"))?;
    }
    file.flush().map_err(|e| format!("{out}: {e}"))
}
