//! Picture slots (`<image data-slot="image|avatar|logo">`), their fallbacks
//! (`data-fallback="SLOT"`), and the layers a template's static part is cut into around
//! the pictures a card has.
//!
//! A picture is drawn where its slot element stands in the document: what comes before it
//! in the root is under it, what comes after is over it (the `cover` template's dark
//! gradient over its photo). So for each set of present pictures the static part is cut
//! into layers at them — drawn once, when a card first needs that set — and a card is its
//! first layer, each picture followed by the layer above it, then its text. Text slots and
//! accent elements are always drawn over everything.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use tiny_skia::Pixmap;

use super::compose::{compose_without, Parts};
use crate::request::PICTURES;

/// How a picture fills its slot's box (`data-fit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Fills the box, cropped to its middle.
    Cover,
    /// Whole inside the box, centred; the rest transparent.
    Contain,
}

/// A picture slot: where a request's `image`, `avatar` or `logo` is drawn.
#[derive(Clone, Debug)]
pub struct PictureSlot {
    /// `image`, `avatar` or `logo`: the request parameter it shows.
    pub name: &'static str,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub fit: Fit,
    /// Corner radius, in layout px (`data-radius`; `50%` of the shorter side is a circle
    /// or a capsule).
    pub radius: f32,
    pub(super) range: Range<usize>,
}

impl PictureSlot {
    /// The slot's box in device pixels at `scale`: `(x, y, width, height)`, at least 1×1.
    pub fn pixel_box(&self, scale: f32) -> (i32, i32, u32, u32) {
        let x0 = (self.x * scale).round();
        let y0 = (self.y * scale).round();
        let w = ((self.x + self.width) * scale).round() - x0;
        let h = ((self.y + self.height) * scale).round() - y0;
        (x0 as i32, y0 as i32, w.max(1.0) as u32, h.max(1.0) as u32)
    }
}

/// An element drawn only when picture slot `slot` (an index into the template's
/// `pictures`) has no picture.
#[derive(Clone, Debug)]
pub(super) struct Fallback {
    pub(super) slot: usize,
    pub(super) range: Range<usize>,
}

/// Parses `<image data-slot="NAME" data-box="x y w h" data-fit="cover|contain"
/// data-radius="N|P%">`.
pub(super) fn parse_picture_slot(
    node: roxmltree::Node,
    canvas: (u32, u32),
) -> Result<PictureSlot, String> {
    let raw = node.attribute("data-slot").unwrap_or_default();
    let name = *PICTURES
        .iter()
        .find(|p| **p == raw)
        .ok_or_else(|| format!("picture slot `{raw}`: an <image> slot is image, avatar or logo"))?;
    if node
        .parent_element()
        .is_none_or(|p| p.parent_element().is_some())
    {
        return Err(format!(
            "picture slot `{name}` must be a direct child of <svg> (no transformed groups)"
        ));
    }
    for refused in ["transform", "clip-path", "mask", "filter", "style"] {
        if node.attribute(refused).is_some() {
            return Err(format!(
                "picture slot `{name}`: `{refused}` is not allowed (the picture is drawn in data-box)"
            ));
        }
    }
    let bx: Vec<f32> = node
        .attribute("data-box")
        .ok_or_else(|| format!("picture slot `{name}` needs data-box=\"x y width height\""))?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f32>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(|| format!("picture slot `{name}`: data-box must be four numbers"))?;
    let [x, y, width, height] = bx[..] else {
        return Err(format!(
            "picture slot `{name}`: data-box must be four numbers"
        ));
    };
    let (cw, ch) = (canvas.0 as f32, canvas.1 as f32);
    if width < 1.0 || height < 1.0 || x < 0.0 || y < 0.0 || x + width > cw || y + height > ch {
        return Err(format!(
            "picture slot `{name}`: data-box \"{x} {y} {width} {height}\" is not a box inside the {cw}×{ch} canvas"
        ));
    }
    let fit = match node.attribute("data-fit").unwrap_or("cover") {
        "cover" => Fit::Cover,
        "contain" => Fit::Contain,
        other => {
            return Err(format!(
                "picture slot `{name}`: data-fit=\"{other}\" (cover|contain)"
            ))
        }
    };
    let half = width.min(height) / 2.0;
    let radius = match node.attribute("data-radius").map(str::trim) {
        None => 0.0,
        Some(v) => {
            let parsed = match v.strip_suffix('%') {
                Some(pct) => pct
                    .parse::<f32>()
                    .ok()
                    .filter(|p| (0.0..=50.0).contains(p))
                    .map(|p| width.min(height) * p / 100.0),
                None => v
                    .trim_end_matches("px")
                    .parse::<f32>()
                    .ok()
                    .filter(|r| r.is_finite() && *r >= 0.0)
                    .map(|r| r.min(half)),
            };
            parsed.ok_or_else(|| {
                format!("picture slot `{name}`: data-radius=\"{v}\" is not px ≥ 0 or 0–50%")
            })?
        }
    };
    Ok(PictureSlot {
        name,
        x,
        y,
        width,
        height,
        fit,
        radius,
        range: node.range(),
    })
}

/// Which pictures a card has: bit `i` for the template's picture slot `i`.
pub type Present = usize;

/// A template's static part cut at the pictures of one [`Present`] set.
pub struct Layers {
    /// The picture slots in the order they are drawn (document order), each drawn after
    /// the layer of the same index and before the next.
    pub pictures: Vec<usize>,
    /// One more than `pictures`: the static part under the first picture, between the
    /// pictures, over the last. Parsed, to draw again at another pixel ratio.
    pub trees: Vec<usvg::Tree>,
    /// The first layer drawn at 1× (opaque where the template is).
    pub base: Pixmap,
    /// Each later layer drawn at 1× on transparency, cut to the rows it draws on, with
    /// the first of them; `None` when it draws nothing.
    pub over: Vec<Option<(Pixmap, u32)>>,
}

/// The source of each layer for `present`: the template's `source` without its text
/// slots, accents, picture slot elements and the fallbacks of present pictures, each
/// layer keeping only the root's children between its two pictures (and every `<defs>`).
pub(super) fn layer_sources(
    source: &str,
    parts: Parts,
    present: Present,
) -> Result<(Vec<usize>, Vec<String>), String> {
    let (pictures, fallbacks) = (parts.pictures, parts.fallbacks);
    let doc = roxmltree::Document::parse(source).map_err(|e| e.to_string())?;
    let mut order: Vec<usize> = (0..pictures.len())
        .filter(|i| present & (1 << i) != 0)
        .collect();
    order.sort_by_key(|&i| pictures[i].range.start);
    // Cut points between layers: where each present picture stands.
    let cuts: Vec<usize> = order.iter().map(|&i| pictures[i].range.start).collect();
    let always: Vec<Range<usize>> = fallbacks
        .iter()
        .filter(|f| present & (1 << f.slot) != 0)
        .map(|f| f.range.clone())
        .collect();
    let children: Vec<Range<usize>> = doc
        .root_element()
        .children()
        .filter(|n| n.is_element() && !matches!(n.tag_name().name(), "defs" | "style"))
        .map(|n| n.range())
        .collect();
    let mut sources = Vec::with_capacity(cuts.len() + 1);
    for layer in 0..=cuts.len() {
        let from = if layer == 0 { 0 } else { cuts[layer - 1] };
        let to = cuts.get(layer).copied().unwrap_or(usize::MAX);
        let mut removed = always.clone();
        removed.extend(
            children
                .iter()
                .filter(|r| r.start < from || r.start >= to)
                .cloned(),
        );
        sources.push(compose_without(parts, source, removed));
    }
    Ok((order, sources))
}

/// Lazily drawn [`Layers`], one per [`Present`] set (at most 2³).
pub(super) struct LayerCache {
    sets: Vec<OnceLock<Result<Arc<Layers>, String>>>,
}

impl LayerCache {
    pub(super) fn new(pictures: usize) -> LayerCache {
        LayerCache {
            sets: (0..1usize << pictures).map(|_| OnceLock::new()).collect(),
        }
    }

    pub(super) fn get_or_make(
        &self,
        present: Present,
        make: impl FnOnce() -> Result<Layers, String>,
    ) -> Result<Arc<Layers>, String> {
        self.sets
            .get(present)
            .ok_or_else(|| format!("no picture set {present}"))?
            .get_or_init(|| make().map(Arc::new))
            .clone()
    }
}

/// `pixmap` cut to its rows with any ink (alpha > 0), with the first of them; `None` when
/// it is all transparent.
pub(super) fn inked_part(pixmap: &Pixmap) -> Option<(Pixmap, u32)> {
    let rows = ink_rows(pixmap)?;
    let rect =
        tiny_skia::IntRect::from_xywh(0, rows.start as i32, pixmap.width(), rows.len() as u32)?;
    Some((pixmap.clone_rect(rect)?, rows.start))
}

fn ink_rows(pixmap: &Pixmap) -> Option<Range<u32>> {
    let stride = pixmap.width() as usize * 4;
    let inked = |row: &[u8]| row.chunks_exact(4).any(|p| p[3] != 0);
    let rows: Vec<&[u8]> = pixmap.data().chunks_exact(stride).collect();
    let first = rows.iter().position(|r| inked(r))?;
    let last = rows.iter().rposition(|r| inked(r))?;
    Some(first as u32..last as u32 + 1)
}
