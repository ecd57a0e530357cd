//! The conformance report as one self-contained HTML file: no network, no external assets.
//!
//! A header with the verdict, the numbers, the drivers (and the SDK versions they declared)
//! and the contracts' pages with the dates they print; the trend against earlier runs; a
//! matrix of operations and case kinds against drivers, each cell coloured by its worst
//! outcome and counted; every case with a stable anchor (`#c/<driver>/<case id>`), failures
//! opening to their message, the wire requests and the parsed answer side by side, and the
//! diff; coverage by driver and operation. Readable without JavaScript (everything is
//! shown); with it, filters by driver, operation, kind and outcome (also from the query
//! string: `?outcome=fail`), the case named by the fragment opens (and `?open=<anchor>`
//! opens one without scrolling to it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::coverage::Ratio;
use super::results::{Item, Results, Status};

/// A documentation page behind the contracts, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInfo {
    /// The operation.
    pub operation: String,
    /// The page's file name.
    pub page: String,
    /// The date the page prints, if it does.
    pub last_updated: Option<String>,
}

/// What the report shows beside the results.
#[derive(Debug, Clone, Default)]
pub struct HtmlContext {
    /// The contracts' pages.
    pub pages: Vec<PageInfo>,
    /// When the report was made (RFC 3339).
    pub generated_at: String,
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The anchor of a case: `c/<driver>/<case id>` with characters a fragment cannot hold
/// written `_` (`#` in a profile's id becomes `@`).
pub fn anchor(item: &Item) -> String {
    let raw = format!(
        "c/{}/{}",
        item.driver.as_deref().unwrap_or("-"),
        item.id.replace('#', "@")
    );
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "/:@._-+=,".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The CSS class of a status.
fn class(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Refused | Status::Noted => "info",
        Status::KnownFailure => "known",
        Status::Warning | Status::Incomplete => "warn",
        Status::Fail | Status::UnexpectedPass | Status::Drift | Status::Finding | Status::Error => {
            "fail"
        }
    }
}

/// How bad a status is, to colour a cell by its worst.
fn severity(s: Status) -> u8 {
    match class(s) {
        "fail" => 4,
        "known" => 3,
        "warn" => 2,
        "info" => 1,
        _ => 0,
    }
}

/// The case kind of an item (`sample`, `invalid`, …; `other` for non-case items).
fn kind_of(item: &Item) -> String {
    item.case
        .as_ref()
        .map(|c| c.kind.clone())
        .unwrap_or_else(|| "warnings and others".into())
}

const STYLE: &str = r#"
:root{--pass:#1a7f37;--fail:#cf222e;--known:#8250df;--warn:#9a6700;--info:#0969da;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:1rem;color:#1f2328}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}.scroll{overflow-x:auto}
.verdict{font-size:1.1rem;font-weight:600;padding:.5rem .8rem;border-radius:6px;color:#fff;display:inline-block}
.pass{color:var(--pass)}.fail{color:var(--fail)}.known{color:var(--known)}.warn{color:var(--warn)}.info{color:var(--info)}
.verdict.pass{background:var(--pass);color:#fff}.verdict.fail{background:var(--fail);color:#fff}
table.matrix{width:auto}table.matrix td,table.matrix th{padding:.05rem .35rem;font-size:.85rem}table.matrix td.cell a{padding:0 .3rem;min-width:3.2rem}
td.cell{text-align:center;white-space:nowrap}td.cell a{display:block;color:#fff;border-radius:4px;padding:.1rem .3rem;text-decoration:none}
td.cell a.pass{background:var(--pass)}td.cell a.fail{background:var(--fail)}td.cell a.known{background:var(--known)}td.cell a.warn{background:var(--warn)}td.cell a.info{background:var(--info)}
.status{font-weight:700;white-space:nowrap}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:var(--soft);border:1px solid var(--line);padding:.5rem;overflow:auto;max-height:28rem;margin:.3rem 0;white-space:pre-wrap;word-break:break-word}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.side h3,td h3{margin:.2rem 0;font-size:.85rem}
details>summary{cursor:pointer}tr:target{outline:3px solid var(--info)}
#filters{display:flex;flex-wrap:wrap;gap:.6rem;margin:.5rem 0}#filters label{display:flex;flex-direction:column;font-size:.8rem}
.muted{color:#59636e}.num{text-align:right}.wrap{word-break:break-all}
@media (max-width:700px){.side{grid-template-columns:1fr}body{padding:.5rem}td,th{padding:.2rem}}
@media print{#filters{display:none}pre{max-height:none}tr{break-inside:avoid}a{color:inherit;text-decoration:none}}
"#;

const SCRIPT: &str = r#"
(function(){
  var form=document.getElementById('filters');if(!form)return;form.hidden=false;
  var rows=[].slice.call(document.querySelectorAll('#cases tbody tr'));
  var sel={};['driver','operation','kind','outcome'].forEach(function(k){sel[k]=document.getElementById('f-'+k);});
  function apply(){rows.forEach(function(r){var show=true;for(var k in sel){var v=sel[k].value;if(v&&r.getAttribute('data-'+k)!==v&&!(k==='outcome'&&v==='fail'&&r.getAttribute('data-bad')==='1'))show=false;}r.hidden=!show;});
    var shown=rows.filter(function(r){return !r.hidden;}).length;document.getElementById('f-count').textContent=shown+' of '+rows.length+' shown';}
  var q=new URLSearchParams(location.search);for(var k in sel){if(q.get(k))sel[k].value=q.get(k);sel[k].addEventListener('change',apply);}
  apply();
  function open(id,scroll){var t=id&&document.getElementById(id);if(t){t.hidden=false;var d=t.querySelector('details');if(d)d.open=true;if(scroll)t.scrollIntoView();}}
  function fromHash(){open(decodeURIComponent(location.hash.slice(1)),true);}
  window.addEventListener('hashchange',fromHash);fromHash();open(q.get('open'),false);
})();
"#;

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn ratio_cell(r: Ratio) -> String {
    if r.total == 0 {
        "<td class=\"num muted\">—</td>".to_string()
    } else {
        let p = r.percent();
        let c = if p >= 99.95 {
            "pass"
        } else if p >= 80.0 {
            "warn"
        } else {
            "fail"
        };
        format!(
            "<td class=\"num {c}\" title=\"{} of {}\">{p:.0}%</td>",
            r.covered, r.total
        )
    }
}

/// What a driver said about its client, or its command when it said nothing.
fn client_and_sdk(d: &super::results::DriverInfo) -> String {
    match (&d.client, &d.about) {
        (Some(c), Some(a)) => format!("{c}: {a}"),
        (None, Some(a)) => a.clone(),
        (Some(c), None) => format!("{c} ({})", d.command),
        (None, None) => d.command.clone(),
    }
}

/// Renders the report.
pub fn html(results: &Results, ctx: &HtmlContext) -> String {
    let mut out = String::with_capacity(64 * 1024 + results.items.len() * 400);
    let ok = results.exit_code() == 0;
    let verdict = if ok { "passed" } else { "failed" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>docpact report: {verdict}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    // Header.
    let _ = write!(
        out,
        "<header>\n<h1>docpact conformance report</h1>\n<p><span class=\"verdict {}\">{}</span> \
         <span class=\"muted\">{}</span></p>\n<p class=\"muted\">docpact {} · {} · generated {}{}</p>\n",
        if ok { "pass" } else { "fail" },
        if ok { "Passed" } else { "Failed" },
        esc(&results.counts_in_words()),
        esc(&results.docpact_version),
        esc(&results.command),
        esc(&ctx.generated_at),
        results
            .contracts
            .as_ref()
            .map(|c| format!(
                " · {} contracts ({}, fingerprint {})",
                c.count,
                esc(&c.root),
                esc(&c.fingerprint.chars().take(12).collect::<String>())
            ))
            .unwrap_or_default()
    );
    if !results.drivers.is_empty() {
        out.push_str("<div class=\"scroll\"><table>\n<caption class=\"muted\">Drivers</caption>\n<thead><tr><th>driver</th><th>client and SDK</th><th>mode</th><th class=\"num\">cases</th><th class=\"num\">failing</th></tr></thead>\n<tbody>\n");
        let mut listed: Vec<&super::results::DriverInfo> = results.drivers.iter().collect();
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        for d in listed {
            let mine: Vec<&Item> = results
                .items
                .iter()
                .filter(|i| i.driver.as_deref() == Some(d.name.as_str()) && i.case.is_some())
                .collect();
            let failing = mine.iter().filter(|i| i.status.fails()).count();
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num {}\">{failing}</td></tr>",
                esc(&d.name),
                esc(&client_and_sdk(d)),
                esc(&d.mode),
                mine.len(),
                if failing > 0 { "fail" } else { "pass" }
            );
        }
        out.push_str("</tbody>\n</table></div>\n");
    }
    if !ctx.pages.is_empty() {
        out.push_str("<details><summary>Contracts and their pages</summary>\n<div class=\"scroll\"><table>\n<thead><tr><th>operation</th><th>page</th><th>page last updated</th></tr></thead>\n<tbody>\n");
        for p in &ctx.pages {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&p.operation),
                esc(&p.page),
                esc(p.last_updated.as_deref().unwrap_or("not printed"))
            );
        }
        out.push_str("</tbody>\n</table></div>\n</details>\n");
    }
    out.push_str("</header>\n");
    // Trend, first.
    if let Some(t) = &results.trend {
        out.push_str("<section id=\"trend\">\n<h2>Since the last runs</h2>\n");
        if t.is_quiet() {
            out.push_str("<p>Nothing changed.</p>\n");
        }
        let list = |out: &mut String, title: &str, cls: &str, keys: &[String]| {
            if keys.is_empty() {
                return;
            }
            let _ = write!(
                out,
                "<h3 class=\"{cls}\">{title} ({})</h3>\n<ul>\n",
                keys.len()
            );
            for k in keys {
                let _ = writeln!(out, "<li><code>{}</code></li>", esc(k));
            }
            out.push_str("</ul>\n");
        };
        list(&mut out, "New failures", "fail", &t.new_failures);
        list(&mut out, "Fixed", "pass", &t.fixed);
        let flaky: Vec<String> = t
            .flaky
            .iter()
            .map(|f| {
                format!(
                    "{} (flipped {} times: {})",
                    f.case,
                    f.flips,
                    f.outcomes.join(" → ")
                )
            })
            .collect();
        list(&mut out, "Flaky", "warn", &flaky);
        list(&mut out, "Snapshot changes", "info", &t.snapshot_changes);
        let cov: Vec<String> = t.coverage.iter().map(ToString::to_string).collect();
        list(&mut out, "Coverage", "info", &cov);
        out.push_str("</section>\n");
    }
    // Matrix: operation × kind rows, driver columns.
    // Drivers by name; the matrix holds what drivers ran (other commands' items, such as
    // derive's pages, have a table of their own).
    let drivers: Vec<String> = results
        .items
        .iter()
        .filter_map(|i| i.driver.clone())
        .chain(results.drivers.iter().map(|d| d.name.clone()))
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let mut cells: BTreeMap<(String, String), BTreeMap<String, Vec<&Item>>> = BTreeMap::new();
    let mut ops: Vec<String> = Vec::new();
    for i in results.items.iter().filter(|i| i.driver.is_some()) {
        if !ops.contains(&i.group) {
            ops.push(i.group.clone());
        }
        cells
            .entry((i.group.clone(), kind_of(i)))
            .or_default()
            .entry(i.driver.clone().unwrap_or_default())
            .or_default()
            .push(i);
    }
    let others: Vec<&Item> = results
        .items
        .iter()
        .filter(|i| i.driver.is_none())
        .collect();
    if !others.is_empty() {
        let mut groups: Vec<&str> = Vec::new();
        for i in &others {
            if !groups.contains(&i.group.as_str()) {
                groups.push(&i.group);
            }
        }
        out.push_str("<section id=\"pages\">\n<h2>Pages and contracts</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>page or contract</th><th>outcome</th><th>items</th></tr></thead>\n<tbody>\n");
        for g in groups {
            let mine: Vec<&&Item> = others.iter().filter(|i| i.group == g).collect();
            let worst = mine
                .iter()
                .map(|i| i.status)
                .max_by_key(|s| severity(*s))
                .unwrap_or(Status::Pass);
            let first = mine
                .iter()
                .find(|i| i.status == worst)
                .map(|i| anchor(i))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr><td class=\"wrap\"><code>{}</code></td><td class=\"status {}\"><a href=\"#{}\">{}</a></td><td class=\"num\">{}</td></tr>",
                esc(g),
                class(worst),
                esc(&first),
                worst.label(),
                mine.len()
            );
        }
        out.push_str("</tbody>\n</table></div>\n</section>\n");
    }
    out.push_str("<section id=\"matrix\">\n<h2>Matrix</h2>\n<p class=\"muted\">Cases passed of cases run, by operation and kind; each cell coloured by its worst outcome.</p>\n<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th>operation</th><th>kind</th>");
    for d in &drivers {
        let _ = write!(out, "<th><code>{}</code></th>", esc(d));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for op in &ops {
        let kinds: Vec<&String> = cells
            .keys()
            .filter(|(o, _)| o == op)
            .map(|(_, k)| k)
            .collect();
        for (n, kind) in kinds.iter().enumerate() {
            out.push_str("<tr>");
            if n == 0 {
                let _ = write!(
                    out,
                    "<th rowspan=\"{}\" class=\"wrap\"><code>{}</code></th>",
                    kinds.len(),
                    esc(op)
                );
            }
            let _ = write!(out, "<td>{}</td>", esc(kind));
            let row = &cells[&(op.clone(), (*kind).clone())];
            for d in &drivers {
                match row.get(d) {
                    None => out.push_str("<td class=\"cell muted\">—</td>"),
                    Some(items) => {
                        let worst = items
                            .iter()
                            .max_by_key(|i| severity(i.status))
                            .copied()
                            .unwrap_or(items[0]);
                        let good = items.iter().filter(|i| !i.status.fails()).count();
                        let target = items
                            .iter()
                            .find(|i| i.status == worst.status)
                            .copied()
                            .unwrap_or(worst);
                        let _ = write!(
                            out,
                            "<td class=\"cell\"><a class=\"{}\" href=\"#{}\" title=\"{}\">{good}/{}</a></td>",
                            class(worst.status),
                            esc(&anchor(target)),
                            esc(worst.status.name()),
                            items.len()
                        );
                    }
                }
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
    // Cases, with filters.
    let kinds: BTreeSet<String> = results.items.iter().map(kind_of).collect();
    let statuses: BTreeSet<&str> = results.items.iter().map(|i| i.status.name()).collect();
    out.push_str("<section id=\"cases\">\n<h2>Cases</h2>\n<form id=\"filters\" hidden>\n");
    let select = |out: &mut String,
                  name: &str,
                  label: &str,
                  values: &mut dyn Iterator<Item = String>| {
        let _ = write!(
            out,
            "<label for=\"f-{name}\">{label}<select id=\"f-{name}\"><option value=\"\">all</option>"
        );
        if name == "outcome" {
            out.push_str("<option value=\"fail\">failing</option>");
        }
        for v in values {
            let _ = write!(out, "<option value=\"{}\">{}</option>", esc(&v), esc(&v));
        }
        out.push_str("</select></label>\n");
    };
    select(&mut out, "driver", "driver", &mut drivers.iter().cloned());
    select(&mut out, "operation", "operation", &mut ops.iter().cloned());
    select(&mut out, "kind", "kind", &mut kinds.iter().cloned());
    select(
        &mut out,
        "outcome",
        "outcome",
        &mut statuses
            .iter()
            .filter(|s| **s != "fail")
            .map(|s| s.to_string()),
    );
    out.push_str("<output id=\"f-count\"></output>\n</form>\n<div class=\"scroll\"><table>\n<thead><tr><th>outcome</th><th>case</th><th>driver</th><th>what happened</th></tr></thead>\n<tbody>\n");
    for i in &results.items {
        let a = anchor(i);
        let _ = write!(
            out,
            "<tr id=\"{}\" data-driver=\"{}\" data-operation=\"{}\" data-kind=\"{}\" data-outcome=\"{}\" data-bad=\"{}\">\
             <td class=\"status {}\">{}</td><td class=\"wrap\"><a href=\"#{}\"><code>{}</code></a></td><td><code>{}</code></td><td>",
            esc(&a),
            esc(i.driver.as_deref().unwrap_or("-")),
            esc(&i.group),
            esc(&kind_of(i)),
            i.status.name(),
            u8::from(i.status.fails()),
            class(i.status),
            i.status.label(),
            esc(&a),
            esc(&i.id),
            esc(i.driver.as_deref().unwrap_or("-")),
        );
        let detailed = !matches!(i.status, Status::Pass | Status::Noted);
        if detailed {
            let _ = writeln!(out, "<details><summary>{}</summary>", esc(&i.message));
            if let Some(r) = &i.reason {
                let _ = writeln!(out, "<p class=\"known\">Known failure: {}</p>", esc(r));
            }
            if let Some(loc) = &i.location {
                let _ = writeln!(
                    out,
                    "<p class=\"muted\"><code>{}</code></p>",
                    esc(&loc.to_string())
                );
            }
            if let Some(d) = &i.diff {
                let _ = writeln!(out, "<h3>Diff</h3><pre>{}</pre>", esc(d));
            }
            for n in &i.notes {
                let _ = writeln!(out, "<pre>{}</pre>", esc(n));
            }
            if let Some(c) = &i.case {
                let wire = pretty(&serde_json::Value::Array(c.wire.clone()));
                let answers = pretty(&serde_json::Value::Array(c.answers.clone()));
                let _ = writeln!(
                    out,
                    "<div class=\"side\"><div><h3>On the wire ({} request{})</h3><pre>{}</pre></div>\
                     <div><h3>Reported by the client</h3><pre>{}</pre></div></div>",
                    c.requests,
                    if c.requests == 1 { "" } else { "s" },
                    esc(&wire),
                    esc(&answers)
                );
            }
            out.push_str("</details>");
        } else {
            out.push_str(&esc(&i.message));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
    // Coverage.
    if let Some(cov) = &results.coverage
        && !cov.rows.is_empty()
    {
        out.push_str("<section id=\"coverage\">\n<h2>Coverage</h2>\n<p class=\"muted\">Documented parameters sent and put on the wire, error codes the client reported, response fields it parsed, constraints and rules broken on purpose.</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>driver</th><th>operation</th><th class=\"num\">params</th><th class=\"num\">errors</th><th class=\"num\">fields</th><th class=\"num\">constraints</th></tr></thead>\n<tbody>\n");
        for r in &cov.rows {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td class=\"wrap\"><code>{}</code></td>{}{}{}{}</tr>",
                esc(&r.driver),
                esc(&r.operation),
                ratio_cell(r.params),
                ratio_cell(r.errors),
                ratio_cell(r.fields),
                ratio_cell(r.constraints)
            );
        }
        for d in std::iter::once(None).chain(drivers.iter().map(|d| Some(d.as_str()))) {
            if d.is_some() && drivers.len() < 2 {
                continue;
            }
            let _ = writeln!(
                out,
                "<tr><th>{}</th><th>all operations</th>{}{}{}{}</tr>",
                esc(d.unwrap_or("all drivers")),
                ratio_cell(cov.total(d, "params")),
                ratio_cell(cov.total(d, "errors")),
                ratio_cell(cov.total(d, "fields")),
                ratio_cell(cov.total(d, "constraints"))
            );
        }
        out.push_str("</tbody>\n</table></div>\n</section>\n");
    }
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_escapes_and_anchors_every_case() {
        let mut r = Results::new("check");
        let mut bad = Item::new("op#acr/error:<X>", Status::Fail, "op#acr", "a \"b\" & <c>");
        bad.driver = Some("py".into());
        bad.diff = Some("-x\n+y".into());
        r.push(bad);
        let mut good = Item::new("op#acr/sample", Status::Pass, "op#acr", "fine");
        good.driver = Some("py".into());
        r.push(good);
        r.finish();
        let page = html(&r, &HtmlContext::default());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("id=\"c/py/op@acr/error:_X_\""), "{page}");
        assert!(page.contains("a &quot;b&quot; &amp; &lt;c&gt;"));
        assert!(
            page.contains("<a class=\"fail\" href=\"#c/py/op@acr/error:_X_\""),
            "the cell links the failure"
        );
        assert!(!page.contains("<X>"));
        assert!(page.contains("<span class=\"verdict fail\">Failed</span>"));
    }
}
