//! `seenemall eval`: offline ranking quality on MovieLens, without the HTTP server.
//!
//! MovieLens ratings (`ratings.csv` + `links.csv`) are mapped to catalog movies the way
//! `seenemall import movielens` maps them, then split per user in time ([`split`]): the first
//! 80% of a user's ratings are their history, the titles they rated ≥ 4 later are what a
//! ranking should find. Each ranking ([`rankers`]) sees only histories: the models are fitted
//! here on every user's history part, never on the later part, so nothing leaks. Every list
//! is a full ranking over the catalog's movies minus the user's history titles; the metrics
//! are `seen_core::eval_metrics`'.

pub mod http;
pub mod product;
pub mod queries;
pub mod rankers;
pub mod report;
mod server;
pub mod split;

use crate::catalog_import::progress_bar;
use crate::movielens::{csv_file, map_movies, read_links, read_ratings};
use crate::train::fit_blocking;
use anyhow::Context;
use product::{ProductRanker, ProductSettings};
use rankers::{MostPopular, RankQuery, Ranker, TasteRanker};
use report::{EvalReport, EvalRow};
use seen_core::catalog_copy::CatalogCopy;
use seen_core::eval_metrics::MetricsAccumulator;
use seen_core::item::ItemId;
use seen_core::taste::{HistoryMatrix, TasteEvent, TasteModel, TasteParams};
use seen_store::PgPool;
use seen_store::catalog_copy::load_catalog_rows;
use seen_store::training_data::movie_ids;
use split::{RELEVANT_RATING, SplitUser, TRAIN_FRACTION, evaluated, split_user};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The longest list a metric reads (Recall@20).
const LIST_LENGTH: usize = 20;

/// Settings of one evaluation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// The MovieLens directory (`ratings.csv`, `links.csv`, or their `.gz`).
    pub dir: PathBuf,
    /// Evaluate this many users, drawn by `seed` (all when `None`).
    pub users: Option<usize>,
    /// Seed of the user sample.
    pub seed: u64,
    /// The taste model under evaluation (what `seenemall train` fits).
    pub model: TasteParams,
    /// The plain-EASE baseline.
    pub baseline: TasteParams,
    /// The product's settings (the serving defaults unless tuning).
    pub product: ProductSettings,
    /// The embedding version and country the catalog copy is read with (`EMBED_VERSION`,
    /// `JUSTWATCH_COUNTRY`).
    pub embed_version: String,
    pub country: String,
    /// Draw progress on stderr (never drawn when stderr is not a terminal).
    pub progress: bool,
}

impl EvalOptions {
    /// The defaults for a MovieLens directory: every user, the default model, and plain EASE
    /// (binary, λ = 200) over every title with its 1,000 strongest weights each.
    pub fn new(dir: PathBuf) -> EvalOptions {
        EvalOptions {
            dir,
            users: None,
            seed: 1,
            model: TasteParams::default(),
            baseline: TasteParams::plain_ease(200.0, 1_000, 1),
            product: ProductSettings::default(),
            embed_version: "v1".to_owned(),
            country: "IL".to_owned(),
            progress: true,
        }
    }
}

/// The protocol, in words, for the report.
pub(crate) fn protocol() -> String {
    format!(
        "MovieLens per-user temporal split: each user's ratings of catalog movies in time order, \
         the first {:.0}% (rounded down) as history, titles rated ≥ {RELEVANT_RATING} in the \
         rest (and not in the history) as relevant; full ranking over the catalog's movies \
         minus the history's titles",
        TRAIN_FRACTION * 100.0
    )
}

/// Runs the evaluation: most popular, plain EASE and the taste model.
#[tracing::instrument(name = "eval", skip_all, fields(dir = %opts.dir.display()))]
pub async fn run(pool: &PgPool, opts: &EvalOptions) -> anyhow::Result<EvalReport> {
    let started = Instant::now();
    let data = load_split(pool, &opts.dir).await?;
    let catalog = load_catalog(pool, opts).await?;
    let histories = history_matrix(&data.users);
    let fit = |name: String, params: TasteParams| {
        let histories = histories.clone();
        async move {
            let t = Instant::now();
            let model: TasteModel = fit_blocking(histories, params, opts.progress)
                .await
                .with_context(|| format!("fitting {name}"))?;
            anyhow::Ok((TasteRanker::new(name, model), t.elapsed().as_secs_f64()))
        }
    };
    let (baseline, baseline_secs) = fit(
        format!("EASE (binary, λ={})", opts.baseline.lambda),
        opts.baseline,
    )
    .await?;
    let (model, model_secs) = fit("taste model alone".to_owned(), opts.model).await?;
    let product = |name: &str, model: Option<TasteModel>| {
        ProductRanker::new(name, catalog.clone(), model, opts.product)
    };
    let rankers: Vec<(Box<dyn Ranker>, Option<f64>)> = vec![
        (Box::new(MostPopular::from_histories(&data.users)), None),
        (Box::new(baseline), Some(baseline_secs)),
        (Box::new(product("/recommend without a model", None)), None),
        (
            Box::new(product("/recommend (product)", Some(model.model().clone()))),
            Some(model_secs),
        ),
        (Box::new(model), Some(model_secs)),
    ];
    let evaluated = evaluated(data.users, opts.users, opts.seed);
    let rows = evaluate(&evaluated, &rankers, &data.rankable, opts.progress).await?;
    Ok(EvalReport {
        protocol: protocol(),
        users_total: data.users_total,
        users_evaluated: evaluated.len(),
        history_events: histories.entries(),
        relevant_titles: evaluated.iter().map(|u| u.relevant.len()).sum(),
        rankable_titles: data.rankable.len(),
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Scores every ranker on every user: its list is cut to the titles it may return (rankable,
/// not in the history) and to the longest list a metric reads.
pub async fn evaluate(
    users: &[SplitUser],
    rankers: &[(Box<dyn Ranker>, Option<f64>)],
    rankable: &HashSet<ItemId>,
    progress: bool,
) -> anyhow::Result<Vec<EvalRow>> {
    let mut sums = vec![MetricsAccumulator::default(); rankers.len()];
    let bar = progress_bar(users.len() as u64, progress, "users");
    for user in users {
        let seen = user.seen();
        let query = RankQuery {
            user: user.user,
            history: &user.history,
            seen: &seen,
            limit: LIST_LENGTH,
        };
        for ((ranker, _), sum) in rankers.iter().zip(&mut sums) {
            let list: Vec<ItemId> = ranker
                .rank(query)
                .await
                .with_context(|| {
                    format!("{} failed for MovieLens user {}", ranker.name(), user.user)
                })?
                .into_iter()
                .filter(|item| rankable.contains(item) && !seen.contains(item))
                .take(LIST_LENGTH)
                .collect();
            sum.add(&list, &user.relevant);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(rankers
        .iter()
        .zip(sums)
        .map(|((ranker, fit_seconds), sum)| EvalRow {
            name: ranker.name().to_owned(),
            metrics: sum.finish(rankable.len()),
            fit_seconds: *fit_seconds,
        })
        .collect())
}

/// The split users and the titles a ranking may return.
pub(crate) struct SplitData {
    pub users: Vec<SplitUser>,
    pub users_total: usize,
    pub rankable: HashSet<ItemId>,
}

/// Reads and splits the ratings of `dir` against the catalog in `pool`.
pub(crate) async fn load_split(pool: &PgPool, dir: &std::path::Path) -> anyhow::Result<SplitData> {
    let dir = dir.to_owned();
    let (links, by_user) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let links = read_links(&csv_file(&dir, "links.csv"))?;
        let (by_user, _malformed) = read_ratings(&csv_file(&dir, "ratings.csv"))?;
        Ok((links, by_user))
    })
    .await
    .context("the MovieLens reader thread failed")??;
    let movie_to_item: HashMap<i32, ItemId> = map_movies(pool, &links).await?;
    let rankable: HashSet<ItemId> = movie_ids(pool)
        .await
        .context("loading the catalog's movie ids")?
        .into_iter()
        .collect();
    if rankable.is_empty() {
        anyhow::bail!(
            "the catalog has no movies; Hint: run `seenemall import catalog` (or `make import-demo`) first"
        );
    }
    let users: Vec<SplitUser> = by_user
        .iter()
        .map(|(user, ratings)| split_user(*user, ratings, &movie_to_item))
        .filter(|u| !u.history.is_empty() || !u.relevant.is_empty())
        .collect();
    if users.is_empty() {
        anyhow::bail!(
            "no MovieLens rating maps to a catalog movie; Hint: import the demo catalog, whose \
             movies carry movielens_id"
        );
    }
    Ok(SplitData {
        users_total: users.len(),
        users,
        rankable,
    })
}

/// The catalog copy the product ranks.
async fn load_catalog(pool: &PgPool, opts: &EvalOptions) -> anyhow::Result<Arc<CatalogCopy>> {
    let mut conn = pool.acquire().await?;
    Ok(
        load_catalog_rows(&mut conn, &opts.embed_version, &opts.country)
            .await
            .context("loading the catalog copy")?
            .into_copy()
            .into(),
    )
}

/// Every user's history part as the training matrix.
fn history_matrix(users: &[SplitUser]) -> HistoryMatrix {
    let mut matrix = HistoryMatrix::new();
    for user in users {
        let events: Vec<TasteEvent> = user
            .history
            .iter()
            .map(|e| TasteEvent::new(e.item, e.event_type))
            .collect();
        matrix.push_user(&events);
    }
    matrix
}
