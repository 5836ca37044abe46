use super::*;
use crate::item::{Genre, MediaType};

fn movie() -> Item {
    Item::bare(1, MediaType::Movie, "Film")
}

fn with_genres(mut item: Item, names: &[&str]) -> Item {
    item.genres = names
        .iter()
        .map(|n| Genre {
            id: None,
            name: (*n).to_owned(),
        })
        .collect();
    item
}

fn rated(rating: Option<&str>) -> Item {
    let mut item = movie();
    item.maturity_rating = rating.map(str::to_owned);
    item
}

fn cap(rating: &str) -> IntentFilters {
    IntentFilters {
        maturity_rating_max: Some(rating.to_owned()),
        ..IntentFilters::default()
    }
}

fn unverified(reasons: &[&str]) -> MatchOutcome {
    MatchOutcome::Unverified(reasons.iter().map(|r| (*r).to_owned()).collect())
}

#[test]
fn an_intent_without_filters_passes_everything() {
    assert_eq!(
        item_matches(&movie(), &IntentFilters::default(), true),
        MatchOutcome::Pass
    );
}

#[test]
fn the_wrong_media_type_fails() {
    let f = IntentFilters {
        media_types: vec![MediaType::Tv],
        ..IntentFilters::default()
    };
    assert_eq!(item_matches(&movie(), &f, true), MatchOutcome::Fail);
}

#[test]
fn a_missing_runtime_is_unverified_not_failed() {
    let f = IntentFilters {
        max_runtime: Some(100),
        ..IntentFilters::default()
    };
    assert_eq!(
        item_matches(&movie(), &f, true),
        unverified(&["runtime unknown"])
    );
}

#[test]
fn runtimes_outside_the_bounds_fail_and_inside_pass() {
    let f = IntentFilters {
        min_runtime: Some(80),
        max_runtime: Some(100),
        ..IntentFilters::default()
    };
    let mut item = movie();
    item.runtime = Some(120);
    assert_eq!(item_matches(&item, &f, true), MatchOutcome::Fail);
    item.runtime = Some(79);
    assert_eq!(item_matches(&item, &f, true), MatchOutcome::Fail);
    item.runtime = Some(100);
    assert_eq!(item_matches(&item, &f, true), MatchOutcome::Pass);
}

#[test]
fn a_pg13_item_passes_a_tv14_cap() {
    assert!(item_matches(&rated(Some("PG-13")), &cap("TV-14"), true).is_pass());
}

#[test]
fn under_a_pg_cap_g_passes_and_tv_ma_fails() {
    assert!(item_matches(&rated(Some("G")), &cap("PG"), true).is_pass());
    assert!(item_matches(&rated(Some("TV-MA")), &cap("PG"), true).is_fail());
    assert!(item_matches(&rated(Some("NR")), &cap("PG"), true).is_fail());
}

#[test]
fn a_missing_or_unknown_rating_under_a_cap_is_unverified() {
    assert_eq!(
        item_matches(&rated(None), &cap("PG"), true),
        unverified(&["rating unknown"])
    );
    assert_eq!(
        item_matches(&rated(Some("Unknown")), &cap("PG"), true),
        unverified(&["rating unknown"])
    );
}

#[test]
fn a_cap_of_unknown_level_checks_nothing() {
    assert!(item_matches(&rated(None), &cap("13"), true).is_pass());
}

#[test]
fn languages_compare_without_case_and_a_missing_one_is_unverified() {
    let f = IntentFilters {
        languages: vec!["fr".into()],
        ..IntentFilters::default()
    };
    let mut item = movie();
    assert_eq!(
        item_matches(&item, &f, true),
        unverified(&["language unknown"])
    );
    item.original_language = Some("FR".into());
    assert!(item_matches(&item, &f, true).is_pass());
    item.original_language = Some("en".into());
    assert!(item_matches(&item, &f, true).is_fail());
}

#[test]
fn release_years_outside_the_range_fail_and_a_missing_year_is_unverified() {
    let f = IntentFilters {
        year_min: Some(1990),
        year_max: Some(1999),
        ..IntentFilters::default()
    };
    let mut item = movie();
    assert_eq!(
        item_matches(&item, &f, true),
        unverified(&["release year unknown"])
    );
    item.release_year = Some(2001);
    assert!(item_matches(&item, &f, true).is_fail());
    item.release_year = Some(1995);
    assert!(item_matches(&item, &f, true).is_pass());
}

#[test]
fn an_excluded_genre_fails_whatever_its_case() {
    let f = IntentFilters {
        exclude_genres: vec!["horror".into()],
        ..IntentFilters::default()
    };
    assert!(item_matches(&with_genres(movie(), &["Comedy", "Horror"]), &f, false).is_fail());
    assert!(item_matches(&with_genres(movie(), &["Comedy"]), &f, false).is_pass());
}

#[test]
fn an_enforced_include_genre_must_match_at_least_once() {
    let f = IntentFilters {
        genres: vec!["science fiction".into(), "Drama".into()],
        ..IntentFilters::default()
    };
    assert!(item_matches(&with_genres(movie(), &["Science Fiction"]), &f, true).is_pass());
    assert!(item_matches(&with_genres(movie(), &["Comedy"]), &f, true).is_fail());
}

#[test]
fn include_genres_are_not_checked_when_not_enforced() {
    let f = IntentFilters {
        genres: vec!["Drama".into()],
        ..IntentFilters::default()
    };
    assert!(item_matches(&with_genres(movie(), &["Comedy"]), &f, false).is_pass());
}

#[test]
fn unknown_genres_are_not_a_match_even_when_not_enforced() {
    let f = IntentFilters {
        genres: vec!["Comedy".into()],
        ..IntentFilters::default()
    };
    assert!(item_matches(&with_genres(movie(), &["Comedy"]), &f, false).is_pass());
    assert_eq!(
        item_matches(&movie(), &f, false),
        unverified(&["genres unknown"])
    );
}

#[test]
fn mood_genres_count_as_include_genres() {
    let f = IntentFilters {
        moods: vec!["scary".into()],
        ..IntentFilters::default()
    };
    assert!(item_matches(&with_genres(movie(), &["Thriller"]), &f, true).is_pass());
    assert!(item_matches(&with_genres(movie(), &["Comedy"]), &f, true).is_fail());
}

#[test]
fn an_item_without_genres_is_unverified_once_for_includes_and_excludes() {
    let f = IntentFilters {
        genres: vec!["Drama".into()],
        exclude_genres: vec!["Horror".into()],
        ..IntentFilters::default()
    };
    assert_eq!(
        item_matches(&movie(), &f, true),
        unverified(&["genres unknown"])
    );
}

#[test]
fn a_known_failure_wins_over_unknown_values() {
    let f = IntentFilters {
        max_runtime: Some(90),
        media_types: vec![MediaType::Movie],
        year_min: Some(2000),
        ..IntentFilters::default()
    };
    let mut item = movie();
    item.release_year = Some(1980);
    assert_eq!(item_matches(&item, &f, true), MatchOutcome::Fail);
}

#[test]
fn every_unknown_value_is_reported_in_check_order() {
    let f = IntentFilters {
        max_runtime: Some(90),
        maturity_rating_max: Some("PG".into()),
        year_max: Some(2000),
        ..IntentFilters::default()
    };
    assert_eq!(
        item_matches(&movie(), &f, true),
        unverified(&["runtime unknown", "rating unknown", "release year unknown"])
    );
}

#[test]
fn a_negated_mood_excludes_its_genre_in_the_post_filter_even_when_a_mood_implies_it() {
    use crate::intent::fallbacks::FallbackRules;
    use crate::intent::filters::build_filters;
    use crate::intent::normalize::resolve_intent;

    let query = "something dark but not scary";
    let intent = resolve_intent(None, query, &FallbackRules::default_rules()).intent;
    let (f, _) = build_filters(&intent, Some(query), None);
    assert_eq!(f.moods, vec!["dark"]);
    assert_eq!(f.exclude_genres, vec!["Horror"]);
    let horror_thriller = with_genres(movie(), &["Thriller", "Horror"]);
    assert!(item_matches(&horror_thriller, &f, true).is_fail());
    assert!(item_matches(&with_genres(movie(), &["Thriller"]), &f, true).is_pass());
    assert!(item_matches(&with_genres(movie(), &["Horror"]), &f, false).is_fail());
}

#[test]
fn a_title_carrying_a_left_out_tag_fails_and_one_without_keywords_passes() {
    let f = IntentFilters {
        exclude_tags: vec!["vampire".into()],
        ..IntentFilters::default()
    };
    let mut bitten = movie();
    bitten.keywords = vec!["Vampire".into(), "night".into()];
    assert!(item_matches(&bitten, &f, true).is_fail());
    assert!(item_matches(&movie(), &f, true).is_pass());
}
