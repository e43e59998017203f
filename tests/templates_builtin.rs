//! The built-in templates and the parameters they show: theme, accent, article fields,
//! and a logo inlined from a file beside the template.

mod common;

use common::*;

#[tokio::test]
async fn every_builtin_template_renders_a_1200x630_card() {
    let app = app();
    for template in ["default", "light", "article", "brand"] {
        let (res, png) = send(&app, "GET", &format!("/api/og?template={template}&title=x")).await;
        assert_eq!(res.status(), 200, "{template}");
        assert_eq!(decode_png(&png).0, 1200);
    }
}

#[tokio::test]
async fn theme_picks_the_templates_counterpart() {
    let app = app();
    let layout = get_json(&app, "title=x&theme=light").await;
    assert_eq!(layout["template"], "light");
    let layout = get_json(&app, "title=x&template=light&theme=dark").await;
    assert_eq!(layout["template"], "default");
    let layout = get_json(&app, "title=x&theme=dark").await;
    assert_eq!(layout["template"], "default");
    // No counterpart: the template itself.
    let layout = get_json(&app, "title=x&template=article&theme=light").await;
    assert_eq!(layout["template"], "article");
    let (res, _) = send(&app, "GET", "/api/og?theme=sepia").await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn accent_paints_the_accent_elements_only() {
    let app = app();
    let (_, plain) = send(&app, "GET", "/api/og?template=light&format=svg&title=x").await;
    let (_, red) = send(
        &app,
        "GET",
        "/api/og?template=light&format=svg&title=x&accent=%23E11",
    )
    .await;
    let (plain, red) = (
        String::from_utf8(plain).unwrap(),
        String::from_utf8(red).unwrap(),
    );
    assert!(plain.contains("fill=\"#2563eb\""));
    assert!(red.contains("fill=\"#ee1111\"") && !red.contains("#2563eb"));
    roxmltree::Document::parse(&red).unwrap();
    // And in the pixels: the accent bar's middle.
    let (_, png) = send(&app, "GET", "/api/og?template=light&title=x&accent=ee1111").await;
    let (w, _, px) = decode_png(&png);
    let at = ((48 * w + 120) * 4) as usize;
    assert_eq!(&px[at..at + 3], &[0xee, 0x11, 0x11]);
    for bad in ["red", "%23abcd", "%23ggg"] {
        let (res, _) = send(&app, "GET", &format!("/api/og?accent={bad}")).await;
        assert_eq!(res.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn the_article_template_lays_out_every_field() {
    let q = "template=article&title=T&description=D%20text&author=A&date=2026-11-29&site=S&tags=AI,%20Rust";
    let layout = get_json(&app(), q).await;
    let slot = |name: &str| -> String {
        let slot = layout["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no slot {name}"));
        slot["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(slot("title"), "T");
    assert_eq!(slot("description"), "D text");
    assert_eq!(slot("author"), "A");
    assert_eq!(slot("date"), "2026-11-29");
    assert_eq!(slot("site"), "S");
    assert_eq!(slot("tags"), "#AI  #Rust");
}

#[tokio::test]
async fn the_brand_logo_is_inlined_never_referenced() {
    let (_, svg) = send(&app(), "GET", "/api/og?template=brand&format=svg&title=x").await;
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains("href=\"data:image/svg+xml;base64,"));
    assert!(!svg.contains("data-asset") && !svg.contains("brand-logo.svg\""));
}

#[test]
fn template_assets_must_be_plain_valid_files_beside_the_template() {
    let dir = std::env::temp_dir().join(format!("ogcard-assets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let template = |href: &str| {
        include_str!("../templates/brand.svg").replace(
            "data-asset=\"brand-logo.svg\"",
            &format!("data-asset=\"{href}\""),
        )
    };
    for (file, href, expected) in [
        (
            "a.svg",
            "../etc/logo.svg",
            "must be a file name beside the template",
        ),
        ("b.svg", "missing.svg", "asset `missing.svg`: not found"),
        ("c.svg", "logo.txt", "is not .svg, .png, .jpg or .webp"),
        ("d.svg", "bad.png", "is not a valid image/png file"),
        ("e.svg", "huge.png", "asset `huge.png`: over 2097152 bytes"),
    ] {
        let case = dir.join(file.trim_end_matches(".svg"));
        std::fs::create_dir_all(&case).unwrap();
        std::fs::write(case.join("bad.png"), b"not a png").unwrap();
        // 1.5 GB, sparse: refused by its size before a byte of it is read.
        std::fs::File::create(case.join("huge.png"))
            .unwrap()
            .set_len(1536 << 20)
            .unwrap();
        std::fs::write(case.join(file), template(href)).unwrap();
        let config = <ogcard::config::Config as clap::Parser>::parse_from([
            "ogcard",
            "--templates-dir",
            case.to_str().unwrap(),
        ]);
        let err = ogcard::state(&config).err().expect("refused").to_string();
        assert!(
            err.contains(file) && err.contains(expected),
            "{file}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A template may be at most 1 MiB, an SVG asset 2 MiB: the directory's files are read
/// with the larger cap and each judged by what it turns out to be, so a 1.5 MiB logo
/// beside `brand.svg` loads and a 1.5 MiB template is refused naming the template's cap.
#[test]
fn an_svg_logo_may_be_larger_than_a_template() {
    let dir = std::env::temp_dir().join(format!("ogcard-big-logo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let padding = |n: usize| format!("<!--{}-->", "x".repeat(n));
    let logo = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">{}\
         <rect width=\"10\" height=\"10\" fill=\"red\"/></svg>",
        padding(1536 << 10)
    );
    std::fs::write(dir.join("brand-logo.svg"), &logo).unwrap();
    std::fs::write(
        dir.join("brand.svg"),
        include_str!("../templates/brand.svg"),
    )
    .unwrap();
    let load = |dir: &std::path::Path| {
        let config = <ogcard::config::Config as clap::Parser>::parse_from([
            "ogcard",
            "--templates-dir",
            dir.to_str().unwrap(),
        ]);
        ogcard::state(&config)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert_eq!(load(&dir), Ok(()), "a 1.5 MiB logo");

    let big_template = include_str!("../templates/brand.svg").replacen(
        "<svg",
        &format!("{}<svg", padding(1536 << 10)),
        1,
    );
    std::fs::write(dir.join("big.svg"), big_template).unwrap();
    let err = load(&dir).expect_err("a 1.5 MiB template");
    assert!(
        err.contains("big.svg") && err.contains("over 1048576 bytes"),
        "{err}"
    );
    std::fs::remove_file(dir.join("big.svg")).unwrap();

    std::fs::write(dir.join("brand-logo.svg"), logo + &padding(1 << 20)).unwrap();
    let err = load(&dir).expect_err("a 2.5 MiB logo");
    assert!(
        err.contains("brand-logo.svg") && err.contains("over 2097152 bytes"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every built-in template's own elements may be served as written, so their SVG cards
/// write each glyph once (`Template::self_contained`).
#[test]
fn every_built_in_template_is_served_as_written_in_svg() {
    let assets = ogcard::render::Assets::load(None).unwrap();
    for template in assets.templates.all() {
        assert!(
            template.self_contained,
            "{} {:?}",
            template.name, template.size
        );
    }
}
