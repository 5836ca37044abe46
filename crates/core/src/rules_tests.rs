use super::*;
use crate::item::{Genre, Item, MediaType};
use serde_json::json;

fn cand(id: i32, genre: &str, score: f64) -> Candidate {
    let mut item = Item::bare(id, MediaType::Movie, "t");
    item.genres = vec![Genre {
        id: None,
        name: genre.to_owned(),
    }];
    item.vote_count = Some(100);
    let mut c = Candidate::new(item, None, id as usize - 1);
    c.retrieval_score = score;
    c
}

fn ids(cands: &[Candidate]) -> Vec<i32> {
    cands.iter().map(|c| c.item.id).collect()
}

fn run(rules: Value, cands: Vec<Candidate>) -> (Vec<Candidate>, Vec<RuleEffect>) {
    BusinessRules::from_json(&rules).apply(cands, &IntentFilters::default())
}

#[test]
fn genre_vote_and_media_filters_combine() {
    let mut low_votes = cand(3, "Drama", 0.5);
    std::sync::Arc::make_mut(&mut low_votes.item).vote_count = Some(10);
    let mut tv = cand(4, "Drama", 0.5);
    std::sync::Arc::make_mut(&mut tv.item).media_type = MediaType::Tv;
    let rules = json!({"filters": {
        "exclude_genres": ["Horror"], "min_vote_count": 50, "exclude_media_types": ["tv"]
    }});
    let (out, effects) = run(
        rules,
        vec![cand(1, "Drama", 0.5), cand(2, "Horror", 0.5), low_votes, tv],
    );
    assert_eq!(ids(&out), vec![1]);
    assert_eq!(
        effects,
        vec![
            RuleEffect::Dropped {
                id: 2,
                filter: RuleFilter::ExcludeGenres
            },
            RuleEffect::Dropped {
                id: 3,
                filter: RuleFilter::MinVoteCount
            },
            RuleEffect::Dropped {
                id: 4,
                filter: RuleFilter::ExcludeMediaTypes
            },
        ]
    );
}

#[test]
fn genre_multiplier_and_recent_bonus_reorder_the_list() {
    let mut drama = cand(1, "Drama", 0.5);
    std::sync::Arc::make_mut(&mut drama.item).release_year = Some(2019);
    let mut comedy = cand(2, "Comedy", 0.4);
    std::sync::Arc::make_mut(&mut comedy.item).release_year = Some(2022);
    let rules = json!({"boosts": {
        "genre_multipliers": {"Comedy": 2}, "recent_release": {"year": 2020, "bonus": 0.1}
    }});
    let (out, _) = run(rules, vec![drama, comedy]);
    assert_eq!(ids(&out), vec![2, 1]);
    assert!((out[0].retrieval_score - 0.9).abs() < 1e-12);
    assert_eq!((out[0].original_rank, out[1].original_rank), (0, 1));
}

#[test]
fn a_tmdb_id_multiplier_lifts_that_title() {
    let mut first = cand(1, "Drama", 0.3);
    std::sync::Arc::make_mut(&mut first.item).tmdb_id = 100;
    let rules = json!({"boosts": {"tmdb_id_multipliers": {"100": 3}}});
    let (out, effects) = run(rules, vec![first, cand(2, "Drama", 0.4)]);
    assert_eq!(ids(&out), vec![1, 2]);
    assert!(
        matches!(effects[0], RuleEffect::Boosted { id: 1, multiplier, .. } if multiplier == 3.0)
    );
}

#[test]
fn intent_genres_ids_and_years_filter_together() {
    let mut future = cand(5, "Comedy", 0.4);
    std::sync::Arc::make_mut(&mut future.item).release_year = Some(2030);
    let mut tmdb_40 = cand(4, "Comedy", 0.4);
    std::sync::Arc::make_mut(&mut tmdb_40.item).tmdb_id = 40;
    let intent = IntentFilters {
        genres: vec!["Comedy".into()],
        ..Default::default()
    };
    let rules = BusinessRules::from_json(&json!({
        "filters": {
            "require_intent_genres": true, "include_genres": ["Comedy"],
            "exclude_ids": ["3"], "exclude_tmdb_ids": ["40"], "max_release_year": 2025
        },
        "boosts": {"genre_multipliers": {"Comedy": 1.5}}
    }));
    let cands = vec![
        cand(1, "Comedy", 0.4),
        cand(2, "Drama", 0.9),
        cand(3, "Comedy", 0.4),
        tmdb_40,
        future,
    ];
    let (out, _) = rules.apply(cands, &intent);
    assert_eq!(ids(&out), vec![1]);
    assert!(out[0].retrieval_score > 0.5);
}

#[test]
fn require_intent_genres_is_case_sensitive() {
    let intent = IntentFilters {
        genres: vec!["comedy".into()],
        ..Default::default()
    };
    let rules = BusinessRules::from_json(&json!({"filters": {"require_intent_genres": 1}}));
    let (out, _) = rules.apply(vec![cand(1, "Comedy", 0.4)], &intent);
    assert!(out.is_empty());
}

#[test]
fn a_zero_minimum_still_drops_titles_without_a_vote_count() {
    let mut unknown = cand(2, "Drama", 0.4);
    std::sync::Arc::make_mut(&mut unknown.item).vote_count = None;
    let (out, _) = run(
        json!({"filters": {"min_vote_count": "0"}}),
        vec![cand(1, "Drama", 0.5), unknown],
    );
    assert_eq!(ids(&out), vec![1]);
}

#[test]
fn the_min_year_treats_a_missing_year_as_zero_and_the_max_year_ignores_it() {
    let mut old = cand(2, "Drama", 0.4);
    std::sync::Arc::make_mut(&mut old.item).release_year = Some(1990);
    let (out, _) = run(
        json!({"filters": {"min_release_year": 2000}}),
        vec![cand(1, "Drama", 0.5), old.clone()],
    );
    assert!(out.is_empty());
    let (out, _) = run(
        json!({"filters": {"max_release_year": 1980}}),
        vec![cand(1, "Drama", 0.5), old],
    );
    assert_eq!(ids(&out), vec![1]);
}

#[test]
fn configured_genre_names_are_stripped() {
    let (out, _) = run(
        json!({"filters": {"exclude_genres": [" Horror "]}}),
        vec![cand(1, "Horror", 0.5)],
    );
    assert!(out.is_empty());
}

#[test]
fn uncoercible_ids_are_ignored() {
    let rules = json!({"filters": {"exclude_ids": ["x", 1.5, "2"]}});
    let (out, _) = run(
        rules,
        vec![
            cand(1, "Drama", 0.5),
            cand(2, "Drama", 0.4),
            cand(3, "Drama", 0.3),
        ],
    );
    assert_eq!(ids(&out), vec![3]);
}

#[test]
fn int_coercion_follows_python() {
    assert_eq!(py_int(&json!(true)), Some(1));
    assert_eq!(py_int(&json!(2.9)), Some(2));
    assert_eq!(py_int(&json!(" 7 ")), Some(7));
    assert_eq!(py_int(&json!("1.5")), None);
    assert_eq!(py_int(&json!([1])), None);
}

#[test]
fn a_non_numeric_factor_counts_as_one() {
    let rules = json!({"boosts": {
        "genre_multipliers": {"Drama": "x"}, "id_multipliers": {"1": null, "2": "2"}
    }});
    let (out, _) = run(rules, vec![cand(1, "Drama", 0.5), cand(2, "Drama", 0.3)]);
    assert_eq!(ids(&out), vec![2, 1]);
    assert_eq!(out[1].retrieval_score, 0.5);
}

#[test]
fn the_popularity_multiplier_applies_at_or_above_the_threshold() {
    let mut popular = cand(2, "Drama", 0.3);
    std::sync::Arc::make_mut(&mut popular.item).popularity = Some(50.0);
    let rules = json!({"boosts": {"popularity_multiplier": {"threshold": 50, "factor": 2}}});
    let (out, _) = run(rules, vec![cand(1, "Drama", 0.5), popular]);
    assert_eq!(ids(&out), vec![2, 1]);
}

#[test]
fn a_null_popularity_factor_disables_that_boost() {
    let mut popular = cand(2, "Drama", 0.3);
    std::sync::Arc::make_mut(&mut popular.item).popularity = Some(50.0);
    let rules = json!({"boosts": {"popularity_multiplier": {"factor": null}}});
    let (out, effects) = run(rules, vec![cand(1, "Drama", 0.5), popular]);
    assert_eq!(ids(&out), vec![1, 2]);
    assert!(effects.is_empty());
}

#[test]
fn filters_alone_keep_order_and_ranks() {
    let (out, _) = run(
        json!({"filters": {"exclude_genres": ["Horror"]}}),
        vec![
            cand(1, "Horror", 0.1),
            cand(2, "Drama", 0.2),
            cand(3, "Drama", 0.9),
        ],
    );
    assert_eq!(ids(&out), vec![2, 3]);
    assert_eq!(out[0].original_rank, 1);
}

#[test]
fn empty_or_malformed_rules_pass_the_list_through() {
    for rules in [
        json!({}),
        json!([1, 2]),
        json!({"filters": [], "boosts": "x"}),
    ] {
        let (out, effects) = run(rules, vec![cand(2, "Drama", 0.1), cand(1, "Drama", 0.9)]);
        assert_eq!(ids(&out), vec![2, 1]);
        assert!(effects.is_empty());
    }
    assert_eq!(
        BusinessRules::from_json(&json!({})),
        BusinessRules::default()
    );
}

#[test]
fn every_title_filtered_gives_an_empty_list() {
    let (out, _) = run(
        json!({"filters": {"include_genres": ["Western"]}}),
        vec![cand(1, "Drama", 0.5)],
    );
    assert!(out.is_empty());
}
