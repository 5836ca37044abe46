//! The ranker: one pure function from everything `/recommend` gathered ([`RankInput`]) and
//! the settings ([`RankSettings`]) to the ranked list and its trace ([`Ranked`]). The stages
//! run in this order, each a `seen_core` stage function:
//!
//! 1. merge the sources (collaborative first, then ANN or cold start, then trending), promote
//!    the prefilter's boosts, drop exclusions and rejections ([`merged_ids`]);
//! 2. the hydration walk: catalog rows, post-filter, preferred services ([`walk`]);
//! 3. franchise cap, mixer, intent boosts, business rules;
//! 4. MMR over the whole list, the serendipity slot, verified titles first;
//! 5. "Because you watched", heuristic scores and explanations.
//!
//! The serving layer gathers the input (all the I/O) and presents the result (reranker,
//! cache, pages); nothing here waits on anything.

mod input;
mod trace;
pub mod walk;

pub use input::{AnnHit, RankInput, RankRequest, Retrieved};
pub use trace::{Components, Counts, ItemTrace, RankTrace};

use crate::candidate::Candidate;
use crate::explain::{Templates, because, with_default_explanations};
use crate::franchise_cap::{DEFAULT_CAP, cap_per_collection};
use crate::heuristic::HeuristicSettings;
use crate::intent_boost::{IntentBoostSettings, apply_intent_boosts};
use crate::item::ItemId;
use crate::merge::{merge_alternating, merge_sources, promote_boosts};
use crate::mixer::{MixerWeights, RatingMatch, RatingScope, mix, verified_first};
use crate::mmr::{MmrSettings, diversify_all};
use crate::rules::BusinessRules;
use crate::serendipity::{self, SerendipitySettings};
use std::collections::{HashMap, HashSet};

/// The deployment's ranking settings (the request's own are in [`RankRequest`]).
#[derive(Debug, Clone, Copy)]
pub struct RankSettings<'a> {
    /// Default mixer weights (a request may override each).
    pub mixer: MixerWeights,
    pub mmr: MmrSettings,
    pub serendipity: SerendipitySettings,
    pub heuristic: HeuristicSettings,
    /// The business rules file, as loaded.
    pub rules: &'a BusinessRules,
    /// The explanation templates, as loaded.
    pub templates: &'a Templates,
    /// A reranker orders the list afterwards: only then may low-signal titles be dropped
    /// (`HEURISTIC_MIN_SIGNAL_MULTIPLIER`).
    pub reranker_follows: bool,
}

/// The full ranked list (every page is cut from it) and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub items: Vec<Candidate>,
    pub trace: RankTrace,
}

/// Ranks `input`.
pub fn rank(input: &RankInput, settings: &RankSettings<'_>) -> Ranked {
    rank_with_laps(input, settings, &mut |_| {})
}

/// Ranks `input`, calling `lap` with each stage's name as it finishes (the serving layer
/// times them; this crate reads no clock).
pub fn rank_with_laps(
    input: &RankInput,
    settings: &RankSettings<'_>,
    lap: &mut dyn FnMut(&'static str),
) -> Ranked {
    let mut trace = RankTrace::new(&input.retrieved);
    let ids = merged_ids(input);
    trace.counts.merged = ids.len();
    lap("merge");
    if ids.is_empty() {
        return Ranked {
            items: Vec::new(),
            trace,
        };
    }
    let cands = walk::candidates(input, &ids, &mut trace.counts);
    lap("post_filter");
    let cands = mix_and_apply_rules(cands, input, settings, &mut trace);
    lap("mix_rules");
    let cands = diversify(cands, input, settings, &mut trace);
    lap("diversify");
    let items = explain(cands, input, settings);
    lap("explain");
    trace.count_returned(&items);
    Ranked { items, trace }
}

/// The merged candidate ids, in merge order: the sources merged up to the candidate limit
/// (collaborative first; with a query the collaborative and primary lists alternate,
/// [`merge_alternating`]), the prefilter's boosts found by retrieval moved to the front, exclusions and rejections
/// dropped. The serving layer reads catalog rows for exactly these ids.
///
/// A request made only of filters ("rom-com movies from the 90s": no word left to search,
/// see `lexical::search_terms`) also takes the boosts, the best-known titles that match, as
/// candidates: the nearest neighbours of such a sentence are arbitrary matches, and the
/// well-known ones are what the person means. Tags count as filters here ("heist movies":
/// the best-known heist films); with words left to search ("biopics about musicians") the
/// words find the candidates and the tag bonus ranks them.
pub fn merged_ids(input: &RankInput) -> Vec<ItemId> {
    let r = &input.retrieved;
    let collab: Vec<ItemId> = r.collab.iter().map(|(id, _)| *id).collect();
    let mut primary = r.primary();
    if is_filters_only(input) {
        primary.splice(0..0, input.prefilter.boost_ids.iter().copied());
    }
    let trending: Vec<ItemId> = r.trending.iter().map(|(id, _)| *id).collect();
    let ids = if input.request.query.is_some() {
        merge_alternating(&collab, &primary, &trending, input.request.candidate_limit)
    } else {
        merge_sources(&collab, &primary, &trending, input.request.candidate_limit)
    };
    let mut ids = promote_boosts(&ids, &input.prefilter.boost_ids, &input.exclude);
    ids.retain(|id| !input.exclude.contains(id) && !input.negatives.contains(id));
    ids
}

/// True for a query whose every word the filters serve (genres, eras, moods, media types,
/// tags).
fn is_filters_only(input: &RankInput) -> bool {
    let request = &input.request;
    request.search_terms.is_empty()
        && request
            .query
            .as_deref()
            .is_some_and(|q| !q.trim().is_empty())
}

/// Franchise cap (with `diversify`), mixer, intent boosts, titles known to pass first, then
/// the business rules.
fn mix_and_apply_rules(
    mut cands: Vec<Candidate>,
    input: &RankInput,
    settings: &RankSettings<'_>,
    trace: &mut RankTrace,
) -> Vec<Candidate> {
    let request = &input.request;
    if request.diversify {
        cands = cap_per_collection(cands, DEFAULT_CAP);
    }
    let weights = MixerWeights::resolve(settings.mixer, request.mixer, request.query.is_some());
    let must_match = if !input.filters.tags.is_empty() {
        RatingMatch::Topics(&input.filters.tags)
    } else if !request.search_terms.is_empty() {
        RatingMatch::Searched
    } else {
        RatingMatch::Every
    };
    let groups = input.filters.genre_groups();
    let scope = RatingScope::new(must_match).with_genre_groups(&groups);
    trace.record_mix(&mix(&mut cands, &weights, scope));
    let boosts = apply_intent_boosts(&mut cands, &input.filters, &IntentBoostSettings::default());
    trace.record_boosts(&boosts);
    verified_first(&mut cands);
    let (cands, effects) = settings.rules.apply(cands, &input.filters);
    trace.record_rules(&effects);
    cands
}

/// MMR over the whole list, page by page (with `diversify`), the serendipity slot on page
/// one, then titles known to pass every filter ahead of titles with unknown values.
fn diversify(
    cands: Vec<Candidate>,
    input: &RankInput,
    settings: &RankSettings<'_>,
    trace: &mut RankTrace,
) -> Vec<Candidate> {
    let limit = input.request.limit;
    let before_mmr: HashMap<ItemId, usize> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| (c.item.id, i))
        .collect();
    let context = cands.clone();
    let cands = if input.request.diversify {
        diversify_all(cands, limit, &settings.mmr)
    } else {
        cands
    };
    let top_before: HashSet<ItemId> = cands.iter().take(limit).map(|c| c.item.id).collect();
    let mut cands = serendipity::apply(cands, &context, limit, &settings.serendipity);
    trace.record_serendipity(&cands, &top_before, limit);
    verified_first(&mut cands);
    trace.record_positions(&cands, &before_mmr);
    cands
}

/// "Because you liked ..." (the taste model's reason, else the closest recent title), then every title's heuristic score and default explanation.
fn explain(
    mut cands: Vec<Candidate>,
    input: &RankInput,
    settings: &RankSettings<'_>,
) -> Vec<Candidate> {
    for c in &mut cands {
        c.because = input.retrieved.collab_because.get(&c.item.id).cloned();
    }
    because::attach_because(&mut cands, &input.watched, because::MIN_SIMILARITY);
    with_default_explanations(
        cands,
        &input.filters,
        input.request.query.as_deref(),
        settings.reranker_follows,
        input.current_year,
        &settings.heuristic,
        settings.templates,
    )
}

#[cfg(test)]
mod tests;
