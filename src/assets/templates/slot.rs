//! The slot grammar (`templates/README.md`): a `<text data-slot=…>` element parsed into a
//! [`Slot`], checked against the canvas and the font set, and the order slots are laid
//! out in (`data-flow`).

use std::ops::Range;

use crate::assets::fonts::{Fonts, Style, STRETCHES};
use crate::assets::xml::escape;
use crate::request::is_template_name;

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
    pub(super) range: Range<usize>,
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

/// `#rgb` or `#rrggbb` → RGB.
pub(super) fn hex_rgb(value: &str) -> Option<[u8; 3]> {
    let hex = value.trim().strip_prefix('#')?;
    let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

/// The smallest and largest font sizes a slot may name, in px.
pub const FONT_SIZES: std::ops::RangeInclusive<f32> = 4.0..=512.0;
/// The smallest step between the font sizes a slot tries.
pub const MIN_FONT_STEP: f32 = 0.5;
/// The most font sizes a slot may try: each is a layout attempt.
pub const MAX_FONT_SIZES: f32 = 64.0;
/// The most lines a slot may hold.
pub const MAX_LINES: usize = 20;

pub(super) fn parse_slot(
    node: roxmltree::Node,
    fonts: &Fonts,
    canvas: (u32, u32),
) -> Result<Slot, String> {
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
        attributes.push_str(&escape(attr.value()));
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
pub(super) fn flow_order(slots: &[Slot]) -> Result<Vec<usize>, String> {
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
