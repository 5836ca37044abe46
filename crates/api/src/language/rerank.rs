//! Rerankers (`RERANK_PROVIDER`): an LLM (`openai`, `gemini`) that reorders the head of the
//! list and explains its picks, or `small`, the local MiniLM that reorders by similarity to
//! the request. Both only reorder the window they see; items they leave out keep their base
//! order after the decided ones, and any failure keeps the base (heuristic) order.
//!
//! Neither blocks the executor: LLM calls are async HTTP, and MiniLM runs on the embedding
//! service's own thread, with a timeout.

use super::prompts::Prompts;
use moka::future::Cache;
use seen_core::Candidate;
use seen_core::rerank::{
    LLM_RERANK_WINDOW, RerankContext, RerankDecision, SmallRerankSettings, merge_decisions,
    parse_rerank, rerank_prompt, small_cache_key, small_document, small_query_text, small_scores,
};
use seen_embed::EmbedService;
use seen_providers::llm::LlmClient;
use serde::Serialize;
use std::sync::Arc;

/// What the reranker did, for the debug trace and logs.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RerankRun {
    /// `openai:<model>`, `gemini:<model>` or `small`.
    pub provider: String,
    /// Decisions merged into the list (0 when the base order was kept).
    pub decisions: usize,
    /// Why the base order was kept, when it was (`timeout`, `status_500`, `no_decisions`).
    pub fallback: Option<String>,
    /// The decisions came from the cache (`small`).
    pub cached: bool,
}

/// The configured reranker.
#[derive(Clone)]
pub enum Reranker {
    Llm {
        client: LlmClient,
        prompts: Arc<Prompts>,
    },
    Small(Box<SmallReranker>),
}

/// The local MiniLM reranker and its decision cache.
#[derive(Clone)]
pub struct SmallReranker {
    embed: EmbedService,
    settings: SmallRerankSettings,
    cache: Cache<String, Arc<Vec<RerankDecision>>>,
}

impl Reranker {
    pub fn small(embed: EmbedService, settings: SmallRerankSettings) -> Self {
        let settings = settings.clamped();
        Reranker::Small(Box::new(SmallReranker {
            embed,
            cache: Cache::builder()
                .max_capacity(settings.cache_max_entries)
                .time_to_live(settings.cache_ttl)
                .build(),
            settings,
        }))
    }

    /// A label for the trace: `openai:gpt-4o-mini`, `small`, ...
    pub fn label(&self) -> String {
        match self {
            Reranker::Llm { client, .. } => {
                format!("{}:{}", client.provider().as_str(), client.model())
            }
            Reranker::Small(_) => "small".into(),
        }
    }

    /// Reranks `base` (already scored and explained by the heuristic); past `deadline` (the
    /// request's language budget) the base order stands.
    pub async fn rerank(
        &self,
        base: Vec<Candidate>,
        ctx: &RerankContext<'_>,
        deadline: tokio::time::Instant,
    ) -> (Vec<Candidate>, RerankRun) {
        let mut run = RerankRun {
            provider: self.label(),
            ..RerankRun::default()
        };
        if base.is_empty() {
            return (base, run);
        }
        let decide = async {
            match self {
                Reranker::Llm { client, prompts } => {
                    llm_decisions(client, prompts, &base, ctx).await
                }
                Reranker::Small(small) => {
                    small_decisions(
                        &small.embed,
                        &small.settings,
                        &small.cache,
                        &base,
                        ctx,
                        &mut run,
                    )
                    .await
                }
            }
        };
        let decisions = tokio::time::timeout_at(deadline, decide)
            .await
            .unwrap_or_else(|_| {
                tracing::warn!(
                    "the reranker ran out of the language budget; keeping the heuristic order"
                );
                Err("budget")
            });
        let decisions = match decisions {
            Ok(d) if !d.is_empty() => d,
            Ok(_) => {
                super::record("rerank", "no_decisions");
                run.fallback = Some("no_decisions".into());
                return (base, run);
            }
            Err(kind) => {
                super::record("rerank", kind);
                run.fallback = Some(kind.into());
                return (base, run);
            }
        };
        super::record("rerank", if run.cached { "cache" } else { "ok" });
        let (merged, kept) = merge_decisions(base, &decisions);
        run.decisions = kept;
        if kept == 0 {
            run.fallback = Some("no_known_ids".into());
        }
        (merged, run)
    }
}

async fn llm_decisions(
    client: &LlmClient,
    prompts: &Prompts,
    base: &[Candidate],
    ctx: &RerankContext<'_>,
) -> Result<Vec<RerankDecision>, &'static str> {
    let window = &base[..base.len().min(LLM_RERANK_WINDOW)];
    let (system, user) = rerank_prompt(&prompts.reranker, ctx, window);
    match client.complete_json(&system, &user).await {
        Ok(answer) => {
            let decisions = parse_rerank(&answer);
            if decisions.is_empty() {
                tracing::warn!(
                    "LLM reranker answered no usable decisions; keeping the heuristic order"
                );
            }
            Ok(decisions)
        }
        Err(e) => {
            tracing::warn!(error.message = %e, error.kind = e.kind(), model = client.model(), "LLM reranker failed; keeping the heuristic order");
            Err(e.kind())
        }
    }
}

async fn small_decisions(
    embed: &EmbedService,
    s: &SmallRerankSettings,
    cache: &Cache<String, Arc<Vec<RerankDecision>>>,
    base: &[Candidate],
    ctx: &RerankContext<'_>,
    run: &mut RerankRun,
) -> Result<Vec<RerankDecision>, &'static str> {
    let window = &base[..base.len().min(s.input_window)];
    let query_text = small_query_text(ctx.query, ctx.intent);
    if query_text.trim().is_empty() {
        // No query and no filters: nothing to compare the titles with.
        return Ok(Vec::new());
    }
    let key = small_cache_key(
        ctx.user_id.unwrap_or(""),
        &query_text,
        s.output_limit,
        window,
    );
    if let Some(hit) = cache.get(&key).await {
        run.cached = true;
        return Ok(hit.as_ref().clone());
    }
    let mut texts = Vec::with_capacity(window.len() + 1);
    texts.push(query_text);
    texts.extend(window.iter().map(|c| small_document(&c.item)));
    let vectors = match tokio::time::timeout(s.timeout, embed.embed(texts)).await {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            tracing::warn!(error.message = %e, "small reranker could not embed; keeping the heuristic order");
            return Err("embed_failed");
        }
        Err(_) => {
            tracing::warn!(timeout = ?s.timeout, "small reranker timed out; keeping the heuristic order");
            return Err("timeout");
        }
    };
    let Some((query_vec, docs)) = vectors.split_first() else {
        return Err("embed_failed");
    };
    let items: Vec<(i64, usize)> = window
        .iter()
        .map(|c| (i64::from(c.item.id), c.original_rank))
        .collect();
    let decisions = small_scores(query_vec, docs, &items, s.rank_weight, s.output_limit);
    if !decisions.is_empty() {
        cache.insert(key, Arc::new(decisions.clone())).await;
    }
    Ok(decisions)
}
