//! The product's own ranking as an evaluation row: a request without a query (the default
//! warm path) ranked by `seen_core::rank::rank`, the function `/recommend` runs, over the
//! sources `/recommend` gathers from the in-memory catalog copy (`CATALOG_CACHE=true`, the
//! default): the nearest neighbours of the viewer's taste vector, the taste model's picks,
//! and the trending prior, with the serving defaults for every setting.
//!
//! The viewer's taste vector is computed from their history part with
//! `seen_core::profile::compute_profile`, as `POST /user/history` computes it.

use super::rankers::{RankQuery, Ranker};
use futures::future::{BoxFuture, FutureExt};
use seen_core::catalog_copy::{CatalogCopy, CatalogEntry};
use seen_core::catalog_filter::CatalogFilter;
use seen_core::explain::Templates;
use seen_core::explain::because::recent_positive_ids;
use seen_core::heuristic::HeuristicSettings;
use seen_core::intent::IntentFilters;
use seen_core::item::ItemId;
use seen_core::mixer::{MixerOverrides, MixerWeights};
use seen_core::mmr::MmrSettings;
use seen_core::prefilter::PrefilterDecision;
use seen_core::profile::{HistoryRow, ProfileSettings, compute_profile, exclusions};
use seen_core::rank::{AnnHit, RankInput, RankRequest, RankSettings, Retrieved, merged_ids, rank};
use seen_core::rules::BusinessRules;
use seen_core::serendipity::SerendipitySettings;
use seen_core::sizing::candidate_limit;
use seen_core::taste::{HistoryOrder, TasteModel, taste_picks};
use seen_core::trending::{self, trending_scores};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The product's ranking with a fitted taste model (or without one: the content-only path).
pub struct ProductRanker {
    name: String,
    catalog: Arc<CatalogCopy>,
    model: Option<TasteModel>,
    settings: ProductSettings,
}

/// The settings `serve` ranks with by default; `eval` may vary them to tune the defaults.
#[derive(Debug, Clone, Copy)]
pub struct ProductSettings {
    pub mixer: MixerWeights,
    pub mmr: MmrSettings,
    pub serendipity: SerendipitySettings,
    pub heuristic: HeuristicSettings,
    pub profile: ProfileSettings,
    /// `diversify` on the request (the API's default is on).
    pub diversify: bool,
    /// The current year for recency signals (fixed so a run is reproducible).
    pub current_year: i32,
}

impl Default for ProductSettings {
    fn default() -> Self {
        ProductSettings {
            mixer: MixerWeights::default(),
            mmr: MmrSettings::default(),
            serendipity: SerendipitySettings::default(),
            heuristic: HeuristicSettings::default(),
            profile: ProfileSettings::default(),
            diversify: true,
            current_year: 2026,
        }
    }
}

impl ProductRanker {
    pub fn new(
        name: impl Into<String>,
        catalog: Arc<CatalogCopy>,
        model: Option<TasteModel>,
        settings: ProductSettings,
    ) -> ProductRanker {
        ProductRanker {
            name: name.into(),
            catalog,
            model,
            settings,
        }
    }

    /// What `/recommend` would gather for this viewer and request, from the catalog copy.
    fn input(&self, history: &[(ItemId, String)], order: HistoryOrder, limit: usize) -> RankInput {
        let copy = &self.catalog;
        let filters = IntentFilters::default();
        let pool = candidate_limit(limit, filters.has_filters());
        let (exclude, negatives) = exclusions(history);
        let exclude: HashSet<ItemId> = exclude.into_iter().collect();
        let taste = self.taste_vector(history);
        let ann: Vec<AnnHit> = taste
            .as_deref()
            .map(|q| copy.nearest(q, &exclude, None, pool))
            .unwrap_or_default()
            .into_iter()
            .map(|(item_id, similarity)| AnnHit {
                item_id,
                similarity,
            })
            .collect();
        let everything = CatalogFilter::from_intent(&filters, false);
        let cold = taste.is_none();
        let cold_start = if ann.is_empty() && cold {
            copy.cold_start_ids(&everything, None, &exclude, pool)
        } else {
            Vec::new()
        };
        let picks = self
            .model
            .as_ref()
            .map(|m| taste_picks(m, history, order, &exclude, None, pool))
            .unwrap_or_default();
        let found_any = !ann.is_empty() || !cold_start.is_empty() || !picks.scores.is_empty();
        let trending = if trending::wanted(false, cold, found_any) {
            let filter = CatalogFilter::from_intent(&filters, true);
            trending_scores(&copy.trending_rows(&filter, None, &exclude, pool))
        } else {
            Vec::new()
        };
        let because = picks
            .because
            .into_iter()
            .filter_map(|(pick, (source, liked))| {
                let title = copy.get(source)?.item.title.clone();
                Some((pick, seen_core::Because { title, liked }))
            })
            .collect();
        let mut input = RankInput {
            request: RankRequest {
                limit,
                candidate_limit: pool,
                diversify: self.settings.diversify,
                query: None,
                search_terms: String::new(),
                mixer: MixerOverrides::default(),
            },
            filters,
            services: Vec::new(),
            prefilter: PrefilterDecision::none(),
            exclude,
            negatives: negatives.into_iter().collect(),
            query_vector: taste,
            retrieved: Retrieved {
                ann,
                cold_start,
                collab: picks.scores,
                collab_because: because,
                trending,
                // The MovieLens evaluation has no query text.
                lexical: Vec::new(),
            },
            titles: HashMap::new(),
            watched: Vec::new(),
            current_year: self.settings.current_year,
        };
        input.titles = merged_ids(&input)
            .into_iter()
            .filter_map(|id| Some((id, copy.get(id)?)))
            .collect::<HashMap<ItemId, CatalogEntry>>();
        input.watched = recent_positive_ids(history)
            .into_iter()
            .filter_map(|id| copy.title_and_vector(id))
            .map(|(title, vector)| (title.to_owned(), vector.to_vec()))
            .collect();
        input
    }

    /// The short-term taste vector `POST /user/history` stores for this history.
    fn taste_vector(&self, history: &[(ItemId, String)]) -> Option<Vec<f32>> {
        // compute_profile reads the newest row first.
        let rows: Vec<HistoryRow> = history
            .iter()
            .rev()
            .map(|(item_id, event_type)| HistoryRow {
                item_id: *item_id,
                event_type: event_type.clone(),
                weight: None,
                vector: self
                    .catalog
                    .title_and_vector(*item_id)
                    .map(|(_, v)| v.to_vec()),
                genres: Vec::new(),
            })
            .collect();
        compute_profile(&rows, &self.settings.profile).short
    }
}

impl Ranker for ProductRanker {
    fn name(&self) -> &str {
        &self.name
    }

    fn rank<'a>(&'a self, query: RankQuery<'a>) -> BoxFuture<'a, anyhow::Result<Vec<ItemId>>> {
        let history: Vec<(ItemId, String)> = query
            .history
            .iter()
            .map(|e| (e.item, e.event_type.to_owned()))
            .collect();
        let input = self.input(&history, query.order(), query.limit);
        let (rules, templates) = (BusinessRules::default(), Templates::default());
        let s = &self.settings;
        let settings = RankSettings {
            mixer: s.mixer,
            mmr: s.mmr,
            serendipity: s.serendipity,
            heuristic: s.heuristic,
            rules: &rules,
            templates: &templates,
            reranker_follows: false,
        };
        let list = rank(&input, &settings)
            .items
            .into_iter()
            .map(|c| c.item.id)
            .collect();
        futures::future::ready(Ok(list)).boxed()
    }
}
