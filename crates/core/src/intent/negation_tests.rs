use super::*;
use crate::intent::IntentFilters;
use crate::intent::fallbacks::FallbackRules;
use crate::intent::filters::build_filters;
use crate::intent::normalize::resolve_intent;
use crate::rewrite::rewrite_text;

fn scopes(query: &str) -> Vec<String> {
    find_negations(query).into_iter().map(|n| n.scope).collect()
}

/// The filters the pipeline would use for `query` without an LLM.
fn understood(query: &str) -> IntentFilters {
    let resolved = resolve_intent(None, query, &FallbackRules::default_rules());
    build_filters(&resolved.intent, Some(query), None).0
}

fn has(list: &[String], genre: &str) -> bool {
    list.iter().any(|g| g.eq_ignore_ascii_case(genre))
}

/// `query` excludes each of `genres`, and includes, boosts or mood-implies none of them.
fn assert_excluded(query: &str, genres: &[&str]) -> IntentFilters {
    let f = understood(query);
    for g in genres {
        assert!(
            has(&f.exclude_genres, g),
            "{query:?} should exclude {g}: {f:?}"
        );
        assert!(!has(&f.genres, g), "{query:?} includes {g}: {f:?}");
        assert!(!has(&f.effective_genres(), g), "{query:?} wants {g}: {f:?}");
        assert!(!has(&f.boost_genres, g), "{query:?} boosts {g}: {f:?}");
    }
    f
}

// --- The reported case ----------------------------------------------------------------

#[test]
fn something_fun_and_short_but_not_scary_excludes_horror_and_adds_no_scary_mood() {
    let query = "something fun and short but not scary";
    let f = assert_excluded(query, &["Horror"]);
    assert!(!has(&f.moods, "scary"), "{f:?}");
    assert!(!has(&f.effective_genres(), "Thriller"), "{f:?}");
    assert_eq!(
        f.maturity_rating_max, None,
        "the horror rule's R cap must not apply"
    );

    let resolved = resolve_intent(None, query, &FallbackRules::default_rules());
    let description = resolved.intent.ann_description.clone().unwrap();
    assert_eq!(description, "something fun and short");
    let rewrite = rewrite_text(None, Some(query), &resolved.intent).unwrap();
    assert!(!rewrite.contains("scary"), "{rewrite:?}");
    assert!(rewrite.contains("fun and short"), "{rewrite:?}");
}

#[test]
fn the_reported_query_splits_into_a_wish_and_a_negated_mood() {
    let split = split_negations("something fun and short but not scary");
    assert_eq!(split.negated, vec!["scary"]);
    assert_eq!(split.wanted, vec!["something fun and short but "]);
    assert_eq!(
        strip_negated("something fun and short but not scary"),
        "something fun and short"
    );
}

// --- Real phrasings that negate ---------------------------------------------------------

#[test]
fn a_comedy_no_horror() {
    let f = assert_excluded("a comedy, no horror", &["Horror"]);
    assert!(has(&f.genres, "Comedy"));
}

#[test]
fn action_movie_without_romance() {
    let f = assert_excluded("action movie without romance", &["Romance"]);
    assert!(has(&f.genres, "Action"));
    assert_eq!(f.media_types, vec![crate::item::MediaType::Movie]);
}

#[test]
fn a_thriller_that_isnt_scary_keeps_the_thriller_and_drops_horror() {
    let f = assert_excluded("a thriller that isn't scary", &["Horror"]);
    assert!(has(&f.genres, "Thriller"));
    assert!(!has(&f.moods, "scary"));
}

#[test]
fn nothing_scary_for_the_kids_still_wants_family_titles() {
    let f = assert_excluded("nothing scary for the kids", &["Horror"]);
    assert!(has(&f.genres, "Family"), "{f:?}");
    assert_eq!(f.maturity_rating_max.as_deref(), Some("PG"));
}

#[test]
fn nothing_too_scary_or_gory_negates_both_words() {
    assert_eq!(
        scopes("a mystery, nothing too scary or gory"),
        ["too scary or gory"]
    );
    let f = assert_excluded(
        "a mystery, nothing too scary or gory",
        &["Horror", "Thriller"],
    );
    assert!(has(&f.genres, "Mystery"));
}

#[test]
fn no_more_documentaries() {
    assert_excluded("no more documentaries please", &["Documentary"]);
}

#[test]
fn anything_but_horror() {
    assert_eq!(scopes("anything but horror"), ["horror"]);
    assert_excluded("anything but horror", &["Horror"]);
}

#[test]
fn avoid_thrillers() {
    assert_excluded("avoid thrillers, I want to sleep tonight", &["Thriller"]);
}

#[test]
fn skip_the_romance_give_me_action() {
    let f = assert_excluded("skip the romance, give me action", &["Romance"]);
    assert!(has(&f.genres, "Action"));
}

#[test]
fn not_too_romantic_drops_the_mood_and_romance() {
    let f = assert_excluded("a drama, not too romantic", &["Romance"]);
    assert!(!has(&f.moods, "romantic"));
    assert!(
        !has(&f.effective_genres(), "Comedy"),
        "the romantic mood's genres stay out"
    );
    assert!(has(&f.genres, "Drama"));
}

#[test]
fn i_dont_want_anything_animated() {
    assert_excluded("I don't want anything animated", &["Animation"]);
    assert_excluded("i dont want anything animated", &["Animation"]);
    assert_excluded("I don’t want anything animated", &["Animation"]);
}

#[test]
fn a_crime_drama_minus_the_violence() {
    let f = assert_excluded("a crime drama minus the violence", &["Horror", "Thriller"]);
    assert!(has(&f.genres, "Crime") && has(&f.genres, "Drama"));
}

#[test]
fn scary_but_no_gore_is_horror_without_the_gory_titles() {
    let f = understood("scary movies but no gore");
    assert!(has(&f.genres, "Horror"), "{f:?}");
    assert!(!has(&f.exclude_genres, "Horror"), "{f:?}");
    assert!(f.exclude_tags.iter().any(|t| t == "gore"), "{f:?}");
    // A negated genre is no topic: it stays excluded beside the horror it narrows.
    let f = assert_excluded("horror but not a thriller", &["Thriller"]);
    assert!(has(&f.genres, "Horror"), "{f:?}");
}

#[test]
fn gore_free_halloween_picks() {
    assert_eq!(scopes("gore-free halloween picks"), ["gore"]);
    assert_excluded("gore-free halloween picks", &["Horror", "Thriller"]);
}

#[test]
fn a_western_not_a_documentary() {
    let f = assert_excluded("a western, not a documentary", &["Documentary"]);
    assert!(has(&f.genres, "Western"));
}

#[test]
fn no_war_movies_keeps_asking_for_movies() {
    let f = assert_excluded("no war movies", &["War"]);
    assert_eq!(f.media_types, vec![crate::item::MediaType::Movie]);
    assert_eq!(strip_negated("no war movies"), "movies");
}

#[test]
fn i_hate_horror_show_me_a_thriller() {
    let f = assert_excluded("i hate horror, show me a thriller", &["Horror"]);
    assert!(has(&f.genres, "Thriller"));
}

#[test]
fn sci_fi_without_the_horror() {
    let f = assert_excluded("sci-fi without the horror", &["Horror"]);
    assert!(has(&f.genres, "Science Fiction"));
}

#[test]
fn nothing_over_two_hours_and_no_horror() {
    let f = assert_excluded("nothing over 2 hours, and no horror", &["Horror"]);
    assert_eq!((f.min_runtime, f.max_runtime), (None, Some(120)));
}

#[test]
fn shouting_no_horror_is_still_a_negation() {
    assert_excluded("NO HORROR", &["Horror"]);
    assert_excluded("Not Horror, something funny", &["Horror"]);
}

#[test]
fn a_negation_the_llm_missed_still_wins_over_its_includes() {
    let query = "something fun and short but not scary";
    let answer =
        serde_json::json!({"include_genres": ["Horror", "Comedy"], "boost_genres": ["Horror"]});
    let resolved = resolve_intent(Some(answer), query, &FallbackRules::default_rules());
    let (f, llm) = build_filters(&resolved.intent, Some(query), None);
    assert!(has(&f.exclude_genres, "Horror"));
    assert!(!has(&f.effective_genres(), "Horror") && !has(&f.boost_genres, "Horror"));
    assert_eq!(llm.include_genres, Some(vec!["Comedy".to_owned()]));
    let rewrite = rewrite_text(None, Some(query), &llm).unwrap();
    assert!(
        !rewrite.contains("horror") && !rewrite.contains("scary"),
        "{rewrite}"
    );
}

// --- Scope ------------------------------------------------------------------------------

#[test]
fn scope_ends_at_and_but_commas_and_prepositions_and_runs_on_over_or() {
    assert_eq!(scopes("not scary and under 2 hours"), ["scary"]);
    assert_eq!(scopes("no horror, just comedy"), ["horror"]);
    assert_eq!(scopes("no horror or gore"), ["horror or gore"]);
    assert_eq!(scopes("no horror on netflix"), ["horror"]);
    assert_eq!(scopes("no horror for my kids"), ["horror"]);
    assert_eq!(scopes("not for kids"), ["for kids"]);
    assert_eq!(scopes("not scary not violent"), ["scary", "violent"]);
}

#[test]
fn a_relative_clause_after_a_head_noun_stays_negated() {
    assert_eq!(scopes("no movies about war please"), ["movies about war"]);
    assert_eq!(
        scopes("no shows where the dog dies"),
        ["shows where the dog dies"]
    );
    assert_eq!(scopes("nothing with gore"), ["with gore"]);
}

#[test]
fn the_scope_is_at_most_six_words() {
    assert_eq!(
        scopes("no one two three four five six seven"),
        ["one two three four five six"]
    );
}

#[test]
fn the_wanted_text_keeps_languages_and_services_outside_the_negation() {
    let f = understood("no horror in french on netflix");
    assert!(has(&f.exclude_genres, "Horror"));
    assert_eq!(f.languages, vec!["fr"]);
    let f = understood("a comedy, nothing in french");
    assert!(f.languages.is_empty(), "{f:?}");
}

#[test]
fn strip_tidies_the_edges_of_what_remains() {
    assert_eq!(strip_negated("no horror, just comedy"), "just comedy");
    assert_eq!(
        strip_negated("I want a comedy. Not horror."),
        "I want a comedy"
    );
    assert_eq!(strip_negated("no gore"), "");
}

// --- Not negations ----------------------------------------------------------------------

#[test]
fn not_only_funny_but_smart_is_a_wish_for_funny() {
    assert!(scopes("not only funny but smart").is_empty());
    let f = understood("not only funny but smart");
    assert!(has(&f.moods, "funny") && f.exclude_genres.is_empty());
}

#[test]
fn no_nonsense_action_is_action() {
    assert!(scopes("no-nonsense action").is_empty());
    let f = understood("no-nonsense action");
    assert!(has(&f.genres, "Action") && f.exclude_genres.is_empty());
}

#[test]
fn nothing_but_action_wants_only_action() {
    let f = understood("nothing but action");
    assert!(has(&f.genres, "Action") && f.exclude_genres.is_empty());
}

#[test]
fn i_dont_mind_horror_includes_horror() {
    let f = understood("i don't mind horror");
    assert!(
        has(&f.genres, "Horror") && f.exclude_genres.is_empty(),
        "{f:?}"
    );
}

#[test]
fn no_more_than_ninety_minutes_is_a_runtime_not_a_negation() {
    assert!(scopes("no more than 90 minutes of comedy").is_empty());
    let f = understood("no more than 90 minutes of comedy");
    assert_eq!(f.max_runtime, Some(90));
    assert!(has(&f.genres, "Comedy") && f.exclude_genres.is_empty());
}

#[test]
fn titles_with_a_negation_word_are_left_alone() {
    for query in [
        "No Country for Old Men",
        "movies like no country for old men",
        "Don't Look Up",
        "something like Nothing Hill",
        "something like nothing hill",
        "I loved Don't Breathe",
        "Knives Out",
    ] {
        assert!(scopes(query).is_empty(), "{query:?}: {:?}", scopes(query));
        assert_eq!(strip_negated(query), query);
        assert!(understood(query).exclude_genres.is_empty(), "{query:?}");
    }
}

#[test]
fn a_query_without_negation_comes_back_unchanged() {
    assert_eq!(strip_negated("  light sci-fi <2h "), "  light sci-fi <2h ");
    assert_eq!(
        split_negations("light sci-fi").wanted,
        vec!["light sci-fi".to_owned()]
    );
    assert_eq!(split_negations("").wanted, Vec::<String>::new());
}

proptest::proptest! {
    #[test]
    fn spans_are_ordered_char_boundaries_of_the_query(query in "\\PC{0,40}") {
        let mut at = 0;
        for n in find_negations(&query) {
            proptest::prop_assert!(n.span.start >= at && n.span.end > n.span.start);
            proptest::prop_assert!(query.get(n.span.clone()).is_some());
            at = n.span.end;
        }
        let _ = strip_negated(&query);
    }
}
