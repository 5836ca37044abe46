use super::*;

fn augmented(query: &str) -> LlmIntent {
    let mut intent = LlmIntent::default();
    FallbackRules::default_rules().augment(&mut intent, query);
    intent
}

fn with_includes(genres: &[&str]) -> LlmIntent {
    LlmIntent {
        include_genres: Some(genres.iter().map(|g| (*g).to_owned()).collect()),
        ..LlmIntent::default()
    }
}

fn strings(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn the_loader_lower_cases_keywords_drops_non_string_genres_and_stringifies_a_numeric_cap() {
    let rules = FallbackRules::from_json(
        r#"[{"name": "x", "keywords": ["Teen", " ", 5], "include_genres": ["Drama", 3],
             "exclude_genres": [null, "Horror"], "maturity_rating_max": 13}]"#,
    )
    .unwrap();
    let rule = &rules.rules()[0];
    assert_eq!(rule.keywords, vec!["teen"]);
    assert_eq!(rule.include_genres, vec!["Drama"]);
    assert_eq!(rule.exclude_genres, vec!["Horror"]);
    assert_eq!(rule.maturity_rating_max.as_deref(), Some("13"));
}

#[test]
fn an_entry_without_keywords_or_not_an_object_is_skipped() {
    let rules = FallbackRules::from_json(
        r#"[{"keywords": []}, {"keywords": ["  "]}, "kids", {"keywords": ["ok"]}]"#,
    )
    .unwrap();
    assert_eq!(rules.rules().len(), 1);
}

#[test]
fn a_file_that_is_not_a_list_or_not_json_is_an_error() {
    assert!(matches!(
        FallbackRules::from_json(r#"{"rules": []}"#),
        Err(FallbackRulesError::NotAList)
    ));
    assert!(matches!(
        FallbackRules::from_json("not json"),
        Err(FallbackRulesError::InvalidJson(_))
    ));
}

#[test]
fn the_built_in_rules_carry_the_shipped_keywords_genres_and_caps() {
    let rules = FallbackRules::default_rules();
    let kids = &rules.rules()[0];
    assert_eq!(kids.keywords.len(), 10);
    assert!(kids.keywords.contains(&"family-friendly".to_owned()));
    assert_eq!(kids.include_genres, vec!["Family", "Animation"]);
    let caps: Vec<_> = rules.rules()[..6]
        .iter()
        .map(|r| r.maturity_rating_max.as_deref())
        .collect();
    assert_eq!(
        caps,
        [
            Some("PG"),
            Some("PG-13"),
            Some("R"),
            Some("PG-13"),
            Some("PG-13"),
            None
        ]
    );
}

#[test]
fn the_default_rules_start_with_the_six_original_ones_in_order() {
    let rules = FallbackRules::default_rules();
    let names: Vec<_> = rules.rules()[..6]
        .iter()
        .filter_map(|r| r.name.as_deref())
        .collect();
    assert_eq!(
        names,
        ["kids", "teen", "horror", "documentary", "rom-com", "gore"]
    );
}

#[test]
fn kids_show_adds_family_genres_exclusions_and_a_pg_cap() {
    let intent = augmented("kids show");
    assert_eq!(intent.include_genres, strings(&["Family", "Animation"]));
    assert_eq!(intent.exclude_genres, strings(&["Horror", "Thriller"]));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG"));
}

#[test]
fn no_gore_alone_excludes_horror_and_thriller_without_a_cap() {
    let intent = augmented("no gore");
    assert_eq!(intent.exclude_genres, strings(&["Horror", "Thriller"]));
    assert_eq!(intent.include_genres, None);
    assert_eq!(intent.maturity_rating_max, None);
}

#[test]
fn a_multi_word_keyword_fires_inside_a_longer_query() {
    let intent = augmented("something funny with no gore");
    assert_eq!(intent.exclude_genres, strings(&["Horror", "Thriller"]));
    let intent = augmented("a movie for date night, please");
    assert_eq!(intent.include_genres, strings(&["Romance", "Comedy"]));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG-13"));
}

#[test]
fn a_hyphenated_keyword_matches_its_spaced_and_hyphenated_forms() {
    assert_eq!(
        augmented("a rom com tonight").include_genres,
        strings(&["Romance", "Comedy"])
    );
    assert_eq!(
        augmented("some Rom-Com please").include_genres,
        strings(&["Romance", "Comedy"])
    );
    assert_eq!(
        augmented("family friendly adventures")
            .maturity_rating_max
            .as_deref(),
        Some("PG")
    );
}

#[test]
fn punctuation_next_to_a_keyword_does_not_hide_it() {
    assert_eq!(
        augmented("for the kids!").maturity_rating_max.as_deref(),
        Some("PG")
    );
}

#[test]
fn a_keyword_inside_a_longer_word_does_not_fire() {
    assert_eq!(augmented("kidnapping stories"), LlmIntent::default());
    assert_eq!(augmented("docks and harbours"), LlmIntent::default());
}

#[test]
fn an_included_romance_genre_cascades_into_the_rom_com_rule() {
    let mut intent = with_includes(&["Romance"]);
    FallbackRules::default_rules().augment(&mut intent, "something nice");
    assert_eq!(intent.include_genres, strings(&["Romance", "Comedy"]));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG-13"));
}

#[test]
fn included_horror_and_documentary_genres_fire_their_rules() {
    let mut intent = with_includes(&["Horror"]);
    FallbackRules::default_rules().augment(&mut intent, "anything");
    assert_eq!(intent.include_genres, strings(&["Horror", "Thriller"]));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("R"));

    let mut intent = with_includes(&["Documentary"]);
    FallbackRules::default_rules().augment(&mut intent, "anything");
    assert_eq!(intent.exclude_genres, strings(&["Animation"]));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG-13"));
}

#[test]
fn the_first_firing_cap_wins() {
    let intent = augmented("scary kids cartoon");
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG"));
    assert_eq!(
        intent.include_genres,
        strings(&["Family", "Animation", "Horror", "Thriller"])
    );
}

#[test]
fn an_existing_cap_is_never_overridden() {
    let mut intent = LlmIntent {
        maturity_rating_max: Some("R".into()),
        ..LlmIntent::default()
    };
    FallbackRules::default_rules().augment(&mut intent, "kids");
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("R"));
}

#[test]
fn genres_already_present_in_another_case_are_not_repeated() {
    let mut intent = with_includes(&["family"]);
    FallbackRules::default_rules().augment(&mut intent, "kids");
    assert_eq!(intent.include_genres, strings(&["family", "Animation"]));
}

#[test]
fn no_rules_leave_the_intent_untouched() {
    let mut intent = with_includes(&["Romance"]);
    FallbackRules::default().augment(&mut intent, "kids");
    assert_eq!(intent, with_includes(&["Romance"]));
}

#[test]
fn a_negated_keyword_excludes_instead_of_including_and_sets_no_cap() {
    let intent = augmented("something fun and short but not scary");
    assert_eq!(intent.exclude_genres, strings(&["Horror"]));
    assert_eq!(intent.include_genres, None);
    assert_eq!(intent.maturity_rating_max, None);
}

#[test]
fn a_negated_keyword_stops_the_include_cascade() {
    let mut intent = with_includes(&["Horror"]);
    FallbackRules::default_rules().augment(&mut intent, "nothing scary");
    assert_eq!(
        intent.include_genres,
        strings(&["Horror"]),
        "no Thriller added"
    );
    assert_eq!(intent.exclude_genres, strings(&["Horror"]));
    assert_eq!(intent.maturity_rating_max, None, "no R cap");
}

#[test]
fn every_negation_of_gore_or_violence_excludes_horror_and_thriller() {
    for query in [
        "no gore",
        "without violence",
        "nothing too violent",
        "not bloody please",
    ] {
        let intent = augmented(query);
        assert_eq!(
            intent.exclude_genres,
            strings(&["Horror", "Thriller"]),
            "{query:?}"
        );
        assert!(
            intent
                .exclude_tags
                .as_ref()
                .is_some_and(|t| t.contains(&"gore".to_owned())),
            "{query:?}: the gory titles are left out by their tags too"
        );
    }
    // Asked for, gore is a topic: the titles tagged with it.
    let wanted = augmented("violent and bloody");
    assert!(
        wanted
            .tags
            .as_ref()
            .is_some_and(|t| t.contains(&"splatter".to_owned()))
    );
    assert_eq!(wanted.exclude_genres, None);
}

#[test]
fn a_negated_topic_leaves_the_genres_the_request_asks_for() {
    // Horror without the gory titles, not every genre but horror.
    let intent = augmented("scary movies but no gore");
    assert_eq!(intent.include_genres, strings(&["Horror", "Thriller"]));
    assert_eq!(intent.exclude_genres, None);
    assert!(
        intent
            .exclude_tags
            .as_ref()
            .is_some_and(|t| t.contains(&"gore".to_owned()))
    );
    // A slasher wants Horror; the gory thrillers still go.
    let intent = augmented("a gore-free slasher");
    assert_eq!(intent.exclude_genres, strings(&["Thriller"]));
    // Horror without slashers: the slasher tag goes, Horror stays.
    let intent = augmented("horror but no slashers");
    assert_eq!(intent.exclude_genres, None);
    assert!(
        intent
            .exclude_tags
            .as_ref()
            .is_some_and(|t| t.contains(&"slasher".to_owned()))
    );
}

#[test]
fn a_keyword_that_states_a_negation_itself_still_matches_the_whole_query() {
    let rules =
        FallbackRules::from_json(r#"[{"keywords": ["no gore"], "exclude_genres": ["Horror"]}]"#)
            .unwrap();
    let mut intent = LlmIntent::default();
    rules.augment(&mut intent, "a heist, no gore please");
    assert_eq!(intent.exclude_genres, strings(&["Horror"]));
}

#[test]
fn not_for_kids_leaves_out_family_titles_and_sets_no_pg_cap() {
    let intent = augmented("a thriller, not for kids");
    assert_eq!(intent.exclude_genres, strings(&["Family"]));
    assert_eq!(intent.include_genres, None);
    assert_eq!(intent.maturity_rating_max, None);
}

#[test]
fn an_operator_rule_tags_lower_cased_keywords_without_genres() {
    let rules = FallbackRules::from_json(
        r#"[{"name": "trains", "keywords": ["train", "trains"],
             "tags": ["Train", " railway ", 7, "train"]}]"#,
    )
    .unwrap();
    assert_eq!(rules.rules()[0].tags, vec!["train", "railway"]);
    let mut intent = LlmIntent::default();
    rules.augment(&mut intent, "films about trains");
    assert_eq!(intent.tags, strings(&["train", "railway"]));
    assert_eq!(intent.include_genres, None, "a tag is not a genre");
    let mut untouched = LlmIntent::default();
    rules.augment(&mut untouched, "a quiet drama");
    assert_eq!(untouched.tags, None);
}

#[test]
fn a_negated_topic_leaves_out_its_tagged_titles() {
    let rules = FallbackRules::from_json(
        r#"[{"name": "vampire", "keywords": ["vampire", "vampires"], "tags": ["vampire"]}]"#,
    )
    .unwrap();
    let mut intent = LlmIntent::default();
    rules.augment(&mut intent, "zombie movies but not vampires");
    assert_eq!(intent.exclude_tags, strings(&["vampire"]));
    assert_eq!(intent.tags, None, "a negated rule does not fire");
}

#[test]
fn a_rules_era_fills_in_only_when_the_intent_has_none() {
    let rules = FallbackRules::from_json(
        r#"[{"keywords": ["silent film"], "year_max": 1929},
            {"keywords": ["talkie"], "year_min": "1927", "year_max": 1935.5}]"#,
    )
    .unwrap();
    let (silent, talkie) = (&rules.rules()[0], &rules.rules()[1]);
    assert_eq!((silent.year_min, silent.year_max), (None, Some(1929)));
    assert_eq!(
        (talkie.year_min, talkie.year_max),
        (None, None),
        "not whole numbers"
    );

    let mut intent = LlmIntent::default();
    rules.augment(&mut intent, "a silent film");
    assert_eq!((intent.year_min, intent.year_max), (None, Some(1929)));
    let mut dated = LlmIntent {
        year_min: Some(1925),
        ..LlmIntent::default()
    };
    rules.augment(&mut dated, "a silent film");
    assert_eq!((dated.year_min, dated.year_max), (Some(1925), None));
}

#[test]
fn topic_keywords_are_the_words_of_firing_rules_with_tags() {
    let rules = FallbackRules::default_rules();
    let words = rules.topic_keywords("a good tearjerker please");
    assert!(words.contains(&"tearjerker".to_owned()), "{words:?}");
    assert!(
        rules
            .topic_keywords("heist movies")
            .contains(&"heist".to_owned())
    );
    // "whodunit" names no tags: its word stays searched.
    assert!(rules.topic_keywords("a whodunit").is_empty());
    // A negated topic serves nothing.
    assert!(rules.topic_keywords("a thriller but no heist").is_empty());
}
