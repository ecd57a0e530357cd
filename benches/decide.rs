//! The replay core alone, in process: how long `respond` takes per request and scheme, with
//! the settings of the replay benchmark (`run.sh`: signature verification and validation on;
//! rate limits, unique names and nonce checks off). No sockets, no hyper: what is left of a
//! request's cost once the network is taken away.
//!
//! Usage: cargo run --release --example decide [SCHEME...]   (ROUNDS=5, COUNT=5000)

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use docpact::contract::ContractSet;
use docpact::replay::{Config, Env, State, respond};

#[path = "signed/mod.rs"]
mod signed;

// The allocator of the docpact binary.
#[global_allocator]
static GLOBAL: docpact::alloc::Allocator = docpact::alloc::Allocator;

const SCHEMES: [&str; 7] = [
    "acs3",
    "rpc-get",
    "rpc-post",
    "roa",
    "tc3",
    "tc-hmacsha256",
    "tc-hmacsha1",
];

fn main() {
    if let Err(e) = run() {
        eprintln!("decide: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let rounds = signed::env_usize("ROUNDS", 5)?.max(1);
    let count = signed::env_usize("COUNT", 5000)?.max(1);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let schemes: Vec<&str> = if args.is_empty() {
        SCHEMES.to_vec()
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
    println!("{count} distinct requests per scheme, median of {rounds} rounds");
    for scheme in schemes {
        let requests = signed::requests(
            "127.0.0.1:8080",
            &signed::wires(scheme)?,
            count,
            now_ms / 1000,
        )?;
        let config = Config {
            rate_limits: false,
            unique_names: false,
            check_nonces: false,
            journal_capacity: 1000,
            ..Config::default()
        };
        let mut state = State::new(ContractSet::builtin().map_err(|e| e.to_string())?, config);
        let mut per_request = Vec::with_capacity(rounds);
        for _ in 0..=rounds {
            let t0 = Instant::now();
            for req in &requests {
                let d = respond(&mut state, req, &env);
                if d.response.status != 200 {
                    return Err(format!(
                        "{scheme}: answered {} ({})",
                        d.response.status,
                        String::from_utf8_lossy(&d.response.body)
                    ));
                }
            }
            per_request.push(t0.elapsed().as_nanos() as f64 / count as f64);
        }
        // The first pass warms caches and is left out.
        let mut timed = per_request.split_off(1);
        timed.sort_by(f64::total_cmp);
        println!(
            "{scheme:<14} {:>7.2} us per request (min {:.2}, max {:.2})",
            timed[timed.len() / 2] / 1000.0,
            timed[0] / 1000.0,
            timed[timed.len() - 1] / 1000.0
        );
    }
    Ok(())
}
