//! SVG → pixels: usvg parses, resvg paints onto a copy of the template's background.
//!
//! Canvases are recycled per thread: a 1200×630 card is 3 MB of pixels, and copying a
//! fresh background for every card cost more than drawing its text. A thread keeps the
//! canvas of its last card and, when the next card has the same template, copies back
//! only the rows the last one changed.

use std::cell::RefCell;
use std::ops::Range;

use tiny_skia::{Pixmap, Transform};

use crate::assets::templates::Template;
use crate::render::RenderError;

/// Paints `overlay` (an SVG the size of `template`) over the template's static layer.
/// Also returns the rows it may have painted: those of the drawing's bounding box
/// (strokes and filters included), widened by 2 px for anti-aliasing.
pub fn rasterize(
    overlay: &str,
    template: &Template,
    options: &usvg::Options,
) -> Result<(Pixmap, Range<u32>), RenderError> {
    let tree =
        usvg::Tree::from_str(overlay, options).map_err(|e| RenderError::Svg(e.to_string()))?;
    let mut pixmap = canvas(template);
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    let bbox = tree.root().abs_layer_bounding_box();
    let clamp = |y: f32| y.clamp(0.0, template.height as f32) as u32;
    let rows = clamp(bbox.top().floor() - 2.0)..clamp(bbox.bottom().ceil() + 2.0);
    Ok((pixmap, rows))
}

/// Draws `src` over `dst` with its top left at `(x, y)` (source-over, both premultiplied),
/// clipped to `dst`: integer arithmetic on whole rows, several times faster than a paint
/// pipeline for a full-card photo and the shade over it.
pub fn blend_over(dst: &mut Pixmap, src: &Pixmap, x: i32, y: i32) {
    let (dw, dh) = (dst.width() as i64, dst.height() as i64);
    let (sw, sh) = (src.width() as i64, src.height() as i64);
    let (x, y) = (i64::from(x), i64::from(y));
    let (left, right) = (x.max(0), (x + sw).min(dw));
    let (top, bottom) = (y.max(0), (y + sh).min(dh));
    if left >= right || top >= bottom {
        return;
    }
    let width = (right - left) as usize * 4;
    let (dst_stride, src_stride) = (dw as usize * 4, sw as usize * 4);
    let src_data = src.data();
    let dst_data = dst.data_mut();
    for row in top..bottom {
        let d = row as usize * dst_stride + left as usize * 4;
        let s = (row - y) as usize * src_stride + (left - x) as usize * 4;
        let (d, s) = (&mut dst_data[d..d + width], &src_data[s..s + width]);
        for (d, s) in d.chunks_exact_mut(4).zip(s.chunks_exact(4)) {
            // Branch-free, so that it vectorises: an opaque pixel keeps none of `d`, a
            // clear one (all zero, premultiplied) adds nothing.
            let keep = 255 - u32::from(s[3]);
            for (d, s) in d.iter_mut().zip(s) {
                // d·(255 − a)/255, rounded, plus s.
                let v = u32::from(*d) * keep + 128;
                *d = (((v + (v >> 8)) >> 8) + u32::from(*s)).min(255) as u8;
            }
        }
    }
}

/// Paints `svg` onto `pixmap` through `transform` (a pixel ratio's scale).
pub fn draw(
    svg: &str,
    options: &usvg::Options,
    transform: Transform,
    pixmap: &mut Pixmap,
) -> Result<(), RenderError> {
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| RenderError::Svg(e.to_string()))?;
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    Ok(())
}

/// Rows of a canvas that may differ from its template's background: a few disjoint
/// ranges (one per text slot, say), sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows(Vec<Range<u32>>);

impl Rows {
    /// Adds `rows`, merging ranges that overlap or touch.
    pub fn add(&mut self, rows: Range<u32>) {
        if rows.is_empty() {
            return;
        }
        self.0.push(rows);
        self.0.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<u32>> = Vec::with_capacity(self.0.len());
        for r in self.0.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.0 = merged;
    }

    pub fn contains(&self, y: u32) -> bool {
        self.0.iter().any(|r| r.contains(&y))
    }

    pub fn ranges(&self) -> &[Range<u32>] {
        &self.0
    }
}

/// The last card's canvas on this thread: its template and the rows it changed.
struct Spare {
    template: u64,
    pixmap: Pixmap,
    dirty: Rows,
}

thread_local! {
    static SPARE: RefCell<Option<Spare>> = const { RefCell::new(None) };
}

/// A canvas holding exactly `template`'s background.
pub fn canvas(template: &Template) -> Pixmap {
    let spare = SPARE.take();
    match spare {
        Some(mut spare)
            if spare.template == template.id && spare.pixmap.height() == template.height =>
        {
            let row = template.width as usize * 4;
            for rows in spare.dirty.ranges() {
                let bytes = rows.start as usize * row..rows.end as usize * row;
                spare.pixmap.data_mut()[bytes.clone()]
                    .copy_from_slice(&template.background().data()[bytes]);
            }
            spare.pixmap
        }
        _ => template.background().clone(),
    }
}

/// Hands a card's canvas back for this thread's next card; `dirty` must hold every row
/// drawn on since `canvas` gave it out.
pub fn recycle(template: &Template, pixmap: Pixmap, dirty: Rows) {
    SPARE.set(Some(Spare {
        template: template.id,
        pixmap,
        dirty,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blending_over_matches_tiny_skia_and_clips() {
        let mut base = Pixmap::new(40, 30).unwrap();
        base.fill(tiny_skia::Color::from_rgba8(20, 120, 220, 255));
        let mut src = Pixmap::new(25, 25).unwrap();
        for (i, p) in src.pixels_mut().iter_mut().enumerate() {
            let a = (i * 37 % 256) as u8;
            let c = |v: usize| ((v % 256) as u16 * u16::from(a) / 255) as u8;
            *p = tiny_skia::PremultipliedColorU8::from_rgba(c(i * 7), c(i * 13), c(i * 3), a)
                .unwrap();
        }
        for (x, y) in [(5, 3), (-10, -4), (30, 20), (40, 0)] {
            let mut ours = base.clone();
            blend_over(&mut ours, &src, x, y);
            let mut theirs = base.clone();
            theirs.draw_pixmap(
                x,
                y,
                src.as_ref(),
                &tiny_skia::PixmapPaint::default(),
                Transform::identity(),
                None,
            );
            let off = ours
                .data()
                .iter()
                .zip(theirs.data())
                .map(|(a, b)| a.abs_diff(*b))
                .max()
                .unwrap();
            assert!(off <= 1, "at ({x}, {y}): off by {off}");
        }
    }

    #[test]
    fn rows_merge_overlapping_and_touching_ranges() {
        let mut rows = Rows::default();
        rows.add(50..60);
        rows.add(10..20);
        rows.add(5..5);
        assert_eq!(rows.ranges(), &[10..20, 50..60]);
        rows.add(20..30);
        rows.add(55..70);
        assert_eq!(rows.ranges(), &[10..30, 50..70]);
        rows.add(0..100);
        assert_eq!(rows.ranges().len(), 1);
        assert_eq!(rows.ranges()[0], 0..100);
        assert!(rows.contains(99) && !rows.contains(100));
    }

    #[test]
    fn a_recycled_canvas_draws_what_a_fresh_one_draws() {
        use crate::render::card;
        use crate::request::parse_query;
        let (assets, defaults) = crate::render::testing::assets();
        let render = |query: &str| {
            let req = parse_query(query, &defaults).unwrap();
            card(&req, &assets).unwrap().bytes
        };
        let long = "title=การปฏิวัติแบบโอเพนซอร์สของ DeepSeek: ข้อมูลเชิงลึกจากการประชุมสุดยอด AI";
        let short = "title=สั้น&site=";
        let fresh = std::thread::scope(|s| s.spawn(|| render(short)).join().unwrap());
        render(long);
        assert_eq!(
            render(short),
            fresh,
            "after a longer card on the same canvas"
        );
        render("title=x&template=light");
        render("title=x&accent=%23ff0000&template=brand");
        assert_eq!(render(short), fresh, "after other templates and usvg paint");
        assert_eq!(render(long), render(long));
    }

    /// The encoder takes rows outside `dirty` from the template: every drawn row must
    /// be inside, whatever draws it (glyph masks, usvg accents, colour emoji).
    #[test]
    fn dirty_rows_hold_every_drawn_row() {
        use crate::render::layout_card;
        use crate::render::testing::{decode, rgb_of};
        use crate::request::parse_query;
        let (assets, defaults) = crate::render::testing::assets();
        let queries = [
            "title=การปฏิวัติแบบโอเพนซอร์สของ DeepSeek",
            "title=Launch day 🚀🎉 ทดสอบ&accent=%23e11d48",
            "title=ทำไม OpenAI ถึงไม่ใช้วิธีของ DeepSeek?&description=สรุป&author=ทีม&date=2025&tags=ai,ml",
        ];
        for template in ["default", "light", "article", "brand"] {
            for theme in ["", "&theme=light", "&theme=dark"] {
                for query in queries {
                    let query = format!("{query}&template={template}{theme}");
                    let req = parse_query(&query, &defaults).unwrap();
                    let layout = layout_card(&req, &assets, crate::render::Deadline::NONE).unwrap();
                    let canvas = layout.rasterize(&assets, crate::request::Dpr::ONE).unwrap();
                    let (color, got) = decode(&canvas.png().unwrap());
                    if color == png::ColorType::Indexed {
                        let want = rgb_of(canvas.pixmap());
                        assert!(got == want, "{query}: PNG differs from the pixels");
                    }
                }
            }
        }
    }
}
