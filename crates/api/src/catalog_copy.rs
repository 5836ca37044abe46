//! The serving process's in-memory copy of the catalog ([`CatalogCopy`]): titles,
//! vectors and offers, so a `/recommend` reads only the user's data, the ANN and the
//! neighbours' history from Postgres.
//!
//! Freshness is checked per request, not guessed: every request reads the database's
//! `catalog_version` in the same statement as the user's state, and uses the copy only when
//! the copy is at least that new. Otherwise that request reads titles from Postgres (as
//! with `CATALOG_CACHE=false`) and a reload starts in the background. A batch job's commit
//! therefore shows up in the very next request, and the copy catches up within a reload
//! (~0.5 s on the demo catalog).

use crate::reload_gate::ReloadGate;
use parking_lot::RwLock;
use seen_core::catalog_copy::CatalogCopy;
use seen_lexical::LexicalIndex;
use seen_store::PgPool;
use seen_store::catalog_copy::{CatalogRows, load_catalog_rows};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Reloads start at most this often, so a batch job committing every second (the `embed`
/// job's batches) does not keep the server reloading: requests read Postgres meanwhile.
const MIN_RELOAD_INTERVAL: Duration = Duration::from_secs(2);

/// The copy and its reloads. Cheap to share (`Arc`).
pub struct CatalogCopyHolder {
    enabled: bool,
    db: PgPool,
    embed_version: String,
    country: String,
    current: RwLock<Option<Arc<CatalogCopy>>>,
    reload: ReloadGate,
}

impl CatalogCopyHolder {
    /// A cache for the serving embedding version and country; `enabled = false` never loads.
    pub fn new(db: PgPool, embed_version: &str, country: &str, enabled: bool) -> Arc<Self> {
        Arc::new(CatalogCopyHolder {
            enabled,
            db,
            embed_version: embed_version.to_owned(),
            country: country.to_owned(),
            current: RwLock::new(None),
            reload: ReloadGate::new(MIN_RELOAD_INTERVAL),
        })
    }

    /// The copy when it is at least as new as `seen_version` (the `catalog_version` the
    /// request read); otherwise `None`, and a reload is started.
    pub fn current_for(self: &Arc<Self>, seen_version: i64) -> Option<Arc<CatalogCopy>> {
        if !self.enabled {
            return None;
        }
        let copy = self.current.read().clone();
        match copy {
            Some(copy) if copy.version() >= seen_version => Some(copy),
            _ => {
                self.start_reload();
                None
            }
        }
    }

    /// The loaded copy's version and size, if any (for `/metrics` and the readiness log).
    pub fn loaded(&self) -> Option<(i64, usize)> {
        self.current.read().as_ref().map(|c| (c.version(), c.len()))
    }

    /// Starts a background reload unless one is running or one started very recently.
    pub fn start_reload(self: &Arc<Self>) {
        if !self.enabled {
            return;
        }
        if !self.reload.try_start() {
            return;
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let started = Instant::now();
            match this.load().await {
                Ok(copy) => {
                    let (version, titles) = (copy.version(), copy.len());
                    this.install(copy);
                    tracing::info!(
                        version,
                        titles,
                        ms = started.elapsed().as_millis() as u64,
                        "catalog copy loaded"
                    );
                    metrics::counter!("seenemall_catalog_cache_reloads_total", "outcome" => "ok")
                        .increment(1);
                }
                Err(e) => {
                    tracing::warn!(error = %format_args!("{e:#}"), "catalog copy reload failed; requests read titles from Postgres");
                    metrics::counter!("seenemall_catalog_cache_reloads_total", "outcome" => "error")
                        .increment(1);
                }
            }
            this.reload.finish();
        });
    }

    async fn load(&self) -> anyhow::Result<CatalogCopy> {
        let mut conn = self.db.acquire().await?;
        let rows = load_catalog_rows(&mut conn, &self.embed_version, &self.country).await?;
        drop(conn);
        // Parsing 20k titles' JSON, sorting them and indexing their text is CPU work: off
        // the executor.
        Ok(tokio::task::spawn_blocking(move || with_text_index(rows)).await?)
    }

    /// Keeps the newer of the installed copy and `copy` (two reloads may finish out of order).
    fn install(&self, copy: CatalogCopy) {
        let mut current = self.current.write();
        if current
            .as_ref()
            .is_none_or(|c| c.version() <= copy.version())
        {
            *current = Some(Arc::new(copy));
        }
    }
}

/// The copy with its full-text index. Without one (the build failed, which is logged and
/// counted) lexical retrieval finds nothing and requests rank on the nearest neighbours.
fn with_text_index(rows: CatalogRows) -> CatalogCopy {
    let started = Instant::now();
    let index = LexicalIndex::build(&rows.search_docs());
    let copy = rows.into_copy();
    match index {
        Ok(index) => {
            tracing::debug!(
                ms = started.elapsed().as_millis() as u64,
                "full-text index built"
            );
            copy.with_text_index(Arc::new(index))
        }
        Err(e) => {
            tracing::warn!(error = %e, "full-text index not built; lexical retrieval is off until the next reload");
            metrics::counter!("seenemall_text_index_failures_total").increment(1);
            copy
        }
    }
}
