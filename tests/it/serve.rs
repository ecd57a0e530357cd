//! `docpact serve` as a process, and the server under garbage.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use docpact::Replay;
use docpact::protocol::SignInput;
use docpact::protocol::tencent::tc3;

use crate::support::{docpact, run};

/// A connection to `addr` whose reads give up after `wait`.
fn connect(addr: &str, wait: Duration) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(wait)).unwrap();
    s
}

fn http(addr: &str, raw: &[u8]) -> String {
    let mut s = connect(addr, Duration::from_secs(15));
    let _ = s.write_all(raw);
    let _ = s.shutdown(Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn valid_tcr(host: &str, name: &str) -> Vec<u8> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = format!(r#"{{"RegistryName":"{name}","RegistryType":"basic"}}"#);
    let s = SignInput {
        host,
        key_id: "AKIDtest",
        secret: "testSecretKey",
        timestamp: now,
        nonce: "",
    };
    let req = tc3::build(
        "tcr",
        "CreateInstance",
        "2019-09-24",
        "ap-guangzhou",
        body.as_bytes(),
        &s,
    );
    req.with_header("Connection", "close").to_http1()
}

/// `docpact serve` on a free loopback port, and the address it printed.
fn serve_process() -> (std::process::Child, String) {
    let mut child = docpact()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .expect("an address is printed")
        .trim()
        .to_string();
    (child, addr)
}

#[test]
fn serve_prints_its_address_answers_and_stops_on_sigterm() {
    let (mut child, addr) = serve_process();
    let health = http(
        &addr,
        b"GET /__docpact/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        health.starts_with("HTTP/1.1 200"),
        "{health:?} from {addr:?}; serve: {:?}",
        child.try_wait()
    );
    let answer = http(&addr, &valid_tcr(&addr, "tcr-proc"));
    assert!(answer.contains("\"RegistryId\":\"tcr-"), "{answer}");
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean exit on SIGTERM");
}

/// The peak resident memory of a process, in kB.
fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

#[test]
fn requests_of_many_tiny_values_stay_within_a_memory_bound() {
    // 10 MB of `a&a&…` or `[0,0,…]` decodes into millions of values: once, a single such
    // request took the server from 15 MB to 650 MB.
    let (mut child, addr) = serve_process();
    let size = 10 * 1024 * 1024 - 64;
    let form = "a&".repeat(size / 2);
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let answer = http(&addr, raw.as_bytes());
    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "{}",
        &answer[..answer.len().min(400)]
    );
    assert!(answer.contains("more than 50000 parameters"), "{answer}");
    let json = format!("{{\"RegistryName\":[{}0]}}", "0,".repeat(size / 2 - 16));
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-TC-Action: CreateInstance\r\nX-TC-Version: 2019-09-24\r\nX-TC-Timestamp: 1\r\nAuthorization: TC3-HMAC-SHA256 Credential=AKIDtest/2026-12-02/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    );
    let answer = http(&addr, raw.as_bytes());
    assert!(answer.contains("\"Code\":\"InvalidParameter\""), "{answer}");
    assert!(
        answer.contains("more than 50000 parameters or values"),
        "{answer}"
    );
    // Within the pair limit, a signed Tencent v1 form of 49,000 names with 31 dots each: read
    // as a tree, 1.5 million objects (620 MB) until the tree got a node budget too.
    let deep: Vec<(String, String)> = (0..49_000)
        .map(|i| (format!("x{i}.{}", vec!["a"; 30].join(".")), "1".to_string()))
        .collect();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signer = SignInput {
        host: &addr,
        key_id: "AKIDtest",
        secret: "testSecretKey",
        timestamp: now,
        nonce: "7",
    };
    let req = docpact::protocol::tencent::v1::build(
        "CreateInstance",
        "2019-09-24",
        "ap-guangzhou",
        &deep,
        docpact::protocol::tencent::v1::Method::HmacSha1,
        &signer,
    );
    let answer = http(&addr, &req.with_header("Connection", "close").to_http1());
    assert!(answer.contains("\"Code\":\"UnknownParameter\""), "{answer}");
    // The 10 MB bodies themselves are held while read (about 60 MB at the peak in a release
    // build, 110 MB in a debug one); nothing near the old 650 MB.
    let peak = peak_kb(child.id());
    let _ = child.kill();
    let _ = child.wait();
    assert!(peak < 200 * 1024, "peak resident memory {peak} kB");
}

#[test]
fn serve_explains_a_taken_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, _, err) = run(&["serve", "--listen", &addr]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("error: cannot listen on {addr}")),
        "{err}"
    );
    assert!(err.contains("hint: choose another port"), "{err}");
    let (code, _, err) = run(&["serve", "--listen", "not-an-address"]);
    assert_eq!(code, 2, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_never_crashes_or_hangs_the_server() {
    let replay = Replay::start_builtin().await.unwrap();
    let addr = replay.endpoint();
    let big = "a".repeat(200_000);
    let corpus: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02\xff\xfe garbage\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET /?Action=%zz HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /?Action=%ff%fe&SecretId=x HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /?a=1&a=2 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n").into_bytes(),
        b"POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: CreateInstance\r\nAuthorization: TC3-HMAC-SHA256 Credential=AKIDtest/2026-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=00\r\nX-TC-Version: 2019-09-24\r\nX-TC-Timestamp: 1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n[1,2]".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"trunc".to_vec(),
        b"POST /openapi/ha3/instances HTTP/1.1\r\nHost: x\r\nAuthorization: acs a:b\r\nDate: nope\r\nContent-Length: 1\r\n\r\n{".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\n=&&==%%%".to_vec(),
        b"GET /__docpact/outcomes HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"POST /__docpact/outcomes HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{{{".to_vec(),
        format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "%".repeat(10_000)).into_bytes(),
    ];
    let addr2 = addr.clone();
    let answers = tokio::task::spawn_blocking(move || {
        corpus
            .iter()
            .map(|raw| http(&addr2, raw))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert!(
        answers.iter().any(|a| a.contains("InvalidParameter")),
        "{answers:#?}"
    );
    let addr3 = addr.clone();
    let ok =
        tokio::task::spawn_blocking(move || http(&addr3, &valid_tcr(&addr3, "tcr-after-garbage")))
            .await
            .unwrap();
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(
        ok.contains("\"RegistryId\":\"tcr-"),
        "the server still answers after garbage: {ok}"
    );
}

#[test]
fn serve_explains_unusable_tls_files() {
    let (code, _, err) = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        "/nonexistent/c.pem",
        "--tls-key",
        "/nonexistent/k.pem",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error: cannot serve https"), "{err}");
    assert!(
        err.contains("caused by: cannot read /nonexistent/c.pem"),
        "{err}"
    );
    let empty = tempfile::NamedTempFile::new().unwrap();
    let path = empty.path().to_str().unwrap();
    let (code, _, err) = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        path,
        "--tls-key",
        path,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds no PEM certificate"), "{err}");
    let (code, _, _) = run(&["serve", "--tls-cert", path]);
    assert_eq!(code, 2, "--tls-cert needs --tls-key");
}

/// A replay server on the built-in contracts with `config`.
async fn configured(config: docpact::replay::Config) -> Replay {
    Replay::start(
        docpact::contract::ContractSet::builtin().unwrap(),
        config,
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

/// Sends `raw` without closing the write side and reads until the server closes.
fn send_and_wait(addr: &str, raw: &[u8]) -> String {
    let mut s = connect(addr, Duration::from_secs(10));
    s.write_all(raw).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_arrives_times_out_and_closes_its_connection() {
    let replay = limited(400, 256 << 20).await;
    // Part of the body with the head, and none of it: either way the clock runs.
    for sent in ["{\"Registry", ""] {
        let addr = replay.endpoint();
        let started = std::time::Instant::now();
        let raw = format!(
            "POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: CreateInstance\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{sent}"
        );
        let answer = tokio::task::spawn_blocking(move || send_and_wait(&addr, raw.as_bytes()))
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{sent:?}: {answer}");
        assert!(answer.contains("RequestTimeout"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
        assert!(
            !answer.contains("00000000-0000-0000-0000-000000000000"),
            "a real RequestId: {answer}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "closed by the server, not the client"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_waits_for_100_continue_is_asked_for_its_body_and_answered() {
    // A minute for the body: an answer within seconds means the body was asked for and
    // read as soon as it came, not found by the body timeout.
    let replay = limited(60_000, 256 << 20).await;
    let addr = replay.endpoint();
    let (interim, answer) = tokio::task::spawn_blocking(move || {
        let mut s = connect(&addr, Duration::from_secs(5));
        let body = br#"{"operation":"no/such/Operation"}"#;
        let head = format!(
            "POST /__docpact/outcomes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        let mut reader = BufReader::new(s.try_clone().unwrap());
        let mut interim = String::new();
        while !interim.ends_with("\r\n\r\n") {
            if reader.read_line(&mut interim).unwrap_or(0) == 0 {
                break;
            }
        }
        // Only now the body.
        s.write_all(body).unwrap();
        (interim, read_answer(&mut reader))
    })
    .await
    .unwrap();
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(
        answer.contains("no operation matches no/such/Operation"),
        "the body was read: {answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_body_is_read_to_its_last_chunk() {
    let replay = limited(60_000, 256 << 20).await;
    let addr = replay.endpoint();
    let answers = tokio::task::spawn_blocking(move || {
        let mut s = connect(&addr, Duration::from_secs(5));
        // No declared length: the body ends with its zero-size chunk, which comes last and
        // on its own, after a pause.
        s.write_all(
            b"POST /__docpact/outcomes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Transfer-Encoding: chunked\r\n\r\nd\r\n{\"operation\":\r\n",
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        s.write_all(b"14\r\n\"no/such/Operation\"}\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        s.write_all(b"0\r\n\r\nGET /__docpact/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut reader = BufReader::new(s);
        (0..2).map(|_| read_answer(&mut reader)).collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert!(answers[0].starts_with("HTTP/1.1 404"), "{}", answers[0]);
    assert!(
        answers[0].contains("no operation matches no/such/Operation"),
        "both chunks were read: {}",
        answers[0]
    );
    assert!(answers[1].starts_with("HTTP/1.1 200"), "{}", answers[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_many_chunks_sent_at_once_is_read_without_waiting_for_more_bytes() {
    // Every chunk is in the server's buffer from the start: nothing more arrives on the
    // socket, so only the taking of each chunk can ask hyper for the next one.
    let replay = limited(60_000, 256 << 20).await;
    let addr = replay.endpoint();
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = connect(&addr, Duration::from_secs(5));
        s.write_all(
            b"POST /__docpact/outcomes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ope\r\n8\r\nration\":\r\n\
              14\r\n\"no/such/Operation\"}\r\n0\r\n\r\n",
        )
        .unwrap();
        read_answer(&mut BufReader::new(s))
    })
    .await
    .unwrap();
    assert!(
        answer.contains("no operation matches no/such/Operation"),
        "every chunk was read, within the client's 5 s: {answer}"
    );
}

/// Reads one answer (head and a `Content-Length` body) from `reader`.
fn read_answer(reader: &mut BufReader<TcpStream>) -> String {
    let mut answer = String::new();
    while !answer.ends_with("\r\n\r\n") {
        if reader.read_line(&mut answer).unwrap_or(0) == 0 {
            return answer;
        }
    }
    let length = answer
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    answer.push_str(&String::from_utf8_lossy(&body));
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_requests_are_answered_in_order() {
    let replay = limited(60_000, 256 << 20).await;
    let addr = replay.endpoint();
    let answers = tokio::task::spawn_blocking(move || {
        let mut s = connect(&addr, Duration::from_secs(5));
        // Three requests in one write: one with a body, the next right behind its last byte.
        let body = br#"{"operation":"no/such/Operation"}"#;
        let mut raw = format!(
            "POST /__docpact/outcomes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        raw.extend_from_slice(b"GET /__docpact/health HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.extend_from_slice(b"GET /__docpact/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n");
        s.write_all(&raw).unwrap();
        let mut reader = BufReader::new(s);
        (0..3).map(|_| read_answer(&mut reader)).collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert!(answers[0].starts_with("HTTP/1.1 404"), "{}", answers[0]);
    assert!(answers[0].contains("no/such/Operation"), "{}", answers[0]);
    assert!(answers[1].starts_with("HTTP/1.1 200"), "{}", answers[1]);
    assert!(answers[1].contains("\"status\":\"ok\""), "{}", answers[1]);
    assert!(answers[2].starts_with("HTTP/1.1 404"), "{}", answers[2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutting_down_closes_an_idle_keep_alive_connection_at_once() {
    let replay = Replay::start_builtin().await.unwrap();
    let addr = replay.endpoint();
    let (answered, idle) = std::sync::mpsc::channel();
    let client = tokio::task::spawn_blocking(move || {
        let s = connect(&addr, Duration::from_secs(15));
        let mut reader = BufReader::new(s);
        reader
            .get_mut()
            .write_all(b"GET /__docpact/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let answer = read_answer(&mut reader);
        answered.send(()).unwrap();
        // Kept alive, the connection waits for a next request until the server closes it.
        let mut rest = Vec::new();
        let end = reader.read_to_end(&mut rest);
        (answer, end.map(|_| rest))
    });
    idle.recv_timeout(Duration::from_secs(15))
        .expect("answered");
    let started = std::time::Instant::now();
    replay.shutdown().await;
    let took = started.elapsed();
    let (answer, rest) = client.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(rest.expect("closed, not timed out"), b"");
    // Without being told, the connection would hold the shutdown for its 5-second bound.
    assert!(took < Duration::from_secs(3), "shutdown took {took:?}");
}

async fn limited(body_timeout_ms: u64, body_budget: usize) -> Replay {
    configured(docpact::replay::Config {
        body_timeout_ms,
        body_budget,
        ..docpact::replay::Config::default()
    })
    .await
}

async fn with_header_timeout(header_timeout_ms: u64) -> Replay {
    configured(docpact::replay::Config {
        header_timeout_ms,
        ..docpact::replay::Config::default()
    })
    .await
}

/// Writes `first`, then one byte every 100 ms, until the server closes the connection (or 5 s
/// pass); how long that took and what was read.
fn trickle_until_closed(addr: &str, first: &[u8]) -> (Duration, Vec<u8>) {
    let mut s = connect(addr, Duration::from_millis(100));
    let started = std::time::Instant::now();
    let _ = s.write_all(first);
    let mut read = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < Duration::from_secs(5) {
        match s.read(&mut buf) {
            Ok(0) => return (started.elapsed(), read),
            Ok(n) => read.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (started.elapsed(), read),
        }
        let _ = s.write_all(b"x");
    }
    (started.elapsed(), read)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_that_trickles_in_is_cut_at_the_header_timeout() {
    let replay = with_header_timeout(400).await;
    let addr = replay.endpoint();
    let (took, read) = tokio::task::spawn_blocking(move || {
        trickle_until_closed(&addr, b"GET /__docpact/health HTTP/1.1\r\nX-Slow: ")
    })
    .await
    .unwrap();
    // Bytes kept coming, yet the head was due 400 ms after the connection opened.
    assert!(took >= Duration::from_millis(350), "{took:?}");
    assert!(took < Duration::from_secs(3), "not cut: {took:?}");
    assert!(read.is_empty(), "{}", String::from_utf8_lossy(&read));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_timeout_counts_from_the_last_answer() {
    let replay = with_header_timeout(400).await;
    let addr = replay.endpoint();
    tokio::task::spawn_blocking(move || {
        let mut s = connect(&addr, Duration::from_secs(5));
        // Six requests 150 ms apart on one connection: 900 ms in all, each head on time.
        for i in 0..6 {
            std::thread::sleep(Duration::from_millis(150));
            s.write_all(b"GET /__docpact/health HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).expect("an answer");
            let answer = String::from_utf8_lossy(&buf[..n]);
            assert!(answer.starts_with("HTTP/1.1 200"), "request {i}: {answer}");
        }
        // Then idle: closed once the next head is overdue.
        let started = std::time::Instant::now();
        let mut buf = [0u8; 16];
        assert_eq!(s.read(&mut buf).ok(), Some(0), "closed by the server");
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_secs(3),
            "{took:?}"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_beyond_the_budget_in_flight_are_refused() {
    let replay = limited(30_000, 1000).await;
    let addr = replay.endpoint();
    let body = format!(
        r#"{{"RegistryName":"tcr-budget","RegistryType":"basic","Pad":"{}"}}"#,
        "x".repeat(2000)
    );
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: CreateInstance\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = tokio::task::spawn_blocking(move || send_and_wait(&addr, raw.as_bytes()))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("ServiceUnavailable"), "{answer}");
    // Within the budget, the same server answers.
    let addr = replay.endpoint();
    let ok = tokio::task::spawn_blocking(move || http(&addr, &valid_tcr(&addr, "tcr-small")))
        .await
        .unwrap();
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_answers_loopback_in_its_ipv4_mapped_form() {
    let replay = Replay::start(
        docpact::contract::ContractSet::builtin().unwrap(),
        docpact::replay::Config::default(),
        "[::ffff:127.0.0.1]:0".parse().unwrap(),
    )
    .await
    .expect("an IPv4-mapped listener");
    let addr = format!("127.0.0.1:{}", replay.address().port());
    let health = tokio::task::spawn_blocking(move || {
        http(
            &addr,
            b"GET /__docpact/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
    })
    .await
    .unwrap();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}
