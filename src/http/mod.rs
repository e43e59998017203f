//! The HTTP face: routes, handlers and response headers.
//!
//! Knows nothing of fonts or pixels: it turns a query into a `CardRequest`, asks the cache,
//! runs `render::card` on the blocking pool on a miss, and answers with caching headers.

mod error;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;

pub use error::ApiError;

use crate::cache::{Cache, Entry};
use crate::render::{self, Assets};
use crate::request::{parse_query, Defaults};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub assets: Arc<Assets>,
    pub defaults: Arc<Defaults>,
    pub cache: Arc<Cache>,
    pub cache_control: HeaderValue,
}

/// The whole service, testable without a socket.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/og", get(og).fallback(method_not_allowed))
        .route("/healthz", get(healthz).fallback(method_not_allowed))
        .fallback(not_found)
        .with_state(state)
}

async fn og(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let req = parse_query(uri.query().unwrap_or(""), &state.defaults)?;
    let key = req.cache_key();
    let entry = match state.cache.get(&key) {
        Some(entry) => entry,
        None => {
            let assets = Arc::clone(&state.assets);
            let rendered = tokio::task::spawn_blocking(move || render::card(&req, &assets))
                .await
                .map_err(|e| ApiError::Internal(format!("render task: {e}")))??;
            let entry = Entry {
                bytes: Bytes::from(rendered.bytes),
                content_type: rendered.content_type,
            };
            state.cache.put(key, entry.clone());
            entry
        }
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(entry.content_type),
            ),
            (header::CACHE_CONTROL, state.cache_control.clone()),
            (header::CONTENT_LENGTH, HeaderValue::from(entry.bytes.len())),
        ],
        entry.bytes,
    )
        .into_response())
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
