//! A fitted taste model: each title's strongest weights towards other titles, and the scoring
//! of one user from their history.

use super::history::{TasteEvent, latest_per_item};
use super::params::TasteParams;
use super::weights::EventKind;
use crate::item::ItemId;
use serde::{Deserialize, Serialize};

/// What went into a fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitStats {
    /// Users with at least one event on a kept title.
    pub users: u64,
    /// (user, title) entries of the training matrix (its non-zeros).
    pub interactions: u64,
    /// Titles left out for having fewer than `min_users` users.
    pub dropped_items: u64,
}

/// One scored title for a user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TasteScore {
    /// The title.
    pub item: ItemId,
    /// `x_u · B` for this title: higher is a better match.
    pub score: f32,
    /// The history title (liked or watched) that contributed most, for "Because you liked X".
    pub because: Option<ItemId>,
}

/// A fitted model: the titles (ascending ids) and, per title, its kept weights towards other
/// titles as a sparse row (CSR: `row_starts`, target indices into `items`, weights).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TasteModel {
    pub(crate) params: TasteParams,
    pub(crate) stats: FitStats,
    pub(crate) items: Vec<ItemId>,
    pub(crate) row_starts: Vec<u32>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f32>,
}

impl TasteModel {
    /// Builds the CSR form from one `(target index, weight)` list per title.
    pub(crate) fn from_rows(
        params: TasteParams,
        stats: FitStats,
        items: Vec<ItemId>,
        rows: Vec<Vec<(u32, f32)>>,
    ) -> TasteModel {
        let nnz: usize = rows.iter().map(Vec::len).sum();
        let mut row_starts = Vec::with_capacity(rows.len() + 1);
        let mut targets = Vec::with_capacity(nnz);
        let mut weights = Vec::with_capacity(nnz);
        row_starts.push(0);
        for row in rows {
            for (t, w) in row {
                targets.push(t);
                weights.push(w);
            }
            row_starts.push(
                u32::try_from(targets.len())
                    .expect("a model never holds 2³² weights (16 GB). This is a bug."),
            );
        }
        TasteModel {
            params,
            stats,
            items,
            row_starts,
            targets,
            weights,
        }
    }

    /// The parameters it was fitted with (and scores with).
    pub fn params(&self) -> &TasteParams {
        &self.params
    }

    /// What went into the fit.
    pub fn stats(&self) -> &FitStats {
        &self.stats
    }

    /// The modelled titles, ascending.
    pub fn items(&self) -> &[ItemId] {
        &self.items
    }

    /// Weights kept (the sparse matrix's non-zeros).
    pub fn weight_count(&self) -> usize {
        self.weights.len()
    }

    /// A title's kept weights towards other titles, by target id ascending; empty when the
    /// title is not modelled.
    pub fn neighbours(&self, item: ItemId) -> Vec<(ItemId, f32)> {
        self.index_of(item)
            .map(|i| {
                self.row(i)
                    .map(|(t, w)| (self.items[t as usize], w))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Scores every modelled title the history has not touched, from the history's events
    /// (oldest first); returns the `limit` best with a positive score, best first (ties: lower
    /// id first). A title's latest event decides its weight (`score_weights`), halved every
    /// `recency_half_life` newer titles.
    pub fn score(&self, history: &[TasteEvent], limit: usize) -> Vec<TasteScore> {
        self.score_where(history, limit, |_| true)
    }

    /// [`TasteModel::score`] over the titles `keep` accepts only (a request's allowlist and
    /// exclusions), so the `limit` best are the best the request may show.
    pub fn score_where(
        &self,
        history: &[TasteEvent],
        limit: usize,
        keep: impl Fn(ItemId) -> bool,
    ) -> Vec<TasteScore> {
        let row = latest_per_item(history);
        let n = self.items.len();
        let mut scores = vec![0.0f32; n];
        // The best single contribution of a liked/watched title, and which title gave it.
        let mut best = vec![0.0f32; n];
        let mut because = vec![u32::MAX; n];
        let newest = row.len().saturating_sub(1);
        for (pos, event) in row.iter().enumerate() {
            let Some(src) = self.index_of(event.item) else {
                continue;
            };
            let w = self.params.score_weights.of(event.kind) * self.recency((newest - pos) as f32);
            if w == 0.0 {
                continue;
            }
            let positive = event.kind != EventKind::Disliked;
            for (t, b) in self.row(src) {
                let t = t as usize;
                let c = w * b;
                scores[t] += c;
                if positive && c > best[t] {
                    best[t] = c;
                    because[t] = src as u32;
                }
            }
        }
        for event in &row {
            if let Some(i) = self.index_of(event.item) {
                scores[i] = f32::NEG_INFINITY;
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores
            .into_iter()
            .enumerate()
            .filter(|(i, s)| *s > 0.0 && keep(self.items[*i]))
            .collect();
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked
            .into_iter()
            .map(|(i, score)| TasteScore {
                item: self.items[i],
                score,
                because: self.items.get(because[i] as usize).copied(),
            })
            .collect()
    }

    /// The weight multiplier of a title with `age` newer titles after it.
    fn recency(&self, age: f32) -> f32 {
        match self.params.recency_half_life {
            Some(h) => 0.5f32.powf(age / h),
            None => 1.0,
        }
    }

    /// The index of a title in `items` (ascending, so a binary search).
    fn index_of(&self, item: ItemId) -> Option<usize> {
        self.items.binary_search(&item).ok()
    }

    /// Row `i`'s (target index, weight) pairs. `row_starts` is validated on decode.
    fn row(&self, i: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let (start, end) = (self.row_starts[i] as usize, self.row_starts[i + 1] as usize);
        self.targets[start..end]
            .iter()
            .copied()
            .zip(self.weights[start..end].iter().copied())
    }
}
