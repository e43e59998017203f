//! Layout invariants over generated titles (proptest): layout never panics, never drops
//! text without `…`, and no line is wider than its box unless it is one unbreakable
//! grapheme cluster.

mod common;

use std::sync::LazyLock;

use ogcard::assets::templates::Slot;
use ogcard::render::layout::layout_slot;
use ogcard::render::Assets;
use ogcard::request::Text;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets::load(None).unwrap());

fn title_slot(width: f32, max_lines: usize) -> Slot {
    let template = ASSETS.templates.get("default").unwrap();
    let mut slot = template.slot("title").unwrap().clone();
    slot.width = width;
    slot.max_lines = max_lines;
    slot
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        // Thai words, syllables and stray marks.
        prop::sample::select(vec![
            "การ",
            "ปฏิวัติ",
            "โอเพนซอร์ส",
            "ข้อมูล",
            "เชิงลึก",
            "ประชุม",
            "สุดยอด",
            "ผลกระทบ",
            "คลาวด์",
            "ที่",
            "ๆ",
            "ฯ",
            "่",
            "ั",
            "เ",
            "ไม่",
            "น้ำ",
            "กตัญญู",
        ])
        .prop_map(str::to_string),
        // Latin words, punctuation, brackets.
        "[A-Za-z]{1,12}",
        prop::sample::select(vec![":", ",", "(", ")", "—", "?", "…", "-", "1234567890"])
            .prop_map(str::to_string),
        // Spaces.
        " {1,3}",
        // Japanese: kana and kanji the phrase rules and the katakana words look at, glued
        // to anything (a katakana run, `ー` and small kana first, `べき`, half-width forms).
        prop::sample::select(vec![
            "ノーコード",
            "ツール",
            "ー",
            "ッ",
            "ヌョ",
            "・",
            "で",
            "の",
            "べき",
            "受け入れ",
            "東京都",
            "２０２６年",
            "ｶﾀｶﾅ",
            "。",
            "「",
        ])
        .prop_map(str::to_string),
        // Other scripts the font set may lack, emoji, joiners.
        prop::sample::select(vec!["漢字", "한국어", "👩‍💻", "🚀", "\u{200D}", "é", "Ж"])
            .prop_map(str::to_string),
        // Anything at all.
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn title() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn layout_keeps_every_character_or_says_so(raw in title(), width in 200f32..1100.0, lines in 1usize..5) {
        let text = Text::new(&raw);
        let slot = title_slot(width, lines);
        let layout = layout_slot(text.as_str(), None, &slot, &ASSETS.fonts, &mut Vec::new(), ogcard::render::Deadline::NONE).unwrap();
        let drawn: String = layout.lines.iter().map(|l| l.text.as_str()).collect::<String>().replace(' ', "");
        let want = text.as_str().replace(' ', "");
        if layout.truncated {
            let last = &layout.lines.last().unwrap().text;
            prop_assert!(last.ends_with('…'));
            let kept = drawn.strip_suffix('…').unwrap();
            prop_assert!(want.starts_with(kept), "{kept:?} is not a prefix of {want:?}");
            prop_assert!(kept.len() < want.len());
        } else {
            prop_assert_eq!(drawn, want);
        }
        prop_assert!(layout.lines.len() <= lines);
        for line in &layout.lines {
            let clusters = line.text.trim_end_matches('…').graphemes(true).count();
            prop_assert!(
                line.width <= slot.width + 0.01 || clusters <= 1,
                "{:?} is {} px in a {} px box", line.text, line.width, slot.width
            );
        }
    }
}

/// Shaping is layout's work: it may grow with the text only linearly, whatever the text.
/// (Before, a word wider than its box was cut by re-shaping every prefix: 880 × U+180E
/// and 120 × W took 22 s.)
#[test]
fn layout_work_is_linear_in_the_text() {
    use ogcard::render::shape::shaped_bytes;
    let defaults = ogcard::request::Defaults {
        title: Text::new("x"),
        site: Text::new("x"),
        template: "default".into(),
    };
    let mut worst = (0.0f64, String::new());
    for (name, text) in common::adversarial::inputs() {
        for template in common::adversarial::TEMPLATES {
            // Each size is its own design, with its own boxes and sizes to try.
            for size in ["og", "x", "square", "kakao"] {
                let query = common::adversarial::query(&text, template, "png") + "&size=" + size;
                let req = ogcard::request::parse_query(&query, &defaults).unwrap();
                let bytes = req.text_bytes();
                let before = shaped_bytes();
                ogcard::render::layout_card(&req, &ASSETS, ogcard::render::Deadline::NONE).unwrap();
                let ratio = (shaped_bytes() - before) as f64 / (bytes + 512) as f64;
                if ratio > worst.0 {
                    worst = (ratio, format!("{name}/{template}/{size}"));
                }
            }
        }
    }
    eprintln!(
        "most shaping per byte of text: {:.1}× ({})",
        worst.0, worst.1
    );
    assert!(worst.0 <= WORK_PER_BYTE, "{worst:?}");
}

/// Shaped bytes per byte of text (plus 512) that layout may spend.
const WORK_PER_BYTE: f64 = 8.0;
