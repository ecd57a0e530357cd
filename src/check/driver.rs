//! Running a driver: one long-lived process (stream) or one process per call (oneshot),
//! with a deadline per call, the tail of its standard error kept, and every way a driver
//! can misbehave named rather than panicked on.

use std::collections::VecDeque;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use super::protocol::{Answer, AnswerError, CaseMessage, DeclarationBody, Line, parse_line};

/// How a driver is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// One long-lived process, one JSON line per call both ways.
    Stream,
    /// One process per call: the call on standard input, the answer on standard output.
    Oneshot,
}

impl Mode {
    /// The name in results.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Stream => "stream",
            Mode::Oneshot => "oneshot",
        }
    }
}

/// A driver command, ready to run.
#[derive(Debug, Clone)]
pub struct DriverCommand {
    /// The program and its arguments, split as a shell would.
    pub argv: Vec<String>,
    /// Variables added to the inherited environment.
    pub env: Vec<(String, String)>,
    /// How it is run.
    pub mode: Mode,
    /// How long one call may take.
    pub timeout: Duration,
}

/// The driver could not be started at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the driver `{program}`")]
pub struct StartError {
    /// The program.
    pub program: String,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// How a call went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer within the deadline; the process was killed.
    Timeout(Duration),
    /// The process ended before answering.
    Exited(String),
    /// The process ended having printed nothing.
    Nothing,
    /// It printed something that is not an answer.
    Garbage(AnswerError),
    /// It answered the call more than once.
    TwoAnswers,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Timeout(d) => write!(
                f,
                "the driver hung: no answer within {} s (--case-timeout); it was killed",
                d.as_secs_f64()
            ),
            Failure::Exited(how) => write!(f, "the driver {how} before answering"),
            Failure::Nothing => write!(f, "the driver printed nothing"),
            Failure::Garbage(e) => write!(f, "the driver {e}"),
            Failure::TwoAnswers => write!(f, "the driver answered twice"),
        }
    }
}

/// A failed call with the tail of the driver's standard error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// What went wrong.
    pub failure: Failure,
    /// The last lines the driver wrote to standard error.
    pub stderr: String,
}

/// What one call gave.
#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    /// The answer, or how the driver failed.
    pub answer: Result<Answer, Failed>,
    /// Earlier calls (IDs) the driver answered again while this one was asked.
    pub again: Vec<String>,
}

/// In words: `exited with status 3`, `was killed by signal 11 (it crashed)`.
pub fn describe_exit(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                6 => " (SIGABRT: it aborted)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV: it crashed)",
                15 => " (SIGTERM)",
                _ => "",
            };
            return format!("was killed by signal {sig}{name}");
        }
    }
    match status.code() {
        Some(0) => "exited with status 0".to_string(),
        Some(code) => format!("exited with status {code}"),
        None => "ended".to_string(),
    }
}

/// Kills a driver and every process in its group.
async fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = child.id() {
        // The group is the driver's own (`process_group(0)`); `kill` reaches all of it
        // without unsafe code.
        let _ = tokio::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await;
    }
    let _ = child.kill().await;
}

/// The last lines of a stream, bounded.
#[derive(Debug, Default)]
struct Tail {
    lines: VecDeque<String>,
    total: u64,
}

const TAIL_LINES: usize = 20;
const TAIL_LINE_BYTES: usize = 500;

impl Tail {
    fn push(&mut self, line: &str) {
        let mut end = line.len().min(TAIL_LINE_BYTES);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        self.lines.push_back(line[..end].to_string());
        self.total += 1;
        if self.lines.len() > TAIL_LINES {
            self.lines.pop_front();
        }
    }

    /// The lines written since line number `since` (all kept ones if that is long ago).
    fn since(&self, since: u64) -> String {
        let new = (self.total - since.min(self.total)) as usize;
        let skip = self.lines.len().saturating_sub(new);
        let lines: Vec<&str> = self.lines.iter().skip(skip).map(String::as_str).collect();
        lines.join("\n")
    }
}

/// The longest line read from a driver; a longer one is garbage (and is not kept in memory).
const MAX_LINE: usize = 16 * 1024 * 1024;

/// A line read with a bound on its length.
#[derive(Debug, PartialEq, Eq)]
enum Read {
    /// A line, without its newline (invalid UTF-8 replaced).
    Line(String),
    /// A line longer than the bound: its start, the rest skipped.
    TooLong(String),
    /// The end of the stream.
    End,
}

/// Reads one line of at most `max` bytes; the rest of a longer line is read and dropped.
async fn read_line<R: AsyncBufRead + Unpin>(r: &mut R, max: usize) -> std::io::Result<Read> {
    use tokio::io::AsyncBufReadExt;
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(if line.is_empty() && !too_long {
                Read::End
            } else {
                finish(line, too_long)
            });
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i, true),
            None => (buf.len(), false),
        };
        let room = max.saturating_sub(line.len());
        line.extend_from_slice(&buf[..take.min(room)]);
        too_long |= take > room;
        r.consume(if done { take + 1 } else { take });
        if done {
            return Ok(finish(line, too_long));
        }
    }
}

fn finish(mut line: Vec<u8>, too_long: bool) -> Read {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let text = String::from_utf8_lossy(&line).into_owned();
    if too_long {
        Read::TooLong(text.chars().take(200).collect())
    } else {
        Read::Line(text)
    }
}

fn spawn_tail(reader: impl tokio::io::AsyncRead + Unpin + Send + 'static, tail: Arc<Mutex<Tail>>) {
    tokio::spawn(async move {
        let mut reader = BufReader::new(reader);
        loop {
            let line = match read_line(&mut reader, TAIL_LINE_BYTES).await {
                Ok(Read::Line(l)) | Ok(Read::TooLong(l)) => l,
                Ok(Read::End) | Err(_) => break,
            };
            if let Ok(mut t) = tail.lock() {
                t.push(&line);
            }
        }
    });
}

struct Stream {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    stderr: Arc<Mutex<Tail>>,
}

/// A driver process (or, in oneshot mode, the recipe for one per call).
pub struct Driver {
    cmd: DriverCommand,
    stream: Option<Stream>,
    /// What the driver declared on its first line, if it did.
    pub declared: Option<DeclarationBody>,
    answered: Vec<String>,
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("argv", &self.cmd.argv)
            .field("running", &self.stream.is_some())
            .finish()
    }
}

impl Driver {
    /// A driver that has not started yet.
    pub fn new(cmd: DriverCommand) -> Driver {
        Driver {
            cmd,
            stream: None,
            declared: None,
            answered: Vec::new(),
        }
    }

    fn command(&self, extra_env: &[(String, String)]) -> Result<Command, StartError> {
        let (program, args) = self.cmd.argv.split_first().ok_or_else(|| StartError {
            program: String::new(),
            source: std::io::Error::other("the driver command is empty"),
        })?;
        let mut c = Command::new(program);
        c.args(args)
            .envs(self.cmd.env.iter().cloned())
            .envs(extra_env.iter().cloned())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        // Its own process group, so that a driver killed for hanging takes the processes
        // it started (an SDK behind a shell script or npm) with it.
        #[cfg(unix)]
        c.process_group(0);
        Ok(c)
    }

    fn spawn(&self, extra_env: &[(String, String)]) -> Result<Child, StartError> {
        let mut c = self.command(extra_env)?;
        c.spawn().map_err(|source| StartError {
            program: self.cmd.argv[0].clone(),
            source,
        })
    }

    /// The child's standard input, output and error.
    fn pipes(
        &self,
        child: &mut Child,
    ) -> Result<(ChildStdin, ChildStdout, tokio::process::ChildStderr), StartError> {
        match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => Ok((i, o, e)),
            _ => Err(StartError {
                program: self.cmd.argv[0].clone(),
                source: std::io::Error::other("the driver's pipes could not be opened"),
            }),
        }
    }

    /// Starts the driver (stream mode) or checks that it can be started (oneshot), so that
    /// a driver that cannot run at all is a setup error before any case.
    pub async fn start(&mut self) -> Result<(), StartError> {
        match self.cmd.mode {
            Mode::Stream => self.ensure_stream().map(|_| ()),
            Mode::Oneshot => {
                // Started: that is all this proves. Stop it before it reads anything.
                let mut child = self.spawn(&[])?;
                kill(&mut child).await;
                Ok(())
            }
        }
    }

    fn ensure_stream(&mut self) -> Result<&mut Stream, StartError> {
        if self.stream.is_none() {
            let mut child = self.spawn(&[])?;
            let (stdin, stdout, stderr) = self.pipes(&mut child)?;
            let tail = Arc::new(Mutex::new(Tail::default()));
            spawn_tail(stderr, tail.clone());
            self.stream = Some(Stream {
                child,
                stdin,
                stdout: BufReader::new(stdout),
                stderr: tail,
            });
        }
        match self.stream.as_mut() {
            Some(s) => Ok(s),
            None => unreachable!("the stream was just set"),
        }
    }

    /// Makes one call.
    pub async fn call(
        &mut self,
        msg: &CaseMessage,
        env: &[(String, String)],
    ) -> Result<CallResult, StartError> {
        let result = match self.cmd.mode {
            Mode::Stream => self.call_stream(msg).await?,
            Mode::Oneshot => self.call_oneshot(msg, env).await?,
        };
        if result.answer.is_ok() {
            self.answered.push(msg.id.clone());
            if self.answered.len() > 64 {
                self.answered.remove(0);
            }
        }
        Ok(result)
    }

    async fn call_stream(&mut self, msg: &CaseMessage) -> Result<CallResult, StartError> {
        let timeout = self.cmd.timeout;
        let answered = self.answered.clone();
        let stream = self.ensure_stream()?;
        let since = stream.stderr.lock().map_or(0, |t| t.total);
        let mut line = serde_json::to_string(msg).unwrap_or_default();
        line.push('\n');
        let mut again = Vec::new();
        let mut declared = None;
        let deadline = tokio::time::Instant::now() + timeout;
        let written = stream.stdin.write_all(line.as_bytes()).await.is_ok()
            && stream.stdin.flush().await.is_ok();
        let outcome: Result<Answer, Failure> = if !written {
            Err(Failure::Exited(String::new()))
        } else {
            loop {
                let next = read_line(&mut stream.stdout, MAX_LINE);
                match tokio::time::timeout_at(deadline, next).await {
                    Err(_) => break Err(Failure::Timeout(timeout)),
                    Ok(Err(_)) | Ok(Ok(Read::End)) => break Err(Failure::Exited(String::new())),
                    Ok(Ok(Read::TooLong(start))) => {
                        break Err(Failure::Garbage(AnswerError::NotJson(
                            format!("a line longer than {MAX_LINE} bytes"),
                            start,
                        )));
                    }
                    Ok(Ok(Read::Line(text))) => {
                        if text.trim().is_empty() {
                            continue;
                        }
                        match parse_line(&text, &msg.id) {
                            Ok(Line::Answer(a)) => break Ok(a),
                            Ok(Line::Declaration(d)) => declared = Some(d),
                            Err(AnswerError::WrongId { got, .. }) if answered.contains(&got) => {
                                again.push(got);
                            }
                            Err(e) => break Err(Failure::Garbage(e)),
                        }
                    }
                }
            }
        };
        if declared.is_some() {
            self.declared = declared;
        }
        match outcome {
            Ok(a) => Ok(CallResult {
                answer: Ok(a),
                again,
            }),
            Err(failure) => {
                // The process is gone, stuck or out of step: start a fresh one next time.
                let Some(mut s) = self.stream.take() else {
                    unreachable!("the stream was running");
                };
                drop(s.stdin);
                let failure = match failure {
                    Failure::Exited(_) => {
                        let status =
                            tokio::time::timeout(Duration::from_secs(5), s.child.wait()).await;
                        match status {
                            Ok(Ok(st)) => Failure::Exited(describe_exit(st)),
                            _ => {
                                kill(&mut s.child).await;
                                Failure::Exited("closed its output".into())
                            }
                        }
                    }
                    other => {
                        kill(&mut s.child).await;
                        other
                    }
                };
                // Let the stderr reader catch up with what the process wrote last.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let stderr = s
                    .stderr
                    .lock()
                    .map_or_else(|_| String::new(), |t| t.since(since));
                Ok(CallResult {
                    answer: Err(Failed { failure, stderr }),
                    again,
                })
            }
        }
    }

    async fn call_oneshot(
        &mut self,
        msg: &CaseMessage,
        env: &[(String, String)],
    ) -> Result<CallResult, StartError> {
        let mut child = self.spawn(env)?;
        let (mut stdin, mut stdout, stderr) = self.pipes(&mut child)?;
        let tail = Arc::new(Mutex::new(Tail::default()));
        spawn_tail(stderr, tail.clone());
        let body = serde_json::to_vec(msg).unwrap_or_default();
        let timeout = self.cmd.timeout;
        let run = async {
            // A driver that exits without reading is not an error of the write.
            let _ = stdin.write_all(&body).await;
            drop(stdin);
            let mut out = Vec::new();
            let mut limited = (&mut stdout).take(16 * 1024 * 1024);
            let _ = limited.read_to_end(&mut out).await;
            let status = child.wait().await;
            (out, status)
        };
        let answer = match tokio::time::timeout(timeout, run).await {
            Err(_) => {
                kill(&mut child).await;
                Err(Failure::Timeout(timeout))
            }
            Ok((out, status)) => {
                let text = String::from_utf8_lossy(&out);
                let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                match lines.first() {
                    None => match status {
                        Ok(st) if st.success() => Err(Failure::Nothing),
                        Ok(st) => Err(Failure::Exited(describe_exit(st))),
                        Err(_) => Err(Failure::Nothing),
                    },
                    Some(first) => match parse_line(first, &msg.id) {
                        Ok(Line::Answer(a)) => {
                            let more = lines[1..]
                                .iter()
                                .any(|l| matches!(parse_line(l, &msg.id), Ok(Line::Answer(_))));
                            if more {
                                Err(Failure::TwoAnswers)
                            } else {
                                Ok(a)
                            }
                        }
                        Ok(Line::Declaration(_)) => {
                            Err(Failure::Garbage(AnswerError::NotAnAnswer(
                                "a declaration, which only stream drivers print".into(),
                                first.to_string(),
                            )))
                        }
                        Err(e) => Err(Failure::Garbage(e)),
                    },
                }
            }
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        let stderr = tail.lock().map_or_else(|_| String::new(), |t| t.since(0));
        Ok(CallResult {
            answer: answer.map_err(|failure| Failed { failure, stderr }),
            again: Vec::new(),
        })
    }

    /// Ends a stream driver: closes its input and collects answers it printed after the
    /// last call (IDs answered twice).
    pub async fn finish(&mut self) -> Vec<String> {
        let Some(mut s) = self.stream.take() else {
            return Vec::new();
        };
        drop(s.stdin);
        let mut again = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while let Ok(Ok(Read::Line(line))) =
            tokio::time::timeout_at(deadline, read_line(&mut s.stdout, MAX_LINE)).await
        {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                && let Some(id) = v.get("id").and_then(|i| i.as_str())
                && self.answered.iter().any(|a| a == id)
            {
                again.push(id.to_string());
            }
        }
        if tokio::time::timeout_at(deadline, s.child.wait())
            .await
            .is_err()
        {
            kill(&mut s.child).await;
        }
        again
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_are_read_with_a_bound() {
        let mut input: &[u8] = b"short\r\nxxxxxxxxxxxx\nlast";
        assert_eq!(
            read_line(&mut input, 8).await.unwrap(),
            Read::Line("short".into())
        );
        assert_eq!(
            read_line(&mut input, 8).await.unwrap(),
            Read::TooLong("xxxxxxxx".into())
        );
        assert_eq!(
            read_line(&mut input, 8).await.unwrap(),
            Read::Line("last".into())
        );
        assert_eq!(read_line(&mut input, 8).await.unwrap(), Read::End);
    }

    #[test]
    fn the_tail_keeps_the_last_lines_since_a_mark() {
        let mut t = Tail::default();
        for i in 0..30 {
            t.push(&format!("line {i}"));
        }
        assert_eq!(t.since(28), "line 28\nline 29");
        assert!(t.since(0).starts_with("line 10\n"));
        t.push(&"é".repeat(400));
        assert!(t.lines.back().unwrap().len() <= TAIL_LINE_BYTES);
    }
}
