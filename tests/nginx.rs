//! A real reverse-proxy cache in front: nginx (Debian's package) with `proxy_cache`, on
//! loopback, configured with the snippet deploy/compose.yaml ships
//! (deploy/nginx/ogcard.conf.template). The second request is an nginx HIT
//! that never reaches ogcard; HEAD, 304 and Range pass through.
//!
//! Needs nginx in /usr/sbin (or /usr/local/sbin, /usr/bin), so `#[ignore]`d: `cargo test
//! -- --include-ignored` runs it, as `.ci/run` does.

mod common;

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

fn nginx_binary() -> Option<PathBuf> {
    let candidates = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"];
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

async fn start_nginx(binary: &Path, upstream: SocketAddr) -> Spawned {
    let dir = std::env::temp_dir().join(format!("ogcard-nginx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let snippet = fill_template(
        include_str!("../deploy/nginx/ogcard.conf.template"),
        &[
            ("OGCARD_CACHE_DIR", dir.join("cache").to_str().unwrap()),
            ("NGINX_LISTEN", &format!("127.0.0.1:{port}")),
            ("OGCARD_UPSTREAM", &upstream.to_string()),
        ],
    );
    std::fs::write(dir.join("ogcard.conf"), snippet).unwrap();
    // What the nginx image's own nginx.conf does around conf.d/, with scratch paths.
    let d = dir.to_str().unwrap();
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n    access_log off;\n    client_body_temp_path {d}/body;\n    \
         proxy_temp_path {d}/proxy;\n    fastcgi_temp_path {d}/fastcgi;\n    \
         uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n    \
         include {d}/ogcard.conf;\n}}\n"
    );
    let conf_path = dir.join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let child = Command::new(binary)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(&conf_path)
        .arg("-e")
        .arg(dir.join("error.log"))
        .stdin(Stdio::null())
        .spawn()
        .expect("nginx starts");
    Spawned {
        child,
        addr: ([127, 0, 0, 1], port).into(),
    }
    .listening("nginx")
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nginx"]
async fn nginx_proxy_cache_hits_and_passes_head_304_and_range() {
    let binary = nginx_binary();
    require(&[("nginx", binary.is_some())]);
    let binary = binary.unwrap();
    let state = state_with(&[]);
    let cache = state.cache.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, ogcard::app(state)).into_future());
    let nginx = start_nginx(&binary, upstream).await;

    let target = format!("/api/og?{SEED_QUERY_RAW}");
    let first = raw_request(nginx.addr, "GET", &target, &[]).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-proxy-cache"), Some("MISS"));
    assert_eq!(first.header("x-cache"), Some("miss"), "ogcard rendered it");
    assert_eq!(decode_png(&first.body).0, 1200);
    let seen_by_ogcard = cache.stats().hits + cache.stats().misses;

    let second = raw_request(nginx.addr, "GET", &target, &[]).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.header("x-proxy-cache"), Some("HIT"));
    assert_eq!(second.body, first.body);

    let head = raw_request(nginx.addr, "HEAD", &target, &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(first.body.len().to_string().as_str())
    );
    assert_eq!(head.header("x-proxy-cache"), Some("HIT"));

    let etag = first
        .header("etag")
        .expect("an ETag through nginx")
        .to_string();
    let not_modified = raw_request(nginx.addr, "GET", &target, &[("If-None-Match", &etag)]).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());

    let part = raw_request(nginx.addr, "GET", &target, &[("Range", "bytes=0-99")]).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &first.body[..100]);

    let stats = cache.stats();
    assert_eq!(
        stats.hits + stats.misses,
        seen_by_ogcard,
        "nginx answered from its cache"
    );
    drop(nginx);
    server.abort();
}
