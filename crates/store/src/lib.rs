//! Postgres access for Seen'emAll: the pool, the embedded migrations, one repository module
//! per table family (`items`, `embeddings`, `history`, `users`, `availability`, ...), and the
//! `/recommend` reads named after what they read: `candidates` (id lists in popularity
//! orders), `ann` (nearest neighbours), `hydrate` (titles with vectors and offers) and
//! `catalog_copy` (the whole catalog, for the in-memory copy). Query functions take a
//! connection or `impl PgExecutor` (or a transaction), so the caller decides.

pub mod ann;
pub mod availability;
pub mod candidates;
pub mod catalog_copy;
pub mod catalog_titles;
pub mod embeddings;
mod error;
pub mod feedback;
mod filter;
pub mod history;
pub mod hydrate;
pub mod item_row;
pub mod items;
pub mod list_ranks;
pub mod pool;
pub mod profiles;
pub mod schema;
pub mod taste_models;
pub mod training_data;
pub mod users;

pub use error::{Result, StoreError};
pub use pool::{DbSettings, normalize_database_url};
pub use schema::{MIGRATOR, SchemaStatus, check_schema, migrate};

/// Re-exported so callers do not need their own sqlx dependency for the pool type.
pub use sqlx::PgPool;
