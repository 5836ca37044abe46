//! `user_history`: the interaction log.
//!
//! Two kinds of writers use this table: the request path (`POST /user/history`) and the bulk
//! importers (MovieLens, history exports, webhooks). They live in separate sections below.
//! Imported and webhook events carry an `import_key`, unique per user, so writing the same
//! event twice is a no-op.

use crate::Result;
use chrono::{DateTime, Utc};
use seen_core::collab::NeighbourRow;
use seen_core::item::ItemId;
use serde_json::Value;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use std::collections::HashSet;

// ---------------------------------------------------------------------------------------------
// Bulk import (MovieLens and other offline histories).
// ---------------------------------------------------------------------------------------------

/// Events per `INSERT` statement: bounds the size of one message to the server.
const BULK_CHUNK: usize = 20_000;

/// One history event to bulk-insert, with its own timestamp (imports keep the source's time).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Canonical user id (`ml42`, `u1::kids`).
    pub user_id: String,
    /// `items.id` of the title.
    pub item_id: ItemId,
    /// `watched`, `liked`, `disliked`, ...
    pub event_type: String,
    /// Event weight (1 for imports).
    pub weight: i32,
    /// When the event happened.
    pub ts: DateTime<Utc>,
    /// Extras such as `{"rating": 4.5}`; stored as `json`, key order kept.
    pub meta: Option<Value>,
}

/// An event with its idempotency key (imports and webhooks): a user never holds one key twice.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedEvent {
    /// The event.
    pub event: NewEvent,
    /// e.g. `letterboxd:42:liked:1672531200` (see `seen_core::import::plan`).
    pub key: String,
}

/// Inserts events in input order (so `id` follows that order for equal timestamps), a few
/// thousand rows per statement via `UNNEST`. Returns the rows written.
#[tracing::instrument(name = "insert history events", skip_all, fields(events = events.len()))]
pub async fn insert_events_bulk(conn: &mut PgConnection, events: &[NewEvent]) -> Result<u64> {
    let mut written = 0;
    for chunk in events.chunks(BULK_CHUNK) {
        let rows: Vec<(&NewEvent, Option<&str>)> = chunk.iter().map(|e| (e, None)).collect();
        written += insert_query(&rows)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(written)
}

/// Inserts keyed events in input order, skipping every key the user already has (and repeats
/// within `events`). Returns the keys actually written.
#[tracing::instrument(name = "insert keyed history events", skip_all, fields(events = events.len()))]
pub async fn insert_keyed_events(
    conn: &mut PgConnection,
    events: &[KeyedEvent],
) -> Result<HashSet<String>> {
    let mut written = HashSet::new();
    for chunk in events.chunks(BULK_CHUNK) {
        let rows: Vec<(&NewEvent, Option<&str>)> = chunk
            .iter()
            .map(|k| (&k.event, Some(k.key.as_str())))
            .collect();
        let keys: Vec<Option<String>> = insert_query(&rows)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|row| row.get::<Option<String>, _>(0))
            .collect();
        written.extend(keys.into_iter().flatten());
    }
    Ok(written)
}

/// One `INSERT … SELECT FROM UNNEST` for a chunk; rows with a key the user already has are
/// skipped (`ON CONFLICT … DO NOTHING`; rows without a key never conflict).
fn insert_query<'q>(
    rows: &[(&'q NewEvent, Option<&'q str>)],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let user_ids: Vec<&str> = rows.iter().map(|(e, _)| e.user_id.as_str()).collect();
    let item_ids: Vec<ItemId> = rows.iter().map(|(e, _)| e.item_id).collect();
    let event_types: Vec<&str> = rows.iter().map(|(e, _)| e.event_type.as_str()).collect();
    let weights: Vec<i32> = rows.iter().map(|(e, _)| e.weight).collect();
    let ts: Vec<DateTime<Utc>> = rows.iter().map(|(e, _)| e.ts).collect();
    // Sent as text and cast to json: the column is json (not jsonb), which keeps key order.
    let metas: Vec<Option<String>> = rows
        .iter()
        .map(|(e, _)| e.meta.as_ref().map(Value::to_string))
        .collect();
    let keys: Vec<Option<&str>> = rows.iter().map(|(_, k)| *k).collect();
    // language=PostgreSQL
    sqlx::query(
        r#"
        INSERT INTO user_history (user_id, item_id, event_type, weight, ts, meta, import_key)
        SELECT u, i, e, w, t, m::json, k
        FROM UNNEST($1::text[], $2::int4[], $3::text[], $4::int4[], $5::timestamptz[],
                    $6::text[], $7::text[]) WITH ORDINALITY AS rows(u, i, e, w, t, m, k, ord)
        ORDER BY ord
        ON CONFLICT (user_id, import_key) WHERE import_key IS NOT NULL DO NOTHING
        RETURNING import_key
        "#,
    )
    .bind(user_ids)
    .bind(item_ids)
    .bind(event_types)
    .bind(weights)
    .bind(ts)
    .bind(metas)
    .bind(keys)
}

/// Deletes every history row of these users (an import replaces their history). Returns the
/// rows deleted.
#[tracing::instrument(name = "delete user histories", skip_all, fields(users = user_ids.len()))]
pub async fn delete_histories(conn: &mut PgConnection, user_ids: &[String]) -> Result<u64> {
    // language=PostgreSQL
    let result = sqlx::query(r#"DELETE FROM user_history WHERE user_id = ANY($1)"#)
        .bind(user_ids)
        .execute(&mut *conn)
        .await?;
    Ok(result.rows_affected())
}

// ---------------------------------------------------------------------------------------------
// Request path (`POST /user/history`, profile reads).
// ---------------------------------------------------------------------------------------------

/// Refreshes the planner statistics of `user_history` (after a bulk import).
pub async fn analyze_history(db: impl sqlx::PgExecutor<'_>) -> Result<()> {
    sqlx::query("ANALYZE user_history").execute(db).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Neighbours' history (collaborative recall of `/recommend`).
// ---------------------------------------------------------------------------------------------

/// `item_id, user_id, weight, event_type, ts (µs), id`.
type NeighbourTuple = (ItemId, String, i32, String, i64, i64);

/// The neighbours' most recent events (spec §4.11), newest first.
pub async fn neighbour_rows(
    conn: &mut PgConnection,
    neighbours: &[String],
    limit: i64,
) -> Result<Vec<NeighbourRow>> {
    if neighbours.is_empty() {
        return Ok(Vec::new());
    }
    // One ordered, limited branch per neighbour under UNION ALL: Postgres merges the branches'
    // index scans (Merge Append) and stops after `limit` rows, instead of reading and sorting
    // every event of every neighbour (heavy MovieLens users have thousands each).
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT item_id, user_id, weight, event_type, \
         (extract(epoch FROM ts) * 1000000)::bigint AS ts_us, id FROM (",
    );
    for (i, user) in neighbours.iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push(
            "(SELECT item_id, user_id, weight, event_type, ts, id FROM user_history \
             WHERE user_id = ",
        )
        .push_bind(user.clone())
        .push(" ORDER BY ts DESC, id DESC LIMIT ")
        .push_bind(limit)
        .push(")");
    }
    qb.push(") h ORDER BY ts DESC, id DESC LIMIT ")
        .push_bind(limit);
    let rows: Vec<NeighbourTuple> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(item_id, user_id, weight, event_type, ts, id)| NeighbourRow {
                item_id,
                user_id,
                weight: Some(weight),
                event_type,
                ts,
                id,
            },
        )
        .collect())
}
