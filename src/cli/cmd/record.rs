//! `docpact record`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cassette::{RecordMode, RecordOptions, RecordProxy, Upstream, UpstreamKey};
use crate::cli::args::{CassetteCommand, RecordArgs, RecordModeArg, VerifyArgs};
use crate::cli::cmd::contracts::load;
use crate::cli::cmd::serve::{credentials_file, init_logging, stop_signal};
use crate::cli::error::{CliError, exit_codes};
use crate::cli::output::conclude;
use crate::contract::Provider;
use crate::protocol::Credentials;
use crate::replay::Tls;
use crate::report::{Item, Results, Status};

/// The real keys: the file's first enabled key per provider, else the environment.
fn upstream_keys(
    args: &RecordArgs,
) -> Result<(Option<UpstreamKey>, Option<UpstreamKey>), CliError> {
    if let Some(path) = &args.upstream_credentials {
        let creds = credentials_file(path)?;
        let key = |p: Provider| {
            creds.first_active(p).map(|k| UpstreamKey {
                id: k.id.clone(),
                secret: k.secret.expose().to_string(),
                token: None,
            })
        };
        let keys = (key(Provider::Alibaba), key(Provider::Tencent));
        if keys.0.is_none() && keys.1.is_none() {
            return Err(CliError::Usage(format!(
                "{}: no enabled key for either provider",
                path.display()
            )));
        }
        return Ok(keys);
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let pair = |id: &str, secret: &str, token: &str| -> Result<Option<UpstreamKey>, CliError> {
        match (var(id), var(secret)) {
            (Some(id), Some(secret)) => Ok(Some(UpstreamKey {
                id,
                secret,
                token: var(token),
            })),
            (None, None) => Ok(None),
            _ => Err(CliError::Usage(format!(
                "set both {id} and {secret}, or neither"
            ))),
        }
    };
    let keys = (
        pair(
            "DOCPACT_UPSTREAM_ACCESS_KEY_ID",
            "DOCPACT_UPSTREAM_ACCESS_KEY_SECRET",
            "DOCPACT_UPSTREAM_SECURITY_TOKEN",
        )?,
        pair(
            "DOCPACT_UPSTREAM_SECRET_ID",
            "DOCPACT_UPSTREAM_SECRET_KEY",
            "DOCPACT_UPSTREAM_TOKEN",
        )?,
    );
    if keys.0.is_none() && keys.1.is_none() {
        return Err(CliError::Usage(
            "no real credentials: set DOCPACT_UPSTREAM_ACCESS_KEY_ID and DOCPACT_UPSTREAM_ACCESS_KEY_SECRET \
             (Alibaba Cloud) and/or DOCPACT_UPSTREAM_SECRET_ID and DOCPACT_UPSTREAM_SECRET_KEY (Tencent Cloud), \
             or pass --upstream-credentials FILE"
                .into(),
        ));
    }
    Ok(keys)
}

pub(crate) fn run(
    args: &RecordArgs,
    contracts: Option<&Path>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    init_logging();
    let set = load(contracts)?;
    let (alibaba, tencent) = upstream_keys(args)?;
    let upstream = args
        .upstream
        .as_deref()
        .map(Upstream::parse)
        .transpose()
        .map_err(CliError::Usage)?;
    let patterns = args
        .redact
        .iter()
        .map(|p| regex::Regex::new(p).map_err(|e| CliError::Usage(format!("--redact {p:?}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let client_credentials = match &args.credentials {
        Some(path) => credentials_file(path)?,
        None => Credentials::test(),
    };
    let ca_file = args.ca_file.clone().unwrap_or_else(|| {
        std::env::var_os("SSL_CERT_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/etc/ssl/certs/ca-certificates.crt"))
    });
    let opts = RecordOptions {
        cassette: args.cassette.clone(),
        mode: match args.mode {
            RecordModeArg::New => RecordMode::New,
            RecordModeArg::Append => RecordMode::Append,
            RecordModeArg::Overwrite => RecordMode::Overwrite,
        },
        upstream,
        alibaba,
        tencent,
        client_credentials,
        patterns,
        ignore: args.cassette_ignore.clone(),
        ca_file,
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let tls = if args.tls {
        let tls = Tls::generate()?;
        std::fs::write(&args.tls_out, &tls.cert_pem)?;
        Some(tls)
    } else {
        None
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let stop = stop_signal();
        let proxy = RecordProxy::start(set, opts, args.listen, tls).await?;
        for note in &proxy.notes {
            tracing::warn!("{note}");
        }
        let banner = writeln!(
            out,
            "docpact recording into {} on {scheme}://{}",
            args.cassette.display(),
            proxy.address()
        )
        .and_then(|()| out.flush());
        if let Err(e) = banner {
            tracing::warn!(error = %e, "cannot write the banner to stdout");
        }
        stop.await;
        let s = proxy.finish().await?;
        tracing::info!(
            "recorded {} interactions into {} ({} in all; {} already there, {} refused by the upstream for the signature)",
            s.added,
            s.path.display(),
            s.total,
            s.skipped,
            s.refused
        );
        Ok(exit_codes::OK)
    })
}

/// `docpact verify`: cassettes against the contracts, through the results model.
pub(crate) fn verify(
    args: &VerifyArgs,
    contracts: Option<&Path>,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let started = std::time::Instant::now();
    let set = load(contracts)?;
    let mut results = Results::new("verify");
    let mut cassettes = Vec::new();
    for path in &args.cassettes {
        let name = path.display().to_string();
        match crate::cassette::Library::files(path) {
            Ok(files) if files.is_empty() => results.push(Item::new(
                &name,
                Status::Error,
                &name,
                format!("{name}: no cassette (*.json) there"),
            )),
            Ok(files) => {
                for file in files {
                    let fname = file.display().to_string();
                    match crate::cassette::load(&file) {
                        Ok(Some(loaded)) => cassettes.push((fname, loaded.cassette)),
                        Ok(None) => results.push(Item::new(
                            &fname,
                            Status::Error,
                            &fname,
                            format!("{fname}: no such cassette"),
                        )),
                        Err(e) => {
                            results.push(Item::new(&fname, Status::Error, &fname, e.to_string()))
                        }
                    }
                }
            }
            Err(e) => results.push(Item::new(&name, Status::Error, &name, e.to_string())),
        }
    }
    for item in crate::cassette::verify(&set, &cassettes) {
        results.push(item);
    }
    conclude(results, started, args.format, &args.files, color, out)
}

/// `docpact cassette export|import`.
pub(crate) fn cassette(
    c: &CassetteCommand,
    contracts: Option<&Path>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let set = load(contracts)?;
    match c {
        CassetteCommand::Export(a) => {
            let Some(loaded) = crate::cassette::load(&a.cassette)? else {
                return Err(CliError::Usage(format!(
                    "{}: no such cassette",
                    a.cassette.display()
                )));
            };
            let har = crate::cassette::har::export(&loaded.cassette, &set);
            let text = serde_json::to_string_pretty(&har).map_err(std::io::Error::other)? + "\n";
            match &a.out {
                Some(path) => std::fs::write(path, text)
                    .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?,
                None => out.write_all(text.as_bytes())?,
            }
            Ok(exit_codes::OK)
        }
        CassetteCommand::Import(a) => {
            let text = std::fs::read_to_string(&a.har)
                .map_err(|e| CliError::Usage(format!("{}: {e}", a.har.display())))?;
            let har: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                CliError::Usage(format!(
                    "{}:{}:{}: not JSON: {e}",
                    a.har.display(),
                    e.line(),
                    e.column()
                ))
            })?;
            let patterns = a
                .redact
                .iter()
                .map(|p| {
                    regex::Regex::new(p)
                        .map_err(|e| CliError::Usage(format!("--redact {p:?}: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let existing = if a.overwrite {
                None
            } else {
                crate::cassette::load(&a.cassette)?.map(|l| l.cassette)
            };
            let mut cassette = existing.unwrap_or_else(crate::cassette::har::empty_cassette);
            let before = cassette.interactions.len();
            let notes = crate::cassette::har::import(&har, &set, &mut cassette, patterns)
                .map_err(|e| CliError::Usage(format!("{}: {e}", a.har.display())))?;
            for note in &notes {
                eprintln!("warning: {}: {note}", a.har.display());
            }
            crate::cassette::save(&a.cassette, &cassette)?;
            writeln!(
                out,
                "imported {} of {} entries into {} ({} interactions in all)",
                cassette.interactions.len() - before,
                cassette.interactions.len() - before + notes.len(),
                a.cassette.display(),
                cassette.interactions.len()
            )?;
            Ok(exit_codes::OK)
        }
    }
}
