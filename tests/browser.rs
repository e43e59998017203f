//! Real browser tests: headless Chromium (Debian's package) driven by playwright-core.
//! - `tests/browser/playground.mjs` types a Thai title into the playground and checks the
//!   preview and the copied URL;
//! - `tests/browser/embedding.mjs` embeds cards in pages from another origin: under
//!   `Cross-Origin-Embedder-Policy: require-corp`, in a `srcset` on a 2× screen, drawn into
//!   a canvas.
//!
//! Needs node, npm and /usr/bin/chromium, so `#[ignore]`d: `cargo test --
//! --include-ignored` runs them (`.ci/run` with `--ignored`), installing tests/browser's npm
//! packages on first use.

mod common;

use std::future::IntoFuture;
use std::path::{Path, PathBuf};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, node and npm"]
async fn typing_a_thai_title_previews_the_card_and_the_copied_url_fetches_it() {
    run_against_the_service("playground.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, node and npm"]
async fn other_sites_embed_cards_isolated_at_2x_and_in_a_canvas() {
    run_against_the_service("embedding.mjs").await;
}

/// Runs a script of `tests/browser` with the service's URL, on a real socket.
async fn run_against_the_service(script: &str) {
    let dir = browser_dir();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, common::app()).into_future());
    let out = tokio::process::Command::new("node")
        .arg(dir.join(script))
        .arg(format!("http://{addr}"))
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), out)
        .await
        .expect("the browser test finishes within 2 minutes")
        .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{script} failed:\n{stdout}");
    assert!(stdout.contains(" passed, 0 failed"));
}

/// `tests/browser`, its npm packages installed; panics naming what is missing.
fn browser_dir() -> PathBuf {
    common::require(&[("/usr/bin/chromium", Path::new("/usr/bin/chromium").exists())]);
    common::npm_packages()
        .parent()
        .expect("node_modules is in tests/browser")
        .to_path_buf()
}
