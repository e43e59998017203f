//! Where Japanese and Chinese lines may end: between phrases, never inside one.
//!
//! Japanese breaks between phrases (bunsetsu: a content word with its particles and
//! auxiliaries, `東京オリンピックの|記録が、|ついに`), decided by a BudouX model
//! (`data/budoux`, Apache-2.0, see its README): a boosted sum over the characters around
//! a boundary (each alone, in pairs and in threes at fixed places), a phrase starting
//! where the sum is positive. The models are JSON files compiled into the binary and read
//! once into hash maps; scoring is one pass with 13 lookups a character.
//!
//! Chinese breaks between words, where two segmenters that know words differently agree:
//! BudouX's Chinese model, which learnt from phrases, and ICU4X's dictionary (data under
//! the Unicode licence, compiled into `icu_segmenter`). Either alone splits common words (BudouX
//! `人|工智|能`, ICU `开|源`); a boundary both see is one a reader sees too. A numeral
//! stays with the character after it (`三十五岁`, `2026年`): a number and its unit.

use std::collections::HashMap;
use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

/// Which model: the language the text is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    Japanese,
    SimplifiedChinese,
    TraditionalChinese,
}

/// A model: the weight of each feature, and the score with no feature present.
struct Weights {
    /// Keyed by the feature's kind (0..13, `KINDS` order) and its characters.
    by_feature: [HashMap<Box<str>, i32>; 13],
    base: i64,
}

/// The kinds of feature, by the model files' names, with where their characters start
/// relative to the boundary and how many there are: one character at -3..=2 (`UW1`–`UW6`),
/// a pair at -2..=0 (`BW1`–`BW3`), a triple at -3..=0 (`TW1`–`TW4`).
const KINDS: [(&str, isize, usize); 13] = [
    ("UW1", -3, 1),
    ("UW2", -2, 1),
    ("UW3", -1, 1),
    ("UW4", 0, 1),
    ("UW5", 1, 1),
    ("UW6", 2, 1),
    ("BW1", -2, 2),
    ("BW2", -1, 2),
    ("BW3", 0, 2),
    ("TW1", -3, 3),
    ("TW2", -2, 3),
    ("TW3", -1, 3),
    ("TW4", 0, 3),
];

fn load(json: &str) -> Weights {
    let model: HashMap<String, HashMap<String, i32>> =
        serde_json::from_str(json).expect("the embedded model is valid JSON");
    let mut by_feature: [HashMap<Box<str>, i32>; 13] = Default::default();
    let mut total: i64 = 0;
    for (k, (name, _, _)) in KINDS.iter().enumerate() {
        for (chars, &w) in model.get(*name).into_iter().flatten() {
            total += i64::from(w);
            by_feature[k].insert(chars.as_str().into(), w);
        }
    }
    Weights {
        by_feature,
        // Every feature's weight counts once for and once against: a boundary with none
        // of them present scores minus half their sum.
        base: -total / 2,
    }
}

static JAPANESE: LazyLock<Weights> =
    LazyLock::new(|| load(include_str!("../../data/budoux/ja.json")));
static SIMPLIFIED: LazyLock<Weights> =
    LazyLock::new(|| load(include_str!("../../data/budoux/zh-hans.json")));
static TRADITIONAL: LazyLock<Weights> =
    LazyLock::new(|| load(include_str!("../../data/budoux/zh-hant.json")));

static WORDS: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

/// Reads the models now rather than on the first request.
pub fn preload() {
    LazyLock::force(&JAPANESE);
    LazyLock::force(&SIMPLIFIED);
    LazyLock::force(&TRADITIONAL);
    LazyLock::force(&WORDS);
}

/// How strongly a phrase (Japanese) or word (Chinese) starts at `chars[k]`, for each
/// `k` (index 0 unused): positive where one does. Inside a phrase, the highest are where
/// a phrase most likely starts after all: where to cut one wider than its box.
pub fn scores(chars: &[char], model: Model) -> Vec<i64> {
    let weights: &Weights = match model {
        Model::Japanese => return japanese_scores(chars),
        Model::SimplifiedChinese => &SIMPLIFIED,
        Model::TraditionalChinese => &TRADITIONAL,
    };
    let text: String = chars.iter().collect();
    let mut char_at = Vec::with_capacity(text.len() + 1);
    for (k, c) in chars.iter().enumerate() {
        char_at.extend(std::iter::repeat_n(k, c.len_utf8()));
    }
    char_at.push(chars.len());
    let words: Vec<usize> = WORDS.segment_str(&text).map(|b| char_at[b]).collect();
    let numeral = |c: char| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "〇零一二三四五六七八九十百千万亿两".contains(c)
    };
    let mut scores = budoux_scores(chars, weights);
    for (k, score) in scores.iter_mut().enumerate().take(chars.len()).skip(1) {
        let word_start = words.binary_search(&k).is_ok();
        let unit_after_numeral = numeral(chars[k - 1]) && is_cjk(chars[k]);
        // Both must see a boundary. Inside a phrase, the dictionary's word boundaries
        // rank first (the phrase's words, `电影|票房`), then BudouX's alone, then the rest.
        let budoux = (*score).clamp(-SCALE / 2, SCALE / 2);
        *score = match (budoux > 0, word_start) {
            _ if unit_after_numeral => budoux.min(0) - 3 * SCALE,
            (true, true) => budoux,
            (false, true) => budoux - SCALE,
            (true, false) => -2 * SCALE,
            (false, false) => budoux - 3 * SCALE,
        };
    }
    scores
}

/// Japanese: BudouX's scores; inside a phrase, the edges of a katakana word (a loanword)
/// or of a Latin one rank above every other place (`水族館|ベスト20`), since kanji
/// followed by hiragana is often one word (`検証|して`: a stem and its ending).
fn japanese_scores(chars: &[char]) -> Vec<i64> {
    let mut scores = budoux_scores(chars, &JAPANESE);
    let kind = |c: char| {
        if ('\u{30A0}'..='\u{30FF}').contains(&c) || ('\u{FF66}'..='\u{FF9F}').contains(&c) {
            1 // katakana, with ー
        } else if c.is_ascii_alphabetic() || ('\u{FF21}'..='\u{FF5A}').contains(&c) {
            2 // Latin letters, ASCII or full-width (digits stay with their counter)
        } else {
            0
        }
    };
    for (k, score) in scores.iter_mut().enumerate().take(chars.len()).skip(1) {
        let (a, b) = (kind(chars[k - 1]), kind(chars[k]));
        if *score <= 0 && a != b && (a != 0 || b != 0) {
            *score = (*score).clamp(-SCALE / 2, 0) / 2;
        } else if *score <= 0 {
            *score = (*score).clamp(-SCALE / 2, 0) - SCALE;
        }
    }
    scores
}

/// Larger than any one model's score: ranks one kind of evidence above another.
const SCALE: i64 = 1 << 32;

/// The BudouX `weights`' score of each boundary (index 0 unused).
fn budoux_scores(chars: &[char], weights: &Weights) -> Vec<i64> {
    let mut key = String::new();
    let mut scores = vec![0; chars.len() + 1];
    for (k, out) in scores.iter_mut().enumerate().take(chars.len()).skip(1) {
        let mut score = weights.base;
        for (kind, &(_, offset, len)) in KINDS.iter().enumerate() {
            let Some(start) = k.checked_add_signed(offset) else {
                continue;
            };
            let Some(window) = chars.get(start..start + len) else {
                continue;
            };
            key.clear();
            key.extend(window);
            score += i64::from(*weights.by_feature[kind].get(key.as_str()).unwrap_or(&0));
        }
        *out = score;
    }
    scores
}

/// Han ideographs, kana, and the CJK punctuation and full-width forms written with them:
/// the characters whose line breaks the phrase models decide.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'     // radicals
        | '\u{3000}'..='\u{303F}'   // CJK punctuation
        | '\u{3040}'..='\u{30FF}'   // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}'   // katakana extensions
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{4E00}'..='\u{9FFF}'   // unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}'   // full-width and half-width forms
        | '\u{20000}'..='\u{3FFFF}') // extensions B–H
}

/// CJK punctuation that ends a clause: a phrase ends after it. (Not a closing bracket: a
/// particle may follow it, `（２０２６年版）を`.)
pub fn ends_a_phrase(c: char) -> bool {
    "、。，．：；！？".contains(c)
}

/// Opening brackets: a phrase starts at them.
pub fn starts_a_phrase(c: char) -> bool {
    "「『（【《〈〔［｛".contains(c)
}

/// Han ideographs: a text with some and no kana is Chinese (unless `lang` says).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Kana: a text with any is Japanese.
pub fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character offsets `k` (0 < k < chars.len()) where a phrase (Japanese) or a word
    /// (Chinese) starts at `chars[k]`, ascending.
    fn phrase_starts(chars: &[char], model: Model) -> Vec<usize> {
        let scores = scores(chars, model);
        (1..chars.len()).filter(|&k| scores[k] > 0).collect()
    }

    fn phrases(text: &str, model: Model) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut at = 0;
        for k in phrase_starts(&chars, model)
            .into_iter()
            .chain([chars.len()])
        {
            out.push(chars[at..k].iter().collect());
            at = k;
        }
        out
    }

    #[test]
    fn japanese_breaks_between_phrases() {
        assert_eq!(
            phrases("今日は天気です。", Model::Japanese),
            ["今日は", "天気です。"]
        );
    }

    #[test]
    fn every_model_loads_and_scores_an_empty_or_one_character_text() {
        for model in [
            Model::Japanese,
            Model::SimplifiedChinese,
            Model::TraditionalChinese,
        ] {
            assert!(phrase_starts(&[], model).is_empty());
            assert!(phrase_starts(&['字'], model).is_empty());
        }
    }
}
