//! Grouping texts into forward passes.
//!
//! The encoder lays the texts of a pass end to end without padding (see `bert.rs`), so a pass
//! costs its real tokens and nothing is gained by sorting texts by length. Passes are cut by a
//! token budget, as TEI does, rather than a fixed count: short texts travel in big batches and
//! long texts in small ones, which bounds memory (the largest activation is
//! `tokens × 1536` floats) while keeping the matrix products large enough to run efficiently.

/// Limits of one forward pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// Most word-pieces (summed over the texts) in one pass.
    pub max_tokens: usize,
    /// Most texts in one pass, however short.
    pub max_rows: usize,
}

impl Default for BatchLimits {
    /// Measured on 2 cores (see `notes/embed-perf.md`): throughput is flat from ~1,000 tokens
    /// up, so this is about 32 overview-sized texts.
    fn default() -> Self {
        BatchLimits {
            max_tokens: 2_048,
            max_rows: 128,
        }
    }
}

/// Splits `0..lengths.len()` into consecutive batches within `limits`.
///
/// Every index appears exactly once, in order. A text longer than the budget still gets a
/// batch of its own.
pub fn plan_batches(lengths: &[usize], limits: BatchLimits) -> Vec<std::ops::Range<usize>> {
    let max_rows = limits.max_rows.max(1);
    let mut batches = Vec::new();
    let mut start = 0;
    let mut tokens = 0;
    for (i, &len) in lengths.iter().enumerate() {
        let full = i - start == max_rows || tokens + len > limits.max_tokens;
        if i > start && full {
            batches.push(start..i);
            start = i;
            tokens = 0;
        }
        tokens += len;
    }
    if start < lengths.len() {
        batches.push(start..lengths.len());
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
    fn the_token_budget_cuts_batches() {
        // 10 + 20 + 10 fills 40; 5 + 36 would overflow it.
        let plan = plan_batches(&[10, 20, 10, 5, 36], limits(40, 64));
        assert_eq!(plan, vec![0..3, 3..4, 4..5]);
    }

    #[test]
    fn long_texts_travel_in_smaller_batches_than_short_ones() {
        let mut lengths = vec![200; 4];
        lengths.extend([20; 20]);
        let plan = plan_batches(&lengths, limits(400, 64));
        assert_eq!(plan[0].len(), 2);
        assert_eq!(plan.last().map(|r| r.len()), Some(20));
    }

    #[test]
    fn the_row_cap_holds_for_tiny_texts() {
        let plan = plan_batches(&[3; 10], limits(10_000, 4));
        assert_eq!(plan, vec![0..4, 4..8, 8..10]);
    }

    #[test]
    fn a_text_longer_than_the_budget_gets_its_own_batch() {
        let plan = plan_batches(&[8, 256, 8], limits(100, 64));
        assert_eq!(plan, vec![0..1, 1..2, 2..3]);
    }

    #[test]
    fn batches_cover_every_index_once_in_order() {
        let lengths: Vec<usize> = (0..97).map(|i| (i * 37) % 120 + 2).collect();
        let seen: Vec<usize> = plan_batches(&lengths, limits(500, 16))
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(seen, (0..97).collect::<Vec<_>>());
    }

    #[test]
    fn no_input_means_no_batches() {
        assert!(plan_batches(&[], BatchLimits::default()).is_empty());
    }
}
