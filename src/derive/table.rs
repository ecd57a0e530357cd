//! Tables as captured: headers in any of three layouts, and their rows.
//!
//! A header is recognised by its column names, whatever the layout:
//! - spaced, one row per line: `Name Type Required Description`;
//! - run together, one row per block: `ParameterTypeRequiredExampleDescription`, rows
//!   starting `ActionStringYesCreateInstanceThe operation…` and continuing on later lines;
//! - one cell per line: `Parameter`, `Type`, `Required`, … each on its own line, and so
//!   each row.

mod cells;
mod errors;
mod run_together;
mod spaced;

use self::cells::read_cells;
pub use self::errors::{ErrorRow, read_errors};
pub(in crate::derive) use self::errors::{is_code, status};
use self::run_together::read_run_together;
pub use self::run_together::split_example;
use self::spaced::read_spaced;
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

pub(super) fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// True for `camelCase`-like words: an uppercase letter after a lowercase one.
pub fn has_inner_upper(w: &str) -> bool {
    w.as_bytes()
        .windows(2)
        .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
}

pub(super) fn trim_blank(desc: &mut Vec<(u32, String)>) {
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

#[cfg(test)]
mod tests {
    use super::run_together::run_together_head;
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
