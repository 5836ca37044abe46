//! What the pipeline did for one request, for `GET /debug/recommend` and the UI's debug panel.

use seen_core::IntentFilters;
use seen_core::mixer::MixBreakdown;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Instant;

/// The full trace of one ranking.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    /// `cold_start`, `cold_start_query` (ANN on the query vector), `warm`, `warm_query`.
    pub path: String,
    /// Where titles were read from: `memory` (the catalog copy) or `postgres`.
    pub catalog: String,
    /// The parsed intent (LLM schema).
    pub intent: Value,
    /// Which intent parser produced it: `llm`, `offline`, `none`.
    pub intent_source: String,
    /// The LLM call behind the intent, when one was made: `llm`, `llm_cache`,
    /// `llm_failed:<kind>` (the offline parser then took over).
    pub intent_llm: Option<String>,
    /// What the entity linker found for the query (titles seed the query vector).
    pub linked: Option<crate::language::linker::Linked>,
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
    pub rerank: Option<crate::language::rerank::RerankRun>,
    /// Per item id (as a string, for JSON objects).
    pub items: BTreeMap<String, ItemTrace>,
}

/// Allowlist size, boosts and whether genres were enforced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PrefilterTrace {
    pub allowlist: Option<usize>,
    pub boosts: usize,
    pub enforce_genres: bool,
}

/// Candidates per source and after each cut.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub ann: usize,
    pub cold_start: usize,
    pub collab: usize,
    pub trending: usize,
    pub merged: usize,
    pub hydrated: usize,
    pub filtered_out: usize,
    pub unverified: usize,
    pub returned: usize,
}

/// Milliseconds spent in one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageTiming {
    pub name: String,
    pub ms: f64,
}

/// Mixer components and later adjustments of one title.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemTrace {
    pub components: Components,
    pub retrieval_score: f64,
    /// Business-rule effects, as readable strings.
    pub rules: Vec<String>,
    /// Position before MMR when MMR moved the title.
    pub mmr_from: Option<usize>,
    /// True when the serendipity slot put the title on the first page.
    pub serendipity: bool,
    /// Filters that could not be checked (unknown runtime, rating...).
    pub unverified: Vec<String>,
}

/// Unweighted mixer components.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Components {
    pub ann: f64,
    pub ann_source: String,
    pub collab: f64,
    pub trending: f64,
    pub popularity: f64,
    pub votes: f64,
    pub novelty: f64,
}

impl From<&MixBreakdown> for Components {
    fn from(b: &MixBreakdown) -> Self {
        Components {
            ann: b.ann,
            ann_source: serde_json::to_value(b.ann_source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            collab: b.collab,
            trending: b.trending,
            popularity: b.popularity,
            votes: b.vote,
            novelty: b.novelty,
        }
    }
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
