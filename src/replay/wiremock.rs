//! The replay core as a `wiremock::Respond`, for tests that already run a `MockServer`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wiremock::{Request, Respond, ResponseTemplate};

use super::core::{Env, respond};
use super::server::lock;
use super::state::{Config, State};
use crate::contract::{ContractSet, LoadError};
use crate::protocol::HttpRequest;

/// Answers a `MockServer`'s requests as `docpact serve` would (one shared state).
///
/// ```no_run
/// # async fn demo() {
/// use wiremock::{Mock, MockServer, matchers::any};
/// let server = MockServer::start().await;
/// Mock::given(any())
///     .respond_with(docpact::replay::ReplayResponder::builtin().unwrap())
///     .mount(&server)
///     .await;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ReplayResponder {
    state: Arc<Mutex<State>>,
}

impl ReplayResponder {
    /// A responder over `contracts`.
    pub fn new(contracts: ContractSet, config: Config) -> ReplayResponder {
        ReplayResponder {
            state: Arc::new(Mutex::new(State::new(contracts, config))),
        }
    }

    /// A responder over the built-in contracts with the default checks.
    pub fn builtin() -> Result<ReplayResponder, LoadError> {
        Ok(ReplayResponder::new(
            ContractSet::builtin()?,
            Config::default(),
        ))
    }

    /// The shared state (journal, queued outcomes).
    pub fn state(&self) -> Arc<Mutex<State>> {
        self.state.clone()
    }
}

impl Respond for ReplayResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let target = match request.url.query() {
            Some(q) => format!("{}?{q}", request.url.path()),
            None => request.url.path().to_string(),
        };
        let req = HttpRequest {
            method: request.method.to_string(),
            target,
            headers: request
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: request.body.clone(),
        };
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        // A MockServer listens on loopback only.
        let env = Env {
            now_ms,
            peer_loopback: true,
        };
        let decision = respond(&mut lock(&self.state), &req, &env);
        // wiremock cannot drop a connection: a queued reset answers 500 instead.
        let status = if decision.reset {
            500
        } else {
            decision.response.status
        };
        let mut template = ResponseTemplate::new(status);
        let mut content_type = "application/json".to_string();
        for (k, v) in &decision.response.headers {
            if k.eq_ignore_ascii_case("content-type") {
                content_type = v.to_string();
            } else {
                template = template.insert_header(k.as_ref(), v.as_ref());
            }
        }
        template = template.set_body_raw(decision.response.body, &content_type);
        if decision.delay_ms > 0 {
            template = template.set_delay(Duration::from_millis(decision.delay_ms));
        }
        template
    }
}
