//! What people watch *next*: the order signal beside EASE's "watched together".
//!
//! EASE ignores order. Yet on MovieLens, what a viewer watched last predicts what they watch
//! next better than their whole history does (`seenemall eval`: NDCG@10 0.126 → 0.143 with
//! this term). From everyone's time-ordered history, `T[a][b]` counts how often `b` came within
//! the next `window` titles after `a` (a gap of `g` counts `decay^(g−1)`), each row scaled to
//! sum to 1. A viewer is scored from their last `last` titles, newest weighing most.

use super::error::TasteError;
use super::history::HistoryMatrix;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How the order signal is fitted and how much it counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SequenceParams {
    /// Its share of a score: `ease / max(ease) + weight · next / max(next)`; 0 turns it off.
    pub weight: f32,
    /// Titles after `a` that count as watched after it.
    pub window: usize,
    /// Each further position counts this much of the one before.
    pub decay: f32,
    /// The viewer's newest titles the next ones are predicted from.
    pub last: usize,
    /// Among those, a title's weight halves every this many newer titles.
    pub half_life: f32,
}

impl Default for SequenceParams {
    /// The best `seenemall eval` measured (README, "Taste model").
    fn default() -> Self {
        SequenceParams {
            weight: 0.5,
            window: 20,
            decay: 0.9,
            last: 8,
            half_life: 3.0,
        }
    }
}

impl SequenceParams {
    /// No order signal: what models stored before it existed score with.
    pub const OFF: SequenceParams = SequenceParams {
        weight: 0.0,
        window: 1,
        decay: 1.0,
        last: 1,
        half_life: 1.0,
    };

    /// True when the term takes part in scores.
    pub fn is_on(&self) -> bool {
        self.weight > 0.0
    }

    /// Checks every value; the error names the parameter.
    pub fn validate(&self) -> Result<(), TasteError> {
        let bad = |what: &str| Err(TasteError::InvalidParams(what.to_owned()));
        if !(self.weight.is_finite() && self.weight >= 0.0) {
            return bad("sequence weight must be a finite number ≥ 0");
        }
        if self.window == 0 || self.last == 0 {
            return bad("sequence window and last must be at least 1");
        }
        if !(self.decay.is_finite() && self.decay > 0.0 && self.decay <= 1.0) {
            return bad("sequence decay must be in (0, 1]");
        }
        if !(self.half_life.is_finite() && self.half_life > 0.0) {
            return bad("sequence half_life must be a finite number of titles > 0");
        }
        Ok(())
    }
}

/// `T` as sparse rows over the model's titles (CSR); empty (no rows) when the term is off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transitions {
    pub(crate) row_starts: Vec<u32>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f32>,
}

impl Transitions {
    /// Counts every user's ordered titles (indices into the model's titles, via `index`).
    pub(crate) fn fit(
        history: &HistoryMatrix,
        n: usize,
        index: impl Fn(crate::item::ItemId) -> Option<usize>,
        params: &SequenceParams,
    ) -> Transitions {
        if !params.is_on() {
            return Transitions::default();
        }
        let mut rows: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
        let mut seq: Vec<usize> = Vec::new();
        for events in history.rows() {
            seq.clear();
            seq.extend(events.iter().filter_map(|e| index(e.item)));
            for (p, &a) in seq.iter().enumerate() {
                let mut credit = 1.0f32;
                for &b in seq.iter().skip(p + 1).take(params.window) {
                    *rows[a].entry(b as u32).or_default() += credit;
                    credit *= params.decay;
                }
            }
        }
        let mut t = Transitions {
            row_starts: Vec::with_capacity(n + 1),
            ..Transitions::default()
        };
        t.row_starts.push(0);
        for row in rows {
            let total: f32 = row.values().sum();
            let mut row: Vec<(u32, f32)> = row.into_iter().collect();
            row.sort_unstable_by_key(|(j, _)| *j);
            for (j, c) in row {
                t.targets.push(j);
                t.weights.push(c / total);
            }
            t.row_starts.push(
                u32::try_from(t.targets.len())
                    .expect("a model never holds 2³² transitions (16 GB). This is a bug."),
            );
        }
        t
    }

    /// True when fitted (one row per title).
    pub fn is_fitted(&self) -> bool {
        !self.row_starts.is_empty()
    }

    /// Transitions kept.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Row `i`'s target indices and weights; empty when not fitted. `row_starts` is validated
    /// on decode.
    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        if !self.is_fitted() {
            return (&[], &[]);
        }
        let (start, end) = (self.row_starts[i] as usize, self.row_starts[i + 1] as usize);
        (&self.targets[start..end], &self.weights[start..end])
    }
}
