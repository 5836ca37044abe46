//! What model training and evaluation read: everyone's history as one ordered stream, and the
//! catalog's movie ids.

use crate::taste_models::HistoryMark;
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

/// Every history row with an id up to `max_id`, grouped by user (ascending id) and oldest
/// first within a user (ties in insertion order), streamed: one query, rows arrive as Postgres
/// sends them.
pub fn stream_history<'a>(
    db: impl PgExecutor<'a> + 'a,
    max_id: i64,
) -> BoxStream<'a, Result<HistoryRow>> {
    // language=PostgreSQL
    sqlx::query_as(
        r#"
        SELECT user_id, item_id, event_type, weight, ts
        FROM user_history
        WHERE id <= $1
        ORDER BY user_id, ts, id
        "#,
    )
    .bind(max_id)
    .fetch(db)
    .map(|row| row.map_err(StoreError::from))
    .boxed()
}

/// The history as it stands: its highest id and its row count. A fit reads up to this mark,
/// so rows written meanwhile are left for the next one.
pub async fn history_mark(db: impl PgExecutor<'_>) -> Result<HistoryMark> {
    // language=PostgreSQL
    let (max_id, rows): (i64, i64) =
        sqlx::query_as(r#"SELECT coalesce(max(id), 0), count(*) FROM user_history"#)
            .fetch_one(db)
            .await?;
    Ok(HistoryMark { max_id, rows })
}

/// Rows written after `mark` (ids above it; an index range scan): what the automatic
/// retraining weighs.
pub async fn history_since(db: impl PgExecutor<'_>, mark: i64) -> Result<i64> {
    // language=PostgreSQL
    let n = sqlx::query_scalar(r#"SELECT count(*) FROM user_history WHERE id > $1"#)
        .bind(mark)
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
