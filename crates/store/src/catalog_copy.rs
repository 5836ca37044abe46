//! Reading the whole catalog for the serving process's in-memory copy
//! ([`seen_core::catalog_copy`]), and the `catalog_version` counter that says whether a
//! copy is current (migration `000006`).

use crate::Result;
use crate::availability::{OFFER_PREFERENCE, OFFER_URL};
use crate::item_row::{ITEM_COLUMNS, ItemRow, string_list};
use pgvector::Vector;
use seen_core::catalog_copy::{CatalogCopy, CatalogEntry, CatalogTitle};
use seen_core::item::{ItemId, WatchOption};
use seen_core::lexical::SearchDoc;
use sqlx::{Connection, PgConnection};
use std::collections::HashMap;

/// The catalog as read in one transaction: still rows, because turning them into items
/// (JSON genres, people) is CPU work the caller runs off the async executor.
pub struct CatalogRows {
    version: i64,
    items: Vec<CopyRow>,
    offers: Vec<(ItemId, String, String)>,
}

#[derive(sqlx::FromRow)]
struct CopyRow {
    #[sqlx(flatten)]
    item: ItemRow,
    vector: Option<Vector>,
    genre_keys: Vec<String>,
    original_title: Option<String>,
}

impl CatalogRows {
    /// The version the rows were read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The text each title is found by (lexical retrieval's index is built from it).
    pub fn search_docs(&self) -> Vec<SearchDoc> {
        self.items
            .iter()
            .map(|row| SearchDoc {
                id: row.item.id,
                title: row.item.title.clone(),
                original_title: row.original_title.clone(),
                keywords: string_list(row.item.keywords.clone()),
                people: string_list(row.item.cast_names.clone())
                    .into_iter()
                    .chain(string_list(row.item.directors.clone()))
                    .collect(),
                directors: string_list(row.item.directors.clone()),
                overview: row.item.overview.clone(),
            })
            .collect()
    }

    /// Builds the in-memory copy.
    pub fn into_copy(self) -> CatalogCopy {
        let mut offers: HashMap<ItemId, Vec<WatchOption>> = HashMap::new();
        for (item_id, service, url) in self.offers {
            offers
                .entry(item_id)
                .or_default()
                .push(WatchOption { service, url });
        }
        let entries = self
            .items
            .into_iter()
            .map(|row| {
                let id = row.item.id;
                CatalogTitle {
                    entry: CatalogEntry {
                        item: std::sync::Arc::new(row.item.into()),
                        vector: row.vector.map(|v| v.as_slice().into()),
                        watch_options: offers.remove(&id).unwrap_or_default(),
                    },
                    genre_keys: row.genre_keys,
                }
            })
            .collect();
        CatalogCopy::new(self.version, entries)
    }
}

/// The current `catalog_version`.
pub async fn catalog_version(conn: &mut PgConnection) -> Result<i64> {
    // language=PostgreSQL
    Ok(sqlx::query_scalar(r#"SELECT version FROM catalog_version"#)
        .fetch_one(&mut *conn)
        .await?)
}

/// Every title with its `embed_version` vector and its offers in `country`, read in one
/// repeatable-read transaction together with the version they belong to. Offers follow the
/// same rule as hydration: one per service, best offer type first.
#[tracing::instrument(name = "load catalog", skip(conn))]
pub async fn load_catalog_rows(
    conn: &mut PgConnection,
    embed_version: &str,
    country: &str,
) -> Result<CatalogRows> {
    let mut tx = conn.begin().await?;
    // language=PostgreSQL
    sqlx::query(r#"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"#)
        .execute(&mut *tx)
        .await?;
    let version = catalog_version(&mut tx).await?;
    let items_sql = format!(
        "SELECT {ITEM_COLUMNS}, e.vector, i.genre_keys, i.original_title FROM items i \
         LEFT JOIN item_embeddings e ON e.item_id = i.id AND e.version = $1"
    );
    // Only compile-time constants are interpolated; the version is a bind parameter.
    let items: Vec<CopyRow> = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
        .bind(embed_version)
        .fetch_all(&mut *tx)
        .await?;
    let offers_sql = format!(
        r#"
        SELECT item_id, service, url FROM (
            SELECT DISTINCT ON (a.item_id, a.service) a.item_id, a.service,
                   {OFFER_URL} AS url, {OFFER_PREFERENCE} AS pref
            FROM availability a
            WHERE a.country = $1 AND {OFFER_URL} IS NOT NULL
            ORDER BY a.item_id, a.service, {OFFER_PREFERENCE}
        ) o
        ORDER BY item_id, pref, service
        "#
    );
    let offers: Vec<(ItemId, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(offers_sql))
        .bind(country)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(CatalogRows {
        version,
        items,
        offers,
    })
}
