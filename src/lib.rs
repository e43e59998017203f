//! ogcard: Open Graph cards from a URL, Thai first.
//!
//! `app` builds the whole service as an axum `Router`; `render::card` is the pipeline.

pub mod cache;
pub mod config;
pub mod fonts;
pub mod http;
pub mod render;
pub mod request;
pub mod signing;
pub mod templates;

use std::sync::Arc;

use axum::http::HeaderValue;
use axum::Router;

use crate::cache::Cache;
use crate::config::Config;
use crate::http::{AppState, Limits};
use crate::render::Assets;
use crate::request::{is_template_name, Defaults, Text};

/// Builds the application state from configuration: loads and checks every asset.
pub fn state(config: &Config) -> anyhow::Result<AppState> {
    config.validate()?;
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
        limits: Arc::new(Limits {
            render_slots: Arc::new(tokio::sync::Semaphore::new(config.render_concurrency())),
            render_wait: std::time::Duration::from_millis(config.render_wait_ms),
            render_timeout: std::time::Duration::from_millis(config.render_timeout_ms),
            signing_key: config.signing_key.clone().map(String::into_bytes),
        }),
        renderer: render::card,
    })
}

/// The whole service, testable without a socket.
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Runs a subcommand instead of the server.
pub fn run_command(command: &config::Command, config: &Config) -> anyhow::Result<()> {
    match command {
        config::Command::Sign { query, base_url } => {
            config.validate()?;
            let key = config.signing_key.as_deref().ok_or_else(|| {
                anyhow::anyhow!("`sign` needs --signing-key or OGCARD_SIGNING_KEY")
            })?;
            let query = query.trim_start_matches('?');
            let signed = signing::signed_query(key.as_bytes(), query)?;
            println!("{}/api/og?{signed}", base_url.trim_end_matches('/'));
            Ok(())
        }
    }
}
