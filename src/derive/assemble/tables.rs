//! The page's parameter, field and error tables, read section by section.

use super::*;

impl Cx<'_, '_> {
    /// The tables of the sections of `kind`, rows joined in page order (a ROA page's
    /// `RequestBody` table after its request parameters), with unplaced lines reported.
    pub(super) fn table_in(&mut self, kind: Section, what: &str) -> Option<(table::Table, Layout)> {
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
    pub(super) fn errors(&mut self) -> Vec<ErrorEntry> {
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
}
