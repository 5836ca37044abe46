//! Store integration tests against a real Postgres (`DATABASE_URL`); each `#[sqlx::test]`
//! gets a fresh, migrated database. One binary for all modules: it links once.

mod availability_sync;
mod candidate_queries;
mod catalog_copy;
mod catalog_version;
mod helpers;
mod history_bulk;
mod items;
mod taste_models;
