//! Where Japanese and Chinese lines may end: between phrases, never inside one.
//!
//! Japanese breaks between phrases (bunsetsu: a content word with its particles and
//! auxiliaries, `東京オリンピックの|記録が、|ついに`), decided by a BudouX model
//! (`data/budoux`, Apache-2.0, see its README): a boosted sum over the characters around
//! a boundary (each alone, in pairs and in threes at fixed places), a phrase starting
//! where the sum is positive. The models are JSON files compiled into the binary and read
//! once into hash maps; scoring is one pass with 13 lookups a character.
//!
//! Chinese breaks between words, where three segmenters that know words differently all
//! see a boundary: the most likely segmentation by a lexicon of 357 546 words with their
//! counts (`data/chinese-words`, HanLP's, Apache-2.0; Traditional text looked up through
//! its Simplified forms), BudouX's Chinese model, which learnt from phrases, and ICU4X's
//! dictionary (data under the Unicode licence, compiled into `icu_segmenter`). Either of
//! the last two alone splits common words (BudouX `人|工智|能`, ICU `开|源`, both `后|端`);
//! the lexicon keeps them whole.
//!
//! A number keeps what binds to it in both: its counter or unit (`三十五岁`, `2026年`,
//! `１００万桁`, Japanese in kanji too: `五十号`, `三か月`), an ordinal prefix (`第３回`,
//! `下一个`) and a Japanese name it ends (`ベスト10`). A Japanese phrase is never one
//! hiragana alone.

use std::collections::HashMap;
use std::ops::Range;
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

/// A sorted word list compiled into the binary: one `word<TAB>value` a line, sorted by
/// their bytes, looked up by binary search in the text itself, with only an index of where
/// each first character's lines begin and end beside it.
struct WordList {
    /// The word lines.
    text: &'static [u8],
    /// Each first character's lines: where they start and end in `text`.
    by_first: HashMap<char, (u32, u32)>,
}

/// What a word list says of a string.
#[derive(Debug, PartialEq)]
enum Listed<'a> {
    /// It is listed, with this value.
    Word(&'a str),
    /// It is not listed, but begins a listed word.
    Prefix,
    /// No listed word begins with it.
    Nothing,
}

impl WordList {
    /// The list of `file`'s lines after its header line (`#<TAB>a<TAB>b`), and the two
    /// numbers that header holds (`names` says which, for the panic when they are not).
    fn new(file: &'static str, names: &str) -> ([i64; 2], WordList) {
        let (header, words) = file.split_once('\n').expect("a header line");
        let mut fields = header.split('\t').skip(1).map(|f| f.parse::<i64>());
        let (Some(Ok(a)), Some(Ok(b))) = (fields.next(), fields.next()) else {
            panic!("the word list starts with a header #<TAB>{names}");
        };
        let mut by_first: HashMap<char, (u32, u32)> = HashMap::new();
        let mut at = 0;
        for line in words.split_inclusive('\n') {
            let first = line.chars().next().expect("a word");
            let end = (at + line.len()) as u32;
            by_first.entry(first).or_insert((at as u32, end)).1 = end;
            at += line.len();
        }
        let list = WordList {
            text: words.as_bytes(),
            by_first,
        };
        ([a, b], list)
    }

    /// What the list says of `word`: its value, that it begins a listed word, or nothing.
    fn get(&self, word: &str) -> Listed<'static> {
        let text = self.text;
        let (mut lo, mut hi) = match word.chars().next().and_then(|c| self.by_first.get(&c)) {
            Some(&(start, end)) => (start as usize, end as usize),
            None => return Listed::Nothing,
        };
        let word = word.as_bytes();
        let line_at = |start: usize| {
            let end = text[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |at| start + at);
            let line = &text[start..end];
            let tab = line.iter().position(|&b| b == b'\t').unwrap_or(line.len());
            (&line[..tab], &line[(tab + 1).min(line.len())..], end)
        };
        // `lo` and `hi` are always at the start of a line (or the end).
        let block_end = hi;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = text[lo..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(lo, |at| lo + at + 1);
            let (listed, value, end) = line_at(start);
            match listed.cmp(word) {
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
                std::cmp::Ordering::Equal => {
                    return std::str::from_utf8(value).map_or(Listed::Nothing, Listed::Word);
                }
            }
        }
        // Not listed: the words it begins, if any, follow where it would be.
        if lo < block_end && line_at(lo).0.starts_with(word) {
            Listed::Prefix
        } else {
            Listed::Nothing
        }
    }
}

/// Chinese words and how often each was written: `data/chinese-words/words.txt` (HanLP's
/// dictionaries, Apache-2.0), a header line `#<TAB>total<TAB>longest` (the counts' sum,
/// the longest word in characters), then one `word<TAB>count` a line.
struct Lexicon {
    words: WordList,
    /// The natural log of the counts' sum: a word's cost is this less its count's log.
    log_total: f64,
    /// The longest word, in characters.
    longest: usize,
}

impl Lexicon {
    fn new(file: &'static str) -> Lexicon {
        let ([total, longest], words) = WordList::new(file, "total<TAB>longest");
        Lexicon {
            words,
            log_total: (total as f64).ln(),
            longest: longest as usize,
        }
    }

    /// How often `word` was written (`Some(0)` when it is not listed but begins a listed
    /// word; `None` when no listed word begins with it).
    fn count(&self, word: &str) -> Option<u64> {
        match self.words.get(word) {
            Listed::Word(count) => count.parse().ok(),
            Listed::Prefix => Some(0),
            Listed::Nothing => None,
        }
    }

    /// Where words start in the most likely segmentation of `chars` (each word's
    /// probability its count over the total; a character no listed word covers costs as
    /// much as a word written once, less one). `true` at index k: a word starts at
    /// `chars[k]`. Characters other than Han ideographs are words of their own.
    fn word_starts(&self, chars: &[char]) -> Vec<bool> {
        let n = chars.len();
        let unknown = -self.log_total - 1.0;
        let mut best = vec![f64::NEG_INFINITY; n + 1];
        let mut from = vec![0; n + 1];
        best[0] = 0.0;
        let mut word = String::new();
        for start in 0..n {
            if best[start] == f64::NEG_INFINITY {
                continue;
            }
            if !is_han(chars[start]) {
                if best[start] > best[start + 1] {
                    best[start + 1] = best[start];
                    from[start + 1] = start;
                }
                continue;
            }
            word.clear();
            for end in start + 1..=n.min(start + self.longest) {
                if !is_han(chars[end - 1]) {
                    break;
                }
                word.push(chars[end - 1]);
                let cost = match self.count(&word) {
                    Some(count @ 1..) => (count as f64).ln() - self.log_total,
                    _ if end == start + 1 => unknown,
                    Some(_) => continue,
                    None => break,
                };
                if best[start] + cost > best[end] {
                    best[end] = best[start] + cost;
                    from[end] = start;
                }
            }
        }
        let mut starts = vec![false; n + 1];
        let mut at = n;
        while at > 0 {
            at = from[at];
            starts[at] = true;
        }
        starts
    }
}

/// Katakana words and their costs: `data/katakana-words/words.txt` (SudachiDict's, Apache-2.0),
/// a header line `#<TAB>connection<TAB>longest` (the cost of one noun after another, the
/// longest word in characters), then one `word<TAB>cost` a line.
struct KatakanaWords {
    words: WordList,
    connection: i64,
    longest: usize,
}

/// What a stretch of katakana no listed word covers costs, a character: more than most
/// listed words (a listed word is taken when one covers the stretch).
const UNKNOWN_KATAKANA: i64 = 4000;

impl KatakanaWords {
    fn new(file: &'static str) -> KatakanaWords {
        let ([connection, longest], words) = WordList::new(file, "connection<TAB>longest");
        KatakanaWords {
            words,
            connection,
            longest: longest as usize,
        }
    }

    /// The cheapest segmentation of a run of katakana into listed words (Sudachi's cost of
    /// each word and of one noun after another), a character no listed word covers
    /// costing `UNKNOWN_KATAKANA`. For each place in `chars` (0..=len): `Meet` where two
    /// listed words meet, `Part` where a listed word parts into two listed words
    /// (`ソフト|ウェア`), `Inside` elsewhere inside a listed word or inside a stretch no
    /// listed word covers (never split what is not known), `None` at the run's ends and at
    /// the edges of such a stretch.
    fn edges(&self, chars: &[char]) -> Vec<Option<KanaEdge>> {
        let n = chars.len();
        let mut best = vec![i64::MAX; n + 1];
        let mut from = vec![(0, false); n + 1];
        best[0] = 0;
        let mut word = String::new();
        for start in 0..n {
            if best[start] == i64::MAX {
                continue;
            }
            let unknown = best[start] + UNKNOWN_KATAKANA;
            if unknown < best[start + 1] {
                best[start + 1] = unknown;
                from[start + 1] = (start, false);
            }
            word.clear();
            word.push(chars[start]);
            for end in start + 2..=n.min(start + self.longest) {
                word.push(chars[end - 1]);
                let cost = match self.words.get(&word) {
                    Listed::Word(cost) => cost.parse::<i64>().unwrap_or(UNKNOWN_KATAKANA),
                    Listed::Prefix => continue,
                    Listed::Nothing => break,
                };
                let total = best[start] + cost + self.connection;
                if total < best[end] {
                    best[end] = total;
                    from[end] = (start, true);
                }
            }
        }
        let mut edges = vec![None; n + 1];
        let (mut at, mut after_listed) = (n, false);
        while at > 0 {
            let (start, listed) = from[at];
            if listed {
                edges[start + 1..at].fill(Some(KanaEdge::Inside));
                if let Some(part) = self.parts(&chars[start..at]) {
                    edges[start + part] = Some(KanaEdge::Part);
                }
                if after_listed {
                    edges[at] = Some(KanaEdge::Meet);
                }
            } else if at < n && !after_listed {
                // Inside a stretch no listed word covers: one character after another.
                edges[at] = Some(KanaEdge::Inside);
            }
            (at, after_listed) = (start, listed);
        }
        edges
    }

    /// Where a listed word parts into two listed words of `SHORTEST_PART` characters or
    /// more, the cheapest such pair (`ソフト|ウェア`, `スタート|アップ`): a word's own
    /// compound edge, where it is cut when it alone is wider than its box.
    fn parts(&self, word: &[char]) -> Option<usize> {
        const SHORTEST_PART: usize = 3;
        let cost = |part: &[char]| match self.words.get(&part.iter().collect::<String>()) {
            Listed::Word(cost) => cost.parse::<i64>().ok(),
            _ => None,
        };
        (SHORTEST_PART..=word.len().saturating_sub(SHORTEST_PART))
            .filter_map(|j| Some((cost(&word[..j])? + cost(&word[j..])?, j)))
            .min()
            .map(|(_, j)| j)
    }
}

/// A place in a run of katakana (`KatakanaWords::edges`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KanaEdge {
    /// Two listed words meet.
    Meet,
    /// A listed word parts into two listed words.
    Part,
    /// Inside a listed word, or inside a stretch no listed word covers.
    Inside,
}

static KATAKANA: LazyLock<KatakanaWords> =
    LazyLock::new(|| KatakanaWords::new(include_str!("../../data/katakana-words/words.txt")));

/// Traditional characters and their Simplified forms (`data/chinese-words/t2s.txt`, from
/// HanLP, Apache-2.0): Traditional text is looked up in the lexicon through them.
static SIMPLIFIED_FORMS: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    include_str!("../../data/chinese-words/t2s.txt")
        .lines()
        .filter_map(|line| {
            let mut chars = line.chars();
            let (t, tab, s) = (chars.next()?, chars.next()?, chars.next()?);
            (tab == '\t').then_some((t, s))
        })
        .collect()
});

static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(include_str!("../../data/chinese-words/words.txt")));

static WORDS: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

/// `chars` with each Traditional character in its Simplified form, as the lexicon lists
/// words (others unchanged: Japanese kanji that are Traditional forms map too).
fn simplified(chars: &[char]) -> Vec<char> {
    chars
        .iter()
        .map(|c| *SIMPLIFIED_FORMS.get(c).unwrap_or(c))
        .collect()
}

/// Reads the models now rather than on the first request.
pub fn preload() {
    LazyLock::force(&JAPANESE);
    LazyLock::force(&SIMPLIFIED);
    LazyLock::force(&TRADITIONAL);
    LazyLock::force(&WORDS);
    LazyLock::force(&LEXICON);
    LazyLock::force(&KATAKANA);
    LazyLock::force(&SIMPLIFIED_FORMS);
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
    let words = word_starts(chars);
    let listed = if model == Model::TraditionalChinese {
        LEXICON.word_starts(&simplified(chars))
    } else {
        LEXICON.word_starts(chars)
    };
    // A listed word of three characters or more that ends in a numeral and does not begin
    // as a number does is a name (`双十一`, Singles' Day): no counter binds to its numeral
    // (`双十一|快递`, not `双十一快|递`).
    let name_ends = |k: usize| {
        let start = (0..k).rev().find(|&j| listed[j]).unwrap_or(0);
        listed[k]
            && k - start >= 3
            && !CHINESE_NUMERALS.contains(chars[start])
            && !CHINESE_PREFIXES.contains(chars[start])
            && !is_digit(chars[start])
    };
    let mut scores = budoux_scores(chars, weights);
    for (k, score) in scores.iter_mut().enumerate().take(chars.len()).skip(1) {
        let budoux = (*score).clamp(-SCALE / 2, SCALE / 2);
        let votes = i64::from(budoux > 0) + i64::from(words[k]);
        // A word starts where the lexicon's segmentation and both segmenters see one.
        // Inside one, the lexicon's word edges rank first (with more votes higher), then
        // the others by their votes.
        *score = if number_binds(chars, k, model) && !name_ends(k) {
            budoux.min(0) - 6 * SCALE
        } else if more_and_more(chars, k) {
            budoux.min(0) - 5 * SCALE
        } else if listed[k] && votes == 2 {
            budoux.max(1)
        } else if listed[k] {
            budoux.min(0) - (2 - votes) * SCALE
        } else {
            budoux.min(0) - (5 - votes) * SCALE
        };
    }
    scores
}

/// Whether `chars[k]` is inside `越X越Y` ("the more X, the more Y": `越开越多`,
/// `越跑越快`), one word however the segmenters cut it (they know `越来越` alone).
fn more_and_more(chars: &[char], k: usize) -> bool {
    let at = |j: usize| j < chars.len() && chars[j] == '越';
    let han = |j: usize| chars.get(j).is_some_and(|&c| is_han(c) && c != '越');
    // `k` is after the first `越`, after its X, or after the second `越`.
    (k >= 1 && at(k - 1) && han(k) && at(k + 1) && han(k + 2))
        || (k >= 2 && at(k - 2) && han(k - 1) && at(k) && han(k + 1))
        || (k >= 3 && at(k - 3) && han(k - 2) && at(k - 1) && han(k))
}

/// Where ICU's dictionary segmenter starts a word, for each character (index
/// `chars.len()` too).
fn word_starts(chars: &[char]) -> Vec<bool> {
    let text: String = chars.iter().collect();
    let mut char_at = Vec::with_capacity(text.len() + 1);
    for (k, c) in chars.iter().enumerate() {
        char_at.extend(std::iter::repeat_n(k, c.len_utf8()));
    }
    char_at.push(chars.len());
    let mut starts = vec![false; chars.len() + 1];
    for b in WORDS.segment_str(&text) {
        starts[char_at[b]] = true;
    }
    starts
}

/// Japanese: BudouX's scores, except inside a word of ICU's dictionary that starts with a
/// kanji (a stem with its okurigana, a compound verb: `暮ら|す`, `燃え|尽きる`) or is a
/// demonstrative or honorific prefix with its noun's kanji (`その|後`), where a
/// phrase never starts and a phrase too wide is cut late (only a number is cut from its
/// counter later); ICU's words of kana alone are not trusted (`迷|わな|いため`), and
/// between two kanji no phrase starts (`全国|大会`). Inside a phrase, the edges of a
/// katakana word (a loanword), of a Latin one and of a number with what binds to it, and
/// the end of a て-form, rank above every other place (`水族館|ベスト20`,
/// `第３回|開発者会議の`, `書かせて|みたら`), since kanji followed by hiragana is often
/// one word (`検証|して`: a stem and its ending). A one-kanji suffix ICU cuts off
/// (`外国/人`), a compound verb's second verb (`飲み比べる`), `づ` and the auxiliary
/// `べき` join what is before them, as a light verb joins `どう` (`どうなる`). A run of
/// katakana is read as SudachiDict's words (`katakana_words`): no phrase starts inside
/// one, nor before the particle after it. A run of kanji or katakana too wide is cut at
/// its last word edge first (`確定申告|入門`, `ノーコード|ツールで`); a katakana word too
/// wide between the two listed words it is made of before its particle
/// (`スタート|アップの`).
/// The particles of one hiragana: they end the phrase of the word before them.
const PARTICLES: &str = "がでをにはもとへの";

fn japanese_scores(chars: &[char]) -> Vec<i64> {
    let mut scores = budoux_scores(chars, &JAPANESE);
    let words = word_starts(chars);
    let kind = |c: char| {
        if is_katakana(c) {
            1 // katakana, with ー
        } else if c.is_ascii_alphabetic() || ('\u{FF21}'..='\u{FF5A}').contains(&c) {
            2 // Latin letters, ASCII or full-width (digits stay with their counter)
        } else {
            0
        }
    };
    let binds = |k: usize| k >= 1 && k < chars.len() && number_binds(chars, k, Model::Japanese);
    // The first or last character of a number with what binds to it.
    let ends_number = |k: usize| is_digit(chars[k - 1]) || binds(k - 1);
    let starts_number = |k: usize| is_digit(chars[k]) || binds(k + 1);
    // A word of ICU's that is one kanji and a prefix of the kanji after it (`再|利用`,
    // `新|機能`): it starts the word after it.
    let kanji_prefix = |j: usize| {
        words[j]
            && words[j + 1]
            && KANJI_PREFIXES.contains(chars[j])
            && chars.get(j + 1).is_some_and(|&c| is_han(c))
    };
    // A word of ICU's that is one kanji, after a kanji, is a suffix of the word before
    // it (`外国|人`, `観光|客が`, `知事|選`, `投票|率は`): ICU cuts it off, but a line
    // never should. Not when it is a prefix, nor a stem whose ending follows (`10年|使った`,
    // `年間|続けて`: any hiragana but a particle or `する`'s, as in `実用|化される`).
    let kanji_suffix = |k: usize| {
        let next = chars.get(k + 1).copied();
        words[k]
            && is_han(chars[k - 1])
            && is_han(chars[k])
            && words.get(k + 1).copied().unwrap_or(true)
            && !kanji_prefix(k)
            && !next.is_some_and(|c| {
                is_hiragana(c) && !PARTICLES.contains(c) && !"やさしすせ".contains(c)
            })
    };
    // A word of ICU's of four kanji is mostly two of two (`羽田空港`, `人手不足`): its
    // middle is a word's edge.
    let four_kanji_middle = |k: usize| {
        k >= 2
            && words[k - 2]
            && chars
                .get(k - 2..k + 2)
                .is_some_and(|w| w.iter().all(|&c| is_han(c)))
            && !words[k - 1]
            && !words[k]
            && !words[k + 1]
            && words.get(k + 2).copied().unwrap_or(true)
    };
    // A verb's stem before a second verb makes one compound verb, which ICU may cut
    // (`飲み|比べる`, `書き|込む`): a kanji after a kanji with one hiragana of a stem's
    // ending (not a particle, not an adjective's `い`), with its own ending after it (a
    // verb: not `受け入れ|拡大`, where a noun follows, nor `梅雨入り|前に`, where a
    // particle does).
    let compound_verb = |k: usize| {
        k >= 2
            && is_han(chars[k])
            && "みきしちりぎびひえけせべめれげ".contains(chars[k - 1])
            && is_han(chars[k - 2])
            && chars
                .get(k + 1)
                .is_some_and(|&c| is_hiragana(c) && !PARTICLES.contains(c))
    };
    // `べき` (`べし`, `べく`) is an auxiliary: it ends the verb's phrase before it
    // (`始めるべきか`, `見るべき|ポイント`).
    let auxiliary = |k: usize| {
        chars[k] == 'べ'
            && is_hiragana(chars[k - 1])
            && chars.get(k + 1).is_some_and(|&c| "きくし".contains(c))
    };
    // `どう` with a light verb after it is one phrase (`どうなるのか`, `どうする`), as
    // `どう|変わる` is two.
    let light_verb =
        |k: usize| k >= 2 && chars[k - 2..k] == ['ど', 'う'] && "なすしさせ".contains(chars[k]);
    // `づ` and `ぢ` are `つ` and `ち` voiced inside a compound (`もの|づくり`, `手|づくり`):
    // no word starts with them.
    let voiced_inside = |k: usize| "づぢ".contains(chars[k]);
    // Places between two kanji, or between two katakana words, that are no edge of
    // another kind: where the pass after this loop ranks a run's cuts.
    let mut between_parts = vec![false; chars.len() + 1];
    let katakana = katakana_words(chars);
    let compound = kanji_compound_edges(chars);
    // A word of ICU's that is a demonstrative or an honorific prefix fused with the kanji
    // of its noun (`その後`, `この度`, `お客様`, `ご利用`): trusted as a kanji word is (its
    // other words that start with kana are not: `はな|ぜ`).
    let mixed = |start: usize| {
        let end = (start + 1..=chars.len())
            .find(|&k| words[k])
            .unwrap_or(chars.len());
        let word = &chars[start..end];
        let kana = match word {
            ['こ' | 'そ' | 'あ' | 'ど', 'の', ..] => 2,
            ['お' | 'ご', ..] => 1,
            _ => return false,
        };
        word.len() > kana && word[kana..].iter().all(|&c| is_han(c))
    };
    // One kanji standing alone between kana or the text's edges: beside a katakana word,
    // the prefix or first part of the word after it (`筋トレ`, `新スマホ`), or its suffix
    // (`ガス代`, `データ化`), no word edge.
    let lone = |j: usize| {
        is_han(chars[j])
            && (j == 0 || !is_han(chars[j - 1]))
            && chars.get(j + 1).is_none_or(|&c| !is_han(c))
    };
    // `inside_word`: inside a word of ICU's that starts with a kanji (a stem with its
    // okurigana, a compound verb) or is `mixed`, inside a katakana word, or one of the
    // places above; a word of kana alone may join a particle to the next word (`は|な`).
    // (One pass: whether the current word of ICU's is trusted carried along.)
    let mut trusted = false;
    for (k, score) in scores.iter_mut().enumerate().take(chars.len()).skip(1) {
        let (a, b) = (kind(chars[k - 1]), kind(chars[k]));
        if words[k] {
            trusted = is_han(chars[k]) || mixed(k);
        } else if k == 1 {
            trusted = is_han(chars[0]) || mixed(0);
        }
        let inside_word = !words[k] && trusted && !four_kanji_middle(k)
            || katakana[k] == Some(KanaEdge::Inside)
            || kanji_suffix(k)
            || compound_verb(k)
            || auxiliary(k)
            || light_verb(k)
            || voiced_inside(k);
        // After a verb's て-form, a helping verb makes a phrase of its own (`書かせて|みたら`,
        // `読まれて|いる`).
        // Not inside a doubled `てて`: a stem that ends in `て` with its `て` (`組み立てて|みた`).
        // Nor before a particle, which ends the phrase of what is before it (`初めての`,
        // `食べても`).
        let after_te = chars[k - 1] == 'て'
            && is_hiragana(chars[k])
            && chars[k] != 'て'
            && !PARTICLES.contains(chars[k]);
        // A katakana or Latin word's edge, but not before the hiragana after it: its
        // particle or ending (`ツールで`, `Rustで`, `ログインする`).
        // Not beside one kanji standing `lone`: the katakana word's prefix or suffix.
        let edge = a != b
            && (a != 0 || b != 0)
            && !(a != 0 && is_hiragana(chars[k]))
            && !(a == 0 && lone(k - 1) || b == 0 && lone(k))
            || (ends_number(k) != starts_number(k) || after_te) && !inside_word;
        let budoux = (*score).clamp(-SCALE / 2, 0);
        *score = if binds(k) {
            budoux - 6 * SCALE
        } else if katakana[k] == Some(KanaEdge::Part) {
            // A katakana word's own parts: no phrase starts there, but a word too wide is
            // cut there before it is cut from its particle (`スタート|アップの`, not
            // `スタートアップ|の`).
            budoux - 3 * SCALE
        } else if compound[k] {
            // Two words of two kanji or more in the lexicon inside a run of kanji, however
            // ICU read it (`東北|新幹線`, one word of ICU's; `東京都|知事選`, which ICU reads
            // `東京/都知事/選`): a place to cut it.
            between_parts[k] = true;
            if *score > 0 {
                -1
            } else {
                budoux - 2 * SCALE
            }
        } else if inside_word {
            budoux - 5 * SCALE
        } else if *score > 0 && is_han(chars[k - 1]) && is_han(chars[k]) {
            // Between two kanji a phrase rarely starts (`全国|大会で`); where BudouX says
            // one does is the first place to cut a phrase too wide.
            between_parts[k] = true;
            -1
        } else if *score > 0 {
            *score
        } else if edge {
            budoux / 2
        } else if is_han(chars[k - 1]) && is_han(chars[k]) || katakana[k] == Some(KanaEdge::Meet) {
            // Two words of a compound: a word's edge, above a kanji's ending or particle
            // (`羽田|空港の`, not `羽田空港|の`; `ノーコード|ツールで`, not `ノーコードツール|で`).
            between_parts[k] = true;
            budoux - 2 * SCALE
        } else {
            budoux - 4 * SCALE
        };
    }
    // A run of kanji or of katakana too wide is cut at its last word edge first
    // (`確定申告|入門`, `確定拠出|年金`, `訪日外国人|観光客`, `ノーコード|ツール`): a
    // compound is mostly a head word with words before it that qualify it. Not after a
    // one-kanji prefix (`東日本|大震災`), and never above a number's edge
    // (`第３回|開発者会議`).
    let same_run =
        |a: char, b: char| is_han(a) && is_han(b) || is_katakana_letter(a) && is_katakana_letter(b);
    let mut start = 0;
    let mut cuts = Vec::new();
    for end in 1..=chars.len() {
        if end < chars.len() && same_run(chars[end - 1], chars[end]) {
            continue;
        }
        cuts.clear();
        cuts.extend((start + 1..end).filter(|&k| between_parts[k]));
        if let Some(&last) = cuts.iter().rev().find(|&&k| !kanji_prefix(k - 1)) {
            let top = cuts.iter().map(|&k| scores[k]).max().unwrap_or(0);
            for &k in &cuts {
                scores[k] = if k == last {
                    top
                } else {
                    scores[k].min(top - 1)
                };
            }
        }
        start = end;
    }
    // A phrase BudouX starts inside a word of ICU's of three hiragana or more that follows
    // a one-letter particle (`商店街がに|ぎわい`, `若者でに|ぎわう`: two particles never
    // end a phrase together) starts at that word instead (`商店街が|にぎわいを`). Only
    // after a particle: a word of kana after a noun may be a particle itself
    // (`中東|をめぐる`), and ICU's kana words are not trusted otherwise.
    // (One pass over ICU's words: `s..e` each.)
    let mut s = 0;
    while s < chars.len() {
        let e = (s + 1..=chars.len())
            .find(|&j| words[j])
            .unwrap_or(chars.len());
        // After a word of two kanji too, where the word does not begin as a particle or
        // `する`'s forms do (`簡単おに|ぎりの` is `簡単|おにぎりの`; `中東を|めぐる` and
        // `勉強して|います` are left to BudouX; after one kanji, kana are mostly its
        // ending, `迷ったところ`).
        let after_a_particle = s >= 1 && words[s - 1] && PARTICLES.contains(chars[s - 1]);
        let after_a_kanji = s >= 2
            && is_han(chars[s - 1])
            && is_han(chars[s - 2])
            && !PARTICLES.contains(chars[s])
            && !"やさしすせっ".contains(chars[s]);
        let kana = chars[s..e].iter().all(|&c| is_hiragana(c));
        if e - s >= 3 && (after_a_particle || after_a_kanji) && kana {
            for k in s + 1..e {
                if scores[k] > 0 {
                    scores[s] = scores[s].max(scores[k]);
                    scores[k] = -5 * SCALE;
                }
            }
        }
        // A word of kana between a word of two kanji or more and a particle of its own,
        // not starting as a particle does, is a noun (`味覚|さんまが`, `名古屋|めしを`; not
        // `自動化|とそ|の`): a phrase too wide is cut before it first, not inside it
        // (`味覚さん|まが`; ICU's kana words are trusted no more than this).
        let particle_after = e < chars.len()
            && PARTICLES.contains(chars[e])
            && words.get(e + 1).copied().unwrap_or(true);
        if e - s >= 2
            && s >= 2
            && is_han(chars[s - 1])
            && is_han(chars[s - 2])
            && kana
            && !PARTICLES.contains(chars[s])
            && particle_after
            && scores[s] <= 0
        {
            for k in s + 1..e {
                scores[k] = scores[k].min(scores[s] - 1);
            }
        }
        s = e;
    }
    // A phrase is never one hiragana alone: it is the ending or particle of the phrase
    // before it, or, after an opening bracket or at the start, the first letter of the
    // word after it (`「な|ぜ動くのか` is `「なぜ|動くのか`).
    let starts: Vec<usize> = (1..chars.len()).filter(|&k| scores[k] > 0).collect();
    let mut edges = vec![0];
    edges.extend(&starts);
    edges.push(chars.len());
    for pair in edges.windows(2) {
        let piece = &chars[pair[0]..pair[1]];
        let letters: Vec<char> = piece
            .iter()
            .copied()
            .filter(|&c| !starts_a_phrase(c) && !ends_a_phrase(c))
            .collect();
        if letters.len() != 1 || !is_hiragana(letters[0]) {
            continue;
        }
        let opens = pair[0] == 0 || starts_a_phrase(piece[0]);
        let join = if opens { pair[1] } else { pair[0] };
        if join > 0 && join < chars.len() {
            scores[join] = -5 * SCALE;
        }
    }
    scores
}

/// Where two words of two kanji or more meet inside a run of four kanji or more, for each
/// place in `chars` (0..=len), as the Chinese lexicon segments the run (Japanese kanji
/// looked up through their Simplified forms, as Traditional ones are: `東北|新幹線` is
/// `东北|新干线`). A word of one kanji beside the place is no such edge (`東京都|知事|選`
/// has one, before `知事`); a kanji the lexicon does not know (the Japanese forms `転`
/// `気`) is a word of one.
fn kanji_compound_edges(chars: &[char]) -> Vec<bool> {
    let mut edges = vec![false; chars.len() + 1];
    for run in runs_of(chars, is_han).filter(|run| run.len() >= 4) {
        let starts = LEXICON.word_starts(&simplified(&chars[run.clone()]));
        let mut words: Vec<usize> = (0..run.len()).filter(|&j| starts[j]).collect();
        words.push(run.len());
        for w in words.windows(3) {
            if w[1] - w[0] >= 2 && w[2] - w[1] >= 2 {
                edges[run.start + w[1]] = true;
            }
        }
    }
    edges
}

/// The maximal runs of `chars` whose characters all pass `is`, as ranges, in order.
fn runs_of(chars: &[char], is: fn(char) -> bool) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        start += chars[start..].iter().take_while(|&&c| !is(c)).count();
        let len = chars[start..].iter().take_while(|&&c| is(c)).count();
        (len > 0).then(|| {
            start += len;
            start - len..start
        })
    })
}

/// Whether a break before `chars[k]` would split a number from what binds to it: the
/// ordinal prefix `第` (and in Chinese `上` `下` `每` `前`) from its numeral
/// (`第|３回`, `下|一个`), or a numeral from its counter or unit (`１００万|桁`,
/// `三十五|岁`). Japanese numerals are digits and the powers of ten after them; Chinese
/// ones any numeral character.
fn number_binds(chars: &[char], k: usize, model: Model) -> bool {
    let chinese = model != Model::Japanese;
    let numeral = |k: usize| {
        let c = chars[k];
        if chinese {
            is_digit(c) || CHINESE_NUMERALS.contains(c)
        } else {
            // Digits, then 十 百 千 万 億 兆 after them (`１００万`).
            let mut j = k;
            while j > 0 && "十百千万億兆".contains(chars[j]) {
                j -= 1;
            }
            is_digit(chars[j]) || in_kanji_number(chars, k)
        }
    };
    // `週` before a number is "a week" (`週４日|勤務`, `週３回`). Not `月`: `月|10万円を`
    // reads as "a month, 100 000 yen" (`１２月` ends a number instead).
    let prefixes = if chinese { CHINESE_PREFIXES } else { "第週" };
    // A name ending in a number: `ベスト10`, `ウィンドウズ11`; not a number with its own
    // counter after it (`シーズン|５０本塁打`).
    let counter_after = || {
        let end = (k..chars.len())
            .find(|&j| !is_digit(chars[j]))
            .unwrap_or(chars.len());
        chars
            .get(end)
            .is_some_and(|&c| is_han(c) || "かヶカケ".contains(c))
    };
    let named = !chinese && is_digit(chars[k]) && is_katakana(chars[k - 1]) && !counter_after();
    // `か月` `ヶ所` and their kin count after any numeral, one kanji too (`三か月`).
    let ka_counter = |k: usize| {
        "かヶカケ".contains(chars[k])
            && chars.get(k + 1).is_some_and(|&c| "月所国条".contains(c))
            && (is_digit(chars[k - 1]) || KANJI_NUMERALS.contains(chars[k - 1]))
    };
    let counted = !chinese && (ka_counter(k) || k >= 2 && ka_counter(k - 1));
    (numeral(k - 1) && is_cjk(chars[k]))
        || (prefixes.contains(chars[k - 1]) && numeral(k))
        || named
        || counted
}

/// The characters Chinese writes numbers with, beside digits.
const CHINESE_NUMERALS: &str = "〇零一二三四五六七八九十百千万亿两";

/// What binds the Chinese numeral after it as an ordinal prefix (`第三`, `下一个`).
const CHINESE_PREFIXES: &str = "第上下每前";

/// Kanji that begin a compound as a prefix (`再利用`, `新機能`, `全日程`, `第一`), so a
/// one-kanji word of ICU's among them starts the word after it, not ends the one before.
const KANJI_PREFIXES: &str =
    "再新旧大小全各非不無未超第前元副総最高低約毎同本当両初真反被準現諸翌昨今明次他別半多異純主原";

/// The characters Japanese writes numbers with in kanji.
const KANJI_NUMERALS: &str = "〇一二三四五六七八九十百千万億兆";

/// Whether `chars[k]` is inside a number written in kanji: a run of two to sixteen kanji
/// numerals with a power of ten or a zero among them (`五十`, `十五`, `二〇二六`). One
/// alone is too often part of a word (`一緒`, `万博`, `十分`) to be read as a number.
fn in_kanji_number(chars: &[char], k: usize) -> bool {
    const LONGEST: usize = 16;
    let numeral = |c: &char| KANJI_NUMERALS.contains(*c);
    if !numeral(&chars[k]) {
        return false;
    }
    let before = chars[..k]
        .iter()
        .rev()
        .take(LONGEST)
        .take_while(|c| numeral(c));
    let after = chars[k..].iter().take(LONGEST).take_while(|c| numeral(c));
    let (mut len, mut power) = (0, false);
    for &c in before.chain(after) {
        len += 1;
        power |= "十百千万億兆〇".contains(c);
    }
    (2..=LONGEST).contains(&len) && power
}

/// Hiragana.
fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// Where katakana words meet in each run of katakana letters (`KatakanaWords::edges`), for
/// each place in `chars` (0..=len); `None` outside the runs and at their ends.
fn katakana_words(chars: &[char]) -> Vec<Option<KanaEdge>> {
    let mut edges = vec![None; chars.len() + 1];
    for run in runs_of(chars, is_katakana_letter) {
        let found = KATAKANA.edges(&chars[run.clone()]);
        edges[run.start + 1..run.end].copy_from_slice(&found[1..run.len()]);
    }
    edges
}

/// A full-width katakana letter or ー: what the katakana words are written with (not `・`).
fn is_katakana_letter(c: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー'
}

/// Katakana, with ー, full-width or half-width.
fn is_katakana(c: char) -> bool {
    ('\u{30A0}'..='\u{30FF}').contains(&c) || ('\u{FF66}'..='\u{FF9F}').contains(&c)
}

/// A digit, ASCII or full-width.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Scores above this inside a phrase are a word's edge (a Chinese word the lexicon sees,
/// a Japanese katakana or Latin word): where a phrase wider than its box is cut first.
pub const WORD_EDGE: i64 = -3 * SCALE;

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
    fn the_lexicon_finds_the_words_it_lists_and_its_header_is_true() {
        let file = include_str!("../../data/chinese-words/words.txt");
        let (header, _) = WordList::new(file, "total<TAB>longest");
        let (mut total, mut longest, mut last) = (0, 0, "");
        for (i, line) in file.lines().skip(1).enumerate() {
            let (word, count) = line.split_once('\t').unwrap();
            let count: u64 = count.parse().unwrap();
            assert!(count > 0 && word.as_bytes() > last.as_bytes(), "{line}");
            assert!(word.chars().all(is_han), "{line}");
            (total, last) = (total + count, word);
            longest = longest.max(word.chars().count() as u64);
            if i % 101 == 0 {
                assert_eq!(LEXICON.count(word), Some(count), "{word}");
                let mut prefix = word.to_string();
                prefix.pop();
                if !prefix.is_empty() {
                    assert!(LEXICON.count(&prefix).is_some(), "{prefix} begins {word}");
                }
            }
        }
        assert_eq!(header, [total as i64, longest as i64]);
        assert!(LEXICON.count("后端").is_some_and(|c| c > 0));
        assert_eq!(LEXICON.count("端后端后"), None);
    }

    #[test]
    fn chinese_words_both_segmenters_split_stay_whole() {
        assert_eq!(
            phrases("用Rust重写后端服务", Model::SimplifiedChinese),
            ["用", "Rust", "重写", "后端", "服务"]
        );
        // Traditional text is looked up through its Simplified forms.
        let hant = phrases("香港電影金像獎得主揭曉", Model::TraditionalChinese);
        assert!(
            hant.iter()
                .all(|p| !p.ends_with('金') && !p.ends_with('得')),
            "{hant:?}"
        );
    }

    #[test]
    fn a_number_keeps_its_ordinal_prefix_and_its_counter() {
        let ja = phrases("第３回開発者会議の資料", Model::Japanese);
        assert!(ja[0].starts_with("第３回"), "{ja:?}");
        let ja = phrases("円周率を１００万桁計算する", Model::Japanese);
        assert!(ja.iter().all(|p| !p.ends_with('万')), "{ja:?}");
        let zh = phrases("国产大模型的下一个突破口", Model::SimplifiedChinese);
        assert!(zh.iter().all(|p| !p.ends_with('下')), "{zh:?}");
    }

    #[test]
    fn a_number_in_kanji_keeps_its_counter_and_a_name_its_number() {
        let text = "大谷選手が今季五十号本塁打";
        let ja = phrases(text, Model::Japanese);
        assert!(ja.iter().any(|p| p.contains("五十号")), "{ja:?}");
        // Its edges are where a phrase too wide is cut first, as a number in digits.
        let chars: Vec<char> = text.chars().collect();
        assert!(
            scores(&chars, Model::Japanese)[7] > WORD_EDGE,
            "今季|五十号"
        );
        let ja = phrases("東日本大震災から十五年、復興のいま", Model::Japanese);
        assert!(ja.iter().any(|p| p.contains("十五年")), "{ja:?}");
        let ja = phrases("温泉ベスト10", Model::Japanese);
        assert!(ja.iter().all(|p| !p.ends_with('ト')), "{ja:?}");
        // A number with its own counter is no name's: its edge is where a phrase too
        // wide is cut first (`シーズン|５０本塁打を`); `週` binds the number after it.
        let text = "大谷選手がシーズン５０本塁打を達成";
        assert!(cut_rank(text, "５０") > WORD_EDGE);
        assert!(cut_rank(text, "５０") > cut_rank(text, "本塁"));
        assert!(cut_rank("週４日勤務を導入", "４日") < -5 * SCALE);
        assert!(cut_rank("個人開発で月10万円を稼ぐ", "10万") > WORD_EDGE);
        // One kanji numeral alone is no number: `万博` may follow a word of its own.
        assert!(!in_kanji_number(&['大', '阪', '万', '博'], 2));
        assert!(in_kanji_number(&['二', '〇', '二', '六'], 3));
    }

    /// The score of the place before `at` in `text` (Japanese): where a phrase too wide
    /// is cut first, the highest.
    fn cut_rank(text: &str, at: &str) -> i64 {
        let chars: Vec<char> = text.chars().collect();
        let k = text.find(at).map(|b| text[..b].chars().count()).unwrap();
        scores(&chars, Model::Japanese)[k]
    }

    #[test]
    fn a_compound_verb_a_voiced_kana_and_a_count_of_months_start_no_phrase() {
        for (text, whole) in [
            ("東北の日本酒を飲み比べる旅", "飲み比べる"),
            ("伝統工芸の職人が語るものづくり", "ものづくり"),
            ("家計簿を三か月続けてわかったこと", "三か月"),
        ] {
            let ja = phrases(text, Model::Japanese);
            assert!(ja.iter().any(|p| p.contains(whole)), "{ja:?}");
        }
    }

    #[test]
    fn beki_joins_its_verb_and_a_noun_after_a_compound_verb_is_a_word() {
        for text in ["いま始めるべきか", "休日に読むべき本", "早く帰るべく急ぐ"]
        {
            let ja = phrases(text, Model::Japanese);
            assert!(ja.iter().all(|p| !p.starts_with('べ')), "{ja:?}");
        }
        // `受け入れ` is a compound verb; the noun after it starts a word, which ranks
        // above every place inside either.
        let text = "外国人の受け入れ拡大へ";
        assert!(cut_rank(text, "拡大") > cut_rank(text, "入れ"));
        assert!(cut_rank(text, "拡大") > cut_rank(text, "大へ"));
        // A compound verb is still one word: cut inside it only after every other place.
        assert!(cut_rank("友人と地酒を飲み比べる旅", "比べる") < -4 * SCALE);
    }

    #[test]
    fn a_run_of_kanji_too_wide_is_cut_at_its_last_word_edge_first() {
        let text = "はじめての確定拠出年金";
        assert!(cut_rank(text, "年金") > cut_rank(text, "拠出"));
        let text = "エンジニアのための確定申告入門";
        assert!(cut_rank(text, "入門") > cut_rank(text, "申告"));
        // Not after a prefix, not above a number's edge.
        let text = "東日本大震災から";
        assert!(cut_rank(text, "大震災") > cut_rank(text, "震災"));
        let text = "第３回開発者会議の資料";
        assert!(cut_rank(text, "開発者") > cut_rank(text, "会議"));
        // A word of ICU's of four kanji is cut in its middle before its particle.
        let text = "羽田空港の新しい国際線";
        assert!(cut_rank(text, "空港") > cut_rank(text, "の新"));
        // The lexicon's words of two kanji or more tell a word ICU fused (`東北新幹線`)
        // or cut elsewhere (`東京/都知事/選`): cut between them first.
        let text = "東北新幹線が強風で運転を見合わせ";
        assert!(cut_rank(text, "新幹線") > cut_rank(text, "が強風"));
        assert!(cut_rank(text, "新幹線") > cut_rank(text, "北新"));
        let text = "東京都知事選、投票率は";
        assert!(cut_rank(text, "知事選") > cut_rank(text, "都知事"));
        assert_eq!(
            kanji_compound_edges(&"東京都知事選".chars().collect::<Vec<_>>()),
            [false, false, false, true, false, false, false]
        );
    }

    #[test]
    fn a_katakana_compound_too_wide_is_cut_between_its_words_last_first() {
        for (text, first, later) in [
            // Between its words, the last first; never before its particle.
            ("ノーコードツールで業務を自動化", "ツールで", "コードツール"),
            ("ノーコードツールで業務を自動化", "ツールで", "で業務"),
            ("チャットボットで顧客対応", "ボットで", "ットボ"),
            ("データセンターの電力", "センター", "ンター"),
            ("データセンターの電力", "センター", "の電力"),
            // Inside a listed word, between the two listed words it is made of: before
            // its particle, after the edge between two words.
            ("スタートアップの資金調達", "アップの", "の資金"),
            ("ソフトウェアエンジニアの年収", "ウェア", "の年収"),
            ("ソフトウェアエンジニアの年収", "エンジニア", "ウェア"),
            ("ソフトウェアエンジニアの年収", "ウェア", "ェア"),
        ] {
            assert!(
                cut_rank(text, first) > cut_rank(text, later),
                "{text}: {first} before {later}"
            );
        }
        // Inside a listed word no phrase starts.
        let chars: Vec<char> = "スマートフォンアプリでカメラ".chars().collect();
        let edges = katakana_words(&chars);
        assert_eq!(edges[3], Some(KanaEdge::Inside), "スマー|トフォン");
        assert_eq!(edges[12], Some(KanaEdge::Inside), "カ|メラ");
        assert_eq!(edges[11], None, "で|カメラ is not in a run");
        let edges = katakana_words(&"ソフトウェアの".chars().collect::<Vec<_>>());
        assert_eq!(edges[3], Some(KanaEdge::Part), "ソフト|ウェア");
        // Above every place that is no edge (a particle's, inside a word).
        for (text, part) in [
            ("スタートアップの資金", "アップ"),
            ("ソフトウェアの", "ウェア"),
        ] {
            assert!(cut_rank(text, part) > -4 * SCALE, "{text}: {part}");
        }
        // Still no phrase starts there.
        let ja = phrases("スタートアップの資金調達が冷え込む", Model::Japanese);
        assert!(
            ja.iter().any(|p| p.starts_with("スタートアップの")),
            "{ja:?}"
        );
        // A stretch no listed word covers is one unit, its edges left to the model.
        let chars: Vec<char> = "ヌョヌョヌョのデータ".chars().collect();
        let edges = katakana_words(&chars);
        assert_eq!(edges[1..6], [Some(KanaEdge::Inside); 5]);
        assert_eq!(edges[8], Some(KanaEdge::Inside), "デ|ータ");
    }

    #[test]
    fn the_katakana_words_are_sorted_katakana_and_their_header_is_true() {
        let file = include_str!("../../data/katakana-words/words.txt");
        let (header, _) = WordList::new(file, "connection<TAB>longest");
        let (mut longest, mut last) = (0, "");
        for (i, line) in file.lines().skip(1).enumerate() {
            let (word, cost) = line.split_once('\t').unwrap();
            assert!(cost.parse::<i16>().is_ok(), "{line}");
            assert!(word.as_bytes() > last.as_bytes(), "{line}");
            assert!(word.chars().all(is_katakana_letter) && word.chars().count() >= 2);
            longest = longest.max(word.chars().count() as i64);
            last = word;
            if i % 101 == 0 {
                assert_eq!(KATAKANA.words.get(word), Listed::Word(cost), "{word}");
            }
        }
        assert_eq!(header[1], longest);
        assert_eq!(KATAKANA.longest as i64, longest);
        assert_eq!(KATAKANA.connection, header[0]);
        assert_eq!(KATAKANA.words.get("ノーコ"), Listed::Prefix);
        assert_eq!(KATAKANA.words.get("ーー"), Listed::Nothing);
    }

    #[test]
    fn a_phrase_too_wide_is_not_cut_before_a_one_kanji_suffix() {
        let text = "円安で訪日外国人観光客が急増";
        // ICU reads `外国/人` and `観光/客`; the suffix stays with its word.
        assert!(cut_rank(text, "人観光") < cut_rank(text, "外国人"));
        assert!(cut_rank(text, "人観光") < cut_rank(text, "観光客"));
        assert!(cut_rank(text, "客が") < cut_rank(text, "観光客"));
        // A stem with its ending is no suffix (ICU reads `使/った`): the number's edge
        // `10年|使った` stays the first place to cut.
        let text = "10年使ったVimから";
        assert!(cut_rank(text, "使った") > cut_rank(text, "った"));
        // `する`'s forms after a one-kanji word make it a suffix again (ICU: `実用/化`).
        let text = "量子コンピューターはいつ実用化されるのか";
        assert!(cut_rank(text, "化され") < WORD_EDGE);
        // A prefix starts the word after it.
        let text = "北京冬季五輪会場の再利用";
        assert!(cut_rank(text, "再利用") > cut_rank(text, "利用"));
    }

    #[test]
    fn no_phrase_starts_inside_a_word_of_icu_that_starts_with_a_kanji() {
        // A stem and its okurigana, a compound verb: BudouX starts a phrase inside both.
        for (text, word) in [
            ("猫と暮らすための部屋づくり", "暮らす"),
            ("メンテナーが燃え尽きる前に", "燃え尽きる"),
            // A demonstrative or honorific prefix ICU reads as one word with its kanji.
            ("移住した会社員のその後", "その後"),
            ("この度は大変お世話になりました", "この度は"),
        ] {
            let ja = phrases(text, Model::Japanese);
            assert!(ja.iter().any(|p| p.contains(word)), "{ja:?}");
        }
        // ICU's words of kana alone are not trusted: `なぜ` still starts a phrase, though
        // ICU reads `はな` (a flower) across the boundary.
        let ja = phrases("大規模言語モデルはなぜ嘘をつくのか", Model::Japanese);
        assert!(ja.iter().any(|p| p.starts_with("なぜ")), "{ja:?}");
    }

    #[test]
    fn doo_with_a_light_verb_is_one_phrase() {
        for (text, phrase) in [
            ("朝ごはんを食べないとどうなるのか", "どうなるのか"),
            ("家計はどうする", "どうする"),
        ] {
            let ja = phrases(text, Model::Japanese);
            assert!(ja.iter().any(|p| p == phrase), "{ja:?}");
        }
        // With another verb it is an adverb of its own.
        let ja = phrases("日本のお米はどう変わる", Model::Japanese);
        assert!(ja.iter().any(|p| p == "どう"), "{ja:?}");
    }

    #[test]
    fn no_phrase_starts_between_two_kanji() {
        let ja = phrases("高校生が開発したアプリが全国大会で優勝", Model::Japanese);
        assert!(ja.iter().any(|p| p.starts_with("全国大会")), "{ja:?}");
    }

    #[test]
    fn a_japanese_phrase_is_never_one_hiragana() {
        let ja = phrases("「なぜ動くのか」を説明できる", Model::Japanese);
        assert!(ja[0].starts_with("「なぜ"), "{ja:?}");
    }

    #[test]
    fn a_phrase_starts_at_a_kana_word_after_a_particle_not_inside_it() {
        for (text, phrase) in [
            ("週末の公園が家族連れでにぎわう", "にぎわう"),
            ("夏祭りで通りがにぎわいを見せる", "にぎわいを"),
        ] {
            let ja = phrases(text, Model::Japanese);
            assert!(ja.iter().any(|p| p == phrase), "{ja:?}");
        }
        // After a noun, a word of kana may be a particle: left to BudouX.
        let ja = phrases("中東をめぐる情勢が緊迫", Model::Japanese);
        assert!(ja.iter().any(|p| p == "中東を"), "{ja:?}");
    }

    #[test]
    fn a_phrase_starts_at_a_kana_word_after_a_kanji_word_not_inside_it() {
        // BudouX starts a phrase at `ぎ` after `簡単おに`: the kana word ICU finds after a
        // word of two kanji starts it instead.
        let ja = phrases("手軽で簡単おにぎりの具材", Model::Japanese);
        assert!(ja.iter().any(|p| p.starts_with("おにぎり")), "{ja:?}");
        // After one kanji, kana are its ending: a phrase BudouX starts after `迷った`
        // stays (`迷った|ところ`).
        let ja = phrases("確定申告で迷ったところ", Model::Japanese);
        assert!(ja.iter().any(|p| p == "ところ"), "{ja:?}");
    }

    #[test]
    fn a_particle_after_te_or_after_a_kanji_after_a_stem_ends_their_phrase() {
        // `初めての`: `の` is no helping verb, and the phrase too wide is not cut before it.
        let text = "北海道で今年初めての積雪を観測";
        assert!(
            cut_rank(text, "の積雪") < WORD_EDGE,
            "{}",
            cut_rank(text, "の積雪")
        );
        assert!(cut_rank(text, "初めて") > cut_rank(text, "の積雪"));
        // `梅雨入り前に`: `前` before a particle is a noun, no compound verb's second verb
        // (`飲み比べる`); `梅雨入り|前に` is the place to cut, not `梅雨入り前|に`.
        let text = "梅雨入り前に済ませたい家の点検";
        assert!(cut_rank(text, "前に") > cut_rank(text, "に済"));
    }

    #[test]
    fn a_te_form_of_a_stem_in_te_ends_after_its_second_te() {
        // `組み立てて|みた`: the helping verb starts after the second `て`, not inside `てて`.
        let text = "家具を組み立ててみた";
        assert!(cut_rank(text, "みた") > cut_rank(text, "てみた"));
        assert!(cut_rank(text, "みた") > WORD_EDGE);
    }

    #[test]
    fn a_kana_noun_between_a_kanji_word_and_its_particle_is_cut_before_not_inside() {
        for (text, before, inside) in [
            ("秋の味覚さんまが豊漁に", "さんま", "まが"),
            ("名古屋めしを食べ歩く", "めし", "しを"),
        ] {
            assert!(
                cut_rank(text, before) > cut_rank(text, inside),
                "{text}: {} {}",
                cut_rank(text, before),
                cut_rank(text, inside)
            );
        }
        // Not a word that starts as a particle does: `自動化|とその` keeps its cut.
        let text = "コードレビューの自動化とその落とし穴";
        assert!(cut_rank(text, "その") > cut_rank(text, "とその"));
    }

    #[test]
    fn one_kanji_alone_beside_a_katakana_word_is_part_of_it() {
        // `筋トレ` (a prefix or first part): the phrase `筋トレメニュー` too wide is cut
        // between its katakana words, not after `筋`.
        let text = "自宅でできる簡単な筋トレメニュー";
        assert!(
            cut_rank(text, "トレ") < cut_rank(text, "メニュー"),
            "{} {}",
            cut_rank(text, "トレ"),
            cut_rank(text, "メニュー")
        );
        // A suffix after one (`ガス代`), not a kanji word of two (`ガス|料金`).
        let text = "冬のガス代が値上がり";
        assert!(cut_rank(text, "代が") < WORD_EDGE);
        let text = "冬のガス料金が値上がり";
        assert!(cut_rank(text, "料金") >= WORD_EDGE);
    }

    #[test]
    fn a_name_ending_in_a_numeral_binds_no_counter_in_chinese() {
        let chars: Vec<char> = "今年双十一快递业务量".chars().collect();
        let s = scores(&chars, Model::SimplifiedChinese);
        // `双十一|快递`: cut there before inside `快递`, which a counter would have been.
        assert!(s[5] > s[6], "{} {}", s[5], s[6]);
        // A number still keeps its counter (`三十五岁`).
        let chars: Vec<char> = "他今年三十五岁".chars().collect();
        let s = scores(&chars, Model::SimplifiedChinese);
        assert!(s[6] < -5 * SCALE, "{}", s[6]);
    }

    #[test]
    fn the_more_the_more_is_one_word_in_chinese() {
        for text in ["咖啡馆为何越开越多", "房价越涨越高"] {
            let words = phrases(text, Model::SimplifiedChinese);
            assert!(
                words
                    .iter()
                    .any(|w| w.starts_with('越') && w.chars().count() == 4),
                "{words:?}"
            );
        }
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
