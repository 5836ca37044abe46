//! Titles with their vectors (of the serving embedding version) for ids the pipeline already
//! has: whole catalog entries with offers (hydration), the entity linker's seed titles (by
//! TMDB key), and the viewer's recent titles for "Because you watched".

use crate::Result;
use crate::availability::{OFFER_PREFERENCE, OFFER_URL};
use crate::item_row::{ITEM_COLUMNS, ItemRow};
use pgvector::Vector;
use seen_core::catalog_copy::CatalogEntry;
use seen_core::item::{ItemId, WatchOption};
use serde::Deserialize;
use sqlx::PgConnection;

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
