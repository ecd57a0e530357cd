//! The replay core alone, in process: how long `respond` takes per request and scheme, with
//! the settings of the replay benchmark (`run.sh`: signature verification and validation on;
//! rate limits, unique names and nonce checks off). No sockets, no hyper: what is left of a
//! request's cost once the network is taken away.
//!
//! Each row also splits the time into steps, each timed over the same requests on its own:
//! decoding the request (`protocol::decode`), checking its signature (`verify_with` on the
//! decoded call, as the server does it) and the rest (`respond` less the two: routing,
//! validation, state, the answer and the journal).
//!
//! Usage: cargo run --release --example decide [SCHEME...]   (ROUNDS=5, COUNT=5000; STEPS=0
//! times `respond` alone, as `instructions.sh` counts it)

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use docpact::contract::ContractSet;
use docpact::protocol::{Credentials, SigningKeys, VerifyOptions, decode, verify_with};
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
    let steps = signed::env_usize("STEPS", 1)? > 0;
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
        let creds = Credentials::test();
        let opts = VerifyOptions::at(now_ms / 1000);
        let mut keys = SigningKeys::new(64);
        let (mut whole, mut decoding, mut checking) = (Vec::new(), Vec::new(), Vec::new());
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
            whole.push(per_request(t0, count));
            if !steps {
                continue;
            }
            let t0 = Instant::now();
            let calls = requests
                .iter()
                .map(decode)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{scheme}: {} ({})", e.code, e.message))?;
            decoding.push(per_request(t0, count));
            let t0 = Instant::now();
            for (req, call) in requests.iter().zip(&calls) {
                verify_with(req, call, &creds, &opts, &mut keys)
                    .map_err(|e| format!("{scheme}: {} ({})", e.code, e.message))?;
            }
            checking.push(per_request(t0, count));
        }
        let whole = spread(whole);
        let line = format!(
            "{scheme:<14} {:>7.2} us per request (min {:.2}, max {:.2})",
            whole.1 / 1000.0,
            whole.0 / 1000.0,
            whole.2 / 1000.0
        );
        if !steps {
            println!("{line}");
            continue;
        }
        let (decoding, checking) = (spread(decoding), spread(checking));
        println!(
            "{line}: decode {:.2}, verify {:.2}, the rest {:.2}",
            decoding.1 / 1000.0,
            checking.1 / 1000.0,
            (whole.1 - decoding.1 - checking.1).max(0.0) / 1000.0
        );
    }
    Ok(())
}

/// Nanoseconds per request of a pass over `count` requests that started at `t0`.
fn per_request(t0: Instant, count: usize) -> f64 {
    t0.elapsed().as_nanos() as f64 / count as f64
}

/// The lowest, median and highest of the timed passes; the first pass warms caches and is
/// left out.
fn spread(mut passes: Vec<f64>) -> (f64, f64, f64) {
    let mut timed = passes.split_off(1);
    timed.sort_by(f64::total_cmp);
    (timed[0], timed[timed.len() / 2], timed[timed.len() - 1])
}
