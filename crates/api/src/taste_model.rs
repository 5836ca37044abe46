//! The serving process's taste model ([`TasteModel`], fitted by `seenemall train` and stored in
//! `taste_models`).
//!
//! Freshness is checked per request, like the catalog copy: the statement that loads the
//! viewer's state also reads the newest stored version. A request that sees a newer version
//! than the one loaded starts a background reload and is still served by the loaded model
//! (an older model is still a good model); the next requests get the new one. With no model
//! stored, requests use the neighbour blend the original had.

use crate::recommend::cache::RecommendCache;
use crate::reload_gate::ReloadGate;
use parking_lot::RwLock;
use seen_core::taste::{MODEL_KIND, TasteModel, codec};
use seen_store::PgPool;
use seen_store::taste_models::load_latest;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A failed reload is retried at most this often.
const MIN_RELOAD_INTERVAL: Duration = Duration::from_secs(2);

/// A loaded model and the version it was stored under.
pub struct ServedModel {
    pub version: i64,
    pub model: TasteModel,
}

/// The served model and its reloads. Cheap to share (`Arc`).
pub struct TasteModelHolder {
    db: PgPool,
    /// Cleared when a newer model is installed: cached lists were ranked by the old one.
    cache: RecommendCache,
    current: RwLock<Option<Arc<ServedModel>>>,
    reload: ReloadGate,
}

impl TasteModelHolder {
    pub fn new(db: PgPool, cache: RecommendCache) -> Arc<Self> {
        Arc::new(TasteModelHolder {
            db,
            cache,
            current: RwLock::new(None),
            reload: ReloadGate::new(MIN_RELOAD_INTERVAL),
        })
    }

    /// The model to serve a request that read `stored` as the newest stored version: the
    /// loaded one (reloading in the background when `stored` is newer), or `None` when none is
    /// stored or none has loaded yet.
    pub fn current_for(self: &Arc<Self>, stored: Option<i64>) -> Option<Arc<ServedModel>> {
        let stored = stored?;
        let loaded = self.current.read().clone();
        if loaded.as_ref().is_none_or(|m| m.version < stored) {
            self.start_reload();
        }
        loaded
    }

    /// The loaded model's version, weights and titles (for `/metrics` and the start-up log).
    pub fn loaded(&self) -> Option<(i64, usize, usize)> {
        self.current
            .read()
            .as_ref()
            .map(|m| (m.version, m.model.weight_count(), m.model.items().len()))
    }

    /// Loads the newest model now (at start-up, so the first requests are served by it).
    pub async fn load_now(&self) -> anyhow::Result<()> {
        if let Some(model) = self.load().await? {
            self.install(model);
        }
        Ok(())
    }

    /// Starts a background reload unless one is running or one started very recently.
    pub fn start_reload(self: &Arc<Self>) {
        if !self.reload.try_start() {
            return;
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let outcome = match this.load().await {
                Ok(Some(model)) => {
                    this.install(model);
                    "ok"
                }
                Ok(None) => "none",
                Err(e) => {
                    tracing::warn!(error = %format_args!("{e:#}"), "taste model reload failed; the loaded model (or the neighbour blend) keeps serving");
                    "error"
                }
            };
            metrics::counter!("seenemall_taste_model_reloads_total", "outcome" => outcome)
                .increment(1);
            this.reload.finish();
        });
    }

    async fn load(&self) -> anyhow::Result<Option<ServedModel>> {
        let started = Instant::now();
        let Some(stored) = load_latest(&self.db, MODEL_KIND).await? else {
            return Ok(None);
        };
        let version = stored.version;
        // Decoding and validating megabytes of weights is CPU work: off the executor.
        let model = tokio::task::spawn_blocking(move || codec::decode(&stored.payload)).await??;
        tracing::info!(
            version,
            titles = model.items().len(),
            weights = model.weight_count(),
            ms = started.elapsed().as_millis() as u64,
            "taste model loaded"
        );
        Ok(Some(ServedModel { version, model }))
    }

    fn install(&self, model: ServedModel) {
        let mut current = self.current.write();
        // A slow reload never replaces a newer model another reload installed.
        if current.as_ref().is_none_or(|m| m.version < model.version) {
            *current = Some(Arc::new(model));
            self.cache.invalidate_all();
        }
    }
}
