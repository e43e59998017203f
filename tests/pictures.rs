//! Pictures in cards, fetched from an in-process picture server on loopback: every format
//! drawn where its slot is, every hostile answer (a 50 MB body, a slow drip, a pixel bomb,
//! HTML, a 404, redirects to metadata, to an IPv4-mapped loopback, outside the prefixes,
//! in a loop, a name that resolves to loopback, a TLS certificate no root signed) refused
//! or degraded as the README says, coalesced fetches, and the server healthy afterwards.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use common::*;

/// A solid-colour picture in `format`.
fn solid(format: image::ImageFormat, rgb: [u8; 3]) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(64, 48, image::Rgb(rgb));
    let mut out = std::io::Cursor::new(Vec::new());
    match format {
        image::ImageFormat::WebP => {
            image::DynamicImage::ImageRgba8(image::DynamicImage::ImageRgb8(picture).to_rgba8())
                .write_to(&mut out, format)
                .unwrap()
        }
        _ => picture.write_to(&mut out, format).unwrap(),
    }
    out.into_inner()
}

/// A valid PNG header claiming 20000×20000 pixels, followed by a few KB of nothing.
fn pixel_bomb() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, 20_000, 20_000);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        // One chunk of zeros: far fewer rows than the header promises.
        writer
            .write_chunk(
                png::chunk::IDAT,
                &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
            )
            .unwrap();
        // The writer would finish the image on drop; the file is cut here instead.
        std::mem::forget(writer);
    }
    out.extend_from_slice(&vec![0u8; 4096]);
    out
}

/// A 16-bit RGBA PNG of 4000×4000 (16 Mpx, 128 MB of samples), a few hundred KB on the
/// wire: under the pixel cap, heavy to decode.
fn sixteen_bit_bomb() -> Vec<u8> {
    use std::io::Write;
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| {
        let (w, h) = (4000u32, 4000u32);
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Sixteen);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row: Vec<u8> = (0..w as usize * 8).map(|i| (i / 8 % 251) as u8).collect();
        for _ in 0..h {
            stream.write_all(&row).unwrap();
        }
        stream.finish().unwrap();
        writer.finish().unwrap();
        out
    })
    .clone()
}

#[derive(Clone)]
struct Origin {
    /// Requests for `/counted.jpg`.
    counted: Arc<AtomicUsize>,
    /// Every request target, as sent.
    targets: Arc<std::sync::Mutex<Vec<String>>>,
    port: u16,
}

async fn picture_server() -> (SocketAddr, Origin) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let origin = Origin {
        counted: Arc::new(AtomicUsize::new(0)),
        targets: Arc::default(),
        port: addr.port(),
    };
    let photo = std::fs::read("tests/data/pictures/rocket.jpg").unwrap();
    let avatar = std::fs::read("tests/data/pictures/chelsea.png").unwrap();
    let file = |bytes: Vec<u8>, kind: &'static str| {
        move || async move {
            (
                [
                    (header::CONTENT_TYPE, kind),
                    (header::CACHE_CONTROL, "max-age=600"),
                ],
                bytes,
            )
        }
    };
    let red = [220, 20, 20];
    let app = Router::new()
        .route("/cover.jpg", get(file(photo.clone(), "image/jpeg")))
        .route("/avatar.png", get(file(avatar, "image/png")))
        .route(
            "/red.png",
            get(file(solid(image::ImageFormat::Png, red), "image/png")),
        )
        .route(
            "/red.jpg",
            get(file(solid(image::ImageFormat::Jpeg, red), "image/jpeg")),
        )
        .route(
            "/red.webp",
            get(file(solid(image::ImageFormat::WebP, red), "image/webp")),
        )
        .route(
            "/red.gif",
            get(file(solid(image::ImageFormat::Gif, red), "image/gif")),
        )
        // A PNG named .jpg, served as JPEG: the bytes decide.
        .route(
            "/named.jpg",
            get(file(solid(image::ImageFormat::Png, red), "image/jpeg")),
        )
        .route("/bomb.png", get(file(pixel_bomb(), "image/png")))
        .route(
            "/page.html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<!doctype html><p>hi",
                )
            }),
        )
        .route(
            "/big.jpg",
            get(|| async {
                // 50 MB, chunked: no Content-Length to trust or refuse by.
                let chunk = bytes::Bytes::from(vec![0xffu8; 1 << 20]);
                let chunks = (0..50).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
                Response::new(Body::from_stream(futures_util::stream::iter(chunks)))
            }),
        )
        .route(
            "/drip.jpg",
            get(|| async {
                // A byte every 300 ms, for at most 20 s.
                let drip = futures_util::stream::unfold(0u32, |n| async move {
                    if n >= 64 {
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Some((
                        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"\xff")),
                        n + 1,
                    ))
                });
                Response::new(Body::from_stream(drip))
            }),
        )
        .route(
            "/counted.jpg",
            get(move |State(o): State<Origin>| {
                let photo = photo.clone();
                async move {
                    o.counted.fetch_add(1, Ordering::SeqCst);
                    // Slow enough that concurrent cards overlap.
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    ([(header::CONTENT_TYPE, "image/jpeg")], photo)
                }
            }),
        )
        .route("/to-cover", get(|| async { redirect("/cover.jpg") }))
        .route(
            "/to-metadata",
            get(|| async { redirect("http://169.254.169.254/latest/meta-data/") }),
        )
        .route(
            "/to-mapped",
            get(|State(o): State<Origin>| async move {
                redirect(&format!("http://[::ffff:127.0.0.1]:{}/cover.jpg", o.port))
            }),
        )
        .route(
            "/to-outside",
            get(|| async { redirect("https://images.example.org/cover.jpg") }),
        )
        .route("/loop", get(|| async { redirect("/loop") }))
        .route(
            "/allowed/red.png",
            get(file(solid(image::ImageFormat::Png, red), "image/png")),
        )
        .route(
            "/allowed/jump",
            get(|| async { redirect("/allowed/..%2fsecret/red.png") }),
        )
        .route(
            "/slow.png",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                (
                    [(header::CONTENT_TYPE, "image/png")],
                    solid(image::ImageFormat::Png, [220, 20, 20]),
                )
            }),
        )
        .route("/bomb16.png", get(file(sixteen_bit_bomb(), "image/png")))
        // Like Python's http.server: the path is percent-decoded before it is looked up,
        // so `/allowed/..%2fsecret/red.png` is `/secret/red.png` here.
        .route(
            "/secret/red.png",
            get(file(solid(image::ImageFormat::Png, red), "image/png")),
        )
        .layer(axum::middleware::from_fn_with_state(origin.clone(), record))
        .with_state(origin.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (addr, origin)
}

/// Notes every request target the origin receives, as sent.
async fn record(
    State(o): State<Origin>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    o.targets.lock().unwrap().push(req.uri().to_string());
    next.run(req).await
}

fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

/// The real binary, fetching pictures from under `base` (unsigned, as the tests' origin is).
async fn ogcard_with_sources(base: &str) -> Spawned {
    start_server(
        &["--image-sources", base, "--unsigned-pictures"],
        &[],
        std::process::Stdio::inherit(),
    )
    .await
}

struct Setup {
    app: Router,
    origin: Origin,
    base: String,
}

async fn setup() -> Setup {
    setup_with(&[]).await
}

async fn setup_with(extra: &[&str]) -> Setup {
    let (addr, origin) = picture_server().await;
    let base = format!("http://{addr}/");
    let mut args = vec![
        "--image-sources",
        &base,
        "--unsigned-pictures",
        "--image-timeout-ms",
        "1500",
    ];
    args.extend_from_slice(extra);
    let app = app_with(&args);
    Setup { app, origin, base }
}

/// GETs a card; returns the response and its RGBA pixels (`None` for a non-PNG body).
async fn card(app: &Router, query: &str) -> (Response<()>, Option<(u32, u32, Vec<u8>)>) {
    let (res, body) = send(app, "GET", &format!("/api/og?{query}")).await;
    let pixels = (res.status() == 200 && body.starts_with(b"\x89PNG")).then(|| decode_png(&body));
    (res, pixels)
}

fn pixel(pixels: &(u32, u32, Vec<u8>), x: u32, y: u32) -> [u8; 3] {
    let at = ((y * pixels.0 + x) * 4) as usize;
    [pixels.2[at], pixels.2[at + 1], pixels.2[at + 2]]
}

fn header<'a>(res: &'a Response<()>, name: &str) -> Option<&'a str> {
    res.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A point of `cover`'s image slot away from the text: red under the shade when the
/// picture is drawn, the fallback's slate otherwise.
fn shows_red(pixels: &(u32, u32, Vec<u8>)) -> bool {
    let [r, g, b] = pixel(pixels, 900, 150);
    r > 120 && g < 40 && b < 40
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_is_drawn_in_its_slot_and_cached() {
    let s = setup().await;
    for file in ["red.png", "red.jpg", "red.webp", "red.gif", "named.jpg"] {
        let query = format!("template=cover&title=x&image={}{file}", encode(&s.base));
        let (res, pixels) = card(&s.app, &query).await;
        assert_eq!(res.status(), 200, "{file}");
        assert!(header(&res, "x-image-error").is_none(), "{file}");
        assert!(
            shows_red(pixels.as_ref().unwrap()),
            "{file}: the picture is drawn"
        );
        let (again, _) = card(&s.app, &query).await;
        assert_eq!(
            header(&again, "x-cache"),
            Some("hit"),
            "{file}: a whole card is kept"
        );
    }
    // A photo card fits WhatsApp's ~300 KB as a PNG (quantised: losslessly it is ~550 KB),
    // and drawn close to its lossless self (a JPEG at quality 100 stands in for it).
    let photo = format!("template=cover&title=x&image={}cover.jpg", encode(&s.base));
    let (res, body) = send(&s.app, "GET", &format!("/api/og?{photo}")).await;
    assert_eq!(res.status(), 200);
    assert!(
        body.len() <= 300 * 1024,
        "photo card PNG: {} bytes",
        body.len()
    );
    let png = decode_png(&body);
    let (_, jpeg) = send(
        &s.app,
        "GET",
        &format!("/api/og?{photo}&format=jpeg&quality=100"),
    )
    .await;
    let reference = image::load_from_memory(&jpeg).unwrap().to_rgba8();
    let mean = png
        .2
        .iter()
        .zip(reference.as_raw())
        .map(|(a, b)| f64::from(a.abs_diff(*b)))
        .sum::<f64>()
        / png.2.len() as f64;
    eprintln!(
        "photo card: PNG {} bytes, mean difference {mean:.2}/255",
        body.len()
    );
    assert!(mean < 4.0, "mean difference from the lossless card: {mean}");

    // The photo and the avatar from the README's example.
    let query = format!(
        "template=article&title=x&author=Som&avatar={}avatar.png",
        encode(&s.base)
    );
    let layout = get_json(&s.app, &query).await;
    assert_eq!(layout["pictures"][0]["name"], "avatar");
    assert_eq!(layout["pictures"][0]["drawn"], true);
    let (res, pixels) = card(&s.app, &query).await;
    assert_eq!(res.status(), 200);
    let pixels = pixels.unwrap();
    // The circle's middle is the cat (warm); its corner is the card's background.
    let [r, g, b] = pixel(&pixels, 116, 566);
    assert!(r > g && g > b, "the avatar is drawn: {:?}", [r, g, b]);
    assert_eq!(
        pixel(&pixels, 82, 532),
        pixel(&pixels, 60, 532),
        "outside the circle"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_pictures_degrade_to_the_fallback_and_are_not_kept() {
    let s = setup().await;
    let port = s.origin.port;
    let cases = [
        ("big.jpg", "too-large"),
        ("drip.jpg", "timeout"),
        ("bomb.png", "too-many-pixels"),
        ("page.html", "not-a-picture"),
        ("missing.png", "status-404"),
        ("to-metadata", "redirect-not-allowed"),
        ("to-mapped", "redirect-not-allowed"),
        ("to-outside", "redirect-not-allowed"),
        ("loop", "too-many-redirects"),
    ];
    for (path, reason) in cases {
        let query = format!("template=cover&title=x&image={}{path}", encode(&s.base));
        let started = std::time::Instant::now();
        let (res, pixels) = card(&s.app, &query).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{path}: {:?}",
            started.elapsed()
        );
        assert_eq!(
            header(&res, "x-image-error"),
            Some(&*format!("image={reason}")),
            "{path}"
        );
        assert_eq!(
            header(&res, "cache-control"),
            Some("public, max-age=60"),
            "{path}"
        );
        assert!(
            !shows_red(pixels.as_ref().unwrap()),
            "{path}: the fallback is drawn"
        );
        let (again, _) = card(&s.app, &query).await;
        assert_eq!(header(&again, "x-cache"), Some("miss"), "{path}: not kept");
        assert_eq!(
            header(&again, "x-image-error"),
            Some(&*format!("image={reason}"))
        );
    }
    // A relative redirect inside the prefix is followed.
    let query = format!("template=cover&title=x&image={}to-cover", encode(&s.base));
    let (res, _) = card(&s.app, &query).await;
    assert!(header(&res, "x-image-error").is_none());

    // The picture server's own name resolves to loopback: refused, though its prefix is
    // allowed (only the exact IP literal a prefix names may be non-public).
    let by_name = format!("http://localhost:{port}/");
    let app = app_with(&["--image-sources", &by_name, "--unsigned-pictures"]);
    let query = format!("template=cover&title=x&image={}cover.jpg", encode(&by_name));
    let (res, _) = card(&app, &query).await;
    assert_eq!(header(&res, "x-image-error"), Some("image=refused-address"));

    // The server is still well.
    let (res, _) = send(&s.app, "GET", "/healthz").await;
    assert_eq!(res.status(), 200);
    let (res, _) = card(&s.app, "title=still+fine").await;
    assert_eq!(res.status(), 200);
    let (_, metrics) = send(&s.app, "GET", "/metrics").await;
    let metrics = String::from_utf8(metrics).unwrap();
    for result in [
        "too-large",
        "timeout",
        "too-many-pixels",
        "status",
        "redirect-not-allowed",
    ] {
        assert!(
            metrics.contains(&format!(
                "ogcard_image_fetches_total{{result=\"{result}\"}}"
            )),
            "{result} counted:\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_outside_the_sources_are_400s_naming_the_parameter() {
    let s = setup().await;
    for (query, says) in [
        (
            "image=https%3A%2F%2Fevil.example%2Fa.png",
            "parameter `image`: not under an allowed",
        ),
        (
            "logo=http%3A%2F%2F127.0.0.1%3A1%2Fa.png",
            "parameter `logo`: not under an allowed",
        ),
        (
            "avatar=file%3A%2F%2F%2Fetc%2Fpasswd",
            "parameter `avatar` is not an absolute http(s) URL",
        ),
        (
            "image=%2Frelative.png",
            "parameter `image` is not an absolute http(s) URL",
        ),
    ] {
        let (res, body) = send(&s.app, "GET", &format!("/api/og?template=cover&{query}")).await;
        let body = String::from_utf8(body).unwrap();
        assert_eq!(res.status(), 400, "{query}: {body}");
        assert!(body.contains(says), "{query}: {body}");
    }
    // Off by default: any picture parameter is refused.
    let off = app();
    let query = format!("template=cover&image={}cover.jpg", encode(&s.base));
    let (res, body) = send(&off, "GET", &format!("/api/og?{query}")).await;
    assert_eq!(res.status(), 400);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("pictures are off"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_sharing_a_picture_fetch_it_once() {
    // Twelve photo cards queue for two render slots in a debug build on a busy machine:
    // this test is about fetches, so no card may give up waiting (JPEG: the cheap format
    // for photo cards).
    let s = setup_with(&["--render-wait-ms", "60000"]).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..12 {
        let app = s.app.clone();
        let query = format!(
            "template=cover&format=jpeg&title=card+{i}&image={}counted.jpg",
            encode(&s.base)
        );
        tasks.spawn(async move { card(&app, &query).await.0.status() });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(
        s.origin.counted.load(Ordering::SeqCst),
        1,
        "one fetch for 12 cards"
    );
    // In another size the same body is fitted again, not fetched again.
    let query = format!(
        "template=cover&size=square&title=x&image={}counted.jpg",
        encode(&s.base)
    );
    let (res, _) = card(&s.app, &query).await;
    assert_eq!(res.status(), 200);
    assert_eq!(s.origin.counted.load(Ordering::SeqCst), 1);
}

/// The real binary, a cover photo and an avatar from an allowed origin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_server_draws_a_cover_photo_and_an_avatar() {
    let (addr, _origin) = picture_server().await;
    let base = format!("http://{addr}/");
    let server = ogcard_with_sources(&base).await;
    for query in [
        format!("template=cover&title=x&image={}red.jpg", encode(&base)),
        format!(
            "template=article&title=x&avatar={}avatar.png",
            encode(&base)
        ),
    ] {
        let res = raw_request(server.addr, "GET", &format!("/api/og?{query}"), &[]).await;
        assert_eq!(res.status, 200, "{query}");
        assert!(res.header("x-image-error").is_none(), "{query}");
        let pixels = decode_png(&res.body);
        if query.contains("cover") {
            assert!(shows_red(&pixels));
        }
    }
}

/// A picture origin over TLS whose certificate no trusted root signed (self-signed for
/// 127.0.0.1): the fetch refuses it (`tls`), it does not fall back to plain HTTP, and the
/// card degrades like any other failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter("tests/data/tls/cert.pem")
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file("tests/data/tls/key.pem").unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    tokio::spawn(async move {
        // At most a few connections: each test request makes one.
        for _ in 0..8 {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                // A client that trusted us would get a red picture.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = [0u8; 1024];
                let _ = tls.read(&mut head).await;
                counter.fetch_add(1, Ordering::SeqCst);
                let body = solid(image::ImageFormat::Png, [220, 20, 20]);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(&body).await;
            });
        }
    });
    let base = format!("https://{addr}/");
    let app = app_with(&["--image-sources", &base, "--unsigned-pictures"]);
    let query = format!("template=cover&title=x&image={}red.png", encode(&base));
    let (res, pixels) = card(&app, &query).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "x-image-error"), Some("image=tls"));
    assert!(!shows_red(pixels.as_ref().unwrap()));
    assert_eq!(
        served.load(Ordering::SeqCst),
        0,
        "no request crossed the handshake"
    );
}

/// `..%2f`, `%2e%2e%2f`, double encodings, through the real server: refused with a 400
/// naming the parameter, and a redirect to one is refused too. The origin decodes `%2F`
/// (as Python's http.server does) and would serve `/secret/red.png`; it never sees a
/// request outside `/allowed/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encoded_separator_cannot_leave_the_prefix() {
    let (addr, origin) = picture_server().await;
    let base = format!("http://{addr}/allowed/");
    let server = ogcard_with_sources(&base).await;
    let card = |picture: String| {
        let target = format!("/api/og?template=cover&title=x&image={}", encode(&picture));
        async move { raw_request(server.addr, "GET", &target, &[]).await }
    };
    for path in [
        "..%2fsecret/red.png",
        "..%2Fsecret/red.png",
        "%2e%2e%2fsecret/red.png",
        "x/..%2f..%2fsecret/red.png",
        "..%5csecret/red.png",
        "..%252fsecret/red.png",
        "%252e%252e/secret/red.png",
    ] {
        let res = card(format!("{base}{path}")).await;
        let body = String::from_utf8(res.body).unwrap();
        assert_eq!(res.status, 400, "{path}: {body}");
        assert!(
            body.contains("parameter `image`") && body.contains("encoded"),
            "{path}: {body}"
        );
    }
    // Inside the prefix: drawn. A redirect hop to an encoded escape: refused, not fetched.
    let res = card(format!("{base}red.png")).await;
    assert_eq!(res.status, 200);
    assert!(res.header("x-image-error").is_none());
    assert!(shows_red(&decode_png(&res.body)));
    let res = card(format!("{base}jump")).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("x-image-error"),
        Some("image=redirect-not-allowed")
    );
    assert!(!shows_red(&decode_png(&res.body)));
    let targets = origin.targets.lock().unwrap().clone();
    assert_eq!(targets, ["/allowed/red.png", "/allowed/jump"]);
}

/// Slow URLs under the prefix fill the fetch slots; a healthy picture asked for meanwhile
/// may be missing (`busy`: our queue, said so, not remembered), but right after the flood
/// it is fetched and drawn — not a failure remembered for a minute.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_picture_is_drawn_right_after_a_flood_of_slow_ones() {
    let s = setup_with(&["--image-fetches", "2", "--image-fetches-per-origin", "2"]).await;
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..6 {
        let app = s.app.clone();
        let query = format!(
            "template=cover&title=slow+{i}&image={}",
            encode(&format!("{}slow.png?n={i}", s.base))
        );
        flood.spawn(async move { card(&app, &query).await.0 });
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let healthy = format!("template=cover&title=x&image={}red.png", encode(&s.base));
    let (during, _) = card(&s.app, &healthy).await;
    assert_eq!(during.status(), 200);
    if let Some(error) = header(&during, "x-image-error") {
        assert_eq!(
            error, "image=busy",
            "only our own queue may have kept it out"
        );
    }
    while let Some(res) = flood.join_next().await {
        let res = res.unwrap();
        assert_eq!(res.status(), 200);
        let error = header(&res, "x-image-error").unwrap_or_default();
        assert!(["image=timeout", "image=busy"].contains(&error), "{error}");
    }
    let (after, pixels) = card(&s.app, &healthy).await;
    assert_eq!(after.status(), 200);
    assert!(header(&after, "x-image-error").is_none());
    assert!(shows_red(pixels.as_ref().unwrap()));
}

/// The peak resident memory of process `pid` (`VmHWM`), and its current (`VmRSS`), in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Eight 16-bit 16 Mpx PNGs at once (distinct query strings: eight fetches, eight decodes)
/// against the real server: each is charged 83 MB against the 128 MiB decode budget before
/// it is decoded, so they take turns, and the server's peak RSS stays within 256 MiB of
/// where it was; meanwhile text cards from another client are served, because decodes do
/// not hold the render slots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picture_bombs_take_turns_under_the_budget_while_text_cards_are_served() {
    let (addr, origin) = picture_server().await;
    let base = format!("http://{addr}/");
    let server = ogcard_with_sources(&base).await;
    // Warm: one text card, so the baseline holds what any card needs.
    let warm = raw_request(server.addr, "GET", "/api/og?title=warm", &[]).await;
    assert_eq!(warm.status, 200);
    let pid = server.child.id();
    let (_, baseline) = memory_kib(pid);
    let mut bombs = tokio::task::JoinSet::new();
    for i in 0..8 {
        let target = format!(
            "/api/og?template=cover&title=bomb+{i}&image={}",
            encode(&format!("{base}bomb16.png?c={i}"))
        );
        let server_addr = server.addr;
        bombs.spawn(async move { raw_request(server_addr, "GET", &target, &[]).await.status });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for i in 0..6 {
        let target = format!("/api/og?title=text+card+{i}");
        let res = raw_request(server.addr, "GET", &target, &[]).await;
        assert_eq!(res.status, 200, "a text card during the attack");
    }
    while let Some(status) = bombs.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    let fetched = origin
        .targets
        .lock()
        .unwrap()
        .iter()
        .filter(|t| t.starts_with("/bomb16.png"))
        .count();
    assert_eq!(fetched, 8, "eight fetches");
    let (peak, _) = memory_kib(pid);
    let grown = peak.saturating_sub(baseline);
    eprintln!("picture bombs: RSS {baseline} KiB before, peak {peak} KiB (+{grown} KiB)");
    assert!(grown <= 256 << 10, "peak RSS grew by {grown} KiB");
}

/// Photo cards over the same picture share one kept background: drawn and quantised for
/// the first, its rows reused by the next (the same pixels wherever the text is not), and
/// counted in `/metrics` within its budget; each PNG stays under WhatsApp's 300 KB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photo_cards_over_one_picture_share_its_quantised_background() {
    let s = setup_with(&["--render-wait-ms", "60000"]).await;
    let mut kept = Vec::new();
    let mut cards = Vec::new();
    for title in ["การกลั่นโมเดล ดาบสองคม", "Open source is eating AI"]
    {
        let query = format!(
            "template=cover&title={}&image={}cover.jpg",
            encode(title),
            encode(&s.base)
        );
        let (res, body) = send(&s.app, "GET", &format!("/api/og?{query}")).await;
        assert_eq!(res.status(), 200);
        assert!(body.len() <= 300 * 1024, "{} bytes", body.len());
        cards.push(decode_png(&body));
        let (_, metrics) = send(&s.app, "GET", "/metrics").await;
        let metrics = String::from_utf8(metrics).unwrap();
        let (bytes, budget) = (
            gauge(&metrics, "ogcard_photo_backgrounds_bytes"),
            gauge(&metrics, "ogcard_photo_backgrounds_budget_bytes"),
        );
        assert!(
            bytes > 1200 * 630 * 4 && bytes <= budget,
            "{bytes} of {budget}"
        );
        kept.push(bytes);
    }
    assert_eq!(
        kept[0], kept[1],
        "the second card drew no background of its own"
    );
    // Above the title the two cards are the same quantised pixels.
    let row = |c: &(u32, u32, Vec<u8>), y: usize| c.2[y * 1200 * 4..(y + 1) * 1200 * 4].to_vec();
    for y in [0, 60, 200] {
        assert!(row(&cards[0], y) == row(&cards[1], y), "row {y}");
    }
}
