//! The catalog (`items`): bulk upsert for the importers, reads by id and by key, title search.
//!
//! [`upsert_items`] writes a whole batch in one statement: the columns travel as arrays and
//! `UNNEST` turns them back into rows, so a batch costs one round trip whatever its size (and
//! stays far below Postgres's 65,535 bind-parameter limit). A conflicting row is only
//! rewritten when one of its data columns differs, so re-importing the same file touches
//! nothing and `updated_at` keeps meaning "the data last changed".

use crate::{Result, StoreError};
use seen_core::catalog::NewItem;
use seen_core::item::{Genre, ItemId, MediaType};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use std::collections::HashMap;

/// What an upsert did with its titles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UpsertCounts {
    /// New rows.
    pub inserted: u64,
    /// Existing rows whose data changed.
    pub updated: u64,
    /// Existing rows already holding exactly this data (left untouched).
    pub unchanged: u64,
}

impl std::ops::AddAssign for UpsertCounts {
    fn add_assign(&mut self, other: Self) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// Inserts new titles and updates changed ones, keyed by `(media_type, tmdb_id)`, in one
/// statement.
///
/// Every data column is written (a `None` clears the stored value, as the original did),
/// except the cross-reference ids `imdb_id` and `movielens_id`: a source that does not know
/// them (a TMDB sync) must not erase what the catalog import linked.
/// Empty genre/keyword/people lists are stored as SQL `NULL`. When the batch holds one key
/// twice, the later title wins and the earlier one is not counted.
#[tracing::instrument(name = "upsert items", skip_all, fields(batch = items.len()))]
pub async fn upsert_items(conn: &mut PgConnection, items: &[NewItem]) -> Result<UpsertCounts> {
    let batch = last_per_key(items);
    if batch.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let c = Columns::of(&batch);
    // language=PostgreSQL
    let inserted_flags: Vec<bool> = sqlx::query_scalar(
        r#"
        INSERT INTO items (tmdb_id, media_type, title, overview, runtime, original_language,
                           genres, poster_url, release_year, popularity, vote_average, vote_count,
                           popular_rank, trending_rank, top_rated_rank, collection_id,
                           collection_name, maturity_rating, keywords, cast_names, directors,
                           imdb_id, movielens_id, original_title)
        SELECT * FROM UNNEST($1::int4[], $2::text[], $3::text[], $4::text[], $5::int4[],
                             $6::text[], $7::jsonb[], $8::text[], $9::int4[], $10::float8[],
                             $11::float8[], $12::int4[], $13::int4[], $14::int4[], $15::int4[],
                             $16::int4[], $17::text[], $18::text[], $19::jsonb[], $20::jsonb[],
                             $21::jsonb[], $22::text[], $23::int4[], $24::text[])
        ON CONFLICT (media_type, tmdb_id) DO UPDATE SET
            title = excluded.title,
            overview = excluded.overview,
            runtime = excluded.runtime,
            original_language = excluded.original_language,
            genres = excluded.genres,
            poster_url = excluded.poster_url,
            release_year = excluded.release_year,
            popularity = excluded.popularity,
            vote_average = excluded.vote_average,
            vote_count = excluded.vote_count,
            popular_rank = excluded.popular_rank,
            trending_rank = excluded.trending_rank,
            top_rated_rank = excluded.top_rated_rank,
            collection_id = excluded.collection_id,
            collection_name = excluded.collection_name,
            maturity_rating = excluded.maturity_rating,
            keywords = excluded.keywords,
            cast_names = excluded.cast_names,
            directors = excluded.directors,
            imdb_id = COALESCE(excluded.imdb_id, items.imdb_id),
            movielens_id = COALESCE(excluded.movielens_id, items.movielens_id),
            original_title = excluded.original_title,
            updated_at = now()
        WHERE (items.title, items.overview, items.runtime, items.original_language, items.genres,
               items.poster_url, items.release_year, items.popularity, items.vote_average,
               items.vote_count, items.popular_rank, items.trending_rank, items.top_rated_rank,
               items.collection_id, items.collection_name, items.maturity_rating, items.keywords,
               items.cast_names, items.directors, items.imdb_id, items.movielens_id,
               items.original_title)
            IS DISTINCT FROM
              (excluded.title, excluded.overview, excluded.runtime, excluded.original_language,
               excluded.genres, excluded.poster_url, excluded.release_year, excluded.popularity,
               excluded.vote_average, excluded.vote_count, excluded.popular_rank,
               excluded.trending_rank, excluded.top_rated_rank, excluded.collection_id,
               excluded.collection_name, excluded.maturity_rating, excluded.keywords,
               excluded.cast_names, excluded.directors,
               COALESCE(excluded.imdb_id, items.imdb_id),
               COALESCE(excluded.movielens_id, items.movielens_id), excluded.original_title)
        -- xmax is 0 only on a freshly inserted row version.
        RETURNING (xmax = 0) AS inserted
        "#,
    )
    .bind(c.tmdb_id)
    .bind(c.media_type)
    .bind(c.title)
    .bind(c.overview)
    .bind(c.runtime)
    .bind(c.original_language)
    .bind(c.genres)
    .bind(c.poster_url)
    .bind(c.release_year)
    .bind(c.popularity)
    .bind(c.vote_average)
    .bind(c.vote_count)
    .bind(c.popular_rank)
    .bind(c.trending_rank)
    .bind(c.top_rated_rank)
    .bind(c.collection_id)
    .bind(c.collection_name)
    .bind(c.maturity_rating)
    .bind(c.keywords)
    .bind(c.cast_names)
    .bind(c.directors)
    .bind(c.imdb_id)
    .bind(c.movielens_id)
    .bind(c.original_title)
    .fetch_all(&mut *conn)
    .await?;
    let inserted = inserted_flags.iter().filter(|f| **f).count() as u64;
    let written = inserted_flags.len() as u64;
    Ok(UpsertCounts {
        inserted,
        updated: written - inserted,
        unchanged: batch.len() as u64 - written,
    })
}

/// The batch with one title per key, the last one given, in input order.
fn last_per_key(items: &[NewItem]) -> Vec<&NewItem> {
    let last: HashMap<(MediaType, i32), usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.key(), i))
        .collect();
    items
        .iter()
        .enumerate()
        .filter(|(i, item)| last.get(&item.key()) == Some(i))
        .map(|(_, item)| item)
        .collect()
}

/// `None` for an empty list, so "nothing known" is one value (SQL `NULL`) in the table.
fn json_list<T: Serialize>(list: &[T]) -> Option<Json<&[T]>> {
    (!list.is_empty()).then_some(Json(list))
}

/// The batch column by column, as `UNNEST` wants it.
struct Columns<'a> {
    tmdb_id: Vec<i32>,
    media_type: Vec<&'static str>,
    title: Vec<&'a str>,
    overview: Vec<Option<&'a str>>,
    runtime: Vec<Option<i32>>,
    original_language: Vec<Option<&'a str>>,
    genres: Vec<Option<Json<&'a [Genre]>>>,
    poster_url: Vec<Option<&'a str>>,
    release_year: Vec<Option<i32>>,
    popularity: Vec<Option<f64>>,
    vote_average: Vec<Option<f64>>,
    vote_count: Vec<Option<i32>>,
    popular_rank: Vec<Option<i32>>,
    trending_rank: Vec<Option<i32>>,
    top_rated_rank: Vec<Option<i32>>,
    collection_id: Vec<Option<i32>>,
    collection_name: Vec<Option<&'a str>>,
    maturity_rating: Vec<Option<&'a str>>,
    keywords: Vec<Option<Json<&'a [String]>>>,
    cast_names: Vec<Option<Json<&'a [String]>>>,
    directors: Vec<Option<Json<&'a [String]>>>,
    imdb_id: Vec<Option<&'a str>>,
    movielens_id: Vec<Option<i32>>,
    original_title: Vec<Option<&'a str>>,
}

impl<'a> Columns<'a> {
    fn of(batch: &[&'a NewItem]) -> Self {
        Columns {
            tmdb_id: batch.iter().map(|i| i.tmdb_id).collect(),
            media_type: batch.iter().map(|i| i.media_type.as_str()).collect(),
            title: batch.iter().map(|i| i.title.as_str()).collect(),
            overview: batch.iter().map(|i| i.overview.as_deref()).collect(),
            runtime: batch.iter().map(|i| i.runtime).collect(),
            original_language: batch
                .iter()
                .map(|i| i.original_language.as_deref())
                .collect(),
            genres: batch.iter().map(|i| json_list(&i.genres)).collect(),
            poster_url: batch.iter().map(|i| i.poster_url.as_deref()).collect(),
            release_year: batch.iter().map(|i| i.release_year).collect(),
            popularity: batch.iter().map(|i| i.popularity).collect(),
            vote_average: batch.iter().map(|i| i.vote_average).collect(),
            vote_count: batch.iter().map(|i| i.vote_count).collect(),
            popular_rank: batch.iter().map(|i| i.popular_rank).collect(),
            trending_rank: batch.iter().map(|i| i.trending_rank).collect(),
            top_rated_rank: batch.iter().map(|i| i.top_rated_rank).collect(),
            collection_id: batch.iter().map(|i| i.collection_id).collect(),
            collection_name: batch.iter().map(|i| i.collection_name.as_deref()).collect(),
            maturity_rating: batch.iter().map(|i| i.maturity_rating.as_deref()).collect(),
            keywords: batch.iter().map(|i| json_list(&i.keywords)).collect(),
            cast_names: batch.iter().map(|i| json_list(&i.cast_names)).collect(),
            directors: batch.iter().map(|i| json_list(&i.directors)).collect(),
            imdb_id: batch.iter().map(|i| i.imdb_id.as_deref()).collect(),
            movielens_id: batch.iter().map(|i| i.movielens_id).collect(),
            original_title: batch.iter().map(|i| i.original_title.as_deref()).collect(),
        }
    }
}

/// `movie` / `tv` as stored; the column's CHECK constraint makes anything else a decode error.
fn media_type(raw: &str) -> Result<MediaType> {
    MediaType::parse(raw).ok_or_else(|| {
        StoreError::Database(sqlx::Error::Decode(
            format!("items.media_type is {raw:?}, expected movie or tv").into(),
        ))
    })
}

/// `(tmdb_id, media_type, item id)` of the titles with these TMDB ids, of one media type or
/// both.
pub async fn ids_by_tmdb(
    db: impl PgExecutor<'_>,
    media: Option<MediaType>,
    tmdb_ids: &[i32],
) -> Result<Vec<(i32, MediaType, ItemId)>> {
    // language=PostgreSQL
    let rows: Vec<(i32, String, i32)> = sqlx::query_as(
        r#"
        SELECT tmdb_id, media_type, id
        FROM items
        WHERE tmdb_id = ANY($1) AND ($2::text IS NULL OR media_type = $2)
        ORDER BY tmdb_id, media_type
        "#,
    )
    .bind(tmdb_ids)
    .bind(media.map(MediaType::as_str))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(tmdb_id, media, id)| Ok((tmdb_id, media_type(&media)?, id)))
        .collect()
}

/// MovieLens `movieId` → item id, for every title that carries one (a movie wins over a TV
/// show, then the lowest id).
pub async fn ids_by_movielens(db: impl PgExecutor<'_>) -> Result<HashMap<i32, ItemId>> {
    // language=PostgreSQL
    let rows: Vec<(i32, i32)> = sqlx::query_as(
        r#"
        SELECT DISTINCT ON (movielens_id) movielens_id, id
        FROM items
        WHERE movielens_id IS NOT NULL
        ORDER BY movielens_id, (media_type = 'movie') DESC, id
        "#,
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

/// One title-search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleHit {
    /// Item id.
    pub id: ItemId,
    /// TMDB id.
    pub tmdb_id: i32,
    /// Movie or TV.
    pub media_type: MediaType,
    /// Title as stored.
    pub title: String,
    /// Release (or first-air) year.
    pub release_year: Option<i32>,
    /// Poster URL.
    pub poster_url: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TitleHitRow {
    id: i32,
    tmdb_id: i32,
    media_type: String,
    title: String,
    release_year: Option<i32>,
    poster_url: Option<String>,
}

/// Titles containing `q`, ignoring case: exact matches first, then prefix matches, then the
/// other substring matches, each group by popularity. A blank query finds nothing.
#[tracing::instrument(name = "search titles", skip(db))]
pub async fn search_titles(db: impl PgExecutor<'_>, q: &str, limit: i64) -> Result<Vec<TitleHit>> {
    let q = q.trim();
    if q.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    // `%`, `_` and `\` in the query are literal characters, not LIKE wildcards.
    let escaped = q
        .replace('\\', r"\\")
        .replace('%', r"\%")
        .replace('_', r"\_");
    // language=PostgreSQL
    let rows: Vec<TitleHitRow> = sqlx::query_as(
        r#"
        SELECT id, tmdb_id, media_type, title, release_year, poster_url
        FROM items
        WHERE lower(title) LIKE '%' || lower($1) || '%'
        ORDER BY lower(title) = lower($2) DESC,
                 lower(title) LIKE lower($1) || '%' DESC,
                 popularity DESC NULLS LAST,
                 id
        LIMIT $3
        "#,
    )
    .bind(&escaped)
    .bind(q)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(TitleHit {
                id: row.id,
                tmdb_id: row.tmdb_id,
                media_type: media_type(&row.media_type)?,
                title: row.title,
                release_year: row.release_year,
                poster_url: row.poster_url,
            })
        })
        .collect()
}

/// Refreshes the planner's statistics after a bulk load.
pub async fn analyze_items(db: impl PgExecutor<'_>) -> Result<()> {
    // language=PostgreSQL
    sqlx::query(r#"ANALYZE items"#).execute(db).await?;
    Ok(())
}

/// The subset of `ids` that exist in the catalog (for validating history writes).
pub async fn existing_ids(db: impl PgExecutor<'_>, ids: &[ItemId]) -> Result<Vec<ItemId>> {
    // language=PostgreSQL
    let found = sqlx::query_scalar(r#"SELECT id FROM items WHERE id = ANY($1) ORDER BY id"#)
        .bind(ids)
        .fetch_all(db)
        .await?;
    Ok(found)
}

/// The catalog's genre names for `media_types` (all titles when empty): trimmed,
/// de-duplicated case-insensitively keeping the first spelling, sorted. The intent prompt
/// lists them so the LLM answers with genres the catalog actually has (spec §4.4.6).
pub async fn catalog_genre_names(
    db: impl PgExecutor<'_>,
    media_types: &[String],
) -> Result<Vec<String>> {
    // language=PostgreSQL
    let names: Vec<String> = sqlx::query_scalar(
        r#"
        SELECT min(name) FROM (
            SELECT btrim(CASE jsonb_typeof(g) WHEN 'object' THEN g->>'name'
                                              WHEN 'string' THEN g #>> '{}' END) AS name
            FROM items i, jsonb_array_elements(i.genres) g
            WHERE jsonb_typeof(i.genres) = 'array'
              AND (cardinality($1::text[]) = 0 OR i.media_type = ANY($1))
        ) n
        WHERE name <> ''
        GROUP BY lower(name)
        ORDER BY lower(name)
        "#,
    )
    .bind(media_types)
    .fetch_all(db)
    .await
    .map_err(StoreError::from)?;
    Ok(names)
}
