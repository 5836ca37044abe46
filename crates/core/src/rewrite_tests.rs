use super::*;

fn includes(genres: &[&str]) -> LlmIntent {
    LlmIntent {
        include_genres: Some(genres.iter().map(|g| (*g).to_owned()).collect()),
        ..LlmIntent::default()
    }
}

#[test]
fn a_sci_fi_include_gives_a_sci_fi_movies_hint_before_the_query() {
    assert_eq!(
        rewrite_query("some query", &includes(&["sci-fi"])),
        "sci-fi movies some query"
    );
    assert_eq!(
        rewrite_query("some query", &includes(&["Science Fiction"])),
        "sci-fi movies some query"
    );
}

#[test]
fn only_the_first_include_genre_makes_the_hint() {
    assert_eq!(
        rewrite_query("x", &includes(&["Drama", "War"])),
        "drama movies x"
    );
}

#[test]
fn exclusions_alone_leave_the_query_as_it_is() {
    let intent = LlmIntent {
        exclude_genres: Some(vec!["horror".into()]),
        ..LlmIntent::default()
    };
    assert_eq!(rewrite_query("some query", &intent), "some query");
}

#[test]
fn a_description_leads_and_the_result_is_cut_to_eight_words() {
    let intent = LlmIntent {
        ann_description: Some("desperate players risk their lives for fortune".into()),
        ..LlmIntent::default()
    };
    assert_eq!(
        rewrite_query("some query", &intent),
        "desperate players risk their lives for fortune some"
    );
}

#[test]
fn a_ten_word_query_is_cut_to_eight_words() {
    let query = "one two three four five six seven eight nine ten";
    assert_eq!(
        rewrite_query(query, &LlmIntent::default()),
        "one two three four five six seven eight"
    );
}

#[test]
fn the_query_is_not_repeated_when_the_base_already_contains_it() {
    let intent = LlmIntent {
        ann_description: Some("A Heist In Space".into()),
        ..LlmIntent::default()
    };
    assert_eq!(rewrite_query("heist in space", &intent), "A Heist In Space");
}

#[test]
fn heuristics_apply_when_the_intent_gives_nothing() {
    assert_eq!(
        rewrite_query("Feel-good stuff", &LlmIntent::default()),
        "feel-good uplifting short comedy movies Feel-good stuff"
    );
    assert_eq!(
        rewrite_query("post-apocalyptic tv", &LlmIntent::default()),
        "post-apocalyptic survival resilience tv series post-apocalyptic tv"
    );
}

#[test]
fn a_blank_query_with_no_intent_rewrites_to_nothing() {
    assert_eq!(rewrite_query("   ", &LlmIntent::default()), "");
}

#[test]
fn a_rewrite_override_is_cut_to_eight_words_and_wins() {
    let got = rewrite_text(
        Some("  manual rewrite a b c d e f g "),
        Some("q"),
        &includes(&["War"]),
    );
    assert_eq!(got.as_deref(), Some("manual rewrite a b c d e f"));
}

#[test]
fn without_an_override_a_query_is_rewritten_and_no_query_gives_none() {
    assert_eq!(
        rewrite_text(Some("  "), Some("q"), &includes(&["War"])).as_deref(),
        Some("war movies q")
    );
    assert_eq!(rewrite_text(None, Some(""), &LlmIntent::default()), None);
    assert_eq!(rewrite_text(None, None, &LlmIntent::default()), None);
}

#[test]
fn truncating_keeps_the_first_words_joined_by_single_spaces() {
    assert_eq!(truncate_words("  a  b\tc d ", 3), "a b c");
    assert_eq!(truncate_words("", 8), "");
}

#[test]
fn rewrite_inputs_put_the_description_first_and_drop_blanks_and_non_positive_weights() {
    assert_eq!(
        rewrite_inputs(Some(" desc "), Some("rewrite"), 1.2, 1.0),
        vec![("desc".to_owned(), 1.2), ("rewrite".to_owned(), 1.0)]
    );
    assert_eq!(
        rewrite_inputs(Some("  "), Some("manual rewrite"), 1.2, 1.0),
        vec![("manual rewrite".to_owned(), 1.0)]
    );
    assert!(rewrite_inputs(Some("d"), Some("r"), 0.0, -1.0).is_empty());
    assert!(rewrite_inputs(Some("d"), None, f32::NAN, 1.0).is_empty());
}

#[test]
fn an_override_beats_the_llm_and_the_llm_beats_the_heuristic() {
    let intent = LlmIntent::default();
    let q = Some("gritty superhero shows");
    let chosen = choose_rewrite(Some("space heist"), Some(Ok("ignored".into())), q, &intent);
    assert_eq!(chosen.text.as_deref(), Some("space heist"));
    assert_eq!(chosen.source.as_deref(), Some("override"));
    let chosen = choose_rewrite(Some("  "), Some(Ok("caped vigilantes".into())), q, &intent);
    assert_eq!(chosen.text.as_deref(), Some("caped vigilantes"));
    assert_eq!(chosen.source.as_deref(), Some("llm"));
}

#[test]
fn a_failed_llm_rewrite_falls_back_to_the_heuristic_and_says_why() {
    let intent = LlmIntent::default();
    let q = Some("gritty superhero shows");
    let chosen = choose_rewrite(None, Some(Err("timeout")), q, &intent);
    assert_eq!(
        chosen.text.as_deref(),
        Some("gritty street-level vigilante superhero series gritty superhero shows")
    );
    assert_eq!(
        chosen.source.as_deref(),
        Some("heuristic (llm_failed:timeout)")
    );
    let plain = choose_rewrite(None, None, q, &intent);
    assert_eq!(plain.text, chosen.text);
    assert_eq!(plain.source.as_deref(), Some("heuristic"));
    assert_eq!(
        choose_rewrite(None, None, None, &intent),
        ChosenRewrite {
            text: None,
            source: None
        }
    );
}

proptest::proptest! {
    #[test]
    fn a_rewrite_never_exceeds_eight_words(query in "[a-z -]{0,80}", desc in "[a-z ]{0,60}") {
        let intent = LlmIntent {
            ann_description: Some(desc),
            ..LlmIntent::default()
        };
        proptest::prop_assert!(rewrite_query(&query, &intent).split_whitespace().count() <= 8);
    }
}
