//! Heuristic score (spec §4.21.2): the score every candidate gets before (or instead of) a
//! reranker; `explain::with_default_explanations` applies it with the explanations.
//!
//! The heuristic score never re-orders the list (§10.12, kept): it only annotates `score`.
//! Low-signal titles (few votes, low popularity) get a multiplier below 1, and are dropped
//! only when a reranker runs and `HEURISTIC_MIN_SIGNAL_MULTIPLIER` is set (§10.13, kept).

use crate::candidate::Candidate;
use crate::item::Item;

/// The `HEURISTIC_*` settings (§8), already clamped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeuristicSettings {
    /// `HEURISTIC_POPULARITY_WEIGHT`.
    pub popularity_weight: f64,
    /// `HEURISTIC_VOTE_QUALITY_WEIGHT`.
    pub vote_quality_weight: f64,
    /// `HEURISTIC_VOTE_VOLUME_WEIGHT`.
    pub vote_volume_weight: f64,
    /// `HEURISTIC_TRENDING_WEIGHT`.
    pub trending_weight: f64,
    /// `HEURISTIC_POPULAR_WEIGHT`.
    pub popular_weight: f64,
    /// `HEURISTIC_RECENT_WEIGHT`.
    pub recent_weight: f64,
    /// Position bonus = max(0, base − position × decay).
    pub position_base: f64,
    /// `HEURISTIC_POSITION_DECAY` (see `position_base`).
    pub position_decay: f64,
    /// Votes below this are penalised (≥ 0; the floor used is at least 1).
    pub min_vote_count: f64,
    /// Within [0, 0.9].
    pub low_vote_penalty: f64,
    /// Popularity below this is penalised (≥ 0; the floor used is at least 1).
    pub min_popularity: f64,
    /// Within [0, 0.9].
    pub low_popularity_penalty: f64,
    /// Within [0, 1]; above 0, low-signal titles under it are dropped (reranker runs only).
    pub min_signal_multiplier: f64,
}

impl Default for HeuristicSettings {
    fn default() -> Self {
        HeuristicSettings {
            popularity_weight: 0.3,
            vote_quality_weight: 0.2,
            vote_volume_weight: 0.1,
            trending_weight: 0.25,
            popular_weight: 0.15,
            recent_weight: 0.2,
            position_base: 0.05,
            position_decay: 0.002,
            min_vote_count: 50.0,
            low_vote_penalty: 0.35,
            min_popularity: 20.0,
            low_popularity_penalty: 0.25,
            min_signal_multiplier: 0.0,
        }
    }
}

impl HeuristicSettings {
    /// Applies the original's clamps. A non-finite value falls back to its default;
    /// `min_vote_count` is truncated to a whole number, as the original read it as an int.
    pub fn clamped(self) -> Self {
        let d = HeuristicSettings::default();
        let or = |v: f64, default: f64| if v.is_finite() { v } else { default };
        HeuristicSettings {
            popularity_weight: or(self.popularity_weight, d.popularity_weight),
            vote_quality_weight: or(self.vote_quality_weight, d.vote_quality_weight),
            vote_volume_weight: or(self.vote_volume_weight, d.vote_volume_weight),
            trending_weight: or(self.trending_weight, d.trending_weight),
            popular_weight: or(self.popular_weight, d.popular_weight),
            recent_weight: or(self.recent_weight, d.recent_weight),
            position_base: or(self.position_base, d.position_base),
            position_decay: or(self.position_decay, d.position_decay),
            min_vote_count: or(self.min_vote_count, d.min_vote_count).trunc().max(0.0),
            low_vote_penalty: or(self.low_vote_penalty, d.low_vote_penalty).clamp(0.0, 0.9),
            min_popularity: or(self.min_popularity, d.min_popularity).max(0.0),
            low_popularity_penalty: or(self.low_popularity_penalty, d.low_popularity_penalty)
                .clamp(0.0, 0.9),
            min_signal_multiplier: or(self.min_signal_multiplier, d.min_signal_multiplier)
                .clamp(0.0, 1.0),
        }
    }
}

/// The per-item signals behind the score; explanations reuse them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signals {
    /// min(popularity / 100, 1).
    pub popularity_norm: f64,
    /// (vote_average − 6.5) / 3.5, within [0, 1].
    pub vote_quality: f64,
    /// min(vote_count / 5000, 1).
    pub vote_volume: f64,
    /// 1 at trending rank 1, falling to 0 at rank 51.
    pub trending_bonus: f64,
    /// 1 at popular rank 1, falling to 0 at rank 101.
    pub popular_bonus: f64,
    /// 1.0 for titles at most 2 years old, 0.5 up to 5 years, else 0.
    pub recent_bonus: f64,
}

/// Computes the signals of one item. A missing number counts as 0.
pub fn signals(item: &Item, current_year: i32) -> Signals {
    let popularity = item.popularity.unwrap_or(0.0);
    let vote_average = item.vote_average.unwrap_or(0.0);
    let vote_count = f64::from(item.vote_count.unwrap_or(0));
    let rank_bonus = |rank: Option<i32>, span: i32| match rank {
        Some(r) if r > 0 => (1.0 - f64::from((r - 1).min(span)) / f64::from(span)).max(0.0),
        _ => 0.0,
    };
    let recent_bonus = match item.release_year {
        Some(year) => match (current_year - year).max(0) {
            0..=2 => 1.0,
            3..=5 => 0.5,
            _ => 0.0,
        },
        None => 0.0,
    };
    Signals {
        popularity_norm: (popularity / 100.0).min(1.0),
        vote_quality: ((vote_average - 6.5) / 3.5).clamp(0.0, 1.0),
        vote_volume: (vote_count / 5000.0).min(1.0),
        trending_bonus: rank_bonus(item.trending_rank, 50),
        popular_bonus: rank_bonus(item.popular_rank, 100),
        recent_bonus,
    }
}

/// The low-signal multiplier: below 1 for titles with few votes or low popularity, and
/// exactly 1 when both are unknown (≤ 0), so that titles with no data are not punished.
pub fn low_signal_multiplier(popularity: f64, vote_count: f64, s: &HeuristicSettings) -> f64 {
    if vote_count <= 0.0 && popularity <= 0.0 {
        return 1.0;
    }
    let penalty = |value: f64, floor: f64, weight: f64| {
        let value = value.max(0.0);
        if value < floor {
            (1.0 - weight * ((floor - value) / floor).min(1.0)).max(0.0)
        } else {
            1.0
        }
    };
    penalty(vote_count, s.min_vote_count.max(1.0), s.low_vote_penalty)
        * penalty(
            popularity,
            s.min_popularity.max(1.0),
            s.low_popularity_penalty,
        )
}

/// Rounds like Python's `round(x, 4)`: correctly rounded from the exact binary value.
fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

/// The heuristic score of a candidate at `position` given its [`signals`], and its
/// low-signal multiplier, both rounded to 4 decimals.
pub(crate) fn score_with(
    cand: &Candidate,
    sig: &Signals,
    position: usize,
    s: &HeuristicSettings,
) -> (f64, f64) {
    let base = cand.retrieval_score
        + s.popularity_weight * sig.popularity_norm
        + s.vote_quality_weight * sig.vote_quality
        + s.vote_volume_weight * sig.vote_volume
        + s.trending_weight * sig.trending_bonus
        + s.popular_weight * sig.popular_bonus
        + s.recent_weight * sig.recent_bonus
        + (s.position_base - position as f64 * s.position_decay).max(0.0);
    let multiplier = low_signal_multiplier(
        cand.item.popularity.unwrap_or(0.0),
        f64::from(cand.item.vote_count.unwrap_or(0)),
        s,
    );
    (round4(base * multiplier), round4(multiplier))
}

#[cfg(test)]
#[path = "heuristic_tests.rs"]
mod tests;
