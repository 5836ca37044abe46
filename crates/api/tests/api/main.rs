//! One integration-test binary for the API: every test gets a fresh database (sqlx::test)
//! and talks to the real router over real HTTP on 127.0.0.1.

mod auth;
mod catalog_copy;
mod demo;
mod docs;
mod faults;
mod feedback;
mod health;
mod helpers;
mod import;
mod language;
mod lexical;
mod metrics;
mod offline_link;
mod rating;
mod recommend;
mod small_rerank;
mod taste;
mod titles;
mod ui;
mod vocabulary;
mod watch_link;
mod watch_options;
mod webhooks;
