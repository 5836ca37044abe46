//! What the pipeline did for one request, for `GET /debug/recommend` and the UI's debug panel:
//! what gather found (path, intent, rewrite, prefilter), the ranker's counts and per-title
//! trace (`seen_core::rank`), the reranker's run, and how long each stage took.

use crate::language::linker::Linked;
use crate::language::rerank::RerankRun;
use seen_core::prefilter::PrefilterDecision;
use seen_core::rank::{Counts, ItemTrace, RankTrace};
use seen_core::{IntentFilters, LlmIntent};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;

/// The full trace of one ranking.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// `cold_start`, `cold_start_query` (ANN on the query vector), `warm`, `warm_query`.
    pub path: String,
    /// Where titles were read from: `memory` (the catalog copy) or `postgres`.
    pub catalog: String,
    /// Where the collaborative scores came from: `taste_model:<version>`, `neighbours` (no
    /// model trained yet) or `none`.
    pub collab_source: String,
    /// The parsed intent (LLM schema).
    pub intent: LlmIntent,
    /// Which intent parser produced it: `llm`, `offline`, `none`.
    pub intent_source: String,
    /// The LLM call behind the intent, when one was made: `llm`, `llm_cache`,
    /// `llm_failed:<kind>` (the offline parser then took over).
    pub intent_llm: Option<String>,
    /// What the entity linker found for the query (titles seed the query vector).
    pub linked: Option<Linked>,
    /// The catalog title a "like X" query was linked to without TMDB, e.g. `Heat (movie)`.
    pub offline_link: Option<String>,
    /// Catalog ids of the linked titles used as seeds (left out of the results).
    pub seeds: Vec<i32>,
    /// The filters applied.
    pub filters: Option<IntentFilters>,
    /// The rewrite text embedded with the query, if any.
    pub rewrite: Option<String>,
    /// `override`, `llm`, `heuristic`, or `heuristic (llm_failed:<kind>)`.
    pub rewrite_source: Option<String>,
    /// Prefilter outcome.
    pub prefilter: Option<PrefilterTrace>,
    pub counts: Counts,
    pub stages: Vec<StageTiming>,
    /// Which ranker ordered and explained the final list.
    pub reranker: String,
    /// What the reranker did (absent when reranking is off).
    pub rerank: Option<RerankRun>,
    /// Per item id (as a string, for JSON objects).
    pub items: BTreeMap<String, ItemTrace>,
}

impl Default for Trace {
    fn default() -> Self {
        Trace {
            path: String::new(),
            catalog: String::new(),
            collab_source: "none".into(),
            intent: LlmIntent::default(),
            intent_source: String::new(),
            intent_llm: None,
            linked: None,
            offline_link: None,
            seeds: Vec::new(),
            filters: None,
            rewrite: None,
            rewrite_source: None,
            prefilter: None,
            counts: Counts::default(),
            stages: Vec::new(),
            reranker: "heuristic".into(),
            rerank: None,
            items: BTreeMap::new(),
        }
    }
}

impl Trace {
    /// Takes in the ranker's counts and per-title entries.
    pub fn add_ranking(&mut self, ranked: RankTrace) {
        self.counts = ranked.counts;
        self.items = ranked.items;
    }
}

/// Allowlist size, boosts and whether genres were enforced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PrefilterTrace {
    pub allowlist: Option<usize>,
    pub boosts: usize,
    pub enforce_genres: bool,
    /// The allowlist is the strict run without the request's media types.
    pub widened_media_types: bool,
}

impl From<&PrefilterDecision> for PrefilterTrace {
    fn from(d: &PrefilterDecision) -> Self {
        PrefilterTrace {
            allowlist: d.allowlist.as_ref().map(Vec::len),
            boosts: d.boost_ids.len(),
            enforce_genres: d.enforce_genres,
            widened_media_types: d.widened_media_types,
        }
    }
}

/// Milliseconds spent in one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageTiming {
    pub name: String,
    pub ms: f64,
}

/// Records stage durations.
pub struct StageClock {
    last: Instant,
    stages: Vec<StageTiming>,
}

impl StageClock {
    pub fn start() -> Self {
        StageClock {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Closes the current stage under `name`.
    pub fn lap(&mut self, name: &str) {
        let now = Instant::now();
        let ms = (now - self.last).as_secs_f64() * 1000.0;
        self.stages.push(StageTiming {
            name: name.to_owned(),
            ms: (ms * 1000.0).round() / 1000.0,
        });
        self.last = now;
    }

    pub fn finish(self) -> Vec<StageTiming> {
        self.stages
    }
}
