//! Error tables in the text layouts: code, HTTP status, message and description, one row per line.

use super::*;

/// One row of an error table.
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// The code.
    pub code: String,
    /// The HTTP status, where printed.
    pub status: Option<u16>,
    /// The message.
    pub message: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The line.
    pub line: u32,
}

/// True for an error code as printed (`InvalidParameter.%s`, `unsupported_Ipv6Feature`).
pub(in crate::derive) fn is_code(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '-'))
}

pub(in crate::derive) fn status(s: &str) -> Option<u16> {
    (s.len() == 3)
        .then(|| s.parse::<u16>().ok())
        .flatten()
        .filter(|n| (100..600).contains(n))
}

/// Reads the rows of an error table, one row per line.
pub fn read_errors(
    header: &Header,
    lines: &[Line<'_>],
) -> (Vec<ErrorRow>, Vec<(u32, String, String)>) {
    if header.layout == Layout::Grid {
        return crate::derive::grid::read_errors(header, lines);
    }
    let mut rows = Vec::new();
    let mut unplaced = Vec::new();
    let mut started = false;
    for line in lines {
        if line.is_blank() {
            if started && header.layout == Layout::Spaced {
                break;
            }
            continue;
        }
        match error_row(&header.cols, line) {
            Some(r) => {
                started = true;
                rows.push(r);
            }
            None if started => {
                // Prose after the table ("See Error Codes for a complete list.") ends it.
                if reads_as_sentence(line.text) {
                    break;
                }
                unplaced.push((
                    line.no,
                    line.text.to_string(),
                    "not an error row (code, status, message)".into(),
                ));
            }
            None => unplaced.push((
                line.no,
                line.text.to_string(),
                "not an error row (code, status, message)".into(),
            )),
        }
    }
    (rows, unplaced)
}

pub(super) fn error_row(cols: &[Col], line: &Line<'_>) -> Option<ErrorRow> {
    let mut rest = line.text.trim();
    let mut row = ErrorRow {
        code: String::new(),
        status: None,
        message: None,
        description: None,
        line: line.no,
    };
    let mut i = 0;
    while i < cols.len() {
        let col = cols[i];
        rest = rest.trim_start();
        match col {
            Col::Code => {
                let (w, r) = split_word(rest);
                if !is_code(w) {
                    return None;
                }
                row.code = w.to_string();
                rest = r;
            }
            Col::Status => {
                let (w, r) = split_word(rest);
                row.status = Some(status(w)?);
                rest = r;
            }
            Col::Message => {
                // The message runs to the status, when a status column follows it.
                if cols[i + 1..].first() == Some(&Col::Status) {
                    let mut end = None;
                    let mut pos = 0;
                    for w in rest.split(' ') {
                        if status(w).is_some() {
                            end = Some(pos);
                            break;
                        }
                        pos += w.len() + 1;
                    }
                    let end = end?;
                    row.message = Some(rest[..end].trim().to_string()).filter(|m| !m.is_empty());
                    rest = &rest[end..];
                } else if cols[i + 1..].contains(&Col::Description) {
                    // Message and description in one run of prose: they cannot be told
                    // apart, so the whole text is the message.
                    row.message = Some(rest.trim().to_string()).filter(|m| !m.is_empty());
                    rest = "";
                    i = cols.len();
                    continue;
                } else {
                    row.message = Some(rest.trim().to_string()).filter(|m| !m.is_empty());
                    rest = "";
                }
            }
            Col::Description => {
                row.description = Some(rest.trim().to_string()).filter(|m| !m.is_empty());
                rest = "";
            }
            _ => {}
        }
        i += 1;
    }
    (!row.code.is_empty()).then_some(row)
}
