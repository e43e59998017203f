//! The HTTP contract, through `app()` and through a real socket.

mod common;

use common::*;

#[tokio::test]
async fn seed_title_lines_are_chromiums() {
    let app = app();
    let layout = get_json(&app, SEED_QUERY_RAW).await;
    assert_eq!(
        line_texts(&layout),
        [
            "การปฏิวัติแบบโอเพนซอร์สของ",
            "DeepSeek: ข้อมูลเชิงลึกจากการ",
            "ประชุมสุดยอด AI แบบปิดประตู"
        ]
    );
    for line in layout["lines"].as_array().unwrap() {
        assert_eq!(line["font_size"], 64.0);
        assert_eq!(line["x"], 80.0);
        assert!(line["width"].as_f64().unwrap() <= 1040.0);
    }
    assert_eq!(layout["missing_glyphs"].as_array().unwrap().len(), 0);
    assert_eq!(layout["fonts"][0], "Noto Sans Thai Bold");
    assert_eq!(layout["fonts"][1], "Noto Sans Bold");
}

#[tokio::test]
async fn seed_url_answers_a_1200x630_png_raw_or_percent_encoded() {
    let app = app();
    let (raw, raw_body) = send(&app, "GET", &format!("/api/og?{SEED_QUERY_RAW}")).await;
    let encoded_uri = format!("/api/og?title={}", encode(SEED_TITLE));
    let (enc, enc_body) = send(&app, "GET", &encoded_uri).await;
    for res in [&raw, &enc] {
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/png");
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }
    assert_eq!(
        raw.headers()["content-length"],
        raw_body.len().to_string().as_str()
    );
    assert_eq!(raw_body, enc_body, "both spellings are the same card");
    let (w, h, _) = decode_png(&raw_body);
    assert_eq!((w, h), (1200, 630));
}

#[tokio::test]
async fn head_has_the_get_headers_and_no_body() {
    let app = app();
    let uri = "/api/og?title=Hello%20HEAD";
    let (get, get_body) = send(&app, "GET", uri).await;
    let (head, head_body) = send(&app, "HEAD", uri).await;
    assert_eq!(head.status(), 200);
    assert!(head_body.is_empty());
    for name in ["content-type", "content-length", "cache-control"] {
        assert_eq!(head.headers().get(name), get.headers().get(name), "{name}");
    }
    assert_eq!(
        head.headers()["content-length"],
        get_body.len().to_string().as_str()
    );
}

#[tokio::test]
async fn markup_in_a_title_is_drawn_literally_and_svg_stays_well_formed() {
    let app = app();
    let title = r#"<b>Tom & "Jerry"</b> 'quoted' ]]> {{title}}"#;
    let layout = get_json(&app, &format!("title={}", encode(title))).await;
    assert_eq!(line_texts(&layout).join(" "), title);

    let (res, body) = send(
        &app,
        "GET",
        &format!("/api/og?format=svg&title={}", encode(title)),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = String::from_utf8(body).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(!doc.descendants().any(|n| n.has_tag_name("b")));

    // The layout's own SVG (before text becomes outlines) carries the text escaped.
    let state = state_with(&[]);
    let req =
        ogcard::request::parse_query(&format!("title={}", encode(title)), &state.defaults).unwrap();
    let assets = state.assets.get();
    let layout =
        ogcard::render::layout_card(&req, &assets, ogcard::render::Deadline::NONE).unwrap();
    let layout_svg = layout.to_svg(&assets.fonts, ogcard::request::Dpr::ONE);
    let doc = roxmltree::Document::parse(&layout_svg).expect("well-formed layout SVG");
    let drawn: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(drawn.contains(r#"<b>Tom & "Jerry"</b>"#), "{drawn}");
    assert!(!doc.descendants().any(|n| n.has_tag_name("b")));
}

#[tokio::test]
async fn svg_output_is_self_contained_and_draws_the_png_without_our_fonts() {
    let app = app();
    let article = format!(
        "template=article&title={}&description={}&author={}&tags=ai,thai&date=2026-12-04",
        encode("การปฏิวัติแบบโอเพนซอร์สของ DeepSeek 😀 東京"),
        encode("ข้อมูลเชิงลึกจากการประชุมสุดยอด AI แบบปิดประตู"),
        encode("ผู้เขียน"),
    );
    for (q, width, height) in [
        (format!("{SEED_QUERY_RAW}&site=blog.example.com"), 1200, 630),
        (article.clone(), 1200, 630),
        (format!("{article}&size=square"), 1200, 1200),
        (format!("{SEED_QUERY_RAW}&dpr=2"), 2400, 1260),
    ] {
        let (_, svg) = send(&app, "GET", &format!("/api/og?{q}&format=svg")).await;
        let svg = String::from_utf8(svg).unwrap();
        assert!(
            !svg.contains("<text") && !svg.contains("font-family"),
            "{q}"
        );
        // Every glyph is defined once and placed by `<use>`.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let defined: Vec<&str> = doc
            .descendants()
            .filter(|n| n.parent().is_some_and(|p| p.has_tag_name("defs")))
            .filter_map(|n| n.attribute("id"))
            .collect();
        let mut unique = defined.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), defined.len(), "{q}");
        let uses: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("use"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert!(uses.len() > defined.len(), "{q}: {} uses", uses.len());
        assert!(uses.iter().all(|u| defined.contains(&&u[1..])), "{q}");
        // No fonts at all: whatever draws must come from the SVG itself.
        let options = usvg::Options {
            fontdb: std::sync::Arc::new(usvg::fontdb::Database::new()),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&svg, &options).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(width, height).unwrap();
        let scale = width as f32 / tree.size().width();
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        let (_, png) = send(&app, "GET", &format!("/api/og?{q}")).await;
        let (w, h, expected) = decode_png(&png);
        assert_eq!((w, h), (width, height), "{q}");
        let differing = pixmap
            .data()
            .chunks_exact(4)
            .zip(expected.chunks_exact(4))
            // The PNG places glyphs on a quarter-pixel grid (cached masks) and the SVG
            // exactly: edges differ by up to ~60 grey levels, missing text by ~200.
            .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 64))
            .count();
        let pixels = (width * height) as usize;
        assert!(differing < pixels / 500, "{q}: {differing} pixels differ");
    }
}

#[tokio::test]
async fn an_svg_writes_a_repeated_glyph_once() {
    let app = app();
    let title = "ก".repeat(200);
    let (_, svg) = send(
        &app,
        "GET",
        &format!("/api/og?format=svg&site=x&title={}", encode(&title)),
    )
    .await;
    let svg = String::from_utf8(svg).unwrap();
    // ก and x (and `…` if cut): one outline each, however often drawn.
    assert!(
        svg.matches("<path").count() <= 3,
        "{}",
        svg.matches("<path").count()
    );
    assert!(svg.matches("<use").count() >= 100);
}

#[tokio::test]
async fn an_svg_slot_with_a_gradient_still_draws_as_outlines() {
    // A gradient spans a text element's box, not each glyph's: such a slot goes through
    // usvg's writer, as every SVG did before glyphs were written once.
    let dir = std::env::temp_dir().join(format!("ogcard-svg-ink-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let template = include_str!("../templates/default.svg").replace(
        "fill=\"#ffffff\" x=\"80\" y=\"141\"",
        "fill=\"url(#ink)\" x=\"80\" y=\"141\"",
    );
    let template = template.replacen(
        "<rect",
        "<defs><linearGradient id=\"ink\"><stop offset=\"0\" stop-color=\"#f00\"/>\
         <stop offset=\"1\" stop-color=\"#00f\"/></linearGradient></defs><rect",
        1,
    );
    assert!(template.contains("url(#ink)"));
    std::fs::write(dir.join("ink.svg"), template).unwrap();
    let app = app_with(&["--templates-dir", dir.to_str().unwrap()]);
    let (res, svg) = send(
        &app,
        "GET",
        "/api/og?template=ink&format=svg&title=Gradient",
    )
    .await;
    assert_eq!(res.status(), 200);
    let svg = String::from_utf8(svg).unwrap();
    assert!(!svg.contains("<text") && !svg.contains("<use"), "{svg}");
    assert!(svg.contains("<linearGradient"), "{svg}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn missing_title_renders_the_configured_default() {
    let app = app_with(&[
        "--default-title",
        "สวัสดี ogcard",
        "--default-site",
        "blog.example",
    ]);
    let layout = get_json(&app, "").await;
    assert_eq!(line_texts(&layout), ["สวัสดี ogcard"]);
    let site = &layout["slots"].as_array().unwrap()[1];
    assert_eq!(site["name"], "site");
    assert_eq!(site["lines"][0]["text"], "blog.example");
    assert_eq!(site["font_size"], 28.0);
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_reason() {
    let app = app();
    for (query, reason) in [
        ("template=nope", "unknown template `nope`"),
        ("format=gif", "unknown format `gif`"),
        ("title=%E0%B8", "parameter `title` is not valid UTF-8"),
        ("template=..%2Fetc", "template name `../etc` is invalid"),
        ("lang=japanese", "lang `japanese` is not a language tag"),
        // What a value echoes stays on one line, control characters escaped.
        (
            "theme=x%00%0Aevil",
            "theme `x\\u{0}\\nevil` is not dark or light",
        ),
        (
            "lang=ja%0D%0AX-Evil:%201",
            "lang `ja\\r\\nX-Evil: 1` is not a language tag",
        ),
    ] {
        let (res, body) = send(&app, "GET", &format!("/api/og?{query}")).await;
        assert_eq!(res.status(), 400, "{query}");
        assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
        let body = String::from_utf8(body).unwrap();
        assert!(body.starts_with(reason), "{query}: {body}");
        assert_eq!(body.lines().count(), 1);
    }
}

/// `lang` says what kanji alone cannot: the Japanese glyph forms and phrase breaks for
/// `ja`, the Traditional forms for `zh-TW`; a different card (and cache entry) each.
#[tokio::test]
async fn lang_picks_the_regional_glyphs_and_the_breaker() {
    let app = app();
    let title = encode("東京大会の記録更新");
    let kanji = encode("東京大会記録更新");
    let fonts = |layout: serde_json::Value| -> Vec<String> {
        layout["fonts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    let region = |fonts: &[String]| {
        fonts
            .iter()
            .find(|f| f.starts_with("Noto Sans CJK"))
            .cloned()
            .unwrap_or_default()
    };
    assert!(region(&fonts(get_json(&app, &format!("title={title}")).await)).contains("JP"));
    assert!(region(&fonts(get_json(&app, &format!("title={kanji}")).await)).contains("SC"));
    for (lang, want) in [("ja", "JP"), ("zh-TW", "TC"), ("ko", "KR"), ("en", "SC")] {
        let got = region(&fonts(
            get_json(&app, &format!("title={kanji}&lang={lang}")).await,
        ));
        assert!(got.contains(want), "{lang}: {got}");
    }
    let etag = |q: String| {
        let app = app.clone();
        async move { send(&app, "GET", &format!("/api/og?{q}")).await.0.headers()["etag"].clone() }
    };
    assert_ne!(
        etag(format!("title={kanji}&lang=ja")).await,
        etag(format!("title={kanji}")).await
    );
}

#[tokio::test]
async fn other_methods_are_405_and_unknown_paths_404() {
    let app = app();
    let (res, body) = send(&app, "POST", "/api/og?title=x").await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("method not allowed"));
    let (res, _) = send(&app, "GET", "/nope").await;
    assert_eq!(res.status(), 404);
    let (res, body) = send(&app, "GET", "/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(body, b"ok\n");
}

#[tokio::test]
async fn long_title_shrinks_then_ends_with_an_ellipsis_at_a_break() {
    let app = app();
    let title = "ข้อมูลเชิงลึกจากการประชุมสุดยอด ".repeat(20);
    let layout = get_json(&app, &format!("title={}", encode(&title))).await;
    let lines = line_texts(&layout);
    assert_eq!(lines.len(), 4);
    assert_eq!(layout["lines"][0]["font_size"], 40.0);
    assert_eq!(layout["truncated"], true);
    let last = lines.last().unwrap();
    assert!(last.ends_with('…'));
    // The cut is at a break opportunity: what precedes `…` is a whole number of words.
    let kept = lines.concat().replace(' ', "");
    let kept = kept.trim_end_matches('…');
    assert!(title.replace(' ', "").starts_with(kept), "{kept}");
    assert!(
        kept.ends_with("ข้อมูล")
            || kept.ends_with("เชิงลึก")
            || kept.ends_with("จาก")
            || kept.ends_with("การ")
            || kept.ends_with("ประชุม")
            || kept.ends_with("สุดยอด"),
        "{kept}"
    );
}

#[tokio::test]
async fn identical_requests_are_served_from_the_cache() {
    let app = app();
    let uri = "/api/og?title=cache%20me";
    let (_, first) = send(&app, "GET", uri).await;
    let (_, second) = send(&app, "GET", &format!("{uri}&utm_source=x")).await;
    assert_eq!(first, second);
}

/// Only a socket shows that raw UTF-8 bytes in the request line are accepted.
#[tokio::test]
async fn raw_utf8_request_line_over_a_real_socket() {
    use std::future::IntoFuture;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app()).into_future());

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /api/og?{SEED_QUERY_RAW}&format=json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("การปฏิวัติแบบโอเพนซอร์สของ"), "{response}");

    // Bytes that are not UTF-8 are refused by the HTTP layer, not rendered.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"GET /api/og?title=\xE0\xB8 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    assert!(
        response.starts_with(b"HTTP/1.1 400"),
        "{}",
        String::from_utf8_lossy(&response)
    );
    server.abort();
}

#[tokio::test]
async fn a_short_last_line_is_rebalanced_like_text_wrap_pretty() {
    let app = app();
    // Greedy breaking leaves "ที่สุด" (120 px) alone on the second line.
    let title = "สตาร์ทอัพในประเทศไทยระดมทุนได้มากที่สุด";
    let layout = get_json(&app, &format!("title={}", encode(title))).await;
    let widths: Vec<f64> = layout["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["width"].as_f64().unwrap())
        .collect();
    assert_eq!(widths.len(), 2, "{:?}", line_texts(&layout));
    assert!(
        widths[1] >= 1040.0 / 3.0,
        "last line still short: {:?} {widths:?}",
        line_texts(&layout)
    );
    assert_eq!(line_texts(&layout).concat(), title);
}

#[tokio::test]
async fn no_line_ends_where_a_thai_loanword_may_lie_across_the_break() {
    // Greedy breaking leaves `อิตาลี` alone on the second line; the most even two lines
    // would break at `คาโบนา|ร่า` (carbonara): between two one-syllable words, not both
    // common, a doubtful opportunity. Two lines as even can end elsewhere, so they do; the
    // size and the number of lines stay.
    let title = "สูตรพาสต้าคาโบนาร่าแบบต้นตำรับอิตาลี";
    let layout = get_json(&app(), &format!("title={}", encode(title))).await;
    assert_eq!(line_texts(&layout), ["สูตรพาสต้าคาโบนาร่าแบบ", "ต้นตำรับอิตาลี"]);
    assert_eq!(layout["lines"][0]["font_size"], 64.0);
}

/// A word wider than the title's box at 64 px is set whole a step smaller, not cut.
#[tokio::test]
async fn a_word_too_wide_at_the_largest_size_is_set_smaller_not_cut() {
    let word = "ซูเปอร์คาลิฟราจิลิสติกเอ็กซ์เพียลิโดเชียส";
    let title = format!("คำที่ยาวที่สุดคือ {word}");
    let layout = get_json(&app(), &format!("title={}", encode(&title))).await;
    assert_eq!(line_texts(&layout), ["คำที่ยาวที่สุดคือ", word]);
    let size = layout["lines"][0]["font_size"].as_f64().unwrap();
    assert!((40.0..64.0).contains(&size), "{size}");
}

#[tokio::test]
async fn debug_draws_slot_boxes_line_boxes_and_break_opportunities() {
    let app = app();
    let (plain, plain_body) = send(&app, "GET", &format!("/api/og?{SEED_QUERY_RAW}")).await;
    let (debug, debug_body) = send(&app, "GET", &format!("/api/og?{SEED_QUERY_RAW}&debug=1")).await;
    assert_eq!(debug.status(), 200);
    assert_ne!(
        plain.headers()["etag"],
        debug.headers()["etag"],
        "part of the cache key"
    );
    let count = |body: &[u8], rgb: [u8; 3]| {
        let (_, _, px) = decode_png(body);
        px.chunks_exact(4).filter(|p| p[..3] == rgb).count()
    };
    // The title's box is dashed magenta, its lines' boxes cyan, break opportunities green.
    for rgb in [[0xff, 0x00, 0xff], [0x22, 0xd3, 0xee], [0x22, 0xc5, 0x5e]] {
        assert_eq!(count(&plain_body, rgb), 0, "{rgb:?}");
        assert!(count(&debug_body, rgb) > 100, "{rgb:?}");
    }
    // Same lines: debug draws the layout, it does not change it.
    let lines = |q: String| {
        let app = app.clone();
        async move { line_texts(&get_json(&app, &q).await) }
    };
    assert_eq!(
        lines(SEED_QUERY_RAW.to_string()).await,
        lines(format!("{SEED_QUERY_RAW}&debug=1")).await
    );
    let (_, svg) = send(
        &app,
        "GET",
        &format!("/api/og?{SEED_QUERY_RAW}&debug=1&format=svg"),
    )
    .await;
    assert!(String::from_utf8_lossy(&svg).contains("stroke=\"#ff00ff\""));
    // A doubtful opportunity (`แสง¦เหนือ`, `cargo run --example breaks`) is ticked dashed.
    let dashed = "stroke=\"#22c55e\" stroke-width=\"3\" stroke-dasharray=\"6 6\"";
    assert!(!String::from_utf8_lossy(&svg).contains(dashed));
    let (_, svg) = send(
        &app,
        "GET",
        &format!(
            "/api/og?title={}&debug=1&format=svg",
            encode("เที่ยวไอซ์แลนด์ตามล่าแสงเหนือ")
        ),
    )
    .await;
    assert_eq!(String::from_utf8_lossy(&svg).matches(dashed).count(), 1);
    // Thai the dictionary does not know (the end of `ทาโกยากิ`) is underlined amber; the
    // seed title has none.
    let amber = [0xf5, 0x9e, 0x0b];
    assert_eq!(count(&debug_body, amber), 0);
    let (_, unknown) = send(
        &app,
        "GET",
        &format!("/api/og?title={}&debug=1", encode("วิธีทำทาโกยากิ")),
    )
    .await;
    assert!(count(&unknown, amber) > 100);
    for off in ["", "0"] {
        let (res, _) = send(
            &app,
            "GET",
            &format!("/api/og?{SEED_QUERY_RAW}&debug={off}"),
        )
        .await;
        assert_eq!(
            res.headers()["etag"],
            plain.headers()["etag"],
            "debug={off}"
        );
    }
    let (bad, body) = send(&app, "GET", "/api/og?title=x&debug=yes").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(
        String::from_utf8_lossy(&body),
        "debug `yes` is not 0 or 1\n"
    );
}
