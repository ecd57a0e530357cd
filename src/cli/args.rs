//! Command-line arguments (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cli::output::{ColorChoice, ReportFiles};
use crate::report::ReportFormat;

/// Executable contracts from cloud API documentation.
#[derive(Debug, Parser)]
#[command(name = "docpact", version, about, propagate_version = true)]
pub struct Cli {
    /// Use the contracts in DIR instead of the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub contracts: Option<PathBuf>,

    /// When to colour output.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show and lint contracts.
    #[command(subcommand)]
    Contracts(ContractsCommand),
    /// Serve the operations on one port, as the providers would answer them.
    Serve(ServeArgs),
    /// Record real traffic into a cassette, through a re-signing proxy.
    ///
    /// Clients sign with docpact's test keys; each request is signed again with the real
    /// keys for the upstream, and what it answered is stored, secrets redacted.
    Record(RecordArgs),
    /// Compare recorded answers with the pages; exit 1 on drift.
    ///
    /// Drift: undocumented fields, documented fields that never came, types that differ,
    /// error codes the pages do not list, recorded requests that break their contract.
    Verify(VerifyArgs),
    /// Cassettes to and from HAR 1.2.
    #[command(subcommand)]
    Cassette(CassetteCommand),
    /// Derive contracts from documentation pages (text as captured, Markdown or HTML).
    Derive(DeriveArgs),
    /// Print where documentation pages contradict themselves, and what derive could not read.
    Lint(PageLintArgs),
    /// Print the JSON Schema of one of docpact's file formats.
    Schema(SchemaArgs),
    /// Run a client through every case the contracts imply, against a replay server, and
    /// gate on what it put on the wire and what it parsed.
    Check(Box<CheckArgs>),
    /// The reference driver: a client on docpact's own signers that speaks the driver
    /// protocol (stream mode) on standard input and output.
    Driver(DriverArgs),
    /// The conformance report of one or more results files: HTML, Markdown, JSON, a badge;
    /// coverage and trend.
    Report(ReportArgs),
}

/// Arguments of `report`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportArgs {
    /// Merge results instead of reporting on them.
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
    /// Results files (`check --results`, `--report json=FILE` of any command); several are
    /// merged (partitions, drivers).
    #[arg(value_name = "RESULTS")]
    pub results: Vec<PathBuf>,
    /// Write the report as one self-contained HTML file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the report as Markdown.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write the merged results, with coverage and trend, as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write an SVG badge with the pass rate.
    #[arg(long, value_name = "FILE")]
    pub badge: Option<PathBuf>,
    /// Fail (exit 1) below a coverage: KIND=PERCENT over the run, or DRIVER:KIND=PERCENT
    /// (KIND: params, errors, fields, constraints); repeatable.
    #[arg(long, value_name = "[DRIVER:]KIND=PERCENT")]
    pub min_coverage: Vec<crate::report::Threshold>,
    /// Earlier results to compare with: new failures, fixed cases, snapshot changes,
    /// coverage up or down.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Earlier results, oldest first: cases whose outcome flipped more than once are flaky.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub history: Vec<PathBuf>,
}

/// `docpact report ...` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Join results (the partitions of a run, several drivers) into one results file.
    Merge(MergeArgs),
}

/// Arguments of `report merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The results files.
    #[arg(value_name = "RESULTS", required = true)]
    pub results: Vec<PathBuf>,
    /// Where to write the merged results (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The driver command, split as a shell would and run from the current folder
    /// (`"python drivers/python/driver.py"`).
    #[arg(long, value_name = "CMD", required_unless_present = "list")]
    pub driver: Option<String>,
    /// How the driver is run: one process for all cases (stream) or one per call.
    #[arg(long, value_enum, default_value = "stream", value_name = "MODE")]
    pub mode: crate::check::Mode,
    /// The driver's name in results and snapshot folders (default: from the command and
    /// --client).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The client a driver that wraps several should use (sent with each case and as
    /// DOCPACT_CLIENT).
    #[arg(long, value_name = "NAME")]
    pub client: Option<String>,
    /// Only cases of operations matching GLOB (repeatable; `*` matches across `/`).
    #[arg(long, value_name = "GLOB")]
    pub operations: Vec<String>,
    /// Only cases whose ID matches GLOB (repeatable; `*` matches across `/`).
    #[arg(long, value_name = "GLOB")]
    pub cases: Vec<String>,
    /// Print the selected case IDs and exit.
    #[arg(long)]
    pub list: bool,
    /// Compare each case with its snapshot under DIR/<name>/ (insta's .snap format).
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Write new and changed snapshots instead of failing on them.
    #[arg(long, requires = "snapshots")]
    pub accept: bool,
    /// How long one call may take before the driver is killed, seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub case_timeout: f64,
    /// The timeout drivers give their clients (DOCPACT_CLIENT_TIMEOUT_MS); the timeout
    /// fault answers later than this.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub client_timeout: u64,
    /// Cases expected to fail, with reasons (one `GLOB reason` per line; a `[NAME]` line starts
    /// the entries of the driver named NAME).
    #[arg(long, value_name = "FILE")]
    pub known_failures: Option<PathBuf>,
    /// Run the K-th of N parts of the cases (K from 1), split by a stable hash of the ID.
    #[arg(long, value_name = "K/N", value_parser = parse_partition)]
    pub partition: Option<(u32, u32)>,
    /// Cases run in parallel, each job with its own server and driver.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
    /// Use the docpact server at HOST:PORT (started with --capture) instead of starting one.
    #[arg(long, value_name = "HOST:PORT")]
    pub endpoint: Option<String>,
    /// Serve https (a generated loopback certificate; its PEM is DOCPACT_CA_CERT).
    #[arg(long)]
    pub tls: bool,
    /// With --endpoint and --tls: the CA certificate to trust.
    #[arg(long, value_name = "FILE", requires = "endpoint")]
    pub ca_cert: Option<PathBuf>,
    /// Write the results (JSON) to FILE.
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Write JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a Markdown summary to FILE (`$GITHUB_STEP_SUMMARY`).
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// The format of standard output.
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub format: ReportFormat,
    /// List passing cases too.
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub files: ReportFiles,
}

fn parse_partition(s: &str) -> Result<(u32, u32), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("expected K/N such as 1/4, got {s:?}"))?;
    let k: u32 = k
        .trim()
        .parse()
        .map_err(|_| format!("{k:?} is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("{n:?} is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("K/N needs 1 <= K <= N, got {k}/{n}"));
    }
    Ok((k, n))
}

/// Arguments of `driver`.
#[derive(Debug, Args)]
pub struct DriverArgs {
    /// The client: acs3, rpc-get, rpc-post, roa, tc3, tc-hmacsha256, tc-hmacsha1 (default:
    /// acs3 for Alibaba, tc3 for Tencent; a case's `client` wins).
    #[arg(long, value_name = "NAME")]
    pub client: Option<String>,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which format.
    #[arg(value_enum, value_name = "FORMAT")]
    pub format: SchemaFormat,
}

/// The file formats with a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaFormat {
    /// A contract (`contracts/schema.json`).
    Contract,
    /// Results of any command (`--report json=FILE`, `check --results FILE`).
    Results,
    /// The driver protocol's messages (a case, an answer, a declaration).
    Driver,
    /// A cassette (`cassettes/cassette.schema.json`).
    Cassette,
}

/// Arguments of `derive`.
#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// The pages. Each may have an overlay beside it: NAME.overlay.json for NAME.txt.
    #[arg(value_name = "PAGE", required = true)]
    pub pages: Vec<PathBuf>,
    /// Write one contract per page under DIR, at its canonical path.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Compare with the contracts under --out (default: the folder above the pages'
    /// `sources/`) instead of writing; exit 1 and print a diff on drift.
    #[arg(long)]
    pub check: bool,
    /// The format of standard output. Without --out or --check, json prints the contracts
    /// themselves (and what derive could not read goes to standard error); otherwise it is
    /// the results of each page.
    #[arg(long, value_enum, default_value = "json", value_name = "FORMAT")]
    pub format: ReportFormat,
    /// Ignore overlays: derive from the pages alone.
    #[arg(long)]
    pub no_overlay: bool,
    /// The API version, for pages that do not print it (`2016-04-28`). Like the other
    /// facts given as flags, it fills in what a page and its overlay leave out; a page that
    /// gives the fact keeps its own, and the unused flag is said.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub api_version: Option<String>,
    /// The endpoint host (`vpc.aliyuncs.com`), for pages that do not print it.
    #[arg(long, value_name = "HOST")]
    pub endpoint: Option<String>,
    /// The product code as the provider names it (`Vpc`, `cvm`); the service code is its
    /// lowercase unless --service says otherwise.
    #[arg(long, value_name = "CODE")]
    pub product: Option<String>,
    /// The lowercase service code (`vpc`), where it differs from the product's.
    #[arg(long, value_name = "CODE")]
    pub service: Option<String>,
    /// Compare each page with the API's machine-readable description and record where they
    /// disagree as findings: a tccli `api.json`, an aliyun-python-sdk request class
    /// (`<Action>Request.py`), or a folder holding such classes.
    #[arg(long, value_name = "FILE|DIR")]
    pub sdk: Option<PathBuf>,
    #[command(flatten)]
    pub files: ReportFiles,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct PageLintArgs {
    /// The pages.
    #[arg(value_name = "PAGE", required = true)]
    pub pages: Vec<PathBuf>,
    /// The format of standard output.
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub format: ReportFormat,
    /// Ignore overlays.
    #[arg(long)]
    pub no_overlay: bool,
    #[command(flatten)]
    pub files: ReportFiles,
}

/// `docpact cassette ...`
#[derive(Debug, Subcommand)]
pub enum CassetteCommand {
    /// Write a cassette as HAR 1.2 (requests rebuilt unsigned from the decoded parameters).
    Export(CassetteExportArgs),
    /// Turn a HAR file (a browser's, mitmproxy's, another tool's) into a cassette: each entry
    /// decoded and matched to a contract, redacted as `record` redacts.
    Import(CassetteImportArgs),
}

/// Arguments of `cassette export`.
#[derive(Debug, Args)]
pub struct CassetteExportArgs {
    /// The cassette.
    #[arg(value_name = "CASSETTE")]
    pub cassette: PathBuf,
    /// Write the HAR here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Arguments of `cassette import`.
#[derive(Debug, Args)]
pub struct CassetteImportArgs {
    /// The HAR file.
    #[arg(value_name = "HAR")]
    pub har: PathBuf,
    /// The cassette to write (entries are appended when it exists, unless --overwrite).
    #[arg(long, value_name = "FILE")]
    pub cassette: PathBuf,
    /// Start the cassette over.
    #[arg(long)]
    pub overwrite: bool,
    /// Also redact whatever matches this regular expression (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub redact: Vec<String>,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Cassette files or folders of them.
    #[arg(value_name = "CASSETTE", required = true)]
    pub cassettes: Vec<PathBuf>,
    /// The format of standard output.
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub files: ReportFiles,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port (printed on start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Seed of generated IDs and RequestIds (answers are reproducible under one seed).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// A credentials file (JSON) replacing the built-in test keys.
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,
    /// Accept any signature (keys must still be known).
    #[arg(long)]
    pub no_verify: bool,
    /// Accept unsigned requests: no key, signature, timestamp or nonce checks (for tools that
    /// send what `docpact contracts openapi` describes: Schemathesis, Prism, Postman).
    #[arg(long)]
    pub no_auth: bool,
    /// Do not check signing times against the clock.
    #[arg(long)]
    pub no_time_check: bool,
    /// Accept reused nonces.
    #[arg(long)]
    pub no_nonce_check: bool,
    /// Do not answer repeated ClientTokens with the first answer.
    #[arg(long)]
    pub no_idempotency: bool,
    /// Do not refuse names already taken.
    #[arg(long)]
    pub no_unique_names: bool,
    /// Do not enforce documented rate limits.
    #[arg(long)]
    pub no_rate_limits: bool,
    /// How many interactions the journal keeps.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub journal: usize,
    /// How long a request head may take to arrive, seconds, counted from the connection's
    /// start or its last answer (so also how long a connection may stay idle, and a TLS
    /// handshake may take); past it the connection is closed.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub header_timeout: u64,
    /// How long a whole request body may take to arrive, seconds; a slower one is answered
    /// RequestTimeout (408) and its connection closed.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub body_timeout: u64,
    /// How many MiB all request bodies being received may hold together; beyond, a request is
    /// answered ServiceUnavailable (503) and its connection closed.
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub body_budget: usize,
    /// How many nonces to remember at most (each about 80 bytes); the oldest go first.
    #[arg(long, value_name = "N", default_value_t = 1 << 20)]
    pub nonces: usize,
    /// Keep the last N whole exchanges (bodies included, 64 MiB at most) and serve them at
    /// /__docpact/exchanges, for `docpact check --endpoint`; off by default.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub capture: usize,
    /// Serve https with a loopback certificate docpact generates; its PEM is written to
    /// --tls-out so clients can trust it.
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub tls: bool,
    /// Where --tls writes the generated certificate (PEM).
    #[arg(long, value_name = "FILE", default_value = "docpact-cert.pem")]
    pub tls_out: PathBuf,
    /// Serve https with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Worker threads (default: the cores this process may use).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Replay the cassettes in DIR (every `*.json` under it) or one cassette file ahead of
    /// the contracts: a matching recorded interaction answers first.
    #[arg(long, value_name = "DIR")]
    pub cassettes: Option<PathBuf>,
    /// With --cassettes: a request no interaction matches fails (NoRecordedInteraction) with
    /// the closest recorded ones and how they differ, instead of falling back to the contract.
    #[arg(long, requires = "cassettes")]
    pub strict: bool,
    /// A parameter that never decides whether a recorded interaction matches (repeatable).
    #[arg(long = "cassette-ignore", value_name = "NAME", requires = "cassettes")]
    pub cassette_ignore: Vec<String>,
}

/// How `record` treats a cassette that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordModeArg {
    /// Keep it; add only interactions it does not hold yet.
    New,
    /// Keep it; add every interaction.
    Append,
    /// Start it over.
    Overwrite,
}

/// Arguments of `record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The cassette to write (JSON; created when missing).
    #[arg(long, value_name = "FILE")]
    pub cassette: PathBuf,
    /// The address to listen on; port 0 picks a free port (printed on start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Listen with https (a generated loopback certificate, written to --tls-out).
    #[arg(long)]
    pub tls: bool,
    /// Where --tls writes the generated certificate (PEM).
    #[arg(long, value_name = "FILE", default_value = "docpact-cert.pem")]
    pub tls_out: PathBuf,
    /// Send every request here (`http://127.0.0.1:9000`, `https://ens.aliyuncs.com`) instead
    /// of each operation's own endpoint over https.
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,
    /// What happens to an existing cassette.
    #[arg(long, value_enum, default_value = "new")]
    pub mode: RecordModeArg,
    /// The real keys, in the --credentials format (the first enabled key of each provider
    /// signs); else DOCPACT_UPSTREAM_ACCESS_KEY_ID/_SECRET (Alibaba Cloud, optional
    /// DOCPACT_UPSTREAM_SECURITY_TOKEN) and DOCPACT_UPSTREAM_SECRET_ID/_KEY (Tencent Cloud,
    /// optional DOCPACT_UPSTREAM_TOKEN). Never on the command line.
    #[arg(long, value_name = "FILE")]
    pub upstream_credentials: Option<PathBuf>,
    /// The keys clients sign with (default: docpact's test keys).
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,
    /// Also redact whatever matches this regular expression (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub redact: Vec<String>,
    /// A parameter that never decides whether an interaction is already recorded (repeatable).
    #[arg(long = "cassette-ignore", value_name = "NAME")]
    pub cassette_ignore: Vec<String>,
    /// The PEM bundle https upstreams are trusted with (default: SSL_CERT_FILE, else the
    /// system bundle).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// How long the upstream may take to answer, seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
}

/// `docpact contracts ...`
#[derive(Debug, Subcommand)]
pub enum ContractsCommand {
    /// List the operations.
    List,
    /// Print one contract as JSON.
    Show(ShowArgs),
    /// Check contracts against themselves, their base and their pages; print the pages'
    /// contradictions.
    Lint(LintArgs),
    /// Print the JSON Schema of the contract format.
    Schema,
    /// Rewrite the contracts in DIR in canonical form (field order, indentation).
    Fmt(FmtArgs),
    /// Describe operations as OpenAPI 3.1 (one document per operation), for Prism, Postman
    /// and Schemathesis; serve them with `docpact serve --no-auth`.
    Openapi(OpenapiArgs),
}

/// Arguments of `contracts openapi`.
#[derive(Debug, Args)]
pub struct OpenapiArgs {
    /// One operation (id or unique suffix) to print; all of them need --out.
    #[arg(value_name = "OP")]
    pub operation: Option<String>,
    /// Write every operation's document under DIR, at `<contract path>.openapi.json`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Arguments of `contracts fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// The contracts folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Only report files that are not in canonical form (exit 1 if any).
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `contracts show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The operation: an id (`alibaba/ens/2017-11-10/CreateInstance`), a file, or a unique
    /// suffix (`ens/2017-11-10/CreateInstance`, `CreateInstance#acr`).
    #[arg(value_name = "OP")]
    pub operation: String,
}

/// Arguments of `contracts lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The contracts folder to lint (default: the built-in contracts, or --contracts).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The format of standard output.
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub files: ReportFiles,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_contract_commands() {
        let cli =
            Cli::try_parse_from(["docpact", "contracts", "show", "CreateInstance#acr"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Contracts(ContractsCommand::Show(ShowArgs { ref operation })) if operation == "CreateInstance#acr"
        ));
        let cli =
            Cli::try_parse_from(["docpact", "--contracts", "x", "contracts", "list"]).unwrap();
        assert_eq!(cli.contracts, Some(PathBuf::from("x")));
        assert!(Cli::try_parse_from(["docpact", "contracts", "bogus"]).is_err());
        let cli =
            Cli::try_parse_from(["docpact", "check", "--driver", "x y", "--partition", "2/4"])
                .unwrap();
        let Command::Check(args) = cli.command else {
            panic!()
        };
        assert_eq!(args.partition, Some((2, 4)));
        assert!(
            Cli::try_parse_from(["docpact", "check", "--driver", "x", "--partition", "5/4"])
                .is_err()
        );
        assert!(
            Cli::try_parse_from(["docpact", "check"]).is_err(),
            "a driver is required"
        );
        assert!(Cli::try_parse_from(["docpact", "check", "--list"]).is_ok());
    }
}
