//! Thai word boundaries: dictionary matching over Thai character clusters.
//!
//! A run of Thai letters is cut into clusters that no line may split (a leading vowel
//! with its consonant, a consonant with its marks and following vowels, a silent consonant
//! with the syllable before it, …). The run is then segmented into dictionary words over
//! those cluster boundaries, choosing the segmentation with the fewest characters outside
//! the dictionary, then the fewest words (maximal matching, the newmm approach), then the
//! most frequent words. Text no word covers stays whole: a wrong break inside a word is
//! worse than a longer line.
//!
//! Word lists keep compounds whole (การประชุมสุดยอด) where a line could still break
//! between their words. So a second segmentation, the most likely one under word
//! frequencies, proposes the boundaries inside compounds (การ|ประชุม|สุดยอด, but not
//! ประ|เทศ or คีย์|บอร์ด, whose whole is more frequent than its parts); one of those is
//! kept only when ICU's own dictionary also breaks there. ICU's boundaries alone are never
//! trusted: they split `ผลก|ระทบ`, `การก|ลั่น`, `คลา|วด์`.
//!
//! Data: PyThaiNLP's `words_th.txt` with Thai National Corpus frequencies (CC0-1.0), plus
//! our own additions; see `data/README.md`.

use std::sync::LazyLock;

/// `word<TAB>frequency class` lines sorted by word (byte order); class is
/// log2(1 + corpus frequency), 0..=20.
const WORDS: &str = include_str!("../../data/thai-words.tsv");

static WORD_LIST: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(WORDS.lines().filter_map(|l| {
        let (word, class) = l.split_once('\t')?;
        Some((word, class.parse().ok()?))
    }))
});

/// The highest frequency class; a word's cost is how far below it the word is.
const MAX_CLASS: u8 = 20;

/// A sorted word list searched like a trie: the entries sharing a prefix are contiguous,
/// so extending a prefix narrows a range, and a prefix no word has ends the search early.
/// Parsing it is a split of lines, not a table build, so it costs ~1 ms at startup.
struct Lexicon {
    /// (entry, frequency class), sorted by entry.
    entries: Vec<(&'static str, u8)>,
}

impl Lexicon {
    fn new(entries: impl Iterator<Item = (&'static str, u8)>) -> Lexicon {
        let mut entries: Vec<_> = entries.filter(|(w, _)| !w.is_empty()).collect();
        // The data file is sorted already; this keeps a hand-edited one correct.
        if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        Lexicon { entries }
    }

    /// Narrows `range` (entries starting with a shorter prefix of `prefix`) to the entries
    /// starting with `prefix`; returns the class of `prefix` itself if it is an entry.
    fn narrow(&self, range: &mut std::ops::Range<usize>, prefix: &str) -> Option<u8> {
        let slice = &self.entries[range.clone()];
        let lo = slice.partition_point(|e| e.0 < prefix);
        let hi = lo + slice[lo..].partition_point(|e| e.0.starts_with(prefix));
        *range = range.start + lo..range.start + hi;
        self.entries
            .get(range.start)
            .filter(|e| range.start < range.end && e.0 == prefix)
            .map(|e| e.1)
    }
}

/// Builds the word table now rather than on the first Thai title.
pub fn preload() {
    LazyLock::force(&WORD_LIST);
}

/// Whether `c` belongs to a Thai run that this module segments.
pub fn is_thai_letter(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E4E}')
}

fn is_leading_vowel(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}')
}

/// Vowels, tone marks and signs that belong to the character before them.
fn attaches_to_previous(c: char) -> bool {
    matches!(c, '\u{0E2F}' | '\u{0E30}'..='\u{0E3A}' | '\u{0E45}'..='\u{0E4E}')
}

fn is_consonant(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E2E}')
}

const MAI_HAN_AKAT: char = '\u{0E31}';
const MAITAIKHU: char = '\u{0E47}';
const THANTHAKHAT: char = '\u{0E4C}';
const SARA_I: char = '\u{0E34}';
const SARA_U: char = '\u{0E38}';

/// Whether a cluster boundary may fall before `chars[k]` (0 < k < len).
fn cluster_boundary(chars: &[char], k: usize) -> bool {
    let prev = chars[k - 1];
    let next = chars[k];
    if is_leading_vowel(prev) || attaches_to_previous(next) {
        return false;
    }
    // MAI HAN-AKAT is always followed by the syllable's final consonant (กัน, สวัสดี).
    if prev == MAI_HAN_AKAT {
        return false;
    }
    // A consonant silenced by THANTHAKHAT (alone or over SARA I/U) closes the syllable
    // before it: ซอร์ส, ศาสตร์, พันธุ์.
    if is_consonant(next) {
        let after = chars.get(k + 1).copied();
        let after2 = chars.get(k + 2).copied();
        if after == Some(THANTHAKHAT)
            || (matches!(after, Some(SARA_I | SARA_U)) && after2 == Some(THANTHAKHAT))
        {
            return false;
        }
    }
    // เ◌็◌ / แ◌็◌: MAITAIKHU shortens a syllable that still has its final consonant.
    if prev == MAITAIKHU && is_consonant(next) {
        let start = k.saturating_sub(4);
        if chars[start..k - 1].iter().any(|&c| is_leading_vowel(c)) {
            return false;
        }
    }
    true
}

/// Line-break opportunities inside a run of Thai letters, as character offsets strictly
/// between 0 and `run.len()`, ascending. `icu` are ICU's opportunities in the same run.
pub fn boundaries(run: &[char], icu: &[usize]) -> Vec<usize> {
    let mut out = segment(run, Choice::FewestWords);
    if icu.iter().any(|b| out.binary_search(b).is_err()) {
        let likely = segment(run, Choice::MostLikely);
        out.extend(icu.iter().filter(|b| likely.binary_search(b).is_ok()));
        out.sort_unstable();
        out.dedup();
    }
    out
}

/// Which segmentation `segment` picks among those with the fewest unknown characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// The fewest words, then the most frequent (maximal matching).
    FewestWords,
    /// The most frequent words (a unigram model), then the fewest.
    MostLikely,
}

/// Segments `run` into dictionary words over cluster boundaries; returns the inner
/// boundaries.
fn segment(run: &[char], choice: Choice) -> Vec<usize> {
    let lexicon = &*WORD_LIST;
    let n = run.len();
    if n < 2 {
        return Vec::new();
    }
    // Cluster boundaries, 0 and n included.
    let bounds: Vec<usize> = std::iter::once(0)
        .chain((1..n).filter(|&k| cluster_boundary(run, k)))
        .chain(std::iter::once(n))
        .collect();
    let text: String = run.iter().collect();
    let mut byte_at = Vec::with_capacity(n + 1);
    byte_at.extend(run.iter().scan(0, |b, c| {
        let at = *b;
        *b += c.len_utf8();
        Some(at)
    }));
    byte_at.push(text.len());

    // best[i]: the cheapest segmentation of bounds[i].. to the end, as
    // (cost, next bound index, whether the first piece is a known entry), where cost is
    // (characters outside the lexicon, then words and rarity in `choice`'s order).
    type Cost = (usize, u32, u32);
    let add = |(c, a, b): Cost, unknown: usize, rarity: u32| -> Cost {
        match choice {
            Choice::FewestWords => (c + unknown, a + 1, b + rarity),
            Choice::MostLikely => (c + unknown, a + rarity, b + 1),
        }
    };
    let m = bounds.len();
    let mut best: Vec<(Cost, usize, bool)> = vec![((0, 0, 0), m - 1, false); m];
    for i in (0..m - 1).rev() {
        let from = bounds[i];
        // An unknown cluster, to the next bound.
        let unknown = bounds[i + 1] - from;
        let mut pick = (
            add(best[i + 1].0, unknown, u32::from(MAX_CLASS)),
            i + 1,
            false,
        );
        let mut range = 0..lexicon.entries.len();
        for j in i + 1..m {
            let found = lexicon.narrow(&mut range, &text[byte_at[from]..byte_at[bounds[j]]]);
            if range.is_empty() {
                break;
            }
            if let Some(class) = found {
                let cost = add(best[j].0, 0, u32::from(MAX_CLASS.saturating_sub(class)));
                if cost < pick.0 {
                    pick = (cost, j, true);
                }
            }
        }
        best[i] = pick;
    }

    // Walk the chosen path; consecutive unknown clusters form one unbreakable piece.
    let mut out = Vec::new();
    let mut i = 0;
    let mut prev_known = true;
    while i < m - 1 {
        let (_, j, known) = best[i];
        if i > 0 && (known || prev_known) {
            out.push(bounds[i]);
        }
        prev_known = known;
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut at = 0;
        for b in segment(&chars, Choice::FewestWords) {
            out.extend(&chars[at..b]);
            out.push('|');
            at = b;
        }
        out.extend(&chars[at..]);
        out
    }

    #[test]
    fn splits_words_chromium_splits_wrongly() {
        assert_eq!(split("ผลกระทบต่อตลาด"), "ผลกระทบ|ต่อ|ตลาด");
        assert_eq!(split("การกลั่นโมเดล"), "การ|กลั่น|โมเดล");
        // An idiom in the dictionary: whole, and never ICU's ดาบส|องคม.
        assert!(!split("ดาบสองคม").contains("ดาบส|"));
    }

    #[test]
    fn loanwords_stay_whole() {
        for word in ["คลาวด์", "บล็อกเชน", "สตาร์ทอัพ", "โอเพนซอร์ส", "เมคานิคอล"]
        {
            assert!(!split(word).contains('|'), "{}", split(word));
        }
    }

    #[test]
    fn never_splits_a_cluster() {
        assert!(!cluster_boundary(&['เ', 'ก'], 1));
        assert!(!cluster_boundary(&['ก', 'ั', 'น'], 2));
        assert!(!cluster_boundary(&['ซ', 'อ', 'ร', '์'], 2));
        assert!(cluster_boundary(&['ก', 'ก'], 1));
    }
}
