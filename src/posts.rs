//! `ogcard posts`: a blog's Markdown files in, cards and `og:image` URLs out.
//!
//! Each file's front-matter (YAML between `---` lines, or TOML between `+++` lines, as
//! Docusaurus, Hugo, Jekyll and Astro write it) becomes card parameters: `title`,
//! `description`, `tags`, `authors`/`author` (Docusaurus author keys resolved through an
//! `authors.yml` beside the posts or above them), `date` (or the `YYYY-MM-DD-` of the file
//! name). Then, as asked:
//! - `--out-dir`: each post's card as `SLUG.png`, rendered only when its parameters (or
//!   the assets) changed since the last run, which a manifest in the folder remembers;
//! - `--write-image-url`: the front-matter's `image:` set (or added) to the card's URL,
//!   signed when a key is configured, every other byte of the file kept as it was;
//! - `--check` with it: only report the files whose `image:` is missing or stale.
//!
//! A file whose front-matter cannot be read is reported (`file:line: why`) and the others
//! go on; the exit status is then 1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::config::{Config, PostsArgs};
use crate::dirs::{is_file_name, write_file};
use crate::render::{self, Assets};
use crate::request::{canonical_query, parse_query, Defaults};
use crate::signing;

/// The manifest `--out-dir` keeps: slug → what its card was rendered from.
const MANIFEST: &str = "ogcard-posts.json";

/// A problem with one file, at a line of it (1-based).
struct Problem {
    path: PathBuf,
    line: usize,
    why: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.why)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
}

/// A post's front-matter as it sits in the file.
struct FrontMatter {
    syntax: Syntax,
    /// Byte range of the lines between the delimiters.
    body: std::ops::Range<usize>,
    /// The line the body starts on (1-based).
    first_line: usize,
}

struct Post {
    path: PathBuf,
    text: String,
    front: FrontMatter,
    slug: String,
    /// The card's query, as `/api/og` would receive it.
    query: String,
}

pub fn run(args: &PostsArgs, config: &Config) -> anyhow::Result<()> {
    if args.out_dir.is_none() && args.write_image_url.is_none() {
        bail!("give --out-dir (render cards), --write-image-url BASE_URL (set `image:`), or both");
    }
    if args.check && args.write_image_url.is_none() {
        bail!("--check compares `image:` with the card's URL: it needs --write-image-url");
    }
    let (assets, defaults) = crate::assets_and_defaults(config)?;
    let mut problems = Vec::new();
    let mut posts = Vec::new();
    for path in markdown_files(&args.paths, &mut problems)? {
        match read_post(&path, args, &defaults) {
            Ok(post) => posts.push(post),
            Err(problem) => problems.push(problem),
        }
    }
    if let Some(dir) = &args.out_dir {
        render_posts(&posts, dir, args.quiet, &assets, &defaults, &mut problems)?;
    }
    let mut stale = 0;
    if let Some(base) = &args.write_image_url {
        let key = config.signing_keys.first().map(String::as_bytes);
        for post in &posts {
            let url = image_url(base, &post.query, key)?;
            match set_image(post, &url) {
                Ok(None) => {}
                Ok(Some(_)) if args.check => {
                    stale += 1;
                    eprintln!("{}: `image:` is missing or stale", post.path.display());
                }
                Ok(Some(updated)) => {
                    if let Err(why) = write_file(&post.path, updated.as_bytes()) {
                        problems.push(Problem {
                            path: post.path.clone(),
                            line: 1,
                            why: format!("not written: {why}"),
                        });
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    if !args.quiet {
        eprintln!(
            "{} posts read, {} with problems{}",
            posts.len() + problems.len(),
            problems.len(),
            if args.check {
                format!(", {stale} to update")
            } else {
                String::new()
            }
        );
    }
    if !problems.is_empty() || stale > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// The Markdown files among `paths` (directories searched recursively), sorted.
///
/// A symbolic link found inside is never followed: one whose target lies under the given
/// paths is skipped (the target is read where it lies), one to nothing or to outside them is
/// a problem of its own, and so is a folder that cannot be read or a Markdown name that is
/// no regular file; the walk goes on. A path that does not exist at all is a usage error.
fn markdown_files(paths: &[PathBuf], problems: &mut Vec<Problem>) -> anyhow::Result<Vec<PathBuf>> {
    let mut roots = Vec::new();
    for path in paths {
        roots.push(
            std::fs::canonicalize(path).with_context(|| format!("reading {}", path.display()))?,
        );
    }
    let problem = |path: &Path, why: String| Problem {
        path: path.to_path_buf(),
        line: 1,
        why,
    };
    let mut out = Vec::new();
    let mut pending: Vec<(PathBuf, bool)> = paths.iter().map(|p| (p.clone(), true)).collect();
    while let Some((path, given)) = pending.pop() {
        let meta = if given {
            std::fs::metadata(&path)
        } else {
            std::fs::symlink_metadata(&path)
        };
        let meta = match meta {
            Ok(meta) => meta,
            Err(e) => {
                problems.push(problem(&path, e.to_string()));
                continue;
            }
        };
        if meta.file_type().is_symlink() {
            match std::fs::canonicalize(&path) {
                Err(_) => problems.push(problem(&path, "a symbolic link to nothing".into())),
                Ok(target) if !roots.iter().any(|r| target.starts_with(r)) => {
                    problems.push(problem(
                        &path,
                        "a symbolic link to outside the given paths; not read".into(),
                    ))
                }
                // Read where it lies, once, and never written through.
                Ok(_) => {}
            }
        } else if meta.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    for entry in entries {
                        match entry {
                            Ok(entry) => pending.push((entry.path(), false)),
                            Err(e) => problems.push(problem(&path, e.to_string())),
                        }
                    }
                }
                Err(e) => problems.push(problem(&path, e.to_string())),
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "md" || e == "mdx" || e == "markdown")
        {
            // Opening a FIFO or a device would block or read forever: regular files only.
            if meta.is_file() {
                out.push(path);
            } else {
                problems.push(problem(&path, "not a regular file".into()));
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The largest post read: front-matter is a few lines, and a post of megabytes is data.
const MAX_POST_BYTES: usize = 4 << 20;

/// A post's text: at most [`MAX_POST_BYTES`], in UTF-8 (the walk lets only regular
/// files through).
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = crate::dirs::read_capped(path, MAX_POST_BYTES)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("larger than {} MiB", MAX_POST_BYTES >> 20))?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".into())
}

fn read_post(path: &Path, args: &PostsArgs, defaults: &Defaults) -> Result<Post, Problem> {
    let problem = |line: usize, why: String| Problem {
        path: path.to_path_buf(),
        line,
        why,
    };
    let text = read_text(path).map_err(|why| problem(1, why))?;
    let front = front_matter(&text)
        .ok_or_else(|| problem(1, "no front-matter (a first line of `---` or `+++`)".into()))?;
    let source = &text[front.body.clone()];
    let fields = match front.syntax {
        Syntax::Yaml => yaml_fields(source, path),
        Syntax::Toml => toml_fields(source),
    }
    .map_err(|(line, why)| problem(front.first_line + line, why))?;
    let line_of = |key: &str| front.first_line + key_line(source, key, front.syntax).unwrap_or(0);

    let stem = file_stem(path);
    let (file_date, file_slug) = split_date(&stem);
    let Some(title) = fields.get("title").filter(|t| !t.is_empty()) else {
        return Err(problem(front.first_line, "no `title`".into()));
    };
    let mut params: Vec<(&str, String)> = vec![("title", title.clone())];
    for key in ["description", "tags", "author", "date"] {
        if let Some(v) = fields.get(key).filter(|v| !v.is_empty()) {
            params.push((key, v.clone()));
        }
    }
    if !params.iter().any(|(k, _)| *k == "date") {
        if let Some(date) = file_date {
            params.push(("date", date.to_string()));
        }
    }
    params.push(("template", args.template.clone()));
    if let Some(site) = &args.site {
        params.push(("site", site.clone()));
    }
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let query = crate::request::query_of(&pairs);
    // Through the server's parser: a title over its cap is this file's problem, here.
    parse_query(&query, defaults).map_err(|e| problem(line_of("title"), e.to_string()))?;
    let slug = fields
        .get("slug")
        .map(|s| s.trim_matches('/').replace('/', "-"))
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .unwrap_or_else(|| file_slug.to_string());
    if !is_file_name(&slug) {
        return Err(problem(
            line_of("slug"),
            format!("slug `{slug}` cannot be a file name"),
        ));
    }
    Ok(Post {
        path: path.to_path_buf(),
        text,
        front,
        slug,
        query,
    })
}

/// The front-matter block at the very start of `text`, if there is one.
fn front_matter(text: &str) -> Option<FrontMatter> {
    let text_start = text.strip_prefix('\u{FEFF}').map_or(0, |_| 3);
    let rest = &text[text_start..];
    let (delimiter, syntax) = if rest.starts_with("---") {
        ("---", Syntax::Yaml)
    } else if rest.starts_with("+++") {
        ("+++", Syntax::Toml)
    } else {
        return None;
    };
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != delimiter {
        return None;
    }
    let body_start = text_start + first_end + 1;
    let mut at = body_start;
    for l in text[body_start..].split_inclusive('\n') {
        if l.trim_end() == delimiter {
            return Some(FrontMatter {
                syntax,
                body: body_start..at,
                first_line: 2,
            });
        }
        at += l.len();
    }
    None
}

/// The card fields of a YAML front-matter, as strings; `Err((line within, why))`.
fn yaml_fields(
    source: &str,
    path: &Path,
) -> Result<BTreeMap<&'static str, String>, (usize, String)> {
    use yaml_rust2::{Yaml, YamlLoader};
    refuse_aliases(source)?;
    let docs = YamlLoader::load_from_str(source)
        .map_err(|e| (e.marker().line().saturating_sub(1), e.info().to_string()))?;
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return Err((
            0,
            "the front-matter is not a mapping of keys to values".into(),
        ));
    };
    let get = |key: &str| map.get(&Yaml::String(key.into()));
    let scalar = |y: &Yaml| match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    };
    let list = |y: &Yaml| -> Vec<String> {
        match y {
            Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
            other => scalar(other)
                .map(|s| s.split(',').map(|t| t.trim().to_string()).collect())
                .unwrap_or_default(),
        }
    };
    let mut out = BTreeMap::new();
    for key in ["title", "description", "slug", "date"] {
        match get(key) {
            None | Some(Yaml::Null) => {}
            Some(v) => {
                let s = scalar(v).ok_or((0, format!("`{key}` is not text")))?;
                out.insert(key, s);
            }
        }
    }
    if let Some(tags) = get("tags") {
        out.insert("tags", list(tags).join(","));
    }
    // Docusaurus: `authors: [key, …]` through authors.yml, or inline `{name: …}`;
    // elsewhere `author: Name`.
    let mut names = Vec::new();
    for key in ["authors", "author"] {
        let items = match get(key) {
            Some(Yaml::Array(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        for item in items {
            match &item {
                Yaml::Hash(h) => {
                    if let Some(name) = h.get(&Yaml::String("name".into())).and_then(scalar) {
                        names.push(name);
                    }
                }
                other => {
                    if let Some(key) = scalar(other) {
                        names.push(author_name(path, &key).unwrap_or(key));
                    }
                }
            }
        }
    }
    if !names.is_empty() {
        out.insert("author", names.join(", "));
    }
    Ok(out)
}

/// Refuses YAML aliases (`*name`) before anything is built: the loader copies the
/// anchored node at each alias, so ten lines of nested aliases (a "billion laughs") would
/// build billions of nodes. Front-matter has no use for them.
fn refuse_aliases(source: &str) -> Result<(), (usize, String)> {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;
    struct FirstAlias(Option<usize>);
    impl MarkedEventReceiver for FirstAlias {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            if matches!(ev, Event::Alias(_)) && self.0.is_none() {
                self.0 = Some(mark.line());
            }
        }
    }
    let mut first = FirstAlias(None);
    Parser::new_from_str(source)
        .load(&mut first, true)
        .map_err(|e| (e.marker().line().saturating_sub(1), e.info().to_string()))?;
    match first.0 {
        Some(line) => Err((
            line.saturating_sub(1),
            "YAML aliases (`*name`) are not read in front-matter".into(),
        )),
        None => Ok(()),
    }
}

/// A Docusaurus author key's name, from the nearest `authors.yml` at or above the post.
fn author_name(post: &Path, key: &str) -> Option<String> {
    use yaml_rust2::{Yaml, YamlLoader};
    let mut dir = post.parent();
    while let Some(d) = dir {
        let file = d.join("authors.yml");
        if let Ok(text) = std::fs::read_to_string(&file) {
            refuse_aliases(&text).ok()?;
            let docs = YamlLoader::load_from_str(&text).ok()?;
            let entry = &docs.first()?[key];
            return match entry {
                Yaml::Hash(_) => entry["name"].as_str().map(str::to_string),
                _ => None,
            };
        }
        dir = d.parent();
    }
    None
}

/// The card fields of a TOML front-matter, as strings.
fn toml_fields(source: &str) -> Result<BTreeMap<&'static str, String>, (usize, String)> {
    let table: toml::Table = source.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map_or(0, |s| source[..s.start].matches('\n').count());
        (line, e.message().to_string())
    })?;
    let scalar = |v: &toml::Value| match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    };
    let mut out = BTreeMap::new();
    for key in ["title", "description", "slug", "date"] {
        if let Some(v) = table.get(key) {
            out.insert(key, scalar(v).ok_or((0, format!("`{key}` is not text")))?);
        }
    }
    let list = |v: &toml::Value| -> Vec<String> {
        match v {
            toml::Value::Array(items) => items.iter().filter_map(scalar).collect(),
            other => scalar(other).into_iter().collect(),
        }
    };
    if let Some(tags) = table.get("tags") {
        out.insert("tags", list(tags).join(","));
    }
    let names: Vec<String> = ["authors", "author"]
        .iter()
        .filter_map(|k| table.get(*k))
        .flat_map(list)
        .collect();
    if !names.is_empty() {
        out.insert("author", names.join(", "));
    }
    Ok(out)
}

/// The line (0-based, within the front-matter) where top-level `key` is set.
fn key_line(source: &str, key: &str, syntax: Syntax) -> Option<usize> {
    source.lines().position(|l| {
        let rest = l.strip_prefix(key);
        match syntax {
            Syntax::Yaml => rest.is_some_and(|r| r.trim_start().starts_with(':')),
            Syntax::Toml => rest.is_some_and(|r| r.trim_start().starts_with('=')),
        }
    })
}

/// The file's name without its extension, or its folder's for an `index.md`.
fn file_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index" {
        if let Some(dir) = path.parent().and_then(Path::file_name) {
            return dir.to_string_lossy().into_owned();
        }
    }
    stem
}

/// `2025-01-29-deepseek` → (Some("2025-01-29"), "deepseek"); else (None, the name).
fn split_date(stem: &str) -> (Option<&str>, &str) {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    if dated {
        (Some(&stem[..10]), &stem[11..])
    } else {
        (None, stem)
    }
}

/// The card's URL on `base`: the canonical query, signed when there is a key.
fn image_url(base: &str, query: &str, key: Option<&[u8]>) -> anyhow::Result<String> {
    let query = match key {
        Some(key) => signing::signed_query(key, query)?,
        None => canonical_query(query)?,
    };
    Ok(format!("{}/api/og?{query}", base.trim_end_matches('/')))
}

/// The file with its front-matter's `image` set to `url`, or `None` when it already is.
///
/// Only that value changes: TOML through a format-preserving editor (`toml_edit`), YAML by
/// rewriting the one scalar in place (plain, quoted or block; anything else is refused). A
/// missing `image` is added at the top level. The result is then parsed again and must
/// equal the old front-matter in every key but `image`, which must be `url`: else nothing
/// is written and the file is reported.
fn set_image(post: &Post, url: &str) -> Result<Option<String>, Problem> {
    let body = post.front.body.clone();
    let source = &post.text[body.clone()];
    let problem = |why: String| Problem {
        path: post.path.clone(),
        line: post.front.first_line + key_line(source, "image", post.front.syntax).unwrap_or(0),
        why,
    };
    let edited = match post.front.syntax {
        Syntax::Toml => toml_with_image(source, url),
        Syntax::Yaml => yaml_with_image(source, url, newline_of(&post.text)),
    }
    .map_err(problem)?;
    let Some(edited) = edited else {
        return Ok(None);
    };
    match post.front.syntax {
        Syntax::Toml => same_but_image_toml(source, &edited, url),
        Syntax::Yaml => same_but_image_yaml(source, &edited, url),
    }
    .map_err(|why| problem(format!("left untouched: the edit would {why}")))?;
    let mut out = String::with_capacity(post.text.len() + url.len() + 16);
    out.push_str(&post.text[..body.start]);
    out.push_str(&edited);
    out.push_str(&post.text[body.end..]);
    Ok(Some(out))
}

fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// A TOML front-matter with top-level `image = "url"`, its other bytes kept; `None` when it
/// already says so.
fn toml_with_image(source: &str, url: &str) -> Result<Option<String>, String> {
    let mut doc: toml_edit::DocumentMut = source.parse().map_err(|e| format!("{e}"))?;
    match doc.get("image") {
        Some(item) if item.as_str() == Some(url) => return Ok(None),
        Some(toml_edit::Item::Value(toml_edit::Value::String(old))) => {
            let mut value = toml_edit::Value::from(url);
            *value.decor_mut() = old.decor().clone();
            doc["image"] = toml_edit::Item::Value(value);
        }
        Some(_) => return Err("`image` is not a string; set it by hand".into()),
        None => {
            doc.insert("image", toml_edit::value(url));
        }
    }
    let edited = doc.to_string();
    // The editor writes `\n`; a file that ends its lines with `\r\n` only keeps doing so.
    let crlf_only =
        source.contains("\r\n") && source.matches('\n').count() == source.matches("\r\n").count();
    if crlf_only {
        return Ok(Some(edited.replace("\r\n", "\n").replace('\n', "\r\n")));
    }
    Ok(Some(edited))
}

/// How a YAML scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum YamlStyle {
    Plain,
    Single,
    Double,
}

/// A YAML front-matter with top-level `image: url`, every other byte kept: the old value's
/// bytes replaced (in its quoting: plain, single or double; a block scalar or an empty value
/// becomes plain), or a line added at the end. `None` when it already says so. A value
/// that is a list, a mapping, or carries an anchor or a tag is refused.
fn yaml_with_image(source: &str, url: &str, newline: &str) -> Result<Option<String>, String> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(source).map_err(|e| e.to_string())?;
    if let Some(Yaml::Hash(map)) = docs.first() {
        if map.get(&Yaml::String("image".into())) == Some(&Yaml::String(url.into())) {
            return Ok(None);
        }
    }
    let Some((range, style)) = yaml_image_value(source)? else {
        let mut out = String::with_capacity(source.len() + url.len() + 8);
        out.push_str(source);
        if !source.is_empty() && !source.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str("image: ");
        out.push_str(&yaml_scalar(url, YamlStyle::Plain));
        out.push_str(newline);
        return Ok(Some(out));
    };
    let mut out = String::with_capacity(source.len() + url.len());
    out.push_str(&source[..range.start]);
    if range.is_empty() {
        out.push(' ');
    }
    out.push_str(&yaml_scalar(url, style));
    out.push_str(&source[range.end..]);
    Ok(Some(out))
}

/// `value` as a YAML scalar in `style`; plain only where a plain scalar reads back as
/// exactly `value`, double-quoted otherwise.
fn yaml_scalar(value: &str, style: YamlStyle) -> String {
    let plain_safe = value
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '/')
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.chars().any(|c| c.is_control() || c == ' ');
    match style {
        YamlStyle::Plain if plain_safe => value.to_string(),
        YamlStyle::Single if !value.chars().any(char::is_control) => {
            format!("'{}'", value.replace('\'', "''"))
        }
        _ => {
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}

/// The byte range of the top-level `image` key's value in a YAML block mapping and how it
/// was written; an empty range just after the `:` for an empty value; `None` without the
/// key. `Err` for a value this editor does not rewrite.
fn yaml_image_value(source: &str) -> Result<Option<(std::ops::Range<usize>, YamlStyle)>, String> {
    let mut at = 0;
    let lines: Vec<(usize, &str)> = source
        .split_inclusive('\n')
        .map(|l| {
            let start = at;
            at += l.len();
            (start, l.trim_end_matches(['\n', '\r']))
        })
        .collect();
    for (n, &(start, line)) in lines.iter().enumerate() {
        let Some(rest) = ["image", "\"image\"", "'image'"]
            .iter()
            .find_map(|k| line.strip_prefix(k))
        else {
            continue;
        };
        let Some(after) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let colon = start + line.len() - after.len();
        let value = after.trim_start_matches([' ', '\t']);
        let value_start = start + line.len() - value.len();
        // Where the lines after this one that belong to its value end: indented or blank
        // lines (a block scalar's, which may hold `#`), or indented lines that are not
        // comments (a plain scalar's continuation).
        let continuation = |comments: bool| {
            lines[n + 1..]
                .iter()
                .take_while(|(_, l)| {
                    l.trim().is_empty()
                        || (l.starts_with([' ', '\t'])
                            && (comments || !l.trim_start().starts_with('#')))
                })
                .filter(|(_, l)| !l.trim().is_empty())
                .last()
                .map(|&(s, l)| s + l.len())
        };
        return match value.chars().next() {
            None | Some('#') => {
                let nested = lines[n + 1..]
                    .iter()
                    .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .is_some_and(|(_, l)| l.starts_with([' ', '\t', '-']));
                if nested {
                    Err("`image` is a list or a mapping, not one URL; set it by hand".into())
                } else {
                    Ok(Some((colon..colon, YamlStyle::Plain)))
                }
            }
            Some(q @ ('\'' | '"')) => {
                let end = quoted_end(&source[value_start..], q)
                    .ok_or("`image` is a quoted string that does not end")?;
                let style = if q == '\'' {
                    YamlStyle::Single
                } else {
                    YamlStyle::Double
                };
                Ok(Some((value_start..value_start + end, style)))
            }
            Some('|' | '>') => Ok(Some((
                value_start..continuation(true).unwrap_or(start + line.len()),
                YamlStyle::Plain,
            ))),
            Some('&' | '!' | '*') => {
                Err("`image` has an anchor, a tag or an alias; write it plainly".into())
            }
            Some('[' | '{') => {
                Err("`image` is a list or a mapping, not one URL; set it by hand".into())
            }
            Some(_) => {
                let first_end = value.find(" #").map_or(value.len(), |i| i);
                let first_end = value_start + value[..first_end].trim_end().len();
                Ok(Some((
                    value_start..continuation(false).unwrap_or(first_end).max(first_end),
                    YamlStyle::Plain,
                )))
            }
        };
    }
    Ok(None)
}

/// The length of the quoted scalar at the start of `text` (quotes included): `''` inside
/// single quotes and `\x` inside double quotes are escapes.
fn quoted_end(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
            } else {
                return Some(i + 1);
            }
        }
    }
    None
}

/// `Ok` when TOML `new` equals `old` in every top-level key but `image`, which is `url`.
fn same_but_image_toml(old: &str, new: &str, url: &str) -> Result<(), String> {
    let parse = |s: &str| {
        s.parse::<toml::Table>()
            .map_err(|e| e.message().to_string())
    };
    let mut old = parse(old).map_err(|e| format!("not parse before: {e}"))?;
    let mut new = parse(new).map_err(|e| format!("not parse: {e}"))?;
    if new.remove("image") != Some(toml::Value::String(url.into())) {
        return Err("not set a top-level `image`".into());
    }
    old.remove("image");
    if old != new {
        return Err("change more than `image`".into());
    }
    Ok(())
}

/// `Ok` when YAML `new` equals `old` in every top-level key but `image`, which is `url`.
fn same_but_image_yaml(old: &str, new: &str, url: &str) -> Result<(), String> {
    use yaml_rust2::{Yaml, YamlLoader};
    let parse = |s: &str| -> Result<yaml_rust2::yaml::Hash, String> {
        let docs = YamlLoader::load_from_str(s).map_err(|e| e.to_string())?;
        match docs.into_iter().next() {
            Some(Yaml::Hash(map)) => Ok(map),
            None => Ok(Default::default()),
            Some(_) => Err("not a mapping".into()),
        }
    };
    let key = Yaml::String("image".into());
    let mut old = parse(old).map_err(|e| format!("not parse before: {e}"))?;
    let mut new = parse(new).map_err(|e| format!("not parse: {e}"))?;
    if new.remove(&key) != Some(Yaml::String(url.into())) {
        return Err("not set a top-level `image`".into());
    }
    old.remove(&key);
    if old != new {
        return Err("change more than `image`".into());
    }
    Ok(())
}

/// Renders each post's card into `dir` as `SLUG.png` unless the manifest says the same
/// card is already there.
fn render_posts(
    posts: &[Post],
    dir: &Path,
    quiet: bool,
    assets: &Assets,
    defaults: &Defaults,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let manifest_path = dir.join(MANIFEST);
    let mut manifest: BTreeMap<String, String> = std::fs::read_to_string(&manifest_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let progress = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(posts.len() as u64)
    };
    let mut rendered = 0;
    let mut slugs = BTreeMap::new();
    for post in posts {
        progress.inc(1);
        if let Some(other) = slugs.insert(post.slug.clone(), &post.path) {
            problems.push(Problem {
                path: post.path.clone(),
                line: 1,
                why: format!("slug `{}` is also {}'s", post.slug, other.display()),
            });
            continue;
        }
        let req = parse_query(&post.query, defaults).expect("checked when read");
        let key = assets
            .card_key(&req)
            .map_err(|e| anyhow::anyhow!("{}: {e}", post.path.display()))?;
        let out = dir.join(format!("{}.png", post.slug));
        if manifest.get(&post.slug) == Some(&key) && out.exists() {
            continue;
        }
        let card = render::card(&req, assets)
            .map_err(|e| anyhow::anyhow!("{}: {e}", post.path.display()))?;
        if let Err(why) = write_file(&out, &card.bytes) {
            problems.push(Problem {
                path: out,
                line: 1,
                why: format!("not written: {why}"),
            });
            continue;
        }
        manifest.insert(post.slug.clone(), key);
        rendered += 1;
    }
    progress.finish_and_clear();
    write_file(
        &manifest_path,
        serde_json::to_string_pretty(&manifest)?.as_bytes(),
    )
    .map_err(|why| anyhow::anyhow!("writing {}: {why}", manifest_path.display()))?;
    if !quiet {
        eprintln!(
            "{rendered} cards rendered into {}, {} unchanged",
            dir.display(),
            posts.len() - rendered
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(source: &str, url: &str) -> Result<Option<String>, String> {
        let edited = yaml_with_image(source, url, "\n")?;
        if let Some(new) = &edited {
            same_but_image_yaml(source, new, url)?;
        }
        Ok(edited)
    }

    fn toml(source: &str, url: &str) -> Result<Option<String>, String> {
        let edited = toml_with_image(source, url)?;
        if let Some(new) = &edited {
            same_but_image_toml(source, new, url)?;
        }
        Ok(edited)
    }

    const URL: &str = "https://cards.example/api/og?title=%E0%B8%81&x=1";

    #[test]
    fn yaml_scalars_of_every_style_are_rewritten_in_place() {
        for (before, after) in [
            (
                "title: t\nimage: old\n",
                format!("title: t\nimage: {URL}\n"),
            ),
            (
                "image: 'it''s' # c\nx: 1\n",
                format!("image: '{URL}' # c\nx: 1\n"),
            ),
            (
                "image: \"a\\\"b\"\nx: 1\n",
                format!("image: \"{URL}\"\nx: 1\n"),
            ),
            (
                "image: \"two\n  lines\"\nx: 1\n",
                format!("image: \"{URL}\"\nx: 1\n"),
            ),
            (
                "image: |\n  old\n  # not a comment\n\nx: 1\n",
                format!("image: {URL}\n\nx: 1\n"),
            ),
            (
                "image: plain\n  continued\n  # a comment\nx: 1\n",
                format!("image: {URL}\n  # a comment\nx: 1\n"),
            ),
            ("image:\nx: 1\n", format!("image: {URL}\nx: 1\n")),
            ("\"image\": old\n", format!("\"image\": {URL}\n")),
            ("title: t", format!("title: t\nimage: {URL}\n")),
            (
                "title: t\nextra:\n  image: nested\n",
                format!("title: t\nextra:\n  image: nested\nimage: {URL}\n"),
            ),
        ] {
            assert_eq!(
                yaml(before, URL).unwrap().as_deref(),
                Some(&*after),
                "{before}"
            );
        }
        assert_eq!(yaml(&format!("image: '{URL}'\n"), URL).unwrap(), None);
    }

    #[test]
    fn yaml_values_that_are_not_one_scalar_are_refused() {
        for before in [
            "image:\n  - a\n  - b\n",
            "image:\n  url: a\n",
            "image: [a, b]\n",
            "image: {url: a}\n",
            "image: &pic a\n",
            "image: !!str a\n",
        ] {
            assert!(yaml(before, URL).is_err(), "{before}");
        }
        // A flow mapping front-matter cannot take a line: refused by the re-parse.
        assert!(yaml("{title: t}\n", URL).is_err());
    }

    #[test]
    fn toml_keeps_every_other_byte_and_sets_image_at_the_top_level() {
        for (before, after) in [
            (
                "title = 't'\nimage = '''old'''\n",
                format!("title = 't'\nimage = \"{URL}\"\n"),
            ),
            (
                "image = \"a\\\"b\" # c\n",
                format!("image = \"{URL}\" # c\n"),
            ),
            (
                "title = 't'\n\n[extra]\nimage = 'x'\n",
                format!("title = 't'\nimage = \"{URL}\"\n\n[extra]\nimage = 'x'\n"),
            ),
            (
                "title = \"t\"\r\ndate = 2025-02-03\r\n",
                format!("title = \"t\"\r\ndate = 2025-02-03\r\nimage = \"{URL}\"\r\n"),
            ),
        ] {
            assert_eq!(
                toml(before, URL).unwrap().as_deref(),
                Some(&*after),
                "{before}"
            );
        }
        assert!(toml("[image]\nurl = 'a'\n", URL).is_err());
        assert_eq!(toml(&format!("image = '{URL}'\n"), URL).unwrap(), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever the old value holds and however it is quoted, the edit succeeds and
        /// re-parses with only `image` changed (checked inside `yaml`/`toml`).
        #[test]
        fn any_quoted_old_value_is_replaced_cleanly(
            old in "[a-z'\"\\\\#: \u{0e01}\u{0e31}%/]{0,12}",
            single in proptest::bool::ANY,
            url in "https://[a-z]{1,5}/[a-z0-9%?&='\"# :]{0,16}",
        ) {
            let double = format!("\"{}\"", old.replace('\\', "\\\\").replace('"', "\\\""));
            let written = if single {
                format!("'{}'", old.replace('\'', "''"))
            } else {
                double.clone()
            };
            let source = format!("title: t\nimage: {written} # note\ntags: [a]\n");
            let edited = yaml(&source, &url);
            proptest::prop_assert!(edited.is_ok(), "{source:?} {url:?}: {edited:?}");
            let source = format!("title = 't'\nimage = {double} # note\n[extra]\nk = 1\n");
            let edited = toml(&source, &url);
            proptest::prop_assert!(edited.is_ok(), "{source:?} {url:?}: {edited:?}");
        }
    }
}
