//! Japanese and Chinese line breaks at every width (issue 27). `data/cjk-phrases-dev.txt`
//! and `data/cjk-phrases-heldout.txt` hold headlines marked by hand before the breaker was
//! built (`|` between Japanese phrases and Chinese words), the second half never used to
//! tune it; `-dev-2`, `-dev-3` and `-heldout-3` were written for its second round of
//! rules, the last set aside until they were done; `-heldout-4` and `-heldout-5` were set
//! aside before the third. Each is laid out with its `lang` in the narrow test template at
//! 36 px and at 56 px, in boxes 240 to 1040 px wide in 20 px steps. A line may end at a `|` or a
//! space; inside a phrase only when that phrase alone is wider than the box.

mod common;

use std::path::Path;

use ogcard::assets::templates::Slot;
use ogcard::render::layout::layout_slot;
use ogcard::render::{Assets, Deadline};
use ogcard::request::Lang;

use common::cut_offsets;

struct Marked {
    lang: Option<Lang>,
    title: Vec<char>,
    marks: Vec<usize>,
}

impl Marked {
    fn parse(line: &str) -> Marked {
        let (lang, text) = line.split_once('\t').expect("lang<TAB>headline");
        let mut marked = Marked {
            lang: Lang::parse(lang).unwrap(),
            title: Vec::new(),
            marks: Vec::new(),
        };
        for c in text.chars() {
            match c {
                '|' => marked.marks.push(marked.title.len()),
                c => marked.title.push(c),
            }
        }
        marked
    }

    fn text(&self) -> String {
        self.title.iter().collect()
    }

    fn boundary(&self, k: usize) -> bool {
        k == 0
            || k == self.title.len()
            || self.marks.contains(&k)
            || self.title[k - 1] == ' '
            || self.title[k] == ' '
    }

    /// The phrase around `k`: from the boundary before it to the one after.
    fn phrase_around(&self, k: usize) -> String {
        let start = (0..k).rev().find(|&b| self.boundary(b)).unwrap_or(0);
        let end = (k + 1..=self.title.len())
            .find(|&b| self.boundary(b))
            .unwrap_or(self.title.len());
        self.title[start..end].iter().collect()
    }
}

fn read(text: &str) -> Vec<Marked> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(Marked::parse)
        .collect()
}

fn lines(text: &str, lang: Option<Lang>, slot: &Slot, assets: &Assets) -> Vec<String> {
    let layout = layout_slot(
        text,
        lang,
        slot,
        &assets.fonts,
        &mut Vec::new(),
        Deadline::NONE,
    )
    .unwrap();
    assert!(!layout.truncated, "{text} was cut at {} px", slot.width);
    layout.lines.into_iter().map(|l| l.text).collect()
}

/// The breaks inside a phrase that fits its box, with the line breaks counted, for each
/// headline at each width of `widths` in both slots.
fn splits(
    marked: &[Marked],
    widths: &[u32],
    assets: &Assets,
    lang_of: impl Fn(&Marked) -> Option<Lang>,
) -> (Vec<String>, usize) {
    let template = assets.templates.get("narrow").unwrap();
    let mut found = Vec::new();
    let mut breaks = 0;
    for name in ["title", "description"] {
        for &width in widths {
            let mut slot = template.slot(name).unwrap().clone();
            slot.width = width as f32;
            for m in marked {
                let lang = lang_of(m);
                let lines = lines(&m.text(), lang, &slot, assets);
                for k in cut_offsets(&m.title, &lines) {
                    breaks += 1;
                    if m.boundary(k) {
                        continue;
                    }
                    let phrase = m.phrase_around(k);
                    if lines_of(&phrase, lang, &slot, assets) > 1 {
                        continue;
                    }
                    let (a, b) = m.title.split_at(k);
                    found.push(format!(
                        "{name} {width}px: {}|{}",
                        a.iter().collect::<String>(),
                        b.iter().collect::<String>()
                    ));
                }
            }
        }
    }
    (found, breaks)
}

fn lines_of(text: &str, lang: Option<Lang>, slot: &Slot, assets: &Assets) -> usize {
    lines(text, lang, slot, assets).len()
}

fn narrow() -> Assets {
    Assets::load(Some(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/templates"
    ))))
    .unwrap()
}

const EVERY_WIDTH: std::ops::RangeInclusive<u32> = 240..=1040;

/// Lays out `text`'s headlines at every width, prints what splits a phrase, and
/// answers (splits, line breaks).
fn judge(file: &str, text: &str, widths: &[u32]) -> (usize, usize) {
    let assets = narrow();
    let marked = read(text);
    for lang in [
        Lang::Japanese,
        Lang::SimplifiedChinese,
        Lang::TraditionalChinese,
    ] {
        let one: Vec<Marked> = read(text)
            .into_iter()
            .filter(|m| m.lang == Some(lang))
            .collect();
        let (found, breaks) = splits(&one, widths, &assets, |m| m.lang);
        eprintln!("{file}, {}: {} of {breaks}", lang.as_str(), found.len());
    }
    let (found, breaks) = splits(&marked, widths, &assets, |m| m.lang);
    eprintln!(
        "{file}: {} of {breaks} line breaks inside a phrase that fits",
        found.len()
    );
    for f in &found {
        eprintln!("  {f}");
    }
    (found.len(), breaks)
}

/// The five widths.
const FIVE_WIDTHS: [u32; 5] = [1040, 700, 560, 420, 300];

fn every_width() -> Vec<u32> {
    EVERY_WIDTH.step_by(20).collect()
}

/// The development half: none left since the Chinese lexicon (8 before it: words both
/// segmenters split, `后|端`, or misjoined, ICU's `年春|节`).
#[test]
fn development_headlines_break_between_phrases_at_every_width() {
    held_to("dev", include_str!("data/cjk-phrases-dev.txt"), (0, 0));
}

/// The first held-out half, never used to tune the first breaker: reported, and held to
/// what it measured then (78 and 11). Its splits were read after that report, so the
/// second round of rules (the Chinese lexicon, numbers' prefixes, one-hiragana phrases)
/// was built with it in view (14 and 2, all Japanese), and the third (Japanese: ICU's
/// words, kanji pairs, a number's edges) too: none left (`第３回開発者|会議の` was cut
/// inside a phrase too wide at a kanji pair before the number's edge).
#[test]
fn held_out_headlines_break_between_phrases_at_every_width() {
    held_to(
        "held out",
        include_str!("data/cjk-phrases-heldout.txt"),
        (0, 0),
    );
}

/// The second set (written after the first breaker), in two halves: what the second
/// round of rules was built from, with the first sets. Before it: 22 and 4, 75 and 11
/// (every width, five widths). The third round was built from them too: BudouX's phrase
/// starts inside a word (`燃え|尽きる`, `暮ら|す`) are gone, and a phrase too wide is cut
/// after a て-form first (`書かせて|みたら`, not `書か|せて`): dev 2: 5 and 1 → 0 and 0,
/// dev 3: 27 and 4 → 2 and 0, one Chinese word the lexicon lacks (`大|模型`).
#[test]
fn second_development_headlines_break_between_phrases_at_every_width() {
    for (file, text, bounds) in [
        ("dev 2", include_str!("data/cjk-phrases-dev-2.txt"), (0, 0)),
        ("dev 3", include_str!("data/cjk-phrases-dev-3.txt"), (2, 0)),
    ] {
        held_to(file, text, bounds);
    }
}

/// Judges `text` at every width and at the five, each against its bound (splits inside
/// a phrase or word that fits).
fn held_to(file: &str, text: &str, (every, five): (usize, usize)) {
    let (splits, breaks) = judge(file, text, &every_width());
    assert!(splits <= every, "{file}: {splits} of {breaks}");
    let (splits, breaks) = judge(&format!("{file}, five widths"), text, &FIVE_WIDTHS);
    assert!(splits <= five, "{file}: {splits} of {breaks}");
}

/// The third set, written and set aside before the second round of rules, measured once
/// after it: 87 → 32 of 2 698 line breaks at every width, 11 → 4 of 377 at the five
/// (Chinese 55 → 0 and 7 → 0; Japanese unchanged, 32 and 4: kanji compounds BudouX
/// splits, `全国|大会`, `確定|申告`). Those two were printed by mistake while the rules
/// were built, so the third round was built with them in view, as development: 5 and 1
/// (`確定|申告入門`, a phrase too wide cut at the wrong one of two word edges); none since
/// the fourth round cuts a run of kanji at its last word edge first.
#[test]
fn third_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-3.txt");
    held_to("held out 3", held_out, (0, 0));
}

/// The fourth set (30 Japanese headlines), written and set aside before a kanji rule (no
/// break between two kanji, the first place to cut a phrase too wide) was tried: 58 of
/// 2 308 line breaks at every width, 8 of 316 at the five, with the rule and without it
/// alike (and no change on the development sets either), so the rule was not kept. After
/// the third round (built without it): 44 and 6 of 315. Its splits were read for the
/// fourth round (a number in kanji keeps its counter, `五十号`; a one-kanji suffix stays
/// with its word, `外国人|観光客`): 11 and 1 left, a phrase too wide cut `東京|都知事選`.
/// In the twelfth round the Chinese lexicon's words cut a run of kanji (`東京都|知事選`):
/// 0 and 0.
#[test]
fn fourth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-4.txt");
    held_to("held out 4", held_out, (0, 0));
}

/// The fifth set (30 Japanese and 10 Chinese headlines), written and set aside before the
/// third round of Japanese rules (no phrase inside a word of ICU's that starts with a
/// kanji, none between two kanji, a number's edges first among the cuts of a phrase too
/// wide; then a て-form's end among those edges, which changed nothing here nor on held
/// out 4), measured before it and after it: 43 → 31 of 3 013 line breaks at every
/// width, 7 → 5 of 412 at the five (Japanese 5 of 361, Chinese 0 of 51; Chromium at the
/// five: 233 of 357 by default, Japanese with `word-break: auto-phrase` 21 of 349). Its
/// splits were read for the fourth round: 28 and 4 of them were marks that differed from
/// every other set's (`続けるための` whole where the rest mark `続ける|ための`), mended in
/// the file (3 and 1 left, `温泉ベスト|10`; none since a name keeps the number it ends
/// with).
#[test]
fn fifth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-5.txt");
    held_to("held out 5", held_out, (0, 0));
}

/// The sets the fourth round was built from last, both read. The sixth (30 Japanese and
/// 12 Chinese headlines) was written and set aside before that round, which was first
/// built from the fourth and fifth sets: 52 of 2 383 line breaks at every width, 8 of 332
/// at the five (Japanese 8 of 274, Chinese 0 of 58) before it and, measured once, after
/// it. Its splits were then read and rules built from them (a compound verb,
/// `飲み|比べる`; no phrase at `づ`, `もの|づくり`; `三か月`; a run of kanji cut at its
/// last word edge first, `確定拠出|年金`): none left. The seventh (30 Japanese and 10
/// Chinese) was written and set aside before those: 10 of 2 584, 2 of 355 at the five
/// (Japanese 2 of 309, Chinese 0 of 46; Chromium at the five, Japanese with
/// `word-break: auto-phrase`: 15 of 307); a test filter printed its splits while they
/// were built, so it was development from then on (the eighth set was written to be held
/// out instead): 3 and 1 after them (`その|後`, BudouX's phrase start inside an adverb),
/// none since `その後` is trusted as a word.
#[test]
fn fourth_round_headlines_break_between_phrases_at_every_width() {
    for (file, text, bounds) in [
        (
            "held out 6",
            include_str!("data/cjk-phrases-heldout-6.txt"),
            (0, 0),
        ),
        (
            "held out 7",
            include_str!("data/cjk-phrases-heldout-7.txt"),
            (0, 0),
        ),
    ] {
        held_to(file, text, bounds);
    }
}

/// The eighth set (30 Japanese and 10 Chinese headlines), written and set aside when a
/// test filter printed the seventh's splits while the fourth round was being built.
/// Before the rules built from the sixth set: 56 of 2 373 line breaks at every width, 7
/// of 325 at the five (Japanese 5 of 285, Chinese 2 of 40; Chromium at the five,
/// Japanese with `word-break: auto-phrase`: 17 of 275). After them, measured once: 35 of
/// 2 379, 5 of 326 at the five (Japanese 42 → 21 and 5 → 3; Chinese unchanged, 14 and 2).
/// Its splits were read after that (`ノー|コードツールで`, `ノーコードツール|で`, `多|地`,
/// `越|开越多`, `创新|高`), and the fifth round built from them: a katakana compound too
/// wide is cut between its words, the last first, never before its particle (SudachiDict's
/// katakana words): 14 of 2 363, 2 of 322 at the five, all Chinese words the lexicon
/// lacks. One mark was mended then, to the other sets' (`整えるべき|こと`, not
/// `整える|べき|こと`: `べき` is an auxiliary, as in `見るべき|ポイント` of the same set).
/// The eleventh round's `越X越Y` as one word: 9 and 1 (`多|地`, `创新|高`).
#[test]
fn eighth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-8.txt");
    held_to("held out 8", held_out, (9, 1));
}

/// The ninth set (30 Japanese and 12 Chinese headlines), written and set aside after the
/// fourth round and before the eighth set's splits were read. After the fourth round,
/// before anything built from the eighth: 50 of 2 362 line breaks at every width, 8 of
/// 329 at the five (Japanese 8 of 287, Chinese 0 of 42; Chromium at the five, Japanese
/// with `word-break: auto-phrase`: 17 of 281, by default 162 of 242, Chinese 25 of 40).
/// After the katakana words (built from the eighth), measured once: 26 of 2 351, 4 of 328
/// at the five (Japanese 4 of 286). Its splits were then read (`始める|べきか`,
/// `受け|入れ拡大へ`, `受け入れ拡大|へ`, `名古屋め|しを`) and two rules built from them
/// (`べき` joins its verb; a compound verb's second kanji has its own ending, so
/// `受け入れ|拡大` is a word edge): 5 and 1 left (`名古屋め|し`), none since the
/// eleventh round cuts a phrase too wide before a kana noun, not inside it.
#[test]
fn ninth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-9.txt");
    held_to("held out 9", held_out, (0, 0));
}

/// The tenth set (32 Japanese and 13 Chinese headlines), written and set aside after the
/// katakana words were added and before the ninth set's splits were read, leaning on
/// katakana compounds (marked between their parts): held out from the rules built from
/// the ninth. Without the katakana words: 442 of 3 849 line breaks at every width, 64 of
/// 525 at the five (all Japanese; Chromium at the five, Japanese with
/// `word-break: auto-phrase`: 70 of 427, by default 261 of 384, Chinese 35 of 54). With
/// them, before the ninth's rules: 33 of 3 771, 4 of 454. After the whole fifth round
/// (one mark mended first, `通わせるべきか` as the other sets mark `べき`): 33 of 3 781, 4
/// of 513 at the five (Japanese 4 of 455; Chinese 0 of 58). Its splits were read at the
/// start of the sixth round (`ソ|フトウェア`, `スタートアップ|の`, `データベース|の`: a
/// katakana word too wide cut inside a part or before its particle, not between its own
/// two words), and the sixth round built from them: none left.
#[test]
fn tenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-10.txt");
    held_to("held out 10", held_out, (0, 0));
}

/// The eleventh set (30 Japanese and 12 Chinese headlines, ordinary ones: few katakana
/// compounds), written after the katakana words and the ninth's rules and set aside:
/// 53 of 2 710 line breaks at every width, 8 of 368 at the five (Japanese 8 of 322,
/// Chinese 0 of 46; Chromium at the five, Japanese with `word-break: auto-phrase`: 28 of
/// 316, by default 199 of 273, Chinese 20 of 39). Then one rule built from the read sets
/// (a demonstrative or honorific prefix ICU reads as one word with its kanji, `その後`,
/// `この度`, is trusted as a kanji word), measured once after it: 50 of 2 710, 7 of 368.
/// Its splits were read at the start of the sixth round and rules built from them (a
/// number with its own counter is no katakana name's, `シーズン|５０本塁打`; `週` binds its
/// number; `どうなる` is one phrase): 33 of 2 705, 5 of 367. In the eighth round a phrase
/// BudouX starts inside a kana word after a particle starts at the word
/// (`若者で|にぎわう`): 24 of 2 705, 4 of 367. Left: `ふた|ご座` (BudouX reads an
/// honorific `ご`), `梅雨入り前|に` (ICU's one word, cut before its particle),
/// `週４日勤務|を` (ICU reads `日勤`). In the twelfth round a kanji before a particle is no
/// compound verb's second verb: `梅雨入り|前に`, 22 of 2 705 (still a cut inside the
/// phrase as marked).
#[test]
fn eleventh_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-11.txt");
    held_to("held out 11", held_out, (22, 4));
}

/// The twelfth set (30 Japanese and 12 Chinese ordinary headlines), written and set aside
/// at the start of the sixth round, before the tenth and eleventh sets' splits were read:
/// 0 of 2 710 line breaks at every width, 0 of 381 at the five, before the sixth round
/// and, measured once, after it (0 of 2 714); Chromium at the five, Japanese with
/// `word-break: auto-phrase`: 18 of 307, by default 180 of 266, Chinese 36 of 63. Its
/// splits print only with `--nocapture` or when a bound fails.
#[test]
fn twelfth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-12.txt");
    held_to("held out 12", held_out, (0, 0));
}

/// The thirteenth set (30 Japanese and 15 Chinese ordinary headlines, some with a number or
/// a Latin word), written and set aside at the start of the seventh round, before anything
/// of it was measured, and measured once: 39 of 2 629 line breaks at every width, 6 of 366
/// at the five (Japanese 6 of 308, Chinese 0 of 58; Chromium at the five, Japanese with
/// `word-break: auto-phrase`: 17 of 304, by default 186 of 265, Chinese 30 of 55). Its
/// splits were read in the eighth round, after the fourteenth set was set aside: all 39
/// were one title's `商店街がに|ぎわいを`, BudouX's phrase start inside a kana word after
/// a particle, which now starts at the word: 0 of 2 629, 0 of 366.
#[test]
fn thirteenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-13.txt");
    held_to("held out 13", held_out, (0, 0));
}

/// The fourteenth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside at the start of the eighth round, before anything of it was
/// built or measured. Measured before the round: 75 of 3 664 line breaks at every width,
/// 12 of 501 at the five (Japanese 12 of 426, Chinese 0 of 75; Chromium at the five,
/// Japanese with `word-break: auto-phrase`: 38 of 413, by default 245 of 357, Chinese 36
/// of 67). Measured once after it: 50 of 3 659, 8 of 500 (Japanese 8 of 425); one of its
/// titles has the pattern of the round's one Japanese rule (`…観光客でにぎわう`), built
/// from held out 11 and 13, so not all of that fall is evidence. Its splits were read in
/// the ninth round, after the fifteenth set was set aside: BudouX's phrase start inside a
/// kana word after a word of two kanji (`簡単おに|ぎりの`) now starts at the word: 25 of
/// 3 653, 5 of 499 (left: `寝る|前の`, a verb before its noun, and `初めて|の積雪` where a
/// phrase too wide is cut). In the twelfth round `の` after `て` ends the phrase, no
/// helping verb: 22 of 3 653, 4 of 499.
#[test]
fn fourteenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-14.txt");
    held_to("held out 14", held_out, (22, 4));
}

/// The fifteenth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside at the start of the ninth round, before anything of it was built
/// or measured. Measured before the round: 24 of 3 299 line breaks at every width, 3 of
/// 450 at the five (Japanese 3 of 377, Chinese 0 of 73; Chromium at the five, Japanese
/// with `word-break: auto-phrase`: 28 of 368, by default 224 of 319, Chinese 37 of 68).
/// Its splits were read in the tenth round, after the sixteenth set was set aside: all 24
/// are one title's `空の|便に`, where the set marks the idiom `空の便` whole (`空の` is a
/// phrase by grammar); nothing was built from it.
#[test]
fn fifteenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-15.txt");
    held_to("held out 15", held_out, (24, 3));
}

/// The sixteenth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside at the start of the tenth round, before anything of it was built
/// or measured, and measured then: 2 of 2 707 line breaks at every width, 0 of 373 at the
/// five (Japanese 0 of 316, Chinese 0 of 57; Chromium at the five, Japanese with
/// `word-break: auto-phrase`: 19 of 311, by default 193 of 272, Chinese 29 of 52). The
/// round changed no Japanese or Chinese rule. Its splits print only with `--nocapture` or
/// when a bound fails.
#[test]
fn sixteenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-16.txt");
    held_to("held out 16", held_out, (2, 0));
}

/// The seventeenth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside in the tenth round after the sixteenth was measured, and measured
/// once with no Japanese or Chinese rule changed: 26 of 2 378 line breaks at every width,
/// 4 of 341 at the five (Japanese 3 of 278, Traditional Chinese 1 of 17; Chromium at the
/// five, Japanese with `word-break: auto-phrase`: 10 of 274, by default 169 of 239,
/// Chinese 35 of 54). Its splits were read in the eleventh round, after the eighteenth
/// set was set aside (`組み立て|てみた`, `味覚さん|まが`, `東北新幹線|が`, `通勤|族`), and
/// two rules built from them (a stem in `て` keeps its て-form's `て`; a kana noun between
/// a kanji word and its particle is cut before, not inside): 14 and 2. In the twelfth
/// round the Chinese lexicon's words cut a run of kanji ICU reads as one word
/// (`東北|新幹線`): 7 and 1.
#[test]
fn seventeenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-17.txt");
    held_to("held out 17", held_out, (7, 1));
}

/// The eighteenth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside at the start of the eleventh round, before anything of it was
/// built or measured, and measured then: 29 of 2 608 line breaks at every width, 4 of 367
/// at the five (Japanese 4 of 310, Chinese 0 of 57; Chromium at the five, Japanese with
/// `word-break: auto-phrase`: 16 of 303, by default 182 of 259, Chinese 32 of 51). The
/// same once more after the round's three rules. Its splits print only with
/// `--nocapture` or when a bound fails.
#[test]
fn eighteenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-18.txt");
    held_to("held out 18", held_out, (18, 3));
}

/// The nineteenth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside in the eleventh round after its rules were built and held out 18
/// measured, before anything of it was measured; measured once: 2 of 2 028 line breaks
/// at every width (both Simplified Chinese), 0 of 293 at the five (Chromium at the five,
/// Japanese with `word-break: auto-phrase`: 11 of 239, by default 152 of 207, Chinese 29
/// of 45). Its splits print only with `--nocapture` or when a bound fails.
#[test]
fn nineteenth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-19.txt");
    held_to("held out 19", held_out, (2, 0));
}

/// The twentieth set (30 Japanese and 12 Chinese headlines, Chinese in both scripts),
/// written and set aside at the start of the twelfth round, before anything of it was
/// built or measured; measured once after the round's rules (five: the lone kanji beside
/// a katakana word, a Chinese name ending in a numeral, a particle after `て`, a kanji
/// before a particle, the lexicon's words in a run of kanji): 0 of 2 292 line breaks at
/// every width, 0 of 325 at the five. Its splits print only with `--nocapture` or when a
/// bound fails.
#[test]
fn twentieth_held_out_headlines_break_between_phrases_at_every_width() {
    let held_out = include_str!("data/cjk-phrases-heldout-20.txt");
    held_to("held out 20", held_out, (0, 0));
}
