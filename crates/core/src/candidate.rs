//! A ranked candidate: an item plus everything the pipeline learned about it.

use crate::item::{Item, WatchOption};
use serde::Serialize;
use std::sync::Arc;

/// Per-source retrieval scores, each normalised to 0..=1 within its source.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceScores {
    /// Cosine similarity between the query vector and the item (the real ANN score,
    /// not a list position: the original's §10.6 fix).
    pub ann: Option<f64>,
    pub collab: Option<f64>,
    pub trending: Option<f64>,
    /// The full-text match score (0..=1, see `lexical::TextIndex`).
    pub lexical: Option<f64>,
}

/// An item moving through the ranking stages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Shared with the catalog copy: a candidate list costs no copies of titles or vectors.
    pub item: Arc<Item>,
    /// The item embedding (used by MMR and "because you watched"). `None` when missing.
    #[serde(skip)]
    pub vector: Option<Arc<[f32]>>,
    pub watch_options: Vec<WatchOption>,
    pub watch_url: Option<String>,
    /// Position after the latest re-sort (merge order, then mixer, then rules).
    pub original_rank: usize,
    /// Position in the merged candidate list (before mixing).
    pub ann_rank: usize,
    /// Mixer output, then adjusted by business-rule boosts.
    pub retrieval_score: f64,
    pub source_scores: SourceScores,
    /// Final score shown to clients (heuristic or reranker).
    pub score: f64,
    /// Human-readable reason for the pick.
    pub explanation: String,
    /// Reasons a filter could not be checked (unknown runtime, unknown rating, ...).
    /// Such items rank after the ones known to pass; the explanation says why.
    pub unverified: Vec<String>,
    /// The viewer's own title that explains the pick ("Because you liked ...").
    pub because: Option<Because>,
}

/// A title of the viewer's history named as the reason for a pick: the one that contributed
/// most to its collaborative score, else the closest by content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Because {
    pub title: String,
    /// The viewer's latest event on it is `liked` ("Because you liked"), else "watched".
    pub liked: bool,
}

impl Candidate {
    /// Wraps an item at merge position `rank`.
    pub fn new(item: impl Into<Arc<Item>>, vector: Option<Arc<[f32]>>, rank: usize) -> Self {
        Candidate {
            item: item.into(),
            vector,
            watch_options: Vec::new(),
            watch_url: None,
            original_rank: rank,
            ann_rank: rank,
            retrieval_score: 0.0,
            source_scores: SourceScores::default(),
            score: 0.0,
            explanation: String::new(),
            unverified: Vec::new(),
            because: None,
        }
    }
}
