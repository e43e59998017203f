//! Line-break opportunities: where a line may end.
//!
//! UAX #14 with ICU4X's complex-script model for Thai, Lao, Khmer and Burmese, then our own
//! rules on top: never inside a grapheme cluster, never before a combining mark or a
//! character that attaches to the one before it (ๆ ฯ ะ า ำ), never after a leading vowel
//! (เ แ โ ใ ไ and the Lao ones), which is written before the consonant it follows in speech.

use std::sync::LazyLock;

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};
use unicode_segmentation::UnicodeSegmentation;

static SEGMENTER: LazyLock<LineSegmenterBorrowed<'static>> =
    LazyLock::new(|| LineSegmenter::new_auto(LineBreakOptions::default()));

/// Byte offsets strictly inside `text` where a line may break, ascending. A line that
/// ends at one of them ends before that byte (trailing spaces are then not drawn).
pub fn break_opportunities(text: &str) -> Vec<usize> {
    let graphemes: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
    SEGMENTER
        .segment_str(text)
        .filter(|&b| b > 0 && b < text.len())
        .filter(|b| graphemes.binary_search(b).is_ok())
        .filter(|&b| allowed_between(&text[..b], &text[b..]))
        .collect()
}

/// Our own rules, applied after UAX #14 and the dictionary/model.
fn allowed_between(before: &str, after: &str) -> bool {
    let (Some(prev), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    !is_leading_vowel(prev) && !attaches_to_previous(next)
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
        for b in break_opportunities(text) {
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
            for b in break_opportunities(title) {
                let (l, r) = title.split_at(b);
                assert!(!is_leading_vowel(l.chars().last().unwrap()), "{l}|{r}");
                assert!(!attaches_to_previous(r.chars().next().unwrap()), "{l}|{r}");
            }
        }
    }

    #[test]
    fn breaks_after_spaces_in_latin() {
        assert_eq!(split("Open Source AI"), ["Open ", "Source ", "AI"]);
    }
}
