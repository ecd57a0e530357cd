//! `docpact record`: a recording proxy. Clients sign with docpact's test keys; each request is
//! verified as `serve` verifies it, signed again with the real key for the upstream, sent,
//! stored redacted in the cassette's journal, and the upstream's answer given back unchanged.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regex::Regex;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::rustls::ClientConfig;

use super::format::{
    Body, Cassette, FORMAT_VERSION, Interaction, RecordedRequest, RecordedResponse,
};
use super::matching::Library;
use super::redact::{Redactor, is_sensitive_name, sensitive_fields, sensitive_params};
use super::resign::{UpstreamKey, resign};
use super::store::{CassetteError, Recording, load};
use crate::contract::{ContractSet, Provider};
use crate::protocol::encoding::iso8601;
use crate::protocol::{
    Credentials, Format, HttpRequest, HttpResponse, ProviderError, VerifyOptions, decode,
    encode_error, verify,
};
use crate::replay::server::{Service, run};
use crate::replay::{Rng, Tls, route_call};

/// What happens to a cassette that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordMode {
    /// Keep it; add only interactions it does not already hold.
    New,
    /// Keep it; add every interaction.
    Append,
    /// Start it over.
    Overwrite,
}

/// Where requests go: one place for everything, or each operation's own endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// https or plain http.
    pub https: bool,
    /// `host[:port]`.
    pub authority: String,
}

impl Upstream {
    /// Parses `http://host[:port]` or `https://host[:port]` (no path).
    pub fn parse(url: &str) -> Result<Upstream, String> {
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(format!(
                "{url:?}: an upstream is http://HOST[:PORT] or https://HOST[:PORT]"
            ));
        };
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
            return Err(format!(
                "{url:?}: an upstream is a scheme and a host, with no path"
            ));
        }
        Ok(Upstream {
            https,
            authority: authority.to_string(),
        })
    }

    /// The address to connect to (`host:port`, the scheme's port when none is given).
    fn address(&self) -> String {
        let has_port = self.authority.rsplit_once(':').is_some_and(|(h, p)| {
            !h.ends_with('[') && p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty()
        }) && !self.authority.ends_with(']');
        if has_port {
            self.authority.clone()
        } else {
            format!("{}:{}", self.authority, if self.https { 443 } else { 80 })
        }
    }
}

/// Everything a recording needs.
#[derive(Debug)]
pub struct RecordOptions {
    /// The cassette file.
    pub cassette: PathBuf,
    /// What happens to an existing cassette.
    pub mode: RecordMode,
    /// One place for every request; `None`: each operation's endpoint over https.
    pub upstream: Option<Upstream>,
    /// The real Alibaba Cloud key.
    pub alibaba: Option<UpstreamKey>,
    /// The real Tencent Cloud key.
    pub tencent: Option<UpstreamKey>,
    /// The keys clients sign with (docpact's test keys by default).
    pub client_credentials: Credentials,
    /// More values to redact, as regular expressions.
    pub patterns: Vec<Regex>,
    /// Parameters that never decide whether an interaction is already recorded (`New`).
    pub ignore: Vec<String>,
    /// The roots https upstreams are trusted with (a PEM bundle).
    pub ca_file: PathBuf,
    /// How long the upstream may take.
    pub timeout: Duration,
}

struct Inner {
    recording: Option<Recording>,
    existing: Library,
    rng: Rng,
    skipped: usize,
    refused: usize,
}

/// The recording proxy's state.
struct Recorder {
    contracts: ContractSet,
    opts: RecordOptions,
    redactor: Redactor,
    tls: Mutex<Option<Arc<ClientConfig>>>,
    inner: Mutex<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now() -> i64 {
    crate::replay::server::now_ms().div_euclid(1000)
}

/// Headers that describe one connection, not the answer.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "upgrade",
    "proxy-connection",
];

/// The provider's endpoint for an operation and the request's region: Tencent Cloud's
/// regional domain (`tcr.ap-guangzhou.tencentcloudapi.com`) where the request names a
/// region, else the host the contract gives (Alibaba Cloud pages name the endpoint).
fn default_host(host: &str, provider: Provider, call: &crate::protocol::Call) -> String {
    let region = call
        .common
        .iter()
        .find(|(k, _)| k == "Region")
        .map(|(_, v)| v.as_ref())
        .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    match (provider, region, host.strip_suffix(".tencentcloudapi.com")) {
        (Provider::Tencent, Some(region), Some(service)) if !service.contains('.') => {
            format!("{service}.{region}.tencentcloudapi.com")
        }
        _ => host.to_string(),
    }
}

/// Whether an upstream answer says docpact's signature was refused.
fn signature_refusal(provider: Provider, body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let code = match provider {
        Provider::Alibaba => v.get("Code")?.as_str()?.to_string(),
        Provider::Tencent => v.pointer("/Response/Error/Code")?.as_str()?.to_string(),
    };
    let refused = match provider {
        Provider::Alibaba => {
            code == "SignatureDoesNotMatch"
                || code == "IncompleteSignature"
                || code.starts_with("InvalidAccessKeyId")
                || code.starts_with("InvalidSecurityToken")
        }
        Provider::Tencent => code.starts_with("AuthFailure"),
    };
    refused.then_some(code)
}

impl Recorder {
    fn refuse(&self, req: &HttpRequest, err: ProviderError, detail: String) -> HttpResponse {
        let rid = crate::replay::server::request_id_from(&mut lock(&self.inner).rng, err.provider);
        let host = req.header("host").unwrap_or("localhost");
        let mut r = encode_error(&err, &rid, host, Format::Json);
        r.headers.push((
            "x-docpact-violation".into(),
            crate::replay::core::header_safe(&detail).into(),
        ));
        r
    }

    fn tls(&self) -> Result<Arc<ClientConfig>, String> {
        let mut slot = lock(&self.tls);
        if let Some(c) = &*slot {
            return Ok(c.clone());
        }
        let path = self.opts.ca_file.display().to_string();
        let config = crate::check::tls_trusting(&path).map_err(|e| e.to_string())?;
        *slot = Some(config.clone());
        Ok(config)
    }
}

impl Service for Recorder {
    async fn answer(&self, req: &HttpRequest, peer: SocketAddr) -> Option<HttpResponse> {
        // The proxy signs with the real keys for whoever holds docpact's public test keys:
        // only this machine may use it.
        if !crate::replay::server::is_loopback(peer.ip()) {
            let provider = crate::protocol::guess_provider(req);
            let mut err = ProviderError::malformed(
                provider,
                "docpact record answers only clients on this machine (loopback).",
            );
            err.code = "Forbidden".into();
            err.http_status = 403;
            return Some(self.refuse(
                req,
                err,
                "the recording proxy serves loopback clients only".into(),
            ));
        }
        if req.path() == "/__docpact/health" {
            return Some(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: br#"{"status":"recording"}"#.to_vec(),
            });
        }
        let call = match decode(req) {
            Ok(call) => call,
            Err(e) => return Some(self.refuse(req, e, "the request could not be decoded".into())),
        };
        if let Err(e) = verify(
            req,
            &call,
            &self.opts.client_credentials,
            &VerifyOptions::at(now()),
        ) {
            return Some(self.refuse(
                req,
                e,
                "the client's signature does not verify with docpact's test keys".into(),
            ));
        }
        let (base, profile) = match route_call(&self.contracts, &call) {
            Ok(found) => found,
            Err(e) => {
                return Some(self.refuse(
                    req,
                    e,
                    "docpact records only operations it has a contract for".into(),
                ));
            }
        };
        let operation = profile.map_or(&base.id, |p| &p.id).clone();
        let key = match call.provider {
            Provider::Alibaba => self.opts.alibaba.as_ref(),
            Provider::Tencent => self.opts.tencent.as_ref(),
        };
        let Some(key) = key else {
            let (p, vars) = match call.provider {
                Provider::Alibaba => (
                    "Alibaba Cloud",
                    "DOCPACT_UPSTREAM_ACCESS_KEY_ID and DOCPACT_UPSTREAM_ACCESS_KEY_SECRET",
                ),
                Provider::Tencent => (
                    "Tencent Cloud",
                    "DOCPACT_UPSTREAM_SECRET_ID and DOCPACT_UPSTREAM_SECRET_KEY",
                ),
            };
            let err = ProviderError::common(call.provider, "InternalError")
                .unwrap_or_else(|| ProviderError::malformed(call.provider, "no upstream key"));
            return Some(self.refuse(req, err, format!("no real {p} key to sign for the upstream: set {vars}, or --upstream-credentials")));
        };
        let upstream = self.opts.upstream.clone().unwrap_or_else(|| Upstream {
            https: true,
            authority: default_host(&base.contract.endpoint.host, call.provider, &call),
        });
        let signed = match resign(req, &call, &upstream.authority, key) {
            Ok(r) => r,
            Err(e) => {
                let err = ProviderError::malformed(call.provider, e.to_string());
                return Some(self.refuse(req, err, e.to_string()));
            }
        };
        let tls = if upstream.https {
            match self.tls() {
                Ok(c) => Some(c),
                Err(why) => {
                    let err = ProviderError::malformed(call.provider, why.clone());
                    return Some(self.refuse(req, err, why));
                }
            }
        } else {
            None
        };
        let answer =
            match crate::check::send(&upstream.address(), tls, &signed, self.opts.timeout).await {
                Ok(a) => a,
                Err(e) => {
                    tracing::error!(error = %e, "the upstream did not answer");
                    let mut err = ProviderError::common(call.provider, "InternalError")
                        .unwrap_or_else(|| ProviderError::malformed(call.provider, "upstream"));
                    err.code = "BadGateway".into();
                    err.http_status = 502;
                    err.message = format!("The upstream did not answer: {e}");
                    return Some(self.refuse(req, err, format!("not recorded: {e}")));
                }
            };
        let mut answer = HttpResponse {
            status: answer.status,
            headers: answer
                .headers
                .into_iter()
                .filter(|(k, _)| !HOP_BY_HOP.iter().any(|h| k.eq_ignore_ascii_case(h)))
                .collect(),
            body: answer.body,
        };
        if let Some(code) = signature_refusal(call.provider, &answer.body) {
            tracing::error!(%code, %operation, "the upstream refused docpact's signature; not recorded");
            lock(&self.inner).refused += 1;
            answer.headers.push((
                "x-docpact-violation".into(),
                crate::replay::core::header_safe(&format!("the upstream refused the request docpact signed again ({code}): check the real credentials; not recorded")).into(),
            ));
            return Some(answer);
        }
        let interaction = redacted_interaction(
            &self.contracts,
            &self.redactor,
            &operation,
            &call,
            &answer,
            iso8601(now()),
        );
        let mut inner = lock(&self.inner);
        if self.opts.mode == RecordMode::New
            && inner.existing.contains(&operation, &interaction.request)
        {
            inner.skipped += 1;
            return Some(answer);
        }
        if let Some(rec) = inner.recording.as_mut()
            && let Err(e) = rec.push(interaction)
        {
            tracing::error!(error = %e, "the interaction could not be stored");
            answer.headers.push((
                "x-docpact-violation".into(),
                crate::replay::core::header_safe(&format!("not recorded: {e}")).into(),
            ));
        }
        Some(answer)
    }

    fn request_id(&self, provider: Provider) -> String {
        crate::replay::server::request_id_from(&mut lock(&self.inner).rng, provider)
    }

    fn limits(&self) -> crate::replay::server::Limits {
        // The bounds `serve` has by default.
        crate::replay::server::Limits::from(&crate::replay::Config::default())
    }
}

/// The interaction to store for `call` answered by `answer`, redacted: the contract's
/// sensitive parameters and response fields become placeholders, and every secret and
/// pattern of `redactor` is replaced wherever it appears.
pub(crate) fn redacted_interaction(
    contracts: &ContractSet,
    r: &Redactor,
    operation: &str,
    call: &crate::protocol::Call,
    answer: &HttpResponse,
    recorded_at: String,
) -> Interaction {
    let contract = contracts
        .iter()
        .find(|l| l.id == operation)
        .map(|l| &l.contract);
    let secret_params = contract.map(sensitive_params).unwrap_or_default();
    let secret_fields = contract.map(sensitive_fields).unwrap_or_default();
    let mut request = RecordedRequest::from_call(call);
    for (k, v) in request.params.iter_mut() {
        if is_sensitive_name(k, &secret_params)
            && let Value::String(s) = v
        {
            *s = r.placeholder(s);
        }
    }
    if let Some(body) = &mut request.body {
        r.members(body, &secret_params);
    }
    // Every string of the request through the secrets and patterns, names included.
    for map in [&mut request.params, &mut request.common] {
        let mut v = Value::Object(std::mem::take(map));
        r.value(&mut v);
        if let Value::Object(m) = v {
            *map = m;
        }
    }
    if let Some(body) = &mut request.body {
        r.value(body);
    }
    for s in [&mut request.method, &mut request.path, &mut request.scheme] {
        *s = r.text(s);
    }
    let mut body = Body::from_bytes(&answer.body);
    match &mut body {
        Body::Json(v) => {
            r.members(v, &secret_fields);
            r.value(v);
        }
        Body::Text(t) => *t = r.text(t),
        Body::Empty | Body::Base64(_) => {}
    }
    Interaction {
        operation: operation.to_string(),
        recorded_at,
        request,
        response: RecordedResponse {
            status: answer.status,
            headers: {
                let mut headers = std::collections::BTreeMap::new();
                for (k, v) in &answer.headers {
                    if HOP_BY_HOP.iter().any(|h| k.eq_ignore_ascii_case(h)) {
                        continue;
                    }
                    let v = r.text(v);
                    headers
                        .entry(k.to_ascii_lowercase())
                        .and_modify(|joined: &mut String| {
                            joined.push_str(", ");
                            joined.push_str(&v);
                        })
                        .or_insert_with(|| v.clone());
                }
                headers
            },
            body,
        },
    }
}

/// What a finished recording did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    /// The cassette.
    pub path: PathBuf,
    /// Interactions added.
    pub added: usize,
    /// Interactions in the cassette now.
    pub total: usize,
    /// Requests already recorded (`--mode new`), answered but not added.
    pub skipped: usize,
    /// Requests the upstream refused for docpact's signature.
    pub refused: usize,
}

/// A running recording proxy.
pub struct RecordProxy {
    addr: SocketAddr,
    recorder: Arc<Recorder>,
    shutdown: watch::Sender<()>,
    task: tokio::task::JoinHandle<()>,
    /// Notes from opening the cassette (an interrupted recording recovered).
    pub notes: Vec<String>,
}

impl RecordProxy {
    /// Opens the cassette (recovering an interrupted recording) and listens on `listen`.
    pub async fn start(
        contracts: ContractSet,
        opts: RecordOptions,
        listen: SocketAddr,
        tls: Option<Tls>,
    ) -> Result<RecordProxy, RecordError> {
        let loaded = load(&opts.cassette)?;
        let mut notes = Vec::new();
        let existing = match (loaded, opts.mode) {
            (Some(l), RecordMode::New | RecordMode::Append) => {
                notes.extend(l.notes);
                Some(l.cassette)
            }
            _ => None,
        };
        let existing = existing.unwrap_or_else(|| Cassette {
            format_version: FORMAT_VERSION,
            salt: format!("{:032x}", Rng::from_entropy().next_u128()),
            interactions: Vec::new(),
        });
        let mut secrets: Vec<String> = Vec::new();
        for key in opts.alibaba.iter().chain(opts.tencent.iter()) {
            secrets.push(key.id.clone());
            secrets.push(key.secret.clone());
            secrets.extend(key.token.clone());
        }
        let redactor = Redactor::new(&existing.salt, secrets, opts.patterns.clone());
        let mut library = Library::with_ignored(opts.ignore.clone());
        library.add(opts.cassette.clone(), existing.clone());
        let recording = Recording::open(&opts.cassette, existing)?;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| RecordError::Bind {
                addr: listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| RecordError::Bind {
            addr: listen,
            source,
        })?;
        let recorder = Arc::new(Recorder {
            contracts,
            opts,
            redactor,
            tls: Mutex::new(None),
            inner: Mutex::new(Inner {
                recording: Some(recording),
                existing: library,
                rng: Rng::from_entropy(),
                skipped: 0,
                refused: 0,
            }),
        });
        let (shutdown, rx) = watch::channel(());
        let task = tokio::spawn(run(listener, recorder.clone(), tls, rx));
        Ok(RecordProxy {
            addr,
            recorder,
            shutdown,
            task,
            notes,
        })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and compacts the journal into the cassette.
    pub async fn finish(self) -> Result<RecordSummary, RecordError> {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
        let mut inner = lock(&self.recorder.inner);
        let Some(rec) = inner.recording.take() else {
            return Err(RecordError::Cassette(CassetteError::Io {
                path: self.recorder.opts.cassette.display().to_string(),
                source: std::io::Error::other("the recording was already finished"),
            }));
        };
        let (path, added, total) = rec.finish()?;
        Ok(RecordSummary {
            path,
            added,
            total,
            skipped: inner.skipped,
            refused: inner.refused,
        })
    }
}

/// Why a recording could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The cassette.
    #[error(transparent)]
    Cassette(#[from] CassetteError),
    /// The listening address.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_loopback_clients_may_use_the_real_keys() {
        let recorder = Recorder {
            contracts: ContractSet::builtin().unwrap(),
            opts: RecordOptions {
                cassette: "unused.json".into(),
                mode: RecordMode::Append,
                upstream: None,
                alibaba: None,
                tencent: None,
                client_credentials: Credentials::test(),
                patterns: vec![],
                ignore: vec![],
                ca_file: "/nonexistent".into(),
                timeout: Duration::from_secs(1),
            },
            redactor: Redactor::new("00", vec![], vec![]),
            tls: Mutex::new(None),
            inner: Mutex::new(Inner {
                recording: None,
                existing: Library::default(),
                rng: Rng::new(1),
                skipped: 0,
                refused: 0,
            }),
        };
        let req = HttpRequest::new("GET", "/__docpact/health");
        let far = recorder
            .answer(&req, "192.0.2.7:4000".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(far.status, 403);
        let near = recorder
            .answer(&req, "[::ffff:127.0.0.1]:4000".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(near.status, 200);
    }

    #[test]
    fn upstreams_parse_and_default_to_the_regional_endpoint() {
        assert_eq!(
            Upstream::parse("http://127.0.0.1:9000/").unwrap(),
            Upstream {
                https: false,
                authority: "127.0.0.1:9000".into()
            }
        );
        assert_eq!(
            Upstream::parse("https://ens.aliyuncs.com")
                .unwrap()
                .address(),
            "ens.aliyuncs.com:443"
        );
        assert_eq!(
            Upstream::parse("http://[::1]:80").unwrap().address(),
            "[::1]:80"
        );
        assert_eq!(
            Upstream::parse("http://[::1]").unwrap().address(),
            "[::1]:80"
        );
        assert!(Upstream::parse("ftp://x").is_err());
        assert!(Upstream::parse("http://x/path").is_err());
        let mut call = crate::protocol::Call {
            provider: Provider::Tencent,
            scheme: crate::protocol::Scheme::Tc3,
            action: None,
            version: "".into(),
            method: "POST".into(),
            path: "/".into(),
            params: vec![],
            body: None,
            common: vec![("Region".into(), "ap-guangzhou".into())],
            auth: crate::protocol::Auth::default(),
            signed_pairs: vec![],
            params_signed: false,
            header_signature: None,
        };
        assert_eq!(
            default_host("tcr.tencentcloudapi.com", Provider::Tencent, &call),
            "tcr.ap-guangzhou.tencentcloudapi.com"
        );
        call.common[0].1 = "ap-guangzhou/../x".into();
        assert_eq!(
            default_host("tcr.tencentcloudapi.com", Provider::Tencent, &call),
            "tcr.tencentcloudapi.com"
        );
        assert_eq!(
            default_host("ens.aliyuncs.com", Provider::Alibaba, &call),
            "ens.aliyuncs.com"
        );
    }
}
