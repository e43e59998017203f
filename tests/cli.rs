//! The command line for static sites: `ogcard render` (one card or a batch) gives the
//! same bytes as the server; `ogcard templates check` validates a directory.

mod common;

use std::path::PathBuf;

use common::*;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ogcard-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn render_writes_the_same_bytes_as_the_server() {
    let dir = temp("one");
    // -o makes the folders it names, as --out-dir does (a static site's `public/og/`).
    let out = dir.join("public/og/card.png");
    let status = ogcard()
        .args([
            "render",
            "--title",
            SEED_TITLE,
            "--site",
            "blog.example.com",
            "-o",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let cli = std::fs::read(&out).unwrap();
    let (res, http) = send(
        &app(),
        "GET",
        &format!("/api/og?title={}&site=blog.example.com", encode(SEED_TITLE)),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(cli, http, "CLI and server bytes differ");

    let json = ogcard()
        .args(["render", "--title", "x", "--format", "json", "-o", "-"])
        .output()
        .unwrap();
    assert!(json.status.success());
    let layout: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(layout["lines"][0]["text"], "x");

    // A link where the card goes is not written through: its target stays as it was.
    let target = dir.join("target.txt");
    std::fs::write(&target, "mine").unwrap();
    let link = dir.join("link.png");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let through = ogcard()
        .args(["render", "--title", "x", "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert!(!through.status.success());
    assert!(String::from_utf8_lossy(&through.stderr).contains("symbolic link"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
}

#[tokio::test]
async fn render_takes_every_card_parameter_the_server_takes() {
    let dir = temp("params");
    let out = dir.join("card.png");
    let flags = [
        ("--title", SEED_TITLE),
        ("--template", "article"),
        ("--description", "สรุปสั้น ๆ"),
        ("--author", "lark"),
        ("--date", "2026-12-02"),
        ("--tags", "AI,โอเพนซอร์ส"),
        ("--theme", "light"),
        ("--accent", "#e11d48"),
        ("--lang", "th"),
        ("--dpr", "2"),
    ];
    let mut command = ogcard();
    command.arg("render");
    for (flag, value) in flags {
        command.args([flag, value]);
    }
    assert!(command.arg("-o").arg(&out).status().unwrap().success());
    let cli = std::fs::read(&out).unwrap();
    let query: Vec<String> = flags
        .iter()
        .map(|(flag, value)| format!("{}={}", &flag[2..], encode(value)))
        .collect();
    let (res, http) = send(&app(), "GET", &format!("/api/og?{}", query.join("&"))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(cli, http, "CLI and server bytes differ");
    assert_eq!(decode_png(&cli).0, 2400);

    let bad = ogcard()
        .args(["render", "--title", "x", "--dpr", "4", "-o", "-"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("dpr `4` is not 0.5, 1, 1.5, 2 or 3"));
}

#[tokio::test]
async fn a_batch_renders_every_line_into_the_out_dir() {
    let dir = temp("batch");
    let titles = [
        "การกลั่นโมเดล: ดาบสองคม",
        "Open source AI",
        "深度洞察",
        "ثورة DeepSeek",
    ];
    let mut jsonl = String::new();
    for (i, t) in titles.iter().enumerate() {
        let line = serde_json::json!({"title": t, "site": "x.com", "utm": "ignored"});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
        if i == 1 {
            jsonl.push('\n');
        }
    }
    jsonl.push_str(
        &serde_json::json!({"title": "named", "format": "svg", "out": "named.svg"}).to_string(),
    );
    let batch = dir.join("titles.jsonl");
    std::fs::write(&batch, jsonl).unwrap();
    let out_dir = dir.join("cards");
    let run = ogcard()
        .args(["render", "--quiet", "--jobs", "2", "--batch"])
        .arg(&batch)
        .arg("--out-dir")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("rendered 5 of 5 cards"));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "00001.png",
            "00002.png",
            "00004.png",
            "00005.png",
            "named.svg"
        ]
    );
    let (_, http) = send(
        &app(),
        "GET",
        &format!("/api/og?title={}&site=x.com", encode(titles[0])),
    )
    .await;
    assert_eq!(std::fs::read(out_dir.join("00001.png")).unwrap(), http);
}

#[test]
fn a_bad_batch_line_fails_naming_its_line() {
    let dir = temp("bad");
    let batch = dir.join("bad.jsonl");
    for (content, expected) in [
        (
            "{\"title\":\"ok\"}\n{\"title\":\"x\",\"format\":\"gif\"}\n",
            "bad.jsonl:2: unknown format `gif`",
        ),
        (
            "{\"title\":\"x\",\"out\":\"../escape.png\"}\n",
            "bad.jsonl:1: `out` must be a plain file name",
        ),
        ("not json\n", "bad.jsonl:1: not a JSON object"),
        ("{\"title\":3}\n", "bad.jsonl:1: `title` must be a string"),
    ] {
        std::fs::write(&batch, content).unwrap();
        let run = ogcard()
            .args(["render", "--quiet", "--batch"])
            .arg(&batch)
            .arg("--out-dir")
            .arg(dir.join("out"))
            .output()
            .unwrap();
        assert!(!run.status.success(), "{content}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(expected), "{content}: {err}");
    }
    assert!(!dir.join("escape.png").exists());
}

#[test]
fn a_batch_writes_every_good_line_and_reports_each_bad_one() {
    let dir = temp("mixed");
    let batch = dir.join("mixed.jsonl");
    let out_dir = dir.join("out");
    std::fs::write(
        &batch,
        [
            r#"{"title":"หนึ่ง","out":"one.png"}"#,
            "not json",
            r#"{"title":"สอง","out":"two.png"}"#,
            r#"{"title":"x","template":"nosuch"}"#,
            r#"{"title":"x","format":"gif"}"#,
            r#"{"title":"สาม","out":"three.png"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let run = ogcard()
        .args(["render", "--quiet", "--batch"])
        .arg(&batch)
        .arg("--out-dir")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    for expected in [
        "mixed.jsonl:2: not a JSON object",
        "mixed.jsonl:4: unknown template `nosuch`",
        "mixed.jsonl:5: unknown format `gif`",
        "rendered 3 of 6 cards",
    ] {
        assert!(err.contains(expected), "{expected:?} in {err}");
    }
    for name in ["one.png", "two.png", "three.png"] {
        let png = std::fs::read(out_dir.join(name)).unwrap();
        assert_eq!(decode_png(&png).0, 1200, "{name}");
    }
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 3);
}

#[test]
fn templates_check_validates_a_directory() {
    let dir = temp("check");
    let good = include_str!("../templates/default.svg");
    std::fs::write(dir.join("mine.svg"), good).unwrap();
    let ok = ogcard()
        .args(["templates", "check"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("mine"));

    std::fs::write(
        dir.join("broken.svg"),
        good.replace("data-box=\"80 72 1040 432\"", "data-box=\"80\""),
    )
    .unwrap();
    let bad = ogcard()
        .args(["templates", "check"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("broken.svg") && err.contains("data-box"),
        "{err}"
    );
}

/// The README's recipe for the `brand` template's logo, as written: your own
/// `brand-logo.svg` in `--templates-dir`, beside a copy of `brand.svg` or alone. A file a
/// template names in `data-asset` is an asset, never read as a template; the repository's
/// own `templates/` (logo included) checks clean.
#[tokio::test]
async fn the_brand_logo_recipe_works_as_written() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = ogcard()
        .args(["templates", "check"])
        .arg(repo.join("templates"))
        .output()
        .unwrap();
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    // A red square logo: the built-in one is lavender where this is red.
    let logo = r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#ff0000"/></svg>"##;
    let logo_pixel = |png: &[u8]| {
        let (width, _, rgba) = decode_png(png);
        // The centre of the 88 px logo `brand.svg` puts at (80, 64).
        let at = ((108 * width + 124) * 4) as usize;
        [rgba[at], rgba[at + 1], rgba[at + 2]]
    };
    let card = |addr| async move {
        let res = raw_request(addr, "GET", "/api/og?template=brand&title=Hello", &[]).await;
        assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
        res.body
    };
    let built_in = start_server(&[], &[], std::process::Stdio::inherit()).await;
    assert_eq!(logo_pixel(&card(built_in.addr).await), [0xa5, 0xb4, 0xfc]);

    let beside_a_copy = temp("brand-copy");
    std::fs::write(beside_a_copy.join("brand-logo.svg"), logo).unwrap();
    std::fs::copy(
        repo.join("templates/brand.svg"),
        beside_a_copy.join("brand.svg"),
    )
    .unwrap();
    let alone = temp("brand-alone");
    std::fs::write(alone.join("brand-logo.svg"), logo).unwrap();
    for dir in [&beside_a_copy, &alone] {
        let check = ogcard()
            .args(["templates", "check"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&check.stderr)
        );
        let server = start_server(
            &["--templates-dir", dir.to_str().unwrap()],
            &[],
            std::process::Stdio::inherit(),
        )
        .await;
        assert_eq!(
            logo_pixel(&card(server.addr).await),
            [0xff, 0, 0],
            "{}",
            dir.display()
        );
    }
    // An SVG no template names is still read as a template, and said to be wrong.
    std::fs::write(alone.join("stray.svg"), logo).unwrap();
    let stray = ogcard()
        .args(["templates", "check"])
        .arg(&alone)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&stray.stderr);
    assert!(
        !stray.status.success() && err.contains("stray.svg"),
        "{err}"
    );
}

#[test]
fn fonts_lists_every_face_with_its_scripts_and_the_extra_ones() {
    let out = ogcard().arg("fonts").output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        table.lines().next(),
        Some("family\tweight\tstyle\taxes\tscripts")
    );
    assert!(
        table
            .lines()
            .any(|l| l == "Noto Sans Thai\t700\tnormal\t-\tThai"),
        "{table}"
    );
    assert!(table
        .lines()
        .any(|l| l.starts_with("Noto Color Emoji\t") && l.ends_with("Emoji")));
    // A --font-dir's faces are listed after the embedded ones, named as templates name them
    // (a copy of one the repository ships: the embedded set holds it too, so it shows twice).
    let dir = temp("fonts");
    let font = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSans-Regular.ttf");
    std::fs::copy(font, dir.join("Mine.ttf")).unwrap();
    let out = ogcard()
        .arg("--font-dir")
        .arg(&dir)
        .arg("fonts")
        .output()
        .unwrap();
    let with_dir = String::from_utf8(out.stdout).unwrap();
    assert_eq!(with_dir.lines().count(), table.lines().count() + 1);
    let last = with_dir.lines().last().unwrap();
    assert!(
        last.starts_with("Noto Sans\t400\tnormal\t-\tLatin"),
        "{last}"
    );
}
