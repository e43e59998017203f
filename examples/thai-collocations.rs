//! Writes `data/thai-collocations.tsv`: pairs of Thai words a corpus writes together far
//! more often than chance (see `ogcard::render::thai::collocation_table`), from the text
//! files named as arguments (`data/README.md` names the corpus).
//!
//!     cargo run --release --example thai-collocations -- neg.txt neu.txt pos.txt q.txt \
//!         > data/thai-collocations.tsv

fn main() -> std::io::Result<()> {
    let texts = std::env::args()
        .skip(1)
        .map(std::fs::read_to_string)
        .collect::<std::io::Result<Vec<String>>>()?;
    print!(
        "{}",
        ogcard::render::thai::collocation_table(texts.iter().flat_map(|t| t.lines()))
    );
    Ok(())
}
