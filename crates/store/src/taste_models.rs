//! `taste_models`: fitted taste models, one row per fit (`seenemall train`), newest version
//! served. The payload is the model's own byte encoding; the other columns describe it for
//! people and for the cheap "is there a newer model?" check replicas make.

use crate::Result;
use chrono::{DateTime, Utc};
use seen_core::taste::TasteParams;
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};

/// A fitted model to store.
#[derive(Debug, Clone, Copy)]
pub struct NewTasteModel<'a> {
    /// The model family, e.g. `ease`.
    pub kind: &'a str,
    /// The fit's parameters.
    pub params: &'a TasteParams,
    /// Users in the training matrix.
    pub users: u64,
    /// Titles modelled.
    pub items: u64,
    /// Non-zeros of the training matrix.
    pub interactions: u64,
    /// Weights kept in the model.
    pub weights: u64,
    /// The encoded model.
    pub payload: &'a [u8],
    /// The history the fit read: see [`HistoryMark`].
    pub history: HistoryMark,
}

/// How much of `user_history` a fit read: every row with an id up to `max_id`, `rows` rows.
/// New history is what lies past `max_id`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryMark {
    /// The highest `user_history.id` read (0 for an empty table).
    pub max_id: i64,
    /// Rows read.
    pub rows: i64,
}

/// What a server needs to decide whether to retrain: the newest model's version, its
/// parameters and the history it was fitted on (`None` for models fitted before the mark was
/// recorded: they count as having seen nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingState {
    /// The newest version.
    pub version: i64,
    /// Its fit's parameters (a retrain reuses them).
    pub params: TasteParams,
    /// The history it read.
    pub history: Option<HistoryMark>,
}

/// A stored model.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredTasteModel {
    /// Increases with every save.
    pub version: i64,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// The model family.
    pub kind: String,
    /// Users in the training matrix.
    pub users: i32,
    /// Titles modelled.
    pub items: i32,
    /// Non-zeros of the training matrix.
    pub interactions: i64,
    /// Weights kept in the model.
    pub weights: i64,
    /// The encoded model.
    pub payload: Vec<u8>,
}

/// Saves a model as the newest version of its kind and deletes all but the newest `keep`
/// versions of that kind (at least the new one), in one transaction. Returns the new version.
#[tracing::instrument(name = "save taste model", skip_all, fields(kind = model.kind, bytes = model.payload.len()))]
pub async fn save_model(pool: &PgPool, model: &NewTasteModel<'_>, keep: usize) -> Result<i64> {
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let mut tx = pool.begin().await?;
    // language=PostgreSQL
    let version: i64 = sqlx::query_scalar(
        r#"
        INSERT INTO taste_models (kind, params, users, items, interactions, weights, payload,
                                  history_mark, history_rows)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        RETURNING version
        "#,
    )
    .bind(model.kind)
    .bind(Json(model.params))
    .bind(i32::try_from(model.users).unwrap_or(i32::MAX))
    .bind(i32::try_from(model.items).unwrap_or(i32::MAX))
    .bind(count(model.interactions))
    .bind(count(model.weights))
    .bind(model.payload)
    .bind(model.history.max_id)
    .bind(model.history.rows)
    .fetch_one(&mut *tx)
    .await?;
    // language=PostgreSQL
    sqlx::query(
        r#"
        DELETE FROM taste_models
        WHERE kind = $1
          AND version NOT IN (SELECT version FROM taste_models WHERE kind = $1
                              ORDER BY version DESC LIMIT $2)
        "#,
    )
    .bind(model.kind)
    .bind(i64::try_from(keep.max(1)).unwrap_or(i64::MAX))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// The newest model of a kind, payload included; `None` before the first `seenemall train`.
#[tracing::instrument(name = "load taste model", skip(db))]
pub async fn load_latest(db: impl PgExecutor<'_>, kind: &str) -> Result<Option<StoredTasteModel>> {
    // language=PostgreSQL
    let row = sqlx::query_as(
        r#"
        SELECT version, created_at, kind, users, items, interactions, weights, payload
        FROM taste_models
        WHERE kind = $1
        ORDER BY version DESC
        LIMIT 1
        "#,
    )
    .bind(kind)
    .fetch_optional(db)
    .await?;
    Ok(row)
}

/// The newest version of a kind, without its payload (one index probe): what a replica
/// compares with the version it serves.
pub async fn latest_version(db: impl PgExecutor<'_>, kind: &str) -> Result<Option<i64>> {
    // language=PostgreSQL
    let version = sqlx::query_scalar(r#"SELECT max(version) FROM taste_models WHERE kind = $1"#)
        .bind(kind)
        .fetch_one(db)
        .await?;
    Ok(version)
}

/// The newest model's version, parameters and history mark (no payload): what the automatic
/// retraining compares with the table. `None` before the first fit.
pub async fn training_state(db: impl PgExecutor<'_>, kind: &str) -> Result<Option<TrainingState>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        version: i64,
        params: Json<TasteParams>,
        history_mark: Option<i64>,
        history_rows: Option<i64>,
    }
    // language=PostgreSQL
    let row: Option<Row> = sqlx::query_as(
        r#"
        SELECT version, params, history_mark, history_rows
        FROM taste_models
        WHERE kind = $1
        ORDER BY version DESC
        LIMIT 1
        "#,
    )
    .bind(kind)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| TrainingState {
        version: row.version,
        params: row.params.0,
        history: row
            .history_mark
            .zip(row.history_rows)
            .map(|(max_id, rows)| HistoryMark { max_id, rows }),
    }))
}

/// Advisory lock key held while a server trains, so replicas take turns.
const TRAINING_LOCK_KEY: i64 = 0x5EE7_7A57_7A1E;

/// Takes the training lock for the rest of the transaction `tx` runs in, unless another
/// session holds it (`false`). The lock goes with the transaction, so it cannot outlive a
/// failed run.
pub async fn try_lock_training(tx: &mut sqlx::PgConnection) -> Result<bool> {
    // language=PostgreSQL
    let locked = sqlx::query_scalar(r#"SELECT pg_try_advisory_xact_lock($1)"#)
        .bind(TRAINING_LOCK_KEY)
        .fetch_one(tx)
        .await?;
    Ok(locked)
}
