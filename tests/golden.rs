//! Golden images: whole cards compared with blessed PNGs under `tests/golden/`.
//!
//! A pixel differs when one channel is off by more than `TOLERANCE`; a card fails when
//! more than `MAX_DIFFERENT` of its pixels differ. On failure a diff image (differing
//! pixels in red over a dimmed card) goes to `target/golden-diff/`. `OGCARD_BLESS=1`
//! rewrites the references and then fails, so that a bless is always a visible diff.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const TOLERANCE: u8 = 2;
const MAX_DIFFERENT: f64 = 0.0005;

/// Compares (or, with `OGCARD_BLESS`, rewrites) one card; `true` when it was blessed.
async fn check(name: &str, query: &str) -> bool {
    let (res, body) = send(&app(), "GET", &format!("/api/og?{query}")).await;
    assert_eq!(res.status(), 200);
    compare(name, &body)
}

/// Compares (or blesses) a card's PNG bytes with `tests/golden/{name}.png`.
fn compare(name: &str, body: &[u8]) -> bool {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.png"));
    if std::env::var_os("OGCARD_BLESS").is_some() {
        std::fs::write(&reference, body).unwrap();
        eprintln!("blessed {}: look at it", reference.display());
        return true;
    }
    let expected = std::fs::read(&reference)
        .unwrap_or_else(|_| panic!("no {}: run with OGCARD_BLESS=1", reference.display()));
    let (w, h, actual) = decode_png(body);
    let (ew, eh, expected) = decode_png(&expected);
    assert_eq!((w, h), (ew, eh), "{name}: size");

    let mut diff = Vec::with_capacity(actual.len());
    let mut different = 0usize;
    for (a, e) in actual.chunks_exact(4).zip(expected.chunks_exact(4)) {
        if a.iter().zip(e).any(|(x, y)| x.abs_diff(*y) > TOLERANCE) {
            different += 1;
            diff.extend_from_slice(&[255, 0, 0, 255]);
        } else {
            diff.extend_from_slice(&[a[0] / 3, a[1] / 3, a[2] / 3, 255]);
        }
    }
    let share = different as f64 / (w * h) as f64;
    if share > MAX_DIFFERENT {
        let out = write_diff(name, w, h, &diff);
        panic!(
            "{name}: {different} pixels differ ({:.3}%); diff image: {}",
            share * 100.0,
            out.display()
        );
    }
    false
}

/// A bless always fails, so that it shows up as a diff to look at, never as a pass.
fn finish(blessed: bool) {
    assert!(
        !blessed,
        "references rewritten: look at them, then run again without OGCARD_BLESS"
    );
}

fn write_diff(name: &str, w: u32, h: u32, rgba: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-diff");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    let file = std::fs::File::create(&path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(rgba)
        .unwrap();
    path
}

#[tokio::test]
async fn seed_card() {
    finish(check("seed", &format!("{SEED_QUERY_RAW}&site=blog.example.com")).await);
}

#[tokio::test]
async fn long_thai_title_shrinks_and_is_cut() {
    let title = "ข้อมูลเชิงลึกจากการประชุมสุดยอด ".repeat(12);
    finish(check("long-thai", &format!("title={}", encode(&title))).await);
}

/// One card per script family from `tests/data/scripts.tsv`: shaping (Devanagari conjuncts,
/// Burmese and Khmer stacks, Arabic joining) and right-to-left order and alignment.
#[tokio::test]
async fn scripts() {
    let mut blessed = false;
    for tag in [
        "ar", "he", "hi", "lo", "km", "my", "vi", "ru", "zh", "ja", "ko", "emoji", "mixed",
    ] {
        let title = include_str!("data/scripts.tsv")
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{tag}\t")))
            .unwrap();
        blessed |= check(
            &format!("script-{tag}"),
            &format!("title={}", encode(title)),
        )
        .await;
    }
    finish(blessed);
}

const TEMPLATE_THAI_TITLE: &str = "การกลั่นโมเดล: ดาบสองคมของสตาร์ทอัพในประเทศไทยที่อยากสร้าง AI ของตัวเอง";

/// Every parameter but the title and template, for the template goldens.
fn every_other_parameter() -> String {
    let description = encode("ข้อมูลเชิงลึกจากการประชุมสุดยอด AI แบบปิดประตู และสิ่งที่นักพัฒนาควรรู้");
    format!(
        "site=blog.example.com&author=สมชาย%20ใจดี&date=29%20พ.ย.%202569\
         &tags=AI,โอเพนซอร์ส,Rust&description={description}"
    )
}

/// Every built-in template with a Thai and an English title and all its parameters.
#[tokio::test]
async fn templates() {
    let english = "Model distillation: a double-edged sword for startups building their own AI";
    let others = every_other_parameter();
    let mut blessed = false;
    for template in ["default", "light", "article", "brand"] {
        for (lang, title) in [("th", TEMPLATE_THAI_TITLE), ("en", english)] {
            let query = format!("template={template}&title={}&{others}", encode(title));
            blessed |= check(&format!("template-{template}-{lang}"), &query).await;
        }
    }
    finish(blessed);
}

/// Every built-in template in every other size: each its own design (`NAME.SIZE.svg`).
#[tokio::test]
async fn sizes() {
    let others = every_other_parameter();
    let mut blessed = false;
    for template in ["default", "light", "article", "brand"] {
        for size in ["x", "square", "kakao"] {
            let query = format!(
                "template={template}&size={size}&title={}&{others}",
                encode(TEMPLATE_THAI_TITLE)
            );
            blessed |= check(&format!("size-{template}-{size}"), &query).await;
        }
    }
    finish(blessed);
}

/// Cards with pictures, drawn by `ogcard render` from local files: `cover` in every size
/// with a photo and with none (its fallback), `article` with an avatar (a circle) and a
/// `cover` with a logo fitted inside its box.
#[tokio::test]
async fn pictures() {
    let photo = "tests/data/pictures/rocket.jpg";
    let cat = "tests/data/pictures/chelsea.png";
    let mut blessed = false;
    let mut cases: Vec<(String, Vec<&str>)> = Vec::new();
    // The other sizes at dpr 0.5: the layers drawn again at a scale, and photo PNGs a
    // quarter of the size in the repository.
    for (size, dpr) in [
        ("og", "1"),
        ("x", "0.5"),
        ("square", "0.5"),
        ("kakao", "0.5"),
    ] {
        cases.push((
            format!("cover-{size}"),
            vec![
                "--template",
                "cover",
                "--size",
                size,
                "--dpr",
                dpr,
                "--image",
                photo,
            ],
        ));
    }
    cases.push(("cover-fallback".into(), vec!["--template", "cover"]));
    cases.push((
        "cover-logo".into(),
        vec![
            "--template",
            "cover",
            "--dpr",
            "0.5",
            "--image",
            photo,
            "--logo",
            cat,
        ],
    ));
    for (size, dpr) in [("og", "1"), ("square", "0.5")] {
        cases.push((
            format!("article-avatar-{size}"),
            vec![
                "--template",
                "article",
                "--size",
                size,
                "--dpr",
                dpr,
                "--avatar",
                cat,
                "--author",
                "สมชาย ใจดี",
                "--date",
                "29 พ.ย. 2569",
            ],
        ));
    }
    for (name, args) in cases {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ogcard"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "render",
                "--title",
                TEMPLATE_THAI_TITLE,
                "--site",
                "blog.example.com",
            ])
            .args(&args)
            .args(["--output", "-"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        blessed |= compare(&format!("picture-{name}"), &out.stdout);
    }
    finish(blessed);
}
