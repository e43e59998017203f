//! Writes `data/thai-syllable-origins.tsv`: for each Thai syllable, in how many words that
//! spell English and in how many others it stands (see `ogcard::render::thai`).
//!
//!     cargo run --release --example thai-syllable-origins > data/thai-syllable-origins.tsv

fn main() {
    print!("{}", ogcard::render::thai::syllable_origin_table());
}
