//! JSON-mode LLM completions for the intent parser, the query rewrite and the reranker:
//! OpenAI chat completions (and any server speaking that dialect: llama.cpp, Ollama, vLLM)
//! and Google Gemini `generateContent`.
//!
//! One call is one POST, bounded as a whole by [`LlmSettings::timeout`]: at most one retry,
//! on 429, 5xx or a connection error, and only when its wait still fits in the budget. The
//! answer's text (code fences tolerated) is parsed as JSON and handed back untouched; what
//! the JSON means is `seen_core`'s business (lenient validation, offline fallback).
//!
//! Keys travel in headers only: `Authorization: Bearer` for OpenAI and `x-goog-api-key` for
//! Gemini (the original put the Gemini key in the URL's `key=` parameter, where any logged
//! URL leaks it). Both headers are marked sensitive, and no error message carries a URL
//! query, a header or a response body that could echo them.

mod client;
mod error;
mod settings;
mod wire;

pub use client::LlmClient;
pub use error::LlmError;
pub use settings::{LlmProviderKind, LlmSettings};
pub use wire::strip_code_fences;
