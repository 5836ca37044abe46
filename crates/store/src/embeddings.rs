//! `item_embeddings`: what the embed job reads and writes. Every query names the version.

use crate::Result;
use crate::item_row::{ITEM_COLUMNS, ItemRow};
use pgvector::Vector;
use seen_core::item::{Item, ItemId};
use sqlx::{PgConnection, PgExecutor};

/// A catalog item with the hash of the text its current vector was made from (if any).
#[derive(Debug, Clone)]
pub struct EmbedCandidate {
    pub item: Item,
    /// `None` when the item has no vector for the version.
    pub stored_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    #[sqlx(flatten)]
    item: ItemRow,
    text_hash: Option<String>,
}

/// Items with `id > after`, in id order, at most `limit`, with their stored text hash.
pub async fn page_after(
    db: impl PgExecutor<'_>,
    version: &str,
    after: ItemId,
    limit: i64,
) -> Result<Vec<EmbedCandidate>> {
    let sql = format!(
        r#"
        SELECT {ITEM_COLUMNS}, e.text_hash
        FROM items i
        LEFT JOIN item_embeddings e ON e.item_id = i.id AND e.version = $1
        WHERE i.id > $2
        ORDER BY i.id
        LIMIT $3
        "#
    );
    // Only the constant column list is interpolated; values are bind parameters.
    let rows: Vec<CandidateRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(version)
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| EmbedCandidate {
            item: r.item.into(),
            stored_hash: r.text_hash,
        })
        .collect())
}

/// Inserts or replaces the vectors of one batch in one statement.
pub async fn upsert_vectors(
    conn: &mut PgConnection,
    version: &str,
    rows: &[(ItemId, Vec<f32>, String)],
) -> Result<u64> {
    let ids: Vec<ItemId> = rows.iter().map(|(id, _, _)| *id).collect();
    let vectors: Vec<Vector> = rows
        .iter()
        .map(|(_, v, _)| Vector::from(v.clone()))
        .collect();
    let hashes: Vec<&str> = rows.iter().map(|(_, _, h)| h.as_str()).collect();
    // language=PostgreSQL
    let done = sqlx::query(
        r#"
        INSERT INTO item_embeddings (item_id, version, vector, text_hash)
        SELECT id, $1, v, h FROM UNNEST($2::int4[], $3::vector[], $4::text[]) AS t(id, v, h)
        ON CONFLICT (item_id, version) DO UPDATE
        SET vector = EXCLUDED.vector, text_hash = EXCLUDED.text_hash, updated_at = now()
        "#,
    )
    .bind(version)
    .bind(&ids)
    .bind(&vectors)
    .bind(&hashes)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Refreshes planner statistics after a bulk load.
pub async fn analyze(db: impl PgExecutor<'_>) -> Result<()> {
    sqlx::query("ANALYZE item_embeddings").execute(db).await?;
    Ok(())
}
