//! The page against the API's machine-readable description: where they disagree on a
//! parameter (one has it and the other not, the required flag, the type), as findings.
//! Documentation drift that no other tool reports.
//!
//! Two descriptions are read:
//! - Tencent Cloud's API descriptions as tccli ships them (`tccli/services/<service>/
//!   v<version>/api.json`): `actions.<Action>.input` names an object whose `members` have
//!   `name`, `type` and `required`;
//! - Alibaba Cloud's request classes of the `aliyun-python-sdk-<product>` packages
//!   (`aliyunsdk<product>/request/v<version>/<Action>Request.py`), read as text: the wire names
//!   in `add_query_param('Name', …)` (and body and path), the types in the setters' comments.
//!   The classes carry no required flags. A folder is searched for `<Action>Request.py`.
//!
//! Top-level parameters are compared; flattened names (`Tag.N.Key`, `'Tag.' + str(i)`) count
//! as their first segment, and the providers' common parameters are left out on both sides.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::contract::{Contract, Finding, FindingKind, Location, Origin, ParamType};

re!(
    ADD_PARAM,
    r"add_(query|body|path)_params?\(\s*'([A-Za-z][A-Za-z0-9_]*)"
);
re!(SETTER_TYPE, r"def set_(\w+)\(self, \w+\):\s*#\s*(\w+)");

/// Parameters the providers treat as common.
/// (Alibaba's request classes also carry the owner parameters of every RAM-aware API.)
const COMMON: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "RegionId",
    "OwnerId",
    "OwnerAccount",
    "ResourceOwnerId",
    "ResourceOwnerAccount",
];

/// The last components of `file`, enough to name it (`cvm/v20170312/api.json`).
fn short(file: &Path, parts: usize) -> String {
    let all: Vec<String> = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    all[all.len().saturating_sub(parts)..].join("/")
}

/// One parameter of a description.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkParam {
    /// Its required flag, where the description has one.
    pub required: Option<bool>,
    /// Its type, where the description says.
    pub ty: Option<ParamType>,
}

/// The request parameters a description gives one operation, by top-level name.
#[derive(Debug, Clone)]
pub struct SdkModel {
    /// What it is, in words (`tccli api.json …/cvm/v20170312/api.json`).
    pub source: String,
    /// The parameters.
    pub params: BTreeMap<String, SdkParam>,
}

fn type_word(t: ParamType) -> String {
    format!("{t:?}").to_ascii_lowercase()
}

fn top(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Reads the description of `action` from `path` (an `api.json`, a request class, or a
/// folder holding `<action>Request.py`).
pub fn load(path: &Path, action: &str) -> Result<SdkModel, String> {
    let file: PathBuf = if path.is_dir() {
        let wanted = format!("{action}Request.py");
        find_file(path, &wanted, 6).ok_or_else(|| {
            format!(
                "{} holds no {wanted} (searched 6 levels deep)",
                path.display()
            )
        })?
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if file.extension().is_some_and(|e| e == "json") {
        tccli(&file, &text, action)
    } else {
        request_class(&file, &text)
    }
}

fn find_file(dir: &Path, name: &str, depth: usize) -> Option<PathBuf> {
    let direct = dir.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    if depth == 0 {
        return None;
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    subdirs.iter().find_map(|d| find_file(d, name, depth - 1))
}

fn tccli(file: &Path, text: &str, action: &str) -> Result<SdkModel, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{} is not JSON: {e}", file.display()))?;
    let input = doc
        .pointer(&format!("/actions/{action}/input"))
        .and_then(|v| v.as_str())
        .ok_or_else(|| format!("{} describes no action {action}", file.display()))?;
    let members = doc
        .pointer(&format!("/objects/{input}/members"))
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("{} has no members for {input}", file.display()))?;
    let mut params = BTreeMap::new();
    for m in members {
        let Some(name) = m.get("name").and_then(|v| v.as_str()) else {
            continue;
        };
        let ty = m.get("type").and_then(|v| v.as_str()).and_then(|t| {
            Some(match t {
                "string" | "binary" => ParamType::String,
                "int" => ParamType::Integer,
                "float" => ParamType::Float,
                "bool" => ParamType::Boolean,
                "list" => ParamType::Array,
                "object" => ParamType::Object,
                _ => return None,
            })
        });
        params.insert(
            top(name).to_string(),
            SdkParam {
                required: m.get("required").and_then(|v| v.as_bool()),
                ty,
            },
        );
    }
    Ok(SdkModel {
        source: format!("API description {}", short(file, 3)),
        params,
    })
}

fn request_class(file: &Path, text: &str) -> Result<SdkModel, String> {
    if !text.contains("Request(") {
        return Err(format!(
            "{} is neither a tccli api.json nor an SDK request class",
            file.display()
        ));
    }
    let types: BTreeMap<&str, &str> = SETTER_TYPE
        .captures_iter(text)
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
        .collect();
    let mut params = BTreeMap::new();
    for c in ADD_PARAM.captures_iter(text) {
        let name = &c[2];
        let ty = types.get(name).and_then(|t| {
            Some(match *t {
                "String" => ParamType::String,
                "Integer" => ParamType::Integer,
                "Long" => ParamType::Long,
                "Boolean" => ParamType::Boolean,
                "Float" | "Double" => ParamType::Float,
                "RepeatList" | "Array" => ParamType::Array,
                "Struct" | "Json" | "Map" => ParamType::Object,
                _ => return None,
            })
        });
        params
            .entry(top(name).to_string())
            .or_insert(SdkParam { required: None, ty });
    }
    Ok(SdkModel {
        source: format!("SDK request class {}", short(file, 2)),
        params,
    })
}

/// Where the page (as its contract) and the description disagree.
pub fn compare(c: &Contract, model: &SdkModel) -> Vec<Finding> {
    let sdk = Origin::Sdk(model.source.clone());
    let resolution = "The contract follows the page; the description's account is recorded here.";
    let mut page: BTreeMap<&str, &crate::contract::Parameter> = BTreeMap::new();
    for p in &c.parameters {
        if p.location != Location::Common && !COMMON.contains(&p.name.as_str()) {
            page.entry(top(&p.name)).or_insert(p);
        }
    }
    let mut out = Vec::new();
    let finding = |id: String, subject: &str, message: String, origin: Origin| Finding {
        id,
        kind: FindingKind::DisagreesWithBase,
        subjects: vec![subject.to_string()],
        message,
        resolution: resolution.to_string(),
        origin,
    };
    for (name, s) in &model.params {
        if COMMON.contains(&name.as_str()) {
            continue;
        }
        let Some(p) = page.get(name.as_str()) else {
            // The same name in another case: one wire name, two spellings.
            if let Some(p) = page
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name) && !model.params.contains_key(**k))
                .map(|(_, p)| p)
            {
                out.push(finding(
                    format!("sdk-case:{name}"),
                    name,
                    format!(
                        "the page names {}, the {} sends {name}: names are case-sensitive on the wire",
                        p.name, model.source
                    ),
                    p.origin.clone(),
                ));
                continue;
            }
            out.push(finding(
                format!("sdk-only:{name}"),
                name,
                format!("{name} is in the {} but not on the page", model.source),
                sdk.clone(),
            ));
            continue;
        };
        if let Some(r) = s.required {
            if r != p.required {
                out.push(finding(
                    format!("sdk-required:{name}"),
                    name,
                    format!(
                        "the page marks {name} {}, the {} {}",
                        if p.required { "required" } else { "optional" },
                        model.source,
                        if r { "required" } else { "optional" }
                    ),
                    p.origin.clone(),
                ));
            }
        }
        if let Some(t) = s.ty {
            let same = |a: ParamType, b: ParamType| {
                a == b
                    || matches!(
                        (a, b),
                        (ParamType::Integer, ParamType::Long)
                            | (ParamType::Long, ParamType::Integer)
                    )
            };
            // A flattened list (`Ids.N` of strings) is a list whatever its item type.
            let flattened = p.name.contains('.') && t == ParamType::Array;
            if !same(t, p.ty) && !flattened {
                out.push(finding(
                    format!("sdk-type:{name}"),
                    name,
                    format!(
                        "the page types {name} {}, the {} {}",
                        type_word(p.ty),
                        model.source,
                        type_word(t)
                    ),
                    p.origin.clone(),
                ));
            }
        }
    }
    for (name, p) in &page {
        let other_case = model
            .params
            .keys()
            .any(|k| k.eq_ignore_ascii_case(name) && !page.contains_key(k.as_str()));
        if !model.params.contains_key(*name) && !other_case {
            out.push(finding(
                format!("page-only:{name}"),
                name,
                format!("{name} is on the page but not in the {}", model.source),
                p.origin.clone(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_classes_give_wire_names_and_types() {
        let class = "class CreateXRequest(RpcRequest):\n\tdef set_Name(self, Name):  # String\n\t\tself.add_query_param('Name', Name)\n\tdef set_Tags(self, Tag):  # RepeatList\n\t\t\tself.add_query_param('Tag.' + str(d + 1) + '.Key', x)\n";
        let m = request_class(Path::new("CreateXRequest.py"), class).unwrap();
        assert_eq!(m.params.keys().collect::<Vec<_>>(), ["Name", "Tag"]);
        assert_eq!(m.params["Name"].ty, Some(ParamType::String));
        assert!(request_class(Path::new("x.py"), "print(1)").is_err());
    }

    #[test]
    fn tccli_descriptions_give_required_flags() {
        let api = r#"{"actions":{"RunX":{"input":"RunXRequest"}},"objects":{"RunXRequest":{"members":[{"name":"Ids","type":"list","required":true},{"name":"Limit","type":"int","required":false}]}}}"#;
        let m = tccli(Path::new("api.json"), api, "RunX").unwrap();
        assert_eq!(
            m.params["Ids"],
            SdkParam {
                required: Some(true),
                ty: Some(ParamType::Array)
            }
        );
        assert!(
            tccli(Path::new("api.json"), api, "StopX")
                .unwrap_err()
                .contains("no action StopX")
        );
    }
}
