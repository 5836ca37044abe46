//! Mapping an `items` row to [`seen_core::Item`]; shared by every query that reads titles.

use seen_core::item::{Genre, Item, MediaType};
use serde_json::Value;

/// The `items` columns the pipeline reads, in the order of [`ITEM_COLUMNS`].
#[derive(Debug, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i32,
    pub tmdb_id: i32,
    pub media_type: String,
    pub title: String,
    pub overview: Option<String>,
    pub poster_url: Option<String>,
    pub runtime: Option<i32>,
    pub original_language: Option<String>,
    pub genres: Option<Value>,
    pub release_year: Option<i32>,
    pub collection_id: Option<i32>,
    pub collection_name: Option<String>,
    pub maturity_rating: Option<String>,
    pub popularity: Option<f64>,
    pub vote_average: Option<f64>,
    pub vote_count: Option<i32>,
    pub popular_rank: Option<i32>,
    pub trending_rank: Option<i32>,
    pub top_rated_rank: Option<i32>,
    pub cast_names: Option<Value>,
    pub directors: Option<Value>,
    pub keywords: Option<Value>,
}

/// Column list matching [`ItemRow`], for `SELECT {ITEM_COLUMNS} FROM items i`.
pub const ITEM_COLUMNS: &str = "i.id, i.tmdb_id, i.media_type, i.title, i.overview, i.poster_url, \
    i.runtime, i.original_language, i.genres, i.release_year, i.collection_id, i.collection_name, \
    i.maturity_rating, i.popularity, i.vote_average, i.vote_count, i.popular_rank, i.trending_rank, \
    i.top_rated_rank, i.cast_names, i.directors, i.keywords";

impl From<ItemRow> for Item {
    fn from(row: ItemRow) -> Self {
        Item {
            id: row.id,
            tmdb_id: row.tmdb_id,
            // The CHECK constraint allows only movie/tv.
            media_type: MediaType::parse(&row.media_type).unwrap_or(MediaType::Movie),
            title: row.title,
            overview: row.overview,
            poster_url: row.poster_url,
            runtime: row.runtime,
            original_language: row.original_language,
            genres: parse_genres(row.genres),
            release_year: row.release_year,
            collection_id: row.collection_id,
            collection_name: row.collection_name,
            maturity_rating: row.maturity_rating,
            popularity: row.popularity,
            vote_average: row.vote_average,
            vote_count: row.vote_count,
            popular_rank: row.popular_rank,
            trending_rank: row.trending_rank,
            top_rated_rank: row.top_rated_rank,
            cast_names: string_list(row.cast_names),
            directors: string_list(row.directors),
            keywords: string_list(row.keywords),
        }
    }
}

/// `[{"id", "name"}]` (or bare strings) → genres; `NULL` → empty.
pub fn parse_genres(value: Option<Value>) -> Vec<Genre> {
    value
        .map(|v| seen_core::genres::genres_from_json(&v))
        .unwrap_or_default()
}

/// A JSON array of names → the non-blank strings; anything else → empty.
pub(crate) fn string_list(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::Array(list)) => list
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s),
                Value::String(_)
                | Value::Null
                | Value::Bool(_)
                | Value::Number(_)
                | Value::Array(_)
                | Value::Object(_) => None,
            })
            .collect(),
        Some(_) | None => Vec::new(),
    }
}
