//! Cassettes on disk: loading with file and line in every error, and crash-safe recording
//! through an append-only journal (`<cassette>.journal`, one interaction per line) that is
//! compacted into the pretty file on a clean stop, or on the next load after a crash.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::format::{Cassette, FORMAT_VERSION, Interaction};

/// Why a cassette could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CassetteError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
    /// The file is not a valid cassette.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, with the JSON path where known (`interactions[2].response.status`).
        message: String,
    },
    /// A format version this build does not read.
    #[error(
        "{path}: format_version {found} is not supported (this docpact reads {FORMAT_VERSION})"
    )]
    Version {
        /// The file.
        path: String,
        /// The version found.
        found: u32,
    },
}

fn io(path: &Path, source: std::io::Error) -> CassetteError {
    CassetteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Parses one JSON document, naming the path in the document and the line where it fails.
fn parse<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, CassetteError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let message = inner.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.clone(), |i| message[..i].to_string());
        let at = e.path().to_string();
        CassetteError::Invalid {
            path: path.display().to_string(),
            line: inner.line() + first_line - 1,
            column: inner.column(),
            message: if at == "." {
                message
            } else {
                format!("{at}: {message}")
            },
        }
    })
}

/// Reads a cassette's text (`name` is how errors refer to it).
pub fn parse_cassette(name: &str, text: &str) -> Result<Cassette, CassetteError> {
    let path = Path::new(name);
    let c: Cassette = parse(path, text, 1)?;
    if c.format_version != FORMAT_VERSION {
        return Err(CassetteError::Version {
            path: name.to_string(),
            found: c.format_version,
        });
    }
    Ok(c)
}

/// The journal beside a cassette.
pub fn journal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// The first line of a journal.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalHead {
    format_version: u32,
    salt: String,
}

/// A cassette as loaded, with what recovery noticed.
#[derive(Debug)]
pub struct Loaded {
    /// The cassette, with the interactions of a journal left by a crash appended.
    pub cassette: Cassette,
    /// Notes for the user (an interaction cut short by a crash, a journal recovered).
    pub notes: Vec<String>,
}

/// Loads a cassette; a journal left beside it by an interrupted recording is read too (its
/// last line, if cut short, is left out and said so). `None` when neither file exists.
pub fn load(path: &Path) -> Result<Option<Loaded>, CassetteError> {
    let journal = journal_path(path);
    let main = match std::fs::read_to_string(path) {
        Ok(text) => Some(parse_cassette(&path.display().to_string(), &text)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(path, e)),
    };
    let text = match std::fs::read_to_string(&journal) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(&journal, e)),
    };
    let Some(text) = text else {
        return Ok(main.map(|cassette| Loaded {
            cassette,
            notes: Vec::new(),
        }));
    };
    let mut notes = Vec::new();
    let mut lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    // A last line without its newline was being written when the recording stopped.
    if let Some((n, last)) = lines.last()
        && !last.ends_with('\n')
    {
        notes.push(format!(
            "{}:{n}: an interaction cut short by an interrupted recording was left out",
            journal.display()
        ));
        lines.pop();
    }
    let mut lines = lines.into_iter().filter(|(_, l)| !l.trim().is_empty());
    let head: Option<JournalHead> = match lines.next() {
        Some((n, line)) => Some(parse(&journal, line, n)?),
        None => None,
    };
    let mut cassette = match (main, head) {
        (Some(c), Some(h)) if c.salt != h.salt => {
            return Err(CassetteError::Invalid {
                path: journal.display().to_string(),
                line: 1,
                column: 1,
                message: format!(
                    "the journal belongs to another cassette (salt {} here, {} in {})",
                    h.salt,
                    c.salt,
                    path.display()
                ),
            });
        }
        (Some(c), _) => c,
        (None, Some(h)) => Cassette {
            format_version: h.format_version,
            salt: h.salt,
            interactions: Vec::new(),
        },
        (None, None) => return Ok(None),
    };
    let mut recovered = 0;
    for (n, line) in lines {
        cassette.interactions.push(parse(&journal, line, n)?);
        recovered += 1;
    }
    notes.push(format!(
        "{}: {recovered} interactions of an interrupted recording recovered",
        journal.display()
    ));
    Ok(Some(Loaded { cassette, notes }))
}

/// Writes a cassette pretty-printed, atomically (a temporary file renamed over it).
pub fn save(path: &Path, cassette: &Cassette) -> Result<(), CassetteError> {
    let mut text =
        serde_json::to_string_pretty(cassette).map_err(|e| io(path, std::io::Error::other(e)))?;
    text.push('\n');
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut f = File::create(&tmp).map_err(|e| io(&tmp, e))?;
    f.write_all(text.as_bytes()).map_err(|e| io(&tmp, e))?;
    f.sync_all().map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

/// An open recording: the cassette as it was, and the journal new interactions go to.
#[derive(Debug)]
pub struct Recording {
    path: PathBuf,
    journal: File,
    /// The cassette so far (kept interactions and new ones).
    pub cassette: Cassette,
    /// How many interactions this recording added.
    pub added: usize,
}

impl Recording {
    /// Opens `path` for recording: `existing` is what is kept of the cassette (after any
    /// recovery), written back first so that the journal starts empty.
    pub fn open(path: &Path, existing: Cassette) -> Result<Recording, CassetteError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        save(path, &existing)?;
        let jpath = journal_path(path);
        let mut journal = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(&jpath)
            .map_err(|e| io(&jpath, e))?;
        let head = serde_json::to_string(&JournalHead {
            format_version: FORMAT_VERSION,
            salt: existing.salt.clone(),
        })
        .map_err(|e| io(&jpath, std::io::Error::other(e)))?;
        journal
            .write_all(format!("{head}\n").as_bytes())
            .map_err(|e| io(&jpath, e))?;
        Ok(Recording {
            path: path.to_path_buf(),
            journal,
            cassette: existing,
            added: 0,
        })
    }

    /// Appends one interaction: one line written whole, so that a crash loses at most the
    /// interaction in flight.
    pub fn push(&mut self, interaction: Interaction) -> Result<(), CassetteError> {
        let jpath = journal_path(&self.path);
        let mut line = serde_json::to_string(&interaction)
            .map_err(|e| io(&jpath, std::io::Error::other(e)))?;
        line.push('\n');
        self.journal
            .write_all(line.as_bytes())
            .map_err(|e| io(&jpath, e))?;
        self.cassette.interactions.push(interaction);
        self.added += 1;
        Ok(())
    }

    /// Compacts the journal into the pretty file and removes it.
    pub fn finish(self) -> Result<(PathBuf, usize, usize), CassetteError> {
        save(&self.path, &self.cassette)?;
        let jpath = journal_path(&self.path);
        std::fs::remove_file(&jpath).map_err(|e| io(&jpath, e))?;
        Ok((self.path, self.added, self.cassette.interactions.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::format::{Body, RecordedRequest, RecordedResponse};

    fn interaction(n: u16) -> Interaction {
        Interaction {
            operation: "tcr/2019-09-24/CreateInstance".into(),
            recorded_at: "2026-12-02T03:04:05Z".into(),
            request: RecordedRequest {
                method: "POST".into(),
                path: "/".into(),
                scheme: "TC3-HMAC-SHA256".into(),
                params: serde_json::Map::new(),
                body: Some(serde_json::json!({"RegistryName": format!("r{n}")})),
                common: serde_json::Map::new(),
            },
            response: RecordedResponse {
                status: 200,
                headers: std::collections::BTreeMap::new(),
                body: Body::from_bytes(b"{\"Response\":{\"RequestId\":\"x\"}}"),
            },
        }
    }

    #[test]
    fn a_crash_loses_at_most_the_interaction_in_flight() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let empty = Cassette {
            format_version: 1,
            salt: "ab".into(),
            interactions: vec![],
        };
        let mut rec = Recording::open(&path, empty).unwrap();
        rec.push(interaction(1)).unwrap();
        rec.push(interaction(2)).unwrap();
        drop(rec);
        // Half a line, as a kill in the middle of a write leaves it.
        let mut j = OpenOptions::new()
            .append(true)
            .open(journal_path(&path))
            .unwrap();
        j.write_all(b"{\"operation\":\"tcr/2019").unwrap();
        let loaded = load(&path).unwrap().unwrap();
        assert_eq!(loaded.cassette.interactions.len(), 2);
        assert!(
            loaded.notes[0].contains(":4: an interaction cut short"),
            "{:?}",
            loaded.notes
        );
        // Recording again recovers, then compacts.
        let mut rec = Recording::open(&path, loaded.cassette).unwrap();
        rec.push(interaction(3)).unwrap();
        let (_, added, total) = rec.finish().unwrap();
        assert_eq!((added, total), (1, 3));
        assert!(!journal_path(&path).exists());
        assert_eq!(load(&path).unwrap().unwrap().cassette.interactions.len(), 3);
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(
            &path,
            "{\n  \"format_version\": 1,\n  \"salt\": \"a\",\n  \"interactions\": [\n    {\"operation\": 3}\n  ]\n}\n",
        )
        .unwrap();
        let e = load(&path).unwrap_err().to_string();
        assert!(e.contains("c.json:5:"), "{e}");
        assert!(e.contains("interactions[0].operation"), "{e}");
        std::fs::write(
            &path,
            "{\"format_version\": 9, \"salt\": \"a\", \"interactions\": []}",
        )
        .unwrap();
        assert!(
            load(&path)
                .unwrap_err()
                .to_string()
                .contains("format_version 9")
        );
    }
}
