//! Batch jobs. Each job is idempotent and resumable, reports progress, and ends with a summary.

pub mod catalog_import;
pub mod embed_job;
pub mod eval;
pub mod justwatch_sync;
pub mod movielens;
pub mod tmdb_sync;
pub mod train;
