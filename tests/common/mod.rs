//! Helpers shared by the integration tests.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const SEED_TITLE: &str =
    "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek: ข้อมูลเชิงลึกจากการประชุมสุดยอด AI แบบปิดประตู";

/// The seed URL's query as the blog writes it: raw Thai bytes, `%20` for spaces.
pub const SEED_QUERY_RAW: &str =
    "title=การปฏิวัติแบบโอเพนซอร์สของ%20DeepSeek:%20ข้อมูลเชิงลึกจากการประชุมสุดยอด%20AI%20แบบปิดประตู";

/// The service as `cargo run` builds it, with `args` as extra flags.
pub fn app_with(args: &[&str]) -> Router {
    let mut argv = vec!["ogcard"];
    argv.extend_from_slice(args);
    let config = ogcard::config::Config::parse_from(argv);
    ogcard::app(ogcard::state(&config).expect("assets load"))
}

pub fn app() -> Router {
    app_with(&[])
}

pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub async fn send(app: &Router, method: &str, uri: &str) -> (Response<()>, Vec<u8>) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (Response::from_parts(parts, ()), bytes)
}

pub async fn get_json(app: &Router, query: &str) -> serde_json::Value {
    let (res, body) = send(app, "GET", &format!("/api/og?{query}&format=json")).await;
    assert_eq!(res.status(), 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

pub fn line_texts(layout: &serde_json::Value) -> Vec<String> {
    layout["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

/// Decodes a PNG into (width, height, RGBA8 pixels).
pub fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}
