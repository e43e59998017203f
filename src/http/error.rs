//! `ApiError`: the only place that knows status codes.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::render::RenderError;
use crate::request::ParamError;

#[derive(Clone, Debug)]
pub enum ApiError {
    BadRequest(String),
    /// The signature is missing or wrong (signing is on).
    Forbidden,
    NotFound,
    MethodNotAllowed,
    UriTooLong(usize),
    /// No render slot within the wait, or the render ran past its deadline.
    Overloaded,
    /// Detail for the log only; the client sees "internal error".
    Internal(String),
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        ApiError::BadRequest(e.to_string())
    }
}

impl From<RenderError> for ApiError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::UnknownTemplate(_)
            | RenderError::MissingSize { .. }
            | RenderError::TooManyPixels { .. } => ApiError::BadRequest(e.to_string()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// `reason` as one line: a control character a client sent in a value it is echoed from
/// (`%00`, `%0A`) is written escaped (`\u{0}`, `\n`), never raw.
fn one_line(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    for c in reason.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, reason) = match self {
            ApiError::BadRequest(reason) => (StatusCode::BAD_REQUEST, reason),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "missing or invalid signature (`sig`)".to_string(),
            ),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not found".to_string()),
            ApiError::UriTooLong(max) => (
                StatusCode::URI_TOO_LONG,
                format!("query string longer than {max} bytes"),
            ),
            ApiError::Overloaded => (
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded, retry shortly".to_string(),
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed (use GET or HEAD)".to_string(),
            ),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "render failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_string(),
                )
            }
        };
        let mut response = (
            status,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                // An error is about this request, not a card: no cache should keep it.
                (header::CACHE_CONTROL, "no-store"),
            ],
            format!("{}\n", one_line(&reason)),
        )
            .into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        if status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}
