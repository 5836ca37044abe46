//! Builders and read-backs shared by the store tests.

use seen_core::catalog::{NewItem, map_tmdb_detail};
use seen_core::item::{Item, ItemId, MediaType};
use seen_store::item_row::{ITEM_COLUMNS, ItemRow};
use serde_json::json;
use sqlx::PgExecutor;

/// A title with only a key, a title and a popularity; everything else unknown.
pub fn new_item(media: MediaType, tmdb_id: i32, title: &str, popularity: f64) -> NewItem {
    map_tmdb_detail(
        &json!({"id": tmdb_id, "title": title, "popularity": popularity}),
        Some(media),
    )
    .expect("a minimal payload maps")
}

/// The items with these ids, in the order asked (unknown ids skipped, repeats once): reads
/// back what the writers stored, through the same row mapping the pipeline uses.
pub async fn get_items(db: impl PgExecutor<'_>, ids: &[ItemId]) -> sqlx::Result<Vec<Item>> {
    let mut unique: Vec<ItemId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM UNNEST($1::int4[]) WITH ORDINALITY AS wanted(id, ord) \
         JOIN items i ON i.id = wanted.id ORDER BY wanted.ord"
    );
    let rows: Vec<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&unique)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(Item::from).collect())
}

/// How many titles the catalog holds.
pub async fn count_items(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM items")
        .fetch_one(db)
        .await
}
