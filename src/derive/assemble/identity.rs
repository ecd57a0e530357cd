//! The operation's identity on the page: its action, summary, provider and style names.

use super::*;

pub(super) fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::Alibaba => "alibaba",
        Provider::Tencent => "tencent",
    }
}

pub(super) fn style_name(s: WireStyle) -> &'static str {
    match s {
        WireStyle::AlibabaRpc => "rpc",
        WireStyle::AlibabaRoa => "roa",
        WireStyle::TencentApi3 => "api 3.0",
    }
}

pub(super) fn find_action(page: &Page<'_>, params: &[Parameter]) -> Option<String> {
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
pub(super) fn find_summary(page: &Page<'_>) -> Option<String> {
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
