//! One cell per line: a name line, a type line, a Required line, then the other cells.

use super::*;

/// One-cell-per-line rows: a name line, a type line, a Required line, then the other
/// cells, until the next row's name and type.
pub(super) fn read_cells(t: &mut Table, lines: &[Line<'_>]) {
    let with_required = t.header.has(Col::Required);
    let cells: Vec<(usize, &Line<'_>)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_blank())
        .collect();
    let is_start = |k: usize| -> Option<(Option<String>, String, Option<bool>, usize)> {
        let (_, l) = cells.get(k)?;
        let text = l.text.trim();
        if let Some(n) = type_keyword_len(text).filter(|n| *n == text.len()) {
            let _ = n;
            // A bare type: an item row, or the root object of a response.
            let req = if with_required {
                cells.get(k + 1).and_then(|(_, l)| yes_no(l.text))
            } else {
                None
            };
            return Some((None, text.to_string(), req, 1 + usize::from(req.is_some())));
        }
        if !is_name(text) {
            return None;
        }
        let (_, ty) = cells.get(k + 1)?;
        let ty = ty.text.trim();
        if type_keyword_len(ty) != Some(ty.len()) {
            return None;
        }
        if with_required {
            let (_, r) = cells.get(k + 2)?;
            let req = yes_no(r.text)?;
            Some((Some(text.to_string()), ty.to_string(), Some(req), 3))
        } else {
            Some((Some(text.to_string()), ty.to_string(), None, 2))
        }
    };
    let mut k = 0;
    let mut starts = Vec::new();
    while k < cells.len() {
        if let Some(s) = is_start(k) {
            let used = s.3;
            starts.push((k, s));
            k += used;
        } else {
            k += 1;
        }
    }
    if let Some((first, _)) = starts.first() {
        for (_, l) in &cells[..*first] {
            t.unplaced.push((
                l.no,
                l.text.to_string(),
                "text before the first row of the table".into(),
            ));
        }
    } else {
        for (_, l) in &cells {
            t.unplaced
                .push((l.no, l.text.to_string(), "no row starts here".into()));
        }
        return;
    }
    let example_last = {
        let e = t.header.cols.iter().position(|c| *c == Col::Example);
        let d = t.header.cols.iter().position(|c| *c == Col::Description);
        matches!((e, d), (Some(e), Some(d)) if e > d) || (e.is_some() && d.is_none())
    };
    for (idx, (k, (name, ty, req, used))) in starts.iter().enumerate() {
        let body_start = cells[k + used - 1].0 + 1;
        let body_end = match starts.get(idx + 1) {
            Some((next, _)) => cells[*next].0,
            None => lines.len(),
        };
        let mut desc: Vec<(u32, String)> = lines[body_start.min(body_end)..body_end]
            .iter()
            .map(|l| (l.no, l.text.to_string()))
            .collect();
        trim_blank(&mut desc);
        let mut row = Row {
            name: name.clone(),
            ty: type_text(ty),
            required: *req,
            example: None,
            description: Vec::new(),
            lines: (cells[*k].1.no, cells[k + used - 1].1.no),
            depth: None,
            position: None,
        };
        if example_last {
            take_trailing_example(&mut row, &mut desc);
        }
        let cells_in_body: Vec<&(u32, String)> =
            desc.iter().filter(|d| !d.1.trim().is_empty()).collect();
        for pair in cells_in_body.windows(2) {
            let (a, b) = (pair[0].1.trim(), pair[1].1.trim());
            let next_is_cell = yes_no(b).is_some() || type_keyword_len(b) == Some(b.len());
            if is_name(a) && !a.contains(' ') && next_is_cell && a.len() >= 2 {
                t.unplaced.push((
                    pair[0].0,
                    a.to_string(),
                    "looks like a row with a missing cell".into(),
                ));
            }
        }
        row.lines.1 = row.lines.1.max(desc.last().map(|d| d.0).unwrap_or(0)).max(
            lines[body_start.min(body_end)..body_end]
                .iter()
                .rev()
                .find(|l| !l.is_blank())
                .map(|l| l.no)
                .unwrap_or(0),
        );
        row.description = desc;
        t.rows.push(row);
    }
}

#[cfg(test)]
mod cell_tests {
    use super::*;
    use crate::derive::page::Page;

    #[test]
    fn one_cell_per_line_rows() {
        let text = "Parameter\n\nType\n\nRequired\n\nDescription\n\nExample\n\nInstanceType\n\nstring\n\nYes\n\nThe type.\n\nens.se1.tiny\n\nPeriod\n\nstring\n\nNo\n\nThe period.\n\n12\n";
        let page = Page::new(text);
        let (h, next) = find_header(&page.lines).unwrap();
        assert_eq!(h.layout, Layout::CellPerLine);
        let t = read_table(h, &page.lines[next..]);
        assert_eq!(t.rows.len(), 2, "{t:?}");
        assert_eq!(t.rows[0].example.as_deref(), Some("ens.se1.tiny"));
        assert_eq!(t.rows[1].description_text(), "The period.");
    }
}
