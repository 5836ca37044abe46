//! What model training and evaluation read: everyone's history as one ordered stream, and the
//! catalog's movie ids.

use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use futures::stream::{BoxStream, StreamExt};
use seen_core::item::ItemId;
use sqlx::PgExecutor;

/// One `user_history` row, as training reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    /// Canonical user id.
    pub user_id: String,
    /// The title.
    pub item_id: ItemId,
    /// `watched`, `liked`, `disliked`, ...
    pub event_type: String,
    /// The event's weight (1 unless the client said otherwise).
    pub weight: i32,
    /// When it happened.
    pub ts: DateTime<Utc>,
}

/// Every history row, grouped by user (ascending id) and oldest first within a user (ties in
/// insertion order), streamed: one query, rows arrive as Postgres sends them.
pub fn stream_history<'a>(db: impl PgExecutor<'a> + 'a) -> BoxStream<'a, Result<HistoryRow>> {
    // language=PostgreSQL
    sqlx::query_as(
        r#"
        SELECT user_id, item_id, event_type, weight, ts
        FROM user_history
        ORDER BY user_id, ts, id
        "#,
    )
    .fetch(db)
    .map(|row| row.map_err(StoreError::from))
    .boxed()
}

/// Rows in `user_history` (for a progress bar's length).
pub async fn count_history(db: impl PgExecutor<'_>) -> Result<i64> {
    // language=PostgreSQL
    let n = sqlx::query_scalar(r#"SELECT count(*) FROM user_history"#)
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// Every movie's id, ascending: the titles an offline evaluation ranks.
pub async fn movie_ids(db: impl PgExecutor<'_>) -> Result<Vec<ItemId>> {
    // language=PostgreSQL
    let ids = sqlx::query_scalar(r#"SELECT id FROM items WHERE media_type = 'movie' ORDER BY id"#)
        .fetch_all(db)
        .await?;
    Ok(ids)
}
