//! Pixels → PNG bytes with the `png` crate (tiny-skia's own encoder is ~10× slower here).

use tiny_skia::Pixmap;

use crate::render::RenderError;

/// Encodes `pixmap` as an 8-bit PNG: RGB when every pixel is opaque (every card with an
/// opaque background), RGBA otherwise.
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    let data = pixmap.data();
    let opaque = data.chunks_exact(4).all(|p| p[3] == 255);
    let (color, samples): (png::ColorType, Vec<u8>) = if opaque {
        let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
        for p in data.chunks_exact(4) {
            rgb.extend_from_slice(&p[..3]);
        }
        (png::ColorType::Rgb, rgb)
    } else {
        let rgba = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        (png::ColorType::Rgba, rgba)
    };

    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let err = |e: png::EncodingError| RenderError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(&samples).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}
