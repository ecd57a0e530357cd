//! Sample requests and responses as printed: URL requests, JSON and XML bodies.

use super::page::{Block, Line};
use crate::contract::{SampleFormat, SampleKind};

/// A sample found on the page.
#[derive(Debug, Clone)]
pub struct FoundSample {
    /// Request, success or error.
    pub kind: SampleKind,
    /// URL, JSON or XML.
    pub format: SampleFormat,
    /// The caption printed above it.
    pub title: Option<String>,
    /// The text as printed.
    pub text: String,
    /// First and last line.
    pub lines: (u32, u32),
    /// Why it could not be read, if it could not.
    pub malformed: Option<String>,
}

/// Reads the samples in example sections; also returns the empty sample headings.
pub fn read(blocks: &[&Block<'_>]) -> (Vec<FoundSample>, Vec<(u32, String)>) {
    let mut out = Vec::new();
    let mut empty = Vec::new();
    for block in blocks {
        let lines = &block.lines;
        if lines.iter().all(Line::is_blank) {
            empty.push((block.heading_line, block.heading.to_string()));
            continue;
        }
        let mut caption: Option<(String, bool)> = None;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let t = line.text.trim();
            if t.is_empty() {
                i += 1;
                continue;
            }
            let start = i;
            let (format, end, malformed) = if is_url_start(t) {
                let mut j = i + 1;
                while j < lines.len() && lines[j].text.trim_start().starts_with('&') {
                    j += 1;
                }
                (SampleFormat::Url, j, None)
            } else if t.starts_with('{') || (t.starts_with('[') && t.len() == 1) {
                let (j, closed) = json_end(lines, i);
                let text = join(&lines[i..j]);
                let malformed = if !closed {
                    Some("the JSON ends before its closing bracket".to_string())
                } else {
                    serde_json::from_str::<serde_json::Value>(&text)
                        .err()
                        .map(|e| format!("not valid JSON: {e}"))
                };
                (SampleFormat::Json, j, malformed)
            } else if t.starts_with('<') && !t.starts_with("<Common") {
                let mut j = i + 1;
                while j < lines.len() && !lines[j].is_blank() {
                    j += 1;
                }
                let text = join(&lines[i..j]);
                (SampleFormat::Xml, j, xml_problem(&text))
            } else {
                // A caption: remembered for the next sample.
                let lower = t.to_ascii_lowercase();
                let is_error = lower.contains("error");
                let keep_error =
                    caption.as_ref().is_some_and(|c| c.1) && !lower.contains("success");
                if t.chars().count() <= 80 && !t.ends_with('.') {
                    caption = Some((t.to_string(), is_error || keep_error));
                }
                i += 1;
                continue;
            };
            let text = join(&lines[start..end]);
            let last = lines[start..end]
                .iter()
                .rev()
                .find(|l| !l.is_blank())
                .map_or(line.no, |l| l.no);
            let kind = match format {
                SampleFormat::Url => SampleKind::Request,
                _ => {
                    let c = caption
                        .as_ref()
                        .map(|c| c.0.to_ascii_lowercase())
                        .unwrap_or_default();
                    if caption.as_ref().is_some_and(|c| c.1) {
                        SampleKind::Error
                    } else if c.contains("input") || c.contains("request") {
                        SampleKind::Request
                    } else {
                        SampleKind::Success
                    }
                }
            };
            out.push(FoundSample {
                kind,
                format,
                title: caption.as_ref().map(|c| c.0.clone()),
                text,
                lines: (line.no, last),
                malformed,
            });
            i = end.max(start + 1);
        }
    }
    (out, empty)
}

fn is_url_start(t: &str) -> bool {
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("http(s)://")
}

fn join(lines: &[Line<'_>]) -> String {
    super::page::join(lines)
}

/// Where a JSON block ends (exclusive), and whether its brackets closed.
fn json_end(lines: &[Line<'_>], start: usize) -> (usize, bool) {
    let mut depth: i32 = 0;
    let mut in_str = false;
    let mut escaped = false;
    for (j, line) in lines.iter().enumerate().skip(start) {
        for c in line.text.chars() {
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            return (j + 1, true);
        }
    }
    (lines.len(), false)
}

/// Why an XML sample is not well-formed, as far as a sample needs to be read.
fn xml_problem(text: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut roots = 0;
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            return Some("a tag is not closed".into());
        };
        let tag = &rest[open + 1..open + close];
        if tag.starts_with('?') || tag.starts_with('!') {
        } else if tag.starts_with('/') {
            depth -= 1;
            if depth < 0 {
                return Some(format!("the closing tag <{tag}> has no opening tag"));
            }
        } else if !tag.ends_with('/') {
            if depth == 0 {
                roots += 1;
            }
            depth += 1;
        } else if depth == 0 {
            roots += 1;
        }
        rest = &rest[open + close + 1..];
    }
    if depth != 0 {
        return Some("an element is not closed".into());
    }
    (roots > 1).then(|| format!("{roots} top-level elements and no root element"))
}

/// The name=value pairs of a URL sample.
pub fn url_pairs(text: &str) -> Vec<(String, String)> {
    crate::contract::parse_url_sample(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_without_a_root_is_reported() {
        assert!(
            xml_problem("<a>1</a>\n<b>2</b>")
                .unwrap()
                .contains("2 top-level")
        );
        assert_eq!(xml_problem("<r><a>1</a></r>"), None);
        assert!(xml_problem("<r><a>1</a>").is_some());
    }
}
