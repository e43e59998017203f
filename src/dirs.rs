//! Listing the operator's asset directories (templates, fonts).

use std::path::{Path, PathBuf};

/// The files in `dir` whose extension is one of `extensions` (case-insensitive), sorted
/// by path so that load order never depends on the file system.
pub(crate) fn files_with_extensions(
    dir: &Path,
    extensions: &[&str],
) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if wanted {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}
