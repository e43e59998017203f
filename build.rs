//! Digests the embedded fonts at build time, so that the assets' version (part of every
//! cache key) costs nothing at startup: hashing 45 MB of fonts there took ~150 ms and
//! paged every font byte into memory.

use std::io::Write;

use sha2::{Digest, Sha256};

fn main() {
    println!("cargo:rerun-if-changed=fonts");
    let mut files: Vec<_> = std::fs::read_dir("fonts")
        .expect("fonts/ exists")
        .map(|e| e.expect("readable fonts/ entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "ttf" || e == "otf" || e == "ttc")
        })
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for path in &files {
        hash.update(path.file_name().unwrap().to_string_lossy().as_bytes());
        hash.update(std::fs::read(path).expect("readable font"));
    }
    let digest: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("fonts_digest.rs");
    let mut f = std::fs::File::create(out).unwrap();
    writeln!(
        f,
        "/// SHA-256 (first 8 bytes) of every file under fonts/, by name."
    )
    .unwrap();
    writeln!(f, "pub const EMBEDDED_FONTS_DIGEST: &str = \"{digest}\";").unwrap();
}
