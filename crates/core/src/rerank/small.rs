//! The local MiniLM reranker's pure parts (spec §4.21.4 "small"): the query and document
//! texts it embeds, its cache key, and the scoring of the embeddings. Encoding runs on the
//! embedding service; this module only decides what to encode and what the vectors mean.
//!
//! Score = (cosine + 1) / 2 + rank_weight / (1 + original_rank): similarity to the request,
//! with a small pull towards the pipeline's own order so near-ties keep it.

use std::time::Duration;

use sha2::{Digest, Sha256};

use super::RerankDecision;
use crate::candidate::Candidate;
use crate::intent::IntentFilters;
use crate::item::Item;
use crate::vector::{dot, norm};

/// How many genres the query text and a document mention.
const MAX_GENRES: usize = 6;
/// How many media types the query text mentions.
const MAX_MEDIA: usize = 4;

/// `SMALL_RERANK_*` settings (§8). Build with any values, then call
/// [`SmallRerankSettings::clamped`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmallRerankSettings {
    /// `SMALL_RERANK_INPUT_WINDOW`: head items scored (min 1).
    pub input_window: usize,
    /// `SMALL_RERANK_OUTPUT_LIMIT`: decisions kept (min 1).
    pub output_limit: usize,
    /// `SMALL_RERANK_TIMEOUT`: budget of one rerank (min 0.1 s).
    pub timeout: Duration,
    /// `SMALL_RERANK_CACHE_TTL` (min 5 s).
    pub cache_ttl: Duration,
    /// `SMALL_RERANK_CACHE_MAXSIZE` (min 16).
    pub cache_max_entries: u64,
    /// `SMALL_RERANK_RANK_WEIGHT`: pull towards the original order, within [0, 0.3].
    pub rank_weight: f64,
}

impl Default for SmallRerankSettings {
    /// Window 40, output 12, 1.5 s, cache 120 s / 256 entries, rank weight 0.05.
    fn default() -> Self {
        SmallRerankSettings {
            input_window: 40,
            output_limit: 12,
            timeout: Duration::from_millis(1500),
            cache_ttl: Duration::from_secs(120),
            cache_max_entries: 256,
            rank_weight: 0.05,
        }
    }
}

impl SmallRerankSettings {
    /// Applies the original's floors and the rank-weight range; a non-finite weight falls
    /// back to the default.
    pub fn clamped(self) -> Self {
        let rank_weight = if self.rank_weight.is_finite() {
            self.rank_weight.clamp(0.0, 0.3)
        } else {
            SmallRerankSettings::default().rank_weight
        };
        SmallRerankSettings {
            input_window: self.input_window.max(1),
            output_limit: self.output_limit.max(1),
            timeout: self.timeout.max(Duration::from_millis(100)),
            cache_ttl: self.cache_ttl.max(Duration::from_secs(5)),
            cache_max_entries: self.cache_max_entries.max(16),
            rank_weight,
        }
    }
}

/// The text the request is embedded as: the query, then `Genres: ..`, `Media: ..`,
/// `Runtime >=Nm <=Nm` and `Rating ≤ ..`, each when present, joined by ` | `. Empty when
/// there is neither a query nor a filter (then there is nothing to rerank by).
pub fn small_query_text(query: Option<&str>, filters: &IntentFilters) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
        parts.push(q.to_owned());
    }
    let genres = filters.effective_genres();
    if !genres.is_empty() {
        let shown: Vec<&str> = genres.iter().take(MAX_GENRES).map(String::as_str).collect();
        parts.push(format!("Genres: {}", shown.join(", ")));
    }
    if !filters.media_types.is_empty() {
        let shown: Vec<&str> = filters
            .media_types
            .iter()
            .take(MAX_MEDIA)
            .map(|m| m.as_str())
            .collect();
        parts.push(format!("Media: {}", shown.join(", ")));
    }
    let bounds: Vec<String> = [
        filters.min_runtime.map(|m| format!(">={m}m")),
        filters.max_runtime.map(|m| format!("<={m}m")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !bounds.is_empty() {
        parts.push(format!("Runtime {}", bounds.join(" ")));
    }
    if let Some(cap) = filters
        .maturity_rating_max
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        parts.push(format!("Rating ≤ {cap}"));
    }
    parts.join(" | ")
}

/// The text an item is embedded as: title, `Genres: ..` (at most 6), `Media: ..`,
/// `Runtime: N minutes`, `Released: YYYY` and the overview, the present ones joined by
/// `. `; `Item <id>` when there is nothing at all.
pub fn small_document(item: &Item) -> String {
    let genres: Vec<&str> = item.genre_names().take(MAX_GENRES).collect();
    let parts: Vec<String> = [
        Some(item.title.trim().to_owned()),
        (!genres.is_empty()).then(|| format!("Genres: {}", genres.join(", "))),
        Some(format!("Media: {}", item.media_type)),
        item.runtime
            .filter(|r| *r > 0)
            .map(|r| format!("Runtime: {r} minutes")),
        item.release_year
            .filter(|y| *y > 0)
            .map(|y| format!("Released: {y}")),
        item.overview.as_deref().map(|o| o.trim().to_owned()),
    ]
    .into_iter()
    .flatten()
    .filter(|p| !p.is_empty())
    .collect();
    if parts.is_empty() {
        format!("Item {}", item.id)
    } else {
        parts.join(". ")
    }
}

/// The cache key of one rerank: SHA-256 hex over `v1`, the user, the lower-cased query text,
/// the output limit and each item's `id::original_rank::retrieval_score::score`, joined by
/// `||`. Any change in the window's order or scores is a new key.
pub fn small_cache_key(
    user_id: &str,
    query_text: &str,
    output_limit: usize,
    items: &[Candidate],
) -> String {
    let mut parts: Vec<String> = vec![
        "v1".to_owned(),
        user_id.to_owned(),
        query_text.trim().to_lowercase(),
        output_limit.to_string(),
    ];
    parts.extend(items.iter().map(|c| {
        format!(
            "{}::{}::{:?}::{:?}",
            c.item.id, c.original_rank, c.retrieval_score, c.score
        )
    }));
    hex::encode(Sha256::digest(parts.join("||").as_bytes()))
}

/// Decisions from the embeddings: for item `i` (id `items[i].0`, original rank
/// `items[i].1`), `final = (dot(doc_i, query) + 1) / 2 + rank_weight / (1 + rank)`; sorted by
/// final score (higher first, then lower original rank) and cut to `output_limit`. Scores
/// only, no explanations. No decisions when the shapes disagree or the query vector is zero.
/// Pinned: query [1, 0] with Charlie [0.95, 0.05] (id 3), Alpha [0.85, 0.15] (id 1) and
/// Bravo [0.4, 0.6] (id 2) gives [3, 1, 2].
pub fn small_scores(
    query_vec: &[f32],
    doc_vecs: &[Vec<f32>],
    items: &[(i64, usize)],
    rank_weight: f64,
    output_limit: usize,
) -> Vec<RerankDecision> {
    let dim = query_vec.len();
    let query_norm = norm(query_vec);
    if dim == 0
        || doc_vecs.len() != items.len()
        || doc_vecs.iter().any(|d| d.len() != dim)
        || !query_norm.is_finite()
        || query_norm == 0.0
    {
        return Vec::new();
    }
    let mut scored: Vec<(f64, usize, i64)> = doc_vecs
        .iter()
        .zip(items)
        .map(|(doc, &(id, rank))| {
            let similarity = f64::from(dot(doc, query_vec));
            let rank_bonus = rank_weight / (1.0 + rank as f64);
            ((similarity + 1.0) / 2.0 + rank_bonus, rank, id)
        })
        .filter(|(score, _, _)| score.is_finite())
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(output_limit)
        .map(|(score, _, id)| RerankDecision {
            id,
            score: Some(score),
            explanation: None,
        })
        .collect()
}

#[cfg(test)]
#[path = "small_tests.rs"]
mod tests;
