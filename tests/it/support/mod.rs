//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `docpact` binary in a cleared environment (no inherited variables but PATH).
pub fn docpact() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docpact"));
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd
}

/// Runs docpact with arguments and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out: Output = docpact().args(args).output().expect("docpact runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copies the `contracts/` folder into a fresh temporary folder.
pub fn copy_contracts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&root().join("contracts"), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs the Python SDK driver over `cases` (one process, stream mode) against `endpoint`,
/// with extra environment variables; returns one result per case.
pub async fn drive(
    endpoint: &str,
    env: &[(&str, &str)],
    cases: &[serde_json::Value],
) -> Vec<serde_json::Value> {
    let python = crate::sdk_capture::python_with_sdks();
    let driver = root().join("drivers/python/driver.py");
    drive_with(&python, &driver.to_string_lossy(), endpoint, env, cases).await
}

/// Runs the Node SDK driver (installed by `drivers/setup-node.sh`) over `cases`.
pub async fn drive_node(endpoint: &str, cases: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(root().join("drivers/setup-node.sh"))
        .output()
        .expect("drivers/setup-node.sh runs");
    assert!(
        out.status.success(),
        "installing the Node SDKs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let driver = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    drive_with("node", &driver, endpoint, &[], cases).await
}

async fn drive_with(
    program: &str,
    driver: &str,
    endpoint: &str,
    env: &[(&str, &str)],
    cases: &[serde_json::Value],
) -> Vec<serde_json::Value> {
    use tokio::io::AsyncWriteExt;
    let mut cmd = tokio::process::Command::new(program);
    cmd.arg(driver)
        .env("DOCPACT_ENDPOINT", endpoint)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("driver starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = cases.iter().map(|c| format!("{c}\n")).collect();
    stdin
        .write_all(input.as_bytes())
        .await
        .expect("cases written");
    drop(stdin);
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(300),
        child.wait_with_output(),
    )
    .await
    .expect("driver finishes within 5 minutes")
    .expect("driver output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| !l.contains("\"docpact_driver\""))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("driver printed {l:?}: {e}")))
        .collect();
    assert_eq!(
        results.len(),
        cases.len(),
        "one result per case; driver stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    results
}

/// A `docpact serve` process on a free loopback port, and its address; killed when dropped.
pub struct Served(pub std::process::Child, pub String);

impl Served {
    pub fn start(extra: &[&str]) -> Served {
        use std::io::BufRead;
        let mut child = docpact()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("serve starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("serve prints its address");
        let addr = line
            .split("http://")
            .nth(1)
            .expect("an address")
            .trim()
            .to_string();
        Served(child, addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
