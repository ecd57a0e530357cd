//! The driver protocol: what docpact sends a driver and what a driver answers, as typed,
//! versioned JSON.
//!
//! A driver is a command around one client (an SDK, a CLI). docpact runs it with
//! `DOCPACT_ENDPOINT` (`host:port`), the test credentials (`DOCPACT_ACCESS_KEY_ID`,
//! `DOCPACT_ACCESS_KEY_SECRET`, `DOCPACT_SECRET_ID`, `DOCPACT_SECRET_KEY`),
//! `DOCPACT_CLIENT_TIMEOUT_MS`, `DOCPACT_CLIENT` (the `--client` name, if any) and, under
//! `--tls`, `DOCPACT_CA_CERT` (a PEM file to trust) in its environment.
//!
//! - **stream** mode: one process; each case is one line of JSON on standard input, each
//!   answer one line on standard output, in order. Before reading anything the driver may
//!   print a [`Declaration`] line naming the operations it drives.
//! - **oneshot** mode: one process per case; the case is the whole of standard input
//!   (closed after it), the answer the whole of standard output.
//!
//! `docpact schema driver` prints the JSON Schema of both messages.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The protocol version this build speaks.
pub const DRIVER_PROTOCOL_VERSION: u32 = 1;

/// One call a driver is asked to make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseMessage {
    /// The case ID with the call's number when a case makes several calls (`…/idempotent#2`).
    pub id: String,
    /// The operation: a contract id (`tencent/tcr/2019-09-24/CreateInstance`).
    pub operation: String,
    /// The parameters in their documented names: flat for Alibaba RPC
    /// (`Parameter.1.Code`), nested JSON for Tencent, the request body under `body` for ROA.
    /// Values carry the documented type (numbers, booleans) unless the case breaks it.
    pub params: Map<String, Value>,
    /// The client to use, for drivers that wrap several (`--client`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Keys to sign with instead of the test keys (authentication cases). In oneshot mode
    /// they are also in the process's environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<CaseCredentials>,
}

/// Keys for one call: an AccessKey pair (Alibaba) or a SecretId and SecretKey (Tencent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseCredentials {
    /// AccessKeyId or SecretId.
    pub key_id: String,
    /// AccessKeySecret or SecretKey.
    pub secret: String,
}

/// A driver's answer to one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Answer {
    /// The case ID it answers.
    pub id: String,
    /// True when the client reported success.
    pub ok: bool,
    /// What the client parsed from a success, as JSON (for Tencent: the content of
    /// `Response`; for Alibaba: the body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parsed: Option<Value>,
    /// What the client reported of a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ClientError>,
}

/// A failure as the client reported it; fields the client does not expose are null.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClientError {
    /// The error code.
    #[serde(default)]
    pub code: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The request ID.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The HTTP status.
    #[serde(default)]
    pub http_status: Option<u16>,
}

/// An optional first line in stream mode: the operations the driver drives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The declaration itself.
    pub docpact_driver: DeclarationBody,
}

/// What a driver declares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationBody {
    /// The protocol version the driver speaks (1).
    pub protocol: u32,
    /// Globs of the operations it drives (`alibaba/*`, `tencent/tcr/*`); cases of other
    /// operations are not sent to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<String>>,
    /// The client and its version, for reports (`tencentcloud-sdk-python 3.1.195`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

/// What is wrong with a line a driver printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Not JSON.
    #[error("printed a line that is not JSON ({0}): {1:?}")]
    NotJson(String, String),
    /// JSON, but not an answer.
    #[error("printed JSON that is not an answer ({0}): {1:?}")]
    NotAnAnswer(String, String),
    /// An answer to another case.
    #[error("answered case {got:?} when asked for {want:?}")]
    WrongId {
        /// The ID asked for.
        want: String,
        /// The ID answered.
        got: String,
    },
    /// `ok` without `parsed`, or not ok without `error`.
    #[error("answered {0} (an answer with ok true needs parsed; with ok false, error)")]
    Incomplete(String),
}

/// The longest piece of a driver's line quoted in an error.
const QUOTE: usize = 200;

fn quote(line: &str) -> String {
    let mut end = line.len().min(QUOTE);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    if end < line.len() {
        format!("{}…", &line[..end])
    } else {
        line.to_string()
    }
}

/// A line of a driver's output: a declaration or an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The stream-mode declaration.
    Declaration(DeclarationBody),
    /// An answer.
    Answer(Answer),
}

/// Reads one line a driver printed, as an answer to `want` (or a declaration).
pub fn parse_line(line: &str, want: &str) -> Result<Line, AnswerError> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| AnswerError::NotJson(e.to_string(), quote(line)))?;
    if value.get("docpact_driver").is_some() {
        let d: Declaration = serde_json::from_value(value)
            .map_err(|e| AnswerError::NotAnAnswer(e.to_string(), quote(line)))?;
        return Ok(Line::Declaration(d.docpact_driver));
    }
    let answer: Answer = serde_json::from_value(value)
        .map_err(|e| AnswerError::NotAnAnswer(e.to_string(), quote(line)))?;
    if answer.id != want {
        return Err(AnswerError::WrongId {
            want: want.to_string(),
            got: answer.id,
        });
    }
    match (answer.ok, &answer.parsed, &answer.error) {
        (true, None, _) | (false, _, None) => Err(AnswerError::Incomplete(quote(line))),
        _ => Ok(Line::Answer(answer)),
    }
}

/// The JSON Schema of the protocol's messages, pretty, ending with a newline.
pub fn schema_json() -> String {
    #[derive(JsonSchema)]
    #[expect(dead_code, reason = "only its schema is used")]
    /// The driver protocol: a case docpact sends, a line a driver prints.
    struct DriverProtocol {
        /// What docpact writes to the driver.
        case: CaseMessage,
        /// What a driver prints for a case.
        answer: Answer,
        /// What a stream driver may print first.
        declaration: Declaration,
    }
    let schema = schemars::schema_for!(DriverProtocol);
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_into_answers_declarations_or_precise_errors() {
        let ok = parse_line(r#"{"id":"a","ok":true,"parsed":{"X":1}}"#, "a").unwrap();
        assert!(matches!(ok, Line::Answer(Answer { ok: true, .. })));
        let err = parse_line(
            r#"{"id":"a","ok":false,"error":{"code":"E","message":"m","request_id":null,"http_status":400}}"#,
            "a",
        )
        .unwrap();
        let Line::Answer(a) = err else { panic!() };
        assert_eq!(a.error.unwrap().http_status, Some(400));
        let decl = parse_line(
            r#"{"docpact_driver":{"protocol":1,"operations":["tencent/*"]}}"#,
            "a",
        )
        .unwrap();
        assert!(matches!(
            decl,
            Line::Declaration(DeclarationBody { protocol: 1, .. })
        ));
        assert!(matches!(
            parse_line("Traceback (most recent call last):", "a"),
            Err(AnswerError::NotJson(..))
        ));
        assert!(matches!(
            parse_line("[1,2]", "a"),
            Err(AnswerError::NotAnAnswer(..))
        ));
        assert_eq!(
            parse_line(r#"{"id":"b","ok":true,"parsed":{}}"#, "a").unwrap_err(),
            AnswerError::WrongId {
                want: "a".into(),
                got: "b".into()
            }
        );
        assert!(matches!(
            parse_line(r#"{"id":"a","ok":false}"#, "a"),
            Err(AnswerError::Incomplete(_))
        ));
        let long = "x".repeat(1000);
        let e = parse_line(&long, "a").unwrap_err().to_string();
        assert!(e.len() < 400, "{e}");
    }
}
