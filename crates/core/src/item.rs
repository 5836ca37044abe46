//! Catalog titles as the pipeline sees them.

use serde::{Deserialize, Serialize};

/// Internal catalog id (`items.id`), the id every endpoint speaks.
pub type ItemId = i32;

/// Movie or TV show. TMDB keeps separate id spaces for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Movie,
    Tv,
}

impl MediaType {
    /// The wire and database spelling (`movie` / `tv`).
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Movie => "movie",
            MediaType::Tv => "tv",
        }
    }

    /// Parses `movie`/`tv` (case-insensitive; `show`, `series` mean tv).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "movie" | "movies" | "film" => Some(MediaType::Movie),
            "tv" | "show" | "series" => Some(MediaType::Tv),
            _ => None,
        }
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A TMDB genre, as stored in `items.genres` (`{"id": 18, "name": "Drama"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Genre {
    /// TMDB genre id; absent for genres that came from other sources.
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
}

/// One catalog row (`items`), with the columns the pipeline reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    pub tmdb_id: i32,
    pub media_type: MediaType,
    pub title: String,
    pub overview: Option<String>,
    pub poster_url: Option<String>,
    /// Minutes (movie runtime, or the first episode runtime for TV).
    pub runtime: Option<i32>,
    pub original_language: Option<String>,
    /// Empty when the catalog knows no genres (the original stored JSON `null`).
    pub genres: Vec<Genre>,
    pub release_year: Option<i32>,
    pub collection_id: Option<i32>,
    pub collection_name: Option<String>,
    /// Normalised certification (see [`crate::maturity`]).
    pub maturity_rating: Option<String>,
    pub popularity: Option<f64>,
    pub vote_average: Option<f64>,
    pub vote_count: Option<i32>,
    pub popular_rank: Option<i32>,
    pub trending_rank: Option<i32>,
    pub top_rated_rank: Option<i32>,
    /// Top-billed cast, for the people boost (`include_people`).
    #[serde(default)]
    pub cast_names: Vec<String>,
    /// Directors (movies) or creators (TV), for the people boost.
    #[serde(default)]
    pub directors: Vec<String>,
    /// TMDB keywords ("heist", "space opera"), which the vocabulary's tags match.
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl Item {
    /// Genre names, in catalog order.
    pub fn genre_names(&self) -> impl Iterator<Item = &str> {
        self.genres.iter().map(|g| g.name.as_str())
    }

    /// True when the item has a genre equal to `name`, ignoring case.
    pub fn has_genre_ci(&self, name: &str) -> bool {
        self.genres
            .iter()
            .any(|g| g.name.eq_ignore_ascii_case(name))
    }

    /// True when `name` is in the cast or among the directors (case-insensitive).
    pub fn features_person(&self, name: &str) -> bool {
        let name = name.trim();
        !name.is_empty()
            && self
                .cast_names
                .iter()
                .chain(&self.directors)
                .any(|p| p.trim().eq_ignore_ascii_case(name))
    }

    /// True when one of the item's keywords, trimmed and lower-cased (as SQL's `lower`), is
    /// one of `tags` (lower-cased).
    pub fn has_tag(&self, tags: &[String]) -> bool {
        !tags.is_empty()
            && self.keywords.iter().any(|k| {
                let k = k.trim();
                tags.iter().any(|t| {
                    if k.is_ascii() {
                        k.eq_ignore_ascii_case(t)
                    } else {
                        k.to_lowercase() == *t
                    }
                })
            })
    }

    /// A minimal item for tests and fixtures: everything unknown but id, title and type.
    pub fn bare(id: ItemId, media_type: MediaType, title: &str) -> Self {
        Item {
            id,
            tmdb_id: id,
            media_type,
            title: title.to_owned(),
            overview: None,
            poster_url: None,
            runtime: None,
            original_language: None,
            genres: Vec::new(),
            release_year: None,
            collection_id: None,
            collection_name: None,
            maturity_rating: None,
            popularity: None,
            vote_average: None,
            vote_count: None,
            popular_rank: None,
            trending_rank: None,
            top_rated_rank: None,
            cast_names: Vec::new(),
            directors: Vec::new(),
            keywords: Vec::new(),
        }
    }
}

/// Where a title can be streamed (`watch_options[]` in responses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchOption {
    /// JustWatch package short name (`nfx`, `dnp`, ...).
    pub service: String,
    pub url: String,
}
