//! Snapshots in insta's `.snap` format, so `cargo insta review` and `cargo insta accept`
//! work on them: a YAML header between `---` lines (`source`, `description`, `expression`),
//! then the content with one final newline. Like insta, only the content is compared; a
//! changed snapshot leaves a `.snap.new` beside the `.snap` until it is accepted.

use std::path::{Path, PathBuf};

/// A YAML scalar as insta writes it: plain when that is unambiguous, else double-quoted.
fn yaml_scalar(s: &str) -> String {
    const SPECIAL_START: &[char] = &['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'];
    const SPECIAL_ANY: &[char] = &[':', '{', '}', '[', ']', ',', '#', '`', '"', '\'', '\\'];
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ];
    let quote = s.is_empty()
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.starts_with(SPECIAL_START)
        || s.starts_with("0x")
        || s.contains(SPECIAL_ANY)
        || s.chars().any(char::is_control)
        || WORDS.contains(&s)
        || s.parse::<f64>().is_ok();
    if quote {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        s.to_string()
    }
}

/// The content as insta stores it: line endings unified, trailing whitespace cut, one
/// final newline.
pub fn normalize_content(content: &str) -> String {
    let mut c = content.replace("\r\n", "\n");
    c.truncate(c.trim_end().len());
    c.push('\n');
    c
}

/// A `.snap` file's text.
pub fn write_snap(
    source: &str,
    description: Option<&str>,
    expression: Option<&str>,
    content: &str,
) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("source: {}\n", yaml_scalar(source)));
    if let Some(d) = description {
        out.push_str(&format!("description: {}\n", yaml_scalar(d)));
    }
    if let Some(e) = expression {
        out.push_str(&format!("expression: {}\n", yaml_scalar(e)));
    }
    out.push_str("---\n");
    out.push_str(&normalize_content(content));
    out
}

/// The content of a `.snap` file; `None` when the file is not in the format.
pub fn read_content(text: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n")?;
    let (_, content) = rest.split_once("\n---\n").or_else(|| {
        // A header with no fields: `---\n---\n`.
        rest.strip_prefix("---\n").map(|c| ("", c))
    })?;
    Some(normalize_content(content))
}

/// Where a case's snapshot lives: `DIR/<driver>/<case id>.snap`, with `:` in the ID
/// written `__` (file systems that refuse colons) and other unsafe characters encoded.
pub fn path_for(dir: &Path, driver: &str, case_id: &str) -> PathBuf {
    let mut p = dir.join(safe(driver));
    let parts: Vec<&str> = case_id.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let mut name = safe(&part.replace(':', "__"));
        if i + 1 == parts.len() {
            name.push_str(".snap");
        }
        p.push(name);
    }
    p
}

fn safe(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "._-#@+=,".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{:02X}", u32::from(c)));
        }
    }
    if out.is_empty() || out == "." || out == ".." {
        out = format!("%2E{out}");
    }
    out
}

/// The pending file beside a snapshot.
pub fn pending_path(snap: &Path) -> PathBuf {
    let mut s = snap.as_os_str().to_owned();
    s.push(".new");
    PathBuf::from(s)
}

/// How a snapshot compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compared {
    /// Equal to the stored one.
    Same,
    /// None stored yet.
    New,
    /// Different: a unified diff of stored against new.
    Changed(String),
    /// The stored file is not a snapshot.
    Unreadable(String),
}

/// Compares `content` with the snapshot at `path`.
pub fn compare(path: &Path, content: &str) -> Compared {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Compared::New,
        Err(e) => return Compared::Unreadable(format!("{}: {e}", path.display())),
    };
    let Some(old) = read_content(&text) else {
        return Compared::Unreadable(format!(
            "{}: not a snapshot (no --- header)",
            path.display()
        ));
    };
    let new = normalize_content(content);
    if old == new {
        Compared::Same
    } else {
        Compared::Changed(
            similar::TextDiff::from_lines(&old, &new)
                .unified_diff()
                .context_radius(3)
                .header("reviewed snapshot", "this run")
                .to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_are_quoted_as_insta_quotes_them() {
        assert_eq!(yaml_scalar("tests/probe.rs"), "tests/probe.rs");
        assert_eq!(yaml_scalar("s"), "s");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("\"x\""), "\"\\\"x\\\"\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("12"), "\"12\"");
        assert_eq!(yaml_scalar("-x"), "\"-x\"");
        assert_eq!(yaml_scalar(""), "\"\"");
    }

    #[test]
    fn files_round_trip_and_compare_by_content_only() {
        let text = write_snap("docpact check", Some("d: x"), Some("a/b:c"), "x\r\ny  \n\n");
        assert_eq!(
            text,
            "---\nsource: docpact check\ndescription: \"d: x\"\nexpression: \"a/b:c\"\n---\nx\ny\n"
        );
        assert_eq!(read_content(&text).as_deref(), Some("x\ny\n"));
        assert_eq!(read_content("---\n---\nc").as_deref(), Some("c\n"));
        assert_eq!(read_content("no header"), None);
        let dir = tempfile::tempdir().unwrap();
        let p = path_for(
            dir.path(),
            "py tea",
            "tencent/tcr/2019-09-24/CreateInstance/missing:RegistryName",
        );
        assert!(
            p.ends_with(
                "py%20tea/tencent/tcr/2019-09-24/CreateInstance/missing__RegistryName.snap"
            ),
            "{}",
            p.display()
        );
        assert_eq!(compare(&p, "x"), Compared::New);
        crate::report::write_file(&p, &write_snap("other", None, None, "x\n")).unwrap();
        assert_eq!(compare(&p, "x"), Compared::Same);
        let Compared::Changed(diff) = compare(&p, "y") else {
            panic!()
        };
        assert!(diff.contains("-x\n+y"), "{diff}");
        assert!(pending_path(&p).to_string_lossy().ends_with(".snap.new"));
    }
}
