//! The `feedback` table: raw UI/analytics events (`impression`, `click`, ...). Append-only and
//! write-only, as in the original: nothing in the pipeline reads it.

use crate::Result;
use serde_json::Value;
use sqlx::PgExecutor;

/// One feedback event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeedback {
    /// The user as sent (no profile namespacing), if any.
    pub user_id: Option<String>,
    /// `items.id` the event is about, if any (not checked: the column has no foreign key).
    pub item_id: Option<i32>,
    /// The event type, stored in the `type` column (1..=32 characters).
    pub kind: String,
    /// Arbitrary JSON object, e.g. `{"rank": 5}`.
    pub meta: Option<Value>,
}

/// Inserts one event and returns its id.
#[tracing::instrument(name = "insert feedback", skip(db, event), fields(kind = %event.kind))]
pub async fn insert_feedback(db: impl PgExecutor<'_>, event: &NewFeedback) -> Result<i64> {
    // The column is `json` (kept from the original); the text cast keeps the object's key order.
    // language=PostgreSQL
    let id = sqlx::query_scalar(
        r#"
        INSERT INTO feedback (user_id, item_id, type, meta)
        VALUES ($1, $2, $3, $4::json)
        RETURNING id
        "#,
    )
    .bind(event.user_id.as_deref())
    .bind(event.item_id)
    .bind(&event.kind)
    .bind(event.meta.as_ref().map(Value::to_string))
    .fetch_one(db)
    .await?;
    Ok(id)
}
