//! Overlays: the facts a page does not print, kept in a small file beside it.
//!
//! `contracts/sources/003_….overlay.json` beside `003_….txt`. Every key is optional; each
//! fact carries its origin (an SDK, provider documentation). Derive says which facts came
//! from the overlay. Unknown keys are errors, like in contracts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::contract::{
    Constraint, Endpoint, Fact, Finding, Generate, Note, Origin, ParamType, Parameter, Profile,
    Repeat, Rule, Unique,
};

/// The overlay of one page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// The product as the provider names it (`Ens`, `BssOpenApi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The lowercase service code (`ens`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The API version and where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Sourced>,
    /// The endpoint host and where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    /// Makes the contract a profile of another operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// Further facts to record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Changes to parameters the page documents, by printed name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParamPatch>,
    /// Parameters the page does not document (SDK-only members).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_parameters: Vec<Parameter>,
    /// Rules the page implies but does not state row by row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// How response fields are generated, by dotted path (`Data.OrderId`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldPatch>,
    /// The documented fields are the page's account only (see the contract format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documented_only: Option<bool>,
    /// Parameters whose values must be unused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<Unique>,
    /// Statements to record beside the page's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Contradictions that need knowledge beyond the page (its base page, the SDK).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// docpact's resolution of a contradiction derive found, by finding id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolutions: BTreeMap<String, String>,
}

/// A value and its origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sourced {
    /// The value.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
}

/// Changes to one documented parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamPatch {
    /// The documented name to use instead of the printed one (`DataDisk.N.Size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
    /// Overrides the Required column (say why in a finding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Marks the value as secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// The range of the repeated index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    /// The error code for breaches of the constraints read from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Constraints the page does not state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Members of a structure the page only names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Parameter>,
}

/// How one response field is served.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldPatch {
    /// The generator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<Generate>,
    /// The type to serve, when the page's is wrong for the API.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<ParamType>,
}

/// Why an overlay cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// Unreadable.
    #[error("cannot read the overlay {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Not a valid overlay.
    #[error("{path}:{line}:{column}: {field}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON path.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// The overlay file that belongs to `page`: `NAME.overlay.json` for `NAME.txt`.
pub fn path_for(page: &Path) -> PathBuf {
    page.with_extension("overlay.json")
}

/// Parses overlay text.
pub fn parse(path: &Path, text: &str) -> Result<Overlay, OverlayError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        OverlayError::Invalid {
            path: path.to_path_buf(),
            line: inner.line(),
            column: inner.column(),
            field,
            message: inner.to_string(),
        }
    })
}

/// Reads the overlay beside `page`, if there is one.
pub fn load_beside(page: &Path) -> Result<Option<(PathBuf, Overlay)>, OverlayError> {
    let path = path_for(page);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&path, &text).map(|o| Some((path, o))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(OverlayError::Read { path, source }),
    }
}
