//! Every in-tree driver (the reference driver, the official Python and Node SDKs, tccli over
//! TLS) through `docpact check` against its committed snapshots and known failures, as
//! `drivers/check-all.sh` runs them. Installs the pinned SDKs on first use.

use crate::support::root;

#[test]
fn every_in_tree_driver_conforms_to_its_committed_snapshots() {
    let out = std::process::Command::new(root().join("drivers/check-all.sh"))
        .env("DOCPACT", env!("CARGO_BIN_EXE_docpact"))
        .output()
        .expect("drivers/check-all.sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "a driver failed its check:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Thirteen drivers ran, and each judged its cases.
    assert_eq!(
        stdout.matches("\ncheck: ").count() + usize::from(stdout.starts_with("check: ")),
        13,
        "{stdout}"
    );
    assert!(
        !stdout.lines().any(|l| l.trim_start().starts_with("FAIL ")),
        "{stdout}"
    );
}
