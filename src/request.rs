//! The query string → a validated [`CardRequest`], once, at the edge.
//!
//! Owns decoding (`application/x-www-form-urlencoded`: `+` is a space, `%XX` is a UTF-8
//! byte, raw UTF-8 is accepted as is), text normalisation and parameter validation.
//! Knows nothing of HTTP status codes, fonts or pixels: downstream code only ever sees a
//! `CardRequest`.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::percent_decode;
use unicode_normalization::UnicodeNormalization;

/// Output formats of `/api/og`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Png,
    /// Lossy, at `CardRequest::quality`.
    Jpeg,
    /// Lossless WebP.
    Webp,
    Svg,
    Json,
}

impl Format {
    fn parse(s: &str) -> Option<Format> {
        match s {
            "png" => Some(Format::Png),
            "jpeg" | "jpg" => Some(Format::Jpeg),
            "webp" => Some(Format::Webp),
            "svg" => Some(Format::Svg),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Webp => "webp",
            Format::Svg => "svg",
            Format::Json => "json",
        }
    }

    /// The `Content-Type` of a response in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
            Format::Svg => "image/svg+xml",
            Format::Json => "application/json",
        }
    }
}

/// A normalised text parameter: NFC, no control characters, white space collapsed to
/// single spaces, trimmed. May be empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Text(String);

impl Text {
    pub fn new(raw: &str) -> Text {
        Text(normalize(raw))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One card to render: everything the render pipeline needs, already validated.
///
/// Two requests that are equal render to the same bytes, so [`CardRequest::cache_key`]
/// identifies a card.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CardRequest {
    pub title: Text,
    pub site: Text,
    pub description: Text,
    pub author: Text,
    /// Shown as given (e.g. `2026-11-29` or `29 พ.ย. 2569`).
    pub date: Text,
    /// From a comma list; empty items dropped.
    pub tags: Vec<Text>,
    /// `dark` or `light`: picks the template's counterpart for that theme, if it has one.
    pub theme: Option<Theme>,
    /// `#rrggbb`, lower case: paints the template's accent elements.
    pub accent: Option<String>,
    /// The language `lang` names, when it is one whose glyphs or line breaks differ
    /// (Japanese, Chinese, Korean, Thai); `None`: the text's characters decide.
    pub lang: Option<Lang>,
    pub template: String,
    pub format: Format,
    /// JPEG quality, 1–100; only `Format::Jpeg` uses it.
    pub quality: u8,
    pub dpr: Dpr,
    /// Which of the template's designs: `og` (1200×630), `x`, `square`, `kakao`.
    pub size: Size,
    /// Draw the layout over the card: slot boxes, line boxes, break opportunities.
    pub debug: bool,
    /// Picture URLs by slot, in [`PICTURES`] order (`image`, `avatar`, `logo`): absolute
    /// `http(s)` URLs in normalised form. Whether they may be fetched is the server's
    /// question (its `--image-sources`), not this parse's.
    pub pictures: [Option<String>; 3],
}

/// The picture parameters, which are also the names of the picture slots that show them.
pub const PICTURES: [&str; 3] = ["image", "avatar", "logo"];
/// The longest picture URL accepted, in bytes.
pub const MAX_PICTURE_URL_BYTES: usize = 2048;

/// The card sizes platforms show (`size`): each a template draws as its own file,
/// `NAME.SIZE.svg` beside `NAME.svg` (which is `og`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Size {
    /// 1200×630: Open Graph, what Facebook, LinkedIn, Slack, Discord, WhatsApp show.
    #[default]
    Og,
    /// 1200×600: X's `summary_large_image` (2:1).
    X,
    /// 1200×1200: square thumbnails (WhatsApp, LINE) and listing pages.
    Square,
    /// 800×400: KakaoTalk's crop.
    Kakao,
}

impl Size {
    pub const ALL: [Size; 4] = [Size::Og, Size::X, Size::Square, Size::Kakao];
    pub const ALLOWED: &'static str = "og, x, square or kakao";

    pub fn as_str(self) -> &'static str {
        match self {
            Size::Og => "og",
            Size::X => "x",
            Size::Square => "square",
            Size::Kakao => "kakao",
        }
    }

    pub fn parse(s: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|size| size.as_str() == s)
    }

    /// The canvas a built-in template of this size has, in CSS pixels.
    pub fn pixels(self) -> (u32, u32) {
        match self {
            Size::Og => (1200, 630),
            Size::X => (1200, 600),
            Size::Square => (1200, 1200),
            Size::Kakao => (800, 400),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Theme {
    Dark,
    Light,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
        }
    }
}

/// A language whose regional glyphs or line breaking differ from what its characters
/// alone suggest: a kanji-only title is Japanese only if the request says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Japanese,
    SimplifiedChinese,
    TraditionalChinese,
    Korean,
    Thai,
}

/// The longest `lang` value: BCP 47 tags people write are far shorter.
const MAX_LANG_BYTES: usize = 35;

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Japanese => "ja",
            Lang::SimplifiedChinese => "zh-Hans",
            Lang::TraditionalChinese => "zh-Hant",
            Lang::Korean => "ko",
            Lang::Thai => "th",
        }
    }

    /// A BCP 47 language tag (`ja`, `zh-Hant`, `zh-TW`, `en-US`; any case, `-` or `_`)
    /// → the language it names, `None` for one this service draws no differently (`en`);
    /// `Err` for what is no tag. Chinese is Traditional with the `Hant` script or the
    /// regions TW, HK, MO, else Simplified.
    pub fn parse(tag: &str) -> Result<Option<Lang>, ParamError> {
        let subtags: Vec<&str> = tag.split(['-', '_']).collect();
        let well_formed = tag.len() <= MAX_LANG_BYTES
            && subtags[0].len() >= 2
            && subtags[0].len() <= 3
            && subtags[0].bytes().all(|b| b.is_ascii_alphabetic())
            && subtags.iter().all(|t| {
                !t.is_empty() && t.len() <= 8 && t.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !well_formed {
            return Err(ParamError::BadLang(tag.to_string()));
        }
        let has = |want: &str| subtags[1..].iter().any(|t| t.eq_ignore_ascii_case(want));
        Ok(match subtags[0].to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Japanese),
            "ko" => Some(Lang::Korean),
            "th" => Some(Lang::Thai),
            "zh" if has("hant") || has("tw") || has("hk") || has("mo") => {
                Some(Lang::TraditionalChinese)
            }
            "zh" => Some(Lang::SimplifiedChinese),
            _ => None,
        })
    }
}

/// JPEG quality when a request names none.
pub const DEFAULT_QUALITY: u8 = 85;

/// Device pixel ratio (`dpr`, as imgix and Cloudinary name it): the card is drawn at its
/// template's size times this, text and shapes at that resolution. Layout is the same at
/// every ratio: the same lines, a sharper picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Dpr {
    /// The ratio in halves: 1 is 0.5, 2 is 1, 6 is 3.
    halves: u8,
}

impl Dpr {
    pub const ONE: Dpr = Dpr { halves: 2 };
    /// The ratios a request may ask for, as written in the error for any other.
    pub const ALLOWED: &'static str = "0.5, 1, 1.5, 2 or 3";

    /// `0.5`, `1`, `1.5`, `2` or `3` (also written `2.0`, `.5`, …); nothing else.
    fn parse(s: &str) -> Option<Dpr> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        let v: f32 = s.parse().ok()?;
        [1u8, 2, 3, 4, 6]
            .into_iter()
            .find(|&h| f32::from(h) / 2.0 == v)
            .map(|halves| Dpr { halves })
    }

    pub fn factor(self) -> f32 {
        f32::from(self.halves) / 2.0
    }

    /// `width × height` pixels at this ratio (rounded, at least 1).
    pub fn pixels(self, width: u32, height: u32) -> (u32, u32) {
        let at = |v: u32| ((u64::from(v) * u64::from(self.halves)).div_ceil(2) as u32).max(1);
        (at(width), at(height))
    }
}

impl fmt::Display for Dpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.factor())
    }
}

impl CardRequest {
    /// Bytes of text the request carries, in every text parameter: what layout's work is
    /// bounded by.
    pub fn text_bytes(&self) -> usize {
        let texts = [
            &self.title,
            &self.site,
            &self.description,
            &self.author,
            &self.date,
        ];
        texts
            .into_iter()
            .chain(&self.tags)
            .map(|t| t.as_str().len())
            .sum()
    }

    /// The canonical form of this request: equal for requests that render the same card,
    /// whatever order or encoding their query used. Unknown parameters are not part of it.
    pub fn cache_key(&self) -> String {
        // `\n` cannot occur in a normalised text, so the fields cannot run into each other.
        // Quality only matters to JPEG: other formats share one key whatever it says.
        let quality = if self.format == Format::Jpeg {
            self.quality
        } else {
            0
        };
        let tags: Vec<&str> = self.tags.iter().map(Text::as_str).collect();
        // A URL holds no `\n` (the parser drops it), so neither can run into the next.
        let pictures: Vec<&str> = self
            .pictures
            .iter()
            .map(|p| p.as_deref().unwrap_or(""))
            .collect();
        format!(
            "{}\n{}\n{}\n{quality}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.template,
            self.size.as_str(),
            self.format.as_str(),
            self.dpr,
            u8::from(self.debug),
            self.title,
            self.site,
            self.description,
            self.author,
            self.date,
            // A tag cannot hold `,` (it separates them), so the join is unambiguous.
            tags.join(","),
            self.theme.map_or("", Theme::as_str),
            self.accent.as_deref().unwrap_or(""),
            self.lang.map_or("", Lang::as_str),
            pictures.join("\n")
        )
    }

    /// The URL the request gives for picture slot `slot` (`image`, `avatar`, `logo`).
    pub fn picture(&self, slot: &str) -> Option<&str> {
        let i = PICTURES.iter().position(|p| *p == slot)?;
        self.pictures[i].as_deref()
    }
}

/// A value a client sent, as an error quotes it: its first 64 characters, `…` after them
/// when there were more, so a long bad value gets a short error.
fn clip(value: &str) -> String {
    match value.char_indices().nth(64) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
}

/// What is wrong with a query, in words a client can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParamError {
    #[error("parameter `{0}` is not valid UTF-8 after percent-decoding")]
    NotUtf8(&'static str),
    #[error("unknown format `{}` (expected png, jpeg, webp, svg or json)", clip(.0))]
    UnknownFormat(String),
    #[error("template name `{}` is invalid", clip(.0))]
    BadTemplateName(String),
    #[error("theme `{}` is not dark or light", clip(.0))]
    BadTheme(String),
    #[error("lang `{}` is not a language tag (ja, zh-Hans, zh-Hant, ko, th, en, …)", clip(.0))]
    BadLang(String),
    #[error("accent `{}` is not a hex colour (#rgb or #rrggbb)", clip(.0))]
    BadAccent(String),
    #[error("too many tags (at most {0})")]
    TooManyTags(usize),
    #[error("quality `{}` is not a whole number from 1 to 100", clip(.0))]
    BadQuality(String),
    #[error("dpr `{}` is not {allowed}", clip(.0), allowed = Dpr::ALLOWED)]
    BadDpr(String),
    #[error("size `{}` is not {allowed}", clip(.0), allowed = Size::ALLOWED)]
    BadSize(String),
    #[error("debug `{}` is not 0 or 1", clip(.0))]
    BadDebug(String),
    #[error("parameter `{0}` is longer than {1} characters")]
    TooLong(&'static str, usize),
    #[error("parameter `{0}` is not an absolute http(s) URL: {1}")]
    BadPictureUrl(&'static str, String),
}

/// Defaults a request falls back on when a parameter is missing or empty.
#[derive(Clone, Debug)]
pub struct Defaults {
    pub title: Text,
    pub site: Text,
    pub template: String,
}

/// The longest title accepted, in characters after normalisation; longer is a 400.
/// (Titles that fit this cap but not the card are cut with `…` by layout.)
pub const MAX_TITLE_CHARS: usize = 1000;
/// The longest site label accepted, in characters after normalisation.
pub const MAX_SITE_CHARS: usize = 200;
/// The longest description, author, date and single tag accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MAX_AUTHOR_CHARS: usize = 100;
pub const MAX_DATE_CHARS: usize = 40;
pub const MAX_TAG_CHARS: usize = 40;
/// At most this many tags.
pub const MAX_TAGS: usize = 10;
/// Combining marks kept on one base character; more are dropped (a "Zalgo" flood of
/// hundreds of marks would otherwise draw a tower outside the card).
pub const MAX_MARKS_PER_BASE: usize = 8;

/// The parameters `/api/og` knows, in canonical (sorted) order. Anything else is ignored.
const KNOWN: [&str; 18] = [
    "accent",
    "author",
    "avatar",
    "date",
    "debug",
    "description",
    "dpr",
    "format",
    "image",
    "lang",
    "logo",
    "quality",
    "site",
    "size",
    "tags",
    "template",
    "theme",
    "title",
];

/// The known parameters of a query, decoded (the last occurrence of each wins, like most
/// form decoders), text ones normalised.
fn known_params(query: &str) -> Result<[Option<String>; 18], ParamError> {
    let mut values: [Option<String>; 18] = Default::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        // Unknown (or undecodable) names are ignored: they do not change the card.
        let Some(i) = decode_component(name)
            .ok()
            .and_then(|n| KNOWN.iter().position(|k| *k == n))
        else {
            continue;
        };
        let value = decode_component(value).map_err(|_| ParamError::NotUtf8(KNOWN[i]))?;
        values[i] = Some(match KNOWN[i] {
            "title" | "site" | "description" | "author" | "date" | "tags" => normalize(&value),
            _ => value,
        });
    }
    Ok(values)
}

/// Parses a raw query string (the part after `?`, still percent-encoded) into a request.
pub fn parse_query(query: &str, defaults: &Defaults) -> Result<CardRequest, ParamError> {
    let [accent, author, avatar, date, debug, description, dpr, format, image, lang, logo, quality, site, size, tags, template, theme, title] =
        known_params(query)?;
    let title = title.filter(|t| !t.is_empty()).map(Text);
    let site = site.map(Text);
    let capped = |name: &'static str, value: Option<String>, max: usize| match value {
        Some(v) if v.chars().count() > max => Err(ParamError::TooLong(name, max)),
        v => Ok(v.map(Text)),
    };
    let description = capped("description", description, MAX_DESCRIPTION_CHARS)?;
    let author = capped("author", author, MAX_AUTHOR_CHARS)?;
    let date = capped("date", date, MAX_DATE_CHARS)?;
    for (name, text, max) in [
        ("title", &title, MAX_TITLE_CHARS),
        ("site", &site, MAX_SITE_CHARS),
    ] {
        if text.as_ref().is_some_and(|t| t.0.chars().count() > max) {
            return Err(ParamError::TooLong(name, max));
        }
    }
    let tags: Vec<Text> = tags
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| capped("tags", Some(t.to_string()), MAX_TAG_CHARS).map(|t| t.unwrap_or_default()))
        .collect::<Result<_, _>>()?;
    if tags.len() > MAX_TAGS {
        return Err(ParamError::TooManyTags(MAX_TAGS));
    }
    let theme = match theme.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some("dark") => Some(Theme::Dark),
        Some("light") => Some(Theme::Light),
        Some(other) => return Err(ParamError::BadTheme(other.to_string())),
    };
    let lang = match lang.filter(|l| !l.is_empty()) {
        None => None,
        Some(tag) => Lang::parse(&tag)?,
    };
    let accent = match accent.filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(parse_hex_colour(&a).ok_or(ParamError::BadAccent(a))?),
    };
    let template = match template.filter(|t| !t.is_empty()) {
        None => defaults.template.clone(),
        Some(name) if is_template_name(&name) => name,
        Some(name) => return Err(ParamError::BadTemplateName(name)),
    };
    let format = match format.filter(|f| !f.is_empty()) {
        None => Format::Png,
        Some(f) => Format::parse(&f).ok_or(ParamError::UnknownFormat(f))?,
    };

    let quality = match quality.filter(|q| !q.is_empty()) {
        None => DEFAULT_QUALITY,
        Some(q) => q
            .parse::<u8>()
            .ok()
            .filter(|q| (1..=100).contains(q))
            .ok_or(ParamError::BadQuality(q))?,
    };
    let dpr = match dpr.filter(|d| !d.is_empty()) {
        None => Dpr::ONE,
        Some(d) => Dpr::parse(&d).ok_or(ParamError::BadDpr(d))?,
    };
    let size = match size.filter(|s| !s.is_empty()) {
        None => Size::Og,
        Some(s) => Size::parse(&s).ok_or(ParamError::BadSize(s))?,
    };
    let debug = match debug.as_deref() {
        None | Some("" | "0") => false,
        Some("1") => true,
        Some(other) => return Err(ParamError::BadDebug(other.to_string())),
    };

    let mut pictures: [Option<String>; 3] = Default::default();
    for (i, value) in [image, avatar, logo].into_iter().enumerate() {
        pictures[i] = picture_url(PICTURES[i], value)?;
    }

    Ok(CardRequest {
        title: title.unwrap_or_else(|| defaults.title.clone()),
        site: site.unwrap_or_else(|| defaults.site.clone()),
        description: description.unwrap_or_default(),
        author: author.unwrap_or_default(),
        date: date.unwrap_or_default(),
        tags,
        theme,
        accent,
        lang,
        template,
        format,
        quality,
        dpr,
        size,
        debug,
        pictures,
    })
}

/// A picture parameter's URL in normalised form (`None` when absent or empty).
fn picture_url(name: &'static str, value: Option<String>) -> Result<Option<String>, ParamError> {
    let Some(raw) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let bad = |why: &str| ParamError::BadPictureUrl(name, why.to_string());
    if raw.len() > MAX_PICTURE_URL_BYTES {
        return Err(ParamError::TooLong(name, MAX_PICTURE_URL_BYTES));
    }
    let url = url::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(&format!("scheme `{}`", url.scheme())));
    }
    if url.host().is_none() {
        return Err(bad("no host"));
    }
    let mut url = url;
    // The fragment never reaches the server: two URLs that differ only there are one picture.
    url.set_fragment(None);
    Ok(Some(url.to_string()))
}

/// The query the server would receive for these parameters: the CLI goes through the
/// same parser, so it validates and normalises exactly as /api/og does.
pub fn query_of(params: &[(&str, &str)]) -> String {
    let mut q = String::new();
    for (name, value) in params {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(name);
        q.push('=');
        q.extend(percent_encoding::utf8_percent_encode(
            value,
            percent_encoding::NON_ALPHANUMERIC,
        ));
    }
    q
}

/// The form of a query that URL signatures cover: the known parameters present, decoded
/// and normalised, sorted by name, re-encoded (`%XX` for all but RFC 3986 unreserved
/// characters). Two spellings of the same request (raw UTF-8 or `%XX`, `+` or `%20`,
/// another order, extra tracking parameters) have the same canonical query.
pub fn canonical_query(query: &str) -> Result<String, ParamError> {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let values = known_params(query)?;
    Ok(KNOWN
        .iter()
        .zip(values)
        .filter_map(|(name, v)| Some((name, v?)))
        .map(|(name, v)| {
            format!(
                "{name}={}",
                percent_encoding::utf8_percent_encode(&v, RESERVED)
            )
        })
        .collect::<Vec<_>>()
        .join("&"))
}

/// `#rgb`, `#rrggbb`, `rgb` or `rrggbb` → `#rrggbb` in lower case.
fn parse_hex_colour(s: &str) -> Option<String> {
    let hex = s.strip_prefix('#').unwrap_or(s);
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    Some(format!("#{}", full.to_ascii_lowercase()))
}

/// A template name is a short identifier: it never becomes a path.
pub fn is_template_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Decodes one form-urlencoded component: `+` → space, then `%XX` → byte, then UTF-8.
fn decode_component(raw: &str) -> Result<String, std::str::Utf8Error> {
    let plus_decoded: Cow<'_, str> = if raw.contains('+') {
        Cow::Owned(raw.replace('+', " "))
    } else {
        Cow::Borrowed(raw)
    };
    let bytes: Cow<'_, [u8]> = percent_decode(plus_decoded.as_bytes()).into();
    Ok(std::str::from_utf8(&bytes)?.to_owned())
}

/// NFC, then what is kept of each character:
/// - white space: runs collapse to one space; the text is trimmed;
/// - dropped: control characters, noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …: XML
///   cannot carry them), and default-ignorable and invisible format characters (bidi
///   controls, U+180E, U+1D173…, fillers, tags, soft hyphens, word joiners): they draw
///   nothing, so a flood of them would be free text for layout to chew on;
/// - kept where they act, at most one per gap: ZWJ and ZWNJ between two visible
///   characters (emoji sequences, Indic conjuncts), ZWSP between two visible characters
///   (a word boundary in Thai, Khmer and Burmese text), one variation selector right
///   after a visible character, and emoji tag sequences after 🏴 (U+1F3F4, the flags of
///   England, Scotland, Wales);
/// - combining marks past [`MAX_MARKS_PER_BASE`] on one character are dropped.
///
/// So every kept invisible character sits next to a visible one: the text's width grows
/// with its length, which is what keeps layout's work linear in it.
fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    // A joiner waiting for the visible character it joins to.
    let mut pending_joiner: Option<char> = None;
    let mut marks = 0;
    // What the last kept character was.
    let mut last = Kept::Nothing;
    for c in raw.nfc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            pending_joiner = None;
            marks = 0;
            last = Kept::Nothing;
            continue;
        }
        if c.is_control() || is_noncharacter(c) {
            continue;
        }
        match c {
            '\u{200B}'..='\u{200D}' => {
                if last != Kept::Nothing && pending_joiner.is_none() {
                    pending_joiner = Some(c);
                }
                continue;
            }
            '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
            | '\u{180B}'..='\u{180D}'
            | '\u{180F}' => {
                if matches!(last, Kept::Visible | Kept::Mark) && pending_joiner.is_none() {
                    out.push(c);
                    last = Kept::Selector;
                }
                continue;
            }
            '\u{E0020}'..='\u{E007F}' => {
                if let Kept::Tag(n) = last {
                    if n < MAX_TAGS_IN_SEQUENCE && pending_joiner.is_none() {
                        out.push(c);
                        last = if c == '\u{E007F}' {
                            Kept::Selector
                        } else {
                            Kept::Tag(n + 1)
                        };
                    }
                }
                continue;
            }
            _ if is_default_ignorable(c) => continue,
            _ => {}
        }
        if unicode_normalization::char::is_combining_mark(c) {
            marks += 1;
            if marks > MAX_MARKS_PER_BASE {
                continue;
            }
        } else {
            marks = 0;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if let Some(joiner) = pending_joiner.take() {
            out.push(joiner);
        }
        out.push(c);
        last = if c == '\u{1F3F4}' {
            Kept::Tag(0)
        } else if marks > 0 {
            Kept::Mark
        } else {
            Kept::Visible
        };
    }
    out
}

/// The longest emoji tag sequence kept after 🏴: a region code (`gbsct`) and its end.
const MAX_TAGS_IN_SEQUENCE: u8 = 7;

/// What `normalize` kept last, for the invisible characters that depend on it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kept {
    /// Nothing yet, or a space.
    Nothing,
    Visible,
    Mark,
    /// A variation selector, or the end of a tag sequence: nothing more attaches.
    Selector,
    /// 🏴 or its tags so far (how many).
    Tag(u8),
}

/// Unicode noncharacters: U+FDD0–U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// Unicode's `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt, Unicode 16), plus
/// the interlinear annotation controls U+FFF9–U+FFFB, which draw nothing either.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
        | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            title: Text::new("Default"),
            site: Text::new("example.com"),
            template: "default".into(),
        }
    }

    #[test]
    fn decodes_plus_percent_and_raw_utf8_alike() {
        let d = defaults();
        let a = parse_query("title=%E0%B8%81%E0%B8%B2%E0%B8%A3+AI", &d).unwrap();
        let b = parse_query("title=การ%20AI", &d).unwrap();
        let c = parse_query("title=การ AI", &d).unwrap();
        assert_eq!(a.title.as_str(), "การ AI");
        assert_eq!(a, b);
        assert_eq!(b, c);
    }

    #[test]
    fn percent_encoded_plus_stays_a_plus() {
        let r = parse_query("title=C%2B%2B+is+fun", &defaults()).unwrap();
        assert_eq!(r.title.as_str(), "C++ is fun");
    }

    #[test]
    fn normalises_white_space_controls_and_nfc() {
        // "e" + COMBINING ACUTE → "é"; tab/newline collapse; BEL dropped.
        let r = parse_query("title=%20%20Cafe%CC%81%09%0A%07bar%20", &defaults()).unwrap();
        assert_eq!(r.title.as_str(), "Café bar");
    }

    #[test]
    fn missing_or_empty_title_uses_default() {
        let d = defaults();
        assert_eq!(parse_query("", &d).unwrap().title.as_str(), "Default");
        assert_eq!(parse_query("title=", &d).unwrap().title.as_str(), "Default");
        assert_eq!(
            parse_query("title=%20%0A", &d).unwrap().title.as_str(),
            "Default"
        );
    }

    #[test]
    fn empty_site_is_kept_empty() {
        let r = parse_query("site=", &defaults()).unwrap();
        assert!(r.site.is_empty());
        let r = parse_query("", &defaults()).unwrap();
        assert_eq!(r.site.as_str(), "example.com");
    }

    #[test]
    fn bidi_overrides_go_and_joiners_stay() {
        let r = parse_query("title=%E2%80%AEevil%E2%80%AC%20a%E2%80%8Db", &defaults()).unwrap();
        assert_eq!(r.title.as_str(), "evil a\u{200D}b");
    }

    #[test]
    fn invisible_characters_go_unless_they_act() {
        // Nothing XML cannot carry survives (format=svg answered 500 for these).
        assert_eq!(
            Text::new("a\u{FFFE}\u{FFFF}b\u{FDD0}\u{1FFFF}c").as_str(),
            "abc"
        );
        // Floods of characters that draw nothing are dropped whole.
        for flood in [
            "\u{180E}",
            "\u{1D173}",
            "\u{2060}",
            "\u{00AD}",
            "\u{3164}",
            "\u{E0041}",
        ] {
            let t = Text::new(&format!("{}W{}", flood.repeat(500), flood.repeat(500)));
            assert_eq!(t.as_str(), "W", "{flood:?}");
        }
        // Joiners and ZWSP: one per gap between visible characters, none at the edges or
        // next to a space.
        assert_eq!(
            Text::new("\u{200D}a\u{200D}\u{200D}\u{200C}b\u{200D}").as_str(),
            "a\u{200D}b"
        );
        assert_eq!(Text::new("a\u{200D} b").as_str(), "a b");
        assert_eq!(
            Text::new("ภาษา\u{200B}\u{200B}ไทย\u{200B}").as_str(),
            "ภาษา\u{200B}ไทย"
        );
        // One variation selector after a visible character; strays go.
        assert_eq!(Text::new("\u{FE0F}x\u{FE0F}\u{FE0F}").as_str(), "x\u{FE0F}");
        // What they are for stays byte for byte: emoji sequences, keycaps, subdivision
        // flags, Indic half forms.
        for kept in [
            "👩\u{200D}💻",
            "❤\u{FE0F}\u{200D}🔥",
            "👨\u{200D}👩\u{200D}👧\u{200D}👦",
            "1\u{FE0F}\u{20E3}",
            "🇹🇭",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "क्\u{200D}ष",
            "क्\u{200C}ष",
            "ผู้\u{200D}ใหญ่",
        ] {
            assert_eq!(Text::new(kept).as_str(), kept);
        }
        // Tags only after 🏴, and only a region's worth.
        let long_tag: String = std::iter::once('🏴')
            .chain(std::iter::repeat_n('\u{E0061}', 50))
            .collect();
        assert_eq!(Text::new(&long_tag).as_str().chars().count(), 1 + 7);
    }

    #[test]
    fn the_ignorable_list_is_unicodes() {
        // Every Default_Ignorable_Code_Point is either dropped or one of the few that
        // normalisation keeps where they act; and nothing else is called ignorable.
        use icu_properties::props::DefaultIgnorableCodePoint;
        use icu_properties::CodePointSetData;
        let unicode = CodePointSetData::new::<DefaultIgnorableCodePoint>();
        let acts = |c: char| {
            matches!(c, '\u{200B}'..='\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{180B}'..='\u{180D}'
                | '\u{180F}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
        };
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if unicode.contains(c) {
                assert!(is_default_ignorable(c) || acts(c), "U+{:04X}", c as u32);
            } else if !matches!(c, '\u{FFF9}'..='\u{FFFB}') {
                assert!(!is_default_ignorable(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn a_flood_of_marks_is_capped_per_base() {
        let flood: String = std::iter::once('ก')
            .chain(std::iter::repeat_n('\u{0E48}', 300))
            .collect();
        let t = Text::new(&flood);
        assert_eq!(t.as_str().chars().count(), 1 + MAX_MARKS_PER_BASE);
        // Ordinary stacks are untouched.
        assert_eq!(Text::new("ที่นี่").as_str(), "ที่นี่");
    }

    #[test]
    fn overlong_titles_are_errors() {
        let long = "a".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(
            parse_query(&format!("title={long}"), &defaults()),
            Err(ParamError::TooLong("title", MAX_TITLE_CHARS))
        );
        let ok = "a".repeat(MAX_TITLE_CHARS);
        assert!(parse_query(&format!("title={ok}"), &defaults()).is_ok());
    }

    #[test]
    fn dpr_is_one_of_five_ratios() {
        for (s, factor) in [
            ("0.5", 0.5),
            (".5", 0.5),
            ("1", 1.0),
            ("1.5", 1.5),
            ("2.0", 2.0),
            ("3", 3.0),
        ] {
            assert_eq!(Dpr::parse(s).map(Dpr::factor), Some(factor), "{s}");
        }
        for s in [
            "", "0", "2.5", "4", "-1", "1e0", "+2", " 2", "inf", "NaN", "2x", "0x2",
        ] {
            assert_eq!(Dpr::parse(s), None, "{s}");
        }
        assert_eq!(Dpr::parse("2").unwrap().pixels(1200, 630), (2400, 1260));
        // Odd sizes round up at 0.5: never a zero-pixel card.
        assert_eq!(Dpr::parse("0.5").unwrap().pixels(1, 3), (1, 2));
    }

    #[test]
    fn lang_is_a_language_tag_that_names_how_to_break() {
        let lang = |q: &str| parse_query(q, &defaults()).map(|r| r.lang);
        assert_eq!(lang("lang=ja"), Ok(Some(Lang::Japanese)));
        assert_eq!(lang("lang=JA-jp"), Ok(Some(Lang::Japanese)));
        assert_eq!(lang("lang=zh"), Ok(Some(Lang::SimplifiedChinese)));
        assert_eq!(lang("lang=zh_CN"), Ok(Some(Lang::SimplifiedChinese)));
        assert_eq!(lang("lang=zh-Hant"), Ok(Some(Lang::TraditionalChinese)));
        assert_eq!(lang("lang=zh-TW"), Ok(Some(Lang::TraditionalChinese)));
        assert_eq!(lang("lang=zh-Hant-HK"), Ok(Some(Lang::TraditionalChinese)));
        assert_eq!(lang("lang=ko-KR"), Ok(Some(Lang::Korean)));
        assert_eq!(lang("lang=th"), Ok(Some(Lang::Thai)));
        assert_eq!(lang("lang=en-US"), Ok(None));
        assert_eq!(lang("lang="), Ok(None));
        for bad in [
            "j",
            "japanese",
            "ja--jp",
            "ja-",
            "%E6%97%A5",
            "ja-jp-abcdefghi",
            "1a",
        ] {
            assert_eq!(
                lang(&format!("lang={bad}")),
                Err(ParamError::BadLang(decode_component(bad).unwrap())),
                "{bad}"
            );
        }
        let key = |q: &str| parse_query(q, &defaults()).unwrap().cache_key();
        assert_ne!(key("title=東京&lang=ja"), key("title=東京"));
        assert_eq!(key("title=東京&lang=en"), key("title=東京"));
        assert_eq!(key("title=東京&lang=zh-TW"), key("title=東京&lang=zh-Hant"));
    }

    #[test]
    fn canonical_query_ignores_spelling_order_and_extras() {
        let a = canonical_query("title=การ+AI&site=x.com&utm=1").unwrap();
        let b = canonical_query("site=x.com&title=%E0%B8%81%E0%B8%B2%E0%B8%A3%20AI").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, "site=x.com&title=%E0%B8%81%E0%B8%B2%E0%B8%A3%20AI");
        assert_ne!(a, canonical_query("title=การ+AI").unwrap());
    }

    #[test]
    fn article_parameters_are_validated() {
        let d = defaults();
        let r = parse_query(
            "description=a+b&author=Som&date=2026-11-29&tags=AI,+%E0%B9%84%E0%B8%97%E0%B8%A2,,&theme=light&accent=F0A",
            &d,
        )
        .unwrap();
        assert_eq!(r.description.as_str(), "a b");
        assert_eq!(r.tags, [Text::new("AI"), Text::new("ไทย")]);
        assert_eq!(r.theme, Some(Theme::Light));
        assert_eq!(r.accent.as_deref(), Some("#ff00aa"));
        for (q, err) in [
            ("theme=sepia", ParamError::BadTheme("sepia".into())),
            ("accent=%23abcd", ParamError::BadAccent("#abcd".into())),
            ("accent=red", ParamError::BadAccent("red".into())),
            (
                "tags=1,2,3,4,5,6,7,8,9,10,11",
                ParamError::TooManyTags(MAX_TAGS),
            ),
        ] {
            assert_eq!(parse_query(q, &d), Err(err), "{q}");
        }
        let long = "x".repeat(MAX_AUTHOR_CHARS + 1);
        assert_eq!(
            parse_query(&format!("author={long}"), &d),
            Err(ParamError::TooLong("author", MAX_AUTHOR_CHARS))
        );
    }

    #[test]
    fn an_error_quotes_a_long_bad_value_short() {
        let d = defaults();
        for name in [
            "lang", "template", "theme", "accent", "format", "quality", "dpr", "size", "debug",
        ] {
            let long = "x".repeat(5000);
            let err = parse_query(&format!("{name}={long}"), &d).unwrap_err();
            let text = err.to_string();
            assert!(text.len() < 200, "{name}: {} bytes", text.len());
            assert!(text.contains(&format!("`{}…`", "x".repeat(64))), "{text}");
        }
        // A short value is quoted whole.
        let err = parse_query("lang=ja%2F..%2F", &d).unwrap_err();
        assert!(err.to_string().starts_with("lang `ja/../` "), "{err}");
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert_eq!(
            parse_query("title=%E0%B8", &defaults()),
            Err(ParamError::NotUtf8("title"))
        );
    }

    #[test]
    fn unknown_format_and_bad_template_name_are_errors() {
        let d = defaults();
        assert!(matches!(
            parse_query("format=gif", &d),
            Err(ParamError::UnknownFormat(_))
        ));
        assert!(matches!(
            parse_query("template=../etc/passwd", &d),
            Err(ParamError::BadTemplateName(_))
        ));
    }

    #[test]
    fn every_parameter_that_changes_the_card_changes_the_key() {
        let d = defaults();
        let base = parse_query("title=t", &d).unwrap().cache_key();
        for extra in [
            "site=s",
            "description=d",
            "author=a",
            "date=x",
            "tags=a,b",
            "theme=light",
            "theme=dark",
            "accent=fff",
            "template=other",
            "format=svg",
            "format=jpeg",
        ] {
            let key = parse_query(&format!("title=t&{extra}"), &d)
                .unwrap()
                .cache_key();
            assert_ne!(key, base, "{extra}");
        }
        let a = parse_query("title=t&tags=a,b", &d).unwrap().cache_key();
        let b = parse_query("title=t&tags=a%2Cb", &d).unwrap().cache_key();
        assert_eq!(a, b, "a comma always separates tags");
        let q1 = parse_query("title=t&format=jpeg&quality=50", &d)
            .unwrap()
            .cache_key();
        let q2 = parse_query("title=t&format=jpeg&quality=60", &d)
            .unwrap()
            .cache_key();
        assert_ne!(q1, q2);
    }

    #[test]
    fn unknown_parameters_do_not_change_the_key() {
        let d = defaults();
        let a = parse_query("title=x&utm_source=fb", &d).unwrap();
        let b = parse_query("utm=1&title=x", &d).unwrap();
        assert_eq!(a.cache_key(), b.cache_key());
    }
}
