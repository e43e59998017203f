//! Caching and HTTP semantics for crawlers and CDNs, through `app()`.

mod common;

use common::*;

const URI: &str = "/api/og?title=%E0%B8%81%E0%B8%B2%E0%B8%A3%20cache";

#[tokio::test]
async fn etag_and_if_none_match_give_304_for_get_and_head() {
    let app = app();
    let (res, body) = send(&app, "GET", URI).await;
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "{etag}"
    );
    assert_eq!(res.headers()["accept-ranges"], "bytes");

    for method in ["GET", "HEAD"] {
        let (res, body304) = send_with(&app, method, URI, &[("if-none-match", &etag)]).await;
        assert_eq!(res.status(), 304, "{method}");
        assert!(body304.is_empty());
        assert_eq!(res.headers()["etag"], etag.as_str());
        assert!(res.headers().contains_key("cache-control"));
    }
    let list = format!("\"nope\", W/{etag}");
    let (res, _) = send_with(&app, "GET", URI, &[("if-none-match", &list)]).await;
    assert_eq!(res.status(), 304, "weak comparison in a list");
    let (res, again) = send_with(&app, "GET", URI, &[("if-none-match", "\"other\"")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(again, body);
}

#[tokio::test]
async fn the_etag_is_the_bytes_not_the_url() {
    let app = app();
    let (a, _) = send(&app, "GET", URI).await;
    let (b, _) = send(&app, "GET", &format!("{URI}&utm_source=x")).await;
    let (c, _) = send(&app, "GET", "/api/og?title=other").await;
    assert_eq!(a.headers()["etag"], b.headers()["etag"]);
    assert_ne!(a.headers()["etag"], c.headers()["etag"]);
}

#[tokio::test]
async fn a_single_range_is_206_and_an_unsatisfiable_one_416() {
    let app = app();
    let (_, whole) = send(&app, "GET", URI).await;
    let len = whole.len();

    let (res, part) = send_with(&app, "GET", URI, &[("range", "bytes=0-99")]).await;
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes 0-99/{len}").as_str()
    );
    assert_eq!(res.headers()["content-length"], "100");
    assert_eq!(part, &whole[..100]);

    let (res, tail) = send_with(&app, "GET", URI, &[("range", "bytes=-10")]).await;
    assert_eq!(res.status(), 206);
    assert_eq!(tail, &whole[len - 10..]);

    let (res, body) = send_with(&app, "GET", URI, &[("range", &format!("bytes={len}-"))]).await;
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );
    assert!(body.is_empty());
    // An error about this request's range: no cache may keep it as the card.
    assert_eq!(res.headers()["cache-control"], "no-store");

    // Several ranges: the whole body, as RFC 9110 allows.
    let (res, body) = send_with(&app, "GET", URI, &[("range", "bytes=0-1,5-9")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(body, whole);
}

#[tokio::test]
async fn x_cache_and_server_timing() {
    let app = app();
    let (miss, _) = send(&app, "GET", URI).await;
    assert_eq!(miss.headers()["x-cache"], "miss");
    let timing = miss.headers()["server-timing"].to_str().unwrap();
    for stage in ["layout;dur=", "raster;dur=", "encode;dur="] {
        assert!(timing.contains(stage), "{timing}");
    }
    let (hit, _) = send(&app, "GET", URI).await;
    assert_eq!(hit.headers()["x-cache"], "hit");
    assert!(!hit.headers().contains_key("server-timing"));
}

#[tokio::test]
async fn cache_control_is_configurable_and_errors_are_not_cached() {
    let app = app_with(&["--cache-control", "public, max-age=600"]);
    let (res, _) = send(&app, "GET", URI).await;
    assert_eq!(res.headers()["cache-control"], "public, max-age=600");
    let (res, _) = send(&app, "GET", "/api/og?format=gif").await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn robots_txt_lets_crawlers_fetch_cards() {
    let (res, body) = send(&app(), "GET", "/robots.txt").await;
    assert_eq!(res.status(), 200);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("User-agent: *"));
    assert!(body.contains("Allow: /api/og"));
    assert!(!body.contains("Disallow: /"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_identical_requests_render_once() {
    let state = state_with(&[]);
    let cache = state.cache.clone();
    let app = ogcard::app(state);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let app = app.clone();
        tasks.spawn(async move { send(&app, "GET", "/api/og?title=storm").await });
    }
    let mut bodies = Vec::new();
    while let Some(r) = tasks.join_next().await {
        let (res, body) = r.unwrap();
        assert_eq!(res.status(), 200);
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    let stats = cache.stats();
    assert_eq!(stats.renders, 1, "{stats:?}");
    assert_eq!(stats.hits + stats.misses, 64);
}

#[tokio::test]
async fn distinct_titles_never_push_the_cache_over_its_byte_budget() {
    let state = state_with(&["--cache-bytes", "16K"]);
    let cache = state.cache.clone();
    let app = ogcard::app(state);
    for i in 0..300 {
        let (res, _) = send(
            &app,
            "GET",
            &format!("/api/og?format=json&title=title%20{i}"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let stats = cache.stats();
        assert!(stats.bytes <= 16 * 1024, "{stats:?}");
    }
    let stats = cache.stats();
    assert!(stats.entries >= 5, "{stats:?}");
    // The most recent is still there; the first is long gone.
    let (res, _) = send(&app, "GET", "/api/og?format=json&title=title%20299").await;
    assert_eq!(res.headers()["x-cache"], "hit");
    let (res, _) = send(&app, "GET", "/api/og?format=json&title=title%200").await;
    assert_eq!(res.headers()["x-cache"], "miss");
}

#[test]
fn the_cache_key_changes_with_the_assets() {
    let dir = std::env::temp_dir().join(format!("ogcard-version-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = include_str!("../templates/default.svg").replace("#0f172a", "#111827");
    std::fs::write(dir.join("default.svg"), source).unwrap();
    let key = |state: &ogcard::http::AppState, query: &str| {
        let req = ogcard::request::parse_query(query, &state.defaults).unwrap();
        state.assets.get().card_key(&req).unwrap()
    };
    let embedded = state_with(&[]);
    let changed = state_with(&["--templates-dir", dir.to_str().unwrap()]);
    assert_ne!(key(&embedded, "title=a"), key(&changed, "title=a"));
    assert_eq!(key(&embedded, "title=a"), key(&state_with(&[]), "title=a"));
    // Only the changed template's cards: another template keeps its key.
    assert_eq!(
        key(&embedded, "title=a&template=article"),
        key(&changed, "title=a&template=article")
    );
}
