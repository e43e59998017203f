//! Pixels → PNG bytes with the `png` crate (tiny-skia's own encoder is ~10× slower here).
//!
//! A card is a few flat colours and the anti-aliased edges between them: it nearly always
//! has at most 256 distinct colours. Then it is written as an exact (lossless) indexed PNG,
//! one byte a pixel instead of three: smaller and faster to compress. Otherwise RGB (or RGBA
//! when some pixel is not opaque).

use tiny_skia::Pixmap;

use crate::render::RenderError;

/// Encodes `pixmap` losslessly: indexed when it has ≤ 256 colours and is opaque, else
/// 8-bit RGB, or RGBA when some pixel is translucent.
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let data = pixmap.data();
    match palettize(data, width as usize) {
        Colors::Indexed { palette, indices } => write(
            width,
            height,
            png::ColorType::Indexed,
            Some(&palette),
            &indices,
        ),
        Colors::Many => write(width, height, png::ColorType::Rgb, None, &rgb_of(pixmap)),
        Colors::Translucent => write(
            width,
            height,
            png::ColorType::Rgba,
            None,
            &straight_rgba(pixmap),
        ),
    }
}

/// Encodes `pixmap` as a baseline JPEG at `quality` (1–100). JPEG has no alpha: pixels
/// are composited over black, as their premultiplied values already are.
pub fn encode_jpeg(pixmap: &Pixmap, quality: u8) -> Result<Vec<u8>, RenderError> {
    let rgb = rgb_of(pixmap);
    let (w, h) = dimensions_u16(pixmap)?;
    let mut out = Vec::with_capacity(64 * 1024);
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
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

fn rgb_of(pixmap: &Pixmap) -> Vec<u8> {
    let data = pixmap.data();
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

fn dimensions_u16(pixmap: &Pixmap) -> Result<(u16, u16), RenderError> {
    let w = u16::try_from(pixmap.width())
        .map_err(|_| RenderError::Encode("too wide for JPEG".into()))?;
    let h = u16::try_from(pixmap.height())
        .map_err(|_| RenderError::Encode("too tall for JPEG".into()))?;
    Ok((w, h))
}

enum Colors {
    /// Opaque, ≤ 256 colours: the palette (RGB triples) and one index a pixel.
    Indexed { palette: Vec<u8>, indices: Vec<u8> },
    /// Opaque, more than 256 colours.
    Many,
    /// Some pixel is not opaque.
    Translucent,
}

/// One pass over the pixels: opacity and the exact palette together.
fn palettize(rgba: &[u8], width: usize) -> Colors {
    // Open addressing over 1024 slots keyed by the packed colour; 256 colours fill it to
    // at most a quarter, so probes stay short. Runs of one colour skip the table.
    const SLOTS: usize = 1024;
    const EMPTY: u32 = 0; // alpha 0: never the key of an opaque pixel
    let mut keys = [EMPTY; SLOTS];
    let mut values = [0u8; SLOTS];
    let mut palette = Vec::with_capacity(256 * 3);
    let mut indices = Vec::with_capacity(rgba.len() / 4);
    // Wider than any pixel, so the first pixel never matches it.
    let (mut last_key, mut last_index) = (u64::MAX, 0u8);
    let mut too_many = false;
    let row_bytes = width * 4;
    for (y, row) in rgba.chunks_exact(row_bytes.max(4)).enumerate() {
        // A row equal to the one above (most of a flat card) repeats its indices.
        if y > 0 && !too_many && row == &rgba[(y - 1) * row_bytes..y * row_bytes] {
            let start = indices.len() - width;
            indices.extend_from_within(start..);
            continue;
        }
        for p in row.chunks_exact(4) {
            let key = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
            if u64::from(key) == last_key {
                indices.push(last_index);
                continue;
            }
            if p[3] != 255 {
                return Colors::Translucent;
            }
            last_key = u64::from(key);
            if too_many {
                continue;
            }
            let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 22) as usize;
            loop {
                if keys[slot] == key {
                    last_index = values[slot];
                    break;
                }
                if keys[slot] == EMPTY {
                    let n = palette.len() / 3;
                    if n == 256 {
                        too_many = true;
                        break;
                    }
                    keys[slot] = key;
                    values[slot] = n as u8;
                    palette.extend_from_slice(&p[..3]);
                    last_index = n as u8;
                    break;
                }
                slot = (slot + 1) % SLOTS;
            }
            indices.push(last_index);
        }
    }
    if too_many {
        Colors::Many
    } else {
        Colors::Indexed { palette, indices }
    }
}

fn write(
    width: u32,
    height: u32,
    color: png::ColorType,
    palette: Option<&[u8]>,
    samples: &[u8],
) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    if let Some(palette) = palette {
        encoder.set_palette(palette);
        // Measured on the seed card with fdeflate (`Fast`): `Up` 27 KB in 0.4 ms, none
        // 58 KB, adaptive 26 KB in 0.8 ms; zlib levels 3–5 reach 18–19 KB but cost 4 ms.
        encoder.set_filter(png::Filter::Up);
    }
    let err = |e: png::EncodingError| RenderError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(samples).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_skia::{Color, Paint, PathBuilder, Transform};

    fn decode(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut d = png::Decoder::new(std::io::Cursor::new(png));
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().unwrap();
        let color = r.info().color_type;
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (color, buf)
    }

    fn rgb_of(pixmap: &Pixmap) -> Vec<u8> {
        pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

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
        let png = encode_png(&pixmap).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Indexed);
        assert_eq!(pixels, rgb_of(&pixmap), "exact, not quantised");
    }

    #[test]
    fn a_transparent_canvas_is_rgba() {
        let mut pixmap = Pixmap::new(8, 8).unwrap();
        pixmap.pixels_mut()[63] = tiny_skia::PremultipliedColorU8::from_rgba(9, 9, 9, 255).unwrap();
        let png = encode_png(&pixmap).unwrap();
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
        let png = encode_png(&pixmap).unwrap();
        let (color, pixels) = decode(&png);
        assert_eq!(color, png::ColorType::Rgb);
        assert_eq!(pixels, rgb_of(&pixmap));
    }
}
