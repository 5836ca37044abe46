//! The `users` row and the history-derived state `/recommend` starts from (spec §4.1).

use crate::Result;
use chrono::{DateTime, Utc};
use pgvector::Vector;
use seen_core::ItemId;
use seen_core::taste::MODEL_KIND;
use seen_core::taste::history::largest_batch;
use serde_json::Value;
use sqlx::PgConnection;

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
    /// The most history events recorded at one instant (one request, one import run): large
    /// batches mean the order above is the client's, not the viewing order.
    pub largest_batch: usize,
}

/// A user's state with the `catalog_version` and the newest taste model version read by the
/// same statement, so the caller knows which in-memory copies are current for this request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserStateAt {
    pub user: UserState,
    pub catalog_version: i64,
    /// The newest stored taste model of [`MODEL_KIND`]; `None` before the first training.
    pub taste_version: Option<i64>,
}

/// `catalog_version, taste_version, short_vec, long_vec, genre_prefs, neighbors, history
/// items, events, times`.
type UserStateRow = (
    i64,
    Option<i64>,
    Option<Vector>,
    Option<Vector>,
    Option<Value>,
    Option<Value>,
    Option<Vec<ItemId>>,
    Option<Vec<String>>,
    Option<Vec<DateTime<Utc>>>,
);

/// Loads the `users` row, the whole history of `user_id` (a canonical id), the catalog
/// version and the newest taste model version, in one round trip.
///
/// Unlike the original (§10.8), history is loaded even when the vectors are NULL, so a
/// user with only negative events still has those titles excluded.
#[tracing::instrument(name = "load user state", skip(conn))]
pub async fn load_user_state(conn: &mut PgConnection, user_id: &str) -> Result<UserStateAt> {
    // language=PostgreSQL
    let (catalog_version, taste_version, short, long, prefs, neighbors, items, events, times): UserStateRow =
        sqlx::query_as(
            r#"
            SELECT cv.version,
                   (SELECT max(version) FROM taste_models WHERE kind = $2),
                   u.short_vec, u.long_vec, u.genre_prefs, u.neighbors,
                   h.items, h.events, h.times
            FROM catalog_version cv
            LEFT JOIN users u ON u.user_id = $1
            CROSS JOIN LATERAL (
                SELECT array_agg(item_id ORDER BY ts, id) AS items,
                       array_agg(event_type ORDER BY ts, id) AS events,
                       array_agg(ts ORDER BY ts, id) AS times
                FROM user_history WHERE user_id = $1
            ) h
            "#,
        )
        .bind(user_id)
        .bind(MODEL_KIND)
        .fetch_one(&mut *conn)
        .await?;
    let history = items
        .unwrap_or_default()
        .into_iter()
        .zip(events.unwrap_or_default())
        .collect();
    Ok(UserStateAt {
        user: UserState {
            short_vec: short.map(|v| v.to_vec()),
            long_vec: long.map(|v| v.to_vec()),
            genre_prefs: prefs
                .filter(|v| !v.is_null())
                .unwrap_or_else(|| Value::Object(Default::default())),
            neighbors: neighbors
                .filter(|v| !v.is_null())
                .unwrap_or_else(|| Value::Array(Vec::new())),
            history,
            largest_batch: largest_batch(times.unwrap_or_default()),
        },
        catalog_version,
        taste_version,
    })
}
