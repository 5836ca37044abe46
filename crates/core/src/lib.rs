//! Seen'emAll's pure domain: the types every crate shares and one module per pipeline
//! stage. Nothing here does I/O; every stage is a plain function over plain data.

pub mod candidate;
pub mod catalog;
pub mod catalog_copy;
pub mod catalog_filter;
pub mod collab;
pub mod cursor;
pub mod embed_text;
pub mod eval_metrics;
pub mod events;
pub mod explain;
pub mod franchise_cap;
pub mod genres;
pub mod heuristic;
pub mod import;
pub mod intent;
pub mod intent_boost;
pub mod item;
pub mod lexical;
pub mod llm_rewrite;
pub mod maturity;
pub mod merge;
pub mod mixer;
pub mod mmr;
pub mod prefilter;
pub mod profile;
pub mod prompt_spec;
pub mod pyjson;
pub mod query_vector;
pub mod rank;
pub mod rerank;
pub mod rewrite;
pub mod rules;
pub mod serendipity;
pub mod services;
pub mod sizing;
pub mod taste;
pub mod trending;
pub mod vector;
pub mod webhooks;

pub use candidate::{Because, Candidate, SourceScores};
pub use intent::{IntentFilters, LlmIntent};
pub use item::{Genre, Item, ItemId, MediaType, WatchOption};
