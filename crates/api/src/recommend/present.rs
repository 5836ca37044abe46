//! Present, first step: the reranker (`openai`/`gemini`/`small`) reorders and re-explains the
//! ranked list when one is configured, within what is left of the request's language budget;
//! on any failure it keeps the heuristic order. Caching and paging follow in
//! [`super::recommend`], the JSON in [`super::response`].

use super::gather::Gathered;
use super::pipeline::RankedList;
use super::trace::StageClock;
use crate::state::AppState;
use seen_core::rank::Ranked;
use seen_core::rerank::RerankContext;

/// The final list: `ranked` reranked when a reranker is configured, with the full trace.
pub async fn rerank(
    state: &AppState,
    gathered: Gathered,
    ranked: Ranked,
    mut clock: StageClock,
) -> RankedList {
    let Gathered {
        input,
        user_id,
        viewer,
        deadline,
        mut trace,
    } = gathered;
    trace.add_ranking(ranked.trace);
    let mut items = ranked.items;
    // When nothing was merged the ranker stopped at once, and so does the reranker.
    let reranker = state.language.reranker.as_ref();
    if let Some(reranker) = reranker.filter(|_| trace.counts.merged > 0) {
        let ctx = RerankContext {
            intent: &input.filters,
            query: input.request.query.as_deref(),
            user_id: Some(&user_id),
            user: Some(&viewer),
        };
        let (reranked, run) = reranker.rerank(items, &ctx, deadline).await;
        if run.decisions > 0 {
            trace.reranker = run.provider.clone();
        }
        trace.rerank = Some(run);
        clock.lap("rerank");
        items = reranked;
    }
    trace.counts.unverified = items.iter().filter(|c| !c.unverified.is_empty()).count();
    trace.counts.returned = items.len();
    trace.stages = clock.finish();
    RankedList { items, trace }
}
