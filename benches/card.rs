//! Criterion benches of the render pipeline, one per stage plus the whole card, on the
//! seed title with the default template at 1200×630. Setup stays outside the timed code.

use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use ogcard::render::{self, breaks, layout_card, Assets, Deadline};
use ogcard::request::{parse_query, Defaults, Dpr, Text};

const SEED: &str =
    "title=การปฏิวัติแบบโอเพนซอร์สของ%20DeepSeek:%20ข้อมูลเชิงลึกจากการประชุมสุดยอด%20AI%20แบบปิดประตู";

/// The defaults `cargo run` has, with a site label.
fn defaults() -> Defaults {
    Defaults {
        title: Text::new("ogcard"),
        site: Text::new("blog.example.com"),
        template: "default".into(),
    }
}

fn stages(c: &mut Criterion) {
    let assets = Assets::load(None).expect("assets");
    let defaults = defaults();
    let req = parse_query(SEED, &defaults).expect("seed query");
    let title = req.title.as_str().to_string();

    c.bench_function("params", |b| {
        b.iter(|| parse_query(black_box(SEED), &defaults))
    });
    c.bench_function("breaks", |b| {
        b.iter(|| breaks::break_opportunities(black_box(&title), None))
    });
    // All 20 Thai sample titles per iteration: divide by 20 for µs per title.
    let samples: Vec<&str> = include_str!("../tests/data/thai.txt").lines().collect();
    c.bench_function("breaks/thai-samples-x20", |b| {
        b.iter(|| {
            for t in &samples {
                black_box(breaks::break_opportunities(black_box(t), None));
            }
        })
    });
    c.bench_function("layout", |b| {
        b.iter(|| layout_card(black_box(&req), &assets, Deadline::NONE).map(|_| ()))
    });

    let layout = layout_card(&req, &assets, Deadline::NONE).expect("layout");
    c.bench_function("svg", |b| b.iter(|| layout.overlay_svg(&assets.fonts)));

    c.bench_function("raster", |b| {
        b.iter(|| black_box(&layout).rasterize(&assets, Dpr::ONE))
    });

    let canvas = layout.rasterize(&assets, Dpr::ONE).expect("raster");
    c.bench_function("encode", |b| b.iter(|| black_box(&canvas).png()));

    c.bench_function("card", |b| {
        b.iter(|| render::card(black_box(&req), &assets))
    });
    let png = render::card(&req, &assets).expect("card").bytes;
    eprintln!("seed card PNG: {} bytes", png.len());

    // The seed card as a JPEG: its background's strips kept, the title's strips encoded.
    let jpeg_req = parse_query(&format!("{SEED}&format=jpeg"), &defaults).expect("jpeg query");
    c.bench_function("card/jpeg", |b| {
        b.iter(|| render::card(black_box(&jpeg_req), &assets))
    });
    let bytes = render::card(&jpeg_req, &assets).expect("card").bytes.len();
    let encode = median_encode(|| render::card(&jpeg_req, &assets).expect("card"));
    eprintln!("seed card JPEG: {bytes} bytes, encode median {encode:?}");

    // The seed card for 2× and 3× screens (4 and 9 times the pixels).
    for dpr in ["2", "3"] {
        let req = parse_query(&format!("{SEED}&dpr={dpr}"), &defaults).expect("dpr query");
        c.bench_function(&format!("card/dpr{dpr}"), |b| {
            b.iter(|| render::card(black_box(&req), &assets))
        });
        let bytes = render::card(&req, &assets).expect("card").bytes.len();
        let ratio = bytes as f64 / png.len() as f64;
        eprintln!("seed card PNG at dpr {dpr}: {bytes} bytes ({ratio:.2}× dpr 1)");
    }

    // The other built-in templates, with every slot they have filled.
    for template in ["light", "article", "brand"] {
        let query = format!(
            "{SEED}&template={template}&description=สรุปจากงานประชุม&author=ทีมข่าว&date=2025-02-01&tags=ai,opensource"
        );
        let req = parse_query(&query, &defaults).expect("template query");
        c.bench_function(&format!("card/{template}"), |b| {
            b.iter(|| render::card(black_box(&req), &assets))
        });
        let png = render::card(&req, &assets).expect("card").bytes;
        eprintln!("{template} card PNG: {} bytes", png.len());
    }
}

#[path = "../tests/common/adversarial.rs"]
mod adversarial;

/// The worst inputs within the caps (`tests/common/adversarial.rs`), every text slot
/// filled with them. Criterion measures each input in every template (PNG) and in every
/// format (default template); a scan first renders every input × template × format once
/// and prints the slowest, so no combination goes unseen.
fn adversarial(c: &mut Criterion) {
    let assets = Assets::load(None).expect("assets");
    let defaults = defaults();
    let inputs = adversarial::inputs();
    let request = |text: &str, template: &str, format: &str| {
        parse_query(&adversarial::query(text, template, format), &defaults).expect("within caps")
    };

    let mut worst: Vec<(Duration, Duration, String)> = Vec::new();
    for (name, text) in &inputs {
        for template in adversarial::TEMPLATES {
            for format in adversarial::FORMATS {
                let req = request(text, template, format);
                // Once to warm the glyph cache, then the slower of two runs.
                render::card(&req, &assets).expect("renders");
                let mut slowest = (Duration::ZERO, Duration::ZERO);
                for _ in 0..2 {
                    let started = Instant::now();
                    let card = render::card(&req, &assets).expect("renders");
                    let took = started.elapsed();
                    if took > slowest.0 {
                        slowest = (took, card.timings[0].1);
                    }
                }
                worst.push((slowest.0, slowest.1, format!("{name}/{template}/{format}")));
            }
        }
    }
    worst.sort_by_key(|w| std::cmp::Reverse(w.0));
    eprintln!("adversarial scan, slowest of {} cards:", worst.len());
    for (card, layout, label) in worst.iter().take(8) {
        eprintln!(
            "  {:>7.2} ms card, {:>6.2} ms layout  {label}",
            card.as_secs_f64() * 1e3,
            layout.as_secs_f64() * 1e3
        );
    }
    let worst_layout = worst.iter().max_by_key(|w| w.1).expect("cards");
    eprintln!(
        "  slowest layout: {:.2} ms ({})",
        worst_layout.1.as_secs_f64() * 1e3,
        worst_layout.2
    );

    let mut group = c.benchmark_group("adversarial");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(1));
    for (name, text) in &inputs {
        for template in adversarial::TEMPLATES {
            let req = request(text, template, "png");
            group.bench_with_input(BenchmarkId::new(*name, template), &req, |b, req| {
                b.iter(|| render::card(black_box(req), &assets))
            });
        }
        for format in ["jpeg", "webp", "svg", "json"] {
            let req = request(text, "default", format);
            group.bench_with_input(BenchmarkId::new(*name, format), &req, |b, req| {
                b.iter(|| render::card(black_box(req), &assets))
            });
        }
        // SVG in the template with the most slots: the dearest document.
        let req = request(text, "article", "svg");
        group.bench_with_input(BenchmarkId::new(*name, "article-svg"), &req, |b, req| {
            b.iter(|| render::card(black_box(req), &assets))
        });
        let req = request(text, "default", "png");
        group.bench_with_input(BenchmarkId::new(*name, "layout"), &req, |b, req| {
            b.iter(|| layout_card(black_box(req), &assets, Deadline::NONE).map(|_| ()))
        });
        // The dearest picture of it: every slot of `article`, the layout drawn over it,
        // at 3× (9 times the pixels).
        let query = adversarial::query(text, "article", "png") + "&debug=1&dpr=3";
        let req = parse_query(&query, &defaults).expect("within caps");
        group.bench_with_input(BenchmarkId::new(*name, "debug-dpr3"), &req, |b, req| {
            b.iter(|| render::card(black_box(req), &assets))
        });
        // The largest canvas: the square design at 3× (3600×3600, 13 Mpx).
        let req = parse_query(&(query + "&size=square"), &defaults).expect("within caps");
        group.bench_with_input(
            BenchmarkId::new(*name, "square-debug-dpr3"),
            &req,
            |b, req| b.iter(|| render::card(black_box(req), &assets)),
        );
    }
    group.finish();
}

/// `picture` as a JPEG (the `image` crate's encoder at its default quality, 75).
fn jpeg_of(picture: image::RgbImage) -> Vec<u8> {
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encodes");
    jpeg.into_inner()
}

/// A picture's first use: a 2 Mpx photo-like JPEG (1632×1224, smooth gradients with
/// noise, the `image` crate's quality 75, ~280 KB) decoded and fitted to a full 1200×630
/// card (`cover`), and to an avatar's 96×96 box.
fn pictures(c: &mut Criterion) {
    use ogcard::pictures::decode::{decode_any, fit, Fit};
    let (w, h) = (1632u32, 1224u32);
    let mut noise = 0x2545_f491u32;
    let photo = image::RgbImage::from_fn(w, h, |x, y| {
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let n = (noise % 24) as u8;
        image::Rgb([
            (x * 200 / w) as u8 + n,
            (y * 180 / h) as u8 + n,
            ((x + y) * 120 / (w + h)) as u8 + n,
        ])
    });
    let jpeg = jpeg_of(photo);
    eprintln!("2 Mpx JPEG: {} KB", jpeg.len() / 1024);
    for (name, width, height) in [("cover-1200x630", 1200, 630), ("avatar-96", 96, 96)] {
        c.bench_function(&format!("picture/jpeg-2mpx-{name}"), |b| {
            b.iter(|| {
                let picture = decode_any(black_box(&jpeg)).expect("decodes");
                fit(picture, width, height, Fit::Cover)
            })
        });
    }

    // The decoder's worst case: 40 Mpx (8000×5000), a 3 MB JPEG under the 5 MiB cap,
    // decoded (120 MB of RGB) and fitted to the cover's box. (The server's default decode
    // budget, 128 MiB, refuses it: 144 MB with the resizer's rows.)
    let (w, h) = (8000u32, 5000u32);
    let huge_jpeg = jpeg_of(image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    }));
    eprintln!("40 Mpx JPEG: {} KB", huge_jpeg.len() / 1024);
    let mut group = c.benchmark_group("picture-worst");
    group.sample_size(10);
    group.bench_function("jpeg-40mpx-cover-1200x630", |b| {
        b.iter(|| {
            let picture = decode_any(black_box(&huge_jpeg)).expect("decodes");
            fit(picture, 1200, 630, Fit::Cover)
        })
    });
    // The dearest PNG the default decode budget admits: 16-bit RGBA, 5000×5000 (200 MB of
    // samples, reduced to 8 bits row by row: 100 MB held), fitted to the cover's box.
    let (w, h) = (5000u32, 5000u32);
    let mut png16 = Vec::new();
    {
        use std::io::Write;
        let mut encoder = png::Encoder::new(&mut png16, w, h);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Sixteen);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        let row: Vec<u8> = (0..w as usize * 8).map(|i| (i / 8 % 251) as u8).collect();
        for _ in 0..h {
            stream.write_all(&row).expect("row");
        }
        stream.finish().expect("finish");
    }
    let cost = ogcard::pictures::decode::decode_cost(&png16, 1200, 630).expect("a cost");
    eprintln!(
        "25 Mpx 16-bit PNG: {} KB, charged {} MB",
        png16.len() / 1024,
        cost >> 20
    );
    group.bench_function("png16-25mpx-cover-1200x630", |b| {
        b.iter(|| {
            let picture = decode_any(black_box(&png16)).expect("decodes");
            fit(picture, 1200, 630, Fit::Cover)
        })
    });
    group.finish();

    // Whole cards whose pictures are already fitted (in the picture cache), against the
    // same cards with none (their fallbacks): the budget is 1.5× the text-only card.
    let assets = Assets::load(None).expect("assets");
    let defaults = defaults();
    let photo = std::fs::read("tests/data/pictures/rocket.jpg").expect("fixture");
    let cat = std::fs::read("tests/data/pictures/chelsea.png").expect("fixture");
    for (template, slot, bytes, extra) in [
        ("cover", "image", &photo, ""),
        ("article", "avatar", &cat, "&author=lark&date=2025-02-01"),
    ] {
        let req =
            parse_query(&format!("{SEED}&template={template}{extra}"), &defaults).expect("query");
        let t = assets
            .template(&req.template, req.theme, req.size)
            .expect("template");
        let picture_slot = t.pictures.iter().find(|p| p.name == slot).expect("slot");
        let fitted = ogcard::pictures::fit_to_slot(bytes, picture_slot, 1.0).expect("fits");
        let mut pictures = render::CardPictures::none();
        pictures.set(slot, std::sync::Arc::new(fitted));
        for format in [ogcard::request::Format::Png, ogcard::request::Format::Jpeg] {
            let mut req = req.clone();
            req.format = format;
            let f = format.as_str();
            c.bench_function(&format!("picture/card-{template}-{f}-text-only"), |b| {
                b.iter(|| render::card(black_box(&req), &assets))
            });
            c.bench_function(&format!("picture/card-{template}-{f}-{slot}-cached"), |b| {
                b.iter(|| render::card_with(black_box(&req), &assets, &pictures, Deadline::NONE))
            });
        }
        let rendered = render::card_with(&req, &assets, &pictures, Deadline::NONE).expect("card");
        eprintln!("{template} with its {slot}: {:?}", rendered.timings);
        let png = rendered.bytes;
        let mut jpeg_req = req.clone();
        jpeg_req.format = ogcard::request::Format::Jpeg;
        let jpeg = render::card_with(&jpeg_req, &assets, &pictures, Deadline::NONE)
            .expect("card")
            .bytes;
        eprintln!(
            "{template} with its {slot}: PNG {} KB, JPEG (q85) {} KB",
            png.len() / 1024,
            jpeg.len() / 1024
        );
    }
}

/// The photo card as a server draws it once its picture is cached: `cover` with
/// `tests/data/pictures/rocket.jpg` fitted to the slot, a title, at 1× and 2×, as PNG
/// (quantised to stay under 300 KB) and JPEG q85.
fn photo(c: &mut Criterion) {
    let assets = Assets::load(None).expect("assets");
    let defaults = defaults();
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/pictures/rocket.jpg"
    ))
    .expect("the photo");
    let mut group = c.benchmark_group("photo");
    group.sample_size(20);
    for dpr in ["1", "2"] {
        for format in ["png", "jpeg"] {
            let query = format!(
                "{SEED}&template=cover&image=https://cdn.example.com/rocket.jpg&dpr={dpr}&format={format}"
            );
            let req = parse_query(&query, &defaults).expect("a valid query");
            let template = assets
                .template(&req.template, req.theme, req.size)
                .expect("cover");
            let slot = template
                .pictures
                .iter()
                .find(|s| s.name == "image")
                .expect("a slot");
            let picture = ogcard::pictures::fit_to_slot(&jpeg, slot, req.dpr.factor())
                .expect("the photo fits");
            let mut pictures = ogcard::render::CardPictures::none();
            pictures.set("image", std::sync::Arc::new(picture));
            group.bench_function(format!("cover-{format}-{dpr}x"), |b| {
                b.iter(|| {
                    render::card_with(black_box(&req), &assets, &pictures, Deadline::NONE)
                        .expect("renders")
                })
            });
            let encode = median_encode(|| {
                render::card_with(&req, &assets, &pictures, Deadline::NONE).expect("renders")
            });
            eprintln!("photo {format} {dpr}x: encode median {encode:?}");
        }
    }
    group.finish();
}

/// The median of 31 renders' encode stage (the encoder alone, which criterion's whole-card
/// times include).
fn median_encode(mut render: impl FnMut() -> render::Rendered) -> Duration {
    let mut times: Vec<Duration> = (0..31)
        .filter_map(|_| {
            render()
                .timings
                .iter()
                .find(|(stage, _)| *stage == "encode")
                .map(|(_, t)| *t)
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = stages, pictures, photo
}
criterion_group!(hostile, adversarial);
criterion_main!(benches, hostile);
