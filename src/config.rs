//! Command-line flags and `OGCARD_*` environment variables, validated once at startup.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::Parser;

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

    /// How many rendered cards the in-process cache keeps.
    #[arg(long, env = "OGCARD_CACHE_ENTRIES", default_value = "1024")]
    pub cache_entries: NonZeroUsize,

    /// The Cache-Control header of successful responses.
    #[arg(
        long,
        env = "OGCARD_CACHE_CONTROL",
        default_value = "public, max-age=31536000, immutable"
    )]
    pub cache_control: String,
}

impl Config {
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
