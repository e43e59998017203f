//! A fetched picture's bytes to the pixels of a slot, under limits.
//!
//! The format comes from the bytes' signature, never from a name or a `Content-Type`
//! (a PNG called `.jpg` is a PNG); PNG, JPEG, WebP and GIF (its first frame) are drawn,
//! anything else — SVG and HTML among them — is refused. The header's dimensions are read
//! before any pixel: more than [`MAX_PIXELS`] is refused before a byte of them is
//! allocated (a few-KB PNG can claim 20000×20000), and the decoder's own allocations are
//! capped. The picture is then resized once (Lanczos3, in premultiplied alpha) to the slot's pixel
//! size (`cover`: filled and centre-cropped; `contain`: letterboxed on transparency).

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbaImage};
use tiny_skia::Pixmap;

pub use crate::assets::templates::Fit;

/// The most pixels a picture may have: a 40 Mpx photo is larger than any cover a blog
/// serves; past it a decompression bomb is the likelier file.
pub const MAX_PIXELS: u64 = 40_000_000;
/// What a decode may allocate: 40 Mpx at 8 bytes a pixel (16-bit RGBA).
const MAX_ALLOC: u64 = MAX_PIXELS * 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Webp,
    Gif,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PictureError {
    #[error("not a picture: {0}")]
    NotAPicture(&'static str),
    #[error("{width}×{height} is more than {MAX_PIXELS} pixels")]
    TooManyPixels { width: u32, height: u32 },
    #[error("cannot decode it: {0}")]
    Decode(String),
}

/// The format the bytes' signature says.
pub fn sniff(bytes: &[u8]) -> Result<Format, PictureError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(Format::Png)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok(Format::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(Format::Webp)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok(Format::Gif)
    } else if bytes.trim_ascii_start().starts_with(b"<") {
        Err(PictureError::NotAPicture(
            "SVG or HTML, not PNG, JPEG, WebP or GIF",
        ))
    } else {
        Err(PictureError::NotAPicture("not PNG, JPEG, WebP or GIF"))
    }
}

/// Decodes `bytes` (the first frame of a GIF) to straight-alpha RGBA, within the limits.
pub fn decode(bytes: &[u8]) -> Result<RgbaImage, PictureError> {
    decode_any(bytes).map(DynamicImage::into_rgba8)
}

/// The most one decode holds at its peak, in bytes, reckoned from the header alone before
/// any pixel is decoded: the decoded pixels at 8 bits a sample (a 16-bit PNG is reduced
/// while it is decoded), an RGBA copy when the decoder's layout is neither RGB nor RGBA
/// (grey pictures), and the resizer's intermediate image (one pass done: the box's width ×
/// the picture's height, or the picture's width × the box's height, 4 bytes a pixel).
/// [`decode_any`] and [`fit`] stay within it.
pub fn decode_cost(bytes: &[u8], box_width: u32, box_height: u32) -> Result<u64, PictureError> {
    use image::ImageDecoder;
    let format = image_format(sniff(bytes)?);
    let decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(|e| PictureError::Decode(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(PictureError::TooManyPixels { width, height });
    }
    let color = decoder.color_type();
    let channels = u64::from(color.channel_count());
    let copy = match color.channel_count() {
        3 | 4 => 0,
        _ => pixels * 4,
    };
    let rows = (u64::from(box_width.max(1)) * u64::from(height))
        .max(u64::from(width) * u64::from(box_height.max(1)))
        * 4;
    Ok(pixels * channels + copy + rows)
}

fn image_format(format: Format) -> ImageFormat {
    match format {
        Format::Png => ImageFormat::Png,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Webp => ImageFormat::WebP,
        Format::Gif => ImageFormat::Gif,
    }
}

/// Decodes `bytes` within the limits to the decoder's own pixel layout at 8 bits a sample
/// (RGB for a JPEG: a 40 Mpx photo is then 120 MB, not 160).
pub fn decode_any(bytes: &[u8]) -> Result<DynamicImage, PictureError> {
    let format = sniff(bytes)?;
    if format == Format::Png {
        return decode_png(bytes);
    }
    let reader = || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
        let mut limits = Limits::default();
        limits.max_alloc = Some(MAX_ALLOC);
        reader.limits(limits);
        reader
    };
    let decode_error = |e: image::ImageError| PictureError::Decode(e.to_string());
    let (width, height) = reader().into_dimensions().map_err(decode_error)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooManyPixels { width, height });
    }
    reader().decode().map_err(decode_error)
}

/// A PNG's first frame, 16-bit samples reduced to 8 and palettes expanded row by row as
/// it is decoded: one buffer of the final size, never a 16-bit one (a 7000×5714 16-bit
/// RGBA PNG is 160 MB at 8 bits and would be 320 MB at 16).
fn decode_png(bytes: &[u8]) -> Result<DynamicImage, PictureError> {
    let decode_error = |e: png::DecodingError| PictureError::Decode(e.to_string());
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: MAX_ALLOC as usize,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(decode_error)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooManyPixels { width, height });
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| PictureError::Decode("the picture is too large to address".into()))?;
    let mut buffer = vec![0; size];
    let frame = reader.next_frame(&mut buffer).map_err(decode_error)?;
    buffer.truncate(frame.buffer_size());
    let too_short = || PictureError::Decode("fewer pixels than the header says".into());
    Ok(match frame.color_type {
        png::ColorType::Grayscale => DynamicImage::ImageLuma8(
            image::ImageBuffer::from_raw(width, height, buffer).ok_or_else(too_short)?,
        ),
        png::ColorType::GrayscaleAlpha => DynamicImage::ImageLumaA8(
            image::ImageBuffer::from_raw(width, height, buffer).ok_or_else(too_short)?,
        ),
        png::ColorType::Rgb => DynamicImage::ImageRgb8(
            image::ImageBuffer::from_raw(width, height, buffer).ok_or_else(too_short)?,
        ),
        png::ColorType::Rgba => DynamicImage::ImageRgba8(
            image::ImageBuffer::from_raw(width, height, buffer).ok_or_else(too_short)?,
        ),
        png::ColorType::Indexed => {
            return Err(PictureError::Decode("a palette left unexpanded".into()))
        }
    })
}

/// `picture` at `width`×`height` pixels (at least 1×1), premultiplied for drawing.
/// Filtered (Lanczos3, SIMD) in premultiplied alpha, so transparent pixels lend no colour;
/// an RGB picture (a JPEG) is filtered as it was decoded, with no copy.
pub fn fit(picture: DynamicImage, width: u32, height: u32, fit: Fit) -> Option<Pixmap> {
    use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions};
    let (width, height) = (width.max(1), height.max(1));
    let (pw, ph) = (picture.width().max(1), picture.height().max(1));
    let source = match picture {
        DynamicImage::ImageRgb8(rgb) => {
            Image::from_vec_u8(pw, ph, rgb.into_raw(), PixelType::U8x3).ok()?
        }
        other => {
            let mut rgba = other.into_rgba8().into_raw();
            for p in rgba.chunks_exact_mut(4) {
                let a = u16::from(p[3]);
                for c in &mut p[..3] {
                    *c = ((u16::from(*c) * a + 127) / 255) as u8;
                }
            }
            Image::from_vec_u8(pw, ph, rgba, PixelType::U8x4).ok()?
        }
    };
    let pixel_type = source.pixel_type();
    let (sx, sy) = (
        f64::from(width) / f64::from(pw),
        f64::from(height) / f64::from(ph),
    );
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(false);
    // Cover: the middle of the picture with the box's shape, to the whole box. Contain:
    // the whole picture, to the largest box of its shape inside, centred.
    let (options, w, h) = match fit {
        Fit::Cover => {
            let scale = sx.max(sy);
            let (cw, ch) = (f64::from(width) / scale, f64::from(height) / scale);
            let crop = options.crop(
                (f64::from(pw) - cw) / 2.0,
                (f64::from(ph) - ch) / 2.0,
                cw,
                ch,
            );
            (crop, width, height)
        }
        Fit::Contain => {
            let scale = sx.min(sy);
            let w = ((f64::from(pw) * scale).round() as u32).clamp(1, width);
            let h = ((f64::from(ph) * scale).round() as u32).clamp(1, height);
            (options, w, h)
        }
    };
    let mut resized = Image::new(w, h, pixel_type);
    fast_image_resize::Resizer::new()
        .resize(&source, &mut resized, &options)
        .ok()?;
    let mut out = Pixmap::new(width, height)?;
    let (x, y) = (((width - w) / 2) as usize, ((height - h) / 2) as usize);
    let channels = if pixel_type == PixelType::U8x3 { 3 } else { 4 };
    let row = w as usize * channels;
    let stride = width as usize * 4;
    let data = out.data_mut();
    for (i, line) in resized.buffer().chunks_exact(row).enumerate() {
        let at = (y + i) * stride + x * 4;
        let dst = &mut data[at..at + w as usize * 4];
        if channels == 4 {
            dst.copy_from_slice(line);
        } else {
            for (d, s) in dst.chunks_exact_mut(4).zip(line.chunks_exact(3)) {
                d.copy_from_slice(&[s[0], s[1], s[2], 255]);
            }
        }
    }
    Some(out)
}

/// Makes the corners of `pixmap` transparent outside arcs of `radius` pixels (anti-aliased);
/// a radius of half the shorter side makes a circle or a capsule.
pub fn round_corners(pixmap: &mut Pixmap, radius: f32) {
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    let r = radius.min(w.min(h) / 2.0);
    if r < 0.5 {
        return;
    }
    // Quarter circles as cubic Béziers (control points at 0.5523 of the radius).
    let k = r * (1.0 - 0.552_284_8);
    let mut path = tiny_skia::PathBuilder::new();
    path.move_to(r, 0.0);
    path.line_to(w - r, 0.0);
    path.cubic_to(w - k, 0.0, w, k, w, r);
    path.line_to(w, h - r);
    path.cubic_to(w, h - k, w - k, h, w - r, h);
    path.line_to(r, h);
    path.cubic_to(k, h, 0.0, h - k, 0.0, h - r);
    path.line_to(0.0, r);
    path.cubic_to(0.0, k, k, 0.0, r, 0.0);
    path.close();
    let Some(path) = path.finish() else { return };
    let Some(mut mask) = tiny_skia::Mask::new(pixmap.width(), pixmap.height()) else {
        return;
    };
    mask.fill_path(
        &path,
        tiny_skia::FillRule::Winding,
        true,
        tiny_skia::Transform::identity(),
    );
    pixmap.apply_mask(&mask);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width`×`height` PNG whose left half is red and right half blue.
    fn halves_png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        let mut writer = encoder.write_header().unwrap();
        let data: Vec<u8> = (0..width * height)
            .flat_map(|i| {
                if i % width < width / 2 {
                    [255, 0, 0, 255]
                } else {
                    [0, 0, 255, 255]
                }
            })
            .collect();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    }

    /// A PNG whose header claims `width`×`height` with hardly any data: a bomb's shape.
    fn claimed_png(width: u32, height: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xedb8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        );
        chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn the_signature_decides_the_format() {
        let png = halves_png(4, 2);
        assert_eq!(sniff(&png), Ok(Format::Png), "whatever the file is called");
        assert_eq!(sniff(b"\xff\xd8\xff\xe0rest"), Ok(Format::Jpeg));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8L"), Ok(Format::Webp));
        assert_eq!(sniff(b"GIF89a...."), Ok(Format::Gif));
        for not in [
            &b"  <svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            b"<!doctype html><p>404</p>",
            b"%PDF-1.7",
            b"",
        ] {
            assert!(matches!(sniff(not), Err(PictureError::NotAPicture(_))));
        }
    }

    #[test]
    fn every_format_decodes_to_its_pixels() {
        let png = halves_png(8, 4);
        let red_then_blue = |img: &RgbaImage| {
            let (l, r) = (img.get_pixel(1, 1).0, img.get_pixel(6, 1).0);
            l[0] > 200 && l[2] < 60 && r[2] > 200 && r[0] < 60
        };
        let decoded = decode(&png).unwrap();
        assert!(red_then_blue(&decoded));
        // The same picture through the other encoders `image` has.
        for format in [ImageFormat::Jpeg, ImageFormat::WebP, ImageFormat::Gif] {
            let mut bytes = Cursor::new(Vec::new());
            let rgb = image::DynamicImage::ImageRgba8(decoded.clone());
            let rgb = if format == ImageFormat::Jpeg {
                image::DynamicImage::ImageRgb8(rgb.to_rgb8())
            } else {
                rgb
            };
            rgb.write_to(&mut bytes, format).unwrap();
            let again = decode(bytes.get_ref()).unwrap();
            assert_eq!(again.dimensions(), (8, 4), "{format:?}");
            assert!(red_then_blue(&again), "{format:?}");
        }
    }

    #[test]
    fn a_bomb_is_refused_from_its_header() {
        let bomb = claimed_png(20_000, 20_000);
        assert!(bomb.len() < 100);
        assert_eq!(
            decode(&bomb),
            Err(PictureError::TooManyPixels {
                width: 20_000,
                height: 20_000
            })
        );
        // Within the limit but with its data missing: a decode error, not a panic.
        assert!(matches!(
            decode(&claimed_png(64, 64)),
            Err(PictureError::Decode(_))
        ));
        assert!(matches!(
            decode(&halves_png(8, 4)[..40]),
            Err(PictureError::Decode(_))
        ));
    }

    #[test]
    fn cover_crops_the_middle_and_contain_letterboxes() {
        let wide = decode(&halves_png(200, 100)).unwrap();
        // Cover into a square: the middle 100×100 of the picture, red left, blue right.
        let cover = fit(DynamicImage::ImageRgba8(wide.clone()), 50, 50, Fit::Cover).unwrap();
        let at = |p: &Pixmap, x: u32, y: u32| p.pixel(x, y).unwrap();
        assert_eq!(
            (at(&cover, 2, 25).red(), at(&cover, 47, 25).blue()),
            (255, 255)
        );
        assert_eq!(at(&cover, 25, 0).alpha(), 255, "filled to the edge");
        // Contain into a square: 50×25 in the middle, transparent above and below.
        let contain = fit(DynamicImage::ImageRgba8(wide), 50, 50, Fit::Contain).unwrap();
        assert_eq!(at(&contain, 25, 5).alpha(), 0);
        assert_eq!(at(&contain, 25, 44).alpha(), 0);
        assert_eq!(at(&contain, 2, 25).red(), 255);
        assert_eq!(at(&contain, 47, 25).blue(), 255);
    }

    #[test]
    fn sixteen_bit_pngs_decode_to_eight_bits_and_cost_what_they_hold() {
        let (w, h) = (50u32, 40u32);
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Sixteen);
        let mut writer = encoder.write_header().unwrap();
        let samples: Vec<u8> = (0..w * h * 8).map(|i| (i % 256) as u8).collect();
        writer.write_image_data(&samples).unwrap();
        writer.finish().unwrap();
        let picture = decode_any(&bytes).unwrap();
        assert!(matches!(picture, DynamicImage::ImageRgba8(_)));
        let held = picture.as_bytes().len() as u64;
        assert_eq!(held, u64::from(w * h * 4), "8 bits a sample, one copy");
        // Decoded pixels, no conversion copy (already RGBA), and the resizer's rows.
        let cost = decode_cost(&bytes, 10, 8).unwrap();
        assert_eq!(cost, held + u64::from(w * 8 * 4).max(u64::from(10 * h * 4)));
        // A grey picture is charged its RGBA copy too.
        let grey = {
            let mut out = std::io::Cursor::new(Vec::new());
            image::GrayImage::new(w, h)
                .write_to(&mut out, ImageFormat::Png)
                .unwrap();
            out.into_inner()
        };
        assert!(decode_cost(&grey, 1, 1).unwrap() >= u64::from(w * h * 5));
    }
}
