//! The seed titles and the rewrite vector: the titles a request names (linked by TMDB, or
//! "like X" linked against the catalog copy's titles, `seen_core::intent::title_link`), and
//! the rewrite text chosen (`seen_core::rewrite`), the intent's description and the rewrite
//! embedded by weight (MiniLM on its own thread), pulled towards the seeds' stored vectors
//! (`seen_core::query_vector`).

use super::super::params::RecommendParams;
use super::super::trace::Trace;
use super::catalog::CatalogReads;
use super::language::Understanding;
use crate::error::ApiResult;
use crate::state::AppState;
use seen_core::ItemId;
use seen_core::intent::title_link::link_similar_title;
use seen_core::query_vector::{combine_weighted, with_linked_titles};
use seen_core::rewrite::{choose_rewrite, rewrite_inputs};
use seen_store::hydrate::seed_titles;
use sqlx::PgConnection;

/// The titles a request names ("more like X"): their ids and stored vectors.
#[derive(Default)]
pub struct Seeds {
    pub ids: Vec<ItemId>,
    pub vectors: Vec<Vec<f32>>,
}

impl Seeds {
    /// The seeds and their namesakes in the catalog copy: the titles a "more like X" request
    /// never answers with.
    pub fn left_out(&self, catalog: &CatalogReads<'_>) -> Vec<ItemId> {
        let mut ids = self.ids.clone();
        if let Some(copy) = catalog.copy.as_ref() {
            for id in &self.ids {
                ids.extend(copy.title_index().namesakes(*id));
            }
        }
        ids
    }
}

/// The titles the language services linked (TMDB), or, when they linked none (no key, or
/// nothing found), the "like X" title linked against the catalog copy. Noted in the trace.
pub async fn seeds(
    state: &AppState,
    p: &RecommendParams,
    understanding: &Understanding,
    catalog: &CatalogReads<'_>,
    conn: &mut PgConnection,
    trace: &mut Trace,
) -> ApiResult<Seeds> {
    let keys: Vec<(String, i32)> = understanding
        .linked
        .as_deref()
        .map(|l| &l.titles[..])
        .unwrap_or_default()
        .iter()
        .map(|t| (t.media_type.as_str().to_owned(), t.tmdb_id))
        .collect();
    let seeds = if keys.is_empty() {
        offline_seed(catalog, p.query.as_deref(), trace)
    } else {
        let rows = seed_titles(conn, &keys, &state.pipeline.embed_version).await?;
        let (ids, vectors) = rows.into_iter().map(|t| (t.item_id, t.vector)).unzip();
        Seeds { ids, vectors }
    };
    trace.seeds.clone_from(&seeds.ids);
    Ok(seeds)
}

/// The rewrite vector of the request, with the seed titles' pull.
pub async fn rewrite_vector(
    state: &AppState,
    p: &RecommendParams,
    understanding: &mut Understanding,
    seeds: &Seeds,
    trace: &mut Trace,
) -> Option<Vec<f32>> {
    let s = &state.pipeline;
    let llm = &understanding.llm;
    let rewrite = choose_rewrite(
        p.rewrite_override.as_deref(),
        understanding.llm_rewrite.take(),
        p.query.as_deref(),
        llm,
    );
    let inputs = rewrite_inputs(
        llm.ann_description.as_deref(),
        rewrite.text.as_deref(),
        p.ann_weight_override.unwrap_or(s.ann_description_weight) as f32,
        p.rewrite_weight_override.unwrap_or(s.rewrite_text_weight) as f32,
    );
    let vector = embed_weighted(state, &inputs).await;
    trace.rewrite = rewrite.text;
    trace.rewrite_source = rewrite.source;
    with_linked_titles(vector, &seeds.vectors)
}

/// The catalog title a "like X" query names, linked offline, as a seed (id and vector).
fn offline_seed(catalog: &CatalogReads<'_>, query: Option<&str>, trace: &mut Trace) -> Seeds {
    let Some((copy, query)) = catalog.copy.as_ref().zip(query) else {
        return Seeds::default();
    };
    let Some(entry) = link_similar_title(copy.title_index(), query) else {
        return Seeds::default();
    };
    let Some((_, vector)) = copy.title_and_vector(entry.id) else {
        return Seeds::default();
    };
    trace.offline_link = Some(format!("{} ({})", entry.title, entry.media_type.as_str()));
    Seeds {
        ids: vec![entry.id],
        vectors: vec![vector.to_vec()],
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
