//! Connection settings and pool construction.

use crate::{Result, StoreError};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// Typed database settings (built from `DATABASE_URL` and the pool flags).
#[derive(Debug, Clone)]
pub struct DbSettings {
    /// Connection URL; SQLAlchemy-style `postgresql+psycopg2://` is accepted.
    pub url: String,
    /// Upper bound on open connections.
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
}

impl DbSettings {
    /// Settings with the service defaults (16 connections, 5 s acquire timeout).
    pub fn new(url: impl Into<String>) -> Self {
        DbSettings {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
        }
    }

    /// Parsed connect options.
    pub fn connect_options(&self) -> Result<PgConnectOptions> {
        let url = normalize_database_url(&self.url);
        PgConnectOptions::from_str(&url).map_err(|e| StoreError::InvalidUrl(format!("{e}")))
    }

    /// Opens a pool and checks that the database answers.
    #[tracing::instrument(name = "connect to postgres", skip(self), fields(max = self.max_connections))]
    pub async fn connect(&self) -> Result<PgPool> {
        let pool = self
            .pool_options()
            .connect_with(self.connect_options()?)
            .await?;
        Ok(pool)
    }

    fn pool_options(&self) -> PgPoolOptions {
        PgPoolOptions::new()
            .max_connections(self.max_connections)
            .acquire_timeout(self.acquire_timeout)
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    // pgvector >= 0.8: keep scanning the HNSW graph until filtered queries
                    // (version, exclusions) have filled their LIMIT; relaxed order is fine
                    // because callers re-sort by similarity.
                    sqlx::Executor::execute(
                        &mut *conn,
                        "SET hnsw.iterative_scan = relaxed_order; SET hnsw.ef_search = 100",
                    )
                    .await?;
                    Ok(())
                })
            })
    }
}

/// Accepts the original's SQLAlchemy URLs: drops a `+driver` suffix from the scheme.
pub fn normalize_database_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let base = scheme.split('+').next().unwrap_or(scheme);
            format!("{base}://{rest}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlalchemy_driver_suffix_is_dropped() {
        assert_eq!(
            normalize_database_url("postgresql+psycopg2://app:app@db:5432/reco"),
            "postgresql://app:app@db:5432/reco"
        );
        assert_eq!(
            normalize_database_url("postgres://x@h/d"),
            "postgres://x@h/d"
        );
    }

    #[test]
    fn a_garbage_url_is_a_clear_error() {
        let err = DbSettings::new("not a url").connect_options().unwrap_err();
        assert!(err.to_string().contains("invalid DATABASE_URL"));
    }
}
