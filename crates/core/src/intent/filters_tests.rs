use super::*;

fn strings(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn every_llm_field_reaches_the_filters() {
    let llm = LlmIntent {
        include_genres: strings(&["Drama"]),
        exclude_genres: strings(&["Horror"]),
        runtime_minutes_min: Some(80),
        runtime_minutes_max: Some(130),
        languages: strings(&["FR", " es "]),
        year_min: Some(2010),
        year_max: Some(2020),
        maturity_rating_max: Some("PG-13".into()),
        boost_genres: strings(&["Crime"]),
        media_types: strings(&["TV"]),
        include_people: strings(&["Viola Davis"]),
        ..LlmIntent::default()
    };
    let (f, _) = build_filters(&llm, None, None);
    assert_eq!(f.genres, vec!["Drama"]);
    assert_eq!(f.exclude_genres, vec!["Horror"]);
    assert_eq!((f.min_runtime, f.max_runtime), (Some(80), Some(130)));
    assert_eq!(f.languages, vec!["fr", "es"]);
    assert_eq!((f.year_min, f.year_max), (Some(2010), Some(2020)));
    assert_eq!(f.maturity_rating_max.as_deref(), Some("PG-13"));
    assert_eq!(f.boost_genres, vec!["Crime"]);
    assert_eq!(f.media_types, vec![MediaType::Tv]);
    assert_eq!(f.include_people, vec!["Viola Davis"]);
}

#[test]
fn llm_media_types_win_over_the_rule_parser() {
    let llm = LlmIntent {
        media_types: strings(&["tv shows", "bogus"]),
        ..LlmIntent::default()
    };
    let (f, _) = build_filters(&llm, Some("a movie"), None);
    assert_eq!(f.media_types, vec![MediaType::Tv]);
}

#[test]
fn without_llm_media_types_the_rule_parser_gives_them() {
    let (f, _) = build_filters(&LlmIntent::default(), Some("funny films"), None);
    assert_eq!(f.media_types, vec![MediaType::Movie]);
    assert_eq!(f.moods, vec!["funny"]);
}

#[test]
fn the_rule_parser_fills_genres_moods_media_and_runtime_left_open() {
    let llm = LlmIntent {
        include_genres: strings(&["Science Fiction"]),
        maturity_rating_max: Some("PG".into()),
        ..LlmIntent::default()
    };
    let (f, _) = build_filters(&llm, Some("light sci-fi drama movie under 2 hours"), None);
    assert_eq!(f.genres, vec!["Science Fiction", "Drama"]);
    assert_eq!(f.moods, vec!["light"]);
    assert_eq!(f.media_types, vec![MediaType::Movie]);
    assert_eq!(f.max_runtime, Some(120));
    assert_eq!(f.maturity_rating_max.as_deref(), Some("PG"));
    assert_eq!(f.raw_query, "light sci-fi drama movie under 2 hours");
}

#[test]
fn llm_runtime_bounds_are_kept_over_the_rule_parsers() {
    let llm = LlmIntent {
        runtime_minutes_max: Some(90),
        ..LlmIntent::default()
    };
    let (f, _) = build_filters(&llm, Some("under 2 hours"), None);
    assert_eq!(f.max_runtime, Some(90));
}

#[test]
fn a_genre_override_replaces_llm_genres_but_query_genres_are_still_merged() {
    let llm = LlmIntent {
        include_genres: strings(&["Drama"]),
        ..LlmIntent::default()
    };
    let (f, llm) = build_filters(&llm, Some("a comedy"), Some(" Western, ,War "));
    assert_eq!(llm.include_genres, strings(&["Western", "War"]));
    assert_eq!(f.genres, vec!["Western", "War", "Comedy"]);
}

#[test]
fn a_blank_genre_override_changes_nothing() {
    let llm = LlmIntent {
        include_genres: strings(&["Drama"]),
        ..LlmIntent::default()
    };
    let (f, out) = build_filters(&llm, None, Some(" , "));
    assert_eq!(out, llm);
    assert_eq!(f.genres, vec!["Drama"]);
}

#[test]
fn a_genre_both_included_and_excluded_is_only_excluded() {
    let llm = LlmIntent {
        include_genres: strings(&["Horror", "Comedy"]),
        exclude_genres: strings(&["horror"]),
        ..LlmIntent::default()
    };
    let (f, _) = build_filters(&llm, None, None);
    assert_eq!(f.genres, vec!["Comedy"]);
}

#[test]
fn inverted_year_and_runtime_bounds_are_swapped() {
    let llm = LlmIntent {
        year_min: Some(2020),
        year_max: Some(2010),
        runtime_minutes_min: Some(120),
        runtime_minutes_max: Some(90),
        ..LlmIntent::default()
    };
    let (f, _) = build_filters(&llm, None, None);
    assert_eq!((f.year_min, f.year_max), (Some(2010), Some(2020)));
    assert_eq!((f.min_runtime, f.max_runtime), (Some(90), Some(120)));
}

#[test]
fn an_empty_query_skips_the_rule_parser() {
    let (f, _) = build_filters(&LlmIntent::default(), Some(""), None);
    assert_eq!(f, IntentFilters::default());
}

#[test]
fn the_ann_override_replaces_the_description_trimmed() {
    let mut llm = LlmIntent {
        ann_description: Some("old".into()),
        ..LlmIntent::default()
    };
    apply_ann_override(&mut llm, None);
    assert_eq!(llm.ann_description.as_deref(), Some("old"));
    apply_ann_override(&mut llm, Some("  new words "));
    assert_eq!(llm.ann_description.as_deref(), Some("new words"));
}

#[test]
fn preferred_services_expand_every_alias() {
    let llm = LlmIntent {
        streaming_providers: strings(&["netflix", "HBO"]),
        ..LlmIntent::default()
    };
    assert_eq!(
        preferred_services(&llm),
        vec!["netflix", "nfx", "max", "hbomax", "hbo", "hbm"]
    );
}
