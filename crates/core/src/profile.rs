//! User profile maths (spec §6.3) and history exclusions (§4.1), as pure functions over rows
//! the store loads.
//!
//! Profile update, in the order the store calls it:
//! 1. [`compute_profile`] over the latest history rows (newest first, `ts DESC, id DESC`);
//! 2. load other users' overlap rows on `used_items` and [`rank_neighbours`] them;
//! 3. load those neighbours' long vectors and [`blend_collaborative`] them into `long`.

use crate::events::{event_weight, is_negative, is_watchlist};
use crate::item::ItemId;
use crate::vector::{normalized, unit};
use std::collections::{BTreeSet, HashMap, HashSet};

/// How many neighbours a profile keeps.
pub const NEIGHBOUR_TOP: usize = 20;
/// Share of the user's own long vector in the collaborative blend.
const OWN_SHARE: f32 = 0.7;

/// One history row with what the profile needs about its item.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// The item the event is about.
    pub item_id: ItemId,
    /// Event type as stored (`watched`, `liked`, `rated`, `not_interested`, ...).
    pub event_type: String,
    /// Stored weight; `None` counts as 1, negatives as 0.
    pub weight: Option<i32>,
    /// The item's embedding; `None` when it has none.
    pub vector: Option<Vec<f32>>,
    /// The item's genre names.
    pub genres: Vec<String>,
}

/// Knobs of the profile computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileSettings {
    /// Half-life of the short-term decay, in items (`USER_PROFILE_DECAY_HALF_LIFE`).
    pub half_life: f64,
}

impl Default for ProfileSettings {
    fn default() -> Self {
        ProfileSettings { half_life: 10.0 }
    }
}

impl ProfileSettings {
    /// The half-life actually used: at least 0.001 (NaN also becomes 0.001).
    pub fn effective_half_life(&self) -> f64 {
        self.half_life.max(0.001)
    }
}

/// What [`compute_profile`] learns from a history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileVectors {
    /// Recency-weighted taste, unit norm. `None` when no row was usable.
    pub short: Option<Vec<f32>>,
    /// Whole-history taste, unit norm, before the collaborative blend.
    pub long: Option<Vec<f32>>,
    /// Genre → share of the short-term weight, highest first; `None` when no genre scored.
    pub genre_prefs: Option<Vec<(String, f64)>>,
    /// Items the user rejected, sorted, unique.
    pub negatives: Vec<ItemId>,
    /// Items whose rows fed the vectors, unique, newest first (input to neighbour search).
    pub used_items: Vec<ItemId>,
}

/// Computes the short and long vectors, genre preferences and negatives.
///
/// Negative rows only mark negatives. Rows without a usable vector (missing, empty, or a
/// different length than the newest usable one) are skipped. Each remaining row weighs
/// `event_weight(event, weight)` (all 1 when every weight is 0); short additionally decays by
/// `0.5^(i/half_life)` with i = 0 the newest used row; long is the weighted mean.
pub fn compute_profile(rows: &[HistoryRow], settings: &ProfileSettings) -> ProfileVectors {
    let mut negatives = BTreeSet::new();
    let mut used: Vec<(&HistoryRow, &[f32], f64)> = Vec::new();
    for row in rows {
        if is_negative(&row.event_type) {
            negatives.insert(row.item_id);
            continue;
        }
        let Some(vector) = row.vector.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        if used
            .first()
            .is_some_and(|(_, first, _)| first.len() != vector.len())
        {
            continue;
        }
        used.push((row, vector, event_weight(&row.event_type, row.weight)));
    }
    let negatives: Vec<ItemId> = negatives.into_iter().collect();
    let Some(dim) = used.first().map(|(_, v, _)| v.len()) else {
        return ProfileVectors {
            negatives,
            ..ProfileVectors::default()
        };
    };

    let mut weights: Vec<f64> = used.iter().map(|(_, _, w)| *w).collect();
    if weights.iter().all(|w| *w == 0.0) {
        weights.fill(1.0);
    }
    let half_life = settings.effective_half_life();
    let decay = normalise_sum(
        (0..used.len())
            .map(|i| 0.5f64.powf(i as f64 / half_life))
            .collect(),
    );
    let mut short_w: Vec<f64> = decay.iter().zip(&weights).map(|(d, w)| d * w).collect();
    if short_w.iter().all(|s| *s == 0.0) {
        short_w = decay;
    }
    let short_w = normalise_sum(short_w);

    let vectors: Vec<&[f32]> = used.iter().map(|(_, v, _)| *v).collect();
    let short = weighted_sum(&vectors, &short_w, dim);
    let total: f64 = weights.iter().sum();
    let long: Vec<f32> = weighted_sum(&vectors, &weights, dim)
        .into_iter()
        .map(|x| (f64::from(x) / total) as f32)
        .collect();

    let mut used_items = Vec::new();
    let mut seen = HashSet::new();
    for (row, _, _) in &used {
        if seen.insert(row.item_id) {
            used_items.push(row.item_id);
        }
    }
    ProfileVectors {
        short: Some(normalized(&short)),
        long: Some(normalized(&long)),
        genre_prefs: genre_shares(used.iter().map(|(row, _, _)| *row), &short_w),
        negatives,
        used_items,
    }
}

/// Divides by the sum (plus 1e-8, as the original, so an all-zero list stays zero).
fn normalise_sum(values: Vec<f64>) -> Vec<f64> {
    let total: f64 = values.iter().sum::<f64>() + 1e-8;
    values.into_iter().map(|v| v / total).collect()
}

/// `Σ wᵢ·vᵢ`, accumulated in f64.
fn weighted_sum(vectors: &[&[f32]], weights: &[f64], dim: usize) -> Vec<f32> {
    let mut acc = vec![0.0f64; dim];
    for (v, w) in vectors.iter().zip(weights) {
        for (a, x) in acc.iter_mut().zip(v.iter()) {
            *a += w * f64::from(*x);
        }
    }
    acc.into_iter().map(|x| x as f32).collect()
}

/// Each genre's share of the short-term weights of the rows carrying it, highest first
/// (ties keep first-seen order).
fn genre_shares<'a>(
    rows: impl Iterator<Item = &'a HistoryRow>,
    short_w: &[f64],
) -> Option<Vec<(String, f64)>> {
    let mut order: Vec<String> = Vec::new();
    let mut sums: HashMap<String, f64> = HashMap::new();
    for (row, s) in rows.zip(short_w).filter(|(_, s)| **s > 0.0) {
        for genre in row.genres.iter().filter(|g| !g.is_empty()) {
            let sum = sums.entry(genre.clone()).or_insert_with(|| {
                order.push(genre.clone());
                0.0
            });
            *sum += s;
        }
    }
    let total: f64 = sums.values().sum();
    if total <= 0.0 {
        return None;
    }
    let mut shares: Vec<(String, f64)> = order
        .into_iter()
        .map(|g| {
            let v = sums[&g] / total;
            (g, v)
        })
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    Some(shares)
}

/// Ranks other users by their overlap with this user's items, best first, at most `top`.
///
/// Each row is `(user_id, weight, event_type)` of another user's history on one of
/// `used_items`. A user's overlap is the sum of `max(0, weight or 1)`; ties keep first-seen
/// order. Differences from the original (spec §10.26): negative events do not count as
/// overlap, weights are clamped at 0 (the original summed raw weights, so rejecting the same
/// titles made users neighbours), and users whose overlap sums to 0 or whose id is blank
/// are dropped.
pub fn rank_neighbours(
    overlap_rows: &[(String, Option<i32>, String)],
    top: usize,
) -> Vec<(String, f64)> {
    let mut order: Vec<&str> = Vec::new();
    let mut sums: HashMap<&str, f64> = HashMap::new();
    for (user_id, weight, event_type) in overlap_rows {
        let user_id = user_id.trim();
        if user_id.is_empty() || is_negative(event_type) {
            continue;
        }
        let sum = sums.entry(user_id).or_insert_with(|| {
            order.push(user_id);
            0.0
        });
        *sum += f64::from(weight.unwrap_or(1).max(0));
    }
    let mut ranked: Vec<(String, f64)> = order
        .into_iter()
        .map(|u| (u.to_owned(), sums[u]))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(top);
    ranked
}

/// Blends the neighbours' long vectors into the user's long vector.
///
/// `collab` is the mean of the neighbours' vectors weighted by overlap (non-positive weights
/// and vectors of another length are ignored). With a collab direction the result is
/// `Normalise(0.7·Normalise(long) + 0.3·Normalise(collab))`, or `Normalise(collab)` when
/// there is no long vector; without one it is `long` normalised. Difference from the
/// original (spec §10.27): `long` is normalised before the blend, so the neighbours'
/// share really is 30%.
pub fn blend_collaborative(
    long: Option<&[f32]>,
    neighbour_long_vecs: &[(Vec<f32>, f64)],
) -> Option<Vec<f32>> {
    let dim = long
        .map(<[f32]>::len)
        .or_else(|| neighbour_long_vecs.first().map(|(v, _)| v.len()));
    let usable: Vec<(&[f32], f64)> = neighbour_long_vecs
        .iter()
        .filter(|(v, w)| Some(v.len()) == dim && !v.is_empty() && w.is_finite() && *w > 0.0)
        .map(|(v, w)| (v.as_slice(), *w))
        .collect();
    let collab = dim.filter(|_| !usable.is_empty()).and_then(|dim| {
        let (vecs, weights): (Vec<&[f32]>, Vec<f64>) = usable.into_iter().unzip();
        unit(&weighted_sum(&vecs, &weights, dim))
    });
    match (long, collab) {
        (Some(long), Some(collab)) => {
            let own = normalized(long);
            let mixed: Vec<f32> = own
                .iter()
                .zip(&collab)
                .map(|(a, c)| OWN_SHARE * a + (1.0 - OWN_SHARE) * c)
                .collect();
            Some(normalized(&mixed))
        }
        (None, Some(collab)) => Some(collab),
        (Some(long), None) => Some(normalized(long)),
        (None, None) => None,
    }
}

/// History-based exclusions for `/recommend` (spec §4.1): every item the user has an event
/// for (first-seen order) and the sorted unique negatives. Watchlist entries are not
/// viewings, so a title that is only on the watchlist stays recommendable.
///
/// Difference from the original (spec §10.8): callers apply this to every user with
/// history, including users whose vectors are NULL, so a rejected title stays hidden.
pub fn exclusions(history: &[(ItemId, String)]) -> (Vec<ItemId>, Vec<ItemId>) {
    let mut seen = HashSet::new();
    let exclude = history
        .iter()
        .filter(|(_, event)| !is_watchlist(event))
        .map(|(id, _)| *id)
        .filter(|id| seen.insert(*id))
        .collect();
    let negatives: BTreeSet<ItemId> = history
        .iter()
        .filter(|(_, event)| is_negative(event))
        .map(|(id, _)| *id)
        .collect();
    (exclude, negatives.into_iter().collect())
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
