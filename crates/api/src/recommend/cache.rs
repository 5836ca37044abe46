//! In-memory cache of ranked lists (the original documented one but never built it: §4.23).
//!
//! Keyed by the canonical user and a digest of every ranking-affecting parameter; the cursor
//! is not part of the key, so every page of a query is cut from one list (no repeats, no
//! recomputation). A history write drops all of that user's lists, on this replica directly
//! and on the others through Postgres `NOTIFY` (see `routes::history`): it moves the user to
//! a new generation, which is part of the key, so the old lists are never read again and age
//! out. (moka's `invalidate_entries_if` scans every cached list per write; measured, that
//! cost a cache-miss request ~0.2 ms of CPU under a mixed load.)
//!
//! The notice names the replica that wrote ([`HistoryNotice`]), and a replica ignores its own:
//! it already moved the user on when its transaction committed, and a second move arriving
//! later would orphan the list a first page was just cut from (its cursor would fail).

use super::params::RecommendParams;
use super::pipeline::RankedList;
use moka::future::Cache;
use seen_core::events::canonical_profile_id;
use seen_core::mixer::MixerOverrides;
use serde::{Deserialize, Serialize};
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

/// A SHA-256 of every field of `params`, each written with a tag and its length, so two
/// requests share a digest only when every parameter is equal. Building it cannot fail. The
/// fields are listed by destructuring, so a new parameter does not compile until it is
/// written here too.
fn params_digest(params: &RecommendParams) -> String {
    let RecommendParams {
        user_id,
        limit,
        query,
        diversify,
        profile,
        use_llm_intent,
        ann_description_override,
        rewrite_override,
        ann_weight_override,
        rewrite_weight_override,
        genre_override,
        mixer,
    } = params;
    let MixerOverrides {
        ann,
        collab,
        trending,
        popularity,
        vote,
        novelty,
        lexical,
        rating,
    } = mixer;
    let mut d = KeyDigest(Sha256::new());
    d.text(Some(user_id));
    d.count(*limit);
    d.text(query.as_deref());
    d.flag(*diversify);
    d.text(profile.as_deref());
    d.flag(*use_llm_intent);
    d.text(ann_description_override.as_deref());
    d.text(rewrite_override.as_deref());
    d.text(genre_override.as_deref());
    for weight in [ann_weight_override, rewrite_weight_override] {
        d.number(*weight);
    }
    for weight in [
        ann, collab, trending, popularity, vote, novelty, lexical, rating,
    ] {
        d.number(*weight);
    }
    hex::encode(&d.0.finalize()[..16])
}

/// Writes values unambiguously: a tag byte per value, lengths before text.
struct KeyDigest(Sha256);

impl KeyDigest {
    fn text(&mut self, value: Option<&str>) {
        match value {
            None => self.0.update([0]),
            Some(text) => {
                self.0.update([1]);
                self.0.update((text.len() as u64).to_le_bytes());
                self.0.update(text.as_bytes());
            }
        }
    }

    fn number(&mut self, value: Option<f64>) {
        match value {
            None => self.0.update([2]),
            Some(x) => {
                self.0.update([3]);
                self.0.update(x.to_bits().to_le_bytes());
            }
        }
    }

    fn count(&mut self, value: usize) {
        self.0.update([4]);
        self.0.update((value as u64).to_le_bytes());
    }

    fn flag(&mut self, value: bool) {
        self.0.update([5, u8::from(value)]);
    }
}

/// The ranked-list cache.
#[derive(Clone)]
pub struct RecommendCache {
    inner: Cache<String, Arc<CachedList>>,
    /// Per canonical user written to within the TTL, their lists' generation. A user without
    /// an entry is at generation 0: an entry lives as long as a list, and it has no size bound
    /// (evicting one early would bring back lists older than the write that dropped them).
    generations: moka::sync::Cache<String, u64>,
    next_generation: Arc<AtomicU64>,
    /// This replica's name in its history notices.
    origin: Arc<str>,
}

/// The `NOTIFY` payload of a history write: which replica wrote, for which canonical user.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct HistoryNotice {
    origin: String,
    user: String,
}

impl RecommendCache {
    /// A cache of at most `capacity` lists, each living `ttl`.
    pub fn new(capacity: u64, ttl: Duration) -> Self {
        RecommendCache {
            inner: Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .build(),
            generations: moka::sync::Cache::builder().time_to_live(ttl).build(),
            next_generation: Arc::new(AtomicU64::new(1)),
            origin: unique_id("replica").into(),
        }
    }

    /// The payload announcing a write to `canonical_user`'s history to every replica.
    pub fn notice(&self, canonical_user: &str) -> String {
        let notice = HistoryNotice {
            origin: self.origin.to_string(),
            user: canonical_user.to_owned(),
        };
        serde_json::to_string(&notice).unwrap_or_else(|_| canonical_user.to_owned())
    }

    /// Applies another replica's notice; a payload that is not a notice is a bare user id
    /// (what earlier versions send).
    pub fn apply_notice(&self, payload: &str) {
        match serde_json::from_str::<HistoryNotice>(payload) {
            Ok(notice) if *notice.origin == *self.origin => {}
            Ok(notice) => self.invalidate_user(&notice.user),
            Err(_) => self.invalidate_user(payload),
        }
    }

    /// `<canonical user>|<generation>|<digest of the parameters>` (see [`params_digest`]).
    pub fn key(&self, params: &RecommendParams) -> String {
        let canonical = canonical_profile_id(&params.user_id, params.profile.as_deref());
        let generation = self.generations.get(&canonical).unwrap_or(0);
        format!("{canonical}|{generation}|{}", params_digest(params))
    }

    /// The cached list for `key`, if any.
    pub async fn get(&self, key: &str) -> Option<Arc<CachedList>> {
        self.inner.get(key).await
    }

    /// Stores a freshly ranked list and returns it.
    pub async fn insert(&self, key: String, ranked: RankedList) -> Arc<CachedList> {
        let list = Arc::new(CachedList {
            list_id: unique_id(&key),
            ranked,
        });
        self.inner.insert(key, list.clone()).await;
        list
    }

    /// Drops every list (a new taste model ranks everyone differently).
    pub fn invalidate_all(&self) {
        self.inner.invalidate_all();
    }

    /// Drops every list of `canonical_user` (all queries and parameters): the next key for
    /// them names a new generation. A list being ranked meanwhile is stored under the old one,
    /// so it is never served either.
    pub fn invalidate_user(&self, canonical_user: &str) {
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
        self.generations
            .insert(canonical_user.to_owned(), generation);
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

/// An id no other call makes, in this process or (with the pid and the time) another:
/// `seed`, a process-wide count, the time and the pid, hashed.
fn unique_id(seed: &str) -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let pid = std::process::id();
    let digest = Sha256::digest(format!("{seed}|{n}|{nanos}|{pid}").as_bytes());
    hex::encode(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> RecommendParams {
        RecommendParams {
            user_id: "u1".into(),
            limit: 20,
            query: Some("space".into()),
            diversify: true,
            profile: None,
            use_llm_intent: true,
            ann_description_override: None,
            rewrite_override: None,
            ann_weight_override: None,
            rewrite_weight_override: None,
            genre_override: None,
            mixer: MixerOverrides::default(),
        }
    }

    fn cache() -> RecommendCache {
        RecommendCache::new(10, Duration::from_secs(60))
    }

    #[test]
    fn equal_parameters_share_a_key_and_every_parameter_changes_it() {
        let base = cache().key(&params());
        assert_eq!(base, cache().key(&params()));
        assert!(base.starts_with("u1|"), "{base}");
        let changes: Vec<fn(&mut RecommendParams)> = vec![
            |p| p.limit = 21,
            |p| p.query = None,
            |p| p.query = Some("space ".into()),
            |p| p.diversify = false,
            |p| p.use_llm_intent = false,
            |p| p.ann_description_override = Some("x".into()),
            |p| p.rewrite_override = Some("x".into()),
            |p| p.genre_override = Some("x".into()),
            |p| p.ann_weight_override = Some(1.0),
            |p| p.rewrite_weight_override = Some(1.0),
            |p| p.mixer.ann = Some(0.0),
            |p| p.mixer.novelty = Some(0.5),
        ];
        let mut keys = std::collections::HashSet::from([base]);
        for change in &changes {
            let mut p = params();
            change(&mut p);
            assert!(keys.insert(cache().key(&p)), "{p:?} shares a key");
        }
    }

    #[test]
    fn text_boundaries_are_part_of_the_key() {
        let mut a = params();
        a.query = Some("ab".into());
        a.genre_override = Some("c".into());
        let mut b = params();
        b.query = Some("a".into());
        b.genre_override = Some("bc".into());
        assert_ne!(cache().key(&a), cache().key(&b));
    }

    #[test]
    fn invalidating_a_user_changes_their_keys_only() {
        let cache = cache();
        let mut other = params();
        other.user_id = "u2".into();
        let (mine, theirs) = (cache.key(&params()), cache.key(&other));
        cache.invalidate_user("u1");
        let fresh = cache.key(&params());
        assert_ne!(fresh, mine);
        assert_eq!(cache.key(&other), theirs);
        cache.invalidate_user("u1");
        assert_ne!(
            cache.key(&params()),
            fresh,
            "every write is a new generation"
        );
    }

    #[test]
    fn a_replica_ignores_its_own_history_notice_but_not_anothers() {
        let (cache, other) = (cache(), cache());
        let before = cache.key(&params());
        cache.apply_notice(&cache.notice("u1"));
        assert_eq!(
            cache.key(&params()),
            before,
            "its own write moved it on already"
        );
        cache.apply_notice(&other.notice("u1"));
        let after_other = cache.key(&params());
        assert_ne!(after_other, before);
        // An earlier version's notice is the bare user id.
        cache.apply_notice("u1");
        assert_ne!(cache.key(&params()), after_other);
    }

    #[test]
    fn a_profile_is_part_of_the_user_prefix() {
        let mut p = params();
        p.profile = Some("kids".into());
        let key = cache().key(&p);
        assert!(!key.starts_with("u1|"), "{key}");
        assert_ne!(key, cache().key(&params()));
    }
}
