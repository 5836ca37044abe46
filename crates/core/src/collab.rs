//! Collaborative recall: items the user's neighbours engaged with recently (spec §4.11).
//!
//! The store loads the neighbours' latest history rows (newest first, at most
//! [`history_limit`] of them); this module scores them. An item scores
//! `Σ neighbour_weight × event_weight` over the rows that mention it, and the list is
//! normalised so the best item scores 1.

use crate::events::{event_weight, is_negative};
use crate::item::ItemId;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One history row of a neighbour, as the store returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct NeighbourRow {
    /// The item the event is about.
    pub item_id: ItemId,
    /// Canonical id of the neighbour who wrote the row.
    pub user_id: String,
    /// Stored weight; `None` counts as 1, negatives as 0.
    pub weight: Option<i32>,
    /// Event type as stored; compared lower-cased.
    pub event_type: String,
    /// Event time, unix microseconds.
    pub ts: i64,
    /// `user_history.id`, breaking ties between rows written in one transaction.
    pub id: i64,
}

/// How many neighbour history rows to load: `max(4·candidate_limit, 200)`.
pub fn history_limit(candidate_limit: usize) -> usize {
    candidate_limit.saturating_mul(4).max(200)
}

/// Reads `users.neighbors` (`[{"user_id": "...", "weight": 1.5}, ...]`) leniently.
///
/// Entries that are not objects, have a blank `user_id`, or a weight that is missing,
/// unparsable, non-finite or ≤ 0 are skipped. Ids are trimmed; numeric ids and numeric
/// strings for weights are accepted, as Python's `str()`/`float()` did. Order is kept.
pub fn parse_neighbours(value: &Value) -> Vec<(String, f64)> {
    let Some(entries) = value.as_array() else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let user_id = match entry.get("user_id")? {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => return None,
            };
            let weight = match entry.get("weight")? {
                Value::Number(n) => n.as_f64()?,
                Value::String(s) => s.trim().parse::<f64>().ok()?,
                Value::Bool(b) => f64::from(u8::from(*b)),
                Value::Null | Value::Array(_) | Value::Object(_) => return None,
            };
            (!user_id.is_empty() && weight.is_finite() && weight > 0.0).then_some((user_id, weight))
        })
        .collect()
}

/// Running score of one item.
struct Tally {
    score: f64,
    /// Latest `(ts, id)` among the rows that scored the item.
    latest: (i64, i64),
}

/// Scores the neighbours' rows and returns at most `candidate_limit` `(item, score)` pairs,
/// best first, scores divided by the best one.
///
/// Rows are skipped when the item is excluded, outside a given allowlist, negative, from a
/// user who is not a valid neighbour, or worth nothing (weight ≤ 0). An allowlist of no ids
/// yields nothing. Ties are broken by the latest `(ts, id)` of the item's rows, newest
/// first, then by item id; the original compared timestamps alone, which tie for rows
/// written by one request (spec §10.17).
///
/// Pinned: neighbours ally 0.5, bob 1.5 and zero 0.0 over the spec's rows give
/// `[(10, 1.0)]`.
pub fn collaborative_scores(
    neighbours: &[(String, f64)],
    rows: &[NeighbourRow],
    exclude: &HashSet<ItemId>,
    allow: Option<&HashSet<ItemId>>,
    candidate_limit: usize,
) -> Vec<(ItemId, f64)> {
    // Later entries win, as in the original's dict.
    let weights: HashMap<&str, f64> = neighbours
        .iter()
        .map(|(id, w)| (id.trim(), *w))
        .filter(|(id, w)| !id.is_empty() && w.is_finite() && *w > 0.0)
        .collect();
    if weights.is_empty() || allow.is_some_and(HashSet::is_empty) {
        return Vec::new();
    }

    let mut tallies: HashMap<ItemId, Tally> = HashMap::new();
    for row in rows {
        let Some(&neighbour_weight) = weights.get(row.user_id.trim()) else {
            continue;
        };
        if exclude.contains(&row.item_id)
            || allow.is_some_and(|a| !a.contains(&row.item_id))
            || is_negative(&row.event_type)
        {
            continue;
        }
        let event_score = event_weight(&row.event_type, row.weight);
        if event_score <= 0.0 {
            continue;
        }
        let tally = tallies.entry(row.item_id).or_insert(Tally {
            score: 0.0,
            latest: (i64::MIN, i64::MIN),
        });
        tally.score += neighbour_weight * event_score;
        tally.latest = tally.latest.max((row.ts, row.id));
    }

    let mut ranked: Vec<(ItemId, Tally)> = tallies.into_iter().collect();
    ranked.sort_by(|(a_id, a), (b_id, b)| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.latest.cmp(&a.latest))
            .then_with(|| a_id.cmp(b_id))
    });
    ranked.truncate(candidate_limit);

    let best = ranked.first().map_or(0.0, |(_, t)| t.score);
    let scale = if best > 0.0 { best } else { 1.0 };
    ranked
        .into_iter()
        .map(|(id, t)| (id, t.score / scale))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(item_id: ItemId, user: &str, weight: Option<i32>, event: &str, ts: i64) -> NeighbourRow {
        NeighbourRow {
            item_id,
            user_id: user.to_owned(),
            weight,
            event_type: event.to_owned(),
            ts,
            id: ts,
        }
    }

    fn neighbours() -> Vec<(String, f64)> {
        vec![
            ("ally".into(), 0.5),
            ("bob".into(), 1.5),
            ("zero".into(), 0.0),
        ]
    }

    fn pinned_rows() -> Vec<NeighbourRow> {
        vec![
            row(10, "ally", Some(1), "watched", 6),
            row(10, "bob", Some(1), "liked", 5),
            row(20, "ally", Some(1), "liked", 4),
            row(30, "bob", None, "disliked", 3),
            row(40, "ally", None, "not_interested", 2),
            row(50, "stranger", None, "watched", 1),
        ]
    }

    #[test]
    fn neighbour_rows_score_by_neighbour_and_event_weight() {
        let exclude = HashSet::from([20]);
        let scores = collaborative_scores(&neighbours(), &pinned_rows(), &exclude, None, 9);
        assert_eq!(scores, vec![(10, 1.0)]);
    }

    #[test]
    fn an_allowlist_keeps_only_allowed_items() {
        let allow = HashSet::from([20]);
        let scores = collaborative_scores(
            &neighbours(),
            &pinned_rows(),
            &HashSet::new(),
            Some(&allow),
            9,
        );
        assert_eq!(scores, vec![(20, 1.0)]);
    }

    #[test]
    fn an_empty_allowlist_yields_nothing() {
        let allow = HashSet::new();
        let scores = collaborative_scores(
            &neighbours(),
            &pinned_rows(),
            &HashSet::new(),
            Some(&allow),
            9,
        );
        assert!(scores.is_empty());
    }

    #[test]
    fn no_valid_neighbour_yields_nothing() {
        let only_zero = vec![("zero".to_owned(), 0.0), ("  ".to_owned(), 2.0)];
        let scores = collaborative_scores(&only_zero, &pinned_rows(), &HashSet::new(), None, 9);
        assert!(scores.is_empty());
    }

    #[test]
    fn scores_are_divided_by_the_best_kept_score() {
        let rows = vec![
            row(1, "bob", Some(1), "rated", 2),
            row(2, "bob", Some(1), "watched", 1),
        ];
        let scores = collaborative_scores(&neighbours(), &rows, &HashSet::new(), None, 9);
        assert_eq!(scores.len(), 2);
        assert_eq!(scores[0], (1, 1.0));
        assert!((scores[1].1 - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_zero_or_negative_row_weight_scores_nothing() {
        let rows = vec![
            row(1, "bob", Some(0), "liked", 2),
            row(2, "bob", Some(-3), "rated", 1),
        ];
        assert!(collaborative_scores(&neighbours(), &rows, &HashSet::new(), None, 9).is_empty());
    }

    #[test]
    fn ties_go_to_the_latest_row_then_the_lower_item_id() {
        let mut same_ts = vec![
            row(5, "bob", None, "watched", 7),
            row(3, "bob", None, "watched", 7),
        ];
        same_ts[0].id = 101;
        same_ts[1].id = 100;
        let ids: Vec<ItemId> =
            collaborative_scores(&neighbours(), &same_ts, &HashSet::new(), None, 9)
                .into_iter()
                .map(|(id, _)| id)
                .collect();
        assert_eq!(ids, vec![5, 3]);

        let full_tie = vec![
            row(5, "bob", None, "watched", 7),
            row(3, "bob", None, "watched", 7),
        ];
        let ids: Vec<ItemId> =
            collaborative_scores(&neighbours(), &full_tie, &HashSet::new(), None, 9)
                .into_iter()
                .map(|(id, _)| id)
                .collect();
        assert_eq!(ids, vec![3, 5]);
    }

    #[test]
    fn the_list_is_cut_at_the_candidate_limit() {
        let rows: Vec<NeighbourRow> = (1..=5)
            .map(|i| row(i, "bob", Some(i), "watched", 1))
            .collect();
        let scores = collaborative_scores(&neighbours(), &rows, &HashSet::new(), None, 2);
        assert_eq!(
            scores.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            vec![5, 4]
        );
    }

    #[test]
    fn the_history_limit_is_four_times_the_pool_but_at_least_two_hundred() {
        assert_eq!(history_limit(9), 200);
        assert_eq!(history_limit(100), 400);
    }

    #[test]
    fn stored_neighbours_are_parsed_leniently() {
        let raw = json!([
            {"user_id": " ally ", "weight": 0.5},
            {"user_id": "bob", "weight": "1.5"},
            {"user_id": "zero", "weight": 0},
            {"user_id": "", "weight": 3},
            {"user_id": "nul", "weight": null},
            {"user_id": 7, "weight": 2},
            "garbage",
        ]);
        let parsed = parse_neighbours(&raw);
        assert_eq!(
            parsed,
            vec![
                ("ally".to_owned(), 0.5),
                ("bob".to_owned(), 1.5),
                ("7".to_owned(), 2.0)
            ]
        );
    }

    #[test]
    fn neighbours_that_are_not_a_list_parse_to_nothing() {
        assert!(parse_neighbours(&json!(null)).is_empty());
        assert!(parse_neighbours(&json!({"user_id": "a", "weight": 1})).is_empty());
    }
}
