//! How many candidates each retrieval stage asks for, derived from the page size.
//!
//! Every pool size grows with `limit` so that filtering, the franchise cap and MMR still
//! have enough to choose from, and every one is capped so a `limit=100` request stays
//! cheap (spec §4.6, §4.7, §4.15).

/// Largest candidate pool any request may ask for.
pub const MAX_CANDIDATE_LIMIT: usize = 500;

/// Size of the retrieval pool: `min(500, 3·limit)`, or `min(500, 5·limit)` when the intent
/// has filters (filters throw candidates away later, so we fetch more up front).
///
/// Pinned: limit 3 → 9; limit 20 → 60, or 100 with filters.
pub fn candidate_limit(limit: usize, has_filters: bool) -> usize {
    let base = MAX_CANDIDATE_LIMIT.min(limit.max(limit.saturating_mul(3)));
    if has_filters {
        MAX_CANDIDATE_LIMIT.min(base.max(limit.saturating_mul(5)))
    } else {
        base
    }
}

/// Most prefilter matches a request naming titles keeps ([`PrefilterSizing::seeded`]).
pub const SEEDED_FETCH_LIMIT: usize = 2000;

/// Sizes used by the genre/provider prefilter (spec §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefilterSizing {
    /// A prefilter run with at least this many ids becomes the allowlist:
    /// `max(10, candidate_limit / 2)`.
    pub threshold: usize,
    /// `LIMIT` of the prefilter query: `5·candidate_limit`.
    pub fetch_limit: usize,
    /// Most strict matches promoted as soft boosts: `max(5, min(candidate_limit, 15))`.
    pub boost_cap: usize,
}

impl PrefilterSizing {
    /// Sizes for a request whose pool is `candidate_limit`.
    pub fn for_limit(candidate_limit: usize) -> Self {
        PrefilterSizing {
            threshold: (candidate_limit / 2).max(10),
            fetch_limit: candidate_limit.saturating_mul(5),
            boost_cap: candidate_limit.clamp(5, 15),
        }
    }

    /// Sizes for a request naming titles ("shows like Breaking Bad"): the allowlist reaches
    /// [`SEEDED_FETCH_LIMIT`] matches, so the seeds' close neighbours are not cut off for
    /// being less known than the filter's best-known titles (at `limit=5` the 125 best-known
    /// series left out The Wire).
    pub fn seeded(self) -> Self {
        PrefilterSizing {
            fetch_limit: self.fetch_limit.max(SEEDED_FETCH_LIMIT),
            ..self
        }
    }

    /// True when a prefilter run returned enough ids to restrict retrieval to them.
    pub fn is_dense(&self, matched: usize) -> bool {
        matched >= self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_is_three_times_the_page_without_filters() {
        assert_eq!(candidate_limit(3, false), 9);
        assert_eq!(candidate_limit(20, false), 60);
    }

    #[test]
    fn filters_widen_the_pool_to_five_times_the_page() {
        assert_eq!(candidate_limit(20, true), 100);
        assert_eq!(candidate_limit(3, true), 15);
    }

    #[test]
    fn the_pool_never_exceeds_five_hundred() {
        assert_eq!(candidate_limit(100, true), 500);
        assert_eq!(candidate_limit(200, false), 500);
        assert_eq!(candidate_limit(usize::MAX, true), 500);
    }

    #[test]
    fn prefilter_sizes_follow_the_pool() {
        let small = PrefilterSizing::for_limit(9);
        assert_eq!(
            (small.threshold, small.fetch_limit, small.boost_cap),
            (10, 45, 9)
        );
        let large = PrefilterSizing::for_limit(100);
        assert_eq!(
            (large.threshold, large.fetch_limit, large.boost_cap),
            (50, 500, 15)
        );
        let tiny = PrefilterSizing::for_limit(3);
        assert_eq!(tiny.boost_cap, 5);
    }

    #[test]
    fn a_seeded_request_keeps_more_matches_and_the_same_boosts() {
        let plain = PrefilterSizing::for_limit(25);
        let seeded = plain.seeded();
        assert_eq!(seeded.fetch_limit, SEEDED_FETCH_LIMIT);
        assert_eq!(
            (seeded.threshold, seeded.boost_cap),
            (plain.threshold, plain.boost_cap)
        );
        let huge = PrefilterSizing {
            fetch_limit: 5000,
            ..plain
        };
        assert_eq!(huge.seeded().fetch_limit, 5000);
    }

    #[test]
    fn a_run_is_dense_from_the_threshold_on() {
        let sizing = PrefilterSizing::for_limit(60);
        assert!(!sizing.is_dense(29));
        assert!(sizing.is_dense(30));
    }
}
