//! The README's pictures are the binary's own: `scripts/gallery`, run as written into a
//! temporary folder, must give every committed picture of `docs/gallery` byte for byte,
//! and no other. The folder stays small enough for a repository.

use std::collections::BTreeMap;
use std::path::Path;

/// What the committed gallery may weigh, all pictures together.
const MAX_GALLERY_BYTES: u64 = 3 << 20;

fn pictures(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "png" || e == "webp" || e == "jpg")
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn the_gallery_is_what_the_binary_draws_today() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("ogcard-gallery-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = std::process::Command::new(root.join("scripts/gallery"))
        .arg(&out)
        .env("OGCARD", env!("CARGO_BIN_EXE_ogcard"))
        .status()
        .unwrap();
    assert!(status.success(), "scripts/gallery failed");

    let committed = pictures(&root.join("docs/gallery"));
    let fresh = pictures(&out);
    let _ = std::fs::remove_dir_all(&out);
    let refresh = "run scripts/gallery to refresh docs/gallery, look at the pictures, commit them";
    let stale: Vec<&String> = fresh
        .iter()
        .filter(|(name, bytes)| committed.get(*name) != Some(*bytes))
        .map(|(name, _)| name)
        .collect();
    assert!(stale.is_empty(), "stale or missing: {stale:?}; {refresh}");
    let extra: Vec<&String> = committed
        .keys()
        .filter(|n| !fresh.contains_key(*n))
        .collect();
    assert!(
        extra.is_empty(),
        "not made by scripts/gallery: {extra:?}; {refresh}"
    );

    let total: u64 = committed.values().map(|b| b.len() as u64).sum();
    assert!(
        total <= MAX_GALLERY_BYTES,
        "docs/gallery holds {total} bytes"
    );
    // Every picture the README shows is in the gallery.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for link in readme.split("docs/gallery/").skip(1) {
        let name: String = link
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '@' | '_'))
            .collect();
        let name = name.trim_end_matches('.');
        if name.ends_with(".png") || name.ends_with(".webp") || name.ends_with(".jpg") {
            assert!(
                committed.contains_key(name),
                "README shows {name}, not in docs/gallery"
            );
        }
    }
}
