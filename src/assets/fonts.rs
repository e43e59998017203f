//! The font set: every face the service may draw with, loaded once at startup.
//!
//! Owns the embedded fonts, one shared `fontdb::Database` for usvg, and per face the
//! harfrust shaper data and metrics our layout measures with. Knows nothing of templates
//! or HTTP. System fonts are never loaded, so a card renders the same on every machine.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fontdb::{Database, Source, ID};
use harfrust::{
    Direction, Language, Script, ShapePlan, Shaper, ShaperData, ShaperInstance, UnicodeBuffer,
};
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

use crate::request::Lang;

include!(concat!(env!("OUT_DIR"), "/fonts_digest.rs"));

/// The fonts compiled into the binary: `(file name, bytes)`, in fallback order after a
/// template's own families. See `fonts/README.md`.
macro_rules! embedded {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_bytes!(concat!("../../fonts/", $file)))),*]
    };
}
const EMBEDDED: &[(&str, &[u8])] = embedded![
    "NotoSansThai-Regular.ttf",
    "NotoSansThai-Bold.ttf",
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansLao-Regular.ttf",
    "NotoSansLao-Bold.ttf",
    "NotoSansKhmer-Regular.ttf",
    "NotoSansKhmer-Bold.ttf",
    "NotoSansMyanmar-Regular.ttf",
    "NotoSansMyanmar-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansHebrew-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansDevanagari-Bold.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
    "NotoSansTamil-Regular.ttf",
    "NotoSansTamil-Bold.ttf",
    // One weight of CJK (bold, as titles are): a TTC whose JP, KR, SC, TC and HK faces
    // share their glyphs.
    "NotoSansCJK-Bold.ttc",
    "NotoColorEmoji.ttf",
];

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("font {0}: not a font file fontdb can read")]
    Unreadable(String),
    #[error("font {0}: harfrust/skrifa cannot parse it")]
    Unparsable(String),
    #[error("font {0}: {1}")]
    Woff(String, String),
}

/// The largest font a WOFF or WOFF2 file may decompress to (its header says, before any
/// decompression): the largest CJK fonts are about 20 MB.
const MAX_SFNT_BYTES: u32 = 64 << 20;

/// The CSS `font-stretch` keywords as `wdth` percentages, narrowest first.
pub const STRETCHES: [(&str, f32); 9] = [
    ("ultra-condensed", 50.0),
    ("extra-condensed", 62.5),
    ("condensed", 75.0),
    ("semi-condensed", 87.5),
    ("normal", 100.0),
    ("semi-expanded", 112.5),
    ("expanded", 125.0),
    ("extra-expanded", 150.0),
    ("ultra-expanded", 200.0),
];

/// The `font-stretch` keyword of a width in percent (the nearest one).
pub fn stretch_keyword(percent: f32) -> &'static str {
    STRETCHES
        .iter()
        .min_by(|a, b| (a.1 - percent).abs().total_cmp(&(b.1 - percent).abs()))
        .map_or("normal", |s| s.0)
}

/// What text asks of a face: CSS's `font-weight`, `font-stretch` (percent) and italic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub weight: u16,
    pub stretch: f32,
    pub italic: bool,
}

impl Style {
    /// `weight` and `italic` at normal width.
    pub fn new(weight: u16, italic: bool) -> Style {
        Style {
            weight,
            stretch: 100.0,
            italic,
        }
    }
}

/// A font file's bytes as an sfnt font: WOFF and WOFF2 files (known by their signature,
/// not their name) decompressed once, anything else as it is.
pub fn sfnt(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, FontError> {
    let woff2 = match bytes.get(..4) {
        Some(b"wOF2") => true,
        Some(b"wOFF") => false,
        _ => return Ok(bytes),
    };
    // Both headers hold totalSfntSize at byte 16.
    let total = bytes
        .get(16..20)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    match total {
        Some(total) if total <= MAX_SFNT_BYTES => {}
        Some(total) => {
            return Err(FontError::Woff(
                name.to_string(),
                format!("decompresses to {total} bytes, more than {MAX_SFNT_BYTES}"),
            ))
        }
        None => return Err(FontError::Woff(name.to_string(), "truncated header".into())),
    }
    let out = if woff2 {
        wuff::decompress_woff2(&bytes)
    } else {
        wuff::decompress_woff1(&bytes)
    };
    out.map_err(|e| FontError::Woff(name.to_string(), format!("cannot decompress: {e:?}")))
}

/// Index of a face in [`Fonts::faces`].
pub type FaceIndex = usize;

/// One font face with what layout needs to shape and measure with it.
pub struct Face {
    /// Typographic family name, as SVG `font-family` names it (`Noto Sans Thai`).
    pub family: String,
    /// Family + weight, for reports (`Noto Sans Thai Bold`).
    pub name: String,
    pub weight: u16,
    /// Width in percent of normal (`font-stretch`).
    pub stretch: f32,
    pub italic: bool,
    /// A variable font's instance at this weight and width: its normalised coordinates
    /// (empty for a static font), and the user-space settings they came from.
    location: Vec<skrifa::instance::NormalizedCoord>,
    pub variations: Vec<(&'static str, f32)>,
    instance: Option<ShaperInstance>,
    /// Colour glyphs (CBDT, COLR or sbix): preferred for emoji presentation.
    pub color: bool,
    /// Colour glyphs are PNG bitmaps in a CBDT table (Noto Color Emoji): drawn from cached
    /// sprites rather than through usvg.
    pub png_bitmaps: bool,
    pub id: ID,
    /// Loaded from a font directory (not embedded): the operator's faces win over the
    /// embedded ones of the same family and style.
    pub from_dir: bool,
    pub units_per_em: f32,
    /// Ascent and descent (positive, down) in em, as usvg reads them.
    pub ascent: f32,
    pub descent: f32,
    data: &'static [u8],
    face_index: u32,
    /// Shared by the instances of one variable face.
    shaper_data: Arc<ShaperData>,
    /// The character map, parsed once: coverage is asked per grapheme and face, and
    /// parsing the table directory and `cmap` each time was most of layout's cost for
    /// text no font covers.
    charmap: skrifa::charmap::Charmap<'static>,
    /// Shape plans by direction, script and language: building one (feature lookup,
    /// map compilation) cost more than shaping a short run with it.
    plans: Mutex<HashMap<PlanKey, Arc<ShapePlan>>>,
}

type PlanKey = (Direction, Option<Script>, Option<Language>);

impl Face {
    pub fn font_ref(&self) -> harfrust::FontRef<'static> {
        // Infallible: `Fonts::new` parsed this exact data and index successfully.
        harfrust::FontRef::from_index(self.data, self.face_index)
            .expect("face data was validated at load time")
    }

    pub fn skrifa_ref(&self) -> Option<skrifa::FontRef<'static>> {
        skrifa::FontRef::from_index(self.data, self.face_index).ok()
    }

    /// The face's shaper, at its instance's location when it is variable.
    pub fn shaper<'a>(&'a self, font: &'a harfrust::FontRef<'a>) -> Shaper<'a> {
        self.shaper_data
            .shaper(font)
            .instance(self.instance.as_ref())
            .build()
    }

    /// Where in a variable font's design space this face is (default for a static font).
    pub fn location(&self) -> LocationRef<'_> {
        LocationRef::new(&self.location)
    }

    pub fn style(&self) -> Style {
        Style {
            weight: self.weight,
            stretch: self.stretch,
            italic: self.italic,
        }
    }

    /// The shape plan for `buffer`'s direction, script and language, made once.
    pub fn plan(&self, shaper: &Shaper<'_>, buffer: &UnicodeBuffer) -> Arc<ShapePlan> {
        // The buffer reports "no script" as UNKNOWN, which guessing never sets.
        let script = Some(buffer.script()).filter(|s| *s != harfrust::script::UNKNOWN);
        let key = (buffer.direction(), script, buffer.language());
        // Plans are inserted whole: a poisoned lock still holds a consistent map.
        let mut plans = self.plans.lock().unwrap_or_else(|p| p.into_inner());
        let plan = plans
            .entry(key)
            .or_insert_with_key(|(direction, script, language)| {
                Arc::new(ShapePlan::new(
                    shaper,
                    *direction,
                    *script,
                    language.as_ref(),
                    &[],
                ))
            });
        Arc::clone(plan)
    }

    /// Whether the face maps `c` to a glyph.
    pub fn has_char(&self, c: char) -> bool {
        self.charmap.map(c).is_some()
    }

    /// The scripts of the coverage self-check this face draws whole.
    pub fn scripts(&self) -> Vec<&'static str> {
        COVERAGE_PROBES
            .iter()
            .filter(|(_, probe)| probe.chars().all(|c| self.has_char(c)))
            .map(|(script, _)| *script)
            .collect()
    }

    /// A variable font's axes as `tag min–max` (`wght 100–900`); empty for a static font.
    pub fn axes(&self) -> Vec<String> {
        use skrifa::MetadataProvider;
        match skrifa::FontRef::from_index(self.data, self.face_index) {
            Ok(font) => font
                .axes()
                .iter()
                .map(|a| format!("{} {}–{}", a.tag(), a.min_value(), a.max_value()))
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// All faces plus the database usvg renders from. Cheap to share behind an `Arc`.
pub struct Fonts {
    pub faces: Vec<Face>,
    pub db: Arc<Database>,
    /// Digest of the fonts loaded from directories (empty when none).
    extra_digest: Vec<u8>,
}

/// Characters that show whether a script is covered, for the startup self-check.
const COVERAGE_PROBES: &[(&str, &str)] = &[
    ("Latin", "Aaẞ"),
    ("Vietnamese", "ạỹ"),
    ("Greek", "Ωλ"),
    ("Cyrillic", "Жя"),
    ("Thai", "กฎ๙"),
    ("Lao", "ກຮ"),
    ("Khmer", "កអ"),
    ("Myanmar", "ကအ"),
    ("Arabic", "عب"),
    ("Hebrew", "אש"),
    ("Devanagari", "कष"),
    ("Bengali", "কষ"),
    ("Tamil", "கஷ"),
    ("Chinese", "汉漢"),
    ("Japanese", "あア"),
    ("Korean", "한글"),
    ("Emoji", "🚀👩"),
];

#[derive(Debug, thiserror::Error)]
#[error("font directory {dir}: {source}")]
pub struct FontDirError {
    dir: String,
    source: std::io::Error,
}

impl Fonts {
    /// Loads the embedded fonts.
    pub fn embedded() -> Result<Fonts, FontError> {
        Fonts::from_sources(EMBEDDED.iter().map(|(n, d)| (n.to_string(), *d)))
    }

    /// Loads the embedded fonts, then every `.ttf`, `.otf`, `.ttc`, `.woff` and `.woff2` in
    /// `dirs` (sorted by path), which come after the embedded ones in fallback order and
    /// can be named in templates. Read (and decompressed) once at startup and kept for the
    /// life of the process.
    pub fn load(dirs: &[std::path::PathBuf]) -> Result<Fonts, crate::assets::AssetError> {
        let mut extra: Vec<(String, &'static [u8])> = Vec::new();
        for dir in dirs {
            let io = |source| FontDirError {
                dir: dir.display().to_string(),
                source,
            };
            let paths =
                crate::dirs::files_with_extensions(dir, &["ttf", "otf", "ttc", "woff", "woff2"])
                    .map_err(io)?;
            for path in paths {
                let bytes = sfnt(
                    &path.display().to_string(),
                    std::fs::read(&path).map_err(io)?,
                )?;
                // Fonts live as long as the process, like the embedded ones.
                extra.push((
                    path.display().to_string(),
                    Box::leak(bytes.into_boxed_slice()),
                ));
            }
        }
        let mut digest = <sha2::Sha256 as sha2::Digest>::new();
        for (name, data) in &extra {
            sha2::Digest::update(&mut digest, name.as_bytes());
            sha2::Digest::update(&mut digest, data);
        }
        let mut fonts = Fonts::from_sources(
            EMBEDDED
                .iter()
                .map(|(n, d)| (n.to_string(), *d))
                .chain(extra.clone()),
        )?;
        if !extra.is_empty() {
            fonts.extra_digest = sha2::Digest::finalize(digest).to_vec();
        }
        Ok(fonts)
    }

    /// For each script of the self-check, whether some face draws all its probe characters.
    pub fn coverage(&self) -> Vec<(&'static str, bool)> {
        COVERAGE_PROBES
            .iter()
            .map(|(script, probe)| {
                let covered = probe
                    .chars()
                    .all(|c| self.faces.iter().any(|f| f.has_char(c)));
                (*script, covered)
            })
            .collect()
    }

    /// Loads fonts from `(name, bytes)` pairs: the embedded files first, then those of font
    /// directories. Data is `'static`: fonts live as long as
    /// the process (extra font files are read once at startup and kept).
    fn from_sources(
        sources: impl IntoIterator<Item = (String, &'static [u8])>,
    ) -> Result<Fonts, FontError> {
        let mut db = Database::new();
        let mut faces = Vec::new();
        for (source, (name, data)) in sources.into_iter().enumerate() {
            let from_dir = source >= EMBEDDED.len();
            let ids = db.load_font_source(Source::Binary(Arc::new(data)));
            if ids.is_empty() {
                return Err(FontError::Unreadable(name));
            }
            for id in ids {
                let info = db
                    .face(id)
                    .ok_or_else(|| FontError::Unreadable(name.clone()))?;
                let family = info
                    .families
                    .iter()
                    .find(|f| f.1 == fontdb::Language::English_UnitedStates)
                    .or(info.families.first())
                    .map(|f| f.0.clone())
                    .ok_or_else(|| FontError::Unreadable(name.clone()))?;
                let face_index = info.index;
                let italic = info.style != fontdb::Style::Normal;
                let font = skrifa::FontRef::from_index(data, face_index)
                    .map_err(|_| FontError::Unparsable(name.clone()))?;
                let hr = harfrust::FontRef::from_index(data, face_index)
                    .map_err(|_| FontError::Unparsable(name.clone()))?;
                let color = [b"CBDT", b"COLR", b"sbix"]
                    .iter()
                    .any(|t| font.table_data(skrifa::Tag::new(t)).is_some());
                let png_bitmaps = color
                    && skrifa::bitmap::BitmapStrikes::new(&font).format()
                        == Some(skrifa::bitmap::BitmapFormat::Cbdt);
                let shaper_data = Arc::new(ShaperData::new(&hr));
                let charmap = font.charmap();
                let static_style = Style {
                    weight: info.weight.0,
                    stretch: STRETCHES[usize::from(info.stretch.to_number().clamp(1, 9)) - 1].1,
                    italic,
                };
                for (style, variations) in instances(&font, static_style) {
                    let location = font
                        .axes()
                        .location(variations.iter().map(|&(tag, value)| (tag, value)));
                    let coords = location.coords().to_vec();
                    let metrics = font.metrics(Size::unscaled(), LocationRef::new(&coords));
                    let upem = f32::from(metrics.units_per_em);
                    let instance = (!variations.is_empty())
                        .then(|| ShaperInstance::from_coords(&hr, coords.iter().copied()));
                    faces.push(Face {
                        name: format!("{family} {}", style_name(style)),
                        family: family.clone(),
                        weight: style.weight,
                        stretch: style.stretch,
                        italic,
                        location: coords,
                        variations,
                        instance,
                        color,
                        png_bitmaps,
                        id,
                        from_dir,
                        units_per_em: upem,
                        ascent: metrics.ascent / upem,
                        descent: -metrics.descent / upem,
                        data,
                        face_index,
                        shaper_data: Arc::clone(&shaper_data),
                        charmap: charmap.clone(),
                        plans: Mutex::default(),
                    });
                }
            }
        }
        Ok(Fonts {
            faces,
            db: Arc::new(db),
            extra_digest: Vec::new(),
        })
    }

    /// The faces to try for text set in `families` in `style`, best first: each listed
    /// family's closest faces, then every other family's closest faces in load order. This
    /// is the fallback order of layout and of usvg's resolver alike.
    pub fn fallback_chain(&self, families: &[String], style: Style) -> Vec<FaceIndex> {
        let mut chain = Vec::new();
        let push_family = |family: &str, chain: &mut Vec<FaceIndex>| {
            for best in self.closest_faces(family, style) {
                if !chain.contains(&best) {
                    chain.push(best);
                }
            }
        };
        for family in families {
            push_family(family, &mut chain);
        }
        // Monospaced CJK faces duplicate the proportional ones: only when asked for.
        let mut seen: Vec<&str> = Vec::new();
        for face in self.faces.iter().filter(|f| !f.family.contains("Mono CJK")) {
            if !seen.contains(&face.family.as_str()) {
                seen.push(&face.family);
                push_family(&face.family, &mut chain);
            }
        }
        chain
    }

    /// Moves the CJK face whose regional glyph forms suit `text` ahead of the other CJK
    /// faces in `chain`: the language's that `lang` names, else Japanese when the text has
    /// kana, Korean when it has Hangul, else Simplified Chinese.
    pub fn prefer_cjk_for(&self, chain: &mut [FaceIndex], text: &str, lang: Option<Lang>) {
        let region = match lang {
            Some(Lang::Japanese) => "JP",
            Some(Lang::Korean) => "KR",
            Some(Lang::SimplifiedChinese) => "SC",
            Some(Lang::TraditionalChinese) => "TC",
            Some(Lang::Thai) | None => Self::region_of(text),
        };
        let is_cjk = |i: &FaceIndex| self.faces[*i].family.starts_with("Noto Sans CJK ");
        let Some(first) = chain.iter().position(is_cjk) else {
            return;
        };
        if let Some(preferred) = chain
            .iter()
            .position(|&i| self.faces[i].family == format!("Noto Sans CJK {region}"))
        {
            chain[first..=preferred].rotate_right(1);
        }
    }

    /// The CJK region the characters of `text` suggest.
    fn region_of(text: &str) -> &'static str {
        if text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')) {
            "JP"
        } else if text.chars().any(|c| matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')) {
            "KR"
        } else {
            "SC"
        }
    }

    /// The face of `family` closest to `style` (see [`Fonts::closest_faces`]).
    pub fn closest_face(&self, family: &str, style: Style) -> Option<FaceIndex> {
        self.closest_faces(family, style).into_iter().next()
    }

    /// The faces of `family` closest to `style` (CSS font matching, simplified: width
    /// first, then style, then the smallest weight difference), in load order. Several
    /// when the family's files divide its characters between them, as web fonts come in
    /// subsets (`kanit-thai-700-normal.woff2`, `kanit-latin-700-normal.woff2`): each
    /// character then takes the first of them that has it, as a browser's `unicode-range`
    /// would choose.
    pub fn closest_faces(&self, family: &str, style: Style) -> Vec<FaceIndex> {
        let score = |f: &Face| {
            (
                ((f.stretch - style.stretch).abs() * 10.0) as u32,
                (f.italic != style.italic) as u32,
                f.weight.abs_diff(style.weight),
            )
        };
        let in_family = || {
            self.faces
                .iter()
                .enumerate()
                .filter(|(_, f)| f.family.eq_ignore_ascii_case(family))
        };
        let Some(best) = in_family().map(|(_, f)| score(f)).min() else {
            return Vec::new();
        };
        let best = || in_family().filter(|(_, f)| score(f) == best);
        // A family and style the operator brings replaces the embedded one.
        let from_dir = best().any(|(_, f)| f.from_dir);
        best()
            .filter(|(_, f)| f.from_dir == from_dir)
            .map(|(i, _)| i)
            .collect()
    }

    /// Feeds what identifies the font set to `hash` (for the version of every card's key): the
    /// build-time digest of the embedded files, and every face's name.
    pub fn hash_into(&self, hash: &mut impl sha2::Digest) {
        hash.update(EMBEDDED_FONTS_DIGEST);
        hash.update(&self.extra_digest);
        for face in &self.faces {
            hash.update(face.name.as_bytes());
            hash.update(face.face_index.to_le_bytes());
            for (axis, value) in &face.variations {
                hash.update(axis.as_bytes());
                hash.update(value.to_le_bytes());
            }
        }
    }

    /// The face fontdb knows as `id`: for a variable font, the instance nearest its
    /// default weight (usvg names faces by id alone).
    pub fn face_by_id(&self, id: ID) -> Option<&Face> {
        let weight = self.db.face(id).map_or(400, |info| info.weight.0);
        self.faces
            .iter()
            .filter(|f| f.id == id)
            .min_by_key(|f| f.weight.abs_diff(weight))
    }

    /// usvg's options with our resolver: fonts only from this set, and fallback that keeps
    /// the weight and style of the text (usvg's default fallback ignores weight).
    pub fn usvg_options(self: &Arc<Self>) -> usvg::Options<'static> {
        let fonts = Arc::clone(self);
        let mut options = usvg::Options {
            fontdb: Arc::clone(&self.db),
            resources_dir: None,
            ..usvg::Options::default()
        };
        options.font_resolver.select_fallback = Box::new(move |c, used, _db| {
            let base = fonts.face_by_id(*used.first()?)?;
            // The base's own family first: its other subset files hold the characters
            // the file usvg picked lacks.
            fonts
                .fallback_chain(std::slice::from_ref(&base.family), base.style())
                .into_iter()
                .map(|i| &fonts.faces[i])
                .find(|f| !used.contains(&f.id) && f.has_char(c))
                .map(|f| f.id)
        });
        options.image_href_resolver = usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            // Never read files: an href that is not a `data:` URI draws nothing.
            resolve_string: Box::new(|_href, _opts| None),
        };
        options
    }
}

/// The instances a face is loaded as: itself when static; for a variable font one per
/// weight in 100…900 and (with a `wdth` axis) per `font-stretch` keyword its axes span, as
/// `(style, [(axis, user value)])`. Text picks among them as among static faces.
fn instances(
    font: &skrifa::FontRef,
    static_style: Style,
) -> Vec<(Style, Vec<(&'static str, f32)>)> {
    let axis = |tag: &[u8; 4]| {
        font.axes()
            .iter()
            .find(|a| a.tag() == skrifa::Tag::new(tag))
            .map(|a| (a.min_value(), a.default_value(), a.max_value()))
    };
    let (wght, wdth) = (axis(b"wght"), axis(b"wdth"));
    if wght.is_none() && wdth.is_none() {
        return vec![(static_style, Vec::new())];
    }
    let within = |values: Vec<f32>, (min, default, max): (f32, f32, f32)| {
        let inside: Vec<f32> = values
            .into_iter()
            .filter(|v| (min..=max).contains(v))
            .collect();
        if inside.is_empty() {
            vec![default]
        } else {
            inside
        }
    };
    let weights = wght.map_or(vec![f32::from(static_style.weight)], |range| {
        within((1..=9).map(|k| k as f32 * 100.0).collect(), range)
    });
    let widths = wdth.map_or(vec![static_style.stretch], |range| {
        within(STRETCHES.iter().map(|s| s.1).collect(), range)
    });
    let mut out = Vec::new();
    for &stretch in &widths {
        for &weight in &weights {
            let mut variations = Vec::new();
            if wght.is_some() {
                variations.push(("wght", weight));
            }
            if wdth.is_some() {
                variations.push(("wdth", stretch));
            }
            let style = Style {
                weight: weight.round() as u16,
                stretch,
                italic: static_style.italic,
            };
            out.push((style, variations));
        }
    }
    out
}

fn style_name(style: Style) -> String {
    if style.stretch == 100.0 {
        weight_name(style.weight, style.italic)
    } else {
        // `semi-condensed` → `SemiCondensed`, as font names spell widths.
        let width: String = stretch_keyword(style.stretch)
            .split('-')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        format!("{width} {}", weight_name(style.weight, style.italic))
    }
}

fn weight_name(weight: u16, italic: bool) -> String {
    let w = match weight {
        0..=149 => "Thin",
        150..=249 => "ExtraLight",
        250..=349 => "Light",
        350..=449 => "Regular",
        450..=549 => "Medium",
        550..=649 => "SemiBold",
        650..=749 => "Bold",
        750..=849 => "ExtraBold",
        _ => "Black",
    };
    if italic {
        format!("{w} Italic")
    } else {
        w.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_load_with_their_names() {
        let fonts = Fonts::embedded().unwrap();
        let names: Vec<_> = fonts.faces.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names[..4],
            [
                "Noto Sans Thai Regular",
                "Noto Sans Thai Bold",
                "Noto Sans Regular",
                "Noto Sans Bold"
            ]
        );
        assert!(names.contains(&"Noto Sans CJK JP Bold"));
        assert!(names.contains(&"Noto Color Emoji Regular"));
        assert!(names.contains(&"Noto Sans Arabic Bold"));
    }

    #[test]
    fn fallback_chain_keeps_weight() {
        let fonts = Fonts::embedded().unwrap();
        let chain = fonts.fallback_chain(&["Noto Sans Thai".into()], Style::new(700, false));
        let names: Vec<_> = chain
            .iter()
            .map(|&i| fonts.faces[i].name.as_str())
            .collect();
        assert_eq!(names[..2], ["Noto Sans Thai Bold", "Noto Sans Bold"]);
        // Bold everywhere but the emoji face, which has one weight.
        assert!(
            names
                .iter()
                .all(|n| n.ends_with(" Bold") || n.starts_with("Noto Color Emoji")),
            "{names:?}"
        );
        let chain = fonts.fallback_chain(&[], Style::new(400, false));
        assert_eq!(fonts.faces[chain[1]].name, "Noto Sans Regular");
    }

    #[test]
    fn the_bundled_set_covers_every_probed_script() {
        let fonts = Fonts::embedded().unwrap();
        let missing: Vec<_> = fonts.coverage().into_iter().filter(|(_, ok)| !ok).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn cjk_region_follows_the_text_unless_lang_names_one() {
        let fonts = Fonts::embedded().unwrap();
        let region_for = |text: &str, lang: Option<Lang>| {
            let mut chain = fonts.fallback_chain(&["Noto Sans".into()], Style::new(700, false));
            fonts.prefer_cjk_for(&mut chain, text, lang);
            let first = chain
                .iter()
                .find(|&&i| fonts.faces[i].family.starts_with("Noto Sans CJK"));
            fonts.faces[*first.unwrap()].family.clone()
        };
        let region = |text: &str| region_for(text, None);
        assert_eq!(region("オープンソース革命"), "Noto Sans CJK JP");
        assert_eq!(region("오픈소스 혁명"), "Noto Sans CJK KR");
        assert_eq!(region("开源革命"), "Noto Sans CJK SC");
        // Kanji-only Japanese looks Chinese: `lang` says what it is.
        assert_eq!(
            region_for("東京大会", Some(Lang::Japanese)),
            "Noto Sans CJK JP"
        );
        assert_eq!(
            region_for("電影", Some(Lang::TraditionalChinese)),
            "Noto Sans CJK TC"
        );
        assert_eq!(region_for("대회", Some(Lang::Thai)), "Noto Sans CJK KR");
    }

    #[test]
    fn woff_is_known_by_its_signature_and_bounded_before_decompressing() {
        let ttf = EMBEDDED[0].1.to_vec();
        assert_eq!(
            sfnt("a.woff2", ttf.clone()).unwrap(),
            ttf,
            "sfnt passes through"
        );
        let mut header = b"wOF2\0\x01\0\0\0\0\0\x30\0\x01\0\0".to_vec();
        assert!(matches!(
            sfnt("t.woff2", header.clone()),
            Err(FontError::Woff(..))
        ));
        header.extend_from_slice(&u32::MAX.to_be_bytes());
        let err = sfnt("bomb.woff2", header).unwrap_err().to_string();
        assert!(
            err.contains("bomb.woff2") && err.contains("more than"),
            "{err}"
        );
        let mut junk = b"wOFF".to_vec();
        junk.extend_from_slice(&[0; 40]);
        assert!(sfnt("junk.woff", junk).is_err());
    }

    #[test]
    fn stretch_keywords_round_trip() {
        for (keyword, percent) in STRETCHES {
            assert_eq!(stretch_keyword(percent), keyword);
        }
        assert_eq!(stretch_keyword(80.0), "condensed");
    }

    #[test]
    fn thai_font_lacks_latin_so_fallback_is_normal() {
        let fonts = Fonts::embedded().unwrap();
        let thai = &fonts.faces[fonts
            .closest_face("Noto Sans Thai", Style::new(700, false))
            .unwrap()];
        assert!(thai.has_char('ก'));
        assert!(!thai.has_char('D'));
    }
}
