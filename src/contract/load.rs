//! Loading contracts: from the set built into the binary, or from a folder.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use super::builtin;
use super::locate::Positions;
use super::model::{Contract, FORMAT_VERSION, Provider, WireStyle};

/// Why contracts could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not a valid contract.
    #[error("{path}:{line}:{column}: {field}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON path of the offending field (`.` for the document).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The folder holds no contract.
    #[error("no contract files (*.json) under {0}")]
    Empty(PathBuf),
    /// The glob pattern could not be built from the folder name.
    #[error("cannot list {path}: {message}")]
    Pattern {
        /// The folder.
        path: PathBuf,
        /// The glob error.
        message: String,
    },
    /// A draft written by `docpact derive` with facts still missing.
    #[error(
        "{0}: is a draft (derive could not find every fact); complete its overlay and derive again"
    )]
    Draft(String),
    /// Two files describe the same operation.
    #[error("{path}: operation {id} is already defined in {other}")]
    Duplicate {
        /// The second file.
        path: String,
        /// The operation id.
        id: String,
        /// The first file.
        other: String,
    },
}

/// A contract with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedContract {
    /// The file, relative to the contracts folder (`alibaba/ens/2017-11-10/CreateInstance.json`).
    pub path: String,
    /// The file's text, kept for locating fields in later diagnostics.
    pub text: String,
    /// The parsed contract.
    pub contract: Contract,
    /// Its operation id (computed once).
    pub id: String,
}

impl LoadedContract {
    /// Line and column of a JSON path in the file.
    pub fn position(&self, field: &str) -> (usize, usize) {
        Positions::scan(&self.text).find(field)
    }
}

/// The operation id: `provider/service/version/Action`, with `#profile` for a profile.
pub fn operation_id(c: &Contract) -> String {
    let provider = match c.provider {
        Provider::Alibaba => "alibaba",
        Provider::Tencent => "tencent",
    };
    let base = format!("{provider}/{}/{}/{}", c.service, c.version, c.action);
    match &c.profile {
        Some(p) => format!("{base}#{}", p.name),
        None => base,
    }
}

/// The file a contract belongs in, relative to the contracts folder.
pub fn expected_path(c: &Contract) -> String {
    let id = operation_id(c);
    match id.split_once('#') {
        Some((base, profile)) => format!("{base}.{profile}.json"),
        None => format!("{id}.json"),
    }
}

/// A set of contracts and the pages they were derived from.
#[derive(Debug, Clone, Default)]
pub struct ContractSet {
    contracts: Vec<LoadedContract>,
    pages: BTreeMap<String, String>,
    root: String,
    index: Index,
}

/// Where the contracts that can answer a request are, so that finding them does not cost a
/// pass over the whole set (a server may hold thousands of operations): positions in file
/// order, by operation id, by action (RPC and Tencent operations, per provider), by ROA path,
/// and the profiles of each operation. Built as contracts are added.
#[derive(Debug, Clone, Default)]
struct Index {
    ids: ByName<usize>,
    alibaba_actions: ByName<Vec<usize>>,
    tencent_actions: ByName<Vec<usize>>,
    roa_paths: ByName<Vec<usize>>,
    profiles: ByName<Vec<usize>>,
}

/// A map from names to positions, hashed with foldhash rather than SipHash: every request
/// looks a name up in two of them, and their keys come from the contracts, not from clients
/// (a client's name only looks up; it cannot make the maps collide).
type ByName<V> = HashMap<String, V, foldhash::fast::RandomState>;

impl Index {
    fn add(&mut self, at: usize, loaded: &LoadedContract) {
        let c = &loaded.contract;
        self.ids.insert(loaded.id.clone(), at);
        let list = match (&c.profile, c.provider, c.style) {
            (Some(p), _, _) => self.profiles.entry(p.base.clone()),
            (None, Provider::Alibaba, WireStyle::AlibabaRoa) => {
                self.roa_paths.entry(c.http.path.clone())
            }
            // No request reaches a Tencent operation in the ROA style.
            (None, Provider::Tencent, WireStyle::AlibabaRoa) => return,
            (None, Provider::Alibaba, _) => self.alibaba_actions.entry(c.action.clone()),
            (None, Provider::Tencent, _) => self.tencent_actions.entry(c.action.clone()),
        };
        list.or_default().push(at);
    }
}

impl ContractSet {
    /// The contracts built into the binary.
    pub fn builtin() -> Result<ContractSet, LoadError> {
        let mut set = ContractSet {
            root: "<built-in>".into(),
            ..ContractSet::default()
        };
        for (path, text) in builtin::CONTRACTS {
            set.push(path, text.to_string())?;
        }
        for (name, text) in builtin::PAGES {
            set.pages.insert((*name).to_string(), (*text).to_string());
        }
        Ok(set)
    }

    /// Every `*.json` below `dir` except `schema.json`; pages from `dir/sources/`.
    pub fn from_dir(dir: &Path) -> Result<ContractSet, LoadError> {
        let meta = std::fs::metadata(dir).map_err(|source| LoadError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(LoadError::Read {
                path: dir.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
            });
        }
        let pattern = format!(
            "{}/**/*.json",
            glob::Pattern::escape(&dir.to_string_lossy())
        );
        let entries = glob::glob(&pattern).map_err(|e| LoadError::Pattern {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut set = ContractSet {
            root: dir.display().to_string(),
            ..ContractSet::default()
        };
        let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).collect();
        files.sort();
        for file in files {
            let rel = file.strip_prefix(dir).unwrap_or(&file);
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == "schema.json" || rel.starts_with("sources/") {
                continue;
            }
            let text = read(&file)?;
            set.push(&rel, text)?;
        }
        if set.contracts.is_empty() {
            return Err(LoadError::Empty(dir.to_path_buf()));
        }
        let sources = dir.join("sources");
        if let Ok(read_dir) = std::fs::read_dir(&sources) {
            for entry in read_dir.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "txt") {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    // Pages are captured text and may hold stray bytes; keep them readable.
                    let bytes = std::fs::read(&path).map_err(|source| LoadError::Read {
                        path: path.clone(),
                        source,
                    })?;
                    set.pages
                        .insert(name, String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        Ok(set)
    }

    fn push(&mut self, path: &str, text: String) -> Result<(), LoadError> {
        let contract = parse(path, &text)?;
        if contract.draft {
            return Err(LoadError::Draft(path.to_string()));
        }
        let id = operation_id(&contract);
        if let Some(&other) = self.index.ids.get(&id) {
            return Err(LoadError::Duplicate {
                path: path.to_string(),
                id,
                other: self.contracts[other].path.clone(),
            });
        }
        let loaded = LoadedContract {
            path: path.to_string(),
            text,
            contract,
            id,
        };
        self.index.add(self.contracts.len(), &loaded);
        self.contracts.push(loaded);
        Ok(())
    }

    fn at<'a>(&'a self, list: Option<&'a Vec<usize>>) -> impl Iterator<Item = &'a LoadedContract> {
        list.into_iter().flatten().map(|&i| &self.contracts[i])
    }

    /// The operations (not profiles) of `provider` named `action`, in file order: RPC and
    /// Tencent operations (ROA ones are found by path).
    pub fn by_action<'a>(
        &'a self,
        provider: Provider,
        action: &str,
    ) -> impl Iterator<Item = &'a LoadedContract> {
        let map = match provider {
            Provider::Alibaba => &self.index.alibaba_actions,
            Provider::Tencent => &self.index.tencent_actions,
        };
        self.at(map.get(action))
    }

    /// The Alibaba ROA operations (not profiles) at `path`, in file order.
    pub fn by_roa_path<'a>(&'a self, path: &str) -> impl Iterator<Item = &'a LoadedContract> {
        self.at(self.index.roa_paths.get(path))
    }

    /// The profiles of the operation `base_id`, in file order.
    pub fn profiles_of<'a>(&'a self, base_id: &str) -> impl Iterator<Item = &'a LoadedContract> {
        self.at(self.index.profiles.get(base_id))
    }

    /// Where the contracts came from (`<built-in>` or the folder).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// A file of the set as a path people can open: under the folder, or under
    /// `contracts/` for the built-in set (which is the repository's `contracts/` folder).
    pub fn file_path(&self, relative: &str) -> String {
        if self.root == "<built-in>" {
            format!("contracts/{relative}")
        } else {
            Path::new(&self.root).join(relative).display().to_string()
        }
    }

    /// SHA-256 (hex) over every contract's path and text, in order: two sets with the same
    /// fingerprint hold the same contracts, byte for byte.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for c in &self.contracts {
            hash.update(c.path.as_bytes());
            hash.update([0]);
            hash.update(c.text.as_bytes());
            hash.update([0]);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// All contracts, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &LoadedContract> {
        self.contracts.iter()
    }

    /// The number of contracts.
    pub fn len(&self) -> usize {
        self.contracts.len()
    }

    /// True when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty()
    }

    /// The text of a source page, by file name.
    pub fn page(&self, name: &str) -> Option<&str> {
        self.pages.get(name).map(String::as_str)
    }

    /// Finds a contract by operation id, file path, or a unique suffix of either
    /// (`ens/2017-11-10/CreateInstance`, `CreateInstance#acr`).
    pub fn find(&self, query: &str) -> Result<&LoadedContract, Vec<String>> {
        let exact = self
            .contracts
            .iter()
            .find(|c| operation_id(&c.contract) == query || c.path == query);
        if let Some(c) = exact {
            return Ok(c);
        }
        let matches: Vec<&LoadedContract> = self
            .contracts
            .iter()
            .filter(|c| {
                let id = operation_id(&c.contract);
                id.ends_with(&format!("/{query}"))
                    || c.path.ends_with(&format!("/{query}"))
                    || c.path.ends_with(&format!("/{query}.json"))
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            _ => Err(matches.iter().map(|c| operation_id(&c.contract)).collect()),
        }
    }

    /// The base contract of a profile.
    pub fn base_of(&self, c: &Contract) -> Option<&LoadedContract> {
        let base = &c.profile.as_ref()?.base;
        self.contracts
            .iter()
            .find(|l| l.contract.profile.is_none() && &l.id == base)
    }
}

fn read(path: &Path) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadError::Invalid {
            path: path.display().to_string(),
            line,
            column,
            field: ".".into(),
            message: "the file is not UTF-8".into(),
        }
    })
}

/// Parses one contract; errors carry the file, line, column and field path.
pub fn parse(path: &str, text: &str) -> Result<Contract, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let contract: Contract = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        LoadError::Invalid {
            path: path.to_string(),
            line: inner.line(),
            column: inner.column(),
            field: if field.is_empty() { ".".into() } else { field },
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| LoadError::Invalid {
        path: path.to_string(),
        line: e.line(),
        column: e.column(),
        field: ".".into(),
        message: strip_position(&e.to_string()),
    })?;
    if contract.format_version != FORMAT_VERSION {
        let (line, column) = Positions::scan(text).find("format_version");
        return Err(LoadError::Invalid {
            path: path.to_string(),
            line,
            column,
            field: "format_version".into(),
            message: format!(
                "format version {} is not supported (this docpact reads version {FORMAT_VERSION})",
                contract.format_version
            ),
        });
    }
    Ok(contract)
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

impl fmt::Display for LoadedContract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", operation_id(&self.contract), self.path)
    }
}
