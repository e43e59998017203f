//! The PNG encoder on arbitrary small images: what it writes always decodes to exactly the
//! pixels, with or without knowing which rows are still the background (hand-written
//! zero-run blocks, zlib-rs bands, block shortcuts in palettizing, RGB/RGBA fallbacks).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ogcard::render::encode::{encode_png, BackgroundRows, Known, DEFAULT_LEVEL};
use ogcard::render::raster::Rows;
use tiny_skia::Pixmap;

fuzz_target!(|data: &[u8]| {
    let [w, h, colours, rest @ ..] = data else {
        return;
    };
    let (width, height) = (u32::from(*w % 64) + 1, u32::from(*h % 32) + 1);
    // Up to 300 colours (more than a palette holds); alpha 255 except for colour 299.
    let colours = u32::from(*colours) + 45;
    let colour = |i: u32| {
        let i = i % colours;
        let alpha = if i == 299 { 128 } else { 255 };
        [
            (i * 7) as u8 & alpha,
            (i * 13 / 3) as u8 & alpha,
            (i / 2) as u8 & alpha,
            alpha,
        ]
    };
    // The background: one colour, with every row whose byte is odd another colour.
    let mut background = Pixmap::new(width, height).expect("size");
    let mut card = Pixmap::new(width, height).expect("size");
    let row_bytes = width as usize * 4;
    let mut bytes = rest.iter().copied().cycle();
    let mut dirty = Rows::default();
    for y in 0..height as usize {
        let fill = if y < rest.len() && rest[y] % 2 == 1 {
            colour(1)
        } else {
            colour(0)
        };
        for p in background.data_mut()[y * row_bytes..(y + 1) * row_bytes].chunks_exact_mut(4) {
            p.copy_from_slice(&fill);
        }
        let row = &mut card.data_mut()[y * row_bytes..(y + 1) * row_bytes];
        row.copy_from_slice(&background.data()[y * row_bytes..(y + 1) * row_bytes]);
        // Draw on rows whose byte says so: runs of arbitrary colours.
        if !rest.is_empty() && rest[y % rest.len()] % 3 == 0 {
            dirty.add(y as u32..y as u32 + 1);
            let mut x = 0;
            while x < width as usize {
                let (c, run) = (bytes.next().unwrap_or(0), bytes.next().unwrap_or(1));
                for p in row[x * 4..]
                    .chunks_exact_mut(4)
                    .take(usize::from(run % 24) + 1)
                {
                    p.copy_from_slice(&colour(u32::from(c) * 3));
                }
                x += usize::from(run % 24) + 1;
            }
        }
    }
    let rows = BackgroundRows::of(&background);
    let known = Known {
        background: &rows,
        dirty: &dirty,
    };
    let level = rest.first().map_or(DEFAULT_LEVEL, |b| b % 9 + 1);
    for png in [
        encode_png(&card, Some(&known), level),
        encode_png(&card, None, DEFAULT_LEVEL),
    ] {
        let png = png.expect("encodes");
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("header");
        let mut got = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut got).expect("decodes");
        got.truncate(info.buffer_size());
        let channels = got.len() / (width * height) as usize;
        for (p, q) in card.pixels().iter().zip(got.chunks_exact(channels)) {
            let c = p.demultiply();
            let want = [c.red(), c.green(), c.blue(), c.alpha()];
            assert_eq!(&want[..channels], q, "{channels} channels");
        }
    }
});
