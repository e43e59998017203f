//! Cards on the blog's own pages: `dpr` (sharp on 2× and 3× screens, same lines) and the
//! headers that let any page embed, draw and fetch a card, and nothing more.

mod common;

use common::*;
use sha2::Digest;

const TITLE_QUERY: &str = "title=การปฏิวัติแบบโอเพนซอร์สของ%20DeepSeek";

fn header<'a>(res: &'a axum::http::Response<()>, name: &str) -> Option<&'a str> {
    res.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn every_card_response_may_be_embedded_anywhere_and_is_never_sniffed() {
    let app = app();
    let uri = format!("/api/og?{TITLE_QUERY}");
    let (ok, _) = send(&app, "GET", &uri).await;
    let etag = header(&ok, "etag").unwrap().to_string();
    let cases = [
        ("GET", vec![], 200),
        ("HEAD", vec![], 200),
        ("GET", vec![("if-none-match", etag.as_str())], 304),
        ("GET", vec![("range", "bytes=0-99")], 206),
        ("GET", vec![("range", "bytes=999999999-")], 416),
    ];
    for (method, headers, status) in cases {
        let (res, _) = send_with(&app, method, &uri, &headers).await;
        assert_eq!(res.status(), status, "{method} {headers:?}");
        assert_eq!(
            header(&res, "cross-origin-resource-policy"),
            Some("cross-origin")
        );
        assert_eq!(header(&res, "access-control-allow-origin"), Some("*"));
        assert_eq!(header(&res, "x-content-type-options"), Some("nosniff"));
        assert_eq!(header(&res, "timing-allow-origin"), Some("*"));
    }
    // A refused card too: a page's fetch can read why.
    let (bad, body) = send(&app, "GET", "/api/og?title=x&dpr=4").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(header(&bad, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&bad, "x-content-type-options"), Some("nosniff"));
    assert!(String::from_utf8_lossy(&body).contains("0.5, 1, 1.5, 2 or 3"));
}

#[tokio::test]
async fn nothing_sets_a_cookie() {
    // A `Set-Cookie` makes Cloud Run and CDNs treat a response as private.
    let app = app();
    let uris = [
        "/".to_string(),
        format!("/api/og?{TITLE_QUERY}"),
        format!("/api/og?{TITLE_QUERY}&format=svg"),
        format!("/api/og?{TITLE_QUERY}&format=json&dpr=2"),
        "/api/og?dpr=9".to_string(),
        "/healthz".into(),
        "/readyz".into(),
        "/metrics".into(),
        "/robots.txt".into(),
        "/nowhere".into(),
    ];
    for uri in uris {
        for method in ["GET", "HEAD", "POST"] {
            let (res, _) = send(&app, method, &uri).await;
            assert!(res.headers().get("set-cookie").is_none(), "{method} {uri}");
            assert_eq!(header(&res, "x-content-type-options"), Some("nosniff"));
        }
    }
}

#[tokio::test]
async fn an_svg_card_runs_nothing_in_the_browser_that_opens_it() {
    let app = app();
    let uri = format!("/api/og?{TITLE_QUERY}&format=svg");
    let (res, body) = send(&app, "GET", &uri).await;
    assert_eq!(header(&res, "content-type"), Some("image/svg+xml"));
    let csp = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
    assert_eq!(header(&res, "content-security-policy"), Some(csp));
    let etag = header(&res, "etag").unwrap().to_string();
    let (not_modified, _) = send_with(&app, "GET", &uri, &[("if-none-match", &etag)]).await;
    assert_eq!(not_modified.status(), 304);
    assert_eq!(header(&not_modified, "content-security-policy"), Some(csp));
    assert!(!String::from_utf8_lossy(&body).contains("<script"));
    // A raster card needs no policy.
    let (png, _) = send(&app, "GET", &format!("/api/og?{TITLE_QUERY}")).await;
    assert!(png.headers().get("content-security-policy").is_none());
}

#[tokio::test]
async fn the_playground_runs_only_its_own_script_and_style() {
    let app = app();
    let (res, body) = send(&app, "GET", "/").await;
    let page = String::from_utf8(body).unwrap();
    let csp = header(&res, "content-security-policy")
        .expect("a policy")
        .to_string();
    for tag in ["script", "style"] {
        let inline = page
            .split_once(&format!("<{tag}>"))
            .and_then(|(_, rest)| rest.split_once(&format!("</{tag}>")))
            .map(|(body, _)| body)
            .unwrap();
        use base64::Engine;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(inline));
        let directive = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with(&format!("{tag}-src ")))
            .unwrap_or_else(|| panic!("no {tag}-src in {csp}"));
        assert_eq!(directive, format!("{tag}-src 'sha256-{hash}'"));
        assert_eq!(
            page.matches(&format!("<{tag}")).count(),
            1,
            "one inline {tag}"
        );
    }
    for directive in [
        "default-src 'none'",
        "img-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
}

#[tokio::test]
async fn dpr_multiplies_the_pixels_and_keeps_the_lines() {
    let app = app();
    let lines_at_1 = line_texts(&get_json(&app, TITLE_QUERY).await);
    for (dpr, size) in [
        ("0.5", (600, 315)),
        ("1", (1200, 630)),
        ("1.5", (1800, 945)),
        ("2", (2400, 1260)),
        ("3", (3600, 1890)),
    ] {
        let query = format!("{TITLE_QUERY}&dpr={dpr}");
        let (res, body) = send(&app, "GET", &format!("/api/og?{query}")).await;
        assert_eq!(res.status(), 200, "dpr={dpr}");
        let (w, h, _) = decode_png(&body);
        assert_eq!((w, h), size, "dpr={dpr}");
        let layout = get_json(&app, &query).await;
        assert_eq!(line_texts(&layout), lines_at_1, "dpr={dpr}");
        assert_eq!(layout["dpr"].as_f64(), dpr.parse::<f64>().ok());
        assert_eq!(
            (layout["width"].as_u64(), layout["height"].as_u64()),
            (Some(1200), Some(630))
        );
    }
    for format in ["jpeg", "webp"] {
        let (res, body) = send(
            &app,
            "GET",
            &format!("/api/og?{TITLE_QUERY}&dpr=2&format={format}"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let size = match format {
            "jpeg" => jpeg_size(&body),
            _ => webp_size(&body),
        };
        assert_eq!(size, (2400, 1260), "{format}");
    }
    // An SVG card keeps its coordinates and is shown twice as large.
    let (_, svg) = send(
        &app,
        "GET",
        &format!("/api/og?{TITLE_QUERY}&dpr=2&format=svg"),
    )
    .await;
    let svg = String::from_utf8(svg).unwrap();
    let root = &svg[..svg.find('>').unwrap()];
    assert!(
        root.contains(r#"width="2400""#) && root.contains(r#"height="1260""#),
        "{root}"
    );
    assert!(root.contains(r#"viewBox="0 0 1200 630""#), "{root}");
}

#[tokio::test]
async fn dpr_is_one_of_five_values_and_spellings_of_one_share_a_card() {
    let app = app();
    for bad in [
        "4", "0", "-1", "2x", "1e0", "abc", "0.25", "NaN", "inf", "%202",
    ] {
        let (res, body) = send(&app, "GET", &format!("/api/og?title=x&dpr={bad}")).await;
        assert_eq!(res.status(), 400, "dpr={bad}");
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("is not 0.5, 1, 1.5, 2 or 3"),
            "dpr={bad}: {text}"
        );
    }
    let etag = |uri: String| {
        let app = app.clone();
        async move {
            header(&send(&app, "GET", &uri).await.0, "etag")
                .unwrap()
                .to_string()
        }
    };
    let base = format!("/api/og?{TITLE_QUERY}");
    let one = etag(base.clone()).await;
    assert_eq!(etag(format!("{base}&dpr=1")).await, one);
    assert_eq!(etag(format!("{base}&dpr=1.0")).await, one);
    assert_eq!(etag(format!("{base}&dpr=")).await, one);
    let two = etag(format!("{base}&dpr=2")).await;
    assert_ne!(two, one);
    assert_eq!(etag(format!("{base}&dpr=2.0")).await, two);
}

#[tokio::test]
async fn a_2x_card_is_the_1x_design_drawn_sharper() {
    let app = app();
    let (_, one) = send(&app, "GET", &format!("/api/og?{TITLE_QUERY}")).await;
    let (_, two) = send(&app, "GET", &format!("/api/og?{TITLE_QUERY}&dpr=2")).await;
    let (w, h, one) = decode_png(&one);
    let (w2, h2, two) = decode_png(&two);
    assert_eq!((w2, h2), (2 * w, 2 * h));
    let (w, h, w2) = (w as usize, h as usize, w2 as usize);
    let red = |img: &[u8], width: usize, x: usize, y: usize| f64::from(img[(y * width + x) * 4]);
    // Averaged over 2×2 blocks, the 2× card is the 1× card: same design, same places.
    let mut diff = 0.0;
    for y in 0..h {
        for x in 0..w {
            let block = [(0, 0), (1, 0), (0, 1), (1, 1)]
                .iter()
                .map(|(dx, dy)| red(&two, w2, 2 * x + dx, 2 * y + dy))
                .sum::<f64>()
                / 4.0;
            diff += (block - red(&one, w, x, y)).abs();
        }
    }
    let mean = diff / (w * h) as f64;
    assert!(mean < 2.0, "mean difference {mean:.2} levels");
    // And sharper than the 1× card enlarged (bilinear, as a browser would on a 2× screen):
    // its edges are steeper. A step spread over two pixels has half the squared gradient
    // of a step within one, while the total change across it stays the same.
    let upscaled = |x: usize, y: usize| {
        let fx = ((x as f64 + 0.5) / 2.0 - 0.5).clamp(0.0, (w - 1) as f64);
        let fy = ((y as f64 + 0.5) / 2.0 - 0.5).clamp(0.0, (h - 1) as f64);
        let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
        let (tx, ty) = (fx - x0 as f64, fy - y0 as f64);
        let top = red(&one, w, x0, y0) * (1.0 - tx) + red(&one, w, x1, y0) * tx;
        let bottom = red(&one, w, x0, y1) * (1.0 - tx) + red(&one, w, x1, y1) * tx;
        top * (1.0 - ty) + bottom * ty
    };
    let (mut sharp, mut soft) = (0.0, 0.0);
    for y in 0..2 * h {
        for x in 0..w2 - 1 {
            sharp += (red(&two, w2, x + 1, y) - red(&two, w2, x, y)).powi(2);
            soft += (upscaled(x + 1, y) - upscaled(x, y)).powi(2);
        }
    }
    assert!(
        sharp > 1.3 * soft,
        "gradient energy {sharp:.0} at 2×, {soft:.0} enlarged"
    );
    eprintln!("gradient energy: {sharp:.0} drawn at 2×, {soft:.0} the 1× card enlarged");
}

#[tokio::test]
async fn a_dpr_that_would_make_a_huge_card_is_refused() {
    let dir = std::env::temp_dir().join(format!("ogcard-test-huge-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("poster.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="4096" height="4096">
  <rect width="4096" height="4096" fill="#fff"/>
  <text data-slot="title" data-box="100 100 3896 3896" data-font-size="200"
        font-family="Noto Sans" fill="#111">Sample</text>
</svg>"##,
    )
    .unwrap();
    let app = app_with(&["--templates-dir", dir.to_str().unwrap()]);
    let (ok, _) = send(&app, "GET", "/api/og?template=poster&title=x").await;
    assert_eq!(ok.status(), 200);
    let (res, body) = send(&app, "GET", "/api/og?template=poster&title=x&dpr=2").await;
    assert_eq!(res.status(), 400);
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("8192×8192") && text.contains("at most 16777216 pixels"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    // The first start-of-frame marker holds the height and width.
    let at = bytes
        .windows(2)
        .position(|w| w[0] == 0xFF && matches!(w[1], 0xC0 | 0xC2))
        .expect("a frame header");
    let be = |i: usize| u32::from(u16::from_be_bytes([bytes[at + i], bytes[at + i + 1]]));
    (be(7), be(5))
}

fn webp_size(bytes: &[u8]) -> (u32, u32) {
    // Lossless (VP8L): 14-bit width-1 and height-1 after the signature byte.
    assert_eq!(&bytes[12..16], b"VP8L");
    let bits = u32::from_le_bytes([bytes[21], bytes[22], bytes[23], bytes[24]]);
    ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
}
