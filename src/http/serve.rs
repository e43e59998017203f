//! The listener: connections under a cap, HTTP/1.1 on each (hyper), slow and idle clients
//! closed, shutdown in phases.
//!
//! - **Cap**: at most `max_connections` at once. At the cap, the connection idle the longest
//!   (between requests: none running, no head arriving) is closed to admit the new one, as
//!   proxies do: an idle keep-alive connection is cheap to reopen, and so one address
//!   holding many idle connections cannot lock every other out. When none is idle, the new
//!   connection gets a one-line 503 and is closed at once, while the others go on. Running
//!   out of file descriptors (`EMFILE`) pauses accepting for a moment instead of ending the
//!   loop.
//! - **Header timeout**: a request's head must arrive whole within `header_timeout` of its
//!   first byte (of the connection's start, for the first request); else the connection is
//!   closed. **Idle timeout**: a connection with no request in progress and no bytes either
//!   way for `idle_timeout` is closed. Both are measured on the socket itself (an I/O
//!   wrapper notes each read and write), because hyper's own header timer also ends idle
//!   keep-alive connections, and a proxy in front expects those to live longer than its own
//!   keep-alive (nginx: 60 s), or it races the close.
//! - **Shutdown**: on the signal, `/readyz` turns 503 while everything is still served for
//!   `drain` (so load balancers see it and stop sending); then the listener closes, idle
//!   connections close, in-flight requests finish; whatever is left at `shutdown_timeout`
//!   after the signal is closed.
//!
//! Knows nothing of cards: it serves any axum `Router`.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

use super::{Metrics, Timeout};

/// How the listener treats connections.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// How long `/readyz` says 503 while requests are still served, after the signal.
    pub drain: Duration,
    /// From the signal to closing whatever is still open.
    pub shutdown_timeout: Duration,
}

/// The cap on a connection's read buffer: a request head that does not fit gets 431 (or
/// 414 for a request line too long). A 16 KiB query and ordinary headers fit; hyper may read one more
/// buffer's worth before it checks, so a connection holds at most ~64 KiB of head
/// (hyper's default cap is ~400 KB, ~800 KB held).
pub const MAX_HEAD_BYTES: usize = 32 * 1024;

/// Sent to a connection past the cap before closing it.
const REFUSAL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
cache-control: no-store\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: 21\r\n\r\n\
too many connections\n";

/// Serves `app` on `listener` until `signal` resolves, then shuts down as the module says.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: ServeOptions,
    ready: Arc<AtomicBool>,
    metrics: Arc<Metrics>,
    signal: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(options.max_connections));
    let open = Arc::new(Open::default());
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut signal = std::pin::pin!(signal);
    let mut signalled: Option<Instant> = None;
    let mut last_exhaustion_log: Option<Instant> = None;
    loop {
        let drain_end = signalled.map(|at| at + options.drain);
        tokio::select! {
            () = &mut signal, if signalled.is_none() => {
                ready.store(false, Ordering::Relaxed);
                signalled = Some(Instant::now());
                tracing::info!(drain_ms = options.drain.as_millis() as u64, "shutting down: draining");
            }
            () = sleep_until_some(drain_end) => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let place = match Arc::clone(&slots).try_acquire_owned() {
                        Ok(permit) => Place::Given(permit),
                        Err(_) => match open.evict_idlest() {
                            Some(handed) => {
                                metrics.connection_evicted();
                                Place::Handed(handed)
                            }
                            None => {
                                metrics.connection_refused();
                                // Best effort: the socket buffer of a fresh connection has
                                // room.
                                let _ = stream.try_write(REFUSAL);
                                continue;
                            }
                        },
                    };
                    let (app, options) = (app.clone(), options.clone());
                    let (metrics, stopping, open) =
                        (Arc::clone(&metrics), stopping.clone(), Arc::clone(&open));
                    connections.spawn(async move {
                        let Some(permit) = admitted(place).await else {
                            metrics.connection_refused();
                            let _ = stream.try_write(REFUSAL);
                            return;
                        };
                        let _open = metrics.connection_opened();
                        let registered = Open::register(&open);
                        connection(stream, app, &options, stopping, &metrics, &registered.1).await;
                        // Closed for a new connection: its place goes to that one, not
                        // back to the pool, where a connection accepted meanwhile or one
                        // still waiting for an earlier eviction could take it. Looked at
                        // once it is out of `open`, where no eviction can choose it any more.
                        let activity = Arc::clone(&registered.1);
                        drop(registered);
                        match activity.take_heir() {
                            Some(heir) => drop(heir.send(permit)),
                            None => drop(permit),
                        }
                    });
                }
                Err(e) if out_of_descriptors(&e) => {
                    let now = Instant::now();
                    if last_exhaustion_log.is_none_or(|t| now - t > Duration::from_secs(10)) {
                        tracing::warn!(error = %e, "accept: out of file descriptors; pausing");
                        last_exhaustion_log = Some(now);
                    }
                    metrics.accept_paused();
                    // The pending connection stays queued; try again once some have closed.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                // The peer gave up before we accepted (ECONNABORTED and the like).
                Err(e) => tracing::debug!(error = %e, "accept"),
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let deadline = signalled.unwrap_or_else(Instant::now) + options.shutdown_timeout;
    tracing::info!(
        open = connections.len(),
        "stopped accepting: finishing in-flight requests"
    );
    loop {
        tokio::select! {
            next = connections.join_next() => if next.is_none() { break },
            () = tokio::time::sleep_until(deadline) => {
                tracing::warn!(open = connections.len(), "shutdown timeout: closing connections");
                connections.abort_all();
                while connections.join_next().await.is_some() {}
                break;
            }
        }
    }
}

/// How long a connection admitted by evicting an idle one waits for that one's place.
const EVICTION_WAIT: Duration = Duration::from_secs(1);

/// Where a new connection's place comes from.
enum Place {
    /// A free one.
    Given(OwnedSemaphorePermit),
    /// The one the connection evicted for it hands over as it closes, moments later.
    Handed(oneshot::Receiver<OwnedSemaphorePermit>),
}

/// A connection's place; `None` if the evicted connection kept serving (a request arrived
/// as it was chosen) or did not close within [`EVICTION_WAIT`].
async fn admitted(place: Place) -> Option<OwnedSemaphorePermit> {
    match place {
        Place::Given(permit) => Some(permit),
        Place::Handed(handed) => tokio::time::timeout(EVICTION_WAIT, handed).await.ok()?.ok(),
    }
}

/// A connection's entry in [`Open`], removed when dropped (however its task ends).
struct Registered(Arc<Open>, Arc<Activity>, u64);

impl Drop for Registered {
    fn drop(&mut self) {
        self.0.lock().remove(&self.2);
    }
}

/// The open connections' activity, so that the longest idle can be found at the cap.
#[derive(Default)]
struct Open {
    next: AtomicU64,
    all: Mutex<HashMap<u64, Arc<Activity>>>,
}

impl Open {
    fn register(open: &Arc<Open>) -> Registered {
        let id = open.next.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::new());
        open.lock().insert(id, Arc::clone(&activity));
        Registered(Arc::clone(open), activity, id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Activity>>> {
        self.all.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks the connection idle the longest to close, and to hand its place to the new
    /// one: the place arrives on the receiver returned; `None` when none is idle. Only at
    /// the cap, so a scan of at most `max_connections` entries.
    fn evict_idlest(&self) -> Option<oneshot::Receiver<OwnedSemaphorePermit>> {
        let all = self.lock();
        let idlest = all
            .values()
            .filter(|a| a.idle() && !a.evicting.load(Ordering::Relaxed))
            .max_by_key(|a| a.idle_for())?;
        let (heir, handed) = oneshot::channel();
        *idlest.heir() = Some(heir);
        idlest.evicting.store(true, Ordering::Relaxed);
        idlest.evict.notify_one();
        Some(handed)
    }
}

async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Errors of `accept` that mean the process (or system) is out of descriptors or memory:
/// retrying at once would spin.
fn out_of_descriptors(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

/// One connection: hyper serves it while a watchdog closes it when the client is too slow
/// with a request head or idle too long, and shutdown closes it gracefully.
async fn connection(
    stream: TcpStream,
    app: Router,
    options: &ServeOptions,
    mut stopping: watch::Receiver<bool>,
    metrics: &Metrics,
    activity: &Arc<Activity>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(activity),
    });
    let service = {
        let activity = Arc::clone(activity);
        hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let busy = Busy::new(Arc::clone(&activity));
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await;
                drop(busy);
                response
            }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .header_read_timeout(None)
        .max_buf_size(MAX_HEAD_BYTES)
        .serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    let mut closing = *stopping.borrow();
    if closing {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        let check = activity.next_check(options);
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended");
                }
                return;
            }
            () = tokio::time::sleep_until(check) => {
                if let Some(why) = activity.expired(options) {
                    tracing::debug!(?why, "closing connection");
                    metrics.connection_timed_out(why);
                    // Dropping the connection closes the socket.
                    return;
                }
            }
            () = activity.evict.notified() => {
                if activity.idle() {
                    tracing::debug!("closing the longest idle connection for a new one");
                    return;
                }
                // A request arrived meanwhile: keep serving it, and tell the new
                // connection at once that no place is coming.
                activity.take_heir();
                activity.evicting.store(false, Ordering::Relaxed);
            }
            changed = stopping.changed(), if !closing => {
                if changed.is_err() || *stopping.borrow() {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// What the watchdog knows of a connection, in milliseconds since it opened.
struct Activity {
    opened: Instant,
    /// The last read or write that moved bytes.
    last_io: AtomicU64,
    /// When the first byte of a request head not yet complete arrived (`NONE` when no
    /// head is pending). The first request's clock starts when the connection opens.
    head_since: AtomicU64,
    /// Requests whose handler is running.
    busy: AtomicUsize,
    /// Bytes of a request head have arrived and its handler has not started.
    head_bytes: AtomicBool,
    /// Chosen to close for a new connection at the cap (`evict` wakes it).
    evicting: AtomicBool,
    evict: Notify,
    /// The new connection it was chosen for, to hand its place to.
    heir: Mutex<Option<oneshot::Sender<OwnedSemaphorePermit>>>,
}

const NONE: u64 = u64::MAX;

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last_io: AtomicU64::new(0),
            head_since: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
            head_bytes: AtomicBool::new(false),
            evicting: AtomicBool::new(false),
            evict: Notify::new(),
            heir: Mutex::new(None),
        }
    }

    fn heir(&self) -> std::sync::MutexGuard<'_, Option<oneshot::Sender<OwnedSemaphorePermit>>> {
        self.heir.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The new connection it was chosen for, if any, no longer its to hand a place to.
    fn take_heir(&self) -> Option<oneshot::Sender<OwnedSemaphorePermit>> {
        self.heir().take()
    }

    /// Between requests: none running and no head arriving.
    fn idle(&self) -> bool {
        self.busy.load(Ordering::Relaxed) == 0 && !self.head_bytes.load(Ordering::Relaxed)
    }

    /// Milliseconds since the last byte either way.
    fn idle_for(&self) -> u64 {
        self.now()
            .saturating_sub(self.last_io.load(Ordering::Relaxed))
    }

    fn now(&self) -> u64 {
        self.opened.elapsed().as_millis() as u64
    }

    fn read(&self) {
        let now = self.now();
        self.last_io.store(now, Ordering::Relaxed);
        self.head_bytes.store(true, Ordering::Relaxed);
        let _ = self
            .head_since
            .compare_exchange(NONE, now, Ordering::Relaxed, Ordering::Relaxed);
    }

    fn wrote(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// Why the connection should close now, if it should: a request's handler runs under
    /// the render deadline, so only a connection with none running can expire.
    fn expired(&self, options: &ServeOptions) -> Option<Timeout> {
        if self.busy.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let now = self.now();
        let head = self.head_since.load(Ordering::Relaxed);
        if head != NONE && now.saturating_sub(head) >= millis(options.header_timeout) {
            return Some(Timeout::Header);
        }
        let idle = now.saturating_sub(self.last_io.load(Ordering::Relaxed));
        (idle >= millis(options.idle_timeout)).then_some(Timeout::Idle)
    }

    /// When `expired` could next say yes (a busy connection: a header timeout from now,
    /// to look again).
    fn next_check(&self, options: &ServeOptions) -> Instant {
        let now = self.now();
        let at = if self.busy.load(Ordering::Relaxed) > 0 {
            now + millis(options.header_timeout)
        } else {
            let by_idle = self.last_io.load(Ordering::Relaxed) + millis(options.idle_timeout);
            match self.head_since.load(Ordering::Relaxed) {
                NONE => by_idle,
                head => by_idle.min(head + millis(options.header_timeout)),
            }
        };
        // A millisecond after the moment, so that the check falls past it, not on it.
        self.opened + Duration::from_millis(at.max(now) + 1)
    }
}

fn millis(d: Duration) -> u64 {
    d.as_millis().min(u128::from(u32::MAX)) as u64
}

/// Marks a request as being handled while alive; a complete head also ends the header
/// clock.
struct Busy(Arc<Activity>);

impl Busy {
    fn new(activity: Arc<Activity>) -> Busy {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        activity.head_since.store(NONE, Ordering::Relaxed);
        activity.head_bytes.store(false, Ordering::Relaxed);
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.wrote();
    }
}

/// A socket that tells its `Activity` about every read and write that moved bytes.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The process's soft limit on open files, if it can be read.
pub fn file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` through a valid pointer and has no other
    // effect.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

/// Descriptors kept free of connections: the listener, the runtime's own, standard
/// streams, the font directories read at startup, a health check's socket.
pub const RESERVED_DESCRIPTORS: u64 = 64;

/// The default connection cap: 1024, or fewer when the file limit is lower (each
/// connection holds a descriptor and up to `MAX_HEAD_BYTES` of buffer).
pub fn default_max_connections(file_limit: Option<u64>) -> usize {
    let by_files = file_limit.map_or(1024, |l| l.saturating_sub(RESERVED_DESCRIPTORS));
    by_files.clamp(1, 1024) as usize
}
