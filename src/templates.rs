//! Card templates: plain SVG files with text slots declared inside them.
//!
//! Owns loading (embedded defaults, then an optional directory that overrides or adds),
//! the slot grammar (see `templates/README.md`) and each template's static layer, rendered
//! to pixels once at startup. Knows nothing of requests or HTTP.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use tiny_skia::Pixmap;

use crate::fonts::{Fonts, Style, STRETCHES};
use crate::request::{is_template_name, Size, Theme};

/// Templates compiled into the binary: `(name, size, SVG source)`, every built-in
/// template in every size.
macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(
            ($name, Size::Og, include_str!(concat!("../templates/", $name, ".svg"))),
            ($name, Size::X, include_str!(concat!("../templates/", $name, ".x.svg"))),
            ($name, Size::Square, include_str!(concat!("../templates/", $name, ".square.svg"))),
            ($name, Size::Kakao, include_str!(concat!("../templates/", $name, ".kakao.svg"))),
        )*]
    };
}
const EMBEDDED: &[(&str, Size, &str)] = embedded!["default", "light", "article", "brand"];

/// Files embedded templates may inline with `data-asset`.
const EMBEDDED_ASSETS: &[(&str, &[u8])] = &[(
    "brand-logo.svg",
    include_bytes!("../templates/brand-logo.svg"),
)];

/// The largest asset a template may inline.
const MAX_ASSET_BYTES: usize = 2 << 20;

/// A `data:` URI of `bytes`: how template assets enter the SVG (usvg reads no files).
pub fn data_uri(mime: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 32);
    out.push_str("data:");
    out.push_str(mime);
    out.push_str(";base64,");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The largest card a template may declare, in pixels per side.
const MAX_SIDE: u32 = 4096;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template {file}: {problem}")]
    Invalid { file: String, problem: String },
    #[error("templates directory {dir}: {source}")]
    Io { dir: String, source: std::io::Error },
}

/// Horizontal alignment of the lines in a slot's box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Start,
    Center,
    End,
}

/// Vertical placement of the block of lines in a slot's box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VAlign {
    Top,
    Middle,
    Bottom,
}

/// A text slot: where a request parameter is laid out, and how.
#[derive(Clone, Debug)]
pub struct Slot {
    /// The request parameter it shows (`title`, `site`).
    pub name: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// The largest font size tried, in px.
    pub font_size: f32,
    /// The smallest font size tried before the text is cut with `…`.
    pub min_font_size: f32,
    /// How much the size shrinks per step.
    pub font_step: f32,
    pub max_lines: usize,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
    pub align: Align,
    pub valign: VAlign,
    pub families: Vec<String>,
    pub weight: u16,
    /// `font-stretch` in percent: picks a width of a variable font's `wdth` axis (or a
    /// condensed family member).
    pub stretch: f32,
    pub italic: bool,
    /// The slot element's other attributes (fill, opacity, …), ready to write into a tag.
    pub attributes: String,
    /// `data-flow="below:NAME"`: the box's top follows the named slot's last line.
    pub flow: Option<Flow>,
    /// The fill colour (RGB) when it is the slot's only paint attribute and a plain
    /// `#rgb`/`#rrggbb`: such text can be drawn from cached glyph masks.
    pub plain_fill: Option<[u8; 3]>,
    /// Where the slot element sits in the template source.
    range: Range<usize>,
}

impl Slot {
    /// The face the slot's text asks for.
    pub fn style(&self) -> Style {
        Style {
            weight: self.weight,
            stretch: self.stretch,
            italic: self.italic,
        }
    }
}

/// A slot placed below another slot's text (`data-flow="below:NAME" data-gap="N"`): its
/// box's top becomes the bottom of NAME's last line plus `gap`, its bottom stays where the
/// template draws it (so its height grows or shrinks), and it always keeps room for one
/// line at its smallest size.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    pub below: String,
    pub gap: f32,
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
    /// Everything but the slots and accent elements, rendered once.
    pub background: Pixmap,
    /// Which background rows are one colour, for the PNG encoder.
    pub background_rows: crate::render::encode::BackgroundRows,
    /// The static layer as parsed, to draw it again at another pixel ratio.
    pub static_layer: usvg::Tree,
}

/// An element whose `fill` or `stroke` is the request's accent colour.
#[derive(Clone, Debug)]
struct Accent {
    range: Range<usize>,
    /// The painted attribute's value in the source (the default colour).
    value: Range<usize>,
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
        asset: &dyn Fn(&str) -> Option<Vec<u8>>,
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
        for node in doc
            .descendants()
            .filter(|n| n.attribute("data-slot").is_some())
        {
            let slot = parse_slot(node, fonts, (width, height)).map_err(|p| {
                let pos = doc.text_pos_at(node.range().start);
                invalid(format!("line {}: {p}", pos.row))
            })?;
            if slots.iter().any(|s: &Slot| s.name == slot.name) {
                return Err(invalid(format!("slot `{}` is declared twice", slot.name)));
            }
            slots.push(slot);
        }
        if !slots.iter().any(|s| s.name == "title") {
            return Err(invalid("no `title` slot (data-slot=\"title\")".into()));
        }
        let layout_order = flow_order(&slots).map_err(invalid)?;
        slots.sort_by_key(|s| s.range.start);

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

        let static_svg = compose(&slots, &accents, &source, &mut |_| None);
        let static_layer = usvg::Tree::from_str(&static_svg, &fonts.usvg_options())
            .map_err(|e| invalid(format!("static layer: {e}")))?;
        let background = rasterize_static(&static_layer, width, height)
            .map_err(|p| invalid(format!("static layer: {p}")))?;
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
            background_rows: crate::render::encode::BackgroundRows::of(&background),
            background,
            static_layer,
            source,
        };
        Ok(template)
    }

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

    /// The template's SVG with each slot element replaced by `fill(slot)` and accent
    /// elements painted with `accent`.
    pub fn fill_slots(
        &self,
        accent: Option<&str>,
        mut fill: impl FnMut(&Slot) -> String,
    ) -> String {
        compose(&self.slots, &self.accents, &self.source, &mut |part| {
            Some(match part {
                Part::Slot(slot) => fill(slot),
                Part::Accent(a) => self.accent_element(a, accent),
            })
        })
    }
}

/// A dynamic part of a template.
enum Part<'a> {
    Slot(&'a Slot),
    Accent(&'a Accent),
}

/// Replaces each `data-asset="FILE"` attribute by `href="data:…"` with the file's bytes.
/// FILE is a plain file name (no path) with an image extension; `asset` finds its bytes.
fn inline_assets(
    source: String,
    asset: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<String, String> {
    let doc = roxmltree::Document::parse(&source).map_err(|e| e.to_string())?;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let Some(attr) = node.attributes().find(|a| a.name() == "data-asset") else {
            continue;
        };
        let line = doc.text_pos_at(node.range().start).row;
        let file = attr.value();
        let mime = match file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
            Some(e) if e == "svg" => "image/svg+xml",
            Some(e) if e == "png" => "image/png",
            Some(e) if e == "jpg" || e == "jpeg" => "image/jpeg",
            Some(e) if e == "webp" => "image/webp",
            _ => {
                return Err(format!(
                    "line {line}: data-asset `{file}` is not .svg, .png, .jpg or .webp"
                ))
            }
        };
        if node.tag_name().name() != "image" {
            return Err(format!("line {line}: data-asset belongs on <image>"));
        }
        if file.contains(['/', '\\']) || file.starts_with('.') {
            return Err(format!(
                "line {line}: data-asset `{file}` must be a file name beside the template"
            ));
        }
        let bytes = asset(file).ok_or_else(|| format!("line {line}: asset `{file}` not found"))?;
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

/// `#rgb` or `#rrggbb` → RGB.
fn hex_rgb(value: &str) -> Option<[u8; 3]> {
    let hex = value.trim().strip_prefix('#')?;
    let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

fn side(value: Option<&str>) -> Option<u32> {
    value?
        .trim_end_matches("px")
        .parse::<u32>()
        .ok()
        .filter(|v| (1..=MAX_SIDE).contains(v))
}

/// The smallest and largest font sizes a slot may name, in px.
pub const FONT_SIZES: std::ops::RangeInclusive<f32> = 4.0..=512.0;
/// The smallest step between the font sizes a slot tries.
pub const MIN_FONT_STEP: f32 = 0.5;
/// The most font sizes a slot may try: each is a layout attempt.
pub const MAX_FONT_SIZES: f32 = 64.0;
/// The most lines a slot may hold.
pub const MAX_LINES: usize = 20;

fn parse_slot(node: roxmltree::Node, fonts: &Fonts, canvas: (u32, u32)) -> Result<Slot, String> {
    let name = node.attribute("data-slot").unwrap_or_default().to_string();
    if !is_template_name(&name) {
        return Err(format!(
            "slot name `{name}` must be letters, digits, - or _"
        ));
    }
    if node.tag_name().name() != "text" {
        return Err(format!("slot `{name}` must be a <text> element"));
    }
    if node
        .parent_element()
        .is_none_or(|p| p.parent_element().is_some())
    {
        return Err(format!(
            "slot `{name}` must be a direct child of <svg> (no transformed groups)"
        ));
    }
    let num = |attr: &str, default: Option<f32>| -> Result<f32, String> {
        match node.attribute(attr) {
            Some(v) => v
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("slot `{name}`: {attr}=\"{v}\" is not a number ≥ 0")),
            None => default.ok_or_else(|| format!("slot `{name}` needs {attr}")),
        }
    };
    let bx: Vec<f32> = node
        .attribute("data-box")
        .ok_or_else(|| format!("slot `{name}` needs data-box=\"x y width height\""))?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f32>().map_err(|_| ()))
        .collect::<Result<_, _>>()
        .map_err(|_| format!("slot `{name}`: data-box must be four numbers"))?;
    let [x, y, width, height] = bx[..] else {
        return Err(format!("slot `{name}`: data-box must be four numbers"));
    };
    if width <= 0.0 || height <= 0.0 {
        return Err(format!("slot `{name}`: data-box has an empty area"));
    }
    let (cw, ch) = (canvas.0 as f32, canvas.1 as f32);
    if x < 0.0 || y < 0.0 || x + width > cw || y + height > ch {
        return Err(format!(
            "slot `{name}`: data-box \"{x} {y} {width} {height}\" is not inside the {cw}×{ch} canvas"
        ));
    }

    let font_size = num("data-font-size", None)?;
    let min_font_size = num("data-min-font-size", Some(font_size))?;
    let font_step = num("data-font-step", Some(4.0))?;
    let line_height = num("data-line-height", Some(1.2))?;
    let max_lines = num("data-max-lines", Some(1.0))?;
    let (lo, hi) = (FONT_SIZES.start(), FONT_SIZES.end());
    if !FONT_SIZES.contains(&font_size) || min_font_size < *lo || min_font_size > font_size {
        return Err(format!(
            "slot `{name}`: need {lo} ≤ data-min-font-size ≤ data-font-size ≤ {hi} (px)"
        ));
    }
    if min_font_size < font_size {
        if font_step < MIN_FONT_STEP {
            return Err(format!(
                "slot `{name}`: data-font-step=\"{font_step}\" must be at least {MIN_FONT_STEP}"
            ));
        }
        if (font_size - min_font_size) / font_step + 1.0 > MAX_FONT_SIZES {
            return Err(format!(
                "slot `{name}`: {font_size}→{min_font_size} px in steps of {font_step} is more than \
                 {MAX_FONT_SIZES} sizes; take a larger data-font-step"
            ));
        }
    }
    if !(0.5..=4.0).contains(&line_height) {
        return Err(format!(
            "slot `{name}`: data-line-height=\"{line_height}\" must be 0.5–4"
        ));
    }
    if max_lines.fract() != 0.0 || !(1.0..=MAX_LINES as f32).contains(&max_lines) {
        return Err(format!(
            "slot `{name}`: data-max-lines must be a whole number 1–{MAX_LINES}"
        ));
    }
    let max_lines = max_lines as usize;
    let align = match node.attribute("data-align").unwrap_or("start") {
        "start" => Align::Start,
        "center" | "middle" => Align::Center,
        "end" => Align::End,
        other => {
            return Err(format!(
                "slot `{name}`: data-align=\"{other}\" (start|center|end)"
            ))
        }
    };
    let valign = match node.attribute("data-valign").unwrap_or("top") {
        "top" => VAlign::Top,
        "middle" | "center" => VAlign::Middle,
        "bottom" => VAlign::Bottom,
        other => {
            return Err(format!(
                "slot `{name}`: data-valign=\"{other}\" (top|middle|bottom)"
            ))
        }
    };

    let families: Vec<String> = node
        .attribute("font-family")
        .unwrap_or("")
        .split(',')
        .map(|f| f.trim().trim_matches(['"', '\'']).to_string())
        .filter(|f| !f.is_empty())
        .collect();
    if let Some(unknown) = families
        .iter()
        .find(|f| fonts.closest_face(f, Style::new(400, false)).is_none())
    {
        return Err(format!(
            "slot `{name}`: font-family `{unknown}` is not in the font set"
        ));
    }
    let weight = match node.attribute("font-weight").unwrap_or("normal") {
        "normal" => 400,
        "bold" => 700,
        w => w
            .parse::<u16>()
            .ok()
            .filter(|w| (1..=1000).contains(w))
            .ok_or_else(|| format!("slot `{name}`: font-weight=\"{w}\" (normal|bold|1..1000)"))?,
    };
    let stretch = match node.attribute("font-stretch") {
        None => 100.0,
        Some(value) => STRETCHES
            .iter()
            .find(|(keyword, percent)| {
                value == *keyword || value.strip_suffix('%').and_then(|p| p.parse().ok()) == Some(*percent)
            })
            .map(|s| s.1)
            .ok_or_else(|| {
                format!("slot `{name}`: font-stretch=\"{value}\" (a keyword such as condensed, or its percentage: 50%…200%)")
            })?,
    };
    let italic = matches!(node.attribute("font-style"), Some("italic" | "oblique"));
    let flow = match (node.attribute("data-flow"), node.attribute("data-gap")) {
        (None, None) => None,
        (None, Some(_)) => return Err(format!("slot `{name}`: data-gap needs data-flow")),
        (Some(flow), _) => {
            let below = flow
                .strip_prefix("below:")
                .filter(|n| is_template_name(n))
                .ok_or_else(|| format!("slot `{name}`: data-flow=\"{flow}\" (below:SLOT)"))?;
            let gap = num("data-gap", Some(0.0))?;
            if gap > ch {
                return Err(format!(
                    "slot `{name}`: data-gap=\"{gap}\" is taller than the canvas"
                ));
            }
            Some(Flow {
                below: below.to_string(),
                gap,
            })
        }
    };

    // Attributes that would move glyphs away from where layout measured them.
    const UNSUPPORTED: &[&str] = &[
        "transform",
        "letter-spacing",
        "word-spacing",
        "writing-mode",
        "textLength",
        "lengthAdjust",
        "font-variant",
        "font-variation-settings",
        "style",
    ];
    if let Some(attr) = UNSUPPORTED.iter().find(|a| node.attribute(**a).is_some()) {
        return Err(format!(
            "slot `{name}`: `{attr}` is not supported on a slot"
        ));
    }
    const OWN: &[&str] = &[
        "x",
        "y",
        "dx",
        "dy",
        "font-size",
        "font-family",
        "font-weight",
        "font-stretch",
        "font-style",
        "text-anchor",
    ];
    let mut attributes = String::new();
    let mut others = 0;
    let mut fill = None;
    for attr in node.attributes() {
        if attr.namespace().is_some()
            || attr.name().starts_with("data-")
            || OWN.contains(&attr.name())
        {
            continue;
        }
        match attr.name() {
            "fill" => fill = hex_rgb(attr.value()),
            _ => others += 1,
        }
        attributes.push(' ');
        attributes.push_str(attr.name());
        attributes.push_str("=\"");
        attributes.push_str(&crate::render::svg::escape(attr.value()));
        attributes.push('"');
    }

    Ok(Slot {
        name,
        x,
        y,
        width,
        height,
        font_size,
        min_font_size,
        font_step,
        max_lines,
        line_height,
        align,
        valign,
        families,
        weight,
        stretch,
        italic,
        attributes,
        plain_fill: fill.filter(|_| others == 0),
        flow,
        range: node.range(),
    })
}

/// The order to lay slots out in so that each slot comes after the one it flows below:
/// indices into `slots`. `Err` names a slot that flows below a missing slot, itself, or
/// (through others) a slot below it.
fn flow_order(slots: &[Slot]) -> Result<Vec<usize>, String> {
    let mut order = Vec::with_capacity(slots.len());
    let mut placed = vec![false; slots.len()];
    while order.len() < slots.len() {
        let before = order.len();
        for (i, slot) in slots.iter().enumerate() {
            if placed[i] {
                continue;
            }
            let ready = match &slot.flow {
                None => true,
                Some(flow) => {
                    let Some(j) = slots.iter().position(|s| s.name == flow.below) else {
                        return Err(format!(
                            "slot `{}`: data-flow names slot `{}`, which this template does not have",
                            slot.name, flow.below
                        ));
                    };
                    placed[j]
                }
            };
            if ready {
                placed[i] = true;
                order.push(i);
            }
        }
        if order.len() == before {
            let stuck: Vec<&str> = slots
                .iter()
                .zip(&placed)
                .filter(|(_, p)| !**p)
                .map(|(s, _)| s.name.as_str())
                .collect();
            return Err(format!("data-flow makes a cycle: {}", stuck.join(", ")));
        }
    }
    Ok(order)
}

/// `source` with each dynamic part (slot, accent element) replaced by what `part` gives
/// for it (nothing for `None`), in document order.
fn compose(
    slots: &[Slot],
    accents: &[Accent],
    source: &str,
    part: &mut dyn FnMut(Part) -> Option<String>,
) -> String {
    let mut parts: Vec<(Range<usize>, Part)> = slots
        .iter()
        .map(|s| (s.range.clone(), Part::Slot(s)))
        .chain(accents.iter().map(|a| (a.range.clone(), Part::Accent(a))))
        .collect();
    parts.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(source.len() + 1024);
    let mut at = 0;
    for (range, p) in parts {
        out.push_str(&source[at..range.start]);
        if let Some(text) = part(p) {
            out.push_str(&text);
        }
        at = range.end;
    }
    out.push_str(&source[at..]);
    out
}

fn rasterize_static(tree: &usvg::Tree, width: u32, height: u32) -> Result<Pixmap, String> {
    let mut pixmap = Pixmap::new(width, height).ok_or("cannot allocate the canvas")?;
    resvg::render(tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// Every template by name.
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
        let mut by_name: BTreeMap<String, BTreeMap<Size, Template>> = BTreeMap::new();
        let embedded_asset = |file: &str| {
            EMBEDDED_ASSETS
                .iter()
                .find(|(n, _)| *n == file)
                .map(|(_, b)| b.to_vec())
        };
        for (name, size, source) in EMBEDDED {
            let file = format!("templates/{} (embedded)", file_name(name, *size));
            let t = Template::parse(
                name,
                *size,
                &file,
                source.to_string(),
                fonts,
                &embedded_asset,
            )?;
            by_name
                .entry(name.to_string())
                .or_default()
                .insert(*size, t);
        }
        if let Some(dir) = dir {
            let io = |source| TemplateError::Io {
                dir: dir.display().to_string(),
                source,
            };
            let paths = crate::dirs::files_with_extensions(dir, &["svg"]).map_err(io)?;
            let mut from_dir: BTreeMap<String, BTreeMap<Size, Template>> = BTreeMap::new();
            for path in paths {
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
                let source =
                    std::fs::read_to_string(&path).map_err(|e| TemplateError::Invalid {
                        file: file.clone(),
                        problem: e.to_string(),
                    })?;
                // Assets sit beside the template; `inline_assets` allows bare names only.
                let dir_asset = |asset: &str| std::fs::read(dir.join(asset)).ok();
                let t = Template::parse(name, size, &file, source, fonts, &dir_asset)?;
                from_dir
                    .entry(name.to_string())
                    .or_default()
                    .insert(size, t);
            }
            for (name, sizes) in from_dir {
                if !sizes.contains_key(&Size::Og) {
                    let size = sizes.keys().next().copied().unwrap_or_default();
                    return Err(TemplateError::Invalid {
                        file: dir.join(file_name(&name, size)).display().to_string(),
                        problem: format!("no {name}.svg beside it (every template has one)"),
                    });
                }
                by_name.insert(name, sizes);
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

    /// Feeds every template's name, size and source to `hash` (for the assets' version).
    pub fn hash_into(&self, hash: &mut impl sha2::Digest) {
        for (name, sizes) in &self.by_name {
            for t in sizes.values() {
                hash.update(name.as_bytes());
                hash.update([0]);
                hash.update(t.digest.as_bytes());
            }
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
