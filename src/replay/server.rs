//! The hyper accept loop: read the request (bounded), ask the core under the lock, answer
//! after the lock is released (delays and resets happen outside it).

use std::borrow::Cow;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::core::{Env, respond};
use super::state::State;
use super::tls::Tls;
use crate::contract::Provider;
use crate::protocol::{
    Format, HttpRequest, HttpResponse, ProviderError, encode_error, guess_provider,
};

/// The largest request body accepted (Tencent's TC3 limit).
pub const MAX_BODY: usize = 10 * 1024 * 1024;
/// How long a client may take by default to send a request's head, counted from the
/// connection's start or from its last answer (`Config::header_timeout_ms`, which also
/// bounds a TLS handshake).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A panic while holding the lock would be a bug; keep serving with the state as it is.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn to_hyper(r: HttpResponse) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(r.body)));
    *response.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // A header that is not valid HTTP is left out, never the answer with it.
    for (k, v) in r.headers {
        // A constant value is referred to and an owned one taken over: neither is copied.
        let value = match v {
            Cow::Borrowed(v) => Bytes::from_static(v.as_bytes()),
            Cow::Owned(v) => Bytes::from(v),
        };
        match (
            header_name(&k),
            hyper::header::HeaderValue::from_maybe_shared(value),
        ) {
            (Ok(name), Ok(value)) => {
                response.headers_mut().append(name, value);
            }
            _ => tracing::warn!(header = %k, "left out a header that is not valid HTTP"),
        }
    }
    response
}

/// A response header's name: the ones every answer carries are known in advance, others
/// are parsed (and checked).
fn header_name(name: &str) -> Result<hyper::header::HeaderName, hyper::header::InvalidHeaderName> {
    use hyper::header::HeaderName;
    const ALIBABA_REQUEST_ID: HeaderName = HeaderName::from_static("x-acs-request-id");
    match name {
        "content-type" => Ok(hyper::header::CONTENT_TYPE),
        "x-acs-request-id" => Ok(ALIBABA_REQUEST_ID),
        _ => HeaderName::from_bytes(name.as_bytes()),
    }
}

/// Whether a peer is this machine, in any of its forms (`127.0.0.1`, `::1`, and IPv4
/// loopback mapped into IPv6, `::ffff:127.0.0.1`).
pub(crate) fn is_loopback(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
        std::net::IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or(v6.is_loopback(), |v4| v4.is_loopback()),
    }
}

/// When a connection's next request head is due: within the header timeout of the
/// connection's start or of its last answer (its last bytes written), and never while a
/// request is being served.
/// It costs a clock read a request, taken when the answer's bytes go out; the timer that
/// enforces it is armed once per connection and moved only when it fires early (at most
/// once per timeout), where a timer per request would be registered and cancelled every time.
#[derive(Debug)]
pub(crate) struct HeadClock {
    timeout: Duration,
    /// Nanoseconds after [`epoch`]; [`SERVING`] while a request is being served, [`ANSWERING`]
    /// once its answer is ready and before its bytes go out.
    due: std::sync::atomic::AtomicU64,
}

/// [`HeadClock::due`]'s value while a request is being served: no head is due.
const SERVING: u64 = 0;
/// [`HeadClock::due`]'s value between an answer and its first bytes written: the deadline
/// is read from the clock when they go out, or when a read has to wait first.
const ANSWERING: u64 = 1;

/// The origin of [`HeadClock`]'s times.
fn epoch() -> tokio::time::Instant {
    static EPOCH: std::sync::OnceLock<tokio::time::Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(tokio::time::Instant::now)
}

impl HeadClock {
    fn new(timeout: Duration) -> HeadClock {
        let clock = HeadClock {
            timeout,
            due: std::sync::atomic::AtomicU64::new(0),
        };
        clock.answered();
        clock
    }

    fn serving(&self) {
        self.due
            .store(SERVING, std::sync::atomic::Ordering::Relaxed);
    }

    /// The request's answer is ready: the next head is due within the timeout of its bytes
    /// going out (the clock is read then, not now: one read a request, not two).
    fn answering(&self) {
        self.due
            .store(ANSWERING, std::sync::atomic::Ordering::Relaxed);
    }

    /// The next head is due within the timeout from now; when that is.
    fn answered(&self) -> tokio::time::Instant {
        let due = epoch().elapsed() + self.timeout;
        // Above both sentinels (a deadline within 2 ns of the epoch is one anyway).
        let nanos = u64::try_from(due.as_nanos())
            .unwrap_or(u64::MAX)
            .max(ANSWERING + 1);
        self.due.store(nanos, std::sync::atomic::Ordering::Relaxed);
        epoch() + Duration::from_nanos(nanos)
    }

    /// An answer's bytes went out: the next head is due within the timeout of the last of
    /// them (an answer to a slow reader may take longer than the timeout to write).
    fn wrote(&self, written: &std::task::Poll<std::io::Result<usize>>) {
        if matches!(written, std::task::Poll::Ready(Ok(n)) if *n > 0)
            && self.due.load(std::sync::atomic::Ordering::Relaxed) != SERVING
        {
            self.answered();
        }
    }

    /// When the next head is due, if one is. Asked before an answer's first bytes went out
    /// (a read that waits while the answer does), the deadline starts now.
    fn due(&self) -> Option<tokio::time::Instant> {
        match self.due.load(std::sync::atomic::Ordering::Relaxed) {
            SERVING => None,
            ANSWERING => Some(self.answered()),
            nanos => Some(epoch() + Duration::from_nanos(nanos)),
        }
    }
}

/// A connection whose reads end in an error once a request head is overdue (hyper then
/// closes it).
struct Timed<T> {
    io: TokioIo<T>,
    head: Arc<HeadClock>,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl<T> Timed<T> {
    /// `io`, ready for its first request now (after the TLS handshake, for https).
    fn new(io: T, head: Arc<HeadClock>) -> Timed<T> {
        let first = head.answered();
        Timed {
            io: TokioIo::new(io),
            head,
            timer: Box::pin(tokio::time::sleep_until(first)),
        }
    }
}

impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> hyper::rt::Read for Timed<T> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::task::Poll;
        let this = &mut *self;
        if let Poll::Ready(read) = std::pin::Pin::new(&mut this.io).poll_read(cx, buf) {
            return Poll::Ready(read);
        }
        // Waiting: for a head (the timer decides), or for a body (its own timer does).
        let Some(due) = this.head.due() else {
            return Poll::Pending;
        };
        while this.timer.as_mut().poll(cx).is_ready() {
            if tokio::time::Instant::now() >= due {
                return Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no request head within the header timeout",
                )));
            }
            // Fired for an earlier head: wait for this one.
            this.timer.as_mut().reset(due);
        }
        Poll::Pending
    }
}

impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> hyper::rt::Write for Timed<T> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let written = std::pin::Pin::new(&mut self.io).poll_write(cx, buf);
        self.head.wrote(&written);
        written
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        hyper::rt::Write::is_write_vectored(&self.io)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let written = std::pin::Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.head.wrote(&written);
        written
    }
}

/// The waker a connection's hyper future is polled with: the task's own, with one exception.
/// Taking a request's body from hyper's body channel wakes the connection (hyper 1.12 wakes
/// the channel's sender, whose waker is the connection task's, even once the sender is gone),
/// which costs every request with a body a second poll with nothing to do. While a body is
/// taken, a wake on the taking thread is held instead ([`hold_wakes`]); the body reader then
/// drops it when the whole body is in (the connection has nothing left to send through the
/// channel) and passes it on otherwise. Wakes from other threads, or outside that moment, go
/// to the task at once.
struct ConnWaker {
    /// The task's waker, from the first poll: a spawned future stays in its task, so this
    /// is read without a lock at every poll and wake.
    first: std::sync::OnceLock<std::task::Waker>,
    /// Set once a poll came with a waker that does not wake the first one's task (the
    /// future moved, as it may on another executor): from then on `moved` holds the waker.
    has_moved: std::sync::atomic::AtomicBool,
    moved: Mutex<Option<std::task::Waker>>,
}

impl ConnWaker {
    /// Where wakes go from now on: `waker`'s task (before the inner future is polled, so
    /// that whatever it waits for next wakes that task).
    fn poll_with(&self, waker: &std::task::Waker) {
        use std::sync::atomic::Ordering;
        match self.first.get() {
            None => {
                let _ = self.first.set(waker.clone());
            }
            Some(first) if !self.has_moved.load(Ordering::Acquire) && first.will_wake(waker) => {}
            Some(_) => {
                let mut moved = self.moved.lock().unwrap_or_else(PoisonError::into_inner);
                if !moved.as_ref().is_some_and(|m| m.will_wake(waker)) {
                    *moved = Some(waker.clone());
                }
                self.has_moved.store(true, Ordering::Release);
            }
        }
    }

    /// Wakes the task.
    fn forward(&self) {
        if self.has_moved.load(std::sync::atomic::Ordering::Acquire) {
            if let Some(w) = &*self.moved.lock().unwrap_or_else(PoisonError::into_inner) {
                w.wake_by_ref();
            }
        } else if let Some(w) = self.first.get() {
            w.wake_by_ref();
        }
    }
}

thread_local! {
    /// While a body is taken on this thread: whether a wake came meanwhile.
    static HOLDING: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

impl std::task::Wake for ConnWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let held = HOLDING.with(|h| h.get().map(|_| h.set(Some(true))).is_some());
        if !held {
            self.forward();
        }
    }
}

/// Runs `f` (a poll of a body channel), holding the wakes it makes on this thread; returns
/// what it gave and whether it woke.
fn hold_wakes<T>(f: impl FnOnce() -> T) -> (T, bool) {
    let outer = HOLDING.with(|h| h.replace(Some(false)));
    let out = f();
    let woke = HOLDING.with(|h| h.replace(outer)) == Some(true);
    (out, woke)
}

/// The open connections of a server, and whether they are to close: every connection reads
/// the flag at each poll (one load; a watch channel's receiver takes a lock a poll), and
/// closing wakes them all so that each reads it.
struct Closing {
    /// Set once: each connection finishes the request it is on and closes.
    now: std::sync::atomic::AtomicBool,
    /// The connections' wakers (dead ones are swept as the list grows).
    open: Mutex<Vec<std::sync::Weak<ConnWaker>>>,
    /// Connections not yet ended.
    count: std::sync::atomic::AtomicUsize,
    /// Told when the count falls to zero.
    none_open: tokio::sync::Notify,
}

impl Closing {
    fn new() -> Arc<Closing> {
        Arc::new(Closing {
            now: std::sync::atomic::AtomicBool::new(false),
            open: Mutex::new(Vec::new()),
            count: std::sync::atomic::AtomicUsize::new(0),
            none_open: tokio::sync::Notify::new(),
        })
    }

    fn add(&self, waker: &Arc<ConnWaker>) {
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() == open.capacity() {
            open.retain(|w| w.strong_count() > 0);
        }
        open.push(Arc::downgrade(waker));
    }

    fn ended(&self) {
        if self.count.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            self.none_open.notify_waiters();
        }
    }

    /// Tells every connection to close, and waits until none is open.
    async fn close_all(&self) {
        use std::sync::atomic::{Ordering, fence};
        let none_open = self.none_open.notified();
        self.now.store(true, Ordering::SeqCst);
        // Pairs with the fence of a connection's first poll (see [`WithConnWaker`]).
        fence(Ordering::SeqCst);
        let open: Vec<_> = self
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter_map(std::sync::Weak::upgrade)
            .collect();
        for waker in open {
            waker.forward();
        }
        if self.count.load(Ordering::SeqCst) > 0 {
            none_open.await;
        }
    }
}

/// A connection that can be told to finish the request it is on and close.
trait Close: std::future::Future {
    fn close(self: std::pin::Pin<&mut Self>);
}

impl<I, S, B> Close for http1::Connection<I, S>
where
    S: hyper::service::HttpService<Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
    B: hyper::body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn close(self: std::pin::Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

/// A connection's future, polled with a [`ConnWaker`] that forwards to its task, and told to
/// close (its request finished first) when its server closes (see [`Closing`]).
struct WithConnWaker<F> {
    inner: std::pin::Pin<Box<F>>,
    shared: Arc<ConnWaker>,
    waker: std::task::Waker,
    closing: Arc<Closing>,
    /// Whether it was polled yet, and told to close yet.
    polled: bool,
    told: bool,
}

impl<F: Close> WithConnWaker<F> {
    fn new(inner: F, closing: &Arc<Closing>) -> WithConnWaker<F> {
        let shared = Arc::new(ConnWaker {
            first: std::sync::OnceLock::new(),
            has_moved: std::sync::atomic::AtomicBool::new(false),
            moved: Mutex::new(None),
        });
        closing.add(&shared);
        WithConnWaker {
            inner: Box::pin(inner),
            waker: std::task::Waker::from(shared.clone()),
            shared,
            closing: closing.clone(),
            polled: false,
            told: false,
        }
    }
}

impl<F> Drop for WithConnWaker<F> {
    fn drop(&mut self) {
        self.closing.ended();
    }
}

impl<F: Close> std::future::Future for WithConnWaker<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        use std::sync::atomic::{Ordering, fence};
        let this = &mut *self;
        this.shared.poll_with(cx.waker());
        if !this.polled {
            // The task's waker is now where closing finds it; this fence and closing's make
            // sure that a close between the two is seen here or wakes the task.
            this.polled = true;
            fence(Ordering::SeqCst);
        }
        if !this.told && this.closing.now.load(Ordering::Relaxed) {
            this.told = true;
            this.inner.as_mut().close();
        }
        this.inner
            .as_mut()
            .poll(&mut std::task::Context::from_waker(&this.waker))
    }
}

/// Why a request body was not read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyError {
    /// Larger than [`MAX_BODY`].
    TooLarge,
    /// Not all there within the body timeout.
    Timeout,
    /// The bodies in flight would exceed their budget.
    Busy,
    /// The connection failed.
    Broken,
}

/// Bounds on request bodies: the time a whole body may take, and the bytes all bodies being
/// received may hold together.
#[derive(Debug)]
pub(crate) struct BodyLimits {
    timeout: Duration,
    budget: usize,
    in_flight: std::sync::atomic::AtomicUsize,
}

/// Bytes of the budget a body holds, given back when it is dropped.
struct Held<'a>(&'a BodyLimits, usize);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0
            .in_flight
            .fetch_sub(self.1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Reads a body into `out`, within [`MAX_BODY`], the body timeout and the budget.
///
/// The timer is armed only for a body that has to be waited for. hyper hands a body over
/// through a channel, and one that came in the head's read is in it at the first poll
/// (hyper moves it there before it first polls the service). A body that is not (a client
/// waiting for `100 Continue`, whose body hyper asks for only once the first poll wants it,
/// or a body still on its way) gets a second poll at once, and the clock starts if it is
/// still missing then or at any later poll, a few microseconds after the head was read. Most
/// requests register no timer at all: registering and cancelling one costs about as much as
/// reading the body.
async fn read_body(
    mut body: Incoming,
    out: &mut Vec<u8>,
    limits: &BodyLimits,
) -> Result<(), BodyError> {
    use hyper::body::Body;
    use std::sync::atomic::Ordering;
    if body.is_end_stream() {
        return Ok(());
    }
    // Room for a typical body at once; a declared length is only a claim, so no more.
    let declared = body.size_hint().exact().unwrap_or(0);
    out.reserve(
        usize::try_from(declared)
            .unwrap_or(usize::MAX)
            .min(64 * 1024),
    );
    let mut timer: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
    let mut polled = false;
    let mut held = Held(limits, 0);
    loop {
        let next = std::future::poll_fn(|cx| {
            use std::task::Poll;
            let first = !std::mem::replace(&mut polled, true);
            let (frame, woke) = hold_wakes(|| std::pin::Pin::new(&mut body).poll_frame(cx));
            // The wake of taking the body's last bytes is the only one dropped (see
            // [`ConnWaker`]); any other goes on.
            let whole =
                matches!(&frame, Poll::Ready(Some(Ok(f))) if f.is_data()) && body.is_end_stream();
            if woke && !whole {
                cx.waker().wake_by_ref();
            }
            if let Poll::Ready(frame) = frame {
                return Poll::Ready(Ok(frame));
            }
            if first {
                // Nothing yet: this poll may only have asked for the body. The wake makes
                // sure of a second poll, which arms the timer if the body has still not come.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let timer = timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(limits.timeout)));
            match timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(BodyError::Timeout)),
                Poll::Pending => Poll::Pending,
            }
        });
        let frame = match next.await? {
            None => return Ok(()),
            Some(Err(_)) => return Err(BodyError::Broken),
            Some(Ok(frame)) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if out.len() + data.len() > MAX_BODY {
            return Err(BodyError::TooLarge);
        }
        let before = limits.in_flight.fetch_add(data.len(), Ordering::Relaxed);
        held.1 += data.len();
        if before + data.len() > limits.budget {
            return Err(BodyError::Busy);
        }
        out.extend_from_slice(&data);
        // A body of a declared length ends with its last byte: asking the channel for the
        // end as well would take its lock twice more, for every request with a body.
        if body.is_end_stream() {
            return Ok(());
        }
    }
}

/// What a server does with a request whose body arrived whole.
pub(crate) trait Service: Send + Sync + 'static {
    /// The answer, or `None` to close the connection without one.
    fn answer(
        &self,
        req: &HttpRequest,
        peer: SocketAddr,
    ) -> impl std::future::Future<Output = Option<HttpResponse>> + Send;
    /// A fresh RequestId for the answers the server itself gives (a body refused).
    fn request_id(&self, provider: Provider) -> String;
    /// The bounds on reading requests.
    fn limits(&self) -> Limits;
}

/// The bounds on reading requests: the time a head may take, the time a whole body may
/// take, and the bytes all bodies being received may hold together.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) header_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) body_budget: usize,
}

impl From<&super::Config> for Limits {
    fn from(c: &super::Config) -> Limits {
        Limits {
            header_timeout: Duration::from_millis(c.header_timeout_ms),
            body_timeout: Duration::from_millis(c.body_timeout_ms),
            body_budget: c.body_budget,
        }
    }
}

/// A fresh RequestId in the provider's form.
pub(crate) fn request_id_from(rng: &mut super::rng::Rng, provider: Provider) -> String {
    super::generate::request_id(provider, rng)
}

/// The replay server: the core decides, under the lock.
pub(crate) struct Replaying(pub(crate) Arc<Mutex<State>>);

impl Service for Replaying {
    async fn answer(&self, http: &HttpRequest, peer: SocketAddr) -> Option<HttpResponse> {
        let env = Env {
            now_ms: now_ms(),
            peer_loopback: is_loopback(peer.ip()),
        };
        let decision = respond(&mut lock(&self.0), http, &env);
        tracing::debug!(method = %http.method, path = %http.path(), status = decision.response.status, "answered");
        if decision.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
        }
        (!decision.reset).then_some(decision.response)
    }

    fn request_id(&self, provider: Provider) -> String {
        super::generate::request_id(provider, &mut lock(&self.0).rng)
    }

    fn limits(&self) -> Limits {
        Limits::from(&lock(&self.0).config)
    }
}

/// What the requests of one connection share: the server's service and bounds, the peer,
/// the head clock, and the text buffers of the connection's last request, kept for the
/// next one.
struct Connection<S> {
    service: Arc<S>,
    peer: SocketAddr,
    limits: Arc<BodyLimits>,
    head: Arc<HeadClock>,
    spare: Mutex<HttpRequest>,
}

/// The most bytes of buffers a connection keeps between two requests: a typical request's
/// head and body fit (about 1 KB), a large one's buffers are freed once it is answered.
const SPARE_BYTES: usize = 4 * 1024;

impl<S> Connection<S> {
    /// The buffers of this connection's last request, to fill with the next one (a
    /// connection carries one request at a time). Empty ones at the first request, and after
    /// a request whose buffers were not kept (too large, or dropped midway).
    fn take_spare(&self) -> HttpRequest {
        std::mem::take(&mut *self.spare.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Keeps `http`'s buffers for the next request, unless they hold more than
    /// [`SPARE_BYTES`].
    fn keep_spare(&self, http: HttpRequest) {
        let pair = std::mem::size_of::<(String, String)>();
        let held = http.method.capacity()
            + http.target.capacity()
            + http.body.capacity()
            + http.headers.capacity() * pair
            + http
                .headers
                .iter()
                .map(|(k, v)| k.capacity() + v.capacity())
                .sum::<usize>();
        if held <= SPARE_BYTES {
            *self.spare.lock().unwrap_or_else(PoisonError::into_inner) = http;
        }
    }
}

/// Writes the method, target and headers of `parts` into `http`, over the text it already
/// holds (no allocation where its buffers are large enough), and empties its body.
fn fill(http: &mut HttpRequest, parts: &hyper::http::request::Parts) {
    http.method.clear();
    http.method.push_str(parts.method.as_str());
    http.target.clear();
    http.target
        .push_str(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
    // Each value as text, bytes that are not UTF-8 replaced: what `HeaderValue::to_str` gives
    // wherever it succeeds. The values are checked together, in one call: joined by line
    // feeds (ASCII, which no character spans), they are UTF-8 exactly when each of them is,
    // and the standard library's check reads ASCII a word at a time but costs a set-up per
    // text. The body, empty until it is read, holds the joined values meanwhile.
    let joined = &mut http.body;
    joined.clear();
    for value in parts.headers.values() {
        joined.extend_from_slice(value.as_bytes());
        joined.push(b'\n');
    }
    let all = std::str::from_utf8(joined).ok();
    let mut at = 0;
    let mut n = 0;
    for (name, value) in &parts.headers {
        let bytes = value.as_bytes();
        let value = match all.and_then(|all| all.get(at..at + bytes.len())) {
            Some(text) => std::borrow::Cow::Borrowed(text),
            None => String::from_utf8_lossy(bytes),
        };
        at += bytes.len() + 1;
        match http.headers.get_mut(n) {
            Some((k, v)) => {
                k.clear();
                k.push_str(name.as_str());
                v.clear();
                v.push_str(&value);
            }
            None => http
                .headers
                .push((name.as_str().to_string(), value.into_owned())),
        }
        n += 1;
    }
    http.headers.truncate(n);
    http.body.clear();
}

async fn serve_one<S: Service>(
    req: Request<Incoming>,
    conn: Arc<Connection<S>>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    // The head is in: no head deadline until this request is answered.
    conn.head.serving();
    let (parts, body) = req.into_parts();
    let mut http = conn.take_spare();
    fill(&mut http, &parts);
    drop(parts);
    let answer = answer_one(&mut http, body, &conn).await;
    conn.keep_spare(http);
    // The next head is due within the header timeout of this answer's bytes going out.
    conn.head.answering();
    answer
}

async fn answer_one<S: Service>(
    http: &mut HttpRequest,
    body: Incoming,
    conn: &Connection<S>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let service = &conn.service;
    if let Err(why) = read_body(body, &mut http.body, &conn.limits).await {
        let provider = guess_provider(http);
        let err = match (why, provider) {
            (BodyError::TooLarge, Provider::Tencent) => ProviderError::tencent(
                "RequestSizeLimitExceeded",
                "The request size exceeds the upper limit.",
            ),
            (BodyError::TooLarge, Provider::Alibaba) => {
                ProviderError::alibaba("InvalidParameter", 400, "The request body is too large.")
            }
            (BodyError::Timeout, p) => {
                let mut e = ProviderError::malformed(p, "The request body did not arrive in time.");
                e.code = "RequestTimeout".into();
                e.http_status = 408;
                e
            }
            (BodyError::Busy, p) => {
                let mut e = ProviderError::common(p, "InternalError")
                    .unwrap_or_else(|| ProviderError::malformed(p, "busy"));
                e.code = "ServiceUnavailable".into();
                e.message = "The server holds too many request bodies at once; retry later.".into();
                e.http_status = 503;
                e
            }
            (BodyError::Broken, _) => {
                return Err(std::io::Error::other("request body could not be read"));
            }
        };
        let host = http.header("host").unwrap_or("localhost").to_string();
        let rid = service.request_id(provider);
        let mut response = to_hyper(encode_error(&err, &rid, &host, Format::Json));
        // What is left of the body is not read: the connection cannot carry another request.
        response.headers_mut().insert(
            hyper::header::CONNECTION,
            hyper::header::HeaderValue::from_static("close"),
        );
        return Ok(response);
    }
    match service.answer(http, conn.peer).await {
        Some(response) => Ok(to_hyper(response)),
        None => Err(std::io::Error::other("connection reset by a queued fault")),
    }
}

/// Accepts connections until `shutdown` fires, then lets open ones finish (5 s at most).
pub(crate) async fn run<S: Service>(
    listener: TcpListener,
    service: Arc<S>,
    tls: Option<Tls>,
    mut shutdown: watch::Receiver<()>,
) {
    let closing = Closing::new();
    let all = service.limits();
    let limits = Arc::new(BodyLimits {
        timeout: all.body_timeout,
        budget: all.body_budget,
        in_flight: std::sync::atomic::AtomicUsize::new(0),
    });
    loop {
        tokio::select! {
            biased;
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let head = Arc::new(HeadClock::new(all.header_timeout));
                let conn = Arc::new(Connection {
                    service: service.clone(),
                    peer,
                    limits: limits.clone(),
                    head: head.clone(),
                    spare: Mutex::new(HttpRequest::default()),
                });
                let service = service_fn(move |req| serve_one(req, conn.clone()));
                let mut builder = http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    // The header timeout is [`HeadClock`]'s: hyper's arms a timer per request.
                    .header_read_timeout(None)
                    // Clients may shut their write side while waiting for the answer.
                    .half_close(true);
                let closing = closing.clone();
                match tls.clone() {
                    None => {
                        let conn = WithConnWaker::new(builder.serve_connection(Timed::new(stream, head), service), &closing);
                        tokio::spawn(async move {
                            if let Err(e) = conn.await {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        });
                    }
                    Some(tls) => {
                        tokio::spawn(async move {
                            let stream = match tokio::time::timeout(all.header_timeout, tls.acceptor.accept(stream)).await {
                                Ok(Ok(s)) => s,
                                Ok(Err(e)) => return tracing::debug!(error = %e, "TLS handshake failed"),
                                Err(_) => return tracing::debug!("TLS handshake timed out"),
                            };
                            let conn = WithConnWaker::new(builder.serve_connection(Timed::new(stream, head), service), &closing);
                            if let Err(e) = conn.await {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        });
                    }
                }
            }
        }
    }
    let _: Result<(), Infallible> = tokio::select! {
        _ = closing.close_all() => Ok(()),
        _ = tokio::time::sleep(Duration::from_secs(5)) => Ok(()),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Poll;

    fn parts(method: &str, target: &str, headers: &[(&str, &[u8])]) -> hyper::http::request::Parts {
        let mut b = Request::builder().method(method).uri(target);
        for (name, value) in headers {
            b = b.header(
                *name,
                hyper::header::HeaderValue::from_bytes(value).unwrap(),
            );
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn a_connections_buffers_take_each_request_whole_and_only_small_ones_are_kept() {
        let conn = Connection {
            service: Arc::new(()),
            peer: "127.0.0.1:1".parse().unwrap(),
            limits: Arc::new(BodyLimits {
                timeout: Duration::from_secs(1),
                budget: 1,
                in_flight: std::sync::atomic::AtomicUsize::new(0),
            }),
            head: Arc::new(HeadClock::new(Duration::from_secs(1))),
            spare: Mutex::new(HttpRequest::default()),
        };
        let first = parts(
            "POST",
            "/openapi/ha3/instances?a=1",
            &[
                ("date", b"Thu"),
                ("x-acs-version", b"2021-10-25"),
                ("x-odd", b"caf\xe9"),
            ],
        );
        let mut http = conn.take_spare();
        fill(&mut http, &first);
        http.body.extend_from_slice(b"{}");
        let want = HttpRequest::new("POST", "/openapi/ha3/instances?a=1")
            .with_header("date", "Thu")
            .with_header("x-acs-version", "2021-10-25")
            .with_header("x-odd", "caf\u{fffd}")
            .with_body("{}");
        assert_eq!(http, want);
        conn.keep_spare(http);
        // The next request reuses the buffers: fewer headers, no body, a shorter target.
        let mut http = conn.take_spare();
        assert!(http.headers.capacity() >= 3);
        // Values that are all UTF-8 are read as one text, cut where each ends: characters
        // of more than one byte, and a name sent twice, keep their places.
        let second = parts(
            "GET",
            "/",
            &[
                ("host", b"x"),
                ("x-name", "caf\u{e9} \u{fc}".as_bytes()),
                ("x-twice", b"1"),
                ("x-twice", "\u{e9}2".as_bytes()),
            ],
        );
        fill(&mut http, &second);
        assert_eq!(
            http,
            HttpRequest::new("GET", "/")
                .with_header("host", "x")
                .with_header("x-name", "caf\u{e9} \u{fc}")
                .with_header("x-twice", "1")
                .with_header("x-twice", "\u{e9}2")
        );
        // A large body's buffer is freed, not kept for the next request.
        http.body = vec![0; SPARE_BYTES];
        conn.keep_spare(http);
        assert_eq!(conn.take_spare(), HttpRequest::default());
    }

    #[test]
    fn a_head_is_due_after_each_answer_and_never_while_serving() {
        let clock = HeadClock::new(Duration::from_secs(10));
        let opened = clock.due().expect("due from the start");
        clock.serving();
        assert_eq!(clock.due(), None);
        // Bytes written while serving (a 100 Continue) set no deadline.
        clock.wrote(&Poll::Ready(Ok(25)));
        assert_eq!(clock.due(), None);
        clock.answered();
        let answered = clock.due().expect("due after the answer");
        assert!(answered >= opened);
        std::thread::sleep(Duration::from_millis(5));
        // The answer's last bytes move it; nothing written or a failed write does not.
        for nothing in [
            Poll::Pending,
            Poll::Ready(Ok(0)),
            Poll::Ready(Err(std::io::Error::other("x"))),
        ] {
            clock.wrote(&nothing);
            assert_eq!(clock.due(), Some(answered));
        }
        clock.wrote(&Poll::Ready(Ok(100)));
        assert!(clock.due().expect("still due") >= answered + Duration::from_millis(5));
    }

    /// A task waker that counts its wakes.
    struct Count(std::sync::atomic::AtomicUsize);

    impl std::task::Wake for Count {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// A connection that waits until it is told to close, then ends at its next poll.
    struct Idle(bool);

    impl std::future::Future for Idle {
        type Output = ();
        fn poll(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }
    }

    impl Close for Idle {
        fn close(mut self: std::pin::Pin<&mut Self>) {
            assert!(!self.0, "told to close twice");
            self.0 = true;
        }
    }

    #[test]
    fn closing_wakes_every_open_connection_tells_it_once_and_waits_for_it() {
        let count = Arc::new(Count(std::sync::atomic::AtomicUsize::new(0)));
        let task = std::task::Waker::from(count.clone());
        let mut cx = std::task::Context::from_waker(&task);
        let closing = Closing::new();
        let mut polled = WithConnWaker::new(Idle(false), &closing);
        let mut never_polled = WithConnWaker::new(Idle(false), &closing);
        assert!(std::pin::Pin::new(&mut polled).poll(&mut cx).is_pending());
        assert_eq!(closing.count.load(std::sync::atomic::Ordering::SeqCst), 2);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut close = Box::pin(closing.close_all());
        let noop = std::task::Waker::noop();
        // Both connections are open: closing waits, having woken the one that was polled.
        assert!(
            close
                .as_mut()
                .poll(&mut std::task::Context::from_waker(noop))
                .is_pending()
        );
        assert_eq!(count.0.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Each sees it at its next poll (the first poll for one never polled) and ends.
        assert!(std::pin::Pin::new(&mut polled).poll(&mut cx).is_ready());
        assert!(
            std::pin::Pin::new(&mut never_polled)
                .poll(&mut cx)
                .is_ready()
        );
        drop(polled);
        assert!(
            close
                .as_mut()
                .poll(&mut std::task::Context::from_waker(noop))
                .is_pending()
        );
        drop(never_polled);
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(5), close)
                .await
                .expect("closing ends once no connection is open");
        });
    }

    #[test]
    fn a_connection_waker_holds_only_the_wakes_made_on_its_thread_while_a_body_is_taken() {
        let count = Arc::new(Count(std::sync::atomic::AtomicUsize::new(0)));
        let task = std::task::Waker::from(count.clone());
        let closing = Closing::new();
        let mut conn = WithConnWaker::new(Idle(false), &closing);
        // Polled once: the task's waker is the one wakes go to.
        let mut cx = std::task::Context::from_waker(&task);
        assert!(std::pin::Pin::new(&mut conn).poll(&mut cx).is_pending());
        let wakes = || count.0.load(std::sync::atomic::Ordering::SeqCst);
        conn.waker.wake_by_ref();
        assert_eq!(wakes(), 1);
        // While a body is taken, a wake on this thread is held and reported...
        let ((), woke) = hold_wakes(|| conn.waker.wake_by_ref());
        assert!(woke);
        assert_eq!(wakes(), 1);
        // ... a take that wakes nothing reports nothing ...
        let ((), woke) = hold_wakes(|| ());
        assert!(!woke);
        // ... and a wake from another thread meanwhile goes to the task at once.
        let other = conn.waker.clone();
        let ((), woke) = hold_wakes(|| std::thread::spawn(move || other.wake()).join().unwrap());
        assert!(!woke);
        assert_eq!(wakes(), 2);
        // After the take, wakes go on as before (by value too).
        let by_value = conn.waker.clone();
        by_value.wake();
        assert_eq!(wakes(), 3);
        // Polled from another task, wakes go to that one.
        let count2 = Arc::new(Count(std::sync::atomic::AtomicUsize::new(0)));
        let task2 = std::task::Waker::from(count2.clone());
        let mut cx2 = std::task::Context::from_waker(&task2);
        assert!(std::pin::Pin::new(&mut conn).poll(&mut cx2).is_pending());
        conn.waker.wake_by_ref();
        assert_eq!(
            (wakes(), count2.0.load(std::sync::atomic::Ordering::SeqCst)),
            (3, 1)
        );
    }

    #[test]
    fn an_answer_sets_the_deadline_when_its_bytes_go_out_or_a_read_waits_first() {
        let clock = HeadClock::new(Duration::from_secs(10));
        clock.serving();
        clock.answering();
        std::thread::sleep(Duration::from_millis(5));
        let before = tokio::time::Instant::now();
        clock.wrote(&Poll::Pending);
        clock.wrote(&Poll::Ready(Ok(100)));
        let due = clock.due().expect("due after the answer went out");
        assert!(
            due >= before + Duration::from_secs(10),
            "{due:?} {before:?}"
        );
        // A read that waits before the answer's first bytes: due within the timeout of now,
        // and the same deadline when asked again.
        clock.serving();
        clock.answering();
        std::thread::sleep(Duration::from_millis(5));
        let before = tokio::time::Instant::now();
        let due = clock.due().expect("due while the answer waits to go out");
        assert!(
            due >= before + Duration::from_secs(10),
            "{due:?} {before:?}"
        );
        assert_eq!(clock.due(), Some(due));
    }
}
