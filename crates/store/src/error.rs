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

/// SQLSTATEs of failures that say nothing about the request and may pass on retry: the
/// connection broke (class 08), the server is shutting down or starting up (57P01 admin
/// shutdown, 57P02 crash shutdown, 57P03 cannot connect now), it is out of connections (53300),
/// or a concurrent transaction won (40001 serialization failure, 40P01 deadlock).
const TRANSIENT_SQLSTATES: &[&str] = &["57P01", "57P02", "57P03", "53300", "40001", "40P01"];

impl StoreError {
    /// True when the database is unreachable or failed for a reason a retry may not hit:
    /// the API answers these with 503 and `Retry-After`, never 500.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Database(e) => is_transient_sqlx(e),
            StoreError::SchemaBehind { .. } | StoreError::SchemaAhead { .. } => true,
            StoreError::InvalidUrl(_) | StoreError::Migrate(_) => false,
        }
    }
}

// `sqlx::Error` is non-exhaustive: a kind it adds later is a real failure until shown otherwise.
#[allow(clippy::wildcard_enum_match_arm)]
fn is_transient_sqlx(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed
        // A connection cut mid-message surfaces as a protocol error.
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || TRANSIENT_SQLSTATES.contains(&code.as_ref())
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_timeout_and_a_broken_socket_are_transient() {
        assert!(StoreError::from(sqlx::Error::PoolTimedOut).is_transient());
        let io = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "eof");
        assert!(StoreError::from(sqlx::Error::Io(io)).is_transient());
    }

    #[test]
    fn a_missing_row_is_not_transient() {
        assert!(!StoreError::from(sqlx::Error::RowNotFound).is_transient());
        assert!(!StoreError::InvalidUrl("x".into()).is_transient());
    }
}
