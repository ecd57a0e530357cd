//! Spaced tables: one row per line, cells separated by spaces (`Name Type Required Description`).

use super::*;

/// Where a spaced table ends: the first blank line after its rows, unless the next line is
/// plainly another row (a blank line inside a table does not drop the rows after it).
pub(super) fn read_spaced(t: &mut Table, lines: &[Line<'_>]) {
    let mut started = false;
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            if started {
                let next = lines[i..].iter().find(|l| !l.is_blank());
                let continues = next.is_some_and(|l| {
                    spaced_row(&t.header.cols, l).is_ok_and(|(row, mismatch)| {
                        !mismatch
                            && primitive(row.ty.printed.split_whitespace().next().unwrap_or(""))
                                .is_some()
                    })
                });
                if !continues {
                    break;
                }
            }
            continue;
        }
        started = true;
        match spaced_row(&t.header.cols, line) {
            Ok((row, mismatch)) => {
                if mismatch {
                    t.header_mismatch.push(line.no);
                }
                t.rows.push(row);
            }
            Err(why) => t.unplaced.push((line.no, line.text.to_string(), why)),
        }
    }
}

pub(super) fn spaced_row(cols: &[Col], line: &Line<'_>) -> Result<(Row, bool), String> {
    let text = line.text.trim();
    let mut rest = text;
    let mut row = Row::at(line.no);
    let mut have_type = false;
    let mut mismatch = false;
    for (i, col) in cols.iter().enumerate() {
        rest = rest.trim_start();
        let last = i + 1 == cols.len();
        match col {
            Col::Name => {
                let (w, r) = split_word(rest);
                if !is_name(w) {
                    return Err(format!("`{w}` is not a parameter name"));
                }
                row.name = Some(w.to_string());
                rest = r;
            }
            Col::Type => {
                let (w, r) = split_word(rest);
                if w.is_empty() {
                    return Err("the row has no type".into());
                }
                let (w, r) = if w.eq_ignore_ascii_case("array") && r.trim_start().starts_with("of ")
                {
                    let r2 = r.trim_start()[3..].trim_start();
                    let (_, r3) = split_word(r2);
                    (&rest[..rest.len() - r3.len()], r3)
                } else {
                    (w, r)
                };
                if !w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                    return Err(format!("`{w}` is not a type"));
                }
                row.ty = type_text(w);
                have_type = true;
                rest = r;
            }
            Col::Required => {
                let (w, r) = split_word(rest);
                match yes_no(w) {
                    Some(b) => {
                        row.required = Some(b);
                        rest = r;
                    }
                    None => mismatch = true,
                }
            }
            Col::Description | Col::Example => {
                if last || *col == Col::Description {
                    let d = rest.trim();
                    if !d.is_empty() {
                        if *col == Col::Example {
                            row.example = Some(d.to_string());
                        } else {
                            row.description.push((line.no, d.to_string()));
                        }
                    }
                    rest = "";
                } else {
                    let (w, r) = split_word(rest);
                    if !w.is_empty() {
                        row.example = Some(w.to_string());
                    }
                    rest = r;
                }
            }
            Col::Code | Col::Status | Col::Message | Col::Position | Col::Other => {}
        }
    }
    if !have_type {
        return Err("the row has no type".into());
    }
    // Cells the header does not account for (a Required column holding descriptions).
    let rest = rest.trim();
    if !rest.is_empty() {
        row.description.push((line.no, rest.to_string()));
    }
    Ok((row, mismatch))
}
