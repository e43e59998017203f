//! Output formats: PNG, JPEG (with quality), lossless WebP, SVG and JSON.

mod common;

use common::*;

/// Width and height from a baseline JPEG's SOF0 segment.
fn jpeg_size(bytes: &[u8]) -> (u16, u16) {
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "SOI");
    let mut i = 2;
    while i + 9 < bytes.len() {
        assert_eq!(bytes[i], 0xFF);
        let marker = bytes[i + 1];
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if marker == 0xC0 {
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            return (w, h);
        }
        i += 2 + len;
    }
    panic!("no SOF0");
}

#[tokio::test]
async fn jpeg_with_quality_and_lossless_webp() {
    let app = app();
    let q = format!("title={}", encode(SEED_TITLE));
    let (res, high) = send(&app, "GET", &format!("/api/og?{q}&format=jpeg&quality=95")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(jpeg_size(&high), (1200, 630));
    let (_, low) = send(&app, "GET", &format!("/api/og?{q}&format=jpg&quality=30")).await;
    assert!(low.len() < high.len(), "{} vs {}", low.len(), high.len());

    let (res, webp) = send(&app, "GET", &format!("/api/og?{q}&format=webp")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/webp");
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(&webp)).unwrap();
    assert_eq!(decoder.dimensions(), (1200, 630));
    let mut rgb = vec![0; decoder.output_buffer_size().unwrap()];
    decoder.read_image(&mut rgb).unwrap();
    // Lossless: the same pixels as the PNG.
    let (_, png) = send(&app, "GET", &format!("/api/og?{q}")).await;
    let (_, _, rgba) = decode_png(&png);
    let png_rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    assert_eq!(rgb, png_rgb);
}

/// A JPEG card is its template background's strips, encoded once per quality and kept
/// (`/metrics` counts them within their budget), with the strips the text changed encoded
/// again: every card decodes to its own pixels (close to the lossless PNG's), the rows
/// above the title the same in two cards.
#[tokio::test]
async fn jpeg_cards_reencode_only_the_strips_their_text_changed() {
    let app = app();
    let metric = |name: &'static str| {
        let app = app.clone();
        async move {
            let (_, metrics) = send(&app, "GET", "/metrics").await;
            gauge(&String::from_utf8(metrics).unwrap(), name)
        }
    };
    assert_eq!(metric("ogcard_jpeg_backgrounds_bytes").await, 0);
    let mut cards = Vec::new();
    for title in [SEED_TITLE, "Open source is eating AI", "ดาบสองคม"] {
        let q = format!("title={}", encode(title));
        let (res, jpeg) = send(&app, "GET", &format!("/api/og?{q}&format=jpeg")).await;
        assert_eq!(res.status(), 200);
        let kept = metric("ogcard_jpeg_backgrounds_bytes").await;
        let budget = metric("ogcard_jpeg_backgrounds_budget_bytes").await;
        assert!(kept > 10_000 && kept <= budget, "{kept} of {budget}");
        let decoded = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        let (_, png) = send(&app, "GET", &format!("/api/og?{q}")).await;
        let (_, _, rgba) = decode_png(&png);
        let differ: f64 = decoded
            .as_raw()
            .iter()
            .zip(rgba.chunks_exact(4).flat_map(|p| &p[..3]))
            .map(|(&a, &b)| f64::from(a.abs_diff(b)))
            .sum::<f64>()
            / decoded.as_raw().len() as f64;
        assert!(
            differ < 2.0,
            "{title}: mean difference {differ} from the PNG"
        );
        cards.push(decoded);
    }
    // Another quality keeps its own strips beside these.
    let before = metric("ogcard_jpeg_backgrounds_bytes").await;
    let (res, _) = send(&app, "GET", "/api/og?title=q&format=jpeg&quality=40").await;
    assert_eq!(res.status(), 200);
    assert!(metric("ogcard_jpeg_backgrounds_bytes").await > before);
    // The first 16 rows hold no text: the background's strip in both cards.
    let top = 1200 * 16 * 3;
    assert_eq!(cards[0].as_raw()[..top], cards[1].as_raw()[..top]);
}

#[tokio::test]
async fn quality_is_validated_and_only_keys_jpeg() {
    let app = app();
    for bad in ["0", "101", "high", "-5", "85.5"] {
        let (res, body) = send(&app, "GET", &format!("/api/og?format=jpeg&quality={bad}")).await;
        assert_eq!(res.status(), 400, "{bad}");
        assert!(String::from_utf8(body).unwrap().starts_with("quality"));
    }
    let state = state_with(&[]);
    let cache = state.cache.clone();
    let app = ogcard::app(state);
    send(&app, "GET", "/api/og?title=q&quality=10").await;
    let (res, _) = send(&app, "GET", "/api/og?title=q&quality=90").await;
    assert_eq!(res.headers()["x-cache"], "hit", "PNG ignores quality");
    assert_eq!(cache.stats().renders, 1);
}

#[tokio::test]
async fn png_level_trades_bytes_for_time_never_pixels() {
    let uri = format!("/api/og?title={}", encode(SEED_TITLE));
    let (_, fast) = send(&app_with(&["--png-level", "1"]), "GET", &uri).await;
    let (_, default) = send(&app(), "GET", &uri).await;
    let (_, small) = send(&app_with(&["--png-level", "9"]), "GET", &uri).await;
    assert!(
        fast.len() > default.len() && default.len() > small.len(),
        "level 1 {} > level 5 {} > level 9 {} bytes",
        fast.len(),
        default.len(),
        small.len()
    );
    assert_eq!(decode_png(&fast), decode_png(&default));
    assert_eq!(decode_png(&small), decode_png(&default));
}
