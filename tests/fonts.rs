//! Brand fonts from a font directory, against headless Chromium setting the same text in
//! the same font files: Kanit from WOFF2 and WOFF (the `@fontsource/kanit` package, split
//! into unicode-range subsets as sites serve it) and the variable Noto Sans Thai
//! (`@fontsource-variable/noto-sans-thai`, a `wght` axis) at 400, 600 and 800. For each:
//! the same line breaks, every line's ink within 1 px vertically, and the mean absolute
//! difference of the two pictures reported (and bounded).
//!
//! The fonts come from npm (tests/browser's packages, installed on first use); Chromium
//! from Debian. Needing node, npm and chromium, the tests are `#[ignore]`d: `cargo test --
//! --include-ignored` runs them, as `.ci/run` does.

mod common;

use std::path::{Path, PathBuf};

use common::*;

struct Case {
    template: &'static str,
    /// The font package's stylesheets, as a site links them.
    css: &'static [&'static str],
    /// The family as the CSS names it.
    family: &'static str,
    weight: u16,
}

const CASES: &[Case] = &[
    Case {
        template: "kanit",
        css: &["@fontsource/kanit/700.css"],
        family: "Kanit",
        weight: 700,
    },
    Case {
        template: "noto-variable-400",
        css: &["@fontsource-variable/noto-sans-thai/wght.css"],
        family: "Noto Sans Thai Variable",
        weight: 400,
    },
    Case {
        template: "noto-variable-600",
        css: &["@fontsource-variable/noto-sans-thai/wght.css"],
        family: "Noto Sans Thai Variable",
        weight: 600,
    },
    Case {
        template: "noto-variable-800",
        css: &["@fontsource-variable/noto-sans-thai/wght.css"],
        family: "Noto Sans Thai Variable",
        weight: 800,
    },
];

/// The font files the service loads: the subsets the titles need, Kanit's Latin as
/// WOFF (version 1) so that both compressions are read.
const FONT_FILES: &[&str] = &[
    "@fontsource/kanit/files/kanit-thai-700-normal.woff2",
    "@fontsource/kanit/files/kanit-latin-700-normal.woff",
    "@fontsource-variable/noto-sans-thai/files/noto-sans-thai-thai-wght-normal.woff2",
    "@fontsource-variable/noto-sans-thai/files/noto-sans-thai-latin-wght-normal.woff2",
];

const TITLES: &[&str] = &[
    SEED_TITLE,
    "สูตรต้มยำกุ้งน้ำข้นแบบร้านดัง ทำง่ายที่บ้านด้วยวัตถุดิบจากตลาดใกล้บ้าน",
];

/// The rows of a line's band (one line box: 96 px from y = 72) where any pixel is lit.
fn ink_rows(rgba: &[u8], width: u32, band: std::ops::Range<u32>) -> Option<(u32, u32)> {
    let lit = |y: u32| {
        (0..width).any(|x| {
            let i = ((y * width + x) * 4) as usize;
            u32::from(rgba[i]) + u32::from(rgba[i + 1]) + u32::from(rgba[i + 2]) > 3 * 128
        })
    };
    let top = band.clone().find(|&y| lit(y))?;
    let bottom = band.rev().find(|&y| lit(y))?;
    Some((top, bottom))
}

/// The font files copied into a fresh directory.
fn font_dir(name: &str) -> PathBuf {
    let modules = npm_packages();
    let dir = std::env::temp_dir().join(format!("ogcard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in FONT_FILES {
        let from = modules.join(file);
        std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
#[ignore = "needs node and npm"]
fn ogcard_fonts_lists_web_fonts_with_their_weights_axes_and_scripts() {
    let dir = font_dir("fonts-list");
    let out = ogcard()
        .args(["--font-dir", dir.to_str().unwrap(), "fonts"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listing = String::from_utf8(out.stdout).unwrap();
    for row in [
        // One row per file: Kanit's Thai subset from WOFF2, its Latin one from WOFF.
        "Kanit\t700\tnormal\t-\t\n",
        "Kanit\t700\tnormal\t-\tThai\n",
        // The variable font's instances, as one row per file with the weights they span.
        "Noto Sans Thai\t100–900\tnormal\twght 100–900\tThai\n",
    ] {
        assert!(listing.contains(row), "no {row:?} in:\n{listing}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, node and npm"]
async fn brand_fonts_set_text_as_chromium_does() {
    require(&[("/usr/bin/chromium", Path::new("/usr/bin/chromium").exists())]);
    let fonts = font_dir("fonts");
    let modules = npm_packages();
    let work = fonts.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/font-templates");
    let app = app_with(&[
        "--font-dir",
        fonts.to_str().unwrap(),
        "--templates-dir",
        templates.to_str().unwrap(),
    ]);

    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for case in CASES {
        for (t, title) in TITLES.iter().enumerate() {
            let name = format!("{}-{t}", case.template);
            let query = format!("template={}&title={}", case.template, encode(title));
            let layout = get_json(&app, &query).await;
            let used: Vec<&str> = layout["fonts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            let family = if case.family == "Kanit" {
                "Kanit"
            } else {
                "Noto Sans Thai"
            };
            assert!(
                used.iter().all(|f| f.starts_with(family)),
                "{name}: set in {used:?}"
            );
            let (res, png) = send(&app, "GET", &format!("/api/og?{query}")).await;
            assert_eq!(res.status(), 200);
            ours.push((name.clone(), line_texts(&layout), png));
            let screenshot = work.join(format!("{name}.chromium.png"));
            cases.push(serde_json::json!({
                "name": name,
                "css": case.css.iter().map(|c| modules.join(c)).collect::<Vec<PathBuf>>(),
                "family": case.family,
                "weight": case.weight,
                "title": title,
                "screenshot": screenshot,
            }));
        }
    }
    let spec = work.join("spec.json");
    std::fs::write(&spec, serde_json::json!({ "cases": cases }).to_string()).unwrap();
    let out = std::process::Command::new("node")
        .arg(modules.parent().unwrap().join("fonts.mjs"))
        .arg(&spec)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success() && stdout.contains(" passed, 0 failed"),
        "fonts.mjs failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let mut report = String::new();
    for ((name, lines, png), chromium) in ours.iter().zip(&theirs) {
        assert_eq!(chromium["name"], name.as_str());
        let chromium_lines: Vec<String> = chromium["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect();
        assert_eq!(lines, &chromium_lines, "{name}: line breaks");

        let (w, h, ours_px) = decode_png(png);
        let shot = std::fs::read(work.join(format!("{name}.chromium.png"))).unwrap();
        let (cw, ch, theirs_px) = decode_png(&shot);
        assert_eq!((w, h), (cw, ch), "{name}: picture size");
        for k in 0..lines.len() as u32 {
            let band = 72 + 96 * k..72 + 96 * (k + 1);
            let a = ink_rows(&ours_px, w, band.clone()).unwrap();
            let b = ink_rows(&theirs_px, w, band).unwrap();
            assert!(
                a.0.abs_diff(b.0) <= 1 && a.1.abs_diff(b.1) <= 1,
                "{name} line {k}: ink rows {a:?} here, {b:?} in Chromium"
            );
        }
        let diff: u64 = ours_px
            .iter()
            .zip(&theirs_px)
            .enumerate()
            .filter(|(i, _)| i % 4 != 3)
            .map(|(_, (a, b))| u64::from(a.abs_diff(*b)))
            .sum();
        let mean = diff as f64 / f64::from(w * h * 3);
        report.push_str(&format!("{name}: mean abs difference {mean:.3}/255\n"));
        // Anti-aliasing and hinting differ; a wrong face or weight is several times this.
        assert!(mean < 2.5, "{name}: mean abs difference {mean:.3}");
    }
    eprint!("{report}");
    let _ = std::fs::remove_dir_all(&fonts);
}
