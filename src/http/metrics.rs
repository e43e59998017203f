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
    rejections: AtomicU64,
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

    pub fn rejected(&self) {
        self.rejections.fetch_add(1, Ordering::Relaxed);
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
            ("ogcard_renders_total", "Renders run.", cache.renders),
            (
                "ogcard_rejections_total",
                "Requests refused with 503 (no render slot in time, or past the deadline).",
                self.rejections.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, v) in counters {
            writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            )?;
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

/// Counts a render as in flight until dropped.
pub struct InFlight(Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}
