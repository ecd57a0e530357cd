//! The hyper accept loop: read the request (bounded), ask the core under the lock, answer
//! after the lock is released (delays and resets happen outside it).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::core::{Env, respond};
use super::state::State;
use super::tls::Tls;
use crate::contract::Provider;
use crate::protocol::{
    Format, HttpRequest, HttpResponse, ProviderError, encode_error, guess_provider,
};

/// The largest request body accepted (Tencent's TC3 limit).
pub const MAX_BODY: usize = 10 * 1024 * 1024;
/// How long a client may take to send its headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A panic while holding the lock would be a bug; keep serving with the state as it is.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn to_hyper(r: HttpResponse) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &r.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder
        .body(Full::new(Bytes::from(r.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

async fn serve_one(
    req: Request<Incoming>,
    state: Arc<Mutex<State>>,
    peer: SocketAddr,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = req.into_parts();
    let mut http = HttpRequest {
        method: parts.method.as_str().to_string(),
        target: parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().map_or_else(
                        |_| String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        str::to_owned,
                    ),
                )
            })
            .collect(),
        body: Vec::new(),
    };
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => http.body = b.to_bytes().to_vec(),
        Err(e) => {
            let too_big = e
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            if !too_big {
                return Err(std::io::Error::other("request body could not be read"));
            }
            let err = match guess_provider(&http) {
                Provider::Tencent => ProviderError::tencent(
                    "RequestSizeLimitExceeded",
                    "The request size exceeds the upper limit.",
                ),
                Provider::Alibaba => ProviderError::alibaba(
                    "InvalidParameter",
                    400,
                    "The request body is too large.",
                ),
            };
            let host = http.header("host").unwrap_or("localhost").to_string();
            return Ok(to_hyper(encode_error(
                &err,
                "00000000-0000-0000-0000-000000000000",
                &host,
                Format::Json,
            )));
        }
    }
    let env = Env {
        now_ms: now_ms(),
        peer_loopback: peer.ip().is_loopback(),
    };
    let decision = respond(&mut lock(&state), &http, &env);
    tracing::debug!(method = %http.method, path = %http.path(), status = decision.response.status, "answered");
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    if decision.reset {
        return Err(std::io::Error::other("connection reset by a queued fault"));
    }
    Ok(to_hyper(decision.response))
}

/// Accepts connections until `shutdown` fires, then lets open ones finish (5 s at most).
pub(crate) async fn run(
    listener: TcpListener,
    state: Arc<Mutex<State>>,
    tls: Option<Tls>,
    mut shutdown: watch::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            biased;
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let service = service_fn(move |req| serve_one(req, state.clone(), peer));
                let mut builder = http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    // Clients may shut their write side while waiting for the answer.
                    .half_close(true);
                let watcher = graceful.watcher();
                match tls.clone() {
                    None => {
                        let conn = watcher.watch(builder.serve_connection(TokioIo::new(stream), service));
                        tokio::spawn(async move {
                            if let Err(e) = conn.await {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        });
                    }
                    Some(tls) => {
                        tokio::spawn(async move {
                            let stream = match tokio::time::timeout(HEADER_TIMEOUT, tls.acceptor.accept(stream)).await {
                                Ok(Ok(s)) => s,
                                Ok(Err(e)) => return tracing::debug!(error = %e, "TLS handshake failed"),
                                Err(_) => return tracing::debug!("TLS handshake timed out"),
                            };
                            let conn = watcher.watch(builder.serve_connection(TokioIo::new(stream), service));
                            if let Err(e) = conn.await {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        });
                    }
                }
            }
        }
    }
    let _: Result<(), Infallible> = tokio::select! {
        _ = graceful.shutdown() => Ok(()),
        _ = tokio::time::sleep(Duration::from_secs(5)) => Ok(()),
    };
}
