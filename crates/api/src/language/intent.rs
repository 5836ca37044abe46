//! The LLM intent parser: prompt (catalog genres, examples, linked entities), one JSON-mode
//! call, and a cache of successful answers.
//!
//! The answer is returned raw; `seen_core::intent::normalize::resolve_intent` validates it
//! leniently and falls back to the offline parser, so every failure here (timeout, refused
//! connection, non-2xx, non-JSON) ends in the offline intent rather than an empty one (§10.4).

use super::prompts::Prompts;
use moka::future::Cache;
use seen_core::intent::{LinkedEntities, intent_prompt};
use seen_providers::llm::LlmClient;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How the intent was obtained, for logs, metrics and the debug trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentCall {
    /// The LLM answered now.
    Answered,
    /// The answer came from the cache.
    Cached,
    /// The call failed; the label says how (`timeout`, `status_429`, ...).
    Failed(&'static str),
}

impl IntentCall {
    /// `llm`, `llm_cache` or `llm_failed:<kind>`.
    pub fn label(&self) -> String {
        match self {
            IntentCall::Answered => "llm".into(),
            IntentCall::Cached => "llm_cache".into(),
            IntentCall::Failed(kind) => format!("llm_failed:{kind}"),
        }
    }
}

/// Options of the prompt.
#[derive(Debug, Clone, Copy)]
pub struct IntentOptions {
    /// Scope the genre list by the media types the query hints at.
    pub scope_genres: bool,
    /// Ask for an `ann_description`.
    pub ann_description: bool,
}

/// The LLM intent parser.
#[derive(Clone)]
pub struct IntentParser {
    client: LlmClient,
    prompts: Arc<Prompts>,
    options: IntentOptions,
    /// Keyed by what reaches the prompt: the query, the linked entities and the genre list.
    /// (The original also keyed by user and profile, which never reached the prompt, so two
    /// users asking the same thing paid for two calls.)
    cache: Cache<(String, String, String), Arc<Value>>,
}

impl IntentParser {
    pub fn new(
        client: LlmClient,
        prompts: Arc<Prompts>,
        options: IntentOptions,
        ttl: Duration,
    ) -> Self {
        IntentParser {
            client,
            prompts,
            options,
            cache: Cache::builder()
                .max_capacity(1000)
                .time_to_live(ttl)
                .build(),
        }
    }

    pub fn options(&self) -> IntentOptions {
        self.options
    }

    /// The model's raw answer (`None` on failure) and how it was obtained.
    pub async fn parse(
        &self,
        query: &str,
        linked: &LinkedEntities,
        genres: &[String],
    ) -> (Option<Value>, IntentCall) {
        let key = (query.to_owned(), linked.hash_key(), genres.join("|"));
        if let Some(hit) = self.cache.get(&key).await {
            super::record("intent", "cache");
            return (Some(hit.as_ref().clone()), IntentCall::Cached);
        }
        let (system, user) = intent_prompt(
            &self.prompts.intent,
            genres,
            linked,
            query,
            self.options.ann_description,
        );
        match self.client.complete_json(&system, &user).await {
            Ok(answer) => {
                super::record("intent", "ok");
                self.cache.insert(key, Arc::new(answer.clone())).await;
                (Some(answer), IntentCall::Answered)
            }
            Err(e) => {
                tracing::warn!(error.message = %e, error.kind = e.kind(), model = self.client.model(), "intent LLM failed; using the offline parser");
                super::record("intent", e.kind());
                (None, IntentCall::Failed(e.kind()))
            }
        }
    }
}
