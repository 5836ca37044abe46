//! Tests of [`super`] (the profile maths), kept apart so the module stays short.

use super::*;
use crate::vector::norm;

fn row(
    item_id: ItemId,
    event: &str,
    weight: Option<i32>,
    vector: &[f32],
    genre: &str,
) -> HistoryRow {
    HistoryRow {
        item_id,
        event_type: event.to_owned(),
        weight,
        vector: Some(vector.to_vec()),
        genres: vec![genre.to_owned()],
    }
}

fn profile(rows: &[HistoryRow]) -> ProfileVectors {
    compute_profile(rows, &ProfileSettings::default())
}

#[track_caller]
fn assert_close(actual: f32, expected: f32) {
    assert!((actual - expected).abs() < 1e-5, "{actual} != {expected}");
}

#[test]
fn no_history_gives_no_profile() {
    assert_eq!(profile(&[]), ProfileVectors::default());
}

#[test]
fn the_short_vector_leans_towards_the_newest_item() {
    let p = profile(&[
        row(101, "watched", Some(1), &[1.0, 0.0, 0.0], "A"),
        row(202, "watched", Some(1), &[0.0, 1.0, 0.0], "B"),
    ]);
    let short = p.short.expect("two usable rows");
    assert!(short[0] > short[1]);
}

#[test]
fn both_vectors_have_unit_norm() {
    let p = profile(&[
        row(101, "watched", Some(1), &[1.0, 0.0, 0.0], "A"),
        row(202, "liked", Some(1), &[0.0, 3.0, 0.0], "B"),
    ]);
    assert_close(norm(&p.short.expect("usable rows")), 1.0);
    assert_close(norm(&p.long.expect("usable rows")), 1.0);
}

#[test]
fn explicit_feedback_outweighs_a_plain_watch() {
    let p = profile(&[
        row(101, "watched", Some(1), &[1.0, 0.0, 0.0], "Action"),
        row(202, "rated", Some(5), &[0.0, 1.0, 0.0], "Drama"),
    ]);
    let long = p.long.expect("usable rows");
    assert!(long[1] > long[0]);
    let prefs = p.genre_prefs.expect("genres scored");
    assert_eq!(prefs[0].0, "Drama");
    assert_eq!(prefs[1].0, "Action");
    assert!(prefs[0].1 > prefs[1].1);
}

#[test]
fn a_negative_item_is_excluded_from_vectors_and_genres() {
    let p = profile(&[
        row(301, "not_interested", Some(1), &[1.0, 0.0, 0.0], "Horror"),
        row(302, "watched", Some(1), &[0.0, 1.0, 0.0], "Comedy"),
    ]);
    assert_eq!(p.negatives, vec![301]);
    let (short, long) = (
        p.short.expect("one usable row"),
        p.long.expect("one usable row"),
    );
    assert_close(short[0], 0.0);
    assert_close(short[1], 1.0);
    assert_close(long[0], 0.0);
    assert_close(long[1], 1.0);
    assert_eq!(p.genre_prefs, Some(vec![("Comedy".to_owned(), 1.0)]));
    assert_eq!(p.used_items, vec![302]);
}

#[test]
fn only_negative_rows_give_negatives_and_no_vectors() {
    let p = profile(&[
        row(9, "Disliked", None, &[1.0], "X"),
        row(3, "not_interested", None, &[1.0], "X"),
    ]);
    assert_eq!((p.short, p.long, p.genre_prefs), (None, None, None));
    assert_eq!(p.negatives, vec![3, 9]);
}

#[test]
fn rows_without_a_usable_vector_are_skipped() {
    let mut missing = row(1, "watched", None, &[], "A");
    missing.vector = None;
    let other_dim = row(2, "watched", None, &[1.0, 0.0], "B");
    let good = row(3, "watched", None, &[0.0, 0.0, 1.0], "C");
    let p = profile(&[missing, good, other_dim]);
    assert_eq!(p.used_items, vec![3]);
    assert_eq!(p.genre_prefs, Some(vec![("C".to_owned(), 1.0)]));
}

#[test]
fn all_zero_weights_count_as_equal_weights() {
    let p = profile(&[
        row(1, "liked", Some(0), &[1.0, 0.0], "A"),
        row(2, "watched", Some(-4), &[0.0, 1.0], "B"),
    ]);
    let long = p.long.expect("usable rows");
    assert_close(long[0], long[1]);
}

#[test]
fn a_shorter_half_life_favours_recent_items_more() {
    let rows: Vec<HistoryRow> = (0..5)
        .map(|i| row(i, "watched", None, &[1.0, i as f32], "A"))
        .collect();
    let fast = compute_profile(&rows, &ProfileSettings { half_life: 1.0 })
        .short
        .expect("usable");
    let slow = compute_profile(&rows, &ProfileSettings { half_life: 20.0 })
        .short
        .expect("usable");
    // Newer rows point along x; older ones lean towards y.
    assert!(fast[1] < slow[1]);
}

#[test]
fn the_half_life_is_floored() {
    assert_eq!(
        ProfileSettings { half_life: 0.0 }.effective_half_life(),
        0.001
    );
    assert_eq!(
        ProfileSettings {
            half_life: f64::NAN
        }
        .effective_half_life(),
        0.001
    );
    assert_eq!(ProfileSettings::default().half_life, 10.0);
}

#[test]
fn repeated_items_are_used_once_per_row_but_listed_once() {
    let p = profile(&[
        row(7, "watched", None, &[1.0, 0.0], "A"),
        row(7, "liked", None, &[1.0, 0.0], "A"),
    ]);
    assert_eq!(p.used_items, vec![7]);
}

#[test]
fn neighbours_rank_by_summed_overlap() {
    let rows = vec![
        ("ann".to_owned(), Some(1), "watched".to_owned()),
        ("bob".to_owned(), Some(2), "liked".to_owned()),
        ("ann".to_owned(), None, "rated".to_owned()),
        ("cat".to_owned(), Some(2), "watched".to_owned()),
    ];
    assert_eq!(
        rank_neighbours(&rows, NEIGHBOUR_TOP),
        vec![
            ("ann".to_owned(), 2.0),
            ("bob".to_owned(), 2.0),
            ("cat".to_owned(), 2.0)
        ]
    );
    assert_eq!(rank_neighbours(&rows, 1), vec![("ann".to_owned(), 2.0)]);
}

#[test]
fn negative_events_and_negative_weights_are_not_overlap() {
    let rows = vec![
        ("hater".to_owned(), Some(5), "disliked".to_owned()),
        ("odd".to_owned(), Some(-3), "watched".to_owned()),
        ("odd".to_owned(), Some(1), "watched".to_owned()),
        ("zero".to_owned(), Some(0), "watched".to_owned()),
    ];
    assert_eq!(
        rank_neighbours(&rows, NEIGHBOUR_TOP),
        vec![("odd".to_owned(), 1.0)]
    );
}

#[test]
fn the_collaborative_blend_moves_long_towards_the_neighbours() {
    let p = profile(&[row(1, "watched", None, &[1.0, 0.0, 0.0], "Action")]);
    let short_before = p.short.clone();
    let long =
        blend_collaborative(p.long.as_deref(), &[(vec![0.0, 1.0, 0.0], 2.0)]).expect("long exists");
    assert!(long[1] > 0.2);
    assert_close(norm(&long), 1.0);
    // 0.7 / 0.3 of two unit vectors, renormalised.
    assert_close(long[1] / long[0], 0.3 / 0.7);
    assert_eq!(p.short, short_before);
}

#[test]
fn the_blend_normalises_long_first_so_its_scale_does_not_matter() {
    let neighbours = [(vec![0.0, 1.0], 1.0)];
    let small = blend_collaborative(Some(&[0.1, 0.0]), &neighbours).expect("long exists");
    let large = blend_collaborative(Some(&[10.0, 0.0]), &neighbours).expect("long exists");
    assert_close(small[1], large[1]);
}

#[test]
fn neighbours_are_averaged_by_overlap_weight() {
    let neighbours = [
        (vec![0.0, 1.0], 3.0),
        (vec![0.0, -1.0], 1.0),
        (vec![1.0, 1.0, 1.0], 9.0),
    ];
    let only_collab = blend_collaborative(None, &neighbours).expect("a collab direction");
    assert_close(only_collab[1], 1.0);
}

#[test]
fn without_usable_neighbours_long_is_kept() {
    let long =
        blend_collaborative(Some(&[3.0, 4.0]), &[(vec![1.0, 0.0], 0.0)]).expect("long exists");
    assert_close(long[0], 0.6);
    assert_eq!(blend_collaborative(None, &[]), None);
}

#[test]
fn exclusions_list_every_item_once_and_negatives_sorted() {
    let history = vec![
        (5, "watched".to_owned()),
        (9, "Not_Interested".to_owned()),
        (5, "liked".to_owned()),
        (2, "disliked".to_owned()),
    ];
    assert_eq!(exclusions(&history), (vec![5, 9, 2], vec![2, 9]));
}

#[test]
fn a_title_only_on_the_watchlist_is_not_excluded() {
    let history = vec![
        (5, "watchlist".to_owned()),
        (7, "watched".to_owned()),
        (7, "watchlist".to_owned()),
    ];
    assert_eq!(exclusions(&history), (vec![7], vec![]));
}
