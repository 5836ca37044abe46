//! Language intelligence: the entity linker, the LLM intent parser, the LLM query rewrite
//! and the rerankers. Each is optional; a missing one (no key, turned off) or a failing one
//! leaves the deterministic path in place: offline intent, heuristic rewrite, heuristic order.

pub mod intent;
pub mod linker;
pub mod prompts;
pub mod rerank;
pub mod rewrite;
pub mod settings;

use anyhow::Context;
use intent::{IntentOptions, IntentParser};
use linker::EntityLinker;
use moka::future::Cache;
use prompts::Prompts;
use rerank::Reranker;
use rewrite::LlmRewriter;
use seen_core::genres::CANONICAL_GENRES;
use seen_core::item::MediaType;
use seen_embed::EmbedService;
use seen_providers::llm::LlmClient;
use seen_store::PgPool;
use settings::{LanguageArgs, RerankProvider};
use std::sync::Arc;
use std::time::Duration;

/// Counts one call of a language service by outcome (`ok`, `cache`, `timeout`, `status_429`, ...)
/// as `seenemall_language_calls_total{service, outcome}`, so fallbacks show on /metrics.
pub(crate) fn record(service: &'static str, outcome: &str) {
    metrics::counter!("seenemall_language_calls_total", "service" => service, "outcome" => outcome.to_owned())
        .increment(1);
}

/// The language services the pipeline may call.
#[derive(Clone)]
pub struct LanguageServices {
    pub linker: Option<EntityLinker>,
    pub intent: Option<IntentParser>,
    pub rewriter: Option<LlmRewriter>,
    pub reranker: Option<Reranker>,
    /// Time all language calls of one request may take together (`LLM_BUDGET_SECS`).
    pub budget: Duration,
    /// The catalog's genres per media scope, for the intent prompt (30 min, as the original).
    genres: Cache<String, Arc<Vec<String>>>,
}

impl LanguageServices {
    /// Builds what the settings enable, and logs which providers are active.
    pub fn from_args(args: &LanguageArgs, embed: &EmbedService) -> anyhow::Result<Self> {
        let prompts = Arc::new(Prompts::load(&args.intent.prompts_dir)?);
        let intent_client = args
            .intent_llm()?
            .map(LlmClient::new)
            .transpose()
            .context("intent LLM settings")?;
        let ttl = Duration::from_secs(args.intent.intent_cache_ttl.max(1));
        let intent = intent_client.clone().map(|client| {
            IntentParser::new(
                client,
                prompts.clone(),
                IntentOptions {
                    scope_genres: args.intent.intent_scope_genres_by_media,
                    ann_description: args.intent.intent_enable_ann_description,
                },
                ttl,
            )
        });
        let rewriter = intent_client
            .filter(|_| args.intent.rewrite_llm_enabled)
            .map(|client| {
                let timeout = Duration::from_secs_f64(args.intent.rewrite_llm_timeout.max(0.5));
                LlmRewriter::new(client, prompts.clone(), timeout, ttl)
            });
        let reranker = match args.rerank_provider()? {
            None => None,
            Some(RerankProvider::Small(s)) => Some(Reranker::small(embed.clone(), s)),
            Some(RerankProvider::Llm(s)) => Some(Reranker::Llm {
                client: LlmClient::new(s).context("reranker LLM settings")?,
                prompts: prompts.clone(),
            }),
        };
        let linker = EntityLinker::from_args(&args.linker).context("entity linker settings")?;
        tracing::info!(
            intent = intent.as_ref().map(|_| "llm").unwrap_or("offline"),
            rewrite = rewriter.as_ref().map(|_| "llm").unwrap_or("heuristic"),
            rerank = reranker
                .as_ref()
                .map(Reranker::label)
                .unwrap_or_else(|| "heuristic".into()),
            linker = if linker.is_some() { "tmdb" } else { "off" },
            "language services"
        );
        Ok(LanguageServices {
            linker,
            intent,
            rewriter,
            reranker,
            budget: Duration::from_secs_f64(args.llm_budget_secs.clamp(0.1, 120.0)),
            genres: Cache::builder()
                .max_capacity(64)
                .time_to_live(Duration::from_secs(30 * 60))
                .build(),
        })
    }

    /// The catalog's genre names for `hints` (all when empty). A database error or an empty
    /// catalog gives the 19 canonical genres, which are not cached.
    pub async fn prompt_genres(&self, db: &PgPool, hints: &[MediaType]) -> Arc<Vec<String>> {
        let mut media: Vec<String> = hints.iter().map(|m| m.as_str().to_owned()).collect();
        media.sort();
        media.dedup();
        let key = media.join(",");
        if let Some(hit) = self.genres.get(&key).await {
            return hit;
        }
        match seen_store::items::catalog_genre_names(db, &media).await {
            Ok(names) if !names.is_empty() => {
                let names = Arc::new(names);
                self.genres.insert(key, names.clone()).await;
                names
            }
            Ok(_) => Arc::new(CANONICAL_GENRES.iter().map(|g| (*g).to_owned()).collect()),
            Err(e) => {
                tracing::warn!(error.message = %e, "cannot read the catalog genres; using the canonical list");
                Arc::new(CANONICAL_GENRES.iter().map(|g| (*g).to_owned()).collect())
            }
        }
    }
}
