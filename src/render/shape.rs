//! Font runs and shaping: which face draws each grapheme, and how wide text is.
//!
//! Each grapheme cluster takes the first face of the fallback chain that has all of its
//! characters (as browsers do per character), so Noto Sans Thai draws Thai and spaces, and
//! Noto Sans draws Latin and `…`. We emit one SVG text chunk per run with that exact face,
//! so usvg never needs its own fallback, and shape each run exactly as usvg does (harfrust,
//! same bidi split, same buffer properties, same features): our widths are usvg's.

use std::ops::Range;

use harfrust::{Direction, ShapeOptions, UnicodeBuffer};
use unicode_segmentation::UnicodeSegmentation;

use crate::assets::fonts::{Face, FaceIndex, Fonts};

/// A maximal span of text drawn with one face.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub range: Range<usize>,
    pub face: FaceIndex,
}

/// Splits `text` into runs over the fallback `chain`, and appends to `missing` every
/// character that no face of the chain can draw.
pub fn itemize(
    text: &str,
    chain: &[FaceIndex],
    fonts: &Fonts,
    missing: &mut Vec<char>,
) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (at, grapheme) in text.grapheme_indices(true) {
        let face = pick_face(grapheme, chain, fonts, missing);
        match runs.last_mut() {
            Some(run) if run.face == face => run.range.end = at + grapheme.len(),
            _ => runs.push(Run {
                range: at..at + grapheme.len(),
                face,
            }),
        }
    }
    runs
}

fn pick_face(
    grapheme: &str,
    chain: &[FaceIndex],
    fonts: &Fonts,
    missing: &mut Vec<char>,
) -> FaceIndex {
    let visible = || grapheme.chars().filter(|&c| !is_default_ignorable(c));
    // Emoji presentation: a colour face first, as browsers do, even when a text face
    // earlier in the chain has a monochrome glyph.
    if is_emoji_presentation(grapheme) {
        if let Some(&face) = chain
            .iter()
            .find(|&&f| fonts.faces[f].color && visible().all(|c| fonts.faces[f].has_char(c)))
        {
            return face;
        }
    }
    if let Some(&face) = chain
        .iter()
        .find(|&&f| visible().all(|c| fonts.faces[f].has_char(c)))
    {
        return face;
    }
    for c in visible() {
        if !chain.iter().any(|&f| fonts.faces[f].has_char(c)) && !missing.contains(&c) {
            missing.push(c);
        }
    }
    let first = grapheme.chars().next();
    chain
        .iter()
        .copied()
        .find(|&f| first.is_some_and(|c| fonts.faces[f].has_char(c)))
        .or(chain.first().copied())
        .unwrap_or(0)
}

/// Whether `text` is a right-to-left paragraph: its first strong character is (UAX #9).
pub fn is_rtl_paragraph(text: &str) -> bool {
    unicode_bidi::BidiInfo::new(text, None)
        .paragraphs
        .first()
        .is_some_and(|p| p.level.is_rtl())
}

/// The font runs of one line, cut further where the bidi embedding level changes and put
/// in visual (left-to-right drawing) order by the Unicode bidi algorithm. Each piece is
/// then one face and one direction, drawn as its own text chunk.
pub fn visual_order(line: &str, runs: &[Run], rtl_paragraph: bool) -> Vec<Run> {
    let level = if rtl_paragraph {
        unicode_bidi::Level::rtl()
    } else {
        unicode_bidi::Level::ltr()
    };
    let bidi = unicode_bidi::BidiInfo::new(line, Some(level));
    let Some(paragraph) = bidi.paragraphs.first() else {
        return runs.to_vec();
    };
    let (levels, level_runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
    let mut out = Vec::with_capacity(runs.len() + level_runs.len());
    for level_run in level_runs {
        let mut pieces: Vec<Run> = runs
            .iter()
            .filter_map(|r| {
                let start = r.range.start.max(level_run.start);
                let end = r.range.end.min(level_run.end);
                (start < end).then_some(Run {
                    range: start..end,
                    face: r.face,
                })
            })
            .collect();
        if levels[level_run.start].is_rtl() {
            pieces.reverse();
        }
        out.extend(pieces);
    }
    out
}

/// Whether a grapheme is shown as an emoji by default (Unicode `Emoji_Presentation`, an
/// emoji variation selector, a flag or a ZWJ/keycap sequence).
fn is_emoji_presentation(grapheme: &str) -> bool {
    grapheme.chars().any(|c| {
        matches!(c,
            '\u{FE0F}' | '\u{20E3}'
            | '\u{1F1E6}'..='\u{1F1FF}'
            | '\u{1F004}' | '\u{1F0CF}' | '\u{1F18E}' | '\u{1F191}'..='\u{1F19A}'
            | '\u{1F300}'..='\u{1F64F}' | '\u{1F680}'..='\u{1F6FF}'
            | '\u{1F7E0}'..='\u{1F7EB}' | '\u{1F900}'..='\u{1FAFF}'
            | '\u{231A}' | '\u{231B}' | '\u{23E9}'..='\u{23EC}' | '\u{23F0}' | '\u{23F3}'
            | '\u{25FD}' | '\u{25FE}' | '\u{2614}' | '\u{2615}' | '\u{2648}'..='\u{2653}'
            | '\u{267F}' | '\u{2693}' | '\u{26A1}' | '\u{26AA}' | '\u{26AB}' | '\u{26BD}'
            | '\u{26BE}' | '\u{26C4}' | '\u{26C5}' | '\u{26CE}' | '\u{26D4}' | '\u{26EA}'
            | '\u{26F2}' | '\u{26F3}' | '\u{26F5}' | '\u{26FA}' | '\u{26FD}' | '\u{2705}'
            | '\u{270A}' | '\u{270B}' | '\u{2728}' | '\u{274C}' | '\u{274E}'
            | '\u{2753}'..='\u{2755}' | '\u{2757}' | '\u{2795}'..='\u{2797}' | '\u{27B0}'
            | '\u{27BF}' | '\u{2B1B}' | '\u{2B1C}' | '\u{2B50}' | '\u{2B55}')
    })
}

/// Whether `c` is of a right-to-left bidi class (R, AL) or could start an embedding:
/// the blocks of Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their
/// presentation forms, and the RTL planes' ranges. Text without any is one LTR run.
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{200F}' | '\u{202B}' | '\u{202E}' | '\u{2067}'
        | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
}

/// Characters a font need not have a glyph for: joiners, variation selectors.
fn is_default_ignorable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}' | '\u{FEFF}')
}

/// One shaped glyph, in font units.
#[derive(Clone, Copy, Debug)]
pub struct ShapedGlyph {
    pub id: u32,
    pub x_advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
}

/// The glyphs of `text` set in `face`, in drawing order, shaped as usvg shapes them.
pub fn glyphs(text: &str, face: &Face) -> Vec<ShapedGlyph> {
    let mut out = Vec::with_capacity(text.len());
    shape_glyphs(text, face, |_, g| out.push(g));
    out
}

/// Shapes `text` with `face` as usvg does, calling `each(cluster_byte, advance_units)`
/// for every glyph.
fn shape_with(text: &str, face: &Face, mut each: impl FnMut(usize, i32)) {
    shape_glyphs(text, face, |cluster, g| each(cluster, g.x_advance));
}

thread_local! {
    static SHAPED_BYTES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Bytes of text this thread has shaped so far: layout's unit of work, which tests and
/// the `layout_work` fuzz target bound by a multiple of the text's length.
pub fn shaped_bytes() -> u64 {
    SHAPED_BYTES.with(|n| n.get())
}

/// Shapes `text` with `face` as usvg does (same bidi split, buffer properties and
/// features), calling `each(cluster_byte, glyph)` for every glyph in drawing order.
fn shape_glyphs(text: &str, face: &Face, mut each: impl FnMut(usize, ShapedGlyph)) {
    SHAPED_BYTES.with(|n| n.set(n.get() + text.len() as u64));
    let font = face.font_ref();
    let shaper = face.shaper(&font);
    // Text with nothing right-to-left is one left-to-right run, as the bidi algorithm
    // would find: skip its analysis, a sixth of layout's time on long Latin or Thai text.
    let (levels, runs) = if text.chars().any(is_rtl) {
        let bidi = unicode_bidi::BidiInfo::new(text, Some(unicode_bidi::Level::ltr()));
        let Some(paragraph) = bidi.paragraphs.first() else {
            return;
        };
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        let rtl: Vec<bool> = runs.iter().map(|r| levels[r.start].is_rtl()).collect();
        (rtl, runs)
    } else {
        (vec![false], std::iter::once(0..text.len()).collect())
    };
    for (run, rtl) in runs.into_iter().zip(levels) {
        let sub = &text[run.clone()];
        if sub.is_empty() {
            continue;
        }
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(sub);
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        buffer.guess_segment_properties();
        let plan = face.plan(&shaper, &buffer);
        let output = shaper.shape(buffer, ShapeOptions::new().plan(Some(&plan)));
        for (info, pos) in output.glyph_infos().iter().zip(output.glyph_positions()) {
            each(
                run.start + info.cluster as usize,
                ShapedGlyph {
                    id: info.glyph_id,
                    x_advance: pos.x_advance,
                    x_offset: pos.x_offset,
                    y_offset: pos.y_offset,
                },
            );
        }
    }
}

/// The advance of `text` set in `face`, in em.
pub fn width_em(text: &str, face: &Face) -> f32 {
    let mut units = 0i64;
    shape_with(text, face, |_, adv| units += i64::from(adv));
    units as f32 / face.units_per_em
}

/// The advance of `text` when drawn as `runs`, in em.
pub fn runs_width_em(text: &str, runs: &[Run], fonts: &Fonts) -> f32 {
    runs.iter()
        .map(|r| width_em(&text[r.range.clone()], &fonts.faces[r.face]))
        .sum()
}

/// Prefix sums of advances: `out[b]` is the advance, in em, of every glyph whose cluster
/// starts before byte `b`. `out.len() == text.len() + 1`. Width of `text[a..b]` when both
/// are cluster boundaries is `out[b] - out[a]`, up to kerning across `a` and `b`.
pub fn prefix_em(text: &str, runs: &[Run], fonts: &Fonts) -> Vec<f32> {
    prefix_em_until(text, runs, fonts, &[], f32::INFINITY).0
}

/// Bytes of a run shaped at once by `prefix_em_until`: longer runs are shaped in pieces,
/// so that shaping can stop once enough text is measured.
const PIECE_BYTES: usize = 512;

/// Like [`prefix_em`], but stops shaping once the advances reach `limit_em`: returns the
/// sums and the byte where measuring stopped (`text.len()` when it did not). Long runs
/// are shaped in pieces of about [`PIECE_BYTES`], cut at the last of `cuts` (ascending
/// byte offsets: break opportunities) in reach, else at a character boundary; a piece's
/// seam loses at most the kerning across it.
pub fn prefix_em_until(
    text: &str,
    runs: &[Run],
    fonts: &Fonts,
    cuts: &[usize],
    limit_em: f32,
) -> (Vec<f32>, usize) {
    let mut at_byte = vec![0f32; text.len() + 1];
    let mut measured = 0f32;
    let mut stop = text.len();
    'runs: for run in runs {
        let face = &fonts.faces[run.face];
        let mut start = run.range.start;
        while start < run.range.end {
            let end = if run.range.end - start <= PIECE_BYTES {
                run.range.end
            } else {
                let reach = start + PIECE_BYTES;
                let by_cut = cuts[..cuts.partition_point(|&c| c <= reach)]
                    .last()
                    .copied()
                    .filter(|&c| c > start);
                by_cut.unwrap_or_else(|| {
                    (start + 1..=reach)
                        .rev()
                        .find(|&b| text.is_char_boundary(b))
                        .unwrap_or(run.range.end)
                })
            };
            shape_with(&text[start..end], face, |cluster, adv| {
                let em = adv as f32 / face.units_per_em;
                at_byte[start + cluster] += em;
                measured += em;
            });
            start = end;
            if measured > limit_em {
                stop = end;
                break 'runs;
            }
        }
    }
    let mut sum = 0f32;
    for v in at_byte.iter_mut() {
        let here = *v;
        *v = sum;
        sum += here;
    }
    (at_byte, stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_and_latin_get_their_own_faces() {
        let fonts = Fonts::embedded().unwrap();
        let chain = fonts.fallback_chain(
            &["Noto Sans Thai".into(), "Noto Sans".into()],
            crate::assets::fonts::Style::new(700, false),
        );
        let text = "ของ DeepSeek: ข้อมูล";
        let mut missing = vec![];
        let runs = itemize(text, &chain, &fonts, &mut missing);
        let named: Vec<_> = runs
            .iter()
            .map(|r| (&text[r.range.clone()], fonts.faces[r.face].name.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("ของ ", "Noto Sans Thai Bold"),
                ("DeepSeek:", "Noto Sans Bold"),
                (" ข้อมูล", "Noto Sans Thai Bold"),
            ]
        );
        assert!(missing.is_empty());
    }

    #[test]
    fn right_to_left_runs_are_drawn_in_visual_order() {
        let fonts = Fonts::embedded().unwrap();
        let chain = fonts.fallback_chain(
            &["Noto Sans".into()],
            crate::assets::fonts::Style::new(700, false),
        );
        // The runs' texts, left to right, as the paragraph direction orders them.
        let drawn = |text: &str| -> Vec<String> {
            let runs = itemize(text, &chain, &fonts, &mut vec![]);
            visual_order(text, &runs, is_rtl_paragraph(text))
                .iter()
                .map(|r| text[r.range.clone()].trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        assert!(is_rtl_paragraph("ثورة DeepSeek مفتوحة"));
        assert_eq!(
            drawn("ثورة DeepSeek مفتوحة"),
            ["مفتوحة", "DeepSeek", "ثورة"]
        );
        // Left-to-right text keeps its logical order.
        assert!(!is_rtl_paragraph("DeepSeek ثورة"));
        assert_eq!(drawn("DeepSeek ثورة"), ["DeepSeek", "ثورة"]);
    }

    #[test]
    fn emoji_take_the_colour_face_even_after_a_text_face() {
        let fonts = Fonts::embedded().unwrap();
        let chain = fonts.fallback_chain(
            &["Noto Sans".into()],
            crate::assets::fonts::Style::new(700, false),
        );
        for text in ["✨", "🚀", "👩‍💻", "🇹🇭", "❤️"] {
            let runs = itemize(text, &chain, &fonts, &mut vec![]);
            assert_eq!(runs.len(), 1, "{text}: one cluster, one run");
            assert!(fonts.faces[runs[0].face].color, "{text}");
        }
        // Without the emoji variation selector, a text-default symbol stays text.
        let runs = itemize("©", &chain, &fonts, &mut vec![]);
        assert!(!fonts.faces[runs[0].face].color);
    }

    #[test]
    fn uncovered_characters_are_reported_once() {
        let fonts = Fonts::embedded().unwrap();
        let chain = fonts.fallback_chain(&[], crate::assets::fonts::Style::new(400, false));
        let mut missing = vec![];
        // Egyptian hieroglyphs: in no bundled font.
        itemize("𓀀𓀁𓀀", &chain, &fonts, &mut missing);
        assert_eq!(missing, ['𓀀', '𓀁']);
    }

    #[test]
    fn prefix_sums_add_up_to_the_whole_width() {
        let fonts = Fonts::embedded().unwrap();
        let chain = fonts.fallback_chain(
            &["Noto Sans Thai".into()],
            crate::assets::fonts::Style::new(700, false),
        );
        let text = "การปฏิวัติแบบโอเพนซอร์ส DeepSeek";
        let runs = itemize(text, &chain, &fonts, &mut vec![]);
        let prefix = prefix_em(text, &runs, &fonts);
        let whole = runs_width_em(text, &runs, &fonts);
        assert!((prefix[text.len()] - whole).abs() < 1e-4);
    }
}
