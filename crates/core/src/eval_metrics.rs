//! Offline ranking metrics (`seenemall eval`): NDCG@k, Recall@k, hit rate@k per user, averaged
//! over users, and catalog coverage@k over all users' lists.
//!
//! Binary relevance. NDCG@k divides the DCG of the top k by the ideal DCG of
//! `min(k, |relevant|)` hits; Recall@k divides the hits in the top k by `|relevant|`; HR@k is 1
//! when the top k holds any relevant title. Coverage@k is the number of distinct titles in all
//! users' top k over the number of titles that could be ranked.

use crate::item::ItemId;
use serde::Serialize;
use std::collections::HashSet;

/// The metrics of one ranking, averaged over users.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RankingMetrics {
    /// Users averaged over.
    pub users: usize,
    /// Mean NDCG@10.
    pub ndcg_at_10: f64,
    /// Mean Recall@10.
    pub recall_at_10: f64,
    /// Mean Recall@20.
    pub recall_at_20: f64,
    /// Mean hit rate@10.
    pub hit_rate_at_10: f64,
    /// Distinct titles in all top-10 lists / titles that could be ranked.
    pub coverage_at_10: f64,
}

/// NDCG@k of one ranked list.
pub fn ndcg_at(ranked: &[ItemId], relevant: &HashSet<ItemId>, k: usize) -> f64 {
    let gain = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, id)| relevant.contains(id))
        .map(|(i, _)| gain(i))
        .sum();
    let ideal: f64 = (0..k.min(relevant.len())).map(gain).sum();
    if ideal == 0.0 { 0.0 } else { dcg / ideal }
}

/// Recall@k of one ranked list (0 when nothing is relevant).
pub fn recall_at(ranked: &[ItemId], relevant: &HashSet<ItemId>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    hits(ranked, relevant, k) as f64 / relevant.len() as f64
}

/// 1 when the top k holds a relevant title, else 0.
pub fn hit_at(ranked: &[ItemId], relevant: &HashSet<ItemId>, k: usize) -> f64 {
    if hits(ranked, relevant, k) > 0 {
        1.0
    } else {
        0.0
    }
}

fn hits(ranked: &[ItemId], relevant: &HashSet<ItemId>, k: usize) -> usize {
    ranked
        .iter()
        .take(k)
        .filter(|id| relevant.contains(id))
        .count()
}

/// Sums the per-user metrics of one ranking and the titles its top-10 lists reach.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccumulator {
    users: usize,
    ndcg_at_10: f64,
    recall_at_10: f64,
    recall_at_20: f64,
    hit_rate_at_10: f64,
    top_10_titles: HashSet<ItemId>,
}

impl MetricsAccumulator {
    /// Adds one user's ranked list (best first) and relevant titles.
    pub fn add(&mut self, ranked: &[ItemId], relevant: &HashSet<ItemId>) {
        self.users += 1;
        self.ndcg_at_10 += ndcg_at(ranked, relevant, 10);
        self.recall_at_10 += recall_at(ranked, relevant, 10);
        self.recall_at_20 += recall_at(ranked, relevant, 20);
        self.hit_rate_at_10 += hit_at(ranked, relevant, 10);
        self.top_10_titles.extend(ranked.iter().take(10));
    }

    /// The means, with coverage over `rankable` titles.
    pub fn finish(&self, rankable: usize) -> RankingMetrics {
        let mean = |sum: f64| {
            if self.users == 0 {
                0.0
            } else {
                sum / self.users as f64
            }
        };
        RankingMetrics {
            users: self.users,
            ndcg_at_10: mean(self.ndcg_at_10),
            recall_at_10: mean(self.recall_at_10),
            recall_at_20: mean(self.recall_at_20),
            hit_rate_at_10: mean(self.hit_rate_at_10),
            coverage_at_10: if rankable == 0 {
                0.0
            } else {
                self.top_10_titles.len() as f64 / rankable as f64
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[ItemId]) -> HashSet<ItemId> {
        ids.iter().copied().collect()
    }

    #[test]
    fn a_perfect_list_has_ndcg_one_and_an_empty_one_zero() {
        let relevant = set(&[1, 2]);
        assert!((ndcg_at(&[1, 2, 3], &relevant, 10) - 1.0).abs() < 1e-12);
        assert!((ndcg_at(&[2, 1], &relevant, 10) - 1.0).abs() < 1e-12);
        assert_eq!(ndcg_at(&[], &relevant, 10), 0.0);
        assert_eq!(ndcg_at(&[1], &set(&[]), 10), 0.0);
    }

    #[test]
    fn ndcg_discounts_a_hit_by_its_position() {
        // One relevant title at rank 3: DCG = 1/log2(4) = 0.5, ideal = 1.
        assert!((ndcg_at(&[7, 8, 1], &set(&[1]), 10) - 0.5).abs() < 1e-12);
        // Two relevant, one hit at rank 1: 1 / (1 + 1/log2(3)).
        let expected = 1.0 / (1.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(&[1, 9], &set(&[1, 2]), 10) - expected).abs() < 1e-12);
        assert_eq!(ndcg_at(&[7, 8, 1], &set(&[1]), 2), 0.0);
    }

    #[test]
    fn recall_counts_hits_in_the_cut_over_all_relevant() {
        let relevant = set(&[1, 2, 3, 4]);
        assert_eq!(recall_at(&[1, 9, 2, 3], &relevant, 3), 0.5);
        assert_eq!(recall_at(&[1, 9, 2, 3], &relevant, 20), 0.75);
        assert_eq!(hit_at(&[9, 9, 1], &relevant, 2), 0.0);
        assert_eq!(hit_at(&[9, 9, 1], &relevant, 3), 1.0);
    }

    #[test]
    fn the_accumulator_averages_users_and_counts_distinct_top_titles() {
        let mut acc = MetricsAccumulator::default();
        acc.add(&[1, 2], &set(&[1]));
        acc.add(&[1, 3], &set(&[5]));

        let m = acc.finish(100);

        assert_eq!(m.users, 2);
        assert!((m.ndcg_at_10 - 0.5).abs() < 1e-12);
        assert_eq!(m.hit_rate_at_10, 0.5);
        assert_eq!(m.recall_at_20, 0.5);
        assert!((m.coverage_at_10 - 0.03).abs() < 1e-12);
    }
}
