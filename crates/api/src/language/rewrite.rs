//! The LLM query rewrite (our addition): a few search words for the query, used as the
//! rewrite text of the ANN vector. When it is off, fails or answers nothing usable, the
//! original's heuristic rewrite (`seen_core::rewrite`) is used, so nothing is lost.

use super::prompts::Prompts;
use moka::future::Cache;
use seen_core::llm_rewrite::{parse_rewrite, rewrite_prompt};
use seen_providers::llm::LlmClient;
use std::sync::Arc;
use std::time::Duration;

/// The LLM rewriter, with a per-query cache of good answers.
#[derive(Clone)]
pub struct LlmRewriter {
    client: LlmClient,
    prompts: Arc<Prompts>,
    timeout: Duration,
    cache: Cache<String, Arc<str>>,
}

impl LlmRewriter {
    pub fn new(client: LlmClient, prompts: Arc<Prompts>, timeout: Duration, ttl: Duration) -> Self {
        LlmRewriter {
            client,
            prompts,
            timeout,
            cache: Cache::builder()
                .max_capacity(1000)
                .time_to_live(ttl)
                .build(),
        }
    }

    /// The rewrite (at most 8 words), or `Err(label)` saying why there is none.
    pub async fn rewrite(&self, query: &str) -> Result<String, &'static str> {
        let outcome = self.rewrite_uncounted(query).await;
        super::record("rewrite", outcome.as_ref().map_or_else(|e| *e, |_| "ok"));
        outcome
    }

    async fn rewrite_uncounted(&self, query: &str) -> Result<String, &'static str> {
        let key = query.trim().to_lowercase();
        if key.is_empty() {
            return Err("empty_query");
        }
        if let Some(hit) = self.cache.get(&key).await {
            return Ok(hit.to_string());
        }
        let (system, user) = rewrite_prompt(&self.prompts.rewrite, query);
        let answer = match tokio::time::timeout(
            self.timeout,
            self.client.complete_json(&system, &user),
        )
        .await
        {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => {
                tracing::warn!(error.message = %e, error.kind = e.kind(), "LLM rewrite failed; using the heuristic rewrite");
                return Err(e.kind());
            }
            Err(_) => {
                tracing::warn!("LLM rewrite timed out; using the heuristic rewrite");
                return Err("timeout");
            }
        };
        match parse_rewrite(&answer) {
            Some(text) => {
                self.cache.insert(key, Arc::from(text.as_str())).await;
                Ok(text)
            }
            None => {
                tracing::warn!(%answer, "LLM rewrite answered no usable text; using the heuristic rewrite");
                Err("unusable_answer")
            }
        }
    }
}
