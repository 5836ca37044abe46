//! The server retraining the taste model itself (`AUTO_TRAIN`, on by default), so a
//! self-hosted instance whose history grows never serves a stale model (or none) because
//! nobody scheduled `seenemall train`.
//!
//! Every `AUTO_TRAIN_CHECK_SECS` one statement counts the history written since the newest
//! model's fit; when [`RetrainPolicy`] says it is enough, the server takes a transaction-scoped
//! advisory lock (replicas take turns; the one that gets it re-checks), runs the same job as
//! `seenemall train` with the newest model's parameters, and loads the result. Every replica
//! then picks the new version up through its per-request check. The fit runs on the blocking
//! pool: on the demo history it takes 10–20 s of one core and ~0.9 GB at its peak, which is
//! why it waits for real growth (200 events and 10 % by default) rather than every write.

use crate::settings::AutoTrainArgs;
use crate::taste_model::TasteModelHolder;
use anyhow::Context;
use seen_core::taste::{MODEL_KIND, RetrainPolicy};
use seen_etl::train::{TrainOptions, run as train};
use seen_store::PgPool;
use seen_store::taste_models::{HistoryMark, training_state, try_lock_training};
use seen_store::training_data::{history_mark, history_since};
use std::sync::Arc;

/// What one check did (the `outcome` label of `seenemall_auto_train_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Not enough new history.
    UpToDate,
    /// Another replica holds the training lock, or trained meanwhile.
    Busy,
    /// A new model version was stored.
    Trained,
}

/// Starts the background retraining when `AUTO_TRAIN` is on.
pub fn spawn(db: PgPool, taste: Arc<TasteModelHolder>, args: &AutoTrainArgs) {
    if !args.auto_train {
        return;
    }
    let policy = args.policy();
    let interval = args.interval();
    tracing::info!(
        every_secs = interval.as_secs(),
        min_new_events = policy.min_new_events,
        min_growth = policy.min_growth,
        "automatic taste model training on"
    );
    tokio::spawn(async move {
        // History that a failed fit already tried: not retried until enough arrives past it.
        let mut failed_at: i64 = 0;
        loop {
            tokio::time::sleep(interval).await;
            let outcome = match check(&db, &policy, failed_at).await {
                Ok(Check::Trained) => {
                    taste.start_reload();
                    "trained"
                }
                Ok(Check::UpToDate) => continue,
                Ok(Check::Busy) => "busy",
                Err(e) => {
                    tracing::warn!(error = %format_args!("{e:#}"), "automatic taste model training failed; the loaded model keeps serving");
                    // A fit that failed on this history (too few users, say) waits for more.
                    failed_at = history_mark(&db).await.map_or(failed_at, |m| m.max_id);
                    "failed"
                }
            };
            metrics::counter!("seenemall_auto_train_total", "outcome" => outcome).increment(1);
        }
    });
}

/// One check: counts the new history and trains when the policy says so.
async fn check(db: &PgPool, policy: &RetrainPolicy, failed_at: i64) -> anyhow::Result<Check> {
    let state = training_state(db, MODEL_KIND)
        .await
        .context("reading the newest taste model")?;
    let trained = state.as_ref().and_then(|s| s.history).unwrap_or_default();
    if !is_due(db, policy, trained, failed_at).await? {
        return Ok(Check::UpToDate);
    }
    let mut lock = db.begin().await.context("starting the training lock")?;
    if !try_lock_training(&mut lock)
        .await
        .context("taking the training lock")?
    {
        return Ok(Check::Busy);
    }
    // Another replica may have stored a model between the count and the lock.
    let now = training_state(db, MODEL_KIND)
        .await
        .context("reading the newest taste model")?;
    if now.as_ref().map(|s| s.version) != state.as_ref().map(|s| s.version) {
        return Ok(Check::Busy);
    }
    let opts = TrainOptions {
        params: state.map(|s| s.params).unwrap_or_default(),
        progress: false,
        ..TrainOptions::default()
    };
    let summary = train(db, &opts).await?;
    tracing::info!(%summary, "taste model retrained on new history");
    // Ending the transaction releases the lock; a failure here only ends it sooner.
    if let Err(e) = lock.rollback().await {
        tracing::debug!(error = %e, "releasing the training lock");
    }
    Ok(Check::Trained)
}

async fn is_due(
    db: &PgPool,
    policy: &RetrainPolicy,
    trained: HistoryMark,
    failed_at: i64,
) -> anyhow::Result<bool> {
    let new_events = history_since(db, trained.max_id.max(failed_at))
        .await
        .context("counting new history")?;
    Ok(policy.is_due(
        u64::try_from(new_events).unwrap_or(0),
        u64::try_from(trained.rows).unwrap_or(0),
    ))
}
