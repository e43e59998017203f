//! Prints each line of stdin with its line-break opportunities marked: `|` where a line
//! may break, `¦` where it may but had better not (a doubtful Thai opportunity: layout ends
//! no line there when as many lines, or one more, can end elsewhere), and for words wider
//! than their box, the ladder's weaker places: `0`, `1`, … rung by rung (a compound's
//! parts level by level, then Thai syllable boundaries by how likely a word ends there),
//! `·` for the last rung (any other syllable boundary). `[…]` marks a Thai stretch taken
//! as unknown: no dictionary word covers it, so no line breaks inside it, and one at its
//! edges is doubtful or none.
//!
//! A language tag as the argument is the `lang` parameter (`ja`, `zh-Hant`, …).
//!
//!     echo "ราชมังคลากีฬาสถาน" | cargo run --example breaks
//!     echo "東京大会の記録" | cargo run --example breaks -- ja

use ogcard::render::breaks::{ladder, opportunities, unknown_thai_spans};
use ogcard::request::Lang;

fn main() {
    let lang = std::env::args()
        .nth(1)
        .map(|tag| Lang::parse(&tag).expect("a language tag"))
        .unwrap_or_default();
    for line in std::io::stdin().lines() {
        let Ok(text) = line else { break };
        let found = opportunities(&text, lang);
        let ladder = ladder(&text, lang);
        let unknown = unknown_thai_spans(&text);
        let mut out = String::new();
        for (i, c) in text.char_indices() {
            if unknown.iter().any(|r| r.end == i) {
                out.push(']');
            }
            if found.doubtful.contains(&i) {
                out.push('¦');
            } else if found.breaks.contains(&i) {
                out.push('|');
            } else if let Some(r) = ladder.rungs.iter().position(|r| r.contains(&i)) {
                let last = r + 1 == ladder.rungs.len();
                out.push(if last {
                    '·'
                } else {
                    char::from(b'0' + r.min(9) as u8)
                });
            }
            if unknown.iter().any(|r| r.start == i) {
                out.push('[');
            }
            out.push(c);
        }
        if unknown.iter().any(|r| r.end == text.len()) {
            out.push(']');
        }
        println!("{out}");
    }
}
