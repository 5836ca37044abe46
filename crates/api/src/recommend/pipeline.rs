//! The `/recommend` pipeline in order (spec §4): user state, intent, prefilter, rewrite
//! vector, retrieval (ANN / cold start), collaborative and trending candidates, merge,
//! hydration and post-filter, franchise cap, mixer, business rules, MMR, serendipity,
//! heuristic scores and explanations. Each step is a `seen_core` stage or a `seen_store`
//! query; this module only sequences them and records the trace.

use super::catalog_reads::CatalogReads;
use super::params::RecommendParams;
use super::trace::{Components, PrefilterTrace, StageClock, Trace};
use crate::error::ApiResult;
use crate::language::intent::IntentCall;
use crate::state::AppState;
use chrono::Datelike;
use seen_core::because::{self, attach_because, recent_positive_ids};
use seen_core::catalog_filter::CatalogFilter;
use seen_core::collab::{collaborative_scores, history_limit, parse_neighbours};
use seen_core::events::canonical_profile_id;
use seen_core::franchise_cap::{DEFAULT_CAP, cap_per_collection};
use seen_core::heuristic::with_default_explanations;
use seen_core::intent::filters::{apply_ann_override, build_filters, preferred_services};
use seen_core::intent::matching::{MatchOutcome, item_matches};
use seen_core::intent::normalize::{IntentSource, resolve_intent};
use seen_core::intent::{LinkedEntities, prompt_media_hints};
use seen_core::intent_boost::{IntentBoostSettings, apply_intent_boosts};
use seen_core::merge::{check_providers, merge_sources, promote_boosts, select_with_fallback};
use seen_core::mixer::{MixerWeights, mix, verified_first};
use seen_core::prefilter::{PrefilterDecision, decide};
use seen_core::profile::{NO_QUERY_ALPHA, blend_query, exclusions};
use seen_core::rerank::{RerankContext, RerankUserContext};
use seen_core::rewrite::{combine_weighted, rewrite_inputs, rewrite_text};
use seen_core::rules::RuleEffect;
use seen_core::sizing::{PrefilterSizing, candidate_limit};
use seen_core::trending::trending_scores;
use seen_core::vector::cosine;
use seen_core::{Candidate, IntentFilters, ItemId, LlmIntent};
use seen_store::StoreError;
use seen_store::candidates::ServiceFilter;
use seen_store::history::neighbour_rows;
use seen_store::hydrate::seed_titles;
use seen_store::users::load_user_state;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};

/// Weight of the linked titles' mean vector against the query's rewrite vector.
const LINKED_TITLE_WEIGHT: f32 = 1.0;

/// The full ranked list of one request (every page is cut from it) and how it was made.
pub struct RankedList {
    pub items: Vec<Candidate>,
    pub trace: Trace,
}

/// Runs the whole pipeline for `p`.
#[tracing::instrument(name = "rank", skip_all, fields(user = %p.user_id, query = p.query.as_deref().unwrap_or("")))]
pub async fn rank(state: &AppState, p: &RecommendParams) -> ApiResult<RankedList> {
    let s = &state.pipeline;
    let mut clock = StageClock::start();
    let mut trace = Trace {
        reranker: "heuristic".into(),
        ..Trace::default()
    };
    let canonical = canonical_profile_id(&p.user_id, p.profile.as_deref());
    let query = p.query.as_deref();
    // 1. User state; history exclusions apply to every user, warm or cold (fix of §10.8).
    // The connection goes back to the pool while the language services wait on the network.
    let (user, catalog_version) = {
        let mut conn = state.db.acquire().await.map_err(StoreError::from)?;
        let at = load_user_state(&mut conn, &canonical).await?;
        (at.user, at.catalog_version)
    };
    let catalog = CatalogReads {
        copy: state.catalog.current_for(catalog_version),
        embed_version: &s.embed_version,
        country: &s.country,
    };
    trace.catalog = catalog.source().into();
    metrics::counter!("seenemall_catalog_reads_total", "source" => catalog.source()).increment(1);
    let (mut exclude, negatives) = exclusions(&user.history);
    clock.lap("user_state");

    // 2. Entity linking, then the intent and the LLM rewrite side by side.
    // Every language call of this request shares one deadline (LLM_BUDGET_SECS), on top of
    // each call's own timeout, so slow providers cannot add up past the request timeout.
    let deadline = tokio::time::Instant::now() + state.language.budget;
    let linked = match (query, &state.language.linker) {
        (Some(q), Some(linker)) => match tokio::time::timeout_at(deadline, linker.link(q)).await {
            Ok(linked) => Some(linked),
            Err(_) => {
                tracing::warn!("entity linking ran out of the language budget");
                None
            }
        },
        _ => None,
    };
    let empty = LinkedEntities::default();
    let entities = linked.as_deref().map_or(&empty, |l| &l.entities);
    let (understood, llm_rewrite) = tokio::join!(
        understand(state, p, query, entities, deadline),
        llm_rewrite(state, p, query, deadline)
    );
    trace.intent_source = understood.source.into();
    trace.intent_llm = understood.llm_call;
    let (mut filters, mut llm) =
        build_filters(&understood.intent, query, p.genre_override.as_deref());
    apply_ann_override(&mut llm, p.ann_description_override.as_deref());
    if let Some(linked) = &linked {
        add_people(&mut filters, &linked.people);
    }
    let services = preferred_services(&llm);
    trace.intent = serde_json::to_value(&llm).unwrap_or_default();
    clock.lap("intent");

    // 3. Pool size and prefilter.
    let mut conn = state.db.acquire().await.map_err(StoreError::from)?;
    let has_filters = filters.has_filters();
    let cl = candidate_limit(p.limit, has_filters);
    let decision = if has_filters {
        prefilter(
            &catalog,
            &mut conn,
            &filters,
            &services,
            s.country.as_str(),
            cl,
        )
        .await?
    } else {
        PrefilterDecision::none()
    };
    trace.prefilter = Some(PrefilterTrace {
        allowlist: decision.allowlist.as_ref().map(Vec::len),
        boosts: decision.boost_ids.len(),
        enforce_genres: decision.enforce_genres,
    });
    let allow = decision.allowlist.as_deref();
    clock.lap("prefilter");

    // 4. Rewrite text and vector.
    let (rewrite, rewrite_source) = match (&p.rewrite_override, llm_rewrite) {
        (Some(o), _) if !o.trim().is_empty() => (
            rewrite_text(Some(o), query, &llm),
            Some("override".to_owned()),
        ),
        (_, Some(Ok(text))) => (Some(text), Some("llm".to_owned())),
        (_, Some(Err(kind))) => (
            rewrite_text(None, query, &llm),
            Some(format!("heuristic (llm_failed:{kind})")),
        ),
        (_, None) => {
            let text = rewrite_text(None, query, &llm);
            let source = text.as_ref().map(|_| "heuristic".to_owned());
            (text, source)
        }
    };
    trace.rewrite_source = rewrite_source;
    let desc_weight = p.ann_weight_override.unwrap_or(s.ann_description_weight) as f32;
    let rewrite_weight = p.rewrite_weight_override.unwrap_or(s.rewrite_text_weight) as f32;
    let inputs = rewrite_inputs(
        llm.ann_description.as_deref(),
        rewrite.as_deref(),
        desc_weight,
        rewrite_weight,
    );
    let mut rewrite_vec = embed_weighted(state, &inputs).await;
    trace.rewrite = rewrite;
    // Linked titles ("more like Interstellar") pull the query vector towards themselves and
    // are left out of the results.
    if let Some(linked) = linked.as_deref().filter(|l| !l.titles.is_empty()) {
        let keys: Vec<(String, i32)> = linked
            .titles
            .iter()
            .map(|t| (t.media_type.as_str().to_owned(), t.tmdb_id))
            .collect();
        let seeds = seed_titles(&mut conn, &keys, &s.embed_version).await?;
        if !seeds.is_empty() {
            let vectors: Vec<Vec<f32>> = seeds.iter().map(|t| t.vector.clone()).collect();
            let seed_vec = combine_weighted(&vec![1.0; vectors.len()], &vectors);
            rewrite_vec = match (rewrite_vec, seed_vec) {
                (Some(r), Some(sv)) => combine_weighted(&[1.0, LINKED_TITLE_WEIGHT], &[r, sv]),
                (r, sv) => r.or(sv),
            };
            trace.seeds = seeds.iter().map(|t| t.item_id).collect();
            exclude.extend(seeds.iter().map(|t| t.item_id));
        }
    }
    let exclude_set: HashSet<ItemId> = exclude.iter().copied().collect();
    trace.linked = linked.as_deref().cloned();
    clock.lap("rewrite_vector");

    // 5. Primary retrieval.
    let cold = user.short_vec.is_none();
    let query_vec = match (&user.short_vec, &rewrite_vec) {
        (None, rv) => rv.clone(),
        (Some(short), rv) => {
            let alpha = if query.is_some() {
                s.rewrite_alpha_query
            } else {
                NO_QUERY_ALPHA
            };
            blend_query(short, rv.as_deref(), alpha)
        }
    };
    let mut similarity: HashMap<ItemId, f64> = HashMap::new();
    let primary: Vec<ItemId> = match &query_vec {
        Some(q) => {
            let hits = catalog.nearest(&mut conn, q, &exclude, allow, cl).await?;
            trace.counts.ann = hits.len();
            similarity.extend(hits.iter().map(|h| (h.item_id, h.similarity)));
            hits.into_iter().map(|h| h.item_id).collect()
        }
        None => Vec::new(),
    };
    let primary = if primary.is_empty() && cold {
        tracing::info!("Using cold-start candidates for user {canonical}");
        trace.path = "cold_start".into();
        let ids = catalog
            .cold_start_ids(
                &mut conn,
                &catalog_filter(&filters, false),
                allow,
                &exclude,
                cl,
            )
            .await?;
        trace.counts.cold_start = ids.len();
        ids
    } else {
        if cold {
            tracing::info!("Using rewrite ANN candidates for cold-start user {canonical}");
        } else {
            tracing::info!("Using ANN candidates for user {canonical}");
        }
        trace.path = match (cold, query.is_some()) {
            (true, _) => "cold_start_query",
            (false, true) => "warm_query",
            (false, false) => "warm",
        }
        .into();
        primary
    };
    clock.lap("retrieval");

    // 6. Collaborative candidates from the stored neighbours.
    let neighbours = parse_neighbours(&user.neighbors);
    let collab = if neighbours.is_empty() || allow.is_some_and(<[_]>::is_empty) {
        Vec::new()
    } else {
        let names: Vec<String> = neighbours.iter().map(|(u, _)| u.clone()).collect();
        let rows = neighbour_rows(&mut conn, &names, history_limit(cl) as i64).await?;
        let allow_set: Option<HashSet<ItemId>> = allow.map(|a| a.iter().copied().collect());
        collaborative_scores(&neighbours, &rows, &exclude_set, allow_set.as_ref(), cl)
    };
    trace.counts.collab = collab.len();
    clock.lap("collaborative");

    // 7. Trending prior: only without a query, and only when something else was found.
    let trending = if query.is_none()
        && (cold || !primary.is_empty() || !collab.is_empty() || !decision.boost_ids.is_empty())
    {
        let rows = catalog
            .trending_rows(
                &mut conn,
                &catalog_filter(&filters, true),
                allow,
                &exclude,
                cl,
            )
            .await?;
        trending_scores(&rows)
    } else {
        Vec::new()
    };
    trace.counts.trending = trending.len();

    // 8. Merge (collab first, then primary, then trending), boosts, negatives.
    let collab_ids: Vec<ItemId> = collab.iter().map(|(id, _)| *id).collect();
    let trending_ids: Vec<ItemId> = trending.iter().map(|(id, _)| *id).collect();
    let mut ids = merge_sources(&collab_ids, &primary, &trending_ids, cl);
    ids = promote_boosts(&ids, &decision.boost_ids, &exclude_set);
    ids.retain(|id| !negatives.contains(id));
    trace.counts.merged = ids.len();
    clock.lap("merge");
    if ids.is_empty() {
        trace.stages = clock.finish();
        return Ok(RankedList {
            items: Vec::new(),
            trace,
        });
    }

    // 9. Hydration (the catalog copy, else one query), post-filter, provider preference.
    let hydrated = catalog.hydrate(&mut conn, &ids).await?;
    // The viewer's recent positive titles, for "Because you watched ..." explanations.
    let watched = catalog
        .titles_with_vectors(&mut conn, &recent_positive_ids(&user.history))
        .await?;
    drop(conn);
    trace.counts.hydrated = hydrated.len();
    let mut by_id: HashMap<ItemId, _> = hydrated.into_iter().map(|h| (h.item.id, h)).collect();
    let collab_scores: HashMap<ItemId, f64> = collab.into_iter().collect();
    let trending_scores: HashMap<ItemId, f64> = trending.into_iter().collect();
    let mut filtered_out = 0usize;
    let walk = ids
        .iter()
        .filter_map(|id| {
            let h = by_id.remove(id)?;
            let vector = h.vector.filter(|v| !v.is_empty())?;
            let unverified = match item_matches(&h.item, &filters, decision.enforce_genres) {
                MatchOutcome::Pass => Vec::new(),
                MatchOutcome::Unverified(reasons) => reasons,
                MatchOutcome::Fail => {
                    filtered_out += 1;
                    return None;
                }
            };
            Some((h.item, vector, h.watch_options, unverified))
        })
        .enumerate()
        .map(|(rank, (item, vector, options, unverified))| {
            let check = check_providers(options, &services);
            let id = item.id;
            let ann = query_vec.as_ref().map(|q| {
                similarity
                    .get(&id)
                    .copied()
                    .unwrap_or_else(|| f64::from(cosine(q, &vector)))
            });
            let mut c = Candidate::new(item, Some(vector), rank);
            c.watch_url = check.options.first().map(|o| o.url.clone());
            c.watch_options = check.options;
            c.source_scores.ann = ann;
            c.source_scores.collab = collab_scores.get(&id).copied();
            c.source_scores.trending = trending_scores.get(&id).copied();
            c.unverified = unverified;
            (c, check.allowed)
        });
    // The list keeps every candidate (not just two pages' worth), so cursors can page deeper.
    let mut cands = select_with_fallback(walk, cl, p.limit);
    trace.counts.filtered_out = filtered_out;
    clock.lap("hydrate_filter");

    // 10. Franchise cap, mixer, business rules.
    if p.diversify {
        cands = cap_per_collection(cands, DEFAULT_CAP);
    }
    let weights = MixerWeights::resolve(s.mixer, p.mixer.into(), query.is_some());
    let breakdowns = mix(&mut cands, &weights);
    let boosts = apply_intent_boosts(&mut cands, &filters, &IntentBoostSettings::default());
    verified_first(&mut cands);
    for b in &breakdowns {
        let entry = trace.items.entry(b.id.to_string()).or_default();
        entry.components = Components::from(b);
        entry.retrieval_score = b.score;
    }
    for b in &boosts {
        trace
            .items
            .entry(b.id.to_string())
            .or_default()
            .rules
            .push(format!(
                "intent boost +{:.3} for {}",
                b.bonus,
                b.matched.join(", ")
            ));
    }
    let (mut cands, effects) = state.config.rules().apply(cands, &filters);
    record_rule_effects(&mut trace, &effects);
    clock.lap("mix_rules");

    // 11. MMR over the whole list (page by page) and the serendipity slot on page one.
    let before_mmr: HashMap<ItemId, usize> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| (c.item.id, i))
        .collect();
    let context = cands.clone();
    if p.diversify {
        cands = seen_core::mmr::diversify_all(cands, p.limit, &s.mmr);
    }
    let top_before: HashSet<ItemId> = cands.iter().take(p.limit).map(|c| c.item.id).collect();
    cands = seen_core::serendipity::apply(cands, &context, p.limit, &s.serendipity);
    mark_serendipity(&mut trace, &cands, &top_before, p.limit);
    // Titles known to pass every filter stay ahead of titles with unknown values.
    verified_first(&mut cands);
    for (i, c) in cands.iter().enumerate() {
        let entry = trace.items.entry(c.item.id.to_string()).or_default();
        let from = before_mmr.get(&c.item.id).copied();
        entry.mmr_from = from.filter(|f| *f != i);
        entry.unverified = c.unverified.clone();
    }
    clock.lap("diversify");

    // 12. Heuristic scores and explanations, then the reranker when one is configured.
    attach_because(&mut cands, &watched, because::MIN_SIMILARITY);
    let year = chrono::Utc::now().year();
    let templates = state.config.templates();
    let reranker = state.language.reranker.as_ref();
    let cands = with_default_explanations(
        cands,
        &filters,
        query,
        reranker.is_some(),
        year,
        &s.heuristic,
        &templates,
    );
    clock.lap("explain");
    let cands = match reranker {
        Some(r) => {
            let profile = RerankUserContext {
                genre_prefs: genre_prefs(&user.genre_prefs),
                neighbours: neighbours.len(),
                negatives: negatives.len(),
            };
            let ctx = RerankContext {
                intent: &filters,
                query,
                user_id: Some(&canonical),
                user: Some(&profile),
            };
            let (reranked, run) = r.rerank(cands, &ctx, deadline).await;
            if run.decisions > 0 {
                trace.reranker = run.provider.clone();
            }
            trace.rerank = Some(run);
            clock.lap("rerank");
            reranked
        }
        None => cands,
    };

    trace.counts.unverified = cands.iter().filter(|c| !c.unverified.is_empty()).count();
    trace.counts.returned = cands.len();
    trace.filters = Some(filters);
    trace.stages = clock.finish();
    Ok(RankedList {
        items: cands,
        trace,
    })
}

/// The intent and how it was obtained.
struct Understood {
    intent: LlmIntent,
    source: &'static str,
    llm_call: Option<String>,
}

/// The intent: the LLM's answer when it gives one, validated leniently; otherwise (LLM off,
/// failed, or nothing usable) the rule-based parser and keyword fallbacks. With
/// `use_llm_intent=false` or no query there is no intent, as the original.
async fn understand(
    state: &AppState,
    p: &RecommendParams,
    query: Option<&str>,
    linked: &LinkedEntities,
    deadline: tokio::time::Instant,
) -> Understood {
    let Some(q) = query.filter(|_| p.use_llm_intent) else {
        return Understood {
            intent: LlmIntent::default(),
            source: "none",
            llm_call: None,
        };
    };
    let (answer, llm_call) = match &state.language.intent {
        Some(parser) => {
            let hints = if parser.options().scope_genres {
                prompt_media_hints(linked, q)
            } else {
                Vec::new()
            };
            let genres = state.language.prompt_genres(&state.db, &hints).await;
            match tokio::time::timeout_at(deadline, parser.parse(q, linked, &genres)).await {
                Ok((answer, call)) => (answer, Some(call.label())),
                Err(_) => {
                    tracing::warn!(
                        "the intent LLM ran out of the language budget; using the offline parser"
                    );
                    (None, Some(IntentCall::Failed("budget").label()))
                }
            }
        }
        None => (None, None),
    };
    let resolved = resolve_intent(answer, q, &state.fallbacks);
    if !resolved.dropped.is_empty() {
        tracing::info!(dropped = ?resolved.dropped, "invalid intent fields were dropped");
    }
    let source = match resolved.source {
        IntentSource::Llm => "llm",
        IntentSource::Offline => "offline",
        IntentSource::Default => "none",
    };
    tracing::info!(
        intent_source = source,
        llm = llm_call.as_deref().unwrap_or("off"),
        "intent parsed"
    );
    Understood {
        intent: resolved.intent,
        source,
        llm_call,
    }
}

/// The LLM rewrite of the query, when configured and not overridden by the request.
async fn llm_rewrite(
    state: &AppState,
    p: &RecommendParams,
    query: Option<&str>,
    deadline: tokio::time::Instant,
) -> Option<Result<String, &'static str>> {
    let rewriter = state.language.rewriter.as_ref()?;
    let q = query?;
    if p.rewrite_override
        .as_deref()
        .is_some_and(|o| !o.trim().is_empty())
    {
        return None;
    }
    match tokio::time::timeout_at(deadline, rewriter.rewrite(q)).await {
        Ok(outcome) => Some(outcome),
        Err(_) => Some(Err("budget")),
    }
}

/// Adds linked people to the intent's people (boosted, not filtered), without repeats.
fn add_people(filters: &mut IntentFilters, people: &[String]) {
    for person in people {
        if !filters
            .include_people
            .iter()
            .any(|p| p.eq_ignore_ascii_case(person))
        {
            filters.include_people.push(person.clone());
        }
    }
}

/// The profile's genre shares (`users.genre_prefs`, a JSON object) as pairs.
fn genre_prefs(value: &serde_json::Value) -> Vec<(String, f64)> {
    value
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(g, w)| Some((g.clone(), w.as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Strict run with the genre clause, then a relaxed run without it when too few matched.
async fn prefilter(
    catalog: &CatalogReads<'_>,
    conn: &mut PgConnection,
    filters: &IntentFilters,
    services: &[String],
    country: &str,
    cl: usize,
) -> ApiResult<PrefilterDecision> {
    let sizing = PrefilterSizing::for_limit(cl);
    let service_filter = (!services.is_empty()).then(|| ServiceFilter {
        country: country.to_owned(),
        services: services.to_vec(),
    });
    let fetch = sizing.fetch_limit;
    let strict = catalog
        .prefilter_ids(
            conn,
            &catalog_filter(filters, true),
            service_filter.as_ref(),
            fetch,
        )
        .await?;
    if sizing.is_dense(strict.len()) {
        return Ok(decide(strict, None, sizing));
    }
    let relaxed = catalog
        .prefilter_ids(
            conn,
            &catalog_filter(filters, false),
            service_filter.as_ref(),
            fetch,
        )
        .await?;
    Ok(decide(strict, Some(relaxed), sizing))
}

/// The SQL-checkable part of the filters; `with_genres` adds the include-genre clause.
fn catalog_filter(f: &IntentFilters, with_genres: bool) -> CatalogFilter {
    CatalogFilter {
        media_types: f
            .media_types
            .iter()
            .map(|m| m.as_str().to_owned())
            .collect(),
        include_genres: if with_genres {
            f.effective_genres()
        } else {
            Vec::new()
        },
        exclude_genres: f.exclude_genres.clone(),
        languages: f.languages.clone(),
        year_min: f.year_min,
        year_max: f.year_max,
        runtime_min: f.min_runtime,
        runtime_max: f.max_runtime,
    }
}

/// Embeds the weighted rewrite inputs and blends them. An embedding failure degrades to
/// "no rewrite vector" (retrieval then uses the profile or popularity) and is logged.
async fn embed_weighted(state: &AppState, inputs: &[(String, f32)]) -> Option<Vec<f32>> {
    if inputs.is_empty() {
        return None;
    }
    let mut vectors = Vec::with_capacity(inputs.len());
    for (text, _) in inputs {
        match state.embed.embed_query(text).await {
            Ok(v) => vectors.push(v.as_ref().clone()),
            Err(e) => {
                tracing::warn!(error.message = %e, "query embedding failed; continuing without a query vector");
                return None;
            }
        }
    }
    let weights: Vec<f32> = inputs.iter().map(|(_, w)| *w).collect();
    combine_weighted(&weights, &vectors)
}

fn record_rule_effects(trace: &mut Trace, effects: &[RuleEffect]) {
    for effect in effects {
        let (id, text) = match effect {
            RuleEffect::Dropped { id, filter } => (*id, format!("dropped by filter {filter:?}")),
            RuleEffect::Boosted {
                id,
                multiplier,
                bonus,
                before,
                after,
            } => (
                *id,
                format!("boosted ×{multiplier:.3} +{bonus:.3}: {before:.4} → {after:.4}"),
            ),
        };
        trace
            .items
            .entry(id.to_string())
            .or_default()
            .rules
            .push(text);
    }
}

fn mark_serendipity(
    trace: &mut Trace,
    cands: &[Candidate],
    top_before: &HashSet<ItemId>,
    limit: usize,
) {
    for c in cands.iter().take(limit) {
        if !top_before.contains(&c.item.id) {
            trace
                .items
                .entry(c.item.id.to_string())
                .or_default()
                .serendipity = true;
        }
    }
}
