//! The HTTP face: routes, handlers and response headers.
//!
//! Knows nothing of fonts or pixels: it turns a query into a `CardRequest`, asks the cache
//! (which coalesces identical misses), runs `render::card` on the blocking pool on a miss,
//! and answers with validators and caching headers: `ETag`, `If-None-Match` → 304,
//! `Range` → 206/416, `X-Cache`, `Server-Timing`.
//!
//! Cards are made to be embedded: every `/api/og` response may be shown and read by any
//! page (`Cross-Origin-Resource-Policy: cross-origin`, `Access-Control-Allow-Origin: *`),
//! an SVG card runs nothing (`Content-Security-Policy: …; sandbox`), the playground runs
//! only its own inline script, and nothing is ever sniffed (`nosniff`) or sets a cookie.

mod error;
pub mod listen;
mod metrics;
mod range;
pub mod reload;
pub mod serve;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use metrics::{Metrics, Rejection, Timeout};

use crate::cache::{Cache, Entry, Lookup};
use crate::pictures::Pictures;
use crate::render::{self, hex, Assets, CardPictures, Deadline, RenderError, Rendered};
use crate::request::{parse_query, CardRequest, Defaults};
use crate::signing;
pub use reload::LiveAssets;

/// The longest query string accepted, in bytes; longer is a 414.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// The render function: `render::card_with`, or a stand-in in tests. It must give up
/// with `RenderError::DeadlineExceeded` soon after its deadline.
pub type Renderer =
    fn(&CardRequest, &Assets, &CardPictures, Deadline) -> Result<Rendered, RenderError>;

/// How long past its deadline a render may take to notice it before the request gets its
/// 503 anyway (the render then still holds its slot until it ends).
const DEADLINE_GRACE: Duration = Duration::from_secs(1);

/// Bounds on the work requests can cause.
pub struct Limits {
    /// One permit per render that may run at once.
    pub render_slots: Arc<tokio::sync::Semaphore>,
    pub render_wait: Duration,
    /// A render's deadline, from when it gets its slot: it stops there and frees the slot.
    pub render_timeout: Duration,
    /// When not empty, `/api/og` needs a `sig` valid under one of them.
    pub signing_keys: Vec<Vec<u8>>,
}
use range::{requested_range, RangeRequest};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The fonts and templates requests render with (swapped by a template reload).
    pub assets: Arc<LiveAssets>,
    pub defaults: Arc<Defaults>,
    pub cache: Arc<Cache<ApiError>>,
    pub cache_control: HeaderValue,
    pub limits: Arc<Limits>,
    pub renderer: Renderer,
    pub metrics: Arc<Metrics>,
    /// Pictures from the operator's `--image-sources` (none allowed by default).
    pub pictures: Arc<Pictures>,
    /// False once shutdown begins: `/readyz` then tells load balancers to stop sending.
    pub ready: Arc<AtomicBool>,
}

const ROBOTS: &str =
    "# Social crawlers may fetch cards.\nUser-agent: *\nAllow: /api/og\nAllow: /\n";

/// The whole service, testable without a socket.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(playground).fallback(method_not_allowed))
        .route("/api/og", get(og).fallback(method_not_allowed))
        .route("/healthz", get(healthz).fallback(method_not_allowed))
        .route("/readyz", get(readyz).fallback(method_not_allowed))
        .route("/metrics", get(metrics_text).fallback(method_not_allowed))
        .route("/robots.txt", get(robots).fallback(method_not_allowed))
        .fallback(not_found)
        .layer(middleware::from_fn(embedding_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .layer(
            TraceLayer::new_for_http()
                // Method and route only: a query holds titles, which stay out of info logs.
                .make_span_with(|req: &Request| {
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("other", |p| route_name(p.as_str()));
                    tracing::info_span!("request", method = %req.method(), route)
                })
                .on_request(())
                // Every response is logged below with its status; a 5xx logged again at
                // error would turn an overload (a burst of 503s) into an error storm.
                // Failed renders log their detail at error themselves (ApiError).
                .on_failure(())
                .on_response(|res: &Response, latency: Duration, _span: &tracing::Span| {
                    let cache = res
                        .headers()
                        .get("x-cache")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info!(
                        status = res.status().as_u16(),
                        latency_ms = latency.as_secs_f64() * 1000.0,
                        cache,
                        "response"
                    );
                }),
        )
        .with_state(state)
}

/// The routes by name, for metrics and logs (a fixed set: no label explosion).
fn route_name(path: &str) -> &'static str {
    match path {
        "/" => "/",
        "/api/og" => "/api/og",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        "/robots.txt" => "/robots.txt",
        _ => "other",
    }
}

async fn count_responses(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("other", |p| route_name(p.as_str()));
    let response = next.run(req).await;
    state.metrics.response(route, response.status().as_u16());
    response
}

/// What an SVG card may do in a browser that opens it: show itself, with its inline
/// styles, and nothing else (no script, no fetch, no navigation).
const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// Headers for embedding: `nosniff` on every response; on `/api/og` (cards, 304s, 206s
/// and errors alike) the ones that let any page show a card under
/// `Cross-Origin-Embedder-Policy: require-corp`, draw it into a canvas, fetch it, or read
/// its `Server-Timing`.
async fn embedding_headers(req: Request, next: Next) -> Response {
    let card = req
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| p.as_str() == "/api/og");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if card {
        for (name, value) in [
            ("cross-origin-resource-policy", "cross-origin"),
            ("access-control-allow-origin", "*"),
            ("timing-allow-origin", "*"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

async fn og(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let query = uri.query().unwrap_or("");
    if query.len() > MAX_QUERY_BYTES {
        return Err(ApiError::UriTooLong(MAX_QUERY_BYTES));
    }
    if !state.limits.signing_keys.is_empty()
        && !signing::verify_any(&state.limits.signing_keys, query)
    {
        return Err(ApiError::Forbidden);
    }
    let req = parse_query(query, &state.defaults)?;
    state
        .pictures
        .check(&req)
        .map_err(|(param, why)| ApiError::BadRequest(format!("parameter `{param}`: {why}")))?;
    // Refused here, before the cache or a render slot: under load a typo is still a 400.
    let assets = state.assets.get();
    let key = assets.card_key(&req)?;
    let (entry, lookup) = state
        .cache
        .get_or_render(&key, || render(&state, Arc::clone(&assets), req))
        .await?;
    Ok(respond(&state, &headers, entry, lookup))
}

/// Gathers the card's pictures (fetched or cached; their wait counts against the render's
/// deadline), then runs the renderer on the blocking pool once a render slot is free: 503
/// when none frees up within the wait or the render reaches its deadline (it stops there
/// and frees its slot), 500 when it fails or panics. A card missing a picture is marked
/// degraded (not kept, `X-Image-Error`).
async fn render(
    state: &AppState,
    assets: Arc<Assets>,
    req: CardRequest,
) -> Result<Entry, ApiError> {
    let limits = &state.limits;
    let started = Instant::now();
    let template = assets.template(&req.template, req.theme, req.size)?;
    let prepared = if req.pictures.iter().any(Option::is_some) && !template.pictures.is_empty() {
        // Pictures get four fifths of the deadline: what is not there by then is drawn as
        // its fallback, and the card itself still has time to be drawn.
        let until = started + limits.render_timeout.mul_f32(0.8);
        Some(state.pictures.gather(&req, template, req.dpr, until).await)
    } else {
        None
    };
    let render_timeout = limits.render_timeout.saturating_sub(started.elapsed());
    let slots = Arc::clone(&limits.render_slots);
    let permit = tokio::time::timeout(limits.render_wait, slots.acquire_owned())
        .await
        .map_err(|_| {
            state.metrics.rejected(Rejection::Busy);
            ApiError::Overloaded
        })?
        .map_err(|_| ApiError::Internal("render slots closed".into()))?;
    let deadline = Deadline::after(render_timeout);
    // The permit moves into the blocking task: it is released when the render really
    // ends, which the deadline makes soon after the 503 at the latest.
    let renderer = state.renderer;
    let metrics = Arc::clone(&state.metrics);
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let _in_flight = metrics.render_started();
        let started = Instant::now();
        let card_pictures = prepared
            .as_ref()
            .map_or_else(CardPictures::none, |p| p.pictures.clone());
        let result = renderer(&req, &assets, &card_pictures, deadline);
        metrics.render_took(started.elapsed());
        result.map(|r| (r, prepared.and_then(|p| p.error_header())))
    });
    let outcome = tokio::time::timeout(render_timeout + DEADLINE_GRACE, task).await;
    match outcome {
        Ok(Ok(Ok((rendered, degraded)))) => Ok(entry_of(rendered, degraded)),
        Ok(Ok(Err(RenderError::DeadlineExceeded))) | Err(_) => {
            state.metrics.rejected(Rejection::Deadline);
            Err(ApiError::Overloaded)
        }
        Ok(Ok(Err(e))) => Err(e.into()),
        Ok(Err(e)) => Err(ApiError::Internal(format!("render task: {e}"))),
    }
}

/// The cache entry of a render. Every buffer is cut to its length: the cache counts what
/// an entry holds, and encoders leave spare capacity (a doubled `Vec`, a 64 KiB start).
fn entry_of(rendered: render::Rendered, degraded: Option<String>) -> Entry {
    let etag = format!("\"{}\"", hex(&Sha256::digest(&rendered.bytes)[..16]));
    let server_timing = rendered
        .timings
        .iter()
        .map(|(stage, d)| format!("{stage};dur={:.2}", d.as_secs_f64() * 1000.0))
        .collect::<Vec<_>>()
        .join(", ");
    let mut bytes = rendered.bytes;
    bytes.shrink_to_fit();
    Entry {
        bytes: Bytes::from(bytes),
        content_type: rendered.content_type,
        etag: etag.into(),
        server_timing: server_timing.into(),
        degraded: degraded.map(Into::into),
    }
}

/// How long a card drawn without one of its pictures may be kept: a CDN asks again soon,
/// when the picture may be back.
const DEGRADED_CACHE_CONTROL: &str = "public, max-age=60";

/// 200, 206, 304 or 416 for `entry`, by the request's validators and range.
fn respond(state: &AppState, headers: &HeaderMap, entry: Entry, lookup: Lookup) -> Response {
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, state.cache_control.clone());
    if let Some(why) = &entry.degraded {
        out.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(DEGRADED_CACHE_CONTROL),
        );
        if let Ok(v) = HeaderValue::from_str(why) {
            out.insert("x-image-error", v);
        }
    }
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert("x-cache", HeaderValue::from_static(lookup.as_str()));
    if let Ok(etag) = HeaderValue::from_str(&entry.etag) {
        out.insert(header::ETAG, etag);
    }
    if lookup == Lookup::Miss {
        if let Ok(timing) = HeaderValue::from_str(&entry.server_timing) {
            out.insert("server-timing", timing);
        }
    }
    // On the 304 too: a cache refreshing its copy takes the new headers.
    if entry.content_type == crate::request::Format::Svg.content_type() {
        out.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SVG_CSP),
        );
    }

    if none_match(headers, &entry.etag) {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }

    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(entry.content_type),
    );
    let len = entry.bytes.len();
    match requested_range(headers, &entry.etag, len) {
        RangeRequest::Whole => {
            out.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            (StatusCode::OK, out, entry.bytes).into_response()
        }
        RangeRequest::Part(range) => {
            let content_range = format!("bytes {}-{}/{len}", range.start, range.end - 1);
            out.insert(header::CONTENT_LENGTH, HeaderValue::from(range.len()));
            if let Ok(v) = HeaderValue::from_str(&content_range) {
                out.insert(header::CONTENT_RANGE, v);
            }
            (StatusCode::PARTIAL_CONTENT, out, entry.bytes.slice(range)).into_response()
        }
        RangeRequest::Unsatisfiable => {
            out.remove(header::CONTENT_TYPE);
            // An error about this request's range, not the card: nothing may keep it.
            out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                out.insert(header::CONTENT_RANGE, v);
            }
            out.insert(header::CONTENT_LENGTH, HeaderValue::from(0));
            (StatusCode::RANGE_NOT_SATISFIABLE, out).into_response()
        }
    }
}

/// Whether `If-None-Match` matches `etag` (weak comparison, as RFC 9110 asks for it).
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready: the assets loaded (the state exists only then) and no shutdown has begun.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.ready.load(Ordering::Relaxed) {
        let assets = state.assets.get();
        let templates = assets.templates.names().count();
        let fonts = assets.fonts.faces.len();
        format!("ready: {templates} templates, {fonts} fonts\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response()
    }
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render_text(&state.cache.stats())
            + &metrics::pictures_text(&state.pictures)
            + &metrics::photos_text(&state.assets.get()),
    )
}

const PLAYGROUND: &str = include_str!("playground.html");

/// The playground's policy: its own inline style and script (by hash), cards and layouts
/// from this origin, nothing else; no framing, no base or form targets.
static PLAYGROUND_CSP: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    let hash = |tag: &str| {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let body = PLAYGROUND
            .split_once(open.as_str())
            .and_then(|(_, rest)| rest.split_once(close.as_str()))
            .map_or("", |(body, _)| body);
        use base64::Engine;
        let digest = Sha256::digest(body.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    let policy = format!(
        "default-src 'none'; img-src 'self'; connect-src 'self'; style-src {}; \
         script-src {}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hash("style"),
        hash("script")
    );
    HeaderValue::from_str(&policy).expect("a policy is visible ASCII")
});

/// The playground: one page, no build step, the template names filled in.
async fn playground(State(state): State<AppState>) -> Response {
    let default = state.defaults.template.as_str();
    let options: String = state
        .assets
        .get()
        .templates
        .names()
        .map(|n| {
            let selected = if n == default { " selected" } else { "" };
            format!("<option value=\"{n}\"{selected}>{n}</option>")
        })
        .collect();
    // Template names are identifiers (letters, digits, `-`, `_`): nothing to escape.
    let page = Html(
        PLAYGROUND
            .replace("<!--TEMPLATES-->", &options)
            .replace("<!--DEFAULT-TEMPLATE-->", default),
    );
    (
        [(header::CONTENT_SECURITY_POLICY, PLAYGROUND_CSP.clone())],
        page,
    )
        .into_response()
}

async fn robots() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ROBOTS,
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
