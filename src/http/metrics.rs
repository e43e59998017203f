//! Counters for `GET /metrics`, in the Prometheus text format (written by hand: a few
//! atomics do not need a metrics framework).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cache::Stats;

/// Upper bounds of the render-duration histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0,
];

#[derive(Default)]
pub struct Metrics {
    /// (route, status) → responses.
    responses: Mutex<BTreeMap<(&'static str, u16), u64>>,
    render_buckets: [AtomicU64; BUCKETS.len()],
    render_count: AtomicU64,
    render_micros: AtomicU64,
    in_flight: AtomicI64,
    /// 503s because no render slot freed up within the wait.
    rejected_busy: AtomicU64,
    /// 503s because the render ran past its deadline.
    rejected_deadline: AtomicU64,
    connections_open: AtomicI64,
    connections_refused: AtomicU64,
    connections_evicted: AtomicU64,
    closed_header: AtomicU64,
    closed_idle: AtomicU64,
    accept_pauses: AtomicU64,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

/// Why the listener closed a connection.
#[derive(Clone, Copy, Debug)]
pub enum Timeout {
    /// A request head not complete within the header timeout.
    Header,
    /// Nothing sent either way for the idle timeout.
    Idle,
}

/// Why a request got 503.
#[derive(Clone, Copy, Debug)]
pub enum Rejection {
    /// No render slot within the wait.
    Busy,
    /// The render gave up at its deadline.
    Deadline,
}

impl Metrics {
    pub fn response(&self, route: &'static str, status: u16) {
        let mut map = self.responses.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry((route, status)).or_default() += 1;
    }

    pub fn render_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(Arc::clone(self))
    }

    pub fn render_took(&self, d: Duration) {
        let secs = d.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.render_buckets) {
            if secs <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.render_count.fetch_add(1, Ordering::Relaxed);
        self.render_micros
            .fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn rejected(&self, why: Rejection) {
        match why {
            Rejection::Busy => &self.rejected_busy,
            Rejection::Deadline => &self.rejected_deadline,
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    pub fn connection_opened(self: &Arc<Self>) -> OpenConnection {
        self.connections_open.fetch_add(1, Ordering::Relaxed);
        OpenConnection(Arc::clone(self))
    }

    pub fn connection_refused(&self) {
        self.connections_refused.fetch_add(1, Ordering::Relaxed);
    }

    /// An idle keep-alive connection closed to make room for a new one at the cap.
    pub fn connection_evicted(&self) {
        self.connections_evicted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn connection_timed_out(&self, why: Timeout) {
        match why {
            Timeout::Header => &self.closed_header,
            Timeout::Idle => &self.closed_idle,
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    pub fn accept_paused(&self) {
        self.accept_pauses.fetch_add(1, Ordering::Relaxed);
    }

    /// A template reload (`--watch-templates`) that took effect, or was refused.
    pub fn template_reload(&self, ok: bool) {
        if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render_text(&self, cache: &Stats) -> String {
        let mut out = String::with_capacity(2048);
        // Infallible: `fmt::Write` for `String` never fails.
        let _ = self.write_text(&mut out, cache);
        out
    }

    fn write_text(&self, out: &mut String, cache: &Stats) -> std::fmt::Result {
        writeln!(
            out,
            "# HELP ogcard_http_responses_total HTTP responses by route and status."
        )?;
        writeln!(out, "# TYPE ogcard_http_responses_total counter")?;
        let responses = self
            .responses
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for ((route, status), n) in responses {
            writeln!(
                out,
                "ogcard_http_responses_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            )?;
        }
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let counters = [
            (
                "ogcard_cache_hits_total",
                "Requests answered from the in-process cache.",
                cache.hits,
            ),
            (
                "ogcard_cache_misses_total",
                "Requests not in the cache (coalesced ones included).",
                cache.misses,
            ),
            (
                "ogcard_renders_total",
                "Renders that ran (whatever their outcome; see the duration histogram).",
                load(&self.render_count),
            ),
            (
                "ogcard_connections_refused_total",
                "Connections closed at once because --max-connections were open and none was idle.",
                load(&self.connections_refused),
            ),
            (
                "ogcard_connections_evicted_total",
                "Idle keep-alive connections closed (longest idle first) to admit a new one at --max-connections.",
                load(&self.connections_evicted),
            ),
            (
                "ogcard_accept_pauses_total",
                "Times accepting paused because the process ran out of file descriptors.",
                load(&self.accept_pauses),
            ),
        ];
        for (name, help, v) in counters {
            writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            )?;
        }
        let labelled = [
            (
                "ogcard_rejections_total",
                "Requests refused with 503: no render slot in time (busy), or the render gave up at its deadline.",
                "reason",
                [("busy", load(&self.rejected_busy)), ("deadline", load(&self.rejected_deadline))],
            ),
            (
                "ogcard_connections_closed_total",
                "Connections closed by a timeout: a request head not complete in time (header), or nothing sent either way (idle).",
                "reason",
                [("header", load(&self.closed_header)), ("idle", load(&self.closed_idle))],
            ),
            (
                "ogcard_template_reloads_total",
                "Template directory changes (--watch-templates): reloaded (ok), or refused with the last good templates kept (error).",
                "result",
                [("ok", load(&self.reloads_ok)), ("error", load(&self.reloads_failed))],
            ),
        ];
        for (name, help, label, values) in labelled {
            writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter")?;
            for (value, n) in values {
                writeln!(out, "{name}{{{label}=\"{value}\"}} {n}")?;
            }
        }
        let gauges = [
            (
                "ogcard_cache_entries",
                "Entries in the cache.",
                cache.entries as i64,
            ),
            (
                "ogcard_cache_bytes",
                "Bytes the cache holds (bodies, keys, bookkeeping).",
                cache.bytes as i64,
            ),
            (
                "ogcard_cache_budget_bytes",
                "The cache's byte budget.",
                cache.budget as i64,
            ),
            (
                "ogcard_renders_in_flight",
                "Renders running now.",
                self.in_flight.load(Ordering::Relaxed),
            ),
            (
                "ogcard_connections_open",
                "Client connections open now.",
                self.connections_open.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, v) in gauges {
            writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}")?;
        }
        let name = "ogcard_render_duration_seconds";
        writeln!(
            out,
            "# HELP {name} Time to render a card (layout, SVG, raster, encode)."
        )?;
        writeln!(out, "# TYPE {name} histogram")?;
        for (bound, bucket) in BUCKETS.iter().zip(&self.render_buckets) {
            writeln!(
                out,
                "{name}_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            )?;
        }
        let count = self.render_count.load(Ordering::Relaxed);
        writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}")?;
        let sum = self.render_micros.load(Ordering::Relaxed) as f64 / 1e6;
        writeln!(out, "{name}_sum {sum}\n{name}_count {count}")
    }
}

/// Counts a connection as open until dropped.
pub struct OpenConnection(Arc<Metrics>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.connections_open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Counts a render as in flight until dropped.
pub struct InFlight(Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The picture section of `/metrics`: each picture's outcome, and the picture cache.
pub fn pictures_text(pictures: &crate::pictures::Pictures) -> String {
    use std::fmt::Write as _;
    let (outcomes, cache) = pictures.stats();
    let mut out = String::from(
        "# HELP ogcard_image_fetches_total Pictures a card asked for, by result: hit (the picture cache), fetched, or why it is missing.\n# TYPE ogcard_image_fetches_total counter\n",
    );
    for (result, n) in outcomes {
        let _ = writeln!(out, "ogcard_image_fetches_total{{result=\"{result}\"}} {n}");
    }
    for (name, help, value) in [
        (
            "ogcard_image_cache_entries",
            "Entries in the picture cache (bodies and fitted pictures).",
            cache.entries,
        ),
        (
            "ogcard_image_cache_bytes",
            "Bytes the picture cache holds.",
            cache.bytes,
        ),
        (
            "ogcard_image_cache_budget_bytes",
            "The picture cache's byte budget.",
            cache.budget,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    }
    out
}

/// The kept photo backgrounds (`render::photo`) and the templates' backgrounds kept as
/// JPEG strips (`render::jpeg`): their bytes against their budgets.
pub fn photos_text(assets: &crate::render::Assets) -> String {
    let (bytes, budget) = assets.photo_bytes();
    let (jpeg, jpeg_budget) = assets.jpeg_bytes();
    format!(
        "# HELP ogcard_photo_backgrounds_bytes Bytes of the backgrounds with pictures kept for the next card (drawn, quantised for PNG, encoded for JPEG).\n\
         # TYPE ogcard_photo_backgrounds_bytes gauge\nogcard_photo_backgrounds_bytes {bytes}\n\
         # HELP ogcard_photo_backgrounds_budget_bytes The byte budget of those backgrounds.\n\
         # TYPE ogcard_photo_backgrounds_budget_bytes gauge\nogcard_photo_backgrounds_budget_bytes {budget}\n\
         # HELP ogcard_jpeg_backgrounds_bytes Bytes of the templates' backgrounds kept encoded as JPEG strips.\n\
         # TYPE ogcard_jpeg_backgrounds_bytes gauge\nogcard_jpeg_backgrounds_bytes {jpeg}\n\
         # HELP ogcard_jpeg_backgrounds_budget_bytes The byte budget of those strips.\n\
         # TYPE ogcard_jpeg_backgrounds_budget_bytes gauge\nogcard_jpeg_backgrounds_budget_bytes {jpeg_budget}\n"
    )
}
