//! List ranks for catalogs that come without TMDB's popular / top-rated lists.
//!
//! The TMDB sync records each title's position in the popular, top-rated and trending lists.
//! An offline catalog (the demo JSONL) has no lists, so [`compute_ranks`] derives two of them
//! from the titles' own numbers, separately per media type:
//! - `popular_rank`: 1-based position by `popularity`, highest first;
//! - `top_rated_rank`: 1-based position by an IMDb-style weighted rating
//!   `WR = v/(v+m)·R + m/(v+m)·C` (R = the title's `vote_average`, v = its `vote_count`,
//!   m = [`WEIGHTED_RATING_PRIOR_VOTES`], C = the mean `vote_average` of the media type's
//!   titles that have votes), for titles with at least [`TOP_RATED_MIN_VOTES`] votes, so a 9.0
//!   from 60 voters does not outrank an 8.3 from 20,000.
//!
//! `trending_rank` stays `None`: trending is a daily signal and an offline file has no trend
//! data, so consumers fall back to popularity for "trending" ordering.

use crate::catalog::NewItem;
use crate::item::MediaType;

/// `m` of the weighted rating: how many votes a title needs to weigh as much as the mean.
pub const WEIGHTED_RATING_PRIOR_VOTES: f64 = 500.0;
/// The weighted rating `v/(v+m)·R + m/(v+m)·C` of `votes` (v) at `average` (R), pulled toward
/// `prior_mean` (C) with m = [`WEIGHTED_RATING_PRIOR_VOTES`]. Also the mixer's rating prior
/// (`mixer::weighted_rating`).
pub fn weighted_average(votes: f64, average: f64, prior_mean: f64) -> f64 {
    let m = WEIGHTED_RATING_PRIOR_VOTES;
    votes / (votes + m) * average + m / (votes + m) * prior_mean
}

/// Titles with fewer votes get no `top_rated_rank`.
pub const TOP_RATED_MIN_VOTES: i32 = 50;

/// Fills `popular_rank` and `top_rated_rank` for every media type whose titles carry none.
///
/// A media type where any title already has a rank of that kind (the source had real lists)
/// keeps its ranks untouched. Ties are broken by vote count (more first), then TMDB id, so
/// re-running on the same file gives the same ranks.
pub fn compute_ranks(items: &mut [NewItem]) {
    for media in [MediaType::Movie, MediaType::Tv] {
        let of_media: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].media_type == media)
            .collect();
        if !of_media.iter().any(|&i| items[i].popular_rank.is_some()) {
            rank_popular(items, &of_media);
        }
        if !of_media.iter().any(|&i| items[i].top_rated_rank.is_some()) {
            rank_top_rated(items, &of_media);
        }
    }
}

fn rank_popular(items: &mut [NewItem], of_media: &[usize]) {
    let mut scored: Vec<(usize, f64)> = of_media
        .iter()
        .filter_map(|&i| Some((i, items[i].popularity?)))
        .collect();
    assign(items, &mut scored, |item, rank| {
        item.popular_rank = Some(rank)
    });
}

fn rank_top_rated(items: &mut [NewItem], of_media: &[usize]) {
    let rated: Vec<(usize, f64, f64)> = of_media
        .iter()
        .filter_map(|&i| {
            let votes = items[i].vote_count.filter(|v| *v > 0)?;
            Some((i, items[i].vote_average?, f64::from(votes)))
        })
        .collect();
    if rated.is_empty() {
        return;
    }
    let mean = rated.iter().map(|(_, r, _)| r).sum::<f64>() / rated.len() as f64;
    let mut scored: Vec<(usize, f64)> = rated
        .iter()
        .filter(|(_, _, v)| *v >= f64::from(TOP_RATED_MIN_VOTES))
        .map(|&(i, r, v)| (i, weighted_average(v, r, mean)))
        .collect();
    assign(items, &mut scored, |item, rank| {
        item.top_rated_rank = Some(rank)
    });
}

/// Sorts by score (highest first, ties by votes then TMDB id) and hands out 1-based ranks.
fn assign(items: &mut [NewItem], scored: &mut [(usize, f64)], set: impl Fn(&mut NewItem, i32)) {
    scored.sort_by(|(a, sa), (b, sb)| {
        sb.total_cmp(sa)
            .then_with(|| items[*b].vote_count.cmp(&items[*a].vote_count))
            .then_with(|| items[*a].tmdb_id.cmp(&items[*b].tmdb_id))
    });
    for (position, (i, _)) in scored.iter().enumerate() {
        let rank = i32::try_from(position + 1).unwrap_or(i32::MAX);
        set(&mut items[*i], rank);
    }
}
