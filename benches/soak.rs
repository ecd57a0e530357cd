//! The soak benchmark: `docpact serve` under a long run of distinct requests (every scheme,
//! new nonces, new ClientTokens, new unique names) until every bounded structure is full,
//! reporting the server's resident memory as it goes: it must level off once the caps are
//! full. Bounded by REQUESTS (default 1,500,000) and SECONDS (default 150); NONCES lowers the
//! nonce cap (default 200,000) so that it fills within the run; CONNECTIONS (default 8).
//!
//! `cargo build --release && cargo run --release --example soak`

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use docpact::check::{CaseKind, CaseSettings, Wire, generate, render};
use docpact::contract::{ContractSet, Provider};
use docpact::protocol::SignInput;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The valid call of each operation, and the wires that call it.
fn calls(set: &ContractSet) -> Vec<(String, Map<String, Value>, Vec<Wire>)> {
    let generated = generate(
        set,
        CaseSettings {
            client_timeout_ms: 1000,
        },
    );
    generated
        .cases
        .into_iter()
        .filter(|c| c.kind == CaseKind::Example)
        .map(|c| {
            let contract = &set.find(&c.operation).expect("an operation").contract;
            let wires = Wire::ALL
                .iter()
                .map(|(_, w)| *w)
                .filter(|w| w.serves(contract))
                .collect();
            (c.operation, c.calls[0].params.clone(), wires)
        })
        .collect()
}

/// A keep-alive HTTP/1.1 connection (a new TCP connection per request would run out of
/// ports long before the caps fill).
struct Conn(hyper::client::conn::http1::SendRequest<Full<Bytes>>);

impl Conn {
    async fn open(addr: &str) -> Option<Conn> {
        let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .ok()?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Some(Conn(sender))
    }

    async fn send(&mut self, req: &docpact::protocol::HttpRequest) -> Option<u16> {
        let mut b = hyper::Request::builder()
            .method(req.method.as_str())
            .uri(req.target.as_str());
        for (k, v) in &req.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        let request = b.body(Full::new(Bytes::from(req.body.clone()))).ok()?;
        self.0.ready().await.ok()?;
        let res = self.0.send_request(request).await.ok()?;
        let status = res.status().as_u16();
        res.into_body().collect().await.ok()?;
        Some(status)
    }
}

fn main() {
    let requests = env("REQUESTS", 1_500_000);
    let seconds = env("SECONDS", 150);
    let nonces = env("NONCES", 200_000);
    let connections = env("CONNECTIONS", 8);
    let bin = std::env::var("DOCPACT").unwrap_or_else(|_| "target/release/docpact".into());
    let mut server = std::process::Command::new(&bin)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--no-rate-limits",
            "--journal",
            "1000",
        ])
        .args(["--nonces", &nonces.to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{bin} serve: {e} (build it with cargo build --release)"));
    let pid = server.id();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the address");
    let addr = line
        .split("http://")
        .nth(1)
        .expect("an address")
        .trim()
        .to_string();
    let set = ContractSet::builtin().expect("built-in contracts");
    let calls = Arc::new(calls(&set));
    let set = Arc::new(set);
    let sent = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let mut peak = 0;
    println!(
        "soak: {requests} requests at most, {seconds} s at most, nonce cap {nonces}, {connections} connections"
    );
    rt.block_on(async {
        let mut tasks = Vec::new();
        for worker in 0..connections {
            let (calls, set, sent, failed, addr) = (
                calls.clone(),
                set.clone(),
                sent.clone(),
                failed.clone(),
                addr.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut n: u64 = worker;
                let mut conn = None;
                loop {
                    let i = sent.fetch_add(1, Ordering::Relaxed);
                    if i >= requests || Instant::now() > deadline {
                        break;
                    }
                    n += connections;
                    let (op, base, wires) = &calls[(n as usize) % calls.len()];
                    let c = &set.find(op).expect("op").contract;
                    let wire = wires[(n as usize / calls.len()) % wires.len()];
                    let mut params = base.clone();
                    // New tokens and names: the idempotency and unique-name memories fill.
                    if params.contains_key("ClientToken") || c.limits.idempotency.is_some() {
                        params.insert("ClientToken".into(), json!(format!("soak-{n}")));
                    }
                    if params.contains_key("RegistryName") {
                        params.insert("RegistryName".into(), json!(format!("tcr-soak{n}")));
                    }
                    let (key, secret) = match c.provider {
                        Provider::Alibaba => ("testAccessKeyId", "testAccessKeySecret"),
                        Provider::Tencent => ("AKIDtest", "testSecretKey"),
                    };
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs() as i64);
                    let nonce = n.to_string();
                    let sign = SignInput {
                        host: &addr,
                        key_id: key,
                        secret,
                        timestamp: now,
                        nonce: &nonce,
                    };
                    let req = render(c, &params, wire, &sign);
                    if conn.is_none() {
                        conn = Conn::open(&addr).await;
                    }
                    let status = match conn.as_mut() {
                        Some(c) => c.send(&req).await,
                        None => None,
                    };
                    if status.is_none() {
                        conn = None;
                    }
                    if status != Some(200) {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        let mut last = 0;
        while tasks.iter().any(|t| !t.is_finished()) {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let rss = rss_kib(pid);
            peak = peak.max(rss);
            let done = sent.load(Ordering::Relaxed).min(requests);
            println!(
                "{:>5.0} s {:>9} requests ({:>6.0}/s) rss {:>7.1} MB",
                start.elapsed().as_secs_f64(),
                done,
                (done - last) as f64 / 5.0,
                rss as f64 / 1024.0
            );
            last = done;
        }
    });
    let end = rss_kib(pid);
    println!(
        "done: {} requests in {:.0} s, {} not answered 200; rss at the end {:.1} MB, peak {:.1} MB",
        sent.load(Ordering::Relaxed).min(requests),
        start.elapsed().as_secs_f64(),
        failed.load(Ordering::Relaxed),
        end as f64 / 1024.0,
        peak.max(end) as f64 / 1024.0
    );
    let _ = server.kill();
    let _ = server.wait();
}
