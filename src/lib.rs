//! ogcard: Open Graph cards from a URL, Thai first.
//!
//! `app` builds the whole service as an axum `Router`; `render::card` is the pipeline.

pub mod assets;
pub mod cache;
mod cli;
pub mod config;
mod dirs;
pub mod http;
mod parallel;
pub mod pictures;
mod posts;
pub mod render;
pub mod request;
pub mod signing;

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
    config.validate_server()?;
    let (assets, defaults) = assets_and_defaults(config)?;
    let cache_control = HeaderValue::from_str(&config.cache_control).map_err(|_| {
        anyhow::anyhow!(
            "cache-control {:?} is not a valid header value",
            config.cache_control
        )
    })?;
    Ok(AppState {
        assets: Arc::new(http::LiveAssets::new(assets)),
        defaults: Arc::new(defaults),
        cache: Arc::new(Cache::new(config.cache_bytes)),
        cache_control,
        limits: Arc::new(Limits {
            render_slots: Arc::new(tokio::sync::Semaphore::new(config.render_concurrency())),
            render_wait: std::time::Duration::from_millis(config.render_wait_ms),
            render_timeout: std::time::Duration::from_millis(config.render_timeout_ms),
            signing_keys: config
                .signing_keys
                .iter()
                .map(|k| k.clone().into_bytes())
                .collect(),
        }),
        renderer: render::card_with,
        metrics: Arc::new(http::Metrics::default()),
        pictures: Arc::new(pictures::Pictures::new(config.pictures())),
        ready: Arc::new(std::sync::atomic::AtomicBool::new(true)),
    })
}

/// The assets and request defaults a configuration names, checked: what the server and
/// `ogcard render` both render with.
pub(crate) fn assets_and_defaults(config: &Config) -> anyhow::Result<(Assets, Defaults)> {
    let assets = Assets::load_with(config.templates_dir.as_deref(), &config.font_dirs)?
        .with_png_level(config.png_level);
    let coverage = assets.fonts.coverage();
    let uncovered: Vec<&str> = coverage
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(s, _)| *s)
        .collect();
    tracing::info!(
        faces = assets.fonts.faces.len(),
        scripts = coverage.len() - uncovered.len(),
        uncovered = ?uncovered,
        "font coverage self-check"
    );
    if !is_template_name(&config.default_template)
        || assets.templates.get(&config.default_template).is_none()
    {
        anyhow::bail!(
            "default template `{}` does not exist (have: {})",
            config.default_template,
            assets.templates.names().collect::<Vec<_>>().join(", ")
        );
    }
    let defaults = Defaults {
        title: Text::new(&config.default_title),
        site: Text::new(&config.default_site),
        template: config.default_template.clone(),
    };
    Ok((assets, defaults))
}

/// The whole service, testable without a socket.
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Runs a subcommand instead of the server.
pub fn run_command(command: &config::Command, config: &Config) -> anyhow::Result<()> {
    cli::run(command, config)
}

/// Installs the tracing subscriber (text or JSON); `log` records (usvg's warnings) are
/// bridged into it.
pub fn init_logging(format: config::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        config::LogFormat::Text => builder.init(),
        config::LogFormat::Json => builder.json().init(),
    }
}

/// Resolves on SIGINT or SIGTERM; the server then drains, stops accepting and finishes
/// in-flight requests (`http::serve`).
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
