//! `--watch-templates` through the real binary: a designer edits a template and the next
//! card shows it; a broken edit keeps the last good template and says why; cards of the
//! templates that did not change stay cached.

mod common;

use std::time::Duration;

use common::*;

const CENTERED: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">
  <rect width="800" height="400" fill="#fff"/>
  <text data-slot="title" data-box="40 40 720 320" data-font-size="SIZE" data-min-font-size="32"
        data-max-lines="3" data-line-height="1.4" font-family="Noto Sans" fill="#111">Sample</text>
</svg>"##;

async fn font_size(server: &Spawned) -> serde_json::Value {
    let res = raw_request(
        server.addr,
        "GET",
        "/api/og?template=centered&title=Hello&format=json",
        &[],
    )
    .await;
    assert_eq!(res.status, 200);
    let layout: serde_json::Value = serde_json::from_slice(&res.body).unwrap();
    layout["lines"][0]["font_size"].clone()
}

/// The reload counter for `result` (`ok` or `error`), from /metrics.
async fn reloads(server: &Spawned, result: &str) -> u64 {
    let res = raw_request(server.addr, "GET", "/metrics", &[]).await;
    let text = String::from_utf8(res.body).unwrap();
    let line = format!("ogcard_template_reloads_total{{result=\"{result}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&line))
        .unwrap_or_else(|| panic!("no {line} in /metrics"))
        .parse()
        .unwrap()
}

/// Polls `reloads(result)` until it reaches `n`, for at most ~15 s.
async fn wait_for_reloads(server: &Spawned, result: &str, n: u64) {
    for _ in 0..150 {
        if reloads(server, result).await >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {result} reload number {n} within 15 s");
}

#[tokio::test]
async fn edited_templates_reload_and_broken_ones_keep_the_last_good() {
    let dir = std::env::temp_dir().join(format!("ogcard-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let template = dir.join("centered.svg");
    std::fs::write(&template, CENTERED.replace("SIZE", "48")).unwrap();
    std::fs::write(dir.join("other.svg"), CENTERED.replace("SIZE", "48")).unwrap();
    let log = dir.join("server.log");
    let server = start_server(
        &[
            "--templates-dir",
            dir.to_str().unwrap(),
            "--watch-templates",
        ],
        &[("RUST_LOG", "info")],
        std::fs::File::create(&log).unwrap().into(),
    )
    .await;

    assert_eq!(font_size(&server).await, 48.0);
    let other = "/api/og?template=other&title=Unchanged";
    let first = raw_request(server.addr, "GET", other, &[]).await;
    assert_eq!(first.header("x-cache"), Some("miss"));

    // An edit shows in the next card.
    std::fs::write(&template, CENTERED.replace("SIZE", "40")).unwrap();
    wait_for_reloads(&server, "ok", 1).await;
    assert_eq!(font_size(&server).await, 40.0);
    // The template that did not change keeps its cached card.
    let again = raw_request(server.addr, "GET", other, &[]).await;
    assert_eq!(again.header("x-cache"), Some("hit"));
    assert_eq!(again.body, first.body);

    // A broken edit keeps the last good template, and the log says which file and why.
    std::fs::write(
        &template,
        CENTERED.replace("SIZE", "48").replace("</svg>", ""),
    )
    .unwrap();
    wait_for_reloads(&server, "error", 1).await;
    assert_eq!(font_size(&server).await, 40.0);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("templates not reloaded") && logged.contains("centered.svg"),
        "{logged}"
    );

    // Fixed again: reloaded.
    std::fs::write(&template, CENTERED.replace("SIZE", "56")).unwrap();
    wait_for_reloads(&server, "ok", 2).await;
    assert_eq!(font_size(&server).await, 56.0);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn watching_needs_a_templates_directory() {
    let out = ogcard().arg("--watch-templates").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--templates-dir"), "{err}");
}
