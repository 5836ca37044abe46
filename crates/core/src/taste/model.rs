//! A fitted taste model: each title's strongest weights towards other titles, and the scoring
//! of one user from their history.

use super::history::{HistoryOrder, TasteEvent, latest_per_item};
use super::params::TasteParams;
use super::sequence::Transitions;
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
    /// `x_u · B` for this title, plus the order signal when the model has one: higher is a
    /// better match.
    pub score: f32,
    /// The history title (liked or watched) that contributed most, for "Because you liked X".
    pub because: Option<ItemId>,
}

/// A fitted model: the titles (ascending ids) and, per title, its kept weights towards other
/// titles as a sparse row (CSR: `row_starts`, target indices into `items`, weights), and
/// what people watch next after each ([`Transitions`], empty when the order signal is off).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TasteModel {
    pub(crate) params: TasteParams,
    pub(crate) stats: FitStats,
    pub(crate) items: Vec<ItemId>,
    pub(crate) row_starts: Vec<u32>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f32>,
    pub(crate) transitions: Transitions,
}

impl TasteModel {
    /// Builds the CSR form from one `(target index, weight)` list per title.
    pub(crate) fn from_rows(
        params: TasteParams,
        stats: FitStats,
        items: Vec<ItemId>,
        rows: Vec<Vec<(u32, f32)>>,
        transitions: Transitions,
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
            transitions,
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

    /// What people watch next, as fitted (empty when the order signal is off).
    pub fn transitions(&self) -> &Transitions {
        &self.transitions
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
    /// id first). A title's latest event decides its weight (`score_weights`); unless the
    /// history is [`HistoryOrder::Batched`] it is halved every `recency_half_life` newer
    /// titles, and in a [`HistoryOrder::Timed`] one the newest titles add the order signal.
    pub fn score(
        &self,
        history: &[TasteEvent],
        order: HistoryOrder,
        limit: usize,
    ) -> Vec<TasteScore> {
        self.score_where(history, order, limit, None, |_| true)
    }

    /// [`TasteModel::score`] over the titles a request may show: those in `among` when given
    /// (a filter's allowlist, usually a few hundred ids) that `keep` accepts (exclusions), so
    /// the `limit` best are the best the request may show.
    pub fn score_where(
        &self,
        history: &[TasteEvent],
        order: HistoryOrder,
        limit: usize,
        among: Option<&[ItemId]>,
        keep: impl Fn(ItemId) -> bool,
    ) -> Vec<TasteScore> {
        let row = latest_per_item(history);
        let weighted: Vec<(usize, f32, bool)> = self.weighted_rows(&row, order);
        let mut scores = vec![0.0f32; self.items.len()];
        // A plain scatter-add: the hot loop of a request, kept free of branches.
        for &(src, w, _) in &weighted {
            let (targets, weights) = self.row_slices(src);
            for (&t, &b) in targets.iter().zip(weights) {
                scores[t as usize] += w * b;
            }
        }
        if order.follows_viewing() && self.params.sequence.is_on() {
            self.add_next(&mut scores, &row);
        }
        for event in &row {
            if let Some(i) = self.index_of(event.item) {
                scores[i] = f32::NEG_INFINITY;
            }
        }
        let ranked = self.best_kept(scores, limit, among, keep);
        let because = self.top_contributors(&weighted, &ranked);
        ranked
            .into_iter()
            .zip(because)
            .map(|((i, score), because)| TasteScore {
                item: self.items[i],
                score,
                because: because.map(|src| self.items[src]),
            })
            .collect()
    }

    /// `scores / max(scores) + weight · next / max(next)`, where `next` is what people watched
    /// after the history's newest modelled titles (each max over every modelled title; one
    /// that is not positive divides by 1).
    fn add_next(&self, scores: &mut [f32], row: &[TasteEvent]) {
        let seq = &self.params.sequence;
        let newest: Vec<(usize, TasteEvent)> = row
            .iter()
            .filter_map(|e| Some((self.index_of(e.item)?, *e)))
            .rev()
            .take(seq.last)
            .collect();
        let mut next = vec![0.0f32; self.items.len()];
        for (age, (src, event)) in newest.iter().enumerate() {
            let w =
                self.params.score_weights.of(event.kind) * 0.5f32.powf(age as f32 / seq.half_life);
            if w == 0.0 {
                continue;
            }
            let (targets, weights) = self.transitions.row(*src);
            for (&t, &p) in targets.iter().zip(weights) {
                next[t as usize] += w * p;
            }
        }
        let scale = |v: &[f32]| {
            let top = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            if top > 0.0 { 1.0 / top } else { 1.0 }
        };
        let (a, b) = (scale(scores), seq.weight * scale(&next));
        for (s, n) in scores.iter_mut().zip(&next) {
            *s = *s * a + n * b;
        }
    }

    /// The history's modelled titles as `(row, weight, positive)`, oldest first. A title's
    /// latest event decides its weight, halved by recency in a timed history; titles weighing under 1/1024 of
    /// the heaviest are left out: they move no score by more than a rounding error, and on a
    /// long history they would be most of the work.
    fn weighted_rows(&self, row: &[TasteEvent], order: HistoryOrder) -> Vec<(usize, f32, bool)> {
        let newest = row.len().saturating_sub(1);
        let timed = order.is_timed();
        let weighted: Vec<(usize, f32, bool)> = row
            .iter()
            .enumerate()
            .filter_map(|(pos, event)| {
                let src = self.index_of(event.item)?;
                let recency = if timed {
                    self.recency((newest - pos) as f32)
                } else {
                    1.0
                };
                let w = self.params.score_weights.of(event.kind) * recency;
                Some((src, w, event.kind != EventKind::Disliked))
            })
            .collect();
        let heaviest = weighted.iter().map(|(_, w, _)| w.abs()).fold(0.0, f32::max);
        weighted
            .into_iter()
            .filter(|(_, w, _)| *w != 0.0 && w.abs() >= heaviest / 1024.0)
            .collect()
    }

    /// The `limit` best positive scores among `among` (all titles when `None`) that `keep`
    /// accepts, best first (ties: lower index). `keep` is asked best first, a window at a
    /// time, so a request pays for the titles it looks at rather than for every modelled title.
    fn best_kept(
        &self,
        scores: Vec<f32>,
        limit: usize,
        among: Option<&[ItemId]>,
        keep: impl Fn(ItemId) -> bool,
    ) -> Vec<(usize, f32)> {
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut positive: Vec<(usize, f32)> = match among {
            Some(ids) => {
                let mut at: Vec<usize> = ids.iter().filter_map(|id| self.index_of(*id)).collect();
                at.sort_unstable();
                at.dedup();
                at.into_iter()
                    .map(|i| (i, scores[i]))
                    .filter(|(_, s)| *s > 0.0)
                    .collect()
            }
            None => scores
                .into_iter()
                .enumerate()
                .filter(|(_, s)| *s > 0.0)
                .collect(),
        };
        let mut kept = Vec::with_capacity(limit.min(positive.len()));
        let mut rest: &mut [(usize, f32)] = &mut positive;
        let mut window = (2 * limit).max(16);
        while kept.len() < limit && !rest.is_empty() {
            let w = window.min(rest.len());
            if rest.len() > w {
                rest.select_nth_unstable_by(w - 1, order);
            }
            let (head, tail) = rest.split_at_mut(w);
            head.sort_unstable_by(order);
            let wanted = limit - kept.len();
            kept.extend(
                head.iter()
                    .filter(|(i, _)| keep(self.items[*i]))
                    .take(wanted)
                    .copied(),
            );
            rest = tail;
            window = window.saturating_mul(2);
        }
        kept
    }

    /// For each pick, the liked or watched history title whose single contribution to its
    /// score was largest (the first one on a tie), as a row index.
    fn top_contributors(
        &self,
        weighted: &[(usize, f32, bool)],
        picks: &[(usize, f32)],
    ) -> Vec<Option<usize>> {
        // Each pick's position, by title index (u16 keeps the table small enough for L1/L2;
        // a request asks for at most a few hundred picks).
        const NONE: u16 = u16::MAX;
        let mut slot = vec![NONE; self.items.len()];
        for (k, (i, _)) in picks.iter().enumerate().take(usize::from(NONE)) {
            slot[*i] = k as u16;
        }
        let mut best = vec![(0.0f32, None); picks.len()];
        for &(src, w, positive) in weighted {
            if !positive {
                continue;
            }
            let (targets, weights) = self.row_slices(src);
            for (&t, &b) in targets.iter().zip(weights) {
                let k = slot[t as usize];
                if k == NONE {
                    continue;
                }
                let c = w * b;
                let (top, source) = &mut best[usize::from(k)];
                if c > *top {
                    *top = c;
                    *source = Some(src);
                }
            }
        }
        best.into_iter().map(|(_, source)| source).collect()
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

    /// Row `i`'s target indices and weights. `row_starts` is validated on decode.
    fn row_slices(&self, i: usize) -> (&[u32], &[f32]) {
        let (start, end) = (self.row_starts[i] as usize, self.row_starts[i + 1] as usize);
        (&self.targets[start..end], &self.weights[start..end])
    }

    /// Row `i`'s (target index, weight) pairs.
    fn row(&self, i: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let (targets, weights) = self.row_slices(i);
        targets.iter().copied().zip(weights.iter().copied())
    }
}
