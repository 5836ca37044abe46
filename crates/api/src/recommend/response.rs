//! Shaping ranked candidates into the original's response items (23 keys, in its order;
//! internal ranks, vectors and source scores are never sent). These types are what is
//! serialised and what the OpenAPI document describes.

use crate::extract::media_type::WireMediaType;
use seen_core::Candidate;
use seen_core::item::{Genre, WatchOption};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A genre as TMDB gives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GenreOut<'a> {
    /// TMDB genre id; null for genres from other sources.
    pub id: Option<i64>,
    pub name: &'a str,
}

/// Where to watch a title.
#[derive(Debug, Serialize, ToSchema)]
pub struct WatchOptionOut<'a> {
    /// JustWatch short name (`nfx`, `dnp`, ...).
    pub service: &'a str,
    /// Deeplink, else web URL, of the service's best offer.
    pub url: &'a str,
}

/// One recommended title (keys in the original's order).
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendItem<'a> {
    pub id: i32,
    pub tmdb_id: i32,
    pub media_type: WireMediaType,
    pub title: &'a str,
    pub overview: Option<&'a str>,
    pub poster_url: Option<&'a str>,
    /// Minutes.
    pub runtime: Option<i32>,
    pub original_language: Option<&'a str>,
    /// Always a list (the original could send JSON null, which crashed its own UI).
    pub genres: Vec<GenreOut<'a>>,
    pub release_year: Option<i32>,
    pub collection_id: Option<i32>,
    pub collection_name: Option<&'a str>,
    pub maturity_rating: Option<&'a str>,
    /// Offers in the configured country; may be empty.
    pub watch_options: Vec<WatchOptionOut<'a>>,
    /// The first option's URL.
    pub watch_url: Option<&'a str>,
    pub popularity: Option<f64>,
    pub vote_average: Option<f64>,
    pub vote_count: Option<i32>,
    pub popular_rank: Option<i32>,
    pub trending_rank: Option<i32>,
    pub top_rated_rank: Option<i32>,
    /// Heuristic or reranker score.
    pub score: f64,
    /// Why this title.
    pub explanation: &'a str,
}

impl<'a> From<&'a Candidate> for RecommendItem<'a> {
    fn from(c: &'a Candidate) -> Self {
        let i = &*c.item;
        RecommendItem {
            id: i.id,
            tmdb_id: i.tmdb_id,
            media_type: i.media_type.into(),
            title: &i.title,
            overview: i.overview.as_deref(),
            poster_url: i.poster_url.as_deref(),
            runtime: i.runtime,
            original_language: i.original_language.as_deref(),
            genres: i.genres.iter().map(GenreOut::from).collect(),
            release_year: i.release_year,
            collection_id: i.collection_id,
            collection_name: i.collection_name.as_deref(),
            maturity_rating: i.maturity_rating.as_deref(),
            watch_options: c.watch_options.iter().map(WatchOptionOut::from).collect(),
            watch_url: c.watch_url.as_deref(),
            popularity: i.popularity,
            vote_average: i.vote_average,
            vote_count: i.vote_count,
            popular_rank: i.popular_rank,
            trending_rank: i.trending_rank,
            top_rated_rank: i.top_rated_rank,
            score: c.score,
            explanation: &c.explanation,
        }
    }
}

impl<'a> From<&'a Genre> for GenreOut<'a> {
    fn from(g: &'a Genre) -> Self {
        GenreOut {
            id: g.id,
            name: &g.name,
        }
    }
}

impl<'a> From<&'a WatchOption> for WatchOptionOut<'a> {
    fn from(w: &'a WatchOption) -> Self {
        WatchOptionOut {
            service: &w.service,
            url: &w.url,
        }
    }
}

/// A page of recommendations: `{"items": [...], "next_cursor"?: "..."}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendPage<'a> {
    pub items: Vec<RecommendItem<'a>>,
    /// Present only when there is a next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<&'a str>,
}

impl<'a> RecommendPage<'a> {
    /// The page of `items`, with the cursor of the next one if any.
    pub fn new(items: &'a [Candidate], next_cursor: Option<&'a str>) -> Self {
        RecommendPage {
            items: items.iter().map(RecommendItem::from).collect(),
            next_cursor,
        }
    }
}

/// A page of recommendations plus the pipeline trace (`/debug/recommend`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DebugRecommendPage<'a> {
    pub items: Vec<RecommendItem<'a>>,
    /// Present only when there is a next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<&'a str>,
    /// What the pipeline did: `path`, `intent`, `intent_source`, `filters`, `rewrite`,
    /// `prefilter`, `counts`, `stages` (ms per stage), `reranker` and per-item `items`
    /// (mixer components, rules, MMR moves, serendipity). Its shape may grow.
    #[schema(value_type = Object)]
    pub debug: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use seen_core::item::{Item, MediaType};
    use serde_json::json;

    #[test]
    fn an_item_has_exactly_the_original_keys_in_order() {
        let c = Candidate::new(Item::bare(7, MediaType::Movie, "Heat"), None, 3);
        let v = serde_json::to_value(RecommendItem::from(&c)).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "id",
                "tmdb_id",
                "media_type",
                "title",
                "overview",
                "poster_url",
                "runtime",
                "original_language",
                "genres",
                "release_year",
                "collection_id",
                "collection_name",
                "maturity_rating",
                "watch_options",
                "watch_url",
                "popularity",
                "vote_average",
                "vote_count",
                "popular_rank",
                "trending_rank",
                "top_rated_rank",
                "score",
                "explanation"
            ]
        );
        assert_eq!(v["genres"], json!([]));
    }

    #[test]
    fn next_cursor_is_present_only_when_given() {
        let page = |cursor| serde_json::to_value(RecommendPage::new(&[], cursor)).unwrap();
        assert!(page(None).get("next_cursor").is_none());
        assert_eq!(page(Some("abc"))["next_cursor"], "abc");
    }
}
