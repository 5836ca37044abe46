//! Fitting EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data").
//!
//! `G = XᵀX + λI` is built densely over the kept titles (one pass over the users, lower
//! triangle only), factored by `faer`'s Cholesky and inverted: `P = G⁻¹`. The weights are then
//! `B[i][j] = −P[i][j] / P[j][j]` for `i ≠ j` (and `diag(B) = 0`); for each source title `i`
//! only the `top_k` largest positive weights are kept. Peak memory is about three dense
//! `n × n` f64 matrices (`24·n²` bytes: 1.5 GB for 8,000 titles), which is what bounds the
//! catalog a single fit can cover.

use super::error::TasteError;
use super::history::HistoryMatrix;
use super::model::{FitStats, TasteModel};
use super::params::TasteParams;
use super::sequence::Transitions;
use crate::item::ItemId;
use faer::linalg::solvers::DenseSolveCore;
use faer::{MatRef, Side};
use std::collections::HashMap;

/// The steps of a fit, announced as each starts (for progress reporting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitStage {
    /// Counting each title's users and choosing the titles to model.
    Counting,
    /// Summing the co-occurrence matrix `XᵀX`.
    CoOccurrence {
        /// Titles kept.
        items: usize,
    },
    /// Factoring and inverting `XᵀX + λI`.
    Inverting,
    /// Keeping each title's strongest weights.
    Pruning,
    /// Counting what people watched next (the order signal).
    Sequencing,
}

/// Fits a taste model on everyone's history.
///
/// # Errors
/// Invalid parameters, no title with `min_users` users, or a matrix that cannot be factored.
pub fn fit(
    history: &HistoryMatrix,
    params: &TasteParams,
    progress: &mut dyn FnMut(FitStage),
) -> Result<TasteModel, TasteError> {
    params.validate()?;
    progress(FitStage::Counting);
    let (items, dropped) = kept_items(history, params);
    if items.is_empty() {
        return Err(TasteError::NoItems {
            min_users: params.min_users,
        });
    }
    let n = items.len();
    progress(FitStage::CoOccurrence { items: n });
    let (gram, stats) = co_occurrence(history, params, &items);
    progress(FitStage::Inverting);
    let inverse = invert(gram, n, params.lambda)?;
    progress(FitStage::Pruning);
    let rows = strongest_weights(&inverse, n, params.top_k);
    drop(inverse);
    progress(FitStage::Sequencing);
    let transitions = Transitions::fit(
        history,
        n,
        |id| items.binary_search(&id).ok(),
        &params.sequence,
    );
    Ok(TasteModel::from_rows(
        *params,
        FitStats {
            dropped_items: dropped,
            ..stats
        },
        items,
        rows,
        transitions,
    ))
}

/// The titles with at least `min_users` users (events of positive fit weight), ascending;
/// and how many titles were dropped.
fn kept_items(history: &HistoryMatrix, params: &TasteParams) -> (Vec<ItemId>, u64) {
    let mut users: HashMap<ItemId, usize> = HashMap::new();
    for row in history.rows() {
        for e in row {
            if params.fit_weights.of(e.kind) > 0.0 {
                *users.entry(e.item).or_default() += 1;
            }
        }
    }
    let total = users.len();
    let mut items: Vec<ItemId> = users
        .into_iter()
        .filter(|(_, n)| *n >= params.min_users)
        .map(|(item, _)| item)
        .collect();
    items.sort_unstable();
    let dropped = (total - items.len()) as u64;
    (items, dropped)
}

/// `XᵀX` over `items` (ascending), lower triangle of a column-major `n × n` buffer; and the
/// users and (user, title) entries that went into it.
fn co_occurrence(
    history: &HistoryMatrix,
    params: &TasteParams,
    items: &[ItemId],
) -> (Vec<f64>, FitStats) {
    let n = items.len();
    let index: HashMap<ItemId, usize> = items.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut gram = vec![0.0f64; n * n];
    let mut stats = FitStats::default();
    let mut row: Vec<(usize, f64)> = Vec::new();
    for events in history.rows() {
        row.clear();
        row.extend(events.iter().filter_map(|e| {
            let w = f64::from(params.fit_weights.of(e.kind));
            let i = *index.get(&e.item)?;
            (w > 0.0).then_some((i, w))
        }));
        if row.is_empty() {
            continue;
        }
        row.sort_unstable_by_key(|(i, _)| *i);
        stats.users += 1;
        stats.interactions += row.len() as u64;
        for (a, &(col, wa)) in row.iter().enumerate() {
            // Column `col`, rows `col..`: entries below the diagonal (row ≥ col).
            let column = &mut gram[col * n..(col + 1) * n];
            for &(r, wb) in &row[a..] {
                column[r] += wa * wb;
            }
        }
    }
    (gram, stats)
}

/// `(G + λI)⁻¹` from the lower triangle of `G`; the buffer is dropped once factored.
fn invert(mut gram: Vec<f64>, n: usize, lambda: f64) -> Result<faer::Mat<f64>, TasteError> {
    for i in 0..n {
        gram[i * n + i] += lambda;
    }
    let llt = MatRef::from_column_major_slice(&gram, n, n)
        .llt(Side::Lower)
        .map_err(|_| TasteError::NotPositiveDefinite)?;
    drop(gram);
    Ok(llt.inverse())
}

/// For each source title `i`, its `top_k` largest positive weights `B[i][j] = −P[j][i] / P[j][j]`
/// (`P` is symmetric, so column `i` is row `i`), sorted by target.
fn strongest_weights(p: &faer::Mat<f64>, n: usize, top_k: usize) -> Vec<Vec<(u32, f32)>> {
    let diag: Vec<f64> = (0..n).map(|j| p.col_as_slice(j)[j]).collect();
    let by_weight_desc = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    (0..n)
        .map(|i| {
            let column = p.col_as_slice(i);
            let mut row: Vec<(u32, f32)> = column
                .iter()
                .zip(&diag)
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(j, (pji, pjj))| (index_u32(j), (-pji / pjj) as f32))
                .filter(|(_, w)| *w > 0.0)
                .collect();
            if row.len() > top_k {
                row.select_nth_unstable_by(top_k, by_weight_desc);
                row.truncate(top_k);
            }
            row.sort_unstable_by_key(|(j, _)| *j);
            row
        })
        .collect()
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).expect(
        "a model never has 2³² titles; its dense fit would not fit in memory. This is a bug.",
    )
}
