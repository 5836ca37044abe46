//! Candidate retrieval: the prefilter (strict, then relaxed), the primary list (nearest
//! neighbours of the query vector, or popular titles for a cold viewer), the neighbours'
//! recent titles and the trending prior. Each read goes to the catalog copy or Postgres
//! ([`CatalogReads`]); the scoring of what comes back is `seen_core`'s.

use super::catalog::CatalogReads;
use super::excluded::Excluded;
use crate::error::ApiResult;
use crate::taste_model::ServedModel;
use seen_core::catalog_filter::CatalogFilter;
use seen_core::collab::{collaborative_scores, history_limit, parse_neighbours};
use seen_core::lexical::TextQuery;
use seen_core::prefilter::{PrefilterDecision, decide, decide_widened, widens_media_types};
use seen_core::rank::AnnHit;
use seen_core::sizing::PrefilterSizing;
use seen_core::taste::{HistoryOrder, taste_picks};
use seen_core::trending::trending_scores;
use seen_core::{Because, IntentFilters, ItemId};
use seen_store::candidates::ServiceFilter;
use seen_store::history::neighbour_rows;
use seen_store::users::UserState;
use sqlx::PgConnection;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// How a seed title of the query enters the taste model's history.
const SEED_EVENT: &str = "liked";

/// The reads of one request, sharing its connection, filters, exclusions and pool size.
pub struct Retrieval<'a> {
    pub catalog: &'a CatalogReads<'a>,
    /// The taste model serving the request, when one is trained.
    pub taste: Option<&'a ServedModel>,
    pub conn: &'a mut PgConnection,
    pub filters: &'a IntentFilters,
    pub exclude: &'a Excluded,
    /// The prefilter's allowlist.
    pub allow: Option<&'a [ItemId]>,
    /// The candidate pool size.
    pub limit: usize,
    /// The query's words worth a full-text search (`lexical::search_terms`).
    pub search_terms: &'a str,
}

/// The collaborative source of one request.
pub struct Collab {
    /// Scores in 0..=1, best first.
    pub scores: Vec<(ItemId, f64)>,
    /// The taste model's reason per pick.
    pub because: HashMap<ItemId, Because>,
    /// `taste_model:<version>`, `neighbours` or `none` (for the trace).
    pub source: String,
}

impl Collab {
    fn none() -> Collab {
        Collab {
            scores: Vec::new(),
            because: HashMap::new(),
            source: "none".to_owned(),
        }
    }
}

/// The primary list: nearest-neighbour hits, or cold-start titles.
pub struct Primary {
    pub ann: Vec<AnnHit>,
    pub cold_start: Vec<ItemId>,
    /// `cold_start`, `cold_start_query` (ANN on the query vector), `warm`, `warm_query`.
    pub path: &'static str,
}

/// The prefilter: a strict run with the genre clause (and, when [`widens_media_types`], the
/// same without the media types), then a relaxed run without the genre clause when too few
/// matched; with tags, a last strict run wanting a tag, whose titles lead the boosts.
/// Service constraints read `availability`, so they always go to Postgres.
pub async fn prefilter(
    catalog: &CatalogReads<'_>,
    conn: &mut PgConnection,
    filters: &IntentFilters,
    services: &[String],
    country: &str,
    sizing: PrefilterSizing,
) -> ApiResult<PrefilterDecision> {
    if !filters.has_filters() {
        return Ok(PrefilterDecision::none());
    }
    let services = (!services.is_empty()).then(|| ServiceFilter {
        country: country.to_owned(),
        services: services.to_vec(),
    });
    let decision = if filters.narrows() {
        by_genres(catalog, conn, filters, services.as_ref(), sizing).await?
    } else {
        PrefilterDecision::none()
    };
    let Some(tagged_filter) = CatalogFilter::tagged(filters) else {
        return Ok(decision);
    };
    let tagged = catalog
        .prefilter_ids(conn, &tagged_filter, services.as_ref(), sizing.fetch_limit)
        .await?;
    Ok(decision.with_tagged(tagged, sizing))
}

/// The strict, widened and relaxed runs of [`prefilter`].
async fn by_genres(
    catalog: &CatalogReads<'_>,
    conn: &mut PgConnection,
    filters: &IntentFilters,
    services: Option<&ServiceFilter>,
    sizing: PrefilterSizing,
) -> ApiResult<PrefilterDecision> {
    let strict_filter = CatalogFilter::from_intent(filters, true);
    let strict = catalog
        .prefilter_ids(conn, &strict_filter, services, sizing.fetch_limit)
        .await?;
    if sizing.is_dense(strict.len()) {
        return Ok(decide(strict, None, sizing));
    }
    if widens_media_types(filters) {
        let wider_filter = CatalogFilter {
            media_types: Vec::new(),
            ..strict_filter
        };
        let wider = catalog
            .prefilter_ids(conn, &wider_filter, services, sizing.fetch_limit)
            .await?;
        if let Some(decision) = decide_widened(wider, sizing) {
            return Ok(decision);
        }
    }
    let relaxed_filter = CatalogFilter::from_intent(filters, false);
    let relaxed = catalog
        .prefilter_ids(conn, &relaxed_filter, services, sizing.fetch_limit)
        .await?;
    Ok(decide(strict, Some(relaxed), sizing))
}

impl Retrieval<'_> {
    /// Nearest neighbours of `query`; when there are none and the viewer is cold, the most
    /// popular titles passing the filters.
    pub async fn primary(
        &mut self,
        query: Option<&[f32]>,
        cold: bool,
        has_query: bool,
    ) -> ApiResult<Primary> {
        let ann = match query {
            Some(q) => {
                let (conn, exclude) = (&mut *self.conn, self.exclude);
                self.catalog
                    .nearest(conn, q, exclude, self.allow, self.limit)
                    .await?
            }
            None => Vec::new(),
        };
        if ann.is_empty() && cold {
            let filter = CatalogFilter::from_intent(self.filters, false);
            let (conn, exclude) = (&mut *self.conn, self.exclude);
            let cold_start = self
                .catalog
                .cold_start_ids(conn, &filter, self.allow, exclude, self.limit)
                .await?;
            return Ok(Primary {
                ann,
                cold_start,
                path: "cold_start",
            });
        }
        let path = match (cold, has_query) {
            (true, _) => "cold_start_query",
            (false, true) => "warm_query",
            (false, false) => "warm",
        };
        Ok(Primary {
            ann,
            cold_start: Vec::new(),
            path,
        })
    }

    /// Full-text matches among titles passing the filters (genres when the prefilter
    /// enforces them): of the query's words (`lexical::search_terms`), or for a request naming
    /// titles ("more like The Matrix") of the named titles' TMDB keywords, whose words would
    /// only find namesakes ("Stranger Than Fiction"). Scored 0..=1 by the index.
    pub fn lexical(&self, seeds: &[ItemId], enforce_genres: bool) -> Vec<(ItemId, f64)> {
        let seed_text;
        let query = if seeds.is_empty() {
            TextQuery::Words(self.search_terms)
        } else {
            seed_text = self.catalog.seed_text(seeds);
            TextQuery::Related(&seed_text)
        };
        let filter = self
            .filters
            .has_filters()
            .then(|| CatalogFilter::from_intent(self.filters, enforce_genres));
        self.catalog
            .lexical(query, self.exclude, filter.as_ref(), self.limit)
    }

    /// Collaborative scores: the taste model's picks from the viewer's history (with the
    /// history title behind each), or without a model the stored neighbours' recent history
    /// (`users.neighbors`), as the original did.
    ///
    /// The seed titles a query names ("more like Pulp Fiction") count as the viewer's newest
    /// likes for the model: what people who liked the seed also watched.
    pub async fn collaborative(&mut self, user: &UserState, seeds: &[ItemId]) -> ApiResult<Collab> {
        let exclude = self.exclude.set();
        if let Some(served) = self.taste {
            let history: Cow<'_, [(ItemId, String)]> = if seeds.is_empty() {
                Cow::Borrowed(&user.history)
            } else {
                let mut history = user.history.clone();
                history.extend(seeds.iter().map(|id| (*id, SEED_EVENT.to_owned())));
                Cow::Owned(history)
            };
            let order = HistoryOrder::from_largest_batch(user.largest_batch);
            let order = if seeds.is_empty() {
                order
            } else {
                order.seeded()
            };
            let picks = taste_picks(
                &served.model,
                &history,
                order,
                exclude,
                self.allow,
                self.limit,
            );
            // "Because you liked <seed>" would claim a like the viewer never recorded.
            let mut reasons = picks.because;
            reasons.retain(|_, (source, _)| !seeds.contains(source));
            let because = self.because_titles(reasons).await?;
            return Ok(Collab {
                scores: picks.scores,
                because,
                source: format!("taste_model:{}", served.version),
            });
        }
        let allow: Option<HashSet<ItemId>> = self.allow.map(|a| a.iter().copied().collect());
        let neighbours = parse_neighbours(&user.neighbors);
        if neighbours.is_empty() || allow.as_ref().is_some_and(HashSet::is_empty) {
            return Ok(Collab::none());
        }
        let names: Vec<String> = neighbours.iter().map(|(u, _)| u.clone()).collect();
        let rows = neighbour_rows(self.conn, &names, history_limit(self.limit) as i64).await?;
        Ok(Collab {
            scores: collaborative_scores(&neighbours, &rows, exclude, allow.as_ref(), self.limit),
            because: HashMap::new(),
            source: "neighbours".to_owned(),
        })
    }

    /// The titles behind the model's picks, by pick.
    async fn because_titles(
        &mut self,
        because: HashMap<ItemId, (ItemId, bool)>,
    ) -> ApiResult<HashMap<ItemId, Because>> {
        let mut sources: Vec<ItemId> = because.values().map(|(source, _)| *source).collect();
        sources.sort_unstable();
        sources.dedup();
        if sources.is_empty() {
            return Ok(HashMap::new());
        }
        let titles = self.catalog.titles(self.conn, &sources).await?;
        Ok(because
            .into_iter()
            .filter_map(|(pick, (source, liked))| {
                let title = titles.get(&source)?.clone();
                Some((pick, Because { title, liked }))
            })
            .collect())
    }

    /// The trending prior over titles passing the filters (genres included).
    pub async fn trending(&mut self) -> ApiResult<Vec<(ItemId, f64)>> {
        let filter = CatalogFilter::from_intent(self.filters, true);
        let (conn, exclude) = (&mut *self.conn, self.exclude);
        let rows = self
            .catalog
            .trending_rows(conn, &filter, self.allow, exclude, self.limit)
            .await?;
        Ok(trending_scores(&rows))
    }
}
