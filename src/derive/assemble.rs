//! Putting a contract together from what the page prints, then the overlay.

mod building;
mod identity;
mod nesting;
mod overlays;
mod rules;
mod tables;

use self::identity::*;
use self::nesting::*;
use self::rules::*;
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

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 70 {
        format!("{}…", s.chars().take(70).collect::<String>())
    } else {
        s.to_string()
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
