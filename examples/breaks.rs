//! Prints each line of stdin with its line-break opportunities marked: `|` where a line
//! may break, and for words wider than their box, the ladder's weaker places: `0`, `1`, …
//! for a compound's parts level by level, `·` for syllables.
//!
//!     echo "ราชมังคลากีฬาสถาน" | cargo run --example breaks

use ogcard::render::breaks::{break_opportunities, ladder};

fn main() {
    for line in std::io::stdin().lines() {
        let Ok(text) = line else { break };
        let breaks = break_opportunities(&text);
        let ladder = ladder(&text);
        let mut out = String::new();
        for (i, c) in text.char_indices() {
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
            out.push(c);
        }
        println!("{out}");
    }
}
