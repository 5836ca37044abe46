//! The `users` row and the history-derived state `/recommend` starts from (spec §4.1).

use crate::Result;
use pgvector::Vector;
use seen_core::ItemId;
use serde_json::Value;
use sqlx::PgConnection;

/// `short_vec, long_vec, genre_prefs, neighbors`.
type UserRow = (Option<Vector>, Option<Vector>, Option<Value>, Option<Value>);

/// A user as the pipeline sees it. An unknown user is a default (cold, no history).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserState {
    /// Recent-taste vector; `None` means cold start.
    pub short_vec: Option<Vec<f32>>,
    /// Long-term taste vector (blended with neighbours).
    pub long_vec: Option<Vec<f32>>,
    /// `{genre: share}`, strongest first.
    pub genre_prefs: Value,
    /// `[{"user_id", "weight"}]`, strongest first.
    pub neighbors: Value,
    /// Every `(item_id, event_type)` of the user's history, oldest first.
    pub history: Vec<(ItemId, String)>,
}

/// Loads the `users` row and the whole history of `user_id` (a canonical id).
///
/// Unlike the original (§10.8), history is loaded even when the vectors are NULL, so a
/// user with only negative events still has those titles excluded.
#[tracing::instrument(name = "load user state", skip(conn))]
pub async fn load_user_state(conn: &mut PgConnection, user_id: &str) -> Result<UserState> {
    // language=PostgreSQL
    let row: Option<UserRow> = sqlx::query_as(
        r#"SELECT short_vec, long_vec, genre_prefs, neighbors FROM users WHERE user_id = $1"#,
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    // language=PostgreSQL
    let history: Vec<(ItemId, String)> = sqlx::query_as(
        r#"SELECT item_id, event_type FROM user_history WHERE user_id = $1 ORDER BY ts, id"#,
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let (short, long, prefs, neighbors) = row.unwrap_or_default();
    Ok(UserState {
        short_vec: short.map(|v| v.to_vec()),
        long_vec: long.map(|v| v.to_vec()),
        genre_prefs: prefs
            .filter(|v| !v.is_null())
            .unwrap_or_else(|| Value::Object(Default::default())),
        neighbors: neighbors
            .filter(|v| !v.is_null())
            .unwrap_or_else(|| Value::Array(Vec::new())),
        history,
    })
}
