//! Command-line flags and `OGCARD_*` environment variables, validated once at startup.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

/// Renders Open Graph social preview cards (PNG) from a URL.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Config {
    /// Address to listen on. Default [::]:3000 (IPv6 and IPv4 on one socket; 0.0.0.0
    /// where the host has no IPv6), or port $PORT when PORT is set.
    #[arg(long, env = "OGCARD_LISTEN")]
    pub listen: Option<SocketAddr>,

    /// The title drawn when a request has no `title` (or an empty one).
    #[arg(long, env = "OGCARD_DEFAULT_TITLE", default_value = "ogcard")]
    pub default_title: String,

    /// The site label drawn when a request has no `site`; empty draws none.
    #[arg(long, env = "OGCARD_DEFAULT_SITE", default_value = "")]
    pub default_site: String,

    /// The template used when a request names none.
    #[arg(long, env = "OGCARD_DEFAULT_TEMPLATE", default_value = "default")]
    pub default_template: String,

    /// A directory of `*.svg` templates that add to or replace the embedded ones.
    #[arg(long, env = "OGCARD_TEMPLATES_DIR")]
    pub templates_dir: Option<PathBuf>,

    /// Reload --templates-dir when its files change (for designers): a directory that
    /// fails to load keeps the last good templates and logs why; cached cards of changed
    /// templates are dropped.
    #[arg(long, env = "OGCARD_WATCH_TEMPLATES", requires = "templates_dir")]
    pub watch_templates: bool,

    /// Directories of extra fonts (.ttf, .otf, .ttc, .woff, .woff2), after the embedded ones in fallback
    /// order; templates can name their families. Repeat the flag, or separate with `:`.
    #[arg(long = "font-dir", env = "OGCARD_FONT_DIRS", value_delimiter = ':')]
    pub font_dirs: Vec<PathBuf>,

    /// The in-process cache's budget: total bytes of cached responses (suffixes K, M, G
    /// and KiB, MiB, GiB are powers of 1024). 0 disables caching.
    #[arg(long, env = "OGCARD_CACHE_BYTES", default_value = "256MiB", value_parser = parse_bytes)]
    pub cache_bytes: usize,

    /// Deflate level (1–9) for the rows with text in indexed PNGs: 1 is fastest and
    /// largest, 9 smallest and slowest. Background rows cost nothing at any level.
    #[arg(long, env = "OGCARD_PNG_LEVEL", default_value_t = crate::render::encode::DEFAULT_LEVEL,
          value_parser = clap::value_parser!(u8).range(1..=9))]
    pub png_level: u8,

    /// The Cache-Control header of successful responses.
    #[arg(
        long,
        env = "OGCARD_CACHE_CONTROL",
        default_value = "public, max-age=31536000, immutable"
    )]
    pub cache_control: String,

    /// Renders that may run at once. Default: the number of cores.
    #[arg(long, env = "OGCARD_RENDER_CONCURRENCY")]
    pub render_concurrency: Option<usize>,

    /// How long a request may wait for a render slot before it gets 503, in ms.
    #[arg(long, env = "OGCARD_RENDER_WAIT_MS", default_value = "2000")]
    pub render_wait_ms: u64,

    /// A render's deadline from when it gets its slot, in ms: it stops there, frees its
    /// slot, and the request gets 503.
    #[arg(long, env = "OGCARD_RENDER_TIMEOUT_MS", default_value = "10000")]
    pub render_timeout_ms: u64,

    /// How long a client may take to send a request's head (from its first byte, or from
    /// connecting for the first request) before the connection is closed (`10s`, `500ms`).
    #[arg(long, env = "OGCARD_HEADER_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub header_timeout: Duration,

    /// How long a keep-alive connection may sit with nothing sent either way before it is
    /// closed. Keep it above the keep-alive timeout of a proxy in front (nginx: 60 s).
    #[arg(long, env = "OGCARD_IDLE_TIMEOUT", default_value = "75s", value_parser = parse_duration)]
    pub idle_timeout: Duration,

    /// Connections open at once; past it new ones get 503 and are closed at once. Default:
    /// 1024, or the open-file limit less 64 when that is lower.
    #[arg(long, env = "OGCARD_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,

    /// After SIGTERM, how long /readyz says 503 while requests are still served, so that
    /// load balancers stop sending before the listener closes (seconds, or `500ms`).
    #[arg(long, env = "OGCARD_DRAIN_SECONDS", default_value = "5", value_parser = parse_duration)]
    pub drain_seconds: Duration,

    /// From SIGTERM to closing whatever connections are still open; in-flight requests
    /// finish before it (seconds, or `30s`, `1m`).
    #[arg(long, env = "OGCARD_SHUTDOWN_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub shutdown_timeout: Duration,

    /// URL prefixes pictures (`image`, `avatar`, `logo`) may be fetched from, comma
    /// separated (`https://cdn.example.com/,https://images.example.org/avatars/`). Empty
    /// (the default): pictures are off and a picture parameter is a 400. `https` only,
    /// except a prefix that itself says `http://`.
    #[arg(long, env = "OGCARD_IMAGE_SOURCES", default_value = "", value_parser = parse_sources)]
    pub image_sources: crate::pictures::policy::Sources,

    /// A picture's whole fetch (connect, redirects, body), in ms. Connecting alone has at
    /// most 2 s of it.
    #[arg(long, env = "OGCARD_IMAGE_TIMEOUT_MS", default_value = "5000")]
    pub image_timeout_ms: u64,

    /// The most bytes a picture's body may have (counted as it arrives; `5MiB`).
    #[arg(long, env = "OGCARD_IMAGE_MAX_BYTES", default_value = "5MiB", value_parser = parse_bytes)]
    pub image_max_bytes: usize,

    /// Byte budget of the picture cache (fetched bodies and pictures fitted to slots).
    #[arg(long, env = "OGCARD_IMAGE_CACHE_BYTES", default_value = "64MiB", value_parser = parse_bytes)]
    pub image_cache_bytes: usize,

    /// At most this many picture fetches at once; more wait (within their timeout).
    #[arg(long, env = "OGCARD_IMAGE_FETCHES", default_value = "16")]
    pub image_fetches: usize,

    /// At most this many picture fetches at once from one origin (scheme, host, port), so
    /// that a slow origin cannot hold every fetch slot.
    #[arg(long, env = "OGCARD_IMAGE_FETCHES_PER_ORIGIN", default_value = "4")]
    pub image_fetches_per_origin: usize,

    /// Memory all picture decodes together may hold (decoded pixels, a conversion copy and
    /// the resizer's rows, reckoned from each picture's header before it is decoded). A
    /// decode waits for its share; a picture that needs more than all of it is refused.
    #[arg(long, env = "OGCARD_IMAGE_DECODE_BYTES", default_value = "128MiB", value_parser = parse_bytes)]
    pub image_decode_bytes: usize,

    /// Allow pictures without a signing key. Unsigned, anyone can make the server fetch and
    /// decode any URL under --image-sources (each new query string a new fetch), so
    /// without this flag the server refuses to start with pictures on and no key.
    #[arg(long, env = "OGCARD_UNSIGNED_PICTURES")]
    pub unsigned_pictures: bool,

    /// HMAC-SHA256 keys for URL signing. When set, /api/og needs a valid `sig`. Several
    /// (comma list, or the flag repeated) for a rotation: a URL signed with any verifies,
    /// and `ogcard sign`/`ogcard posts` sign with the first.
    #[arg(
        long = "signing-key",
        env = "OGCARD_SIGNING_KEY",
        hide_env_values = true,
        value_delimiter = ','
    )]
    pub signing_keys: Vec<String>,

    /// Log format on stderr: `text` for people, `json` for log collectors. The level comes
    /// from RUST_LOG (default `info`); titles are never logged at info.
    #[arg(long, env = "OGCARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

// Parsed once at startup and matched once: the size of its largest variant (`render`,
// every card parameter) costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a signed /api/og URL for a query (needs --signing-key or OGCARD_SIGNING_KEY).
    Sign {
        /// The query to sign, e.g. "title=Hello&site=example.com".
        query: String,
        /// Where the service is reachable.
        #[arg(long, default_value = "http://localhost:3000")]
        base_url: String,
    },
    /// Exit 0 when the server on this machine answers /healthz with 200, else 1 (for a
    /// container HEALTHCHECK; no curl needed in a distroless image).
    Healthcheck,
    /// Render cards without a server (static sites): the same bytes as /api/og.
    Render(RenderArgs),
    /// A blog's Markdown posts (front-matter) in: cards and `image:` URLs out.
    Posts(PostsArgs),
    /// List the font set (embedded and --font-dir): each face's family, weight, style,
    /// variable axes and the scripts it draws, as templates name them in `font-family`.
    Fonts,
    /// Validate a templates directory: parse every *.svg and report each problem.
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Check every template in DIR; exit 1 on the first invalid one, naming it.
    Check { dir: PathBuf },
}

#[derive(Debug, clap::Args)]
pub struct PostsArgs {
    /// Markdown files (.md, .mdx) or folders of them (searched recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The template of every card.
    #[arg(long, default_value = "article")]
    pub template: String,
    /// The site label of every card.
    #[arg(long)]
    pub site: Option<String>,
    /// Render each post's card into this folder as SLUG.png (only those whose card
    /// changed since the last run).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// Set each post's front-matter `image:` to its card's URL on this base
    /// (signed with --signing-key / OGCARD_SIGNING_KEY when set), nothing else changed.
    #[arg(long, value_name = "BASE_URL")]
    pub write_image_url: Option<String>,
    /// With --write-image-url: change nothing, report the files whose `image:` is missing
    /// or stale, and exit 1 if there is one.
    #[arg(long)]
    pub check: bool,
    /// No progress bar or summary.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The title (one card).
    #[arg(long, conflicts_with = "batch")]
    pub title: Option<String>,
    /// The site label (one card).
    #[arg(long, conflicts_with = "batch")]
    pub site: Option<String>,
    /// Template name.
    #[arg(long, conflicts_with = "batch")]
    pub template: Option<String>,
    /// png, jpeg, webp, svg or json.
    #[arg(long, conflicts_with = "batch")]
    pub format: Option<String>,
    /// JPEG quality, 1–100 (default 85).
    #[arg(long, conflicts_with = "batch")]
    pub quality: Option<String>,
    /// Device pixel ratio: 0.5, 1 (default), 1.5, 2 or 3; the card is drawn at its
    /// template's size times this.
    #[arg(long, conflicts_with = "batch")]
    pub dpr: Option<String>,
    /// The template's design for a platform: og (1200×630, default), x (1200×600),
    /// square (1200×1200) or kakao (800×400).
    #[arg(long, conflicts_with = "batch")]
    pub size: Option<String>,
    /// A summary under the title (`article`).
    #[arg(long, conflicts_with = "batch")]
    pub description: Option<String>,
    /// The author's name (`article`).
    #[arg(long, conflicts_with = "batch")]
    pub author: Option<String>,
    /// A date, drawn as given (`article`).
    #[arg(long, conflicts_with = "batch")]
    pub date: Option<String>,
    /// A comma list of tags (`article`).
    #[arg(long, conflicts_with = "batch")]
    pub tags: Option<String>,
    /// dark or light.
    #[arg(long, conflicts_with = "batch")]
    pub theme: Option<String>,
    /// A hex colour for the template's accent elements.
    #[arg(long, conflicts_with = "batch")]
    pub accent: Option<String>,
    /// The language (ja, zh-Hans, zh-Hant, ko, th, …): how Japanese and Chinese break and
    /// their regional glyphs.
    #[arg(long, conflicts_with = "batch")]
    pub lang: Option<String>,
    /// The picture for the template's `image` slot: a local file, or an http(s) URL
    /// fetched under --image-sources like the server's.
    #[arg(long, conflicts_with = "batch")]
    pub image: Option<String>,
    /// The picture for the `avatar` slot (a local file or a URL).
    #[arg(long, conflicts_with = "batch")]
    pub avatar: Option<String>,
    /// The picture for the `logo` slot (a local file or a URL).
    #[arg(long, conflicts_with = "batch")]
    pub logo: Option<String>,
    /// Draw the layout over the card: slot boxes, line boxes, break opportunities.
    #[arg(long, conflicts_with = "batch")]
    pub debug: bool,
    /// Output file for one card (`-` for standard output).
    #[arg(
        short,
        long,
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    pub output: Option<PathBuf>,
    /// A JSON Lines file: one object a line with the /api/og parameters (`title`, `site`,
    /// `template`, `format`, `dpr`, …) and optionally `out`, the file name to write in --out-dir
    /// (default: the line number, zero-padded, and the format's extension).
    #[arg(long, requires = "out_dir")]
    pub batch: Option<PathBuf>,
    /// Where batch cards are written (created if missing).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// Batch worker threads. Default: the number of cores.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

impl Config {
    /// Checks values clap cannot: the signing key must not be empty.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.signing_keys.iter().any(String::is_empty) {
            anyhow::bail!("a signing key is empty: unset OGCARD_SIGNING_KEY or give a key");
        }
        if self.render_concurrency == Some(0) {
            anyhow::bail!("render concurrency must be at least 1");
        }
        if self.max_connections == Some(0) {
            anyhow::bail!("max connections must be at least 1");
        }
        for (name, d) in [
            ("header timeout", self.header_timeout),
            ("idle timeout", self.idle_timeout),
            (
                "render timeout",
                Duration::from_millis(self.render_timeout_ms),
            ),
        ] {
            if d.is_zero() {
                anyhow::bail!("the {name} must be above zero");
            }
        }
        if self.image_timeout_ms == 0
            || self.image_fetches == 0
            || self.image_fetches_per_origin == 0
            || self.image_decode_bytes == 0
        {
            anyhow::bail!(
                "the image timeout, fetches, fetches per origin and decode bytes must be above zero"
            );
        }
        if !self.image_sources.is_empty() && self.image_timeout_ms >= self.render_timeout_ms {
            // A picture's fetch counts against its card's render deadline: one as long
            // would leave the render no time, and the card would be a 503, not a fallback.
            anyhow::bail!(
                "the image timeout ({} ms) must be shorter than the render timeout ({} ms)",
                self.image_timeout_ms,
                self.render_timeout_ms
            );
        }
        if self.drain_seconds > self.shutdown_timeout {
            anyhow::bail!(
                "the drain ({:?}) must not be longer than the shutdown timeout ({:?})",
                self.drain_seconds,
                self.shutdown_timeout
            );
        }
        Ok(())
    }

    /// [`validate`](Config::validate), and what only a server needs: pictures on without a
    /// signing key must be the operator's stated choice.
    pub fn validate_server(&self) -> anyhow::Result<()> {
        self.validate()?;
        if !self.image_sources.is_empty() && self.signing_keys.is_empty() && !self.unsigned_pictures
        {
            anyhow::bail!(
                "pictures are on (--image-sources) without a signing key: anyone could make this \
                 server fetch and decode every URL under those prefixes. Give --signing-key, or \
                 --unsigned-pictures to allow it anyway"
            );
        }
        Ok(())
    }

    /// The picture settings.
    pub fn pictures(&self) -> crate::pictures::Config {
        let timeout = Duration::from_millis(self.image_timeout_ms);
        crate::pictures::Config {
            sources: self.image_sources.clone(),
            timeout,
            connect_timeout: timeout.min(Duration::from_secs(2)),
            max_bytes: self.image_max_bytes,
            cache_bytes: self.image_cache_bytes,
            max_fetches: self.image_fetches,
            fetches_per_origin: self.image_fetches_per_origin,
            decode_bytes: self.image_decode_bytes,
        }
    }

    /// The listener's options, with the connection cap resolved against the file limit.
    pub fn serve_options(&self) -> crate::http::serve::ServeOptions {
        use crate::http::serve::{default_max_connections, file_limit, RESERVED_DESCRIPTORS};
        let limit = file_limit();
        let max_connections = match self.max_connections {
            Some(n) => {
                if limit.is_some_and(|l| n as u64 + RESERVED_DESCRIPTORS > l) {
                    tracing::warn!(
                        max_connections = n,
                        file_limit = limit,
                        "max connections is close to or above the open-file limit: accepting \
                         will pause when descriptors run out"
                    );
                }
                n
            }
            None => default_max_connections(limit),
        };
        crate::http::serve::ServeOptions {
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            max_connections,
            drain: self.drain_seconds,
            shutdown_timeout: self.shutdown_timeout,
        }
    }

    /// Render slots: `--render-concurrency`, else the number of cores.
    pub fn render_concurrency(&self) -> usize {
        self.render_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// The socket address to bind: `--listen`, else `$PORT` (else 3000) on every address
    /// of both families (`[::]`; `http::listen::bind` makes it dual-stack).
    pub fn listen_addr(&self) -> anyhow::Result<SocketAddr> {
        if let Some(addr) = self.listen {
            return Ok(addr);
        }
        let port = match std::env::var("PORT") {
            Ok(p) => p
                .parse::<u16>()
                .map_err(|_| anyhow::anyhow!("PORT={p:?} is not a port number"))?,
            Err(_) => 3000,
        };
        Ok(SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, port)))
    }
}

fn parse_sources(s: &str) -> Result<crate::pictures::policy::Sources, String> {
    crate::pictures::policy::Sources::parse(s)
}

/// `1234`, `64K`, `256MiB`, `1G` → bytes (K/M/G are powers of 1024, as are KiB/MiB/GiB).
pub fn parse_bytes(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: usize = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 268435456, 256MiB, 1G)"))?;
    let mult: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (use K, M, G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("{s:?} is too large"))
}

/// `10`, `2.5` (seconds), `10s`, `500ms`, `1m` → a duration.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (e.g. 10s, 500ms, 1m)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        other => return Err(format!("{s:?}: unknown unit {other:?} (use ms, s, m)")),
    };
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{s:?} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5h").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn a_picture_fetch_must_leave_its_render_time() {
        let config = |args: &[&str]| {
            let mut argv = vec!["ogcard"];
            argv.extend_from_slice(args);
            Config::parse_from(argv)
        };
        let pictures = [
            "--image-sources",
            "https://cdn.example.com/",
            "--unsigned-pictures",
        ];
        let short = [&pictures[..], &["--render-timeout-ms", "4000"]].concat();
        let err = config(&short).validate().unwrap_err().to_string();
        assert!(err.contains("shorter than the render timeout"), "{err}");
        let fine = [
            &pictures[..],
            &["--image-timeout-ms", "3000", "--render-timeout-ms", "4000"],
        ];
        assert!(config(&fine.concat()).validate().is_ok());
        // Without pictures the image timeout is not used, whatever it says.
        assert!(config(&["--render-timeout-ms", "100"]).validate().is_ok());
    }

    #[test]
    fn pictures_without_a_key_need_the_operator_to_say_so() {
        let config = |args: &[&str]| Config::parse_from([&["ogcard"][..], args].concat());
        let on = ["--image-sources", "https://cdn.example.com/"];
        let err = config(&on).validate_server().unwrap_err().to_string();
        assert!(err.contains("--unsigned-pictures"), "{err}");
        // `ogcard render` is the operator's own command: no key needed.
        assert!(config(&on).validate().is_ok());
        assert!(config(&[&on[..], &["--unsigned-pictures"]].concat())
            .validate_server()
            .is_ok());
        assert!(config(&[&on[..], &["--signing-key", "k"]].concat())
            .validate_server()
            .is_ok());
        let rotated = config(&["--signing-key", "new,old", "--signing-key", "older"]);
        assert_eq!(rotated.signing_keys, ["new", "old", "older"]);
        assert!(config(&["--signing-key", "a,,b"]).validate().is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_bytes("256MiB"), Ok(256 << 20));
        assert_eq!(parse_bytes("64K"), Ok(64 << 10));
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert_eq!(parse_bytes("0"), Ok(0));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("5 parsecs").is_err());
    }
}
