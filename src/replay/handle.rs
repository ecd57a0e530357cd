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

/// How a [`Replay`] starts: contracts, checks, seed, TLS, cassettes, address.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let replay = docpact::Replay::builder()
///     .seed(7)
///     .cassettes("cassettes/tcr.json")
///     .strict()
///     .start()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a builder does nothing until start"]
pub struct ReplayBuilder {
    contracts: Option<ContractSet>,
    config: Config,
    listen: SocketAddr,
    tls: Option<Tls>,
    cassettes: Vec<std::path::PathBuf>,
    ignore: Vec<String>,
}

/// Why a [`ReplayBuilder`] could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The built-in contracts did not load.
    #[error("cannot load the built-in contracts")]
    Contracts(#[from] crate::contract::LoadError),
    /// A cassette did not load.
    #[error(transparent)]
    Cassette(#[from] crate::cassette::CassetteError),
    /// The address.
    #[error("cannot listen")]
    Bind(#[from] std::io::Error),
}

impl ReplayBuilder {
    /// Serves these contracts (default: the built-in ones).
    pub fn contracts(mut self, contracts: ContractSet) -> ReplayBuilder {
        self.contracts = Some(contracts);
        self
    }

    /// Every check and bound at once (default: [`Config::default`]).
    pub fn config(mut self, config: Config) -> ReplayBuilder {
        self.config = config;
        self
    }

    /// Generated IDs and RequestIds from this seed (again after a reset).
    pub fn seed(mut self, seed: u64) -> ReplayBuilder {
        self.config.seed = Some(seed);
        self
    }

    /// Listen here (default: a free loopback port).
    pub fn listen(mut self, addr: SocketAddr) -> ReplayBuilder {
        self.listen = addr;
        self
    }

    /// Serve https.
    pub fn tls(mut self, tls: Tls) -> ReplayBuilder {
        self.tls = Some(tls);
        self
    }

    /// Replay this cassette, or every cassette under this folder, ahead of the contracts
    /// (repeatable).
    pub fn cassettes(mut self, path: impl Into<std::path::PathBuf>) -> ReplayBuilder {
        self.cassettes.push(path.into());
        self
    }

    /// A parameter that never decides whether a recorded interaction matches.
    pub fn cassette_ignore(mut self, name: impl Into<String>) -> ReplayBuilder {
        self.ignore.push(name.into());
        self
    }

    /// A request no recorded interaction matches fails with a near-miss report instead of
    /// falling back to the contract.
    pub fn strict(mut self) -> ReplayBuilder {
        self.config.strict_cassettes = true;
        self
    }

    /// Loads what was asked for and starts serving.
    pub async fn start(self) -> Result<Replay, StartError> {
        let contracts = match self.contracts {
            Some(c) => c,
            None => ContractSet::builtin()?,
        };
        let library = if self.cassettes.is_empty() {
            None
        } else {
            let mut library = crate::cassette::Library::with_ignored(self.ignore);
            for path in &self.cassettes {
                for file in crate::cassette::Library::files(path)? {
                    let Some(loaded) = crate::cassette::load(&file)? else {
                        return Err(StartError::Cassette(crate::cassette::CassetteError::Io {
                            path: file.display().to_string(),
                            source: std::io::Error::from(std::io::ErrorKind::NotFound),
                        }));
                    };
                    library.add(file, loaded.cassette);
                }
            }
            Some(library)
        };
        let replay = Replay::start_with_tls(contracts, self.config, self.listen, self.tls).await?;
        if let Some(library) = library {
            replay.use_cassettes(library);
        }
        Ok(replay)
    }
}

impl Replay {
    /// A builder: contracts, checks, seed, TLS and cassettes as options.
    pub fn builder() -> ReplayBuilder {
        ReplayBuilder {
            contracts: None,
            config: Config::default(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: None,
            cassettes: Vec::new(),
            ignore: Vec::new(),
        }
    }

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
