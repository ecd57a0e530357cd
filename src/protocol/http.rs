//! The request as it arrived, independent of any HTTP library.

/// The largest header value docpact decodes; larger ones are rejected as garbage.
pub const MAX_HEADER_VALUE: usize = 16 * 1024;

/// An HTTP request: method, raw target (path and query as sent), headers in order, body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method (`GET`, `POST`).
    pub method: String,
    /// The request target as sent: path and raw query (`/?Action=...`).
    pub target: String,
    /// Headers in arrival order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// Builds a request.
    pub fn new(method: &str, target: &str) -> HttpRequest {
        HttpRequest {
            method: method.to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> HttpRequest {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> HttpRequest {
        self.body = body.into();
        self
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, joined with commas (how HTTP folds repeated headers);
    /// borrowed when the header occurs once.
    pub fn header_joined(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        let mut matching = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        let first = matching.next()?;
        let Some(second) = matching.next() else {
            return Some(Cow::Borrowed(first));
        };
        let mut joined = format!("{first},{second}");
        for v in matching {
            joined.push(',');
            joined.push_str(v);
        }
        Some(Cow::Owned(joined))
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        // Asked for many times per request: a vectorised search, not a generic split.
        match memchr::memchr(b'?', self.target.as_bytes()) {
            Some(q) => &self.target[..q],
            None => &self.target,
        }
    }

    /// The raw query string, without `?` (empty when none).
    pub fn raw_query(&self) -> &str {
        match memchr::memchr(b'?', self.target.as_bytes()) {
            Some(q) => &self.target[q + 1..],
            None => "",
        }
    }

    /// The request as HTTP/1.1 bytes, with a `Content-Length` header added (for load
    /// generators and raw-socket tests).
    pub fn to_http1(&self) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\n", self.method, self.target);
        for (k, v) in &self.headers {
            head.push_str(k);
            head.push_str(": ");
            head.push_str(v);
            head.push_str("\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }

    /// The media type of the body, lowercased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.media_type_raw().map(str::to_ascii_lowercase)
    }

    /// Whether the body's media type is `want` (lowercase; parameters and case ignored),
    /// without allocating.
    pub fn has_media_type(&self, want: &str) -> bool {
        // As `media_type_raw` then a comparison, without searching for `;` first: the value
        // starts with `want` (after any whitespace) and nothing but whitespace follows it
        // before a `;` or the end.
        self.header("content-type").is_some_and(|v| {
            let v = v.trim_start();
            v.get(..want.len())
                .is_some_and(|m| m.eq_ignore_ascii_case(want))
                && v[want.len()..]
                    .trim_start()
                    .chars()
                    .next()
                    .is_none_or(|c| c == ';')
        })
    }

    fn media_type_raw(&self) -> Option<&str> {
        self.header("content-type").map(|v| {
            crate::protocol::encoding::split_ascii(v, b';')
                .next()
                .unwrap_or_default()
                .trim()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // Whitespace, parameters and case around media types that are, or almost are, the
        // one asked for.
        #[test]
        fn has_media_type_agrees_with_the_media_type(
            v in "[ \t]{0,2}(application/json|Application/JSON|application/jsonx|application/js|text/xml|)[ \t\u{a0}]{0,2}(;[ a-z=-]{0,12})?"
        ) {
            let r = HttpRequest::new("POST", "/").with_header("Content-Type", &v);
            let want = "application/json";
            proptest::prop_assert_eq!(
                r.has_media_type(want),
                r.media_type().is_some_and(|m| m == want),
                "{:?}", v
            );
        }
    }

    #[test]
    fn the_target_splits_at_its_first_question_mark() {
        let r = HttpRequest::new("GET", "/a/b?x=1?y&z");
        assert_eq!((r.path(), r.raw_query()), ("/a/b", "x=1?y&z"));
        let r = HttpRequest::new("GET", "/plain");
        assert_eq!((r.path(), r.raw_query()), ("/plain", ""));
        let r = HttpRequest::new("GET", "?");
        assert_eq!((r.path(), r.raw_query()), ("", ""));
    }
}
