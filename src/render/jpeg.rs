//! JPEG cards: the background encoded once, each card re-encoding only the strips of rows
//! its text changed.
//!
//! A baseline JPEG with a restart marker at the start of every row of MCUs (16 pixel rows
//! at 4:2:0) is a string of independent, byte-aligned segments: the DC prediction starts
//! again after each marker, and nothing in one strip depends on another (each 2×2 chroma
//! block is averaged inside its strip). So a card's JPEG is its background's header and
//! strips, with the strips holding a pixel the text changed encoded again and put in their
//! place, the markers numbered again. The result is byte for byte the JPEG of the whole
//! card encoded with the same settings (a test holds it); a text card over a background
//! whose strips are kept ([`Strips`]) encodes a third to a half of its rows.

use std::ops::Range;

use tiny_skia::Pixmap;

use super::encode::rgb_rows;
use super::kept::Held;
use super::RenderError;

/// Pixel rows per strip: one row of MCUs at 4:2:0.
const STRIP_ROWS: u32 = 16;

const MARKER: u8 = 0xFF;
const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;
const RST0: u8 = 0xD0;

/// A JPEG cut into its header and the entropy-coded segment of each strip.
pub struct Strips {
    quality: u8,
    width: u32,
    height: u32,
    /// From the start of the file to the end of the scan header.
    head: Vec<u8>,
    /// The strips' segments back to back, without markers.
    data: Vec<u8>,
    /// Where each strip's segment lies in `data`.
    spans: Vec<Range<usize>>,
}

impl Strips {
    /// `pixmap` (opaque, premultiplied = straight) encoded at `quality` and cut into strips.
    pub fn of(pixmap: &Pixmap, quality: u8) -> Result<Strips, RenderError> {
        let rgb = rgb_rows(pixmap, 0..pixmap.height());
        Strips::encode(&rgb, pixmap.width(), pixmap.height(), quality)
    }

    fn encode(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Strips, RenderError> {
        let jpeg = encode_rgb(rgb, width, height, quality)?;
        let (head, segments) = cut(&jpeg)
            .ok_or_else(|| RenderError::Encode("the JPEG encoder wrote no scan".into()))?;
        let mut data = Vec::with_capacity(jpeg.len() - head.len());
        let mut spans = Vec::with_capacity(segments.len());
        for segment in segments {
            let start = data.len();
            data.extend_from_slice(segment);
            spans.push(start..data.len());
        }
        if spans.len() != height.div_ceil(STRIP_ROWS) as usize {
            return Err(RenderError::Encode(format!(
                "the JPEG encoder wrote {} strips for {height} rows",
                spans.len()
            )));
        }
        Ok(Strips {
            quality,
            width,
            height,
            head: head.to_vec(),
            data,
            spans,
        })
    }

    pub fn quality(&self) -> u8 {
        self.quality
    }

    /// The JPEG of `pixmap`, drawn over `background` (the pixels these strips were encoded
    /// from): the strips where a pixel differs are encoded again, the rest copied.
    pub fn over(&self, pixmap: &Pixmap, background: &Pixmap) -> Result<Vec<u8>, RenderError> {
        if (pixmap.width(), pixmap.height()) != (self.width, self.height)
            || (background.width(), background.height()) != (self.width, self.height)
        {
            return Err(RenderError::Encode(
                "a card over a background of another size".into(),
            ));
        }
        let row_bytes = self.width as usize * 4;
        let changed: Vec<bool> = (0..self.spans.len())
            .map(|s| {
                let rows = strip_rows(s, self.height);
                let bytes = rows.start as usize * row_bytes..rows.end as usize * row_bytes;
                pixmap.data()[bytes.clone()] != background.data()[bytes]
            })
            .collect();
        // Each run of changed strips encoded as one image of those rows; `fresh[s]` says
        // which run's strip, and which of its strips, stands for strip `s`.
        let mut runs: Vec<Strips> = Vec::new();
        let mut fresh: Vec<Option<(usize, usize)>> = vec![None; changed.len()];
        let mut s = 0;
        while s < changed.len() {
            if !changed[s] {
                s += 1;
                continue;
            }
            let end = (s..changed.len())
                .find(|&e| !changed[e])
                .unwrap_or(changed.len());
            let rows = strip_rows(s, self.height).start..strip_rows(end - 1, self.height).end;
            let rgb = rgb_rows(pixmap, rows.clone());
            runs.push(Strips::encode(
                &rgb,
                self.width,
                rows.len() as u32,
                self.quality,
            )?);
            for (k, f) in fresh[s..end].iter_mut().enumerate() {
                *f = Some((runs.len() - 1, k));
            }
            s = end;
        }
        let fresh_bytes: usize = runs.iter().map(|r| r.data.len()).sum();
        let mut out = Vec::with_capacity(
            self.head.len() + self.data.len() + fresh_bytes + 2 * changed.len() + 2,
        );
        out.extend_from_slice(&self.head);
        for (s, f) in fresh.iter().enumerate() {
            if s > 0 {
                out.extend_from_slice(&[MARKER, RST0 + ((s - 1) % 8) as u8]);
            }
            let segment = match *f {
                None => &self.data[self.spans[s].clone()],
                Some((run, k)) => &runs[run].data[runs[run].spans[k].clone()],
            };
            out.extend_from_slice(segment);
        }
        out.extend_from_slice(&[MARKER, EOI]);
        Ok(out)
    }
}

/// Templates' backgrounds as [`Strips`], by (template id, quality). A background's strips
/// are made the first time a card over it is asked for as a JPEG at that quality: one
/// whole encode.
pub type Kept = super::kept::Kept<(u64, u8), Strips>;

/// What [`Kept`] may hold: the 20 built-in backgrounds at a few qualities (each 15–120 KB).
pub const JPEG_BUDGET: usize = 4 << 20;

impl Held for Strips {
    /// Bytes held (capacity).
    fn bytes(&self) -> usize {
        self.head.capacity()
            + self.data.capacity()
            + self.spans.capacity() * std::mem::size_of::<Range<usize>>()
    }
}

/// `pixmap` as a JPEG at `quality`, with the settings [`Strips`] relies on.
pub fn encode(pixmap: &Pixmap, quality: u8) -> Result<Vec<u8>, RenderError> {
    let rgb = rgb_rows(pixmap, 0..pixmap.height());
    encode_rgb(&rgb, pixmap.width(), pixmap.height(), quality)
}

/// Baseline, 4:2:0 with each chroma sample the average of its 2×2 pixels (as libjpeg
/// does; the encoder's default takes the top-left pixel, which frays coloured text), the
/// standard Huffman tables, and a restart marker before every row of MCUs.
fn encode_rgb(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, RenderError> {
    let size = |v: u32| {
        u16::try_from(v)
            .map_err(|_| RenderError::Encode(format!("{v} pixels is too large for a JPEG")))
    };
    let (w, h) = (size(width)?, size(height)?);
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    encoder.set_restart_interval(w.div_ceil(STRIP_ROWS as u16));
    encoder
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
}

/// The pixel rows of strip `s` of an image `height` rows high.
fn strip_rows(s: usize, height: u32) -> Range<u32> {
    let start = s as u32 * STRIP_ROWS;
    start..(start + STRIP_ROWS).min(height)
}

/// A baseline JPEG cut into its header (to the end of the scan header) and the
/// entropy-coded segments between its restart markers; `None` if it has no scan.
fn cut(jpeg: &[u8]) -> Option<(&[u8], Vec<&[u8]>)> {
    // Marker segments after SOI, each with a 2-byte length, up to the scan's.
    let mut at = 2;
    loop {
        let &[MARKER, kind, hi, lo] = jpeg.get(at..at + 4)? else {
            return None;
        };
        at += 2 + usize::from(u16::from_be_bytes([hi, lo]));
        if kind == SOS {
            break;
        }
    }
    if at > jpeg.len() {
        return None;
    }
    let (head, scan) = jpeg.split_at(at);
    let mut segments = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < scan.len() {
        if scan[i] != MARKER {
            i += 1;
            continue;
        }
        match scan[i + 1] {
            // A stuffed 0xFF byte of data.
            0x00 => i += 2,
            RST0..=0xD7 => {
                segments.push(&scan[start..i]);
                i += 2;
                start = i;
            }
            EOI => {
                segments.push(&scan[start..i]);
                return Some((head, segments));
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A background of shades with a band of colour, and a card: the background with a
    /// few blocks of "text" drawn over some rows.
    fn background(width: u32, height: u32) -> Pixmap {
        let mut pixmap = Pixmap::new(width, height).unwrap();
        for (i, p) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = ((i as u32 % width) as u8, (i as u32 / width) as u8);
            p.copy_from_slice(&[x, y, x ^ y, 255]);
        }
        pixmap
    }

    fn with_text(background: &Pixmap, rows: &[Range<u32>]) -> Pixmap {
        let mut card = background.clone();
        let (width, height) = (card.width(), card.height());
        for r in rows {
            for y in r.clone().filter(|&y| y < height) {
                for x in (width / 8..width).step_by(7) {
                    let i = (y * width + x) as usize * 4;
                    card.data_mut()[i..i + 4].copy_from_slice(&[250, 240, 20, 255]);
                }
            }
        }
        card
    }

    #[test]
    // Lists of row ranges, some of one range.
    #[allow(clippy::single_range_in_vec_init)]
    fn a_card_over_kept_strips_is_the_jpeg_of_the_whole_card() {
        for (width, height) in [(1200, 630), (333, 77), (16, 16), (17, 1)] {
            let bg = background(width, height);
            for quality in [85, 40, 100] {
                let strips = Strips::of(&bg, quality).unwrap();
                assert_eq!(Strips::of(&bg, quality).unwrap().data, strips.data);
                // Rows with "text": none, the first, the last, two bands, all.
                let (half, band) = (height / 2, 40.min(height / 2));
                let cases: [&[Range<u32>]; 5] = [
                    &[],
                    &[0..1],
                    &[height - 1..height],
                    &[3..9, half..half + band],
                    &[0..height],
                ];
                for rows in cases {
                    let card = with_text(&bg, rows);
                    let whole = encode(&card, quality).unwrap();
                    let spliced = strips.over(&card, &bg).unwrap();
                    assert!(
                        whole == spliced,
                        "{width}×{height} q{quality} rows {rows:?}: {} vs {} bytes",
                        whole.len(),
                        spliced.len()
                    );
                }
            }
        }
    }

    #[test]
    fn the_jpeg_decodes_to_the_card() {
        let bg = background(1200, 630);
        let card = with_text(&bg, &[100..180, 300..301]);
        let jpeg = Strips::of(&bg, 85).unwrap().over(&card, &bg).unwrap();
        let decoded = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (1200, 630));
        let mean: f64 = decoded
            .as_raw()
            .iter()
            .zip(card.data().chunks_exact(4).flat_map(|p| &p[..3]))
            .map(|(&a, &b)| f64::from(a.abs_diff(b)))
            .sum::<f64>()
            / (1200.0 * 630.0 * 3.0);
        assert!(mean < 6.0, "mean difference {mean}");
    }

    #[test]
    fn kept_strips_stay_within_their_budget_by_capacity() {
        let bg = background(600, 300);
        let one = Strips::of(&bg, 85).unwrap().bytes();
        let kept = Kept::new(one * 5 / 2);
        let strips = |template: u64, quality: u8| {
            kept.get_or_make((template, quality), || Strips::of(&bg, quality))
                .unwrap()
        };
        for quality in [85, 80, 75, 70] {
            assert_eq!(strips(1, quality).quality(), quality);
            assert!(kept.bytes() <= one * 5 / 2, "{} > budget", kept.bytes());
        }
        // The two most recent are kept: asking again encodes nothing new.
        let again = strips(1, 70);
        assert!(std::sync::Arc::ptr_eq(&again, &strips(1, 70)));
        assert_eq!(kept.len(), 2);
        // Another template's background at the same quality is its own entry.
        strips(2, 70);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn a_card_of_another_size_is_an_error() {
        let bg = background(64, 64);
        let strips = Strips::of(&bg, 85).unwrap();
        assert!(strips.over(&background(64, 48), &bg).is_err());
    }
}
