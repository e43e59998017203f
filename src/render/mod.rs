//! The render pipeline: `CardRequest` in, encoded bytes out.
//!
//! Pure and synchronous: no I/O, no HTTP, no cache. Its rooms are `breaks` and `shape`
//! (text), `layout` (fitting), `svg` (the document), `raster` (pixels) and `encode` (PNG).

pub mod breaks;
pub mod cjk;
pub mod encode;
pub mod glyphs;
pub mod jpeg;
mod kept;
pub mod layout;
pub mod photo;
pub mod raster;
pub mod shape;
pub mod svg;
pub mod thai;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use serde::Serialize;

use crate::assets::fonts::Fonts;
use crate::assets::templates::{Missing, Present, Slot, Template, Templates};
use crate::request::{CardRequest, Dpr, Format, Lang, Size, Theme, PICTURES};
use layout::{layout_slot, SlotLayout};
use shape::Run;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("unknown template `{0}`")]
    UnknownTemplate(String),
    #[error("template `{template}` has no size `{size}`; it has {has}")]
    MissingSize {
        template: String,
        size: &'static str,
        has: String,
    },
    #[error("generated SVG did not parse: {0}")]
    Svg(String),
    #[error("PNG encoding failed: {0}")]
    Encode(String),
    #[error("the render ran past its deadline")]
    DeadlineExceeded,
    #[error(
        "dpr {dpr} makes a {width}×{height} card; at most {max} pixels (a smaller dpr)",
        max = MAX_PIXELS
    )]
    TooManyPixels { dpr: Dpr, width: u32, height: u32 },
}

/// The most pixels a card may have at any `dpr`: a 4096×4096 template's at 1 (a 3× card
/// of 1200×630 has 6.8 million). Each render holds its canvas, 4 bytes a pixel.
pub const MAX_PIXELS: u64 = 4096 * 4096;

/// When a render gives up: layout, raster and encode check it between their steps, so
/// a render past its deadline ends within a step (well under a millisecond of layout, one
/// raster or encode pass) and frees its slot.
#[derive(Clone, Copy, Debug, Default)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline: the CLI and benches render whatever it takes.
    pub const NONE: Deadline = Deadline(None);

    pub fn at(instant: Instant) -> Deadline {
        Deadline(Some(instant))
    }

    pub fn after(duration: Duration) -> Deadline {
        Deadline(Instant::now().checked_add(duration))
    }

    /// `Err(DeadlineExceeded)` once the deadline has passed.
    pub fn check(&self) -> Result<(), RenderError> {
        match self.0 {
            Some(at) if Instant::now() >= at => Err(RenderError::DeadlineExceeded),
            _ => Ok(()),
        }
    }
}

pub use crate::assets::AssetError;

/// Everything a render reads: fonts, templates, usvg options. Built once at startup.
pub struct Assets {
    pub fonts: Arc<Fonts>,
    pub templates: Templates,
    options: usvg::Options<'static>,
    /// The digest of the code version and fonts: with a template's own digest, the
    /// version of every card drawn with that template.
    fonts_version: String,
    /// Per template (by id), which background rows are one colour, for the PNG encoder.
    /// Each template's background rows, summarised when its background is first drawn.
    background_rows: std::collections::HashMap<u64, std::sync::OnceLock<encode::BackgroundRows>>,
    /// Deflate level for PNG text rows (`encode::DEFAULT_LEVEL` unless configured).
    png_level: u8,
    /// Backgrounds with their pictures drawn in (and quantised, for photo PNGs), kept
    /// across cards within `photo::PHOTO_BUDGET` bytes.
    photos: photo::Photos,
    /// Templates' backgrounds encoded as JPEG strips, within `jpeg::JPEG_BUDGET` bytes.
    jpegs: jpeg::Kept,
}

impl Assets {
    /// The embedded fonts and templates, plus templates from `templates_dir`.
    pub fn load(templates_dir: Option<&Path>) -> Result<Assets, AssetError> {
        Assets::load_with(templates_dir, &[])
    }

    /// The embedded fonts and templates, plus templates from `templates_dir` and fonts
    /// from `font_dirs`.
    pub fn load_with(
        templates_dir: Option<&Path>,
        font_dirs: &[std::path::PathBuf],
    ) -> Result<Assets, AssetError> {
        thai::preload();
        breaks::preload();
        // The Japanese and Chinese models are read beside startup, not in its way: a
        // request that needs them first waits for what is left of it.
        std::thread::spawn(cjk::preload);
        let fonts = Arc::new(Fonts::load(font_dirs)?);
        let templates = Templates::load(templates_dir, &fonts)?;
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION"));
        fonts.hash_into(&mut hash);
        let fonts_version = hex(&hash.finalize()[..8]);
        Ok(Assets::of(
            fonts,
            fonts_version,
            templates,
            encode::DEFAULT_LEVEL,
        ))
    }

    fn of(fonts: Arc<Fonts>, fonts_version: String, templates: Templates, png_level: u8) -> Assets {
        let background_rows = templates
            .all()
            .map(|t| (t.id, std::sync::OnceLock::new()))
            .collect();
        Assets {
            background_rows,
            options: fonts.usvg_options(),
            fonts,
            templates,
            fonts_version,
            png_level,
            photos: photo::Photos::new(photo::PHOTO_BUDGET),
            jpegs: jpeg::Kept::new(jpeg::JPEG_BUDGET),
        }
    }

    /// The one-colour rows of `template`'s background, for the encoder (`None` for a
    /// template these assets do not hold).
    fn background_rows(&self, template: &Template) -> Option<&encode::BackgroundRows> {
        let cell = self.background_rows.get(&template.id)?;
        Some(cell.get_or_init(|| encode::BackgroundRows::of(template.background())))
    }

    /// Bytes of the photo backgrounds kept, and their budget.
    pub fn photo_bytes(&self) -> (usize, usize) {
        (self.photos.bytes(), photo::PHOTO_BUDGET)
    }

    /// Bytes of the templates' backgrounds kept as JPEG strips, and their budget.
    pub fn jpeg_bytes(&self) -> (usize, usize) {
        (self.jpegs.bytes(), jpeg::JPEG_BUDGET)
    }

    /// Draws `template`'s `og` background now, so that its first card does not: the
    /// default template's, beside startup.
    pub fn warm(&self, template: &str) {
        if let Some(t) = self.templates.get(template) {
            self.background_rows(t);
        }
    }

    /// These assets with `templates` instead (the same fonts and settings): what a
    /// template reload swaps in.
    pub fn with_templates(&self, templates: Templates) -> Assets {
        Assets::of(
            Arc::clone(&self.fonts),
            self.fonts_version.clone(),
            templates,
            self.png_level,
        )
    }

    /// What a card drawn with `template` depends on besides the request: the code, the
    /// fonts and that template. The first line of its cache key.
    pub fn card_version(&self, template: &Template) -> String {
        format!("{}-{}", self.fonts_version, template.digest)
    }

    /// The key a card is cached under (and `ogcard posts` remembers): its template's
    /// [`card_version`](Assets::card_version), a newline, the request's own key. So a
    /// deploy or a reload that changes fonts or a template never serves an old card, and
    /// one that changes a template leaves the other templates' cards cached. `Err` for a
    /// template or size that does not exist.
    pub fn card_key(&self, req: &CardRequest) -> Result<String, RenderError> {
        let template = self.template(&req.template, req.theme, req.size)?;
        Ok(format!(
            "{}\n{}",
            self.card_version(template),
            req.cache_key()
        ))
    }

    /// The card version a [`card_key`](Assets::card_key) starts with.
    pub fn version_of_key(key: &str) -> &str {
        key.split_once('\n').map_or(key, |(version, _)| version)
    }

    /// These assets, writing PNGs at deflate `level` (1–9; the encoder clamps).
    pub fn with_png_level(mut self, level: u8) -> Assets {
        self.png_level = level;
        self
    }

    /// The usvg options every render uses (fonts, resolvers).
    pub fn usvg_options(&self) -> &usvg::Options<'static> {
        &self.options
    }

    /// The template a request names, in its theme and size.
    pub fn template(
        &self,
        name: &str,
        theme: Option<Theme>,
        size: Size,
    ) -> Result<&Template, RenderError> {
        self.templates
            .resolve(name, theme, size)
            .map_err(|missing| match missing {
                Missing::Template => RenderError::UnknownTemplate(name.to_string()),
                Missing::Size(has) => RenderError::MissingSize {
                    template: name.to_string(),
                    size: size.as_str(),
                    has: has
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            })
    }
}

/// The pictures a card shows, by picture parameter in [`PICTURES`] order (`image`,
/// `avatar`, `logo`), each already fitted to its slot's box in device pixels at the card's
/// pixel ratio (`pictures::Pictures` fetches and fits them). A slot without one, or with
/// one of another size, draws its fallback.
#[derive(Clone, Default)]
pub struct CardPictures(pub [Option<Arc<tiny_skia::Pixmap>>; 3]);

impl CardPictures {
    /// No pictures: every picture slot draws its fallback.
    pub fn none() -> CardPictures {
        CardPictures::default()
    }

    pub fn get(&self, name: &str) -> Option<&Arc<tiny_skia::Pixmap>> {
        let i = PICTURES.iter().position(|p| *p == name)?;
        self.0[i].as_ref()
    }

    pub fn set(&mut self, name: &str, picture: Arc<tiny_skia::Pixmap>) {
        if let Some(i) = PICTURES.iter().position(|p| *p == name) {
            self.0[i] = Some(picture);
        }
    }
}

/// A rendered response body, its content type, and how long each stage took.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// `(stage, duration)` in pipeline order: layout, then raster and encode for images,
    /// or svg or json.
    pub timings: Vec<(&'static str, Duration)>,
}

/// One line of the layout report (`format=json`).
#[derive(Debug, Serialize)]
pub struct LineReport {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub font_size: f32,
}

#[derive(Debug, Serialize)]
pub struct SlotReport {
    pub name: String,
    pub font_size: f32,
    pub truncated: bool,
    pub lines: Vec<LineReport>,
}

/// The layout of a card, as `format=json` returns it. `lines` are the title's.
#[derive(Debug, Serialize)]
pub struct LayoutReport {
    /// The template's size, in layout units (every coordinate below is in them).
    pub width: u32,
    pub height: u32,
    /// Pixels per layout unit of the card in other formats.
    pub dpr: f32,
    pub template: String,
    /// Which of the template's designs (`og`, `x`, `square`, `kakao`).
    pub size: &'static str,
    pub lines: Vec<LineReport>,
    pub truncated: bool,
    pub missing_glyphs: Vec<String>,
    pub fonts: Vec<String>,
    pub slots: Vec<SlotReport>,
    /// The template's picture slots, and whether each drew a picture (else its fallback).
    pub pictures: Vec<PictureReport>,
}

#[derive(Debug, Serialize)]
pub struct PictureReport {
    pub name: &'static str,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub drawn: bool,
}

/// A card's pixels, and which rows may differ from its template's background. Dropping
/// it hands the pixels back to the thread's canvas (`raster::recycle`).
pub struct Canvas<'a> {
    pixmap: Option<tiny_skia::Pixmap>,
    dirty: raster::Rows,
    template: &'a Template,
    /// The template background's one-colour rows (`None`: not known, encode every row).
    background: Option<&'a encode::BackgroundRows>,
    png_level: u8,
    /// Not the template's background under the text (another pixel ratio, or pictures):
    /// neither its known rows nor the thread's spare canvas apply.
    scaled: bool,
    /// The kept background with pictures under the text, at 1×.
    photo: Option<Arc<photo::Background>>,
}

impl Canvas<'_> {
    pub fn pixmap(&self) -> &tiny_skia::Pixmap {
        self.pixmap.as_ref().expect("present until dropped")
    }

    /// The card as a PNG; rows it did not draw on are taken as the template's.
    pub fn png(&self) -> Result<Vec<u8>, RenderError> {
        if let Some(background) = &self.photo {
            if let Some(png) = photo::png(self.pixmap(), background, self.png_level)? {
                return Ok(png);
            }
        }
        let known = self.background.map(|background| encode::Known {
            background,
            dirty: &self.dirty,
        });
        let known = known.as_ref().filter(|_| !self.scaled);
        encode::encode_png(self.pixmap(), known, self.png_level)
    }

    /// The card as a JPEG at `quality`: over a background kept as JPEG strips (the
    /// template's, or the kept one with its pictures), only the strips the card changed
    /// are encoded.
    pub fn jpeg(&self, assets: &Assets, quality: u8) -> Result<Vec<u8>, RenderError> {
        let pixmap = self.pixmap();
        if let Some(background) = &self.photo {
            return background.jpeg(quality)?.over(pixmap, &background.pixmap);
        }
        if self.scaled || self.background.is_none() {
            return jpeg::encode(pixmap, quality);
        }
        let background = self.template.background();
        let strips = assets.jpegs.get_or_make((self.template.id, quality), || {
            jpeg::Strips::of(background, quality)
        })?;
        strips.over(pixmap, background)
    }
}

impl Drop for Canvas<'_> {
    fn drop(&mut self) {
        // A scaled canvas is dropped: a 3× one is 27 MB, too much to keep per thread.
        if let Some(pixmap) = self.pixmap.take().filter(|_| !self.scaled) {
            raster::recycle(self.template, pixmap, std::mem::take(&mut self.dirty));
        }
    }
}

/// A card laid out: every slot fitted, ready to become SVG.
pub struct CardLayout<'a> {
    template: &'a Template,
    slots: Vec<SlotLayout>,
    missing: Vec<char>,
    accent: Option<String>,
    /// With `debug=1`, each slot's text, to draw its break opportunities; else `None`.
    debug: Option<Vec<String>>,
    pictures: CardPictures,
    lang: Option<Lang>,
}

/// Lays out every slot of the request's template.
pub fn layout_card<'a>(
    req: &CardRequest,
    assets: &'a Assets,
    deadline: Deadline,
) -> Result<CardLayout<'a>, RenderError> {
    let template = assets.template(&req.template, req.theme, req.size)?;
    let mut missing = Vec::new();
    let tags = req
        .tags
        .iter()
        .map(|t| format!("#{t}"))
        .collect::<Vec<_>>()
        .join("  ");
    let text_of = |slot: &Slot| -> &str {
        match slot.name.as_str() {
            "title" => req.title.as_str(),
            "site" => req.site.as_str(),
            "description" => req.description.as_str(),
            "author" => req.author.as_str(),
            "date" => req.date.as_str(),
            "tags" => &tags,
            _ => "",
        }
    };
    // Slots that flow below another are laid out after it, in a box that starts where
    // its text ends.
    let mut laid: Vec<Option<SlotLayout>> = template.slots.iter().map(|_| None).collect();
    for &i in &template.layout_order {
        let slot = &template.slots[i];
        let flowed;
        let slot = match &slot.flow {
            None => slot,
            Some(flow) => {
                let above = template.slots.iter().position(|s| s.name == flow.below);
                let above_bottom = above
                    .and_then(|j| laid[j].as_ref())
                    .map_or(slot.y, |l| l.bottom);
                let bottom = slot.y + slot.height;
                // Room for one line at the smallest size, whatever the text above does.
                let one_line = (slot.min_font_size * slot.line_height).min(slot.height);
                let top = (above_bottom + flow.gap).min(bottom - one_line);
                flowed = {
                    let mut moved = slot.clone();
                    moved.y = top;
                    moved.height = bottom - top;
                    moved
                };
                &flowed
            }
        };
        let text = text_of(slot);
        laid[i] = Some(layout_slot(
            text,
            req.lang,
            slot,
            &assets.fonts,
            &mut missing,
            deadline,
        )?);
    }
    let slots = laid
        .into_iter()
        .map(|l| l.expect("every slot laid out"))
        .collect();
    let debug = req.debug.then(|| {
        template
            .slots
            .iter()
            .map(|s| text_of(s).to_string())
            .collect()
    });
    Ok(CardLayout {
        template,
        slots,
        missing,
        accent: req.accent.clone(),
        debug,
        pictures: CardPictures::none(),
        lang: req.lang,
    })
}

impl CardLayout<'_> {
    /// This layout with `pictures` in its picture slots.
    pub fn with_pictures(mut self, pictures: CardPictures) -> Self {
        self.pictures = pictures;
        self
    }

    /// The picture slots that have a picture of their box's size at `dpr`.
    fn present(&self, dpr: Dpr) -> Present {
        let mut present = 0;
        for (i, slot) in self.template.pictures.iter().enumerate() {
            let (_, _, w, h) = slot.pixel_box(dpr.factor());
            if self
                .pictures
                .get(slot.name)
                .is_some_and(|p| (p.width(), p.height()) == (w, h))
            {
                present |= 1 << i;
            }
        }
        present
    }

    /// The per-request elements: accent elements first (under the text), then the slots'
    /// runs that `keep` accepts (slots left with no run are dropped).
    fn elements_where(&self, fonts: &Fonts, keep: impl Fn(&Slot, &Run) -> bool) -> Vec<String> {
        let mut out = self.template.accent_elements(self.accent.as_deref());
        for (slot, layout) in self.template.slots.iter().zip(&self.slots) {
            let element = svg::slot_element_where(slot, layout, fonts, |run| keep(slot, run));
            if !element.is_empty() {
                out.push(element);
            }
        }
        if let Some(texts) = &self.debug {
            out.push(self.debug_element(fonts, texts));
        }
        out
    }

    /// `debug=1`: each slot's box (dashed magenta), each line's box (cyan: its advance
    /// wide, the line height tall), a green tick at each break opportunity inside a
    /// line, where it could have ended (dashed at a doubtful one, where it had better
    /// not: `breaks::Opportunities`), an amber underline under Thai the dictionary does
    /// not know, and each picture slot's box (dashed orange). Ticks and underlines are
    /// drawn for left-to-right lines only.
    fn debug_element(&self, fonts: &Fonts, texts: &[String]) -> String {
        use std::fmt::Write;
        let mut out = String::from("<g fill=\"none\" stroke-width=\"2\">");
        for ((slot, layout), text) in self.template.slots.iter().zip(&self.slots).zip(texts) {
            let [x, y, width, height] = layout.frame;
            // The opportunities of the slot's whole text (a line alone would be segmented
            // differently at its edges), found line by line in it.
            let opportunities = breaks::opportunities(text, self.lang);
            let unknown = breaks::unknown_thai_spans(text);
            let mut at = 0;
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" stroke=\"#ff00ff\" stroke-dasharray=\"8 6\"/>",
                x, y, width, height
            );
            let size = layout.font_size;
            for line in &layout.lines {
                let Some((run, _)) = line.runs.first() else {
                    continue;
                };
                // The line box as layout placed it.
                let line_box = slot.line_height * size;
                let top =
                    line.y - layout::baseline_in_line_box(&fonts.faces[run.face], size, line_box);
                let bottom = top + line_box;
                let _ = write!(
                    out,
                    "<rect x=\"{:.2}\" y=\"{top:.2}\" width=\"{:.2}\" height=\"{:.2}\" stroke=\"#22d3ee\"/>",
                    line.x,
                    line.width,
                    bottom - top
                );
                // Left to right only: a tick's x is the advance of the text before it.
                if shape::is_rtl_paragraph(&line.text) {
                    continue;
                }
                let drawn = line.text.trim_end_matches('…');
                let Some(start) = text[at..].find(drawn).map(|i| at + i) else {
                    continue;
                };
                at = start + drawn.len();
                let breaks: Vec<usize> = opportunities
                    .breaks
                    .iter()
                    .filter(|&&b| b > start && b < at)
                    .map(|b| b - start)
                    .collect();
                let runs: Vec<Run> = line.runs.iter().map(|(r, _)| r.clone()).collect();
                let (prefix, _) =
                    shape::prefix_em_until(&line.text, &runs, fonts, &breaks, f32::INFINITY);
                for b in breaks {
                    let x = line.x + prefix[b] * size;
                    let dashed = if opportunities.doubtful.binary_search(&(start + b)).is_ok() {
                        " stroke-dasharray=\"6 6\""
                    } else {
                        ""
                    };
                    let _ = write!(
                        out,
                        "<line x1=\"{x:.2}\" y1=\"{top:.2}\" x2=\"{x:.2}\" y2=\"{bottom:.2}\" stroke=\"#22c55e\" stroke-width=\"3\"{dashed}/>"
                    );
                }
                // Thai the dictionary does not know (never broken inside): underlined amber.
                for span in &unknown {
                    let (a, b) = (span.start.max(start), span.end.min(at));
                    if a >= b {
                        continue;
                    }
                    let (x1, x2) = (
                        line.x + prefix[a - start] * size,
                        line.x + prefix[b - start] * size,
                    );
                    let y = bottom - 3.0;
                    let _ = write!(
                        out,
                        "<line x1=\"{x1:.2}\" y1=\"{y:.2}\" x2=\"{x2:.2}\" y2=\"{y:.2}\" stroke=\"#f59e0b\" stroke-width=\"5\"/>"
                    );
                }
            }
        }
        // Picture slots: their boxes, dashed orange.
        for p in &self.template.pictures {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" stroke=\"#f97316\" stroke-dasharray=\"8 6\"/>",
                p.x, p.y, p.width, p.height
            );
        }
        out.push_str("</g>");
        out
    }

    /// The SVG of the per-request elements only, drawn over the template's pre-rendered
    /// background: what usvg alone would draw (`rasterize` draws plain text itself).
    pub fn overlay_svg(&self, fonts: &Fonts) -> String {
        svg::overlay(self.template, &self.elements_where(fonts, |_, _| true))
    }

    pub fn template(&self) -> &Template {
        self.template
    }

    /// The card's pixels: the template's background, then accent elements, colour glyphs
    /// and slots with non-plain paint through usvg/resvg, then plain text from cached
    /// glyph masks (`glyphs`). At a `dpr` other than 1 every layer is drawn again at that
    /// scale (the background too), so text and shapes are as sharp as at 1.
    pub fn rasterize<'s>(
        &'s self,
        assets: &'s Assets,
        dpr: Dpr,
    ) -> Result<Canvas<'s>, RenderError> {
        let fonts = &assets.fonts;
        let template = self.template;
        let scaled = dpr != Dpr::ONE;
        // usvg draws what the glyph masks cannot: non-plain paint and colour glyphs.
        let elements = self.elements_where(fonts, |slot, run| {
            let face = &fonts.faces[run.face];
            slot.plain_fill.is_none() || (face.color && !face.png_bitmaps)
        });
        let present = self.present(dpr);
        let mut photo = None;
        let (mut pixmap, mut dirty) = if present != 0 || scaled {
            let mut pixmap = if present != 0 && !scaled {
                // At 1×, the background with these pictures is kept for the next card.
                let key = photo::Key::new(template.id, present, &self.pictures);
                let background = assets.photos.get_or_make(key, || {
                    let pixmap = self.draw_pictures(assets, dpr, present)?;
                    Ok(photo::Background::new(self.pictures.clone(), pixmap))
                })?;
                let pixmap = background.pixmap.clone();
                photo = Some(background);
                pixmap
            } else if present != 0 {
                self.draw_pictures(assets, dpr, present)?
            } else {
                scaled_canvas(template, dpr, &template.static_layer)?
            };
            if !elements.is_empty() {
                let overlay = svg::overlay(template, &elements);
                let scale = tiny_skia::Transform::from_scale(dpr.factor(), dpr.factor());
                raster::draw(&overlay, &assets.options, scale, &mut pixmap)?;
            }
            (pixmap, raster::Rows::default())
        } else if elements.is_empty() {
            (raster::canvas(template), raster::Rows::default())
        } else {
            let (pixmap, drawn) = raster::rasterize(
                &svg::overlay(template, &elements),
                template,
                &assets.options,
            )?;
            let mut rows = raster::Rows::default();
            rows.add(drawn);
            (pixmap, rows)
        };
        for (slot, layout) in template.slots.iter().zip(&self.slots) {
            if let Some(rgb) = slot.plain_fill {
                let drawn = glyphs::draw_slot(&mut pixmap, layout, rgb, fonts, dpr.factor());
                dirty.add(drawn);
            }
        }
        Ok(Canvas {
            pixmap: Some(pixmap),
            dirty,
            template,
            background: assets.background_rows(template),
            png_level: assets.png_level,
            scaled: scaled || present != 0,
            photo,
        })
    }

    /// The template's layers for the `present` pictures with each picture drawn between
    /// them, at `dpr`: from the layers drawn at 1× when `dpr` is 1, else drawn again at
    /// that scale.
    fn draw_pictures(
        &self,
        assets: &Assets,
        dpr: Dpr,
        present: Present,
    ) -> Result<tiny_skia::Pixmap, RenderError> {
        let template = self.template;
        let layers = template
            .layers(present, &assets.options)
            .map_err(RenderError::Svg)?;
        let scale = dpr.factor();
        let transform = tiny_skia::Transform::from_scale(scale, scale);
        let mut pixmap = if dpr == Dpr::ONE {
            layers.base.clone()
        } else {
            scaled_canvas(template, dpr, &layers.trees[0])?
        };
        for (k, &i) in layers.pictures.iter().enumerate() {
            let slot = &template.pictures[i];
            if let Some(picture) = self.pictures.get(slot.name) {
                let (x, y, _, _) = slot.pixel_box(scale);
                raster::blend_over(&mut pixmap, picture, x, y);
            }
            if dpr == Dpr::ONE {
                if let Some((over, top)) = &layers.over[k] {
                    raster::blend_over(&mut pixmap, over, 0, *top as i32);
                }
            } else {
                resvg::render(&layers.trees[k + 1], transform, &mut pixmap.as_mut());
            }
        }
        Ok(pixmap)
    }

    /// The whole card as one SVG document: the template with its slots filled.
    pub fn to_svg(&self, fonts: &Fonts, dpr: Dpr) -> String {
        self.document(fonts, dpr, |slot, layout| {
            Some(svg::slot_element(slot, layout, fonts))
        })
        .unwrap_or_default()
    }

    /// The whole card as one self-contained SVG document drawn from our own layout: every
    /// glyph written once in `<defs>` and placed with `<use>` (`svg::Glyphs`). `None` when
    /// only usvg can draw it so: a slot with paint other than a plain colour (a gradient
    /// spans a text element's box, not a glyph's), colour glyphs other than PNG bitmaps,
    /// or a template whose own elements are not all shapes, paint and embedded images
    /// (`Template::self_contained`: text of its own, styles, links; usvg's writer keeps
    /// only what it draws).
    pub fn to_outlined_svg(&self, fonts: &Fonts, dpr: Dpr) -> Option<String> {
        if !self.template.self_contained
            || self
                .template
                .slots
                .iter()
                .any(|slot| slot.plain_fill.is_none())
        {
            return None;
        }
        let mut glyphs = svg::Glyphs::default();
        let mut svg = self.document(fonts, dpr, |slot, layout| {
            svg::slot_glyphs(slot, layout, fonts, &mut glyphs)
        })?;
        if svg.contains("<text") || svg.contains("<tspan") {
            return None;
        }
        let end = svg.rfind("</svg>")?;
        svg.insert_str(end, &glyphs.defs());
        Some(svg)
    }

    /// The template with each slot replaced by what `fill` writes for it (`None` if it
    /// cannot), its pictures as PNG images and the debug drawing.
    fn document(
        &self,
        fonts: &Fonts,
        dpr: Dpr,
        mut fill: impl FnMut(&Slot, &SlotLayout) -> Option<String>,
    ) -> Option<String> {
        let mut layouts = self.slots.iter();
        let mut failed = false;
        let present = self.present(dpr);
        let mut svg = self.template.fill_slots(
            self.accent.as_deref(),
            |slot| {
                let element = match layouts.next() {
                    Some(layout) => fill(slot, layout),
                    None => Some(String::new()),
                };
                failed |= element.is_none();
                element.unwrap_or_default()
            },
            |slot| {
                let i = self.template.pictures.iter().position(|p| p.name == slot.name)?;
                if present & (1 << i) == 0 {
                    return None;
                }
                let png = encode::encode_png(self.pictures.get(slot.name)?, None, 6).ok()?;
                Some(format!(
                    "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"{}\"/>",
                    slot.x,
                    slot.y,
                    slot.width,
                    slot.height,
                    crate::assets::xml::data_uri("image/png", &png)
                ))
            },
        );
        if failed {
            return None;
        }
        if let Some(texts) = &self.debug {
            if let Some(end) = svg.rfind("</svg>") {
                svg.insert_str(end, &self.debug_element(fonts, texts));
            }
        }
        Some(svg)
    }

    pub fn report(&self, fonts: &Fonts, dpr: Dpr) -> LayoutReport {
        let mut used = Vec::new();
        let slots: Vec<SlotReport> = self
            .template
            .slots
            .iter()
            .zip(&self.slots)
            .map(|(slot, layout)| SlotReport {
                name: slot.name.clone(),
                font_size: layout.font_size,
                truncated: layout.truncated,
                lines: layout
                    .lines
                    .iter()
                    .map(|line| {
                        for (run, _) in &line.runs {
                            if !used.contains(&run.face) {
                                used.push(run.face);
                            }
                        }
                        LineReport {
                            text: line.text.clone(),
                            x: line.x,
                            y: line.y,
                            width: line.width,
                            font_size: layout.font_size,
                        }
                    })
                    .collect(),
            })
            .collect();
        let title = slots.iter().position(|s| s.name == "title");
        let (lines, truncated) = match title {
            Some(i) => (
                slots[i]
                    .lines
                    .iter()
                    .map(|l| LineReport {
                        text: l.text.clone(),
                        ..*l
                    })
                    .collect(),
                slots[i].truncated,
            ),
            None => (Vec::new(), false),
        };
        LayoutReport {
            width: self.template.width,
            height: self.template.height,
            dpr: dpr.factor(),
            template: self.template.name.clone(),
            size: self.template.size.as_str(),
            lines,
            truncated,
            missing_glyphs: self.missing.iter().map(|c| c.to_string()).collect(),
            fonts: used.iter().map(|&f| fonts.faces[f].name.clone()).collect(),
            slots,
            pictures: {
                let present = self.present(dpr);
                self.template
                    .pictures
                    .iter()
                    .enumerate()
                    .map(|(i, p)| PictureReport {
                        name: p.name,
                        x: p.x,
                        y: p.y,
                        width: p.width,
                        height: p.height,
                        drawn: present & (1 << i) != 0,
                    })
                    .collect()
            },
        }
    }
}

/// Renders `req` in its format, however long it takes (the CLI, benches).
pub fn card(req: &CardRequest, assets: &Assets) -> Result<Rendered, RenderError> {
    card_until(req, assets, Deadline::NONE)
}

/// Renders `req` in its format without pictures, giving up at `deadline`.
pub fn card_until(
    req: &CardRequest,
    assets: &Assets,
    deadline: Deadline,
) -> Result<Rendered, RenderError> {
    card_with(req, assets, &CardPictures::none(), deadline)
}

/// Renders `req` in its format with `pictures` in its picture slots, giving up at
/// `deadline`. The render module's face.
pub fn card_with(
    req: &CardRequest,
    assets: &Assets,
    pictures: &CardPictures,
    deadline: Deadline,
) -> Result<Rendered, RenderError> {
    let mut timings = Vec::with_capacity(4);
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str, timings: &mut Vec<_>| {
        let now = Instant::now();
        timings.push((stage, now - clock));
        clock = now;
    };
    let layout = layout_card(req, assets, deadline)?.with_pictures(pictures.clone());
    lap("layout", &mut timings);
    deadline.check()?;
    let bytes = match req.format {
        Format::Json => {
            // Infallible: the report holds only strings and finite numbers.
            let json = serde_json::to_vec(&layout.report(&assets.fonts, req.dpr))
                .expect("layout report serializes");
            lap("json", &mut timings);
            json
        }
        Format::Svg => {
            // Self-contained, so that a browser without our fonts draws the same card:
            // our own glyphs as outlines, each written once; else usvg's writer turns the
            // text into outlines (and colour emoji into embedded images).
            let outlined = layout
                .to_outlined_svg(&assets.fonts, req.dpr)
                .and_then(|svg| with_pixel_size(svg, layout.template, req.dpr).ok());
            let svg = match outlined {
                Some(svg) => svg,
                None => {
                    let tree = usvg::Tree::from_str(
                        &layout.to_svg(&assets.fonts, req.dpr),
                        &assets.options,
                    )
                    .map_err(|e| RenderError::Svg(e.to_string()))?;
                    let options = usvg::WriteOptions {
                        coordinates_precision: 3,
                        transforms_precision: 5,
                        ..usvg::WriteOptions::default()
                    };
                    with_pixel_size(tree.to_string(&options), layout.template, req.dpr)?
                }
            };
            lap("svg", &mut timings);
            svg.into_bytes()
        }
        Format::Png | Format::Jpeg | Format::Webp => {
            let canvas = layout.rasterize(assets, req.dpr)?;
            lap("raster", &mut timings);
            deadline.check()?;
            let bytes = match req.format {
                Format::Jpeg => canvas.jpeg(assets, req.quality)?,
                Format::Webp => encode::encode_webp(canvas.pixmap())?,
                _ => canvas.png()?,
            };
            lap("encode", &mut timings);
            bytes
        }
    };
    Ok(Rendered {
        bytes,
        content_type: req.format.content_type(),
        timings,
    })
}

/// A canvas of `template`'s size at `dpr` with `tree` (a static layer) drawn at that
/// scale; `TooManyPixels` past [`MAX_PIXELS`].
fn scaled_canvas(
    template: &Template,
    dpr: Dpr,
    tree: &usvg::Tree,
) -> Result<tiny_skia::Pixmap, RenderError> {
    let (width, height) = dpr.pixels(template.width, template.height);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RenderError::TooManyPixels { dpr, width, height });
    }
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| RenderError::Svg("cannot allocate the canvas".into()))?;
    let scale = tiny_skia::Transform::from_scale(dpr.factor(), dpr.factor());
    resvg::render(tree, scale, &mut pixmap.as_mut());
    Ok(pixmap)
}

/// An SVG card with its root's `width` and `height` (not its `viewBox`) set to its
/// template's size at `dpr`: vector at any size, it is shown that many CSS pixels large.
fn with_pixel_size(svg: String, template: &Template, dpr: Dpr) -> Result<String, RenderError> {
    if dpr == Dpr::ONE {
        return Ok(svg);
    }
    let (width, height) = dpr.pixels(template.width, template.height);
    let end = svg.find('>').unwrap_or(0);
    let (root, rest) = svg.split_at(end);
    let old = (
        format!(" width=\"{}\"", template.width),
        format!(" height=\"{}\"", template.height),
    );
    if !root.starts_with("<svg") || !root.contains(&old.0) || !root.contains(&old.1) {
        return Err(RenderError::Svg(format!("unexpected root: {root}")));
    }
    let mut root = root
        .replacen(&old.0, &format!(" width=\"{width}\""), 1)
        .replacen(&old.1, &format!(" height=\"{height}\""), 1);
    // usvg writes no viewBox (its coordinates are the size's): without one the drawing
    // would stay at 1× in the corner of a larger canvas.
    if !root.contains(" viewBox=") {
        root.push_str(&format!(
            " viewBox=\"0 0 {} {}\"",
            template.width, template.height
        ));
    }
    Ok(root + rest)
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Setup and checks shared by the render modules' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::Assets;
    use crate::request::{Defaults, Text};

    /// A PNG's colour type and its pixels, palette expanded (RGB, or RGBA with alpha).
    pub fn decode(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut d = png::Decoder::new(std::io::Cursor::new(png));
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().unwrap();
        let color = r.info().color_type;
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (color, buf)
    }

    /// The RGB bytes of an opaque pixmap: what its PNG must decode to. Written apart
    /// from the encoder's own conversion, so that a fault there cannot hide.
    pub fn rgb_of(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
        pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// The embedded assets, and defaults with a site label on the default template.
    pub fn assets() -> (Assets, Defaults) {
        let defaults = Defaults {
            title: Text::new("x"),
            site: Text::new("blog.example.com"),
            template: "default".into(),
        };
        (Assets::load(None).unwrap(), defaults)
    }
}
