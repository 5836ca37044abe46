//! Postgres access for Seen'emAll: the pool, the embedded migrations and one repository
//! module per table family. Every query function takes `impl PgExecutor` (or a transaction),
//! so the caller decides between pool and transaction.

pub mod availability;
pub mod catalog_copy;
pub mod embeddings;
mod error;
pub mod feedback;
pub mod history;
pub mod item_row;
pub mod items;
pub mod list_ranks;
pub mod pool;
pub mod profiles;
pub mod recommend;
pub mod schema;
pub mod users;

pub use error::{Result, StoreError};
pub use pool::{DbSettings, normalize_database_url};
pub use schema::{MIGRATOR, SchemaStatus, check_schema, migrate};

/// Re-exported so callers do not need their own sqlx dependency for the pool type.
pub use sqlx::PgPool;
