//! A template's SVG source as a document with holes: the slots and accent elements are
//! replaced per request (`fill_slots`), everything else is the static layer, drawn once;
//! `data-asset` files are inlined as `data:` URIs when the template loads.

use std::ops::Range;

use tiny_skia::Pixmap;

use super::picture::{Fallback, PictureSlot};
use super::slot::Slot;
use super::Template;
use crate::assets::xml::data_uri;

/// Files embedded templates may inline with `data-asset`.
pub(super) const EMBEDDED_ASSETS: &[(&str, &[u8])] = &[(
    "brand-logo.svg",
    include_bytes!("../../../templates/brand-logo.svg"),
)];

/// The largest asset a template may inline.
pub(super) const MAX_ASSET_BYTES: usize = 2 << 20;

/// An element whose `fill` or `stroke` is the request's accent colour.
#[derive(Clone, Debug)]
pub(super) struct Accent {
    pub(super) range: Range<usize>,
    /// The painted attribute's value in the source (the default colour).
    pub(super) value: Range<usize>,
}

impl Template {
    /// The accent elements, painted with `accent` (or their own default colour).
    pub fn accent_elements(&self, accent: Option<&str>) -> Vec<String> {
        self.accents
            .iter()
            .map(|a| self.accent_element(a, accent))
            .collect()
    }

    fn accent_element(&self, a: &Accent, accent: Option<&str>) -> String {
        match accent {
            // `accent` is a validated `#rrggbb`: nothing in it needs escaping.
            Some(colour) => format!(
                "{}{colour}{}",
                &self.source[a.range.start..a.value.start],
                &self.source[a.value.end..a.range.end]
            ),
            None => self.source[a.range.clone()].to_string(),
        }
    }

    /// The slot that shows parameter `name`.
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }

    /// The template's SVG with each slot element replaced by `fill(slot)`, accent
    /// elements painted with `accent`, and each picture slot replaced by what `picture`
    /// gives for it (its picture as an element; `None`: no picture, and the slot's
    /// fallbacks stay).
    pub fn fill_slots(
        &self,
        accent: Option<&str>,
        mut fill: impl FnMut(&Slot) -> String,
        picture: impl Fn(&PictureSlot) -> Option<String>,
    ) -> String {
        let drawn: Vec<Option<String>> = self.pictures.iter().map(&picture).collect();
        compose(self.parts(), &self.source, &mut |part| match part {
            Part::Slot(slot) => Some(fill(slot)),
            Part::Accent(a) => Some(self.accent_element(a, accent)),
            Part::Picture(i) => drawn[i].clone(),
            Part::Fallback(f) => match drawn[f.slot] {
                Some(_) => None,
                None => Some(self.source[f.range.clone()].to_string()),
            },
        })
    }

    /// Every dynamic part of the template.
    pub(super) fn parts(&self) -> Parts<'_> {
        Parts {
            slots: &self.slots,
            accents: &self.accents,
            pictures: &self.pictures,
            fallbacks: &self.fallbacks,
        }
    }
}

/// A template's dynamic parts, each a range of its source.
#[derive(Clone, Copy)]
pub(super) struct Parts<'a> {
    pub(super) slots: &'a [Slot],
    pub(super) accents: &'a [Accent],
    pub(super) pictures: &'a [PictureSlot],
    pub(super) fallbacks: &'a [Fallback],
}

/// The files a template may inline with `data-asset`, by extension, with their media type.
pub const ASSET_TYPES: [(&str, &str); 5] = [
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("webp", "image/webp"),
];

/// A dynamic part of a template.
pub(super) enum Part<'a> {
    Slot(&'a Slot),
    Accent(&'a Accent),
    /// A picture slot, by index.
    Picture(usize),
    Fallback(&'a Fallback),
}

/// The files the templates in `sources` name in `data-asset` (a source that does not
/// parse names none: its own error comes when it is loaded as a template).
pub(super) fn asset_names<'a>(sources: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for source in sources.filter(|s| s.contains("data-asset")) {
        let Ok(doc) = roxmltree::Document::parse(source) else {
            continue;
        };
        for value in doc.descendants().filter_map(|n| n.attribute("data-asset")) {
            if !names.iter().any(|n| n == value) {
                names.push(value.to_string());
            }
        }
    }
    names
}

/// Replaces each `data-asset="FILE"` attribute by `href="data:…"` with the file's bytes.
/// FILE is a plain file name (no path) with an image extension; `asset` finds its bytes.
pub(super) fn inline_assets(
    source: String,
    asset: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<String, String> {
    let doc = roxmltree::Document::parse(&source).map_err(|e| e.to_string())?;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let Some(attr) = node.attributes().find(|a| a.name() == "data-asset") else {
            continue;
        };
        let line = doc.text_pos_at(node.range().start).row;
        let file = attr.value();
        let mime = file
            .rsplit_once('.')
            .and_then(|(_, e)| {
                ASSET_TYPES
                    .iter()
                    .find(|(ext, _)| e.eq_ignore_ascii_case(ext))
            })
            .map(|(_, mime)| *mime)
            .ok_or_else(|| {
                format!("line {line}: data-asset `{file}` is not .svg, .png, .jpg or .webp")
            })?;
        if node.tag_name().name() != "image" {
            return Err(format!("line {line}: data-asset belongs on <image>"));
        }
        if file.contains(['/', '\\']) || file.starts_with('.') {
            return Err(format!(
                "line {line}: data-asset `{file}` must be a file name beside the template"
            ));
        }
        let bytes = asset(file).map_err(|why| format!("line {line}: asset `{file}`: {why}"))?;
        if bytes.len() > MAX_ASSET_BYTES {
            return Err(format!(
                "line {line}: asset `{file}` is over {MAX_ASSET_BYTES} bytes"
            ));
        }
        // A broken asset would silently draw nothing: refuse it at startup instead.
        let valid = match mime {
            "image/svg+xml" => std::str::from_utf8(&bytes)
                .ok()
                .is_some_and(|t| roxmltree::Document::parse(t).is_ok()),
            "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            _ => bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"),
        };
        if !valid {
            return Err(format!(
                "line {line}: asset `{file}` is not a valid {mime} file"
            ));
        }
        edits.push((attr.range(), format!("href=\"{}\"", data_uri(mime, &bytes))));
    }
    if edits.is_empty() {
        return Ok(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&source[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&source[at..]);
    Ok(out)
}

/// `source` with each dynamic part (slot, accent element, picture slot, fallback)
/// replaced by what `part` gives for it (nothing for `None`), in document order. A part
/// inside one already replaced (a fallback inside a fallback) goes with it.
pub(super) fn compose(
    parts: Parts,
    source: &str,
    part: &mut dyn FnMut(Part) -> Option<String>,
) -> String {
    let mut all: Vec<(Range<usize>, Part)> = parts
        .slots
        .iter()
        .map(|s| (s.range.clone(), Part::Slot(s)))
        .chain(
            parts
                .accents
                .iter()
                .map(|a| (a.range.clone(), Part::Accent(a))),
        )
        .chain(
            parts
                .pictures
                .iter()
                .enumerate()
                .map(|(i, p)| (p.range.clone(), Part::Picture(i))),
        )
        .chain(
            parts
                .fallbacks
                .iter()
                .map(|f| (f.range.clone(), Part::Fallback(f))),
        )
        .collect();
    all.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(source.len() + 1024);
    let mut at = 0;
    for (range, p) in all {
        if range.start < at {
            continue;
        }
        out.push_str(&source[at..range.start]);
        if let Some(text) = part(p) {
            out.push_str(&text);
        }
        at = range.end;
    }
    out.push_str(&source[at..]);
    out
}

/// `source` without its slots, accents and picture slots and without `removed` (ranges
/// that may overlap or nest): a static layer's source.
pub(super) fn compose_without(parts: Parts, source: &str, removed: Vec<Range<usize>>) -> String {
    let mut ranges: Vec<Range<usize>> = parts
        .slots
        .iter()
        .map(|s| s.range.clone())
        .chain(parts.accents.iter().map(|a| a.range.clone()))
        .chain(parts.pictures.iter().map(|p| p.range.clone()))
        .chain(removed)
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for range in ranges {
        if range.start >= at {
            out.push_str(&source[at..range.start]);
        }
        at = at.max(range.end);
    }
    out.push_str(&source[at..]);
    out
}

pub(super) fn rasterize_static(
    tree: &usvg::Tree,
    width: u32,
    height: u32,
) -> Result<Pixmap, String> {
    let mut pixmap = Pixmap::new(width, height).ok_or("cannot allocate the canvas")?;
    resvg::render(tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    Ok(pixmap)
}
