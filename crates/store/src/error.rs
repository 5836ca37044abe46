use thiserror::Error;

/// Everything that can go wrong talking to Postgres.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The connection string could not be parsed.
    #[error("invalid DATABASE_URL: {0}")]
    InvalidUrl(String),
    /// The database could not be reached or a query failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying migrations failed; the failing migration was rolled back.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database is missing migrations this binary needs.
    #[error(
        "database schema is behind: {applied} of {expected} migrations applied. \
         Hint: run `seenemall migrate` (or `make migrate`)"
    )]
    SchemaBehind { applied: usize, expected: usize },
    /// The database has migrations this binary does not know (a newer binary migrated it).
    #[error(
        "database schema is ahead of this binary (unknown migration {version}); upgrade seenemall"
    )]
    SchemaAhead { version: i64 },
}

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
