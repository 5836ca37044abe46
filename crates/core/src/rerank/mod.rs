//! Reranking (spec §4.21): an LLM or the local MiniLM model reorders the head of the final
//! list. This module holds the pure parts: the LLM prompt ([`prompt`]), the lenient reading
//! of its answer and the merge back into the list ([`decisions`]), and the small model's
//! texts, cache key and scoring ([`small`]). The calls themselves live with the callers.
//!
//! Whatever a reranker does, the list it returns holds the same items: decisions reorder
//! and re-explain; omitted items keep their place after the decided ones.

pub mod decisions;
pub mod prompt;
pub mod small;

pub use decisions::{RerankDecision, merge_decisions, parse_rerank};
pub use prompt::{LLM_RERANK_WINDOW, RerankContext, RerankUserContext, rerank_prompt};
pub use small::{
    SmallRerankSettings, small_cache_key, small_document, small_query_text, small_scores,
};
