//! Building the real components from settings and running the server.

use crate::catalog_copy::CatalogCopyHolder;
use crate::hot_config::{ConfigWatcher, HotConfig};
use crate::language::LanguageServices;
use crate::recommend::cache::RecommendCache;
use crate::routes::app;
use crate::settings::ServeArgs;
use crate::state::AppState;
use crate::taste_model::TasteModelHolder;
use anyhow::Context;
use seen_core::intent::FallbackRules;
use seen_embed::{EmbedService, Embedder, MiniLmEncoder};
use seen_providers::http::redact_url;
use seen_store::PgPool;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Postgres channel on which history writes announce the canonical user whose cached
/// recommendations every replica must drop.
pub const HISTORY_CHANNEL: &str = "seenemall_history";

/// A bound, not yet running server (tests read the port before running it).
pub struct Server {
    listener: TcpListener,
    router: axum::Router,
    _watcher: ConfigWatcher,
}

impl Server {
    /// Connects to the database, checks the schema, loads the model and binds the listener.
    pub async fn build(settings: ServeArgs) -> anyhow::Result<Self> {
        let db = settings.http.db().connect().await.with_context(|| {
            format!(
                "cannot reach the database at {}",
                database_url_for_logs(&settings.http.database_url)
            )
        })?;
        seen_store::check_schema(&db)
            .await
            .context("database schema check failed")?;
        let model = settings.pipeline.embed_model.clone();
        let encoder = tokio::task::spawn_blocking(move || MiniLmEncoder::load(&model))
            .await
            .context("model loading task failed")?
            .with_context(|| {
                format!(
                    "cannot load the embedding model from {:?} (EMBED_MODEL). Hint: run `make model`",
                    settings.pipeline.embed_model
                )
            })?;
        Self::build_with(db, settings, Arc::new(encoder)).await
    }

    /// Like [`Server::build`] with a ready pool and encoder (tests pass a test embedder).
    pub async fn build_with(
        db: PgPool,
        settings: ServeArgs,
        embedder: Arc<dyn Embedder>,
    ) -> anyhow::Result<Self> {
        let (state, watcher) = build_state(db, &settings, embedder)?;
        spawn_invalidation_listener(state.clone());
        state.catalog.start_reload();
        // The first requests should already be ranked by the model: load it before listening.
        if let Err(e) = state.taste.load_now().await {
            tracing::warn!(error = %format_args!("{e:#}"), "taste model not loaded at start; retrying on the next request");
        }
        crate::auto_train::spawn(state.db.clone(), state.taste.clone(), &settings.auto_train);
        let addr = SocketAddr::new(settings.http.host, settings.http.port);
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        Ok(Server {
            listener,
            router: app(state),
            _watcher: watcher,
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until Ctrl-C or SIGTERM, then drains in-flight requests.
    pub async fn run(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "listening");
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server error")
    }
}

/// Assembles the state from its parts.
pub fn build_state(
    db: PgPool,
    settings: &ServeArgs,
    embedder: Arc<dyn Embedder>,
) -> anyhow::Result<(AppState, ConfigWatcher)> {
    let pipeline = settings.pipeline_settings();
    let embed = EmbedService::spawn(embedder);
    let language = LanguageServices::from_args(&settings.language, &embed)
        .context("language services (LLM intent, rewrite, reranker, entity linker)")?;
    let (config, watcher) = HotConfig::start(
        settings.pipeline.business_rules_path.clone(),
        settings.pipeline.explanation_templates_path.clone(),
    );
    let cache = RecommendCache::new(pipeline.cache_capacity, pipeline.cache_ttl);
    let state = AppState {
        db: db.clone(),
        embed,
        language: Arc::new(language),
        fallbacks: Arc::new(load_fallbacks(&settings.pipeline.intent_fallbacks_path)),
        config,
        catalog: CatalogCopyHolder::new(
            db.clone(),
            &pipeline.embed_version,
            &pipeline.country,
            pipeline.catalog_cache,
        ),
        taste: TasteModelHolder::new(db.clone(), cache.clone()),
        cache,
        limiter: Arc::new(Semaphore::new(pipeline.max_concurrent)),
        pipeline: Arc::new(pipeline),
        http: Arc::new(settings.http.clone()),
        imports: Arc::new(
            settings
                .imports
                .settings()
                .context("history import and webhook settings")?,
        ),
    };
    Ok((state, watcher))
}

/// The keyword rules file; the built-in copy of the shipped rules when it is missing.
fn load_fallbacks(path: &Path) -> FallbackRules {
    match std::fs::read_to_string(path) {
        Ok(text) => FallbackRules::from_json(&text).unwrap_or_else(|e| {
            tracing::warn!(path = %path.display(), error = %e, "invalid intent fallback rules; using none");
            FallbackRules::default()
        }),
        Err(_) => {
            tracing::info!(path = %path.display(), "no intent fallback rules file; using the built-in rules");
            FallbackRules::default_rules()
        }
    }
}

/// Drops cached lists when any replica records history (Postgres LISTEN/NOTIFY).
fn spawn_invalidation_listener(state: AppState) {
    tokio::spawn(async move {
        loop {
            match listen(&state).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "history notification listener failed; retrying in 5s");
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                }
            }
        }
    });
}

async fn listen(state: &AppState) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(&state.db).await?;
    listener.listen(HISTORY_CHANNEL).await?;
    loop {
        let note = listener.recv().await?;
        state.cache.apply_notice(note.payload());
    }
}

/// `seenemall serve`: build and run.
pub async fn serve(settings: ServeArgs) -> anyhow::Result<()> {
    Server::build(settings).await?.run().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; draining requests");
}

/// The database URL without credentials (user info and a `password` parameter), for errors.
fn database_url_for_logs(raw: &str) -> String {
    url::Url::parse(raw).map_or_else(
        |_| "(an unparsable URL)".to_owned(),
        |url| redact_url(&url, &["password"]),
    )
}

#[cfg(test)]
mod tests {
    use super::database_url_for_logs;

    #[test]
    fn the_database_url_in_errors_carries_no_credentials() {
        let shown =
            database_url_for_logs("postgres://app:s3cret@db:5432/seen?password=x&sslmode=require");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(!shown.contains("password=x"), "{shown}");
        assert!(shown.contains("db:5432/seen"), "{shown}");
        assert!(shown.contains("sslmode=require"), "{shown}");
        assert_eq!(database_url_for_logs("not a url"), "(an unparsable URL)");
    }
}
