//! Cassette replay against contract-only replay, in process: requests that each match an
//! interaction of a cassette of COUNT (10,000) interactions, answered by the core with and
//! without the cassette loaded. Settings as the replay benchmark (signature verification on;
//! nonce, unique-name and rate checks off). In process, the comparison is stricter than over
//! sockets: the kernel's share of each request, equal for both, is left out.
//!
//! Usage: cargo run --release --example cassette [SCHEME...]   (ROUNDS=7, COUNT=10000)
//! With WRITE=FILE: writes the cassette of the first scheme's COUNT requests and stops (for
//! `COMPARE=cassette bash benches/run.sh`, which replays it over sockets).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use docpact::cassette::{
    Body, Cassette, FORMAT_VERSION, Interaction, Library, RecordedRequest, RecordedResponse,
};
use docpact::contract::ContractSet;
use docpact::protocol::{HttpRequest, decode};
use docpact::replay::{Config, Env, State, respond, route_call};
use serde_json::json;

#[path = "signed/mod.rs"]
mod signed;

#[global_allocator]
static GLOBAL: docpact::alloc::Allocator = docpact::alloc::Allocator;

fn main() {
    if let Err(e) = run() {
        eprintln!("cassette: {e}");
        std::process::exit(2);
    }
}

/// A cassette holding one interaction per request, marked so that its answers are known.
fn cassette_for(set: &ContractSet, requests: &[HttpRequest]) -> Result<Cassette, String> {
    let mut interactions = Vec::with_capacity(requests.len());
    for (i, req) in requests.iter().enumerate() {
        let call = decode(req).map_err(|e| e.message.clone())?;
        let (base, profile) = route_call(set, &call).map_err(|e| e.message.clone())?;
        let operation = profile.map_or(&base.id, |p| &p.id).clone();
        let body = json!({"Response": {"RequestId": format!("rec-{i}"), "FromCassette": true}});
        interactions.push(Interaction {
            operation,
            recorded_at: "2026-12-02T00:00:00Z".into(),
            request: RecordedRequest::from_call(&call),
            response: RecordedResponse {
                status: 200,
                headers: BTreeMap::from([("content-type".into(), "application/json".into())]),
                body: Body::Json(body),
            },
        });
    }
    Ok(Cassette {
        format_version: FORMAT_VERSION,
        salt: "00".into(),
        interactions,
    })
}

fn run() -> Result<(), String> {
    let rounds = signed::env_usize("ROUNDS", 7)?.max(1);
    let count = signed::env_usize("COUNT", 10_000)?.max(1);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let schemes: Vec<&str> = if args.is_empty() {
        vec!["tc3", "acs3", "rpc-get"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let env = Env {
        now_ms,
        peer_loopback: true,
    };
    let set = ContractSet::builtin().map_err(|e| e.to_string())?;
    let requests_of = |scheme: &str| {
        signed::requests(
            "127.0.0.1:8080",
            &signed::wires(scheme)?,
            count,
            now_ms / 1000,
        )
    };
    if let Ok(path) = std::env::var("WRITE") {
        let scheme = schemes
            .first()
            .ok_or("name a scheme to write the cassette of")?;
        let cassette = cassette_for(&set, &requests_of(scheme)?)?;
        return docpact::cassette::save(std::path::Path::new(&path), &cassette)
            .map_err(|e| e.to_string());
    }
    println!(
        "{count} requests per scheme, each matching one of {count} recorded interactions; median of {rounds} rounds"
    );
    for scheme in schemes {
        let requests = requests_of(scheme)?;
        let config = Config {
            rate_limits: false,
            unique_names: false,
            check_nonces: false,
            idempotency: false,
            journal_capacity: 1000,
            ..Config::default()
        };
        let cassette = cassette_for(&set, &requests)?;
        let mut plain = State::new(set.clone(), config.clone());
        let mut replaying = State::new(set.clone(), config);
        replaying.set_cassettes({
            let mut lib = Library::default();
            lib.add(PathBuf::from("bench.json"), cassette);
            lib
        });
        let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for round in 0..=rounds {
            for (which, state) in [&mut plain, &mut replaying].into_iter().enumerate() {
                state.reset();
                let t0 = Instant::now();
                for req in &requests {
                    let d = respond(state, req, &env);
                    if d.response.status != 200 {
                        return Err(format!(
                            "{scheme}: answered {} ({})",
                            d.response.status,
                            String::from_utf8_lossy(&d.response.body)
                        ));
                    }
                    let from_cassette = d.response.body.windows(12).any(|w| w == b"FromCassette");
                    if from_cassette != (which == 1) {
                        return Err(format!("{scheme}: a request was not answered as intended"));
                    }
                }
                // The first round warms caches and is left out.
                if round > 0 {
                    times[which].push(t0.elapsed().as_nanos() as f64 / count as f64);
                }
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (p, c) = (median(&mut times[0]), median(&mut times[1]));
        println!(
            "{scheme:<8} contract only {:>6.2} us, cassette {:>6.2} us per request: cassette replay at {:.0}% of contract-only throughput",
            p / 1000.0,
            c / 1000.0,
            100.0 * p / c
        );
    }
    Ok(())
}
