//! Line-break opportunities: where a line may end.
//!
//! UAX #14 (ICU4X) for every script, with ICU4X's dictionaries for Lao, Khmer and Burmese;
//! Thai runs are segmented by our own dictionary matcher (`thai`), which keeps loanwords
//! and compounds whole where ICU splits them. Then our own rules on top: never inside a
//! grapheme cluster, never before a combining mark or a character that attaches to the one
//! before it (ๆ ฯ ะ า ำ), never after a leading vowel (เ แ โ ใ ไ and the Lao ones).
//!
//! Japanese and Chinese break only between phrases and words (`cjk`: BudouX's model for
//! the language `lang` names or the text's kana suggest, with ICU's dictionary for
//! Chinese), and in every script a number (`2,026.5`, `２０２６`) or a Latin word is never
//! broken.
//!
//! A word wider than its box needs weaker places to break: `ladder` gives them, the
//! sub-words of Thai compounds first, then syllables (Thai from its syllable list; Lao,
//! Khmer and Burmese from how their syllables are written; Japanese and Chinese between
//! characters, kinsoku kept). Layout falls back to grapheme clusters only past both.

use std::sync::LazyLock;

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};
use unicode_segmentation::UnicodeSegmentation;

use crate::render::{cjk, thai};
use crate::request::Lang;

static SEGMENTER: LazyLock<LineSegmenterBorrowed<'static>> =
    LazyLock::new(|| LineSegmenter::new_dictionary(LineBreakOptions::default()));

/// Loads the segmenter's data now rather than on the first request.
pub fn preload() {
    LazyLock::force(&SEGMENTER);
}

/// Where a line may break in a text, as byte offsets strictly inside it, ascending. A line
/// that ends at one of them ends before that byte (trailing spaces are then not drawn).
pub struct Opportunities {
    pub breaks: Vec<usize>,
    /// Those of `breaks` where a line had better not end: inside Thai, between two short
    /// words that may be one word no list has, or at the edge of what no list has
    /// (`thai::Boundaries::doubtful`).
    pub doubtful: Vec<usize>,
    /// Those of `doubtful` where a word is likelier than at the others to lie across the
    /// break: between two rare Thai words (`thai::Boundaries::risky`).
    pub risky: Vec<usize>,
}

/// Where a line may break in `text` (see [`Opportunities`]).
pub fn opportunities(text: &str, lang: Option<Lang>) -> Opportunities {
    let mut found = character_breaks(text);
    if let Some(model) = phrase_model(text, lang) {
        found.breaks = between_phrases(&found.breaks, &inside_phrases(text, model, &found.breaks));
        // Thai's doubtful boundaries lie between Thai letters, where no phrase model judges.
    }
    found
}

/// Byte offsets strictly inside `text` where a line may break, ascending
/// (`Opportunities::breaks`).
pub fn break_opportunities(text: &str, lang: Option<Lang>) -> Vec<usize> {
    opportunities(text, lang).breaks
}

/// `breaks` without those in `inside` (both ascending).
fn between_phrases(breaks: &[usize], inside: &[(usize, i64)]) -> Vec<usize> {
    breaks
        .iter()
        .copied()
        .filter(|b| inside.binary_search_by_key(b, |&(i, _)| i).is_err())
        .collect()
}

/// UAX #14's opportunities, Thai's replaced by our segmenter's, with our own rules: where
/// a line may end when Japanese and Chinese may break between any two characters.
fn character_breaks(text: &str) -> Opportunities {
    let mut breaks: Vec<usize> = SEGMENTER
        .segment_str(text)
        .filter(|&b| b > 0 && b < text.len())
        .collect();
    let (mut doubtful, mut risky) = replace_thai_breaks(text, &mut breaks);
    let graphemes: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
    breaks.retain(|b| {
        graphemes.binary_search(b).is_ok()
            && allowed_between(&text[..*b], &text[*b..])
            && !inside_number_or_word(&text[..*b], &text[*b..])
    });
    doubtful.retain(|b| breaks.binary_search(b).is_ok());
    risky.retain(|b| breaks.binary_search(b).is_ok());
    Opportunities {
        breaks,
        doubtful,
        risky,
    }
}

/// The model for the Japanese or Chinese in `text`: the one `lang` names, else Japanese
/// when there is kana, else Chinese when there are ideographs; `None` when there is no
/// Japanese or Chinese to break (or `lang` says Korean or Thai, whose Han characters, if
/// any, break between characters).
fn phrase_model(text: &str, lang: Option<Lang>) -> Option<cjk::Model> {
    match lang {
        Some(Lang::Japanese) => Some(cjk::Model::Japanese),
        Some(Lang::SimplifiedChinese) => Some(cjk::Model::SimplifiedChinese),
        Some(Lang::TraditionalChinese) => Some(cjk::Model::TraditionalChinese),
        Some(Lang::Korean | Lang::Thai) => None,
        None if text.chars().any(cjk::is_kana) => Some(cjk::Model::Japanese),
        None if text.chars().any(cjk::is_han) => Some(cjk::Model::SimplifiedChinese),
        None => None,
    }
}

/// Of `breaks`, those that fall inside a Japanese phrase or a Chinese word by `model`,
/// ascending, each with how likely a phrase starts there after all (`cjk::scores`). The
/// model judges a boundary with a CJK character on either side and no space on either (a
/// space is always a break).
fn inside_phrases(text: &str, model: cjk::Model, breaks: &[usize]) -> Vec<(usize, i64)> {
    let (offsets, chars): (Vec<usize>, Vec<char>) = text.char_indices().unzip();
    let scores = cjk::scores(&chars, model);
    breaks
        .iter()
        .filter_map(|&b| {
            let k = offsets.partition_point(|&o| o < b);
            let (before, after) = (chars[k - 1], chars[k]);
            // After a clause's punctuation, and at an opening bracket, a phrase always
            // starts (where UAX #14 allows a break).
            let judged = (cjk::is_cjk(before) || cjk::is_cjk(after))
                && !before.is_whitespace()
                && !after.is_whitespace()
                && !cjk::ends_a_phrase(before)
                && !cjk::starts_a_phrase(after);
            (judged && scores[k] <= 0).then_some((b, scores[k]))
        })
        .collect()
}

/// Rungs for Japanese phrases and Chinese words wider than their box: each phrase's
/// likeliest place for a phrase to start after all (`cjk::scores`) first, then its next
/// likeliest, then every edge of a word inside it (`cjk::WORD_EDGE`); then, in `rest`,
/// every place between two of its characters.
fn phrase_rungs(text: &str, lang: Option<Lang>, rest: &mut Vec<usize>) -> Vec<Vec<usize>> {
    let Some(model) = phrase_model(text, lang) else {
        return Vec::new();
    };
    let all = character_breaks(text).breaks;
    let inside = inside_phrases(text, model, &all);
    let breaks = between_phrases(&all, &inside);
    let mut rungs: Vec<Vec<usize>> = vec![Vec::new(); 3];
    // Group by phrase: the places between the same two break opportunities.
    let mut phrase: Vec<(usize, i64)> = Vec::new();
    let mut flush = |phrase: &mut Vec<(usize, i64)>| {
        phrase.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        for (rung, &(b, _)) in rungs.iter_mut().zip(phrase.iter()) {
            rung.push(b);
        }
        // Then every edge of a word inside it.
        rungs[2].extend(
            phrase
                .iter()
                .filter(|&&(_, score)| score > cjk::WORD_EDGE)
                .map(|&(b, _)| b),
        );
        rest.extend(phrase.drain(..).map(|(b, _)| b));
    };
    for (b, score) in inside {
        let same = phrase.last().is_some_and(|&(last, _)| {
            breaks.partition_point(|&x| x < last) == breaks.partition_point(|&x| x < b)
        });
        if !same {
            flush(&mut phrase);
        }
        phrase.push((b, score));
    }
    flush(&mut phrase);
    rungs
}

/// Whether a break between `before` and `after` would split a number (digits, ASCII or
/// full-width, with `,` or `.` between them) or a Latin word.
fn inside_number_or_word(before: &str, after: &str) -> bool {
    let digit = cjk::is_digit;
    let separator = |c: char| matches!(c, ',' | '.' | '，' | '．');
    let latin = |c: char| {
        c.is_ascii_alphabetic()
            || ('Ａ'..='Ｚ').contains(&c)
            || ('ａ'..='ｚ').contains(&c)
            || (c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c))
    };
    let mut back = before.chars().rev();
    let mut ahead = after.chars();
    let (Some(prev), Some(next)) = (back.next(), ahead.next()) else {
        return false;
    };
    (digit(prev) && digit(next))
        || (latin(prev) && latin(next))
        || (digit(prev) && separator(next) && ahead.next().is_some_and(digit))
        || (separator(prev) && digit(next) && back.next().is_some_and(digit))
}

/// Where a word wider than its box may be broken, strongest rung first: byte offsets
/// strictly inside `text`, ascending in each rung, each obeying the same rules as
/// `break_opportunities`. Thai gives the parts of its compounds, level by level
/// (`ศาล|ยุติธรรม`, then `ยุติ|ธรรม`), then its syllables (`ทรานส์|ฟอร์|เมอร์`); Lao,
/// Khmer and Burmese their syllables.
pub struct Ladder {
    pub rungs: Vec<Vec<usize>>,
}

/// The weaker break opportunities of `text`, for words wider than their box.
pub fn ladder(text: &str, lang: Option<Lang>) -> Ladder {
    // Inside a Japanese phrase or a Chinese word: its likeliest places first, then between
    // any two of its characters, as UAX #14 and kinsoku allow.
    let mut syllables = Vec::new();
    let mut rungs = phrase_rungs(text, lang, &mut syllables);
    for run in runs(text, |c| script_of(c).is_some()) {
        let at = |k: usize| run.byte_at[k];
        if script_of(run.letters[0]) == Some(Script::Thai) {
            let mut thai = thai::ladder(&run.letters);
            syllables.extend(thai.pop().unwrap_or_default().into_iter().map(at));
            if rungs.len() < thai.len() {
                rungs.resize(thai.len(), Vec::new());
            }
            for (rung, parts) in rungs.iter_mut().zip(thai) {
                rung.extend(parts.into_iter().map(at));
            }
        } else {
            syllables.extend(
                (1..run.letters.len())
                    .filter(|&k| syllable_starts(&run.letters, k))
                    .map(at),
            );
        }
    }
    rungs.push(syllables);
    let graphemes: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
    for rung in &mut rungs {
        rung.sort_unstable();
        rung.dedup();
        rung.retain(|&b| {
            b > 0 && graphemes.binary_search(&b).is_ok() && allowed_between(&text[..b], &text[b..])
        });
    }
    Ladder { rungs }
}

/// The scripts written without spaces whose words may need breaking inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Thai,
    Lao,
    Khmer,
    Burmese,
}

fn script_of(c: char) -> Option<Script> {
    match c {
        _ if thai::in_run(c) => Some(Script::Thai),
        '\u{0E81}'..='\u{0ECE}' => Some(Script::Lao),
        '\u{1780}'..='\u{17D2}' | '\u{17DD}' => Some(Script::Khmer),
        '\u{1000}'..='\u{103F}' | '\u{1050}'..='\u{109F}' => Some(Script::Burmese),
        _ => None,
    }
}

/// A maximal run of letters of one script.
pub(crate) struct LetterRun {
    pub(crate) letters: Vec<char>,
    /// The byte offset in the text of each letter, and of the run's end last (each letter
    /// starts where the one before it ends).
    byte_at: Vec<usize>,
}

/// The maximal runs of characters of one script for which `member` holds.
pub(crate) fn runs(text: &str, member: impl Fn(char) -> bool) -> Vec<LetterRun> {
    let mut out: Vec<LetterRun> = Vec::new();
    for (i, c) in text.char_indices() {
        if !member(c) {
            continue;
        }
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some(run)
                if run.byte_at.last() == Some(&i) && script_of(run.letters[0]) == script_of(c) =>
            {
                run.letters.push(c);
                run.byte_at.push(end);
            }
            _ => out.push(LetterRun {
                letters: vec![c],
                byte_at: vec![i, end],
            }),
        }
    }
    out
}

/// Whether a Lao, Khmer or Burmese syllable starts at `chars[k]`: at a consonant (or
/// independent vowel) that carries a vowel sign of its own, alone or under a stacked
/// consonant, and is not stacked under the one before it; in Lao also at a leading vowel.
/// A bare consonant is a final (or, in Burmese, silenced by ASAT) and stays with the
/// syllable before it: `ການ|ປະ|ຕິ|ວັດ`, not `ກາ|ນປະ`.
fn syllable_starts(chars: &[char], k: usize) -> bool {
    let (prev, c) = (chars[k - 1], chars[k]);
    let at = |i: usize| chars.get(k + i).copied();
    match script_of(c) {
        Some(Script::Burmese) => {
            // Burmese writes the inherent vowel: every unstacked, unsilenced consonant
            // begins a syllable.
            matches!(c, '\u{1000}'..='\u{102A}' | '\u{103F}')
                && prev != '\u{1039}'
                && !matches!(at(1), Some('\u{103A}' | '\u{1039}'))
                && !(at(1) == Some('\u{1037}') && at(2) == Some('\u{103A}'))
        }
        Some(Script::Khmer) => {
            const COENG: char = '\u{17D2}';
            // Dependent vowels, and NIKAHIT/REAHMUK, which sound as vowels.
            let vowel = |c: Option<char>| matches!(c, Some('\u{17B6}'..='\u{17C7}'));
            matches!(c, '\u{1780}'..='\u{17B3}')
                && prev != COENG
                && (vowel(at(1)) || (at(1) == Some(COENG) && vowel(at(3))))
        }
        Some(Script::Lao) => {
            let vowel_or_tone = |c: Option<char>| {
                matches!(c, Some('\u{0EB0}'..='\u{0EBC}' | '\u{0EC8}'..='\u{0ECD}'))
            };
            let consonant = matches!(c, '\u{0E81}'..='\u{0EAE}' | '\u{0EDC}'..='\u{0EDF}');
            is_leading_vowel(c) || (consonant && !is_leading_vowel(prev) && vowel_or_tone(at(1)))
        }
        _ => false,
    }
}

/// The stretches of Thai `text` the dictionary does not know (`thai::unknown_spans`), as
/// byte ranges: no line breaks inside one or at its edges.
pub fn unknown_thai_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    runs(text, thai::in_run)
        .iter()
        .flat_map(|run| {
            thai::unknown_spans(&run.letters)
                .into_iter()
                .map(|r| run.byte_at[r.start]..run.byte_at[r.end])
        })
        .collect()
}

/// Inside each run of Thai letters, ICU's opportunities give way to `thai::boundaries`.
/// Returns the doubtful ones among them and the risky ones among those, ascending.
fn replace_thai_breaks(text: &str, breaks: &mut Vec<usize>) -> (Vec<usize>, Vec<usize>) {
    let mut thai_breaks = Vec::new();
    let mut doubtful = Vec::new();
    let mut risky = Vec::new();
    for run in runs(text, thai::in_run) {
        let (start, end) = (run.byte_at[0], run.byte_at[run.letters.len()]);
        let icu: Vec<usize> = breaks
            .iter()
            .filter(|&&b| b > start && b < end)
            .filter_map(|b| run.byte_at.binary_search(b).ok())
            .collect();
        breaks.retain(|&b| b <= start || b >= end);
        let found = thai::boundaries(&run.letters, &icu);
        thai_breaks.extend(found.at.into_iter().map(|k| run.byte_at[k]));
        doubtful.extend(found.doubtful.into_iter().map(|k| run.byte_at[k]));
        risky.extend(found.risky.into_iter().map(|k| run.byte_at[k]));
    }
    if !thai_breaks.is_empty() {
        breaks.extend(thai_breaks);
        breaks.sort_unstable();
        breaks.dedup();
    }
    (doubtful, risky)
}

/// Our own rules, applied after UAX #14 and the dictionary/model.
fn allowed_between(before: &str, after: &str) -> bool {
    let (Some(prev), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    // Korean breaks at spaces, between words, like CSS `word-break: keep-all`; UAX #14
    // alone would break between any two syllables, or before a particle (DeepSeek|의).
    let inside_korean_word =
        (is_hangul(prev) || is_hangul(next)) && prev.is_alphanumeric() && next.is_alphanumeric();
    !is_leading_vowel(prev) && !attaches_to_previous(next) && !inside_korean_word
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Thai and Lao vowels written before the consonant they follow.
pub fn is_leading_vowel(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}' | '\u{0EC0}'..='\u{0EC4}')
}

/// Characters that never start a line: combining marks and Thai/Lao signs that belong
/// to the syllable before them.
pub fn attaches_to_previous(c: char) -> bool {
    matches!(
        c,
        // Thai: SARA A, MAI HAN-AKAT, SARA AA, SARA AM, vowels above/below, PHINTHU,
        // LAKKHANGYAO, MAIYAMOK, tone marks, THANTHAKHAT, NIKHAHIT, YAMAKKAN; PAIYANNOI.
        '\u{0E2F}' | '\u{0E30}'..='\u{0E3A}' | '\u{0E45}'..='\u{0E4E}'
        // Lao equivalents.
        | '\u{0EAF}' | '\u{0EB0}'..='\u{0EBC}' | '\u{0EC6}'..='\u{0ECE}'
    ) || is_combining_mark(c)
}

fn is_combining_mark(c: char) -> bool {
    // Grapheme clusters already keep every Mn/Mc/Me with its base; this covers marks
    // after a space or at the start, where a cluster boundary may still fall.
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}'
        | '\u{200C}' | '\u{200D}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = 0;
        for b in break_opportunities(text, None) {
            out.push(&text[at..b]);
            at = b;
        }
        out.push(&text[at..]);
        out
    }

    #[test]
    fn breaks_between_thai_words() {
        let parts = split("ข้อมูลเชิงลึกจากการประชุมสุดยอด");
        assert!(parts.contains(&"การ"), "{parts:?}");
        assert!(parts.concat() == "ข้อมูลเชิงลึกจากการประชุมสุดยอด");
    }

    #[test]
    fn never_before_a_mark_or_after_a_leading_vowel() {
        for title in include_str!("../../tests/data/thai.txt").lines() {
            for b in break_opportunities(title, None) {
                let (l, r) = title.split_at(b);
                assert!(!is_leading_vowel(l.chars().last().unwrap()), "{l}|{r}");
                assert!(!attaches_to_previous(r.chars().next().unwrap()), "{l}|{r}");
            }
        }
    }

    #[test]
    fn mai_yamok_stays_with_its_word() {
        let parts = split("เร็ว ๆ นี้ เรื่องดีๆ กำลังจะมา");
        assert!(parts.contains(&"เร็ว ๆ "), "{parts:?}");
        assert!(parts.iter().any(|p| p.ends_with("ดีๆ ")), "{parts:?}");
        // Written with no space, it ends the word it repeats: the word is found whole
        // (`บาง`, `ร้อน`), and a line may end after the mark, never inside the word.
        assert_eq!(
            split("หั่นบางๆกินกับเมลอน"),
            ["หั่น", "บางๆ", "กิน", "กับ", "เมลอน"]
        );
        assert_eq!(split("ขนมปังร้อนๆริมถนน")[1..], ["ร้อนๆ", "ริมถนน"]);
    }

    #[test]
    fn japanese_and_chinese_break_between_phrases_with_kinsoku() {
        assert_eq!(
            split("東京オリンピックの記録が、ついに更新された。"),
            ["東京オリンピックの", "記録が、", "ついに", "更新された。"]
        );
        let parts = split("深度洞察。（开源）革命");
        for p in &parts {
            assert!(
                !p.starts_with(['。', '）']) && !p.ends_with('（'),
                "{parts:?}"
            );
        }
        // Kanji alone reads as Chinese; `lang` says it is Japanese.
        let chinese: Vec<usize> = break_opportunities("東京大会記録更新", None);
        let japanese = break_opportunities("東京大会記録更新", Some(Lang::Japanese));
        assert_ne!(chinese, japanese);
    }

    #[test]
    fn numbers_and_latin_words_are_never_broken() {
        for (text, whole) in [
            ("メニュー（２０２６年版）を公開", "２０２６"),
            ("売上は1,234.5億円に", "1,234.5"),
            ("用Ｒｕｓｔ重写", "Ｒｕｓｔ"),
            ("新型iPhoneの性能", "iPhone"),
        ] {
            let at = text.find(whole).unwrap();
            for b in break_opportunities(text, None)
                .into_iter()
                .chain(ladder(text, None).rungs.into_iter().flatten())
            {
                assert!(
                    b <= at || b >= at + whole.len(),
                    "{text}: {}|{}",
                    &text[..b],
                    &text[b..]
                );
            }
        }
    }

    #[test]
    fn a_phrase_wider_than_its_box_is_cut_where_a_word_starts_first() {
        // Where the first cut goes, before the part of `text` it starts.
        for (text, starts) in [
            // `水族館ベスト20` is one phrase to the model: its katakana word's edge.
            ("全国の水族館ベスト20", "ベスト"),
            // A number's edges likewise, before any other place (`者|会議`).
            ("第３回開発者会議の登壇資料", "開発"),
            // A place inside a word of ICU's that starts with a kanji comes last
            // (`暮ら|す`).
            ("猫と暮らすための部屋", "ための"),
            // After a て-form, where a helping verb starts a phrase of its own.
            ("仕様書を書かせてみたら", "みたら"),
        ] {
            let first = &ladder(text, Some(Lang::Japanese)).rungs[0];
            assert!(
                first.contains(&text.find(starts).unwrap()),
                "{text}: {first:?}"
            );
        }
    }

    #[test]
    fn no_break_after_an_opening_or_before_a_closing_bracket() {
        for p in split("ราคา (ประมาณ) สามสิบบาท") {
            assert!(!p.ends_with('(') && !p.starts_with(')'), "{p}");
        }
    }

    #[test]
    fn lao_khmer_burmese_break_between_words() {
        for text in [
            "ການປະຕິວັດໂອເພນຊອດຂອງ",
            "បដិវត្តន៍កូដចំហរបស់",
            "မြန်မာနိုင်ငံသည်အရှေ့တောင်အာရှတွင်ရှိသည်",
        ] {
            let parts = split(text);
            assert!(parts.len() > 1, "{parts:?}");
            for p in &parts {
                let first = p.chars().next().unwrap();
                assert!(!is_combining_mark(first), "{parts:?}");
            }
        }
    }

    /// `text` with `|` at the last rung of its ladder (syllables).
    fn syllables(text: &str) -> String {
        let ladder = ladder(text, None);
        let cuts = ladder.rungs.last().unwrap();
        let mut out = String::new();
        for (i, c) in text.char_indices() {
            if cuts.contains(&i) {
                out.push('|');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn lao_khmer_burmese_words_break_between_syllables() {
        assert_eq!(syllables("ການປະຕິວັດ"), "ການ|ປະ|ຕິ|ວັດ");
        assert_eq!(syllables("ກ່ອນ"), "ກ່ອນ");
        assert_eq!(syllables("မြန်မာနိုင်ငံ"), "မြန်|မာ|နိုင်|ငံ");
        assert_eq!(syllables("អរុណសួស្តី"), "អ|រុណ|សួ|ស្តី");
        assert_eq!(syllables("ការ"), "ការ");
    }

    #[test]
    fn a_thai_compound_breaks_at_its_words_before_its_syllables() {
        let ladder = ladder("สนามราชมังคลากีฬาสถาน", None);
        let parts = |rung: &[usize]| -> Vec<&str> {
            let text = "สนามราชมังคลากีฬาสถาน";
            let mut at = 0;
            let mut out = Vec::new();
            for &b in rung {
                out.push(&text[at..b]);
                at = b;
            }
            out.push(&text[at..]);
            out
        };
        // Where the stadium's name meets the word before it, then the name's own words.
        assert_eq!(parts(&ladder.rungs[0]), ["สนาม", "ราชมังคลากีฬาสถาน"]);
        assert_eq!(parts(&ladder.rungs[1]), ["สนามราชมังคลา", "กีฬา", "สถาน"]);
        // Its syllables on the later rungs.
        let mut later: Vec<usize> = ladder.rungs[2..].iter().flatten().copied().collect();
        later.sort_unstable();
        later.dedup();
        assert!(parts(&later).contains(&"ฬา"));
    }

    #[test]
    fn korean_with_cjk_punctuation_is_not_given_to_a_chinese_model() {
        assert!(phrase_model("「오픈소스」혁명。새 시대", None).is_none());
        assert_eq!(
            split("「오픈소스」혁명。새 시대"),
            ["「오픈소스」", "혁명。", "새 ", "시대"]
        );
        assert_eq!(
            phrase_model("大韓民國의 역사", None),
            Some(cjk::Model::SimplifiedChinese)
        );
        assert!(phrase_model("大韓民國의 역사", Some(Lang::Korean)).is_none());
    }

    #[test]
    fn korean_breaks_at_spaces_only() {
        assert_eq!(
            split("DeepSeek의 오픈소스 혁명: 비공개 AI 서밋에서"),
            [
                "DeepSeek의 ",
                "오픈소스 ",
                "혁명: ",
                "비공개 ",
                "AI ",
                "서밋에서"
            ]
        );
    }

    #[test]
    fn breaks_after_spaces_in_latin() {
        assert_eq!(split("Open Source AI"), ["Open ", "Source ", "AI"]);
    }
}
