//! Layout's work is bounded by its text: any title and description within the caps, in
//! the default and article templates at the size the input's length picks, shapes at most 8 bytes per byte of text (plus a
//! constant) and finishes well inside a render deadline. The oracle is work, counted in
//! shaped bytes, with wall time as a backstop: a quadratic path fails it on a few hundred
//! characters, long before it would fail a timer on a noisy machine.
#![no_main]

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use ogcard::render::shape::shaped_bytes;
use ogcard::render::{layout_card, Assets, Deadline};
use ogcard::request::{CardRequest, Format, Lang, Text};

static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets::load(None).expect("assets"));

/// Shaped bytes per byte of text (plus 512) that layout may spend; tests/layout_props.rs
/// holds layout to the same bound over the adversarial inputs.
const WORK_PER_BYTE: u64 = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = raw.split_at(
        raw.char_indices()
            .nth(raw.chars().count() / 2)
            .map_or(0, |(i, _)| i),
    );
    let cap = |s: &str, n: usize| Text::new(&s.chars().take(n).collect::<String>());
    let title = cap(a, ogcard::request::MAX_TITLE_CHARS);
    let description = cap(b, ogcard::request::MAX_DESCRIPTION_CHARS);
    // Every size has its own slot boxes: the input's length picks one.
    let size = ogcard::request::Size::ALL[data.len() % ogcard::request::Size::ALL.len()];
    for template in ["default", "article"] {
        let req = CardRequest {
            title: title.clone(),
            site: cap(b, ogcard::request::MAX_SITE_CHARS),
            description: description.clone(),
            author: cap(a, ogcard::request::MAX_AUTHOR_CHARS),
            date: cap(b, ogcard::request::MAX_DATE_CHARS),
            tags: Vec::new(),
            theme: None,
            accent: None,
            // Japanese phrases (the model's work) for half the inputs.
            lang: (data.len() % 2 == 1).then_some(Lang::Japanese),
            template: template.into(),
            format: Format::Png,
            quality: ogcard::request::DEFAULT_QUALITY,
            dpr: ogcard::request::Dpr::ONE,
            size,
            debug: false,
            pictures: Default::default(),
        };
        let bytes = req.text_bytes() as u64;
        let before = shaped_bytes();
        let started = Instant::now();
        layout_card(&req, &ASSETS, Deadline::NONE).expect("built-in template");
        let work = shaped_bytes() - before;
        assert!(
            work <= WORK_PER_BYTE * (bytes + 512),
            "{template}: shaped {work} bytes for {bytes} bytes of text"
        );
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(1),
            "{template}: layout took {took:?}"
        );
    }
});
