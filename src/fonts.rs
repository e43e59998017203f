//! The font set: every face the service may draw with, loaded once at startup.
//!
//! Owns the embedded fonts, one shared `fontdb::Database` for usvg, and per face the
//! harfrust shaper data and metrics our layout measures with. Knows nothing of templates
//! or HTTP. System fonts are never loaded, so a card renders the same on every machine.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fontdb::{Database, Source, ID};
use harfrust::{Direction, Language, Script, ShapePlan, Shaper, ShaperData, UnicodeBuffer};
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

include!(concat!(env!("OUT_DIR"), "/fonts_digest.rs"));

/// The fonts compiled into the binary: `(file name, bytes)`, in fallback order after a
/// template's own families. See `fonts/README.md`.
macro_rules! embedded {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_bytes!(concat!("../fonts/", $file)))),*]
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
    pub italic: bool,
    /// Colour glyphs (CBDT, COLR or sbix): preferred for emoji presentation.
    pub color: bool,
    /// Colour glyphs are PNG bitmaps in a CBDT table (Noto Color Emoji): drawn from cached
    /// sprites rather than through usvg.
    pub png_bitmaps: bool,
    pub id: ID,
    pub units_per_em: f32,
    /// Ascent and descent (positive, down) in em, as usvg reads them.
    pub ascent: f32,
    pub descent: f32,
    data: &'static [u8],
    face_index: u32,
    shaper_data: ShaperData,
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

    pub fn shaper_data(&self) -> &ShaperData {
        &self.shaper_data
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

    /// Loads the embedded fonts, then every `.ttf`, `.otf` and `.ttc` in `dirs` (sorted by
    /// path), which come after the embedded ones in fallback order and can be named in
    /// templates. Read once at startup and kept for the life of the process.
    pub fn load(dirs: &[std::path::PathBuf]) -> Result<Fonts, crate::render::AssetError> {
        let mut extra: Vec<(String, &'static [u8])> = Vec::new();
        for dir in dirs {
            let io = |source| FontDirError {
                dir: dir.display().to_string(),
                source,
            };
            let paths =
                crate::dirs::files_with_extensions(dir, &["ttf", "otf", "ttc"]).map_err(io)?;
            for path in paths {
                let bytes = std::fs::read(&path).map_err(io)?;
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

    /// Loads fonts from `(name, bytes)` pairs. Data is `'static`: fonts live as long as
    /// the process (extra font files are read once at startup and kept).
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, &'static [u8])>,
    ) -> Result<Fonts, FontError> {
        let mut db = Database::new();
        let mut faces = Vec::new();
        for (name, data) in sources {
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
                let weight = info.weight.0;
                let italic = info.style != fontdb::Style::Normal;

                let font = skrifa::FontRef::from_index(data, face_index)
                    .map_err(|_| FontError::Unparsable(name.clone()))?;
                let metrics = font.metrics(Size::unscaled(), LocationRef::default());
                let color = [b"CBDT", b"COLR", b"sbix"]
                    .iter()
                    .any(|t| font.table_data(skrifa::Tag::new(t)).is_some());
                let upem = f32::from(metrics.units_per_em);
                let hr = harfrust::FontRef::from_index(data, face_index)
                    .map_err(|_| FontError::Unparsable(name.clone()))?;
                let png_bitmaps = color
                    && skrifa::bitmap::BitmapStrikes::new(&font).format()
                        == Some(skrifa::bitmap::BitmapFormat::Cbdt);
                faces.push(Face {
                    name: format!("{family} {}", weight_name(weight, italic)),
                    family,
                    weight,
                    italic,
                    color,
                    png_bitmaps,
                    id,
                    units_per_em: upem,
                    ascent: metrics.ascent / upem,
                    descent: -metrics.descent / upem,
                    data,
                    face_index,
                    shaper_data: ShaperData::new(&hr),
                    charmap: font.charmap(),
                    plans: Mutex::default(),
                });
            }
        }
        Ok(Fonts {
            faces,
            db: Arc::new(db),
            extra_digest: Vec::new(),
        })
    }

    /// The faces to try for text set in `families` at `weight`/`italic`, best first:
    /// each listed family's closest face, then every other family's closest face in load
    /// order. This is the fallback order of layout and of usvg's resolver alike.
    pub fn fallback_chain(&self, families: &[String], weight: u16, italic: bool) -> Vec<FaceIndex> {
        let mut chain = Vec::new();
        let push_family = |family: &str, chain: &mut Vec<FaceIndex>| {
            if let Some(best) = self.closest_face(family, weight, italic) {
                if !chain.contains(&best) {
                    chain.push(best);
                }
            }
        };
        for family in families {
            push_family(family, &mut chain);
        }
        // Monospaced CJK faces duplicate the proportional ones: only when asked for.
        for face in self.faces.iter().filter(|f| !f.family.contains("Mono CJK")) {
            push_family(&face.family, &mut chain);
        }
        chain
    }

    /// Moves the CJK face whose regional glyph forms suit `text` ahead of the other CJK
    /// faces in `chain`: Japanese when it has kana, Korean when it has Hangul, else
    /// Simplified Chinese.
    pub fn prefer_cjk_for(&self, chain: &mut [FaceIndex], text: &str) {
        let region = if text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')) {
            "JP"
        } else if text.chars().any(|c| matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')) {
            "KR"
        } else {
            "SC"
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

    /// The face of `family` closest to the requested weight and style (CSS font matching,
    /// simplified: style first, then the smallest weight difference).
    pub fn closest_face(&self, family: &str, weight: u16, italic: bool) -> Option<FaceIndex> {
        self.faces
            .iter()
            .enumerate()
            .filter(|(_, f)| f.family.eq_ignore_ascii_case(family))
            .min_by_key(|(_, f)| ((f.italic != italic) as u32, f.weight.abs_diff(weight)))
            .map(|(i, _)| i)
    }

    /// Feeds what identifies the font set to `hash` (for the assets' version): the
    /// build-time digest of the embedded files, and every face's name.
    pub fn hash_into(&self, hash: &mut impl sha2::Digest) {
        hash.update(EMBEDDED_FONTS_DIGEST);
        hash.update(&self.extra_digest);
        for face in &self.faces {
            hash.update(face.name.as_bytes());
            hash.update(face.face_index.to_le_bytes());
        }
    }

    pub fn face_by_id(&self, id: ID) -> Option<&Face> {
        self.faces.iter().find(|f| f.id == id)
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
            fonts
                .fallback_chain(&[], base.weight, base.italic)
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
        let chain = fonts.fallback_chain(&["Noto Sans Thai".into()], 700, false);
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
        let chain = fonts.fallback_chain(&[], 400, false);
        assert_eq!(fonts.faces[chain[1]].name, "Noto Sans Regular");
    }

    #[test]
    fn the_bundled_set_covers_every_probed_script() {
        let fonts = Fonts::embedded().unwrap();
        let missing: Vec<_> = fonts.coverage().into_iter().filter(|(_, ok)| !ok).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn cjk_region_follows_the_text() {
        let fonts = Fonts::embedded().unwrap();
        let region = |text: &str| {
            let mut chain = fonts.fallback_chain(&["Noto Sans".into()], 700, false);
            fonts.prefer_cjk_for(&mut chain, text);
            let first = chain
                .iter()
                .find(|&&i| fonts.faces[i].family.starts_with("Noto Sans CJK"));
            fonts.faces[*first.unwrap()].family.clone()
        };
        assert_eq!(region("オープンソース革命"), "Noto Sans CJK JP");
        assert_eq!(region("오픈소스 혁명"), "Noto Sans CJK KR");
        assert_eq!(region("开源革命"), "Noto Sans CJK SC");
    }

    #[test]
    fn thai_font_lacks_latin_so_fallback_is_normal() {
        let fonts = Fonts::embedded().unwrap();
        let thai = &fonts.faces[fonts.closest_face("Noto Sans Thai", 700, false).unwrap()];
        assert!(thai.has_char('ก'));
        assert!(!thai.has_char('D'));
    }
}
