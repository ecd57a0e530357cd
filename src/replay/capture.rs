//! Whole exchanges (request and answer, bodies included), kept only when asked for: the
//! checker reads them to judge what a client put on the wire. Bounded in count and bytes.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::protocol::{HttpRequest, HttpResponse};

/// The most of one body an exchange keeps.
pub const MAX_CAPTURED_BODY: usize = 256 * 1024;
/// The most bytes all kept exchanges hold together.
pub const MAX_CAPTURED_BYTES: usize = 64 * 1024 * 1024;

/// A request or an answer as captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Request method (empty for answers).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub method: String,
    /// Request target: path and query as sent (empty for answers).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// Answer status (0 for requests, and for a connection closed without an answer).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub status: u16,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced), cut at [`MAX_CAPTURED_BODY`].
    pub body: String,
    /// True when the body was cut.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

fn body_text(body: &[u8]) -> (String, bool) {
    let cut = body.len() > MAX_CAPTURED_BODY;
    let body = &body[..body.len().min(MAX_CAPTURED_BODY)];
    (String::from_utf8_lossy(body).into_owned(), cut)
}

impl Message {
    fn request(r: &HttpRequest) -> Message {
        let (body, truncated) = body_text(&r.body);
        Message {
            method: r.method.clone(),
            target: r.target.clone(),
            status: 0,
            headers: r.headers.clone(),
            body,
            truncated,
        }
    }

    fn answer(r: &HttpResponse) -> Message {
        let (body, truncated) = body_text(&r.body);
        Message {
            method: String::new(),
            target: String::new(),
            status: r.status,
            headers: r
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body,
            truncated,
        }
    }

    /// The captured request as the protocol layer takes it.
    pub fn to_request(&self) -> HttpRequest {
        HttpRequest {
            method: self.method.clone(),
            target: self.target.clone(),
            headers: self.headers.clone(),
            body: self.body.clone().into_bytes(),
        }
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn bytes(&self) -> usize {
        self.target.len()
            + self.body.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
    }
}

/// One request and what the server did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// Order of arrival since start.
    pub seq: u64,
    /// Arrival time, Unix milliseconds.
    pub time_ms: i64,
    /// The request.
    pub request: Message,
    /// The answer (status 0 when the connection was closed instead).
    pub response: Message,
    /// The operation, once routed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Why the request was refused, when a parameter or a queued outcome decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The answer was held back this long.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub delay_ms: u64,
    /// The connection was closed without an answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

/// The kept exchanges, oldest first.
#[derive(Debug)]
pub struct Capture {
    capacity: usize,
    bytes: usize,
    next: u64,
    dropped: u64,
    exchanges: VecDeque<(usize, Exchange)>,
}

impl Capture {
    /// Keeps at most `capacity` exchanges (and [`MAX_CAPTURED_BYTES`]).
    pub fn new(capacity: usize) -> Capture {
        Capture {
            capacity,
            bytes: 0,
            next: 0,
            dropped: 0,
            exchanges: VecDeque::new(),
        }
    }

    /// Records one exchange, dropping the oldest beyond the bounds.
    #[expect(
        clippy::too_many_arguments,
        reason = "one exchange's parts, each needed"
    )]
    pub(crate) fn push(
        &mut self,
        time_ms: i64,
        req: &HttpRequest,
        res: &HttpResponse,
        operation: Option<String>,
        detail: Option<String>,
        delay_ms: u64,
        reset: bool,
    ) {
        let request = Message::request(req);
        let response = Message::answer(res);
        let size = request.bytes() + response.bytes();
        let e = Exchange {
            seq: self.next,
            time_ms,
            request,
            response,
            operation,
            detail,
            delay_ms,
            reset,
        };
        self.next += 1;
        self.bytes += size;
        self.exchanges.push_back((size, e));
        while self.exchanges.len() > self.capacity || self.bytes > MAX_CAPTURED_BYTES {
            match self.exchanges.pop_front() {
                Some((n, _)) => {
                    self.bytes -= n;
                    self.dropped += 1;
                }
                None => break,
            }
        }
    }

    /// The exchanges, oldest first.
    pub fn exchanges(&self) -> impl Iterator<Item = &Exchange> {
        self.exchanges.iter().map(|(_, e)| e)
    }

    /// How many exchanges were dropped to stay within the bounds since the last clear.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Forgets every exchange.
    pub fn clear(&mut self) {
        self.exchanges.clear();
        self.bytes = 0;
        self.dropped = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_in_count_and_bodies_cut() {
        let mut c = Capture::new(2);
        let big = HttpRequest::new("POST", "/").with_body(vec![b'a'; MAX_CAPTURED_BODY + 10]);
        let res = HttpResponse {
            status: 200,
            headers: vec![],
            body: b"{}".to_vec(),
        };
        for _ in 0..3 {
            c.push(0, &big, &res, None, None, 0, false);
        }
        let kept: Vec<&Exchange> = c.exchanges().collect();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].seq, 1);
        assert!(kept[0].request.truncated);
        assert_eq!(kept[0].request.body.len(), MAX_CAPTURED_BODY);
        assert_eq!(c.dropped(), 1);
        c.clear();
        assert_eq!(c.dropped(), 0);
        assert_eq!(c.exchanges().count(), 0);
    }
}
