use super::*;
use crate::item::MediaType;

const YEAR: i32 = 2025;

fn score(cand: &Candidate, position: usize, year: i32, s: &HeuristicSettings) -> (f64, f64) {
    score_with(cand, &signals(&cand.item, year), position, s)
}

fn cand(popularity: Option<f64>, votes: Option<i32>) -> Candidate {
    let mut item = Item::bare(1, MediaType::Movie, "t");
    item.popularity = popularity;
    item.vote_count = votes;
    Candidate::new(item, None, 0)
}

#[test]
fn default_settings_match_the_original() {
    let s = HeuristicSettings::default();
    assert_eq!(
        (
            s.popularity_weight,
            s.min_vote_count,
            s.min_signal_multiplier
        ),
        (0.3, 50.0, 0.0)
    );
}

#[test]
fn penalties_and_thresholds_are_clamped() {
    let s = HeuristicSettings {
        low_vote_penalty: 2.0,
        low_popularity_penalty: -1.0,
        min_signal_multiplier: 3.0,
        min_vote_count: -5.0,
        popularity_weight: f64::NAN,
        ..Default::default()
    }
    .clamped();
    assert_eq!((s.low_vote_penalty, s.low_popularity_penalty), (0.9, 0.0));
    assert_eq!((s.min_signal_multiplier, s.min_vote_count), (1.0, 0.0));
    assert_eq!(s.popularity_weight, 0.3);
}

#[test]
fn a_strong_recent_trending_title_scores_every_component() {
    let mut c = cand(Some(150.0), Some(6000));
    c.retrieval_score = 0.5;
    std::sync::Arc::make_mut(&mut c.item).vote_average = Some(10.0);
    std::sync::Arc::make_mut(&mut c.item).trending_rank = Some(1);
    std::sync::Arc::make_mut(&mut c.item).popular_rank = Some(1);
    std::sync::Arc::make_mut(&mut c.item).release_year = Some(YEAR);
    let (value, multiplier) = score(&c, 0, YEAR, &HeuristicSettings::default());
    // 0.5 + 0.3 + 0.2 + 0.1 + 0.25 + 0.15 + 0.2 + 0.05
    assert_eq!((value, multiplier), (1.75, 1.0));
}

#[test]
fn the_position_bonus_fades_with_position() {
    let c = cand(None, None);
    let s = HeuristicSettings::default();
    assert_eq!(score(&c, 0, YEAR, &s).0, 0.05);
    assert_eq!(score(&c, 10, YEAR, &s).0, 0.03);
    assert_eq!(score(&c, 40, YEAR, &s).0, 0.0);
}

#[test]
fn recency_gives_full_then_half_then_no_bonus() {
    let year = |y| {
        let mut item = Item::bare(1, MediaType::Movie, "t");
        item.release_year = Some(y);
        signals(&item, YEAR).recent_bonus
    };
    assert_eq!(
        (year(2023), year(2020), year(2019), year(2030)),
        (1.0, 0.5, 0.0, 1.0)
    );
}

#[test]
fn rank_bonuses_shrink_with_rank_and_ignore_non_positive_ranks() {
    let mut item = Item::bare(1, MediaType::Movie, "t");
    item.trending_rank = Some(26);
    item.popular_rank = Some(0);
    let sig = signals(&item, YEAR);
    assert_eq!((sig.trending_bonus, sig.popular_bonus), (0.5, 0.0));
}

#[test]
fn a_title_without_votes_or_popularity_is_not_penalised() {
    assert_eq!(
        low_signal_multiplier(0.0, 0.0, &HeuristicSettings::default()),
        1.0
    );
}

#[test]
fn few_votes_and_low_popularity_lower_the_multiplier() {
    let (_, multiplier) = score(
        &cand(Some(5.0), Some(10)),
        0,
        YEAR,
        &HeuristicSettings::default(),
    );
    // (1 − 0.35·40/50) · (1 − 0.25·15/20) = 0.72 · 0.8125
    assert_eq!(multiplier, 0.585);
}

#[test]
fn the_score_is_rounded_to_four_decimals() {
    let mut c = cand(Some(5.0), Some(10));
    c.retrieval_score = 0.123456;
    let (value, _) = score(&c, 0, YEAR, &HeuristicSettings::default());
    // (0.123456 + 0.3·0.05 + 0.1·0.002 + 0.05) · 0.585 = 0.11036376
    assert_eq!(value, 0.1104);
}
