//! Serendipity slot (spec §4.20): make sure the top of the list holds a few long-tail
//! titles, i.e. titles that ranked at or beyond `limit` before diversification.
//!
//! Displaced titles are not lost: they move right after the top section, so the list can
//! end up longer than `limit`.

use crate::candidate::Candidate;
use crate::item::ItemId;
use std::collections::HashSet;

/// `SERENDIPITY_RATIO`, resolved: 0 means off, otherwise within [`Self::MIN`, `Self::MAX`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SerendipitySettings {
    /// Share of the top `limit` reserved for long-tail titles.
    pub ratio: f64,
}

impl SerendipitySettings {
    /// Smallest share of long-tail titles when the feature is on.
    pub const MIN: f64 = 0.1;
    /// Largest share of long-tail titles.
    pub const MAX: f64 = 0.2;

    /// Clamps a raw ratio: ≤ 0 turns the feature off, anything else lands in
    /// [0.1, 0.2]. A non-finite value falls back to the default.
    pub fn new(raw_ratio: f64) -> Self {
        let ratio = if raw_ratio.is_nan() {
            Self::default().ratio
        } else if raw_ratio <= 0.0 {
            0.0
        } else {
            raw_ratio.clamp(Self::MIN, Self::MAX)
        };
        SerendipitySettings { ratio }
    }

    /// True when the slot is on.
    pub fn enabled(&self) -> bool {
        self.ratio > 0.0
    }
}

impl Default for SerendipitySettings {
    fn default() -> Self {
        SerendipitySettings { ratio: 0.15 }
    }
}

/// How many long-tail titles the top `limit` should hold. Uses Python's
/// round-half-even, so with 0.15: 10 → 2, 25 → 4, 30 → 4, 50 → 8, 100 → 15.
pub fn target(limit: usize, ratio: f64) -> usize {
    if ratio <= 0.0 || ratio.is_nan() || limit <= 2 {
        return 0;
    }
    // `as usize` saturates; the product is small and non-negative here.
    let rounded = (limit as f64 * ratio).round_ties_even() as usize;
    rounded.max(1).min(limit)
}

/// A title is long-tail when it ranked at or beyond `limit` before diversification.
pub fn is_long_tail(cand: &Candidate, limit: usize) -> bool {
    cand.original_rank >= limit
}

/// Swaps long-tail titles from `pool` (the pre-MMR list) into the last short-tail slots
/// of the top `limit` of `current`, until the top holds `target` long-tail titles.
pub fn apply(
    current: Vec<Candidate>,
    pool: &[Candidate],
    limit: usize,
    settings: &SerendipitySettings,
) -> Vec<Candidate> {
    let want = target(limit, settings.ratio);
    if current.is_empty() || limit == 0 || !settings.enabled() || want == 0 {
        return current;
    }
    let mut top: Vec<Candidate> = current[..limit.min(current.len())].to_vec();
    let existing = top.iter().filter(|c| is_long_tail(c, limit)).count();
    if existing >= want {
        return current;
    }
    let short_positions: Vec<usize> = (0..top.len())
        .filter(|&i| !is_long_tail(&top[i], limit))
        .collect();
    if short_positions.is_empty() {
        return current;
    }
    let top_ids: HashSet<ItemId> = top.iter().map(|c| c.item.id).collect();
    let mut pool_ids = HashSet::new();
    let replacements: Vec<&Candidate> = pool
        .iter()
        .filter(|c| !top_ids.contains(&c.item.id) && is_long_tail(c, limit))
        .filter(|c| pool_ids.insert(c.item.id))
        .collect();
    if replacements.is_empty() {
        return current;
    }
    let needed = (want - existing).min(replacements.len());
    let slots = &short_positions[short_positions.len().saturating_sub(needed)..];
    for (slot, replacement) in slots.iter().zip(replacements) {
        top[*slot] = replacement.clone();
    }
    let mut seen = HashSet::new();
    top.into_iter()
        .chain(current)
        .filter(|c| seen.insert(c.item.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, MediaType};

    fn cand(id: i32, rank: usize) -> Candidate {
        Candidate::new(Item::bare(id, MediaType::Movie, "t"), None, rank)
    }

    fn ids(cands: &[Candidate]) -> Vec<i32> {
        cands.iter().map(|c| c.item.id).collect()
    }

    #[test]
    fn the_target_rounds_half_to_even_like_python() {
        let got: Vec<usize> = [10, 25, 30, 50, 100]
            .iter()
            .map(|&l| target(l, 0.15))
            .collect();
        assert_eq!(got, vec![2, 4, 4, 8, 15]);
    }

    #[test]
    fn a_zero_ratio_gives_a_zero_target() {
        assert_eq!(target(10, 0.0), 0);
        assert_eq!(SerendipitySettings::new(0.0).ratio, 0.0);
    }

    #[test]
    fn small_limits_get_no_serendipity() {
        assert_eq!(target(2, 0.2), 0);
        assert_eq!(target(3, 0.2), 1);
    }

    #[test]
    fn the_ratio_is_clamped_to_the_allowed_band() {
        assert_eq!(SerendipitySettings::new(0.5).ratio, 0.2);
        assert_eq!(SerendipitySettings::new(0.01).ratio, 0.1);
        assert_eq!(SerendipitySettings::new(-1.0).ratio, 0.0);
    }

    #[test]
    fn long_tail_means_ranked_at_or_beyond_the_limit() {
        assert!(is_long_tail(&cand(1, 5), 5));
        assert!(!is_long_tail(&cand(1, 4), 5));
    }

    #[test]
    fn a_pool_item_replaces_the_last_short_tail_slot() {
        let current = vec![cand(1, 0), cand(2, 1), cand(3, 2)];
        let pool = vec![cand(5, 5), cand(6, 6)];
        let out = apply(current, &pool, 3, &SerendipitySettings::new(0.2));
        assert_eq!(ids(&out), vec![1, 2, 5, 3]);
    }

    #[test]
    fn a_limit_of_one_leaves_the_list_unchanged() {
        let current = vec![cand(1, 5)];
        let pool = vec![cand(1, 5)];
        let out = apply(current, &pool, 1, &SerendipitySettings::new(0.2));
        assert_eq!(ids(&out), vec![1]);
    }

    #[test]
    fn the_top_six_of_ten_holds_the_target_number_of_long_tail_items() {
        let current: Vec<Candidate> = (0..10).map(|i| cand(i as i32 + 1, i)).collect();
        let pool = current.clone();
        let settings = SerendipitySettings::default();
        let out = apply(current, &pool, 6, &settings);
        let long_tail = out[..6].iter().filter(|c| is_long_tail(c, 6)).count();
        assert!(long_tail >= target(6, settings.ratio));
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn enough_long_tail_items_already_means_no_change() {
        let current = vec![cand(1, 0), cand(2, 7), cand(3, 2)];
        let pool = vec![cand(5, 5)];
        let out = apply(current, &pool, 3, &SerendipitySettings::new(0.2));
        assert_eq!(ids(&out), vec![1, 2, 3]);
    }

    #[test]
    fn pool_items_already_in_the_top_are_not_used_twice() {
        let current = vec![cand(1, 0), cand(2, 1), cand(3, 2), cand(9, 9)];
        let pool = vec![cand(9, 9), cand(9, 9), cand(1, 0)];
        let out = apply(current, &pool, 3, &SerendipitySettings::new(0.2));
        assert_eq!(ids(&out), vec![1, 2, 9, 3]);
    }
}
