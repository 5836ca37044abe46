//! Gather: every read `/recommend` makes, in order, into one [`RankInput`]: the viewer's
//! state and the catalog version (one statement), the query's language calls, the
//! prefilter, the query vector, the candidate sources, and the catalog rows of the merged
//! candidates. Decisions along the way are `seen_core` functions; this module waits on
//! Postgres, the catalog copy, the encoder and the language services, and notes what it
//! found in the trace.

mod catalog;
mod excluded;
mod language;
mod query_vector;
mod retrieve;

use super::params::RecommendParams;
use super::trace::{PrefilterTrace, StageClock, Trace};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::taste_model::ServedModel;
use catalog::CatalogReads;
use chrono::Datelike;
use excluded::Excluded;
use language::Understanding;
use query_vector::Seeds;
use retrieve::Retrieval;
use seen_core::catalog_copy::CatalogEntry;
use seen_core::collab::parse_neighbours;
use seen_core::events::canonical_profile_id;
use seen_core::explain::because::recent_positive_ids;
use seen_core::genres::genre_shares_from_json;
use seen_core::lexical::search_terms;
use seen_core::prefilter::PrefilterDecision;
use seen_core::profile::exclusions;
use seen_core::query_vector::retrieval_vector;
use seen_core::rank::{RankInput, RankRequest, Retrieved, merged_ids};
use seen_core::rerank::RerankUserContext;
use seen_core::sizing::{PrefilterSizing, candidate_limit};
use seen_core::{ItemId, trending};
use seen_store::StoreError;
use seen_store::users::{UserState, load_user_state};
use sqlx::PgConnection;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::time::Instant;

/// What gather hands on: the ranker's input, what the reranker needs to know about the
/// viewer, and the trace so far.
pub struct Gathered {
    pub input: RankInput,
    /// The canonical user id (`user::profile`).
    pub user_id: String,
    pub viewer: RerankUserContext,
    /// When the request's language budget runs out (the reranker shares it).
    pub deadline: Instant,
    pub trace: Trace,
}

/// Gathers everything the ranker reads for `p`.
pub async fn gather(
    state: &AppState,
    p: &RecommendParams,
    clock: &mut StageClock,
) -> ApiResult<Gathered> {
    let mut trace = Trace::default();
    let user_id = canonical_profile_id(&p.user_id, p.profile.as_deref());
    let (user, catalog, taste) = load_viewer(state, &user_id).await?;
    trace.catalog = catalog.source().into();
    clock.lap("user_state");

    let deadline = Instant::now() + state.language.budget;
    let understanding = language::understand(state, p, deadline, &mut trace).await;
    clock.lap("intent");

    // The connection is taken only now: it stays in the pool while the language services
    // wait on the network.
    let mut conn = state.db.acquire().await.map_err(StoreError::from)?;
    let reads = Reads {
        state,
        p,
        catalog: &catalog,
        taste: taste.as_deref(),
        conn: &mut conn,
        trace: &mut trace,
        clock,
    };
    let input = reads.rank_input(&user, understanding).await?;
    trace.filters = Some(input.filters.clone());
    let viewer = RerankUserContext {
        genre_prefs: genre_shares_from_json(&user.genre_prefs),
        neighbours: parse_neighbours(&user.neighbors).len(),
        negatives: input.negatives.len(),
    };
    Ok(Gathered {
        input,
        user_id,
        viewer,
        deadline,
        trace,
    })
}

/// One request's reads after the language calls: its connection, where titles come from,
/// and the trace and clock to note them in.
struct Reads<'r> {
    state: &'r AppState,
    p: &'r RecommendParams,
    catalog: &'r CatalogReads<'r>,
    /// The taste model serving this request (`None`: none trained yet).
    taste: Option<&'r ServedModel>,
    conn: &'r mut PgConnection,
    trace: &'r mut Trace,
    clock: &'r mut StageClock,
}

impl Reads<'_> {
    /// The prefilter, the query vector, the candidate sources and the merged candidates'
    /// catalog rows, as the ranker's input.
    async fn rank_input(
        mut self,
        user: &UserState,
        mut understanding: Understanding,
    ) -> ApiResult<RankInput> {
        let p = self.p;
        let (mut exclude, negatives) = exclusions(&user.history);
        let limit = candidate_limit(p.limit, understanding.filters.has_filters());
        let seeds = query_vector::seeds(
            self.state,
            p,
            &understanding,
            self.catalog,
            self.conn,
            self.trace,
        )
        .await?;
        exclude.extend(seeds.left_out(self.catalog));
        let prefilter = self
            .prefilter(&understanding, limit, !seeds.ids.is_empty())
            .await?;
        if prefilter.widened_media_types {
            understanding.filters.media_types.clear();
        }
        // A topic no title passing the filters is tagged with ("TV shows about time travel":
        // the demo catalog's series carry no keywords) is read as words: searched, not a tag
        // that nothing matches.
        if prefilter.tagged == Some(0) {
            understanding.filters.tags.clear();
        }
        let exclude = Excluded::new(exclude);
        let search_terms = p
            .query
            .as_deref()
            .map(|q| {
                // The topics' tags serve their words, and so the words that named them ("a
                // tearjerker"), unless no title passing the filters carries a tag (above).
                let mut served = understanding.filters.tags.clone();
                if !served.is_empty() {
                    served.extend(self.state.fallbacks.topic_keywords(q));
                }
                search_terms(q, &served)
            })
            .unwrap_or_default();
        // A query that names nothing ("what should I watch tonight", "recommend me
        // something": no filter, no word to search, no title, no rewrite from the request or
        // an LLM) is answered as a request without one: its sentence's nearest neighbours are
        // namesakes ("Run All Night").
        let rewritten = p
            .rewrite_override
            .as_deref()
            .is_some_and(|o| !o.trim().is_empty())
            || matches!(understanding.llm_rewrite, Some(Ok(_)));
        let names_nothing = search_terms.is_empty()
            && !understanding.filters.has_filters()
            && seeds.ids.is_empty()
            && !rewritten;
        let query = p.query.clone().filter(|_| !names_nothing);
        let query_vector = if query.is_some() {
            self.query_vector(user, &mut understanding, &seeds).await
        } else {
            let alpha = self.state.pipeline.rewrite_alpha_query;
            retrieval_vector(user.short_vec.as_deref(), None, false, alpha)
        };
        let retrieval = Retrieval {
            catalog: self.catalog,
            taste: self.taste,
            conn: &mut *self.conn,
            filters: &understanding.filters,
            exclude: &exclude,
            allow: prefilter.allowlist.as_deref(),
            limit,
            search_terms: &search_terms,
        };
        let retrieved = retrieve(
            retrieval,
            user,
            query_vector.as_deref(),
            &prefilter,
            query.is_some(),
            self.trace,
            self.clock,
        )
        .await?;
        let mut input = RankInput {
            request: RankRequest {
                limit: p.limit,
                candidate_limit: limit,
                diversify: p.diversify,
                query,
                search_terms,
                mixer: p.mixer,
            },
            filters: understanding.filters,
            services: understanding.services,
            prefilter,
            exclude: exclude.into_set(),
            negatives: negatives.into_iter().collect(),
            query_vector,
            retrieved,
            titles: HashMap::new(),
            watched: Vec::new(),
            current_year: chrono::Utc::now().year(),
        };
        let ids = merged_ids(&input);
        (input.titles, input.watched) =
            read_titles(self.catalog, self.conn, &ids, &user.history).await?;
        self.clock.lap("hydrate");
        Ok(input)
    }

    /// The prefilter's decision, for a pool of `limit` (`seeded`: the request names titles).
    async fn prefilter(
        &mut self,
        understanding: &Understanding,
        limit: usize,
        seeded: bool,
    ) -> ApiResult<PrefilterDecision> {
        let (filters, services) = (&understanding.filters, &understanding.services);
        let country = &self.state.pipeline.country;
        let mut sizing = PrefilterSizing::for_limit(limit);
        if seeded {
            sizing = sizing.seeded();
        }
        let decision =
            retrieve::prefilter(self.catalog, self.conn, filters, services, country, sizing)
                .await?;
        self.trace.prefilter = Some(PrefilterTrace::from(&decision));
        self.clock.lap("prefilter");
        Ok(decision)
    }

    /// The vector retrieval searches with (`None`: nothing to search with).
    async fn query_vector(
        &mut self,
        user: &UserState,
        understanding: &mut Understanding,
        seeds: &Seeds,
    ) -> Option<Vec<f32>> {
        let (state, p) = (self.state, self.p);
        let rewrite =
            query_vector::rewrite_vector(state, p, understanding, seeds, self.trace).await;
        let (taste, alpha) = (
            user.short_vec.as_deref(),
            state.pipeline.rewrite_alpha_query,
        );
        self.clock.lap("rewrite_vector");
        retrieval_vector(taste, rewrite.as_deref(), true, alpha)
    }
}

/// The viewer's state, where this request reads titles from (the catalog copy when it is at
/// least as new as the `catalog_version` read with the state, else Postgres) and the taste
/// model serving it.
async fn load_viewer<'s>(
    state: &'s AppState,
    user_id: &str,
) -> ApiResult<(UserState, CatalogReads<'s>, Option<Arc<ServedModel>>)> {
    let mut conn = state.db.acquire().await.map_err(StoreError::from)?;
    let at = load_user_state(&mut conn, user_id).await?;
    let catalog = CatalogReads {
        copy: state.catalog.current_for(at.catalog_version),
        embed_version: &state.pipeline.embed_version,
        country: &state.pipeline.country,
    };
    metrics::counter!("seenemall_catalog_reads_total", "source" => catalog.source()).increment(1);
    let taste = state.taste.current_for(at.taste_version);
    Ok((at.user, catalog, taste))
}

/// The candidate sources: the primary list (with a query, the full-text matches of its words
/// beside the nearest neighbours), the neighbours' titles, and the trending prior
/// when `seen_core::trending::wanted`.
async fn retrieve(
    mut r: Retrieval<'_>,
    user: &UserState,
    query_vector: Option<&[f32]>,
    prefilter: &PrefilterDecision,
    has_query: bool,
    trace: &mut Trace,
    clock: &mut StageClock,
) -> ApiResult<Retrieved> {
    let cold = user.short_vec.is_none();
    let primary = r.primary(query_vector, cold, has_query).await?;
    let lexical = r.lexical(&trace.seeds, prefilter.enforce_genres);
    trace.path = primary.path.into();
    tracing::info!(path = primary.path, "primary candidates retrieved");
    clock.lap("retrieval");
    let collab = r.collaborative(user, &trace.seeds).await?;
    trace.collab_source = collab.source.clone();
    clock.lap("collaborative");
    let found_any = !primary.ann.is_empty()
        || !primary.cold_start.is_empty()
        || !collab.scores.is_empty()
        || !prefilter.boost_ids.is_empty();
    let trending = if trending::wanted(has_query, cold, found_any) {
        r.trending().await?
    } else {
        Vec::new()
    };
    clock.lap("trending");
    Ok(Retrieved {
        ann: primary.ann,
        cold_start: primary.cold_start,
        collab: collab.scores,
        collab_because: collab.because,
        trending,
        lexical,
    })
}

/// Catalog rows of the merged ids, and the viewer's recent positive titles with vectors
/// ("Because you watched ..."); neither is read when nothing was merged.
async fn read_titles(
    catalog: &CatalogReads<'_>,
    conn: &mut PgConnection,
    ids: &[ItemId],
    history: &[(ItemId, String)],
) -> ApiResult<(HashMap<ItemId, CatalogEntry>, Vec<(String, Vec<f32>)>)> {
    if ids.is_empty() {
        return Ok((HashMap::new(), Vec::new()));
    }
    let rows = catalog.hydrate(conn, ids).await?;
    let watched = catalog
        .titles_with_vectors(conn, &recent_positive_ids(history))
        .await?;
    let titles = rows.into_iter().map(|e| (e.item.id, e)).collect();
    Ok((titles, watched))
}
