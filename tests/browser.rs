//! Real browser tests: headless Chromium (Debian's package) driven by playwright-core.
//! - `tests/browser/playground.mjs` types a Thai title into the playground and checks the
//!   preview and the copied URL;
//! - `tests/browser/embedding.mjs` embeds cards in pages from another origin: under
//!   `Cross-Origin-Embedder-Policy: require-corp`, in a `srcset` on a 2× screen, drawn into
//!   a canvas.
//!
//! Needs node, /usr/bin/chromium and `npm ci` in tests/browser (`.ci/run` does all three).
//! Without them the tests say so and pass, except under CI, where they fail.

mod common;

use std::future::IntoFuture;
use std::path::{Path, PathBuf};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_thai_title_previews_the_card_and_the_copied_url_fetches_it() {
    run_against_the_service("playground.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_sites_embed_cards_isolated_at_2x_and_in_a_canvas() {
    run_against_the_service("embedding.mjs").await;
}

/// Runs a script of `tests/browser` with the service's URL, on a real socket.
async fn run_against_the_service(script: &str) {
    let Some(dir) = browser_dir() else { return };
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

/// `tests/browser` when node, Chromium and playwright-core are there; `None` (the test
/// passes, saying why) when not, except under CI.
fn browser_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let tools = [
        ("node", common::on_path("node")),
        ("/usr/bin/chromium", Path::new("/usr/bin/chromium").exists()),
        (
            "tests/browser/node_modules (npm ci)",
            dir.join("node_modules/playwright-core").exists(),
        ),
    ];
    if !common::tools_present(&tools) {
        return None;
    }
    Some(dir)
}
