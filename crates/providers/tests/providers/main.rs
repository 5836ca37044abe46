//! Integration tests of the outbound clients against local wiremock fakes on 127.0.0.1 that
//! answer in the real APIs' shapes (fixtures under `tests/fixtures/`). One binary: links once.

mod helpers;
mod justwatch;
mod llm;
mod tmdb_client;
mod tmdb_errors;
