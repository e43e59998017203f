//! ogcard: Open Graph cards from a URL, Thai first.
//!
//! `app` builds the whole service as an axum `Router`; `render::card` is the pipeline.

pub mod cache;
pub mod config;
pub mod fonts;
pub mod http;
pub mod render;
pub mod request;
pub mod templates;

use std::sync::Arc;

use axum::http::HeaderValue;
use axum::Router;

use crate::cache::Cache;
use crate::config::Config;
use crate::http::AppState;
use crate::render::Assets;
use crate::request::{is_template_name, Defaults, Text};

/// Builds the application state from configuration: loads and checks every asset.
pub fn state(config: &Config) -> anyhow::Result<AppState> {
    let assets = Assets::load(config.templates_dir.as_deref())?;
    if !is_template_name(&config.default_template)
        || assets.templates.get(&config.default_template).is_none()
    {
        anyhow::bail!(
            "default template `{}` does not exist (have: {})",
            config.default_template,
            assets.templates.names().collect::<Vec<_>>().join(", ")
        );
    }
    let cache_control = HeaderValue::from_str(&config.cache_control).map_err(|_| {
        anyhow::anyhow!(
            "cache-control {:?} is not a valid header value",
            config.cache_control
        )
    })?;
    Ok(AppState {
        assets: Arc::new(assets),
        defaults: Arc::new(Defaults {
            title: Text::new(&config.default_title),
            site: Text::new(&config.default_site),
            template: config.default_template.clone(),
        }),
        cache: Arc::new(Cache::new(config.cache_bytes)),
        cache_control,
    })
}

/// The whole service, testable without a socket.
pub fn app(state: AppState) -> Router {
    http::router(state)
}
