//! Known failures: case-ID globs with the reason each is expected to fail.
//!
//! One entry per line, the glob first, then the reason (required); `#` starts a comment
//! line. `*` matches across `/`. A `[NAME]` line (a glob of driver names) makes the entries
//! after it apply to those drivers only, so one file serves a whole matrix of drivers;
//! entries before any such line apply to every driver.
//!
//! ```text
//! [python-core]
//! */auth:wrong-secret   the SDK turns SignatureDoesNotMatch into InvalidAccessKeySecret
//! ```

use std::path::Path;

/// One entry.
#[derive(Debug, Clone)]
pub struct KnownFailure {
    /// The glob as written.
    pub glob: String,
    pattern: glob::Pattern,
    /// Why the case fails.
    pub reason: String,
    /// The drivers it applies to (`None`: every driver).
    drivers: Option<glob::Pattern>,
    /// The line it is on.
    pub line: usize,
}

/// A known-failures file.
#[derive(Debug, Clone, Default)]
pub struct KnownFailures {
    /// Where it came from.
    pub path: String,
    /// The entries, in file order.
    pub entries: Vec<KnownFailure>,
}

/// Why a known-failures file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KnownFailuresError {
    /// It cannot be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A line is wrong.
    #[error("{path}:{line}: {message}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl KnownFailure {
    /// Whether it lists `case_id`.
    pub fn matches(&self, case_id: &str) -> bool {
        self.pattern.matches(case_id)
    }
}

impl KnownFailures {
    /// Reads a file.
    pub fn load(path: &Path) -> Result<KnownFailures, KnownFailuresError> {
        let text = std::fs::read_to_string(path).map_err(|source| KnownFailuresError::Read {
            path: path.display().to_string(),
            source,
        })?;
        KnownFailures::parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a file named `path`.
    pub fn parse(path: &str, text: &str) -> Result<KnownFailures, KnownFailuresError> {
        let mut entries = Vec::new();
        let mut drivers = None;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| KnownFailuresError::Line {
                path: path.to_string(),
                line: i + 1,
                message,
            };
            if let Some(name) = line.strip_prefix('[') {
                let name = name.strip_suffix(']').ok_or_else(|| {
                    err(format!(
                        "{line} opens a section but does not close it with ]"
                    ))
                })?;
                drivers = Some(
                    glob::Pattern::new(name.trim())
                        .map_err(|e| err(format!("[{name}] is not a valid glob: {}", e.msg)))?,
                );
                continue;
            }
            let (glob, reason) = line
                .split_once(char::is_whitespace)
                .map(|(g, r)| (g, r.trim()))
                .unwrap_or((line, ""));
            if reason.is_empty() {
                return Err(err(format!(
                    "{glob} has no reason: write the case glob, then why it fails"
                )));
            }
            let pattern = glob::Pattern::new(glob)
                .map_err(|e| err(format!("{glob} is not a valid glob: {}", e.msg)))?;
            entries.push(KnownFailure {
                glob: glob.to_string(),
                pattern,
                reason: reason.to_string(),
                line: i + 1,
                drivers: drivers.clone(),
            });
        }
        Ok(KnownFailures {
            path: path.to_string(),
            entries,
        })
    }

    /// The entries that apply to a driver.
    pub fn for_driver<'a>(&'a self, driver: &'a str) -> impl Iterator<Item = &'a KnownFailure> {
        self.entries
            .iter()
            .filter(move |e| e.drivers.as_ref().is_none_or(|d| d.matches(driver)))
    }

    /// The entry that lists a case of a driver, if any (the first that matches).
    pub fn find(&self, driver: &str, case_id: &str) -> Option<&KnownFailure> {
        self.entries.iter().find(|e| {
            e.pattern.matches(case_id) && e.drivers.as_ref().is_none_or(|d| d.matches(driver))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_need_a_reason_and_globs_cross_slashes() {
        let text = "# comment\n\ntencent/*/fault:http50*   5xx becomes ServerNetworkError\n";
        let k = KnownFailures::parse("k.txt", text).unwrap();
        let op = "tencent/tcr/2019-09-24/CreateInstance";
        let e = k.find("any", &format!("{op}/fault:http503")).unwrap();
        assert_eq!(e.reason, "5xx becomes ServerNetworkError");
        assert_eq!(e.line, 3);
        assert!(k.find("any", &format!("{op}/fault:reset")).is_none());
        let err = KnownFailures::parse("k.txt", "a/b\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "k.txt:1: a/b has no reason: write the case glob, then why it fails"
        );
        let err = KnownFailures::parse("k.txt", "\nx/[a-  reason\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("k.txt:2: x/[a- is not a valid glob"),
            "{err}"
        );
    }

    #[test]
    fn sections_limit_entries_to_drivers() {
        let k =
            KnownFailures::parse("k.txt", "*/a  everyone\n[python-*]\n*/b  python only\n").unwrap();
        assert!(k.find("node", "x/a").is_some());
        assert!(k.find("node", "x/b").is_none());
        assert_eq!(k.find("python-core", "x/b").unwrap().reason, "python only");
        let err = KnownFailures::parse("k.txt", "[open\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not close it"), "{err}");
    }
}
