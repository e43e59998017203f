//! Listing the operator's asset directories (templates, fonts), and reading their files (and
//! blog posts) under a size cap.

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

/// The bytes of `path` if it holds at most `max`: its size is checked before reading, and
/// the read stops past `max` all the same (a file that grows meanwhile), so an operator's
/// stray 2 GB file in a watched folder costs nothing. `Ok(None)` when it is larger.
pub(crate) fn read_capped(path: &Path, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max as u64 {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= max).then_some(bytes))
}
