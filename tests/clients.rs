//! The signing helpers other languages use (`clients/sign.mjs` on WebCrypto in node,
//! `clients/sign.py` on the standard library) against `ogcard sign`, byte for byte, over
//! `data/sign-corpus.jsonl`: Thai raw and percent-encoded, emoji sequences, `+`, `%20`,
//! `&`, `#`, NFC and NFD, empty values, repeated keys, unknown parameters, hostile
//! invisibles, and bytes that are not UTF-8 (which all three refuse). Each URL the helpers
//! make is then checked by the server itself: its signature is accepted.
//!
//! Needs node and python3, so `#[ignore]`d: `cargo test -- --include-ignored` runs it, as
//! `.ci/run` does.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

const KEY: &str = "a signing key with ไทย & spaces";
const BASE: &str = "https://cards.example.com";

/// Runs `program args` with one JSON case a line on stdin; each output line is the signed
/// URL or `ERROR`.
fn run_helper(program: &str, args: &[&str], cases: &str) -> Vec<String> {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(cases.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{program} failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

const NODE_DRIVER: &str = r#"
import { signedOgUrl } from "./clients/sign.mjs";
import { createInterface } from "node:readline";
for await (const line of createInterface({ input: process.stdin })) {
  try { console.log(await signedOgUrl(process.argv[1], JSON.parse(line), process.argv[2])); }
  catch { console.log("ERROR"); }
}
"#;

const PYTHON_DRIVER: &str = r#"
import json, sys
sys.path.insert(0, "clients")
from sign import signedOgUrl, signed_og_url
assert signedOgUrl is signed_og_url
for line in sys.stdin:
    try:
        print(signedOgUrl(sys.argv[1], json.loads(line), sys.argv[2]))
    except (UnicodeDecodeError, ValueError):
        print("ERROR")
"#;

/// What `ogcard sign` prints for a case: a query string as given, an object as the form
/// encoding of its pairs.
fn ogcard_sign(case: &serde_json::Value) -> String {
    let query = match case {
        serde_json::Value::String(q) => q.clone(),
        serde_json::Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v.as_str().unwrap())))
            .collect::<Vec<_>>()
            .join("&"),
        other => panic!("a case is a string or an object, not {other}"),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_ogcard"))
        .args(["sign", &query, "--base-url", BASE])
        .env("OGCARD_SIGNING_KEY", KEY)
        .output()
        .unwrap();
    if out.status.success() {
        String::from_utf8(out.stdout)
            .unwrap()
            .trim_end()
            .to_string()
    } else {
        "ERROR".to_string()
    }
}

#[tokio::test]
#[ignore = "needs node and python3"]
async fn js_and_python_helpers_sign_exactly_as_ogcard_sign_does() {
    require(&[("node", on_path("node")), ("python3", on_path("python3"))]);
    let corpus = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sign-corpus.jsonl"),
    )
    .unwrap();
    let cases: Vec<serde_json::Value> = corpus
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected: Vec<String> = cases.iter().map(ogcard_sign).collect();
    let node = run_helper(
        "node",
        &["--input-type=module", "-e", NODE_DRIVER, BASE, KEY],
        &corpus,
    );
    let python = run_helper("python3", &["-c", PYTHON_DRIVER, BASE, KEY], &corpus);
    for (i, case) in cases.iter().enumerate() {
        assert_eq!(node.get(i), Some(&expected[i]), "sign.mjs, case {case}");
        assert_eq!(python.get(i), Some(&expected[i]), "sign.py, case {case}");
    }
    assert_eq!(node.len(), cases.len());
    assert_eq!(python.len(), cases.len());
    assert!(
        expected.iter().any(|u| u == "ERROR"),
        "the corpus holds a refusal"
    );

    // The server accepts every signature the helpers made.
    let app = app_with(&["--signing-key", KEY]);
    for url in expected.iter().filter(|u| *u != "ERROR") {
        let path = url.strip_prefix(BASE).unwrap();
        let (res, body) = send(&app, "GET", path).await;
        assert_ne!(
            res.status(),
            403,
            "{url}: {}",
            String::from_utf8_lossy(&body)
        );
        let tampered = path.replace("sig=", "sig=0");
        assert_eq!(send(&app, "GET", &tampered).await.0.status(), 403, "{url}");
    }
}
