//! Mixer scoring (spec §4.17): one retrieval score per candidate from six weighted signals,
//! then a stable re-sort.
//!
//! Our fix of §10.6: the ANN component is the real query–item similarity
//! (`source_scores.ann`) when it is known. The original always used `1/(1+ann_rank)`, a
//! list position in which collaborative items sit first; we keep that only for candidates
//! with no similarity (no query vector, e.g. the cold-start popularity list).

use crate::candidate::Candidate;
use crate::catalog::weighted_average;
use crate::item::{Item, ItemId};
use serde::Serialize;

/// The ANN weight never drops below this, even when a request overrides it.
pub const ANN_WEIGHT_FLOOR: f64 = 0.05;

/// The mixer weights (`HYBRID_*` / `MIXER_*` in §8, and ours: `HYBRID_LEXICAL_WEIGHT`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MixerWeights {
    /// `HYBRID_ANN_WEIGHT`, floored at [`ANN_WEIGHT_FLOOR`].
    pub ann: f64,
    /// `MIXER_COLLAB_WEIGHT`.
    pub collab: f64,
    /// `MIXER_TRENDING_WEIGHT` (the original also read `HYBRID_TRENDING_WEIGHT`, unused).
    pub trending: f64,
    /// `HYBRID_POPULARITY_WEIGHT`.
    pub popularity: f64,
    /// `HYBRID_VOTE_WEIGHT`.
    pub vote: f64,
    /// `MIXER_NOVELTY_WEIGHT`.
    pub novelty: f64,
    /// `HYBRID_LEXICAL_WEIGHT`: the full-text match of the query's words (only requests with
    /// a query have one).
    pub lexical: f64,
    /// `HYBRID_RATING_WEIGHT`: the title's weighted rating ([`weighted_rating`]).
    pub rating: f64,
    /// How the vote count becomes the `vote` component.
    pub vote_scale: VoteScale,
}

/// How the vote count is scaled to 0..=1 against the list's largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteScale {
    /// `votes / max`: only the blockbusters of the list count (the original's).
    Linear,
    /// `ln(1 + votes) / ln(1 + max)`: with a query, a known title (a few thousand votes)
    /// beats an unknown one that matches as well, without every match losing to the one
    /// blockbuster in the list.
    Log,
}

/// With a query the text decides: the collaborative weight's default is capped at the
/// original's 0.3 (a request may still override it).
pub const QUERY_COLLAB_CAP: f64 = 0.3;

/// With a query the vote count's default weight (log-scaled, [`VoteScale::Log`]): a quality
/// prior among the titles that match the text. Measured with `seenemall eval queries`
/// (README, "Query understanding"): with the lexical term at 0.15–0.2, 0.2 gives 0.221 and
/// 0.3 gives 0.239 NDCG@10 on the query set.
pub const QUERY_VOTE_WEIGHT: f64 = 0.3;

/// With a query the rating's default weight: among the titles that match a request, the
/// well-regarded ones are what a person asking "animated movies for kids" or "space opera"
/// means (the sentence's nearest neighbours alone are arbitrary matches). Measured with
/// `seenemall eval queries` (README, "Query understanding"), counted for the tagged titles of
/// a request naming topics: 0.3190 without, 0.3610 at 0.3, 0.3775 at 0.5, 0.3717 at 0.7
/// NDCG@10 on the query set.
pub const QUERY_RATING_WEIGHT: f64 = 0.5;

/// The weighted rating's prior mean (IMDb's formula, `catalog::weighted_average`): a
/// title's average counts as if it had 500 more votes at this mean, so ten votes at 9.0 do not
/// beat ten thousand at 8.2. 100 and 500 prior votes score alike on the query set, 2,000 lower.
const RATING_PRIOR_MEAN: f64 = 6.0;

/// The title's weighted rating scaled to 0..=1 (5.0 and below is 0, 9.0 and above is 1).
/// A title without an average sits at the prior mean.
pub fn weighted_rating(item: &Item) -> f64 {
    let votes = f64::from(item.vote_count.unwrap_or(0).max(0));
    let average = item
        .vote_average
        .filter(|a| a.is_finite())
        .unwrap_or(RATING_PRIOR_MEAN);
    let weighted = weighted_average(votes, average, RATING_PRIOR_MEAN);
    ((weighted - 5.0) / 4.0).clamp(0.0, 1.0)
}

/// Tuned with `seenemall eval` (README, "Taste model"): with a trained taste model the
/// collaborative term leads a request without a query.
impl Default for MixerWeights {
    fn default() -> Self {
        MixerWeights {
            ann: 0.5,
            collab: 2.0,
            trending: 0.2,
            popularity: 0.1,
            vote: 0.1,
            novelty: 0.1,
            lexical: 0.2,
            rating: 0.0,
            vote_scale: VoteScale::Linear,
        }
    }
}

/// Per-request weight overrides (the `mixer_*` parameters of `/recommend`); `None` keeps
/// the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MixerOverrides {
    /// `ann_weight`.
    pub ann: Option<f64>,
    /// `collab_weight`.
    pub collab: Option<f64>,
    /// `trending_weight`.
    pub trending: Option<f64>,
    /// `popularity_weight`.
    pub popularity: Option<f64>,
    /// `vote_weight`.
    pub vote: Option<f64>,
    /// `novelty_weight`.
    pub novelty: Option<f64>,
    /// `lexical_weight`.
    pub lexical: Option<f64>,
    /// `rating_weight`.
    pub rating: Option<f64>,
}

/// A negative or non-finite weight counts as zero.
fn sane(weight: f64) -> f64 {
    if weight.is_finite() && weight > 0.0 {
        weight
    } else {
        0.0
    }
}

impl MixerWeights {
    /// Applies the clamps: negative or non-finite weights become 0, and the ANN weight is
    /// floored at [`ANN_WEIGHT_FLOOR`].
    pub fn clamped(self) -> Self {
        MixerWeights {
            ann: sane(self.ann).max(ANN_WEIGHT_FLOOR),
            collab: sane(self.collab),
            trending: sane(self.trending),
            popularity: sane(self.popularity),
            vote: sane(self.vote),
            novelty: sane(self.novelty),
            lexical: sane(self.lexical),
            rating: sane(self.rating),
            vote_scale: self.vote_scale,
        }
    }

    /// The weights for one request. With a query, trending, popularity and novelty default to
    /// 0, vote to [`QUERY_VOTE_WEIGHT`], rating to [`QUERY_RATING_WEIGHT`] and collab to at
    /// most [`QUERY_COLLAB_CAP`] (the text decides) unless the request overrides them.
    pub fn resolve(defaults: MixerWeights, overrides: MixerOverrides, has_query: bool) -> Self {
        let query_default = |d: f64| if has_query { 0.0 } else { d };
        MixerWeights {
            ann: overrides.ann.unwrap_or(defaults.ann),
            collab: overrides.collab.unwrap_or(if has_query {
                defaults.collab.min(QUERY_COLLAB_CAP)
            } else {
                defaults.collab
            }),
            trending: overrides
                .trending
                .unwrap_or(query_default(defaults.trending)),
            popularity: overrides
                .popularity
                .unwrap_or(query_default(defaults.popularity)),
            vote: overrides.vote.unwrap_or(if has_query {
                QUERY_VOTE_WEIGHT
            } else {
                defaults.vote
            }),
            novelty: overrides.novelty.unwrap_or(query_default(defaults.novelty)),
            lexical: overrides.lexical.unwrap_or(defaults.lexical),
            rating: overrides.rating.unwrap_or(if has_query {
                QUERY_RATING_WEIGHT
            } else {
                defaults.rating
            }),
            vote_scale: if has_query {
                VoteScale::Log
            } else {
                defaults.vote_scale
            },
        }
        .clamped()
    }
}

/// Which titles count their rating, and how much: those matching what the request names, so
/// an acclaimed title that merely sits near the sentence does not pass the ones it asked for.
/// On the query set (README, "Query understanding"): 0.3817 NDCG@10 scoped, 0.3775 with every
/// title counting; "films starring Tom Hanks" 0.61 → 0.81, "anime about robots" 0.09 → 0.30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingScope<'a> {
    pub must_match: RatingMatch<'a>,
    /// `IntentFilters::genre_groups`: with two or more, a title counts the share of them it
    /// has a genre of ("funny animated movies": Parasite, a comedy, counts half its rating,
    /// so acclaimed comedies do not pass the animated ones).
    pub genre_groups: &'a [Vec<String>],
}

/// What a title must match to count its rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RatingMatch<'a> {
    /// A request of genres, moods and eras alone: every title.
    #[default]
    Every,
    /// A request naming topics (`IntentFilters::tags`): titles carrying one.
    Topics(&'a [String]),
    /// A request with words to search (`RankRequest::search_terms`): titles the full-text
    /// search found (a person's name, a rare word).
    Searched,
}

impl<'a> RatingScope<'a> {
    pub fn new(must_match: RatingMatch<'a>) -> Self {
        RatingScope {
            must_match,
            genre_groups: &[],
        }
    }

    pub fn with_genre_groups(self, genre_groups: &'a [Vec<String>]) -> Self {
        RatingScope {
            genre_groups,
            ..self
        }
    }

    /// The share of its rating `c` counts, 0..=1.
    fn share(self, c: &Candidate) -> f64 {
        let matches = match self.must_match {
            RatingMatch::Every => true,
            RatingMatch::Topics(tags) => c.item.has_tag(tags),
            RatingMatch::Searched => c.source_scores.lexical.is_some_and(|s| s > 0.0),
        };
        match (matches, self.genre_groups.len()) {
            (false, _) => 0.0,
            (true, 0 | 1) => 1.0,
            (true, n) => {
                let had = self
                    .genre_groups
                    .iter()
                    .filter(|group| group.iter().any(|g| c.item.has_genre_ci(g)))
                    .count();
                had as f64 / n as f64
            }
        }
    }
}

/// Where a candidate's ANN component came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnSource {
    /// The cosine similarity to the query vector, clamped to 0..=1.
    Similarity,
    /// `1/(1+ann_rank)`: no similarity was known.
    Rank,
}

/// One candidate's unweighted mixer components and its total, for the debug endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixBreakdown {
    /// The candidate's item id.
    pub id: ItemId,
    /// ANN value in 0..=1 (similarity or inverse rank).
    pub ann: f64,
    /// Where the ANN value came from.
    pub ann_source: AnnSource,
    /// `source_scores.collab`, or 0.
    pub collab: f64,
    /// `source_scores.trending`, or 0.
    pub trending: f64,
    /// Popularity divided by the list's maximum.
    pub popularity: f64,
    /// Vote count divided by the list's maximum.
    pub vote: f64,
    /// Mean of (1 − popularity) and (1 − vote).
    pub novelty: f64,
    /// `source_scores.lexical`, or 0.
    pub lexical: f64,
    /// [`weighted_rating`] × the title's share of the request's [`RatingScope`].
    pub rating: f64,
    /// The weighted sum, stored as the candidate's `retrieval_score`.
    pub score: f64,
}

/// Scores every candidate, sorts stably by (score desc, `ann_rank` asc) and resets
/// `original_rank`. Returns the breakdowns in the new order.
///
/// `scope` says which titles count their rating ([`RatingScope`]).
pub fn mix(
    cands: &mut Vec<Candidate>,
    weights: &MixerWeights,
    scope: RatingScope<'_>,
) -> Vec<MixBreakdown> {
    let max_pop = cands
        .iter()
        .map(|c| c.item.popularity.unwrap_or(0.0))
        .fold(0.0_f64, f64::max);
    let max_votes = cands
        .iter()
        .map(|c| f64::from(c.item.vote_count.unwrap_or(0)))
        .fold(0.0_f64, f64::max);

    let mut breakdowns: Vec<MixBreakdown> = cands
        .iter_mut()
        .map(|c| {
            let (ann, ann_source) = match c.source_scores.ann.filter(|s| s.is_finite()) {
                Some(sim) => (sim.clamp(0.0, 1.0), AnnSource::Similarity),
                None => (1.0 / (1.0 + c.ann_rank as f64), AnnSource::Rank),
            };
            let popularity = if max_pop > 0.0 {
                c.item.popularity.unwrap_or(0.0) / max_pop
            } else {
                0.0
            };
            let votes = f64::from(c.item.vote_count.unwrap_or(0).max(0));
            let vote = match (max_votes > 0.0, weights.vote_scale) {
                (false, _) => 0.0,
                (true, VoteScale::Linear) => votes / max_votes,
                (true, VoteScale::Log) => votes.ln_1p() / max_votes.ln_1p(),
            };
            let novelty = ((1.0 - popularity.min(1.0)) + (1.0 - vote)) / 2.0;
            let collab = c.source_scores.collab.unwrap_or(0.0);
            let trending = c.source_scores.trending.unwrap_or(0.0);
            let lexical = c.source_scores.lexical.unwrap_or(0.0);
            let rating = scope.share(c) * weighted_rating(&c.item);
            let score = weights.ann * ann
                + weights.collab * collab
                + weights.trending * trending
                + weights.popularity * popularity
                + weights.vote * vote
                + weights.novelty * novelty
                + weights.lexical * lexical
                + weights.rating * rating;
            c.retrieval_score = score;
            MixBreakdown {
                id: c.item.id,
                ann,
                ann_source,
                collab,
                trending,
                popularity,
                vote,
                novelty,
                lexical,
                rating,
                score,
            }
        })
        .collect();

    // A stable sort, as the original's `sorted` is.
    let order = stable_order(cands, |a, b| {
        b.retrieval_score
            .total_cmp(&a.retrieval_score)
            .then(a.ann_rank.cmp(&b.ann_rank))
    });
    permute(cands, &order);
    permute(&mut breakdowns, &order);
    reset_ranks(cands);
    breakdowns
}

/// Moves candidates with unverified filter values after the ones known to pass, keeping
/// order within each group, and resets `original_rank` (our fix of §10.11).
pub fn verified_first(cands: &mut Vec<Candidate>) {
    let (verified, unverified): (Vec<_>, Vec<_>) =
        cands.drain(..).partition(|c| c.unverified.is_empty());
    cands.extend(verified);
    cands.extend(unverified);
    reset_ranks(cands);
}

/// The indices of `items` in stably sorted order. Sorting indices rather than the
/// candidates themselves avoids moving large structs around during the sort.
pub(crate) fn stable_order<T>(
    items: &[T],
    mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    order
}

/// Rearranges `items` so that position `i` holds the old `items[order[i]]`.
pub(crate) fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&i| slots[i].take()));
}

pub(crate) fn reset_ranks(cands: &mut [Candidate]) {
    for (i, c) in cands.iter_mut().enumerate() {
        c.original_rank = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, MediaType};

    fn cand(id: i32, rank: usize, popularity: f64) -> Candidate {
        let mut item = Item::bare(id, MediaType::Movie, "t");
        item.popularity = Some(popularity);
        Candidate::new(item, None, rank)
    }

    fn ids(cands: &[Candidate]) -> Vec<i32> {
        cands.iter().map(|c| c.item.id).collect()
    }

    fn pinned_list() -> Vec<Candidate> {
        vec![cand(1, 0, 10.0), cand(2, 1, 30.0), cand(3, 2, 5.0)]
    }

    #[test]
    fn default_weights_keep_the_ann_order() {
        let mut cands = pinned_list();
        mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        assert_eq!(ids(&cands), vec![1, 2, 3]);
    }

    #[test]
    fn a_popularity_override_puts_the_most_popular_item_first() {
        let overrides = MixerOverrides {
            ann: Some(0.0),
            collab: Some(0.0),
            trending: Some(0.0),
            popularity: Some(5.0),
            novelty: Some(0.0),
            ..Default::default()
        };
        let weights = MixerWeights::resolve(MixerWeights::default(), overrides, false);
        let mut cands = pinned_list();
        mix(&mut cands, &weights, RatingScope::default());
        assert_eq!(ids(&cands), vec![2, 1, 3]);
    }

    #[test]
    fn the_ann_weight_is_floored_even_when_overridden() {
        let overrides = MixerOverrides {
            ann: Some(0.0),
            ..Default::default()
        };
        let weights = MixerWeights::resolve(MixerWeights::default(), overrides, false);
        assert_eq!(weights.ann, ANN_WEIGHT_FLOOR);
    }

    #[test]
    fn a_query_zeroes_the_trending_popularity_and_novelty_defaults() {
        let weights =
            MixerWeights::resolve(MixerWeights::default(), MixerOverrides::default(), true);
        assert_eq!(
            (weights.trending, weights.popularity, weights.novelty),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(weights.vote, QUERY_VOTE_WEIGHT);
        assert_eq!(weights.rating, QUERY_RATING_WEIGHT);
        assert_eq!((weights.ann, weights.collab), (0.5, 0.3));
    }

    #[test]
    fn without_a_query_the_collab_default_is_not_capped() {
        let weights =
            MixerWeights::resolve(MixerWeights::default(), MixerOverrides::default(), false);
        assert_eq!(weights.collab, MixerWeights::default().collab);
        assert!(weights.collab > QUERY_COLLAB_CAP);
    }

    #[test]
    fn a_query_keeps_explicit_overrides() {
        let overrides = MixerOverrides {
            vote: Some(0.7),
            ..Default::default()
        };
        let weights = MixerWeights::resolve(MixerWeights::default(), overrides, true);
        assert_eq!(weights.vote, 0.7);
    }

    #[test]
    fn a_negative_weight_counts_as_zero() {
        let overrides = MixerOverrides {
            collab: Some(-1.0),
            novelty: Some(f64::NAN),
            ..Default::default()
        };
        let weights = MixerWeights::resolve(MixerWeights::default(), overrides, false);
        assert_eq!((weights.collab, weights.novelty), (0.0, 0.0));
    }

    #[test]
    fn a_known_similarity_outranks_list_position() {
        let mut cands = vec![cand(1, 0, 0.0), cand(2, 1, 0.0)];
        cands[0].source_scores.ann = Some(0.2);
        cands[1].source_scores.ann = Some(0.9);
        let breakdown = mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        assert_eq!(ids(&cands), vec![2, 1]);
        assert_eq!(breakdown[0].ann_source, AnnSource::Similarity);
        assert_eq!(breakdown[0].ann, 0.9);
    }

    #[test]
    fn a_similarity_outside_zero_to_one_is_clamped() {
        let mut cands = vec![cand(1, 0, 0.0), cand(2, 1, 0.0)];
        cands[0].source_scores.ann = Some(-0.4);
        cands[1].source_scores.ann = Some(1.3);
        let breakdown = mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        assert_eq!((breakdown[0].ann, breakdown[1].ann), (1.0, 0.0));
    }

    #[test]
    fn without_a_similarity_the_ann_component_is_the_inverse_rank() {
        let mut cands = vec![cand(1, 3, 0.0)];
        let breakdown = mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        assert_eq!(breakdown[0].ann, 0.25);
        assert_eq!(breakdown[0].ann_source, AnnSource::Rank);
    }

    #[test]
    fn novelty_favours_unpopular_items_with_few_votes() {
        let mut cands = vec![cand(1, 0, 10.0), cand(2, 1, 0.0)];
        std::sync::Arc::make_mut(&mut cands[0].item).vote_count = Some(100);
        let breakdown = mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        let novelty = |id| breakdown.iter().find(|b| b.id == id).map(|b| b.novelty);
        assert_eq!(novelty(1), Some(0.0));
        assert_eq!(novelty(2), Some(1.0));
    }

    #[test]
    fn collab_and_trending_scores_add_their_weighted_values() {
        let mut cands = vec![cand(1, 0, 0.0)];
        cands[0].source_scores.collab = Some(1.0);
        cands[0].source_scores.trending = Some(0.5);
        let breakdown = mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        // ann 0.5·1 + collab 2.0·1 + trending 0.2·0.5 + novelty 0.1·1
        assert!((breakdown[0].score - 2.7).abs() < 1e-12);
        assert_eq!(cands[0].retrieval_score, breakdown[0].score);
    }

    #[test]
    fn equal_scores_fall_back_to_ann_rank_and_ranks_are_reset() {
        let mut cands = vec![cand(2, 5, 0.0), cand(1, 4, 0.0)];
        for c in &mut cands {
            c.source_scores.ann = Some(0.5);
        }
        mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        assert_eq!(ids(&cands), vec![1, 2]);
        assert_eq!((cands[0].original_rank, cands[1].original_rank), (0, 1));
    }

    #[test]
    fn verified_candidates_move_before_unverified_ones() {
        let mut cands = vec![cand(1, 0, 0.0), cand(2, 1, 0.0), cand(3, 2, 0.0)];
        cands[0].unverified = vec!["runtime".into()];
        verified_first(&mut cands);
        assert_eq!(ids(&cands), vec![2, 3, 1]);
        assert_eq!(cands[2].original_rank, 2);
    }

    fn rated_with(id: i32, average: f64, votes: i32, keywords: &[&str]) -> Candidate {
        let mut item = Item::bare(id, MediaType::Movie, "t");
        item.vote_average = Some(average);
        item.vote_count = Some(votes);
        item.keywords = keywords.iter().map(|k| k.to_string()).collect();
        let mut c = Candidate::new(item, None, id as usize);
        c.source_scores.ann = Some(0.4);
        c
    }

    fn rated(id: i32, average: f64, votes: i32) -> Candidate {
        rated_with(id, average, votes, &[])
    }

    #[test]
    fn the_weighted_rating_pulls_few_votes_toward_the_prior() {
        let few = weighted_rating(&rated(1, 9.5, 10).item);
        let many = weighted_rating(&rated(2, 8.2, 10_000).item);
        assert!(many > few, "{many} vs {few}");
        // 10,000 votes at 8.2 weigh (10000·8.2 + 500·6)/10500 ≈ 8.095 → (8.095 − 5)/4.
        assert!((many - 0.7738).abs() < 1e-3, "{many}");
        let unknown = weighted_rating(&Item::bare(3, MediaType::Movie, "t"));
        assert!(
            (unknown - 0.25).abs() < 1e-12,
            "no average sits at the prior mean"
        );
        assert_eq!(weighted_rating(&rated(4, 2.0, 100_000).item), 0.0);
    }

    fn with_query() -> MixerWeights {
        MixerWeights::resolve(MixerWeights::default(), MixerOverrides::default(), true)
    }

    #[test]
    fn with_a_query_the_better_rated_of_two_equal_matches_leads() {
        let mut cands = vec![rated(1, 6.1, 5_000), rated(2, 8.3, 5_000)];
        let breakdown = mix(&mut cands, &with_query(), RatingScope::default());
        assert_eq!(ids(&cands), vec![2, 1]);
        assert!(breakdown[0].rating > breakdown[1].rating);
    }

    #[test]
    fn without_a_query_the_rating_does_not_count() {
        let mut cands = vec![rated(1, 6.1, 5_000), rated(2, 8.3, 5_000)];
        mix(&mut cands, &MixerWeights::default(), RatingScope::default());
        assert_eq!(ids(&cands), vec![1, 2]);
    }

    #[test]
    fn with_topics_only_titles_carrying_one_count_their_rating() {
        let acclaimed = rated_with(1, 8.5, 10_000, &["coming of age"]);
        let robots = rated_with(2, 7.0, 2_000, &["Robot", "cyborg"]);
        let mut cands = vec![acclaimed, robots];
        let topics = ["robot".to_string()];
        let breakdown = mix(
            &mut cands,
            &with_query(),
            RatingScope::new(RatingMatch::Topics(&topics)),
        );
        assert_eq!(ids(&cands), vec![2, 1]);
        assert_eq!(breakdown[1].rating, 0.0);
        assert!(breakdown[0].rating > 0.0);
    }

    #[test]
    fn a_rating_override_applies_and_is_clamped() {
        let overrides = MixerOverrides {
            rating: Some(-2.0),
            ..Default::default()
        };
        assert_eq!(
            MixerWeights::resolve(MixerWeights::default(), overrides, true).rating,
            0.0
        );
        let overrides = MixerOverrides {
            rating: Some(1.5),
            ..Default::default()
        };
        assert_eq!(
            MixerWeights::resolve(MixerWeights::default(), overrides, false).rating,
            1.5
        );
    }

    #[test]
    fn with_words_searched_only_titles_found_by_them_count_their_rating() {
        let acclaimed = rated(1, 8.5, 10_000);
        let mut starring = rated(2, 7.0, 2_000);
        starring.source_scores.lexical = Some(0.6);
        let mut cands = vec![acclaimed, starring];
        let breakdown = mix(
            &mut cands,
            &with_query(),
            RatingScope::new(RatingMatch::Searched),
        );
        assert_eq!(ids(&cands), vec![2, 1]);
        assert_eq!(breakdown[1].rating, 0.0);
    }

    #[test]
    fn with_several_genre_groups_a_title_counts_the_share_it_has() {
        let mut item = Item::bare(1, MediaType::Movie, "t");
        item.vote_average = Some(8.5);
        item.vote_count = Some(10_000);
        item.genres = vec![crate::item::Genre {
            id: None,
            name: "Comedy".into(),
        }];
        let mut comedy = Candidate::new(item, None, 0);
        comedy.source_scores.ann = Some(0.4);
        let groups = [vec!["Animation".to_string()], vec!["Comedy".to_string()]];
        let full = mix(
            &mut vec![comedy.clone()],
            &with_query(),
            RatingScope::default(),
        );
        let scope = RatingScope::default().with_genre_groups(&groups);
        let half = mix(&mut vec![comedy], &with_query(), scope);
        assert!((half[0].rating - full[0].rating / 2.0).abs() < 1e-12);
    }
}
