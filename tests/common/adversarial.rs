//! Titles an attacker would choose, each within the caps: floods of what draws nothing,
//! words wider than any box, characters no font has, heavy shaping. Shared by the
//! criterion `adversarial` group (benches/card.rs) and the hardening tests.

/// `(name, text)`: every text is at most 1000 characters, the title's cap.
pub fn inputs() -> Vec<(&'static str, String)> {
    #![allow(dead_code)]
    let thai_title = "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek ข้อมูลเชิงลึกจากการประชุมสุดยอด AI ";
    vec![
        // The report's examples: invisible floods before a word that must be cut.
        ("mvs-flood", "\u{180E}".repeat(880) + &"W".repeat(120)),
        (
            "musical-format-flood",
            "\u{1D173}".repeat(500) + &"a".repeat(200),
        ),
        ("zwsp-flood", "\u{200B}".repeat(999) + "a"),
        ("zwj-flood", "a\u{200D}".repeat(500)),
        ("tag-flood", "🏴".to_string() + &"\u{E0061}".repeat(999)),
        // One word wider than every box, in scripts with and without a dictionary.
        ("one-latin-word", "a".repeat(1000)),
        ("one-thai-run", "กขคง".repeat(250)),
        ("one-arabic-word", "بسم".repeat(333)),
        // A word wider than the box at every size that still fits its lines at each: the
        // title is laid out at all seven sizes, 64 px down to 40, looking for one that
        // holds it whole.
        (
            "word-cut-at-every-size",
            "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(2),
        ),
        (
            "thai-stretch-cut-at-every-size",
            "ซูเปอร์คาลิฟราจิลิสติกเอ็กซ์เพียลิโดเชียส".repeat(2),
        ),
        // Short pieces the lists have, each place between them doubtful
        // (`ผ่า¦นอ¦เล็ก¦ซ่า`): at every size a line ends at one, so the title is laid out
        // and balanced at all seven sizes, 64 px down to 40, looking for one that ends
        // none there.
        ("thai-doubtful-at-every-size", "ผ่านอเล็กซ่า".repeat(10)),
        // Open syllables that are rare words, back to back: every boundary looks for a
        // stretch no word covers through the open words on both sides (bounded at six
        // each way).
        ("thai-open-chain", "ปาเฮ".repeat(250)),
        // A consonant doubled before `-y` at every syllable: each boundary looks the
        // syllable up as a word.
        ("thai-doubled-y", "บกกี".repeat(250)),
        ("devanagari-conjuncts", "क्ष".repeat(333)),
        // Text no bundled font has: every grapheme walks the whole fallback chain.
        (
            "no-font",
            (0x13000u32..0x13000 + 1000)
                .filter_map(char::from_u32)
                .collect(),
        ),
        // Colour glyphs, flags and ZWJ sequences.
        ("emoji", "😀".repeat(1000)),
        ("flags", "🇹🇭".repeat(500)),
        (
            "emoji-families",
            "👨\u{200D}👩\u{200D}👧\u{200D}👦".repeat(142),
        ),
        // Marks on every letter, as many as normalisation keeps.
        (
            "thai-marks",
            "ก\u{0E48}\u{0E49}\u{0E4A}\u{0E4B}\u{0E31}\u{0E34}\u{0E47}\u{0E4C}".repeat(111),
        ),
        (
            "zalgo",
            "a\u{0300}\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}\u{0306}\u{0307}".repeat(111),
        ),
        // Long real text: many break opportunities, many lines tried per size.
        (
            "thai-long",
            thai_title.repeat(16).chars().take(1000).collect(),
        ),
        ("cjk", "漢".repeat(1000)),
        // The phrase models over a whole title: Japanese (kana), Chinese (kanji alone,
        // both segmenters), and one number no break may enter.
        (
            "japanese-phrases",
            "東京オリンピックの記録が、"
                .repeat(77)
                .chars()
                .take(1000)
                .collect(),
        ),
        // Japanese numbers in kanji with no end (each character looks both ways for
        // its number) and one run of kanji, its word edges ranked in one pass.
        ("japanese-kanji-numbers", "十五".repeat(499) + "の"),
        (
            "chinese-words",
            "开源模型的崛起中国团队"
                .repeat(91)
                .chars()
                .take(1000)
                .collect(),
        ),
        // The Chinese lexicon's longest words back to back: the most lookups a character.
        (
            "chinese-long-words",
            "联合国拉丁美洲和加勒比经济委员会"
                .repeat(63)
                .chars()
                .take(1000)
                .collect(),
        ),
        // The katakana words' longest back to back: one run, the most lookups a character.
        (
            "katakana-long-words",
            "スーパーカリフラジリスティクエクスピアリドーシャス"
                .repeat(40)
                .chars()
                .take(1000)
                .collect(),
        ),
        ("fullwidth-number", "２".repeat(1000)),
        (
            "bidi-mix",
            "שלום world ".repeat(90).chars().take(1000).collect(),
        ),
        ("short-words", "a ".repeat(500)),
    ]
}

/// The query that puts `text` in every text parameter, each cut to its cap (ten tags).
pub fn query(text: &str, template: &str, format: &str) -> String {
    let cut = |n: usize| -> String { text.chars().take(n).collect() };
    let tag = cut(40);
    // Raw UTF-8 as blogs write it (a 1000-character title of U+180E is 3 KB, not 9 KB
    // percent-encoded); only what the query syntax needs is escaped.
    let encode = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_ascii_control() || " \"#%&+<=>?`{}|\\^[]".contains(c) {
                out.push_str(&format!("%{:02X}", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    };
    let tags = vec![encode(&tag); 10].join(",");
    format!(
        "title={}&site={}&description={}&author={}&date={}&tags={tags}&template={template}&format={format}",
        encode(&cut(1000)),
        encode(&cut(200)),
        encode(&cut(500)),
        encode(&cut(100)),
        encode(&cut(40)),
    )
}

pub const TEMPLATES: [&str; 4] = ["default", "light", "article", "brand"];
pub const FORMATS: [&str; 5] = ["png", "jpeg", "webp", "svg", "json"];
