//! Pixels → PNG (and WebP) bytes; JPEG is `jpeg`'s.
//!
//! A card is a few flat colours and the anti-aliased edges between them: it nearly always
//! has at most 256 distinct colours. Then it is written as an exact (lossless) indexed PNG,
//! one byte a pixel instead of three; otherwise RGB (or RGBA when some pixel is not
//! opaque) through the `png` crate — unless that passes [`MAX_LOSSLESS_BYTES`], when the
//! card is quantised to 256 colours instead: from its exact histogram when it has at most
//! `FEW_COLOURS` (`Histogram::quantize`), by NeuQuant when it is a photo (`quantize`).
//!
//! The indexed path is where the time goes, and it is shaped by what a card is: rows of
//! the background colour, then a band of text, then background again. The background
//! colour is index 0 and every row is written unfiltered, so background rows are runs of
//! zero bytes: their deflate blocks are written here directly (`zero_run`, ~2 bits per
//! 258 bytes) and rows the renderer did not touch are not even read (`Known`). Only the
//! text bands go through a real match search (zlib-rs, `DEFAULT_LEVEL` or `--png-level`).

use tiny_skia::Pixmap;

use crate::render::raster::Rows;
use crate::render::RenderError;

/// Encodes `pixmap` losslessly: indexed when it has ≤ 256 colours and is opaque, else
/// 8-bit RGB, or RGBA when some pixel is translucent. An opaque card whose RGB PNG passes
/// [`MAX_LOSSLESS_BYTES`] is quantised to 256 colours (lossy) when that is smaller.
/// `known` says which rows are still the template's background; without it every row is
/// examined. `level` (1–9) is the deflate level of the indexed rows with text.
pub fn encode_png(
    pixmap: &Pixmap,
    known: Option<&Known>,
    level: u8,
) -> Result<Vec<u8>, RenderError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    match palettize(pixmap, known) {
        Colors::Indexed { palette, scanlines } => {
            write_indexed(width, height, &palette, &scanlines, level)
        }
        Colors::Many => {
            let rgb = write(width, height, png::ColorType::Rgb, &rgb_of(pixmap))?;
            if rgb.len() <= MAX_LOSSLESS_BYTES {
                return Ok(rgb);
            }
            // Too large for WhatsApp's preview as a lossless PNG: a text card with a
            // few thousand colours (gradients, anti-aliased marks, emoji) is cut from its
            // exact histogram; a photo card is learnt by NeuQuant.
            let (palette, data) = match few_colours(pixmap) {
                Some(histogram) => histogram.quantize(pixmap),
                None => {
                    let (palette, data, _) = quantize(pixmap, 256);
                    (palette, data)
                }
            };
            let scanlines = Scanlines {
                data,
                zero: vec![false; height as usize],
            };
            let indexed = write_indexed(width, height, &palette, &scanlines, level)?;
            Ok(if indexed.len() < rgb.len() {
                indexed
            } else {
                rgb
            })
        }
        Colors::Translucent => write(width, height, png::ColorType::Rgba, &straight_rgba(pixmap)),
    }
}

/// A template background, summarised once for the encoder: the colour of each row that
/// is one colour edge to edge, and the colour most such rows have.
#[derive(Clone, Debug, Default)]
pub struct BackgroundRows {
    uniform: Vec<Option<u32>>,
    main: Option<u32>,
}

impl BackgroundRows {
    pub fn of(pixmap: &Pixmap) -> BackgroundRows {
        let row_bytes = pixmap.width() as usize * 4;
        let uniform: Vec<Option<u32>> = pixmap
            .data()
            .chunks_exact(row_bytes.max(4))
            .map(|row| {
                let first = pixel(row);
                all_equal(row, first).then_some(first)
            })
            .collect();
        let mut counts: Vec<(u32, usize)> = Vec::new();
        for colour in uniform.iter().flatten() {
            match counts.iter_mut().find(|(c, _)| c == colour) {
                Some((_, n)) => *n += 1,
                None => counts.push((*colour, 1)),
            }
        }
        let main = counts.iter().max_by_key(|(_, n)| *n).map(|(c, _)| *c);
        BackgroundRows { uniform, main }
    }
}

/// What the encoder may take as given: rows outside `dirty` are `background`'s.
pub struct Known<'a> {
    pub background: &'a BackgroundRows,
    pub dirty: &'a Rows,
}

impl Known<'_> {
    /// The colour of row `y` when it is untouched background of one colour.
    fn uniform_row(&self, y: usize) -> Option<u32> {
        if self.dirty.contains(y as u32) {
            return None;
        }
        self.background.uniform.get(y).copied().flatten()
    }
}

/// Encodes `pixmap` as a lossless WebP (RGB, or RGBA when some pixel is translucent).
pub fn encode_webp(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let (data, color) = if opaque {
        (rgb_of(pixmap), image_webp::ColorType::Rgb8)
    } else {
        (straight_rgba(pixmap), image_webp::ColorType::Rgba8)
    };
    let mut out = Vec::with_capacity(64 * 1024);
    image_webp::WebPEncoder::new(&mut out)
        .encode(&data, pixmap.width(), pixmap.height(), color)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
}

/// The largest PNG written losslessly when the card has more than 256 colours: WhatsApp
/// shows no preview of an `og:image` over ~300 KB, and past it the card is a photo card
/// (a lossless photo at 1200×630 is ~550 KB). Such a card is quantised instead.
pub const MAX_LOSSLESS_BYTES: usize = 300 * 1024;

/// An opaque `pixmap` in 256 colours: a palette learnt by NeuQuant (`color_quant`) from a
/// sample of its pixels, and each pixel mapped to it with half of Floyd–Steinberg's error
/// diffusion (a photo's smooth shades band without it; the whole error makes the file
/// a third larger: 355 KB against 267 KB for `cover` with a photo). Nearest palette entries
/// are looked up once per 6-bit-per-channel colour. Returns the palette (RGB triples), the
/// scanlines (filter byte 0, then an index a pixel) and the network, which finds the
/// palette entry nearest any colour.
pub(super) fn quantize(
    pixmap: &Pixmap,
    colours: usize,
) -> (Vec<u8>, Vec<u8>, color_quant::NeuQuant) {
    /// NeuQuant learns from every 30th pixel (its sparsest): on `cover` with a photo the
    /// mean difference from the lossless card is 1.08/255 against 1.03 at every 20th,
    /// for a fraction of the time (every 10th took ~120 ms).
    const SAMPLE_EVERY: i32 = 30;
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    let net = color_quant::NeuQuant::new(SAMPLE_EVERY, colours, pixmap.data());
    let palette = net.color_map_rgb();
    let mut nearest = vec![u16::MAX; 1 << 18];
    // The error carried to this row and the next, per pixel and channel, in 32nds: the
    // 16ths of Floyd–Steinberg, halved.
    let mut here = vec![[0i32; 3]; width + 2];
    let mut below = vec![[0i32; 3]; width + 2];
    let mut data = Vec::with_capacity((width + 1) * height);
    for row in pixmap.data().chunks_exact(width * 4) {
        data.push(0); // filter type: none
        for (x, p) in row.chunks_exact(4).enumerate() {
            let want: [i32; 3] =
                std::array::from_fn(|c| (i32::from(p[c]) + here[x + 1][c] / 32).clamp(0, 255));
            let key = ((want[0] as usize >> 2) << 12)
                | ((want[1] as usize >> 2) << 6)
                | (want[2] as usize >> 2);
            if nearest[key] == u16::MAX {
                let rgba = [want[0] as u8, want[1] as u8, want[2] as u8, 255];
                nearest[key] = net.index_of(&rgba) as u16;
            }
            let index = nearest[key] as usize;
            data.push(index as u8);
            for c in 0..3 {
                let error = want[c] - i32::from(palette[index * 3 + c]);
                here[x + 2][c] += error * 7;
                below[x][c] += error * 3;
                below[x + 1][c] += error * 5;
                below[x + 2][c] += error;
            }
        }
        std::mem::swap(&mut here, &mut below);
        below.iter_mut().for_each(|e| *e = [0; 3]);
    }
    (palette, data, net)
}

/// The most distinct colours a card may have to be quantised from its exact histogram
/// (`Histogram::quantize`) instead of by NeuQuant: a text card over gradients, with
/// marks or emoji in every slot, has a few thousand; a photo has tens of thousands.
const FEW_COLOURS: usize = 8192;

/// The exact colours of an opaque pixmap with how many pixels have each, in an
/// open-addressed table of twice `FEW_COLOURS` slots (key 0, alpha 0, is empty).
struct Histogram {
    keys: Vec<u32>,
    counts: Vec<u32>,
    /// Per slot, the palette index its colour is mapped to.
    index: Vec<u8>,
}

impl Histogram {
    const SLOTS: usize = 2 * FEW_COLOURS;
    /// The longest probe: colours chosen to collide (a picture's pixels are a stranger's)
    /// give up the histogram for NeuQuant rather than a search per pixel.
    const MAX_PROBES: usize = 64;

    /// The slot holding `key`, or the empty one it would take; `None` past `MAX_PROBES`.
    fn slot(&self, key: u32) -> Option<usize> {
        let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 18) as usize;
        for _ in 0..Histogram::MAX_PROBES {
            if self.keys[slot] == key || self.keys[slot] == 0 {
                return Some(slot);
            }
            slot = (slot + 1) % Histogram::SLOTS;
        }
        None
    }

    /// 256 colours by median cut over the histogram (the box with the most pixels times
    /// its widest channel's range squared is split at its weighted median, until there are
    /// 256),
    /// each the mean of its box; every pixel takes its box's colour, so no colour moves
    /// further than its box is wide, without dithering (a card's flat colours and edges
    /// would only be speckled by it). Returns the palette (RGB triples) and the scanlines (filter byte 0,
    /// then an index a pixel).
    fn quantize(mut self, pixmap: &Pixmap) -> (Vec<u8>, Vec<u8>) {
        // (colour, pixels, slot) of every colour counted.
        let mut colours: Vec<(u32, u32, usize)> = (0..Histogram::SLOTS)
            .filter(|&s| self.keys[s] != 0)
            .map(|s| (self.keys[s], self.counts[s], s))
            .collect();
        let channel = |key: u32, c: usize| (key >> (8 * c)) as u8;
        // Each box: its range of `colours`, its pixels, its widest channel and range.
        let measure = |b: &[(u32, u32, usize)]| {
            let weight: u64 = b.iter().map(|&(_, n, _)| u64::from(n)).sum();
            let (c, range) = (0..3)
                .map(|c| {
                    let (lo, hi) = b.iter().fold((255, 0), |(lo, hi), &(k, _, _)| {
                        (channel(k, c).min(lo), channel(k, c).max(hi))
                    });
                    (c, hi - lo)
                })
                .max_by_key(|&(_, r)| r)
                .expect("three channels");
            (weight * u64::from(range) * u64::from(range), c)
        };
        let mut boxes = vec![(0..colours.len(), measure(&colours))];
        while boxes.len() < 256 {
            let Some((at, _)) = boxes
                .iter()
                .enumerate()
                .filter(|(_, (r, (score, _)))| r.len() > 1 && *score > 0)
                .max_by_key(|(_, (_, (score, _)))| *score)
            else {
                break;
            };
            let (range, (_, c)) = boxes.swap_remove(at);
            let b = &mut colours[range.clone()];
            b.sort_unstable_by_key(|&(k, _, _)| channel(k, c));
            let half: u64 = b.iter().map(|&(_, n, _)| u64::from(n)).sum::<u64>() / 2;
            let mut seen = 0;
            let mut cut = b
                .iter()
                .position(|&(_, n, _)| {
                    seen += u64::from(n);
                    seen > half
                })
                .unwrap_or(0);
            cut = cut.clamp(1, b.len() - 1);
            let (lo, hi) = (range.start..range.start + cut, range.start + cut..range.end);
            let (m_lo, m_hi) = (measure(&colours[lo.clone()]), measure(&colours[hi.clone()]));
            boxes.push((lo, m_lo));
            boxes.push((hi, m_hi));
        }
        let mut palette = Vec::with_capacity(boxes.len() * 3);
        for (i, (range, _)) in boxes.iter().enumerate() {
            let b = &colours[range.clone()];
            let weight: u64 = b.iter().map(|&(_, n, _)| u64::from(n)).sum();
            for c in 0..3 {
                let sum: u64 = b
                    .iter()
                    .map(|&(k, n, _)| u64::from(channel(k, c)) * u64::from(n))
                    .sum();
                palette.push(((sum + weight / 2) / weight.max(1)) as u8);
            }
            for &(_, _, slot) in b {
                self.index[slot] = i as u8;
            }
        }
        let width = pixmap.width() as usize;
        let mut data = Vec::with_capacity((width + 1) * pixmap.height() as usize);
        let mut last = (0, 0);
        for row in pixmap.data().chunks_exact(width.max(1) * 4) {
            data.push(0);
            data.extend(row.chunks_exact(4).map(|p| {
                let key = pixel(p);
                if key != last.0 {
                    // Every pixel's colour was counted, so it has its slot.
                    last = (key, self.slot(key).map_or(0, |s| self.index[s]));
                }
                last.1
            }));
        }
        (palette, data)
    }
}

/// The histogram of an opaque `pixmap`, or `None` past `FEW_COLOURS` colours.
fn few_colours(pixmap: &Pixmap) -> Option<Histogram> {
    let mut histogram = Histogram {
        keys: vec![0; Histogram::SLOTS],
        counts: vec![0; Histogram::SLOTS],
        index: vec![0; Histogram::SLOTS],
    };
    let mut distinct = 0;
    let mut last: Option<(u32, usize)> = None;
    for p in pixmap.data().chunks_exact(4) {
        let key = pixel(p);
        if let Some((_, slot)) = last.filter(|&(colour, _)| colour == key) {
            histogram.counts[slot] += 1;
            continue;
        }
        let slot = histogram.slot(key)?;
        if histogram.keys[slot] == 0 {
            distinct += 1;
            if distinct > FEW_COLOURS || key >> 24 != 255 {
                return None;
            }
            histogram.keys[slot] = key;
        }
        histogram.counts[slot] += 1;
        last = Some((key, slot));
    }
    Some(histogram)
}

/// Whether `pixmap` is a photo card: opaque, more than 256 colours, and larger than
/// [`MAX_LOSSLESS_BYTES`] as a lossless PNG (so `encode_png` quantises it).
pub(super) fn is_photo(pixmap: &Pixmap) -> Result<bool, RenderError> {
    if !matches!(palettize(pixmap, None), Colors::Many) {
        return Ok(false);
    }
    let (width, height) = (pixmap.width(), pixmap.height());
    Ok(write(width, height, png::ColorType::Rgb, &rgb_of(pixmap))?.len() > MAX_LOSSLESS_BYTES)
}

fn rgb_of(pixmap: &Pixmap) -> Vec<u8> {
    rgb_rows(pixmap, 0..pixmap.height())
}

/// The pixel rows `rows` of `pixmap` as RGB (its premultiplied channels: the card is
/// opaque).
pub(super) fn rgb_rows(pixmap: &Pixmap, rows: std::ops::Range<u32>) -> Vec<u8> {
    let row_bytes = pixmap.width() as usize * 4;
    let data = &pixmap.data()[rows.start as usize * row_bytes..rows.end as usize * row_bytes];
    let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
    for p in data.chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    rgb
}

fn straight_rgba(pixmap: &Pixmap) -> Vec<u8> {
    pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect()
}

enum Colors {
    /// Opaque, ≤ 256 colours: the palette (RGB triples) and the scanlines.
    Indexed {
        palette: Vec<u8>,
        scanlines: Scanlines,
    },
    /// Opaque, more than 256 colours.
    Many,
    /// Some pixel is not opaque.
    Translucent,
}

/// Indexed image data, every row with filter type 0 (none), which suits palette indices
/// best, except rows equal to the one above (type 2, up: all zeros). Rows all of index 0
/// (the background, mostly) are only counted, not stored.
struct Scanlines {
    /// The other rows in order, each its filter byte then a byte a pixel.
    data: Vec<u8>,
    /// Per row: whether it is all index 0.
    zero: Vec<bool>,
}

/// The exact palette, built as pixels are indexed.
struct Palette {
    // Open addressing over 1024 slots keyed by the packed colour; 256 colours fill it to
    // at most a quarter, so probes stay short.
    keys: [u32; Palette::SLOTS],
    values: [u8; Palette::SLOTS],
    rgb: Vec<u8>,
}

impl Palette {
    const SLOTS: usize = 1024;
    /// Alpha 0: never the key of an opaque pixel.
    const EMPTY: u32 = 0;

    fn new() -> Palette {
        Palette {
            keys: [Palette::EMPTY; Palette::SLOTS],
            values: [0; Palette::SLOTS],
            rgb: Vec::with_capacity(256 * 3),
        }
    }

    /// The index of opaque `key`, added if new; `None` once a 257th colour appears.
    fn index(&mut self, key: u32) -> Option<u8> {
        let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 22) as usize;
        loop {
            if self.keys[slot] == key {
                return Some(self.values[slot]);
            }
            if self.keys[slot] == Palette::EMPTY {
                let n = self.rgb.len() / 3;
                if n == 256 {
                    return None;
                }
                self.keys[slot] = key;
                self.values[slot] = n as u8;
                self.rgb.extend_from_slice(&key.to_le_bytes()[..3]);
                return Some(n as u8);
            }
            slot = (slot + 1) % Palette::SLOTS;
        }
    }
}

/// Why indexing stopped.
enum Stop {
    Translucent,
    TooMany,
}

/// One pass over the pixels: opacity and the exact palette together. The background's
/// main colour, when known, is index 0, so its rows need no storing or searching.
fn palettize(pixmap: &Pixmap, known: Option<&Known>) -> Colors {
    match index_rows(pixmap, known) {
        Ok(colors) => colors,
        Err(Stop::Translucent) => Colors::Translucent,
        // The pixels not yet seen may still hold a translucent one.
        Err(Stop::TooMany) if pixmap.pixels().iter().any(|p| p.alpha() != 255) => {
            Colors::Translucent
        }
        Err(Stop::TooMany) => Colors::Many,
    }
}

fn index_rows(pixmap: &Pixmap, known: Option<&Known>) -> Result<Colors, Stop> {
    let width = pixmap.width() as usize;
    let mut palette = Palette::new();
    let mut lines = Scanlines {
        data: Vec::with_capacity(pixmap.data().len() / 8),
        zero: Vec::with_capacity(pixmap.height() as usize),
    };
    if let Some(main) = known.and_then(|k| k.background.main) {
        palette.index(opaque(main)?).ok_or(Stop::TooMany)?;
    }
    let mut last = None;
    let rgba = pixmap.data();
    // The previous row's pixels and where its indices start, when it was stored.
    let mut above: Option<(&[u8], usize)> = None;
    for (y, row) in rgba.chunks_exact(width.max(1) * 4).enumerate() {
        if let Some(colour) = known.and_then(|k| k.uniform_row(y)) {
            above = None;
            match palette.index(opaque(colour)?).ok_or(Stop::TooMany)? {
                0 => lines.zero.push(true),
                i => {
                    lines.data.push(0);
                    lines.data.resize(lines.data.len() + width, i);
                    lines.zero.push(false);
                }
            }
            continue;
        }
        let start = lines.data.len();
        if above.is_some_and(|(pixels, _)| pixels == row) {
            // The same as the row above (a border down the side, say): filter type 2
            // (up) makes it all zeros. `above` stays the row whose indices are stored.
            lines.data.push(2);
            lines.data.resize(start + 1 + width, 0);
            lines.zero.push(false);
            continue;
        }
        lines.data.resize(start + 1 + width, 0);
        let (before, dst) = lines.data.split_at_mut(start + 1);
        let above_row = above.map(|(pixels, at)| (pixels, &before[at + 1..at + 1 + width]));
        index_row(row, dst, above_row, &mut palette, &mut last)?;
        // OR of the whole row (no early exit, so it vectorises): zero means background.
        let zero = dst.iter().fold(0, |a, &b| a | b) == 0;
        if zero {
            lines.data.truncate(start);
            above = None;
        } else {
            above = Some((row, start));
        }
        lines.zero.push(zero);
    }
    Ok(Colors::Indexed {
        palette: palette.rgb,
        scanlines: lines,
    })
}

/// Indexes one row of pixels into `dst`, a block of pixels at a time where it can: a
/// block that is all the previous pixel's colour (the background between glyphs), or the
/// same as the block above it (`above`: that row's pixels and indices; text is mostly
/// vertical strokes), costs a few vector compares. Blocks of 16 pixels, then of 4 inside
/// a block that missed, then single pixels. `last` is the previous pixel's colour and
/// index.
fn index_row(
    row: &[u8],
    dst: &mut [u8],
    above: Option<(&[u8], &[u8])>,
    palette: &mut Palette,
    last: &mut Option<(u32, u8)>,
) -> Result<(), Stop> {
    let mut blocks = row.chunks_exact(16 * 4);
    let mut outs = dst.chunks_exact_mut(16);
    for (b, (block, out)) in (&mut blocks).zip(&mut outs).enumerate() {
        if shortcut(block, out, above, b * 16, last) {
            continue;
        }
        let quads = block.chunks_exact(16).zip(out.chunks_exact_mut(4));
        for (q, (quad, out)) in quads.enumerate() {
            if shortcut(quad, out, above, b * 16 + q * 4, last) {
                continue;
            }
            for (p, o) in quad.chunks_exact(4).zip(out) {
                *o = index_pixel(p, palette, last)?;
            }
        }
    }
    let rest = blocks.remainder().chunks_exact(4);
    for (p, o) in rest.zip(outs.into_remainder()) {
        *o = index_pixel(p, palette, last)?;
    }
    Ok(())
}

/// Indexes `block` (the pixels from column `at`) into `out` when it is a run of the last
/// colour or the same as the block above; false when it is neither.
#[inline(always)]
fn shortcut(
    block: &[u8],
    out: &mut [u8],
    above: Option<(&[u8], &[u8])>,
    at: usize,
    last: &mut Option<(u32, u8)>,
) -> bool {
    if let Some((key, index)) = *last {
        if all_equal(block, key) {
            out.fill(index);
            return true;
        }
    }
    if let Some((pixels, indices)) = above {
        if same(block, &pixels[at * 4..at * 4 + block.len()]) {
            out.copy_from_slice(&indices[at..at + out.len()]);
            // The block's last pixel is the next one's predecessor.
            *last = Some((pixel(&block[block.len() - 4..]), out[out.len() - 1]));
            return true;
        }
    }
    false
}

#[inline(always)]
fn index_pixel(p: &[u8], palette: &mut Palette, last: &mut Option<(u32, u8)>) -> Result<u8, Stop> {
    let key = pixel(p);
    match *last {
        Some((k, i)) if k == key => Ok(i),
        _ => {
            let i = palette.index(opaque(key)?).ok_or(Stop::TooMany)?;
            *last = Some((key, i));
            Ok(i)
        }
    }
}

fn pixel(p: &[u8]) -> u32 {
    u32::from_le_bytes([p[0], p[1], p[2], p[3]])
}

/// Whether every pixel of `block` is `key`. No early exit, so it compiles to a few vector
/// compares (a slice `==` would call `memcmp`).
fn all_equal(block: &[u8], key: u32) -> bool {
    block
        .chunks_exact(4)
        .fold(true, |eq, p| eq & (pixel(p) == key))
}

/// Whether two equally long pixel blocks are equal, as `all_equal` compares.
fn same(a: &[u8], b: &[u8]) -> bool {
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().expect("8 bytes"));
    a.chunks_exact(8)
        .zip(b.chunks_exact(8))
        .fold(true, |eq, (x, y)| eq & (word(x) == word(y)))
}

/// `key` when its alpha is 255.
fn opaque(key: u32) -> Result<u32, Stop> {
    if key >> 24 == 255 {
        Ok(key)
    } else {
        Err(Stop::Translucent)
    }
}

/// RGB or RGBA samples as a PNG, through the `png` crate's fast deflate (fdeflate): only
/// cards with more than 256 colours or with transparency come here.
fn write(
    width: u32,
    height: u32,
    color: png::ColorType,
    samples: &[u8],
) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(samples).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

fn png_error(e: png::EncodingError) -> RenderError {
    RenderError::Encode(e.to_string())
}

/// zlib-rs level for the rows with text unless configured (`--png-level`). On the five
/// Thai sample titles (`benches/peers`) level 4 wrote from 0.2 % fewer to 3 % more bytes
/// than Takumi, level 5 8–11 % fewer for ~0.2 ms more on the seed card; level 6 saves
/// another ~1 % for another 0.5 ms. fdeflate (the `png` crate's fast mode) is 5× faster
/// than level 5 but 75 % larger.
pub const DEFAULT_LEVEL: u8 = 5;

/// An indexed PNG whose image data is deflated row band by row band (`deflate_rows`).
fn write_indexed(
    width: u32,
    height: u32,
    palette: &[u8],
    scanlines: &Scanlines,
    level: u8,
) -> Result<Vec<u8>, RenderError> {
    let idat = deflate_rows(scanlines, width as usize, level)?;
    indexed_png(width, height, palette, &idat)
}

/// An indexed PNG of `palette` (RGB triples) and `idat`, a whole zlib stream.
pub(super) fn indexed_png(
    width: u32,
    height: u32,
    palette: &[u8],
    idat: &[u8],
) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(idat.len() + palette.len() + 64);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer
        .write_chunk(png::chunk::IDAT, idat)
        .map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// CMF 0x78: deflate, 32 KiB window; FLG 0x01: no dictionary, check bits.
pub(super) const ZLIB_HEADER: [u8; 2] = [0x78, 0x01];
/// An empty block with fixed codes and BFINAL set (bits 1, 01, then end-of-block
/// 0000000): every segment ends in a sync flush, so this ends the stream.
pub(super) const LAST_BLOCK: [u8; 2] = [0x03, 0x00];

/// The zlib stream of the image data. A card is mostly rows of the background colour,
/// index 0: long runs of zero bytes, written by `zero_run` without any search. Only the
/// bands between, where the text is, get zlib-rs's match search. Each run or band is its
/// own deflate segment, starting fresh (no back-reference into another) and ending in a
/// sync flush (byte-aligned), so they concatenate into one valid stream; the Adler-32 is
/// combined segment by segment.
fn deflate_rows(lines: &Scanlines, width: usize, level: u8) -> Result<Vec<u8>, RenderError> {
    let stride = width + 1;
    let mut out = Vec::with_capacity(lines.data.len() / 12 + 1024);
    out.extend_from_slice(&ZLIB_HEADER);
    let mut adler = 1u32;
    let mut offset = 0;
    TEXT.with_borrow_mut(|text| {
        for run in lines.zero.chunk_by(|a, b| a == b) {
            let bytes = run.len() * stride;
            if run[0] {
                zero_run(bytes, &mut out);
                // Adler-32 of n zero bytes: a = 1, b = n (mod 65521).
                let of_zeros = (((bytes % 65521) as u32) << 16) | 1;
                adler = zlib_rs::adler32::adler32_combine(adler, of_zeros, bytes as u64);
            } else {
                let band = &lines.data[offset..offset + bytes];
                offset += bytes;
                fresh_segment(text, band, level, &mut out)?;
                adler = zlib_rs::adler32::adler32(adler, band);
            }
        }
        Ok::<_, RenderError>(())
    })?;
    out.extend_from_slice(&LAST_BLOCK);
    out.extend_from_slice(&adler.to_be_bytes());
    Ok(out)
}

/// `rows` deflated as a segment of its own (empty window, ending in a sync flush) onto
/// `out`, to be joined with others between [`ZLIB_HEADER`] and [`LAST_BLOCK`].
pub(super) fn deflate_band(rows: &[u8], level: u8, out: &mut Vec<u8>) -> Result<(), RenderError> {
    TEXT.with_borrow_mut(|text| fresh_segment(text, rows, level, out))
}

fn fresh_segment(
    deflate: &mut zlib_rs::Deflate,
    rows: &[u8],
    level: u8,
    out: &mut Vec<u8>,
) -> Result<(), RenderError> {
    deflate.reset();
    // Fresh after the reset: nothing to flush, the level just changes.
    deflate
        .set_level(i32::from(level.clamp(1, 9)))
        .map_err(|e| RenderError::Encode(format!("deflate: {}", e.as_str())))?;
    compress(deflate, rows, zlib_rs::DeflateFlush::SyncFlush, out)
}

thread_local! {
    // A compressor holds ~300 KB of tables: kept per thread rather than made per card.
    static TEXT: std::cell::RefCell<zlib_rs::Deflate> =
        std::cell::RefCell::new(raw_deflate(i32::from(DEFAULT_LEVEL)));
}

fn raw_deflate(level: i32) -> zlib_rs::Deflate {
    // Raw deflate (negative window bits): the zlib wrapper is written here.
    zlib_rs::Deflate::new(level, false, 15)
}

/// `n` zero bytes as deflate blocks ending in a sync flush (what zlib's RLE strategy
/// writes, at no cost): a literal 0, then back-references of 258 bytes at distance 1 in a
/// dynamic-Huffman block whose only codes are those (≈ 2 bits per 258 bytes), then the
/// remainder as one match in a fixed-Huffman block.
fn zero_run(n: usize, out: &mut Vec<u8>) {
    if n == 0 {
        return;
    }
    let mut bits = Bits::new(out);
    bits.put(0b100, 3); // BFINAL 0, BTYPE 10 (dynamic)
                        // 286 literal/length codes, 1 distance code, 18 code-length codes.
    bits.put(286 - 257, 5);
    bits.put(0, 5);
    bits.put(18 - 4, 4);
    // Code-length code lengths in RFC 1951's order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13
    // 2 14 1: symbol 18 (a run of zeros) gets 1 bit, lengths 1 and 2 get 2 bits.
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits.put(len, 3);
    }
    // Their canonical codes: 18 → 0, 1 → 10, 2 → 11.
    let (zeros, one, two) = ((0b0, 1), (0b10, 2), (0b11, 2));
    let zero_lengths = |bits: &mut Bits, count: u32| {
        bits.code(zeros);
        bits.put(count - 11, 7);
    };
    // Literal/length lengths: 0 → 2 bits, 1..=255 none, 256 (end) → 2, 257..=284 none,
    // 285 (length 258) → 1. Distance: code 0 (distance 1) → 1 bit.
    bits.code(two);
    zero_lengths(&mut bits, 138);
    zero_lengths(&mut bits, 117);
    bits.code(two);
    zero_lengths(&mut bits, 28);
    bits.code(one);
    bits.code(one);
    // Canonical codes: 285 → 0, literal 0 → 10, end of block → 11; distance 1 → 0.
    let (literal_zero, end, length_258, distance_1) = ((0b10, 2), (0b11, 2), (0b0, 1), (0b0, 1));
    bits.code(literal_zero);
    let matches = (n - 1) / 258;
    let rest = (n - 1) % 258;
    for _ in 0..matches {
        bits.code(length_258);
        bits.code(distance_1);
    }
    if rest < 3 {
        for _ in 0..rest {
            bits.code(literal_zero);
        }
        bits.code(end);
    } else {
        bits.code(end);
        bits.put(0b010, 3); // BFINAL 0, BTYPE 01 (fixed codes)
        let (symbol, extra, extra_bits) = length_symbol(rest);
        // Fixed codes: 256..=279 are 7 bits from 0, 280..=287 8 bits from 0xC0.
        if symbol < 280 {
            bits.code((symbol - 256, 7));
        } else {
            bits.code((0xC0 + symbol - 280, 8));
        }
        bits.put(extra, extra_bits);
        bits.code((0, 5)); // distance 1
        bits.code((0, 7)); // end of block
    }
    bits.put(0, 3); // BFINAL 0, BTYPE 00 (stored), empty: the sync flush
    bits.align();
    out.extend_from_slice(&[0x00, 0x00, 0xFF, 0xFF]);
}

/// The length symbol of a match of `len` (3..=258) bytes, and its extra bits.
fn length_symbol(len: usize) -> (u32, u32, u32) {
    const BASE: [usize; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const EXTRA: [u32; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    let i = BASE.iter().rposition(|&b| b <= len).expect("len >= 3");
    (257 + i as u32, (len - BASE[i]) as u32, EXTRA[i])
}

/// Deflate's bit order: values least significant bit first, Huffman codes most
/// significant bit first, packed from each byte's low bit.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    fn new(out: &mut Vec<u8>) -> Bits<'_> {
        Bits { out, acc: 0, n: 0 }
    }

    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn code(&mut self, (code, len): (u32, u32)) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    fn align(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.acc = 0;
        self.n = 0;
    }
}

/// Feeds all of `input` and, for a flush, everything it produces, into `out`.
fn compress(
    deflate: &mut zlib_rs::Deflate,
    mut input: &[u8],
    flush: zlib_rs::DeflateFlush,
    out: &mut Vec<u8>,
) -> Result<(), RenderError> {
    loop {
        let start = out.len();
        let room = input.len() / 8 + 1024;
        out.resize(start + room, 0);
        let (before_in, before_out) = (deflate.total_in(), deflate.total_out());
        let status = deflate.compress(input, &mut out[start..], flush);
        let written = (deflate.total_out() - before_out) as usize;
        out.truncate(start + written);
        status.map_err(|e| RenderError::Encode(format!("deflate: {}", e.as_str())))?;
        input = &input[(deflate.total_in() - before_in) as usize..];
        // Done when all input is taken and the flush did not run out of room.
        if input.is_empty() && written < room {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{decode, rgb_of};
    use tiny_skia::{Color, Paint, PathBuilder, Transform};

    #[test]
    fn few_colours_are_indexed_and_lossless() {
        let mut pixmap = Pixmap::new(300, 200).unwrap();
        pixmap.fill(Color::from_rgba8(15, 23, 42, 255));
        let mut paint = Paint::default();
        paint.set_color_rgba8(255, 255, 255, 255);
        paint.anti_alias = true;
        let circle = PathBuilder::from_circle(150.0, 100.0, 70.0).unwrap();
        pixmap.fill_path(
            &circle,
            &paint,
            tiny_skia::FillRule::Winding,
            Transform::identity(),
            None,
        );
        let png = encode_png(&pixmap, None, DEFAULT_LEVEL).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Indexed);
        assert_eq!(pixels, rgb_of(&pixmap), "exact, not quantised");
    }

    #[test]
    fn a_transparent_canvas_is_rgba() {
        let mut pixmap = Pixmap::new(8, 8).unwrap();
        pixmap.pixels_mut()[63] = tiny_skia::PremultipliedColorU8::from_rgba(9, 9, 9, 255).unwrap();
        let png = encode_png(&pixmap, None, DEFAULT_LEVEL).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Rgba);
        assert_eq!(&pixels[..4], &[0, 0, 0, 0]);
        assert_eq!(&pixels[63 * 4..], &[9, 9, 9, 255]);
    }

    #[test]
    fn many_colours_fall_back_to_rgb_losslessly() {
        let mut pixmap = Pixmap::new(64, 64).unwrap();
        for (i, p) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            p.copy_from_slice(&[(i % 256) as u8, (i / 256 * 17) as u8, (i % 7) as u8, 255]);
        }
        let png = encode_png(&pixmap, None, DEFAULT_LEVEL).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Rgb);
        assert_eq!(pixels, rgb_of(&pixmap));
    }

    /// A text card over a gradient with thousands of colours and a noisy band whose
    /// lossless PNG passes `MAX_LOSSLESS_BYTES`: cut from its histogram, not by NeuQuant,
    /// and close to the original.
    #[test]
    fn a_card_of_a_few_thousand_colours_is_cut_from_its_histogram() {
        let (width, height) = (1200u32, 630u32);
        let mut pixmap = Pixmap::new(width, height).unwrap();
        let mut state = 7u32;
        for (i, p) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = (i % width as usize, i / width as usize);
            // 1200 × 8 gradient steps, and a band of marks in 64 greys.
            let mut rgb = [(x * 255 / 1199) as u8, (y / 80 * 30) as u8, 90];
            if (200..420).contains(&y) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let v = (state >> 16) as u8 & 0xFC;
                rgb = [v, v, v];
            }
            p.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
        }
        let histogram = few_colours(&pixmap).expect("a few thousand colours");
        let distinct = histogram.keys.iter().filter(|&&k| k != 0).count();
        assert!((300..=FEW_COLOURS).contains(&distinct), "{distinct}");
        let png = encode_png(&pixmap, None, DEFAULT_LEVEL).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Indexed, "quantised");
        let original = rgb_of(&pixmap);
        // Samples off by more than 16 (a box's rare colours: few pixels, wide box).
        let far = pixels
            .iter()
            .zip(&original)
            .filter(|(a, b)| a.abs_diff(**b) > 16)
            .count();
        let mean = pixels
            .iter()
            .zip(&original)
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum::<u64>() as f64
            / original.len() as f64;
        // (2 000 colours spread evenly in 256 boxes: no box is narrow; a real card's
        // colours crowd round a few, so far fewer are off: README, Performance.)
        assert!(
            far * 100 < original.len() && mean < 2.0,
            "{far} far, mean {mean}"
        );
        // A photo (tens of thousands of colours) is left to NeuQuant.
        let mut photo = Pixmap::new(256, 256).unwrap();
        for (i, p) in photo.data_mut().chunks_exact_mut(4).enumerate() {
            p.copy_from_slice(&[(i % 256) as u8, (i / 256) as u8, (i * 7 % 256) as u8, 255]);
        }
        assert!(few_colours(&photo).is_none());
    }

    /// Opaque colours whose hashes all fall on one slot (as a picture could be made of)
    /// give the histogram up after `MAX_PROBES`, not one long search per pixel.
    #[test]
    fn colliding_colours_give_up_the_histogram() {
        const A: u32 = 0x9E37_79B1;
        let inverse = (0..5).fold(A, |x, _| {
            x.wrapping_mul(2u32.wrapping_sub(A.wrapping_mul(x)))
        });
        assert_eq!(A.wrapping_mul(inverse), 1);
        let colliding: Vec<u32> = (0..1u32 << 18)
            .map(|low| low.wrapping_mul(inverse))
            .filter(|key| key >> 24 == 255)
            .take(Histogram::MAX_PROBES + 8)
            .collect();
        assert!(colliding.iter().all(|k| k.wrapping_mul(A) >> 18 == 0));
        let mut pixmap = Pixmap::new(colliding.len() as u32, 4).unwrap();
        for (p, key) in pixmap
            .data_mut()
            .chunks_exact_mut(4)
            .zip(colliding.iter().cycle())
        {
            p.copy_from_slice(&key.to_le_bytes());
        }
        assert!(few_colours(&pixmap).is_none());
    }

    /// A zlib stream around `body` (raw deflate segments), as `deflate_rows` ends one.
    fn inflate(body: &[u8], adler: u32, len: usize) -> Vec<u8> {
        let mut z = ZLIB_HEADER.to_vec();
        z.extend_from_slice(body);
        z.extend_from_slice(&LAST_BLOCK);
        z.extend_from_slice(&adler.to_be_bytes());
        let mut out = vec![7u8; len + 16];
        let (got, code) =
            zlib_rs::decompress_slice(&mut out, &z, zlib_rs::InflateConfig::default());
        assert_eq!(code, zlib_rs::ReturnCode::Ok, "valid stream");
        got.to_vec()
    }

    #[test]
    fn zero_runs_inflate_to_exactly_their_zeros() {
        let lengths = [
            1, 2, 3, 4, 10, 11, 257, 258, 259, 260, 261, 262, 515, 516, 517,
        ];
        let rows = [1201, 1201 * 428, 3 * 65536 + 7];
        for n in lengths
            .into_iter()
            .chain(rows)
            .chain((0..300).map(|i| 400 + i * 7))
        {
            let mut body = Vec::new();
            zero_run(n, &mut body);
            let adler = zlib_rs::adler32::adler32(1, &vec![0; n]);
            assert_eq!(inflate(&body, adler, n), vec![0; n], "{n} zeros");
            // ~2 bits per 258 bytes, plus a fixed header.
            assert!(
                body.len() <= 40 + n / 258 / 4 + 1,
                "{n} zeros took {}",
                body.len()
            );
        }
    }

    #[test]
    fn zero_runs_and_bands_join_into_one_stream() {
        let band: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 13) as u8).collect();
        let mut body = Vec::new();
        let mut raw = Vec::new();
        for (i, n) in [300usize, 0, 1201, 77].into_iter().enumerate() {
            zero_run(n, &mut body);
            raw.resize(raw.len() + n, 0);
            let part = &band[..1000 * (i + 1)];
            let mut text = raw_deflate(i32::from(DEFAULT_LEVEL));
            compress(&mut text, part, zlib_rs::DeflateFlush::SyncFlush, &mut body).unwrap();
            raw.extend_from_slice(part);
        }
        let adler = zlib_rs::adler32::adler32(1, &raw);
        assert_eq!(inflate(&body, adler, raw.len()), raw);
    }

    /// A pixmap of a few colours with runs, repeats of the row above and single pixels.
    fn patchwork(width: u32, height: u32, seed: u32) -> Pixmap {
        let mut pixmap = Pixmap::new(width, height).unwrap();
        pixmap.fill(Color::from_rgba8(15, 23, 42, 255));
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            state >> 16
        };
        let w = width as usize * 4;
        for y in 0..height as usize {
            match next() % 4 {
                0 => continue, // background
                1 if y > 0 => {
                    let (before, row) = pixmap.data_mut().split_at_mut(y * w);
                    row[..w].copy_from_slice(&before[(y - 1) * w..]);
                }
                _ => {
                    let row = &mut pixmap.data_mut()[y * w..(y + 1) * w];
                    let mut x = next() as usize % (w / 4);
                    while x < w / 4 {
                        let v = (next() % 6 * 50) as u8;
                        let run = 1 + next() as usize % 20;
                        for p in row[x * 4..].chunks_exact_mut(4).take(run) {
                            p.copy_from_slice(&[v, v, v, 255]);
                        }
                        x += run + next() as usize % 30;
                    }
                }
            }
        }
        pixmap
    }

    #[test]
    fn indexed_rows_round_trip_at_any_width() {
        for (i, width) in [1, 3, 4, 5, 15, 16, 17, 20, 33, 64, 100, 1200]
            .into_iter()
            .enumerate()
        {
            let pixmap = patchwork(width, 40, i as u32);
            let png = encode_png(&pixmap, None, DEFAULT_LEVEL).unwrap();
            let (color, pixels) = decode(&png);
            assert_eq!(color, png::ColorType::Indexed, "width {width}");
            assert_eq!(pixels, rgb_of(&pixmap), "width {width}");
        }
    }

    #[test]
    fn known_background_rows_are_taken_not_read() {
        let background = patchwork(64, 30, 9);
        let rows = BackgroundRows::of(&background);
        assert_eq!(rows.main, Some(u32::from_le_bytes([15, 23, 42, 255])));
        let mut card = background.clone();
        for p in card.data_mut()[64 * 4 * 10..64 * 4 * 12].chunks_exact_mut(4) {
            p.copy_from_slice(&[200, 10, 10, 255]);
        }
        let mut dirty = Rows::default();
        dirty.add(10..12);
        let known = Known {
            background: &rows,
            dirty: &dirty,
        };
        let png = encode_png(&card, Some(&known), DEFAULT_LEVEL).unwrap();
        assert_eq!(decode(&png).1, rgb_of(&card));
        assert_eq!(
            png,
            encode_png(&card, None, DEFAULT_LEVEL).unwrap(),
            "same bytes either way"
        );
    }

    /// Noise of 200 colours barely compresses: the compressor needs several calls to
    /// flush its output.
    #[test]
    fn incompressible_bands_are_written_whole() {
        let mut pixmap = Pixmap::new(300, 200).unwrap();
        let mut state = 7u32;
        for p in pixmap.data_mut().chunks_exact_mut(4) {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let v = ((state >> 16) % 200) as u8;
            p.copy_from_slice(&[v, 255 - v, v / 2, 255]);
        }
        let png = encode_png(&pixmap, None, DEFAULT_LEVEL).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Indexed);
        assert_eq!(pixels, rgb_of(&pixmap));
        assert!(
            png.len() > 300 * 200 * 3 / 4,
            "noise stays large: {}",
            png.len()
        );
    }
}
