//! `seenemall etl-justwatch`: where each catalog title can be watched, from JustWatch, into
//! `availability`.
//!
//! For every title not looked up in the country within `--stale-after-hours` (never-synced
//! first, then the longest ago; at most `--limit`), `--concurrency` at a time under the
//! client's rate limit: search JustWatch, match (title, media type, year; see
//! `seen_providers::justwatch::matching`), fetch the match's offers, then write the title in
//! ONE transaction ([`seen_store::availability::sync_title_offers`]): upsert its offers,
//! delete its rows no longer offered, record the lookup in `justwatch_sync`.
//!
//! Differences from the original, on purpose:
//! * A title that matched with no offers, or matched nothing, loses its stored offers (the
//!   original kept them forever). A lookup that failed keeps them and is not recorded, so the
//!   next run retries it.
//! * One title's failure (HTTP error after retries, GraphQL error, malformed answer, a row
//!   the database refused) is logged and counted by reason; the run goes on. Only settings
//!   JustWatch refuses for every title, and losing the database, stop the run.
//!
//! Re-running is safe: rows are upserted on (item, country, service, offer type), and titles
//! synced within `--stale-after-hours` are skipped, so an interrupted run resumes.

mod summary;

pub use summary::SyncSummary;

use anyhow::Context;
use futures::{StreamExt, stream};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use seen_providers::ProviderError;
use seen_providers::justwatch::{JustWatchClient, Offer, Resolution, TitleQuery};
use seen_store::PgPool;
use seen_store::availability::{
    NewOffer, SyncOutcome, SyncTitle, count_fresh, sync_title_offers, titles_to_sync,
};
use std::io::IsTerminal;
use std::time::Instant;

/// Settings of one sync run (the country is the client's).
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Skip titles looked up within this many hours (0: look every title up again).
    pub stale_after_hours: u32,
    /// Look up at most this many titles.
    pub limit: Option<u64>,
    /// Titles in flight at once (two requests each; the rate limit still applies).
    pub concurrency: usize,
    /// Draw a progress bar on stderr (never drawn when stderr is not a terminal).
    pub progress: bool,
}

impl Default for SyncOptions {
    /// Skip titles synced in the last 24 h, no limit, 6 in flight (the original's cap).
    fn default() -> Self {
        SyncOptions {
            stale_after_hours: 24,
            limit: None,
            concurrency: 6,
            progress: true,
        }
    }
}

/// Runs the sync (see the module doc).
#[tracing::instrument(name = "justwatch sync", skip_all, fields(country = client.country()))]
pub async fn run(
    pool: &PgPool,
    client: &JustWatchClient,
    opts: &SyncOptions,
) -> anyhow::Result<SyncSummary> {
    let started = Instant::now();
    let country = client.country().to_owned();
    let mut summary = SyncSummary {
        country: country.clone(),
        ..SyncSummary::default()
    };
    summary.skipped_fresh = count_fresh(pool, &country, opts.stale_after_hours)
        .await
        .context("cannot count recently synced titles")?;
    let titles = titles_to_sync(pool, &country, opts.stale_after_hours, opts.limit)
        .await
        .context("cannot read the catalog")?;
    tracing::info!(
        titles = titles.len(),
        skipped_fresh = summary.skipped_fresh,
        "looking titles up on JustWatch"
    );

    let bar = progress_bar(titles.len() as u64, opts.progress);
    let mut lookups = stream::iter(titles)
        .map(|title| async move {
            let query = TitleQuery {
                title: title.title.clone(),
                media: title.media_type,
                release_year: title.release_year,
            };
            let result = client.resolve(&query).await;
            (title, result)
        })
        .buffer_unordered(opts.concurrency.max(1));
    while let Some((title, result)) = lookups.next().await {
        bar.inc(1);
        let (outcome, offers) = match result {
            Ok(Resolution::Matched { candidate, offers }) => (
                SyncOutcome::Matched {
                    justwatch_id: candidate.id,
                },
                offers,
            ),
            Ok(Resolution::NoMatch { candidates }) => {
                tracing::debug!(item_id = title.item_id, title = %title.title, candidates, "no JustWatch match");
                (SyncOutcome::NoMatch, Vec::new())
            }
            Err(error) if is_fatal(&error) => {
                bar.abandon();
                return Err(anyhow::Error::new(error).context("the JustWatch sync stopped"));
            }
            Err(error) => {
                tracing::warn!(
                    item_id = title.item_id,
                    title = %title.title,
                    error.message = %error,
                    "JustWatch lookup failed; stored offers kept"
                );
                summary.fail(error.reason());
                continue;
            }
        };
        write_title(pool, &country, &title, outcome, &offers, &mut summary).await?;
    }
    bar.finish_and_clear();
    summary.elapsed = started.elapsed();
    tracing::info!(
        matched = summary.matched,
        no_match = summary.no_match,
        failed = summary.failed_total(),
        written = summary.offers.written(),
        removed = summary.offers.removed,
        "JustWatch sync finished"
    );
    Ok(summary)
}

/// Writes one looked-up title. A statement the database refuses counts against the title;
/// not getting a connection at all stops the run.
async fn write_title(
    pool: &PgPool,
    country: &str,
    title: &SyncTitle,
    outcome: SyncOutcome,
    offers: &[Offer],
    summary: &mut SyncSummary,
) -> anyhow::Result<()> {
    let rows: Vec<NewOffer> = offers.iter().map(new_offer).collect();
    let mut conn = pool
        .acquire()
        .await
        .context("cannot get a database connection")?;
    match sync_title_offers(&mut conn, title.item_id, country, &rows, &outcome).await {
        Ok(changes) => {
            match outcome {
                SyncOutcome::Matched { .. } => summary.matched += 1,
                SyncOutcome::NoMatch => summary.no_match += 1,
            }
            summary.offers += changes;
        }
        Err(error) => {
            tracing::warn!(
                item_id = title.item_id,
                title = %title.title,
                error.message = %error,
                "cannot store the title's offers; nothing written for it"
            );
            summary.fail("store_error");
        }
    }
    Ok(())
}

fn new_offer(offer: &Offer) -> NewOffer {
    NewOffer {
        service: offer.service.clone(),
        offer_type: offer.offer_type.as_db_str().to_owned(),
        deeplink: offer.deeplink.clone(),
        web_url: offer.web_url.clone(),
        price: offer.price,
        currency: offer.currency.clone(),
    }
}

/// Failures that would repeat for every title: stop rather than count thousands.
fn is_fatal(error: &ProviderError) -> bool {
    matches!(
        error,
        ProviderError::InvalidConfig { .. } | ProviderError::MissingApiKey { .. }
    )
}

fn progress_bar(len: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{spinner} justwatch {pos}/{len} [{bar:40}] {per_sec} eta {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
