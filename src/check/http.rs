//! A one-request HTTP/1.1 client over hyper, plain or TLS with a given CA: the reference
//! driver's transport, and how `check --endpoint` talks to a running server's admin API.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

use crate::protocol::{HttpRequest, HttpResponse};

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No connection.
    #[error("cannot connect to {addr}: {message}")]
    Connect {
        /// The address.
        addr: String,
        /// Why.
        message: String,
    },
    /// The exchange failed after connecting (reset, malformed answer).
    #[error("the request to {addr} failed: {message}")]
    Exchange {
        /// The address.
        addr: String,
        /// Why.
        message: String,
    },
    /// No answer in time.
    #[error("no answer from {addr} within {ms} ms")]
    Timeout {
        /// The address.
        addr: String,
        /// The timeout.
        ms: u128,
    },
    /// The CA file cannot be used.
    #[error("cannot use the CA certificate {path}: {message}")]
    Ca {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}

/// A TLS client configuration trusting the certificates in a PEM file.
pub fn tls_trusting(pem_path: &str) -> Result<Arc<ClientConfig>, HttpError> {
    let ca = |message: String| HttpError::Ca {
        path: pem_path.to_string(),
        message,
    };
    let pem = std::fs::read(pem_path).map_err(|e| ca(e.to_string()))?;
    let mut roots = RootCertStore::empty();
    let mut found = 0;
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        let cert = cert.map_err(|e| ca(e.to_string()))?;
        roots.add(cert).map_err(|e| ca(e.to_string()))?;
        found += 1;
    }
    if found == 0 {
        return Err(ca("no PEM certificate in it".into()));
    }
    Ok(Arc::new(
        ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    ))
}

/// Sends `req` to `addr` (`host:port`) and reads the whole answer, within `timeout`.
pub async fn send(
    addr: &str,
    tls: Option<Arc<ClientConfig>>,
    req: &HttpRequest,
    timeout: Duration,
) -> Result<HttpResponse, HttpError> {
    match tokio::time::timeout(timeout, exchange(addr, tls, req)).await {
        Ok(r) => r,
        Err(_) => Err(HttpError::Timeout {
            addr: addr.to_string(),
            ms: timeout.as_millis(),
        }),
    }
}

async fn exchange(
    addr: &str,
    tls: Option<Arc<ClientConfig>>,
    req: &HttpRequest,
) -> Result<HttpResponse, HttpError> {
    let connect = |e: &dyn std::fmt::Display| HttpError::Connect {
        addr: addr.to_string(),
        message: e.to_string(),
    };
    let stream = TcpStream::connect(addr).await.map_err(|e| connect(&e))?;
    let _ = stream.set_nodelay(true);
    match tls {
        None => over(addr, TokioIo::new(stream), req).await,
        Some(config) => {
            let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let name = ServerName::try_from(host.to_string()).map_err(|e| connect(&e))?;
            let stream = TlsConnector::from(config)
                .connect(name, stream)
                .await
                .map_err(|e| connect(&e))?;
            over(addr, TokioIo::new(stream), req).await
        }
    }
}

async fn over<T>(addr: &str, io: TokioIo<T>, req: &HttpRequest) -> Result<HttpResponse, HttpError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let failed = |e: &dyn std::fmt::Display| HttpError::Exchange {
        addr: addr.to_string(),
        message: e.to_string(),
    };
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| failed(&e))?;
    let driver = tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut builder = hyper::Request::builder()
        .method(req.method.as_str())
        .uri(req.target.as_str());
    let mut has_host = false;
    for (k, v) in &req.headers {
        has_host |= k.eq_ignore_ascii_case("host");
        builder = builder.header(k.as_str(), v.as_str());
    }
    if !has_host {
        builder = builder.header("host", addr);
    }
    let request = builder
        .body(Full::new(Bytes::from(req.body.clone())))
        .map_err(|e| failed(&e))?;
    let response = sender.send_request(request).await.map_err(|e| failed(&e))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string().into(),
                String::from_utf8_lossy(v.as_bytes()).into_owned().into(),
            )
        })
        .collect();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| failed(&e))?
        .to_bytes()
        .to_vec();
    driver.abort();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}
