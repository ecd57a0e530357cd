//! Putting a contract together from what the page prints, then the overlay.

use super::input;
use super::overlay::Overlay;
use super::page::{self, Block, Page, PageError, Section};
use super::prose::{self, Prose, RuleText};
use super::samples;
use super::table::{self, Col, Layout, Row};
use super::{Derived, Diagnostic, DiagnosticKind, contradictions};
use crate::contract::{
    Condition, Constraint, Contract, Endpoint, ErrorEntry, FORMAT_VERSION, Fact, Field, Generate,
    Http, Idempotency, Limits, Location, Note, Origin, PageSource, ParamType, Parameter, Provider,
    RateLimit, RateScope, Repeat, Response, Rule, RuleKind, Sample, WireStyle,
};

re!(
    ACTION_LINE,
    r"^([A-Za-z][A-Za-z0-9 ]*)?:([A-Z][A-Za-z0-9]+)$"
);
re!(
    DATE,
    r"([A-Z][a-z]{2} \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?)"
);
re!(
    DOMAIN,
    r"(?i)domain name for api requests?:\s*([a-z0-9.\-]+[a-z0-9])\.?"
);
re!(
    RATE,
    r"(?i)(?:a maximum of|up to|at most) (\d+) (?:requests|times|calls|queries)(?: can be (?:initiated|sent|made))? per second(?: for this API)?( per (?:account|user|alibaba cloud account))?"
);
re!(SYNTAX, r"^(GET|POST|PUT|DELETE|PATCH|HEAD)\s+(/\S*)");
re!(STATUS_LINE, r"(?i)(?:http|status)\D{0,20}\b([1-5]\d\d)\b");
re!(
    LISTED_CODE,
    r"^(?:[•*-]\s*)?`?([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_%]+)*)`?\s*(?::|：|\s-\s|\s–\s)\s*(.*)$"
);
re!(ERROR_CENTER, r"https?://error-center\.[A-Za-z0-9./_-]+");
re!(
    TC_EXPLORER,
    r"[?&]Product=([a-z][a-z0-9]*)&Version=(\d{4}-\d{2}-\d{2})&Action=([A-Za-z][A-Za-z0-9]*)"
);
re!(
    EXPLORER,
    r"[#?&]product=([A-Za-z][A-Za-z0-9_-]*)&api=([A-Za-z][A-Za-z0-9]*)&type=(RPC|ROA|rpc|roa)&version=(\d{4}-\d{2}-\d{2})"
);
re!(
    PARAM_IN_MESSAGE,
    r"(?i)\bparameter `?([A-Za-z][A-Za-z0-9_.]*)`?"
);
re!(
    ORDINAL,
    r"(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) attribute"
);

/// How deep `└` marks nest rows at most (member trees are walked recursively).
const MAX_DEPTH: usize = 16;

/// The docs origin of the RPC method and path.
pub const RPC_HTTP: &str =
    "Alibaba RPC style: GET or POST on /, parameters in the query or a form body";
/// The docs origin of the API 3.0 method and path.
pub const API3_HTTP: &str = "Tencent Cloud API 3.0: POST (JSON or form) or GET on /";

/// Derives the contract of `page_name` from its bytes, with its overlay if it has one.
pub fn derive(
    page_name: &str,
    bytes: &[u8],
    overlay: Option<&Overlay>,
) -> Result<Derived, PageError> {
    let text = page::as_text(bytes)?;
    let normal = input::normalize(text);
    let page = Page::numbered(&normal.lines);
    // OpenAPI Explorer's link names the product, the style and the version.
    let explorer = EXPLORER.captures(text).map(|c| {
        let line = text[..c.get(0).map_or(0, |m| m.start())]
            .bytes()
            .filter(|b| *b == b'\n')
            .count() as u32
            + 1;
        (
            c[1].to_string(),
            c[2].to_string(),
            c[3].to_ascii_uppercase(),
            c[4].to_string(),
            line,
        )
    });
    let mut cx = Cx {
        page: &page,
        diags: Vec::new(),
        from_overlay: Vec::new(),
        header_mismatch: None,
        path_params: Vec::new(),
        expanding: Vec::new(),
    };
    let tencent = text.contains("tencentcloudapi.com")
        || text.contains("cloud.tencent.com")
        || TC_EXPLORER.is_match(text)
        || page.lines.iter().any(|l| l.text.contains("Common Params"));
    let provider = if tencent {
        Provider::Tencent
    } else {
        Provider::Alibaba
    };

    // Request syntax and URI.
    let syntax = page.sections(Section::Syntax).find_map(|b| {
        page::non_blank(&b.lines).find_map(|l| {
            SYNTAX
                .captures(l.text.trim())
                .map(|c| (c[1].to_string(), c[2].to_string(), b.heading_line, l.no))
        })
    });
    let style = match (&syntax, provider) {
        (_, Provider::Tencent) => WireStyle::TencentApi3,
        (_, _) if explorer.as_ref().is_some_and(|e| e.2 == "ROA") => WireStyle::AlibabaRoa,
        (Some((_, path, _, _)), _) if path != "/" && !path.starts_with("/?") => {
            WireStyle::AlibabaRoa
        }
        _ => WireStyle::AlibabaRpc,
    };
    let http = match (style, &syntax) {
        (WireStyle::AlibabaRoa, Some((m, p, h, l))) => Http {
            methods: vec![m.clone()],
            // `[ResId]` is how some pages print a path parameter.
            path: p
                .split('?')
                .next()
                .unwrap_or(p)
                .replace('[', "{")
                .replace(']', "}"),
            origin: Origin::Page([*h, *l]),
        },
        (WireStyle::TencentApi3, _) => Http {
            methods: vec!["POST".into(), "GET".into()],
            path: "/".into(),
            origin: Origin::Docs(API3_HTTP.into()),
        },
        _ => Http {
            methods: vec!["GET".into(), "POST".into()],
            path: "/".into(),
            origin: Origin::Docs(RPC_HTTP.into()),
        },
    };

    cx.path_params = http
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect();

    // The samples first: tables borrow examples and nesting from them.
    let example_blocks: Vec<&Block<'_>> = page.sections(Section::Examples).collect();
    let (found_samples, empty_sample_headings) = samples::read(&example_blocks);
    let request_pairs: Vec<(String, String)> = found_samples
        .iter()
        .filter(|s| s.kind == crate::contract::SampleKind::Request)
        .flat_map(|s| samples::url_pairs(&s.text))
        .collect();
    let success_json: Option<serde_json::Value> = found_samples
        .iter()
        .filter(|s| {
            s.kind == crate::contract::SampleKind::Success
                && s.format == crate::contract::SampleFormat::Json
        })
        .find_map(|s| serde_json::from_str(&s.text).ok())
        .map(contradictions::unwrap_response);

    // Errors.
    let errors = cx.errors();
    if errors.is_empty() {
        // A page that sends its readers to an error centre lists no codes of its own.
        let refers = page.sections(Section::Errors).find_map(|b| {
            page::non_blank(&b.lines).find(|l| {
                let t = l.text.to_ascii_lowercase();
                t.contains("error center") || t.contains("error centre")
            })
        });
        if let Some(l) = refers {
            let url = ERROR_CENTER
                .find(text)
                .map(|m| format!(" ({})", m.as_str()))
                .unwrap_or_default();
            cx.diag(
                l.no,
                DiagnosticKind::Limitation,
                format!("the page lists no error codes: it refers to the provider's error center{url}, so the contract knows none of the operation's own errors"),
            );
        }
    }

    // Request parameters.
    let location = match style {
        WireStyle::AlibabaRpc => Location::Query,
        _ => Location::Body,
    };
    let mut family = format!("{} {}", provider_name(provider), style_name(style));
    if normal.format != input::Format::Text {
        family.push_str(&format!(" ({})", normal.format.name()));
    }
    let mut parameters = Vec::new();
    let mut prose_of: Vec<(String, Prose, Origin)> = Vec::new();
    if let Some((t, layout)) = cx.table_in(Section::Request, "request parameters") {
        {
            family.push_str(&format!("; request table: {}", layout.name()));
            let example_col = t.header.has(Col::Example);
            let nested = t.header.layout != Layout::Spaced;
            let tree = cx.nest(t.rows, nested, &|_| Placement::Unknown);
            for node in tree {
                parameters.push(cx.param(
                    node,
                    provider,
                    location,
                    example_col,
                    &request_pairs,
                    &mut prose_of,
                ));
            }
        }
    }

    // Response fields.
    let mut fields = Vec::new();
    if let Some((t, layout)) = cx.table_in(Section::Response, "response parameters") {
        family.push_str(&format!("; response table: {}", layout.name()));
        let example_col = t.header.has(Col::Example);
        let nested = t.header.layout != Layout::Spaced;
        let placement = |name: &str| match &success_json {
            Some(v) => match parent_in_sample(v, name) {
                Some(Some(p)) => Placement::Under(p),
                Some(None) => Placement::Top,
                None => Placement::Unknown,
            },
            None => Placement::Unknown,
        };
        let tree = cx.nest(t.rows, nested, &placement);
        for node in tree {
            fields.push(cx.field(node, example_col, success_json.as_ref()));
        }
        if !t.header_mismatch.is_empty() {
            cx.header_mismatch = Some((t.header.lines.0, *t.header_mismatch.last().unwrap_or(&0)));
        }
    }

    // Names, dates, summary, limits.
    let action = find_action(&page, &parameters).or_else(|| explorer.as_ref().map(|e| e.1.clone()));
    let last_updated = page.lines.iter().take(120).find_map(|l| {
        let lower = l.text.to_lowercase();
        let dated = lower.contains("updated")
            || lower.contains("更新")
            || lower.contains("atualiza")
            || lower.contains("actualiza");
        dated
            .then(|| DATE.captures(l.text).map(|c| c[1].to_string()))
            .flatten()
    });
    let summary = find_summary(&page);
    let domain = page.lines.iter().find_map(|l| {
        DOMAIN
            .captures(l.text)
            .map(|c| (c[1].trim_end_matches('.').to_string(), l.no))
    });
    let mut limits = Limits::default();
    let mut notes = Vec::new();
    for block in page
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, Section::Description | Section::Preamble))
    {
        for l in page::non_blank(&block.lines) {
            if let Some(c) = RATE.captures(l.text) {
                if limits.rate.is_none() {
                    limits.rate = Some(RateLimit {
                        per_second: c[1].parse().unwrap_or(0),
                        scope: if c.get(2).is_some() {
                            RateScope::Account
                        } else {
                            RateScope::Api
                        },
                        origin: Origin::Page([l.no, l.no]),
                    });
                }
            }
            if limits.asynchronous.is_none() {
                if let Some(s) = prose::sentences(l.text.trim().trim_start_matches('•').trim())
                    .into_iter()
                    .find(|s| s.contains("asynchronous"))
                {
                    limits.asynchronous = Some(Note {
                        text: format!("{s}."),
                        origin: Origin::Page([l.no, l.no]),
                    });
                }
            }
        }
    }

    // Rules, idempotency, notes, error codes for constraints.
    let mut rules = Vec::new();
    let mut rule_findings = Vec::new();
    cx.rules(
        &mut parameters,
        &prose_of,
        &errors,
        &mut rules,
        &mut notes,
        &mut rule_findings,
    );
    for (name, p, _) in &prose_of {
        if let (Some(line), None) = (p.idempotent, &limits.idempotency) {
            limits.idempotency = Some(Idempotency {
                param: name.clone(),
                origin: Origin::Page([line, line]),
            });
        }
    }
    assign_constraint_errors(&mut parameters, &errors);

    let samples: Vec<Sample> = found_samples
        .iter()
        .map(|s| Sample {
            kind: s.kind,
            format: s.format,
            title: s.title.clone(),
            text: s.text.clone(),
            origin: Origin::Page([s.lines.0, s.lines.1]),
        })
        .collect();

    let mut facts = Vec::new();
    let (product, service) = match provider {
        Provider::Tencent => {
            let svc = domain
                .as_ref()
                .and_then(|(d, _)| d.split('.').next())
                .map(str::to_string)
                .or_else(|| TC_EXPLORER.captures(text).map(|c| c[1].to_string()));
            (svc.clone(), svc)
        }
        Provider::Alibaba => {
            let prefix = page
                .lines
                .iter()
                .take(40)
                .find_map(|l| {
                    ACTION_LINE
                        .captures(l.text.trim())
                        .and_then(|c| c.get(1).map(|m| m.as_str().trim().to_string()))
                })
                .or_else(|| explorer.as_ref().map(|e| e.0.clone()));
            (prefix.clone(), prefix.map(|p| p.to_ascii_lowercase()))
        }
    };
    let printed_version = parameters.iter().find_map(|p| {
        (p.name == "Version" && p.location == Location::Common)
            .then(|| {
                p.constraints.iter().find_map(|c| match &c.check {
                    crate::contract::Predicate::Const { value } => Some(value.clone()),
                    _ => None,
                })
            })
            .flatten()
    });
    let printed_version = printed_version.or_else(|| {
        explorer.as_ref().map(|e| {
            facts.push(Fact {
                about: format!("version {} (from the OpenAPI Explorer link)", e.3),
                origin: Origin::Page([e.4, e.4]),
            });
            e.3.clone()
        })
    });
    let endpoint = domain
        .as_ref()
        .map(|(d, no)| Endpoint {
            host: d.clone(),
            origin: Origin::Page([*no, *no]),
        })
        .or_else(|| {
            // Every API 3.0 service answers at `<service>.tencentcloudapi.com`.
            (provider == Provider::Tencent)
                .then_some(service.as_ref())
                .flatten()
                .map(|svc| Endpoint {
                    host: format!("{svc}.tencentcloudapi.com"),
                    origin: Origin::Docs(format!(
                        "{}: every service at <service>.tencentcloudapi.com",
                        API3_HTTP
                    )),
                })
        });

    let mut contract = Contract {
        format_version: FORMAT_VERSION,
        provider,
        product: product.clone().unwrap_or_default(),
        service: service.clone().unwrap_or_default(),
        version: printed_version.clone().unwrap_or_default(),
        action: action.clone().unwrap_or_default(),
        style,
        summary: summary.clone().unwrap_or_default(),
        endpoint: endpoint.clone().unwrap_or(Endpoint {
            host: String::new(),
            origin: Origin::Docs("not printed on the page".into()),
        }),
        http,
        source: PageSource {
            page: page_name.to_string(),
            last_updated,
        },
        profile: None,
        facts: Vec::new(),
        parameters,
        rules,
        response: Response {
            fields,
            documented_only: false,
        },
        samples,
        errors,
        limits,
        notes,
        findings: Vec::new(),
        draft: false,
    };

    // The overlay.
    let mut overlay_findings = Vec::new();
    if let Some(o) = overlay {
        cx.apply(o, &mut contract, &mut facts, &mut overlay_findings);
    }
    contract.facts = facts;
    if !contract.response.documented_only {
        super::answers::fill(&mut contract.response.fields);
    }

    // Contradictions, now that every fact is in.
    let mut findings = rule_findings;
    findings.extend(contradictions::find(
        &contract,
        &found_samples,
        &empty_sample_headings,
        cx.header_mismatch,
        &page,
        &request_pairs,
    ));
    contradictions::accept_sample_values(&mut contract, &request_pairs, &mut findings);
    findings.extend(overlay_findings);
    if let Some(o) = overlay {
        for f in &mut findings {
            if let Some(r) = o.resolutions.get(&f.id) {
                f.resolution = r.clone();
            }
        }
        for id in o.resolutions.keys() {
            if !findings.iter().any(|f| &f.id == id) {
                cx.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!("the overlay resolves the finding {id}, which derive did not find"),
                );
            }
        }
    }
    findings.sort_by(|a, b| {
        origin_key(&a.origin)
            .cmp(&origin_key(&b.origin))
            .then(a.id.cmp(&b.id))
    });
    findings.dedup_by(|a, b| a.id == b.id);
    contract.findings = findings;

    // What is still missing.
    let mut missing: Vec<String> = Vec::new();
    if contract.action.is_empty() {
        missing.push("the page names no action".to_string());
    }
    if contract.version.is_empty() {
        missing.push(
            "the page does not print the API version: pass --api-version or add \"version\" to the overlay".to_string(),
        );
    }
    if contract.endpoint.host.is_empty() {
        missing.push(
            "the page does not print the endpoint host: pass --endpoint or add \"endpoint\" to the overlay".into(),
        );
    }
    if contract.product.is_empty() || contract.service.is_empty() {
        missing.push("the page does not name the product and service code: pass --product (and --service) or add \"product\" and \"service\" to the overlay".into());
    }
    if contract.summary.is_empty() {
        missing.push("the page has no one-line summary".into());
    }
    let mut undefined = Vec::new();
    crate::contract::walk(&contract.parameters, &mut |path, p, _| {
        if p.type_name.is_some() && p.members.is_empty() {
            undefined.push(format!(
                "the members of {path} ({}) are not printed: add them to the overlay",
                p.type_name.as_deref().unwrap_or("")
            ));
        }
    });
    for m in undefined {
        missing.push(m);
    }
    for message in missing {
        cx.diag(0, DiagnosticKind::MissingFact, message);
        contract.draft = true;
    }
    if contract.draft {
        if contract.version.is_empty() {
            contract.version = "unknown".into();
        }
        if contract.product.is_empty() {
            contract.product = "unknown".into();
        }
        if contract.service.is_empty() {
            contract.service = "unknown".into();
        }
        if contract.action.is_empty() {
            contract.action = "Unknown".into();
        }
    }
    cx.diags.sort_by_key(|d| d.line);
    Ok(Derived {
        contract,
        family,
        diagnostics: cx.diags,
        from_overlay: cx.from_overlay,
    })
}

fn origin_key(o: &Origin) -> (u32, u32) {
    match o {
        Origin::Page([a, b]) => (*a, *b),
        _ => (u32::MAX, u32::MAX),
    }
}

fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::Alibaba => "alibaba",
        Provider::Tencent => "tencent",
    }
}

fn style_name(s: WireStyle) -> &'static str {
    match s {
        WireStyle::AlibabaRpc => "rpc",
        WireStyle::AlibabaRoa => "roa",
        WireStyle::TencentApi3 => "api 3.0",
    }
}

/// Where a response field sits according to a sample.
enum Placement {
    Unknown,
    Top,
    Under(String),
}

/// `Some(None)`: at the top of the sample; `Some(Some(p))`: inside the object `p`.
fn parent_in_sample(v: &serde_json::Value, name: &str) -> Option<Option<String>> {
    fn walk(v: &serde_json::Value, name: &str, parent: Option<&str>) -> Option<Option<String>> {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key(name) {
                    return Some(parent.map(str::to_string));
                }
                m.iter()
                    .find_map(|(k, child)| walk(child, name, Some(k.as_str())))
            }
            serde_json::Value::Array(items) => {
                items.iter().find_map(|item| walk(item, name, parent))
            }
            _ => None,
        }
    }
    walk(v, name, None)
}

/// The value printed for `name` in a sample, as text.
fn sample_value(v: &serde_json::Value, name: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => m
            .get(name)
            .and_then(|x| match x {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .or_else(|| m.values().find_map(|c| sample_value(c, name))),
        serde_json::Value::Array(items) => items.iter().find_map(|c| sample_value(c, name)),
        _ => None,
    }
}

fn find_action(page: &Page<'_>, params: &[Parameter]) -> Option<String> {
    if let Some(a) = params.iter().find(|p| p.name == "Action").and_then(|p| {
        p.constraints.iter().find_map(|c| match &c.check {
            crate::contract::Predicate::Const { value } => Some(value.clone()),
            _ => None,
        })
    }) {
        return Some(a);
    }
    for l in page.lines.iter().take(80) {
        if let Some(c) = ACTION_LINE.captures(l.text.trim()) {
            return Some(c[2].to_string());
        }
    }
    page.sections(Section::Name)
        .find_map(|b| {
            page::non_blank(&b.lines)
                .next()
                .map(|l| l.text.trim().to_string())
        })
        .filter(|s| table::is_name(s))
        .or_else(|| {
            page.title
                .map(str::trim)
                .filter(|t| table::is_name(t) && !t.contains('.'))
                .map(str::to_string)
        })
}

/// The first sentence-like paragraph after the page's title lines.
fn find_summary(page: &Page<'_>) -> Option<String> {
    for b in &page.blocks {
        if !matches!(
            b.kind,
            Section::Preamble | Section::Description | Section::Name
        ) {
            continue;
        }
        for l in page::non_blank(&b.lines) {
            let t = l.text.trim();
            if DOMAIN.is_match(t) || RATE.is_match(t) || t.starts_with('•') {
                continue;
            }
            if t.ends_with('.') && t.split_whitespace().count() >= 3 && !DATE.is_match(t) {
                return Some(t.to_string());
            }
        }
    }
    None
}

struct Node {
    row: Row,
    item: Option<Row>,
    children: Vec<Node>,
}

impl Node {
    /// The row with a scalar item row joined to it, the array's item type, and the members.
    fn merged(self) -> (Row, Option<ParamType>, Vec<Node>) {
        let Node {
            mut row,
            item,
            children,
        } = self;
        let mut item_type = row.ty.item;
        if let Some(item) = item {
            item_type = Some(item.ty.ty);
            merge_item(&mut row, item);
        }
        (row, item_type, children)
    }
}

struct Cx<'p, 'a> {
    page: &'p Page<'a>,
    diags: Vec<Diagnostic>,
    from_overlay: Vec<String>,
    /// Lines of a table whose header does not describe its rows.
    header_mismatch: Option<(u32, u32)>,
    /// Names in braces in the request path (`/instances/{InstanceId}`).
    path_params: Vec<String>,
    /// The structure types whose members are being read from the data dictionary.
    expanding: Vec<String>,
}

impl Cx<'_, '_> {
    fn diag(&mut self, line: u32, kind: DiagnosticKind, message: String) {
        self.diags.push(Diagnostic {
            line,
            kind,
            message,
        });
    }
}

impl Cx<'_, '_> {
    /// The tables of the sections of `kind`, rows joined in page order (a ROA page's
    /// `RequestBody` table after its request parameters), with unplaced lines reported.
    fn table_in(&mut self, kind: Section, what: &str) -> Option<(table::Table, Layout)> {
        let page = self.page;
        if page.sections(kind).next().is_none() {
            self.diag(
                0,
                DiagnosticKind::Unreadable,
                format!("the page has no {what} section"),
            );
            return None;
        }
        let mut joined: Option<table::Table> = None;
        for block in page.sections(kind) {
            let Some((header, next)) = table::find_header(&block.lines) else {
                if page::non_blank(&block.lines).next().is_some() && joined.is_none() {
                    self.diag(
                        block.heading_line,
                        DiagnosticKind::Unreadable,
                        format!("the {what} section has no table header derive recognises"),
                    );
                }
                continue;
            };
            let mut t = table::read_table(header, &block.lines[next..]);
            if block.heading.to_ascii_lowercase().contains("body") {
                for r in &mut t.rows {
                    r.position.get_or_insert_with(|| "Body".into());
                }
            }
            for (line, text, why) in &t.unplaced {
                self.diag(
                    *line,
                    DiagnosticKind::Unplaced,
                    format!("{what}: {why}: {}", clip(text)),
                );
            }
            if t.rows.is_empty() {
                self.diag(
                    t.header.lines.1,
                    DiagnosticKind::Unreadable,
                    format!("the {what} table has a header but no rows"),
                );
            }
            match joined.as_mut() {
                None => joined = Some(t),
                Some(j) => {
                    j.rows.extend(t.rows);
                    j.header_mismatch.extend(t.header_mismatch);
                }
            }
        }
        let t = joined?;
        let layout = t.header.layout;
        Some((t, layout))
    }

    /// The error tables of every error section: several per section where the page has one
    /// table per HTTP status (the status then comes from the line above the table), and
    /// codes listed without a table (`• InvalidName.Format: the name is invalid.`).
    fn errors(&mut self) -> Vec<ErrorEntry> {
        let page = self.page;
        let mut out = Vec::new();
        for block in page.sections(Section::Errors) {
            let lines = &block.lines;
            let mut at = 0;
            let mut tables = 0;
            while at < lines.len() {
                let Some((header, next)) = table::find_header(&lines[at..]) else {
                    break;
                };
                let start = at + next;
                // The status a heading or line right above the table gives its rows.
                let first = lines
                    .iter()
                    .position(|l| l.no >= header.lines.0)
                    .unwrap_or(0);
                let status_above = lines[..first]
                    .iter()
                    .rev()
                    .find(|l| !l.is_blank())
                    .and_then(|l| STATUS_LINE.captures(l.text))
                    .and_then(|c| c[1].parse::<u16>().ok());
                if !header.has(Col::Code) {
                    at = start;
                    continue;
                }
                tables += 1;
                let (rows, unplaced) = table::read_errors(&header, &lines[start..]);
                let end = rows
                    .iter()
                    .map(|r| r.line)
                    .chain(unplaced.iter().map(|u| u.0))
                    .max()
                    .and_then(|last| lines.iter().position(|l| l.no > last))
                    .unwrap_or(lines.len())
                    .max(start);
                for (line, text, why) in unplaced {
                    self.diag(
                        line,
                        DiagnosticKind::Unplaced,
                        format!("error table: {why}: {}", clip(&text)),
                    );
                }
                if rows.is_empty() {
                    self.diag(
                        header.lines.1,
                        DiagnosticKind::Unreadable,
                        "the error table has a header but no rows".into(),
                    );
                }
                out.extend(rows.into_iter().map(|r| ErrorEntry {
                    code: r.code,
                    http_status: r.status.or(status_above),
                    message: r.message,
                    description: r.description,
                    origin: Origin::Page([r.line, r.line]),
                }));
                at = end;
            }
            if tables > 0 {
                continue;
            }
            // Codes listed without a table.
            let listed: Vec<ErrorEntry> = page::non_blank(lines)
                .filter_map(|l| {
                    let c = LISTED_CODE.captures(l.text.trim())?;
                    let code = c[1].to_string();
                    (code.contains('.') || table::has_inner_upper(&code)).then(|| ErrorEntry {
                        code,
                        http_status: None,
                        message: Some(c[2].trim().to_string()).filter(|m| !m.is_empty()),
                        description: None,
                        origin: Origin::Page([l.no, l.no]),
                    })
                })
                .collect();
            if !listed.is_empty() {
                out.extend(listed);
                continue;
            }
            // Rows without their header: say so rather than drop them.
            let rows = page::non_blank(lines)
                .filter(|l| {
                    let mut words = l.text.split_whitespace();
                    let first = words.next().unwrap_or("");
                    words.next().is_some()
                        && first
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic())
                        && (first.contains('.') || table::has_inner_upper(first))
                })
                .count();
            if rows >= 2 {
                self.diag(
                    block.heading_line,
                    DiagnosticKind::Unreadable,
                    format!("the error section has {rows} lines that look like error rows but no table header derive recognises"),
                );
            }
        }
        out
    }

    /// Nests rows: item rows join their array, and in nested layouts members join the
    /// structure above them (or the one a sample places them in).
    fn nest(
        &mut self,
        rows: Vec<Row>,
        nested: bool,
        place: &dyn Fn(&str) -> Placement,
    ) -> Vec<Node> {
        if rows.iter().any(|r| r.depth.is_some()) {
            return self.nest_by_depth(rows);
        }
        struct N {
            row: Row,
            item: Option<Row>,
            children: Vec<usize>,
            container: bool,
            root: bool,
        }
        let mut arena: Vec<N> = Vec::new();
        let mut top: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut last: Option<usize> = None;
        let mut skipped_root = false;
        for row in rows {
            let Some(name) = row.name.clone() else {
                if let Some(l) = last {
                    if arena[l].row.ty.ty == ParamType::Array && arena[l].item.is_none() {
                        let object = row.ty.ty == ParamType::Object;
                        arena[l].item = Some(row);
                        if !object {
                            arena[l].container = false;
                            if stack.last() == Some(&l) {
                                stack.pop();
                            }
                        }
                        continue;
                    }
                }
                if arena.is_empty() && !skipped_root && row.ty.ty == ParamType::Object {
                    skipped_root = true;
                    continue;
                }
                self.orphan_item(&row);
                continue;
            };
            // A structure, or a list of structures, holds the rows below it; a list of
            // scalars (`Array of String`) holds nothing.
            let container = nested
                && match row.ty.ty {
                    ParamType::Object => true,
                    ParamType::Array => matches!(row.ty.item, None | Some(ParamType::Object)),
                    _ => false,
                }
                && row.ty.type_name.is_none()
                // `AlarmAction.N` (RepeatList): a flattened list, its members named in full.
                && !(name.ends_with(".N") || name.ends_with(".n"));
            let parent = match place(&name) {
                Placement::Top => {
                    stack.clear();
                    None
                }
                Placement::Under(p) => {
                    match arena
                        .iter()
                        .rposition(|n| n.container && n.row.name.as_deref() == Some(p.as_str()))
                    {
                        Some(id) => {
                            if let Some(pos) = stack.iter().position(|s| *s == id) {
                                stack.truncate(pos + 1);
                            } else {
                                stack = vec![id];
                            }
                            Some(id)
                        }
                        None => stack.last().copied(),
                    }
                }
                Placement::Unknown => {
                    if container {
                        while let Some(&t) = stack.last() {
                            if !arena[t].root && !arena[t].children.is_empty() {
                                stack.pop();
                            } else {
                                break;
                            }
                        }
                    }
                    stack.last().copied()
                }
            };
            let id = arena.len();
            let root = container && arena.is_empty() && !skipped_root;
            arena.push(N {
                row,
                item: None,
                children: Vec::new(),
                container,
                root,
            });
            match parent {
                Some(p) => arena[p].children.push(id),
                None => top.push(id),
            }
            // Bounded nesting: a container past the bound holds nothing of its own.
            if container && stack.len() < MAX_DEPTH {
                stack.push(id);
            }
            last = Some(id);
        }
        // Build the tree bottom-up (children always have larger ids).
        let mut built: Vec<Option<Node>> = Vec::with_capacity(arena.len());
        let mut children_of: Vec<Vec<usize>> = Vec::with_capacity(arena.len());
        for n in arena {
            children_of.push(n.children);
            built.push(Some(Node {
                row: n.row,
                item: n.item,
                children: Vec::new(),
            }));
        }
        for id in (0..built.len()).rev() {
            let kids: Vec<Node> = children_of[id]
                .iter()
                .filter_map(|k| built[*k].take())
                .collect();
            if let Some(n) = built[id].as_mut() {
                n.children = kids;
            }
        }
        top.iter().filter_map(|t| built[*t].take()).collect()
    }

    /// Reports an item row (a type without a name) that follows no list.
    fn orphan_item(&mut self, row: &Row) {
        self.diag(
            row.lines.0,
            DiagnosticKind::Unplaced,
            format!(
                "a {} row without a name that follows no list",
                row.ty.printed
            ),
        );
    }

    /// Nests rows whose depth the table marks (`└Key` under `Tag`): each row goes under the
    /// last row one level up; item rows join their array.
    fn nest_by_depth(&mut self, rows: Vec<Row>) -> Vec<Node> {
        fn attach(top: &mut Vec<Node>, path: &[usize], node: Node) {
            let mut level = top;
            for &i in path {
                level = &mut level[i].children;
            }
            level.push(node);
        }
        fn last_mut<'n>(top: &'n mut [Node], path: &[usize]) -> Option<&'n mut Node> {
            let (first, rest) = path.split_first()?;
            let mut node = top.get_mut(*first)?;
            for &i in rest {
                node = node.children.get_mut(i)?;
            }
            Some(node)
        }
        let mut top: Vec<Node> = Vec::new();
        // The index path to the last row at each depth.
        let mut path: Vec<usize> = Vec::new();
        for row in rows {
            if row.name.is_none() {
                if let Some(n) = last_mut(&mut top, &path) {
                    if n.row.ty.ty == ParamType::Array && n.item.is_none() {
                        n.item = Some(row);
                        continue;
                    }
                }
                self.orphan_item(&row);
                continue;
            }
            // Nesting is bounded: what the page marks deeper is placed at the bound.
            let depth = row.depth.unwrap_or(0).min(path.len()).min(MAX_DEPTH);
            if depth < row.depth.unwrap_or(0) {
                self.diag(
                    row.lines.0,
                    DiagnosticKind::Unplaced,
                    format!(
                        "{} is marked {} levels deep under a row {} deep; placed under that row",
                        row.name.as_deref().unwrap_or(""),
                        row.depth.unwrap_or(0),
                        path.len().saturating_sub(1)
                    ),
                );
            }
            path.truncate(depth);
            let node = Node {
                row,
                item: None,
                children: Vec::new(),
            };
            let index = match last_mut(&mut top, &path) {
                Some(parent) => parent.children.len(),
                None => top.len(),
            };
            attach(&mut top, &path, node);
            path.push(index);
        }
        top
    }

    fn param(
        &mut self,
        node: Node,
        provider: Provider,
        location: Location,
        example_col: bool,
        pairs: &[(String, String)],
        prose_of: &mut Vec<(String, Prose, Origin)>,
    ) -> Parameter {
        let (row, item_type, children) = node.merged();
        let printed = row.name.clone().unwrap_or_default();
        let name = printed
            .split('.')
            .map(|s| if s == "n" { "N" } else { s })
            .collect::<Vec<_>>()
            .join(".");
        let p = prose::read(&row.description, row.ty.ty);
        let location = if p.common
            // RegionId travels as a common parameter: the SDKs add it from the client.
            || (provider == Provider::Alibaba
                && matches!(name.as_str(), "Action" | "Version" | "RegionId"))
        {
            Location::Common
        } else if self.path_params.contains(&name) {
            Location::Path
        } else {
            match row
                .position
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("body" | "formdata" | "form") => Location::Body,
                Some("header") => Location::Header,
                _ => location,
            }
        };
        let mut example = row.example.clone();
        if example.is_none() && !example_col {
            example = pairs
                .iter()
                .find(|(k, _)| *k == printed)
                .map(|(_, v)| v.clone());
        }
        let description = row.description_text();
        let sensitive = looks_sensitive(&name, &description, row.ty.ty);
        let repeated = name.split('.').any(|s| s == "N");
        let repeat = match p.repeat {
            Some((min, max, line)) => Some(Repeat {
                min,
                max: Some(max),
                origin: Origin::Page([line, line]),
            }),
            None if repeated => Some(Repeat {
                min: 1,
                max: None,
                origin: Origin::Page([row.lines.0, row.lines.0]),
            }),
            None => None,
        };
        let constraints = p
            .constraints
            .iter()
            .map(|f| Constraint {
                check: f.check.clone(),
                error: None,
                origin: Origin::Page([f.lines.0, f.lines.1]),
            })
            .collect();
        let mut members: Vec<Parameter> = children
            .into_iter()
            .map(|c| self.param(c, provider, location, example_col, pairs, prose_of))
            .collect();
        // A structure type named in the table and defined in the page's data structures
        // (never one already being expanded: structures may refer to themselves).
        if let Some(type_name) = row.ty.type_name.clone() {
            if members.is_empty() && !self.expanding.contains(&type_name) {
                if let Some(rows) = self.dictionary_rows(&type_name) {
                    self.expanding.push(type_name);
                    for r in rows {
                        let node = Node {
                            row: r,
                            item: None,
                            children: Vec::new(),
                        };
                        let member =
                            self.param(node, provider, location, example_col, pairs, prose_of);
                        members.push(member);
                    }
                    self.expanding.pop();
                }
            }
        }
        let last = members
            .iter()
            .filter_map(|m| match m.origin {
                Origin::Page([_, b]) => Some(b),
                _ => None,
            })
            .fold(row.lines.1, u32::max);
        let origin = Origin::Page([row.lines.0, last]);
        prose_of.push((name.clone(), p.clone(), origin.clone()));
        Parameter {
            name: name.clone(),
            printed_as: (name != printed).then_some(printed),
            location,
            ty: row.ty.ty,
            item_type,
            type_name: row.ty.type_name.clone(),
            required: row.required.unwrap_or(false),
            default: p.default.clone(),
            example,
            description,
            sensitive,
            repeat,
            constraints,
            members,
            origin,
        }
    }

    fn field(
        &mut self,
        node: Node,
        example_col: bool,
        sample: Option<&serde_json::Value>,
    ) -> Field {
        let (row, item_type, children) = node.merged();
        let name = row.name.clone().unwrap_or_default();
        let mut example = row.example.clone();
        if example.is_none() && !example_col {
            example = sample.and_then(|v| sample_value(v, &name));
        }
        let mut members: Vec<Field> = children
            .into_iter()
            .map(|c| self.field(c, example_col, sample))
            .collect();
        let mut last = members
            .iter()
            .filter_map(|m| match m.origin {
                Origin::Page([_, b]) => Some(b),
                _ => None,
            })
            .fold(row.lines.1, u32::max);
        if let Some(type_name) = row.ty.type_name.clone() {
            match self.dictionary(&type_name) {
                Some((fields, end)) => {
                    members = fields;
                    last = last.max(end);
                }
                None => self.diag(
                    row.lines.0,
                    DiagnosticKind::MissingFact,
                    format!("the members of {name} ({type_name}) are not printed on the page"),
                ),
            }
        }
        let generate =
            matches!(name.as_str(), "RequestId" | "requestId").then_some(Generate::RequestId);
        let description = row.description_text();
        Field {
            sensitive: looks_sensitive(&name, &description, row.ty.ty),
            name,
            ty: row.ty.ty,
            item_type,
            description,
            example,
            members,
            generate,
            origin: Origin::Page([row.lines.0, last]),
        }
    }

    /// The fields of a named structure in the page's data dictionary, and its last line.
    fn dictionary(&mut self, type_name: &str) -> Option<(Vec<Field>, u32)> {
        let rows = self.dictionary_rows(type_name)?;
        let end = rows.iter().map(|r| r.lines.1).max().unwrap_or(0);
        {
            let fields = rows
                .into_iter()
                .map(|row| {
                    let name = row.name.clone().unwrap_or_default();
                    let description = row.description_text();
                    Field {
                        sensitive: looks_sensitive(&name, &description, row.ty.ty),
                        name,
                        ty: row.ty.ty,
                        item_type: row.ty.item,
                        description,
                        example: row.example.clone(),
                        members: Vec::new(),
                        generate: None,
                        origin: Origin::Page([row.lines.0, row.lines.1]),
                    }
                })
                .collect();
            Some((fields, end))
        }
    }

    /// The rows of a named structure's table in the page's data dictionary (or data
    /// structure section), unplaced lines reported.
    fn dictionary_rows(&mut self, type_name: &str) -> Option<Vec<Row>> {
        let page = self.page;
        for block in page.sections(Section::Dictionary) {
            let Some(at) = block.lines.iter().position(|l| l.text.trim() == type_name) else {
                continue;
            };
            let rest = &block.lines[at + 1..];
            let (header, next) = table::find_header(rest)?;
            let t = table::read_table(header, &rest[next..]);
            for (line, text, why) in &t.unplaced {
                self.diag(
                    *line,
                    DiagnosticKind::Unplaced,
                    format!("{type_name}: {why}: {}", clip(text)),
                );
            }
            return Some(t.rows);
        }
        None
    }

    /// Turns conditional statements into rules, notes and findings.
    fn rules(
        &mut self,
        params: &mut [Parameter],
        prose_of: &[(String, Prose, Origin)],
        errors: &[ErrorEntry],
        rules: &mut Vec<Rule>,
        notes: &mut Vec<Note>,
        findings: &mut Vec<crate::contract::Finding>,
    ) {
        let mut names: Vec<(String, Vec<String>)> = Vec::new();
        crate::contract::walk(params, &mut |path, p, _| {
            let values = p
                .constraints
                .iter()
                .flat_map(|c| match &c.check {
                    crate::contract::Predicate::Enum { values } => {
                        values.iter().map(|v| v.value.clone()).collect()
                    }
                    crate::contract::Predicate::Const { value } => vec![value.clone()],
                    _ => Vec::new(),
                })
                .collect();
            names.push((path.to_string(), values));
        });
        let consts: Vec<(String, String)> = {
            let mut v = Vec::new();
            crate::contract::walk(params, &mut |path, p, _| {
                for c in &p.constraints {
                    if let crate::contract::Predicate::Const { value } = &c.check {
                        v.push((path.to_string(), value.clone()));
                    }
                }
            });
            v
        };
        let resolve = |phrase: &str| -> Option<String> {
            let key: String = phrase
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .flat_map(|c| c.to_lowercase())
                .collect();
            if let Some(c) = ORDINAL.captures(phrase) {
                let n = match c[1].to_ascii_lowercase().as_str() {
                    "first" => 1,
                    "second" => 2,
                    "third" => 3,
                    "fourth" => 4,
                    "fifth" => 5,
                    "sixth" => 6,
                    "seventh" => 7,
                    "eighth" => 8,
                    "ninth" => 9,
                    _ => 10,
                };
                let suffix = format!(".{n}.Value");
                return names
                    .iter()
                    .find(|(p, _)| p.ends_with(&suffix))
                    .map(|(p, _)| p.clone());
            }
            names
                .iter()
                .find(|(p, _)| {
                    let pk: String = p
                        .rsplit('.')
                        .next()
                        .unwrap_or(p)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .flat_map(|c| c.to_lowercase())
                        .collect();
                    pk == key
                })
                .map(|(p, _)| p.clone())
        };
        let error_for = |a: &str, b: &str| -> Option<String> {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            errors
                .iter()
                .find(|e| {
                    e.message.as_deref().is_some_and(|m| {
                        let m = m.to_ascii_lowercase();
                        m.contains(&a) && m.contains(&b)
                    })
                })
                .map(|e| e.code.clone())
        };
        for (name, prose, origin) in prose_of {
            for (text, line) in &prose.rules {
                let at = Origin::Page([*line, *line]);
                let rule = |kind, param: &str, when| Rule {
                    kind,
                    param: param.to_string(),
                    when,
                    error: None,
                    origin: at.clone(),
                };
                match text {
                    RuleText::RequiredWhenValue { subject, value } => match resolve(subject) {
                        Some(other) => {
                            rules.push(rule(
                                RuleKind::RequiredIf,
                                name,
                                Condition::Equals {
                                    param: other,
                                    value: value.clone(),
                                },
                            ));
                        }
                        None => notes.push(unenforceable(
                            name,
                            &format!("required when {subject} is {value}"),
                            at,
                        )),
                    },
                    RuleText::RequiredForKind { word } => {
                        let found = names.iter().find_map(|(p, values)| {
                            (p != name)
                                .then(|| values.iter().find(|v| v.eq_ignore_ascii_case(word)))
                                .flatten()
                                .map(|v| (p.clone(), v.clone()))
                        });
                        match found {
                            Some((other, value)) => rules.push(rule(
                                RuleKind::RequiredIf,
                                name,
                                Condition::Equals {
                                    param: other,
                                    value,
                                },
                            )),
                            None => notes.push(unenforceable(
                                name,
                                &format!("required for {word} instances"),
                                at,
                            )),
                        }
                    }
                    RuleText::TargetRequiredIfPresent { target } => match resolve(target) {
                        Some(t) => rules.push(rule(
                            RuleKind::RequiredIf,
                            &t,
                            Condition::Present {
                                param: name.clone(),
                            },
                        )),
                        None => findings.push(undocumented(name, target, origin)),
                    },
                    RuleText::TargetRequiredIfValue { target, value } => match resolve(target) {
                        Some(t) => rules.push(rule(
                            RuleKind::RequiredIf,
                            &t,
                            Condition::Equals {
                                param: name.clone(),
                                value: value.clone(),
                            },
                        )),
                        None => findings.push(undocumented(name, target, origin)),
                    },
                    RuleText::TargetAbsentIfValue { target, value } => match resolve(target) {
                        Some(t) => {
                            let mut r = rule(
                                RuleKind::AbsentIf,
                                &t,
                                Condition::Equals {
                                    param: name.clone(),
                                    value: value.clone(),
                                },
                            );
                            r.error = error_for(&t, name);
                            rules.push(r);
                        }
                        None => findings.push(undocumented(name, target, origin)),
                    },
                    RuleText::Unenforceable { sentence } => {
                        notes.push(unenforceable(name, sentence, at));
                    }
                }
            }
        }
        // A rule whose condition always holds (the other parameter is a constant) adds
        // nothing; a required parameter with a real condition is not required.
        rules.retain(|r| match &r.when {
            Condition::Equals { param, value } => {
                !consts
                    .iter()
                    .any(|(p, v)| p == param && v.eq_ignore_ascii_case(value))
                    || r.kind != RuleKind::RequiredIf
            }
            Condition::Present { .. } => true,
        });
        for r in rules.iter() {
            if r.kind != RuleKind::RequiredIf {
                continue;
            }
            if let Some(p) = params.iter_mut().find(|p| p.name == r.param) {
                if p.required {
                    p.required = false;
                    findings.push(crate::contract::Finding {
                        id: format!("required-mismatch:{}", p.name),
                        kind: crate::contract::FindingKind::RequiredMismatch,
                        subjects: vec![p.name.clone()],
                        message: format!(
                            "{} is marked required, but its description makes it required only under a condition",
                            p.name
                        ),
                        resolution: "Required only when the condition holds, as the description says.".into(),
                        origin: r.origin.clone(),
                    });
                }
            }
        }
    }
}

fn unenforceable(name: &str, sentence: &str, origin: Origin) -> Note {
    Note {
        text: format!("{name}: {sentence} (a condition docpact cannot check)"),
        origin,
    }
}

fn undocumented(name: &str, target: &str, origin: &Origin) -> crate::contract::Finding {
    crate::contract::Finding {
        id: format!("undocumented-parameter:{target}"),
        kind: crate::contract::FindingKind::UndocumentedParameter,
        subjects: vec![target.to_string()],
        message: format!(
            "{name}'s description requires {target}, which the parameter table does not document"
        ),
        resolution: format!("No rule is enforced for {target}."),
        origin: origin.clone(),
    }
}

/// Joins a scalar item row to its array: descriptions in order, the item's example.
fn merge_item(row: &mut Row, item: Row) {
    if !item.description.is_empty() {
        if !row.description.is_empty() {
            row.description.push((item.lines.0, String::new()));
        }
        row.description.extend(item.description);
    }
    if item.example.is_some() {
        row.example = item.example;
    }
    row.lines.1 = row.lines.1.max(item.lines.1);
}

/// Error codes whose message names a parameter answer breaches of its constraints.
fn assign_constraint_errors(params: &mut [Parameter], errors: &[ErrorEntry]) {
    for e in errors {
        let Some(m) = &e.message else { continue };
        for c in PARAM_IN_MESSAGE.captures_iter(m) {
            let name = &c[1];
            if let Some(p) = params.iter_mut().find(|p| p.name == name) {
                for k in &mut p.constraints {
                    if k.error.is_none() {
                        k.error = Some(e.code.clone());
                    }
                }
            }
        }
    }
}

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 70 {
        format!("{}…", s.chars().take(70).collect::<String>())
    } else {
        s.to_string()
    }
}

impl Cx<'_, '_> {
    /// Merges the overlay, recording each fact it supplied.
    fn apply(
        &mut self,
        o: &Overlay,
        c: &mut Contract,
        facts: &mut Vec<Fact>,
        findings: &mut Vec<crate::contract::Finding>,
    ) {
        if let Some(p) = &o.product {
            c.product = p.clone();
            self.from_overlay.push(format!("product {p}"));
        }
        if let Some(s) = &o.service {
            c.service = s.clone();
            self.from_overlay.push(format!("service {s}"));
        }
        if let Some(v) = &o.version {
            if !c.version.is_empty() && c.version != v.value {
                self.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!(
                        "the overlay's version {} differs from the page's {}",
                        v.value, c.version
                    ),
                );
            }
            if c.version.is_empty() {
                facts.push(Fact {
                    about: format!("version {} (not printed on the page)", v.value),
                    origin: v.origin.clone(),
                });
            }
            c.version = v.value.clone();
            self.from_overlay.push(format!("version {}", v.value));
        }
        if let Some(e) = &o.endpoint {
            let about = if c.endpoint.host.is_empty() || c.endpoint.host == e.host {
                format!("endpoint {}", e.host)
            } else {
                format!("endpoint {} (the page names {})", e.host, c.endpoint.host)
            };
            facts.push(Fact {
                about,
                origin: e.origin.clone(),
            });
            c.endpoint = e.clone();
            self.from_overlay.push(format!("endpoint {}", e.host));
        }
        if let Some(p) = &o.profile {
            c.profile = Some(p.clone());
            self.from_overlay
                .push(format!("profile {} of {}", p.name, p.base));
        }
        facts.extend(o.facts.iter().cloned());
        for (name, patch) in &o.parameters {
            let Some(p) = find_param(&mut c.parameters, name) else {
                self.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!(
                        "the overlay changes the parameter {name}, which the page does not document"
                    ),
                );
                continue;
            };
            let mut what = Vec::new();
            if let Some(new) = &patch.rename {
                if p.printed_as.is_none() {
                    p.printed_as = Some(p.name.clone());
                }
                p.name = new.clone();
                what.push(format!("named {new}"));
            }
            if let Some(r) = patch.required {
                p.required = r;
                what.push(format!("required {r}"));
            }
            if let Some(s) = patch.sensitive {
                p.sensitive = s;
                what.push("sensitivity".to_string());
            }
            if let Some(r) = &patch.repeat {
                p.repeat = Some(r.clone());
                what.push("index range".to_string());
            }
            if let Some(e) = &patch.error {
                for k in &mut p.constraints {
                    k.error = Some(e.clone());
                }
                what.push(format!("error code {e}"));
            }
            if !patch.constraints.is_empty() {
                p.constraints.extend(patch.constraints.iter().cloned());
                what.push(format!("{} constraint(s)", patch.constraints.len()));
            }
            if !patch.members.is_empty() {
                p.members = patch.members.clone();
                what.push(format!("{} member(s)", patch.members.len()));
            }
            self.from_overlay
                .push(format!("parameter {name}: {}", what.join(", ")));
        }
        for p in &o.add_parameters {
            c.parameters.push(p.clone());
            self.from_overlay
                .push(format!("parameter {} (not on the page)", p.name));
        }
        for r in &o.rules {
            c.rules.push(r.clone());
            self.from_overlay.push(format!("rule on {}", r.param));
        }
        for (path, patch) in &o.fields {
            let Some(f) = find_field(&mut c.response.fields, path) else {
                self.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!("the overlay sets the response field {path}, which the page does not document"),
                );
                continue;
            };
            if let Some(g) = &patch.generate {
                f.generate = Some(g.clone());
            }
            if let Some(t) = patch.ty {
                f.ty = t;
            }
            self.from_overlay.push(format!("response field {path}"));
        }
        if let Some(d) = o.documented_only {
            c.response.documented_only = d;
            self.from_overlay.push("response documented only".into());
        }
        for u in &o.unique {
            c.limits.unique.push(u.clone());
            self.from_overlay.push(format!("unique {}", u.param));
        }
        for n in &o.notes {
            c.notes.push(n.clone());
        }
        if !o.notes.is_empty() {
            self.from_overlay.push(format!("{} note(s)", o.notes.len()));
        }
        for f in &o.findings {
            findings.push(f.clone());
            self.from_overlay.push(format!("finding {}", f.id));
        }
    }
}

fn find_param<'a>(params: &'a mut [Parameter], name: &str) -> Option<&'a mut Parameter> {
    let (head, rest) = match name.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (name, None),
    };
    let direct = params
        .iter()
        .position(|p| p.name == name || p.printed_as.as_deref() == Some(name));
    if let Some(i) = direct {
        return params.get_mut(i);
    }
    let rest = rest?;
    let i = params.iter().position(|p| p.name == head)?;
    find_param(&mut params[i].members, rest)
}

fn find_field<'a>(fields: &'a mut [Field], path: &str) -> Option<&'a mut Field> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let i = fields.iter().position(|f| f.name == head)?;
    match rest {
        None => fields.get_mut(i),
        Some(r) => find_field(&mut fields[i].members, r),
    }
}

/// Whether what a page says of a parameter or a response field marks its value as a secret or
/// user data: a password or secret by name, or a description that calls it confidential or
/// sensitive. Such values are masked in snapshots and redacted in cassettes.
fn looks_sensitive(name: &str, description: &str, ty: ParamType) -> bool {
    let name = name.to_ascii_lowercase();
    let lower = description.to_ascii_lowercase();
    ty == ParamType::String
        && (name.contains("password")
            || name.contains("secret")
            || lower.contains("confidential")
            || lower.contains("sensitive data"))
}
