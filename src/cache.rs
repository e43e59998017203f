//! The in-process cache of rendered responses, and in-flight coalescing.
//!
//! An LRU bounded by the total bytes of its entries (bodies, keys and bookkeeping), never
//! above its budget; an entry's buffers hold exactly their length (the caller cuts them),
//! so what is counted is what is held. A miss renders once per key however many requests
//! ask for that key at the same time: the first runs the render, the others wait for its
//! result. A key's in-flight record lives exactly as long as some request waits on it:
//! the last one to leave, served or dropped (a client that went away), removes it. Knows
//! nothing of HTTP or rendering: values are opaque (`Entry`s for cards, pictures for the
//! picture cache), renders are futures. A value may expire (`Cached::fresh`), and a value
//! that must not be kept (a card drawn without its picture) is handed to the requests that
//! waited for it and not stored (`Cached::storable`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use lru::LruCache;
use tokio::sync::OnceCell;

/// What a cache holds.
pub trait Cached: Clone {
    /// The bytes this value and its key hold, bookkeeping included.
    fn cost(&self, key: &str) -> usize;
    /// Whether it may still be served (a picture past its `max-age` is not).
    fn fresh(&self) -> bool {
        true
    }
    /// Whether it may be stored at all; if not, only the requests that waited get it.
    fn storable(&self) -> bool {
        true
    }
}

/// A cached response body with what its headers need.
#[derive(Clone, Debug)]
pub struct Entry {
    pub bytes: Bytes,
    pub content_type: &'static str,
    /// The strong validator, quoted (`"…"`).
    pub etag: Arc<str>,
    /// `Server-Timing` of the render that made this entry.
    pub server_timing: Arc<str>,
    /// Why this card is a stand-in (`image=timeout`: a picture could not be had and its
    /// slot's fallback was drawn). Such an entry is never stored: the next request tries
    /// again.
    pub degraded: Option<Arc<str>>,
}

/// Bytes an entry costs beyond its body, key and strings: the `Entry` and its key's
/// `String` in an LRU node (~100), the node's map slot with spare capacity, the `Bytes`
/// and `Arc` headers, and the allocator's per-block overhead on each of four blocks.
const OVERHEAD: usize = 224;

impl Cached for Entry {
    fn cost(&self, key: &str) -> usize {
        self.bytes.len()
            + key.len()
            + self.etag.len()
            + self.server_timing.len()
            + self.degraded.as_ref().map_or(0, |d| d.len())
            + OVERHEAD
    }

    fn storable(&self) -> bool {
        self.degraded.is_none()
    }
}

/// Where a response came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Hit,
    Miss,
}

impl Lookup {
    pub fn as_str(self) -> &'static str {
        match self {
            Lookup::Hit => "hit",
            Lookup::Miss => "miss",
        }
    }
}

/// Counters, for `/metrics` and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub hits: u64,
    pub misses: u64,
    /// Renders actually run (misses minus those that waited on another's render).
    pub renders: u64,
    pub entries: u64,
    pub bytes: u64,
    pub budget: u64,
}

type Flight<V, E> = Arc<OnceCell<Result<V, E>>>;

/// A request's stake in a key's flight. Dropped when the request is served or abandoned;
/// the last one out removes the flight from the map.
struct Joined<'a, V, E> {
    in_flight: &'a Mutex<HashMap<String, Flight<V, E>>>,
    key: &'a str,
    flight: Flight<V, E>,
}

impl<V, E> Drop for Joined<'_, V, E> {
    fn drop(&mut self) {
        let mut in_flight = lock(self.in_flight);
        // Counted under the lock that every joiner clones under: 2 is the map's and ours.
        let last = Arc::strong_count(&self.flight) <= 2;
        if last
            && in_flight
                .get(self.key)
                .is_some_and(|f| Arc::ptr_eq(f, &self.flight))
        {
            in_flight.remove(self.key);
        }
    }
}

pub struct Cache<E, V = Entry> {
    lru: Mutex<Lru<V>>,
    budget: usize,
    in_flight: Mutex<HashMap<String, Flight<V, E>>>,
    hits: AtomicU64,
    misses: AtomicU64,
    renders: AtomicU64,
}

struct Lru<V> {
    map: LruCache<String, V>,
    bytes: usize,
}

impl<E: Clone, V: Cached> Cache<E, V> {
    /// A cache holding at most `budget` bytes. A budget of 0 caches nothing (renders are
    /// still coalesced).
    pub fn new(budget: usize) -> Cache<E, V> {
        Cache {
            lru: Mutex::new(Lru {
                map: LruCache::unbounded(),
                bytes: 0,
            }),
            budget,
            in_flight: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            renders: AtomicU64::new(0),
        }
    }

    /// The entry for `key`: from the cache, or from the one render of it in flight, or
    /// from `render` run now. A failed render is given to every waiter and not cached;
    /// neither is a value that is not [`storable`](Cached::storable).
    pub async fn get_or_render<F, Fut>(&self, key: &str, render: F) -> Result<(V, Lookup), E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(entry) = self.get(key) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok((entry, Lookup::Hit));
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let joined = Joined {
            in_flight: &self.in_flight,
            key,
            flight: Arc::clone(
                lock(&self.in_flight)
                    .entry(key.to_string())
                    .or_insert_with(|| Arc::new(OnceCell::new())),
            ),
        };
        // Only one initializer runs; if its request is dropped mid-render, a waiter
        // takes over. The winner stores the entry before the flight is retired, so a
        // request arriving in between finds one or the other.
        let result = joined
            .flight
            .get_or_init(|| async {
                // A render that finished between our lookup and joining the flight.
                if let Some(entry) = self.get(key) {
                    return Ok(entry);
                }
                self.renders.fetch_add(1, Ordering::Relaxed);
                let result = render().await;
                if let Ok(entry) = &result {
                    self.insert(key, entry.clone());
                }
                result
            })
            .await
            .clone();
        drop(joined);
        result.map(|entry| (entry, Lookup::Miss))
    }

    /// Keys with a render in flight or waited on (for tests and metrics).
    pub fn in_flight(&self) -> usize {
        lock(&self.in_flight).len()
    }

    /// The stored value for `key`, if it is still fresh (a stale one is dropped).
    pub fn get(&self, key: &str) -> Option<V> {
        let mut lru = lock(&self.lru);
        let entry = lru.map.get(key)?;
        if entry.fresh() {
            return Some(entry.clone());
        }
        if let Some(stale) = lru.map.pop(key) {
            lru.bytes -= stale.cost(key);
        }
        None
    }

    /// Stores `entry` under `key` (unless it is not storable or alone exceeds the budget),
    /// evicting the least recently used entries until the budget holds.
    pub fn insert(&self, key: &str, entry: V) {
        let cost = entry.cost(key);
        if cost > self.budget || !entry.storable() {
            return;
        }
        let mut lru = lock(&self.lru);
        if let Some(old) = lru.map.put(key.to_string(), entry) {
            lru.bytes -= old.cost(key);
        }
        lru.bytes += cost;
        while lru.bytes > self.budget {
            match lru.map.pop_lru() {
                Some((k, e)) => lru.bytes -= e.cost(&k),
                None => break,
            }
        }
    }

    /// Drops every stored entry whose key `stale` accepts (renders in flight finish and
    /// are stored; a caller that changed what keys mean has made them unreachable).
    /// Returns how many were dropped.
    pub fn remove_where(&self, stale: impl Fn(&str) -> bool) -> usize {
        let mut lru = lock(&self.lru);
        let keys: Vec<String> = lru
            .map
            .iter()
            .filter(|(k, _)| stale(k))
            .map(|(k, _)| k.clone())
            .collect();
        for key in &keys {
            if let Some(entry) = lru.map.pop(key) {
                lru.bytes -= entry.cost(key);
            }
        }
        keys.len()
    }

    pub fn stats(&self) -> Stats {
        let lru = lock(&self.lru);
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            renders: self.renders.load(Ordering::Relaxed),
            entries: lru.map.len() as u64,
            bytes: lru.bytes as u64,
            budget: self.budget as u64,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves the data consistent before anything that can panic,
    // so a poisoned lock still holds valid data.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: usize) -> Entry {
        Entry {
            bytes: Bytes::from(vec![0u8; size]),
            content_type: "image/png",
            etag: "\"x\"".into(),
            server_timing: "".into(),
            degraded: None,
        }
    }

    async fn fill(cache: &Cache<()>, key: &str, size: usize) -> Lookup {
        cache
            .get_or_render(key, || async { Ok(entry(size)) })
            .await
            .unwrap()
            .1
    }

    #[tokio::test]
    async fn ten_thousand_entries_never_exceed_the_budget() {
        let budget = 64 * 1024;
        let cache = Cache::<()>::new(budget);
        for i in 0..10_000 {
            fill(&cache, &format!("title {i}"), 500 + (i * 7919) % 9000).await;
            let stats = cache.stats();
            assert!(stats.bytes <= budget as u64, "{stats:?} after {i}");
        }
        let stats = cache.stats();
        assert!(stats.entries > 5, "{stats:?}");
        assert_eq!(stats.renders, 10_000);
    }

    #[tokio::test]
    async fn least_recently_used_goes_first_and_oversized_is_not_kept() {
        let cache = Cache::<()>::new(3 * (1000 + OVERHEAD + 8));
        assert_eq!(fill(&cache, "a", 1000).await, Lookup::Miss);
        assert_eq!(fill(&cache, "b", 1000).await, Lookup::Miss);
        assert_eq!(fill(&cache, "a", 1000).await, Lookup::Hit);
        assert_eq!(fill(&cache, "c", 1000).await, Lookup::Miss);
        assert_eq!(fill(&cache, "d", 1000).await, Lookup::Miss);
        assert_eq!(fill(&cache, "a", 1000).await, Lookup::Hit);
        assert_eq!(fill(&cache, "b", 1000).await, Lookup::Miss, "b was evicted");
        let before = cache.stats().entries;
        assert_eq!(fill(&cache, "huge", 1 << 20).await, Lookup::Miss);
        assert_eq!(fill(&cache, "huge", 1 << 20).await, Lookup::Miss);
        assert_eq!(cache.stats().entries, before);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_misses_render_once() {
        let cache = Arc::new(Cache::<()>::new(1 << 20));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..64 {
            let cache = Arc::clone(&cache);
            tasks.spawn(async move {
                cache
                    .get_or_render("same", || async {
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Ok(entry(10))
                    })
                    .await
                    .unwrap()
            });
        }
        while let Some(r) = tasks.join_next().await {
            r.unwrap();
        }
        assert_eq!(cache.stats().renders, 1);
        assert_eq!(cache.stats().misses + cache.stats().hits, 64);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn abandoned_requests_leave_nothing_in_flight() {
        let cache = Arc::new(Cache::<()>::new(1 << 20));
        // Requests that never finish (a render slot that never frees), dropped while they
        // wait: the client went away. Some share a key, so joiners leave too.
        let mut waiting = Vec::new();
        for i in 0..100 {
            let cache = Arc::clone(&cache);
            waiting.push(tokio::spawn(async move {
                let key = format!("key {}", i % 40);
                let _ = cache
                    .get_or_render(&key, std::future::pending::<Result<Entry, ()>>)
                    .await;
            }));
        }
        for _ in 0..200 {
            if cache.in_flight() == 40 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert_eq!(cache.in_flight(), 40);
        // One of the waiters on key 0 leaves: the others still wait, the flight stays.
        waiting.remove(0).abort();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(cache.in_flight(), 40);
        for task in waiting {
            task.abort();
            let _ = task.await;
        }
        assert_eq!(cache.in_flight(), 0, "every abandoned flight is gone");
        // And a served request leaves nothing either.
        fill(&cache, "served", 10).await;
        assert_eq!(cache.in_flight(), 0);
    }

    #[tokio::test]
    async fn a_degraded_card_goes_to_its_waiters_and_is_not_kept() {
        let cache = Cache::<()>::new(1 << 20);
        let degraded = Entry {
            degraded: Some("image=timeout".into()),
            ..entry(10)
        };
        let (got, lookup) = cache
            .get_or_render("k", || async { Ok(degraded) })
            .await
            .unwrap();
        assert_eq!(
            (got.degraded.as_deref(), lookup),
            (Some("image=timeout"), Lookup::Miss)
        );
        assert_eq!(cache.stats().entries, 0);
        assert_eq!(fill(&cache, "k", 10).await, Lookup::Miss, "tried again");
        assert_eq!(fill(&cache, "k", 10).await, Lookup::Hit);
    }

    #[derive(Clone)]
    struct Expiring(std::time::Instant);

    impl Cached for Expiring {
        fn cost(&self, key: &str) -> usize {
            key.len() + 8
        }
        fn fresh(&self) -> bool {
            std::time::Instant::now() < self.0
        }
    }

    #[test]
    fn a_stale_value_is_a_miss_and_leaves() {
        let cache = Cache::<(), Expiring>::new(1 << 10);
        let now = std::time::Instant::now();
        cache.insert("old", Expiring(now));
        cache.insert("new", Expiring(now + std::time::Duration::from_secs(60)));
        assert!(cache.get("old").is_none());
        assert!(cache.get("new").is_some());
        assert_eq!(cache.stats().entries, 1);
        assert_eq!(cache.stats().bytes, 3 + 8);
    }

    #[tokio::test]
    async fn a_failed_render_is_not_cached() {
        let cache = Cache::<&'static str>::new(1 << 20);
        let err = cache.get_or_render("k", || async { Err("boom") }).await;
        assert_eq!(err.unwrap_err(), "boom");
        let ok = cache.get_or_render("k", || async { Ok(entry(1)) }).await;
        assert_eq!(ok.unwrap().1, Lookup::Miss);
        assert_eq!(cache.stats().renders, 2);
    }
}
