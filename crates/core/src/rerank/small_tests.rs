use super::*;
use crate::item::{Genre, MediaType};

fn ids(decisions: &[RerankDecision]) -> Vec<i64> {
    decisions.iter().map(|d| d.id).collect()
}

#[test]
fn the_closest_document_wins() {
    let docs = vec![vec![0.95, 0.05], vec![0.85, 0.15], vec![0.4, 0.6]];
    let items = [(3, 2), (1, 0), (2, 1)];
    let decisions = small_scores(&[1.0, 0.0], &docs, &items, 0.05, 12);
    assert_eq!(ids(&decisions), vec![3, 1, 2]);
    assert!(decisions.iter().all(|d| d.explanation.is_none()));
    let top = decisions[0].score.expect("a score");
    assert!((top - (0.975 + 0.05 / 3.0)).abs() < 1e-6, "{top}");
}

#[test]
fn equal_similarity_keeps_the_original_order_and_the_limit_cuts() {
    let docs = vec![vec![1.0, 0.0]; 3];
    let decisions = small_scores(&[1.0, 0.0], &docs, &[(7, 2), (8, 0), (9, 1)], 0.0, 2);
    assert_eq!(ids(&decisions), vec![8, 9]);
}

#[test]
fn the_rank_weight_breaks_near_ties_towards_the_original_order() {
    let docs = vec![vec![0.80, 0.6], vec![0.81, 0.59]];
    let decisions = small_scores(&[1.0, 0.0], &docs, &[(1, 0), (2, 1)], 0.05, 12);
    assert_eq!(ids(&decisions), vec![1, 2]);
}

#[test]
fn bad_shapes_or_a_zero_query_give_no_decisions() {
    let docs = vec![vec![1.0, 0.0]];
    assert!(small_scores(&[0.0, 0.0], &docs, &[(1, 0)], 0.05, 12).is_empty());
    assert!(small_scores(&[1.0, 0.0, 0.0], &docs, &[(1, 0)], 0.05, 12).is_empty());
    assert!(small_scores(&[1.0, 0.0], &docs, &[], 0.05, 12).is_empty());
}

#[test]
fn the_query_text_joins_the_query_and_the_filters() {
    let filters = IntentFilters {
        genres: vec!["Comedy".into()],
        moods: vec!["light".into()],
        media_types: vec![MediaType::Movie],
        max_runtime: Some(120),
        maturity_rating_max: Some("PG".into()),
        ..Default::default()
    };
    assert_eq!(
        small_query_text(Some(" fun night "), &filters),
        "fun night | Genres: Comedy, Family, Animation | Media: movie | Runtime <=120m | Rating ≤ PG"
    );
}

#[test]
fn no_query_and_no_filters_give_an_empty_query_text() {
    assert_eq!(small_query_text(Some("  "), &IntentFilters::default()), "");
    let both = IntentFilters {
        min_runtime: Some(90),
        max_runtime: Some(150),
        ..Default::default()
    };
    assert_eq!(small_query_text(None, &both), "Runtime >=90m <=150m");
}

#[test]
fn a_document_lists_what_is_known() {
    let mut item = Item::bare(5, MediaType::Movie, "Moon");
    item.genres = vec![Genre {
        id: None,
        name: "Science Fiction".into(),
    }];
    item.runtime = Some(97);
    item.release_year = Some(2009);
    item.overview = Some("Alone on the Moon.".into());
    assert_eq!(
        small_document(&item),
        "Moon. Genres: Science Fiction. Media: movie. Runtime: 97 minutes. Released: 2009. Alone on the Moon."
    );
    let bare = Item::bare(6, MediaType::Tv, "");
    assert_eq!(small_document(&bare), "Media: tv");
}

#[test]
fn the_cache_key_changes_with_the_user_the_query_and_the_items() {
    let c = |id| Candidate::new(Item::bare(id, MediaType::Movie, "t"), None, 0);
    let base = small_cache_key("u1", "Fun", 12, &[c(1), c(2)]);
    assert_eq!(base, small_cache_key("u1", " fun ", 12, &[c(1), c(2)]));
    assert_ne!(base, small_cache_key("u2", "fun", 12, &[c(1), c(2)]));
    assert_ne!(base, small_cache_key("u1", "fun", 12, &[c(2), c(1)]));
    assert_ne!(base, small_cache_key("u1", "fun", 5, &[c(1), c(2)]));
    assert_eq!(base.len(), 64);
}

#[test]
fn settings_are_clamped_to_the_originals_ranges() {
    let raw = SmallRerankSettings {
        input_window: 0,
        output_limit: 0,
        timeout: Duration::from_millis(10),
        cache_ttl: Duration::from_secs(1),
        cache_max_entries: 3,
        rank_weight: 0.9,
    };
    let s = raw.clamped();
    assert_eq!(
        (s.input_window, s.output_limit, s.cache_max_entries),
        (1, 1, 16)
    );
    assert_eq!(s.timeout, Duration::from_millis(100));
    assert_eq!(s.cache_ttl, Duration::from_secs(5));
    assert_eq!(s.rank_weight, 0.3);
    let negative = SmallRerankSettings {
        rank_weight: -1.0,
        ..Default::default()
    }
    .clamped();
    assert_eq!(negative.rank_weight, 0.0);
    let nan = SmallRerankSettings {
        rank_weight: f64::NAN,
        ..Default::default()
    }
    .clamped();
    assert_eq!(nan.rank_weight, 0.05);
    assert_eq!(
        SmallRerankSettings::default().clamped(),
        SmallRerankSettings::default()
    );
}
