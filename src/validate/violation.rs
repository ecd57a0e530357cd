//! Violations and their provider error responses.

use crate::contract::{Contract, ErrorEntry, Provider};
use crate::protocol::ProviderError;

/// What kind of breach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    /// A required parameter is absent.
    Missing,
    /// A value is not of the documented type.
    Type,
    /// A value breaks a constraint or rule.
    Value,
    /// An undocumented parameter (Tencent rejects these; Alibaba ignores them).
    Unknown,
}

/// Why a call breaks its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The kind.
    pub kind: ViolationKind,
    /// The parameter, by wire path (`Parameter.2.Value`, `TagSpecification.Tags.0.Key`).
    pub param: String,
    /// What was expected, for people.
    pub detail: String,
    /// The error code the contract names for this breach, if any.
    pub code: Option<String>,
}

impl Violation {
    /// A missing parameter.
    pub fn missing(param: &str, code: Option<String>) -> Violation {
        Violation {
            kind: ViolationKind::Missing,
            param: param.to_string(),
            detail: "is required".into(),
            code,
        }
    }
}

fn table_entry<'a>(code: &str, tables: &[&'a [ErrorEntry]]) -> Option<&'a ErrorEntry> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|e| e.code == code)
}

/// The provider error a violation is answered with. Messages follow the provider's wire
/// templates, or the contract's error table where it words the code.
pub fn to_provider_error(
    v: &Violation,
    contract: &Contract,
    base: Option<&Contract>,
) -> ProviderError {
    let mut tables: Vec<&[ErrorEntry]> = vec![&contract.errors];
    if let Some(b) = base {
        tables.push(&b.errors);
    }
    // ROA parameters are documented inside the body; name them as the page does.
    let name = v.param.strip_prefix("body.").unwrap_or(&v.param);
    let name = &name.to_string();
    match contract.provider {
        Provider::Alibaba => {
            let code = v.code.clone().unwrap_or_else(|| {
                match v.kind {
                    ViolationKind::Missing => "MissingParameter",
                    _ => "InvalidParameter",
                }
                .to_string()
            });
            let entry = table_entry(&code, &tables);
            let status = entry.and_then(|e| e.http_status).unwrap_or(400);
            let message = match (&code[..], entry.and_then(|e| e.message.as_deref())) {
                ("MissingParameter", _) => format!(
                    "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                ),
                ("InvalidParameter", _) => {
                    format!("The specified parameter \"{name}\" is not valid.")
                }
                (_, Some(m)) => m.replace("xx", name).replace("%s", name),
                (_, None) => format!("The specified parameter \"{name}\" is not valid."),
            };
            ProviderError::alibaba(&code, status, message)
        }
        Provider::Tencent => {
            let code = v.code.clone().unwrap_or_else(|| {
                match v.kind {
                    ViolationKind::Missing => "MissingParameter",
                    ViolationKind::Type => "InvalidParameter",
                    ViolationKind::Value => "InvalidParameterValue",
                    ViolationKind::Unknown => "UnknownParameter",
                }
                .to_string()
            });
            let message = match &code[..] {
                "MissingParameter" => {
                    format!("The request is missing a required parameter `{name}`.")
                }
                "InvalidParameter" => format!("The value type of parameter `{name}` is not valid."),
                "InvalidParameterValue" => format!(
                    "A value specified in `{name}` is not valid, is unsupported, or cannot be used."
                ),
                "UnknownParameter" => format!("The parameter `{name}` is not recognized."),
                other => table_entry(other, &tables)
                    .and_then(|e| e.message.clone())
                    .unwrap_or_else(|| format!("The value of `{name}` is not valid.")),
            };
            ProviderError::tencent(&code, message)
        }
    }
}
