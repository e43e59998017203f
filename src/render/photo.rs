//! Photo cards: their background drawn, quantised and deflated once, not per card.
//!
//! A card with a picture is the template's layers with the picture between them, then the
//! text. Everything but the text is the same for every title drawn over the same picture,
//! and as a PNG it is the dear part: a photo has too many colours for an exact palette and
//! too many bytes as a lossless PNG (WhatsApp shows no preview over ~300 KB), so it is
//! quantised to 256 colours, dithered and deflated (`encode::quantize`): ~45 ms at
//! 1200×630. So the background is kept ([`Photos`], a byte-bounded cache in the
//! [`Assets`](super::Assets)): drawn once, and quantised once the first time it is encoded
//! as a PNG, its dithered rows deflated in bands of [`BAND_ROWS`]. A card then copies the
//! background, draws its text, maps to the palette only the pixels the text changed (the
//! background's own palette plus the text's commonest colours) and deflates only the bands
//! they lie in; the other bands are copied as they were deflated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tiny_skia::Pixmap;

use super::encode;
use super::jpeg;
use super::kept::Held;
use super::{CardPictures, RenderError};
use crate::assets::templates::Present;

/// Rows per deflate band of a kept background: a card deflates again only the bands holding
/// a pixel its text changed. Each band starts with an empty window, so a band costs a few
/// bytes of compression; 16 rows of 1200 pixels lose ~1 %.
pub const BAND_ROWS: usize = 16;

/// Palette entries learnt from the background; the rest of the 256 are each card's own
/// commonest text colours, so text keeps its exact colour over any photo.
const BACKGROUND_COLOURS: usize = 240;

/// What a kept background is drawn from: the template (its id), which picture slots are
/// drawn, and the pictures themselves (by address; the entry holds them, so an address
/// cannot be reused while it is kept).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Key {
    template: u64,
    present: Present,
    pictures: [usize; 3],
}

impl Key {
    pub fn new(template: u64, present: Present, pictures: &CardPictures) -> Key {
        Key {
            template,
            present,
            pictures: std::array::from_fn(|i| {
                pictures.0[i]
                    .as_ref()
                    .map_or(0, |p| Arc::as_ptr(p) as usize)
            }),
        }
    }
}

/// A card's background with its pictures: the pixels, and their quantised PNG bands once a
/// card has been encoded as a PNG.
pub struct Background {
    /// Holds the pictures the key names by address.
    _pictures: CardPictures,
    pub pixmap: Pixmap,
    quantised: OnceLock<Option<Quantised>>,
    /// The pixels as JPEG strips, at the quality last asked for.
    jpeg: Mutex<Option<Arc<jpeg::Strips>>>,
}

/// What NeuQuant's network of [`BACKGROUND_COLOURS`] holds: per neuron four `f64`s, a
/// colour of four `i32`s, a bias and a frequency; and its index of 256 `usize`s.
const NET_BYTES: usize = BACKGROUND_COLOURS * (32 + 16 + 8 + 8) + 256 * 8;

/// A background in 256 colours, deflated band by band.
struct Quantised {
    /// RGB triples, [`BACKGROUND_COLOURS`] of them.
    palette: Vec<u8>,
    /// Finds the entry of `palette` nearest a colour.
    net: color_quant::NeuQuant,
    /// Each row: filter byte 0, then an index a pixel (dithered).
    scanlines: Vec<u8>,
    bands: Vec<Band>,
}

/// A band of rows deflated on its own: raw deflate ending in a sync flush.
struct Band {
    deflated: Vec<u8>,
    adler: u32,
    len: usize,
}

impl Background {
    pub fn new(pictures: CardPictures, pixmap: Pixmap) -> Background {
        Background {
            _pictures: pictures,
            pixmap,
            quantised: OnceLock::new(),
            jpeg: Mutex::new(None),
        }
    }

    /// The pixels as JPEG strips at `quality`: kept, or encoded now in place of those at
    /// another quality.
    pub fn jpeg(&self, quality: u8) -> Result<Arc<jpeg::Strips>, RenderError> {
        if let Some(strips) = self.jpeg_kept().filter(|s| s.quality() == quality) {
            return Ok(strips);
        }
        let strips = Arc::new(jpeg::Strips::of(&self.pixmap, quality)?);
        *self.jpeg.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&strips));
        Ok(strips)
    }

    fn jpeg_kept(&self) -> Option<Arc<jpeg::Strips>> {
        self.jpeg.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The background quantised, when a card drawn over it is a photo card: opaque, more
    /// than 256 colours, and over [`encode::MAX_LOSSLESS_BYTES`] as a lossless PNG.
    /// Otherwise `None`: such a card is encoded whole, as any card.
    fn quantised(&self, level: u8) -> Result<Option<&Quantised>, RenderError> {
        if let Some(q) = self.quantised.get() {
            return Ok(q.as_ref());
        }
        let made = if encode::is_photo(&self.pixmap)? {
            Some(quantise(&self.pixmap, level)?)
        } else {
            None
        };
        Ok(self.quantised.get_or_init(|| made).as_ref())
    }
}

fn quantise(pixmap: &Pixmap, level: u8) -> Result<Quantised, RenderError> {
    let (palette, scanlines, net) = encode::quantize(pixmap, BACKGROUND_COLOURS);
    let stride = pixmap.width() as usize + 1;
    let bands = scanlines
        .chunks(stride * BAND_ROWS)
        .map(|rows| {
            let mut deflated = Vec::with_capacity(rows.len() / 2);
            encode::deflate_band(rows, level, &mut deflated)?;
            deflated.shrink_to_fit();
            Ok(Band {
                deflated,
                adler: zlib_rs::adler32::adler32(1, rows),
                len: rows.len(),
            })
        })
        .collect::<Result<_, RenderError>>()?;
    Ok(Quantised {
        palette,
        net,
        scanlines,
        bands,
    })
}

/// `card` (drawn over `background`) as a PNG: through the background's quantised bands
/// when it is a photo card, else as any card (`None`: the caller encodes it).
pub fn png(
    card: &Pixmap,
    background: &Background,
    level: u8,
) -> Result<Option<Vec<u8>>, RenderError> {
    let Some(q) = background.quantised(level)? else {
        return Ok(None);
    };
    let (width, height) = (card.width() as usize, card.height() as usize);
    let (drawn, under) = (card.data(), background.pixmap.data());
    if drawn.len() != under.len() {
        return Ok(None);
    }
    fn row(data: &[u8], width: usize, y: usize) -> &[u8] {
        &data[y * width * 4..(y + 1) * width * 4]
    }
    let changed: Vec<bool> = (0..height)
        .map(|y| row(drawn, width, y) != row(under, width, y))
        .collect();

    // The text's commonest colours join the palette (text is drawn in few colours; its
    // anti-aliased edges take the nearest entry).
    let mut counts: HashMap<u32, u32, Fast> = HashMap::default();
    for y in (0..height).filter(|&y| changed[y]) {
        for (p, b) in words(row(drawn, width, y)).zip(words(row(under, width, y))) {
            if p != b {
                *counts.entry(p & 0x00ff_ffff).or_default() += 1;
            }
        }
    }
    let mut text: Vec<(u32, u32)> = counts.into_iter().collect();
    text.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut palette = q.palette.clone();
    for &(key, _) in text.iter().take(256 - palette.len() / 3) {
        palette.extend_from_slice(&key.to_le_bytes()[..3]);
    }
    let mut nearest: HashMap<u32, u8, Fast> = HashMap::default();
    let mut index_of = |key: u32| {
        *nearest
            .entry(key)
            .or_insert_with(|| nearest_entry(q, &palette, key))
    };

    let stride = width + 1;
    let mut idat = Vec::with_capacity(q.bands.iter().map(|b| b.deflated.len()).sum::<usize>() + 64);
    idat.extend_from_slice(&encode::ZLIB_HEADER);
    let mut adler = 1u32;
    let mut rows = Vec::with_capacity(stride * BAND_ROWS);
    for (b, band) in q.bands.iter().enumerate() {
        let ys = b * BAND_ROWS..((b + 1) * BAND_ROWS).min(height);
        if !changed[ys.clone()].iter().any(|&c| c) {
            idat.extend_from_slice(&band.deflated);
            adler = zlib_rs::adler32::adler32_combine(adler, band.adler, band.len as u64);
            continue;
        }
        rows.clear();
        for y in ys {
            let kept = &q.scanlines[y * stride..(y + 1) * stride];
            if !changed[y] {
                rows.extend_from_slice(kept);
                continue;
            }
            rows.push(0);
            let pixels = words(row(drawn, width, y)).zip(words(row(under, width, y)));
            for ((p, b), &k) in pixels.zip(&kept[1..]) {
                rows.push(if p == b { k } else { index_of(p & 0x00ff_ffff) });
            }
        }
        encode::deflate_band(&rows, level.min(TEXT_BAND_LEVEL), &mut idat)?;
        adler = zlib_rs::adler32::adler32(adler, &rows);
    }
    idat.extend_from_slice(&encode::LAST_BLOCK);
    idat.extend_from_slice(&adler.to_be_bytes());
    encode::indexed_png(width as u32, height as u32, &palette, &idat).map(Some)
}

/// Each RGBA pixel as a little-endian word: red in the low byte, alpha in the high one.
fn words(row: &[u8]) -> impl Iterator<Item = u32> + '_ {
    row.chunks_exact(4)
        .map(|p| u32::from_le_bytes([p[0], p[1], p[2], p[3]]))
}

/// The deflate level of the bands a card's text changed (at most the configured one):
/// they are deflated for every card, so speed matters more there than in the bands deflated
/// once; level 2 makes them ~6 % larger than 5 in half the time.
const TEXT_BAND_LEVEL: u8 = 2;

/// A multiplicative hash for colour keys: SipHash's resistance to chosen keys buys nothing
/// for the colours of one card, and costs a fifth of its encoding.
#[derive(Default, Clone, Copy)]
struct Fast(u64);

impl std::hash::Hasher for Fast {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

impl std::hash::BuildHasher for Fast {
    type Hasher = Fast;
    fn build_hasher(&self) -> Fast {
        Fast(0)
    }
}

/// The entry of `palette` nearest `key` (squared RGB distance): the background's nearest
/// as its network finds it, or one of the text's own colours after it.
fn nearest_entry(q: &Quantised, palette: &[u8], key: u32) -> u8 {
    let [r, g, b, _] = key.to_le_bytes();
    let distance = |e: &[u8]| {
        (i32::from(e[0]) - i32::from(r)).pow(2)
            + (i32::from(e[1]) - i32::from(g)).pow(2)
            + (i32::from(e[2]) - i32::from(b)).pow(2)
    };
    let found = q.net.index_of(&[r, g, b, 255]);
    let mut best = (distance(&palette[found * 3..found * 3 + 3]), found);
    let own = q.palette.len() / 3;
    for (i, e) in palette.chunks_exact(3).enumerate().skip(own) {
        let d = distance(e);
        if d < best.0 {
            best = (d, i);
        }
    }
    best.1 as u8
}

impl Held for Background {
    /// Bytes held: the pixels, the quantised rows, bands and network once made, and the
    /// JPEG strips.
    fn bytes(&self) -> usize {
        let quantised = self
            .quantised
            .get()
            .and_then(Option::as_ref)
            .map_or(0, |q| {
                q.palette.capacity()
                    + NET_BYTES
                    + q.scanlines.capacity()
                    + q.bands.iter().map(|b| b.deflated.capacity()).sum::<usize>()
                    + q.bands.capacity() * std::mem::size_of::<Band>()
            });
        let jpeg = self.jpeg_kept().map_or(0, |s| s.bytes());
        self.pixmap.data().len() + quantised + jpeg
    }
}

/// The photo backgrounds kept, by what they are drawn from, within a byte budget: checked
/// each time one is asked for, so the rows a card quantised since are counted at the next
/// card.
pub type Photos = super::kept::Kept<Key, Background>;

/// What [`Photos`] may hold: about six 1200×630 backgrounds with their quantised bands.
pub const PHOTO_BUDGET: usize = 24 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{decode, rgb_of};

    /// A noisy photo-like background: smooth shades with grain, far over 256 colours and
    /// over the lossless cap.
    fn photo(width: u32, height: u32) -> Pixmap {
        let mut pixmap = Pixmap::new(width, height).unwrap();
        let mut seed = 7u32;
        for (i, p) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = (i as u32 % width, i as u32 / width);
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let grain = (seed >> 16) as u8 % 24;
            p[0] = (x * 200 / width) as u8 + grain;
            p[1] = (y * 200 / height) as u8 + grain;
            p[2] = ((x + y) * 100 / (width + height)) as u8 + grain;
            p[3] = 255;
        }
        pixmap
    }

    /// `background` with a band of text-coloured pixels (and a blended edge) in rows 40–59.
    fn with_text(background: &Pixmap) -> Pixmap {
        let mut card = background.clone();
        let width = card.width() as usize;
        for y in 40..60 {
            for x in 100..700 {
                let p = &mut card.data_mut()[(y * width + x) * 4..][..4];
                if x < 102 {
                    // Anti-aliased edge: half text, half photo.
                    p[0] = (u16::from(p[0]) + 250) as u8 / 2 + 1;
                    p[1] = (u16::from(p[1]) + 20) as u8 / 2;
                    p[2] = (u16::from(p[2]) + 120) as u8 / 2;
                } else {
                    p.copy_from_slice(&[250, 20, 120, 255]);
                }
            }
        }
        card
    }

    fn background(pixmap: Pixmap) -> Background {
        Background::new(CardPictures::none(), pixmap)
    }

    #[test]
    fn a_card_reuses_the_background_bands_and_keeps_its_text_colour() {
        let (width, height) = (800, 200);
        let bg = background(photo(width, height));
        let card = with_text(&bg.pixmap);
        let png = png(&card, &bg, 5).unwrap().expect("a photo card");
        // A valid stream (the decoder checks the Adler-32 of the joined bands).
        let (_, decoded) = decode(&png);
        let want = rgb_of(&card);
        assert_eq!(decoded.len(), want.len());
        let at =
            |data: &[u8], x: usize, y: usize| data[(y * width as usize + x) * 3..][..3].to_vec();
        // The text keeps its exact colour.
        assert_eq!(at(&decoded, 400, 50), [250, 20, 120]);
        // Rows the text did not touch are the background's own quantised rows: the same
        // as the bare background encoded through the same bands.
        let (_, bare) = decode(&png_of_background(&bg));
        let row = |data: &[u8], y: usize| {
            data[y * width as usize * 3..(y + 1) * width as usize * 3].to_vec()
        };
        for y in (0..40).chain(60..height as usize) {
            assert_eq!(row(&decoded, y), row(&bare, y), "row {y}");
        }
        // Close to the card everywhere (quantised and dithered, not exact).
        let mean = decoded
            .iter()
            .zip(&want)
            .map(|(a, b)| a.abs_diff(*b) as f64)
            .sum::<f64>()
            / want.len() as f64;
        assert!(mean < 6.0, "mean difference {mean}");
        // The same card encoded on its own is no smaller by much.
        let whole = encode::encode_png(&card, None, 5).unwrap();
        assert!(
            png.len() < whole.len() * 11 / 10,
            "{} vs {}",
            png.len(),
            whole.len()
        );
    }

    fn png_of_background(bg: &Background) -> Vec<u8> {
        png(&bg.pixmap, bg, 5).unwrap().expect("a photo background")
    }

    #[test]
    fn a_background_with_few_colours_is_left_to_the_exact_encoder() {
        let mut flat = Pixmap::new(400, 100).unwrap();
        flat.fill(tiny_skia::Color::from_rgba8(10, 20, 30, 255));
        let bg = background(flat);
        assert!(png(&bg.pixmap.clone(), &bg, 5).unwrap().is_none());
    }

    #[test]
    fn the_cache_holds_no_more_than_its_budget() {
        let one = photo(1000, 300);
        let each = one.data().len();
        let photos = Photos::new(each * 5 / 2);
        let mut quantised = false;
        let pictures: Vec<_> = (0..6)
            .map(|_| Arc::new(Pixmap::new(1, 1).unwrap()))
            .collect();
        for (i, picture) in pictures.iter().enumerate() {
            let mut card = CardPictures::none();
            card.set("image", Arc::clone(picture));
            let key = Key::new(9, 1, &card);
            let drawn = photos
                .get_or_make(key, || Ok(Background::new(card.clone(), one.clone())))
                .unwrap();
            // Kept within the budget, counting the rows and bands earlier cards quantised.
            assert!(
                photos.bytes() <= each * 5 / 2,
                "{} after {i}",
                photos.bytes()
            );
            // Quantised after it is kept, as a first PNG does: counted from then on.
            quantised |= png(&with_text(&drawn.pixmap), &drawn, 5).unwrap().is_some();
            assert!(drawn.bytes() > each, "the quantised rows are counted");
        }
        assert!(quantised);
        // The most recent is still kept: asking again draws nothing.
        let mut card = CardPictures::none();
        card.set("image", Arc::clone(&pictures[5]));
        let key = Key::new(9, 1, &card);
        photos.get_or_make(key, || panic!("drawn again")).unwrap();
    }
}
