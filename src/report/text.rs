//! Results as lines for people: one line per item (`STATUS where: message`), its notes and
//! diff indented under it, then a summary line. Colour only when asked for.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::results::{Item, Results, Status};

/// How to print text.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// ANSI colours (a terminal that wants them).
    pub color: bool,
    /// List passing items too (off for long check runs: one line per failure).
    pub passes: bool,
}

impl Default for TextOptions {
    fn default() -> TextOptions {
        TextOptions {
            color: false,
            passes: true,
        }
    }
}

fn style(status: Status) -> Style {
    let color = match status {
        Status::Pass => AnsiColor::Green,
        Status::Fail | Status::UnexpectedPass | Status::Drift | Status::Error => AnsiColor::Red,
        Status::Finding | Status::Incomplete | Status::Warning => AnsiColor::Yellow,
        Status::KnownFailure | Status::Noted | Status::Refused => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn diff_line_style(line: &str) -> Style {
    let color = if line.starts_with("+++") || line.starts_with("---") {
        return Style::new().bold();
    } else if line.starts_with('+') {
        AnsiColor::Green
    } else if line.starts_with('-') {
        AnsiColor::Red
    } else if line.starts_with("@@") {
        AnsiColor::Cyan
    } else {
        return Style::new();
    };
    Style::new().fg_color(Some(color.into()))
}

/// Renders the results as text.
pub fn text(results: &Results, options: &TextOptions) -> String {
    let mut out = String::new();
    if let Some(t) = &results.trend {
        for (label, keys) in [
            ("NEW FAIL", &t.new_failures),
            ("FIXED", &t.fixed),
            ("CHANGED", &t.snapshot_changes),
        ] {
            for k in keys {
                let _ = writeln!(out, "{label:>10} {k}");
            }
        }
        for f in &t.flaky {
            let _ = writeln!(
                out,
                "{:>10} {} (flipped {} times: {})",
                "FLAKY",
                f.case,
                f.flips,
                f.outcomes.join(" ")
            );
        }
        for c in &t.coverage {
            let _ = writeln!(out, "{:>10} {c}", "COVERAGE");
        }
    }
    for item in &results.items {
        if item.status == Status::Pass && !options.passes {
            continue;
        }
        write_item(&mut out, item, options.color);
    }
    if let Some(cov) = &results.coverage
        && !cov.rows.is_empty()
    {
        let parts: Vec<String> = super::coverage::KINDS
            .iter()
            .map(|k| {
                let r = cov.total(None, k);
                format!("{k} {:.1}% ({}/{})", r.percent(), r.covered, r.total)
            })
            .collect();
        let _ = writeln!(out, "coverage: {}", parts.join(", "));
    }
    let verdict = if results.exit_code() == 0 {
        Status::Pass
    } else {
        Status::Fail
    };
    let head = if options.color {
        let s = style(verdict);
        format!("{}{}{}", s.render(), results.command, s.render_reset())
    } else {
        results.command.clone()
    };
    let _ = writeln!(
        out,
        "{head}: {} ({} items{})",
        results.counts_in_words(),
        results.items.len(),
        results
            .partition
            .as_ref()
            .map(|p| format!(", partition {p}"))
            .unwrap_or_default()
    );
    if results.drivers.iter().any(|d| d.deferred.is_some()) {
        let _ = writeln!(
            out,
            "known-failure entries that list no case, and snapshots that no case produced, are reported once all the partitions are joined (docpact report merge, or docpact report)"
        );
    }
    out
}

fn write_item(out: &mut String, item: &Item, color: bool) {
    let label = item.status.label();
    let label = if color {
        let s = style(item.status);
        format!("{}{label:>10}{}", s.render(), s.render_reset())
    } else {
        format!("{label:>10}")
    };
    let place = match &item.location {
        Some(l) => l.to_string(),
        None => item.id.clone(),
    };
    let _ = write!(out, "{label} {place}");
    if !item.message.is_empty() {
        let _ = write!(out, ": {}", item.message);
    }
    if let Some(ms) = item.duration_ms
        && ms >= 1000
    {
        let _ = write!(out, " ({:.1} s)", ms as f64 / 1000.0);
    }
    out.push('\n');
    if let Some(reason) = &item.reason {
        let _ = writeln!(out, "{:>10} known failure: {reason}", "");
    }
    for note in &item.notes {
        for line in note.lines() {
            let _ = writeln!(out, "{:>10} {line}", "");
        }
    }
    if let Some(diff) = &item.diff {
        for line in diff.lines() {
            if color {
                let s = diff_line_style(line);
                let _ = writeln!(out, "{:>10} {}{line}{}", "", s.render(), s.render_reset());
            } else {
                let _ = writeln!(out, "{:>10} {line}", "");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_print_where_they_point_with_notes_and_diff_indented() {
        let mut r = Results::new("lint");
        let mut item = Item::new(
            "path-mismatch:uri",
            Status::Finding,
            "p.txt",
            "the URI differs",
        )
        .at("p.txt", Some(19), None);
        item.notes.push("resolution: the syntax wins".into());
        item.diff = Some("-a\n+b".into());
        r.push(item);
        r.push(Item::new("q.txt", Status::Pass, "q.txt", "clean"));
        let all = text(&r, &TextOptions::default());
        assert_eq!(
            all,
            "   FINDING p.txt:19: the URI differs\n           \
             resolution: the syntax wins\n           -a\n           +b\n      \
             PASS q.txt: clean\nlint: 1 pass, 1 finding (2 items)\n"
        );
        let failures = text(
            &r,
            &TextOptions {
                color: false,
                passes: false,
            },
        );
        assert!(!failures.contains("PASS"), "{failures}");
        let coloured = text(
            &r,
            &TextOptions {
                color: true,
                passes: true,
            },
        );
        assert!(coloured.contains("\u{1b}["), "{coloured}");
    }
}
