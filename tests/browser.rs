//! The playground in a real browser: headless Chromium (Debian's package) driven by
//! playwright-core types a Thai title and checks the preview and the copied URL
//! (`tests/browser/playground.mjs`).
//!
//! Needs node, /usr/bin/chromium and `npm ci` in tests/browser (`.ci/run` does all three).
//! Without them the test says so and passes, except under CI, where it fails.

mod common;

use std::future::IntoFuture;
use std::path::Path;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_thai_title_previews_the_card_and_the_copied_url_fetches_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let missing: Vec<&str> = [
        ("node", which("node")),
        ("/usr/bin/chromium", Path::new("/usr/bin/chromium").exists()),
        (
            "tests/browser/node_modules (npm ci)",
            dir.join("node_modules/playwright-core").exists(),
        ),
    ]
    .into_iter()
    .filter(|(_, ok)| !ok)
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide {missing:?}"
        );
        eprintln!("skipped: missing {missing:?}");
        return;
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, common::app()).into_future());
    let out = tokio::process::Command::new("node")
        .arg(dir.join("playground.mjs"))
        .arg(format!("http://{addr}"))
        .current_dir(&dir)
        .output()
        .await
        .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser test failed:\n{stdout}");
    assert!(stdout.contains(" passed, 0 failed"));
}

fn which(cmd: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(cmd).is_file()))
}
