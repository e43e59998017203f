//! Thai word boundaries: dictionary matching over Thai character clusters.
//!
//! A run of Thai letters is cut into clusters that no line may split (a leading vowel
//! with its consonant, a consonant with its marks and following vowels, a silent consonant
//! with the syllable before it, …). The run is then segmented into dictionary words over
//! those cluster boundaries, choosing the segmentation with the fewest characters outside
//! the dictionary, then the fewest words (maximal matching, the newmm approach), then the
//! most frequent words (a compound the corpus never counted, because it counts `เปิด` and
//! `ตัว` rather than `เปิดตัว`, as common as its rarer part less a margin: not the rarest
//! of words, beaten by `เปิด` + a rare `ตัวโค`). Text no word covers stays whole: a wrong
//! break inside a word is worse than a longer line.
//!
//! Word lists keep compounds whole (การประชุมสุดยอด) where a line could still break
//! between their words. So a second segmentation, the most likely one under word
//! frequencies, proposes the boundaries inside compounds (การ|ประชุม|สุดยอด, but not
//! ประ|เทศ or คีย์|บอร์ด, whose whole is more frequent than its parts); one of those is
//! kept only when ICU's own dictionary also breaks there. ICU's boundaries alone are never
//! trusted: they split `ผลก|ระทบ`, `การก|ลั่น`, `คลา|วด์`. A compound of two syllables
//! (`มือถือ`, `เปิดตัว`), or a longer one the list holds (`ยอดนิยม`, `ร้านอาหาร`), is not
//! broken at all where both segmentations agree on its edges, except after a word that
//! only makes a noun of the next (`การ|ประชุม`, `ความ|ปลอดภัย`); its words are where
//! `ladder` cuts it when it is wider than its box.
//!
//! Words are made of whole syllables: the run is first cut into syllables (a syllable
//! list over the clusters, the fewest syllables, then the likeliest), and words may only
//! begin where a syllable does, so no break falls inside `เรอร์` or `เฉียง`. Transliterated
//! loanwords, where every dictionary is thin, are held together by the shapes of their
//! syllables (`inside_a_word`): a syllable silencing a letter the English way (`เรอร์`,
//! `ฟอร์ม`) joins a light or foreign neighbour, `-มมิ่ง`/`-ตติ้ง` double the consonant
//! before them, `-เตอร์` and `-ชั่น` end a word. So `มิเรอร์เลส` stays whole although only
//! its pieces are known.
//!
//! English words as Thai spells them come from a transliteration dictionary too
//! (`data/transliterations`, CC-BY 4.0); one that spells one English word is no compound of
//! the Thai words it happens to hold (`คาร์|โบ|นารา`). A stretch no word covers takes in
//! the one-syllable word beside it and a chain of open syllables with no tone mark leading
//! to it (`โอ`+`มา`+`กา`+`เสะ`): names are spelt so.
//!
//! An acronym spelt out in Thai (`ทีเอสเอ็มซี`, `โอแอลอีดี`: the names of Latin letters, at
//! least one of them no Thai word) is one word.
//!
//! Where the dictionary has two words that are not common but the word list's words seldom
//! meet between those two syllables (`ดิส|เพลย์`: `ดิส` begins 8 of its words and ends
//! none), they are taken as one word the list lacks.
//!
//! Two listed words both spelt as only transliterations are (`รูฟ` + `ท็อป`: see
//! `spelled_as_english`) are held together too: Thai spelling cannot tell an English
//! compound written as one word from two English words side by side.
//!
//! Spelling is not the only evidence: `ชิป`, `โฮม`, `อิน` are spelt as Thai words may be, but
//! the words their syllables stand in mostly spell English (`english_share`, counted over
//! the word list and the transliteration dictionary: `data/thai-syllable-origins.tsv`).
//! Two listed words, neither frequent in the corpus, whose syllables all stand in English
//! words more often than the average syllable (`ปลั๊ก` + `อิน`, `สมาร์ต` + `โฮม`) are held
//! together like two spelt as transliterations.
//!
//! Corpora tell native compounds the list lacks: two listed words written side by side
//! far more often than chance (5 times at least and 2^7 times chance) in 26 737 Thai
//! social-media messages (Wisesight, CC0) or in 63 241 Thai government news releases
//! (ThaiGov, public domain), `data/thai-collocations.tsv`, are one word (`ทีมชาติ`,
//! `หัวหิน`, `หม้อทอด`), and inside a listed compound such parts are cut last
//! (`แห่ง|ประเทศไทย`).
//!
//! A boundary between two one-syllable words, not both common and neither a function word
//! (`แสง|เหนือ`, `ดี|บัก`), is an opportunity but a doubtful one (`Boundaries::doubtful`):
//! a compound or a loanword lies across it eight times as often as across others. So is
//! the edge of a stretch no word covers or of a weak piece (`กัน|[พลา]`). Layout ends no
//! line there when as many lines, or one line more, can end elsewhere.
//!
//! For a word wider than its box (or a stretch held together for want of evidence),
//! `ladder` gives the weaker places to break it: first between two listed words of two
//! syllables or more held together (`ฮาร์ดแวร์|โอเพนซอร์ส`), then beside a word no list
//! has (`ของ|ควอลคอมม์|แรง`), then where a whole word meets a listed word of native
//! shape (`ลาวา|ขาย`), then where a Thai word meets one whose syllables are English ones
//! (`ยาน|สตาร์ชิป`), then after an English prefix (`ซูเปอร์|คอมพิวเตอร์`), then between
//! the dictionary's sub-words of a compound
//! (`กีฬา|สถาน`; not a loanword's open syllables that happen to be words, `แฟน|ตา|ซี`),
//! then between syllables where a word most likely ends and the next begins, judged by
//! where each syllable stands in the words of the word list
//! (`data/thai-syllable-edges.tsv`: `ตี้` ends 27 words and begins none, `คาร์` begins
//! 23, so `สปาเก็ตตี้|คาร์โบนารา`), then any syllable boundary.
//!
//! Data: PyThaiNLP's `words_th.txt` with Thai National Corpus frequencies and its
//! `syllables_th.txt` (CC0-1.0), a Thai-English transliteration dictionary (CC-BY 4.0),
//! plus our own additions; see `data/README.md`.

use std::sync::LazyLock;

/// `word<TAB>frequency class` lines sorted by word (byte order); class is
/// log2(1 + corpus frequency), 0..=20.
const WORDS: &str = include_str!("../../data/thai-words.tsv");

/// The Thai names of the world's places (GeoNames), one a line, sorted, none of them in
/// `WORDS`: `ซาลซ์บูร์ก`, `ลักซอร์`, `ดำเนินสะดวก`. See `data/place-names/README.md`.
const PLACE_NAMES: &str = include_str!("../../data/place-names/names.txt");

/// Words no list has that running text holds (loanwords, names: `ซอฟต์พาวเวอร์`,
/// `พาราลิมปิก`), found in public-domain and CC0 corpora by how many contexts they stand
/// in (`scripts/thai-mined-words.py`); one a line, sorted, none of them in `WORDS` or
/// `PLACE_NAMES`. See `data/mined-words/README.md`.
const MINED_WORDS: &str = include_str!("../../data/mined-words/words.txt");

/// What segmentation looks words up in: the listed words, the place names and the words
/// found in running text (`MINED_WORDS`) as words of the rarest class, and the 3 978 listed
/// syllables that are no word (`NOT_A_WORD`; every other lookup asks `word_class`, which
/// leaves them out). The names and the found words are not counted in the tables derived
/// from the list (`listed_words`): how a syllable stands in the language's words, not in
/// the names of foreign towns (counted, they moved which syllables look English and where
/// words end, and the splits on the titles read went 217 → 223 where the names alone took
/// them to 213). The four lists are sorted: merged in order, `Lexicon::new` need not sort
/// them (a sort of them chained cost ~4 ms at startup).
static WORD_LIST: LazyLock<Lexicon> = LazyLock::new(|| {
    let listed = listed_words().filter_map(|(word, class)| Some((word, class.parse().ok()?)));
    let names = PLACE_NAMES.lines().map(|name| (name, 0));
    let mined = MINED_WORDS.lines().map(|word| (word, 0));
    // The listed syllables, valued `NOT_A_WORD` where they are no listed word:
    // segmentation takes them where no word covers a stretch.
    let syllables = SYLLABLES
        .lines()
        .filter_map(|l| Some((l.split_once('\t')?.0, NOT_A_WORD)));
    Lexicon::new(merged(merged(merged(listed, names), mined), syllables))
});

/// The entries of two lists sorted by entry, in order; where both hold an entry, the
/// first list's.
fn merged<'a, V>(
    first: impl Iterator<Item = (&'a str, V)>,
    second: impl Iterator<Item = (&'a str, V)>,
) -> impl Iterator<Item = (&'a str, V)> {
    let (mut first, mut second) = (first.peekable(), second.peekable());
    std::iter::from_fn(move || match (first.peek(), second.peek()) {
        (Some(a), Some(b)) if b.0 < a.0 => second.next(),
        (Some(a), Some(b)) if b.0 == a.0 => {
            second.next();
            first.next()
        }
        (Some(_), _) => first.next(),
        (None, _) => second.next(),
    })
}

/// The frequency class of `word` if it is a listed word or a place name.
fn word_class(word: &str) -> Option<u8> {
    WORD_LIST.get(word).filter(|&class| class != NOT_A_WORD)
}

/// `WORDS` as `(word, class)`, without the entries that are no words (`ends_in_a_final_h`):
/// what segmentation looks words up in, and what the tables derived from the list count.
fn listed_words() -> impl Iterator<Item = (&'static str, &'static str)> {
    WORDS
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(word, _)| !ends_in_a_final_h(word))
}

/// Whether `word` ends in `ห` closing its last syllable (`เลห`, `สห`, `โลห`, `อุณห`): no Thai
/// syllable ends so. The word list's 30 such entries are Pali stems that stand only inside
/// listed compounds (`สหรัฐ`, `โลหะ`, `อุณหภูมิ`) or misspellings (`เลห` for `เล่ห์`); as
/// words they take the `ห` that begins the next syllable (`บรูเลห|น้า` of `ครีมบรูเลหน้า`).
/// A `ห` after a leading vowel begins its syllable (`เห`, `แห`, `โมโห`, `ไห`): kept.
fn ends_in_a_final_h(word: &str) -> bool {
    let mut rev = word.chars().rev();
    rev.next() == Some('ห') && rev.next().is_some_and(|c| !is_leading_vowel(c))
}

/// `syllable<TAB>class` lines sorted by syllable (byte order), class being the syllable's
/// as a word, `-` when it is none.
const SYLLABLES: &str = include_str!("../../data/thai-syllables.txt");

static SYLLABLE_LIST: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(SYLLABLES.lines().filter_map(|l| {
        let (syllable, class) = l.split_once('\t')?;
        Some((syllable, class.parse().unwrap_or(NOT_A_WORD)))
    }))
});

/// `syllable<TAB>begins<TAB>ends<TAB>inside` lines sorted by syllable (byte order): how
/// many words of the word list each syllable begins, ends or lies inside
/// (`syllable_edge_table`).
const EDGES: &str = include_str!("../../data/thai-syllable-edges.tsv");

static EDGE_TABLE: LazyLock<Lexicon<[u32; 3]>> = LazyLock::new(|| {
    Lexicon::new(EDGES.lines().filter_map(|l| {
        let mut f = l.split('\t');
        let s = f.next()?;
        let mut n = || f.next()?.parse().ok();
        Some((s, [n()?, n()?, n()?]))
    }))
});

/// Pairs of listed words that are one word more often than two, by how often a corpus
/// writes them side by side: `first<TAB>second<TAB>count<TAB>bits` lines sorted by their
/// bytes, after a header `#<TAB>min_count<TAB>N<TAB>min_pmi<TAB>P<TAB>words<TAB>W`
/// (`collocation_table`).
const COLLOCATIONS: &str = include_str!("../../data/thai-collocations.tsv");

/// Where each pair's line starts in `COLLOCATIONS`: searched there, in the binary, rather
/// than copied into a set (0.2 MB of offsets against 2 MB of hash table).
static COLLOCATED: LazyLock<Vec<u32>> = LazyLock::new(|| {
    let mut at = 0;
    let mut starts = Vec::new();
    for line in COLLOCATIONS.split_inclusive('\n') {
        if !line.starts_with('#') {
            starts.push(at as u32);
        }
        at += line.len();
    }
    starts
});

/// Why two listed words are one word the list lacks (`COLLOCATIONS`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joined {
    /// A corpus writes them together far more often than chance (`ทีม` + `ชาติ`).
    Counted,
    /// A hand-cut corpus keeps them as one word (`สาม` + `มิติ`; `-` for bits).
    Kept,
}

/// Whether a corpus writes `first` and `second` together far more often than chance, or
/// a hand-cut one keeps them as one word.
fn collocated(first: &str, second: &str) -> bool {
    collocation_line(&[first, second]).is_some()
}

/// Whether `COLLOCATIONS` lists a pair whose first word is `first`.
fn begins_a_pair(first: &str) -> bool {
    collocation_line(&[first]).is_some()
}

/// How `first` and `second` are one word, if `COLLOCATIONS` lists them.
fn joined(first: &str, second: &str) -> Option<Joined> {
    let found = collocation_line(&[first, second])?;
    let line = COLLOCATIONS[COLLOCATED[found] as usize..].lines().next()?;
    Some(if line.ends_with("\t-") {
        Joined::Kept
    } else {
        Joined::Counted
    })
}

/// The index in `COLLOCATED` of a line of `COLLOCATIONS` that begins with `words`, each
/// followed by a tab (binary-searched: its lines are sorted by their bytes). The key as
/// the line begins, `first<TAB>second<TAB>`: a line begins with it exactly when it is
/// that pair, and compares as its pair does; `first<TAB>` alone, when it is a pair of
/// `first`'s.
fn collocation_line(words: &[&str]) -> Option<usize> {
    let mut key = [0u8; 192];
    let mut len = 0;
    for word in words {
        // Longer than any pair listed: none begins with it.
        let end = len + word.len() + 1;
        key.get_mut(len..end - 1)?.copy_from_slice(word.as_bytes());
        key[end - 1] = b'\t';
        len = end;
    }
    let key = &key[..len];
    let text = COLLOCATIONS.as_bytes();
    COLLOCATED
        .binary_search_by(|&at| {
            let at = at as usize;
            text[at..text.len().min(at + len)].cmp(key)
        })
        .ok()
}

/// How likely a word ends after syllable `a` and another begins with `b`, judged by where
/// each stands in the words of the word list: `ตี้` ends 27 words and begins none, `คาร์`
/// begins 23 and ends 4, so `สปาเก็ตตี้|คาร์โบนารา` is likelier than `สปา|เก็ตตี้` or
/// `คาร์|โบนารา`. A syllable the table lacks counts as a third likely at each place.
fn edge_odds(a: &str, b: &str) -> f32 {
    let counts = |s: &str| EDGE_TABLE.get(s).unwrap_or([0; 3]);
    let share =
        |c: [u32; 3], slot: usize| (c[slot] as f32 + 0.5) / (c.iter().sum::<u32>() as f32 + 1.5);
    share(counts(a), 1) * share(counts(b), 0)
}

/// `syllable<TAB>english<TAB>other` lines sorted by syllable (byte order): in how many
/// words spelling English and in how many others each syllable stands
/// (`syllable_origin_table`).
const ORIGINS: &str = include_str!("../../data/thai-syllable-origins.tsv");

/// The origin table, and the share of all its counts that are English (0.09).
static ORIGIN_TABLE: LazyLock<(Lexicon<[u32; 2]>, f32)> = LazyLock::new(|| {
    let table = Lexicon::new(ORIGINS.lines().filter_map(|l| {
        let mut f = l.split('\t');
        let s = f.next()?;
        let mut n = || f.next()?.parse().ok();
        Some((s, [n()?, n()?]))
    }));
    let (e, o) = table
        .entries
        .iter()
        .fold((0u64, 0u64), |(e, o), (_, [a, b])| {
            (e + u64::from(*a), o + u64::from(*b))
        });
    let base = if e + o == 0 {
        0.0
    } else {
        e as f32 / (e + o) as f32
    };
    (table, base)
});

/// The share of the words a syllable stands in that spell English, pulled towards the
/// share over all syllables (the base, 0.09) when it stands in few: `ไฮ` 0.61, `ชิป`
/// 0.44, `อิน` 0.41, `ไทย` 0.05, `ยาน` 0.00. A syllable the table lacks is no listed one,
/// and gets the base share.
fn english_share(syllable: &str) -> f32 {
    const PULL: f32 = 4.0;
    let (table, base) = &*ORIGIN_TABLE;
    let [e, o] = table.get(syllable).unwrap_or([0; 2]);
    (e as f32 + PULL * base) / ((e + o) as f32 + PULL)
}

/// A syllable whose `english_share` is below this (about half the base: one word in
/// twenty it stands in spells English) is a Thai one: `ยาน`, `ใจ`, `สำ`, `ไทย`.
const THAI_LIKE: f32 = 0.05;

/// The Thai-English transliteration dictionary (`th<TAB>en<TAB>check` lines after a
/// header; CC-BY 4.0, see `data/transliterations/README.md`). Its Thai words of two
/// syllables or more are in the word list too (`loanword_list`, `scripts/thai-data.py`);
/// here it tells which words spell one English word.
const TRANSLITERATIONS: &str = include_str!("../../data/transliterations/dict.tsv");

/// Words that spell one English word in Thai (`คาร์โบนารา`, `ชีสเค้ก`; each word of a name
/// written with a space, `บิล เกตส์`): their Thai pieces are no compound's parts. `กวาร์กัม`
/// (guar gum) is two English words, so not one.
static LOANWORDS: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    let mut one_word = std::collections::BTreeMap::new();
    for (word, single) in transliterated_words() {
        *one_word.entry(word).or_insert(false) |= single;
    }
    Lexicon::new(
        one_word
            .into_iter()
            .filter(|&(_, single)| single)
            .map(|(w, _)| (w, ())),
    )
});

/// Each Thai word of the transliteration dictionary made only of Thai letters (each word
/// of a name written with a space), and whether its entry spells one English word (a
/// name's words each do).
fn transliterated_words() -> impl Iterator<Item = (&'static str, bool)> {
    TRANSLITERATIONS.lines().skip(1).flat_map(|line| {
        let mut fields = line.split('\t');
        let thai = fields.next().unwrap_or("");
        let english = fields.next().unwrap_or("");
        let words: Vec<&str> = thai.split(' ').filter(|w| !w.is_empty()).collect();
        let single = words.len() > 1 || !english.trim().contains(' ');
        words
            .into_iter()
            .filter(|w| w.chars().all(is_thai_letter))
            .map(move |w| (w, single))
    })
}

/// The class of a syllable that is no word on its own.
const NOT_A_WORD: u8 = u8::MAX;

/// The highest frequency class; a word's cost is how far below it the word is.
const MAX_CLASS: u8 = 20;

/// The consonants that begin a cluster with `ร ล ว` after them, or are written so before
/// them: in Thai words (`กร`, `ปล`, `ขว`, `ผล`; `จริง`, `สร้าง`, `ศรี`; a leading `ห`:
/// `หรือ`, `หล่อ`, `หวาน`) and in loanwords (`บร`, `ดร`, `ฟร`, `ทร`, `สล`). Never `ย`,
/// `ล`, `น`, `ม`, `อ`, …
const CLUSTER_FIRST: &str = "กขคตปพผบดฟทสซศจห";

/// The consonants a leading `ห` is written before (`หง` `หญ` `หน` `หม` `หย` `หร` `หล` `หว`).
const SONORANTS: &str = "งญนมยรลว";

/// The letters Thai spells the second sound of an English `s` cluster with (`สก` `สค`
/// `สต` `สท` `สป` `สพ` `สม` `สน` `สล` `สว`: skate, scan, stop, spa, smart, snap, slide,
/// swing).
const S_CLUSTER_SECOND: &str = "กขคตทปพมนลว";

/// How much rarer than its rarer part a compound the corpus never counted is taken to be
/// (`compound_class`).
const COMPOUND_PENALTY: u8 = 4;

/// A sorted word list searched like a trie: the entries sharing a prefix are contiguous,
/// so extending a prefix narrows a range, and a prefix no word has ends the search early.
/// Parsing it is a split of lines, not a table build, so it costs ~1 ms at startup.
struct Lexicon<V = u8> {
    /// (entry, its value: the word's frequency class), sorted by entry.
    entries: Vec<(&'static str, V)>,
    /// `first[k]..first[k + 1]`: the entries starting with U+0E00 + k (the first
    /// narrowing, the widest, is a lookup).
    first: Vec<usize>,
}

impl<V: Copy> Lexicon<V> {
    fn new(entries: impl Iterator<Item = (&'static str, V)>) -> Lexicon<V> {
        let mut entries: Vec<_> = entries.filter(|(w, _)| !w.is_empty()).collect();
        // The data file is sorted already; this keeps a hand-edited one correct.
        if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        let first = (0..=0x80u32)
            .map(|k| {
                let c = char::from_u32(0x0E00 + k).unwrap_or('\u{0E80}');
                entries.partition_point(|e| e.0.chars().next().is_some_and(|f| f < c))
            })
            .collect();
        Lexicon { entries, first }
    }

    /// The entries starting with `c`, as a range to narrow.
    fn starting_with(&self, c: char) -> std::ops::Range<usize> {
        match (c as usize).checked_sub(0x0E00) {
            Some(k) if k < 0x80 => self.first[k]..self.first[k + 1],
            _ => 0..self.entries.len(),
        }
    }

    /// Narrows `range` (entries starting with a shorter prefix of `prefix`) to the entries
    /// starting with `prefix`; returns the value of `prefix` itself if it is an entry.
    fn narrow(&self, range: &mut std::ops::Range<usize>, prefix: &str) -> Option<V> {
        let slice = &self.entries[range.clone()];
        let lo = slice.partition_point(|e| e.0 < prefix);
        let hi = lo + slice[lo..].partition_point(|e| e.0.starts_with(prefix));
        *range = range.start + lo..range.start + hi;
        self.entries
            .get(range.start)
            .filter(|e| range.start < range.end && e.0 == prefix)
            .map(|e| e.1)
    }

    /// The value of `word` if it is an entry.
    fn get(&self, word: &str) -> Option<V> {
        let at = self.entries.partition_point(|e| e.0 < word);
        self.entries.get(at).filter(|e| e.0 == word).map(|e| e.1)
    }
}

/// Builds the word table now rather than on the first Thai title.
pub fn preload() {
    LazyLock::force(&WORD_LIST);
    LazyLock::force(&SYLLABLE_LIST);
    LazyLock::force(&EDGE_TABLE);
    LazyLock::force(&ORIGIN_TABLE);
    LazyLock::force(&LOANWORDS);
    LazyLock::force(&COLLOCATED);
}

/// Whether `c` belongs to a Thai run that this module segments.
pub fn is_thai_letter(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E4E}')
}

/// Whether `c` belongs to a Thai run that line breaking segments: a Thai letter, vowel or
/// sign, but not MAIYAMOK (`ๆ`), which repeats the word before it and ends it: `บาง` +
/// `ๆ`, never `บา` + `งๆ` (written with no space, `ๆ` joins the letter before it in one
/// cluster, and no listed word then ends where the word does).
pub fn in_run(c: char) -> bool {
    is_thai_letter(c) && c != MAIYAMOK
}

const MAIYAMOK: char = '\u{0E46}';

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
const SARA_II: char = '\u{0E35}';
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
    // before it: ซอร์ส, ศาสตร์, พันธุ์. So does a consonant right before one (it cannot
    // begin a syllable with no vowel to sound): เรอร์, ฟอร์ม, คลาวด์, จันทร์.
    if is_consonant(next) {
        let silenced = |at: usize| {
            let after = chars.get(at + 1).copied();
            let after2 = chars.get(at + 2).copied();
            after == Some(THANTHAKHAT)
                || (matches!(after, Some(SARA_I | SARA_U)) && after2 == Some(THANTHAKHAT))
        };
        if silenced(k) || (chars.get(k + 1).is_some_and(|&c| is_consonant(c)) && silenced(k + 1)) {
            return false;
        }
    }
    // ◌็อ◌: MAITAIKHU over a consonant with no leading vowel, then `อ`, is the short `o`
    // (`ล็อก`, `ช็อป`, `ต็อก`): the `อ` is its vowel, not the next syllable's consonant.
    // Except after `ก็` (also), a word of its own before words that begin with `อ`
    // (`ก็|อยู่`, `ก็|ออก`).
    if prev == MAITAIKHU && next == 'อ' && k >= 2 && is_consonant(chars[k - 2]) {
        let also = chars[k - 2] == 'ก' && (k < 3 || !is_consonant(chars[k - 3]));
        if !also {
            return false;
        }
    }
    // Vowels written only closed: the consonant after them is their final, not the next
    // syllable's first, unless a vowel or tone mark of its own follows it.
    let final_consonant = is_consonant(next)
        && !chars
            .get(k + 1)
            .is_some_and(|&c| matches!(c, '\u{0E30}'..='\u{0E39}') || is_tone_mark(c));
    // ◌็อ is short `o` closed by the consonant after it (`บ็อบ`, `ล็อก`, `ช็อป`): a
    // transliteration writes no open syllable so (`บ็อบ|สเลด`, never `บ็อ` + `บส` + `เลด`).
    if final_consonant
        && prev == 'อ'
        && k >= 3
        && chars[k - 2] == MAITAIKHU
        && is_consonant(chars[k - 3])
        && !(chars[k - 3] == 'ก' && (k < 4 || !is_consonant(chars[k - 4])))
    {
        return false;
    }
    // เ◌ิ◌ (the vowel `oe`) after `เ` and one consonant (`ดูเดิล|กลิ่น`, never `เดิ` +
    // `ลก`). After two, `เ` may be the first's and `ิ` the second's (`เซ` + `มิ`, `เพ` +
    // `ริ` of `เพริดอต`).
    if final_consonant
        && prev == SARA_I
        && matches!(chars[..k - 1], [.., '\u{0E40}', c] if is_consonant(c))
    {
        return false;
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

/// Whether a lone consonant, `chars[at]`, no vowel of its own, may close the syllable
/// before it: not `ห` or `อ`, never a final consonant; not the first letter of a cluster
/// with the letter after it (`ค` + `วอ`, `ส` + `ตา`).
fn closes_before(chars: &[char], at: usize) -> bool {
    let c = chars[at];
    let onset = first_letter(chars, at + 1).is_some_and(|next| {
        (CLUSTER_FIRST.contains(c) && "รลว".contains(next))
            || ("สซ".contains(c) && S_CLUSTER_SECOND.contains(next))
    });
    is_consonant(c) && c != 'ห' && c != 'อ' && !onset
}

/// The letter the syllable at `chars[at..]` begins with: past a leading vowel written
/// before it (`เ` of `เปลต์`).
fn first_letter(chars: &[char], at: usize) -> Option<char> {
    match chars.get(at..) {
        Some([lead, c, ..]) if is_leading_vowel(*lead) => Some(*c),
        Some([c, ..]) => Some(*c),
        _ => None,
    }
}

/// Whether a listed word has more than one syllable: it is no listed syllable, and
/// listed syllables spell it whole (`ระ` + `ยะ`; not `สูตร`, which `สู` + `ตร` is not).
fn several_syllables(word: &str) -> bool {
    let list = &*SYLLABLE_LIST;
    if list.get(word).is_some() {
        return false;
    }
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let byte_at: Vec<usize> = word
        .char_indices()
        .map(|(b, _)| b)
        .chain([word.len()])
        .collect();
    // spelled[k]: listed syllables spell chars[k..] whole.
    let mut spelled = vec![false; n + 1];
    spelled[n] = true;
    for k in (0..n).rev() {
        spelled[k] = (k + 1..=n).any(|j| {
            spelled[j]
                && (j == n || cluster_boundary(&chars, j))
                && list.get(&word[byte_at[k]..byte_at[j]]).is_some()
        });
    }
    spelled[0]
}

/// The frequency class from which a word the corpus counts is not cut by a segmentation
/// into compounds it never counted (`boundaries`).
const COUNTED_OFTEN: u8 = 10;

/// Words that make a noun of the word after them, and stand apart from it: `ผู้` always
/// (`ผู้|ใช้`), `การ` where the corpus counts the noun it makes as its words (`การ|ประชุม`,
/// never counted whole) but not where it counts it as one word (`การบ้าน`, `การเมือง`).
/// `ความ` is not one: the noun it makes is one word (`ความปลอดภัย`), listed or not.
const NOMINALISERS: [&str; 2] = ["การ", "ผู้"];

/// A run's line-break opportunities, as character offsets strictly between 0 and the run's
/// length, ascending.
pub struct Boundaries {
    pub at: Vec<usize>,
    /// Those of `at` where a line had better not end (`Analysed::doubt`).
    pub doubtful: Vec<usize>,
    /// Those of `doubtful` between two rare words of native shape ([`Strength::Rare`]; one
    /// syllable each, as `doubtful` has them): a compound the lists lack or a loanword's
    /// syllables lies across 30 of 350 such places on the test titles whose splits were
    /// read (9 %: `แสง|เหนือ`, `ชิน|คัน`), 39 of 1 483 of the other doubtful ones (3 %).
    /// And those between two words neither of Thai origin (`Analysed::thai_like`:
    /// `กา|มา` of `อาตากามา`, `นา|ร่า` of `คาโบนาร่า`). Layout counts a line ending at one
    /// as one risk more.
    pub risky: Vec<usize>,
}

/// Line-break opportunities inside a run of Thai letters. `icu` are ICU's opportunities in
/// the same run.
pub fn boundaries(run: &[char], icu: &[usize]) -> Boundaries {
    let run = Analysed::new(run);
    let mut out = run.words.boundaries();
    // A word the corpus counts often, which the likeliest segmentation finds and the
    // fewest-words one cuts into compounds the corpus never counted (`ต่อหัว|ใจจริง`
    // against `ต่อ|หัวใจ|จริง`): no line break inside it. Only the corpus's counts of
    // `หัวใจ` are evidence; the cut's are none.
    let uncounted = |p: Piece| p.class == Some(0);
    let beside_uncounted = |k: usize| {
        run.pieces_at(k)
            .is_some_and(|(l, r)| uncounted(l) || uncounted(r))
    };
    let cut_uncounted = out.iter().any(|&k| beside_uncounted(k));
    // The likeliest segmentation, found once, where this or ICU's opportunities need it.
    let likely = (cut_uncounted || icu.iter().any(|b| out.binary_search(b).is_err()))
        .then(|| run.segment(Choice::MostLikely, 0, run.chars.len(), true));
    if let Some(likely) = likely.as_ref().filter(|_| cut_uncounted) {
        out.retain(|&k| {
            let at = likely.pieces.partition_point(|p| p.end <= k);
            !likely.pieces.get(at).is_some_and(|w| {
                w.start < k && w.class.is_some_and(|c| c >= COUNTED_OFTEN) && beside_uncounted(k)
            })
        });
    }
    if let Some(likely) = likely.filter(|_| icu.iter().any(|b| out.binary_search(b).is_err())) {
        // Where a likelier word ends that only makes a noun of the word after it (`การ`,
        // `ผู้`: `NOMINALISERS`): a word of its own, as every segmenter and Chromium take it.
        let after_a_nominaliser: Vec<usize> = likely
            .pieces
            .iter()
            .filter(|p| {
                let word = run.piece(p.start, p.end);
                let words = &run.words.pieces;
                let around = words.get(words.partition_point(|w| w.end <= p.end));
                NOMINALISERS.contains(&word)
                    && (word == "ผู้"
                        || around
                            .is_none_or(|w| w.start >= p.end || w.class.is_none_or(|c| c == 0)))
            })
            .map(|p| p.end)
            .collect();
        let likely = likely.boundaries();
        // A compound of two syllables (`มือถือ`, `ได้ผล`), or a longer one the word list
        // holds (`ยอดนิยม`, `ร้านอาหาร`, `แสงเหนือ`), stays whole where both segmentations
        // agree on its edges: the likelier words inside it are a place to cut it when it
        // is wider than its box (`ladder`), not a line break. Except after a nominaliser
        // (`การ|ประชุม`). Where they do not agree (`ต่อหัว|ใจจริง` against
        // `ต่อ|หัวใจ|จริง`), the fewest-words one is the doubtful one.
        let n = run.chars.len();
        let agreed = |k: usize| k == 0 || k == n || likely.binary_search(&k).is_ok();
        let pieces = &run.words.pieces;
        let whole = |k: usize| {
            let at = pieces.partition_point(|p| p.end <= k);
            pieces.get(at).is_some_and(|p| {
                p.start < k
                    && (run.syllable_count(*p) <= 2 || p.known && !after_a_nominaliser.contains(&k))
                    && agreed(p.start)
                    && agreed(p.end)
            })
        };
        out.extend(
            icu.iter()
                .filter(|&&b| likely.binary_search(&b).is_ok() && !whole(b)),
        );
        out.sort_unstable();
        out.dedup();
    }
    out.retain(|&k| {
        run.joined(k).is_none()
            && !run.after_an_agent_prefix(k)
            && !run.inside_a_word(k)
            && !run.held_back(k)
            && !run.seldom_an_edge(k)
            && !run.inside_an_acronym(k)
            && !run.after_an_english_prefix(k)
    });
    let (mut doubtful, mut risky) = (Vec::new(), Vec::new());
    for &k in &out {
        if let Some(is_risky) = run.doubt(k) {
            doubtful.push(k);
            if is_risky {
                risky.push(k);
            }
        }
    }
    Boundaries {
        at: out,
        doubtful,
        risky,
    }
}

/// A pair of words written together fewer times is chance, in the smaller corpus (half a
/// million listed words) and so in the larger (`collocation_table`).
pub const COLLOCATION_MIN_COUNT: u32 = 5;
/// In bits: a pair written together 2^7 = 128 times as often as its words' frequencies
/// would have it (`collocation_table`).
pub const COLLOCATION_MIN_PMI: f64 = 7.0;

/// A word of a hand-cut corpus's token list written fewer times is as often a slip or a
/// fragment as a word (`เหยอ`, `เกรก`), so it is no evidence of a compound
/// (`collocation_table`).
pub const COMPOUND_MIN_COUNT: u32 = 20;

/// Pairs of listed words a corpus writes side by side so much more often than their
/// frequencies alone would (pointwise mutual information, in bits, at least
/// `COLLOCATION_MIN_PMI`, and at least `COLLOCATION_MIN_COUNT` times) that they are one
/// word the list lacks (`ทีม` + `ชาติ`, `หัว` + `หิน`): `first<TAB>second<TAB>count<TAB>bits`
/// lines sorted, after a header line with the thresholds and each corpus's count of
/// listed words. Each corpus's runs of Thai letters are cut as line breaking cuts them
/// (the fewest-words segmentation), every two listed words side by side are counted, and
/// a pair one corpus passes is kept.
///
/// Then the words of a corpus cut into words by hand (`tokens`: each with how often it
/// was written) that line breaking cuts into two listed words: the corpus's annotators
/// kept `สามมิติ`, `ใต้น้ำ`, `ริมทาง` whole at least `COMPOUND_MIN_COUNT` times, so each is
/// one word the list lacks, however common its parts are (`สาม` + `มิติ` is under one bit
/// of mutual information in the news corpus). Their lines have `-` for bits.
///
/// This is `data/thai-collocations.tsv` (`cargo run --example thai-collocations` writes it
/// from the corpora named in `data/README.md`).
pub fn collocation_table<'t, C: IntoIterator<Item = &'t str>>(
    corpora: impl IntoIterator<Item = C>,
    tokens: impl IntoIterator<Item = (&'t str, u32)>,
) -> String {
    use std::collections::{BTreeMap, HashMap};
    let (min_count, min_pmi) = (COLLOCATION_MIN_COUNT, COLLOCATION_MIN_PMI);
    // Each corpus judged on its own counts, the pairs of all of them kept (the first
    // corpus's row where two keep one): a register's compounds are rare in another's.
    let mut kept: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut totals = Vec::new();
    for texts in corpora {
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut pairs: HashMap<(String, String), u32> = HashMap::new();
        let mut total: u64 = 0;
        for text in texts {
            // The runs line breaking hands this module (`breaks::runs`).
            for letters in crate::render::breaks::runs(text, is_thai_letter) {
                let run = Analysed::new(&letters.letters);
                let mut before: Option<&str> = None;
                for p in &run.words.pieces {
                    let word = p.known.then(|| run.piece(p.start, p.end));
                    if let Some(w) = word {
                        *words.entry(w.to_owned()).or_default() += 1;
                        total += 1;
                        if let Some(b) = before {
                            *pairs.entry((b.to_owned(), w.to_owned())).or_default() += 1;
                        }
                    }
                    before = word;
                }
            }
        }
        for ((a, b), n) in pairs.into_iter().filter(|&(_, n)| n >= min_count) {
            let expected = f64::from(words[&a]) * f64::from(words[&b]) / total as f64;
            let bits = (f64::from(n) / expected).log2();
            if bits >= min_pmi {
                let row = format!("{a}\t{b}\t{n}\t{bits:.1}\n");
                kept.entry((a, b)).or_insert(row);
            }
        }
        totals.push(total.to_string());
    }
    for (token, n) in tokens {
        let chars: Vec<char> = token.chars().collect();
        if n < COMPOUND_MIN_COUNT || !chars.iter().all(|&c| is_thai_letter(c)) {
            continue;
        }
        let run = Analysed::new(&chars);
        if let [a, b] = run.words.pieces[..] {
            if !(a.known && b.known) {
                continue;
            }
            // A pair the counts kept already keeps its counted line.
            let (a, b) = (run.piece(a.start, a.end), run.piece(b.start, b.end));
            let row = format!("{a}\t{b}\t{n}\t-\n");
            kept.entry((a.to_owned(), b.to_owned())).or_insert(row);
        }
    }
    let mut rows: Vec<String> = kept.into_values().collect();
    rows.sort_unstable();
    let mut out = format!(
        "#\tmin_count\t{min_count}\tmin_pmi\t{min_pmi}\twords\t{}\tmin_token\t{COMPOUND_MIN_COUNT}\n",
        totals.join(",")
    );
    out.extend(rows);
    out
}

/// The stretches of a run of Thai letters taken as unknown — no dictionary word covers
/// them, or the syllables cut across the word that does — as character ranges, ascending.
/// No line breaks inside one, and at its edges only where the word beside it is not taken
/// in, as a doubtful opportunity (`cargo run --example breaks` shows them).
pub fn unknown_spans(run: &[char]) -> Vec<std::ops::Range<usize>> {
    let run = Analysed::new(run);
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for piece in &run.words.pieces {
        if run.strength(*piece) != Strength::Unknown {
            continue;
        }
        match spans.last_mut() {
            Some(last) if last.end == piece.start => last.end = piece.end,
            _ => spans.push(piece.start..piece.end),
        }
    }
    spans
}

/// Where each syllable stands in the words of the word list: for every syllable of a
/// word of two syllables or more (all of them listed syllables), how many words it begins,
/// ends or lies inside; as `syllable<TAB>begins<TAB>ends<TAB>inside` lines, sorted. This
/// is `data/thai-syllable-edges.tsv` (`cargo run --example thai-syllable-edges` writes it;
/// a test checks the committed file is what the word list and the syllabifier give).
pub fn syllable_edge_table() -> String {
    let mut counts: std::collections::BTreeMap<&str, [u32; 3]> = Default::default();
    for (word, _) in listed_words() {
        let chars: Vec<char> = word.chars().collect();
        let run = Analysed::new(&chars);
        let cut = &run.syllables;
        if cut.len() < 2 || cut.iter().any(|y| !y.known) {
            continue;
        }
        for (i, y) in cut.iter().enumerate() {
            let at = (run.byte_at[y.start], run.byte_at[y.end]);
            let slot = match i {
                0 => 0,
                _ if i + 1 == cut.len() => 1,
                _ => 2,
            };
            counts.entry(&word[at.0..at.1]).or_default()[slot] += 1;
        }
    }
    counts
        .into_iter()
        .map(|(s, [b, e, i])| format!("{s}\t{b}\t{e}\t{i}\n"))
        .collect()
}

/// Where each syllable is found: for every syllable of a word of the word list or of the
/// transliteration dictionary (all of its syllables listed), in how many words that spell
/// English (the dictionary's) and in how many others it stands; as
/// `syllable<TAB>english<TAB>other` lines, sorted. This is
/// `data/thai-syllable-origins.tsv` (`cargo run --example thai-syllable-origins` writes
/// it; a test checks the committed file is what the lists and the syllabifier give).
pub fn syllable_origin_table() -> String {
    let english: std::collections::BTreeSet<&str> =
        transliterated_words().map(|(w, _)| w).collect();
    let listed = listed_words().map(|(word, _)| word);
    let mut counts: std::collections::BTreeMap<&str, [u32; 2]> = Default::default();
    let mut seen = std::collections::BTreeSet::new();
    for word in listed.chain(english.iter().copied()) {
        if !seen.insert(word) {
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let run = Analysed::one_word(&chars);
        let cut = &run.syllables;
        if cut.iter().any(|y| !y.known) {
            continue;
        }
        // The word list holds loanwords the dictionary lacks; those spelt as only
        // transliterations are (`อิงแลนด์`) count as English too.
        let slot = usize::from(!english.contains(word) && !spelled_as_english(&chars));
        for y in cut {
            let at = (run.byte_at[y.start], run.byte_at[y.end]);
            counts.entry(&word[at.0..at.1]).or_default()[slot] += 1;
        }
    }
    counts
        .into_iter()
        .map(|(s, [e, o])| format!("{s}\t{e}\t{o}\n"))
        .collect()
}

/// The words of the transliteration dictionary (`data/transliterations/dict.tsv`) that the
/// word list takes: each word of its Thai column made only of Thai letters and of two
/// syllables or more, one a line, sorted. A one-syllable English word spelt in Thai
/// (`บราว`, brow) is mostly a piece of a longer loanword (`บราวนี่`) in titles, and as a
/// word of its own it would let a line break inside that one. This is
/// `data/transliterations/words.txt` (`cargo run --example thai-loanwords` writes it; a test
/// checks the committed file).
pub fn loanword_list() -> String {
    let mut words: Vec<&str> = transliterated_words()
        .map(|(w, _)| w)
        .filter(|w| {
            let chars: Vec<char> = w.chars().collect();
            Analysed::one_word(&chars).syllables.len() >= 2
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words.iter().map(|w| format!("{w}\n")).collect()
}

/// Weaker places to break a run of Thai letters, for a word wider than its box, strongest
/// first: the place before an English prefix, then the boundaries between two listed
/// words of two syllables or more that were held together, then the edges of a word no
/// list has beside a word that can be trusted (first where that word ends the stretch,
/// then where the stretch goes on past it), then where a listed word of two syllables
/// or more meets one of native shape, then where a Thai word meets an English one
/// (`english_like`), then after an English prefix, then between the dictionary words a
/// word is made of (a compound's parts, then their parts, …), then the syllable
/// boundaries by how likely a word ends there (`edge_odds`, in `EDGE_BANDS`; outside the
/// words the dictionary can be trusted with before inside them), then any other syllable
/// boundary (not inside a stretch no syllable covers).
/// Each rung's character offsets ascending.
pub fn ladder(run: &[char]) -> Vec<Vec<usize>> {
    let run = Analysed::new(run);
    let boundaries = run.words.boundaries();
    // How each boundary joins two words, looked up once (`joined_at`).
    let joined: Vec<Option<Joined>> = boundaries.iter().map(|&k| run.joined(k)).collect();
    let joined_at = |k: usize| boundaries.binary_search(&k).ok().and_then(|at| joined[at]);
    let mut rungs: Vec<Vec<usize>> = Vec::new();
    // A word boundary no acronym, English prefix or `นัก` runs across.
    let open = |k: usize| {
        !run.inside_an_acronym(k)
            && !run.after_an_english_prefix(k)
            && !run.after_an_agent_prefix(k)
    };
    // Pieces no more a word of their own than a transliteration's syllables are (`คา` `รา`
    // `อา` `เกะ` of `คาราอาเกะ`), or no word at all: two side by side are one stretch, as
    // unknown as one no word covers. Places between them are no words' edges; they wait
    // for the syllables' rungs (by how likely a word ends there), after the stretch's own
    // edges (`loose_end`).
    let loose = |p: Piece| run.strength(p).loose();
    let chained = |k: usize| run.pieces_at(k).is_some_and(|(l, r)| loose(l) && loose(r));
    // The open word boundaries between two pieces that pass `pair`, where a loanword does
    // (`glued`: `inside_a_word`) or not, or either (`None`); not between two words a
    // hand-cut corpus keeps whole (`สาม|มิติ`), which have a rung of their own, later; not
    // inside a loose stretch.
    let meeting = |pair: &dyn Fn(Piece, Piece) -> bool, glued: Option<bool>| -> Vec<usize> {
        boundaries
            .iter()
            .copied()
            .filter(|&k| {
                run.pieces_at(k).is_some_and(|(l, r)| pair(l, r))
                    && glued.is_none_or(|glued| run.inside_a_word(k) == glued)
                    && open(k)
                    && !chained(k)
                    && joined_at(k) != Some(Joined::Kept)
            })
            .collect()
    };
    let between = |pair: &dyn Fn(Piece, Piece) -> bool| meeting(pair, Some(false));
    // First, the place before an English prefix the list has, written before a word it
    // has (`ชาร์จ|ซูเปอร์ชาร์จเจอร์`, `เทคโนโลยี|นาโนเซลลูโลส`): the prefix begins an
    // English word, so whatever stands before it ends one. The place after the prefix
    // is a word's edge too, but of the one English word Thai spells in two (below).
    let before_prefix = boundaries.iter().filter_map(|&k| {
        let (prefix, word) = run.pieces_at(k)?;
        (run.english_prefix(prefix) && word.known).then_some(prefix.start)
    });
    rungs.push(
        before_prefix
            .filter(|&k| boundaries.binary_search(&k).is_ok() && open(k) && !chained(k))
            .collect(),
    );
    // Next, where two listed words of two syllables or more meet but the line was held
    // for want of evidence (`ฮาร์ดแวร์|โอเพนซอร์ส`, `เฟซบุ๊ก|มาร์เก็ตเพลส`): between two
    // whole words the list has is a better guess than inside either.
    let whole_word = |p: Piece| run.strength(p) != Strength::Unknown && run.syllable_count(p) >= 2;
    rungs.push(between(&|l, r| whole_word(l) && whole_word(r)));
    // Next, the edges of a stretch no word covers (`ของ|ควอลคอมม์|แรง`): a line that
    // must break inside a held stretch breaks beside what it does not know before
    // inside it.
    let unknown = |p: Piece| run.strength(p) == Strength::Unknown;
    // Beside a whole word not shaped as a transliteration's piece, or a common word of
    // native shape: not a piece of the unknown word that the list happens to have, which
    // is rare (`ดา` of `ดาต้า`), spelt as English (`เซมิ` of `เซมินาร์`) or open with no
    // tone mark (`ยา` of `ไฮยาลูรอน`).
    // `ใ` is written in some twenty native words and never in a loanword (`ใน`, `ให้`).
    let native = |p: Piece| {
        let s = &run.chars[p.start..p.end];
        !is_open_unmarked(s) || s.contains(&'ใ')
    };
    // A one-syllable word short of common is sure too when it is of Thai origin, native
    // shape and frequent (`ปลูก|ฟิโลเดนดรอน`, `ปลูก` of class 12): not a rarer one, which
    // a loanword's syllables often are (`SURE_THAI`).
    let sure = |p: Piece| match run.strength(p) {
        Strength::Common => whole_word(p) || native(p),
        Strength::Rare => {
            whole_word(p)
                || (native(p) && run.thai_like(p) && p.class.is_some_and(|c| c >= SURE_THAI))
        }
        Strength::Weak | Strength::Unknown => false,
    };
    // The end of such a stretch counts as one (`เมนู|คาราอาเกะ`).
    let loose_end = |p: Piece, rightwards: bool| {
        unknown(p) || (loose(p) && run.neighbour(p, rightwards).is_some_and(loose))
    };
    let edges =
        between(&|l, r| (loose_end(l, false) && sure(r)) || (sure(l) && loose_end(r, true)));
    // Those where the sure word has a loose piece on its far side too (`[สตา]วัง[เงร์]`)
    // come after the others: such a word is likelier one of the stretch's syllables that
    // the list has as a word. On the read titles, a word lay across 11 of 32 such edges
    // that were no break opportunity (34 %), and across 30 of the other 553 (5 %).
    let (inner, outer): (Vec<usize>, Vec<usize>) = edges.into_iter().partition(|&k| {
        run.pieces_at(k).is_some_and(|(l, r)| {
            let (word, rightwards) = if sure(r) { (r, true) } else { (l, false) };
            run.neighbour(word, rightwards).is_some_and(loose)
        })
    });
    rungs.push(outer);
    rungs.push(inner);
    // Next, the same edge where a silent letter held a whole word to the stretch
    // (`เฟรมเวิร์ก|ฟรอนต์เอนด์`): a listed word of two syllables or more is likelier one
    // word than its parts are two (`เฟรม|เวิร์ก`, which the parts' rung would cut first).
    let whole_and_sure = |p: Piece| whole_word(p) && sure(p);
    rungs.push(meeting(
        &|l, r| (unknown(l) && whole_and_sure(r)) || (whole_and_sure(l) && unknown(r)),
        Some(true),
    ));
    // Next, two whole listed words a silent letter held together (`โมดูล|เทอร์โม`, `ลินุกซ์|
    // เคอร์เนล`): between them before inside either, which the syllables' rungs would
    // reach first. On the read titles, no word lay across any of the 7 such places.
    rungs.push(meeting(&|l, r| whole_word(l) && whole_word(r), Some(true)));
    // Next, where a whole word meets a listed word of native shape, held for want of
    // evidence (`ลาวา|ขาย`, `รูฟท็อป|ติด`): before cutting the whole word into its parts
    // or syllables (`ลา|วา`).
    let native_word = |p: Piece| matches!(run.strength(p), Strength::Common | Strength::Rare);
    let thai_word = |p: Piece| {
        matches!(run.strength(p), Strength::Common | Strength::Rare)
            && run.thai_like(p)
            && !spelled_as_english(&run.chars[p.start..p.end])
    };
    let whole_and_native =
        |l: Piece, r: Piece| (whole_word(l) && native_word(r)) || (native_word(l) && whole_word(r));
    rungs.push(between(&whole_and_native));
    // Next, the edge of a listed word of two syllables or more that the corpus counts,
    // beside a listed word of any shape, held for want of evidence or by a silent letter
    // (`แบรนด์|เครื่องสำอาง`): before that word's parts (`เครื่อง|สำอาง`). Not between two
    // words of English shape, likelier one English compound (`โอเพน|เวิลด์`), nor before
    // an English suffix spelt as Thai spells one (`โปรแกรม|มิ่ง`).
    let counted = |p: Piece| whole_word(p) && native_word(p);
    let suffixed = |k: usize| {
        run.syllables_meeting(k).is_some_and(|(a, b)| {
            spelled_suffix(&run.chars[a.start..a.end], &run.chars[b.start..b.end])
        })
    };
    let beside_counted = |l: Piece, r: Piece| {
        ((counted(l) && r.known) || (l.known && counted(r)))
            && !(run.foreign(l) && run.foreign(r))
            && !suffixed(r.start)
    };
    let mut rung = meeting(&beside_counted, None);
    rung.retain(|k| !rungs.iter().any(|earlier| earlier.contains(k)));
    rungs.push(rung);
    // Next, where a word of Thai origin meets one spelling English, held for want of
    // evidence (`ยาน|สตาร์ชิป`): a Thai word glued to an English one is likelier two words
    // than the English one is two.
    let english_word = |p: Piece| p.known && !thai_word(p) && run.english_like(p);
    rungs.push(between(&|l, r| {
        (thai_word(l) && english_word(r)) || (english_word(l) && thai_word(r))
    }));
    // Next, an English prefix and the word it was held to (`ซูเปอร์|คอมพิวเตอร์`): one
    // English word, but cut there before inside either; after the places between words
    // (`เกม|ซูเปอร์ฮีโร่` before `ซูเปอร์|ฮีโร่`).
    // So too the place after an English combining form in `-o` (`พีโซ|อิเล็กทริก`,
    // `แล็กโท|บาซิลลัส`, `after_a_combining_form`), taken out of the rungs before: on the
    // read titles a word lay across 20 of the 26 such places.
    let mut combined = Vec::new();
    for rung in &mut rungs {
        combined.extend(rung.extract_if(.., |k| run.after_a_combining_form(*k)));
    }
    rungs.push(
        boundaries
            .iter()
            .copied()
            .filter(|&k| run.after_an_english_prefix(k))
            .chain(combined)
            .collect(),
    );
    // The places so far between two words a corpus writes together (`ทีม|ชาติ`,
    // `COLLOCATIONS`) wait until after the others, in the same order among themselves:
    // one word the list lacks, cut after the places between words. (All in one rung
    // instead, the syllables of the loanwords among them, `เจลา` + `โต้`, were cut as
    // readily as real compounds' words: 141 → 172 split words on the test titles.)
    let mut collocated = Vec::new();
    for rung in &mut rungs {
        let (together, apart): (Vec<usize>, Vec<usize>) =
            rung.iter().partition(|&&k| joined_at(k).is_some());
        *rung = apart;
        collocated.push(together);
    }
    // Before those, between two listed words the national corpus's annotators kept as
    // one word (`สาม|มิติ`, `ชาติ|ไทย`): a compound the list lacks, cut after the places
    // between words, and first where it overlaps a pair the counts find
    // (`ทีมชาติ|ไทย` before `ทีม|ชาติ`).
    rungs.push(
        boundaries
            .iter()
            .copied()
            .filter(|&k| joined_at(k) == Some(Joined::Kept) && open(k) && !chained(k))
            .collect(),
    );
    rungs.extend(collocated);
    // Each of those rungs in two: first the places where a word likely ends and the next
    // begins (`LIKELY_EDGE`), then the others, so that of two places a rule ranks alike
    // the likelier edge is cut first, not merely the furthest that fits
    // (`ฟอสซิล|ไทรเซราทอปส์` before `ไทร|เซราทอปส์`: `ไทร` ends words the list has, but
    // `เซ` seldom begins one).
    let likely = |k: usize| {
        run.syllables_meeting(k).is_none_or(|(a, b)| {
            edge_odds(run.piece(a.start, a.end), run.piece(b.start, b.end)) >= LIKELY_EDGE
        })
    };
    rungs = rungs
        .into_iter()
        .flat_map(|rung| {
            let (a, b): (Vec<usize>, Vec<usize>) = rung.into_iter().partition(|&k| likely(k));
            [a, b]
        })
        .collect();
    let depth = rungs.len();
    for piece in run.words.pieces.iter().filter(|p| p.known) {
        run.parts(piece.start, piece.end, depth, &mut rungs);
    }
    // Then the syllable boundaries outside the words the dictionary can be trusted with,
    // where a word most likely ends and another begins (`edge_odds`), the likelier first:
    // so a stretch held together for want of evidence that is wider than its box breaks
    // where its words most likely meet.
    let trusted = |p: &Piece| {
        p.known
            && run.syllable_count(*p) >= 2
            && matches!(run.strength(*p), Strength::Rare | Strength::Common)
    };
    // [outside, inside] a trusted word, each by `EDGE_BANDS`.
    let mut bands: [[Vec<usize>; EDGE_BANDS.len()]; 2] = Default::default();
    let mut rest = Vec::new();
    for w in run.syllables.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !a.known && !b.known {
            continue;
        }
        let k = b.start;
        let (sa, sb) = (&run.chars[a.start..a.end], &run.chars[b.start..b.end]);
        // Inside a word the dictionary knows, or one spelt as Thai spells an English
        // suffix (`โปรแกรม|มิ่ง`, `ฟุต|เตอร์`).
        let pieces = &run.words.pieces;
        let around = pieces.partition_point(|p| p.end <= k);
        let inside = pieces
            .get(around)
            .is_some_and(|p| p.start < k && trusted(p))
            || spelled_suffix(sa, sb)
            || (silenced_as_english(sa) && er_suffix(sb).is_some())
            || run.inside_an_acronym(k);
        let odds = edge_odds(run.piece(a.start, a.end), run.piece(b.start, b.end));
        match EDGE_BANDS.iter().position(|&least| odds >= least) {
            Some(band) => bands[usize::from(inside)][band].push(k),
            None => rest.push(k),
        }
    }
    // In each band, the places where the segmentation found a word's edge come before
    // those inside a piece of it: `สนาม|บ็อบสเลด` before `บ็อบ|สเลด`.
    for band in bands.into_iter().flatten() {
        let (edges, inside): (Vec<usize>, Vec<usize>) = band
            .into_iter()
            .partition(|k| boundaries.binary_search(k).is_ok());
        rungs.push(edges);
        rungs.push(inside);
    }
    rungs.retain(|rung| !rung.is_empty());
    for rung in &mut rungs {
        rung.sort_unstable();
    }
    rungs.push(rest);
    rungs
}

/// The `edge_odds` from which a place one of the ladder's rules ranks comes before the
/// places the same rule ranks with less likely edges (on the read titles, 246 → 237 split
/// words; 0.05, 0.02 and 0.2 gave 239, 240 and 238).
const LIKELY_EDGE: f32 = 0.1;

/// The `edge_odds` bands of syllable boundaries, likeliest first: a stretch too wide for
/// its box is cut in the first band with a place that fits. Each band holds odds down to
/// half the band before's (three bands a third apart, 0.15, 0.05, 0.015, ranked
/// `เอม|ปา` of `เอมปานาดา` with `เสิร์ฟ|เอม` before it, and a line took the furthest
/// that fitted: the read titles' splits 170 → 163 with halves, 162 to 164 with other
/// finer spacings tried).
const EDGE_BANDS: [f32; 6] = [0.48, 0.24, 0.12, 0.06, 0.03, 0.015];

/// The frequency class of a listed word the corpus never counted (class 0), from bound `i`
/// to bound `j`, made of two listed words it did count: the rarer part's, less
/// `COMPOUND_PENALTY`. The corpus counts most compounds as their words (`เปิด` `ตัว`, never
/// `เปิดตัว`), so class 0 says nothing of how common such a compound is. `words_at`: the
/// listed words from each bound (`segment`), complete from `i + 1` on.
fn compound_class(words_at: &[Vec<(usize, u8)>], i: usize, j: usize) -> u8 {
    words_at[i]
        .iter()
        .filter(|&&(k, a)| k < j && a > 0)
        .filter_map(|&(k, a)| {
            let b = words_at[k].iter().find(|&&(end, _)| end == j)?.1;
            (b > 0).then(|| a.min(b).saturating_sub(COMPOUND_PENALTY))
        })
        .max()
        .unwrap_or(0)
}

/// `edge_odds` below which two words that are not common are taken as one.
const SELDOM_EDGE: f32 = 0.025;

/// Which segmentation `segment` picks among those with the fewest unknown characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// The fewest words, then the most frequent (maximal matching).
    FewestWords,
    /// The most frequent words (a unigram model), then the fewest.
    MostLikely,
}

/// A character range of a run: a word or syllable, `known` when the list has it.
#[derive(Clone, Copy, Debug)]
struct Piece {
    start: usize,
    end: usize,
    known: bool,
    /// The piece's frequency class as a word, if it is one.
    class: Option<u8>,
}

/// A run cut into pieces; consecutive pieces no word covers (clusters no list has,
/// syllables that are no word) form one unknown piece.
struct Segmentation {
    pieces: Vec<Piece>,
}

impl Segmentation {
    fn boundaries(&self) -> Vec<usize> {
        self.pieces.iter().skip(1).map(|p| p.start).collect()
    }
}

/// A run of Thai letters with its clusters, words and syllables.
struct Analysed<'a> {
    chars: &'a [char],
    text: String,
    /// Byte offset of each character in `text`, and `text.len()` last.
    byte_at: Vec<usize>,
    /// Cluster boundaries, 0 and `chars.len()` included.
    clusters: Vec<usize>,
    /// The fewest-words segmentation.
    words: Segmentation,
    /// Syllables covering the run, none across a boundary between two known words.
    syllables: Vec<Piece>,
}

impl<'a> Analysed<'a> {
    fn new(chars: &'a [char]) -> Analysed<'a> {
        let n = chars.len();
        let text: String = chars.iter().collect();
        let mut byte_at = Vec::with_capacity(n + 1);
        byte_at.extend(chars.iter().scan(0, |b, c| {
            let at = *b;
            *b += c.len_utf8();
            Some(at)
        }));
        byte_at.push(text.len());
        let clusters = std::iter::once(0)
            .chain((1..n).filter(|&k| cluster_boundary(chars, k)))
            .chain(std::iter::once(n))
            .collect();
        let mut run = Analysed {
            chars,
            text,
            byte_at,
            clusters,
            words: Segmentation { pieces: Vec::new() },
            syllables: Vec::new(),
        };
        if n > 0 {
            run.words = run.segment(Choice::FewestWords, 0, n, true);
            run.syllables = run.syllabify();
        }
        run
    }

    /// `chars` taken as one known word, whatever the word list holds, and cut into its
    /// syllables (how the word lists' own entries are syllabified).
    fn one_word(chars: &'a [char]) -> Analysed<'a> {
        let mut run = Analysed::new(chars);
        run.words.pieces = vec![Piece {
            start: 0,
            end: chars.len(),
            known: true,
            class: None,
        }];
        run.syllables = run.syllabify();
        run
    }

    fn piece(&self, from: usize, to: usize) -> &str {
        &self.text[self.byte_at[from]..self.byte_at[to]]
    }

    /// Segments characters `lo..hi` (cluster boundaries) into dictionary words over
    /// cluster boundaries, choosing the fewest characters outside the dictionary and the
    /// syllable list, then `choice`; not into one word spanning it all unless `whole`.
    fn segment(&self, choice: Choice, lo: usize, hi: usize, whole: bool) -> Segmentation {
        let lexicon = &*WORD_LIST;
        let first = self.clusters.partition_point(|&b| b < lo);
        let last = self.clusters.partition_point(|&b| b <= hi);
        let bounds = &self.clusters[first..last];

        // best[i]: the cheapest segmentation of bounds[i].. to the end, as
        // (cost, next bound index, the first piece's class when it is a known entry),
        // where cost is (characters outside the lexicon, then words and rarity in
        // `choice`'s order).
        type Cost = (usize, u32, u32);
        let add = |(c, a, b): Cost, unknown: usize, rarity: u32| -> Cost {
            match choice {
                Choice::FewestWords => (c + unknown, a + 1, b + rarity),
                Choice::MostLikely => (c + unknown, a + rarity, b + 1),
            }
        };
        let m = bounds.len();
        let mut best: Vec<(Cost, usize, Option<u8>)> = vec![((0, 0, 0), m - 1, None); m];
        // lone[i]: the cheapest segmentation from bounds[i] begins with a lone consonant no
        // list covers, counted as an unknown character, which a listed word of several
        // syllables before it takes back (below).
        let mut lone = vec![false; m];
        // words_at[i]: the listed words from bounds[i], as (end bound index, class), for
        // `compound_class`: kept by the fewest-words choice only, which alone asks it.
        let rates_compounds = choice == Choice::FewestWords;
        let mut words_at: Vec<Vec<(usize, u8)>> =
            vec![Vec::new(); if rates_compounds { m } else { 0 }];
        for i in (0..m - 1).rev() {
            let from = bounds[i];
            // An unknown cluster, to the next bound.
            let unknown = bounds[i + 1] - from;
            // A lone consonant no list covers beside a listed word of several syllables is
            // an unknown syllable's final (`บาบากานูช` + `มะเขือ`) or first letter
            // (`ข้าวสาลี` + `สเปลต์`), not worse than a listed syllable across the word's
            // edge that leaves no letter uncovered (`ชมะ` + `เขือ`, `ลีส` + `เปลต์`): it
            // is counted as no unknown character. Not a letter that cannot close the
            // syllable before it (`ห` + `ลุย`, `ค` + `วอ`: the word after it is a piece of
            // a longer one).
            let single = unknown == 1 && is_consonant(self.chars[from]);
            let waived = single
                && closes_before(self.chars, from)
                && best[i + 1].2.is_some()
                && several_syllables(self.piece(bounds[i + 1], bounds[best[i + 1].1]));
            let mut pick = (
                add(
                    best[i + 1].0,
                    if waived { 0 } else { unknown },
                    u32::from(MAX_CLASS),
                ),
                i + 1,
                None,
            );
            let mut pick_lone = single && !waived && self.chars[from] != 'ห';
            let mut range = lexicon.starting_with(self.chars[from]);
            for j in i + 1..m {
                let found = lexicon.narrow(&mut range, self.piece(from, bounds[j]));
                if range.is_empty() {
                    break;
                }
                let allowed = whole || i > 0 || j < m - 1;
                // A listed syllable that is no word, as a piece no word covers but of
                // characters the lists know: a run no words cover whole is cut where its
                // syllables are, not into rare words that fit it across them (`ไทย`
                // `ลอง` + `ควอน`, never `ไท` `ยล` `องค` `วอน`; `ผ่าน` + `อเล็ก` `ซ่า`,
                // never `ผ่า` `นอ` `เล็ก` `ซ่า`). Rarer than any word.
                if found == Some(NOT_A_WORD) {
                    let cost = add(best[j].0, 0, u32::from(MAX_CLASS) + 1);
                    if allowed && cost < pick.0 {
                        pick = (cost, j, None);
                        pick_lone = false;
                    }
                    continue;
                }
                if let Some(class) = found.filter(|_| rates_compounds) {
                    words_at[i].push((j, class));
                }
                if let Some(class) = found.filter(|_| allowed) {
                    let rated = if rates_compounds && class == 0 {
                        compound_class(&words_at, i, j)
                    } else {
                        class
                    };
                    let mut cost = add(best[j].0, 0, u32::from(MAX_CLASS.saturating_sub(rated)));
                    if lone[j] && several_syllables(self.piece(from, bounds[j])) {
                        cost.0 -= 1;
                    }
                    if cost < pick.0 {
                        pick = (cost, j, Some(class));
                        pick_lone = false;
                    }
                }
            }
            best[i] = pick;
            lone[i] = pick_lone;
        }

        // Walk the chosen path; consecutive pieces no word covers form one piece.
        let mut pieces: Vec<Piece> = Vec::new();
        let mut i = 0;
        while i < m - 1 {
            let (_, j, class) = best[i];
            let known = class.is_some();
            match pieces.last_mut() {
                Some(p) if !p.known && !known => p.end = bounds[j],
                _ => pieces.push(Piece {
                    start: bounds[i],
                    end: bounds[j],
                    known,
                    class,
                }),
            }
            i = j;
        }
        Segmentation { pieces }
    }

    /// Cuts the run into syllables over its cluster boundaries: the fewest characters no
    /// listed syllable covers, then the fewest syllables, then the syllables most frequent
    /// as words (so `เท|ออก`, not `เทอ|อก`). A boundary between two known words is
    /// always a syllable boundary (`อัป·เดต|ระ·บบ`, never `เด|ตระ`); one next to an
    /// unknown piece need not be.
    fn syllabify(&self) -> Vec<Piece> {
        let bounds = &self.clusters;
        let m = bounds.len();
        let pieces = &self.words.pieces;
        // Whether bounds[i] is a boundary between two known words, or between a known
        // word of several syllables and a piece no word covers (`ข้าวสาลี` + `สเปลต์`, not
        // `ลีส` across it); but not after a lone letter that cannot close the syllable
        // before it, which begins the word's first (`ห` + `ลุยเซียนา`).
        let multi = |p: &Piece| p.known && several_syllables(self.piece(p.start, p.end));
        let hard: Vec<bool> = bounds
            .iter()
            .map(|&b| {
                let at = pieces.partition_point(|p| p.start < b);
                at > 0 && at < pieces.len() && pieces[at].start == b && {
                    let (l, r) = (&pieces[at - 1], &pieces[at]);
                    (l.known && r.known)
                        || multi(l)
                        || (multi(r) && (l.end - l.start > 1 || closes_before(self.chars, l.start)))
                }
            })
            .collect();
        let list = &*SYLLABLE_LIST;
        // best[i]: (unknown characters, syllables, rarity) of the cheapest cut of
        // bounds[i].., the next bound index, and the first syllable's class
        // (`NOT_A_WORD` included) when it is listed.
        let mut best = vec![((0usize, 0u32, 0u32), m - 1, None); m];
        for i in (0..m - 1).rev() {
            let (u, c, r) = best[i + 1].0;
            let width = bounds[i + 1] - bounds[i];
            let mut pick = ((u + width, c + 1, r + u32::from(MAX_CLASS)), i + 1, None);
            let mut range = list.starting_with(self.chars[bounds[i]]);
            for j in i + 1..m {
                if j > i + 1 && hard[j - 1] {
                    break;
                }
                let piece = self.piece(bounds[i], bounds[j]);
                let found = list.narrow(&mut range, piece).or_else(|| {
                    if self.chars[bounds[j] - 1] != THANTHAKHAT {
                        return None;
                    }
                    // Not where no syllable begins: at `อ` after a consonant or
                    // MAITAIKHU, the vowel of the syllable before (`บ็อกซ์` is no
                    // `บ็` + `อกซ์`), or at `ร ล ว` after a consonant, the second
                    // letter of a cluster (`เบลนด์` is no `เบ` + `ลนด์`).
                    let first = self.chars[bounds[i]];
                    let prev = bounds[i].checked_sub(1).map(|b| self.chars[b]);
                    let after_consonant = prev.is_some_and(is_consonant);
                    let inside = (first == 'อ' && (after_consonant || prev == Some(MAITAIKHU)))
                        || ("รลว".contains(first) && after_consonant);
                    silent_tail(piece)
                        .filter(|_| !inside)
                        .and_then(|s| list.get(s))
                        .map(|_| NOT_A_WORD)
                });
                if let Some(class) = found {
                    let as_word = if class == NOT_A_WORD { 0 } else { class };
                    let rarity = MAX_CLASS.saturating_sub(as_word);
                    let (u, c, r) = best[j].0;
                    let cost = (u, c + 1, r + u32::from(rarity));
                    if cost < pick.0 {
                        pick = (cost, j, found);
                    }
                }
                if range.is_empty() {
                    break;
                }
            }
            best[i] = pick;
        }
        let mut out: Vec<Piece> = Vec::new();
        // The start of a stretch with no vowel waiting for the syllable it begins.
        let mut onset: Option<usize> = None;
        let mut i = 0;
        while i < m - 1 {
            let (_, j, listed) = best[i];
            let known = listed.is_some();
            let (start, end) = (bounds[i], bounds[j]);
            // A stretch no syllable covers and with no vowel closes the syllable before it
            // (the list lacks `สตรีม`, `คลาวด์`, `สตาร์ท`: `สตรี` + `ม`, `คลา` + `วด์`,
            // `สตาร์` + `ท`), except an `ส` that begins an English cluster (`ส` + `ปีก`).
            let stretch = &self.chars[start..end];
            let vowelless = !known
                && stretch
                    .iter()
                    .all(|&c| is_consonant(c) || c == THANTHAKHAT || is_tone_mark(c));
            // After an open syllable too, where the two make no listed syllable (`ทาส`,
            // `บาส` are) and the letter after it begins an English `s` cluster with it:
            // `ท่า` + `สควอต`, `กีฬา` + `สเกเลตัน`, not `ท่าส`, `ฬาส`; but `เซส` + `ชัน`,
            // `ปิซ` + `ซ่า`.
            let second = first_letter(self.chars, end);
            let s_cluster = matches!(stretch, ['ส' | 'ซ'])
                && out.last().is_some_and(|p| {
                    let prev = &self.chars[p.start..p.end];
                    !is_open(prev)
                        || (!hard[j]
                            && j < m - 1
                            && second.is_some_and(|c| S_CLUSTER_SECOND.contains(c)))
                });
            // Nor a lone consonant after a closed syllable, before `ร ล ว`: it begins a
            // cluster (`จาก` + `ท` + `วิตช์` is `จาก` + `ทวิตช์`), having no vowel to close;
            // if it is a letter that begins clusters at all (`ย` and `ล` never do: `เว่ย` +
            // `ระบบ`, `เทรล` + `ร้อย`).
            let cluster_first = matches!(stretch, [c] if CLUSTER_FIRST.contains(*c))
                && matches!(self.chars.get(end), Some('ร' | 'ล' | 'ว'));
            let glide_cluster = cluster_first
                && out.last().is_some_and(|p| {
                    let prev = &self.chars[p.start..p.end];
                    !is_open(prev) && prev.last() != Some(&THANTHAKHAT)
                });
            // Nor a lone `ห` before a sonorant: `ห` is no final consonant, and written so it
            // leads the syllable after it (`สไตล์` + `หลุย`, as in `หลาย`, `หนึ่ง`).
            let leading_h = matches!(stretch, ['ห'])
                && matches!(self.chars.get(end), Some(c) if SONORANTS.contains(*c));
            // Nor after a syllable whose tail is a consonant and vowel silenced together
            // (`พันธุ์`, `ฤทธิ์`): that tail ends it, so what follows begins the next one
            // (`พันธุ์` + `อบิส`, not `พันธุ์อ` + `บิส`).
            let silenced_vowel = out.last().is_some_and(|p| {
                matches!(&self.chars[p.start..p.end], [.., v, THANTHAKHAT]
                    if !is_consonant(*v) && !is_tone_mark(*v))
            });
            // A syllable grown so is no word the list knows.
            match out.last_mut() {
                // A stretch waiting for its syllable grows by the first letter of a
                // cluster (`ส` + `ค` + `ริปต์`), rather than the syllable before it.
                _ if vowelless && cluster_first && onset.is_some() && !hard[j] && j < m - 1 => {}
                Some(prev)
                    if vowelless
                        && !s_cluster
                        && !glide_cluster
                        && !leading_h
                        && !silenced_vowel
                        && !hard[i]
                        && onset.is_none() =>
                {
                    prev.end = end;
                    prev.class = None;
                }
                _ if vowelless && !hard[j] && j < m - 1 && onset.is_none() => onset = Some(start),
                // A cluster with no vowel of its own and no word alone (`คร`) takes the `อ`
                // after it for its vowel: `ครอส`, never `คร` + `อส`.
                Some(prev)
                    if self.chars[start] == 'อ'
                        && !hard[i]
                        && onset.is_none()
                        && prev.class.is_none()
                        && matches!(&self.chars[prev.start..prev.end],
                            [c, 'ร' | 'ล' | 'ว'] if CLUSTER_FIRST.contains(*c)) =>
                {
                    prev.end = end;
                    prev.known &= known;
                }
                _ => {
                    let grown = onset.take();
                    out.push(Piece {
                        start: grown.unwrap_or(start),
                        end,
                        known,
                        class: listed.filter(|&c| c != NOT_A_WORD && grown.is_none()),
                    })
                }
            }
            i = j;
        }
        out
    }

    /// The two syllables that meet at character offset `k`, if one ends and one starts there.
    fn syllables_meeting(&self, k: usize) -> Option<(Piece, Piece)> {
        let at = self.syllable_at(k).filter(|&at| at > 0)?;
        Some((self.syllables[at - 1], self.syllables[at]))
    }

    /// The index of the syllable starting at character offset `k`, if one does.
    fn syllable_at(&self, k: usize) -> Option<usize> {
        let at = self.syllables.partition_point(|s| s.start < k);
        (self.syllables.get(at)?.start == k).then_some(at)
    }

    /// The boundaries between the dictionary words a word (`lo..hi`) is made of, when
    /// they cover it, into `rungs[depth]`; those between the words they are made of into
    /// the next rung, and so on: `ศาล|ยุติธรรม`, then `ยุติ|ธรรม`. Words of two syllables
    /// or fewer are left to the syllables.
    fn parts(&self, lo: usize, hi: usize, depth: usize, rungs: &mut Vec<Vec<usize>>) {
        // An English word spelt in Thai has syllables, not parts: `คาร์|โบ|นารา` are words
        // of the list by chance.
        if self.syllables_in(lo, hi).len() < 3 || self.is_loanword(lo, hi) {
            return;
        }
        let split = self.segment(Choice::FewestWords, lo, hi, false);
        let cuts = split.boundaries();
        // Syllables that happen to be words are no compound's parts: `แฟน|ตา|ซี`,
        // `ซา|ลา|เปา` are a loanword's syllables, told from a native compound of
        // one-syllable words (`ดาบ|สอง|คม`) by an open syllable among them, as
        // transliterations have.
        let syllables_only = split.pieces.iter().all(|p| self.syllable_count(*p) <= 1)
            && split
                .pieces
                .iter()
                .any(|p| is_open(&self.chars[p.start..p.end]));
        if split.pieces.iter().any(|p| !p.known)
            || syllables_only
            || cuts.is_empty()
            || cuts.iter().any(|&k| self.syllable_at(k).is_none())
        {
            return;
        }
        for piece in &split.pieces {
            self.parts(piece.start, piece.end, depth + 1, rungs);
        }
        if rungs.len() <= depth + 1 {
            rungs.resize(depth + 2, Vec::new());
        }
        // Two parts a corpus writes together (`ประเทศ` + `ไทย`: `COLLOCATIONS`) are cut a
        // level later, with the parts' own parts: `แห่ง|ประเทศไทย` first.
        for (w, &k) in split.pieces.windows(2).zip(&cuts) {
            let pair = (
                self.piece(w[0].start, w[0].end),
                self.piece(w[1].start, w[1].end),
            );
            rungs[depth + usize::from(collocated(pair.0, pair.1))].push(k);
        }
    }

    /// Whether a boundary the dictionary proposes at `k` falls inside a word after all:
    /// inside a syllable, or between two parts of one transliterated word. Thai spells
    /// English with silent letters (`-อร์`, `-ร์ม`, `-ส์`), and a part with one holds on to
    /// a neighbour that is foreign too (also silenced, or no word at all) or light (one
    /// open syllable, no tone mark, not a common word): `มิ|เรอร์|เลส`, `ทรานส์|ฟอร์เมอร์`,
    /// `อี|สปอร์ต`, but `ภาษี|คาร์บอน`, `ลำโพง|สปีกเกอร์`, and two known words only when
    /// one is light (`แพลตฟอร์ม|อีคอมเมิร์ซ` stay two). Thai also spells `-ing` and
    /// `-tion` in ways no native word pairs (`spelled_suffix`). A known word is judged as a
    /// whole, a stretch the dictionary does not know by its syllable at `k`.
    fn inside_a_word(&self, k: usize) -> bool {
        let Some((a, b)) = self.syllables_meeting(k) else {
            return true;
        };
        let Some((left, right)) = self.pieces_at(k) else {
            return false;
        };
        // A known word whose edge syllable reaches past it (`ส` + `ปีก` in `สปีกเกอร์`) was
        // matched by chance: judge the syllable.
        let side = |word: Piece, syllable: Piece| {
            if word.known && syllable.start >= word.start && syllable.end <= word.end {
                self.kind(word, true)
            } else {
                self.kind(syllable, false)
            }
        };
        let (ka, kb) = (side(left, a), side(right, b));
        // Two words with a dictionary's blessing stay two unless one is a light syllable.
        let holds = |kind: Kind| match (left.known, right.known) {
            (true, true) => kind == Kind::Light,
            _ => kind != Kind::Native,
        };
        let (sa, sb) = (&self.chars[a.start..a.end], &self.chars[b.start..b.end]);
        // An `-er` ends a word: not one the dictionary knows going on past it
        // (`แอนดรอยด์|เวอร์ชัน`, version).
        let ends_right = !right.known || b.end >= right.end;
        (ka == Kind::Silenced && holds(kb))
            || (kb == Kind::Silenced && holds(ka))
            || spelled_suffix(sa, sb)
            || (ka == Kind::Silenced && er_suffix(sb).is_some() && ends_right)
    }

    /// How `k` lies between two listed words that are one word the list lacks, if it
    /// does (`COLLOCATIONS`: `ทีม` + `ชาติ`, `โอน` + `เงิน`; `สาม` + `มิติ`).
    fn joined(&self, k: usize) -> Option<Joined> {
        let (l, r) = self.pieces_at(k)?;
        (l.known && r.known)
            .then(|| joined(self.piece(l.start, l.end), self.piece(r.start, r.end)))
            .flatten()
    }

    /// Whether a line had better not end at `k`, a boundary where one may: between two
    /// words of one syllable each, not both common (`COMMON`) and neither a function word
    /// (`FUNCTION_WORD`). A compound the lists lack (`แสง|เหนือ`, `จัด|ฟัน`) or a
    /// loanword whose syllables are Thai words (`ชิน|คัน|เซ็น`, `ดี|บัก`) lies across such a
    /// boundary eight times as often as across others: in the Thai test sets whose splits
    /// were read, 38 of 930 (4 %) against 30 of 6 065 (0.5 %). So too the edge of a stretch
    /// no word covers, or of a rare word shaped as a transliteration's piece ([`Weak`]),
    /// where it meets a word it could not take in: the word it does not know may go on
    /// across it (`[โพร]|มี·[ธีอุส]`, `สาร|พี|[ฟาส]`, `กัน|[พลา]`). On the read titles 8 of
    /// 431 such places lay inside a word (2 %). So too a place between two words neither of
    /// Thai origin (`thai_like`), one of them ending in an open syllable with no tone mark,
    /// a transliteration's shape (`กา|มา` of `อาตากามา`, `ไตร|กีฬา`, `คอม|บูชา`): 12 of 213
    /// such places that were no doubtful ones lay inside a word on the read titles (6 %),
    /// 19 of the 8 003 other sure ones (0.2 %). So too a place that another cut into as
    /// many listed words crosses (`overlapped`: `แม่|ค้าส่ง` or `แม่ค้า|ส่ง`), not a risky
    /// one. Layout ends no line at a doubtful place when as many lines can end elsewhere,
    /// or one line more where the box holds it, or a size smaller.
    ///
    /// `None` where a line may end without doubt; else whether the place is risky too
    /// (`Boundaries::risky`): both words rare ones of native shape, or neither of Thai
    /// origin (23 of 146 such doubtful places lay inside a word on the read titles, 16 %,
    /// against 67 of the 2 043 others, 3 %).
    ///
    /// [`Weak`]: Strength::Weak
    fn doubt(&self, k: usize) -> Option<bool> {
        use Strength::{Common, Rare};
        let (l, r) = self.pieces_at(k)?;
        let (sl, sr) = (self.strength(l), self.strength(r));
        // A function word is a sure edge, unless its syllable stands in loanwords as often
        // as in Thai ones (`มา`, `เรา`, `ก็`: not `thai_like`), as a stretch no word covers
        // takes it in (`held_back`): `ไตร|มา|ราน`, `ลาห์|มา|จุน`. On the read titles, a
        // word lay across 4 of the 19 places this made doubtful.
        let function = [l, r]
            .into_iter()
            .any(|p| p.class.is_some_and(|c| c >= FUNCTION_WORD) && self.thai_like(p));
        let doubtful = sl.loose()
            || sr.loose()
            || (self.syllable_count(l) <= 1
                && self.syllable_count(r) <= 1
                && !(sl == Common && sr == Common)
                && !function);
        let open = |p: Piece| is_open_unmarked(&self.chars[p.start..p.end]);
        if doubtful || (!function && (open(l) || open(r))) {
            // Neither word of Thai origin (`thai_like`): a loanword's syllables that the
            // list happens to have as words, or two words of one English compound.
            let foreign = !self.thai_like(l) && !self.thai_like(r);
            if doubtful || foreign {
                return Some((sl == Rare && sr == Rare) || foreign);
            }
        }
        // After a nominaliser a word begins in either cut (`การ|ประชุมสุดยอด` or
        // `การประชุม|สุดยอด`): a line may end there as it does in every segmenter's cut.
        let other_cut = l.known
            && r.known
            && !NOMINALISERS.contains(&self.piece(l.start, l.end))
            && (self.overlapped(l, r, k) || self.joined_across(l, r, k));
        other_cut.then_some(false)
    }

    /// Whether the letters of the two words meeting at `k` (`l` and `r`) also make two
    /// other listed words, one of them across `k`: the left word and the right one's start,
    /// or the left one's end and the right word (`แม่|ค้าส่ง` or `แม่ค้า|ส่ง`,
    /// `แผ่นดิน|เหนียว` or `แผ่น|ดินเหนียว`). Both cuts have as many words, so the
    /// fewest-words segmentation chose between them by the words' frequencies alone, and a
    /// word may lie across the one it chose: a doubtful place. On the read titles, a word
    /// lay across 3 of the 79 places this made doubtful (4 %, as across 3 % of the other
    /// doubtful ones and 0.2 % of the sure ones); it mended `แม่|ค้า` ×4 and split no word
    /// that was whole. It answers too for the pair of `joined_across` that ends the left
    /// word, on the same walk over the left word's prefixes.
    fn overlapped(&self, l: Piece, r: Piece, k: usize) -> bool {
        // Where the other cut's words meet: a place `e` inside the two words, not `k`, with
        // the letters from the left word's start to `e` a listed word and those from `e` to
        // the right word's end another (`แม่ค้า` + `ส่ง` against `แม่` + `ค้าส่ง`).
        let right = self.piece(r.start, r.end);
        self.prefixes(l.start, r.end).any(|(e, found)| {
            let listed = found.is_some_and(|class| class != NOT_A_WORD);
            (e != k && listed && word_class(self.piece(e, r.end)).is_some())
                // The pair the corpus writes together, the end of the left word and the
                // right word, across `k` (`joined_across`), found on the way.
                || (e < k && listed && {
                    let end = self.piece(e, k);
                    collocated(end, right) && word_class(end).is_some()
                })
        })
    }

    /// Whether a pair of listed words the corpus writes together (`COLLOCATIONS`) lies
    /// across `k`, where `l` and `r` meet: `l` and the start of `r`, the rest of `r` a
    /// listed word (`ใต้|น้ำไทย` against `ใต้น้ำ|ไทย`, under water, Thai: `ใต้` + `น้ำ` is
    /// one word to a hand-cut corpus). The other way round, the end of `l` and `r`, the
    /// rest of `l` a listed word (`สายธาร|น้ำแข็ง` against `สาย|ธารน้ำแข็ง`, a glacier), is
    /// found by `overlapped`, which walks the left word's prefixes already. The
    /// fewest-words segmentation does not see a compound the list lacks, so it took the cut
    /// with the longer word, and a word may lie across the place: a doubtful one. On the
    /// read titles, a word lay across 2 of the 64 places the two made doubtful (3 %, as
    /// across the other doubtful ones).
    fn joined_across(&self, l: Piece, r: Piece, k: usize) -> bool {
        let left = self.piece(l.start, l.end);
        begins_a_pair(left)
            && self.prefixes(k, r.end).any(|(e, found)| {
                found.is_some_and(|class| class != NOT_A_WORD)
                    && collocated(left, self.piece(k, e))
                    && word_class(self.piece(e, r.end)).is_some()
            })
    }

    /// The cluster boundaries `e` strictly inside `from..to`, each with what the word list
    /// has for the letters `from..e`, while some listed entry begins with them: found as
    /// `segment` finds words, by narrowing the prefix.
    fn prefixes(&self, from: usize, to: usize) -> impl Iterator<Item = (usize, Option<u8>)> + '_ {
        let lexicon = &*WORD_LIST;
        let mut range = lexicon.starting_with(self.chars[from]);
        let first = self.clusters.partition_point(|&c| c <= from);
        let last = self.clusters.partition_point(|&c| c < to);
        self.clusters[first..last.max(first)]
            .iter()
            .map_while(move |&e| {
                let found = lexicon.narrow(&mut range, self.piece(from, e));
                (!range.is_empty()).then_some((e, found))
            })
    }

    /// Whether `k` lies between the word `นัก` and a listed word after it: `นัก` makes a
    /// noun of the doer (`นักวิ่ง`, `นักพัฒนา`, `นักบอล`), one word whether the list has it
    /// or not (after an adjective, `ดีนัก`, it means "very": that costs a break
    /// opportunity, never a split word).
    fn after_an_agent_prefix(&self, k: usize) -> bool {
        self.pieces_at(k)
            .is_some_and(|(l, r)| self.piece(l.start, l.end) == "นัก" && r.known)
    }

    /// Whether a listed piece looks like an English word: spelt as only transliterations
    /// are, or not frequent in the corpus and made of syllables that stand mostly in
    /// English words (`english_like`).
    fn foreign(&self, p: Piece) -> bool {
        p.known
            && (spelled_as_english(&self.chars[p.start..p.end])
                || (p.class.unwrap_or(0) < COMMON && self.english_like(p)))
    }

    /// The dictionary's pieces meeting at `k`; one cut in two when `k` falls inside it (a
    /// compound's parts, each judged as a word of its own).
    fn pieces_at(&self, k: usize) -> Option<(Piece, Piece)> {
        let pieces = &self.words.pieces;
        let next = pieces.partition_point(|p| p.end <= k);
        match pieces.get(next) {
            Some(_) if k == 0 => None,
            Some(p) if p.start == k => Some((pieces[next - 1], *p)),
            Some(p) => {
                let part = |start, end| Piece {
                    start,
                    end,
                    class: word_class(self.piece(start, end)),
                    ..*p
                };
                Some((part(p.start, k), part(k, p.end)))
            }
            None => None,
        }
    }

    /// Whether the boundary at `k` is held back for want of evidence: the dictionary's
    /// words on both sides exist but neither can be trusted to be a word of its own there
    /// (see [`Strength`]). A line breaks only at trusted boundaries.
    fn held_back(&self, k: usize) -> bool {
        use Strength::*;
        let Some((left, right)) = self.pieces_at(k) else {
            return false;
        };
        let (l, r) = (self.strength(left), self.strength(right));
        // An unknown stretch takes in a one-syllable word on either side (`เรน` + `เดอริ่ง`,
        // `ยา` + `กิ` of `ทาโกยากิ`, `ซา` + `ญ่า` of `ลาซาญ่า`): what Thai writing glues to
        // an unknown syllable is most often part of the same word.
        // So does a chain of open syllables with no tone mark between them
        // (`โอ` + `มา` + `กา` + `เสะ`, `ปา` + `ตา` + `โก` + `เนีย`, `คุ` + `มา` + `โม` + `โตะ`):
        // Japanese, Spanish and Italian names are spelt so; native words taken in by mistake
        // cost a break opportunity, not a split word. So too a weak open syllable and an
        // open one beside it, a common word or not (`โพ` `ซิ` `ตา` `โน`, `วา` + `ดี` of
        // `วาดีรัม`). A function word whose syllables stand in Thai words (`thai_like`) is
        // never taken in: `ฮัมมุส|และ`, not `ฮัม|มุสและ`; `เปา|ทำ`.
        let one = |piece: Piece| self.syllable_count(piece) <= 1;
        let takeable = |piece: Piece| {
            one(piece)
                && !(piece.class.is_some_and(|c| c >= FUNCTION_WORD) && self.thai_like(piece))
        };
        let left_taken = takeable(left) && self.glued(left, false);
        let right_taken = takeable(right) && self.glued(right, true);
        let inside_unit = (l == Unknown && (r == Unknown || takeable(right)))
            || (r == Unknown && takeable(left))
            || (self.open_syllable(left)
                && self.open_syllable(right)
                && (left_taken
                    || right_taken
                    || (l == Weak && takeable(right))
                    || (r == Weak && takeable(left))));
        // At the edge of such a unit the boundary stands, unless the other side is weak too.
        // A weak piece (the shape of a transliteration's piece) holds on to a weak or rare
        // neighbour.
        let at_edge = l == Unknown || r == Unknown || left_taken || right_taken;
        // Two rare one-syllable words neither of which stands mostly in Thai words, and
        // neither with a silenced letter, whose syllable ends a loanword (`เพส` + `โต้`, not
        // `ลุ้น|แชมป์`): likelier one loanword's syllables than two words.
        let unthai = |p: Piece, s: Strength| {
            s == Rare
                && one(p)
                && !self.thai_like(p)
                && !self.chars[p.start..p.end].contains(&THANTHAKHAT)
        };
        // Two words both spelt as only transliterations are (`รูฟ|ท็อป`, `ท็อป|ฟอร์ม`), or
        // neither frequent in the corpus (a loanword listed with no count, `ไบโอ`, is
        // not) and made of syllables that stand mostly in English words
        // (`ปลั๊ก|อิน`, `สมาร์ต|โฮม`: `english_like`), may be one English compound written
        // together; Thai spelling cannot tell `open source` from `platform e-commerce`, so
        // neither breaks unless too wide (the ladder then cuts between the two first). So
        // too such a word beside a stretch no word covers whose syllables stand mostly in
        // English words (`กูเกิล` + `ชีตส์`, `ไมโครซอฟท์` + `ทีมส์`), or beside a word such
        // a stretch took in (`[เพอร์]` + `มา` + `คัลเจอร์`: on the read titles this held one
        // wrong opportunity and two right ones, `[เพนพอต]แทน|โปรแกรม`).
        (self.foreign(left) && self.foreign(right))
            || (self.foreign(left) && (r == Unknown || right_taken) && self.english_like(right))
            || ((l == Unknown || left_taken) && self.english_like(left) && self.foreign(right))
            || (unthai(left, l) && unthai(right, r))
            // A syllable silenced as English writes one (`คอร์`, `คาร์`, `แบรนด์`), and an
            // open syllable with no tone mark after it is most often its next syllable
            // (`คอร์` + `ตา` + `โด`, `คาร์` + `ตา` + `เฮนา`), a common word or not: held, at
            // the cost of a break before such a word (`ซอฟต์แวร์|มา`, which the ladder cuts
            // first when the line must break).
            || (silenced_as_english(&self.chars[left.start..left.end])
                && takeable(right)
                && self.open_syllable(right))
            || inside_unit
            || (at_edge && (l == Weak || r == Weak))
            || (!at_edge && ((l == Weak && matches!(r, Weak | Rare)) || (r == Weak && l == Rare)))
    }

    /// The dictionary's piece after `piece` (`rightwards`) or before it.
    fn neighbour(&self, piece: Piece, rightwards: bool) -> Option<Piece> {
        if rightwards {
            self.pieces_at(piece.end).map(|(_, r)| r)
        } else {
            self.pieces_at(piece.start).map(|(l, _)| l)
        }
    }

    /// Whether `piece` meets a stretch no word covers on its right (`rightwards`) or left,
    /// directly or through open one-syllable words with no tone mark (`open_syllable`).
    fn glued(&self, piece: Piece, rightwards: bool) -> bool {
        let mut at = piece;
        // Bounded: a chain of open syllables longer than a name is no name.
        for _ in 0..6 {
            match self.neighbour(at, rightwards) {
                Some(p) if self.strength(p) == Strength::Unknown => return true,
                Some(p) if self.open_syllable(p) => at = p,
                _ => return false,
            }
        }
        false
    }

    /// Whether every syllable of `piece` stands in words spelling English at least as
    /// often as the average syllable does (`english_share`): `ปลั๊ก` `อิน`, `สมาร์ต`
    /// `โฮม`, not `ยาน` or `ใจ`. A piece the syllables cut across (no syllable inside it) is no
    /// word to trust, and is taken as English: held, as a stretch no word covers is.
    fn english_like(&self, piece: Piece) -> bool {
        let base = ORIGIN_TABLE.1;
        self.shares(piece)
            .is_none_or(|mut s| s.all(|share| share >= base))
    }

    /// Whether every syllable of `piece` is a Thai one (`THAI_LIKE`): `ยาน`, `สำเร็จ`.
    fn thai_like(&self, piece: Piece) -> bool {
        self.shares(piece)
            .is_some_and(|mut s| s.all(|share| share < THAI_LIKE))
    }

    /// The `english_share` of each syllable of `piece`; none when no syllable lies
    /// inside it (the syllables cut across it).
    fn shares(&self, piece: Piece) -> Option<impl Iterator<Item = f32> + '_> {
        let syllables = self.syllables_in(piece.start, piece.end);
        (!syllables.is_empty()).then(|| {
            syllables
                .iter()
                .map(|y| english_share(self.piece(y.start, y.end)))
        })
    }

    /// Whether `piece` is one open syllable with no tone mark (`มา`, `โอ`, `ตา`).
    fn open_syllable(&self, piece: Piece) -> bool {
        let s = &self.chars[piece.start..piece.end];
        self.syllable_count(piece) == 1 && sounds_open(s) && !s.iter().any(|&c| is_tone_mark(c))
    }

    /// Whether the boundary at `k` lies between two words neither of which is common, where
    /// the word list says words seldom meet: `ดิส` begins 8 of its words and ends none, so
    /// `ดิส|เพลย์` is one word the list lacks rather than two it has.
    fn seldom_an_edge(&self, k: usize) -> bool {
        let (Some((left, right)), Some((a, b))) = (self.pieces_at(k), self.syllables_meeting(k))
        else {
            return false;
        };
        self.strength(left) != Strength::Common
            && self.strength(right) != Strength::Common
            && edge_odds(self.piece(a.start, a.end), self.piece(b.start, b.end)) < SELDOM_EDGE
    }

    /// Whether `k` falls inside an acronym spelt out in Thai: a run of two or more
    /// syllables that are the names of Latin letters (`ที|เอส|เอ็ม|ซี`, `โอ|แอล|อี|ดี`,
    /// `ที|วี`), at least one of them no Thai word (so `ดี` and `ที` alone stay words).
    fn inside_an_acronym(&self, k: usize) -> bool {
        let Some(at) = self.syllable_at(k).filter(|&at| at > 0) else {
            return false;
        };
        let letter = |i: usize| {
            let y = self.syllables[i];
            let s = self.piece(y.start, y.end);
            LETTER_NAMES
                .iter()
                .find(|(name, _)| *name == s)
                .map(|(_, word)| *word)
        };
        if letter(at - 1).is_none() || letter(at).is_none() {
            return false;
        }
        let first = (0..at)
            .rev()
            .take_while(|&i| letter(i).is_some())
            .last()
            .unwrap_or(at);
        let last = (at..self.syllables.len())
            .take_while(|&i| letter(i).is_some())
            .last()
            .unwrap_or(at);
        (first..=last).any(|i| letter(i) == Some(false))
    }

    /// Whether `k` follows an English prefix written as a word of its own by the list
    /// (`ซูเปอร์`, `มัลติ`, `ไซเบอร์`: see [`ENGLISH_PREFIXES`]) before a word that is not
    /// a common one: English writes `supercomputer` as one word, and Thai spells it
    /// `ซูเปอร์คอมพิวเตอร์`, so no line breaks after the prefix unless the whole does not
    /// fit (the ladder then breaks between the two first). Before a common word the prefix
    /// stands alone (`มินิ` `และ`).
    fn after_an_english_prefix(&self, k: usize) -> bool {
        let Some((left, right)) = self.pieces_at(k) else {
            return false;
        };
        self.english_prefix(left) && matches!(self.strength(right), Strength::Weak | Strength::Rare)
    }

    /// Whether `k` follows an English combining form ending in `-o`, spelt as Thai spells
    /// one (`เทอร์โม`, `พีโซ`, `[เฟอร์]โร`: two syllables or more, the last an open `โ`
    /// syllable with no tone mark, of English origin) and comes before a listed word of
    /// English origin (`อิเล็กทริก`): one English word (`thermoelectric`).
    fn after_a_combining_form(&self, k: usize) -> bool {
        let Some(at) = self.syllable_at(k).filter(|&at| at >= 2) else {
            return false;
        };
        let o = self.syllables[at - 1];
        let s = &self.chars[o.start..o.end];
        let o_open = match s {
            ['โ', _] => true,
            ['โ', c, 'ร' | 'ล' | 'ว'] => CLUSTER_FIRST.contains(*c),
            _ => false,
        };
        let Some((_, right)) = self.pieces_at(k) else {
            return false;
        };
        o_open
            && self.english_like(o)
            && self.english_like(self.syllables[at - 2])
            && right.known
            && self.syllable_count(right) >= 2
            && self.english_like(right)
    }

    /// Whether `piece` is an English prefix the list has as a word ([`ENGLISH_PREFIXES`]).
    fn english_prefix(&self, piece: Piece) -> bool {
        piece.known && ENGLISH_PREFIXES.contains(&self.piece(piece.start, piece.end))
    }

    /// Whether characters `lo..hi` spell one English word (`LOANWORDS`).
    fn is_loanword(&self, lo: usize, hi: usize) -> bool {
        LOANWORDS.get(self.piece(lo, hi)).is_some()
    }

    /// The syllables lying inside `lo..hi`.
    fn syllables_in(&self, lo: usize, hi: usize) -> &[Piece] {
        let first = self.syllables.partition_point(|y| y.start < lo);
        let n = self.syllables[first..]
            .iter()
            .take_while(|y| y.end <= hi)
            .count();
        &self.syllables[first..first + n]
    }

    /// How many syllables lie inside `piece`.
    fn syllable_count(&self, piece: Piece) -> usize {
        self.syllables_in(piece.start, piece.end).len()
    }

    /// How far a piece can be trusted to be a word of its own.
    fn strength(&self, piece: Piece) -> Strength {
        let aligned = |k: usize| k == self.chars.len() || self.syllable_at(k).is_some();
        if !piece.known || !aligned(piece.start) || !aligned(piece.end) {
            return Strength::Unknown;
        }
        let chars = &self.chars[piece.start..piece.end];
        let syllables = self.syllable_count(piece);
        // 0: listed with no corpus count; a long entry so is a compound or a loanword
        // added by hand, and trusted; but not two open syllables with no tone mark
        // (`ปุระ`, `ไปมา`), a transliteration's shape, as doubtful as one syllable is
        // beside a stretch no word covers (`เทม|ปุระ` of `เทมปุระ`, `ไปมา|เรีย` of `มาเรีย`).
        let class = piece.class.unwrap_or(0);
        let light = !chars.iter().any(|&c| is_tone_mark(c))
            && self
                .syllables_in(piece.start, piece.end)
                .iter()
                .all(|y| is_open(&self.chars[y.start..y.end]));
        let rare = class < COMMON && (syllables <= 1 || class != 0 || (light && syllables == 2));
        let shaped = if syllables <= 1 {
            light || silenced_as_english(chars)
        } else {
            light && class <= RARE_WORD
        };
        if rare && shaped {
            Strength::Weak
        } else if rare {
            Strength::Rare
        } else {
            Strength::Common
        }
    }

    /// What a piece (a dictionary word when `word`, else a syllable) looks like to
    /// `inside_a_word`.
    fn kind(&self, piece: Piece, word: bool) -> Kind {
        let s = &self.chars[piece.start..piece.end];
        if silenced_as_english(s) {
            return Kind::Silenced;
        }
        let class = piece.class;
        let first = self.syllables.partition_point(|y| y.start < piece.start);
        let one_syllable = self
            .syllables
            .get(first)
            .is_some_and(|y| y.end >= piece.end);
        if one_syllable && is_open_unmarked(s) && class.is_none_or(|c| c < COMMON) {
            Kind::Light
        } else if !word && class.is_none() {
            Kind::Foreign
        } else {
            Kind::Native
        }
    }
}

/// A syllable with a silenced letter after its final consonant (`ซองต์`, `ซอง` + `ต์`),
/// as the syllable without it: a silenced letter is never a syllable of its own, and the
/// syllable list lacks most such spellings of English words. `None` when `s` does not end
/// in a consonant silenced by THANTHAKHAT (alone or over SARA I or U) after another
/// consonant.
fn silent_tail(s: &str) -> Option<&str> {
    let mut rev = s.char_indices().rev();
    let (_, last) = rev.next()?;
    if last != THANTHAKHAT {
        return None;
    }
    let (mut at, mut c) = rev.next()?;
    if matches!(c, SARA_I | SARA_U) {
        (at, c) = rev.next()?;
    }
    let (_, before) = rev.next()?;
    (is_consonant(c) && is_consonant(before)).then_some(&s[..at])
}

/// Whether `s` silences a letter as Thai spells English (`เวอร์`, `คาร์`, `ทรานส์`,
/// `คลาวด์`, `ซอฟต์`, `ไฟน์`), not as it spells Pali and Sanskrit (`สรรค์`, `ภัณฑ์`,
/// `ศาสตร์`, `ยนต์`, `ประโยชน์`): the letters English endings silence, after a vowel for
/// `ร์`, after `ฟ ส ล` for `ต์ น์`, in a word with none of the letters only Pali and
/// Sanskrit words use.
fn silenced_as_english(s: &[char]) -> bool {
    let pali = |c: &char| "ฆฌญฎฏฐฑฒณธภศษฬ".contains(*c);
    if s.iter().any(pali) {
        return false;
    }
    s.windows(3).any(|w| match (w[0], w[1], w[2]) {
        (before, 'ร', THANTHAKHAT) => !is_consonant(before) || before == 'อ',
        (_, 'ส' | 'ซ' | 'ล' | 'ฟ' | 'ด' | 'ก' | 'จ', THANTHAKHAT) => true,
        ('ฟ' | 'ส' | 'ล', 'ต' | 'น', THANTHAKHAT) => true,
        _ => false,
    })
}

/// Whether a word is spelt as only transliterations are: a letter silenced the English
/// way (`silenced_as_english`), a short `o` written `็อ` (`ท็อป`), `ฟ` or `ซ` closing a
/// syllable (`รูฟ`, `ออฟฟิศ`, `ก๊าซ`: native words never end a syllable in either), or
/// the third or fourth tone mark on a closed syllable (`ปลั๊ก`, `บุ๊ก`).
fn spelled_as_english(s: &[char]) -> bool {
    let vowel_or_mark = |c: char| matches!(c, '\u{0E30}'..='\u{0E4E}');
    silenced_as_english(s)
        || matches!(s.last(), Some('ฟ' | 'ซ'))
        || s.windows(2).any(|w| match (w[0], w[1]) {
            (MAITAIKHU, 'อ') => true,
            ('ฟ' | 'ซ', next) => !vowel_or_mark(next) && !matches!(next, 'ร' | 'ล'),
            ('\u{0E4A}' | '\u{0E4B}', next) => is_consonant(next) && next != 'อ',
            _ => false,
        })
}

/// How a piece of a Thai run looks next to a possible loanword.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// It silences a letter as Thai spells English (`silenced_as_english`).
    Silenced,
    /// One open syllable with no tone mark, and not a common word (`มิ`, `อี`, `ฟี`).
    Light,
    /// No word on its own.
    Foreign,
    /// A word.
    Native,
}

/// Whether `b` is how Thai spells an English suffix after `a`: `-ing` or `-y` doubling the
/// consonant before it (`สตรีม|มิ่ง`, `เก็ต|ติ้ง`, `ช้อป|ปิ้ง`, `ฮ็อบ|บี้`), `-er`
/// (`ฟุต|เตอร์`, `ลิง|เกอร์`), `-tion` after an open syllable (`แฟ|ชั่น`, `เค|ชั่น`).
fn spelled_suffix(a: &[char], b: &[char]) -> bool {
    if let [c, SARA_I, rest @ ..] = b {
        let ing = matches!(rest, ['ง'] | ['\u{0E48}' | '\u{0E49}', 'ง']);
        if ing && !is_open(a) && a.last() == Some(c) {
            return true;
        }
    }
    // `-y` doubling the consonant before it too (`บ็อก|กี้`, `ฮ็อบ|บี้`, `ต็อกบก|กี`);
    // not a common word that happens to begin so (`คน|นี้`, `ทีม|มี`).
    if let [c, SARA_II, rest @ ..] = b {
        let y = matches!(rest, [] | ['\u{0E48}' | '\u{0E49}']);
        if y && !is_open(a) && a.last() == Some(c) {
            let word: String = b.iter().collect();
            return word_class(&word).is_none_or(|class| class < COMMON);
        }
    }
    if let Some(c) = er_suffix(b) {
        // `-er` is no word on its own, but `เบอร์` (number), `เซอร์`, `เวอร์` are.
        return !matches!(c, 'บ' | 'ซ' | 'ว') || a.last() == Some(&c);
    }
    matches!(b, ['ช' | 'ซ', MAI_HAN_AKAT, '\u{0E48}', 'น']) && is_open(a)
}

/// The consonant of a syllable spelling English `-er` (`เตอร์`, `เดอร์`, `เกอร์`), or
/// `-ers` (`เกอร์ส` of `ทรักเกอร์ส`, trucker's: no native syllable ends in `ร์ส`).
fn er_suffix(s: &[char]) -> Option<char> {
    match *s {
        ['เ', c, 'อ', 'ร', THANTHAKHAT] | ['เ', c, 'อ', 'ร', THANTHAKHAT, 'ส']
            if is_consonant(c) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// How far a piece can be trusted to be a word of its own (`Analysed::held_back`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strength {
    /// No dictionary word covers it, or the syllables cut across it (`บ` + `ราว` of
    /// `บราว`).
    Unknown,
    /// Rare, and shaped as Thai spells English: open syllables with no tone mark (`ซู`,
    /// `โด`, `นารา`), or a letter silenced the English way (`คาร์`). What the pieces of a
    /// transliteration look like to a Thai word list, and native words rarely do.
    Weak,
    /// Less frequent than [`COMMON`], native in shape.
    Rare,
    Common,
}

impl Strength {
    /// No more a word of its own than a transliteration's syllable is, or no word at all:
    /// a line had better not end beside it (`Analysed::doubt`), and two side by side are
    /// one stretch to the ladder (`ladder`).
    fn loose(self) -> bool {
        matches!(self, Strength::Weak | Strength::Unknown)
    }
}

/// The names of the Latin letters as Thai spells them in acronyms, and whether each is
/// also a common Thai word (`ดี` good, `ที` a turn, `ไอ` a cough, `คิว` a queue, `เจ`
/// vegetarian).
const LETTER_NAMES: [(&str, bool); 25] = [
    ("เอ", true),
    ("บี", false),
    ("ซี", false),
    ("ดี", true),
    ("อี", true),
    ("เอฟ", false),
    ("จี", true),
    ("เอช", false),
    ("ไอ", true),
    ("เจ", true),
    ("เค", false),
    ("แอล", false),
    ("เอ็ม", false),
    ("เอ็น", false),
    ("โอ", true),
    ("พี", false),
    ("คิว", true),
    ("อาร์", false),
    ("เอส", false),
    ("ที", true),
    ("ยู", false),
    ("วี", false),
    ("เอ็กซ์", false),
    ("วาย", true),
    ("แซด", false),
];

/// English prefixes as Thai spells them, each also listed as a word by the word list
/// (or spelt so in Thai writing), which begin one English word with what follows them:
/// `super-`, `multi-`, `cyber-`, `micro-`, `nano-`, `bio-`, `hydro-`, `hyper-`, `inter-`,
/// `mega-`, `ultra-`, `tele-`, `auto-`, `eco-`, `photo-`, `mini-`, `pre-`, `trans-`,
/// `poly-` (some in two spellings).
const ENGLISH_PREFIXES: [&str; 22] = [
    "ซูเปอร์",
    "มัลติ",
    "ไซเบอร์",
    "ไมโคร",
    "นาโน",
    "ไบโอ",
    "ไฮโดร",
    "ไฮเปอร์",
    "อินเตอร์",
    "อินเทอร์",
    "เมกะ",
    "เมกา",
    "อัลตรา",
    "อัลตร้า",
    "เทเล",
    "ออโต้",
    "อีโค",
    "โฟโต้",
    "มินิ",
    "พรี",
    "ทรานส์",
    "โพลี",
];

/// A word of two syllables or more is weak only when at most this frequent (class).
const RARE_WORD: u8 = 8;

/// Words at least this frequent (class) are never the light half of a loanword: `จะ`,
/// `และ`, `มา` stay words of their own before `เซิร์ฟเวอร์`.
const COMMON: u8 = 14;

/// Words at least this frequent (class: 2^17 times in the corpus) are function words
/// (`ที่`, `ได้`, `ใน`, `และ`, `ของ`): a line ends beside one without doubt.
const FUNCTION_WORD: u8 = 17;

/// A listed one-syllable word of Thai origin and native shape at least this frequent
/// (class) is sure beside a stretch no word covers, short of `COMMON`: the ladder cuts
/// between them before inside the stretch (`ปลูก|ฟิโลเดนดรอน`, `เน็ตฟลิกซ์|ครอง`). Rarer
/// ones are often a loanword's syllables (`มิต` of `อินเทอร์มิตเทนต์`, 7), or a word's
/// first syllable the list happens to have (at 10, `แอนโทรปิก` + `ระดม` was cut
/// `แอนโทรปิกระ|ดม`, `ดีปเฟก` + `หลอก` `ดีปเฟกห|ลอก`).
const SURE_THAI: u8 = 11;

fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{0E48}'..='\u{0E4B}')
}

/// Whether a syllable ends in its vowel and carries no tone mark: `มา`, `โอ`, `ซู`, not
/// `ที่` or `มาก`.
fn is_open_unmarked(s: &[char]) -> bool {
    is_open(s) && !s.iter().any(|&c| is_tone_mark(c))
}

/// Whether a syllable ends in its vowel (no final consonant): `มิ`, `ฟี`, `เค`, `แฟ`.
/// Not `ำ` (U+0E33, inside the vowels' block), which closes its syllable with `m`: `ทำ`
/// and `นำ` are closed, native words.
fn is_open(s: &[char]) -> bool {
    match s {
        [.., last] if matches!(*last, '\u{0E30}' | '\u{0E32}' | '\u{0E34}'..='\u{0E39}') => true,
        [lead, _] => is_leading_vowel(*lead),
        _ => false,
    }
}

/// Whether a syllable ends in its vowel (`is_open`), or in `อ` standing for the vowel
/// after its consonant: `กอ`, `ลอ`, `เธอ`. Transliterations chain such syllables as they
/// do `มา` and `โอ` (`ลอ·จิก`, and `กอ·นา` where `ลอจิกอนาไลเซอร์` is read wrongly);
/// Thai words of this shape (`จอ`, `พอ`) are too common to be light words of their own.
fn sounds_open(s: &[char]) -> bool {
    const O: char = '\u{0E2D}';
    is_open(s)
        || match s {
            ['\u{0E40}', c, O] | ['\u{0E40}', c, _, O] => is_consonant(*c),
            [c, O] | [c, _, O] => is_consonant(*c) && *c != O,
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `chars` with a `|` at each of `cuts` (ascending).
    fn marked(chars: &[char], cuts: impl IntoIterator<Item = usize>) -> String {
        let mut out = String::new();
        let mut at = 0;
        for b in cuts {
            out.extend(&chars[at..b]);
            out.push('|');
            at = b;
        }
        out.extend(&chars[at..]);
        out
    }

    fn split(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        marked(&chars, boundaries(&chars, &[]).at)
    }

    #[test]
    fn a_run_no_words_cover_is_cut_where_its_syllables_are() {
        // `ควอน` (quan-) and `อเล็ก` (Alex-) are listed syllables, no words: not rare
        // words that happen to fit across them (`ไท` `ยล` `องค` `วอน`, `ผ่า` `นอ` `เล็ก`).
        assert_eq!(split("ไทยลองควอนไทซ์"), "ไทย|ลองควอนไทซ์");
        assert_eq!(split("สั่งงานผ่านอเล็กซ่า"), "สั่งงาน|ผ่านอเล็กซ่า");
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
    fn loanwords_the_dictionary_lacks_stay_whole_by_their_shapes() {
        for (title, word) in [
            ("ลำโพงสปีกเกอร์ไร้สาย", "สปีกเกอร์"),
            ("ปรับแต่งเฮดเดอร์และฟุตเตอร์", "เฮดเดอร์"),
            ("ปรับแต่งเฮดเดอร์และฟุตเตอร์", "ฟุตเตอร์"),
            ("เขียนพาร์เซอร์ด้วยรัสต์", "พาร์เซอร์"),
            ("ลดขนาดบัฟเฟอร์ของลิงเกอร์", "ลิงเกอร์"),
            ("เทคนิคแคชชิ่งสำหรับเว็บ", "แคชชิ่ง"),
            ("ใช้โปรไฟเลอร์หาคอขวด", "ไฟเลอร์"),
        ] {
            assert_eq!(word_class(word), None, "{word} is in the dictionary");
            let parts = split(title);
            assert!(parts.split('|').any(|p| p.contains(word)), "{parts}");
        }
    }

    #[test]
    fn the_issues_loanwords_stay_whole_in_titles() {
        for (title, word) in [
            ("กล้องมิเรอร์เลสรุ่นใหม่", "มิเรอร์เลส"),
            ("โมเดลทรานส์ฟอร์เมอร์ขนาดใหญ่", "ทรานส์ฟอร์เมอร์"),
            ("ย้ายแอปขึ้นคอนเทนเนอร์บนเซิร์ฟเวอร์", "คอนเทนเนอร์"),
            ("ย้ายแอปขึ้นคอนเทนเนอร์บนเซิร์ฟเวอร์", "เซิร์ฟเวอร์"),
            ("ฟีเจอร์ใหม่ของบริการสตรีมมิ่งเพลง", "ฟีเจอร์"),
            ("ฟีเจอร์ใหม่ของบริการสตรีมมิ่งเพลง", "สตรีมมิ่ง"),
        ] {
            // Whole, if held with an English neighbour (`โมเดลทรานส์ฟอร์เมอร์`).
            let parts = split(title);
            assert!(parts.split('|').any(|p| p.contains(word)), "{parts}");
        }
    }

    #[test]
    fn what_the_dictionary_does_not_know_is_never_split() {
        // Transliterations whose syllables are rare words of their own, a known syllable
        // glued to an unknown one, a word the syllables cut across.
        for (title, word) in [
            ("วิธีเล่นซูโดกุให้ชนะ", "ซูโดกุ"),
            ("นาฬิกาไททาเนียมรุ่นใหม่", "ไททาเนียม"),
            ("ทาโกยากิร้านดัง", "ทาโกยากิ"),
            ("ลาซาญ่าผักโขม", "ลาซาญ่า"),
            ("บราวนี่ช็อกโกแลต", "บราวนี่"),
            ("เรนเดอริ่งภาพสามมิติ", "เรนเดอริ่ง"),
            // Open syllables with no tone mark chained to an unknown one.
            ("ร้านซูชิโอมากาเสะราคาเป็นมิตร", "โอมากาเสะ"),
            ("ตั้งโรงงานใหม่ที่คุมาโมโตะ", "คุมาโมโตะ"),
            ("แชร์ทริปปาตาโกเนีย", "ปาตาโกเนีย"),
            // `อ` as the vowel ends an open syllable too (`กอ` + `นา` + unknown `ไล`).
            ("ด้วยลอจิกอนาไลเซอร์", "อนาไลเซอร์"),
        ] {
            let parts = split(title);
            assert!(
                parts.split('|').any(|p| p.contains(word)),
                "{word} split: {parts}"
            );
        }
        // Native words, rare ones too, still break where the dictionary says; open ones
        // with no unknown stretch after them too.
        assert_eq!(split("ลำโพงสปีกเกอร์ไร้สาย"), "ลำโพง|สปีกเกอร์|ไร้สาย");
        assert_eq!(split("จะมาหาที่บ้าน"), "จะ|มาหา|ที่|บ้าน");
        // A common word of that shape is no light word holding its neighbours (`ร้อย` +
        // `หกสิบ`, a number the corpus writes together, is one).
        assert_eq!(split("โน้ตบุ๊กจอร้อยหกสิบ"), "โน้ตบุ๊ก|จอ|ร้อยหกสิบ");
    }

    #[test]
    fn a_word_ending_in_a_final_h_is_no_word() {
        // `เลห` (listed, a misspelling of `เล่ห์`) took the `ห` of `หน้า` from the unknown
        // `บรูเล`, and a line could end `บรูเลห|น้า`.
        assert_eq!(split("ครีมบรูเลหน้าไหม้"), "ครีมบรูเลหน้า|ไหม้");
        assert!(ends_in_a_final_h("เลห") && ends_in_a_final_h("สห"));
        assert!(!ends_in_a_final_h("โมโห") && !ends_in_a_final_h("แห") && !ends_in_a_final_h("ห"));
        // The compounds the stems stand in are listed words of their own.
        assert_eq!(split("สหรัฐอุณหภูมิโลหะ"), "สหรัฐ|อุณหภูมิ|โลหะ");
    }

    #[test]
    fn a_function_word_is_never_taken_into_a_stretch_no_word_covers() {
        // `มุส` (of hummus) is unknown; `และ` (and) is no syllable of it.
        assert_eq!(split("เสิร์ฟฮัมมุสและฟาลาเฟล").matches("มุส|และ").count(), 1);
        // An open syllable no function word still is (`ทาโก` + `ยา` + unknown `กิ`).
        assert!(!split("ทาโกยากิร้านดัง").contains("ยา|กิ"));
    }

    /// `s` with `|` at its opportunities and `¦` at the doubtful ones among them.
    fn doubts(s: &str) -> String {
        risks(s).replace('!', "¦")
    }

    #[test]
    fn a_place_another_cut_into_as_many_words_crosses_is_doubtful() {
        // `แม่|ค้าส่ง` (mother, wholesale) or `แม่ค้า|ส่ง` (a trader sends): two words
        // either way, so the frequencies chose, and a word may lie across the place.
        let trader = doubts("ช่วยแม่ค้าส่งของ");
        assert!(trader.contains("แม่¦ค้า"), "{trader}");
        // `แผ่นดิน|เหนียว` (land, sticky) or `แผ่น|ดินเหนียว` (a clay tablet).
        let clay = doubts("บนแผ่นดินเหนียว");
        assert!(clay.contains("ดิน¦เหนียว"), "{clay}");
        // No other cut of `ส่ง|ของ` into two listed words: a sure place.
        assert!(trader.contains("ส่ง|ของ"), "{trader}");
    }

    #[test]
    fn a_place_a_pair_the_corpus_writes_together_crosses_is_doubtful() {
        // `ใต้|น้ำไทย` (under, Thai water) or `ใต้น้ำ|ไทย` (Thai underwater hockey):
        // `ใต้` + `น้ำ` is one word to a hand-cut corpus, the list has only its parts.
        let hockey = doubts("ฮอกกี้ใต้น้ำไทย");
        assert!(hockey.contains("ใต้¦น้ำ"), "{hockey}");
        // `สายธาร|น้ำแข็ง` (stream, ice) or `สาย|ธาร` + `น้ำแข็ง` (a glacier), which the
        // corpus writes together.
        let glacier = doubts("รถไฟสายธารน้ำแข็ง");
        assert!(glacier.contains("ธาร¦น้ำ"), "{glacier}");
        // No pair the corpus writes across `กี้|ใต้`: a sure place.
        assert!(hockey.contains("กี้|ใต้"), "{hockey}");
    }

    #[test]
    fn a_boundary_between_two_short_words_not_both_common_is_doubtful() {
        // Two one-syllable words, not both common: a compound the lists lack (northern
        // lights), a loanword's syllables (debug).
        assert!(
            doubts("ล่าแสงเหนือ").contains("แสง¦เหนือ"),
            "{}",
            doubts("ล่าแสงเหนือ")
        );
        assert!(
            doubts("การดีบักแอป").contains("ดี¦บัก"),
            "{}",
            doubts("การดีบักแอป")
        );
        // Beside a function word, or between longer words, a line ends without doubt.
        let sure = doubts("ไปที่ร้านอาหารญี่ปุ่น");
        assert!(!sure.contains('¦'), "{sure}");
        assert!(sure.contains("ไป|ที่|ร้าน"), "{sure}");
        // But not beside one whose syllable stands in loanwords as often (`มา` of a
        // trimaran): as doubtful as the loanword's other syllables.
        let boat = doubts("เรือไตรมารานพาเที่ยว");
        assert!(boat.contains("ไตร¦มา¦ราน"), "{boat}");
        assert!(doubts("ร้านอาหารเปิดมาแล้ว").contains("เปิด|มา"));
    }

    /// `s` with `!` at its risky places, `¦` at its other doubtful ones, `|` at the rest.
    fn risks(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let found = boundaries(&chars, &[]);
        let mut out = String::new();
        for (k, c) in chars.iter().enumerate() {
            if found.risky.contains(&k) {
                out.push('!');
            } else if found.doubtful.contains(&k) {
                out.push('¦');
            } else if found.at.contains(&k) {
                out.push('|');
            }
            out.push(*c);
        }
        out
    }

    #[test]
    fn a_doubtful_place_between_two_rare_words_is_risky() {
        // Both rare (`แสง` `เหนือ`, `ชิน` `คัน`): a compound or a loanword's syllables
        // lies across 9 % of such places on the read titles, 3 % of the other doubtful ones.
        let found = risks("ล่าแสงเหนือ");
        assert!(found.contains("แสง!เหนือ"), "{found}");
        let found = risks("รถไฟชินคันเซ็น");
        assert!(found.contains("ชิน!คัน"), "{found}");
        // One side common (`ดี` of `ดีจัง`) and of Thai origin, or loose (`[พลา]`):
        // doubtful, no more.
        let found = risks("ดีจังเลย");
        assert!(found.contains("ดี¦จัง"), "{found}");
        let found = risks("สอนต่อโมเดลกันพลาสำหรับมือใหม่");
        assert!(!found.contains('!'), "{found}");
    }

    #[test]
    fn a_place_between_two_words_neither_of_thai_origin_is_doubtful_and_risky() {
        // `ดี` and `บัก` (`ดีบัก`, debug) both stand mostly in words spelling English:
        // a loanword's syllables lie across 16 % of such doubtful places on the read
        // titles, 3 % of the others.
        let found = risks("การดีบักแอป");
        assert!(found.contains("ดี!บัก"), "{found}");
        // No doubtful place before (`กีฬา` has two syllables). Neither word of Thai
        // origin, and one ends in an open syllable with no tone mark, a transliteration's
        // shape (`ไตร` of `ไตรกีฬา`, triathlon): doubtful now.
        let found = doubts("แข่งไตรกีฬา");
        assert!(found.contains("ไตร¦กีฬา"), "{found}");
    }

    #[test]
    fn the_edge_of_a_stretch_no_word_covers_is_doubtful() {
        // Gunpla (`กันพลา`): `กัน` is a word, `พลา` none; the name may go on across either
        // edge of what is not known, so a line had better end at neither.
        let s = doubts("สอนต่อโมเดลกันพลาสำหรับมือใหม่");
        assert!(s.contains("กัน¦พลา¦สำหรับ"), "{s}");
        // PFAS (`พีฟาส`): `พี` is a rare open syllable, shaped as a transliteration's piece.
        let s = doubts("นักวิจัยไทยพบสารพีฟาสในน้ำประปา");
        assert!(s.contains("สารพี¦ฟาส"), "{s}");
        // Between two words the list has and trusts, no doubt.
        assert!(s.contains("ไทย|พบ|สาร"), "{s}");
    }

    #[test]
    fn an_english_word_spelt_in_thai_is_no_compound_of_its_pieces() {
        // The transliteration dictionary knows `คาร์โบนารา` as one English word: too wide
        // for its box, it is cut between its syllables by where words end, not first into
        // the list's words it happens to hold (`คาร์|โบ|นารา`).
        let ladder = rungs("คาร์โบนารา");
        assert!(!ladder[0].contains("คาร์|โบ"), "{ladder:?}");
        // A one-syllable English word is not taken from it: `บราว` (brow) stays unknown,
        // held with `นี่` as the piece of `บราวนี่` it is in titles.
        assert!(LOANWORDS.get("บราว").is_some());
        assert!(word_class("บราว").is_none());
        assert!(word_class("คาร์โบนารา").is_some());
    }

    #[test]
    fn unknown_stretches_are_reported_and_likely_word_edges_lead_the_ladder() {
        let chars: Vec<char> = "บราวนี่ช็อกโกแลต".chars().collect();
        let spans = unknown_spans(&chars);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0], 0..4, "บราว: the syllables cut across ราว");
        // `ซูโดกุ` is held together; too wide for its box, it is cut where a word most
        // likely ends (`โด` ends words more often than `ซู` does), and inside the common
        // word `วิธี` only last.
        let rungs = rungs("วิธีเล่นซูโดกุ");
        let inside = |r: &String| r.contains("ซูโด|กุ") || r.contains("ซู|โด");
        let first = rungs.iter().position(inside).expect("a rung inside ซูโดกุ");
        assert!(rungs[first].contains("ซูโด|กุ"), "{rungs:?}");
        assert!(!rungs[first].contains("ซู|โด"), "{rungs:?}");
        assert!(
            rungs[first + 1..].iter().any(|r| r.contains("ซู|โด")),
            "{rungs:?}"
        );
        assert_eq!(rungs.last().unwrap(), "วิ|ธีเล่นซูโดกุ");
    }

    #[test]
    fn a_held_stretch_is_cut_beside_the_word_it_does_not_know_before_inside_it() {
        // `ควอลคอมม์` (Qualcomm) is in no list: the stretch `ของควอลคอมม์แรง` is held,
        // and too wide it is cut at the name's edges, beside the common words, first.
        let ladder = rungs("ของควอลคอมม์แรง");
        assert_eq!(ladder[0], "ของ|ควอลคอมม์|แรง", "{ladder:?}");
        // (Not beside a piece the list has by chance, `ยา` of `ไฮยาลูรอน`, `เซมิ` of
        // `เซมินาร์`: `loanwords_no_list_has_are_not_split_at_five_widths` holds those
        // titles to their counts.) `ใน` is open with no tone mark, as such pieces are, but
        // `ใ` is written in native words only.
        assert_eq!(rungs("ของควอลคอมม์ในจีน")[0], "ของ|ควอลคอมม์|ในจีน");
        // A whole listed word the silent letter held to the stretch is cut from it before
        // into its parts (`เฟรม|เวิร์ก`).
        assert_eq!(rungs("เฟรมเวิร์กฟรอนต์เอนด์")[0], "เฟรมเวิร์ก|ฟรอนต์เอนด์");
        // Beside a frequent one-syllable word of Thai origin too (`ปลูก`, class 12), before
        // inside the loanword (`ฟิโลเดนดร|อน`); not beside a rarer one, likelier a
        // loanword's syllable (`มิต` of `อินเทอร์มิตเทนต์`).
        let ladder = rungs("ปลูกฟิโลเดนดรอน");
        assert_eq!(ladder[0], "ปลูก|ฟิโลเดนดรอน", "{ladder:?}");
        let ladder = rungs("บนเน็ตฟลิกซ์ครอง");
        assert!(ladder[0].contains("ฟลิกซ์|ครอง"), "{ladder:?}");
        let ladder = rungs("อินเทอร์มิตเทนต์ฟาสติ้ง");
        assert!(!ladder[0].contains("มิต|เทนต์"), "{ladder:?}");
    }

    #[test]
    fn a_compound_the_corpus_never_counted_is_as_common_as_its_rarer_part() {
        // `เปิดตัว` has no corpus count (the corpus counts `เปิด` and `ตัว`); as the rarest
        // of words it lost to `เปิด` + the rare `ตัวโค` (`ตัว` + `โค`, counted 3 times), and
        // `โค` went with it: `เปิด|ตัวโค|แลบ`.
        assert_eq!(split("เปิดตัวโคแลบรุ่นใหม่"), "เปิดตัว|โคแลบ|รุ่นใหม่");
        assert!(split("เปิดตัวโคเด็กซ์").starts_with("เปิดตัว"));
    }

    fn syllables(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let run = Analysed::new(&chars);
        run.syllables
            .iter()
            .map(|y| run.piece(y.start, y.end).to_string())
            .collect()
    }

    #[test]
    fn of_two_places_a_rule_ranks_alike_the_likelier_edge_is_cut_first() {
        // `ฟอสซิล|ไทรเซราทอปส์`: the place after `ฟอสซิล` and the one after `ไทร` (banyan, a
        // listed word) are both edges of what the list knows; `เซ` seldom begins a word,
        // so a line that must break inside cuts after `ฟอสซิล` first.
        assert_cut_before("ฟอสซิลไทรเซราทอปส์สมบูรณ์", "ฟอสซิล|ไทร", "ไทร|เซรา");
    }

    #[test]
    fn a_lone_letter_beside_a_word_of_several_syllables_leaves_the_word_whole() {
        // `บาบากานูช` (baba ghanoush) + `มะเขือ`: the `ช` closes `นูช`; it is no `ชมะ` that
        // left `เขือ` alone and `มะเขือ` cut.
        let dip = syllables("บาบากานูชมะเขือม่วง");
        assert_eq!(dip[3..], ["นูช", "มะ", "เขือ", "ม่วง"], "{dip:?}");
        // `ข้าวสาลี` + `สเปลต์` (spelt): the `ส` begins the stretch no word covers, it does
        // not close `ลีส` across the word's edge.
        assert_eq!(syllables("ข้าวสาลีสเปลต์"), ["ข้าว", "สา", "ลี", "สเปลต์"]);
        let spelt: Vec<char> = "ข้าวสาลีสเปลต์".chars().collect();
        assert_eq!(unknown_spans(&spelt), vec![8..spelt.len()]);
        // `ฮอลแลนด์` + `ลอป`: the `ล` after the listed name begins `ลอป`.
        assert_eq!(syllables("กระต่ายฮอลแลนด์ลอป")[3..], ["แลนด์", "ลอป"]);
        // Not a letter that cannot close the syllable before it: `ห` leads `หลุย`, whatever
        // the list has after it.
        assert!(syllables("สไตล์หลุยเซียนา").contains(&"หลุย".to_string()));
    }

    #[test]
    fn a_syllable_whose_silenced_tail_has_a_vowel_takes_no_letter_after_it() {
        // `ธุ์` ends `พันธุ์`: the lone `อ` after it begins `อบิส` (Abyssinian), it does
        // not close `พันธุ์`. A silenced consonant alone still takes a final after it
        // (`สตาร์` + `ท`).
        let cat = syllables("พันธุ์อบิสซิเนียน");
        assert_eq!(cat[..2], ["พันธุ์", "อบิส"], "{cat:?}");
        assert!(syllables("สตาร์ทอัพ").contains(&"สตาร์ท".to_string()));
    }

    #[test]
    fn only_a_letter_that_begins_clusters_begins_one_before_r_l_w() {
        // `ย` and `ล` begin no cluster: they close the syllable before (`เว่ย`, `เทรล`), and
        // the syllables of the listed word after stay its own (`ระ` `บบ`, not `ยระ` `บบ`).
        assert_eq!(syllables("หัวเว่ยระบบ"), ["หัว", "เว่ย", "ระ", "บบ"]);
        assert_eq!(syllables("เทรลร้อยไมล์"), ["เทรล", "ร้อย", "ไมล์"]);
        assert_eq!(split("หัวเว่ยระบบ"), "หัวเว่ย|ระบบ");
        // A cluster's first letter after an `ส` waiting for its vowel joins it, not the
        // syllable before both: `สคริปต์`, never `ไทป์สค` (and no syllable overlaps another).
        assert_eq!(syllables("เรียนไทป์สคริปต์"), ["เรียน", "ไทป์", "สคริปต์"]);
        // A stretch with `อ` for its vowel is a syllable of its own still.
        assert_eq!(syllables("วอตส์แอปป์"), ["วอตส์", "แอปป์"]);
        // `จ` and a leading `ห` are written before `ร ล ว` (`จริง`, `หรือ`).
        assert_eq!(syllables("จรวดจรี"), ["จรวด", "จรี"]);
    }

    #[test]
    fn a_lone_h_before_a_sonorant_leads_the_syllable_after_it() {
        // `ห` is no final consonant: after a closed syllable, even one silenced with `์`,
        // it is the leading `ห` of the next (`หลุย`), never the last letter of `สไตล์ห`.
        assert_eq!(syllables("สไตล์หลุย")[0], "สไตล์");
        let spans = unknown_spans(&"สไตล์หลุยเซียนา".chars().collect::<Vec<_>>());
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0], 5..15, "หลุยเซียนา, held whole");
        // So in a listed word: `กั้น` + `หยั่น`, once counted as `กั้นห` + `ยั่น`.
        assert_eq!(syllables("กั้นหยั่น"), ["กั้น", "หยั่น"]);
    }

    #[test]
    fn a_vowel_written_only_closed_keeps_the_consonant_after_it() {
        // `◌็อ` and `เ◌ิ` are always closed: the consonant after them is their final
        // (`บ็อบ` + `สเลด`, `เดิล` + `กลิ่น`), though the syllable list lacks both.
        assert_eq!(syllables("สนามบ็อบสเลด"), ["สนาม", "บ็อบ", "สเลด"]);
        assert_eq!(syllables("ดูเดิลกลิ่น"), ["ดู", "เดิล", "กลิ่น"]);
        // After two consonants `เ` may be the first's: `เซ` + `มิ`, `เพ` + `ริ`.
        assert_eq!(syllables("เซมิคอน")[..2], ["เซ", "มิ"]);
        // A cluster with no vowel takes the `อ` after it for its vowel: `ครอส`, not
        // `คร` + `อส`.
        assert_eq!(syllables("ไซโคลครอส"), ["ไซ", "โคล", "ครอส"]);
    }

    #[test]
    fn an_s_after_an_open_syllable_begins_an_english_cluster() {
        assert_eq!(syllables("ท่าสควอต"), ["ท่า", "สควอต"]);
        assert_eq!(syllables("นักกีฬาสเกเลตัน")[..4], ["นัก", "กี", "ฬา", "สเก"]);
        // Not before a letter no English `s` cluster has (`เซส` + `ชัน`), nor where the
        // two make a listed syllable (`ทาส` + `เก่า`).
        assert_eq!(syllables("เซสชัน"), ["เซส", "ชัน"]);
        assert_eq!(syllables("ทาสเก่า"), ["ทาส", "เก่า"]);
    }

    #[test]
    fn a_letter_silenced_after_a_final_consonant_is_part_of_its_syllable() {
        // `ซองต์` is `ซอง` with a silenced `ต์`, though the syllable list lacks it: so the
        // two listed words `ครัวซองต์` and `อัลมอนด์` are found, and cut between first.
        assert_eq!(rungs("ครัวซองต์อัลมอนด์")[0], "ครัวซองต์|อัลมอนด์");
        // Not where `อ` is the vowel of the consonant before, nor at the second letter of
        // a cluster: `บ็อกซ์` and `เบลนด์` are one syllable each.
        for word in ["บ็อกซ์", "เบลนด์"] {
            assert_eq!(syllables(word), [word]);
        }
    }

    #[test]
    fn maitaikhu_before_o_is_the_short_o_of_one_syllable() {
        // `ต็อก` is one syllable the list lacks (`ต็อกบกกี`, tteokbokki), not `ต็` + `อก`.
        assert_eq!(syllables("ต็อกบกกี")[0], "ต็อก");
        for word in ["ช็อป", "พ็อป", "หย็อง"] {
            assert_eq!(syllables(word), [word]);
        }
        // `ก็` (also) is a word of its own before a word that begins with `อ`.
        assert_eq!(split("ก็อยู่"), "ก็|อยู่");
        assert_eq!(syllables("ก็ออก"), ["ก็", "ออก"]);
    }

    #[test]
    fn acronyms_spelt_out_in_thai_stay_whole() {
        assert_eq!(split("ของทีเอสเอ็มซี"), "ของ|ทีเอสเอ็มซี");
        assert!(split("จอโอแอลอีดี").ends_with("โอแอลอีดี"));
        assert_eq!(split("ดูทีวี"), "ดู|ทีวี");
        // Too wide, an acronym is cut last, after the word boundaries around it.
        let ladder = rungs("ของทีเอสเอ็มซีใหม่");
        assert!(!ladder[0].contains("ที|เอส"), "{ladder:?}");
        // Letters that are Thai words, with no other letter, are words.
        assert_eq!(split("ดีที่สุด"), "ดี|ที่สุด");
    }

    /// `s` with a `|` at each break opportunity the line breaker gives (ICU's boundaries
    /// included, which the compound rule needs).
    fn opportunities(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let cuts = crate::render::breaks::break_opportunities(s, None)
            .into_iter()
            .filter(|&b| b > 0 && b < s.len())
            .map(|b| s[..b].chars().count());
        marked(&chars, cuts)
    }

    #[test]
    fn a_place_name_is_one_word() {
        // `ดำเนินสะดวก` (a district, of floating-market fame) is two listed words, `ดำเนิน`
        // (to proceed) and `สะดวก` (convenient), and was broken between them; as a place
        // name it is one word.
        assert_eq!(
            opportunities("เที่ยวดำเนินสะดวกคนแน่น"),
            "เที่ยว|ดำเนินสะดวก|คน|แน่น"
        );
        // The names are sorted, Thai letters only, and none is a listed word.
        let names = words_beside_the_list(PLACE_NAMES, std::iter::empty());
        assert!(names.len() > 2000);
    }

    /// The lines of a list merged into `WORD_LIST` beside the listed words, checked as
    /// `merged` needs them: sorted, Thai letters only, and none a listed word or one of
    /// `others` (each would otherwise be looked up twice, with two classes).
    fn words_beside_the_list(list: &str, others: impl Iterator<Item = &'static str>) -> Vec<&str> {
        let words: Vec<&str> = list.lines().collect();
        assert!(words.is_sorted());
        assert!(words.iter().all(|w| w.chars().all(is_thai_letter)));
        let listed: std::collections::HashSet<&str> =
            listed_words().map(|(w, _)| w).chain(others).collect();
        assert!(words.iter().all(|w| !listed.contains(w)));
        words
    }

    #[test]
    fn a_word_running_text_holds_is_one_word() {
        // `พาราลิมปิก` and `ซอฟต์พาวเวอร์` are in no list: `[ลิมปิก]` was a stretch no word
        // covers, held with its neighbours as one unit from `นัก` to `ไทย` that a narrow
        // box cut first at `พารา|ลิมปิก`; `[ซอฟต์]` a stretch beside `พาว`. The news of the
        // corpora holds each as one word in many contexts.
        assert_eq!(opportunities("นักกีฬาพาราลิมปิกไทย"), "นักกีฬา|พาราลิมปิก|ไทย");
        assert_eq!(
            opportunities("เปิดตัวซอฟต์พาวเวอร์ไทย"),
            "เปิดตัว|ซอฟต์พาวเวอร์|ไทย"
        );
        // Sorted, Thai letters only, none a listed word or a place name, and at least
        // two syllables' worth.
        let mined = words_beside_the_list(MINED_WORDS, PLACE_NAMES.lines());
        assert!(mined.len() > 500);
        assert!(mined.iter().all(|w| w.chars().count() >= 3));
    }

    #[test]
    fn a_listed_compound_stays_whole_where_both_segmentations_agree() {
        assert_eq!(opportunities("ข่าวเปิดตัวแล้ว"), "ข่าว|เปิดตัว|แล้ว");
        assert_eq!(opportunities("รุ่นใหม่จาก"), "รุ่นใหม่|จาก");
        // Where they disagree (`ต่อหัว|ใจจริง` against `ต่อ|หัวใจ|จริง`), the likelier
        // words' boundaries stand, and the fewest-words one does not cut a word the
        // corpus counts often into compounds it never counted.
        assert_eq!(opportunities("ต่อหัวใจจริง"), "ต่อ|หัวใจ|จริง");
        // A longer compound the list holds stays whole too, though its parts are the
        // likelier words and ICU breaks between them (`ยอด|นิยม`); not after a
        // nominaliser.
        assert_eq!(opportunities("แบรนด์ยอดนิยม"), "แบรนด์|ยอดนิยม");
        assert_eq!(opportunities("แนะนำร้านอาหาร"), "แนะนำ|ร้านอาหาร");
        assert_eq!(opportunities("การประชุม"), "การ|ประชุม");
        // Unless the corpus counts the noun `การ` makes as one word; and the noun `ความ`
        // makes is one word.
        assert_eq!(opportunities("เด็กทำการบ้าน"), "เด็ก|ทำการบ้าน");
        assert_eq!(opportunities("ความปลอดภัย"), "ความปลอดภัย");
        // Nor the doer `นัก` makes, listed or not (`นักวิ่ง` is not).
        assert_eq!(opportunities("นักวิ่งไทย"), "นักวิ่ง|ไทย");
    }

    #[test]
    fn an_english_prefix_begins_one_word_with_what_follows() {
        assert_eq!(split("ซูเปอร์คอมพิวเตอร์ใหม่"), "ซูเปอร์คอมพิวเตอร์|ใหม่");
        // Two words of English origin (`english_like`) side by side are held too, and
        // cut between them before after the prefix.
        assert_eq!(split("เกมซูเปอร์ฮีโร่"), "เกมซูเปอร์ฮีโร่");
        assert_eq!(rungs("เกมซูเปอร์ฮีโร่")[0], "เกม|ซูเปอร์ฮีโร่");
        // Too wide, it is cut after the prefix first.
        assert_eq!(rungs("ซูเปอร์คอมพิวเตอร์")[0], "ซูเปอร์|คอมพิวเตอร์");
        // Before a common word the prefix is a word of its own.
        assert_eq!(split("มินิและ"), "มินิ|และ");
    }

    #[test]
    fn two_words_spelt_as_transliterations_are_held_and_cut_between_first() {
        // `roof top`, `top form`: known words, each spelt as only loanwords are.
        assert_eq!(split("บาร์บนรูฟท็อป"), "บาร์|บน|รูฟท็อป");
        // `ทีม` (team) is spelt as a Thai word would be, but its syllable stands mostly in
        // English words (`english_like`): held, and cut there first.
        assert_eq!(split("ทีมท็อปฟอร์ม"), "ทีมท็อปฟอร์ม");
        assert_eq!(rungs("ทีมท็อปฟอร์ม")[0], "ทีม|ท็อปฟอร์ม");
        // Spelling cannot tell a compound from two English words side by side: held too,
        // and too wide, cut between the two listed words before inside either.
        assert_eq!(split("แพลตฟอร์มอีคอมเมิร์ซ"), "แพลตฟอร์มอีคอมเมิร์ซ");
        assert_eq!(rungs("แพลตฟอร์มอีคอมเมิร์ซ")[0], "แพลตฟอร์ม|อีคอมเมิร์ซ");
        // So is such a word beside a stretch no word covers, made of English syllables:
        // `Google Sheets`, `Microsoft Teams`.
        assert_eq!(split("กูเกิลชีตส์สำหรับทีม"), "กูเกิลชีตส์|สำหรับ|ทีม");
        assert_eq!(split("ไมโครซอฟท์ทีมส์ประชุม"), "ไมโครซอฟท์ทีมส์|ประชุม");
        // Native words are spelt otherwise and keep their boundaries (`ริม` + `ทาง` is one
        // word by the national corpus's own word cutting).
        assert_eq!(split("ร้านกาแฟริมทาง"), "ร้านกาแฟ|ริมทาง");
        for (word, english) in [
            ("รูฟ", true),
            ("ท็อป", true),
            ("ปลั๊ก", true),
            ("ออฟฟิศ", true),
            ("ก๊าซ", true),
            ("ฟัน", false),
            ("ซ่อม", false),
            ("ฟ้า", false),
            // (a Teochew loan: `ก๋วยเตี๋ยว`)
            ("ก๋วย", true),
            ("แก้ว", false),
        ] {
            let chars: Vec<char> = word.chars().collect();
            assert_eq!(spelled_as_english(&chars), english, "{word}");
        }
    }

    #[test]
    fn words_whose_syllables_stand_in_english_words_are_held_together() {
        // `อิน`, `โฮม`, `คีย์` are spelt as Thai words may be, but the words their syllables
        // stand in mostly spell English: two such words, or one beside a word spelt as only
        // transliterations are, are one English compound as likely as two words.
        for (title, words) in [
            ("ติดตั้งปลั๊กอินใหม่", "ติดตั้ง|ปลั๊กอิน|ใหม่"),
            ("ระบบสมาร์ตโฮมใหม่", "ระบบ|สมาร์ตโฮม|ใหม่"),
            ("ใช้พาสคีย์แทน", "ใช้|พาสคีย์|แทน"),
            // A loanword listed with no corpus count is no common word (`ไบโอ`, `ดิสนีย์`).
            ("กินโปรไบโอติก", "กิน|โปรไบโอติก"),
            ("ดิสนีย์ซีเปิด", "ดิสนีย์ซี|เปิด"),
            // A Thai word keeps its boundary with one (`ลาว`; `ทีม` + `ชาติ` is one word
            // by the corpus's collocations).
            ("ทีมชาติลาว", "ทีมชาติ|ลาว"),
        ] {
            assert_eq!(split(title), words);
        }
        for (syllable, english) in [
            ("อิน", true),
            ("โฮม", true),
            ("ชิป", true),
            ("ไทย", false),
            ("ยาน", false),
            ("ใจ", false),
        ] {
            assert_eq!(
                english_share(syllable) >= ORIGIN_TABLE.1,
                english,
                "{syllable}"
            );
        }
        assert!(english_share("ยาน") < THAI_LIKE && english_share("ใจ") < THAI_LIKE);
        // Too wide, such a stretch is cut where a Thai word meets an English one
        // (`ยาน`, a craft) before between the English ones.
        assert_eq!(rungs("ยานสตาร์ชิป")[0], "ยาน|สตาร์ชิป");
    }

    #[test]
    fn a_held_stretch_is_cut_between_listed_words_not_inside_a_loanword() {
        // `ฮาร์ดแวร์|โอเพนซอร์ส`: two listed words meet; `โอเพน|ซอร์ส` is inside one.
        let ladder = rungs("ฮาร์ดแวร์โอเพนซอร์ส");
        assert_eq!(ladder[0], "ฮาร์ดแวร์|โอเพนซอร์ส", "{ladder:?}");
        // `เวอร์` begins `เวอร์ชัน` (version) here, not an `-er` ending `แอนดรอยด์เวอร์`.
        let ladder = rungs("ในแอนดรอยด์เวอร์ชัน");
        assert_eq!(ladder[0], "ในแอนดรอยด์|เวอร์ชัน", "{ladder:?}");
        // A held stretch is cut where it meets a native word (`ไส้`, a filling) before its
        // loanword (`ลาวา`) is; of the two edges, the likelier by the syllables either side
        // first.
        let ladder = rungs("ซาลาเปาไส้ลาวา");
        assert_eq!(ladder[0], "ซาลาเปา|ไส้ลาวา", "{ladder:?}");
        assert_cut_before("ซาลาเปาไส้ลาวา", "ไส้|ลาวา", "ลา|วา");
        // A loanword's syllables that happen to be Thai words (`แฟน`, `ตา`, `ซี`) are
        // not its parts: no rung of compound parts cuts `แฟนตาซี` into all three; its
        // syllable boundaries are ranked one by one by where words end.
        let ladder = rungs("เกมแฟนตาซี");
        assert!(ladder.iter().all(|r| !r.contains("แฟน|ตา|ซี")), "{ladder:?}");
    }

    #[test]
    fn silent_letters_of_pali_words_and_known_neighbours_glue_nothing() {
        assert_eq!(split("ภาษีคาร์บอน"), "ภาษี|คาร์บอน");
        assert_eq!(split("สร้างสรรค์ผลิตภัณฑ์ใหม่"), "สร้างสรรค์|ผลิตภัณฑ์|ใหม่");
        assert_eq!(split("และเซิร์ฟเวอร์"), "และ|เซิร์ฟเวอร์");
        // `-ing` doubles the consonant before it; a native word does not.
        assert_eq!(split("เกมมิ่ง"), "เกมมิ่ง");
        // (`เท` is rare and light, so the line does not break there either; but it is the
        // first place to cut, not a syllable boundary inside a word.)
        assert_eq!(split("เททิ้ง"), "เททิ้ง");
        assert_eq!(rungs("เททิ้ง")[0], "เท|ทิ้ง");
        // `เบอร์` (number) is a word of its own.
        assert_eq!(split("ขอเบอร์"), "ขอ|เบอร์");
    }

    fn rungs(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        ladder(&chars)
            .into_iter()
            .map(|rung| marked(&chars, rung))
            .collect()
    }

    /// Fails unless the ladder of `s` cuts at `first` (a cut shown as `a|b`) on an
    /// earlier rung than at `later`.
    fn assert_cut_before(s: &str, first: &str, later: &str) {
        let rungs = rungs(s);
        let at = |cut: &str| rungs.iter().position(|r| r.contains(cut));
        let (a, b) = (at(first), at(later));
        assert!(
            a.is_some() && b.is_some() && a < b,
            "{first} before {later}: {rungs:?}"
        );
    }

    #[test]
    fn a_syllable_silenced_as_english_holds_the_open_syllable_after_it() {
        // `คอร์` + `ตา` (eye, a common word) + `โด`: cortado, one word.
        assert!(!split("เสิร์ฟคอร์ตาโด").contains("คอร์|ตา"));
        assert!(!split("เที่ยวคาร์ตาเฮนา").contains("คาร์|ตา"));
        // A syllable with a tone mark or a final after it is no such piece.
        assert_eq!(split("ซอฟต์แวร์ใหม่"), "ซอฟต์แวร์|ใหม่");
        assert_eq!(split("ซอฟต์แวร์ทำงาน"), "ซอฟต์แวร์|ทำงาน");
    }

    #[test]
    fn a_stretch_is_cut_where_a_sure_word_ends_it_before_where_it_goes_on_past_one() {
        // `วัง` (palace) is a common word, but with a piece no word covers on each side it
        // is likelier a syllable of `สตาวังเงร์` (Stavanger): the stretch is cut after
        // `เที่ยว` first, and beside `วัง` only after.
        assert_cut_before("เที่ยวสตาวังเงร์", "เที่ยว|สตา", "วัง|เงร์");
        assert_cut_before("เที่ยวสตาวังเงร์", "เที่ยว|สตา", "สตา|วัง");
    }

    #[test]
    fn two_whole_words_a_silent_letter_held_together_are_cut_between_before_inside() {
        // `เทอร์` glues `โมดูล` to `เทอร์โม`; both are whole listed words, so the place
        // between them comes before the syllables of either (`เทอร์|โม`).
        let s = "โมดูลเทอร์โมอิเล็กทริกแปลงความร้อน";
        assert_cut_before(s, "โมดูล|เทอร์โม", "เทอร์|โม");
        assert_cut_before(s, "โมดูล|เทอร์โม", "เทอร์โม|อิเล็กทริก");
    }

    #[test]
    fn a_held_stretch_is_cut_after_an_english_combining_form_last() {
        // `พีโซ` (piezo-) begins the one English word `piezoelectric`: `วัสดุ|พีโซ` is
        // cut before the place between the two listed words it is spelt with.
        assert_cut_before("วัสดุพีโซอิเล็กทริกเก็บพลังงาน", "วัสดุ|พีโซ", "พีโซ|อิเล็กทริก");
        assert_cut_before("บริษัทผลิตเฟอร์โรอิเล็กทริกแรม", "อิเล็กทริก|แรม", "เฟอร์โร|อิเล็กทริก");
    }

    #[test]
    fn a_held_stretch_is_cut_before_an_english_prefix_first() {
        // `ซูเปอร์` begins the English word `ซูเปอร์ชาร์จเจอร์`: the one-syllable `ชาร์จ`
        // before it ends another, though no rung of words vouches for it.
        assert_cut_before("สถานีชาร์จซูเปอร์ชาร์จเจอร์เพิ่ม", "ชาร์จ|ซูเปอร์", "ซูเปอร์|ชาร์จ");
    }

    #[test]
    fn a_held_stretch_is_cut_at_a_words_edge_before_inside_a_piece() {
        // `สนาม|บ็อบ` and `บ็อบ|สเลด` are as likely word edges by their syllables; only
        // the first is one the segmentation found.
        assert_cut_before("สนามบ็อบสเลดแห่งใหม่", "สนาม|บ็อบ", "บ็อบ|สเลด");
    }

    #[test]
    fn a_common_word_written_with_sara_am_is_closed_and_a_trusted_edge() {
        // `ทำ` (to make) is written with no tone mark, as `ยา` of `ไฮยาลูรอน` is, but
        // `ำ` closes it with `m`: no open syllable, so of native shape. Beside a stretch no
        // word covers (`จาจังมยอน`, jajangmyeon), `ทำ|จา` is cut before the stretch's own
        // syllables.
        assert_cut_before("ทำจาจังมยอน", "ทำ|จา", "จา|จัง");
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(!is_open(&chars("ทำ")) && !is_open(&chars("คำ")));
        assert!(is_open(&chars("ยา")) && is_open(&chars("มิ")) && is_open(&chars("ดู")));
    }

    #[test]
    fn syllable_edges_twice_as_likely_are_cut_first() {
        // `เสิร์ฟ|เอม` and `เอม|ปา` were in one band a third wide; the first is the likelier
        // edge by its syllables, and is cut first.
        assert_cut_before("อาร์เจนตินาเสิร์ฟเอมปานาดาอบสด", "เสิร์ฟ|เอม", "เอม|ปา");
    }

    #[test]
    fn pieces_shaped_as_a_transliterations_syllables_are_one_stretch() {
        // `คา` `รา` `อา` `เกะ` are listed words, each weak: together, a stretch as unknown
        // as one no word covers, cut at its edge before between its pieces, even where a
        // corpus writes two of them side by side (`คา` + `รา`).
        assert_cut_before("เพิ่มเมนูคาราอาเกะด้ง", "เมนู|คา", "คา|รา");
        assert_cut_before("เพิ่มเมนูคาราอาเกะด้ง", "เมนู|คา", "อา|เกะ");
    }

    #[test]
    fn a_weak_open_syllable_holds_an_open_neighbour() {
        // `โพ` `ซิ` `ตา` `โน`: a weak open syllable and an open neighbour, even a common
        // word (`ตา`), are one word's syllables; a line may not end between them.
        let found = opportunities("ชายหาดโพซิตาโนคนแน่น");
        assert!(
            !found.contains("ซิ|ตา") && !found.contains("ตา|โน"),
            "{found}"
        );
        // Not a function word: `เปา|ทำ` stays a place where a line may end.
        assert!(opportunities("เสี่ยวหลงเปาทำเอง").contains("เปา|ทำ"));
    }

    #[test]
    fn words_a_corpus_writes_together_are_one_word() {
        // `ทีม` + `ชาติ`, `หัว` + `หิน`, `โอน` + `เงิน`: listed words the corpus writes side
        // by side far more often than chance, where the list has no compound.
        for (title, words) in [
            ("นักเตะทีมชาติญี่ปุ่น", "นักเตะ|ทีมชาติ|ญี่ปุ่น"),
            ("เที่ยวหัวหินช่วงหยุดยาว", "เที่ยว|หัวหิน|ช่วง|หยุดยาว"),
            ("แอปล่มโอนเงินไม่ได้", "แอป|ล่ม|โอนเงิน|ไม่|ได้"),
        ] {
            assert_eq!(split(title), words);
        }
        // In a listed compound too wide for its box, two parts the corpus writes together
        // are cut a level after the others: `แห่ง|ประเทศไทย` before `ประเทศ|ไทย`.
        assert_cut_before("การท่องเที่ยวแห่งประเทศไทย", "แห่ง|ประเทศ", "ประเทศ|ไทย");
    }

    #[test]
    fn words_the_national_corpus_keeps_whole_are_one_word() {
        // Two listed words the national corpus's annotators kept as one word (`สามมิติ`,
        // 210 times) are one word however common each is; not other words after `สาม`.
        assert_eq!(split("เครื่องพิมพ์สามมิติช่วย"), "เครื่องพิมพ์สามมิติ|ช่วย");
        assert_eq!(split("สามคนช่วย"), "สาม|คน|ช่วย");
        // Too wide, such a compound is cut after the places between words, and before
        // a pair the counts find (`ทีม` + `ชาติ`) that overlaps it (`ชาติไทย`, 2 393
        // times): `ทีมชาติ|ไทย` first, then `ทีม|ชาติ`.
        assert_cut_before("นักบอลทีมชาติไทย", "ชาติ|ไทย", "ทีม|ชาติ");
    }

    /// The first two fields of the line of `COLLOCATIONS` starting at byte `at`.
    fn collocation_at(at: u32) -> (&'static str, &'static str) {
        let mut fields = COLLOCATIONS[at as usize..].split(['\t', '\n']);
        (
            fields.next().unwrap_or_default(),
            fields.next().unwrap_or_default(),
        )
    }

    #[test]
    fn the_collocation_table_counts_pairs_of_listed_words() {
        // `หัว` + `หิน` written together every time, rare in a corpus of other words: kept
        // (2^8 times chance); the other lines' pairs, common words each time beside the
        // same ones, are not (some 12 times chance), nor `ไป` + `หัว` (seen as often as
        // `หัว|หิน`, but `ไป` is everywhere).
        let mut corpus = vec!["ไปหัวหิน"; 8];
        corpus.extend(["ฝนตกหนัก", "แมวกินปลา", "รถติดมากไป", "ข้าวผัดกุ้ง"].repeat(200));
        // Of the hand-cut tokens, a word line breaking cuts into two listed words and
        // written often enough is kept, `-` for bits (`สาม` + `มิติ`); not one written
        // fewer times (`ปั๊ม` + `แก๊ส`), a listed word (`ทีมชาติ` is not, `มิติ` is), one
        // of three words, or one with a stretch no word covers (`ซ` + `ฟต์`).
        let tokens = [
            ("สามมิติ", 210),
            ("ปั๊มแก๊ส", COMPOUND_MIN_COUNT - 1),
            ("มิติ", 500),
            ("นักบอลทีมชาติ", 80),
            ("ซฟต์", 90),
        ];
        let table = collocation_table([corpus], tokens);
        let rows: Vec<&str> = table.lines().skip(1).collect();
        assert!(rows.iter().any(|r| r.starts_with("หัว\tหิน\t8\t")), "{table}");
        assert!(!rows.iter().any(|r| r.starts_with("ไป\t")), "{table}");
        assert!(rows.contains(&"สาม\tมิติ\t210\t-"), "{table}");
        for first in ["ปั๊ม\t", "มิติ\t", "นัก", "ทีม\t", "ซ"] {
            assert!(!rows.iter().any(|r| r.starts_with(first)), "{table}");
        }
        // The committed table: its header's thresholds are the ones in force, and every
        // row passes them, sorted.
        let header: Vec<&str> = COLLOCATIONS.lines().next().unwrap().split('\t').collect();
        assert_eq!(header[2], COLLOCATION_MIN_COUNT.to_string());
        assert_eq!(header[4].parse::<f64>().unwrap(), COLLOCATION_MIN_PMI);
        assert_eq!(header[8], COMPOUND_MIN_COUNT.to_string());
        let rows: Vec<&str> = COLLOCATIONS.lines().skip(1).collect();
        assert!(rows.len() > 1000 && rows.is_sorted());
        // Sorted by their two words too (the lookup's binary search), and every one found.
        let pairs: Vec<_> = COLLOCATED.iter().map(|&at| collocation_at(at)).collect();
        assert_eq!(pairs.len(), rows.len());
        assert!(pairs.is_sorted());
        assert!(pairs.iter().all(|&(a, b)| collocated(a, b)));
        assert!(pairs.iter().all(|&(a, _)| begins_a_pair(a)));
        assert!(!begins_a_pair("ทีมช") && !begins_a_pair(""));
        assert!(!collocated("ทีม", "ชาต") && !collocated("ที", "มชาติ"));
        // The lookup's key holds the longest pair listed (179 bytes).
        let longest = pairs.iter().map(|(a, b)| a.len() + b.len() + 2).max();
        assert!(longest.is_some_and(|n| n <= 192), "{longest:?}");
        for row in rows {
            let f: Vec<&str> = row.split('\t').collect();
            assert_eq!(f.len(), 4, "{row}");
            let n = f[2].parse::<u32>().unwrap();
            if f[3] == "-" {
                assert!(n >= COMPOUND_MIN_COUNT, "{row}");
            } else {
                assert!(n >= COLLOCATION_MIN_COUNT, "{row}");
                let bits = f[3].parse::<f64>().unwrap();
                assert!(bits >= COLLOCATION_MIN_PMI - 0.05, "{row}");
            }
        }
    }

    #[test]
    fn two_open_syllables_listed_with_no_count_go_with_an_unknown_neighbour() {
        // `ปุระ` and `ไปมา` are listed, never counted, and shaped as a loanword's pieces
        // are: beside a syllable no word covers they are held to it.
        for (title, inside) in [
            ("สอนทำเทมปุระกุ้ง", "เทม|ปุระ"),
            ("ย้ายจากออราเคิลไปมาเรียดีบี", "ไปมา|เรีย"),
        ] {
            let words = split(title);
            assert!(!words.contains(inside), "{words}");
        }
        // Not a counted word of that shape beside a Thai word (`ไป|มา` stays apart from
        // `ใน`).
        assert!(split("เดินไปมาในบ้าน").contains("|ใน|"));
    }

    #[test]
    fn an_english_plural_er_spells_the_suffix_as_er_does() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert!(spelled_suffix(&chars("ทรัก"), &chars("เกอร์ส")));
        // Trucker's hitch: a stretch too wide is cut between its two English words before
        // inside the first.
        assert_cut_before("ผูกเงื่อนทรักเกอร์สฮิตช์ขึงเชือก", "เกอร์ส|ฮิตช์", "ทรัก|เกอร์ส");
    }

    #[test]
    fn a_doubled_consonant_before_y_spells_an_english_suffix() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        for (a, b) in [("บก", "กี"), ("ฮ็อบ", "บี้"), ("บ็อก", "กี้")]
        {
            assert!(spelled_suffix(&chars(a), &chars(b)), "{a}|{b}");
        }
        // Not a common word that begins with the consonant a word before ends in, nor
        // after an open syllable (no consonant doubled).
        for (a, b) in [("คน", "นี้"), ("ทีม", "มี"), ("ดี", "ดี")] {
            assert!(!spelled_suffix(&chars(a), &chars(b)), "{a}|{b}");
        }
        // So a stretch too wide is cut elsewhere before inside `ต็อกบกกี` (tteokbokki).
        assert_cut_before("ลองชิมต็อกบกกีซอสโกชูจัง", "กี|ซอส", "บก|กี");
    }

    #[test]
    fn an_english_word_beside_the_piece_an_unknown_stretch_took_in_is_held_to_it() {
        // `มา` is taken into the unknown `[เพอร์]` (permaculture), and `คัลเจอร์` spells
        // English beside it: one word, as beside the unknown stretch itself.
        let words = split("ทำเพอร์มาคัลเจอร์บนดอย");
        assert!(words.contains("เพอร์มาคัลเจอร์|บน"), "{words}");
    }

    #[test]
    fn two_rare_syllables_of_no_thai_shape_are_held_together() {
        // `เพส` and `โต้` are both listed, both rare, neither mostly in Thai words: one
        // loanword's syllables (`pesto`) before two words.
        assert!(
            !split("ซอสเพสโต้").contains("เพส|โต้"),
            "{}",
            split("ซอสเพสโต้")
        );
        // A silenced final ends a loanword: `ลุ้น|แชมป์` stays a break.
        assert_eq!(split("ลุ้นแชมป์"), "ลุ้น|แชมป์");
    }

    #[test]
    fn a_held_stretch_is_cut_beside_a_counted_word_before_inside_it() {
        // `แบรนด์` is held to `เครื่องสำอาง` for want of evidence; too wide, the stretch
        // is cut between them before between `เครื่อง` and `สำอาง`.
        assert_eq!(split("แบรนด์เครื่องสำอาง"), "แบรนด์เครื่องสำอาง");
        let ladder = rungs("แบรนด์เครื่องสำอาง");
        assert_eq!(ladder[0], "แบรนด์|เครื่องสำอาง", "{ladder:?}");
        // Not before a suffix spelt as English (`-ming`).
        assert!(
            !rungs("คอร์สโปรแกรมมิ่ง")[0].contains("แกรม|มิ่ง"),
            "{:?}",
            rungs("คอร์สโปรแกรมมิ่ง")
        );
    }

    #[test]
    fn a_compound_breaks_between_its_words_then_theirs_then_syllables() {
        assert_eq!(rungs("ราชมังคลากีฬาสถาน")[0], "ราชมังคลา|กีฬา|สถาน");
        let ladder = rungs("ศาลยุติธรรม");
        assert_eq!(ladder[..2], ["ศาล|ยุติธรรม", "ศาลยุติ|ธรรม"]);
        // Then its syllables, by how likely a word ends there.
        assert_eq!(merged("ศาลยุติธรรม", 2), "ศาล|ยุ|ติ|ธรรม");
        assert_eq!(merged("ทรานส์ฟอร์เมอร์", 0), "ทรานส์|ฟอร์|เมอร์");
        assert_eq!(merged("เฉียงใต้", 0), "เฉียง|ใต้");
        // Syllables end where known words do: `อัปเดต|ระบบ`, never `เด|ตระ`.
        assert!(merged("อัปเดตระบบ", 0).contains("เดต|ระ"));
    }

    /// The ladder's rungs from `from` on, as one.
    fn merged(s: &str, from: usize) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut cuts: Vec<usize> = ladder(&chars).into_iter().skip(from).flatten().collect();
        cuts.sort_unstable();
        cuts.dedup();
        marked(&chars, cuts)
    }

    #[test]
    fn the_compiled_data_has_our_additions() {
        let extra = include_str!("../../data/thai-words-extra.txt");
        for word in extra
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            assert!(
                word_class(word).is_some(),
                "{word}: run scripts/thai-data.py"
            );
        }
        let fixes = include_str!("../../data/thai-syllables-fixes.txt");
        for fix in fixes.lines() {
            let listed = |s: &str| SYLLABLE_LIST.get(s).is_some();
            if let Some(s) = fix.strip_prefix('+') {
                assert!(listed(s), "{s}: run scripts/thai-data.py");
            } else if let Some(s) = fix.strip_prefix('-') {
                assert!(!listed(s), "{s}: run scripts/thai-data.py");
            }
        }
    }

    #[test]
    fn never_splits_a_cluster() {
        assert!(!cluster_boundary(&['เ', 'ก'], 1));
        assert!(!cluster_boundary(&['ก', 'ั', 'น'], 2));
        assert!(!cluster_boundary(&['ซ', 'อ', 'ร', '์'], 2));
        // A consonant before a silenced one has no vowel to begin a syllable with.
        assert!(!cluster_boundary(&['เ', 'ร', 'อ', 'ร', '์'], 2));
        assert!(!cluster_boundary(&['ค', 'ล', 'า', 'ว', 'ด', '์'], 3));
        assert!(cluster_boundary(&['ก', 'ก'], 1));
    }
}
