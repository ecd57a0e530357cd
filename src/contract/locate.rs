//! Finding where a JSON path starts in a document, so errors found after parsing (a rule
//! naming a missing parameter, an example breaking its constraint) still point at a line.
//!
//! serde_json keeps no spans, and the few span-keeping JSON crates are heavier than this
//! single pass over text that has already parsed.

use std::collections::HashMap;

/// Line and column (1-based) of every value in a JSON document, keyed by path
/// (`parameters[3].constraints[0].check`, the form serde_path_to_error prints).
#[derive(Debug, Default)]
pub struct Positions {
    map: HashMap<String, (usize, usize)>,
}

impl Positions {
    /// Scans `text`; a malformed document yields whatever was scanned before the fault.
    pub fn scan(text: &str) -> Positions {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            col: 1,
            out: HashMap::new(),
        };
        scanner.value(String::new(), 0);
        Positions { map: scanner.out }
    }

    /// The position of `path`, or of its nearest ancestor that has one; (1, 1) if none.
    pub fn find(&self, path: &str) -> (usize, usize) {
        let mut p = path;
        loop {
            if let Some(pos) = self.map.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.map.get("").copied().unwrap_or((1, 1)),
            }
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    col: usize,
    out: HashMap<String, (usize, usize)>,
}

const MAX_DEPTH: usize = 256;

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn value(&mut self, path: String, depth: usize) -> Option<()> {
        self.ws();
        self.out.insert(path.clone(), (self.line, self.col));
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => {
                self.bump();
                self.ws();
                if self.peek()? == b'}' {
                    self.bump();
                    return Some(());
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.bump();
                    let child = if path.is_empty() {
                        key
                    } else {
                        format!("{path}.{key}")
                    };
                    self.value(child, depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.bump(),
                        b'}' => {
                            self.bump();
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.bump();
                self.ws();
                if self.peek()? == b']' {
                    self.bump();
                    return Some(());
                }
                let mut i = 0usize;
                loop {
                    self.value(format!("{path}[{i}]"), depth + 1)?;
                    i += 1;
                    self.ws();
                    match self.peek()? {
                        b',' => self.bump(),
                        b']' => {
                            self.bump();
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                while matches!(self.peek(), Some(b) if !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                {
                    self.bump();
                }
                Some(())
            }
        }
    }

    /// Reads a string literal; escapes are kept undecoded except the common ones, which is
    /// enough for object keys.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.bump();
        let start = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    self.bump();
                    self.bump();
                }
                _ => self.bump(),
            }
        }
        let raw = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        self.bump();
        Some(raw.replace("\\\"", "\"").replace("\\\\", "\\"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_paths_and_falls_back_to_ancestors() {
        let text =
            "{\n  \"a\": [\n    {\"b\": 1},\n    {\"b\": \"x\", \"c\": {\"d\": true}}\n  ]\n}";
        let pos = Positions::scan(text);
        assert_eq!(pos.find("a"), (2, 8));
        assert_eq!(pos.find("a[1].c.d"), (4, 27));
        assert_eq!(pos.find("a[1].c.missing"), (4, 21));
        assert_eq!(pos.find("nothing"), (1, 1));
    }

    #[test]
    fn survives_garbage_and_deep_nesting() {
        let deep = "[".repeat(10_000);
        let pos = Positions::scan(&deep);
        assert_eq!(pos.find("[0][0]"), (1, 3));
        let _ = Positions::scan("{\"a\": ");
        let _ = Positions::scan("\u{0}\u{ffff}");
    }
}
