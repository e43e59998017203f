//! Text drawn from cached glyph coverage masks.
//!
//! Filling glyph outlines is most of a card's raster time, and titles reuse the same
//! glyphs at the same sizes. A glyph's coverage is rasterised once per (face, glyph, size,
//! quarter-pixel offset) with tiny-skia — the rasteriser resvg uses — and kept; drawing a
//! line is then shaping (as usvg shapes) and compositing masks. Positions are quantised to
//! 1/4 px, as Skia's glyph cache does.
//!
//! Colour glyphs from PNG bitmaps (CBDT, as Noto Color Emoji has) are kept the same way,
//! as premultiplied RGBA drawn exactly as resvg draws a bitmap glyph (the strike's PNG,
//! bicubic, at the size and bearing usvg gives it): decoding a PNG per emoji made a title
//! of emoji cost 30 ms. Other colour formats and slots with paint other than a plain fill
//! still go through usvg/resvg.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use skrifa::instance::Size;
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::MetadataProvider;
use tiny_skia::{FillRule, Mask, Pixmap, Transform};

use crate::assets::fonts::{FaceIndex, Fonts};
use crate::render::layout::SlotLayout;

/// Sub-pixel positions per pixel, in x and in y.
const SUBPIXELS: f32 = 4.0;
/// Coverage bytes kept before the cache is emptied: a title's glyphs at a few sizes take
/// tens of KB, so this holds thousands of cards' worth and bounds memory (CJK floods).
const MAX_CACHE_BYTES: usize = 16 << 20;

/// One glyph at one size and quarter-pixel offset: what a mask depends on.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    face: FaceIndex,
    glyph: u32,
    /// `f32::to_bits` of the font size.
    size: u32,
    qx: u8,
    qy: u8,
}

struct GlyphMask {
    /// Offset of the mask's top-left pixel from the glyph's integer origin.
    left: i32,
    top: i32,
    width: u32,
    /// One coverage byte per pixel, or four (premultiplied RGBA) for a colour glyph.
    coverage: Vec<u8>,
    colour: bool,
}

#[derive(Default)]
struct Cache {
    masks: HashMap<Key, Option<Arc<GlyphMask>>>,
    bytes: usize,
}

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(Cache::default()));

/// Draws every line of `layout` onto `pixmap` in `rgb`, from cached masks, at `dpr`
/// pixels per layout unit, and returns the rows it may have changed (empty when none).
/// Runs whose face has colour glyphs are skipped (the caller draws them with resvg).
pub fn draw_slot(
    pixmap: &mut Pixmap,
    layout: &SlotLayout,
    rgb: [u8; 3],
    fonts: &Fonts,
    dpr: f32,
) -> Range<u32> {
    // Glyphs are rasterised at the device size, never scaled as bitmaps.
    let size = layout.font_size * dpr;
    let mut rows = 0..0;
    for line in &layout.lines {
        for ((run, x), glyphs) in line.runs.iter().zip(&line.glyphs) {
            let face = &fonts.faces[run.face];
            if face.color && !face.png_bitmaps {
                continue;
            }
            let scale = size / face.units_per_em;
            let mut pen = *x * dpr;
            for g in glyphs {
                let gx = pen + g.x_offset as f32 * scale;
                let gy = line.y * dpr - g.y_offset as f32 * scale;
                pen += g.x_advance as f32 * scale;
                let (ix, qx) = quantise(gx);
                let (iy, qy) = quantise(gy);
                let key = Key {
                    face: run.face,
                    glyph: g.id,
                    size: size.to_bits(),
                    qx,
                    qy,
                };
                if let Some(mask) = mask(fonts, key) {
                    let (x0, y0) = (ix + mask.left, iy + mask.top);
                    let drawn = if mask.colour {
                        composite_colour(pixmap, &mask, x0, y0)
                    } else {
                        composite(pixmap, &mask, x0, y0, rgb)
                    };
                    rows = union(rows, drawn);
                }
            }
        }
    }
    rows
}

/// The smallest range holding both (an empty range holds nothing).
fn union(a: Range<u32>, b: Range<u32>) -> Range<u32> {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b,
        (_, true) => a,
        _ => a.start.min(b.start)..a.end.max(b.end),
    }
}

/// Whole pixel and quarter-pixel step of a coordinate.
fn quantise(v: f32) -> (i32, u8) {
    let steps = (v * SUBPIXELS).round() as i64;
    let whole = steps.div_euclid(SUBPIXELS as i64);
    (whole as i32, steps.rem_euclid(SUBPIXELS as i64) as u8)
}

fn mask(fonts: &Fonts, key: Key) -> Option<Arc<GlyphMask>> {
    if let Some(found) = lock_cache().masks.get(&key) {
        return found.clone();
    }
    let made = if fonts.faces[key.face].png_bitmaps {
        rasterise_bitmap(fonts, key)
    } else {
        rasterise(fonts, key)
    }
    .map(Arc::new);
    // The mask, its `Arc` and the map slot it takes (with the map's spare room).
    let cost = made.as_ref().map_or(0, |m| m.coverage.capacity()) + ENTRY_OVERHEAD;
    let mut cache = lock_cache();
    if cache.bytes + cost > MAX_CACHE_BYTES {
        // A new map: `clear` would keep the old one's table allocated.
        cache.masks = HashMap::new();
        cache.bytes = 0;
    }
    if cache.masks.insert(key, made.clone()).is_none() {
        cache.bytes += cost;
    }
    made
}

/// What a cache entry costs beyond its pixels.
const ENTRY_OVERHEAD: usize = 2 * std::mem::size_of::<(Key, Option<Arc<GlyphMask>>)>()
    + std::mem::size_of::<GlyphMask>()
    + 32;

fn lock_cache() -> std::sync::MutexGuard<'static, Cache> {
    // Entries are inserted whole: a poisoned lock still holds a consistent cache.
    CACHE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The glyph's coverage at the given sub-pixel offset, rasterised as resvg fills paths.
fn rasterise(fonts: &Fonts, key: Key) -> Option<GlyphMask> {
    let f = &fonts.faces[key.face];
    let font = f.skrifa_ref()?;
    let outline = font.outline_glyphs().get(skrifa::GlyphId::new(key.glyph))?;
    let mut pen = Builder(tiny_skia::PathBuilder::new());
    outline
        .draw(
            DrawSettings::unhinted(Size::unscaled(), f.location()),
            &mut pen,
        )
        .ok()?;
    let path = pen.0.finish()?;
    let scale = f32::from_bits(key.size) / f.units_per_em;
    let (dx, dy) = (f32::from(key.qx) / SUBPIXELS, f32::from(key.qy) / SUBPIXELS);
    let b = path.bounds();
    let left = (b.left() * scale + dx).floor() as i32 - 1;
    let right = (b.right() * scale + dx).ceil() as i32 + 1;
    let top = (-b.bottom() * scale + dy).floor() as i32 - 1;
    let bottom = (-b.top() * scale + dy).ceil() as i32 + 1;
    let (width, height) = ((right - left) as u32, (bottom - top) as u32);
    let mut mask = Mask::new(width, height)?;
    let ts = Transform::from_row(scale, 0.0, 0.0, -scale, dx - left as f32, dy - top as f32);
    mask.fill_path(&path, FillRule::Winding, true, ts);
    Some(GlyphMask {
        left,
        top,
        width,
        coverage: mask.data().to_vec(),
        colour: false,
    })
}

/// A colour glyph's PNG, from its font's bitmap strike, placed as usvg places one at a
/// size: its top-left corner's offset from the pen (bottom-left at the bearing) and the
/// px each of the strike's pixels takes.
pub(crate) struct PngGlyph {
    pub png: &'static [u8],
    pub left: f32,
    pub top: f32,
    pub scale: f32,
}

/// Glyph `glyph` of face `face` as a PNG placed at `size` px, when the face draws it so.
pub(crate) fn png_glyph(fonts: &Fonts, face: FaceIndex, glyph: u32, size: f32) -> Option<PngGlyph> {
    let font = fonts.faces[face].skrifa_ref()?;
    let strikes = skrifa::bitmap::BitmapStrikes::new(&font);
    let bitmap = strikes.glyph_for_size(Size::unscaled(), skrifa::GlyphId::new(glyph))?;
    let skrifa::bitmap::BitmapData::Png(png) = bitmap.data else {
        return None;
    };
    let scale = size / bitmap.ppem_x;
    Some(PngGlyph {
        png,
        left: scale * bitmap.inner_bearing_x,
        top: -scale * bitmap.inner_bearing_y,
        scale,
    })
}

/// A colour bitmap glyph at the given size and quarter-pixel offset, premultiplied RGBA:
/// the strike's PNG placed as usvg places it (`png_glyph`) and sampled as resvg samples
/// it (bicubic).
fn rasterise_bitmap(fonts: &Fonts, key: Key) -> Option<GlyphMask> {
    let glyph = png_glyph(fonts, key.face, key.glyph, f32::from_bits(key.size))?;
    let image = decode_png(glyph.png)?;
    let k = glyph.scale;
    let (dx, dy) = (f32::from(key.qx) / SUBPIXELS, f32::from(key.qy) / SUBPIXELS);
    let left_f = dx + glyph.left;
    let top_f = dy + glyph.top;
    let left = left_f.floor() as i32 - 1;
    let top = top_f.floor() as i32 - 1;
    let right = (left_f + k * image.width() as f32).ceil() as i32 + 1;
    let bottom = (top_f + k * image.height() as f32).ceil() as i32 + 1;
    let (width, height) = ((right - left) as u32, (bottom - top) as u32);
    let mut sprite = Pixmap::new(width, height)?;
    let rect = tiny_skia::Rect::from_xywh(0.0, 0.0, image.width() as f32, image.height() as f32)?;
    let paint = tiny_skia::Paint {
        shader: tiny_skia::Pattern::new(
            image.as_ref(),
            tiny_skia::SpreadMode::Pad,
            tiny_skia::FilterQuality::Bicubic,
            1.0,
            Transform::identity(),
        ),
        ..tiny_skia::Paint::default()
    };
    let ts = Transform::from_row(k, 0.0, 0.0, k, left_f - left as f32, top_f - top as f32);
    sprite.fill_rect(rect, &paint, ts, None);
    Some(GlyphMask {
        left,
        top,
        width,
        coverage: sprite.take(),
        colour: true,
    })
}

/// A PNG from a font's bitmap strike as a premultiplied pixmap (as resvg decodes one).
fn decode_png(data: &[u8]) -> Option<Pixmap> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let mut pixmap = Pixmap::new(info.width, info.height)?;
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()].chunks_exact(channels);
    for (src, dst) in pixels.zip(pixmap.data_mut().chunks_exact_mut(4)) {
        let (rgb, a) = match channels {
            4 => ([src[0], src[1], src[2]], src[3]),
            3 => ([src[0], src[1], src[2]], 255),
            2 => ([src[0]; 3], src[1]),
            _ => ([src[0]; 3], 255),
        };
        for k in 0..3 {
            dst[k] = ((u32::from(rgb[k]) * u32::from(a) + 127) / 255) as u8;
        }
        dst[3] = a;
    }
    Some(pixmap)
}

/// Source-over of a premultiplied RGBA sprite onto premultiplied RGBA. Returns the rows
/// of the pixmap it covers.
fn composite_colour(pixmap: &mut Pixmap, sprite: &GlyphMask, x0: i32, y0: i32) -> Range<u32> {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let width = sprite.width as i32;
    let stride = sprite.width as usize * 4;
    let height = (sprite.coverage.len() / stride.max(1)) as i32;
    let rows = y0.clamp(0, ph) as u32..(y0 + height).clamp(0, ph) as u32;
    let (c0, c1) = ((-x0).clamp(0, width), (pw - x0).clamp(0, width));
    if c0 >= c1 {
        return rows;
    }
    let data = pixmap.data_mut();
    for (row, line) in sprite.coverage.chunks_exact(stride).enumerate() {
        let y = y0 + row as i32;
        if y < 0 || y >= ph {
            continue;
        }
        let start = ((y * pw + x0 + c0) * 4) as usize;
        let dst = &mut data[start..start + (c1 - c0) as usize * 4];
        let src = &line[c0 as usize * 4..c1 as usize * 4];
        for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(4)) {
            match s[3] {
                0 => {}
                255 => d.copy_from_slice(s),
                a => {
                    let keep = 255 - u32::from(a);
                    for k in 0..4 {
                        d[k] = (u32::from(s[k]) + (u32::from(d[k]) * keep + 127) / 255) as u8;
                    }
                }
            }
        }
    }
    rows
}

/// Source-over of `rgb` at each mask pixel's coverage, onto premultiplied RGBA. Returns
/// the rows of the pixmap the mask covers.
fn composite(pixmap: &mut Pixmap, mask: &GlyphMask, x0: i32, y0: i32, rgb: [u8; 3]) -> Range<u32> {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let width = mask.width as i32;
    let height = (mask.coverage.len() / mask.width.max(1) as usize) as i32;
    let rows = y0.clamp(0, ph) as u32..(y0 + height).clamp(0, ph) as u32;
    // The mask's columns that land on the pixmap.
    let (c0, c1) = ((-x0).clamp(0, width), (pw - x0).clamp(0, width));
    if c0 >= c1 {
        return rows;
    }
    let data = pixmap.data_mut();
    for (row, line) in mask.coverage.chunks_exact(mask.width as usize).enumerate() {
        let y = y0 + row as i32;
        if y < 0 || y >= ph {
            continue;
        }
        let start = ((y * pw + x0 + c0) * 4) as usize;
        let dst = &mut data[start..start + (c1 - c0) as usize * 4];
        let src = &line[c0 as usize..c1 as usize];
        for (&c, px) in src.iter().zip(dst.chunks_exact_mut(4)) {
            match c {
                0 => {}
                255 => px.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]),
                _ => {
                    let c = u32::from(c);
                    let keep = 255 - c;
                    for k in 0..3 {
                        px[k] =
                            ((u32::from(rgb[k]) * c + u32::from(px[k]) * keep + 127) / 255) as u8;
                    }
                    px[3] = ((255 * c + u32::from(px[3]) * keep + 127) / 255) as u8;
                }
            }
        }
    }
    rows
}

struct Builder(tiny_skia::PathBuilder);

impl OutlinePen for Builder {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{layout_card, raster};
    use crate::request::{parse_query, Dpr};

    #[test]
    fn quantise_rounds_to_quarter_pixels() {
        assert_eq!(quantise(10.0), (10, 0));
        assert_eq!(quantise(10.26), (10, 1));
        assert_eq!(quantise(10.9), (11, 0));
        assert_eq!(quantise(-0.3), (-1, 3));
    }

    /// The card of `query` as drawn here, as usvg/resvg alone draws it, and the
    /// template's background.
    fn ours_and_usvgs(query: &str) -> (Pixmap, Pixmap, Pixmap) {
        let (assets, defaults) = crate::render::testing::assets();
        let req = parse_query(query, &defaults).unwrap();
        let layout = layout_card(&req, &assets, crate::render::Deadline::NONE).unwrap();
        let ours = layout
            .rasterize(&assets, Dpr::ONE)
            .unwrap()
            .pixmap()
            .clone();
        let (usvg, _) = raster::rasterize(
            &layout.overlay_svg(&assets.fonts),
            layout.template(),
            assets.usvg_options(),
        )
        .unwrap();
        (ours, usvg, raster::canvas(layout.template()))
    }

    #[test]
    fn masks_draw_what_usvg_draws() {
        let query = "title=การปฏิวัติแบบโอเพนซอร์สของ DeepSeek: ข้อมูลเชิงลึก AI";
        let (masks, usvg, _) = ours_and_usvgs(query);
        let (mut inked, mut far) = (0, 0);
        for (a, b) in masks
            .data()
            .chunks_exact(4)
            .zip(usvg.data().chunks_exact(4))
        {
            inked += usize::from(b[0] > 128);
            far += usize::from(a.iter().zip(b).any(|(x, y)| x.abs_diff(*y) > 64));
        }
        assert!(inked > 10_000, "the card has text: {inked}");
        assert_eq!(far, 0, "only anti-aliased edges may differ");
    }

    #[test]
    fn colour_sprites_draw_what_usvg_draws() {
        let query = "title=🚀 🎉 👩‍💻 ✨ 🇹🇭 ❤️ 😀 🏴󠁧󠁢󠁳󠁣󠁴󠁿&site=";
        let (sprites, usvg, background) = ours_and_usvgs(query);
        let (mut inked, mut differ, mut total) = (0usize, 0usize, 0u64);
        for ((a, b), bg) in sprites
            .data()
            .chunks_exact(4)
            .zip(usvg.data().chunks_exact(4))
            .zip(background.data().chunks_exact(4))
        {
            if b != bg {
                inked += 1;
                let d = a
                    .iter()
                    .zip(b)
                    .map(|(x, y)| x.abs_diff(*y))
                    .max()
                    .unwrap_or(0);
                total += u64::from(d);
                differ += usize::from(d > 48);
            }
        }
        assert!(inked > 20_000, "the emoji are drawn: {inked}");
        // Positions are quantised to a quarter pixel, as for outline glyphs: only the
        // bicubic edges may move.
        let mean = total as f64 / inked as f64;
        assert!(mean < 3.0, "mean difference {mean}");
        assert!(differ * 100 < inked, "{differ} of {inked} pixels differ");
    }
}
