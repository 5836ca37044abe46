//! Recomputing a user's profile (spec §6): short/long vectors, genre preferences and
//! neighbours, from the last 200 history events. The maths is `seen_core::profile`; this
//! module loads its inputs and stores its outputs.

use crate::Result;
use pgvector::Vector;
use seen_core::genres::genre_names_from_json;
use seen_core::profile::{
    HistoryRow, NEIGHBOUR_TOP, ProfileSettings, blend_collaborative, compute_profile,
    rank_neighbours,
};
use serde_json::{Map, Value, json};
use sqlx::{PgConnection, PgPool};

/// How many recent events feed the profile.
pub const PROFILE_HISTORY_LIMIT: i64 = 200;

/// What a recompute stored for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProfile {
    /// True when the user has a short vector (warm), false for cold start.
    pub warm: bool,
    /// Events that contributed a vector.
    pub used_events: usize,
    /// Neighbours found, strongest first.
    pub neighbours: Vec<(String, f64)>,
}

/// Recomputes and stores the profile of `user_id` (a canonical id) on its own connection.
pub async fn recompute_profile(
    pool: &PgPool,
    user_id: &str,
    settings: &ProfileSettings,
    embed_version: &str,
) -> Result<StoredProfile> {
    let mut conn = pool.acquire().await?;
    recompute_profile_in(&mut conn, user_id, settings, embed_version).await
}

/// Recomputes and stores the profile inside the caller's connection or transaction, so a
/// history write and its profile update commit together.
#[tracing::instrument(name = "recompute profile", skip(conn, settings))]
pub async fn recompute_profile_in(
    conn: &mut PgConnection,
    user_id: &str,
    settings: &ProfileSettings,
    embed_version: &str,
) -> Result<StoredProfile> {
    let rows = load_history_rows(conn, user_id, embed_version).await?;
    let profile = compute_profile(&rows, settings);
    let neighbours = if profile.used_items.is_empty() {
        Vec::new()
    } else {
        find_neighbours(conn, user_id, &profile.used_items).await?
    };
    let neighbour_vecs = load_long_vectors(conn, &neighbours).await?;
    let long = if neighbour_vecs.is_empty() {
        profile.long.clone()
    } else {
        blend_collaborative(profile.long.as_deref(), &neighbour_vecs)
    };
    let genre_prefs = profile.genre_prefs.as_ref().map(|prefs| {
        let map: Map<String, Value> = prefs.iter().map(|(g, w)| (g.clone(), json!(w))).collect();
        Value::Object(map)
    });
    let neighbours_json = Value::Array(
        neighbours
            .iter()
            .map(|(u, w)| json!({"user_id": u, "weight": w}))
            .collect(),
    );
    // language=PostgreSQL
    sqlx::query(
        r#"
        INSERT INTO users (user_id, long_vec, short_vec, genre_prefs, neighbors)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (user_id) DO UPDATE
        SET long_vec = EXCLUDED.long_vec,
            short_vec = EXCLUDED.short_vec,
            genre_prefs = EXCLUDED.genre_prefs,
            neighbors = EXCLUDED.neighbors,
            updated_at = now()
        "#,
    )
    .bind(user_id)
    .bind(long.map(Vector::from))
    .bind(profile.short.clone().map(Vector::from))
    .bind(genre_prefs)
    .bind(neighbours_json)
    .execute(&mut *conn)
    .await?;
    Ok(StoredProfile {
        warm: profile.short.is_some(),
        used_events: profile.used_items.len(),
        neighbours,
    })
}

/// `item_id, event_type, weight, vector, genres`.
type HistoryJoinRow = (i32, String, i32, Option<Vector>, Option<Value>);

async fn load_history_rows(
    conn: &mut PgConnection,
    user_id: &str,
    version: &str,
) -> Result<Vec<HistoryRow>> {
    // language=PostgreSQL
    let rows: Vec<HistoryJoinRow> = sqlx::query_as(
        r#"
        SELECT h.item_id, h.event_type, h.weight, e.vector, i.genres
        FROM (
            SELECT id, item_id, event_type, weight, ts
            FROM user_history
            WHERE user_id = $1
            ORDER BY ts DESC, id DESC
            LIMIT $3
        ) h
        LEFT JOIN item_embeddings e ON e.item_id = h.item_id AND e.version = $2
        LEFT JOIN items i ON i.id = h.item_id
        ORDER BY h.ts DESC, h.id DESC
        "#,
    )
    .bind(user_id)
    .bind(version)
    .bind(PROFILE_HISTORY_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(item_id, event_type, weight, vector, genres)| HistoryRow {
            item_id,
            event_type,
            weight: Some(weight),
            vector: vector.map(|v| v.to_vec()),
            genres: genres
                .as_ref()
                .map(genre_names_from_json)
                .unwrap_or_default(),
        })
        .collect())
}

/// Other users who engaged positively with the same titles, by summed weight.
async fn find_neighbours(
    conn: &mut PgConnection,
    user_id: &str,
    items: &[i32],
) -> Result<Vec<(String, f64)>> {
    // Aggregated in SQL (one row per user, first-seen order as the tie-break) so popular
    // titles do not ship thousands of rows; the ranking rules stay in `rank_neighbours`.
    // language=PostgreSQL
    let rows: Vec<(String, i64)> = sqlx::query_as(
        r#"
        SELECT user_id, SUM(GREATEST(weight, 0))::bigint AS overlap
        FROM user_history
        WHERE item_id = ANY($1)
          AND user_id <> $2
          AND lower(event_type) NOT IN ('not_interested', 'disliked')
        GROUP BY user_id
        ORDER BY overlap DESC, MIN(id)
        LIMIT $3
        "#,
    )
    .bind(items)
    .bind(user_id)
    .bind(NEIGHBOUR_TOP as i64)
    .fetch_all(&mut *conn)
    .await?;
    let aggregated: Vec<(String, Option<i32>, String)> = rows
        .into_iter()
        .map(|(u, overlap)| {
            (
                u,
                Some(i32::try_from(overlap).unwrap_or(i32::MAX)),
                "watched".to_owned(),
            )
        })
        .collect();
    Ok(rank_neighbours(&aggregated, NEIGHBOUR_TOP))
}

async fn load_long_vectors(
    conn: &mut PgConnection,
    neighbours: &[(String, f64)],
) -> Result<Vec<(Vec<f32>, f64)>> {
    if neighbours.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = neighbours.iter().map(|(u, _)| u.as_str()).collect();
    // language=PostgreSQL
    let rows: Vec<(String, Vector)> = sqlx::query_as(
        r#"SELECT user_id, long_vec FROM users WHERE user_id = ANY($1) AND long_vec IS NOT NULL"#,
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    Ok(neighbours
        .iter()
        .filter_map(|(u, w)| {
            rows.iter()
                .find(|(id, _)| id == u)
                .map(|(_, v)| (v.to_vec(), *w))
        })
        .collect())
}
