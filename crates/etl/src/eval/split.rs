//! The per-user temporal split: each user's ratings of catalog movies, in time order (ties
//! in file order); the first 80% (rounded down) are the user's history, shown to the rankers;
//! the titles rated ≥ 4 stars in the remaining 20% that the history does not already hold are
//! the ones a ranking should find.

use crate::movielens::{Rating, event_for_rating};
use chrono::{DateTime, Utc};
use seen_core::item::ItemId;
use std::collections::{HashMap, HashSet};

/// Share of each user's ratings (oldest first) used as their history.
pub const TRAIN_FRACTION: f64 = 0.8;

/// A later rating this high (stars) makes the title relevant.
pub const RELEVANT_RATING: f64 = 4.0;

/// One rating of the history part, as an event the product would store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvalEvent {
    /// The catalog title.
    pub item: ItemId,
    /// `liked` / `watched` / `disliked`, as `seenemall import movielens` maps the rating.
    pub event_type: &'static str,
    /// The star rating.
    pub rating: f64,
    /// When it was rated.
    pub ts: DateTime<Utc>,
}

/// One MovieLens user after the split.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitUser {
    /// MovieLens `userId`.
    pub user: i64,
    /// The history part, oldest first.
    pub history: Vec<EvalEvent>,
    /// Titles of the later part rated ≥ [`RELEVANT_RATING`], minus the history's titles.
    pub relevant: HashSet<ItemId>,
}

impl SplitUser {
    /// The history's titles: what a ranking must not return.
    pub fn seen(&self) -> HashSet<ItemId> {
        self.history.iter().map(|e| e.item).collect()
    }
}

/// Splits one user's time-ordered ratings; ratings of movies outside the catalog are dropped
/// first.
pub fn split_user(
    user: i64,
    ratings: &[Rating],
    movie_to_item: &HashMap<i32, ItemId>,
) -> SplitUser {
    let mapped: Vec<EvalEvent> = ratings
        .iter()
        .filter_map(|r| {
            Some(EvalEvent {
                item: *movie_to_item.get(&r.movie)?,
                event_type: event_for_rating(r.rating),
                rating: r.rating,
                ts: r.ts,
            })
        })
        .collect();
    let cut = (mapped.len() as f64 * TRAIN_FRACTION).floor() as usize;
    let (history, later) = mapped.split_at(cut);
    let seen: HashSet<ItemId> = history.iter().map(|e| e.item).collect();
    let relevant = later
        .iter()
        .filter(|e| e.rating >= RELEVANT_RATING && !seen.contains(&e.item))
        .map(|e| e.item)
        .collect();
    SplitUser {
        user,
        history: history.to_vec(),
        relevant,
    }
}

/// The users an evaluation scores (a history and at least one relevant title), `n` of them
/// drawn by `seed` (all when `None`).
pub fn evaluated(users: Vec<SplitUser>, n: Option<usize>, seed: u64) -> Vec<SplitUser> {
    let scorable = users
        .into_iter()
        .filter(|u| !u.history.is_empty() && !u.relevant.is_empty())
        .collect();
    sample(scorable, n, seed)
}

/// `n` users drawn by `seed` (all when `n` is `None` or larger), returned in user id order.
pub fn sample(users: Vec<SplitUser>, n: Option<usize>, seed: u64) -> Vec<SplitUser> {
    let Some(n) = n.filter(|n| *n < users.len()) else {
        return users;
    };
    let mut keyed: Vec<(u64, SplitUser)> = users
        .into_iter()
        .map(|u| (splitmix64(seed ^ u.user as u64), u))
        .collect();
    keyed.sort_unstable_by_key(|(key, u)| (*key, u.user));
    let mut chosen: Vec<SplitUser> = keyed.into_iter().take(n).map(|(_, u)| u).collect();
    chosen.sort_unstable_by_key(|u| u.user);
    chosen
}

/// SplitMix64's output function: a well-mixed 64-bit hash of the user id and seed, so a
/// sample needs no random-number crate and is the same on every machine.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(movie: i32, stars: f64, secs: i64) -> Rating {
        Rating {
            movie,
            rating: stars,
            ts: DateTime::from_timestamp(secs, 0).expect("valid"),
        }
    }

    #[test]
    fn the_first_80_percent_are_history_and_later_high_ratings_are_relevant() {
        let map: HashMap<i32, ItemId> = (1..=11).map(|m| (m, m + 100)).collect();
        // Ten mapped ratings (movie 99 is not in the catalog): 8 history, 2 later.
        let mut ratings: Vec<Rating> = (1..=10).map(|m| rating(m, 3.0, i64::from(m))).collect();
        ratings.insert(3, rating(99, 5.0, 3));
        ratings[9] = rating(9, 4.5, 9);
        ratings[10] = rating(10, 3.5, 10);

        let user = split_user(7, &ratings, &map);

        assert_eq!(user.history.len(), 8);
        assert_eq!(user.history[0].item, 101);
        assert_eq!(user.history[0].event_type, "watched");
        assert_eq!(user.relevant, HashSet::from([109]));
    }

    #[test]
    fn a_later_rating_of_a_history_title_is_not_relevant() {
        let map: HashMap<i32, ItemId> = (1..=5).map(|m| (m, m)).collect();
        let ratings: Vec<Rating> = [1, 2, 3, 4, 1]
            .iter()
            .enumerate()
            .map(|(i, &m)| rating(m, 5.0, i as i64))
            .collect();

        let user = split_user(1, &ratings, &map);

        assert_eq!(user.history.len(), 4);
        assert!(user.relevant.is_empty());
    }

    #[test]
    fn a_sample_is_the_same_for_the_same_seed_and_differs_for_another() {
        let users: Vec<SplitUser> = (1..=50)
            .map(|u| SplitUser {
                user: u,
                history: Vec::new(),
                relevant: HashSet::new(),
            })
            .collect();
        let ids = |v: Vec<SplitUser>| v.into_iter().map(|u| u.user).collect::<Vec<_>>();

        let a = ids(sample(users.clone(), Some(10), 1));
        let b = ids(sample(users.clone(), Some(10), 1));
        let c = ids(sample(users.clone(), Some(10), 2));

        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 10);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ids(sample(users, None, 1)).len(), 50);
    }
}
