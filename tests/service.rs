//! Running it as a service: metrics, readiness, the playground page, configuration errors.

mod common;

use clap::Parser;
use common::*;
use ogcard::config::Config;

#[tokio::test]
async fn metrics_count_requests_cache_and_renders() {
    let app = app();
    send(&app, "GET", "/api/og?title=metrics").await;
    send(&app, "GET", "/api/og?title=metrics").await;
    send(&app, "GET", "/api/og?format=gif").await;
    // Refused before any render: not a render, not a rejection.
    send(&app, "GET", "/api/og?template=nosuch").await;
    let (res, body) = send(&app, "GET", "/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = String::from_utf8(body).unwrap();
    for line in [
        "ogcard_http_responses_total{route=\"/api/og\",status=\"200\"} 2",
        "ogcard_http_responses_total{route=\"/api/og\",status=\"400\"} 2",
        "ogcard_cache_hits_total 1",
        "ogcard_cache_misses_total 1",
        "ogcard_renders_total 1",
        "ogcard_cache_entries 1",
        "ogcard_renders_in_flight 0",
        "ogcard_rejections_total{reason=\"busy\"} 0",
        "ogcard_rejections_total{reason=\"deadline\"} 0",
        "ogcard_connections_refused_total 0",
        "ogcard_render_duration_seconds_count 1",
        "ogcard_render_duration_seconds_bucket{le=\"+Inf\"} 1",
        "# TYPE ogcard_render_duration_seconds histogram",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(text.contains("ogcard_cache_bytes "));
}

#[tokio::test]
async fn readyz_is_ready_until_shutdown_begins() {
    let state = state_with(&[]);
    let faces = state.assets.get().fonts.faces.len();
    let templates = state.assets.get().templates.names().count();
    let ready = state.ready.clone();
    let app = ogcard::app(state);
    let (res, body) = send(&app, "GET", "/readyz").await;
    assert_eq!(res.status(), 200);
    let expected = format!("ready: {templates} templates, {faces} fonts");
    assert!(String::from_utf8(body).unwrap().starts_with(&expected));
    ready.store(false, std::sync::atomic::Ordering::Relaxed);
    let (res, _) = send(&app, "GET", "/readyz").await;
    assert_eq!(res.status(), 503);
    let (res, _) = send(&app, "GET", "/healthz").await;
    assert_eq!(res.status(), 200, "liveness is not readiness");
}

#[tokio::test]
async fn the_playground_is_one_page_with_the_templates() {
    let (res, body) = send(&app(), "GET", "/").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    for name in ["light", "article", "brand"] {
        assert!(html.contains(&format!("<option value=\"{name}\">{name}</option>")));
    }
    // It starts on the default template.
    assert!(html.contains("<option value=\"default\" selected>default</option>"));
    assert!(html.contains("data-default=\"default\""));
    assert!(html.contains("id=\"title\"") && html.contains("og:image"));
    assert!(!html.contains("<!--TEMPLATES-->") && !html.contains("<!--DEFAULT-TEMPLATE-->"));
}

fn config_error(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut argv = vec!["ogcard"];
    argv.extend_from_slice(args);
    let parsed = Config::try_parse_from(argv);
    let config = match parsed {
        Err(e) => return e.to_string(),
        Ok(c) => c,
    };
    for (k, v) in env {
        std::env::set_var(k, v);
    }
    let result = ogcard::state(&config).and_then(|_| config.listen_addr().map(|_| ()));
    for (k, _) in env {
        std::env::remove_var(k);
    }
    match result {
        Ok(()) => panic!("{args:?} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn invalid_configuration_fails_with_a_clear_message() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (&["--cache-bytes", "lots"], &[], "not a size"),
        (&["--cache-bytes", "5 parsecs"], &[], "unknown unit"),
        (&["--render-concurrency", "0"], &[], "at least 1"),
        (&["--signing-key", ""], &[], "signing key is empty"),
        (
            &["--default-template", "nope"],
            &[],
            "default template `nope` does not exist",
        ),
        (
            &["--cache-control", "bad\nvalue"],
            &[],
            "not a valid header value",
        ),
        (
            &["--listen", "not-an-address"],
            &[],
            "invalid socket address",
        ),
        (&["--log-format", "xml"], &[], "invalid value 'xml'"),
        (&["--png-level", "0"], &[], "0 is not in 1..=9"),
        (&["--png-level", "10"], &[], "10 is not in 1..=9"),
        (
            &["--templates-dir", "/nonexistent/templates"],
            &[],
            "/nonexistent/templates",
        ),
        (
            &[],
            &[("PORT", "eighty")],
            "PORT=\"eighty\" is not a port number",
        ),
    ];
    for (args, env, expected) in cases {
        let err = config_error(args, env);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn extra_font_directories_add_faces_and_change_the_asset_version() {
    let dir = std::env::temp_dir().join(format!("ogcard-fontdir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let font = include_bytes!("../fonts/NotoSansLao-Regular.ttf");
    std::fs::write(dir.join("Extra.ttf"), font).unwrap();
    std::fs::write(dir.join("README.txt"), "not a font, ignored").unwrap();
    let plain = state_with(&[]);
    let extra = state_with(&["--font-dir", dir.to_str().unwrap()]);
    assert_eq!(
        extra.assets.get().fonts.faces.len(),
        plain.assets.get().fonts.faces.len() + 1
    );
    let key = |state: &ogcard::http::AppState| {
        let req = ogcard::request::parse_query("title=a", &state.defaults).unwrap();
        state.assets.get().card_key(&req).unwrap()
    };
    assert_ne!(key(&extra), key(&plain));

    std::fs::write(dir.join("Broken.ttf"), b"not a font").unwrap();
    let config = Config::parse_from(["ogcard", "--font-dir", dir.to_str().unwrap()]);
    let err = ogcard::state(&config)
        .err()
        .expect("a broken font fails startup")
        .to_string();
    assert!(err.contains("Broken.ttf"), "{err}");
}
