//! Places where a page contradicts itself, found mechanically, each with a default
//! resolution (an overlay may word its own).

use super::page::{Page, Section};
use super::samples::FoundSample;
use crate::contract::undocumented_keys;
use crate::contract::{
    Contract, EnumValue, Field, Finding, FindingKind, Generate, Origin, ParamType, Parameter,
    Predicate, SampleFormat, SampleKind, WireStyle, value_fits, walk,
};

fn finding(
    id: String,
    kind: FindingKind,
    subjects: Vec<String>,
    message: String,
    resolution: &str,
    origin: Origin,
) -> Finding {
    Finding {
        id,
        kind,
        subjects,
        message,
        resolution: resolution.to_string(),
        origin,
    }
}

/// The page's value for an example: `""` is the empty string.
fn example_value(e: &str) -> &str {
    if e == "\"\"" { "" } else { e }
}

/// Finds contradictions in a derived contract.
pub fn find(
    c: &Contract,
    samples: &[FoundSample],
    empty_sample_headings: &[(u32, String)],
    header_mismatch: Option<(u32, u32)>,
    page: &Page<'_>,
    _pairs: &[(String, String)],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let json_api = c.style != WireStyle::AlibabaRpc;

    // Examples against types and valid values.
    walk(&c.parameters, &mut |path, p, _| {
        let Some(example) = p.example.as_deref() else {
            return;
        };
        let v = example_value(example);
        let bad_type = p.ty.accepts_text(v) == Some(false)
            || (json_api
                && c.style == WireStyle::TencentApi3
                && p.ty == ParamType::Boolean
                && v != "true"
                && v != "false");
        if bad_type && p.ty != ParamType::Object && p.ty != ParamType::Array {
            out.push(finding(
                format!("example-type:{path}"),
                FindingKind::ExampleTypeMismatch,
                vec![path.to_string()],
                format!(
                    "{path} is documented as {}, but its example is written {example}",
                    p.ty.name()
                ),
                "The documented type is enforced; the example is kept as printed.",
                p.origin.clone(),
            ));
            return;
        }
        if let Err(why) = value_fits(p, v) {
            out.push(finding(
                format!("example-outside-valid-values:{path}"),
                FindingKind::ExampleOutsideValidValues,
                vec![path.to_string()],
                format!("{path}'s example {example} {why}"),
                "The valid values are enforced; the example is rejected.",
                p.origin.clone(),
            ));
        }
        // Two size limits of which one can never bind.
        let chars = p.constraints.iter().find_map(|k| match k.check {
            Predicate::Length { max: Some(m), .. } => Some(m),
            _ => None,
        });
        let bytes = p.constraints.iter().find_map(|k| match k.check {
            Predicate::Bytes { max } => Some(max),
            _ => None,
        });
        if let (Some(ch), Some(b)) = (chars, bytes) {
            if ch.saturating_mul(4) < b {
                out.push(finding(
                    format!("conflicting-limits:{path}"),
                    FindingKind::ConflictingLimits,
                    vec![path.to_string()],
                    format!("{path} may be at most {ch} characters and {b} bytes; {ch} characters never reach {b} bytes"),
                    "Both limits are enforced; the character limit is the one that binds.",
                    p.origin.clone(),
                ));
            }
        }
    });

    // Two paths for the operation.
    if let Some(uri) = page.sections(Section::Uri).find_map(|b| {
        super::page::non_blank(&b.lines)
            .next()
            .map(|l| (l.no, l.text.trim().to_string()))
    }) {
        let path = uri.1.split('?').next().unwrap_or("").to_string();
        if path.starts_with('/') && path != c.http.path {
            let end = match &c.http.origin {
                Origin::Page([_, b]) => *b,
                _ => uri.0,
            };
            out.push(finding(
                "path-mismatch:uri".into(),
                FindingKind::PathMismatch,
                Vec::new(),
                format!(
                    "The URI {} differs from the request syntax {} {}",
                    uri.1,
                    c.http.methods.join("|"),
                    c.http.path
                ),
                "The request syntax path is served, as SDKs call it.",
                Origin::Page([uri.0.min(end), uri.0.max(end)]),
            ));
        }
    }

    // Samples against the response table.
    let mut flat: Vec<(String, &Field)> = Vec::new();
    flatten(&c.response.fields, "", &mut flat);
    for (i, s) in samples.iter().enumerate() {
        if let Some(why) = &s.malformed {
            out.push(finding(
                format!("sample-malformed:samples[{i}]"),
                FindingKind::SampleMalformed,
                vec![format!("samples[{i}]")],
                format!(
                    "The {} sample is not well-formed: {why}",
                    format_name(s.format)
                ),
                "Kept as printed; answers are built from the field table.",
                Origin::Page([s.lines.0, s.lines.1]),
            ));
        }
    }
    let parsed: Vec<(usize, serde_json::Value)> = samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == SampleKind::Success && s.format == SampleFormat::Json)
        .filter_map(|(i, s)| {
            serde_json::from_str(&s.text)
                .ok()
                .map(|v| (i, unwrap_response(v)))
        })
        .collect();
    let mut undocumented: Vec<(String, u32, u32)> = Vec::new();
    for (i, v) in &parsed {
        let mut keys = Vec::new();
        undocumented_keys(v, &c.response.fields, "", &mut keys);
        for k in keys {
            let (a, b) = samples[*i].lines;
            match undocumented.iter_mut().find(|u| u.0 == k) {
                Some(u) => {
                    u.1 = u.1.min(a);
                    u.2 = u.2.max(b);
                }
                None => undocumented.push((k, a, b)),
            }
        }
    }
    {
        for (k, a, b) in undocumented {
            out.push(finding(
                format!("sample-field:{k}"),
                FindingKind::SampleFieldConflict,
                vec![k.clone()],
                format!(
                    "A sample response carries {k}, which the response table does not document"
                ),
                "Kept in the samples and not served.",
                Origin::Page([a, b]),
            ));
        }
    }
    for (path, f) in &flat {
        if matches!(f.generate, Some(Generate::RequestId)) {
            continue;
        }
        let expected = match &f.generate {
            Some(Generate::Id { prefix, .. }) | Some(Generate::Ids { prefix, .. }) => {
                Some(prefix.clone())
            }
            _ => f.example.as_deref().and_then(id_prefix),
        };
        let Some(expected) = expected.filter(|p| !p.is_empty()) else {
            continue;
        };
        for (i, v) in &parsed {
            let Some(serde_json::Value::String(s)) = lookup(v, path) else {
                continue;
            };
            if id_prefix(s).unwrap_or_default() != expected && !s.starts_with(&expected) {
                let first = match f.origin {
                    Origin::Page([a, _]) => a,
                    _ => samples[*i].lines.0,
                };
                out.push(finding(
                    format!("sample-id:{path}"),
                    FindingKind::SampleIdPrefixMismatch,
                    vec![path.clone()],
                    format!(
                        "A sample's {path} is {s}, while IDs of this field start with {expected}"
                    ),
                    &format!("Served IDs start with {expected}."),
                    Origin::Page([
                        first.min(samples[*i].lines.0),
                        samples[*i].lines.1.max(first),
                    ]),
                ));
                break;
            }
        }
    }
    for (path, f) in &flat {
        if f.ty != ParamType::Array {
            continue;
        }
        for (i, v) in &parsed {
            if let Some(serde_json::Value::Array(items)) = lookup(v, path) {
                if items.len() == 1
                    && items[0]
                        .as_str()
                        .is_some_and(|s| s.starts_with('[') && s.contains(','))
                {
                    out.push(shape(path, f, samples[*i].lines));
                }
            }
        }
    }

    // Sample headings without samples.
    if let (Some(first), Some(last)) = (empty_sample_headings.first(), empty_sample_headings.last())
    {
        let names: Vec<&str> = empty_sample_headings.iter().map(|h| h.1.as_str()).collect();
        out.push(finding(
            "sample-missing".into(),
            FindingKind::SampleMissing,
            Vec::new(),
            format!(
                "The headings {} have no samples under them",
                names.join(", ")
            ),
            "The contract has no samples there; answers are built from the field table.",
            Origin::Page([first.0, last.0]),
        ));
    }
    if let Some((a, b)) = header_mismatch {
        out.push(finding(
            "table-header:response".into(),
            FindingKind::TableHeaderMismatch,
            Vec::new(),
            "The response table's header names a Required column, but its rows hold descriptions there".into(),
            "The column is read as the description.",
            Origin::Page([a, b]),
        ));
    }
    out
}

fn shape(path: &str, f: &Field, sample: (u32, u32)) -> Finding {
    let first = match f.origin {
        Origin::Page([a, _]) => a,
        _ => sample.0,
    };
    finding(
        format!("sample-shape:{path}"),
        FindingKind::SampleShapeMismatch,
        vec![path.to_string()],
        format!("{path} is a list, but the sample puts several values inside one string element"),
        "Answers carry one element per value.",
        Origin::Page([first.min(sample.0), sample.1]),
    )
}

fn format_name(f: SampleFormat) -> &'static str {
    match f {
        SampleFormat::Url => "URL",
        SampleFormat::Json => "JSON",
        SampleFormat::Xml => "XML",
    }
}

/// The answer inside Tencent's `{"Response": {...}}` wrapper; other samples as they are.
pub(super) fn unwrap_response(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(ref m) if m.len() == 1 && m.contains_key("Response") => {
            m["Response"].clone()
        }
        other => other,
    }
}

fn flatten<'a>(fields: &'a [Field], prefix: &str, out: &mut Vec<(String, &'a Field)>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.push((path.clone(), f));
        flatten(&f.members, &path, out);
    }
}

fn lookup<'v>(v: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    Some(cur)
}

/// The prefix of an ID (`ha-cn-` of `ha-cn-2r42ppr7901`); `None` for request IDs and
/// values without a dash.
fn id_prefix(s: &str) -> Option<String> {
    let looks_uuid = s.len() >= 32 && s.split('-').count() == 5;
    if looks_uuid || s.contains(' ') {
        return None;
    }
    s.rfind('-').map(|i| s[..=i].to_string())
}

/// A sample request must succeed against its own contract: values it uses outside the
/// valid values are accepted too, and the finding says so.
pub fn accept_sample_values(
    c: &mut Contract,
    pairs: &[(String, String)],
    findings: &mut Vec<Finding>,
) {
    for (name, value) in pairs {
        let Some(p) = find_mut(&mut c.parameters, name) else {
            continue;
        };
        if value_fits(p, value).is_ok() {
            continue;
        }
        let mut changed = false;
        for k in &mut p.constraints {
            let extra = EnumValue {
                value: value.clone(),
                label: Some("the value of the page's sample request".into()),
                supported: true,
            };
            match &mut k.check {
                Predicate::Const { value: v } => {
                    k.check = Predicate::Enum {
                        values: vec![
                            EnumValue {
                                value: v.clone(),
                                label: None,
                                supported: true,
                            },
                            extra,
                        ],
                    };
                    changed = true;
                }
                Predicate::Enum { values } => {
                    values.push(extra);
                    changed = true;
                }
                _ => {}
            }
        }
        if !changed {
            continue;
        }
        let id = format!("example-outside-valid-values:{}", p.name);
        let resolution = "Both values are accepted: the page's own sample request must succeed.";
        match findings.iter_mut().find(|f| f.id == id) {
            Some(f) => {
                f.message = format!(
                    "{}'s valid values do not include {value}, the value its example and the sample request use",
                    p.name
                );
                f.resolution = resolution.into();
            }
            None => findings.push(finding(
                format!("sample-outside-valid-values:{}", p.name),
                FindingKind::SampleBreaksRule,
                vec![p.name.clone()],
                format!(
                    "The sample request sets {} to {value}, outside its valid values",
                    p.name
                ),
                resolution,
                p.origin.clone(),
            )),
        }
    }
}

fn find_mut<'a>(params: &'a mut [Parameter], name: &str) -> Option<&'a mut Parameter> {
    params
        .iter_mut()
        .find(|p| p.name == name || p.printed_as.as_deref() == Some(name))
}
