//! Grouping texts into forward passes.
//!
//! A padded batch costs `rows × longest row` tokens, so mixing a 20-token text with a 250-token
//! one wastes most of the pass. Like sentence-transformers we sort by length (longest first) and
//! then, like TEI, cut batches by a padded-token budget rather than a fixed count: short texts
//! travel in big batches, long texts in small ones.

/// Limits of one forward pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// Most padded tokens (rows × longest row) in one pass.
    pub max_tokens: usize,
    /// Most texts in one pass, however short.
    pub max_rows: usize,
}

impl Default for BatchLimits {
    /// Tuned on 2 cores (see `notes/embed-perf.md`): 32 overview-sized texts of ~75 tokens fill
    /// the budget.
    fn default() -> Self {
        BatchLimits {
            max_tokens: 2_400,
            max_rows: 64,
        }
    }
}

/// Splits text indices into batches: longest first, each batch within `limits`.
///
/// Every index of `lengths` appears exactly once. A text longer than the budget still gets a
/// batch of its own.
pub fn plan_batches(lengths: &[usize], limits: BatchLimits) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    // Stable sort: equal lengths keep input order, so plans are deterministic.
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    let max_rows = limits.max_rows.max(1);
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut longest = 0;
    for i in order {
        // Sorted longest first, so the first row of a batch sets its padded width.
        let width = if current.is_empty() { lengths[i] } else { longest };
        let fits = current.len() < max_rows && (current.len() + 1) * width <= limits.max_tokens;
        if !current.is_empty() && !fits {
            batches.push(std::mem::take(&mut current));
        }
        if current.is_empty() {
            longest = lengths[i];
        }
        current.push(i);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_tokens: usize, max_rows: usize) -> BatchLimits {
        BatchLimits {
            max_tokens,
            max_rows,
        }
    }

    #[test]
    fn batches_are_sorted_longest_first() {
        let plan = plan_batches(&[5, 50, 20], limits(1_000, 10));
        assert_eq!(plan, vec![vec![1, 2, 0]]);
    }

    #[test]
    fn the_padded_token_budget_cuts_batches() {
        // 4 rows of 10 padded tokens fit in 40; the fifth row starts a new batch.
        let plan = plan_batches(&[10; 5], limits(40, 64));
        assert_eq!(plan, vec![vec![0, 1, 2, 3], vec![4]]);
    }

    #[test]
    fn long_texts_travel_in_smaller_batches_than_short_ones() {
        let mut lengths = vec![200; 4];
        lengths.extend([20; 20]);
        let plan = plan_batches(&lengths, limits(400, 64));
        assert_eq!(plan[0].len(), 2);
        assert_eq!(plan.last().map(Vec::len), Some(20));
    }

    #[test]
    fn the_row_cap_holds_for_tiny_texts() {
        let plan = plan_batches(&[3; 10], limits(10_000, 4));
        assert_eq!(plan.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 4, 2]);
    }

    #[test]
    fn a_text_longer_than_the_budget_gets_its_own_batch() {
        let plan = plan_batches(&[256, 8], limits(100, 64));
        assert_eq!(plan, vec![vec![0], vec![1]]);
    }

    #[test]
    fn every_index_appears_exactly_once() {
        let lengths: Vec<usize> = (0..97).map(|i| (i * 37) % 120 + 2).collect();
        let mut seen: Vec<usize> = plan_batches(&lengths, limits(500, 16))
            .into_iter()
            .flatten()
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..97).collect::<Vec<_>>());
    }

    #[test]
    fn no_input_means_no_batches() {
        assert!(plan_batches(&[], BatchLimits::default()).is_empty());
    }
}
