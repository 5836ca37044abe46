//! Maximal marginal relevance (spec §4.19): re-order the head of the list so that each
//! pick trades relevance (`1/(1+original_rank)`) against similarity to the picks so far.
//!
//! The original's algorithm picks one window of `limit` items and drops the rest. That broke
//! pagination (§10.2), so [`diversify_all`] applies the same window again and again to the
//! remaining items until the whole list is ordered; page `n` of the cached list is then
//! exactly the MMR pick for that window, and no title repeats across pages.
//!
//! Items are told apart by index, not id (the original used object identity).

use crate::candidate::Candidate;
use crate::vector::{dot, unit};

/// `MMR_*` settings (§8), already clamped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmrSettings {
    /// `MMR_LAMBDA`: 1 is pure relevance, 0 pure diversity. Within [0, 1].
    pub lambda: f64,
    /// `MMR_POOL_MULTIPLIER`: the pool is at least `limit × multiplier`. At least 1.
    pub pool_multiplier: usize,
    /// `MMR_POOL_MIN`: the pool is at least this big (0 = no minimum).
    pub pool_min: usize,
    /// `MMR_POOL_MAX`: the pool is at most this big (`None` = no maximum).
    pub pool_max: Option<usize>,
}

impl Default for MmrSettings {
    fn default() -> Self {
        MmrSettings {
            lambda: 0.7,
            pool_multiplier: 3,
            pool_min: 25,
            pool_max: None,
        }
    }
}

impl MmrSettings {
    /// Builds settings from raw values: λ clamped to [0, 1] (NaN → 0.7), multiplier ≥ 1,
    /// minimum ≥ 0, and a maximum ≤ 0 meaning "none".
    pub fn new(lambda: f64, pool_multiplier: i64, pool_min: i64, pool_max: Option<i64>) -> Self {
        MmrSettings {
            lambda: clamp_lambda(lambda),
            pool_multiplier: usize::try_from(pool_multiplier.max(1)).unwrap_or(1),
            pool_min: usize::try_from(pool_min).unwrap_or(0),
            pool_max: pool_max
                .filter(|&m| m > 0)
                .and_then(|m| usize::try_from(m).ok()),
        }
    }

    /// How many head items MMR considers for `k` picks out of `n`.
    pub fn pool_size(&self, k: usize, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let baseline = k.min(n).max(1);
        let mut pool = baseline;
        if self.pool_multiplier > 1 {
            pool = pool.max(baseline.saturating_mul(self.pool_multiplier));
        }
        if self.pool_min > 0 {
            pool = pool.max(self.pool_min);
        }
        if let Some(max) = self.pool_max {
            pool = pool.min(max);
        }
        pool.min(n).max(1)
    }
}

fn clamp_lambda(lambda: f64) -> f64 {
    if lambda.is_nan() {
        MmrSettings::default().lambda
    } else {
        lambda.clamp(0.0, 1.0)
    }
}

/// Orders the whole list by MMR, one window of `page_size` at a time: each window picks
/// `page_size` items from a pool of the remaining ones, exactly as the original's MMR picked
/// its one window.
/// A `page_size` of 0 orders everything as one window.
pub fn diversify_all(
    cands: Vec<Candidate>,
    page_size: usize,
    settings: &MmrSettings,
) -> Vec<Candidate> {
    let units: Vec<Option<Vec<f32>>> = cands.iter().map(unit_of).collect();
    let mut remaining: Vec<usize> = (0..cands.len()).collect();
    let mut order = Vec::with_capacity(cands.len());
    while !remaining.is_empty() {
        let picked = pick_window(&remaining, &cands, &units, page_size, settings);
        let mut taken = vec![false; cands.len()];
        for &i in &picked {
            taken[i] = true;
        }
        remaining.retain(|&i| !taken[i]);
        order.extend(picked);
    }
    split_out(cands, &order).0
}

fn unit_of(c: &Candidate) -> Option<Vec<f32>> {
    c.vector.as_deref().and_then(unit)
}

/// Moves the `picked` indices (in that order) out of `cands`; the rest keep input order.
fn split_out(cands: Vec<Candidate>, picked: &[usize]) -> (Vec<Candidate>, Vec<Candidate>) {
    let mut slots: Vec<Option<Candidate>> = cands.into_iter().map(Some).collect();
    let chosen = picked.iter().filter_map(|&i| slots[i].take()).collect();
    (chosen, slots.into_iter().flatten().collect())
}

/// One MMR window over `order` (indices into `cands`, in list order). Returns the indices
/// of at most `limit` picks.
fn pick_window(
    order: &[usize],
    cands: &[Candidate],
    units: &[Option<Vec<f32>>],
    limit: usize,
    settings: &MmrSettings,
) -> Vec<usize> {
    let n = order.len();
    if n == 0 {
        return Vec::new();
    }
    let k = if limit == 0 { n } else { limit.min(n) };
    let head = &order[..settings.pool_size(k, n)];

    // The first item always leads; its vector, if valid, starts the selected set.
    let mut picked = vec![head[0]];
    let mut picked_any_vector = units[head[0]].is_some();
    // Candidates: (index, relevance, max similarity to the selected vectors so far).
    let mut prepared: Vec<(usize, f64, f64)> = head[1..]
        .iter()
        .filter(|&&i| units[i].is_some())
        .map(|&i| {
            (
                i,
                1.0 / (1.0 + cands[i].original_rank as f64),
                f64::NEG_INFINITY,
            )
        })
        .collect();
    prepared.sort_by_key(|&(i, _, _)| cands[i].original_rank);
    if let Some(first) = &units[head[0]] {
        update_similarity(&mut prepared, units, first);
    }

    while picked.len() < k && !prepared.is_empty() {
        let lambda = settings.lambda;
        let mut best: Option<(usize, f64)> = None;
        for (pos, &(_, relevance, max_sim)) in prepared.iter().enumerate() {
            let similarity = if picked_any_vector { max_sim } else { 0.0 };
            let score = lambda * relevance - (1.0 - lambda) * similarity;
            // Strictly greater: on a tie the earlier candidate wins.
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((pos, score));
            }
        }
        let Some((pos, _)) = best else { break };
        let (chosen, _, _) = prepared.remove(pos);
        picked.push(chosen);
        picked_any_vector = true;
        if let Some(v) = &units[chosen] {
            update_similarity(&mut prepared, units, v);
        }
    }

    // Fill from the whole remaining list, in order (items without vectors, beyond the pool).
    if picked.len() < k {
        let mut in_picked = vec![false; cands.len()];
        for &i in &picked {
            in_picked[i] = true;
        }
        for &i in order {
            if picked.len() >= k {
                break;
            }
            if !in_picked[i] {
                picked.push(i);
            }
        }
    }
    picked.truncate(k);
    picked
}

/// Folds the newly selected vector into each candidate's running max similarity, which
/// equals the original's max over all selected vectors without recomputing it each round.
fn update_similarity(prepared: &mut [(usize, f64, f64)], units: &[Option<Vec<f32>>], v: &[f32]) {
    for (i, _, max_sim) in prepared.iter_mut() {
        if let Some(u) = &units[*i] {
            *max_sim = max_sim.max(f64::from(dot(u, v)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, MediaType};

    fn cand(id: i32, vector: Option<Vec<f32>>) -> Candidate {
        Candidate::new(
            Item::bare(id, MediaType::Movie, "t"),
            vector.map(Into::into),
            id as usize - 1,
        )
    }

    /// The original's MMR, one window (what each window of `diversify_all` picks): the first
    /// `limit` items in MMR order (`limit` 0 means the whole list) and, separately, the items
    /// it left out, in their input order.
    fn diversify(
        cands: Vec<Candidate>,
        limit: usize,
        settings: &MmrSettings,
    ) -> (Vec<Candidate>, Vec<Candidate>) {
        let units: Vec<Option<Vec<f32>>> = cands.iter().map(unit_of).collect();
        let order: Vec<usize> = (0..cands.len()).collect();
        let picked = pick_window(&order, &cands, &units, limit, settings);
        split_out(cands, &picked)
    }

    fn ids(cands: &[Candidate]) -> Vec<i32> {
        cands.iter().map(|c| c.item.id).collect()
    }

    fn settings(lambda: f64) -> MmrSettings {
        MmrSettings::new(lambda, 3, 25, None)
    }

    #[test]
    fn the_pool_is_limit_times_the_multiplier_when_there_is_no_minimum() {
        let s = MmrSettings::new(0.7, 2, 0, None);
        assert_eq!(s.pool_size(5, 40), 10);
    }

    #[test]
    fn the_default_pool_is_at_least_twenty_five_and_at_most_the_list() {
        let s = MmrSettings::default();
        assert_eq!(s.pool_size(5, 40), 25);
        assert_eq!(s.pool_size(20, 100), 60);
        assert_eq!(s.pool_size(5, 12), 12);
    }

    #[test]
    fn the_pool_maximum_caps_the_pool() {
        let s = MmrSettings::new(0.7, 3, 25, Some(8));
        assert_eq!(s.pool_size(5, 40), 8);
        assert_eq!(MmrSettings::new(0.7, 3, 25, Some(0)).pool_max, None);
    }

    #[test]
    fn raw_settings_are_clamped() {
        let s = MmrSettings::new(1.7, 0, -3, Some(-1));
        assert_eq!((s.lambda, s.pool_multiplier, s.pool_min), (1.0, 1, 0));
        assert_eq!(MmrSettings::new(f64::NAN, 3, 25, None).lambda, 0.7);
    }

    #[test]
    fn a_diverse_item_is_kept_among_similar_ones() {
        let cands = vec![
            cand(1, Some(vec![1.0, 0.0])),
            cand(2, Some(vec![0.9, 0.1])),
            cand(3, Some(vec![0.0, 1.0])),
        ];
        let (out, rest) = diversify(cands, 3, &settings(0.6));
        assert_eq!(out.len(), 3);
        assert!(ids(&out).contains(&3));
        assert!(rest.is_empty());
    }

    #[test]
    fn low_lambda_picks_the_dissimilar_item_second() {
        let cands = vec![
            cand(1, Some(vec![1.0, 0.0])),
            cand(2, Some(vec![0.9, 0.1])),
            cand(3, Some(vec![0.0, 1.0])),
        ];
        let (out, _) = diversify(cands, 2, &settings(0.3));
        assert_eq!(ids(&out), vec![1, 3]);
    }

    #[test]
    fn items_without_vectors_are_appended_in_order() {
        let cands = vec![
            cand(1, Some(vec![1.0, 0.0])),
            cand(2, None),
            cand(3, Some(vec![0.0, 1.0])),
            cand(4, None),
        ];
        let (out, _) = diversify(cands, 4, &settings(0.7));
        assert_eq!(ids(&out), vec![1, 3, 2, 4]);
    }

    #[test]
    fn a_first_item_without_a_vector_stays_first() {
        let cands = vec![
            cand(1, None),
            cand(2, Some(vec![1.0, 0.0])),
            cand(3, Some(vec![0.0, 1.0])),
        ];
        let (out, _) = diversify(cands, 3, &settings(0.7));
        assert_eq!(ids(&out)[0], 1);
    }

    #[test]
    fn a_zero_vector_counts_as_no_vector() {
        let cands = vec![
            cand(1, Some(vec![1.0, 0.0])),
            cand(2, Some(vec![0.0, 0.0])),
            cand(3, Some(vec![0.0, 1.0])),
        ];
        let (out, _) = diversify(cands, 3, &settings(0.7));
        assert_eq!(ids(&out), vec![1, 3, 2]);
    }

    #[test]
    fn lambda_one_keeps_the_input_order() {
        let cands = vec![
            cand(1, Some(vec![1.0, 0.0])),
            cand(2, Some(vec![1.0, 0.0])),
            cand(3, Some(vec![0.0, 1.0])),
        ];
        let (out, _) = diversify(cands, 3, &settings(5.0));
        assert_eq!(ids(&out), vec![1, 2, 3]);
    }

    #[test]
    fn diversify_truncates_to_the_limit_and_returns_the_rest_in_order() {
        let cands: Vec<Candidate> = (1..=6).map(|i| cand(i, None)).collect();
        let (out, rest) = diversify(cands, 2, &settings(0.7));
        assert_eq!(ids(&out), vec![1, 2]);
        assert_eq!(ids(&rest), vec![3, 4, 5, 6]);
    }

    #[test]
    fn an_empty_list_gives_an_empty_result() {
        let (out, rest) = diversify(Vec::new(), 5, &settings(0.7));
        assert!(out.is_empty() && rest.is_empty());
        assert!(diversify_all(Vec::new(), 5, &settings(0.7)).is_empty());
    }

    fn spread(n: i32) -> Vec<Candidate> {
        (1..=n)
            .map(|i| {
                let angle = (i % 7) as f32 * 0.4 + (i as f32) * 0.01;
                cand(i, Some(vec![angle.cos(), angle.sin(), 0.3]))
            })
            .collect()
    }

    #[test]
    fn the_first_page_of_diversify_all_equals_diversify() {
        let (page, _) = diversify(spread(40), 5, &settings(0.5));
        let all = diversify_all(spread(40), 5, &settings(0.5));
        assert_eq!(ids(&all[..5]), ids(&page));
    }

    #[test]
    fn diversify_all_keeps_every_item_exactly_once() {
        let all = diversify_all(spread(53), 5, &settings(0.5));
        let mut got = ids(&all);
        got.sort_unstable();
        assert_eq!(got, (1..=53).collect::<Vec<_>>());
    }

    #[test]
    fn each_later_window_is_the_mmr_pick_of_the_remaining_items() {
        let all = diversify_all(spread(30), 5, &settings(0.5));
        let seen: Vec<i32> = ids(&all[..5]);
        let rest: Vec<Candidate> = spread(30)
            .into_iter()
            .filter(|c| !seen.contains(&c.item.id))
            .collect();
        let (second, _) = diversify(rest, 5, &settings(0.5));
        assert_eq!(ids(&all[5..10]), ids(&second));
    }
}
