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
fn orthogonal_unit_vectors_weighted_half_and_one_blend_to_the_pinned_vector() {
    let got = combine_weighted(&[0.5, 1.0], &[vec![1.0, 0.0], vec![0.0, 1.0]]).unwrap();
    assert!((got[0] - 0.447_213_6).abs() < 1e-6, "{got:?}");
    assert!((got[1] - 0.894_427_2).abs() < 1e-6, "{got:?}");
}

#[test]
fn a_blend_with_no_direction_or_bad_inputs_gives_none() {
    assert_eq!(
        combine_weighted(&[1.0, 1.0], &[vec![1.0, 0.0], vec![-1.0, 0.0]]),
        None
    );
    assert_eq!(combine_weighted(&[0.0], &[vec![1.0, 0.0]]), None);
    assert_eq!(combine_weighted(&[], &[]), None);
    assert_eq!(combine_weighted(&[1.0], &[vec![1.0], vec![1.0]]), None);
    assert_eq!(
        combine_weighted(&[1.0, 1.0], &[vec![1.0], vec![1.0, 0.0]]),
        None
    );
    assert_eq!(combine_weighted(&[1.0], &[vec![f32::INFINITY]]), None);
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

    #[test]
    fn a_blend_is_a_unit_vector_or_none(
        w in proptest::collection::vec(0.0f32..5.0, 2),
        a in proptest::collection::vec(-1.0f32..1.0, 4),
        b in proptest::collection::vec(-1.0f32..1.0, 4),
    ) {
        if let Some(v) = combine_weighted(&w, &[a, b]) {
            let n: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            proptest::prop_assert!((n - 1.0).abs() < 1e-4);
        }
    }
}
