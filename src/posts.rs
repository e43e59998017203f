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
    for path in markdown_files(&args.paths)? {
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
        let key = config.signing_key.as_deref().map(str::as_bytes);
        for post in &posts {
            let url = image_url(base, &post.query, key)?;
            match set_image(post, &url) {
                Ok(None) => {}
                Ok(Some(_)) if args.check => {
                    stale += 1;
                    eprintln!("{}: `image:` is missing or stale", post.path.display());
                }
                Ok(Some(updated)) => std::fs::write(&post.path, updated)
                    .with_context(|| format!("writing {}", post.path.display()))?,
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
fn markdown_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = pending.pop() {
        let meta =
            std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                pending.push(entry?.path());
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "md" || e == "mdx" || e == "markdown")
        {
            out.push(path);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn read_post(path: &Path, args: &PostsArgs, defaults: &Defaults) -> Result<Post, Problem> {
    let problem = |line: usize, why: String| Problem {
        path: path.to_path_buf(),
        line,
        why,
    };
    let text = std::fs::read_to_string(path).map_err(|e| problem(1, e.to_string()))?;
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
    let query = crate::cli::query_of(&pairs);
    // Through the server's parser: a title over its cap is this file's problem, here.
    parse_query(&query, defaults).map_err(|e| problem(line_of("title"), e.to_string()))?;
    let slug = fields
        .get("slug")
        .map(|s| s.trim_matches('/').replace('/', "-"))
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .unwrap_or_else(|| file_slug.to_string());
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
/// Only that value changes (its quoting kept); a missing `image` is added as the
/// front-matter's last line, with the file's own line ending.
fn set_image(post: &Post, url: &str) -> Result<Option<String>, Problem> {
    let text = &post.text;
    let body = post.front.body.clone();
    let source = &text[body.clone()];
    let (assign, default_quote) = match post.front.syntax {
        Syntax::Yaml => (':', ""),
        Syntax::Toml => ('=', "\""),
    };
    let mut at = body.start;
    for (n, line) in source.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let Some(rest) = content.strip_prefix("image") else {
            at += line.len();
            continue;
        };
        let Some(after) = rest.trim_start().strip_prefix(assign) else {
            at += line.len();
            continue;
        };
        let value_start =
            at + content.len() - after.len() + (after.len() - after.trim_start().len());
        let value = after.trim_start();
        // The value's extent: a quoted string to its closing quote, a plain one to a
        // comment or the line's end.
        let (quote, len) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                Some(end) => (q.to_string(), end + 2),
                None => {
                    let why = "`image` is a quoted string that does not end on its line";
                    return Err(Problem {
                        path: post.path.clone(),
                        line: post.front.first_line + n,
                        why: why.into(),
                    });
                }
            },
            Some('|' | '>') => {
                return Err(Problem {
                    path: post.path.clone(),
                    line: post.front.first_line + n,
                    why: "`image` is a block scalar; write it on one line".into(),
                })
            }
            _ => (
                String::new(),
                value
                    .find(" #")
                    .unwrap_or(value.len())
                    .min(value.trim_end().len()),
            ),
        };
        let current = &value[quote.len()..len - quote.len()];
        if current == url {
            return Ok(None);
        }
        let mut out = String::with_capacity(text.len() + url.len());
        out.push_str(&text[..value_start]);
        out.push_str(&format!("{quote}{url}{quote}"));
        out.push_str(&text[value_start + len..]);
        return Ok(Some(out));
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line = match post.front.syntax {
        Syntax::Yaml => format!("image: {default_quote}{url}{default_quote}{newline}"),
        Syntax::Toml => format!("image = {default_quote}{url}{default_quote}{newline}"),
    };
    let mut out = String::with_capacity(text.len() + line.len());
    out.push_str(&text[..body.end]);
    if body.end > body.start && !text[..body.end].ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(&line);
    out.push_str(&text[body.end..]);
    Ok(Some(out))
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
        std::fs::write(&out, &card.bytes).with_context(|| format!("writing {}", out.display()))?;
        manifest.insert(post.slug.clone(), key);
        rendered += 1;
    }
    progress.finish_and_clear();
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&manifest)?)
        .with_context(|| format!("writing {}", manifest_path.display()))?;
    if !quiet {
        eprintln!(
            "{rendered} cards rendered into {}, {} unchanged",
            dir.display(),
            posts.len() - rendered
        );
    }
    Ok(())
}
