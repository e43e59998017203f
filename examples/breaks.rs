//! Prints each line of stdin with its line-break opportunities marked: `|` where a line
//! may break, and for words wider than their box, the ladder's weaker places: `0`, `1`, …
//! level by level (word boundaries held back for want of evidence, then a compound's
//! parts), `·` for syllables. `[…]` marks a Thai stretch taken as unknown: no dictionary
//! word covers it, so no line breaks inside it or at its edges.
//!
//!     echo "ราชมังคลากีฬาสถาน" | cargo run --example breaks

use ogcard::render::breaks::{break_opportunities, ladder, unknown_thai_spans};

fn main() {
    for line in std::io::stdin().lines() {
        let Ok(text) = line else { break };
        let breaks = break_opportunities(&text);
        let ladder = ladder(&text);
        let unknown = unknown_thai_spans(&text);
        let mut out = String::new();
        for (i, c) in text.char_indices() {
            if unknown.iter().any(|r| r.end == i) {
                out.push(']');
            }
            if breaks.contains(&i) {
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
