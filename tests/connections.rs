//! Connections as careless or hostile clients make them, over real sockets: heads that
//! never finish, idle keep-alive, more connections than the cap (the idlest evicted, or a
//! 503 when none is idle), one address holding every place, running out of file
//! descriptors, requests abandoned while they wait, and shutdown's phases.

mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use ogcard::render::{Assets, CardPictures, Deadline, RenderError, Rendered};
use ogcard::request::CardRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// Reads until the peer closes: how long that took, or `None` if it did not within
/// `within`. Whatever was received is appended to `got`.
async fn closed_within(
    stream: &mut TcpStream,
    within: Duration,
    got: &mut Vec<u8>,
) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(started + within, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// One keep-alive request on an open connection; the response's status and body.
async fn keep_alive_request(stream: &mut TcpStream, target: &str) -> (u16, Vec<u8>) {
    let request = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if raw.len() >= end + 4 + length {
                let status = head[9..12].parse().unwrap();
                return (status, raw[end + 4..end + 4 + length].to_vec());
            }
        }
        let n = tokio::time::timeout_at(deadline, stream.read(&mut buf))
            .await
            .expect("a response in time")
            .unwrap();
        assert!(n > 0, "closed before the response was complete");
        raw.extend_from_slice(&buf[..n]);
    }
}

async fn metric(addr: std::net::SocketAddr, line_start: &str) -> u64 {
    let res = raw_request(addr, "GET", "/metrics", &[]).await;
    let text = String::from_utf8(res.body).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(line_start))
        .unwrap_or_else(|| panic!("no {line_start:?} in\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_finish_its_head_is_closed() {
    let server = start_server(&["--header-timeout", "1s"], &[], Stdio::inherit()).await;
    let addr = server.addr;
    // Half a request line; nothing at all; a byte every 200 ms that never makes a head.
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /api/og?title=slow HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let mut trickle = TcpStream::connect(addr).await.unwrap();
    let (mut trickle_read, mut trickle_write) = trickle.split();
    let writer = async {
        for b in b"GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
            if trickle_write.write_all(&[*b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let reader = async {
        let mut buf = [0u8; 64];
        let started = Instant::now();
        loop {
            match tokio::time::timeout(Duration::from_secs(8), trickle_read.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
                Ok(Ok(_)) => {}
                Err(_) => return None,
            }
        }
    };
    // Meanwhile everyone else is served.
    let health = raw_request(addr, "GET", "/healthz", &[]).await;
    assert_eq!(health.status, 200);
    let ((), trickled) = tokio::join!(writer, reader);
    let trickled = trickled.expect("a trickling head is closed");
    assert!(trickled < Duration::from_secs(4), "{trickled:?}");
    for stream in [&mut half, &mut silent] {
        let closed = closed_within(stream, Duration::from_secs(5), &mut Vec::new()).await;
        assert!(closed.is_some(), "a stalled head is closed");
    }
    assert_eq!(
        metric(addr, "ogcard_connections_closed_total{reason=\"header\"}").await,
        3
    );
    // The previous /metrics connection (`Connection: close`) is counted until the server
    // has torn it down, which can lag its response by a moment: poll, bounded.
    let mut open = 0;
    for _ in 0..50 {
        open = metric(addr, "ogcard_connections_open").await;
        if open == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(open, 1, "only /metrics's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_alive_outlives_the_header_timeout_and_ends_when_idle() {
    let server = start_server(
        &["--header-timeout", "1s", "--idle-timeout", "3s"],
        &[],
        Stdio::inherit(),
    )
    .await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(
        keep_alive_request(&mut conn, "/healthz").await,
        (200, b"ok\n".to_vec())
    );
    // Idle past the header timeout: an idle connection is not a slow head.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, png) = keep_alive_request(&mut conn, "/api/og?title=keep-alive").await;
    assert_eq!(status, 200);
    assert_eq!(decode_png(&png).0, 1200);
    // Then nothing: closed once idle for the idle timeout, not before.
    let closed = closed_within(&mut conn, Duration::from_secs(8), &mut Vec::new())
        .await
        .expect("an idle connection is closed");
    assert!(closed >= Duration::from_millis(2500), "{closed:?}");
    assert_eq!(
        metric(
            server.addr,
            "ogcard_connections_closed_total{reason=\"idle\"}"
        )
        .await,
        1
    );
}

/// A connection whose request head has begun but not ended: not idle, so never evicted.
/// Waits a moment so that the server has read those bytes before the next connection.
async fn half_a_head(addr: std::net::SocketAddr) -> TcpStream {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    conn
}

/// Ends the head `half_a_head` began and reads the response.
async fn finish_head(conn: &mut TcpStream) -> u16 {
    conn.write_all(b"Host: x\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut buf))
        .await
        .expect("an answer")
        .unwrap();
    String::from_utf8_lossy(&buf[..n])[9..12].parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_with_none_idle_new_connections_are_refused_at_once() {
    let server = start_server(&["--max-connections", "4"], &[], Stdio::inherit()).await;
    let addr = server.addr;
    let mut open = Vec::new();
    for _ in 0..4 {
        open.push(half_a_head(addr).await);
    }
    let mut fifth = TcpStream::connect(addr).await.unwrap();
    let mut got = Vec::new();
    let closed = closed_within(&mut fifth, Duration::from_secs(2), &mut got).await;
    assert!(closed.is_some(), "refused at once, not left waiting");
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.ends_with("too many connections\n"), "{text}");
    // The connections already open go on.
    for conn in &mut open {
        assert_eq!(finish_head(conn).await, 200);
    }
    assert_eq!(
        keep_alive_request(&mut open[3], "/api/og?title=capped")
            .await
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    for conn in &mut open[1..] {
        assert_eq!(keep_alive_request(conn, "/healthz").await.0, 200);
    }
    // Now all four are idle: a new client takes the place of the one idle longest
    // (open[0]), which is closed; the others go on.
    let res = raw_request(addr, "GET", "/metrics", &[]).await;
    assert_eq!(res.status, 200);
    let text = String::from_utf8(res.body).unwrap();
    assert!(
        text.contains("ogcard_connections_evicted_total 1"),
        "{text}"
    );
    let mut got = Vec::new();
    assert!(
        closed_within(&mut open[0], Duration::from_secs(2), &mut got)
            .await
            .is_some(),
        "the longest idle was closed"
    );
    assert_eq!(keep_alive_request(&mut open[3], "/healthz").await.0, 200);
}

/// One address holds every place with idle keep-alive connections (1030 against the
/// default 1024 in production; here 40 against a cap of 32): another address is still
/// served — /healthz and a card — and so is the first again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_holding_every_connection_cannot_lock_out_another() {
    let server = start_server(&["--max-connections", "32"], &[], Stdio::inherit()).await;
    let addr = server.addr;
    let mut held = Vec::new();
    for i in 0..40 {
        let mut conn = TcpStream::connect(addr).await.unwrap();
        // Half of them say nothing at all, half finish one request and stay.
        if i % 2 == 0 {
            assert_eq!(keep_alive_request(&mut conn, "/healthz").await.0, 200);
        }
        held.push(conn);
    }
    // 127.0.0.2 is another address on loopback.
    for target in [
        "/healthz",
        "/api/og?title=%E0%B8%AA%E0%B8%A7%E0%B8%B1%E0%B8%AA%E0%B8%94%E0%B8%B5",
    ] {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        let mut other = socket.connect(addr).await.unwrap();
        assert_eq!(
            keep_alive_request(&mut other, target).await.0,
            200,
            "{target}"
        );
    }
    let evicted = metric(addr, "ogcard_connections_evicted_total ").await;
    // Eight for the first address's own 33rd to 40th, one for the other's first (its
    // second may find the first's place free).
    assert!(evicted >= 9, "{evicted} evicted");
    assert_eq!(metric(addr, "ogcard_connections_refused_total ").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_cap_stays_below_the_file_limit() {
    // 100 descriptors: the default cap is 100 - 64 = 36 connections. Each holds half a
    // head (never idle, never evicted), so the 37th and later are refused.
    let server = start_server_with_file_limit(100, &[]).await;
    let addr = server.addr;
    let mut open = Vec::new();
    for _ in 0..40 {
        open.push(half_a_head(addr).await);
    }
    let mut refused = 0;
    let mut served = 0;
    for conn in &mut open {
        let mut buf = [0u8; 256];
        match conn.try_read(&mut buf) {
            Ok(n) if buf[..n].starts_with(b"HTTP/1.1 503") => refused += 1,
            _ => {
                assert_eq!(finish_head(conn).await, 200);
                served += 1;
            }
        }
    }
    assert_eq!(served, 36, "served up to the cap");
    assert_eq!(refused, 4);
    drop(open);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(raw_request(addr, "GET", "/healthz", &[]).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_out_of_file_descriptors_pauses_accepting_and_recovers() {
    // A cap above what the file limit allows: accept hits EMFILE.
    let mut server = start_server_with_file_limit(48, &["--max-connections", "500"]).await;
    let addr = server.addr;
    let mut conns = Vec::new();
    for _ in 0..80 {
        // The kernel completes the handshake into the listen backlog either way.
        let mut conn = TcpStream::connect(addr).await.unwrap();
        let _ = conn
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        conns.push(conn);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
    drop(conns);
    let mut healthy = false;
    for _ in 0..100 {
        let attempt = tokio::time::timeout(
            Duration::from_secs(1),
            raw_request(addr, "GET", "/healthz", &[]),
        )
        .await;
        if attempt.is_ok_and(|r| r.status == 200) {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(healthy, "serves again once descriptors are back");
    assert!(metric(addr, "ogcard_accept_pauses_total").await >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_then_closes_and_a_stuck_client_cannot_hold_it() {
    let mut server = start_server(
        &["--drain-seconds", "1", "--shutdown-timeout", "3s"],
        &[],
        Stdio::inherit(),
    )
    .await;
    let addr = server.addr;
    let mut stuck = TcpStream::connect(addr).await.unwrap();
    stuck.write_all(b"GET /api/og?title=stu").await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let signalled = Instant::now();
    terminate(&server);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Draining: not ready, still serving, so a load balancer sees it and stops sending.
    let ready = raw_request(addr, "GET", "/readyz", &[]).await;
    assert_eq!(ready.status, 503);
    let card = raw_request(addr, "GET", "/api/og?title=draining", &[]).await;
    assert_eq!(card.status, 200);
    assert!(
        signalled.elapsed() < Duration::from_secs(1),
        "checked within the drain"
    );
    // Then the listener closes.
    tokio::time::sleep_until(signalled + Duration::from_millis(1500)).await;
    assert!(TcpStream::connect(addr).await.is_err(), "stopped accepting");
    // The stuck client does not keep the process: gone by the shutdown timeout.
    let exit = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    let took = signalled.elapsed();
    assert!(took < Duration::from_millis(4500), "exited after {took:?}");
    assert!(
        closed_within(&mut stuck, Duration::from_secs(1), &mut Vec::new())
            .await
            .is_some()
    );
}

/// Never renders: waits for its deadline, checking it as layout does.
fn never_done(
    _: &CardRequest,
    _: &Assets,
    _: &CardPictures,
    deadline: Deadline,
) -> Result<Rendered, RenderError> {
    loop {
        deadline.check()?;
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_abandoned_while_waiting_leave_nothing_behind() {
    // One slot, taken by a render that lasts until its 3 s deadline, and a long wait for
    // it: requests pile up waiting, and their clients give up.
    let mut state = state_with(&[
        "--render-concurrency",
        "1",
        "--render-wait-ms",
        "60000",
        "--render-timeout-ms",
        "3000",
    ]);
    state.renderer = never_done;
    let cache = Arc::clone(&state.cache);
    let (ready, metrics) = (state.ready.clone(), state.metrics.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = <ogcard::config::Config as clap::Parser>::parse_from(["ogcard"]);
    let server = tokio::spawn(ogcard::http::serve::serve(
        listener,
        ogcard::app(state),
        config.serve_options(),
        ready,
        metrics,
        std::future::pending(),
    ));
    let mut clients = Vec::new();
    for i in 0..50 {
        let mut conn = TcpStream::connect(addr).await.unwrap();
        // Keys of ~3 KB (the title's cap in Thai).
        let title = format!("{i} {}", "ก".repeat(990));
        let request = format!(
            "GET /api/og?title={} HTTP/1.1\r\nHost: x\r\n\r\n",
            encode(&title)
        );
        conn.write_all(request.as_bytes()).await.unwrap();
        clients.push(conn);
    }
    let waiting = settles(200, 50, || cache.in_flight()).await;
    assert_eq!(waiting, 50, "every request waits");
    drop(clients);
    let left = settles(300, 0, || cache.in_flight()).await;
    assert_eq!(left, 0, "the clients went away: so did their requests");
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_request_head_is_431_and_costs_a_bounded_buffer() {
    let server = start_server(&[], &[], Stdio::inherit()).await;
    let big = "a".repeat(100_000);
    let res = raw_request(server.addr, "GET", "/healthz", &[("X-Big", &big)]).await;
    assert_eq!(res.status, 431);
    // A head within the cap, with a title at its cap in percent-encoded Thai, is served.
    let title = encode(&"ก".repeat(1000));
    let res = raw_request(
        server.addr,
        "GET",
        &format!("/api/og?title={title}"),
        &[("X-Fine", &big[..8000])],
    )
    .await;
    assert_eq!(res.status, 200);
}
