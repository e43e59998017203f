//! Command-line flags and `OGCARD_*` environment variables, validated once at startup.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Renders Open Graph social preview cards (PNG) from a URL.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Config {
    /// Address to listen on. Default 0.0.0.0:3000, or 0.0.0.0:$PORT when PORT is set.
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

    /// Directories of extra fonts (.ttf, .otf, .ttc), after the embedded ones in fallback
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

    /// How long a render may take before the request gets 503, in ms (the render still
    /// finishes and holds its slot: this bounds the client's wait, the slots bound load).
    #[arg(long, env = "OGCARD_RENDER_TIMEOUT_MS", default_value = "10000")]
    pub render_timeout_ms: u64,

    /// HMAC-SHA256 key for URL signing. When set, /api/og needs a valid `sig`.
    #[arg(long, env = "OGCARD_SIGNING_KEY", hide_env_values = true)]
    pub signing_key: Option<String>,

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
    /// Output file for one card (`-` for standard output).
    #[arg(
        short,
        long,
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    pub output: Option<PathBuf>,
    /// A JSON Lines file: one object a line with the /api/og parameters (`title`, `site`,
    /// `template`, `format`) and optionally `out`, the file name to write in --out-dir
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
        if self.signing_key.as_deref().is_some_and(str::is_empty) {
            anyhow::bail!("the signing key is empty: unset OGCARD_SIGNING_KEY or give a key");
        }
        if self.render_concurrency == Some(0) {
            anyhow::bail!("render concurrency must be at least 1");
        }
        Ok(())
    }

    /// Render slots: `--render-concurrency`, else the number of cores.
    pub fn render_concurrency(&self) -> usize {
        self.render_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// The socket address to bind: `--listen`, else `$PORT` on all interfaces, else 3000.
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
        Ok(SocketAddr::from(([0, 0, 0, 0], port)))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
