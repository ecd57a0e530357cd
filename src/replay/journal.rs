//! The bounded journal of recent interactions.

use std::borrow::Cow;
use std::collections::VecDeque;

use serde::Serialize;

/// One interaction, without bodies (so the journal's memory stays flat under load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Sequence number since start.
    pub seq: u64,
    /// Arrival time, Unix milliseconds.
    pub time_ms: i64,
    /// HTTP method.
    pub method: Cow<'static, str>,
    /// Request path.
    pub path: Cow<'static, str>,
    /// The operation id, once routed.
    pub operation: Option<String>,
    /// The signature scheme, once decoded.
    pub scheme: Option<&'static str>,
    /// The signer's key id, once decoded.
    pub key_id: Option<String>,
    /// The answer's HTTP status.
    pub status: u16,
    /// The error code answered, if any.
    pub error: Option<String>,
    /// Why, when a parameter was at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// True when the path, key id or detail was cut to keep the journal small (a client
    /// decides their length).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

/// The most bytes of a path the journal keeps.
pub const MAX_PATH: usize = 256;
/// The most bytes of a key id or a detail the journal keeps.
pub const MAX_TEXT: usize = 256;

/// `s` cut to at most `max` bytes on a character boundary, and whether it was cut.
pub(crate) fn cut(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (&s[..end], true)
}

/// `s` as one of `known` without a copy, or a copy.
pub(crate) fn intern(s: &str, known: &[&'static str]) -> Cow<'static, str> {
    match known.iter().find(|k| **k == s) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(s.to_string()),
    }
}

/// A ring of the most recent entries.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    next: u64,
    entries: VecDeque<Entry>,
}

impl Journal {
    /// A journal keeping at most `capacity` entries.
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            next: 0,
            entries: VecDeque::with_capacity(capacity.min(1024)),
        }
    }

    /// Appends an entry, numbering it and dropping the oldest when full.
    pub fn push(&mut self, mut e: Entry) {
        e.seq = self.next;
        self.next += 1;
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(e);
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
