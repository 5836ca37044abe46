//! ETL integration tests against a real Postgres (`DATABASE_URL`); each `#[sqlx::test]` gets
//! a fresh, migrated database. One binary for all modules: it links once.

mod catalog_import;
mod helpers;
mod justwatch_fake;
mod justwatch_sync;
mod movielens;
mod taste;
mod tmdb_fake;
mod tmdb_sync;
