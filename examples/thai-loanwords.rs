//! Writes `data/transliterations/words.txt`: the words of the transliteration dictionary
//! that the Thai word list takes (see `ogcard::render::thai::loanword_list`).
//!
//!     cargo run --release --example thai-loanwords > data/transliterations/words.txt

fn main() {
    print!("{}", ogcard::render::thai::loanword_list());
}
