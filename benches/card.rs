//! Criterion benches of the render pipeline, one per stage plus the whole card, on the
//! seed title with the default template at 1200×630. Setup stays outside the timed code.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ogcard::render::{self, breaks, layout_card, Assets, Deadline};
use ogcard::request::{parse_query, Defaults, Text};

const SEED: &str =
    "title=การปฏิวัติแบบโอเพนซอร์สของ%20DeepSeek:%20ข้อมูลเชิงลึกจากการประชุมสุดยอด%20AI%20แบบปิดประตู";

fn stages(c: &mut Criterion) {
    let assets = Assets::load(None).expect("assets");
    let defaults = Defaults {
        title: Text::new("ogcard"),
        site: Text::new("blog.example.com"),
        template: "default".into(),
    };
    let req = parse_query(SEED, &defaults).expect("seed query");
    let title = req.title.as_str().to_string();

    c.bench_function("params", |b| {
        b.iter(|| parse_query(black_box(SEED), &defaults))
    });
    c.bench_function("breaks", |b| {
        b.iter(|| breaks::break_opportunities(black_box(&title)))
    });
    // All 20 Thai sample titles per iteration: divide by 20 for µs per title.
    let samples: Vec<&str> = include_str!("../tests/data/thai.txt").lines().collect();
    c.bench_function("breaks/thai-samples-x20", |b| {
        b.iter(|| {
            for t in &samples {
                black_box(breaks::break_opportunities(black_box(t)));
            }
        })
    });
    c.bench_function("layout", |b| {
        b.iter(|| layout_card(black_box(&req), &assets, Deadline::NONE).map(|_| ()))
    });

    let layout = layout_card(&req, &assets, Deadline::NONE).expect("layout");
    c.bench_function("svg", |b| b.iter(|| layout.overlay_svg(&assets.fonts)));

    c.bench_function("raster", |b| {
        b.iter(|| black_box(&layout).rasterize(&assets))
    });

    let canvas = layout.rasterize(&assets).expect("raster");
    c.bench_function("encode", |b| b.iter(|| black_box(&canvas).png()));

    c.bench_function("card", |b| {
        b.iter(|| render::card(black_box(&req), &assets))
    });
    let png = render::card(&req, &assets).expect("card").bytes;
    eprintln!("seed card PNG: {} bytes", png.len());

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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = stages
}
criterion_main!(benches);
