//! Tables as captured: headers in any of three layouts, and their rows.
//!
//! A header is recognised by its column names, whatever the layout:
//! - spaced, one row per line: `Name Type Required Description`;
//! - run together, one row per block: `ParameterTypeRequiredExampleDescription`, rows
//!   starting `ActionStringYesCreateInstanceThe operation…` and continuing on later lines;
//! - one cell per line: `Parameter`, `Type`, `Required`, … each on its own line, and so
//!   each row.

use super::page::Line;
use crate::contract::ParamType;

/// A column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// The parameter, field or element name.
    Name,
    /// The type.
    Type,
    /// Yes/No.
    Required,
    /// Prose.
    Description,
    /// An example value.
    Example,
    /// An error code.
    Code,
    /// An HTTP status.
    Status,
    /// An error message.
    Message,
    /// Where a request parameter goes (`Path`, `Query`, `Body`), on ROA pages.
    Position,
    /// A column derive does not read (a grid table's `Default`, `Since`).
    Other,
}

/// How a table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Cells separated by spaces, one row per line.
    Spaced,
    /// Cells run together on a row's first line, the rest on the lines after.
    RunTogether,
    /// One cell per line.
    CellPerLine,
    /// Cells known from markup (Markdown or HTML tables): see [`super::grid`].
    Grid,
}

impl Layout {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Spaced => "spaced rows",
            Layout::RunTogether => "run-together cells",
            Layout::CellPerLine => "one cell per line",
            Layout::Grid => "table markup",
        }
    }
}

/// A table header.
#[derive(Debug, Clone)]
pub struct Header {
    /// The columns in order.
    pub cols: Vec<Col>,
    /// First and last line of the header.
    pub lines: (u32, u32),
    /// The layout.
    pub layout: Layout,
}

impl Header {
    /// True when the table has this column.
    pub fn has(&self, col: Col) -> bool {
        self.cols.contains(&col)
    }
}

const COLUMN_WORDS: &[(&str, Col)] = &[
    ("httpstatuscode", Col::Status),
    ("httpcode", Col::Status),
    ("errorinformation", Col::Message),
    ("errorcode", Col::Code),
    ("errormessage", Col::Message),
    ("parametername", Col::Name),
    ("parameter", Col::Name),
    ("element", Col::Name),
    ("name", Col::Name),
    ("type", Col::Type),
    ("required", Col::Required),
    ("description", Col::Description),
    ("example", Col::Example),
];

/// Reads `text` as a list of column names ("Name Type Required Description",
/// "ParameterTypeRequiredExampleDescription").
pub fn parse_columns(text: &str) -> Option<Vec<Col>> {
    let squashed: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if squashed.is_empty() || !squashed.is_ascii() {
        return None;
    }
    let mut cols = Vec::new();
    let mut rest = squashed.as_str();
    'outer: while !rest.is_empty() {
        for (word, col) in COLUMN_WORDS {
            if let Some(r) = rest.strip_prefix(word) {
                cols.push(*col);
                rest = r;
                continue 'outer;
            }
        }
        return None;
    }
    message_column(&mut cols);
    Some(cols)
}

/// In error tables the first "Description" after the code is the message, unless a message
/// column exists.
pub fn message_column(cols: &mut [Col]) {
    if cols.contains(&Col::Code) && !cols.contains(&Col::Message) {
        if let Some(d) = cols.iter().position(|c| *c == Col::Description) {
            cols[d] = Col::Message;
        }
    }
}

/// Finds the first table header in `lines`, returning it and the index of the line after it.
pub fn find_header(lines: &[Line<'_>]) -> Option<(Header, usize)> {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.is_blank() {
            i += 1;
            continue;
        }
        if let Some(cols) = super::grid::header(line.text) {
            return Some((
                Header {
                    cols,
                    lines: (line.no, line.no),
                    layout: Layout::Grid,
                },
                i + 1,
            ));
        }
        if let Some(cols) = parse_columns(line.text) {
            if cols.len() >= 2 {
                let layout = if line.text.trim().contains(' ') && cols.len() > 1 {
                    // A run-together header has no space between two column names.
                    if spaced_between_columns(line.text) {
                        Layout::Spaced
                    } else {
                        Layout::RunTogether
                    }
                } else {
                    Layout::RunTogether
                };
                return Some((
                    Header {
                        cols,
                        lines: (line.no, line.no),
                        layout,
                    },
                    i + 1,
                ));
            }
            if cols.len() == 1 {
                // Perhaps one cell per line: gather further single-column lines.
                let mut all = cols;
                let mut j = i + 1;
                let mut last = line.no;
                while j < lines.len() {
                    if lines[j].is_blank() {
                        j += 1;
                        continue;
                    }
                    match parse_columns(lines[j].text) {
                        Some(c) if c.len() == 1 => {
                            all.extend(c);
                            last = lines[j].no;
                            j += 1;
                        }
                        _ => break,
                    }
                }
                if all.len() >= 2 {
                    message_column(&mut all);
                    return Some((
                        Header {
                            cols: all,
                            lines: (line.no, last),
                            layout: Layout::CellPerLine,
                        },
                        j,
                    ));
                }
            }
        }
        i += 1;
    }
    None
}

/// True when every boundary between two column names in `text` is a space.
fn spaced_between_columns(text: &str) -> bool {
    text.split_whitespace()
        .all(|w| parse_columns(w).is_some_and(|c| c.len() <= 1) || is_phrase_part(w))
}

fn is_phrase_part(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "http" | "status" | "code" | "error" | "message" | "parameter"
    )
}

/// A documented type as printed, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeText {
    /// As printed (`String`, `array<object>`, `Array of Tag`, `TagSpecification`).
    pub printed: String,
    /// The type.
    pub ty: ParamType,
    /// For arrays, the item type.
    pub item: Option<ParamType>,
    /// The provider's name of a structure type.
    pub type_name: Option<String>,
}

/// Maps one type word.
pub fn primitive(word: &str) -> Option<ParamType> {
    Some(match word.to_ascii_lowercase().as_str() {
        "string" | "str" | "date" | "datetime" => ParamType::String,
        "integer" | "int" | "int32" => ParamType::Integer,
        "long" | "int64" | "uint64" => ParamType::Long,
        "uint32" | "uinteger" => ParamType::Integer,
        "timestamp" | "timestamp iso8601" => ParamType::String,
        "float" | "double" | "number" => ParamType::Float,
        "boolean" | "bool" => ParamType::Boolean,
        "object" | "struct" | "map" | "json" => ParamType::Object,
        "array" | "list" | "repeatlist" => ParamType::Array,
        _ => return None,
    })
}

/// Reads a type as printed.
pub fn type_text(printed: &str) -> TypeText {
    let p = printed.trim();
    let lower = p.to_ascii_lowercase();
    let item_of = |inner: &str| -> (Option<ParamType>, Option<String>) {
        match primitive(inner) {
            Some(t) => (Some(t), None),
            None => (Some(ParamType::Object), Some(inner.to_string())),
        }
    };
    if let Some(inner) = lower
        .strip_prefix("array<")
        .and_then(|r| r.strip_suffix('>'))
    {
        let inner = &p[6..6 + inner.len()];
        let (item, type_name) = item_of(inner);
        return TypeText {
            printed: p.to_string(),
            ty: ParamType::Array,
            item,
            type_name,
        };
    }
    if lower.starts_with("array of ") {
        let (item, type_name) = item_of(&p[9..]);
        return TypeText {
            printed: p.to_string(),
            ty: ParamType::Array,
            item,
            type_name,
        };
    }
    match primitive(p) {
        Some(ty) => TypeText {
            printed: p.to_string(),
            ty,
            item: None,
            type_name: None,
        },
        None => TypeText {
            printed: p.to_string(),
            ty: ParamType::Object,
            item: None,
            type_name: Some(p.to_string()),
        },
    }
}

/// The length of a type keyword at the start of `s` (case-insensitive), if any.
pub fn type_keyword_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let starts = |w: &str| b.len() >= w.len() && b[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    if starts("array<") {
        // `array<object>`: up to the closing bracket, within a short ASCII span.
        return b
            .iter()
            .take(32)
            .position(|c| *c == b'>')
            .map(|e| e + 1)
            .filter(|e| b[..*e].is_ascii());
    }
    const WORDS: &[&str] = &[
        "string", "integer", "int64", "int32", "long", "boolean", "float", "double", "object",
        "struct", "array", "list", "map",
    ];
    WORDS.iter().find(|w| starts(w)).map(|w| w.len())
}

/// True for a name as tables print them (`RegistryName`, `Parameter.1.Code`, `DataDisk.N.Size`).
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

/// Reads `Yes`/`No`.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "required" => Some(true),
        "no" | "false" | "optional" => Some(false),
        _ => None,
    }
}

/// One row of a parameter or field table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The name; `None` for the item row of an array (or the root object of a response).
    pub name: Option<String>,
    /// The type.
    pub ty: TypeText,
    /// The required flag, when the table has the column and the row a readable value.
    pub required: Option<bool>,
    /// The example, as printed.
    pub example: Option<String>,
    /// The description lines, with their numbers, as printed.
    pub description: Vec<(u32, String)>,
    /// First and last line of the row.
    pub lines: (u32, u32),
    /// The nesting depth a grid table marks with `└` (0 at the top), where it marks one.
    pub depth: Option<usize>,
    /// The `Position` cell of ROA request tables (`Path`, `Query`, `Body`).
    pub position: Option<String>,
}

impl Row {
    /// An empty string row on line `no`, for a reader to fill in.
    pub fn at(no: u32) -> Row {
        Row {
            name: None,
            ty: type_text("string"),
            required: None,
            example: None,
            description: Vec::new(),
            lines: (no, no),
            depth: None,
            position: None,
        }
    }

    /// The description as printed, paragraphs kept.
    pub fn description_text(&self) -> String {
        self.description
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A table that was read: its header, rows, and the lines no row took.
#[derive(Debug, Clone)]
pub struct Table {
    /// The header.
    pub header: Header,
    /// The rows in order.
    pub rows: Vec<Row>,
    /// Lines inside the table that no row could take: (line, text, why).
    pub unplaced: Vec<(u32, String, String)>,
    /// Rows whose Required cell held something else: the header does not describe them.
    pub header_mismatch: Vec<u32>,
}

/// Reads the parameter or field table at the start of `lines` (after a header).
pub fn read_table(header: Header, lines: &[Line<'_>]) -> Table {
    let mut t = Table {
        header,
        rows: Vec::new(),
        unplaced: Vec::new(),
        header_mismatch: Vec::new(),
    };
    match t.header.layout {
        Layout::Spaced => read_spaced(&mut t, lines),
        Layout::RunTogether => read_run_together(&mut t, lines),
        Layout::CellPerLine => read_cells(&mut t, lines),
        Layout::Grid => super::grid::read(&mut t, lines),
    }
    t
}

/// Where a spaced table ends: the first blank line after its rows, unless the next line is
/// plainly another row (a blank line inside a table does not drop the rows after it).
fn read_spaced(t: &mut Table, lines: &[Line<'_>]) {
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

fn spaced_row(cols: &[Col], line: &Line<'_>) -> Result<(Row, bool), String> {
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

pub(super) fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// A row start in run-together form: name, type, required flag, and the rest of the line.
type Head<'t> = (Option<&'t str>, &'t str, Option<bool>, &'t str);

fn run_together_head(text: &str, with_required: bool) -> Option<Head<'_>> {
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

fn read_run_together(t: &mut Table, lines: &[Line<'_>]) {
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

fn example_before_description(cols: &[Col]) -> bool {
    let e = cols.iter().position(|c| *c == Col::Example);
    let d = cols.iter().position(|c| *c == Col::Description);
    matches!((e, d), (Some(e), Some(d)) if e < d)
}

/// True for `camelCase`-like words: an uppercase letter after a lowercase one.
pub fn has_inner_upper(w: &str) -> bool {
    w.as_bytes()
        .windows(2)
        .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
}

/// Completes a row from the rest of its first line and its continuation lines.
fn finish_block_row(mut row: Row, rest: &str, cont: &[Line<'_>], example_first: bool) -> Row {
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

fn trim_blank(desc: &mut Vec<(u32, String)>) {
    while desc.first().is_some_and(|d| d.1.trim().is_empty()) {
        desc.remove(0);
    }
    while desc.last().is_some_and(|d| d.1.trim().is_empty()) {
        desc.pop();
    }
}

/// Takes the last paragraph of `desc` as the example when it reads as a value.
fn take_trailing_example(row: &mut Row, desc: &mut Vec<(u32, String)>) {
    trim_blank(desc);
    let Some((_, last)) = desc.last() else {
        return;
    };
    let single_paragraph = desc.iter().all(|d| !d.1.trim().is_empty());
    let last = last.trim();
    if last.starts_with('•') {
        return;
    }
    let scalar = !matches!(row.ty.ty, ParamType::Object) || row.ty.type_name.is_some();
    let value_like = !reads_as_sentence(last);
    let take = if single_paragraph {
        desc.len() == 1 && value_like && looks_like_value(last)
    } else {
        // Several paragraphs: the last is the example cell, unless it is prose.
        value_like && (scalar || looks_like_value(last))
    };
    if take {
        if let Some((_, v)) = desc.pop() {
            row.example = Some(v.trim().to_string());
        }
        trim_blank(desc);
    }
}

/// True for prose: ends like a sentence and has several words.
pub fn reads_as_sentence(s: &str) -> bool {
    let s = s.trim();
    let words = s.split_whitespace().count();
    (s.ends_with('.') || s.ends_with(':') || s.ends_with('。')) && words >= 3
}

/// True for a short text without sentence structure (`ens.se1.tiny`, `12`, `""`).
fn looks_like_value(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.split_whitespace().count() <= 3 && !s.ends_with('.')
}

/// Words that start a description, for splitting `StandardThe value of…` into the example
/// `Standard` and the description.
const STARTERS: &[&str] = &[
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

/// One-cell-per-line rows: a name line, a type line, a Required line, then the other
/// cells, until the next row's name and type.
fn read_cells(t: &mut Table, lines: &[Line<'_>]) {
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
pub(super) fn is_code(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '-'))
}

pub(super) fn status(s: &str) -> Option<u16> {
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
        return super::grid::read_errors(header, lines);
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

fn error_row(cols: &[Col], line: &Line<'_>) -> Option<ErrorRow> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_every_layout() {
        assert_eq!(
            parse_columns("ParameterTypeRequiredExampleDescription").unwrap(),
            vec![
                Col::Name,
                Col::Type,
                Col::Required,
                Col::Example,
                Col::Description
            ]
        );
        assert_eq!(
            parse_columns("Parameter Name Required Type Description").unwrap(),
            vec![Col::Name, Col::Required, Col::Type, Col::Description]
        );
        assert_eq!(
            parse_columns("Error code Description HTTP status code Description").unwrap(),
            vec![Col::Code, Col::Message, Col::Status, Col::Description]
        );
        assert!(parse_columns("Change timeSummary of changesOperation").is_none());
    }

    #[test]
    fn run_together_heads_split_name_type_and_required() {
        let (n, t, r, rest) =
            run_together_head("Parameter.1.CodeStringYesInstanceTypeThe name", true).unwrap();
        assert_eq!(
            (n, t, r, rest),
            (
                Some("Parameter.1.Code"),
                "String",
                Some(true),
                "InstanceTypeThe name"
            )
        );
        let (n, t, _, _) = run_together_head("dataStringStringNo", true).unwrap();
        assert_eq!((n, t), (Some("dataString"), "String"));
        let (n, t, r, _) = run_together_head("componentsarray<object>No", true).unwrap();
        assert_eq!(
            (n, t, r),
            (Some("components"), "array<object>", Some(false))
        );
        assert_eq!(run_together_head("objectNo", true).unwrap().0, None);
        assert!(run_together_head("Set the value to acr.", true).is_none());
        assert!(run_together_head("Unit: month.", true).is_none());
    }

    #[test]
    fn examples_split_from_descriptions() {
        assert_eq!(
            split_example("StandardThe value of"),
            ("Standard", "The value of")
        );
        assert_eq!(
            split_example("InstanceTypeThe name"),
            ("InstanceType", "The name")
        );
        assert_eq!(
            split_example("A555455B-EA70****The ID of the request."),
            ("A555455B-EA70****", "The ID of the request.")
        );
        assert_eq!(
            split_example("Successful The returned message"),
            ("Successful", "The returned message")
        );
        assert_eq!(
            split_example("auto-create-instance"),
            ("auto-create-instance", "")
        );
        assert_eq!(split_example("The client token"), ("", "The client token"));
    }

    #[test]
    fn type_keywords_never_split_a_character() {
        assert_eq!(type_keyword_len("array<İİ>No"), None);
        assert_eq!(type_keyword_len("Stringſ"), Some(6));
        assert_eq!(type_keyword_len("ſtring"), None);
        assert!(run_together_head("nameİarray<İ>Yes", true).is_none());
        assert!(run_together_head("ηString", true).is_none());
    }

    #[test]
    fn types_as_printed() {
        assert_eq!(type_text("array<object>").item, Some(ParamType::Object));
        let t = type_text("Array of Tag");
        assert_eq!(
            (t.ty, t.item, t.type_name.as_deref()),
            (ParamType::Array, Some(ParamType::Object), Some("Tag"))
        );
        assert_eq!(
            type_text("TagSpecification").type_name.as_deref(),
            Some("TagSpecification")
        );
        assert_eq!(type_text("Struct").ty, ParamType::Object);
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
