//! Checking each contract against itself, its base and its page.
//!
//! A contract may record where its page contradicts itself (a [`Finding`]); lint accepts an
//! example that breaks a constraint only when a finding names it, so every contradiction is
//! either fixed in the contract or written down.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde_json::Value;

use super::load::{ContractSet, LoadedContract, expected_path, operation_id};
use super::locate::Positions;
use super::lookup::walk;
use super::model::{
    Contract, Finding, FindingKind, Location, ParamType, Parameter, Predicate, Provider,
    SampleFormat, SampleKind,
};
use super::sample::parse_url_sample;

/// A defect in a contract, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The contract file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The JSON path of the field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.column, self.field, self.message
        )
    }
}

/// What lint found across a set.
#[derive(Debug, Default)]
pub struct LintReport {
    /// Defects: a contract with any is not fit to serve.
    pub problems: Vec<Problem>,
    /// The pages' recorded contradictions, by operation id.
    pub findings: Vec<(String, Finding)>,
}

/// The codes every operation of a provider may answer with, besides its own table.
pub fn common_error_codes(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Alibaba => &[
            "MissingParameter",
            "InvalidParameter",
            "Throttling",
            "Throttling.User",
            "Throttling.Api",
            "IdempotentParameterMismatch",
            "InternalError",
            "ServiceUnavailable",
        ],
        Provider::Tencent => &[
            "MissingParameter",
            "InvalidParameter",
            "InvalidParameterValue",
            "UnknownParameter",
            "RequestLimitExceeded",
            "InternalError",
        ],
    }
}

/// Lints every contract of the set.
pub fn lint(set: &ContractSet) -> LintReport {
    let mut report = LintReport::default();
    for loaded in set.iter() {
        let mut cx = Cx {
            loaded,
            positions: Positions::scan(&loaded.text),
            problems: Vec::new(),
        };
        cx.lint(set);
        report.problems.extend(cx.problems);
        let id = operation_id(&loaded.contract);
        for f in &loaded.contract.findings {
            report.findings.push((id.clone(), f.clone()));
        }
    }
    report
}

struct Cx<'a> {
    loaded: &'a LoadedContract,
    positions: Positions,
    problems: Vec<Problem>,
}

impl Cx<'_> {
    fn problem(&mut self, field: &str, message: impl Into<String>) {
        let (line, column) = self.positions.find(field);
        self.problems.push(Problem {
            path: self.loaded.path.clone(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        });
    }

    fn c(&self) -> &Contract {
        &self.loaded.contract
    }

    fn acknowledged(&self, subject: &str, kinds: &[FindingKind]) -> bool {
        self.c()
            .findings
            .iter()
            .any(|f| kinds.contains(&f.kind) && f.subjects.iter().any(|s| s == subject))
    }

    fn lint(&mut self, set: &ContractSet) {
        let c = self.loaded.contract.clone();
        let want = expected_path(&c);
        if self.loaded.path != want {
            self.problem(
                "action",
                format!("the file should be {want} (provider/service/version/Action)"),
            );
        }
        let page = set.page(&c.source.page);
        if page.is_none() {
            self.problem(
                "source.page",
                format!("the page {} is not under sources/", c.source.page),
            );
        }
        let page_lines = page.map(|p| p.lines().count() as u32);
        self.origins(page_lines, set);
        self.parameters(&c);
        self.rules(&c, set);
        self.errors_named(&c, set);
        self.samples(&c, set);
        self.findings(&c);
        if let Some(profile) = &c.profile {
            match set.base_of(&c) {
                None => self.problem(
                    "profile.base",
                    format!("the base operation {} is not in the set", profile.base),
                ),
                Some(base) => self.profile(&c, &base.contract),
            }
        }
    }

    /// Every page origin lies within its page.
    fn origins(&mut self, page_lines: Option<u32>, set: &ContractSet) {
        let text = self.loaded.text.clone();
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(_) => return,
        };
        let mut bad = Vec::new();
        visit_origins(&value, String::new(), &mut |path, origin| {
            if let Some(lines) = origin.get("page").and_then(Value::as_array) {
                let a = lines.first().and_then(Value::as_u64).unwrap_or(0);
                let b = lines.get(1).and_then(Value::as_u64).unwrap_or(0);
                if a == 0 || b < a || page_lines.is_some_and(|n| b > u64::from(n)) {
                    bad.push((
                        path.to_string(),
                        format!(
                            "lines {a}-{b} are not a range within the page ({} lines)",
                            page_lines.map_or("unknown".into(), |n| n.to_string())
                        ),
                    ));
                }
            }
            if let Some(other) = origin.get("other_page").and_then(Value::as_array) {
                let name = other.first().and_then(Value::as_str).unwrap_or("");
                match set.page(name) {
                    None => bad.push((path.to_string(), format!("no page {name} under sources/"))),
                    Some(p) => {
                        let n = p.lines().count() as u64;
                        let a = other.get(1).and_then(Value::as_u64).unwrap_or(0);
                        let b = other.get(2).and_then(Value::as_u64).unwrap_or(0);
                        if a == 0 || b < a || b > n {
                            bad.push((
                                path.to_string(),
                                format!("lines {a}-{b} are not a range within {name} ({n} lines)"),
                            ));
                        }
                    }
                }
            }
        });
        for (path, message) in bad {
            self.problem(&path, message);
        }
    }

    fn parameters(&mut self, c: &Contract) {
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<(String, String)> = Vec::new();
        walk(&c.parameters, &mut |path, p, json| {
            if !seen.insert(path.to_string()) {
                todo.push((
                    format!("{json}.name"),
                    format!("{path} is documented twice"),
                ));
            }
            let repeated = p.name.split('.').any(|s| s == "N");
            if repeated != p.repeat.is_some() {
                todo.push((
                    format!("{json}.repeat"),
                    format!(
                        "{} needs `repeat` exactly when its name has an N segment",
                        p.name
                    ),
                ));
            }
            if p.ty == ParamType::Array && p.item_type.is_none() {
                todo.push((
                    format!("{json}.item_type"),
                    "an array needs item_type".into(),
                ));
            }
            if !p.members.is_empty() && !matches!(p.ty, ParamType::Object | ParamType::Array) {
                todo.push((
                    format!("{json}.members"),
                    "only objects and arrays have members".into(),
                ));
            }
        });
        for (field, message) in todo {
            self.problem(&field, message);
        }
        let mut examples = Vec::new();
        walk(&c.parameters, &mut |path, p, json| {
            examples.push((path.to_string(), p.clone(), json.to_string()));
        });
        for (path, p, json) in examples {
            for (what, value) in [("example", &p.example), ("default", &p.default)] {
                let Some(value) = value else { continue };
                if let Err(why) = value_fits(&p, value) {
                    let kinds = [
                        FindingKind::ExampleOutsideValidValues,
                        FindingKind::ExampleTypeMismatch,
                    ];
                    if !self.acknowledged(&path, &kinds) {
                        self.problem(
                            &format!("{json}.{what}"),
                            format!(
                                "the {what} {value:?} of {path} {why}, and no finding records it"
                            ),
                        );
                    }
                }
            }
            for (i, k) in p.constraints.iter().enumerate() {
                if let Predicate::Enum { values } = &k.check
                    && values.is_empty()
                {
                    self.problem(&format!("{json}.constraints[{i}]"), "an enum needs values");
                }
            }
        }
    }

    fn rules(&mut self, c: &Contract, set: &ContractSet) {
        let base = set.base_of(c).map(|b| b.contract.clone());
        let known = |name: &str| {
            c.parameter(name).is_some()
                || base.as_ref().is_some_and(|b| b.parameter(name).is_some())
        };
        let mut bad = Vec::new();
        for (i, r) in c.rules.iter().enumerate() {
            if !known(&r.param) {
                bad.push((
                    format!("rules[{i}].param"),
                    format!("the rule names {}, which is not a parameter", r.param),
                ));
            }
            if !known(r.when.param()) {
                bad.push((
                    format!("rules[{i}].when"),
                    format!(
                        "the condition names {}, which is not a parameter",
                        r.when.param()
                    ),
                ));
            }
        }
        if let Some(profile) = &c.profile
            && base
                .as_ref()
                .is_some_and(|b| b.parameter(profile.when.param()).is_none())
        {
            bad.push((
                "profile.when".into(),
                format!("the base has no parameter {}", profile.when.param()),
            ));
        }
        if let Some(idem) = &c.limits.idempotency
            && !known(&idem.param)
        {
            bad.push((
                "limits.idempotency.param".into(),
                format!("{} is not a parameter", idem.param),
            ));
        }
        for (i, u) in c.limits.unique.iter().enumerate() {
            if !known(&u.param) {
                bad.push((
                    format!("limits.unique[{i}].param"),
                    format!("{} is not a parameter", u.param),
                ));
            }
        }
        for (field, message) in bad {
            self.problem(&field, message);
        }
    }

    /// Error codes named by constraints and rules exist in the table or the common set.
    fn errors_named(&mut self, c: &Contract, set: &ContractSet) {
        let mut codes: BTreeSet<String> = c.errors.iter().map(|e| e.code.clone()).collect();
        if let Some(base) = set.base_of(c) {
            codes.extend(base.contract.errors.iter().map(|e| e.code.clone()));
        }
        codes.extend(common_error_codes(c.provider).iter().map(|s| s.to_string()));
        let mut bad = Vec::new();
        walk(&c.parameters, &mut |_, p, json| {
            for (i, k) in p.constraints.iter().enumerate() {
                if let Some(code) = &k.error
                    && !codes.contains(code)
                {
                    bad.push((
                        format!("{json}.constraints[{i}].error"),
                        format!("{code} is neither in the error table nor a common code"),
                    ));
                }
            }
        });
        for (i, r) in c.rules.iter().enumerate() {
            if let Some(code) = &r.error
                && !codes.contains(code)
            {
                bad.push((
                    format!("rules[{i}].error"),
                    format!("{code} is neither in the error table nor a common code"),
                ));
            }
        }
        for (i, u) in c.limits.unique.iter().enumerate() {
            if !codes.contains(&u.error) {
                bad.push((
                    format!("limits.unique[{i}].error"),
                    format!(
                        "{} is neither in the error table nor a common code",
                        u.error
                    ),
                ));
            }
        }
        let mut seen = HashSet::new();
        for (i, e) in c.errors.iter().enumerate() {
            if !seen.insert(e.code.clone()) {
                bad.push((
                    format!("errors[{i}].code"),
                    format!("{} is listed twice", e.code),
                ));
            }
        }
        for (field, message) in bad {
            self.problem(&field, message);
        }
    }

    fn samples(&mut self, c: &Contract, set: &ContractSet) {
        let base = set.base_of(c).map(|b| b.contract.clone());
        for (i, s) in c.samples.iter().enumerate() {
            let field = format!("samples[{i}].text");
            match (s.kind, s.format) {
                (SampleKind::Request, SampleFormat::Url) => {
                    match parse_url_sample(&s.text) {
                        Err(why) => self.problem(&field, format!("the sample request {why}")),
                        Ok(pairs) => {
                            for (name, value) in pairs {
                                let found = c
                                    .parameter(&name)
                                    .or_else(|| base.as_ref().and_then(|b| b.parameter(&name)));
                                match found {
                                None => self.problem(
                                    &field,
                                    format!("the sample request sends {name}, which is not documented"),
                                ),
                                Some(r) => {
                                    if let Err(why) = value_fits(r.param, &value) {
                                        self.problem(
                                            &field,
                                            format!(
                                                "the sample request's {name}={value} {why}; the server must accept the page's own sample"
                                            ),
                                        );
                                    }
                                }
                            }
                            }
                        }
                    }
                }
                (SampleKind::Request, _) => {}
                (_, SampleFormat::Json) => match serde_json::from_str::<Value>(&s.text) {
                    Err(e) => {
                        if !self
                            .acknowledged(&format!("samples[{i}]"), &[FindingKind::SampleMalformed])
                        {
                            self.problem(&field, format!("the sample is not JSON: {e}"));
                        }
                    }
                    Ok(v) if s.kind == SampleKind::Success => {
                        // Tencent wraps every answer in {"Response": {...}}.
                        let v = match (c.provider, &v) {
                            (Provider::Tencent, Value::Object(m)) if m.len() == 1 => {
                                m.get("Response").cloned().unwrap_or(v)
                            }
                            _ => v,
                        };
                        let mut undocumented = Vec::new();
                        undocumented_keys(&v, &c.response.fields, "", &mut undocumented);
                        for key in undocumented {
                            let kinds = [
                                FindingKind::SampleFieldConflict,
                                FindingKind::SampleShapeMismatch,
                            ];
                            if !self.acknowledged(&key, &kinds) {
                                self.problem(
                                    &field,
                                    format!("the sample has the field {key}, which the response table does not document, and no finding records it"),
                                );
                            }
                        }
                    }
                    Ok(_) => {}
                },
                (_, SampleFormat::Xml) => {
                    if !s.text.trim_start().starts_with('<') {
                        self.problem(&field, "an XML sample must start with an element");
                    }
                }
                (_, SampleFormat::Url) => {
                    self.problem(
                        &format!("samples[{i}].format"),
                        "a response cannot be a URL",
                    );
                }
            }
        }
    }

    fn findings(&mut self, c: &Contract) {
        let mut seen = HashSet::new();
        for (i, f) in c.findings.iter().enumerate() {
            if !seen.insert(f.id.clone()) {
                self.problem(
                    &format!("findings[{i}].id"),
                    format!("{} is used twice", f.id),
                );
            }
        }
    }

    fn profile(&mut self, c: &Contract, base: &Contract) {
        let mut bad = Vec::new();
        walk(&c.parameters, &mut |path, p, json| {
            if p.location == Location::Common {
                return;
            }
            match base.parameter(path) {
                None => bad.push((
                    format!("{json}.name"),
                    format!("{path} is not a parameter of the base operation"),
                )),
                Some(r) => {
                    if r.param.ty != p.ty {
                        bad.push((
                            format!("{json}.type"),
                            format!(
                                "{path} is {} here but {} in the base operation",
                                p.ty.name(),
                                r.param.ty.name()
                            ),
                        ));
                    }
                }
            }
        });
        if c.provider != base.provider || c.style != base.style || c.service != base.service {
            bad.push((
                "provider".into(),
                "a profile must share the base's provider, service and style".into(),
            ));
        }
        for (field, message) in bad {
            self.problem(&field, message);
        }
    }
}

/// Checks a scalar value written as text against a parameter's type and constraints.
pub fn value_fits(p: &Parameter, value: &str) -> Result<(), String> {
    if p.ty.accepts_text(value) == Some(false) {
        return Err(format!("is not of type {}", p.ty.name()));
    }
    for k in &p.constraints {
        if !k.check.is_count_check() {
            k.check.evaluate(value)?;
        }
    }
    Ok(())
}

fn visit_origins(
    v: &Value,
    path: String,
    f: &mut impl FnMut(&str, &serde_json::Map<String, Value>),
) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k == "origin" {
                    if let Value::Object(o) = child {
                        f(&p, o);
                    }
                } else {
                    visit_origins(child, p, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                visit_origins(child, format!("{path}[{i}]"), f);
            }
        }
        _ => {}
    }
}

/// The dotted paths of keys in a sample `v` that `fields` do not document.
pub(crate) fn undocumented_keys(
    v: &Value,
    fields: &[super::model::Field],
    prefix: &str,
    out: &mut Vec<String>,
) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match fields.iter().find(|f| &f.name == k) {
                    None => out.push(path),
                    Some(f) => undocumented_keys(child, &f.members, &path, out),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                undocumented_keys(item, fields, prefix, out);
            }
        }
        _ => {}
    }
}
