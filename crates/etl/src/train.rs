//! `seenemall train`: fits the taste model on everyone's history and stores it as a new
//! version (`taste_models`), which `serve` picks up.
//!
//! The history is read with one streaming query, grouped by user and oldest first, so memory
//! holds the sparse training matrix, never the rows. Events with a weight ≤ 0 are left out.
//! The fit itself (dense inverse over the kept titles) runs on the blocking pool.

use crate::catalog_import::progress_bar;
use anyhow::Context;
use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use seen_core::events::is_watchlist;
use seen_core::taste::{
    FitStage, HistoryMatrix, MODEL_KIND, TasteEvent, TasteModel, TasteParams, codec, fit,
};
use seen_store::PgPool;
use seen_store::taste_models::{HistoryMark, NewTasteModel, save_model};
use seen_store::training_data::{history_mark, stream_history};
use serde::Serialize;
use std::fmt;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Settings of one training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// How the model is fitted.
    pub params: TasteParams,
    /// Versions kept in `taste_models` (older ones are deleted with the save).
    pub keep: usize,
    /// Draw progress on stderr (never drawn when stderr is not a terminal).
    pub progress: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            params: TasteParams::default(),
            keep: 3,
            progress: true,
        }
    }
}

/// What a training run did.
#[derive(Debug, Clone, Serialize)]
pub struct TrainSummary {
    /// The stored model's version.
    pub version: i64,
    /// History rows read.
    pub rows: u64,
    /// Users in the training matrix.
    pub users: u64,
    /// Titles modelled.
    pub items: usize,
    /// Titles left out for having too few users.
    pub dropped_items: u64,
    /// Non-zeros of the training matrix.
    pub interactions: u64,
    /// Weights kept in the model.
    pub weights: usize,
    /// The fit's parameters.
    pub params: TasteParams,
    /// Size of the stored payload.
    pub bytes: usize,
    /// Wall time, reading included.
    pub elapsed: Duration,
}

impl fmt::Display for TrainSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "taste model v{}: {} users, {} titles ({} dropped), {} interactions → {} weights \
             (λ {}, k {}) in {:.1} s, {:.1} MB",
            self.version,
            self.users,
            self.items,
            self.dropped_items,
            self.interactions,
            self.weights,
            self.params.lambda,
            self.params.top_k,
            self.elapsed.as_secs_f64(),
            self.bytes as f64 / 1e6
        )
    }
}

/// Reads the history, fits, stores a new version.
#[tracing::instrument(name = "train taste model", skip_all)]
pub async fn run(pool: &PgPool, opts: &TrainOptions) -> anyhow::Result<TrainSummary> {
    let started = Instant::now();
    opts.params
        .validate()
        .context("the taste model's settings")?;
    let (history, mark) = read_history(pool, opts.progress).await?;
    let rows = u64::try_from(mark.rows).unwrap_or(0);
    let model = fit_blocking(history, opts.params, opts.progress).await?;
    let payload = codec::encode(&model);
    let stats = *model.stats();
    let version = save_model(
        pool,
        &NewTasteModel {
            kind: MODEL_KIND,
            params: model.params(),
            users: stats.users,
            items: model.items().len() as u64,
            interactions: stats.interactions,
            weights: model.weight_count() as u64,
            payload: &payload,
            history: mark,
        },
        opts.keep,
    )
    .await
    .context("saving the taste model")?;
    let summary = TrainSummary {
        version,
        rows,
        users: stats.users,
        items: model.items().len(),
        dropped_items: stats.dropped_items,
        interactions: stats.interactions,
        weights: model.weight_count(),
        params: *model.params(),
        bytes: payload.len(),
        elapsed: started.elapsed(),
    };
    tracing::info!(
        version,
        items = summary.items,
        bytes = summary.bytes,
        "taste model saved"
    );
    Ok(summary)
}

/// Everyone's history up to its current highest id as the training matrix, and that mark
/// with the rows actually read (a row deleted meanwhile is not counted).
async fn read_history(
    pool: &PgPool,
    progress: bool,
) -> anyhow::Result<(HistoryMatrix, HistoryMark)> {
    let mark = history_mark(pool).await.context("counting history rows")?;
    let bar = progress_bar(u64::try_from(mark.rows).unwrap_or(0), progress, "events");
    let mut matrix = HistoryMatrix::new();
    let mut rows = 0u64;
    let mut user: Option<String> = None;
    let mut events: Vec<TasteEvent> = Vec::new();
    let mut stream = stream_history(pool, mark.max_id);
    while let Some(row) = stream.try_next().await.context("reading user_history")? {
        if user.as_deref() != Some(row.user_id.as_str()) {
            matrix.push_user(&events);
            events.clear();
            user = Some(row.user_id);
        }
        // A watchlist entry says "not seen yet": no evidence of taste.
        if row.weight > 0 && !is_watchlist(&row.event_type) {
            events.push(TasteEvent::new(row.item_id, &row.event_type));
        }
        rows += 1;
        if rows.is_multiple_of(4096) {
            bar.set_position(rows);
        }
    }
    matrix.push_user(&events);
    bar.finish_and_clear();
    let read = HistoryMark {
        max_id: mark.max_id,
        rows: i64::try_from(rows).unwrap_or(i64::MAX),
    };
    Ok((matrix, read))
}

/// [`fit`] on the blocking pool, with a spinner naming the current step.
pub(crate) async fn fit_blocking(
    history: HistoryMatrix,
    params: TasteParams,
    progress: bool,
) -> anyhow::Result<TasteModel> {
    let spinner = stage_spinner(progress);
    let shown = spinner.clone();
    let model = tokio::task::spawn_blocking(move || {
        fit(&history, &params, &mut |stage| {
            shown.set_message(describe(stage));
        })
    })
    .await
    .context("the fitting thread failed")?
    .context("fitting the taste model")?;
    spinner.finish_and_clear();
    Ok(model)
}

fn describe(stage: FitStage) -> String {
    match stage {
        FitStage::Counting => "counting each title's users".to_owned(),
        FitStage::CoOccurrence { items } => format!("co-occurrence of {items} titles"),
        FitStage::Inverting => "inverting (dense Cholesky)".to_owned(),
        FitStage::Pruning => "keeping each title's strongest weights".to_owned(),
        FitStage::Sequencing => "counting what people watched next".to_owned(),
    }
}

fn stage_spinner(wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} fitting: {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.enable_steady_tick(Duration::from_millis(200));
    spinner
}
