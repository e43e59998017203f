//! The in-process cache of encoded cards, keyed by the canonical request.
//!
//! An LRU bounded by entry count. Values are `Bytes`, so a hit is a reference-count bump.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use bytes::Bytes;
use lru::LruCache;

/// A cached response body and its content type.
#[derive(Clone, Debug)]
pub struct Entry {
    pub bytes: Bytes,
    pub content_type: &'static str,
}

pub struct Cache {
    inner: Mutex<LruCache<String, Entry>>,
}

impl Cache {
    pub fn new(entries: NonZeroUsize) -> Cache {
        Cache {
            inner: Mutex::new(LruCache::new(entries)),
        }
    }

    pub fn get(&self, key: &str) -> Option<Entry> {
        self.lock().get(key).cloned()
    }

    pub fn put(&self, key: String, entry: Entry) {
        self.lock().put(key, entry);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Entry>> {
        // A panic while holding the lock cannot leave the LRU half-updated in a way that
        // matters (entries are whole values), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let cache = Cache::new(NonZeroUsize::new(2).unwrap());
        let e = |s: &'static str| Entry {
            bytes: Bytes::from_static(s.as_bytes()),
            content_type: "text/plain",
        };
        cache.put("a".into(), e("1"));
        cache.put("b".into(), e("2"));
        assert!(cache.get("a").is_some());
        cache.put("c".into(), e("3"));
        assert!(cache.get("b").is_none());
        assert!(cache.get("a").is_some());
        assert_eq!(cache.len(), 2);
    }
}
