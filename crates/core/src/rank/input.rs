//! What the ranker ranks: everything `/recommend` gathered for one request (the request's
//! own settings, the understood intent, the retrieval sources, the catalog rows of the
//! candidates and the viewer's recent titles), as plain data.
//!
//! A new signal is a new field here and a new term in the ranker (see [`Retrieved::collab`]).

use crate::candidate::Because;
use crate::catalog_copy::CatalogEntry;
use crate::intent::IntentFilters;
use crate::item::ItemId;
use crate::lexical::fuse;
use crate::mixer::MixerOverrides;
use crate::prefilter::PrefilterDecision;
use std::collections::{HashMap, HashSet};

/// One nearest-neighbour hit with its cosine similarity to the query vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnnHit {
    pub item_id: ItemId,
    pub similarity: f64,
}

/// The request's own ranking parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRequest {
    /// Page size: MMR windows and the serendipity slot work page by page.
    pub limit: usize,
    /// Pool size (`sizing::candidate_limit`): the merge and the hydration walk stop there.
    pub candidate_limit: usize,
    /// Franchise cap and MMR on (`diversify`).
    pub diversify: bool,
    /// The query text, when there is one (mixer defaults and explanations depend on it).
    pub query: Option<String>,
    /// The query's words worth a full-text search (`lexical::search_terms`); empty without
    /// a query or when the filters and tags serve every word.
    pub search_terms: String,
    /// Per-request mixer weights.
    pub mixer: MixerOverrides,
}

/// The candidate sources, each already restricted to the allowlist and free of exclusions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Retrieved {
    /// Nearest neighbours of the query vector, best first.
    pub ann: Vec<AnnHit>,
    /// Popular titles, best first, when there was no query vector to search with (or it found
    /// nothing for a cold viewer). At most one of `ann` and `cold_start` is non-empty: they are
    /// the primary list.
    pub cold_start: Vec<ItemId>,
    /// Collaborative scores in 0..=1, best first: the taste model's picks
    /// (`taste::taste_picks`), or without a trained model the neighbours' recent history
    /// (`collab::collaborative_scores`). Merged ahead of the primary list and weighed by the
    /// mixer's `collab` term.
    pub collab: Vec<(ItemId, f64)>,
    /// For collaborative picks of the taste model: the viewer's title that contributed most.
    pub collab_because: HashMap<ItemId, Because>,
    /// The trending prior in 0..=1, best first (requests without a query only).
    pub trending: Vec<(ItemId, f64)>,
    /// Full-text matches of the query's words, scored 0..=1 by the index (`TextIndex`),
    /// best first. Fused with `ann` into the primary list and weighed by the mixer's
    /// `lexical` term.
    pub lexical: Vec<(ItemId, f64)>,
}

impl Retrieved {
    /// The primary list: ANN hits fused with the lexical matches (reciprocal-rank fusion),
    /// followed by the cold-start titles.
    pub fn primary(&self) -> Vec<ItemId> {
        let ann: Vec<ItemId> = self.ann.iter().map(|h| h.item_id).collect();
        let lexical: Vec<ItemId> = self.lexical.iter().map(|(id, _)| *id).collect();
        let mut primary = fuse(&ann, &lexical);
        primary.extend(self.cold_start.iter().copied());
        primary
    }
}

/// Everything the ranker reads.
#[derive(Debug, Clone, PartialEq)]
pub struct RankInput {
    pub request: RankRequest,
    /// The request's filters (intent, overrides and linked people).
    pub filters: IntentFilters,
    /// Preferred streaming services (JustWatch short names); empty means any.
    pub services: Vec<String>,
    /// Boost ids and whether genres are enforced (the allowlist already shaped `retrieved`).
    pub prefilter: PrefilterDecision,
    /// Titles never shown: the viewer's history and the linked seed titles.
    pub exclude: HashSet<ItemId>,
    /// Titles the viewer rejected.
    pub negatives: HashSet<ItemId>,
    /// The vector retrieval searched with; scores titles other sources found.
    pub query_vector: Option<Vec<f32>>,
    pub retrieved: Retrieved,
    /// Catalog rows (title, vector, offers) of the merged candidates ([`super::merged_ids`]).
    pub titles: HashMap<ItemId, CatalogEntry>,
    /// The viewer's recent positive titles with their vectors, newest first ("Because you
    /// watched ...").
    pub watched: Vec<(String, Vec<f32>)>,
    /// Recency signals count from this year.
    pub current_year: i32,
}
