//! `seenemall etl-tmdb`: titles from TMDB's popular, top-rated and trending lists into `items`.
//!
//! Three phases:
//! 1. **Lists.** For movie then TV, page through popular (`--pages` pages), top rated and
//!    trending (`pages × weight`, ½ by default; `--list-weights`). A title's rank in a list is
//!    its best 1-based position; titles keep their first-seen order. A page that still fails
//!    after the client's retries stops the run before anything is written.
//! 2. **Ranks.** One transaction makes stored ranks match these lists: titles no longer listed
//!    lose their ranks, listed ones already stored get the new ones. (The original only
//!    rewrote the ranks of titles it re-fetched, so stale ranks lived forever.) This runs once
//!    the lists are complete, before any detail, so a failed detail cannot leave a stale rank.
//! 3. **Details.** Each title not updated in the last `--skip-fresh-hours` hours is fetched
//!    (credits, keywords and certifications in one call), `--concurrency` at a time under the
//!    client's shared rate limit, mapped with [`seen_core::catalog::map_tmdb_detail`] and
//!    upserted in batches, one transaction each. A detail that fails (404, timeouts after
//!    retries, unmappable payload) is logged and counted by reason, never silently dropped; a
//!    rejected key stops the run.
//!
//! Re-running is safe: unchanged titles are left untouched (the upsert compares), so a second
//! run over the same TMDB data writes nothing, and `--skip-fresh-hours` lets a run interrupted
//! midway skip what it already wrote.

mod candidates;
mod summary;

pub use candidates::{Candidates, Key, ListWeights, Ranks};
use seen_store::list_ranks;
pub use seen_store::list_ranks::RankRefresh;
pub use summary::SyncSummary;

use anyhow::Context;
use futures::{StreamExt, stream};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use seen_core::catalog::{NewItem, map_tmdb_detail};
use seen_core::item::MediaType;
use seen_providers::ProviderError;
use seen_providers::tmdb::{ListKind, TmdbClient};
use seen_store::PgPool;
use seen_store::items::upsert_items;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::time::Instant;

/// Settings of one sync run.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Pages of the popular list per media type; other lists get `pages × weight`.
    pub pages: u32,
    /// Share of `pages` each list gets.
    pub list_weights: ListWeights,
    /// Detail requests in flight at once.
    pub concurrency: usize,
    /// Titles per upsert transaction.
    pub batch_size: usize,
    /// Skip details of titles inserted or changed within this many hours (0: fetch everything).
    /// Unchanged titles keep their old `updated_at`, so they are fetched again.
    pub skip_fresh_hours: u32,
    /// Draw a progress bar on stderr (never drawn when stderr is not a terminal).
    pub progress: bool,
}

impl Default for SyncOptions {
    /// 25 pages, default weights, 8 in flight, 100 per batch, nothing skipped.
    fn default() -> Self {
        SyncOptions {
            pages: 25,
            list_weights: ListWeights::default(),
            concurrency: 8,
            batch_size: 100,
            skip_fresh_hours: 0,
            progress: true,
        }
    }
}

/// Runs the sync (see the module doc for the protocol).
#[tracing::instrument(name = "tmdb sync", skip_all, fields(pages = opts.pages))]
pub async fn run(
    pool: &PgPool,
    client: &TmdbClient,
    opts: &SyncOptions,
) -> anyhow::Result<SyncSummary> {
    let started = Instant::now();
    let mut summary = SyncSummary::default();
    let candidates = collect_candidates(client, opts, &mut summary).await?;
    summary.listed = candidates.entries;
    summary.unusable_ids = candidates.unusable;
    summary.unique = candidates.len();
    tracing::info!("Total unique candidate IDs: {}", candidates.len());
    if candidates.is_empty() {
        tracing::warn!("the TMDB lists named no titles; stored ranks are left as they are");
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }

    let mut tx = pool
        .begin()
        .await
        .context("cannot start the rank transaction")?;
    summary.ranks = list_ranks::refresh_ranks(&mut tx, &candidates.listed())
        .await
        .context("cannot refresh list ranks")?;
    tx.commit()
        .await
        .context("cannot commit the rank refresh")?;
    tracing::info!(
        cleared = summary.ranks.cleared,
        changed = summary.ranks.moved,
        "ranks refreshed"
    );

    let fresh = if opts.skip_fresh_hours > 0 {
        let mut conn = pool
            .acquire()
            .await
            .context("cannot get a database connection")?;
        list_ranks::fresh_keys(&mut conn, &candidates.listed(), opts.skip_fresh_hours)
            .await
            .context("cannot read which titles are fresh")?
    } else {
        HashSet::new()
    };
    let todo: Vec<Key> = candidates
        .keys()
        .iter()
        .filter(|k| !fresh.contains(k))
        .copied()
        .collect();
    summary.skipped_fresh = candidates.len() - todo.len();
    if summary.skipped_fresh > 0 {
        tracing::info!(
            skipped = summary.skipped_fresh,
            hours = opts.skip_fresh_hours,
            "skipping fresh titles"
        );
    }

    sync_details(pool, client, opts, &candidates, todo, &mut summary).await?;
    summary.elapsed = started.elapsed();
    tracing::info!(
        inserted = summary.counts.inserted,
        updated = summary.counts.updated,
        unchanged = summary.counts.unchanged,
        failed = summary.failed_total(),
        "TMDB sync completed successfully."
    );
    Ok(summary)
}

/// Phase 1: every page of every list, movie then TV.
async fn collect_candidates(
    client: &TmdbClient,
    opts: &SyncOptions,
    summary: &mut SyncSummary,
) -> anyhow::Result<Candidates> {
    let mut candidates = Candidates::default();
    let concurrency = opts.concurrency.max(1);
    for media in [MediaType::Movie, MediaType::Tv] {
        let entries_before = candidates.entries;
        for list in ListKind::ALL {
            let pages = opts.list_weights.pages_for(list, opts.pages);
            if pages == 0 {
                continue;
            }
            // Page 1 says how many pages exist; the rest are fetched concurrently, in order.
            let first = fetch_page(client, media, list, 1).await?;
            let last = first
                .total_pages
                .map_or(pages, |total| total.min(pages))
                .max(1);
            let mut position = 0_u64;
            let mut record = |ids: &[Option<i64>]| {
                for id in ids {
                    position += 1;
                    candidates.record(media, list, position, *id);
                }
            };
            record(&first.ids);
            summary.pages += 1;
            let mut rest = stream::iter(2..=last)
                .map(|page| fetch_page(client, media, list, page))
                .buffered(concurrency);
            while let Some(page) = rest.next().await {
                record(&page?.ids);
                summary.pages += 1;
            }
            tracing::debug!(%media, %list, pages = last, "list collected");
        }
        tracing::info!(
            "Collected {} candidate IDs for {media}.",
            candidates.entries - entries_before
        );
    }
    Ok(candidates)
}

async fn fetch_page(
    client: &TmdbClient,
    media: MediaType,
    list: ListKind,
    page: u32,
) -> anyhow::Result<seen_providers::tmdb::ListPage> {
    client.list_page(media, list, page).await.with_context(|| {
        format!("cannot fetch page {page} of the TMDB {media} {list} list; the sync stopped before writing anything")
    })
}

/// Phase 3: fetch, map and upsert the details of `todo`.
async fn sync_details(
    pool: &PgPool,
    client: &TmdbClient,
    opts: &SyncOptions,
    candidates: &Candidates,
    todo: Vec<Key>,
    summary: &mut SyncSummary,
) -> anyhow::Result<()> {
    let batch_size = opts.batch_size.max(1);
    let total_batches = todo.len().div_ceil(batch_size);
    let bar = progress_bar(todo.len() as u64, opts.progress);
    let mut fetches = stream::iter(todo)
        .map(|key| async move { (key, client.details(key.0, i64::from(key.1)).await) })
        .buffer_unordered(opts.concurrency.max(1))
        .chunks(batch_size);
    while let Some(chunk) = fetches.next().await {
        let mut items: Vec<NewItem> = Vec::with_capacity(chunk.len());
        for (key, result) in chunk {
            bar.inc(1);
            let payload = match result {
                Ok(payload) => payload,
                Err(error) if is_fatal(&error) => {
                    bar.abandon();
                    return Err(anyhow::Error::new(error).context("the TMDB sync stopped"));
                }
                Err(error) => {
                    tracing::warn!(media = %key.0, tmdb_id = key.1, error.message = %error, "details failed; title skipped");
                    summary.fail(error.reason());
                    continue;
                }
            };
            summary.fetched += 1;
            match map_tmdb_detail(&payload, Some(key.0)) {
                Ok(mut item) => {
                    if item.key() != key {
                        tracing::warn!(media = %key.0, asked = key.1, got = item.tmdb_id, "TMDB answered with another id");
                    }
                    let ranks = candidates.ranks(&item.key());
                    item.popular_rank = ranks.popular;
                    item.top_rated_rank = ranks.top_rated;
                    item.trending_rank = ranks.trending;
                    items.push(item);
                }
                Err(error) => {
                    tracing::warn!(media = %key.0, tmdb_id = key.1, error.message = %error, "details unusable; title skipped");
                    summary.fail(format!("unmappable: {}", error.reason()));
                }
            }
        }
        if items.is_empty() {
            continue;
        }
        let mut tx = pool
            .begin()
            .await
            .context("cannot start a batch transaction")?;
        summary.counts += upsert_items(&mut tx, &items).await.with_context(|| {
            format!(
                "cannot upsert batch {} ({} titles)",
                summary.batches + 1,
                items.len()
            )
        })?;
        tx.commit().await.context("cannot commit a batch")?;
        summary.batches += 1;
        tracing::info!("Processed batch {}/{}.", summary.batches, total_batches);
    }
    bar.finish_and_clear();
    Ok(())
}

/// Failures that would repeat for every title: stop rather than count thousands.
fn is_fatal(error: &ProviderError) -> bool {
    matches!(
        error,
        ProviderError::Unauthorized { .. }
            | ProviderError::MissingApiKey { .. }
            | ProviderError::InvalidConfig { .. }
    )
}

fn progress_bar(len: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{spinner} details {pos}/{len} [{bar:40}] {per_sec} eta {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
