//! The trending prior: a popularity-based score for query-less requests (spec §4.12).
//!
//! The store returns rows ordered by trending rank, popular rank, popularity and id; this
//! module scores them, keeping that order.

use crate::item::ItemId;

/// One row of the trending query.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendingRow {
    /// The item.
    pub id: ItemId,
    /// Position in TMDB's trending list (1 = first); `None` or ≤ 0 when not listed.
    pub trending_rank: Option<i32>,
    /// Position in TMDB's popular list; `None` or ≤ 0 when not listed.
    pub popular_rank: Option<i32>,
    /// TMDB popularity; `None` (or non-finite) counts as 0.
    pub popularity: Option<f64>,
}

/// Whether a request gets the trending prior: only without a query, and then only for a cold
/// viewer or when retrieval (ANN or cold start, collaborative, prefilter boosts) found
/// something, so an empty result stays empty rather than turning into the charts.
pub fn wanted(has_query: bool, cold: bool, found_any: bool) -> bool {
    !has_query && (cold || found_any)
}

/// `0.7·rank_norm + 0.3·pop_norm` per row, in row order.
///
/// `rank = 1/(1+trending_rank) + 0.5/(1+popular_rank)`, each term only for a positive rank,
/// and each signal is divided by its maximum over the rows (a maximum ≤ 0 divides by 1).
/// Pinned: rows (1, t1, p3, 100), (2, t2, –, 50), (3, –, –, 10) → 1.0, ≈0.523, 0.03.
pub fn trending_scores(rows: &[TrendingRow]) -> Vec<(ItemId, f64)> {
    let rank_scores: Vec<f64> = rows.iter().map(rank_score).collect();
    let pops: Vec<f64> = rows
        .iter()
        .map(|r| r.popularity.filter(|p| p.is_finite()).unwrap_or(0.0))
        .collect();
    let rank_scale = scale(&rank_scores);
    let pop_scale = scale(&pops);
    rows.iter()
        .zip(rank_scores.iter().zip(&pops))
        .map(|(row, (rank, pop))| (row.id, 0.7 * rank / rank_scale + 0.3 * pop / pop_scale))
        .collect()
}

fn rank_score(row: &TrendingRow) -> f64 {
    let term = |rank: Option<i32>, weight: f64| match rank {
        Some(r) if r > 0 => weight / (1.0 + f64::from(r)),
        _ => 0.0,
    };
    term(row.trending_rank, 1.0) + term(row.popular_rank, 0.5)
}

/// The maximum, or 1 when the maximum is not positive (so dividing by it is a no-op).
fn scale(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max > 0.0 { max } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: ItemId, t: Option<i32>, p: Option<i32>, pop: Option<f64>) -> TrendingRow {
        TrendingRow {
            id,
            trending_rank: t,
            popular_rank: p,
            popularity: pop,
        }
    }

    #[test]
    fn the_prior_joins_only_query_less_requests_that_found_something_or_are_cold() {
        assert!(wanted(false, true, false));
        assert!(wanted(false, false, true));
        assert!(!wanted(false, false, false));
        assert!(!wanted(true, true, true));
    }

    #[test]
    fn ranks_and_popularity_blend_seventy_thirty() {
        let rows = vec![
            row(1, Some(1), Some(3), Some(100.0)),
            row(2, Some(2), None, Some(50.0)),
            row(3, None, None, Some(10.0)),
        ];
        let scores = trending_scores(&rows);
        assert_eq!(
            scores.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert!((scores[0].1 - 1.0).abs() < 1e-9);
        assert!((scores[1].1 - 0.523_333).abs() < 1e-5);
        assert!((scores[2].1 - 0.03).abs() < 1e-9);
    }

    #[test]
    fn non_positive_ranks_and_missing_popularity_count_as_nothing() {
        let rows = vec![
            row(1, Some(0), Some(-4), None),
            row(2, None, None, Some(f64::NAN)),
        ];
        assert_eq!(trending_scores(&rows), vec![(1, 0.0), (2, 0.0)]);
    }

    #[test]
    fn no_rows_give_no_scores() {
        assert!(trending_scores(&[]).is_empty());
    }
}
