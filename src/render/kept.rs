//! What cards keep for the next card (backgrounds with their pictures, backgrounds encoded
//! as JPEG strips): a byte-bounded cache, most recently used last.

use std::sync::{Arc, Mutex, MutexGuard};

use super::RenderError;

/// A thing kept, and the bytes it holds (by capacity). It may grow after it is kept (a
/// background quantised by a later card): the budget is checked each time one is asked
/// for, so that growth is counted at the next card.
pub trait Held {
    fn bytes(&self) -> usize;
}

/// Values by key within `budget` bytes, the least recently used dropped first.
pub struct Kept<K, V> {
    kept: Mutex<Vec<(K, Arc<V>)>>,
    budget: usize,
}

impl<K: Copy + PartialEq, V: Held> Kept<K, V> {
    pub fn new(budget: usize) -> Kept<K, V> {
        Kept {
            kept: Mutex::new(Vec::new()),
            budget,
        }
    }

    /// The value `key` names: kept, or made by `make` and kept (when it fits the budget,
    /// the least recently used going first).
    pub fn get_or_make(
        &self,
        key: K,
        make: impl FnOnce() -> Result<V, RenderError>,
    ) -> Result<Arc<V>, RenderError> {
        if let Some(found) = self.take(key) {
            return Ok(found);
        }
        let made = Arc::new(make()?);
        let mut kept = self.lock();
        if !kept.iter().any(|(k, _)| *k == key) {
            kept.push((key, Arc::clone(&made)));
        }
        self.trim(&mut kept);
        Ok(made)
    }

    /// The value for `key`, moved to the most recent place; and the budget kept, counting
    /// what the values grew by since.
    fn take(&self, key: K) -> Option<Arc<V>> {
        let mut kept = self.lock();
        let found = kept.iter().position(|(k, _)| *k == key).map(|i| {
            let entry = kept.remove(i);
            let value = Arc::clone(&entry.1);
            kept.push(entry);
            value
        });
        self.trim(&mut kept);
        found
    }

    /// Drops the least recently used until what is kept fits the budget.
    fn trim(&self, kept: &mut Vec<(K, Arc<V>)>) {
        let mut total: usize = kept.iter().map(|(_, v)| v.bytes()).sum();
        while total > self.budget && !kept.is_empty() {
            total -= kept.remove(0).1.bytes();
        }
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.lock().iter().map(|(_, v)| v.bytes()).sum()
    }

    /// How many values are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(K, Arc<V>)>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}
