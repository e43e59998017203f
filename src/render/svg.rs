//! Laid-out lines → SVG text.
//!
//! Every user string passes through [`escape`] before it enters the document; none ever
//! becomes an element, an attribute name, a path or a URL.

use std::collections::HashMap;
use std::fmt::Write;

use crate::assets::fonts::{FaceIndex, Fonts};
use crate::assets::templates::{Slot, Template, GLYPH_ID};
pub use crate::assets::xml::escape;
use crate::render::layout::SlotLayout;
use crate::render::shape::Run;

/// The elements of one laid-out slot: one `<text>` per font run, in visual order, each
/// placed absolutely so that usvg shapes it as its own chunk in exactly the face we
/// measured (separate elements, so that usvg's own bidi pass cannot reorder them again).
pub fn slot_element(slot: &Slot, layout: &SlotLayout, fonts: &Fonts) -> String {
    slot_element_where(slot, layout, fonts, |_| true)
}

/// Like [`slot_element`], with only the runs `keep` accepts.
pub fn slot_element_where(
    slot: &Slot,
    layout: &SlotLayout,
    fonts: &Fonts,
    keep: impl Fn(&Run) -> bool,
) -> String {
    let mut out = String::with_capacity(256 * layout.lines.len());
    for line in &layout.lines {
        for (run, x) in line.runs.iter().filter(|(r, _)| keep(r)) {
            let face = &fonts.faces[run.face];
            // Infallible: `fmt::Write` for `String` never fails.
            let _ = write!(
                out,
                "<text{} x=\"{x:.3}\" y=\"{:.3}\" font-size=\"{}\" font-family=\"{}\" font-weight=\"{}\" font-style=\"{}\"",
                slot.attributes,
                line.y,
                layout.font_size,
                escape(&face.family),
                face.weight,
                if face.italic { "italic" } else { "normal" },
            );
            if face.stretch != 100.0 {
                let _ = write!(
                    out,
                    " font-stretch=\"{}\"",
                    crate::assets::fonts::stretch_keyword(face.stretch)
                );
            }
            // A variable font's instance, exactly as layout measured it.
            if !face.variations.is_empty() {
                out.push_str(" font-variation-settings=\"");
                for (i, (axis, value)) in face.variations.iter().enumerate() {
                    let _ = write!(out, "{}'{axis}' {value}", if i > 0 { ", " } else { "" });
                }
                out.push('"');
            }
            let _ = write!(
                out,
                " xml:space=\"preserve\">{}</text>",
                escape(&line.text[run.range.clone()]),
            );
        }
    }
    out
}

/// An SVG of only the slot elements, to draw over the template's pre-rendered background.
pub fn overlay(template: &Template, elements: &[String]) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        w = template.width,
        h = template.height
    );
    for e in elements {
        out.push_str(e);
    }
    out.push_str("</svg>");
    out
}

/// Glyphs written once: each glyph at each size an element of `<defs>` (its outline as
/// a path, or a colour bitmap glyph's PNG as an image), placed with `<use>` wherever it
/// is drawn. Text drawn this way needs no font and no second layout by the viewer, and a
/// glyph a title repeats costs a `<use>`, not its outline again.
#[derive(Default)]
pub struct Glyphs {
    ids: HashMap<(FaceIndex, u32, u32), Option<usize>>,
    defs: String,
}

impl Glyphs {
    /// The `<defs>` element of every glyph placed so far (empty when none).
    pub fn defs(&self) -> String {
        if self.defs.is_empty() {
            return String::new();
        }
        format!("<defs>{}</defs>", self.defs)
    }

    /// The id of glyph `glyph` of face `face` at `size` px, writing its definition the
    /// first time; `None` when it draws nothing (a space, or no outline).
    fn id(&mut self, fonts: &Fonts, face: FaceIndex, glyph: u32, size: f32) -> Option<usize> {
        let key = (face, glyph, size.to_bits());
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.ids.len();
        let start = self.defs.len();
        let _ = write!(self.defs, "<g id=\"{GLYPH_ID}{id}\">");
        let drawn = if fonts.faces[face].png_bitmaps {
            bitmap_element(&mut self.defs, fonts, face, glyph, size)
        } else {
            outline_element(&mut self.defs, fonts, face, glyph, size)
        };
        let id = if drawn {
            self.defs.push_str("</g>");
            Some(id)
        } else {
            self.defs.truncate(start);
            None
        };
        self.ids.insert(key, id);
        id
    }
}

/// Writes glyph `glyph`'s outline at `size` px as a `<path>` (origin at the pen, y down);
/// false when it has none.
fn outline_element(
    out: &mut String,
    fonts: &Fonts,
    face: FaceIndex,
    glyph: u32,
    size: f32,
) -> bool {
    use skrifa::MetadataProvider;
    let f = &fonts.faces[face];
    let Some(font) = f.skrifa_ref() else {
        return false;
    };
    let Some(outline) = font.outline_glyphs().get(skrifa::GlyphId::new(glyph)) else {
        return false;
    };
    let start = out.len();
    out.push_str("<path d=\"");
    let path_start = out.len();
    let mut pen = PathData {
        out,
        scale: size / f.units_per_em,
    };
    let settings =
        skrifa::outline::DrawSettings::unhinted(skrifa::instance::Size::unscaled(), f.location());
    if outline.draw(settings, &mut pen).is_err() || out.len() == path_start {
        out.truncate(start);
        return false;
    }
    out.push_str("\"/>");
    true
}

/// SVG path data from a glyph's outline in font units, scaled to px and flipped (font
/// units go up, SVG's down), two decimals.
struct PathData<'a> {
    out: &'a mut String,
    scale: f32,
}

impl PathData<'_> {
    fn point(&mut self, x: f32, y: f32) {
        let _ = write!(self.out, "{} {}", Num(x * self.scale), Num(-y * self.scale));
    }
}

impl skrifa::outline::OutlinePen for PathData<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.out.push('M');
        self.point(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.out.push('L');
        self.point(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.out.push('Q');
        self.point(cx0, cy0);
        self.out.push(' ');
        self.point(x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.out.push('C');
        self.point(cx0, cy0);
        self.out.push(' ');
        self.point(cx1, cy1);
        self.out.push(' ');
        self.point(x, y);
    }
    fn close(&mut self) {
        self.out.push('Z');
    }
}

/// A number with at most two decimals and no trailing zeros (`12`, `-3.5`, `0.25`).
struct Num(f32);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hundredths = (self.0 * 100.0).round() as i64;
        let (sign, abs) = if hundredths < 0 {
            ("-", -hundredths)
        } else {
            ("", hundredths)
        };
        match abs % 100 {
            0 => write!(f, "{sign}{}", abs / 100),
            r if r % 10 == 0 => write!(f, "{sign}{}.{}", abs / 100, r / 10),
            r => write!(f, "{sign}{}.{r:02}", abs / 100),
        }
    }
}

/// Writes a colour bitmap glyph (a PNG strike, as Noto Color Emoji has) at `size` px as
/// an `<image>`, placed and scaled as usvg places one (`glyphs::png_glyph`, as the PNG
/// draws it); false when it has none.
fn bitmap_element(out: &mut String, fonts: &Fonts, face: FaceIndex, glyph: u32, size: f32) -> bool {
    let Some(glyph) = crate::render::glyphs::png_glyph(fonts, face, glyph, size) else {
        return false;
    };
    // The PNG's own size, from its header (IHDR: width and height after 16 bytes).
    let Some(header) = glyph.png.get(16..24) else {
        return false;
    };
    let width = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
    let height = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
    let _ = write!(
        out,
        "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"{}\"/>",
        Num(glyph.left),
        Num(glyph.top),
        Num(glyph.scale * width as f32),
        Num(glyph.scale * height as f32),
        crate::assets::xml::data_uri("image/png", glyph.png)
    );
    true
}

/// The elements of one laid-out slot as placed glyphs: a `<g>` with the slot's
/// attributes around a `<use>` of each glyph, at the positions our own shaping gave (as
/// the PNG draws them). `None` when a run's face has colour glyphs other than PNG
/// bitmaps: usvg must draw those.
pub fn slot_glyphs(
    slot: &Slot,
    layout: &SlotLayout,
    fonts: &Fonts,
    glyphs: &mut Glyphs,
) -> Option<String> {
    let mut out = String::with_capacity(64 * layout.lines.len());
    let _ = write!(out, "<g{}>", slot.attributes);
    let size = layout.font_size;
    for line in &layout.lines {
        for ((run, x), shaped) in line.runs.iter().zip(&line.glyphs) {
            let face = &fonts.faces[run.face];
            if face.color && !face.png_bitmaps {
                return None;
            }
            let scale = size / face.units_per_em;
            let mut pen = *x;
            for g in shaped {
                let gx = pen + g.x_offset as f32 * scale;
                let gy = line.y - g.y_offset as f32 * scale;
                pen += g.x_advance as f32 * scale;
                if let Some(id) = glyphs.id(fonts, run.face, g.id, size) {
                    let _ = write!(
                        out,
                        "<use href=\"#{GLYPH_ID}{id}\" x=\"{}\" y=\"{}\"/>",
                        Num(gx),
                        Num(gy)
                    );
                }
            }
        }
    }
    out.push_str("</g>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::Num;

    #[test]
    fn numbers_have_at_most_two_decimals_and_no_trailing_zeros() {
        let written: Vec<String> = [12.0, -3.5, 0.25, 0.004, -0.004, 1.999, 100.1, -0.5]
            .iter()
            .map(|&v| Num(v).to_string())
            .collect();
        assert_eq!(
            written,
            ["12", "-3.5", "0.25", "0", "0", "2", "100.1", "-0.5"]
        );
    }
}
