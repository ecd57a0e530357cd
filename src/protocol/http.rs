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
            .find(|(n, _)| same_name(n, name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, joined with commas (how HTTP folds repeated headers);
    /// borrowed when the header occurs once.
    pub fn header_joined(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        let mut matching = self
            .headers
            .iter()
            .filter(|(n, _)| same_name(n, name))
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

    /// [`HttpRequest::header_joined`] for each of `names`, in one pass over the headers (a
    /// canonical request lists several; looking each up would read every header for each).
    pub fn headers_joined(&self, names: &[&str]) -> Vec<Option<std::borrow::Cow<'_, str>>> {
        use std::borrow::Cow;
        let mut values: Vec<Option<Cow<'_, str>>> = vec![None; names.len()];
        for (n, v) in &self.headers {
            // Every name is tried, so that a name listed twice gets its value twice.
            for (want, slot) in names.iter().zip(values.iter_mut()) {
                if same_name(n, want) {
                    *slot = Some(match slot.take() {
                        None => Cow::Borrowed(v.as_str()),
                        Some(before) => Cow::Owned(format!("{before},{v}")),
                    });
                }
            }
        }
        values
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

/// Whether two header names (or prefixes of them) are the same, case aside. Names arrive
/// lowercase from HTTP/1 servers and are asked for in lowercase: equal bytes answer at once,
/// and only names of the same length that differ are compared letter by letter.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a == b || a.eq_ignore_ascii_case(b))
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

        // Names asked for once, twice or not at all, sent once, twice or not at all, in
        // either case: one pass finds what a lookup per name finds.
        #[test]
        fn headers_joined_finds_what_header_joined_finds(
            headers in proptest::collection::vec(("(a|b|c|A|ab|x-acs-a|X-ACS-A)", "[a-z,]{0,3}"), 0..8),
            names in proptest::collection::vec("(a|b|c|ab|x-acs-a|d)", 0..6),
        ) {
            let mut r = HttpRequest::new("GET", "/");
            for (k, v) in &headers {
                r = r.with_header(k, v);
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let each: Vec<_> = names.iter().map(|n| r.header_joined(n)).collect();
            proptest::prop_assert_eq!(r.headers_joined(&names), each);
        }
    }

    #[test]
    fn header_names_match_whatever_their_case() {
        let r = HttpRequest::new("GET", "/")
            .with_header("X-Acs-Date", "d")
            .with_header("host", "h")
            .with_header("x-acs-datf", "e");
        assert_eq!(r.header("x-acs-date"), Some("d"));
        assert_eq!(r.header("X-ACS-DATE"), Some("d"));
        assert_eq!(r.header("HOST"), Some("h"));
        assert_eq!(r.header("x-acs-dat"), None);
        assert_eq!(r.header("x-acs-datg"), None);
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
