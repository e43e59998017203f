//! Templates from a directory: added, overriding, and refused with a clear message.

mod common;

use clap::Parser;
use common::*;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ogcard-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const CENTERED: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">
  <rect width="800" height="400" fill="#fff"/>
  <text data-slot="title" data-box="40 40 720 320" data-font-size="48" data-min-font-size="32"
        data-max-lines="3" data-line-height="1.4" data-align="center" data-valign="middle"
        font-family="Noto Sans, Noto Sans Thai" font-weight="bold" fill="#111">Sample</text>
</svg>"##;

#[tokio::test]
async fn a_directory_adds_templates_with_their_own_slots() {
    let dir = temp_dir("add");
    std::fs::write(dir.join("centered.svg"), CENTERED).unwrap();
    let app = app_with(&["--templates-dir", dir.to_str().unwrap()]);
    let layout = get_json(&app, "template=centered&title=Hello").await;
    assert_eq!(layout["width"], 800);
    assert_eq!(layout["height"], 400);
    let line = &layout["lines"][0];
    let (x, w) = (line["x"].as_f64().unwrap(), line["width"].as_f64().unwrap());
    assert!((x + w / 2.0 - 400.0).abs() < 0.01, "centred: x={x} w={w}");
    assert_eq!(line["font_size"], 48.0);
    // The embedded default is still there.
    let (res, _) = send(&app, "GET", "/api/og?template=default").await;
    assert_eq!(res.status(), 200);
    let (w, h, _) = decode_png(&send(&app, "GET", "/api/og?template=centered").await.1);
    assert_eq!((w, h), (800, 400));
}

#[tokio::test]
async fn a_file_named_like_an_embedded_template_replaces_it() {
    let dir = temp_dir("override");
    std::fs::write(dir.join("default.svg"), CENTERED).unwrap();
    let app = app_with(&["--templates-dir", dir.to_str().unwrap()]);
    let layout = get_json(&app, "title=Hello").await;
    assert_eq!(layout["width"], 800);
}

#[test]
fn invalid_templates_fail_startup_naming_file_and_problem() {
    let cases = [
        (
            "no-title.svg",
            CENTERED.replace("data-slot=\"title\"", "data-slot=\"site\""),
            "no `title` slot",
        ),
        (
            "bad-box.svg",
            CENTERED.replace("40 40 720 320", "40 40 720"),
            "data-box must be four numbers",
        ),
        (
            "bad-font.svg",
            CENTERED.replace("Noto Sans, Noto Sans Thai", "Comic Sans"),
            "font-family `Comic Sans`",
        ),
        (
            "spaced.svg",
            CENTERED.replace("fill=\"#111\"", "letter-spacing=\"2\""),
            "`letter-spacing` is not supported",
        ),
        ("broken.svg", CENTERED.replace("</svg>", ""), "broken.svg"),
        // Numbers that would make layout loop (almost) forever, or draw off the card.
        (
            "tiny-step.svg",
            CENTERED.replace(
                "data-min-font-size",
                "data-font-step=\"0.000001\" data-min-font-size",
            ),
            "line 3: slot `title`: data-font-step=\"0.000001\" must be at least 0.5",
        ),
        (
            "many-sizes.svg",
            CENTERED.replace(
                "data-min-font-size=\"32\"",
                "data-min-font-size=\"4\" data-font-step=\"0.5\"",
            ),
            "more than 64 sizes",
        ),
        (
            "huge.svg",
            CENTERED.replace("data-font-size=\"48\"", "data-font-size=\"4000\""),
            "line 3: slot `title`: need 4 ≤ data-min-font-size ≤ data-font-size ≤ 512",
        ),
        (
            "tiny.svg",
            CENTERED.replace("data-min-font-size=\"32\"", "data-min-font-size=\"1\""),
            "need 4 ≤ data-min-font-size",
        ),
        (
            "lines.svg",
            CENTERED.replace("data-max-lines=\"3\"", "data-max-lines=\"21\""),
            "data-max-lines must be a whole number 1–20",
        ),
        (
            "outside.svg",
            CENTERED.replace("40 40 720 320", "400 40 720 320"),
            "data-box \"400 40 720 320\" is not inside the 800×400 canvas",
        ),
        (
            "leading.svg",
            CENTERED.replace("data-line-height=\"1.4\"", "data-line-height=\"40\""),
            "data-line-height=\"40\" must be 0.5–4",
        ),
    ];
    for (file, source, expected) in cases {
        let dir = temp_dir(file.trim_end_matches(".svg"));
        std::fs::write(dir.join(file), source).unwrap();
        let config = ogcard::config::Config::parse_from([
            "ogcard",
            "--templates-dir",
            dir.to_str().unwrap(),
        ]);
        let err = match ogcard::state(&config) {
            Ok(_) => panic!("{file} was accepted"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(file), "{err}");
        assert!(err.contains(expected), "{file}: {err}");
    }
}
