//! Tables whose cells markup delimits (Markdown pipe tables, HTML `<table>`): the layout
//! [`Layout::Grid`]. [`super::input`] writes each row as one line, every cell after a
//! [`CELL`] mark, line breaks inside a cell as [`BREAK`]. Columns come in any order; a
//! column derive does not know is skipped, not guessed at.

use super::input::{BREAK, CELL};
use super::page::Line;
use super::table::{
    Col, ErrorRow, Header, Layout, Row, Table, is_code, is_name, message_column, status,
    trim_blank, type_text, yes_no,
};

/// The cells of a grid line, or `None` for any other line.
pub fn cells(text: &str) -> Option<Vec<&str>> {
    let rest = text.strip_prefix(CELL)?;
    Some(rest.split(CELL).map(str::trim).collect())
}

/// The column a header cell names.
fn column(cell: &str) -> Col {
    let key: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "parameter" | "parametername" | "name" | "element" | "field" | "fieldname" | "名称"
        | "参数" | "参数名称" | "参数名" => Col::Name,
        "type" | "datatype" | "类型" | "参数类型" => Col::Type,
        "required" | "isrequired" | "mandatory" | "是否必选" | "是否必需" | "必选" | "必填" => {
            Col::Required
        }
        "description" | "remarks" | "remark" | "note" | "notes" | "描述" | "说明" => {
            Col::Description
        }
        "example" | "examplevalue" | "sample" | "samplevalue" | "示例值" | "示例" => {
            Col::Example
        }
        "errorcode" | "code" | "错误码" => Col::Code,
        "httpstatuscode" | "httpcode" | "httpstatus" | "statuscode" | "status" => Col::Status,
        "errormessage" | "errorinformation" | "message" | "errormsg" | "错误信息" => {
            Col::Message
        }
        "position" | "location" | "in" | "参数位置" | "位置" => Col::Position,
        _ => Col::Other,
    }
}

/// True when `cells` name the columns of a parameter, field or error table.
pub fn names_columns<S: AsRef<str>>(cells: &[S]) -> bool {
    let cols: Vec<Col> = cells.iter().map(|c| column(c.as_ref())).collect();
    (cols.contains(&Col::Name) && cols.contains(&Col::Type)) || cols.contains(&Col::Code)
}

/// The columns of a grid header line, when it is the header of a parameter, field or error
/// table.
pub fn header(text: &str) -> Option<Vec<Col>> {
    let cells = cells(text)?;
    let mut cols: Vec<Col> = cells.iter().map(|c| column(c)).collect();
    let has = |c: Col| cols.contains(&c);
    let parameters = has(Col::Name) && has(Col::Type);
    let errors = has(Col::Code);
    if !(parameters || errors) {
        return None;
    }
    message_column(&mut cols);
    Some(cols)
}

/// The description lines of a cell.
fn lines_of(no: u32, cell: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = cell
        .split(BREAK)
        .map(|l| (no, l.trim().to_string()))
        .collect();
    trim_blank(&mut out);
    out
}

/// Reads the rows after a grid header, up to the first line that is not a grid row.
pub fn read(t: &mut Table, lines: &[Line<'_>]) {
    let cols = t.header.cols.clone();
    for line in lines {
        let Some(cells) = cells(line.text) else {
            if line.is_blank() && t.rows.is_empty() {
                continue;
            }
            break;
        };
        let cell = |c: Col| {
            cols.iter()
                .position(|x| *x == c)
                .and_then(|i| cells.get(i).copied())
        };
        let mut row = Row::at(line.no);
        // The name, after the `└` marks of nested rows.
        let raw_name = cell(Col::Name).unwrap_or("");
        let raw_name = raw_name.split(BREAK).next().unwrap_or("");
        let marks = raw_name.chars().filter(|c| *c == '└').count();
        let name = raw_name
            .trim_start_matches(|c: char| matches!(c, '└' | '├' | '─' | '│') || c.is_whitespace())
            .trim();
        if marks > 0 {
            row.depth = Some(marks);
        }
        let printed_type = cell(Col::Type)
            .unwrap_or("")
            .split(BREAK)
            .next()
            .unwrap_or("")
            .trim();
        if !name.is_empty() {
            if !is_name(name) {
                t.unplaced.push((
                    line.no,
                    line.text.replace(CELL, " | ").trim().to_string(),
                    format!("`{name}` is not a parameter name"),
                ));
                continue;
            }
            row.name = Some(name.to_string());
        }
        if printed_type.is_empty() {
            // `|Instance| | | |` under `|Instances|Array of Instance|`: the item row.
            let follows_array = t
                .rows
                .last()
                .is_some_and(|r| r.ty.ty == crate::contract::ParamType::Array);
            if follows_array && row.name.is_some() {
                row.name = None;
            }
            row.ty = type_text("object");
        } else {
            row.ty = type_text(printed_type);
        }
        if row.name.is_none()
            && printed_type.is_empty()
            && cell(Col::Description).unwrap_or("").is_empty()
            && !t
                .rows
                .last()
                .is_some_and(|r| r.ty.ty == crate::contract::ParamType::Array)
        {
            // An empty row.
            continue;
        }
        if let Some(r) = cell(Col::Required) {
            let r = r.trim().trim_end_matches('.');
            row.required = yes_no(r);
            if row.required.is_none() && !r.is_empty() {
                t.header_mismatch.push(line.no);
            }
        }
        if let Some(e) = cell(Col::Example) {
            let e = e.replace(BREAK, " ");
            let e = e.trim();
            if !e.is_empty() {
                row.example = Some(e.to_string());
            }
        }
        if let Some(p) = cell(Col::Position) {
            let p = p.trim();
            if !p.is_empty() {
                row.position = Some(p.to_string());
            }
        }
        if let Some(d) = cell(Col::Description) {
            row.description = lines_of(line.no, d);
        }
        // Cells beyond the header's columns: said, not lost.
        if cells.len() > cols.len() {
            let extra: Vec<&str> = cells[cols.len()..]
                .iter()
                .copied()
                .filter(|c| !c.is_empty())
                .collect();
            if !extra.is_empty() {
                t.unplaced.push((
                    line.no,
                    extra.join(" | "),
                    "cells beyond the header's columns".into(),
                ));
            }
        }
        t.rows.push(row);
    }
}

/// Reads the rows of a grid error table.
pub fn read_errors(
    header: &Header,
    lines: &[Line<'_>],
) -> (Vec<ErrorRow>, Vec<(u32, String, String)>) {
    debug_assert_eq!(header.layout, Layout::Grid);
    let mut rows = Vec::new();
    let mut unplaced = Vec::new();
    for line in lines {
        let Some(cells) = cells(line.text) else {
            if line.is_blank() && rows.is_empty() {
                continue;
            }
            break;
        };
        let cell = |c: Col| {
            header
                .cols
                .iter()
                .position(|x| *x == c)
                .and_then(|i| cells.get(i).copied())
                .map(|s| s.replace(BREAK, " ").trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let code = cell(Col::Code).unwrap_or_default();
        if !is_code(&code) {
            unplaced.push((
                line.no,
                line.text.replace(CELL, " | ").trim().to_string(),
                "not an error row (code, status, message)".into(),
            ));
            continue;
        }
        let http_status = match cell(Col::Status) {
            Some(s) => match status(&s) {
                Some(n) => Some(n),
                None => {
                    unplaced.push((
                        line.no,
                        line.text.replace(CELL, " | ").trim().to_string(),
                        format!("`{s}` is not an HTTP status"),
                    ));
                    continue;
                }
            },
            None => None,
        };
        rows.push(ErrorRow {
            code,
            status: http_status,
            message: cell(Col::Message),
            description: cell(Col::Description),
            line: line.no,
        });
    }
    (rows, unplaced)
}
