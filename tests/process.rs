//! The real binary as operators run it: a burst of distinct renders, graceful shutdown,
//! and what only a socket can send.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

async fn start(args: &[&str]) -> Spawned {
    start_server(args, &[], Stdio::inherit()).await
}

/// Peak resident set of a process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_distinct_renders_gets_only_200_or_503_and_the_server_stays_healthy() {
    let server = start(&["--render-wait-ms", "300", "--cache-bytes", "8M"]).await;
    let addr = server.addr;
    let started = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel(512);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..64 {
        let (tx, next) = (tx.clone(), next.clone());
        tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= 400 {
                    break;
                }
                let title = encode(&format!("การทดสอบภาระ {i} ข้อมูลเชิงลึกจากการประชุม"));
                let res = raw_request(addr, "GET", &format!("/api/og?title={title}"), &[]).await;
                let _ = tx.send(res).await;
            }
        });
    }
    drop(tx);
    let (mut ok, mut busy) = (0, 0);
    while let Some(res) = rx.recv().await {
        match res.status {
            200 => {
                let (w, h, _) = decode_png(&res.body);
                assert_eq!((w, h), (1200, 630));
                assert_eq!(
                    res.header("content-length"),
                    Some(res.body.len().to_string().as_str())
                );
                ok += 1;
            }
            503 => {
                assert_eq!(res.header("retry-after"), Some("1"));
                busy += 1;
            }
            other => panic!("status {other}: {}", String::from_utf8_lossy(&res.body)),
        }
    }
    assert_eq!(ok + busy, 400);
    assert!(ok > 0);
    let rss_mib = peak_rss_kib(server.child.id()) / 1024;
    eprintln!(
        "burst: {ok} × 200, {busy} × 503 in {:.1} s, peak RSS {rss_mib} MiB",
        started.elapsed().as_secs_f64()
    );
    assert!(rss_mib < 256, "peak RSS {rss_mib} MiB");
    let health = raw_request(addr, "GET", "/healthz", &[]).await;
    assert_eq!(health.status, 200);
    let after = raw_request(addr, "GET", "/api/og?title=after", &[]).await;
    assert_eq!(after.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_finishes_in_flight_renders_then_exits_0() {
    let mut server = start(&["--render-concurrency", "1"]).await;
    let addr = server.addr;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..6 {
        tasks.spawn(async move {
            let title = encode(&format!("{i} การปฏิวัติแบบโอเพนซอร์สของ DeepSeek").repeat(8));
            raw_request(addr, "GET", &format!("/api/og?title={title}"), &[]).await
        });
    }
    // Let the requests arrive and queue behind the single render slot, then stop.
    tokio::time::sleep(Duration::from_millis(100)).await;
    terminate(&server);
    while let Some(r) = tasks.join_next().await {
        let res = r.unwrap();
        assert_eq!(res.status, 200);
        assert_eq!(decode_png(&res.body).0, 1200);
    }
    let exit = tokio::task::spawn_blocking(move || {
        let code = server.child.wait().unwrap();
        (code, server)
    })
    .await
    .unwrap()
    .0;
    assert!(exit.success(), "{exit:?}");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "stopped accepting"
    );
}

#[tokio::test]
async fn oversized_and_invalid_request_lines_are_refused_not_rendered() {
    let server = start(&[]).await;
    // 90 KB of percent-encoded Thai: over our query cap, and over the 32 KiB a connection
    // buffers of a request head (431 before the line is even parsed).
    let long = format!("/api/og?title={}", encode(&"ก".repeat(10_000)));
    let res = raw_request(server.addr, "GET", &long, &[]).await;
    assert!([400, 414, 431].contains(&res.status), "{}", res.status);
    let res = raw_request(server.addr, "GET", "/api/og?title=%E0%B8", &[]).await;
    assert_eq!(res.status, 400);
    let health = raw_request(server.addr, "GET", "/healthz", &[]).await;
    assert_eq!(health.status, 200);
}

/// With no `--listen`, one socket takes IPv6 and IPv4 (`[::]:$PORT`): an IPv6-only
/// cluster reaches it as an IPv4 one does, and `ogcard healthcheck` finds it.
#[tokio::test]
async fn by_default_the_server_listens_on_ipv6_and_ipv4() {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ogcard"));
    command
        .env_remove("OGCARD_LISTEN")
        .env("PORT", port.to_string())
        .env("RUST_LOG", "warn");
    let server = spawn_listening(command, port).await;
    let v6: std::net::SocketAddr = (std::net::Ipv6Addr::LOCALHOST, port).into();
    for addr in [server.addr, v6] {
        let res = raw_request(addr, "GET", "/healthz", &[]).await;
        assert_eq!(res.status, 200, "{addr}");
    }
    assert_serves_the_seed_card(v6).await;
    let ok = Command::new(env!("CARGO_BIN_EXE_ogcard"))
        .arg("healthcheck")
        .env_remove("OGCARD_LISTEN")
        .env("PORT", port.to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

#[tokio::test]
async fn the_healthcheck_subcommand_reports_the_local_server() {
    let server = start(&[]).await;
    let ok = Command::new(env!("CARGO_BIN_EXE_ogcard"))
        .arg("healthcheck")
        .env("OGCARD_LISTEN", format!("0.0.0.0:{}", server.addr.port()))
        .status()
        .unwrap();
    assert!(ok.success());
    drop(server);
    let down = Command::new(env!("CARGO_BIN_EXE_ogcard"))
        .arg("healthcheck")
        .env("OGCARD_LISTEN", format!("127.0.0.1:{}", free_port()))
        .output()
        .unwrap();
    assert!(!down.status.success());
}

#[tokio::test]
async fn json_logs_name_route_status_and_cache_but_never_the_title() {
    let log = std::env::temp_dir().join(format!("ogcard-log-{}.json", std::process::id()));
    let file = std::fs::File::create(&log).unwrap();
    let mut server = start_server(
        &["--log-format", "json"],
        &[("RUST_LOG", "info")],
        Stdio::from(file),
    )
    .await;
    let secret = "ความลับสุดยอด-do-not-log";
    let res = raw_request(
        server.addr,
        "GET",
        &format!("/api/og?title={}", encode(secret)),
        &[],
    )
    .await;
    assert_eq!(res.status, 200);
    terminate(&server);
    let _ = server.child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        !text.contains(secret) && !text.contains(&encode(secret)),
        "{text}"
    );
    let response = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("one JSON object a line"))
        .find(|v| v["fields"]["message"] == "response")
        .expect("a response line");
    assert_eq!(response["fields"]["status"], 200);
    assert_eq!(response["fields"]["cache"], "miss");
    assert_eq!(response["span"]["route"], "/api/og");
}
