//! `/recommend` in three phases: **gather** reads everything the request needs (user state,
//! catalog version, linked entities, intent, query vector, candidate rows) into one
//! `RankInput`; **rank** is `seen_core::rank::rank`, pure, from that input and the settings
//! to a ranked list and its trace; **present** reranks the list (then `recommend` caches and
//! pages it). A new signal is a new field of `RankInput` and a new term in the ranker.

use super::gather::gather;
use super::params::RecommendParams;
use super::present;
use super::trace::{StageClock, Trace};
use crate::error::ApiResult;
use crate::state::AppState;
use seen_core::Candidate;
use seen_core::rank::{RankSettings, rank_with_laps};

/// The full ranked list of one request (every page is cut from it) and how it was made.
pub struct RankedList {
    pub items: Vec<Candidate>,
    pub trace: Trace,
}

/// Gathers, ranks and reranks the list for `p`.
#[tracing::instrument(name = "rank", skip_all, fields(user = %p.user_id, query = p.query.as_deref().unwrap_or("")))]
pub async fn rank(state: &AppState, p: &RecommendParams) -> ApiResult<RankedList> {
    let mut clock = StageClock::start();
    let gathered = gather(state, p, &mut clock).await?;
    let (rules, templates) = (state.config.rules(), state.config.templates());
    let s = &state.pipeline;
    let settings = RankSettings {
        mixer: s.mixer,
        mmr: s.mmr,
        serendipity: s.serendipity,
        heuristic: s.heuristic,
        rules: &rules,
        templates: &templates,
        reranker_follows: state.language.reranker.is_some(),
    };
    let ranked = rank_with_laps(&gathered.input, &settings, &mut |stage| clock.lap(stage));
    Ok(present::rerank(state, gathered, ranked, clock).await)
}
