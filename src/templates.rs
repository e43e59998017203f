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

use crate::fonts::Fonts;
use crate::request::is_template_name;

/// Templates compiled into the binary: `(name, SVG source)`.
const EMBEDDED: &[(&str, &str)] = &[("default", include_str!("../templates/default.svg"))];

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
    pub italic: bool,
    /// The slot element's other attributes (fill, opacity, …), ready to write into a tag.
    pub attributes: String,
    /// Where the slot element sits in the template source.
    range: Range<usize>,
}

/// A parsed, validated template with its static layer pre-rendered.
pub struct Template {
    pub name: String,
    pub width: u32,
    pub height: u32,
    source: String,
    pub slots: Vec<Slot>,
    /// Everything but the slots, rendered once.
    pub background: Pixmap,
}

impl Template {
    /// Parses `source`; `file` names it in errors.
    pub fn parse(
        name: &str,
        file: &str,
        source: String,
        fonts: &Arc<Fonts>,
    ) -> Result<Template, TemplateError> {
        let invalid = |problem: String| TemplateError::Invalid {
            file: file.to_string(),
            problem,
        };
        let doc = roxmltree::Document::parse(&source).map_err(|e| invalid(e.to_string()))?;
        let root = doc.root_element();
        if root.tag_name().name() != "svg" {
            return Err(invalid("the root element is not <svg>".into()));
        }
        let width = side(root.attribute("width"))
            .ok_or_else(|| invalid(format!("<svg> needs an integer width in 1..={MAX_SIDE}")))?;
        let height = side(root.attribute("height"))
            .ok_or_else(|| invalid(format!("<svg> needs an integer height in 1..={MAX_SIDE}")))?;
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
            let slot = parse_slot(node, fonts).map_err(|p| {
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
        slots.sort_by_key(|s| s.range.start);

        let mut static_svg = String::with_capacity(source.len());
        let mut at = 0;
        for slot in &slots {
            static_svg.push_str(&source[at..slot.range.start]);
            at = slot.range.end;
        }
        static_svg.push_str(&source[at..]);
        let background = rasterize_static(&static_svg, width, height, fonts)
            .map_err(|p| invalid(format!("static layer: {p}")))?;

        Ok(Template {
            name: name.to_string(),
            width,
            height,
            source,
            slots,
            background,
        })
    }

    /// The slot that shows parameter `name`.
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }

    /// The template's SVG with each slot element replaced by `fill(slot)`.
    pub fn fill_slots(&self, mut fill: impl FnMut(&Slot) -> String) -> String {
        let mut out = String::with_capacity(self.source.len() + 1024);
        let mut at = 0;
        for slot in &self.slots {
            out.push_str(&self.source[at..slot.range.start]);
            out.push_str(&fill(slot));
            at = slot.range.end;
        }
        out.push_str(&self.source[at..]);
        out
    }
}

fn side(value: Option<&str>) -> Option<u32> {
    value?
        .trim_end_matches("px")
        .parse::<u32>()
        .ok()
        .filter(|v| (1..=MAX_SIDE).contains(v))
}

fn parse_slot(node: roxmltree::Node, fonts: &Fonts) -> Result<Slot, String> {
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

    let font_size = num("data-font-size", None)?;
    let min_font_size = num("data-min-font-size", Some(font_size))?;
    let font_step = num("data-font-step", Some(4.0))?;
    let line_height = num("data-line-height", Some(1.2))?;
    let max_lines = num("data-max-lines", Some(1.0))? as usize;
    if !(1.0..=512.0).contains(&font_size) || min_font_size < 1.0 || min_font_size > font_size {
        return Err(format!(
            "slot `{name}`: need 1 ≤ data-min-font-size ≤ data-font-size ≤ 512"
        ));
    }
    if font_step <= 0.0 && min_font_size < font_size {
        return Err(format!("slot `{name}`: data-font-step must be > 0"));
    }
    if !(1..=64).contains(&max_lines) {
        return Err(format!("slot `{name}`: data-max-lines must be 1..=64"));
    }
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
        .find(|f| fonts.closest_face(f, 400, false).is_none())
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
    let italic = matches!(node.attribute("font-style"), Some("italic" | "oblique"));

    // Attributes that would move glyphs away from where layout measured them.
    const UNSUPPORTED: &[&str] = &[
        "transform",
        "letter-spacing",
        "word-spacing",
        "writing-mode",
        "textLength",
        "lengthAdjust",
        "font-variant",
        "font-stretch",
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
        "font-style",
        "text-anchor",
    ];
    let mut attributes = String::new();
    for attr in node.attributes() {
        if attr.namespace().is_some()
            || attr.name().starts_with("data-")
            || OWN.contains(&attr.name())
        {
            continue;
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
        italic,
        attributes,
        range: node.range(),
    })
}

fn rasterize_static(
    svg: &str,
    width: u32,
    height: u32,
    fonts: &Arc<Fonts>,
) -> Result<Pixmap, String> {
    let tree = usvg::Tree::from_str(svg, &fonts.usvg_options()).map_err(|e| e.to_string())?;
    let mut pixmap = Pixmap::new(width, height).ok_or("cannot allocate the canvas")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// Every template by name.
pub struct Templates {
    by_name: BTreeMap<String, Template>,
}

impl Templates {
    /// The embedded templates, then every `*.svg` in `dir` (its file stem is the name; a
    /// file named like an embedded template replaces it).
    pub fn load(dir: Option<&Path>, fonts: &Arc<Fonts>) -> Result<Templates, TemplateError> {
        let mut by_name = BTreeMap::new();
        for (name, source) in EMBEDDED {
            let file = format!("templates/{name}.svg (embedded)");
            let t = Template::parse(name, &file, source.to_string(), fonts)?;
            by_name.insert(name.to_string(), t);
        }
        if let Some(dir) = dir {
            let io = |source| TemplateError::Io {
                dir: dir.display().to_string(),
                source,
            };
            let paths = crate::dirs::files_with_extensions(dir, &["svg"]).map_err(io)?;
            for path in paths {
                let file = path.display().to_string();
                let name = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .filter(|s| is_template_name(s))
                    .ok_or_else(|| TemplateError::Invalid {
                        file: file.clone(),
                        problem: "file name must be letters, digits, - or _ then .svg".into(),
                    })?
                    .to_string();
                let source =
                    std::fs::read_to_string(&path).map_err(|e| TemplateError::Invalid {
                        file: file.clone(),
                        problem: e.to_string(),
                    })?;
                let t = Template::parse(&name, &file, source, fonts)?;
                by_name.insert(name, t);
            }
        }
        Ok(Templates { by_name })
    }

    pub fn get(&self, name: &str) -> Option<&Template> {
        self.by_name.get(name)
    }

    /// Feeds every template's name and source to `hash` (for the assets' version).
    pub fn hash_into(&self, hash: &mut impl sha2::Digest) {
        for (name, t) in &self.by_name {
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(t.source.as_bytes());
            hash.update([0]);
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }
}
