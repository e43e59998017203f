//! Laid-out lines → SVG text.
//!
//! Every user string passes through [`escape`] before it enters the document; none ever
//! becomes an element, an attribute name, a path or a URL.

use std::fmt::Write;

use crate::assets::fonts::Fonts;
use crate::assets::templates::{Slot, Template};
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
