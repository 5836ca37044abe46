//! The read queries of the `/recommend` pipeline: prefilter, ANN, cold start, trending,
//! neighbour history and hydration. Every reader filters embeddings by the configured
//! version (the original mixed versions: §10.9).

use crate::Result;
use crate::item_row::{ITEM_COLUMNS, ItemRow};
use pgvector::Vector;
use seen_core::catalog_copy::CatalogEntry;
use seen_core::collab::NeighbourRow;
use seen_core::item::{ItemId, WatchOption};
use seen_core::trending::TrendingRow;
use serde::Deserialize;
use sqlx::{PgConnection, Postgres, QueryBuilder};

/// The filter type is shared with the in-memory catalog copy, so both check the same thing.
pub use seen_core::catalog_filter::CatalogFilter;

/// Streaming-service constraint for the prefilter (`availability` join).
#[derive(Debug, Clone)]
pub struct ServiceFilter {
    pub country: String,
    pub services: Vec<String>,
}

/// One ANN hit with its cosine similarity to the query vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnnHit {
    pub item_id: ItemId,
    pub similarity: f64,
}

/// Ids matching the filter (and the service constraint), most popular first (the original
/// returned them in arbitrary order: §10.7). Only titles with an embedding qualify.
pub async fn prefilter_ids(
    conn: &mut PgConnection,
    filter: &CatalogFilter,
    services: Option<&ServiceFilter>,
    version: &str,
    limit: i64,
) -> Result<Vec<ItemId>> {
    let mut qb = QueryBuilder::<Postgres>::new("SELECT i.id FROM items i WHERE ");
    push_has_embedding(&mut qb, version);
    push_filter(&mut qb, filter);
    if let Some(s) = services {
        qb.push(
            " AND EXISTS (SELECT 1 FROM availability a WHERE a.item_id = i.id AND a.country = ",
        )
        .push_bind(s.country.clone())
        .push(" AND lower(a.service) = ANY(")
        .push_bind(
            s.services
                .iter()
                .map(|x| x.to_lowercase())
                .collect::<Vec<_>>(),
        )
        .push("))");
    }
    qb.push(" ORDER BY i.popularity DESC NULLS LAST, i.id LIMIT ")
        .push_bind(limit);
    Ok(qb.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// Nearest titles to `query` by cosine distance, excluding `exclude`, optionally only
/// within `allow`. Uses the HNSW index (with pgvector's iterative scan, so filtered queries
/// still fill the limit); an allowlist is scanned exactly.
#[tracing::instrument(name = "ann", skip_all, fields(limit, allow = allow.map(<[_]>::len)))]
pub async fn ann_candidates(
    conn: &mut PgConnection,
    query: &[f32],
    exclude: &[ItemId],
    allow: Option<&[ItemId]>,
    version: &str,
    limit: i64,
) -> Result<Vec<AnnHit>> {
    if allow.is_some_and(<[_]>::is_empty) || query.is_empty() {
        return Ok(Vec::new());
    }
    let q = Vector::from(query.to_vec());
    let rows: Vec<(ItemId, f64)> = match allow {
        // language=PostgreSQL
        None => {
            sqlx::query_as(
                r#"
            SELECT item_id, similarity FROM (
                SELECT e.item_id, 1 - (e.vector <=> $1) AS similarity
                FROM item_embeddings e
                WHERE e.version = $2 AND NOT (e.item_id = ANY($3))
                ORDER BY e.vector <=> $1
                LIMIT $4
            ) hits
            ORDER BY similarity DESC, item_id
            "#,
            )
            .bind(&q)
            .bind(version)
            .bind(exclude)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        // language=PostgreSQL
        Some(allow) => {
            sqlx::query_as(
                r#"
            SELECT e.item_id, 1 - (e.vector <=> $1) AS similarity
            FROM item_embeddings e
            WHERE e.version = $2 AND e.item_id = ANY($5) AND NOT (e.item_id = ANY($3))
            ORDER BY similarity DESC, e.item_id
            LIMIT $4
            "#,
            )
            .bind(&q)
            .bind(version)
            .bind(exclude)
            .bind(limit)
            .bind(allow)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(item_id, similarity)| AnnHit {
            item_id,
            similarity,
        })
        .collect())
}

/// Popular titles for users without a taste vector (spec §4.10 cold start), skipping
/// `exclude` (the original ignored a cold user's history: §10.8).
pub async fn cold_start_candidates(
    conn: &mut PgConnection,
    filter: &CatalogFilter,
    allow: Option<&[ItemId]>,
    exclude: &[ItemId],
    version: &str,
    limit: i64,
) -> Result<Vec<ItemId>> {
    if allow.is_some_and(<[_]>::is_empty) {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Postgres>::new("SELECT i.id FROM items i WHERE ");
    push_has_embedding(&mut qb, version);
    match allow {
        Some(ids) => {
            qb.push(" AND i.id = ANY(")
                .push_bind(ids.to_vec())
                .push(")");
        }
        None => push_filter(&mut qb, filter),
    }
    qb.push(" AND NOT (i.id = ANY(")
        .push_bind(exclude.to_vec())
        .push("))");
    qb.push(
        " ORDER BY i.popular_rank ASC NULLS LAST, i.trending_rank ASC NULLS LAST, \
         i.popularity DESC NULLS LAST, i.id ASC LIMIT ",
    )
    .push_bind(limit);
    Ok(qb.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// `id, trending_rank, popular_rank, popularity`.
type TrendingTuple = (ItemId, Option<i32>, Option<i32>, Option<f64>);

/// Rows for the trending prior (spec §4.12), best first.
pub async fn trending_rows(
    conn: &mut PgConnection,
    filter: &CatalogFilter,
    allow: Option<&[ItemId]>,
    exclude: &[ItemId],
    version: &str,
    limit: i64,
) -> Result<Vec<TrendingRow>> {
    if allow.is_some_and(<[_]>::is_empty) {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT i.id, i.trending_rank, i.popular_rank, i.popularity FROM items i WHERE ",
    );
    // Hydration needs a vector, so titles without one would only be dropped later.
    push_has_embedding(&mut qb, version);
    if let Some(ids) = allow {
        qb.push(" AND i.id = ANY(")
            .push_bind(ids.to_vec())
            .push(")");
    }
    push_filter(&mut qb, filter);
    qb.push(" AND NOT (i.id = ANY(")
        .push_bind(exclude.to_vec())
        .push("))");
    qb.push(
        " ORDER BY i.trending_rank ASC NULLS LAST, i.popular_rank ASC NULLS LAST, \
         i.popularity DESC NULLS LAST, i.id ASC LIMIT ",
    )
    .push_bind(limit);
    let rows: Vec<TrendingTuple> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, trending_rank, popular_rank, popularity)| TrendingRow {
                id,
                trending_rank,
                popular_rank,
                popularity,
            },
        )
        .collect())
}

/// `item_id, user_id, weight, event_type, ts (µs), id`.
type NeighbourTuple = (ItemId, String, i32, String, i64, i64);

/// The neighbours' most recent events (spec §4.11), newest first.
pub async fn neighbour_rows(
    conn: &mut PgConnection,
    neighbours: &[String],
    limit: i64,
) -> Result<Vec<NeighbourRow>> {
    if neighbours.is_empty() {
        return Ok(Vec::new());
    }
    // One ordered, limited branch per neighbour under UNION ALL: Postgres merges the branches'
    // index scans (Merge Append) and stops after `limit` rows, instead of reading and sorting
    // every event of every neighbour (heavy MovieLens users have thousands each).
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT item_id, user_id, weight, event_type, \
         (extract(epoch FROM ts) * 1000000)::bigint AS ts_us, id FROM (",
    );
    for (i, user) in neighbours.iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push(
            "(SELECT item_id, user_id, weight, event_type, ts, id FROM user_history \
             WHERE user_id = ",
        )
        .push_bind(user.clone())
        .push(" ORDER BY ts DESC, id DESC LIMIT ")
        .push_bind(limit)
        .push(")");
    }
    qb.push(") h ORDER BY ts DESC, id DESC LIMIT ")
        .push_bind(limit);
    let rows: Vec<NeighbourTuple> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(item_id, user_id, weight, event_type, ts, id)| NeighbourRow {
                item_id,
                user_id,
                weight: Some(weight),
                event_type,
                ts,
                id,
            },
        )
        .collect())
}

#[derive(Debug, Deserialize)]
struct OfferJson {
    service: String,
    url: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HydrationRow {
    #[sqlx(flatten)]
    item: ItemRow,
    vector: Option<Vector>,
    offers: sqlx::types::Json<Vec<OfferJson>>,
}

/// Items with their vector and watch options, in ONE query (no per-item round trips).
///
/// Offers are one per service, the best offer type first (flatrate, free, ads, rent, buy),
/// with the deeplink preferred over the web URL — the same rule as `/watch-link` (the
/// original disagreed with itself: §10.16).
#[tracing::instrument(name = "hydrate", skip_all, fields(n = ids.len()))]
pub async fn hydrate(
    conn: &mut PgConnection,
    ids: &[ItemId],
    version: &str,
    country: &str,
) -> Result<Vec<CatalogEntry>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        r#"
        SELECT {ITEM_COLUMNS}, e.vector,
            COALESCE((
                SELECT json_agg(json_build_object('service', o.service, 'url', o.url) ORDER BY o.pref, o.service)
                FROM (
                    SELECT DISTINCT ON (a.service) a.service, {OFFER_URL} AS url,
                           {OFFER_PREFERENCE} AS pref
                    FROM availability a
                    WHERE a.item_id = i.id AND a.country = $3 AND {OFFER_URL} IS NOT NULL
                    ORDER BY a.service, {OFFER_PREFERENCE}
                ) o
            ), '[]'::json) AS offers
        FROM items i
        LEFT JOIN item_embeddings e ON e.item_id = i.id AND e.version = $2
        WHERE i.id = ANY($1)
        "#
    );
    // Only compile-time constants are interpolated above; every value is a bind parameter.
    let rows: Vec<HydrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(ids)
        .bind(version)
        .bind(country)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| CatalogEntry {
            item: std::sync::Arc::new(row.item.into()),
            vector: row.vector.map(|v| v.as_slice().into()),
            watch_options: row
                .offers
                .0
                .into_iter()
                .filter_map(|o| {
                    o.url.map(|url| WatchOption {
                        service: o.service,
                        url,
                    })
                })
                .collect(),
        })
        .collect())
}

/// An offer's link: the app deeplink, else the web URL (blank counts as missing).
pub const OFFER_URL: &str = "COALESCE(NULLIF(a.deeplink, ''), NULLIF(a.web_url, ''))";

/// Offer types in order of preference for a viewer (subscription first, purchase last).
pub const OFFER_PREFERENCE: &str = "CASE upper(a.offer_type) WHEN 'FLATRATE' THEN 0 WHEN 'FREE' THEN 1 \
    WHEN 'ADS' THEN 2 WHEN 'RENT' THEN 3 WHEN 'BUY' THEN 4 ELSE 5 END";

fn push_has_embedding(qb: &mut QueryBuilder<Postgres>, version: &str) {
    qb.push("EXISTS (SELECT 1 FROM item_embeddings e WHERE e.item_id = i.id AND e.version = ")
        .push_bind(version.to_owned())
        .push(")");
}

/// Appends ` AND ...` for every constraint of `filter`.
fn push_filter(qb: &mut QueryBuilder<Postgres>, filter: &CatalogFilter) {
    // `genre_keys`: the lower-cased genre names, generated from `genres` (GIN-indexed).
    if !filter.media_types.is_empty() {
        qb.push(" AND i.media_type = ANY(")
            .push_bind(filter.media_types.clone())
            .push(")");
    }
    if !filter.include_genres.is_empty() {
        qb.push(" AND i.genre_keys && ")
            .push_bind(lowered(&filter.include_genres));
    }
    if !filter.exclude_genres.is_empty() {
        qb.push(" AND NOT (i.genre_keys && ")
            .push_bind(lowered(&filter.exclude_genres))
            .push(")");
    }
    if !filter.languages.is_empty() {
        qb.push(" AND (i.original_language IS NULL OR lower(i.original_language) = ANY(")
            .push_bind(lowered(&filter.languages))
            .push("))");
    }
    if let Some(v) = filter.year_min {
        qb.push(" AND (i.release_year IS NULL OR i.release_year >= ")
            .push_bind(v)
            .push(")");
    }
    if let Some(v) = filter.year_max {
        qb.push(" AND (i.release_year IS NULL OR i.release_year <= ")
            .push_bind(v)
            .push(")");
    }
    if let Some(v) = filter.runtime_min {
        qb.push(" AND (i.runtime IS NULL OR i.runtime >= ")
            .push_bind(v)
            .push(")");
    }
    if let Some(v) = filter.runtime_max {
        qb.push(" AND (i.runtime IS NULL OR i.runtime <= ")
            .push_bind(v)
            .push(")");
    }
}

fn lowered(values: &[String]) -> Vec<String> {
    values.iter().map(|v| v.trim().to_lowercase()).collect()
}

/// A catalog title with its stored vector (entity-linker seeds, the viewer's history).
#[derive(Debug, Clone)]
pub struct SeedTitle {
    pub item_id: ItemId,
    pub title: String,
    pub vector: Vec<f32>,
}

/// Catalog titles (with vectors of `version`) for TMDB `(media_type, tmdb_id)` pairs, in the
/// order given; pairs the catalog lacks are skipped.
pub async fn seed_titles(
    conn: &mut PgConnection,
    keys: &[(String, i32)],
    version: &str,
) -> Result<Vec<SeedTitle>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (media, tmdb): (Vec<String>, Vec<i32>) = keys.iter().cloned().unzip();
    // language=PostgreSQL
    let rows: Vec<(ItemId, String, Vector)> = sqlx::query_as(
        r#"
        SELECT i.id, i.title, e.vector
        FROM UNNEST($1::text[], $2::int4[]) WITH ORDINALITY AS k(media_type, tmdb_id, ord)
        JOIN items i ON i.media_type = k.media_type AND i.tmdb_id = k.tmdb_id
        JOIN item_embeddings e ON e.item_id = i.id AND e.version = $3
        ORDER BY k.ord
        "#,
    )
    .bind(&media)
    .bind(&tmdb)
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    Ok(seed_rows(rows))
}

/// Titles and vectors (of `version`) of catalog ids, in the order given; ids without a
/// vector are skipped.
pub async fn titles_with_vectors(
    conn: &mut PgConnection,
    ids: &[ItemId],
    version: &str,
) -> Result<Vec<SeedTitle>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // language=PostgreSQL
    let rows: Vec<(ItemId, String, Vector)> = sqlx::query_as(
        r#"
        SELECT i.id, i.title, e.vector
        FROM UNNEST($1::int4[]) WITH ORDINALITY AS k(id, ord)
        JOIN items i ON i.id = k.id
        JOIN item_embeddings e ON e.item_id = i.id AND e.version = $2
        ORDER BY k.ord
        "#,
    )
    .bind(ids)
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    Ok(seed_rows(rows))
}

/// `(id, title, vector)` rows as [`SeedTitle`]s.
fn seed_rows(rows: Vec<(ItemId, String, Vector)>) -> Vec<SeedTitle> {
    rows.into_iter()
        .map(|(item_id, title, v)| SeedTitle {
            item_id,
            title,
            vector: v.to_vec(),
        })
        .collect()
}
