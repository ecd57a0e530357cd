//! Writes raw HTTP/1.1 requests for the replay benchmark (`run.sh`), each signed on its own,
//! separated by NUL bytes.
//!
//! Usage: gen_requests HOST:PORT COUNT OUT [SCHEME]
//!
//! SCHEME is one of the reference driver's clients (`acs3`, `rpc-get`, `rpc-post`, `roa`,
//! `tc3`, `tc-hmacsha256`, `tc-hmacsha1`), or `mixed` (the default): TC3 and ACS3 alternating.
//! `DISTINCT=N` in the environment writes N distinct requests and repeats them up to COUNT.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

#[path = "signed/mod.rs"]
mod signed;

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
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let requests: Vec<Vec<u8>> = signed::requests(host, &signed::wires(scheme)?, distinct, now)?
        .iter()
        .map(|r| r.to_http1())
        .collect();
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut file = std::io::BufWriter::new(file);
    for i in 0..count {
        file.write_all(&requests[i % distinct])
            .and_then(|()| file.write_all(b"\0"))
            .map_err(|e| format!("{out}: {e}"))?;
    }
    file.flush().map_err(|e| format!("{out}: {e}"))
}
