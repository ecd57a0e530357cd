//! `docpact serve`.

use std::io::Write;
use std::path::Path;

use crate::cli::args::ServeArgs;
use crate::cli::cmd::contracts::load;
use crate::cli::error::{CliError, exit_codes};
use crate::protocol::Credentials;
use crate::replay::{Config, Replay, Tls};

pub(crate) fn run(
    args: &ServeArgs,
    contracts: Option<&Path>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    init_logging();
    let set = load(contracts)?;
    let mut config = Config::default();
    if let Some(path) = &args.credentials {
        config.credentials = credentials_file(path)?;
    }
    config.seed = args.seed;
    config.verify_signatures = !args.no_verify;
    config.no_auth = args.no_auth;
    config.check_time = !args.no_time_check;
    config.check_nonces = !args.no_nonce_check;
    config.idempotency = !args.no_idempotency;
    config.unique_names = !args.no_unique_names;
    config.rate_limits = !args.no_rate_limits;
    config.journal_capacity = args.journal;
    config.capture = args.capture;
    config.nonces = args.nonces;
    config.header_timeout_ms = args.header_timeout.saturating_mul(1000);
    config.body_timeout_ms = args.body_timeout.saturating_mul(1000);
    config.body_budget = args.body_budget.saturating_mul(1024 * 1024);
    config.strict_cassettes = args.strict;
    let cassettes = match &args.cassettes {
        Some(path) => {
            let (library, notes) =
                crate::cassette::Library::load(path, args.cassette_ignore.clone())?;
            for note in notes {
                tracing::warn!("{note}");
            }
            tracing::info!(interactions = library.len(), path = %path.display(), "cassettes loaded");
            Some(library)
        }
        None => None,
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(Tls::from_pem_files(cert, key)?),
        _ if args.tls => {
            let tls = Tls::generate()?;
            std::fs::write(&args.tls_out, &tls.cert_pem)?;
            Some(tls)
        }
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let operations = set.len();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    // One core: the current-thread scheduler avoids work-stealing overhead (about 15% here).
    let runtime = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()?
    };
    runtime.block_on(async {
        let stop = stop_signal();
        let replay = Replay::start_with_tls(set, config, args.listen, tls)
            .await
            .map_err(|source| CliError::Bind {
                addr: args.listen,
                source,
            })?;
        if let Some(library) = cassettes {
            replay.use_cassettes(library);
        }
        // The banner is for people and scripts; a closed stdout must not stop the server.
        let endpoint = replay.endpoint();
        let banner = writeln!(
            out,
            "docpact serving {operations} operations on {scheme}://{endpoint}"
        )
        .and_then(|()| {
            writeln!(
                out,
                "admin API: {scheme}://{endpoint}/__docpact/ (journal, outcomes, reset, health)"
            )
        })
        .and_then(|()| out.flush());
        if let Err(e) = banner {
            tracing::warn!(error = %e, "cannot write the banner to stdout");
        }
        tracing::info!(address = %replay.endpoint(), "ready");
        stop.await;
        tracing::info!("shutting down");
        let unused = replay.unused_interactions();
        if !unused.is_empty() {
            tracing::warn!("{} recorded interactions were never used:", unused.len());
            for u in &unused {
                tracing::warn!("  unused: {u}");
            }
        }
        replay.shutdown().await;
        Ok(exit_codes::OK)
    })
}

/// A credentials file (the `--credentials` format), read and parsed.
pub(crate) fn credentials_file(path: &Path) -> Result<Credentials, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::Credentials {
        path: path.to_path_buf(),
        source: Box::new(e),
    })?;
    Credentials::parse(&text).map_err(|e| CliError::Credentials {
        path: path.to_path_buf(),
        source: Box::new(e),
    })
}

/// Logs to standard error, `info` and up unless `RUST_LOG` says otherwise.
pub(crate) fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
}

/// Ctrl-C, or SIGTERM where there is one. The handlers are installed when this is called
/// (inside the runtime), not when the future is first polled: call it before announcing the
/// address, so that a signal sent as soon as the banner is read stops the server cleanly
/// instead of killing it.
pub(crate) fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        signal(SignalKind::terminate())
            .ok()
            .zip(signal(SignalKind::interrupt()).ok())
    };
    async move {
        #[cfg(unix)]
        if let Some((mut term, mut int)) = handlers {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
