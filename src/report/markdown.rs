//! Results as Markdown that fits a CI step summary: the verdict, a table of counts, then each
//! failure with its message, notes and diff folded under `<details>`.

use std::fmt::Write;

use super::results::{Item, Results, Status};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A fence longer than any run of backticks in `text`.
fn fence(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

fn write_item(out: &mut String, item: &Item) {
    let place = item
        .location
        .as_ref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<details><summary><b>{}</b> <code>{}</code>{}: {}</summary>\n",
        item.status.label(),
        html_escape(&item.id),
        html_escape(&place),
        html_escape(&item.message)
    );
    if let Some(reason) = &item.reason {
        let _ = writeln!(out, "Known failure: {}\n", html_escape(reason));
    }
    let mut body = String::new();
    for note in &item.notes {
        body.push_str(note);
        body.push('\n');
    }
    if let Some(diff) = &item.diff {
        body.push_str(diff);
        if !diff.ends_with('\n') {
            body.push('\n');
        }
    }
    if !body.is_empty() {
        let f = fence(&body);
        let lang = if item.diff.is_some() { "diff" } else { "text" };
        let _ = write!(out, "{f}{lang}\n{body}{f}\n\n");
    }
    out.push_str("</details>\n\n");
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders the results as Markdown.
pub fn markdown(results: &Results) -> String {
    let mut out = String::new();
    let verdict = if results.exit_code() == 0 {
        "passed"
    } else {
        "failed"
    };
    let _ = writeln!(
        out,
        "### docpact {}: {verdict}\n\n{}{}.\n",
        results.command,
        results.counts_in_words(),
        results
            .partition
            .as_ref()
            .map(|p| format!(" (partition {p})"))
            .unwrap_or_default()
    );
    if let Some(t) = &results.trend {
        out.push_str("#### Since the last runs\n\n");
        if t.is_quiet() {
            out.push_str("Nothing changed.\n\n");
        }
        for (title, keys) in [
            ("New failures", &t.new_failures),
            ("Fixed", &t.fixed),
            ("Snapshot changes", &t.snapshot_changes),
        ] {
            if !keys.is_empty() {
                let _ = writeln!(out, "**{title}** ({}):", keys.len());
                for k in keys {
                    let _ = writeln!(out, "- `{}`", k.replace('`', "'"));
                }
                out.push('\n');
            }
        }
        if !t.flaky.is_empty() {
            let _ = writeln!(out, "**Flaky** ({}):", t.flaky.len());
            for f in &t.flaky {
                let _ = writeln!(
                    out,
                    "- `{}`: {}",
                    f.case.replace('`', "'"),
                    f.outcomes.join(" → ")
                );
            }
            out.push('\n');
        }
        for c in &t.coverage {
            let _ = writeln!(out, "- coverage of {c}");
        }
        out.push('\n');
    }
    out.push_str("| status | count |\n|---|---:|\n");
    for status in Status::ALL {
        let n = results.count(status);
        if n > 0 {
            let _ = writeln!(out, "| {} | {n} |", status.name().replace('_', " "));
        }
    }
    out.push('\n');
    if !results.drivers.is_empty() {
        out.push_str("| driver | mode | client | command |\n|---|---|---|---|\n");
        for d in &results.drivers {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` |",
                cell(&d.name),
                d.mode,
                cell(d.client.as_deref().unwrap_or("")),
                cell(&d.command)
            );
        }
        out.push('\n');
    }
    if let Some(cov) = &results.coverage
        && !cov.rows.is_empty()
    {
        out.push_str(
            "| coverage | params | errors | fields | constraints |\n|---|---:|---:|---:|---:|\n",
        );
        let mut drivers: Vec<Option<&str>> = vec![None];
        for r in &cov.rows {
            if !drivers.contains(&Some(r.driver.as_str())) {
                drivers.push(Some(r.driver.as_str()));
            }
        }
        for d in drivers {
            let cells: Vec<String> = super::coverage::KINDS
                .iter()
                .map(|k| {
                    let r = cov.total(d, k);
                    format!("{:.1}% ({}/{})", r.percent(), r.covered, r.total)
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(d.unwrap_or("all drivers")),
                cells.join(" | ")
            );
        }
        out.push('\n');
    }
    let shown: Vec<&Item> = results
        .items
        .iter()
        .filter(|i| !matches!(i.status, Status::Pass | Status::Noted | Status::Refused))
        .collect();
    for item in shown {
        write_item(&mut out, item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_fold_under_details_with_a_fence_longer_than_their_backticks() {
        let mut r = Results::new("check");
        r.push(Item::new("a", Status::Pass, "g", ""));
        let mut f = Item::new("op/b|c", Status::Fail, "g", "x <y>");
        f.diff = Some("-```\n+``".into());
        r.push(f);
        let md = markdown(&r);
        assert!(
            md.starts_with("### docpact check: failed\n\n1 pass, 1 fail.\n"),
            "{md}"
        );
        assert!(md.contains("| fail | 1 |"), "{md}");
        assert!(md.contains("<code>op/b|c</code>: x &lt;y&gt;"), "{md}");
        assert!(md.contains("````diff\n-```\n+``\n````"), "{md}");
        assert!(!md.contains("<code>a</code>"), "{md}");
    }
}
