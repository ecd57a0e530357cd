//! `Replay`: the server started in-process, for Rust tests.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::journal::Entry;
use super::server::{lock, run};
use super::state::{Config, Outcome, State};
use super::tls::Tls;
use crate::contract::{ContractSet, operation_id};

/// A running replay server. Dropping it stops the server.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let replay = docpact::Replay::start_builtin().await?;
/// println!("point the SDK at http://{}", replay.endpoint());
/// # Ok(()) }
/// ```
#[must_use = "dropping the handle stops the server"]
#[derive(Debug)]
pub struct Replay {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: watch::Sender<()>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Replay {
    /// Serves `contracts` on `listen` (port 0 picks a free port).
    pub async fn start(
        contracts: ContractSet,
        config: Config,
        listen: SocketAddr,
    ) -> std::io::Result<Replay> {
        Replay::start_with_tls(contracts, config, listen, None).await
    }

    /// Serves over https with `tls` (plain http when `None`).
    pub async fn start_with_tls(
        contracts: ContractSet,
        config: Config,
        listen: SocketAddr,
        tls: Option<Tls>,
    ) -> std::io::Result<Replay> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::new(contracts, config)));
        let (shutdown, rx) = watch::channel(());
        let task = tokio::spawn(run(
            listener,
            Arc::new(super::server::Replaying(state.clone())),
            tls,
            rx,
        ));
        Ok(Replay {
            addr,
            state,
            shutdown,
            task: Some(task),
        })
    }

    /// The built-in contracts on a free loopback port, default checks.
    pub async fn start_builtin() -> std::io::Result<Replay> {
        let set = ContractSet::builtin().map_err(std::io::Error::other)?;
        Replay::start(
            set,
            Config::default(),
            SocketAddr::from(([127, 0, 0, 1], 0)),
        )
        .await
    }

    /// Replays these recorded interactions ahead of the contracts, from now on (a test picks
    /// its own cassette: `Library::load(path, vec![])`).
    pub fn use_cassettes(&self, library: crate::cassette::Library) {
        lock(&self.state).set_cassettes(library);
    }

    /// Recorded interactions never used since they were loaded (or the last reset).
    pub fn unused_interactions(&self) -> Vec<String> {
        lock(&self.state).unused_interactions()
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// `host:port`, as SDKs take an endpoint.
    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }

    /// The journal, oldest first.
    pub fn journal(&self) -> Vec<Entry> {
        lock(&self.state).journal().entries().cloned().collect()
    }

    /// The whole exchanges kept since the last reset, oldest first (none unless the server
    /// was started with [`Config::capture`]), and how many were dropped to stay within its
    /// bounds.
    pub fn exchanges(&self) -> (Vec<super::capture::Exchange>, u64) {
        lock(&self.state).exchanges()
    }

    /// Queues an outcome for the next call of an operation (id or unique suffix).
    pub fn force(&self, operation: &str, outcome: Outcome) -> Result<(), String> {
        let mut state = lock(&self.state);
        let op = state
            .contracts()
            .find(operation)
            .map(|c| operation_id(&c.contract))
            .map_err(|c| format!("{operation} matches {} operations", c.len()))?;
        if state.force(&op, outcome) {
            Ok(())
        } else {
            Err(format!(
                "{} outcomes are queued already, the most the server keeps",
                super::state::MAX_QUEUED
            ))
        }
    }

    /// Forgets all state.
    pub fn reset(&self) {
        lock(&self.state).reset();
    }

    /// Stops accepting, lets open connections finish, and waits.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(());
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        let _ = self.shutdown.send(());
    }
}
