//! Listing the operator's asset directories (templates, fonts), reading their files (and
//! blog posts) under a size cap, and writing users' files (posts, cards) whole or not at all.

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

/// Writes `bytes` as `path` so that a reader sees the old file or the new one, never half:
/// a temporary file beside it, flushed to disk, given the old file's permissions, renamed
/// over it; then read back and compared. A symbolic link is never written through (nor
/// replaced): that is refused.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let old = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err("a symbolic link; write to its target instead".into())
        }
        Ok(meta) if !meta.is_file() => return Err("not a regular file".into()),
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.to_string()),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or("no file name")?.to_string_lossy();
    let temp = dir.join(format!(".{name}.ogcard-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        if let Some(old) = &old {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(e.to_string());
    }
    match std::fs::read(path) {
        Ok(back) if back == bytes => Ok(()),
        Ok(_) => Err("the file read back differs from what was written".into()),
        Err(e) => Err(format!("reading it back: {e}")),
    }
}

/// Whether `name` can name a file in an output folder: no separator, no control
/// character, not hidden (nor `.`, `..`), at most 200 bytes.
pub(crate) fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
}
