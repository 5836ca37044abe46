//! Outbound HTTP clients (TMDB, JustWatch, OpenAI, Gemini): configurable base URLs,
//! per-request timeouts, retries with backoff, and rate limits.
//!
//! [`http`] holds the pieces every client shares (the request loop, retry policy, rate
//! limiter, URL redaction); each service gets its own module.

mod error;
pub mod http;
pub mod justwatch;
pub mod llm;
pub mod tmdb;

pub use error::{ProviderError, Result};
