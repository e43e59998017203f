//! Card templates: plain SVG files with text slots declared inside them.
//!
//! This module loads them (embedded defaults in every size, then an optional directory
//! that overrides or adds) and checks each whole; [`slot`] owns the slot grammar (see
//! `templates/README.md`) and [`compose`] the document with holes a request fills, whose
//! static layer is rendered to pixels once here. Knows nothing of requests' HTTP or of
//! the renderer.

mod compose;
mod picture;
mod slot;

pub use compose::ASSET_TYPES;
pub use picture::{Fit, Layers, PictureSlot, Present};
pub use slot::{Align, Flow, Slot, VAlign, FONT_SIZES, MAX_FONT_SIZES, MAX_LINES, MIN_FONT_STEP};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tiny_skia::Pixmap;

use crate::assets::fonts::Fonts;
use crate::request::{is_template_name, Size, Theme};
use compose::{compose_without, inline_assets, rasterize_static, Accent, EMBEDDED_ASSETS};
use picture::{inked_part, layer_sources, parse_picture_slot, Fallback, LayerCache};
use slot::{flow_order, parse_slot};

/// Templates compiled into the binary: `(name, size, SVG source)`, every built-in
/// template in every size.
macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(
            ($name, Size::Og, include_str!(concat!("../../../templates/", $name, ".svg"))),
            ($name, Size::X, include_str!(concat!("../../../templates/", $name, ".x.svg"))),
            ($name, Size::Square, include_str!(concat!("../../../templates/", $name, ".square.svg"))),
            ($name, Size::Kakao, include_str!(concat!("../../../templates/", $name, ".kakao.svg"))),
        )*]
    };
}
const EMBEDDED: &[(&str, Size, &str)] = embedded!["default", "light", "article", "brand", "cover"];

/// The largest card a template may declare, in pixels per side.
const MAX_SIDE: u32 = 4096;
/// The largest template file read: a card's SVG is kilobytes; assets are apart.
const MAX_TEMPLATE_BYTES: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template {file}: {problem}")]
    Invalid { file: String, problem: String },
    #[error("templates directory {dir}: {source}")]
    Io { dir: String, source: std::io::Error },
}

/// A parsed, validated template with its static layer pre-rendered.
pub struct Template {
    /// Unique to this template in this process (reused canvases are matched by it).
    pub id: u64,
    pub name: String,
    /// Which of the template's designs this is.
    pub size: Size,
    /// A digest of its name, size and source (inlined assets included): in the cache key
    /// of every card drawn with it, so a changed template never serves old cards.
    pub digest: String,
    pub width: u32,
    pub height: u32,
    source: String,
    pub slots: Vec<Slot>,
    /// Indices into `slots` in the order to lay them out: each after the one it flows
    /// below (`data-flow`).
    pub layout_order: Vec<usize>,
    /// Elements painted with the request's `accent` (`data-accent="fill|stroke"`).
    accents: Vec<Accent>,
    /// The theme this template is (`data-theme` on the root), if it says.
    pub theme: Option<Theme>,
    /// The template to use instead for the other theme (`data-theme-pair`).
    pub theme_pair: Option<String>,
    /// Everything but the slots and accent elements, drawn the first time a card needs
    /// it (`background()`): a template a server never draws costs no pixels.
    background: std::sync::OnceLock<Pixmap>,
    /// The static layer as parsed, to draw it again at another pixel ratio.
    pub static_layer: usvg::Tree,
    /// Picture slots (`<image data-slot>`), in document order.
    pub pictures: Vec<PictureSlot>,
    /// Whether its own elements (all but the slots) may be served as they are in an SVG
    /// card: shapes, paint and images only, nothing a browser would fetch or run, no text
    /// of its own (`self_contained`).
    pub self_contained: bool,
    /// Elements drawn only when a picture slot has no picture (`data-fallback`).
    fallbacks: Vec<Fallback>,
    /// The static part cut into layers around each set of present pictures, drawn when
    /// first needed.
    layers: LayerCache,
}

impl Template {
    /// Parses `source` (`file` names it in errors), inlining each `data-asset="FILE"` as
    /// an `href` data URI of the bytes `asset(FILE)` gives.
    pub fn parse(
        name: &str,
        size: Size,
        file: &str,
        source: String,
        fonts: &Arc<Fonts>,
        asset: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Template, TemplateError> {
        let invalid = |problem: String| TemplateError::Invalid {
            file: file.to_string(),
            problem,
        };
        let source = inline_assets(source, asset).map_err(invalid)?;
        let doc = roxmltree::Document::parse(&source).map_err(|e| invalid(e.to_string()))?;
        let root = doc.root_element();
        if root.tag_name().name() != "svg" {
            return Err(invalid("the root element is not <svg>".into()));
        }
        let width = side(root.attribute("width"))
            .ok_or_else(|| invalid(format!("<svg> needs an integer width in 1..={MAX_SIDE}")))?;
        let height = side(root.attribute("height"))
            .ok_or_else(|| invalid(format!("<svg> needs an integer height in 1..={MAX_SIDE}")))?;
        if size != Size::Og && (width, height) != size.pixels() {
            let (w, h) = size.pixels();
            return Err(invalid(format!(
                "a `{}` template is {w}×{h}, not {width}×{height}",
                size.as_str()
            )));
        }
        if let Some(vb) = root.attribute("viewBox") {
            let nums: Vec<f32> = vb
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            if nums != [0.0, 0.0, width as f32, height as f32] {
                return Err(invalid(format!(
                    "viewBox must be \"0 0 {width} {height}\" (slots are placed in pixels)"
                )));
            }
        }

        let mut slots = Vec::new();
        let mut pictures: Vec<PictureSlot> = Vec::new();
        for node in doc
            .descendants()
            .filter(|n| n.attribute("data-slot").is_some())
        {
            let at_line = |p: String| {
                let pos = doc.text_pos_at(node.range().start);
                invalid(format!("line {}: {p}", pos.row))
            };
            let name = if node.tag_name().name() == "image" {
                let picture = parse_picture_slot(node, (width, height)).map_err(at_line)?;
                let name = picture.name.to_string();
                pictures.push(picture);
                name
            } else {
                let slot = parse_slot(node, fonts, (width, height)).map_err(at_line)?;
                let name = slot.name.clone();
                slots.push(slot);
                name
            };
            let declared = slots.iter().filter(|s: &&Slot| s.name == name).count()
                + pictures.iter().filter(|p| p.name == name).count();
            if declared > 1 {
                return Err(invalid(format!("slot `{name}` is declared twice")));
            }
        }
        let mut fallbacks = Vec::new();
        for node in doc
            .descendants()
            .filter(|n| n.attribute("data-fallback").is_some())
        {
            let line = doc.text_pos_at(node.range().start).row;
            let named = node.attribute("data-fallback").unwrap_or_default();
            let slot = pictures
                .iter()
                .position(|p| p.name == named)
                .ok_or_else(|| {
                    invalid(format!(
                    "line {line}: data-fallback=\"{named}\" names no picture slot of this template"
                ))
                })?;
            if node.attribute("data-slot").is_some() || node.attribute("data-accent").is_some() {
                return Err(invalid(format!(
                    "line {line}: a fallback cannot also be a slot or an accent element"
                )));
            }
            fallbacks.push(Fallback {
                slot,
                range: node.range(),
            });
        }
        if !slots.iter().any(|s| s.name == "title") {
            return Err(invalid("no `title` slot (data-slot=\"title\")".into()));
        }
        // Document order (compose walks the source with it), before the layout order's
        // indices are taken into this list.
        slots.sort_by_key(|s| s.range.start);
        let layout_order = flow_order(&slots).map_err(invalid)?;

        let mut accents = Vec::new();
        for node in doc
            .descendants()
            .filter(|n| n.attribute("data-accent").is_some())
        {
            let line = doc.text_pos_at(node.range().start).row;
            let painted = node.attribute("data-accent").unwrap_or_default();
            if !matches!(painted, "fill" | "stroke") {
                return Err(invalid(format!(
                    "line {line}: data-accent must be fill or stroke"
                )));
            }
            if node
                .parent_element()
                .is_none_or(|p| p.parent_element().is_some())
            {
                return Err(invalid(format!(
                    "line {line}: an accent element must be a direct child of <svg>"
                )));
            }
            let value = node
                .attributes()
                .find(|a| a.name() == painted && a.namespace().is_none())
                .ok_or_else(|| {
                    invalid(format!(
                        "line {line}: data-accent=\"{painted}\" needs a default {painted}"
                    ))
                })?
                .range_value();
            accents.push(Accent {
                range: node.range(),
                value,
            });
        }

        let theme = match root.attribute("data-theme") {
            None => None,
            Some("dark") => Some(Theme::Dark),
            Some("light") => Some(Theme::Light),
            Some(other) => return Err(invalid(format!("data-theme=\"{other}\" (dark|light)"))),
        };
        let theme_pair = root.attribute("data-theme-pair").map(str::to_string);

        let parts = compose::Parts {
            slots: &slots,
            accents: &accents,
            pictures: &pictures,
            fallbacks: &fallbacks,
        };
        let self_contained = self_contained(&doc);
        let static_svg = compose_without(parts, &source, Vec::new());
        let static_layer = usvg::Tree::from_str(&static_svg, &fonts.usvg_options())
            .map_err(|e| invalid(format!("static layer: {e}")))?;
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let digest = {
            use sha2::Digest;
            let mut hash = sha2::Sha256::new();
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(size.as_str());
            hash.update([0]);
            hash.update(source.as_bytes());
            hash.finalize()[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let template = Template {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            name: name.to_string(),
            size,
            digest,
            width,
            height,
            slots,
            layout_order,
            accents,
            theme,
            theme_pair,
            background: std::sync::OnceLock::new(),
            static_layer,
            source,
            layers: LayerCache::new(pictures.len()),
            pictures,
            fallbacks,
            self_contained,
        };
        Ok(template)
    }

    /// Everything but the slots and accent elements at 1×, drawn on first use (a second
    /// caller meanwhile waits for it).
    pub fn background(&self) -> &Pixmap {
        self.background.get_or_init(|| {
            rasterize_static(&self.static_layer, self.width, self.height)
                .expect("a canvas of a checked size (at most 4096 px a side)")
        })
    }

    /// The static part cut into layers for the pictures in `present` (a bit per picture
    /// slot; not 0, whose one layer is [`background`](Template::background)), drawn at 1×
    /// the first time a card asks for that set.
    pub fn layers(&self, present: Present, options: &usvg::Options) -> Result<Arc<Layers>, String> {
        self.layers.get_or_make(present, || {
            let (pictures, sources) = layer_sources(&self.source, self.parts(), present)?;
            let trees = sources
                .iter()
                .map(|svg| usvg::Tree::from_str(svg, options).map_err(|e| e.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            let base = rasterize_static(&trees[0], self.width, self.height)?;
            let over = trees[1..]
                .iter()
                .map(|tree| {
                    let pixmap = rasterize_static(tree, self.width, self.height)?;
                    Ok(inked_part(&pixmap))
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Layers {
                pictures,
                trees,
                base,
                over,
            })
        })
    }
}

fn side(value: Option<&str>) -> Option<u32> {
    value?
        .trim_end_matches("px")
        .parse::<u32>()
        .ok()
        .filter(|v| (1..=MAX_SIDE).contains(v))
}

/// Every template by name.
/// The ids an SVG card gives its glyphs' definitions: this and a number. A template
/// using such an id itself is not `self_contained`.
pub const GLYPH_ID: &str = "o";

/// Whether `doc`'s elements other than its slots are only shapes, paint and images that
/// draw the same anywhere without fetching or running anything: the elements a browser
/// draws alike from an SVG card served as written. References only inside the document
/// (`#id`) or to embedded images (`data:image/…`); no event attributes, styles, scripts,
/// links, foreign objects or text; no id a glyph's definition takes.
fn self_contained(doc: &roxmltree::Document) -> bool {
    const DRAWN: [&str; 28] = [
        "svg",
        "g",
        "defs",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "path",
        "image",
        "use",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "title",
        "desc",
        "filter",
        "feGaussianBlur",
        "feOffset",
        "feFlood",
        "feComposite",
        "feMerge",
        "feMergeNode",
        "feDropShadow",
    ];
    let inside_only = |value: &str| {
        let value = value.trim();
        value.starts_with('#') || value.starts_with("data:image/")
    };
    let mut nodes = doc.root().descendants();
    while let Some(node) = nodes.next() {
        if !node.is_element() {
            continue;
        }
        if node.has_attribute("data-slot") {
            // Replaced when a card is drawn: its content is never served.
            let end = node.range().end;
            while nodes.clone().next().is_some_and(|n| n.range().start < end) {
                nodes.next();
            }
            continue;
        }
        if !DRAWN.contains(&node.tag_name().name()) {
            return false;
        }
        // The ids the card's glyph definitions take.
        let glyph_id = node
            .attribute("id")
            .and_then(|id| id.strip_prefix(GLYPH_ID))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if glyph_id {
            return false;
        }
        for attr in node.attributes() {
            let name = attr.name();
            let urls_inside = attr
                .value()
                .split("url(")
                .skip(1)
                .all(|rest| rest.trim_start_matches(['\'', '"', ' ']).starts_with('#'));
            if name.starts_with("on")
                || (name == "href" && !inside_only(attr.value()))
                || !urls_inside
            {
                return false;
            }
        }
    }
    true
}

pub struct Templates {
    /// Each template's designs by size; every template has `og`.
    by_name: BTreeMap<String, BTreeMap<Size, Template>>,
}

/// Why [`Templates::resolve`] found no template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Template,
    /// The template exists, without this size; it has these.
    Size(Vec<Size>),
}

impl Templates {
    /// The embedded templates, then every `*.svg` in `dir`: `NAME.svg` is the template
    /// `NAME` (its `og` size), `NAME.SIZE.svg` its design for `SIZE` (`x`, `square`,
    /// `kakao`). A template in `dir` named like an embedded one replaces it whole, with
    /// all its sizes.
    pub fn load(dir: Option<&Path>, fonts: &Arc<Fonts>) -> Result<Templates, TemplateError> {
        let embedded_asset = |file: &str| {
            EMBEDDED_ASSETS
                .iter()
                .find(|(n, _)| *n == file)
                .map(|(_, b)| b.to_vec())
                .ok_or_else(|| "not found".to_string())
        };
        // Read every file first (cheap), then parse and draw the templates on every core:
        // drawing the static layers is most of startup.
        let mut jobs: Vec<Job> = Vec::new();
        if let Some(dir) = dir {
            let io = |source| TemplateError::Io {
                dir: dir.display().to_string(),
                source,
            };
            // Read with the larger of the two caps: whether a file is a template (at most
            // `MAX_TEMPLATE_BYTES`) or an asset (`MAX_ASSET_BYTES`) is known only once every
            // template has been read.
            let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
            for path in crate::dirs::files_with_extensions(dir, &["svg"]).map_err(io)? {
                let max = MAX_TEMPLATE_BYTES.max(compose::MAX_ASSET_BYTES);
                let bytes = crate::dirs::read_capped(&path, max)
                    .map_err(|e| TemplateError::Invalid {
                        file: path.display().to_string(),
                        problem: e.to_string(),
                    })?
                    .ok_or_else(|| TemplateError::Invalid {
                        file: path.display().to_string(),
                        problem: format!("over {max} bytes"),
                    })?;
                files.push((path, bytes));
            }
            // An SVG a template names in `data-asset` (the directory's or an embedded one's)
            // is an asset, not a template: a logo beside the template that uses it.
            let assets = compose::asset_names(
                files
                    .iter()
                    .filter_map(|(_, b)| std::str::from_utf8(b).ok())
                    .chain(EMBEDDED.iter().map(|(_, _, s)| *s)),
            );
            for (path, bytes) in files {
                let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if assets.iter().any(|a| a == file_name) {
                    continue;
                }
                let invalid = |problem: String| TemplateError::Invalid {
                    file: path.display().to_string(),
                    problem,
                };
                if bytes.len() > MAX_TEMPLATE_BYTES {
                    return Err(invalid(format!(
                        "over {MAX_TEMPLATE_BYTES} bytes (a template; an SVG a template names \
                         in data-asset may be up to {} bytes)",
                        compose::MAX_ASSET_BYTES
                    )));
                }
                let source =
                    String::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text".into()))?;
                let file = path.display().to_string();
                let (name, size) = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(name_and_size)
                    .ok_or_else(|| TemplateError::Invalid {
                        file: file.clone(),
                        problem: "file name must be NAME.svg or NAME.SIZE.svg (NAME: letters, \
                                  digits, - or _; SIZE: x, square or kakao)"
                            .into(),
                    })?;
                jobs.push(Job {
                    name: name.to_string(),
                    size,
                    file,
                    source,
                    from_dir: true,
                });
            }
        }
        // An embedded template the directory replaces is not loaded at all.
        let replaced: Vec<String> = jobs.iter().map(|j| j.name.clone()).collect();
        for (name, size, source) in EMBEDDED {
            if !replaced.iter().any(|r| r == name) {
                jobs.push(Job {
                    name: name.to_string(),
                    size: *size,
                    file: format!("templates/{} (embedded)", file_name(name, *size)),
                    source: source.to_string(),
                    from_dir: false,
                });
            }
        }
        let parse = |job: &Job| {
            // Assets sit beside the template; `inline_assets` allows bare names only.
            // Read with a cap: a stray huge file beside the templates costs nothing.
            let dir_asset = |asset: &str| -> Result<Vec<u8>, String> {
                let path = dir.ok_or("not found")?.join(asset);
                match crate::dirs::read_capped(&path, compose::MAX_ASSET_BYTES) {
                    Ok(Some(bytes)) => Ok(bytes),
                    Ok(None) => Err(format!("over {} bytes", compose::MAX_ASSET_BYTES)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("not found".into()),
                    Err(e) => Err(e.to_string()),
                }
            };
            // An embedded template takes a directory's file named like its asset (your
            // `brand-logo.svg` for the built-in `brand`), else its own.
            let either_asset = |asset: &str| match dir_asset(asset) {
                Err(why) if why == "not found" => embedded_asset(asset),
                found => found,
            };
            let asset: &dyn Fn(&str) -> Result<Vec<u8>, String> = if job.from_dir {
                &dir_asset
            } else {
                &either_asset
            };
            Template::parse(
                &job.name,
                job.size,
                &job.file,
                job.source.clone(),
                fonts,
                asset,
            )
        };
        let mut by_name: BTreeMap<String, BTreeMap<Size, Template>> = BTreeMap::new();
        for (job, template) in jobs.iter().zip(crate::parallel::map_in_order(
            &jobs,
            crate::parallel::cores(),
            parse,
        )) {
            by_name
                .entry(job.name.clone())
                .or_default()
                .insert(job.size, template?);
        }
        for (name, sizes) in &by_name {
            if !sizes.contains_key(&Size::Og) {
                let size = sizes.keys().next().copied().unwrap_or_default();
                let file = dir.map_or_else(
                    || file_name(name, size),
                    |d| d.join(file_name(name, size)).display().to_string(),
                );
                return Err(TemplateError::Invalid {
                    file,
                    problem: format!("no {name}.svg beside it (every template has one)"),
                });
            }
        }
        for t in by_name.values().flat_map(|sizes| sizes.values()) {
            if let Some(pair) = &t.theme_pair {
                if !by_name.contains_key(pair) {
                    return Err(TemplateError::Invalid {
                        file: format!("template `{}`", t.name),
                        problem: format!("data-theme-pair names `{pair}`, which does not exist"),
                    });
                }
            }
        }
        Ok(Templates { by_name })
    }

    /// The template `name` at its `og` size.
    pub fn get(&self, name: &str) -> Option<&Template> {
        self.by_name.get(name)?.get(&Size::Og)
    }

    /// The sizes template `name` is drawn in (empty when there is no such template).
    pub fn sizes(&self, name: &str) -> Vec<Size> {
        self.by_name
            .get(name)
            .map(|sizes| sizes.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The template `name` at `size`, or its counterpart when `theme` asks for the other
    /// theme and the template names one (`data-theme-pair`) that has this size.
    pub fn resolve(
        &self,
        name: &str,
        theme: Option<Theme>,
        size: Size,
    ) -> Result<&Template, Missing> {
        let sizes = self.by_name.get(name).ok_or(Missing::Template)?;
        let t = sizes
            .get(&size)
            .ok_or_else(|| Missing::Size(sizes.keys().copied().collect()))?;
        match (theme, t.theme, &t.theme_pair) {
            (Some(want), Some(is), Some(pair)) if want != is => Ok(self
                .by_name
                .get(pair)
                .and_then(|sizes| sizes.get(&size))
                .unwrap_or(t)),
            _ => Ok(t),
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// Every template in every size.
    pub fn all(&self) -> impl Iterator<Item = &Template> {
        self.by_name.values().flat_map(|sizes| sizes.values())
    }
}

/// One template file to parse.
struct Job {
    name: String,
    size: Size,
    file: String,
    source: String,
    from_dir: bool,
}

/// `NAME.svg` for the `og` size, `NAME.SIZE.svg` for the others.
pub fn file_name(name: &str, size: Size) -> String {
    match size {
        Size::Og => format!("{name}.svg"),
        other => format!("{name}.{}.svg", other.as_str()),
    }
}

/// A template file's stem as `(NAME, SIZE)`: `brand` → og, `brand.square` → square.
fn name_and_size(stem: &str) -> Option<(&str, Size)> {
    let (name, size) = match stem.split_once('.') {
        None => (stem, Size::Og),
        Some((name, size)) => (name, Size::parse(size).filter(|s| *s != Size::Og)?),
    };
    is_template_name(name).then_some((name, size))
}

#[cfg(test)]
mod tests {
    use super::self_contained;

    fn judged(svg: &str) -> bool {
        self_contained(&roxmltree::Document::parse(svg).unwrap())
    }

    #[test]
    fn only_shapes_paint_and_embedded_images_are_served_as_written() {
        let card = |inner: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">{inner}\
                 <text data-slot=\"title\" data-box=\"0 0 10 10\"><tspan>x</tspan></text></svg>"
            )
        };
        for fine in [
            "<rect width=\"10\" height=\"10\" fill=\"url(#g)\"/>",
            "<defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient></defs>",
            "<image href=\"data:image/png;base64,AAAA\" width=\"1\" height=\"1\"/>",
            "<g filter=\"url( '#f')\"><circle r=\"1\"/></g>",
        ] {
            assert!(judged(&card(fine)), "{fine}");
        }
        for refused in [
            "<text x=\"1\">static</text>",
            "<style>rect { fill: url(https://x.example/a.png) }</style>",
            "<image href=\"https://x.example/pixel.png\" width=\"1\" height=\"1\"/>",
            "<rect width=\"1\" height=\"1\" onclick=\"alert(1)\"/>",
            "<rect width=\"1\" height=\"1\" style=\"fill: url(https://x.example/)\"/>",
            "<a href=\"#x\"><rect width=\"1\" height=\"1\"/></a>",
            "<foreignObject/>",
            "<script>alert(1)</script>",
            "<rect id=\"o3\" width=\"1\" height=\"1\"/>",
        ] {
            assert!(!judged(&card(refused)), "{refused}");
        }
    }
}
