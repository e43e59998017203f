//! Every script in `tests/data/scripts.tsv` (copied from `shared/samples/`) through the
//! real endpoint: which characters no bundled font draws.

mod common;

use common::*;

#[tokio::test]
async fn every_sample_script_renders_with_zero_missing_glyphs() {
    let app = app();
    let mut report = Vec::new();
    for line in include_str!("data/scripts.tsv").lines() {
        let (tag, title) = line.split_once('\t').unwrap();
        let layout = get_json(&app, &format!("title={}", encode(title))).await;
        let missing: Vec<String> = layout["missing_glyphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        report.extend(
            missing
                .iter()
                .map(|m| format!("{tag}: {m} U+{:04X}", m.chars().next().unwrap() as u32)),
        );
        let (res, png) = send(&app, "GET", &format!("/api/og?title={}", encode(title))).await;
        assert_eq!(res.status(), 200, "{tag}");
        assert_eq!(decode_png(&png).0, 1200, "{tag}");
    }
    assert!(report.is_empty(), "missing glyphs:\n{}", report.join("\n"));
}
