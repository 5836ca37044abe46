//! In-memory cache of ranked lists (the original documented one but never built it: §4.23).
//!
//! Keyed by the canonical user and a hash of every ranking-affecting parameter; the cursor is
//! not part of the key, so every page of a query is cut from one list (no repeats, no
//! recomputation). A history write drops all of that user's lists, on this replica directly
//! and on the others through Postgres `NOTIFY` (see `routes::history`).

use super::params::RecommendParams;
use super::pipeline::RankedList;
use moka::future::Cache;
use seen_core::events::canonical_profile_id;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A ranked list plus the id cursors use to recognise it.
pub struct CachedList {
    /// Unique per computation: a recomputed list gets a new id, so old cursors go stale.
    pub list_id: String,
    pub ranked: RankedList,
}

/// The ranked-list cache.
#[derive(Clone)]
pub struct RecommendCache {
    inner: Cache<String, Arc<CachedList>>,
    counter: Arc<AtomicU64>,
}

impl RecommendCache {
    /// A cache of at most `capacity` lists, each living `ttl`.
    pub fn new(capacity: u64, ttl: Duration) -> Self {
        RecommendCache {
            inner: Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .support_invalidation_closures()
                .build(),
            counter: Arc::new(AtomicU64::new(0)),
        }
    }

    /// `<canonical user>|<sha256 of the parameters>`.
    pub fn key(&self, params: &RecommendParams) -> String {
        let canonical = canonical_profile_id(&params.user_id, params.profile.as_deref());
        let json = serde_json::to_string(params).unwrap_or_default();
        let digest = Sha256::digest(json.as_bytes());
        format!("{canonical}|{}", hex::encode(&digest[..16]))
    }

    /// The cached list for `key`, if any.
    pub async fn get(&self, key: &str) -> Option<Arc<CachedList>> {
        self.inner.get(key).await
    }

    /// Stores a freshly ranked list and returns it.
    pub async fn insert(&self, key: String, ranked: RankedList) -> Arc<CachedList> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let digest = Sha256::digest(format!("{key}|{n}|{nanos}").as_bytes());
        let list = Arc::new(CachedList {
            list_id: hex::encode(&digest[..8]),
            ranked,
        });
        self.inner.insert(key, list.clone()).await;
        list
    }

    /// Drops every list of `canonical_user` (all queries and parameters).
    pub fn invalidate_user(&self, canonical_user: &str) {
        let prefix = format!("{canonical_user}|");
        if let Err(e) = self
            .inner
            .invalidate_entries_if(move |k, _| k.starts_with(&prefix))
        {
            // Only fails when invalidation closures are disabled, which `new` never does.
            tracing::error!(error = %e, "cannot invalidate cached recommendations");
        }
    }

    /// Number of cached lists (approximate; for metrics).
    pub fn len(&self) -> u64 {
        self.inner.entry_count()
    }

    /// True when no list is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
