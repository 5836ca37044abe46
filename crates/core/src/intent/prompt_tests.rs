use super::*;
use serde_json::json;

fn spec() -> PromptSpec {
    PromptSpec::from_json(
        r#"{"system_prompt": "SYS", "examples": [
            {"input": {"query": "no gore"}, "expected_output": {"exclude_genres": ["Horror"]}},
            {"input": {"query": "movies from the 90s"}, "expected_output": {"year_min": 1990, "year_max": 1999}}
        ],
        "ann_description_instructions": "ANN PARAGRAPH",
        "ann_description_example": {"input": {"query": "gritty"}, "expected_output": {"ann_description": "x"}}}"#,
    )
    .expect("valid test spec")
}

fn genres(names: &[&str]) -> Vec<String> {
    names.iter().map(|g| (*g).to_owned()).collect()
}

#[test]
fn the_user_prompt_is_examples_then_query_then_intent() {
    let (_, user) = intent_prompt(
        &spec(),
        &[],
        &LinkedEntities::default(),
        "light sci-fi",
        false,
    );
    assert_eq!(
        user,
        "Query: no gore\nIntent: {\"exclude_genres\": [\"Horror\"]}\n\
         Query: movies from the 90s\nIntent: {\"year_min\": 1990, \"year_max\": 1999}\n\n\
         Query: light sci-fi\n\nIntent:"
    );
}

#[test]
fn linked_entities_appear_only_when_something_was_linked() {
    let linked = LinkedEntities {
        movie: vec![27205],
        tv: vec![],
        person: vec![],
    };
    let (_, user) = intent_prompt(&spec(), &[], &linked, "q", false);
    assert!(
        user.contains(
            "\n\nLinked Entities: {\"movie\": [27205], \"tv\": [], \"person\": []}\n\nQuery: q"
        ),
        "{user}"
    );
    let (_, user) = intent_prompt(&spec(), &[], &LinkedEntities::default(), "q", false);
    assert!(!user.contains("Linked Entities"), "{user}");
}

#[test]
fn the_genre_block_follows_the_system_text_after_a_blank_line() {
    let (system, _) = intent_prompt(
        &spec(),
        &genres(&["Comedy", "Drama"]),
        &LinkedEntities::default(),
        "q",
        false,
    );
    assert_eq!(
        system,
        "SYS\n\nAllowed catalog genres (choose only from this list for include/exclude/boost):\n\
         - Comedy\n- Drama\n\
         If the user mentions a synonym or related phrase, map it to the closest genre above."
    );
}

#[test]
fn with_an_empty_system_text_the_genre_block_stands_alone() {
    let mut s = spec();
    s.system_prompt = String::new();
    let (system, _) = intent_prompt(
        &s,
        &genres(&["War"]),
        &LinkedEntities::default(),
        "q",
        false,
    );
    assert!(system.starts_with("Allowed catalog genres"), "{system}");
}

#[test]
fn the_ann_paragraph_and_example_are_added_only_when_enabled() {
    let (system, user) = intent_prompt(&spec(), &[], &LinkedEntities::default(), "q", true);
    assert_eq!(system, "SYS\n\nANN PARAGRAPH");
    assert!(
        user.contains("Query: gritty\nIntent: {\"ann_description\": \"x\"}"),
        "{user}"
    );
    let (system, user) = intent_prompt(&spec(), &[], &LinkedEntities::default(), "q", false);
    assert_eq!(system, "SYS");
    assert!(!user.contains("gritty"), "{user}");
}

#[test]
fn the_shipped_prompt_lists_all_nine_examples() {
    let (system, user) = intent_prompt(
        &PromptSpec::intent_default(),
        &[],
        &LinkedEntities::default(),
        "q",
        false,
    );
    assert!(system.contains("ann_description"), "{system}");
    assert_eq!(user.matches("Query: ").count(), 10);
    assert!(
        user.contains("Query: mind-bending sci-fi movies like Inception"),
        "{user}"
    );
}

#[test]
fn media_hints_put_linked_kinds_first_then_the_rule_parsers_without_repeats() {
    let linked = LinkedEntities {
        movie: vec![1],
        tv: vec![2],
        person: vec![],
    };
    assert_eq!(
        prompt_media_hints(&linked, "funny tv shows"),
        vec![MediaType::Tv, MediaType::Movie]
    );
    assert_eq!(
        prompt_media_hints(&LinkedEntities::default(), "a kids show"),
        vec![MediaType::Tv]
    );
    assert!(prompt_media_hints(&LinkedEntities::default(), "no gore").is_empty());
}

#[test]
fn example_inputs_without_a_query_string_are_shown_as_json() {
    let example = PromptExample {
        input: json!({"q": 1}),
        expected_output: json!({}),
    };
    assert_eq!(example.query_text(), "{\"q\": 1}");
}
