//! The module layering the code relies on: assets (fonts, templates) are parsed and
//! checked in `src/assets/` and drawn by `src/render/`; nothing in `src/assets/` may
//! reach into the renderer or the HTTP layer, so that neither can become a cycle again.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn assets_import_nothing_from_render_or_http() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/assets");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (n, line) in source.lines().enumerate() {
            for forbidden in ["crate::render", "crate::http", "crate::cache"] {
                assert!(
                    !line.contains(forbidden),
                    "{}:{}: {forbidden} from assets: {line}",
                    file.display(),
                    n + 1
                );
            }
        }
    }
}
