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

/// `CENTERED` with a site slot under the title carrying `attrs`.
fn with_site(attrs: &str) -> String {
    CENTERED.replace(
        "</svg>",
        &format!(
            r##"  <text data-slot="site" data-box="40 300 720 60" data-font-size="24" {attrs}
        font-family="Noto Sans" fill="#111">site</text>
</svg>"##
        ),
    )
}

#[tokio::test]
async fn article_flows_its_description_right_below_the_title() {
    let app = app();
    let article = |title: &str| {
        let app = app.clone();
        let query = format!(
            "template=article&title={}&description={}",
            encode(title),
            encode("สรุปทุกอย่างที่ต้องรู้ก่อนตัดสินใจซื้อ")
        );
        async move { get_json(&app, &query).await }
    };
    let slot = |layout: &serde_json::Value, name: &str| -> (f64, f64, f64) {
        let slot = layout["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone();
        let lines = slot["lines"].as_array().unwrap();
        let y = |l: &serde_json::Value| l["y"].as_f64().unwrap();
        let size = slot["font_size"].as_f64().unwrap();
        (y(&lines[0]), y(lines.last().unwrap()), size)
    };
    let short = article("รีวิว iPhone 17 Pro").await;
    let long = article(SEED_TITLE).await;
    let (_, short_title_last, short_size) = slot(&short, "title");
    let (short_desc, _, _) = slot(&short, "description");
    let (_, long_title_last, long_size) = slot(&long, "title");
    let (long_desc, _, _) = slot(&long, "description");
    // The template draws the description's box at y=352: a one-line title leaves no band
    // between them, the description starts a line's height below the title's baseline.
    assert!(short_desc < 352.0 - 100.0, "description at {short_desc}");
    let gap = |title_last: f64, size: f64, desc: f64| desc - title_last - size * 0.35;
    assert!(gap(short_title_last, short_size, short_desc) < 80.0);
    // A three-line title pushes it down, still below the title's last line.
    assert!(
        long_desc > short_desc + 100.0,
        "{long_desc} vs {short_desc}"
    );
    assert!(long_desc > long_title_last + long_size * 0.3);
    assert!(gap(long_title_last, long_size, long_desc) < 80.0);
}

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

#[tokio::test]
async fn sizes_are_the_templates_own_files_and_a_missing_one_is_named() {
    let dir = temp_dir("sizes");
    std::fs::write(dir.join("centered.svg"), CENTERED).unwrap();
    let square = CENTERED
        .replace(
            "width=\"800\" height=\"400\"",
            "width=\"1200\" height=\"1200\"",
        )
        .replace("40 40 720 320", "100 100 1000 1000");
    std::fs::write(dir.join("centered.square.svg"), square).unwrap();
    let app = app_with(&["--templates-dir", dir.to_str().unwrap()]);

    let layout = get_json(&app, "template=centered&size=square&title=Hello").await;
    assert_eq!(
        (layout["width"].as_u64(), layout["height"].as_u64()),
        (Some(1200), Some(1200))
    );
    assert_eq!(layout["size"], "square");
    let og = get_json(&app, "template=centered&title=Hello").await;
    assert_eq!(
        (og["width"].as_u64(), og["size"].as_str()),
        (Some(800), Some("og"))
    );

    let (res, body) = send(&app, "GET", "/api/og?template=centered&size=kakao").await;
    assert_eq!(res.status(), 400);
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains("template `centered` has no size `kakao`; it has og, square"),
        "{body}"
    );
    let (res, body) = send(&app, "GET", "/api/og?size=poster").await;
    assert_eq!(res.status(), 400);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("size `poster` is not og, x, square or kakao"));

    // Every built-in template is drawn in every size, at that size's canvas.
    for template in ["default", "light", "article", "brand"] {
        for (size, w, h) in [
            ("og", 1200, 630),
            ("x", 1200, 600),
            ("square", 1200, 1200),
            ("kakao", 800, 400),
        ] {
            let uri = format!("/api/og?template={template}&size={size}&title=Hi");
            let (res, png) = send(&app, "GET", &uri).await;
            assert_eq!(res.status(), 200, "{uri}");
            assert_eq!(decode_png(&png).0, w, "{uri}");
            assert_eq!(decode_png(&png).1, h, "{uri}");
        }
    }
    // Sizes are different cards: different bytes, different cache entries.
    let a = send(&app, "GET", "/api/og?title=Hi&size=x").await.1;
    let b = send(&app, "GET", "/api/og?title=Hi").await.1;
    assert_ne!(a, b);
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
        // Flow: a named slot that exists, no cycle, a gap only with a flow.
        (
            "flow-missing.svg",
            with_site(r#"data-flow="below:subtitle""#),
            "slot `site`: data-flow names slot `subtitle`, which this template does not have",
        ),
        (
            "flow-self.svg",
            with_site(r#"data-flow="below:site""#),
            "data-flow makes a cycle: site",
        ),
        (
            "flow-cycle.svg",
            with_site(r#"data-flow="below:title""#).replace(
                "data-max-lines=\"3\"",
                "data-max-lines=\"3\" data-flow=\"below:site\"",
            ),
            "data-flow makes a cycle: title, site",
        ),
        (
            "flow-syntax.svg",
            with_site(r#"data-flow="under:title""#),
            "data-flow=\"under:title\" (below:SLOT)",
        ),
        (
            "gap-alone.svg",
            with_site(r#"data-gap="12""#),
            "slot `site`: data-gap needs data-flow",
        ),
        (
            "stretched.svg",
            CENTERED.replace("font-weight=\"bold\"", "font-stretch=\"squashed\""),
            "font-stretch=\"squashed\" (a keyword such as condensed",
        ),
        // Sizes: a size file has that size's canvas, a known size, and a NAME.svg.
        (
            "odd.huge.svg",
            CENTERED.to_string(),
            "file name must be NAME.svg or NAME.SIZE.svg",
        ),
        (
            "lonely.square.svg",
            CENTERED.replace("800", "1200").replace("400", "1200"),
            "no lonely.svg beside it",
        ),
        (
            "kakao.x.svg",
            CENTERED.to_string(),
            "a `x` template is 1200×600, not 800×400",
        ),
    ];
    for (file, source, expected) in cases {
        let dir = temp_dir(file.trim_end_matches(".svg"));
        std::fs::write(dir.join(file), source).unwrap();
        if file == "kakao.x.svg" {
            std::fs::write(dir.join("kakao.svg"), CENTERED).unwrap();
        }
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
