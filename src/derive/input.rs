//! Pages as users have them: plain text as captured from a browser, Markdown as the
//! providers keep their documentation, or HTML saved from a help centre.
//!
//! [`normalize`] recognises the format by its content and turns Markdown and HTML into the
//! text form the rest of derive reads, with two differences that keep what markup knows:
//! headings lose their markup (`## Request parameters {#id .section}` is `Request parameters`),
//! and a table row becomes one line of cells ([`CELL`] before each cell, [`BREAK`] where a
//! cell breaks its line), so that tables are read by their columns instead of guessed at.
//! Every line keeps the number of the source line it came from.
//!
//! Markdown is read line by line rather than by a CommonMark parser: the providers' pages
//! are not CommonMark. Alibaba Cloud's tables let a cell run over several lines and even
//! start each cell on a line of its own, which a GFM parser would read as paragraphs.

/// Starts each cell of a table row.
pub const CELL: char = '\u{1f}';
/// A line break inside a cell.
pub const BREAK: char = '\u{1e}';
/// Starts a line that markup made a heading.
pub const HEADING: char = '\u{1d}';

/// The format of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text as captured from a rendered page.
    Text,
    /// Markdown, with pipe tables.
    Markdown,
    /// HTML, with `<table>` markup.
    Html,
}

impl Format {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// A page in text form, each line with the number of the source line it came from.
#[derive(Debug, Clone)]
pub struct Normal {
    /// The format the page was in.
    pub format: Format,
    /// The lines.
    pub lines: Vec<(u32, String)>,
}

/// Recognises the format of `text` by what it holds.
pub fn detect(text: &str) -> Format {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(2000)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('<')
        && [
            "<html",
            "<!doctype",
            "<body",
            "<table",
            "<h1",
            "<h2",
            "<div",
            "<p>",
            "<meta",
        ]
        .iter()
        .any(|t| head.contains(t))
    {
        return Format::Html;
    }
    let mut headings = 0;
    for line in text.lines() {
        let t = line.trim();
        if is_delimiter_row(t) {
            return Format::Markdown;
        }
        if t.starts_with("## ") || t.starts_with("# ") || t.starts_with("### ") {
            headings += 1;
        }
    }
    if headings >= 2 {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Turns `text` into text form, whatever its format.
pub fn normalize(text: &str) -> Normal {
    match detect(text) {
        Format::Text => Normal {
            format: Format::Text,
            lines: text
                .lines()
                .enumerate()
                .map(|(i, l)| (i as u32 + 1, l.to_string()))
                .collect(),
        },
        Format::Markdown => markdown(text),
        Format::Html => html(text),
    }
}

/// `|---|:---:|` and friends.
fn is_delimiter_row(t: &str) -> bool {
    let t = t.trim();
    if !t.contains('-') || !t.contains('|') {
        return false;
    }
    let cells: Vec<&str> = t.trim_matches('|').split('|').collect();
    cells.len() >= 2
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty()
                && !c.trim_matches(':').is_empty()
                && c.trim_matches(':').bytes().all(|b| b == b'-')
        })
}

/// The byte offsets of the unescaped `|` in `s`.
fn pipes(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'|' => {
                out.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The cells of a pipe row (outer pipes optional).
fn split_cells(row: &str) -> Vec<String> {
    let t = row.trim();
    let p = pipes(t);
    let mut cells = Vec::new();
    let mut start = 0;
    for &at in &p {
        cells.push(&t[start..at]);
        start = at + 1;
    }
    cells.push(&t[start..]);
    // Outer pipes leave an empty first and last cell.
    if t.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    if t.ends_with('|') && t.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|c| inline(c, true)).collect()
}

/// One normalized grid line from cells.
fn grid_line(cells: &[String]) -> String {
    let mut s = String::new();
    for c in cells {
        s.push(CELL);
        s.push_str(c);
    }
    s
}

/// A Markdown heading's text (`## 2. Input Parameters {#id .section}`), if `t` is one.
fn atx_heading(t: &str) -> Option<String> {
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    if hashes == 0 || hashes > 6 || !t[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let mut h = t[hashes..].trim().trim_end_matches('#').trim();
    // Attributes: `{#id .section}`, `{ .section}`.
    if let Some(open) = h.rfind('{') {
        let attrs = &h[open..];
        if attrs.ends_with('}')
            && (attrs.contains('#') || attrs.contains(" .") || attrs.contains("{."))
        {
            h = h[..open].trim();
        }
    }
    Some(inline(h, false))
}

/// Markdown into text form.
fn markdown(text: &str) -> Normal {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<(u32, String)> = Vec::with_capacity(lines.len());
    let mut i = 0;
    let mut fence: Option<&str> = None;
    while i < lines.len() {
        let no = i as u32 + 1;
        let raw = lines[i];
        let t = raw.trim();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
                out.push((no, String::new()));
            } else {
                out.push((no, raw.trim_end().to_string()));
            }
            i += 1;
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(if t.starts_with("```") { "```" } else { "~~~" });
            out.push((no, String::new()));
            i += 1;
            continue;
        }
        if let Some(h) = atx_heading(t) {
            out.push((no, format!("{HEADING}{h}")));
            i += 1;
            continue;
        }
        if t.starts_with('|') {
            if let Some(next) = table(&lines, i, &mut out) {
                i = next;
                continue;
            }
        }
        out.push((no, prose_line(raw)));
        i += 1;
    }
    Normal {
        format: Format::Markdown,
        lines: out,
    }
}

/// A prose line: list markers as bullets, inline markup removed.
fn prose_line(raw: &str) -> String {
    let t = raw.trim();
    // `1. ` numbered items stay as printed: "2. Input Parameters" is a heading.
    let bullet = ["- ", "* ", "+ "].iter().find_map(|m| t.strip_prefix(m));
    match bullet {
        Some(rest) => format!("• {}", inline(rest.trim(), false)),
        None => {
            if let Some(quoted) = t.strip_prefix("> ") {
                inline(quoted.trim(), false)
            } else {
                inline(raw.trim_end(), false)
            }
        }
    }
}

/// Reads the pipe table whose first header line is `lines[start]`; returns the index after
/// it, or `None` when no delimiter row follows the header (then the line is prose).
fn table(lines: &[&str], start: usize, out: &mut Vec<(u32, String)>) -> Option<usize> {
    // The header may spread over several lines (`|Parameter`, blank, `|Type`, ...).
    let mut delim = None;
    for (j, l) in lines.iter().enumerate().skip(start).take(40) {
        if is_delimiter_row(l) {
            delim = Some(j);
            break;
        }
        let t = l.trim();
        if !t.is_empty() && !t.starts_with('|') {
            break;
        }
    }
    // Some pages leave the delimiter row out: a first row that names the columns of a
    // parameter or error table is the header all the same.
    let (delim, header_end) = match delim {
        Some(d) => (d, d),
        None => {
            let cells = split_cells(lines[start]);
            if !super::grid::names_columns(&cells) {
                return None;
            }
            (start, start + 1)
        }
    };
    let header_text: String = lines[start..header_end]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("");
    let header = split_cells(&header_text);
    let ncols = header.len().max(1);
    out.push((start as u32 + 1, grid_line(&header)));
    for j in start + 1..=delim {
        out.push((j as u32 + 1, String::new()));
    }
    let mut i = delim + 1;
    let mut row: Option<(u32, String)> = None;
    let flush = |row: &mut Option<(u32, String)>, out: &mut Vec<(u32, String)>| {
        if let Some((no, text)) = row.take() {
            let cells = split_cells(&text);
            out.push((no, grid_line(&cells)));
        }
    };
    while i < lines.len() {
        let l = lines[i];
        let t = l.trim();
        let pipes_so_far = row
            .as_ref()
            .map_or(usize::MAX, |(_, s)| pipes(s.trim()).len());
        if t == "|" && pipes_so_far <= ncols {
            // The pipe that closes a row whose last cell ran over several lines.
            if let Some((_, s)) = row.as_mut() {
                s.push('\n');
                s.push('|');
            }
        } else if t.starts_with('|') {
            if row.is_none() || pipes_so_far >= ncols {
                flush(&mut row, out);
                row = Some((i as u32 + 1, t.to_string()));
            } else if let Some((_, s)) = row.as_mut() {
                s.push('\n');
                s.push_str(t);
            }
        } else if atx_heading(t).is_some() || t.starts_with("```") || t.starts_with("~~~") {
            // A heading or a code block ends any table, closed or not.
            break;
        } else {
            // Text after a row: the row's last cell goes on, unless the row is closed, or
            // has all its cells and no later line closes it (a row without its last pipe).
            let open = pipes_so_far < ncols || (pipes_so_far == ncols && closes_later(lines, i));
            if t.is_empty() && !open && more_rows(lines, i) {
                // Rows whose cells start lines of their own are separated by blank lines.
                i += 1;
                continue;
            }
            if row.is_none() || !open {
                break;
            }
            if let Some((_, s)) = row.as_mut() {
                s.push('\n');
                s.push_str(l.trim_end());
            }
        }
        i += 1;
    }
    flush(&mut row, out);
    out.push((i as u32, String::new()));
    Some(i)
}

/// True when the next line that is not blank, from `from` on, starts a row of the same
/// table (and not the header of another: no delimiter row follows it).
fn more_rows(lines: &[&str], from: usize) -> bool {
    let Some(next) = (from..lines.len()).find(|&k| !lines[k].trim().is_empty()) else {
        return false;
    };
    if !lines[next].trim().starts_with('|') {
        return false;
    }
    for l in lines.iter().skip(next).take(40) {
        let t = l.trim();
        if is_delimiter_row(t) {
            return false;
        }
        if !t.is_empty() && !t.starts_with('|') {
            break;
        }
    }
    true
}

/// True when a line from `from` on, before the next row, heading or the end, ends with
/// the pipe that closes a row.
fn closes_later(lines: &[&str], from: usize) -> bool {
    for l in lines.iter().skip(from).take(80) {
        let t = l.trim();
        if t == "|" {
            return true;
        }
        if t.starts_with('|') || atx_heading(t).is_some() {
            return false;
        }
        if t.ends_with('|') && !t.ends_with("\\|") {
            return true;
        }
    }
    false
}

/// Removes inline markup: escapes, emphasis markers, code spans, links, HTML tags and
/// entities. In a cell, line breaks (`<br>`, a newline) become [`BREAK`] and list items
/// start with a bullet.
pub fn inline(s: &str, cell: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    let brk = |out: &mut String| {
        if cell {
            if !out.is_empty() && !out.ends_with(BREAK) {
                out.push(BREAK);
            }
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' if i + 1 < b.len() && b[i + 1].is_ascii_punctuation() => {
                out.push(char::from(b[i + 1]));
                i += 2;
            }
            b'*' if b.get(i + 1) == Some(&b'*') => i += 2,
            b'_' if b.get(i + 1) == Some(&b'_') => i += 2,
            b'`' => i += 1,
            b'!' if b.get(i + 1) == Some(&b'[') => i += 1,
            b'[' => {
                // `[text](url)`: the text.
                match link(&s[i..]) {
                    Some((text, used)) => {
                        out.push_str(&inline(text, false));
                        i += used;
                    }
                    None => {
                        out.push('[');
                        i += 1;
                    }
                }
            }
            b'<' => match tag(&s[i..]) {
                Some((name, closing, used)) => {
                    match (name.as_str(), closing) {
                        ("br", _) | ("p", _) | ("div", _) | ("ul", _) | ("ol", _) => brk(&mut out),
                        ("li", false) => {
                            brk(&mut out);
                            out.push_str("• ");
                        }
                        _ => {}
                    }
                    i += used;
                }
                None => {
                    out.push('<');
                    i += 1;
                }
            },
            b'&' => match entity(&s[i..]) {
                Some((ch, used)) => {
                    out.push(ch);
                    i += used;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            },
            b'\n' if cell => {
                // A blank line inside a cell is a paragraph break: two breaks in a row.
                if !out.is_empty() && !out.ends_with("\u{1e}\u{1e}") {
                    out.push(BREAK);
                }
                i += 1;
            }
            b'\n' => {
                brk(&mut out);
                i += 1;
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or(' ');
                if ch != '\u{200b}' && ch != '\u{feff}' {
                    out.push(if ch == '\u{a0}' { ' ' } else { ch });
                }
                i += ch.len_utf8();
            }
        }
    }
    if cell {
        // Each line of a cell trimmed; blank lines kept as paragraph breaks.
        let parts: Vec<&str> = out.split(BREAK).map(str::trim).collect();
        let mut joined = String::new();
        for (k, p) in parts.iter().enumerate() {
            if k > 0 {
                joined.push(BREAK);
            }
            joined.push_str(p);
        }
        joined.trim_matches(BREAK).trim().to_string()
    } else {
        out
    }
}

/// `[text](target)` at the start of `s`: the text and the bytes used.
fn link(s: &str) -> Option<(&str, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains('\n') || text.contains('[') {
        return None;
    }
    let rest = &s[close + 2..];
    let end = rest.find(')')?;
    if rest[..end].contains('\n') {
        return None;
    }
    Some((text, close + 2 + end + 1))
}

/// An HTML tag at the start of `s`: its lowercase name, whether it closes, the bytes used.
fn tag(s: &str) -> Option<(String, bool, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == start || !b[start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[start..i].to_ascii_lowercase();
    let end = s[i..].find('>')? + i;
    if s[i..end].contains('<') {
        return None;
    }
    Some((name, closing, end + 1))
}

/// An HTML entity at the start of `s`: the character and the bytes used.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..end];
    let ch = match body {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let n = if let Some(h) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
                u32::from_str_radix(h, 16).ok()?
            } else {
                body.strip_prefix('#')?.parse().ok()?
            };
            char::from_u32(n).filter(|c| !c.is_control() || *c == '\n')?
        }
    };
    Some((ch, end + 1))
}

/// HTML into text form: headings, paragraphs, list items as bullets, preformatted blocks
/// line by line, table rows as grid lines; scripts, styles and comments dropped.
fn html(text: &str) -> Normal {
    let mut w = HtmlWriter {
        out: Vec::new(),
        line: String::new(),
        line_no: 1,
        row: None,
        cell: None,
        pre: 0,
    };
    let b = text.as_bytes();
    let mut i = 0;
    let mut no: u32 = 1;
    let mut text_start = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        // Text before the tag.
        w.text(&text[text_start..i], &mut no);
        if text[i..].starts_with("<!--") {
            let end = text[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            no += count_newlines(&text[i..end]);
            i = end;
            text_start = i;
            continue;
        }
        let Some((name, closing, used)) = tag(&text[i..]).or_else(|| {
            // `<!DOCTYPE html>` and other declarations.
            text[i..].starts_with("<!").then(|| {
                let e = text[i..].find('>').map_or(b.len() - i, |e| e + 1);
                (String::from("!"), false, e)
            })
        }) else {
            w.text("<", &mut no);
            i += 1;
            text_start = i;
            continue;
        };
        no += count_newlines(&text[i..i + used]);
        i += used;
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "title") {
            let end = closing_tag(&text[i..], &name).map_or(b.len(), |e| i + e);
            no += count_newlines(&text[i..end]);
            let after = text[end..].find('>').map_or(b.len(), |e| end + e + 1);
            i = after;
            text_start = i;
            continue;
        }
        w.tag(&name, closing, no);
        text_start = i;
    }
    w.text(&text[text_start..], &mut no);
    w.end_line();
    w.end_row();
    Normal {
        format: Format::Html,
        lines: w.out,
    }
}

/// Where `</name` (any case) starts in `s`: one pass, no copy.
fn closing_tag(s: &str, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = name.as_bytes();
    let mut from = 0;
    while let Some(at) = s[from..].find("</") {
        let start = from + at;
        let tail = &b[start + 2..];
        if tail.len() >= n.len() && tail[..n.len()].eq_ignore_ascii_case(n) {
            return Some(start);
        }
        from = start + 2;
    }
    None
}

/// Appends `raw` to `out` with each run of whitespace as one space (none at all right after
/// a space, when `after_space`).
fn push_collapsed(out: &mut String, raw: &str, after_space: bool) {
    let mut last_space = after_space;
    for ch in raw.chars() {
        if ch.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(ch);
            last_space = false;
        }
    }
}

fn count_newlines(s: &str) -> u32 {
    s.bytes().filter(|b| *b == b'\n').count() as u32
}

struct HtmlWriter {
    out: Vec<(u32, String)>,
    /// The line being built, and its source line.
    line: String,
    line_no: u32,
    /// The cells of the table row being built, and its source line.
    row: Option<(u32, Vec<String>)>,
    /// The cell being built (raw inline HTML, read at its end).
    cell: Option<String>,
    /// Depth of `<pre>`.
    pre: u32,
}

impl HtmlWriter {
    fn text(&mut self, raw: &str, no: &mut u32) {
        if raw.is_empty() {
            return;
        }
        if let Some(cell) = self.cell.as_mut() {
            // Whitespace inside a cell is one space; breaks come from tags.
            let after_space = cell.ends_with(' ');
            push_collapsed(cell, raw, after_space);
            *no += count_newlines(raw);
            return;
        }
        if self.pre > 0 {
            for (k, part) in raw.split('\n').enumerate() {
                if k > 0 {
                    self.end_line();
                    *no += 1;
                    self.line_no = *no;
                }
                self.push_text(&decode_entities(part), *no);
            }
            return;
        }
        let mut collapsed = String::new();
        push_collapsed(
            &mut collapsed,
            raw,
            self.line.is_empty() || self.line.ends_with(' '),
        );
        let first_text = raw.len() - raw.trim_start().len();
        let at = *no + count_newlines(&raw[..first_text]);
        if !collapsed.trim().is_empty() {
            self.push_text(&decode_entities(&collapsed), at);
        }
        *no += count_newlines(raw);
    }

    fn push_text(&mut self, s: &str, no: u32) {
        if self.line.is_empty() {
            self.line_no = no;
        }
        self.line.push_str(s);
    }

    fn end_line(&mut self) {
        let text = std::mem::take(&mut self.line);
        let text = if self.pre > 0 {
            text.trim_end().to_string()
        } else {
            text.trim().to_string()
        };
        if !text.is_empty() || self.pre > 0 {
            self.out.push((self.line_no, text));
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some((no, cells)) = self.row.take() {
            if cells.iter().any(|c| !c.is_empty()) {
                self.out.push((no, grid_line(&cells)));
            }
        }
    }

    fn end_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            let text = inline(&cell, true);
            if let Some((_, cells)) = self.row.as_mut() {
                cells.push(text);
            }
        }
    }

    fn tag(&mut self, name: &str, closing: bool, no: u32) {
        if let Some(cell) = self.cell.as_mut() {
            match (name, closing) {
                ("td" | "th", _) | ("tr", _) | ("table", _) => {}
                // Inline markup inside a cell is kept for `inline` to read.
                (n, c) => {
                    cell.push('<');
                    if c {
                        cell.push('/');
                    }
                    cell.push_str(n);
                    cell.push('>');
                    return;
                }
            }
        }
        match (name, closing) {
            ("tr", false) => {
                self.end_row();
                self.end_line();
                self.row = Some((no, Vec::new()));
            }
            ("tr", true) => self.end_row(),
            ("td" | "th", false) => {
                self.end_cell();
                if self.row.is_none() {
                    self.row = Some((no, Vec::new()));
                }
                self.cell = Some(String::new());
            }
            ("td" | "th", true) => self.end_cell(),
            ("table", _) => {
                self.end_row();
                self.end_line();
                self.out.push((no, String::new()));
            }
            ("pre", false) => {
                self.end_line();
                self.pre += 1;
            }
            ("pre", true) => {
                self.end_line();
                self.pre = self.pre.saturating_sub(1);
                self.out.push((no, String::new()));
            }
            ("br", _) => self.end_line(),
            ("li", false) => {
                self.end_line();
                self.push_text("• ", no);
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.end_line();
                self.push_text(&HEADING.to_string(), no);
            }
            (
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div" | "ul" | "ol" | "li"
                | "section" | "article" | "blockquote" | "header" | "footer" | "dt" | "dd" | "body"
                | "html",
                _,
            ) => {
                self.end_line();
                if name.starts_with('h') && name.len() == 2 && closing {
                    self.out.push((no, String::new()));
                }
            }
            _ => {}
        }
    }
}

/// Entities decoded in plain text.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s.as_bytes()[i] == b'&' {
            if let Some((ch, used)) = entity(&s[i..]) {
                out.push(ch);
                i += used;
                continue;
            }
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str) -> Vec<&str> {
        line.split(CELL).skip(1).collect()
    }

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(detect("Request parameters\nName Type\n"), Format::Text);
        assert_eq!(detect("# A\n\n|a|b|\n|---|---|\n|1|2|\n"), Format::Markdown);
        assert_eq!(
            detect("<!DOCTYPE html><html><body><h1>A</h1>"),
            Format::Html
        );
        assert_eq!(detect("## One\ntext\n## Two\n"), Format::Markdown);
    }

    #[test]
    fn markdown_headings_lose_their_markup_and_anchors() {
        let n = normalize("# DescribeX {#doc .reference}\n\n## Request parameters {#p .section}\n");
        assert_eq!(n.lines[0], (1, "\u{1d}DescribeX".to_string()));
        assert_eq!(n.lines[2], (3, "\u{1d}Request parameters".to_string()));
    }

    #[test]
    fn markdown_cells_run_over_lines_and_cells_start_lines() {
        let page = "## Request parameters\n\n|Parameter|Type|Required|Description|\n|---|---|---|---|\n|SnatIp|String|Yes.|Public IP \\(v4\\).\n\n **Note:** one EIP. |\n|Name|String|No|A [name](~~1~~). |\n\n|dryRun\n\n|Boolean\n\n|Yes\n\n|Check only. |\n|---|---|---|\n|x|String|No|\n";
        let n = normalize(page);
        let grid: Vec<&(u32, String)> = n
            .lines
            .iter()
            .filter(|(_, l)| l.starts_with(CELL))
            .collect();
        assert_eq!(
            cells(&grid[0].1),
            ["Parameter", "Type", "Required", "Description"]
        );
        assert_eq!(grid[1].0, 5);
        assert_eq!(
            cells(&grid[1].1),
            [
                "SnatIp",
                "String",
                "Yes.",
                "Public IP (v4).\u{1e}\u{1e}Note: one EIP."
            ]
        );
        assert_eq!(cells(&grid[2].1), ["Name", "String", "No", "A name."]);
        assert_eq!(
            cells(&grid[3].1),
            ["dryRun", "Boolean", "Yes", "Check only."]
        );
        // Line numbers only grow.
        assert!(n.lines.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn html_tables_become_grid_lines_with_breaks_and_bullets() {
        let page = "<html><head><title>t</title><style>p{}</style></head><body>\n<h2>Request parameters</h2>\n<table>\n<tr><th>Parameter</th><th>Type</th></tr>\n<tr><td>Mode</td><td>String &amp; more</td><td>Values:<ul><li>A</li><li>B</li></ul></td></tr>\n</table>\n<pre>{\n  \"a\": 1\n}</pre>\n</body></html>";
        let n = normalize(page);
        assert_eq!(n.format, Format::Html);
        let text: Vec<&str> = n.lines.iter().map(|(_, l)| l.as_str()).collect();
        assert!(text.contains(&"\u{1d}Request parameters"), "{text:?}");
        let rows: Vec<&&str> = text.iter().filter(|l| l.starts_with(CELL)).collect();
        assert_eq!(cells(rows[0]), ["Parameter", "Type"]);
        assert_eq!(
            cells(rows[1]),
            ["Mode", "String & more", "Values:\u{1e}• A\u{1e}• B"]
        );
        assert!(text.contains(&"  \"a\": 1"), "{text:?}");
        let row_line = n
            .lines
            .iter()
            .find(|(_, l)| l.starts_with("\u{1f}Mode"))
            .map(|(n, _)| *n);
        assert_eq!(row_line, Some(5));
    }

    #[test]
    fn inline_markup_is_removed() {
        assert_eq!(
            inline("**A** `b` [c](d) \\*\\*\\*\\* SNAT\\_IP &lt;x&gt;", false),
            "A b c **** SNAT_IP <x>"
        );
        assert_eq!(inline("Value\u{200b}used", false), "Valueused");
        assert_eq!(inline("<br><li>A <br><li>B", true), "• A\u{1e}• B");
    }
}
