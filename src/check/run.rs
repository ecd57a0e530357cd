//! A check run: servers (one per job, or a running one), one driver per job, every
//! selected case through reset → queued outcomes → calls → exchanges → judgement →
//! snapshot → known failures, then the results.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio_rustls::rustls::ClientConfig;

use super::case::{Case, in_partition};
use super::driver::{Driver, DriverCommand, StartError};
use super::http::{HttpError, send, tls_trusting};
use super::judge::{CallRun, judge};
use super::known::KnownFailures;
use super::protocol::CaseMessage;
use super::snapshot::{Compared, compare, path_for, pending_path, write_snap};
use crate::contract::{ContractSet, Provider};
use crate::protocol::{
    HttpRequest, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, TEST_SECRET_ID, TEST_SECRET_KEY,
};
use crate::replay::{Config, Exchange, Outcome, Replay, Tls};
use crate::report::{ContractSetInfo, Deferred, DriverInfo, Item, Results, Status};

/// The seed of the checker's servers: generated IDs and RequestIds are the same in every
/// run, so snapshots are stable.
pub const CHECK_SEED: u64 = 0x00D0_C9AC;

/// How many whole exchanges a checker server keeps (a case resets them).
const CAPTURE: usize = 256;

/// Everything a check run needs to know.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The driver command (its environment is completed by the run).
    pub driver: DriverCommand,
    /// The driver's name in results and snapshot folders.
    pub name: String,
    /// `--client`, passed to the driver.
    pub client: Option<String>,
    /// Operations the driver drives (globs; empty: all).
    pub operations: Vec<glob::Pattern>,
    /// Cases to run (globs; empty: all).
    pub cases: Vec<glob::Pattern>,
    /// `K/N`.
    pub partition: Option<(u32, u32)>,
    /// Parallel jobs, each with its own server and driver.
    pub jobs: usize,
    /// The timeout drivers give their clients.
    pub client_timeout_ms: u64,
    /// A running server (`host:port`) instead of in-process ones.
    pub endpoint: Option<String>,
    /// Serve (or reach the running server) over https.
    pub tls: bool,
    /// The CA that signed a running server's certificate (`--endpoint` with `--tls`).
    pub ca_cert: Option<PathBuf>,
    /// Where snapshots live.
    pub snapshots: Option<PathBuf>,
    /// Write changed and new snapshots instead of failing.
    pub accept: bool,
    /// Failures expected, with reasons.
    pub known: Option<KnownFailures>,
}

/// Why a run could not happen (not a conformance failure).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The driver cannot be started.
    #[error(transparent)]
    Start(#[from] StartError),
    /// An in-process server could not start.
    #[error("cannot start a replay server")]
    Serve(#[source] std::io::Error),
    /// TLS could not be set up.
    #[error("cannot set up TLS")]
    Tls(#[from] crate::replay::TlsError),
    /// The running server named by `--endpoint` cannot be used.
    #[error("cannot use the server at {endpoint}: {message}")]
    Remote {
        /// The address.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// Talking to the running server failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// No selected case is one the driver drives.
    #[error("{0}")]
    NothingRan(String),
    /// A snapshot could not be written.
    #[error("cannot write the snapshot {path}")]
    Snapshot {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// What a run reports as it goes.
pub trait Progress: Send + Sync {
    /// The run has `total` cases.
    fn start(&self, total: usize);
    /// One case is judged.
    fn case_done(&self, item: &Item);
    /// The run is over.
    fn finish(&self);
}

/// A progress that says nothing.
#[derive(Debug)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize) {}
    fn case_done(&self, _: &Item) {}
    fn finish(&self) {}
}

/// The cases a run takes: `--operations`, `--cases` and `--partition` applied.
pub fn select(cases: Vec<Case>, opts: &CheckOptions) -> Vec<Case> {
    cases
        .into_iter()
        .filter(|c| {
            opts.operations.is_empty() || opts.operations.iter().any(|p| p.matches(&c.operation))
        })
        .filter(|c| opts.cases.is_empty() || opts.cases.iter().any(|p| p.matches(&c.id)))
        .filter(|c| {
            opts.partition
                .is_none_or(|(k, n)| in_partition(&c.id, k, n))
        })
        .collect()
}

enum Server {
    Local(Replay),
    Remote {
        addr: String,
        tls: Option<Arc<ClientConfig>>,
    },
}

const ADMIN_TIMEOUT: Duration = Duration::from_secs(10);

impl Server {
    fn endpoint(&self) -> String {
        match self {
            Server::Local(r) => r.endpoint(),
            Server::Remote { addr, .. } => addr.clone(),
        }
    }

    async fn admin(&self, method: &str, route: &str, body: &str) -> Result<Value, CheckError> {
        let Server::Remote { addr, tls } = self else {
            return Ok(Value::Null);
        };
        let req = HttpRequest::new(method, &format!("{}{route}", crate::replay::ADMIN_PREFIX))
            .with_header("content-type", "application/json")
            .with_body(body.to_string());
        let res = send(addr, tls.clone(), &req, ADMIN_TIMEOUT).await?;
        let value: Value = serde_json::from_slice(&res.body).unwrap_or(Value::Null);
        if res.status != 200 {
            return Err(CheckError::Remote {
                endpoint: addr.clone(),
                message: format!(
                    "{method} {route} answered {}: {}",
                    res.status,
                    value
                        .get("error")
                        .and_then(Value::as_str)
                        .unwrap_or("not docpact's admin API")
                ),
            });
        }
        Ok(value)
    }

    async fn reset(&self) -> Result<(), CheckError> {
        match self {
            Server::Local(r) => r.reset(),
            Server::Remote { .. } => {
                // The checker's seed, whatever the server was started with: stable snapshots.
                self.admin("POST", "reset", &format!("{{\"seed\":{CHECK_SEED}}}"))
                    .await?;
            }
        }
        Ok(())
    }

    async fn queue(&self, op: &str, outcome: &Outcome, times: u32) -> Result<(), CheckError> {
        match self {
            Server::Local(r) => {
                for _ in 0..times {
                    r.force(op, outcome.clone())
                        .map_err(|message| CheckError::Remote {
                            endpoint: r.endpoint(),
                            message,
                        })?;
                }
            }
            Server::Remote { .. } => {
                let mut body = serde_json::json!({"operation": op, "times": times});
                match outcome {
                    Outcome::Error(code) => body["error"] = code.clone().into(),
                    Outcome::Delay(ms) => body["delay_ms"] = (*ms).into(),
                    Outcome::Reset => body["fault"] = "reset".into(),
                    Outcome::Throttle => body["fault"] = "throttle".into(),
                    Outcome::Status(s) => body["fault"] = format!("http{s}").into(),
                }
                self.admin("POST", "outcomes", &body.to_string()).await?;
            }
        }
        Ok(())
    }

    /// The exchanges since the last reset; an error when the server had to drop some, as
    /// the checker would judge a case on part of what the client sent.
    async fn exchanges(&self) -> Result<Vec<Exchange>, CheckError> {
        let (exchanges, dropped) = match self {
            Server::Local(r) => r.exchanges(),
            Server::Remote { addr, .. } => {
                let v = self.admin("GET", "exchanges", "").await?;
                let exchanges =
                    serde_json::from_value(v.get("exchanges").cloned().unwrap_or(Value::Null))
                        .map_err(|e| CheckError::Remote {
                            endpoint: addr.clone(),
                            message: format!("its exchanges cannot be read: {e}"),
                        })?;
                (
                    exchanges,
                    v.get("dropped").and_then(Value::as_u64).unwrap_or(0),
                )
            }
        };
        if dropped > 0 {
            return Err(CheckError::Remote {
                endpoint: self.endpoint(),
                message: format!(
                    "it dropped {dropped} exchange(s) of one case to stay within its bounds: start it with a larger --capture (256 is plenty)"
                ),
            });
        }
        Ok(exchanges)
    }
}

/// A file removed when dropped (the generated CA certificate of a run).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct Shared {
    set: ContractSet,
    opts: CheckOptions,
    queue: Mutex<VecDeque<(usize, Case)>>,
    items: Mutex<Vec<Option<Item>>>,
    /// Case IDs answered twice, found after their judgement.
    twice: Mutex<Vec<String>>,
    about: Mutex<Option<String>>,
    /// The operations the driver declared, if it did.
    declared: Mutex<Option<Vec<String>>>,
}

fn provider_of(set: &ContractSet, op: &str) -> Provider {
    set.find(op)
        .map_or(Provider::Alibaba, |l| l.contract.provider)
}

/// Whether the driver drives `operation`: true unless it declared operations that leave it out.
fn drives(driver: &Driver, operation: &str) -> bool {
    let Some(ops) = driver.declared.as_ref().and_then(|d| d.operations.as_ref()) else {
        return true;
    };
    ops.iter()
        .any(|g| glob::Pattern::new(g).is_ok_and(|p| p.matches(operation)))
}

async fn run_case(
    shared: &Shared,
    server: &Server,
    driver: &mut Driver,
    case: &Case,
) -> Result<Option<Item>, CheckError> {
    let opts = &shared.opts;
    if !drives(driver, &case.operation) {
        return Ok(None);
    }
    let started = Instant::now();
    server.reset().await?;
    for (outcome, times) in &case.queue {
        server.queue(&case.operation, outcome, *times).await?;
    }
    let mut runs = Vec::new();
    let mut seen = 0;
    for (i, call) in case.calls.iter().enumerate() {
        let id = if case.calls.len() > 1 {
            format!("{}#{}", case.id, i + 1)
        } else {
            case.id.clone()
        };
        let msg = CaseMessage {
            id,
            operation: case.operation.clone(),
            params: call.params.clone(),
            client: opts.client.clone(),
            credentials: call.credentials.clone(),
        };
        // A oneshot driver that reads only its environment still gets the case's keys.
        let mut env = Vec::new();
        if let Some(c) = &call.credentials {
            let (id_var, secret_var) = match provider_of(&shared.set, &case.operation) {
                Provider::Alibaba => ("DOCPACT_ACCESS_KEY_ID", "DOCPACT_ACCESS_KEY_SECRET"),
                Provider::Tencent => ("DOCPACT_SECRET_ID", "DOCPACT_SECRET_KEY"),
            };
            env.push((id_var.to_string(), c.key_id.clone()));
            env.push((secret_var.to_string(), c.secret.clone()));
        }
        let result = driver.call(&msg, &env).await?;
        if !result.again.is_empty()
            && let Ok(mut twice) = shared.twice.lock()
        {
            twice.extend(result.again.iter().cloned());
        }
        if let Some(d) = &driver.declared {
            if let Ok(mut about) = shared.about.lock() {
                about.clone_from(&d.about);
            }
            if let Ok(mut declared) = shared.declared.lock() {
                declared.clone_from(&d.operations);
            }
        }
        if !drives(driver, &case.operation) {
            // Declared (on the driver's first line) out of its reach: not a case for it.
            return Ok(None);
        }
        let all = server.exchanges().await?;
        let new = all.get(seen.min(all.len())..).unwrap_or_default().to_vec();
        seen = all.len();
        let failed = result.answer.is_err();
        runs.push(CallRun {
            message: msg,
            result: result.answer,
            exchanges: new,
        });
        if failed {
            break;
        }
    }
    let j = judge(case, &runs, &shared.set, &opts.name, &server.endpoint());
    let mut item = Item::new(&case.id, j.status, &case.operation, j.message);
    item.driver = Some(opts.name.clone());
    item.notes = j.notes;
    if j.problems.len() > 1 {
        item.notes
            .extend(j.problems.iter().skip(1).map(|p| format!("also: {p}")));
    }
    item.diff = j.diff;
    item.case = Some(j.record);
    if let (Some(dir), Some(content)) = (&opts.snapshots, &j.snapshot) {
        snapshot(dir, opts, case, content, &mut item)?;
    }
    item.duration_ms = Some(started.elapsed().as_millis() as u64);
    Ok(Some(item))
}

fn snapshot(
    dir: &std::path::Path,
    opts: &CheckOptions,
    case: &Case,
    content: &str,
    item: &mut Item,
) -> Result<(), CheckError> {
    let path = path_for(dir, &opts.name, &case.id);
    let pending = pending_path(&path);
    let write = |p: &std::path::Path| {
        let text = write_snap(
            "docpact check",
            Some(&format!("driver {}", opts.name)),
            Some(&case.id),
            content,
        );
        crate::report::write_file(p, &text).map_err(|source| CheckError::Snapshot {
            path: p.to_path_buf(),
            source,
        })
    };
    let shown = path.display().to_string();
    match compare(&path, content) {
        Compared::Same => {
            let _ = std::fs::remove_file(&pending);
        }
        Compared::New | Compared::Changed(_) if opts.accept => {
            write(&path)?;
            let _ = std::fs::remove_file(&pending);
            item.notes.push(format!("snapshot written: {shown}"));
        }
        Compared::New => {
            write(&pending)?;
            item.status = Status::Fail;
            item.message = format!(
                "no reviewed snapshot: wrote {} (review it with cargo insta review, or run with --accept)",
                pending.display()
            );
        }
        Compared::Changed(diff) => {
            write(&pending)?;
            if item.status != Status::Fail {
                item.status = Status::Fail;
                item.message =
                    format!("the snapshot changed: {shown} (new one beside it, .snap.new)");
            } else {
                item.notes
                    .push(format!("the snapshot changed too: {shown}"));
            }
            item.diff = Some(match item.diff.take() {
                Some(d) => format!("{d}\n{diff}"),
                None => diff,
            });
        }
        Compared::Unreadable(why) => {
            item.status = Status::Fail;
            item.message = format!("the stored snapshot cannot be read: {why}");
        }
    }
    Ok(())
}

async fn job(
    shared: Arc<Shared>,
    server: Server,
    mut driver: Driver,
    progress: Arc<dyn Progress>,
) -> Result<(), CheckError> {
    loop {
        let next = shared.queue.lock().ok().and_then(|mut q| q.pop_front());
        let Some((index, case)) = next else { break };
        let item = run_case(&shared, &server, &mut driver, &case).await?;
        if let Some(item) = &item {
            progress.case_done(item);
        }
        if let Ok(mut items) = shared.items.lock() {
            items[index] = item;
        }
    }
    let late = driver.finish().await;
    if let Ok(mut twice) = shared.twice.lock() {
        twice.extend(late);
    }
    Ok(())
}

fn driver_env(opts: &CheckOptions, endpoint: &str, ca: Option<&str>) -> Vec<(String, String)> {
    let mut env = vec![
        ("DOCPACT_ENDPOINT".to_string(), endpoint.to_string()),
        ("DOCPACT_ACCESS_KEY_ID".into(), TEST_ACCESS_KEY_ID.into()),
        (
            "DOCPACT_ACCESS_KEY_SECRET".into(),
            TEST_ACCESS_KEY_SECRET.into(),
        ),
        ("DOCPACT_SECRET_ID".into(), TEST_SECRET_ID.into()),
        ("DOCPACT_SECRET_KEY".into(), TEST_SECRET_KEY.into()),
        (
            "DOCPACT_CLIENT_TIMEOUT_MS".into(),
            opts.client_timeout_ms.to_string(),
        ),
    ];
    if let Some(c) = &opts.client {
        env.push(("DOCPACT_CLIENT".into(), c.clone()));
    }
    if let Some(ca) = ca {
        env.push(("DOCPACT_CA_CERT".into(), ca.to_string()));
    }
    env
}

/// Runs `cases` (already selected) through the driver; the results carry one item per case
/// the driver drives, then warnings for snapshots no case produced.
pub async fn run(
    set: &ContractSet,
    cases: Vec<Case>,
    opts: &CheckOptions,
    progress: Arc<dyn Progress>,
) -> Result<Results, CheckError> {
    let started = Instant::now();
    let started_at = crate::protocol::encoding::iso8601(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    );
    let jobs = opts.jobs.max(1).min(cases.len().max(1));
    // Servers, and the CA drivers trust.
    let mut servers = Vec::new();
    let mut ca_file = None;
    match &opts.endpoint {
        Some(addr) => {
            let tls = match (&opts.tls, &opts.ca_cert) {
                (true, Some(ca)) => Some(tls_trusting(&ca.display().to_string())?),
                (true, None) => {
                    return Err(CheckError::Remote {
                        endpoint: addr.clone(),
                        message: "--tls with --endpoint needs --ca-cert, the certificate the server's was issued by".into(),
                    });
                }
                _ => None,
            };
            let server = Server::Remote {
                addr: addr.clone(),
                tls,
            };
            // Exchanges must be kept for the checker to see the wire.
            server.reset().await?;
            server.exchanges().await?;
            servers.push(server);
        }
        None => {
            let tls = if opts.tls {
                Some(Tls::generate()?)
            } else {
                None
            };
            if let Some(t) = &tls {
                let path = std::env::temp_dir()
                    .join(format!("docpact-check-{}-ca.pem", std::process::id()));
                std::fs::write(&path, &t.cert_pem).map_err(CheckError::Serve)?;
                ca_file = Some(TempFile(path));
            }
            for _ in 0..jobs {
                let config = Config {
                    capture: CAPTURE,
                    seed: Some(CHECK_SEED),
                    ..Config::default()
                };
                let replay = Replay::start_with_tls(
                    set.clone(),
                    config,
                    ([127, 0, 0, 1], 0).into(),
                    tls.clone(),
                )
                .await
                .map_err(CheckError::Serve)?;
                servers.push(Server::Local(replay));
            }
        }
    }
    let ca = opts
        .ca_cert
        .as_ref()
        .map(|p| p.display().to_string())
        .or_else(|| ca_file.as_ref().map(|f| f.0.display().to_string()));
    let total = cases.len();
    let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    let shared = Arc::new(Shared {
        set: set.clone(),
        opts: opts.clone(),
        queue: Mutex::new(cases.into_iter().enumerate().collect()),
        items: Mutex::new(vec![None; total]),
        twice: Mutex::new(Vec::new()),
        about: Mutex::new(None),
        declared: Mutex::new(None),
    });
    progress.start(total);
    let mut drivers = Vec::new();
    for server in &servers {
        let mut cmd = opts.driver.clone();
        cmd.env
            .extend(driver_env(opts, &server.endpoint(), ca.as_deref()));
        let mut d = Driver::new(cmd);
        d.start().await?;
        drivers.push(d);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (server, driver) in servers.into_iter().zip(drivers) {
        tasks.spawn(job(shared.clone(), server, driver, progress.clone()));
    }
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                first_error.get_or_insert(e);
                // Stop the other jobs: a setup error ends the run.
                if let Ok(mut q) = shared.queue.lock() {
                    q.clear();
                }
            }
            Err(e) => {
                first_error.get_or_insert(CheckError::Serve(std::io::Error::other(e.to_string())));
            }
        }
    }
    progress.finish();
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut results = Results::new("check");
    results.started_at = Some(started_at);
    results.contracts = Some(ContractSetInfo {
        root: set.root().to_string(),
        count: set.len(),
        fingerprint: set.fingerprint(),
    });
    results.partition = opts.partition.map(|(k, n)| format!("{k}/{n}"));
    results.drivers.push(DriverInfo {
        name: opts.name.clone(),
        command: shlex::try_join(opts.driver.argv.iter().map(String::as_str)).unwrap_or_default(),
        mode: opts.driver.mode.name().to_string(),
        client: opts.client.clone(),
        about: shared.about.lock().ok().and_then(|a| a.clone()),
        deferred: None,
    });
    let mut items: Vec<Item> = shared
        .items
        .lock()
        .map(|mut i| std::mem::take(&mut *i))
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    // Answers given twice, found after the case was judged.
    let twice: Vec<String> = shared.twice.lock().map(|t| t.clone()).unwrap_or_default();
    for id in twice {
        let case_id = id.split('#').next().unwrap_or(&id);
        if let Some(item) = items.iter_mut().find(|i| i.id == case_id) {
            item.status = Status::Fail;
            item.message = format!("the driver answered twice (call {id})");
        }
    }
    // Known failures: each case alone.
    if let Some(known) = &opts.known {
        for item in &mut items {
            let Some(entry) = known.find(&opts.name, &item.id) else {
                continue;
            };
            match item.status {
                Status::Fail => {
                    item.status = Status::KnownFailure;
                    item.reason = Some(entry.reason.clone());
                }
                Status::Pass | Status::Refused => {
                    item.status = Status::UnexpectedPass;
                    item.message = format!(
                        "listed as a known failure ({}:{}: {}) but it passes: remove the entry",
                        known.path, entry.line, entry.reason
                    );
                }
                _ => {}
            }
        }
    }
    if items.is_empty() {
        let declared = shared
            .declared
            .lock()
            .ok()
            .and_then(|d| d.clone())
            .map(|ops| format!(" (it declared {})", ops.join(", ")))
            .unwrap_or_default();
        return Err(CheckError::NothingRan(format!(
            "the driver drives none of the {} selected case(s){declared}",
            ids.len()
        )));
    }
    // Checks of the whole run: entries of the known-failures file that list no case (when
    // no case was left out), and snapshots that no case produced (when no case of the
    // operations that ran was left out). A partition leaves them to the joined partitions.
    let filtered = !opts.cases.is_empty() || !opts.operations.is_empty();
    if opts.partition.is_some() && opts.cases.is_empty() {
        let deferred = Deferred {
            known_failures: opts
                .known
                .as_ref()
                .filter(|_| opts.operations.is_empty())
                .map(|k| k.path.clone()),
            snapshots: opts.snapshots.as_ref().map(|d| d.display().to_string()),
        };
        if let Some(d) = results.drivers.last_mut()
            && (deferred.known_failures.is_some() || deferred.snapshots.is_some())
        {
            d.deferred = Some(deferred);
        }
    }
    if opts.partition.is_none() && !filtered {
        let ran: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        let stale = opts
            .known
            .as_ref()
            .map(|known| stale_known_failures(known, &opts.name, &ran))
            .unwrap_or_default();
        items.extend(stale);
    }
    // Snapshots are looked for only in the folders of the operations the driver ran, so a
    // run of some operations (`--operations`) can tell them too.
    if let Some(dir) = &opts.snapshots
        && opts.cases.is_empty()
        && opts.partition.is_none()
    {
        let operations = items.iter().map(|i| i.group.as_str()).collect();
        let stale = stale_snapshots(dir, &opts.name, &ids, operations);
        items.extend(stale);
    }
    results.items = items;
    results.duration_ms = started.elapsed().as_millis() as u64;
    results.finish();
    Ok(results)
}

/// Warnings for the entries of `known` that apply to `driver` and list none of the cases
/// `ran`: stale, or a typo.
fn stale_known_failures(known: &KnownFailures, driver: &str, ran: &[&str]) -> Vec<Item> {
    known
        .for_driver(driver)
        .filter(|entry| !ran.iter().any(|id| entry.matches(id)))
        .map(|entry| {
            let place = format!("{}:{}", known.path, entry.line);
            Item::new(
                &place,
                Status::Warning,
                "known failures",
                format!(
                    "{} lists no case of this run: remove it if it is stale",
                    entry.glob
                ),
            )
            .at(&known.path, u32::try_from(entry.line).ok(), None)
        })
        .collect()
}

/// Warnings for the snapshots in `dir` that none of the cases `ids` of `driver` produced,
/// in the folder of each of the `operations` it ran (each operation, profiles included, has
/// a folder of its own).
fn stale_snapshots(
    dir: &Path,
    driver: &str,
    ids: &[String],
    operations: std::collections::BTreeSet<&str>,
) -> Vec<Item> {
    let produced: std::collections::HashSet<PathBuf> =
        ids.iter().map(|id| path_for(dir, driver, id)).collect();
    let mut out = Vec::new();
    for op in operations {
        let Some(folder) = path_for(dir, driver, &format!("{op}/x"))
            .parent()
            .map(PathBuf::from)
        else {
            continue;
        };
        let mut stale: Vec<PathBuf> = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "snap") && !produced.contains(p))
            .collect();
        stale.sort();
        for path in stale {
            let shown = path.display().to_string();
            out.push(
                Item::new(
                    &shown,
                    Status::Warning,
                    op,
                    "no case produced this snapshot (a case was removed or renamed): delete it if so",
                )
                .at(&shown, None, None),
            );
        }
    }
    out
}

/// Makes the checks that the partitions of a run deferred ([`Deferred`]), once `results`
/// join all of them ([`crate::report::merge`] keeps a driver's deferred checks only then),
/// over the cases of each such driver.
pub fn complete(results: &mut Results) {
    let mut added = Vec::new();
    for d in &mut results.drivers {
        let Some(deferred) = d.deferred.take() else {
            continue;
        };
        let cases: Vec<&Item> = results
            .items
            .iter()
            .filter(|i| i.case.is_some() && i.driver.as_deref() == Some(d.name.as_str()))
            .collect();
        let mut found = Vec::new();
        if let Some(path) = &deferred.known_failures {
            match KnownFailures::load(Path::new(path)) {
                Ok(known) => {
                    let ran: Vec<&str> = cases.iter().map(|i| i.id.as_str()).collect();
                    found.extend(stale_known_failures(&known, &d.name, &ran));
                }
                Err(e) => found.push(
                    Item::new(
                        path,
                        Status::Warning,
                        "known failures",
                        format!("the joined partitions cannot be checked against it: {e}"),
                    )
                    .at(path, None, None),
                ),
            }
        }
        if let Some(dir) = &deferred.snapshots {
            if Path::new(dir).is_dir() {
                let ids: Vec<String> = cases.iter().map(|i| i.id.clone()).collect();
                let operations = cases.iter().map(|i| i.group.as_str()).collect();
                found.extend(stale_snapshots(Path::new(dir), &d.name, &ids, operations));
            } else {
                found.push(
                    Item::new(
                        dir,
                        Status::Warning,
                        "snapshots",
                        "the joined partitions cannot be checked for stale snapshots: there is no such folder here",
                    )
                    .at(dir, None, None),
                );
            }
        }
        for item in &mut found {
            item.driver = Some(d.name.clone());
        }
        added.extend(found);
    }
    if added.is_empty() {
        return;
    }
    results.items.extend(added);
    crate::report::order(&mut results.items);
    results.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deferring(known_failures: Option<String>, snapshots: Option<String>) -> Results {
        let mut results = Results::new("check");
        results.drivers.push(DriverInfo {
            name: "python-tea".into(),
            command: "driver".into(),
            mode: "stream".into(),
            client: None,
            about: None,
            deferred: Some(Deferred {
                known_failures,
                snapshots,
            }),
        });
        results
    }

    #[test]
    fn joined_partitions_make_the_deferred_checks_or_say_why_they_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let known = dir.path().join("known.txt");
        std::fs::write(&known, "tencent/tcr/2019-09-24/Gone/* removed\n").unwrap();
        let mut results = deferring(
            Some(known.display().to_string()),
            Some(dir.path().display().to_string()),
        );
        complete(&mut results);
        assert_eq!(results.drivers[0].deferred, None, "made once");
        let messages: Vec<&str> = results.items.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            messages,
            ["tencent/tcr/2019-09-24/Gone/* lists no case of this run: remove it if it is stale"]
        );
        assert_eq!(results.items[0].driver.as_deref(), Some("python-tea"));
        assert_eq!(results.summary.counts.get(&Status::Warning), Some(&1));
        // Files that are not where the partitions left them.
        let gone = dir.path().join("gone");
        let mut results = deferring(
            Some(gone.join("known.txt").display().to_string()),
            Some(gone.display().to_string()),
        );
        complete(&mut results);
        let messages: Vec<&str> = results.items.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("cannot be checked against it: cannot read")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("no such folder here")),
            "{messages:?}"
        );
    }
}
