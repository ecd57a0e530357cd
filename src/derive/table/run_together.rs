//! Run-together tables: a row's cells run together on its first line (`ActionStringYesCreateInstanceThe operation…`), its description on the lines after.

use super::*;

/// A row start in run-together form: name, type, required flag, and the rest of the line.
pub(super) type Head<'t> = (Option<&'t str>, &'t str, Option<bool>, &'t str);

pub(super) fn run_together_head(text: &str, with_required: bool) -> Option<Head<'_>> {
    let t = text.trim_start();
    if t.starts_with(['•', '-', '*']) {
        return None;
    }
    // An item row: a type alone (with its Required cell).
    if let Some(n) = type_keyword_len(t) {
        let after = &t[n..];
        if after.trim().is_empty() {
            return Some((None, &t[..n], None, ""));
        }
        if with_required {
            if let Some(b) = yes_no(after) {
                return Some((None, &t[..n], Some(b), ""));
            }
        }
    }
    let name_end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    for k in 1..name_end {
        let name = &t[..k];
        if !is_name(name) {
            continue;
        }
        let Some(n) = type_keyword_len(&t[k..]) else {
            continue;
        };
        let ty = &t[k..k + n];
        let after = &t[k + n..];
        if with_required {
            for (word, b) in [("Yes", true), ("No", false)] {
                if let Some(rest) = after.strip_prefix(word) {
                    return Some((Some(name), ty, Some(b), rest));
                }
            }
        } else {
            return Some((Some(name), ty, None, after));
        }
    }
    None
}

pub(super) fn read_run_together(t: &mut Table, lines: &[Line<'_>]) {
    let with_required = t.header.has(Col::Required);
    let example_first = example_before_description(&t.header.cols);
    let mut current: Option<(Row, Vec<Line<'_>>, &str)> = None;
    let flush = |cur: Option<(Row, Vec<Line<'_>>, &str)>, t: &mut Table| {
        if let Some((row, cont, rest)) = cur {
            let row = finish_block_row(row, rest, &cont, example_first);
            // A lone `Name.Part` or `camelName` line inside a description is a row whose
            // cells were cut off.
            for (no, text) in &row.description {
                let w = text.trim();
                if is_name(w) && w.len() >= 3 && (w.contains('.') || has_inner_upper(w)) {
                    t.unplaced.push((
                        *no,
                        w.to_string(),
                        "looks like a row whose type and other cells are missing".into(),
                    ));
                }
            }
            t.rows.push(row);
        }
    };
    for line in lines {
        match run_together_head(line.text, with_required) {
            Some((name, ty, req, rest)) => {
                flush(current.take(), t);
                let row = Row {
                    name: name.map(str::to_string),
                    ty: type_text(ty),
                    required: req,
                    example: None,
                    description: Vec::new(),
                    lines: (line.no, line.no),
                    depth: None,
                    position: None,
                };
                current = Some((row, Vec::new(), rest));
                // Remember the row line for descriptions that start on it.
                if let Some((row, _, _)) = current.as_mut() {
                    row.lines = (line.no, line.no);
                }
            }
            None => match current.as_mut() {
                Some((_, cont, _)) => cont.push(*line),
                None if line.is_blank() => {}
                None => t.unplaced.push((
                    line.no,
                    line.text.to_string(),
                    "text before the first row of the table".into(),
                )),
            },
        }
    }
    flush(current.take(), t);
}

pub(super) fn example_before_description(cols: &[Col]) -> bool {
    let e = cols.iter().position(|c| *c == Col::Example);
    let d = cols.iter().position(|c| *c == Col::Description);
    matches!((e, d), (Some(e), Some(d)) if e < d)
}

/// Completes a row from the rest of its first line and its continuation lines.
pub(super) fn finish_block_row(
    mut row: Row,
    rest: &str,
    cont: &[Line<'_>],
    example_first: bool,
) -> Row {
    let first = row.lines.0;
    let mut desc: Vec<(u32, String)> = Vec::new();
    if example_first {
        let (example, start) = split_example(rest);
        if !example.is_empty() {
            row.example = Some(example.to_string());
        }
        if !start.trim().is_empty() {
            desc.push((first, start.trim_end().to_string()));
        }
        desc.extend(cont.iter().map(|l| (l.no, l.text.to_string())));
    } else {
        if !rest.trim().is_empty() {
            desc.push((first, rest.trim().to_string()));
        }
        desc.extend(cont.iter().map(|l| (l.no, l.text.to_string())));
        take_trailing_example(&mut row, &mut desc);
    }
    trim_blank(&mut desc);
    row.lines.1 = cont
        .iter()
        .rev()
        .find(|l| !l.is_blank())
        .map_or(first, |l| l.no.max(first));
    row.description = desc;
    row
}

/// Words that start a description, for splitting `StandardThe value of…` into the example
/// `Standard` and the description.
pub(super) const STARTERS: &[&str] = &[
    "The",
    "This",
    "These",
    "A",
    "An",
    "Specifies",
    "Indicates",
    "Whether",
    "Set",
    "If",
    "You",
    "Valid",
    "Unit",
    "Note",
    "It",
    "Enter",
    "Returns",
    "Return",
    "Number",
    "Default",
    "Only",
    "When",
    "Required",
    "Optional",
    "Total",
    "List",
    "Information",
    "Details",
    "Each",
    "For",
    "To",
    "In",
    "Is",
    "ID",
    "Name",
    "Type",
    "Time",
    "Status",
    "Describes",
    "Specify",
];

/// Splits `StandardThe value of…` into (`Standard`, `The value of…`).
pub fn split_example(rest: &str) -> (&str, &str) {
    let r = rest;
    let mut best: Option<usize> = None;
    for (i, _) in r.char_indices() {
        let tail = &r[i..];
        let starts_word = STARTERS.iter().any(|w| {
            tail.strip_prefix(w)
                .is_some_and(|after| after.starts_with([' ', ',', ':']))
        });
        if starts_word {
            best = Some(i);
            break;
        }
    }
    if best.is_none() {
        // A capitalised word followed by a lowercase one, right after the example.
        for (i, c) in r.char_indices().skip(1) {
            if !c.is_ascii_uppercase() {
                continue;
            }
            let tail = &r[i..];
            let word_end = tail
                .find(|ch: char| !ch.is_ascii_alphabetic())
                .unwrap_or(tail.len());
            if word_end >= 2
                && tail[1..word_end].chars().all(|ch| ch.is_ascii_lowercase())
                && tail[word_end..].starts_with(' ')
                && tail[word_end + 1..]
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_lowercase())
            {
                best = Some(i);
                break;
            }
        }
    }
    match best {
        Some(i) => (r[..i].trim(), &r[i..]),
        None => (r.trim(), ""),
    }
}
