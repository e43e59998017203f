//! Layout of arbitrary text in the default title slot: never panics, keeps every
//! character or ends with `…`, and the SVG it makes always parses.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use ogcard::render::{layout_card, Assets};
use ogcard::request::{CardRequest, Format, Lang, Text};

static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets::load(None).expect("assets"));

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let title = Text::new(raw);
    if title.as_str().chars().count() > ogcard::request::MAX_TITLE_CHARS {
        return;
    }
    let req = CardRequest {
        title: title.clone(),
        site: Text::new("fuzz.example"),
        description: Text::new(raw),
        author: Text::default(),
        date: Text::default(),
        tags: Vec::new(),
        theme: None,
        accent: None,
        // Every breaker, whatever the text's script.
        lang: [
            None,
            Some(Lang::Japanese),
            Some(Lang::SimplifiedChinese),
            Some(Lang::TraditionalChinese),
            Some(Lang::Korean),
            Some(Lang::Thai),
        ][raw.len() % 6],
        template: "default".into(),
        format: Format::Svg,
        quality: ogcard::request::DEFAULT_QUALITY,
        dpr: ogcard::request::Dpr::ONE,
        size: ogcard::request::Size::Og,
        debug: false,
        pictures: Default::default(),
    };
    let layout = layout_card(&req, &ASSETS, ogcard::render::Deadline::NONE)
        .expect("default template exists");
    let report = layout.report(&ASSETS.fonts, ogcard::request::Dpr::ONE);
    let drawn: String = report
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<String>()
        .replace(' ', "");
    let want = title.as_str().replace(' ', "");
    if report.truncated {
        assert!(want.starts_with(drawn.trim_end_matches('…')));
    } else {
        assert_eq!(drawn, want);
    }
    let svg = layout.to_svg(&ASSETS.fonts, ogcard::request::Dpr::ONE);
    if let Err(e) = roxmltree::Document::parse(&svg) {
        panic!("generated SVG does not parse: {e}");
    }
});
