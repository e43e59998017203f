//! Templates hot reload for designers (`--watch-templates`).
//!
//! The service reads its assets through [`LiveAssets`]: each request takes the current
//! `Arc<Assets>` and keeps it to the end, so a reload never changes a card mid-render.
//! [`watch_templates`] polls the templates directory (modification time and size of each
//! file; polling also sees the symlink swaps of mounted volumes, which file events can
//! miss) and, once a change has settled, loads the whole directory again. A directory that
//! fails to load (a bad file, a missing default template) keeps the last good templates
//! and logs why. On success the new assets are swapped in and the cache drops the cards of
//! every template whose source changed; cards of unchanged templates stay cached.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use crate::assets::templates::{Templates, ASSET_TYPES};
use crate::http::AppState;
use crate::render::Assets;

/// The assets requests render with, swappable while the service runs.
pub struct LiveAssets {
    current: RwLock<Arc<Assets>>,
}

impl LiveAssets {
    pub fn new(assets: Assets) -> LiveAssets {
        LiveAssets {
            current: RwLock::new(Arc::new(assets)),
        }
    }

    /// The assets now: a request keeps these until it is answered.
    pub fn get(&self) -> Arc<Assets> {
        // Swaps store a whole `Arc`: a poisoned lock still holds a consistent value.
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    fn set(&self, assets: Arc<Assets>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = assets;
    }
}

/// Each file's name, modification time and length: what a change changes.
type Fingerprint = Vec<(std::ffi::OsString, Option<SystemTime>, u64)>;

/// Whether templates read files called `name`: templates themselves (`.svg`) and the
/// files they inline ([`ASSET_TYPES`]). Anything else in the directory (a log, an
/// editor's swap file) is not watched.
fn watched(name: &Path) -> bool {
    let ext = name.extension().and_then(|e| e.to_str()).unwrap_or("");
    ASSET_TYPES.iter().any(|(e, _)| ext.eq_ignore_ascii_case(e))
}

fn fingerprint(dir: &Path) -> Fingerprint {
    let mut files: Fingerprint = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| watched(&entry.path()))
        .filter_map(|entry| {
            // `metadata` follows symlinks, as reading the template does.
            let meta = std::fs::metadata(entry.path()).ok()?;
            meta.is_file()
                .then(|| (entry.file_name(), meta.modified().ok(), meta.len()))
        })
        .collect();
    files.sort();
    files
}

/// Watches `dir` every `period` until the process ends, reloading its templates into
/// `state` when files change (see the module docs). `default_template` must survive a
/// reload.
pub async fn watch_templates(
    dir: PathBuf,
    state: AppState,
    default_template: String,
    period: Duration,
) {
    let mut seen = fingerprint(&dir);
    loop {
        tokio::time::sleep(period).await;
        let now = fingerprint(&dir);
        if now == seen {
            continue;
        }
        // An editor or `cp` writes in steps: wait until two looks agree.
        tokio::time::sleep(period).await;
        if fingerprint(&dir) != now {
            continue;
        }
        seen = now;
        let before = state.assets.get();
        let fonts = Arc::clone(&before.fonts);
        let load_dir = dir.clone();
        let loaded = tokio::task::spawn_blocking(move || Templates::load(Some(&load_dir), &fonts))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()))
            .and_then(|templates| match templates.get(&default_template) {
                Some(_) => Ok(templates),
                None => Err(format!("the default template `{default_template}` is gone")),
            });
        match loaded {
            Err(why) => {
                state.metrics.template_reload(false);
                tracing::warn!(dir = %dir.display(), %why, "templates not reloaded: keeping the last good ones");
            }
            Ok(templates) => {
                let after = Arc::new(before.with_templates(templates));
                let (changed, dropped) = swap(&state, &before, after);
                state.metrics.template_reload(true);
                tracing::info!(dir = %dir.display(), changed, dropped, "templates reloaded");
            }
        }
    }
}

/// Swaps `after` in and drops the cached cards of templates `before` had that `after`
/// does not have unchanged: (templates changed or removed, cards dropped).
fn swap(state: &AppState, before: &Assets, after: Arc<Assets>) -> (usize, usize) {
    let kept: HashSet<String> = after
        .templates
        .all()
        .map(|t| after.card_version(t))
        .collect();
    let stale: HashSet<String> = before
        .templates
        .all()
        .map(|t| before.card_version(t))
        .filter(|v| !kept.contains(v))
        .collect();
    state.assets.set(after);
    let dropped = state
        .cache
        .remove_where(|key| stale.contains(Assets::version_of_key(key)));
    (stale.len(), dropped)
}
