//! A page as captured: numbered lines, headings, and the sections between them.

/// One line of the page, trailing whitespace removed.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: u32,
    /// The text without trailing whitespace.
    pub text: &'a str,
}

impl Line<'_> {
    /// True for an empty or whitespace-only line.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The headings docpact recognises, lowercased, without numbering ("2. Input Parameters").
/// A heading is a line that is exactly one of these.
const HEADINGS: &[(&str, Section)] = &[
    ("request parameters", Section::Request),
    ("requestbody", Section::Request),
    ("request body", Section::Request),
    ("request body parameters", Section::Request),
    ("return parameters", Section::Response),
    ("response body", Section::Response),
    ("errors", Section::Errors),
    ("common errors", Section::Errors),
    ("samples", Section::Examples),
    ("request structure", Section::Syntax),
    ("request header", Section::Other),
    ("request headers", Section::Other),
    ("resources for developers", Section::Other),
    ("other resources", Section::Other),
    ("debug", Section::Other),
    ("description", Section::Description),
    ("input parameters", Section::Request),
    ("response parameters", Section::Response),
    ("response elements", Section::Response),
    ("output parameters", Section::Response),
    ("error codes", Section::Errors),
    ("error code", Section::Errors),
    ("examples", Section::Examples),
    ("example", Section::Examples),
    ("sample requests", Section::Examples),
    ("sample responses", Section::Examples),
    ("data dictionary", Section::Dictionary),
    ("data structure", Section::Dictionary),
    ("data structures", Section::Dictionary),
    ("data types", Section::Dictionary),
    ("request syntax", Section::Syntax),
    ("uri", Section::Uri),
    ("method", Section::Method),
    ("operation description", Section::Description),
    ("api description", Section::Description),
    ("overview", Section::Description),
    ("api name", Section::Name),
    ("debugging", Section::Other),
    ("try it now", Section::Other),
    ("authorization information", Section::Other),
    ("ram authorization", Section::Other),
    ("change history", Section::Other),
    ("release notes", Section::Other),
    ("developer resources", Section::Other),
];

/// What a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Everything before the first heading.
    Preamble,
    /// The request parameter table.
    Request,
    /// The response parameter table.
    Response,
    /// The error table.
    Errors,
    /// Sample requests and responses.
    Examples,
    /// Tables of named structures.
    Dictionary,
    /// `METHOD /path`.
    Syntax,
    /// A URI line.
    Uri,
    /// An HTTP method line.
    Method,
    /// The operation's description.
    Description,
    /// The action's name.
    Name,
    /// A section docpact reads nothing from.
    Other,
}

/// A heading and the lines up to the next heading.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    /// What the section holds.
    pub kind: Section,
    /// The heading as printed (empty for the preamble).
    pub heading: &'a str,
    /// Line number of the heading (0 for the preamble).
    pub heading_line: u32,
    /// The lines after the heading.
    pub lines: Vec<Line<'a>>,
}

/// A page split into lines and sections.
#[derive(Debug)]
pub struct Page<'a> {
    /// Every line.
    pub lines: Vec<Line<'a>>,
    /// Sections in page order.
    pub blocks: Vec<Block<'a>>,
    /// The first heading markup made that names no section (a Markdown page's `# Action`).
    pub title: Option<&'a str>,
}

/// Why a page cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// Nothing but whitespace.
    #[error("the page is empty")]
    Empty,
    /// Not UTF-8 text.
    #[error("the page is not UTF-8 text (invalid byte at offset {0})")]
    NotUtf8(usize),
    /// Contains NUL or other control bytes: a binary file.
    #[error("the page looks like a binary file (control byte 0x{byte:02x} at offset {offset})")]
    Binary {
        /// The byte.
        byte: u8,
        /// Its offset.
        offset: usize,
    },
}

/// Checks that `bytes` are a text page and returns them as text.
pub fn as_text(bytes: &[u8]) -> Result<&str, PageError> {
    // Control bytes first: a binary file is named as such, whatever its encoding.
    if let Some(offset) = bytes
        .iter()
        .position(|b| *b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
    {
        return Err(PageError::Binary {
            byte: bytes[offset],
            offset,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| PageError::NotUtf8(e.valid_up_to()))?;
    if text.trim().is_empty() {
        return Err(PageError::Empty);
    }
    Ok(text)
}

/// The section a line names, if it is a heading.
pub fn heading_kind(text: &str) -> Option<Section> {
    let t = text.trim();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    // Strip numbering: "2. Input Parameters".
    let (numbered, t) = match t.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => (true, rest),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    // "Example" and "Error code" alone are also table columns; as headings they are
    // numbered ("4. Example", "6. Error Code").
    if matches!(
        lower.as_str(),
        "example" | "error code" | "description" | "errors"
    ) && !numbered
    {
        return None;
    }
    HEADINGS.iter().find(|(h, _)| *h == lower).map(|(_, s)| *s)
}

/// The section a heading that markup made names: any recognised title, numbered or not.
/// Other headings (the page's title, a structure's name) stay lines of their section.
pub fn marked_heading_kind(text: &str) -> Option<Section> {
    let t = text.trim();
    let t = match t.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => t,
    };
    let lower = t.trim().to_ascii_lowercase();
    HEADINGS
        .iter()
        .find(|(h, _)| *h == lower)
        .map(|(_, s)| *s)
        .or_else(|| {
            // Markup says it is a heading: its words may vary ("Errors codes").
            if lower.contains("error") && (lower.contains("code") || lower.ends_with("errors")) {
                Some(Section::Errors)
            } else if lower.contains("request parameter") {
                Some(Section::Request)
            } else if lower.contains("response parameter") || lower.contains("output parameter") {
                Some(Section::Response)
            } else {
                None
            }
        })
}

impl<'a> Page<'a> {
    /// Splits `text` into lines and sections.
    pub fn new(text: &'a str) -> Page<'a> {
        Page::split(
            text.lines()
                .enumerate()
                .map(|(i, l)| Line {
                    no: i as u32 + 1,
                    text: l.trim_end(),
                })
                .collect(),
        )
    }

    /// Splits lines that carry their own numbers (a normalized Markdown or HTML page) into
    /// sections.
    pub fn numbered(lines: &'a [(u32, String)]) -> Page<'a> {
        Page::split(
            lines
                .iter()
                .map(|(no, l)| Line {
                    no: *no,
                    text: l.trim_end(),
                })
                .collect(),
        )
    }

    fn split(mut lines: Vec<Line<'a>>) -> Page<'a> {
        // Markup's headings: marked, and headings whatever their words.
        let mut marked = Vec::with_capacity(lines.len());
        for l in &mut lines {
            let m = l.text.strip_prefix(super::input::HEADING);
            marked.push(m.is_some());
            if let Some(t) = m {
                l.text = t.trim();
            }
        }
        let mut blocks = vec![Block {
            kind: Section::Preamble,
            heading: "",
            heading_line: 0,
            lines: Vec::new(),
        }];
        let mut title = None;
        for (line, marked) in lines.iter().zip(marked) {
            let kind = if marked {
                marked_heading_kind(line.text)
            } else {
                heading_kind(line.text)
            };
            if marked && kind.is_none() && title.is_none() && !line.text.is_empty() {
                title = Some(line.text);
            }
            match kind {
                Some(kind) => blocks.push(Block {
                    kind,
                    heading: line.text.trim(),
                    heading_line: line.no,
                    lines: Vec::new(),
                }),
                None => blocks.last_mut().map(|b| b.lines.push(*line)).unwrap_or(()),
            }
        }
        Page {
            lines,
            blocks,
            title,
        }
    }

    /// The sections of one kind, in page order.
    pub fn sections(&self, kind: Section) -> impl Iterator<Item = &Block<'a>> {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }

    /// The text of line `no`.
    pub fn line(&self, no: u32) -> &'a str {
        let at = self.lines.partition_point(|l| l.no < no);
        self.lines
            .get(at)
            .filter(|l| l.no == no)
            .map(|l| l.text)
            .unwrap_or("")
    }
}

/// The non-blank lines of `lines`.
pub fn non_blank<'a, 'b>(lines: &'b [Line<'a>]) -> impl Iterator<Item = &'b Line<'a>> {
    lines.iter().filter(|l| !l.is_blank())
}

/// Joins lines `first..=last` as printed, without leading or trailing blank lines.
pub fn join(lines: &[Line<'_>]) -> String {
    let start = lines.iter().position(|l| !l.is_blank());
    let end = lines.iter().rposition(|l| !l.is_blank());
    match (start, end) {
        (Some(s), Some(e)) => lines[s..=e]
            .iter()
            .map(|l| l.text)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_whole_lines_with_optional_numbering() {
        assert_eq!(heading_kind("2. Input Parameters"), Some(Section::Request));
        assert_eq!(heading_kind("Response elements"), Some(Section::Response));
        assert_eq!(heading_kind("6. Error Code"), Some(Section::Errors));
        assert_eq!(heading_kind("Error codes are listed below"), None);
    }

    #[test]
    fn binary_empty_and_non_utf8_pages_are_refused() {
        assert_eq!(as_text(b"  \n\n"), Err(PageError::Empty));
        assert_eq!(as_text(b"ab\xffcd"), Err(PageError::NotUtf8(2)));
        assert!(matches!(
            as_text(b"PK\x03\x04"),
            Err(PageError::Binary { byte: 3, offset: 2 })
        ));
        assert!(as_text(b"Request parameters\n").is_ok());
    }
}
