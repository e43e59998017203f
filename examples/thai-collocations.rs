//! Writes `data/thai-collocations.tsv`: pairs of Thai words a corpus writes together far
//! more often than chance, and pairs a hand-cut corpus keeps as one word (see
//! `ogcard::render::thai::collocation_table`). The first argument is the hand-cut
//! corpus's word list, `word<TAB>count` lines (the Thai National Corpus's `tnc_freq.txt`);
//! each argument after it is one corpus: a comma-separated list of text files and folders
//! (a folder's `.txt` files, all the way down, in order of their paths);
//! `data/README.md` names the corpora.
//!
//!     cargo run --release --example thai-collocations -- tnc_freq.txt \
//!         wisesight/neg.txt,wisesight/neu.txt,wisesight/pos.txt,wisesight/q.txt \
//!         thaigov/data > data/thai-collocations.tsv

use std::path::{Path, PathBuf};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(tokens) = args.next() else {
        eprintln!("usage: thai-collocations TOKENS.tsv CORPUS...");
        std::process::exit(2);
    };
    let tokens = std::fs::read_to_string(tokens)?;
    let mut counted = Vec::new();
    for line in tokens.lines() {
        let parsed = line
            .split_once('\t')
            .and_then(|(word, n)| Some((word, n.trim().parse::<u32>().ok()?)));
        let Some(row) = parsed else {
            eprintln!("thai-collocations: not `word<TAB>count`: {line:?}");
            std::process::exit(2);
        };
        counted.push(row);
    }
    let mut corpora = Vec::new();
    for arg in args {
        let mut files = Vec::new();
        for part in arg.split(',') {
            collect(Path::new(part), &mut files)?;
        }
        let texts = files
            .iter()
            .map(std::fs::read_to_string)
            .collect::<std::io::Result<Vec<String>>>()?;
        corpora.push(texts);
    }
    print!(
        "{}",
        ogcard::render::thai::collocation_table(
            corpora
                .iter()
                .map(|texts| texts.iter().flat_map(|t| t.lines())),
            counted
        )
    );
    Ok(())
}

/// `path` itself if it is a file, else its `.txt` files all the way down, sorted.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        files.push(path.to_owned());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, files)?;
        } else if entry.extension().is_some_and(|e| e == "txt") {
            files.push(entry);
        }
    }
    Ok(())
}
