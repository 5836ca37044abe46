//! Shared application state: cheap clones of the pool, services, config and caches.

use crate::hot_config::HotConfig;
use crate::recommend::cache::RecommendCache;
use crate::settings::PipelineSettings;
use seen_core::intent::FallbackRules;
use seen_embed::EmbedService;
use seen_store::PgPool;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Everything a handler may need. Cloned per request; every field is a cheap handle.
#[derive(Clone)]
pub struct AppState {
    /// Postgres pool.
    pub db: PgPool,
    /// Typed, clamped pipeline settings.
    pub pipeline: Arc<PipelineSettings>,
    /// The sentence encoder (its own thread) with a query cache.
    pub embed: EmbedService,
    /// Entity linker, LLM intent parser and rewrite, reranker (each optional).
    pub language: Arc<crate::language::LanguageServices>,
    /// Keyword fallback rules of the intent parser.
    pub fallbacks: Arc<FallbackRules>,
    /// Hot-reloaded business rules and explanation templates.
    pub config: Arc<HotConfig>,
    /// The in-memory catalog copy (titles, vectors, offers), checked per request.
    pub catalog: Arc<crate::catalog_copy::CatalogCopyHolder>,
    /// The taste model (collaborative scores), checked per request.
    pub taste: Arc<crate::taste_model::TasteModelHolder>,
    /// Ranked lists, for pagination and repeat requests.
    pub cache: RecommendCache,
    /// Bounds `/recommend` computations in flight (overload → 429).
    pub limiter: Arc<Semaphore>,
    /// Request timeout and CORS, read when building the router.
    pub http: Arc<crate::settings::HttpArgs>,
    /// History import limits and the webhooks' secret and user mapping.
    pub imports: Arc<crate::history_import::settings::ImportSettings>,
}

impl axum::extract::FromRef<AppState> for PgPool {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}
