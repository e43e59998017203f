//! Pictures in cards (cover photos, avatars, logos) from the URL prefixes an operator
//! allows. Off by default.
//!
//! [`policy`] decides which URLs may be fetched and which addresses a fetch may connect
//! to; [`fetch`] fetches under it, hop by hop; [`decode`] turns the bytes into a slot's
//! pixels, under limits. [`Pictures`] ties them to requests: a byte-bounded, coalescing
//! cache of fetched bodies and of pictures fitted to slots, at most N fetches at once (and
//! M per origin), decodes on their own pool under a global memory budget (never the text
//! render slots: text cards are served while pictures are attacked), and a [`Failure`] for
//! every way a picture can be missing — the card then draws the slot's fallback, and the
//! server says why (`X-Image-Error`) and does not keep the card.
//!
//! Only the origin's failures are remembered (for [`FAILURE_KEEP`]): a status, a body that
//! is not a picture or too large, a fetch that timed out. Waiting for one of our own fetch
//! or decode slots is bounded on its own and is never part of the fetch's timeout; when it
//! runs out the failure is [`Failure::Busy`], ours, and not remembered.

pub mod decode;
pub mod fetch;
pub mod policy;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiny_skia::Pixmap;

use crate::assets::templates::{PictureSlot, Template};
use crate::cache::{Cache, Cached, Stats};
use crate::render::CardPictures;
use crate::request::{CardRequest, Dpr};
use decode::PictureError;
use fetch::Fetcher;
use policy::Sources;

/// Why a picture is not in a card. `reason()` is what `X-Image-Error` says.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("not under an allowed image source")]
    NotAllowed,
    #[error("redirected outside the allowed image sources")]
    RedirectNotAllowed,
    #[error("a redirect without a usable Location")]
    BadRedirect,
    #[error("more than {} redirects", fetch::MAX_REDIRECTS)]
    TooManyRedirects,
    #[error("the host does not resolve")]
    Resolve,
    #[error("the host resolves to an address that is not public")]
    RefusedAddress,
    #[error("cannot connect")]
    Connect,
    #[error("TLS failed")]
    Tls,
    #[error("not a valid HTTP/1.1 response")]
    Protocol,
    #[error("timed out")]
    Timeout,
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("larger than the byte cap")]
    TooLarge,
    #[error("not a PNG, JPEG, WebP or GIF")]
    NotAPicture,
    #[error("more than {} pixels", decode::MAX_PIXELS)]
    TooManyPixels,
    #[error("cannot be decoded")]
    Undecodable,
    #[error("no fetch or decode slot in time (ours, not the origin's)")]
    Busy,
}

impl Failure {
    /// A short token for headers and metric labels (`status-404` in headers, `status`
    /// as a label).
    pub fn reason(&self) -> String {
        match self {
            Failure::Status(code) => format!("status-{code}"),
            other => other.label().to_string(),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Failure::NotAllowed => "not-allowed",
            Failure::RedirectNotAllowed => "redirect-not-allowed",
            Failure::BadRedirect => "bad-redirect",
            Failure::TooManyRedirects => "too-many-redirects",
            Failure::Resolve => "resolve",
            Failure::RefusedAddress => "refused-address",
            Failure::Connect => "connect",
            Failure::Tls => "tls",
            Failure::Protocol => "protocol",
            Failure::Timeout => "timeout",
            Failure::Status(_) => "status",
            Failure::TooLarge => "too-large",
            Failure::NotAPicture => "not-a-picture",
            Failure::TooManyPixels => "too-many-pixels",
            Failure::Undecodable => "undecodable",
            Failure::Busy => "busy",
        }
    }
}

impl From<PictureError> for Failure {
    fn from(e: PictureError) -> Failure {
        match e {
            PictureError::NotAPicture(_) => Failure::NotAPicture,
            PictureError::TooManyPixels { .. } => Failure::TooManyPixels,
            PictureError::Decode(_) => Failure::Undecodable,
        }
    }
}

/// The operator's picture settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub sources: Sources,
    /// The whole fetch, redirects included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_bytes: usize,
    pub cache_bytes: usize,
    /// At most this many fetches at once.
    pub max_fetches: usize,
    /// At most this many fetches at once from one origin.
    pub fetches_per_origin: usize,
    /// What all decodes together may hold (see [`decode::decode_cost`]).
    pub decode_bytes: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            sources: Sources::default(),
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(2),
            max_bytes: 5 << 20,
            cache_bytes: 64 << 20,
            max_fetches: 16,
            fetches_per_origin: 4,
            decode_bytes: 128 << 20,
        }
    }
}

/// How long a fetched picture is kept: the origin's `max-age` within these bounds, an hour
/// without one.
pub const MIN_KEEP: Duration = Duration::from_secs(60);
pub const MAX_KEEP: Duration = Duration::from_secs(24 * 3600);
const DEFAULT_KEEP: Duration = Duration::from_secs(3600);
/// How long an origin's failure is remembered: as long as the card drawn without the
/// picture may be kept by a CDN (`max-age=60`).
pub const FAILURE_KEEP: Duration = Duration::from_secs(60);

/// What the picture cache holds.
#[derive(Clone)]
enum Stored {
    /// A URL's body, or why there is none.
    Body(Result<Arc<Vec<u8>>, Failure>, Instant),
    /// A body fitted to a slot's pixels.
    Fitted(Arc<Pixmap>, Instant),
}

/// Bookkeeping per entry beyond its bytes and key: the LRU node, the map slot, the `Arc`
/// and the allocator's block headers.
const OVERHEAD: usize = 192;

impl Cached for Stored {
    fn cost(&self, key: &str) -> usize {
        let held = match self {
            Stored::Body(Ok(bytes), _) => bytes.capacity(),
            Stored::Body(Err(_), _) => 0,
            Stored::Fitted(pixmap, _) => pixmap.data().len(),
        };
        held + key.len() + OVERHEAD
    }

    fn fresh(&self) -> bool {
        let (Stored::Body(_, until) | Stored::Fitted(_, until)) = self;
        Instant::now() < *until
    }
}

/// Pictures for requests: the sources, the fetcher, the cache.
pub struct Pictures {
    config: Config,
    fetcher: Fetcher,
    cache: Cache<Failure, Stored>,
    fetches: Arc<tokio::sync::Semaphore>,
    /// Fetch slots per origin (`https://host:port`), dropped when unused.
    origins: Mutex<std::collections::HashMap<String, Arc<tokio::sync::Semaphore>>>,
    /// The decode budget, one permit a KiB.
    decode_budget: Arc<tokio::sync::Semaphore>,
    /// Decodes running at once: one per core, apart from the render slots.
    decoders: Arc<tokio::sync::Semaphore>,
    /// `ogcard_image_fetches_total` by result.
    outcomes: Mutex<BTreeMap<&'static str, u64>>,
}

/// A card's pictures ready to draw, and the ones that failed (`(param, failure)`).
pub struct Prepared {
    pub pictures: CardPictures,
    pub failures: Vec<(&'static str, Failure)>,
}

impl Prepared {
    /// `image=timeout, avatar=status-404`: for `X-Image-Error`; `None` when none failed.
    pub fn error_header(&self) -> Option<String> {
        (!self.failures.is_empty()).then(|| {
            self.failures
                .iter()
                .map(|(name, f)| format!("{name}={}", f.reason()))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

impl Pictures {
    pub fn new(config: Config) -> Pictures {
        Pictures {
            fetcher: Fetcher::new(config.connect_timeout, config.max_bytes),
            cache: Cache::new(config.cache_bytes),
            fetches: Arc::new(tokio::sync::Semaphore::new(config.max_fetches.max(1))),
            origins: Mutex::new(std::collections::HashMap::new()),
            decode_budget: Arc::new(tokio::sync::Semaphore::new(
                (config.decode_bytes >> 10).clamp(1, tokio::sync::Semaphore::MAX_PERMITS),
            )),
            decoders: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            outcomes: Mutex::new(BTreeMap::new()),
            config,
        }
    }

    /// Whether the request's picture URLs are all allowed: `Err((param, why))` for the
    /// first that is not (a 400).
    pub fn check(&self, req: &CardRequest) -> Result<(), (&'static str, String)> {
        for (name, url) in crate::request::PICTURES.iter().zip(&req.pictures) {
            if let Some(url) = url {
                self.config.sources.check(url).map_err(|why| (*name, why))?;
            }
        }
        Ok(())
    }

    /// Every picture `template` shows that `req` gives, fitted to its slot at `dpr`:
    /// from the cache, or fetched and fitted once however many cards want it at the same
    /// time. Fitting (decode and resize, CPU work) runs on the blocking pool under the
    /// decode budget and the decoders' own slots. Whatever is not there by `until` is a
    /// `Timeout`.
    pub async fn gather(
        &self,
        req: &CardRequest,
        template: &Template,
        dpr: Dpr,
        until: Instant,
    ) -> Prepared {
        let scale = dpr.factor();
        let wanted: Vec<(&PictureSlot, &str)> = template
            .pictures
            .iter()
            .filter_map(|slot| Some((slot, req.picture(slot.name)?)))
            .collect();
        let results = futures_util::future::join_all(wanted.iter().map(|&(slot, url)| {
            let left = until.saturating_duration_since(Instant::now());
            async move {
                tokio::time::timeout(left, self.fitted(url, slot, scale, until))
                    .await
                    .unwrap_or(Err(Failure::Timeout))
            }
        }))
        .await;
        let mut prepared = Prepared {
            pictures: CardPictures::none(),
            failures: Vec::new(),
        };
        for ((slot, _), result) in wanted.into_iter().zip(results) {
            match result {
                Ok((pixmap, outcome)) => {
                    self.count(outcome);
                    prepared.pictures.set(slot.name, pixmap);
                }
                Err(failure) => {
                    self.count(failure.label());
                    prepared.failures.push((slot.name, failure));
                }
            }
        }
        prepared
    }

    /// `url` fitted to `slot` at `scale`, and whether that was a `hit` or `fetched` now.
    async fn fitted(
        &self,
        url: &str,
        slot: &PictureSlot,
        scale: f32,
        until: Instant,
    ) -> Result<(Arc<Pixmap>, &'static str), Failure> {
        let key = fitted_key(url, slot, scale);
        let mut fetched = false;
        let (stored, _) = self
            .cache
            .get_or_render(&key, || async {
                let (body, keep, fresh) = self.body(url).await;
                fetched = fresh;
                let bytes = body?;
                // The same bytes fail the same way: remembered as the URL's failure.
                let remember = |failure: Failure| {
                    let stored = Stored::Body(Err(failure.clone()), Instant::now() + FAILURE_KEEP);
                    self.cache.insert(&body_key(url), stored);
                    failure
                };
                let (_, _, width, height) = slot.pixel_box(scale);
                let cost =
                    decode::decode_cost(&bytes, width, height).map_err(|e| remember(e.into()))?;
                if cost > self.config.decode_bytes as u64 {
                    return Err(remember(Failure::TooLarge));
                }
                let kib = u32::try_from(cost.div_ceil(1024)).map_err(|_| Failure::TooLarge)?;
                let wait = async {
                    let budget = Arc::clone(&self.decode_budget)
                        .acquire_many_owned(kib)
                        .await;
                    let slot = Arc::clone(&self.decoders).acquire_owned().await;
                    budget.ok().zip(slot.ok())
                };
                let permits = tokio::time::timeout_at(until.into(), wait)
                    .await
                    .ok()
                    .flatten()
                    .ok_or(Failure::Busy)?;
                let slot = slot.clone();
                let work = tokio::task::spawn_blocking(move || {
                    let _permits = permits;
                    fit_to_slot(&bytes, &slot, scale)
                });
                match work.await.unwrap_or(Err(Failure::Undecodable)) {
                    Ok(pixmap) => Ok(Stored::Fitted(Arc::new(pixmap), keep)),
                    Err(failure) => Err(remember(failure)),
                }
            })
            .await?;
        match stored {
            Stored::Fitted(pixmap, _) => Ok((pixmap, if fetched { "fetched" } else { "hit" })),
            Stored::Body(..) => Err(Failure::Undecodable),
        }
    }

    /// A URL's body from the cache, or fetched once however many cards ask at the same
    /// time; the origin's failures are remembered for [`FAILURE_KEEP`], ours
    /// ([`Failure::Busy`]) are not. Also says until when it may be kept and whether this
    /// call fetched it.
    async fn body(&self, url: &str) -> (Result<Arc<Vec<u8>>, Failure>, Instant, bool) {
        let key = body_key(url);
        let result = self
            .cache
            .get_or_render(&key, || async {
                let fetched = self.fetch(url).await;
                let now = Instant::now();
                match fetched {
                    Ok(f) => {
                        let keep = f.max_age.unwrap_or(DEFAULT_KEEP).clamp(MIN_KEEP, MAX_KEEP);
                        Ok(Stored::Body(Ok(Arc::new(f.bytes)), now + keep))
                    }
                    Err(Failure::Busy) => Err(Failure::Busy),
                    Err(failure) => Ok(Stored::Body(Err(failure), now + FAILURE_KEEP)),
                }
            })
            .await;
        match result {
            Ok((Stored::Body(body, until), lookup)) => {
                (body, until, lookup == crate::cache::Lookup::Miss)
            }
            Ok((Stored::Fitted(..), _)) => (Err(Failure::Protocol), Instant::now(), false),
            Err(failure) => (Err(failure), Instant::now(), false),
        }
    }

    /// One fetch: first a slot of its origin's and one of all (waiting at most the fetch
    /// timeout, apart: a `Busy` when they do not come), then the fetch itself under its own
    /// whole-fetch timeout.
    async fn fetch(&self, url: &str) -> Result<fetch::Fetched, Failure> {
        let url = url::Url::parse(url).map_err(|_| Failure::NotAllowed)?;
        let origin = self.origin_slots(&url.origin().ascii_serialization());
        let wait = async {
            let own = origin.acquire_owned().await.ok()?;
            let all = self.fetches.acquire().await.ok()?;
            Some((own, all))
        };
        let _permits = tokio::time::timeout(self.config.timeout, wait)
            .await
            .ok()
            .flatten()
            .ok_or(Failure::Busy)?;
        tokio::time::timeout(
            self.config.timeout,
            self.fetcher.fetch(&self.config.sources, url),
        )
        .await
        .unwrap_or(Err(Failure::Timeout))
    }

    /// The fetch slots of `origin`; origins no fetch holds are forgotten as others come.
    fn origin_slots(&self, origin: &str) -> Arc<tokio::sync::Semaphore> {
        let mut origins = self.origins.lock().unwrap_or_else(|p| p.into_inner());
        if origins.len() >= 256 {
            origins.retain(|_, slots| Arc::strong_count(slots) > 1);
        }
        let per_origin = self.config.fetches_per_origin.max(1);
        Arc::clone(
            origins
                .entry(origin.to_string())
                .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(per_origin))),
        )
    }

    /// Counts one picture's outcome: `hit`, `fetched`, or a failure's label.
    fn count(&self, outcome: &'static str) {
        *self
            .outcomes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(outcome)
            .or_default() += 1;
    }

    /// `ogcard_image_fetches_total` by result, and the picture cache's counters.
    pub fn stats(&self) -> (Vec<(&'static str, u64)>, Stats) {
        let outcomes = self
            .outcomes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect();
        (outcomes, self.cache.stats())
    }
}

/// `bytes` decoded and fitted to `slot`'s box at `scale`, corners rounded.
pub fn fit_to_slot(bytes: &[u8], slot: &PictureSlot, scale: f32) -> Result<Pixmap, Failure> {
    let picture = decode::decode_any(bytes)?;
    let (_, _, width, height) = slot.pixel_box(scale);
    let mut pixmap = decode::fit(picture, width, height, slot.fit).ok_or(Failure::Undecodable)?;
    decode::round_corners(&mut pixmap, slot.radius * scale);
    Ok(pixmap)
}

/// The cache key of `url`'s body.
fn body_key(url: &str) -> String {
    format!("body\n{url}")
}

/// The cache key of `url` fitted to `slot` at `scale`.
fn fitted_key(url: &str, slot: &PictureSlot, scale: f32) -> String {
    let (_, _, w, h) = slot.pixel_box(scale);
    format!(
        "fit\n{url}\n{w}x{h}\n{:?}\n{}",
        slot.fit,
        (slot.radius * scale).round()
    )
}
