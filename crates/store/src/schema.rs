//! Embedded migrations and the start-up schema check.

use crate::{Result, StoreError};
use sqlx::PgPool;
use sqlx::migrate::Migrator;

/// The SQL files under `migrations/`, embedded at compile time.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// How the database's schema compares with this binary's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    /// Migrations recorded as applied.
    pub applied: usize,
    /// Migrations this binary ships.
    pub expected: usize,
}

/// Applies pending migrations (each in its own transaction) and reports how many ran.
#[tracing::instrument(name = "migrate", skip(pool))]
pub async fn migrate(pool: &PgPool) -> Result<usize> {
    let before = applied_versions(pool).await?.len();
    MIGRATOR.run(pool).await?;
    let after = applied_versions(pool).await?.len();
    Ok(after.saturating_sub(before))
}

/// Fails when the database lacks a migration this binary needs, or has one it does not know.
pub async fn check_schema(pool: &PgPool) -> Result<SchemaStatus> {
    let applied = applied_versions(pool).await?;
    let known: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    if let Some(v) = applied.iter().find(|v| !known.contains(v)) {
        return Err(StoreError::SchemaAhead { version: *v });
    }
    let status = SchemaStatus {
        applied: known.iter().filter(|v| applied.contains(v)).count(),
        expected: known.len(),
    };
    if status.applied < status.expected {
        return Err(StoreError::SchemaBehind {
            applied: status.applied,
            expected: status.expected,
        });
    }
    Ok(status)
}

async fn applied_versions(pool: &PgPool) -> Result<Vec<i64>> {
    // language=PostgreSQL
    let exists: bool = sqlx::query_scalar(r#"SELECT to_regclass('_sqlx_migrations') IS NOT NULL"#)
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(Vec::new());
    }
    // language=PostgreSQL
    let versions = sqlx::query_scalar(
        r#"
        SELECT version FROM _sqlx_migrations WHERE success ORDER BY version
        "#,
    )
    .fetch_all(pool)
    .await?;
    Ok(versions)
}
