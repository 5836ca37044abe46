//! Bringing history in from elsewhere, shared by `POST /user/import`, the webhooks and the
//! `seenemall import letterboxd|imdb|trakt` commands.
//!
//! An import is parse → match → write, all or nothing: the file is parsed and matched against
//! the catalog's titles (`seen_core::import`, on the blocking pool: a 20 MB export is real
//! CPU work), then one transaction inserts the keyed events (keys the user already has are
//! skipped, so a second import adds nothing), recomputes the profile and announces the change
//! on [`HISTORY_CHANNEL`] so every replica drops the user's cached lists.

pub mod settings;

use crate::startup::HISTORY_CHANNEL;
use seen_core::import::plan::{ImportPlan, UnmatchedRow, plan};
use seen_core::import::title_match::TitleIndex;
use seen_core::import::{ImportError, ImportFormat, ImportLimits, ParsedExport, parse};
use seen_core::profile::ProfileSettings;
use seen_store::catalog_titles::catalog_titles;
use seen_store::history::{KeyedEvent, NewEvent, insert_keyed_events};
use seen_store::profiles::recompute_profile_in;
use seen_store::{PgPool, StoreError};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum HistoryImportError {
    /// The file was refused (size, zip bomb, columns, encoding, format).
    #[error(transparent)]
    Rejected(#[from] ImportError),
    /// The database failed; the transaction was rolled back.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The parsing task panicked. This is a bug.
    #[error("the import task failed: {0}")]
    Task(String),
}

/// What to import, for whom.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The export's format.
    pub format: ImportFormat,
    /// The upload's file name, when known (tells single Letterboxd CSVs apart).
    pub file_name: Option<String>,
    /// The file.
    pub bytes: Vec<u8>,
    /// Canonical user id (`user` or `user::profile`).
    pub user_id: String,
    /// Size and row limits.
    pub limits: ImportLimits,
}

/// Where the profile recompute reads from.
#[derive(Debug, Clone)]
pub struct ProfileTarget {
    /// Profile maths settings.
    pub settings: ProfileSettings,
    /// Embedding version the profile reads.
    pub embed_version: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "format": "letterboxd", "user_id": "u1", "files": ["ratings.csv", "watched.csv"],
    "rows_read": 12, "skipped": {}, "titles": 8, "matched": 7, "already_present": 0,
    "written": 7, "events": {"liked": 3, "watched": 4},
    "unmatched": [{"row": "watched.csv:5", "title": "Suspiria", "year": 1990,
                   "reason": "the catalog has this title only from other years (1977, 2018)"}]
}))]
pub struct ImportSummary {
    /// `letterboxd`, `imdb` or `trakt`.
    pub format: String,
    /// The canonical user the events were written for.
    pub user_id: String,
    /// The export's files that were read.
    pub files: Vec<String>,
    /// Records read (CSV lines, JSON entries) across the files.
    pub rows_read: usize,
    /// Records left out on purpose (TV episodes, games, ...), by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Titles found in the export (one per title and signal, after merging its files).
    pub titles: usize,
    /// Titles matched to the catalog.
    pub matched: usize,
    /// Matched events the user already had (from an earlier import): not written again.
    pub already_present: usize,
    /// Events written.
    pub written: usize,
    /// Events written, by type (`watched`, `liked`, `disliked`, `watchlist`).
    pub events: BTreeMap<String, usize>,
    /// Titles that matched nothing, with the reason.
    #[schema(value_type = Vec<Object>)]
    pub unmatched: Vec<UnmatchedRow>,
}

/// Parses, matches and writes one export for one user, in one transaction.
#[tracing::instrument(name = "import history", skip_all, fields(format = %request.format, user = %request.user_id, bytes = request.bytes.len()))]
pub async fn import_history(
    pool: &PgPool,
    request: ImportRequest,
    profile: &ProfileTarget,
    notice: &str,
) -> Result<ImportSummary, HistoryImportError> {
    let ImportRequest {
        format,
        file_name,
        bytes,
        user_id,
        limits,
    } = request;
    let parsed = blocking(move || parse(format, file_name.as_deref(), &bytes, &limits)).await??;
    let mut tx = pool.begin().await.map_err(StoreError::from)?;
    let titles = catalog_titles(&mut *tx).await?;
    let (parsed, plan) = blocking(move || {
        let index = TitleIndex::new(titles);
        let plan = plan(format.as_str(), &parsed, &index);
        (parsed, plan)
    })
    .await?;
    let events = keyed_events(format.as_str(), &user_id, &plan);
    let written = write_events(&mut tx, &user_id, &events, profile, notice).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(summarise(
        format, user_id, &parsed, &plan, &events, &written,
    ))
}

/// Runs CPU-bound work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HistoryImportError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| HistoryImportError::Task(e.to_string()))
}

/// The plan's events for `user_id`, with the rating and source row in `meta`.
fn keyed_events(source: &str, user_id: &str, plan: &ImportPlan) -> Vec<KeyedEvent> {
    plan.events
        .iter()
        .map(|e| {
            let mut meta = json!({"source": source, "row": e.location});
            if let Some(r) = e.rating {
                meta["rating"] = json!(r.value);
                meta["out_of"] = json!(r.out_of);
            }
            KeyedEvent {
                event: NewEvent {
                    user_id: user_id.to_owned(),
                    item_id: e.item_id,
                    event_type: e.event.as_str().to_owned(),
                    weight: 1,
                    ts: e.ts,
                    meta: Some(meta),
                },
                key: e.key.clone(),
            }
        })
        .collect()
}

/// Inserts keyed events; when any is new, recomputes the profile and queues `notice` (the
/// cache's history notice, delivered at commit). Returns the keys written. The caller commits.
pub async fn write_events(
    tx: &mut sqlx::PgConnection,
    user_id: &str,
    events: &[KeyedEvent],
    profile: &ProfileTarget,
    notice: &str,
) -> Result<HashSet<String>, StoreError> {
    let written = insert_keyed_events(tx, events).await?;
    if written.is_empty() {
        return Ok(written);
    }
    recompute_profile_in(tx, user_id, &profile.settings, &profile.embed_version).await?;
    // Delivered to every replica's listener when the transaction commits.
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(HISTORY_CHANNEL)
        .bind(notice)
        .execute(&mut *tx)
        .await?;
    Ok(written)
}

fn summarise(
    format: ImportFormat,
    user_id: String,
    parsed: &ParsedExport,
    plan: &ImportPlan,
    events: &[KeyedEvent],
    written: &HashSet<String>,
) -> ImportSummary {
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for e in events.iter().filter(|e| written.contains(&e.key)) {
        *by_type.entry(e.event.event_type.clone()).or_default() += 1;
    }
    ImportSummary {
        format: format.as_str().to_owned(),
        user_id,
        files: parsed.files.clone(),
        rows_read: parsed.rows_read,
        skipped: parsed.skipped.clone(),
        titles: parsed.rows.len(),
        matched: plan.matched,
        already_present: events.len() - written.len(),
        written: written.len(),
        events: by_type,
        unmatched: plan.unmatched.clone(),
    }
}
