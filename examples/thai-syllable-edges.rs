//! Writes `data/thai-syllable-edges.tsv`: for each Thai syllable, how many words of the
//! word list it begins, ends or lies inside (see `ogcard::render::thai`).
//!
//!     cargo run --release --example thai-syllable-edges > data/thai-syllable-edges.tsv

fn main() {
    print!("{}", ogcard::render::thai::syllable_edge_table());
}
