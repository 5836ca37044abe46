//! TMDB detail JSON → one `items` row ([`NewItem`]), shared by the TMDB sync and the offline
//! catalog import, plus offline list ranks ([`compute_ranks`]).
//!
//! One mapping accepts both payload shapes (spec data §2.3):
//! - the real API detail response (`/movie/{id}?append_to_response=release_dates,credits,keywords`,
//!   `/tv/{id}?append_to_response=content_ratings,credits,keywords`): people under
//!   `credits.cast` / `credits.crew`, keywords under `keywords.keywords` (movie) or
//!   `keywords.results` (tv), the certification under `release_dates` / `content_ratings`;
//! - the demo catalog's flattened lines: `cast`, `directors` and `keywords` as string lists,
//!   `media_type`, `movielens_id`, and `runtime` meaning the episode runtime for TV.
//!
//! Numbers are parsed leniently (numeric strings count, junk becomes `None`), so one odd field
//! never loses a title. Strings are cut to their column widths and stripped of NUL characters,
//! because one over-long or NUL-bearing value would otherwise fail a whole batch insert.

mod certification;
mod lenient;
mod ranks;
#[cfg(test)]
mod tests;

pub use ranks::{
    TOP_RATED_MIN_VOTES, WEIGHTED_RATING_PRIOR_VOTES, compute_ranks, weighted_average,
};

use crate::item::{Genre, MediaType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// TMDB serves posters from this prefix; `poster_path` is appended to it.
pub const POSTER_BASE_URL: &str = "https://image.tmdb.org/t/p/w500";
/// Top-billed cast names kept per title (the API returns the whole cast).
pub const CAST_LIMIT: usize = 10;

/// Column widths of `items` (varchar limits) that the mapping respects.
const TITLE_MAX: usize = 512;
const LANGUAGE_MAX: usize = 16;
const POSTER_URL_MAX: usize = 1024;
const IMDB_ID_MAX: usize = 16;
const MATURITY_MAX: usize = 32;

/// Every column of `items` that the importers write (ids and timestamps are the database's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewItem {
    /// TMDB id; unique together with `media_type`.
    pub tmdb_id: i32,
    /// Movie or TV show (TMDB keeps separate id spaces).
    pub media_type: MediaType,
    /// Movie `title` or TV `name`, trimmed, never blank.
    pub title: String,
    /// `original_title` (movie) or `original_name` (tv): the history importers' fallback.
    pub original_title: Option<String>,
    /// Overview as given (may be empty).
    pub overview: Option<String>,
    /// Minutes: movie runtime, or the (first) episode runtime for TV.
    pub runtime: Option<i32>,
    /// ISO 639-1 code.
    pub original_language: Option<String>,
    /// TMDB genres in payload order; empty when unknown.
    pub genres: Vec<Genre>,
    /// Full poster URL.
    pub poster_url: Option<String>,
    /// Year of `release_date` (movie) or `first_air_date` (tv).
    pub release_year: Option<i32>,
    /// TMDB popularity score.
    pub popularity: Option<f64>,
    /// TMDB mean vote (0–10).
    pub vote_average: Option<f64>,
    /// TMDB vote count.
    pub vote_count: Option<i32>,
    /// 1-based position in the popular list (or by popularity offline, see [`compute_ranks`]).
    pub popular_rank: Option<i32>,
    /// 1-based position in the trending list; `None` offline.
    pub trending_rank: Option<i32>,
    /// 1-based position in the top-rated list (or by weighted rating offline).
    pub top_rated_rank: Option<i32>,
    /// Franchise (`belongs_to_collection.id`).
    pub collection_id: Option<i32>,
    /// Franchise name.
    pub collection_name: Option<String>,
    /// Normalised certification (spec data §2.5).
    pub maturity_rating: Option<String>,
    /// Keyword names, in payload order.
    pub keywords: Vec<String>,
    /// Top-billed cast names (at most [`CAST_LIMIT`]).
    pub cast_names: Vec<String>,
    /// Directors' names.
    pub directors: Vec<String>,
    /// IMDb id (`tt0094675`).
    pub imdb_id: Option<String>,
    /// MovieLens `movieId`, when the source links one.
    pub movielens_id: Option<i32>,
}

impl NewItem {
    /// The natural key of a title: `(media_type, tmdb_id)`.
    pub fn key(&self) -> (MediaType, i32) {
        (self.media_type, self.tmdb_id)
    }
}

/// Why a payload could not become an item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The payload is not a JSON object.
    #[error("the payload is not a JSON object")]
    NotAnObject,
    /// `id` is absent, not an integer, or not a positive 32-bit number.
    #[error("no usable `id` (a positive integer is required)")]
    MissingId,
    /// Neither `title` nor `name` holds a non-blank string.
    #[error("no usable `title` or `name`")]
    MissingTitle,
    /// `media_type` is something other than movie or tv.
    #[error("unknown media_type {0:?} (expected \"movie\" or \"tv\")")]
    UnknownMediaType(String),
}

impl CatalogError {
    /// A short, stable reason for summaries that count skips by kind.
    pub fn reason(&self) -> &'static str {
        match self {
            CatalogError::NotAnObject => "not a JSON object",
            CatalogError::MissingId => "missing id",
            CatalogError::MissingTitle => "missing title",
            CatalogError::UnknownMediaType(_) => "unknown media_type",
        }
    }
}

/// Maps one TMDB detail payload (API or demo-catalog shape) to an `items` row.
///
/// `media_type` (the sync knows which endpoint it called) wins over the payload's own
/// `media_type`; without either, a payload with a `name` key is TV, anything else a movie.
/// List ranks are read from `popular_rank` / `trending_rank` / `top_rated_rank` keys when a
/// source attaches them, else left `None`.
pub fn map_tmdb_detail(
    payload: &Value,
    media_type: Option<MediaType>,
) -> Result<NewItem, CatalogError> {
    let obj = payload.as_object().ok_or(CatalogError::NotAnObject)?;
    let tmdb_id = obj
        .get("id")
        .and_then(lenient::exact_i32)
        .filter(|id| *id > 0)
        .ok_or(CatalogError::MissingId)?;
    let media_type = match media_type {
        Some(media) => media,
        None => media_of(obj)?,
    };
    let title = text(obj, "title")
        .or_else(|| text(obj, "name"))
        .map(|t| clip(t, TITLE_MAX))
        .ok_or(CatalogError::MissingTitle)?;
    let (collection_id, collection_name) = collection(obj);
    let original_title = text(obj, "original_title")
        .or_else(|| text(obj, "original_name"))
        .map(|t| clip(t, TITLE_MAX));
    Ok(NewItem {
        tmdb_id,
        media_type,
        title,
        original_title,
        overview: obj.get("overview").and_then(Value::as_str).map(clean),
        runtime: runtime(obj, media_type),
        original_language: text(obj, "original_language").filter(|l| l.len() <= LANGUAGE_MAX),
        genres: genres(obj.get("genres")),
        poster_url: poster_url(obj),
        release_year: release_year(obj),
        popularity: obj.get("popularity").and_then(lenient::float),
        vote_average: obj.get("vote_average").and_then(lenient::float),
        vote_count: obj.get("vote_count").and_then(lenient::truncating_i32),
        popular_rank: rank(obj, "popular_rank"),
        trending_rank: rank(obj, "trending_rank"),
        top_rated_rank: rank(obj, "top_rated_rank"),
        collection_id,
        collection_name,
        maturity_rating: certification::extract(obj, media_type)
            .filter(|r| r.chars().count() <= MATURITY_MAX),
        keywords: keywords(obj.get("keywords")),
        cast_names: cast(obj),
        directors: directors(obj),
        imdb_id: imdb_id(obj),
        movielens_id: obj.get("movielens_id").and_then(lenient::exact_i32),
    })
}

fn media_of(obj: &Map<String, Value>) -> Result<MediaType, CatalogError> {
    match obj.get("media_type").filter(|v| !v.is_null()) {
        Some(Value::String(raw)) => {
            MediaType::parse(raw).ok_or_else(|| CatalogError::UnknownMediaType(raw.clone()))
        }
        Some(other) => Err(CatalogError::UnknownMediaType(other.to_string())),
        None if obj.contains_key("name") => Ok(MediaType::Tv),
        None => Ok(MediaType::Movie),
    }
}

/// Removes NUL characters, which Postgres text columns refuse, and repairs double-encoded
/// text ([`repair_double_encoding`]).
fn clean(s: &str) -> String {
    let s = if s.contains('\0') {
        s.replace('\0', "")
    } else {
        s.to_owned()
    };
    repair_double_encoding(&s).unwrap_or(s)
}

/// Text that was UTF-8, read as Windows-1252 and encoded again: "AmÃ©lie", "â€“", and
/// Japanese titles as "ã‚¢ãƒƒ…" (about 700 fields of the demo catalog's source files). Encoded
/// back to Windows-1252 it gives the original bytes; when those are valid UTF-8 and differ,
/// they are the text. Real text seldom survives the round trip ("é" alone is the byte 0xE9,
/// not UTF-8), so it comes back `None`.
pub fn repair_double_encoding(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    if unmappable {
        return None;
    }
    let repaired = std::str::from_utf8(&bytes).ok()?;
    (repaired != s).then(|| repaired.to_owned())
}

/// A trimmed, non-blank string field.
fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    non_blank(obj.get(key)?)
}

fn non_blank(value: &Value) -> Option<String> {
    let s = clean(value.as_str()?);
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Cuts to at most `max` characters (varchar counts characters, not bytes).
fn clip(s: String, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((byte, _)) => s[..byte].to_owned(),
        None => s,
    }
}

fn rank(obj: &Map<String, Value>, key: &str) -> Option<i32> {
    obj.get(key).and_then(lenient::exact_i32).filter(|r| *r > 0)
}

/// `runtime` when it is a whole number (0 allowed); for TV else the first `episode_run_time`.
fn runtime(obj: &Map<String, Value>, media: MediaType) -> Option<i32> {
    let non_negative = |m: i32| (m >= 0).then_some(m);
    if let Some(minutes) = obj.get("runtime").and_then(lenient::exact_i32) {
        return non_negative(minutes);
    }
    match media {
        MediaType::Tv => obj
            .get("episode_run_time")?
            .as_array()?
            .first()
            .and_then(lenient::exact_i32)
            .and_then(non_negative),
        MediaType::Movie => None,
    }
}

/// `[{"id", "name"}]` objects (other keys dropped); bare strings are accepted as names.
fn genres(value: Option<&Value>) -> Vec<Genre> {
    let Some(list) = value.and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out: Vec<Genre> = Vec::with_capacity(list.len());
    for entry in list {
        let genre = if let Value::Object(g) = entry {
            g.get("name").and_then(non_blank).map(|name| Genre {
                id: g.get("id").and_then(lenient::exact_i64),
                name,
            })
        } else {
            non_blank(entry).map(|name| Genre { id: None, name })
        };
        if let Some(genre) = genre.filter(|g| !out.iter().any(|seen| seen.name == g.name)) {
            out.push(genre);
        }
    }
    out
}

fn poster_url(obj: &Map<String, Value>) -> Option<String> {
    let path = text(obj, "poster_path")?;
    let url = if path.starts_with("http://") || path.starts_with("https://") {
        path
    } else if path.starts_with('/') {
        format!("{POSTER_BASE_URL}{path}")
    } else {
        format!("{POSTER_BASE_URL}/{path}")
    };
    (url.chars().count() <= POSTER_URL_MAX).then_some(url)
}

/// The first of `release_date` / `first_air_date` that starts with four digits.
fn release_year(obj: &Map<String, Value>) -> Option<i32> {
    ["release_date", "first_air_date"].iter().find_map(|key| {
        let date = obj.get(*key)?.as_str()?;
        let head = date.get(..4)?;
        if head.bytes().all(|b| b.is_ascii_digit()) {
            head.parse().ok()
        } else {
            None
        }
    })
}

fn collection(obj: &Map<String, Value>) -> (Option<i32>, Option<String>) {
    let Some(Value::Object(c)) = obj.get("belongs_to_collection") else {
        return (None, None);
    };
    (
        c.get("id").and_then(lenient::exact_i32),
        text(c, "name").map(|n| clip(n, TITLE_MAX)),
    )
}

/// Names from a list of strings or of `{"name": ..}` objects, trimmed, unique, in order.
fn names<'a>(list: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in list {
        let name = if let Value::Object(o) = entry {
            o.get("name").and_then(non_blank)
        } else {
            non_blank(entry)
        };
        if let Some(name) = name.filter(|n| !out.contains(n)) {
            out.push(name);
        }
    }
    out
}

/// Demo: a string list. API: `{"keywords": [..]}` (movie) or `{"results": [..]}` (tv).
fn keywords(value: Option<&Value>) -> Vec<String> {
    if let Some(Value::Array(list)) = value {
        return names(list);
    }
    value
        .and_then(Value::as_object)
        .and_then(|o| o.get("keywords").or_else(|| o.get("results")))
        .and_then(Value::as_array)
        .map(names)
        .unwrap_or_default()
}

fn credits_list<'a>(obj: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    obj.get("credits")
        .and_then(|c| c.get(key))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn cast(obj: &Map<String, Value>) -> Vec<String> {
    let mut out = match obj.get("cast").and_then(Value::as_array) {
        Some(list) => names(list),
        None => names(credits_list(obj, "cast")),
    };
    out.truncate(CAST_LIMIT);
    out
}

fn directors(obj: &Map<String, Value>) -> Vec<String> {
    match obj.get("directors").and_then(Value::as_array) {
        Some(list) => names(list),
        None => names(
            credits_list(obj, "crew")
                .iter()
                .filter(|member| member.get("job").and_then(Value::as_str) == Some("Director")),
        ),
    }
}

/// `imdb_id`, or `external_ids.imdb_id` when the payload appended external ids.
fn imdb_id(obj: &Map<String, Value>) -> Option<String> {
    text(obj, "imdb_id")
        .or_else(|| text(obj.get("external_ids")?.as_object()?, "imdb_id"))
        .filter(|id| id.len() <= IMDB_ID_MAX)
}
