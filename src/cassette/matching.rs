//! Replay: which recorded interaction answers a request. An interaction matches on the
//! operation, the method and every parameter (query, form, JSON body, region and format),
//! never on what is volatile by scheme (timestamps, nonces, signatures, AccessKey IDs, user
//! agents: none of them is stored) nor on what the user lists; redacted values match by
//! presence. Identical requests play back in recorded order, the last one repeating.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::format::{Cassette, Interaction, RecordedRequest, RecordedResponse};
use super::redact::is_placeholder;
use super::store::{CassetteError, load};
use crate::protocol::{Call, HttpResponse, Pair};

/// Common parameters that never decide a match (they change how an answer is printed to
/// the SDK, not which answer: `Format` is kept, since it picks JSON or XML).
const NEVER_MATCHED: &[&str] = &["Language", "SignatureType"];

impl RecordedRequest {
    /// The request as a cassette stores it.
    pub fn from_call(call: &Call) -> RecordedRequest {
        let strings = |pairs: &[Pair<'_>]| -> Map<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect()
        };
        RecordedRequest {
            method: call.method.to_string(),
            path: call.path.to_string(),
            scheme: call.scheme.name().to_string(),
            params: strings(&call.params),
            body: call.body.as_ref().map(crate::protocol::Json::to_value),
            common: strings(&call.common),
        }
    }

    /// Every parameter as one flat map: query and form names as sent, JSON body members as
    /// dotted paths (`Tags.0.Key`), common parameters by name.
    fn flat(&self, ignore: &[String]) -> BTreeMap<String, String> {
        let pairs = self
            .params
            .iter()
            .chain(self.common.iter())
            .map(|(k, v)| (k.clone(), super::format::text(v)));
        flat(pairs, self.body.as_ref(), ignore)
    }
}

/// The flat map of [`RecordedRequest::flat`], from its parts.
fn flat(
    pairs: impl Iterator<Item = (String, String)>,
    body: Option<&Value>,
    ignore: &[String],
) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = pairs.collect();
    if let Some(Value::Object(body)) = body {
        for (k, v) in crate::check::flatten(body, 0) {
            out.insert(k, v);
        }
    }
    out.retain(|k, _| !NEVER_MATCHED.contains(&k.as_str()) && !ignore.iter().any(|i| i == k));
    out
}

/// The flat map of a call, as its recorded request would give it.
fn flat_of_call(call: &Call, ignore: &[String]) -> BTreeMap<String, String> {
    flat(
        call.params
            .iter()
            .chain(call.common.iter())
            .map(|(k, v)| (k.to_string(), v.to_string())),
        call.body
            .as_ref()
            .map(crate::protocol::Json::to_value)
            .as_ref(),
        ignore,
    )
}

/// How a recorded request differs from one received: nothing when they match.
fn differences(
    recorded: &RecordedRequest,
    got: &RecordedRequest,
    ignore: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    if recorded.method != got.method || recorded.path != got.path {
        out.push(format!(
            "recorded {} {}, sent {} {}",
            recorded.method, recorded.path, got.method, got.path
        ));
    }
    let (want, have) = (recorded.flat(ignore), got.flat(ignore));
    for (k, v) in &want {
        match have.get(k) {
            None => out.push(format!("{k}: recorded {v:?}, not sent")),
            Some(h) if h != v && !is_placeholder(v) => {
                out.push(format!("{k}: recorded {v:?}, sent {h:?}"));
            }
            Some(_) => {}
        }
    }
    for (k, v) in &have {
        if !want.contains_key(k) {
            out.push(format!("{k}: sent {v:?}, not recorded"));
        }
    }
    out
}

/// Where interactions are looked up: operation, method, path and the names of every
/// parameter sent.
type ShapeKey = (String, String, String, Vec<String>);

/// Interactions of one [`ShapeKey`] whose recorded values are redacted for the same names:
/// found by the values of the other parameters, in recorded order.
#[derive(Debug, Default)]
struct Shape {
    redacted: Vec<String>,
    by_values: HashMap<Vec<(String, String)>, Bucket>,
}

/// Identical recorded requests, in recorded order, and the next one to play.
#[derive(Debug, Default)]
struct Bucket {
    items: Vec<(usize, usize)>,
    next: usize,
}

/// The cassettes a server replays from.
#[derive(Debug, Default)]
pub struct Library {
    files: Vec<(PathBuf, Cassette)>,
    by_operation: HashMap<String, Vec<(usize, usize)>>,
    index: HashMap<ShapeKey, Vec<Shape>>,
    /// Each interaction's answer, ready to serve.
    served: Vec<Vec<HttpResponse>>,
    uses: Vec<Vec<u32>>,
    ignore: Vec<String>,
}

/// No recorded interaction matched: the closest ones, and how they differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    /// The operation asked for.
    pub operation: String,
    /// Up to three interactions (`file#index`) with their differences, closest first.
    pub closest: Vec<(String, Vec<String>)>,
}

impl std::fmt::Display for NearMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no recorded interaction matches this {} request",
            self.operation
        )?;
        if self.closest.is_empty() {
            return write!(f, "; the cassettes hold none for this operation");
        }
        for (at, diffs) in &self.closest {
            write!(f, "; closest {at}: {}", diffs.join(", "))?;
        }
        Ok(())
    }
}

impl Library {
    /// Every `*.json` cassette under `dir` (recursively), or one file. A cassette that fails
    /// to load fails the whole library, naming the file and the line. Recovery notes (a
    /// journal left by an interrupted recording) come back beside it.
    pub fn load(path: &Path, ignore: Vec<String>) -> Result<(Library, Vec<String>), CassetteError> {
        let files = Library::files(path)?;
        let mut lib = Library {
            ignore,
            ..Library::default()
        };
        let mut notes = Vec::new();
        for file in files {
            let Some(loaded) = load(&file)? else {
                return Err(CassetteError::Io {
                    path: file.display().to_string(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                });
            };
            notes.extend(loaded.notes);
            lib.add(file, loaded.cassette);
        }
        Ok((lib, notes))
    }

    /// The cassette files a path names: every `*.json` under a folder (sorted; JSON Schemas,
    /// `*.schema.json`, left out), or the file.
    pub fn files(path: &Path) -> Result<Vec<PathBuf>, CassetteError> {
        let mut files: Vec<PathBuf> = if path.is_dir() {
            let pattern = format!(
                "{}/**/*.json",
                glob::Pattern::escape(&path.display().to_string())
            );
            glob::glob(&pattern)
                .map_err(|e| CassetteError::Io {
                    path: path.display().to_string(),
                    source: std::io::Error::other(e),
                })?
                .filter_map(Result::ok)
                // The format's own JSON Schema may live beside the cassettes.
                .filter(|p| !p.to_string_lossy().ends_with(".schema.json"))
                .collect()
        } else {
            vec![path.to_path_buf()]
        };
        files.sort();
        Ok(files)
    }

    /// An empty library that ignores `ignore` when matching.
    pub fn with_ignored(ignore: Vec<String>) -> Library {
        Library {
            ignore,
            ..Library::default()
        }
    }

    /// Whether some interaction of `operation` matches `request` (uses nothing).
    pub fn contains(&self, operation: &str, request: &RecordedRequest) -> bool {
        let flat = request.flat(&self.ignore);
        self.lookup(operation, &request.method, &request.path, &flat)
            .is_some()
    }

    /// Where the interactions matching `request` are: the index key, and for each shape of
    /// redaction that holds some (usually one) its position and the values looked up. One
    /// hash lookup per shape, whatever the number of interactions.
    #[allow(clippy::type_complexity)]
    fn lookup(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        flat: &BTreeMap<String, String>,
    ) -> Option<(ShapeKey, Vec<(usize, Vec<(String, String)>)>)> {
        let key = (
            operation.to_string(),
            method.to_string(),
            path.to_string(),
            flat.keys().cloned().collect::<Vec<_>>(),
        );
        let shapes = self.index.get(&key)?;
        let mut found = Vec::new();
        for (at, shape) in shapes.iter().enumerate() {
            let values: Vec<(String, String)> = flat
                .iter()
                .filter(|(k, _)| !shape.redacted.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if shape.by_values.contains_key(&values) {
                found.push((at, values));
            }
        }
        (!found.is_empty()).then_some((key, found))
    }

    /// Adds a cassette (the `Replay` handle's way, and `load`'s).
    pub fn add(&mut self, file: PathBuf, cassette: Cassette) {
        let f = self.files.len();
        for (i, it) in cassette.interactions.iter().enumerate() {
            self.by_operation
                .entry(it.operation.clone())
                .or_default()
                .push((f, i));
            let flat = it.request.flat(&self.ignore);
            let key = (
                it.operation.clone(),
                it.request.method.clone(),
                it.request.path.clone(),
                flat.keys().cloned().collect::<Vec<_>>(),
            );
            let redacted: Vec<String> = flat
                .iter()
                .filter(|(_, v)| is_placeholder(v))
                .map(|(k, _)| k.clone())
                .collect();
            let values: Vec<(String, String)> = flat
                .into_iter()
                .filter(|(_, v)| !is_placeholder(v))
                .collect();
            let shapes = self.index.entry(key).or_default();
            let at = match shapes.iter().position(|s| s.redacted == redacted) {
                Some(at) => at,
                None => {
                    shapes.push(Shape {
                        redacted,
                        by_values: HashMap::new(),
                    });
                    shapes.len() - 1
                }
            };
            shapes[at]
                .by_values
                .entry(values)
                .or_default()
                .items
                .push((f, i));
        }
        self.uses.push(vec![0; cassette.interactions.len()]);
        self.served.push(
            cassette
                .interactions
                .iter()
                .map(|it| it.response.to_http())
                .collect(),
        );
        self.files.push((file, cassette));
    }

    /// How many interactions are loaded.
    pub fn len(&self) -> usize {
        self.uses.iter().map(Vec::len).sum()
    }

    /// Whether no interaction is loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn interaction(&self, (f, i): (usize, usize)) -> &Interaction {
        &self.files[f].1.interactions[i]
    }

    fn name(&self, (f, i): (usize, usize)) -> String {
        format!("{}#{i}", self.files[f].0.display())
    }

    /// Why nothing recorded matches `request`: the closest interactions of the operation
    /// and how each differs (a scan of them all; only asked for on a miss).
    pub fn near_miss(&self, operation: &str, request: &RecordedRequest) -> NearMiss {
        let candidates: &[(usize, usize)] =
            self.by_operation.get(operation).map_or(&[], Vec::as_slice);
        let mut closest: Vec<(String, Vec<String>)> = candidates
            .iter()
            .map(|&at| {
                (
                    self.name(at),
                    differences(&self.interaction(at).request, request, &self.ignore),
                )
            })
            .collect();
        closest.sort_by_key(|(_, d)| d.len());
        closest.truncate(3);
        NearMiss {
            operation: operation.to_string(),
            closest,
        }
    }

    /// The recorded answer for `request` to `operation`, marking it used.
    pub fn answer(&mut self, operation: &str, request: &RecordedRequest) -> Option<&HttpResponse> {
        let flat = request.flat(&self.ignore);
        self.answer_flat(operation, &request.method, &request.path, &flat)
    }

    /// [`Library::answer`] for a decoded call (the server's way: nothing copied on a miss).
    pub fn answer_call(&mut self, operation: &str, call: &Call) -> Option<&HttpResponse> {
        // Most requests of a server with a few cassettes are of other operations.
        if !self.by_operation.contains_key(operation) {
            return None;
        }
        let flat = flat_of_call(call, &self.ignore);
        self.answer_flat(operation, &call.method, &call.path, &flat)
    }

    fn answer_flat(
        &mut self,
        operation: &str,
        method: &str,
        path: &str,
        flat: &BTreeMap<String, String>,
    ) -> Option<&HttpResponse> {
        let (key, found) = self.lookup(operation, method, path, flat)?;
        let shapes = self.index.get_mut(&key)?;
        let pick = if let [(at, values)] = found.as_slice() {
            // One bucket: its cursor walks the recorded order, then the last repeats.
            let bucket = shapes[*at].by_values.get_mut(values)?;
            let pick = bucket.items[bucket.next.min(bucket.items.len() - 1)];
            bucket.next = (bucket.next + 1).min(bucket.items.len());
            pick
        } else {
            // Several shapes of redaction match: the first unused in recorded order.
            let mut all: Vec<(usize, usize)> = found
                .iter()
                .filter_map(|(at, values)| shapes[*at].by_values.get(values))
                .flat_map(|b| b.items.iter().copied())
                .collect();
            all.sort_unstable();
            let last = *all.last()?;
            all.into_iter()
                .find(|&(f, i)| self.uses[f][i] == 0)
                .unwrap_or(last)
        };
        self.uses[pick.0][pick.1] += 1;
        Some(&self.served[pick.0][pick.1])
    }

    /// Interactions never used since loading (or the last reset of the uses).
    pub fn unused(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (f, uses) in self.uses.iter().enumerate() {
            for (i, n) in uses.iter().enumerate() {
                if *n == 0 {
                    let it = &self.files[f].1.interactions[i];
                    out.push(format!(
                        "{}#{i} ({}, recorded {})",
                        self.files[f].0.display(),
                        it.operation,
                        it.recorded_at
                    ));
                }
            }
        }
        out
    }

    /// Forgets which interactions were used (a server reset).
    pub fn reset_uses(&mut self) {
        for uses in &mut self.uses {
            uses.iter_mut().for_each(|n| *n = 0);
        }
        for shapes in self.index.values_mut() {
            for shape in shapes {
                shape.by_values.values_mut().for_each(|b| b.next = 0);
            }
        }
    }
}

impl RecordedResponse {
    /// The answer as served: the recorded headers but `date`, which the server writes with
    /// the time of the answer (the recording's day would tell a client its clock is off).
    pub fn to_http(&self) -> HttpResponse {
        HttpResponse {
            status: self.status,
            headers: self
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("date"))
                .map(|(k, v)| (k.clone().into(), v.clone().into()))
                .collect(),
            body: self.body.to_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::format::Body;

    #[test]
    fn a_replayed_answer_leaves_the_recorded_date_to_the_server() {
        let recorded = RecordedResponse {
            status: 200,
            headers: [
                ("content-type", "application/json"),
                ("date", "Mon, 02 Mar 2026 08:00:00 GMT"),
                ("x-acs-request-id", "R"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            body: Body::Empty,
        };
        let served = recorded.to_http();
        let names: Vec<&str> = served.headers.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(names, ["content-type", "x-acs-request-id"]);
    }

    fn request(params: &[(&str, &str)]) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            path: "/".into(),
            scheme: "ACS3-HMAC-SHA256".into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
            body: None,
            common: Map::new(),
        }
    }

    fn interaction(params: &[(&str, &str)], body: &str) -> Interaction {
        Interaction {
            operation: "ens/2017-11-10/CreateInstance".into(),
            recorded_at: "2026-12-02T03:04:05Z".into(),
            request: request(params),
            response: RecordedResponse {
                status: 200,
                headers: BTreeMap::new(),
                body: Body::Text(body.into()),
            },
        }
    }

    #[test]
    fn identical_requests_play_in_order_then_the_last_repeats() {
        let mut lib = Library::default();
        lib.add(
            "c.json".into(),
            Cassette {
                format_version: 1,
                salt: "s".into(),
                interactions: vec![
                    interaction(&[("A", "1")], "first"),
                    interaction(&[("A", "1")], "second"),
                    interaction(
                        &[("A", "2"), ("Password", "[redacted:0a0b0c0d0e0f]")],
                        "other",
                    ),
                ],
            },
        );
        let op = "ens/2017-11-10/CreateInstance";
        let body = |lib: &mut Library, p: &[(&str, &str)]| {
            lib.answer(op, &request(p))
                .map(|r| r.body.clone())
                .ok_or_else(|| lib.near_miss(op, &request(p)))
        };
        assert_eq!(body(&mut lib, &[("A", "1")]).unwrap(), b"first");
        assert_eq!(body(&mut lib, &[("A", "1")]).unwrap(), b"second");
        assert_eq!(body(&mut lib, &[("A", "1")]).unwrap(), b"second");
        assert_eq!(
            lib.unused(),
            vec!["c.json#2 (ens/2017-11-10/CreateInstance, recorded 2026-12-02T03:04:05Z)"]
        );
        // A redacted value matches any value, but not its absence.
        assert_eq!(
            body(&mut lib, &[("A", "2"), ("Password", "anything")]).unwrap(),
            b"other"
        );
        assert!(lib.answer(op, &request(&[("A", "3")])).is_none());
        let miss = lib.near_miss(op, &request(&[("A", "3")]));
        assert_eq!(miss.closest[0].0, "c.json#0");
        assert_eq!(
            miss.closest[0].1,
            vec!["A: recorded \"1\", sent \"3\"".to_string()]
        );
        let miss = lib.near_miss(op, &request(&[("A", "2")]));
        assert!(miss.closest.contains(&(
            "c.json#2".to_string(),
            vec!["Password: recorded \"[redacted:0a0b0c0d0e0f]\", not sent".to_string()]
        )));
        assert!(miss.to_string().starts_with("no recorded interaction matches this ens/2017-11-10/CreateInstance request; closest c.json#"), "{miss}");
        lib.reset_uses();
        assert_eq!(lib.unused().len(), 3);
    }
}
