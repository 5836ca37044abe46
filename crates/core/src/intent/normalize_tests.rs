use super::*;
use serde_json::json;

fn rules() -> FallbackRules {
    FallbackRules::default_rules()
}

fn strings(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn an_object_is_used_as_is() {
    let raw = json!({"include_genres": ["Drama"], "x": 1});
    assert_eq!(normalize_llm_output(raw.clone()), Some(raw));
}

#[test]
fn a_list_of_fragments_merges_lists_keeps_a_scalar_and_skips_nulls_and_empties() {
    let raw = json!([
        {"include_genres": ["Drama"], "languages": "en", "year_min": null},
        {"include_genres": ["Comedy", "Drama"], "exclude_genres": []},
        "not a fragment"
    ]);
    assert_eq!(
        normalize_llm_output(raw),
        Some(json!({"include_genres": ["Drama", "Comedy"], "languages": "en"}))
    );
}

#[test]
fn a_list_merged_into_a_scalar_wraps_the_scalar_first() {
    let raw = json!([{"languages": "en"}, {"languages": ["fr", "en"]}]);
    assert_eq!(
        normalize_llm_output(raw),
        Some(json!({"languages": ["en", "fr"]}))
    );
}

#[test]
fn a_scalar_is_set_only_where_nothing_is_yet() {
    let raw =
        json!([{"year_min": 1990}, {"year_min": 2000, "media_types": []}, {"media_types": "tv"}]);
    assert_eq!(
        normalize_llm_output(raw),
        Some(json!({"year_min": 1990, "media_types": "tv"}))
    );
}

#[test]
fn an_empty_merge_or_another_json_type_gives_none() {
    assert_eq!(normalize_llm_output(json!([{"a": null}, {"b": []}])), None);
    assert_eq!(normalize_llm_output(json!("text")), None);
    assert_eq!(normalize_llm_output(Value::Null), None);
}

#[test]
fn numbers_in_strings_and_whole_floats_become_integers() {
    let (intent, notes) =
        salvage_intent(&json!({"runtime_minutes_max": "120", "year_min": 1990.0}));
    assert_eq!(intent.runtime_minutes_max, Some(120));
    assert_eq!(intent.year_min, Some(1990));
    assert!(notes.is_empty());
}

#[test]
fn a_scalar_string_where_a_list_is_expected_becomes_a_one_element_list() {
    let (intent, notes) = salvage_intent(&json!({"media_types": "tv"}));
    assert_eq!(intent.media_types, strings(&["tv"]));
    assert!(notes.is_empty());
}

#[test]
fn one_bad_field_is_dropped_and_reported_while_the_rest_survive() {
    let raw = json!({
        "include_genres": ["Drama"],
        "runtime_minutes_max": 120.5,
        "year_max": "soon",
        "languages": {"code": "fr"},
    });
    let (intent, notes) = salvage_intent(&raw);
    assert_eq!(intent.include_genres, strings(&["Drama"]));
    assert_eq!(intent.runtime_minutes_max, None);
    assert_eq!(intent.year_max, None);
    assert_eq!(intent.languages, None);
    assert_eq!(notes.len(), 3);
    assert!(notes[0].starts_with("runtime_minutes_max"), "{notes:?}");
}

#[test]
fn non_string_list_elements_are_dropped_and_reported() {
    let (intent, notes) = salvage_intent(&json!({"include_people": ["Viola Davis", 3, " "]}));
    assert_eq!(intent.include_people, strings(&["Viola Davis"]));
    assert_eq!(
        notes,
        vec!["include_people[1]: expected a string, got a number"]
    );
}

#[test]
fn a_numeric_maturity_cap_becomes_text() {
    let (intent, _) = salvage_intent(&json!({"maturity_rating_max": 13}));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("13"));
}

#[test]
fn unknown_keys_are_ignored_silently() {
    let (intent, notes) = salvage_intent(&json!({"mood": "happy", "year_max": 2000}));
    assert_eq!(intent.year_max, Some(2000));
    assert!(notes.is_empty());
}

#[test]
fn a_payload_that_is_not_an_object_salvages_nothing() {
    let (intent, notes) = salvage_intent(&json!(["Drama"]));
    assert_eq!(intent, LlmIntent::default());
    assert_eq!(notes.len(), 1);
}

#[test]
fn finalize_applies_the_rules_and_defaults_the_description_to_the_query() {
    let intent = finalize_intent(
        json!({"include_genres": ["Romance"]}),
        "a  date movie",
        &rules(),
    )
    .unwrap();
    assert_eq!(intent.include_genres, strings(&["Romance", "Comedy"]));
    assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG-13"));
    assert_eq!(intent.ann_description.as_deref(), Some("a date movie"));
}

#[test]
fn the_default_description_keeps_only_the_first_32_words() {
    let query: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
    let intent = finalize_intent(json!({"year_min": 1990}), &query.join(" "), &rules()).unwrap();
    let description = intent.ann_description.unwrap();
    assert_eq!(description.split(' ').count(), 32);
    assert!(description.ends_with("w31"));
}

#[test]
fn a_given_description_is_kept() {
    let raw = json!({"ann_description": "lonely robots in space"});
    let intent = finalize_intent(raw, "robots", &rules()).unwrap();
    assert_eq!(
        intent.ann_description.as_deref(),
        Some("lonely robots in space")
    );
}

#[test]
fn an_empty_or_unusable_output_finalizes_to_none() {
    assert_eq!(finalize_intent(json!({}), "q", &rules()), None);
    assert_eq!(
        finalize_intent(json!({"year_min": "soon"}), "q", &rules()),
        None
    );
    assert_eq!(finalize_intent(json!(null), "q", &rules()), None);
}

#[test]
fn a_missing_llm_output_resolves_to_the_offline_intent() {
    let resolved = resolve_intent(None, "something in french", &rules());
    assert_eq!(resolved.source, IntentSource::Offline);
    assert_eq!(resolved.intent.languages, strings(&["fr"]));
    assert_eq!(
        resolved.intent.ann_description.as_deref(),
        Some("something in french")
    );
}

#[test]
fn an_unusable_llm_output_falls_back_to_the_offline_intent_and_reports_why() {
    let resolved = resolve_intent(Some(json!({"year_min": "soon"})), "kids show", &rules());
    assert_eq!(resolved.source, IntentSource::Offline);
    assert_eq!(resolved.intent.maturity_rating_max.as_deref(), Some("PG"));
    assert_eq!(resolved.dropped.len(), 1);
}

#[test]
fn a_usable_llm_output_is_used() {
    let resolved = resolve_intent(Some(json!({"include_genres": "Drama"})), "x", &rules());
    assert_eq!(resolved.source, IntentSource::Llm);
    assert_eq!(resolved.intent.include_genres, strings(&["Drama"]));
}

#[test]
fn a_bad_query_with_no_llm_resolves_to_the_default_intent() {
    let resolved = resolve_intent(Some(json!({})), "bad query", &rules());
    assert_eq!(resolved.source, IntentSource::Default);
    assert_eq!(resolved.intent, LlmIntent::default());
}

#[test]
fn an_offline_intent_of_tags_alone_stands() {
    let resolved = resolve_intent(None, "cult classics", &FallbackRules::default_rules());
    assert_eq!(resolved.source, IntentSource::Offline);
    assert_eq!(resolved.intent.tags, strings(&["cult film"]));
    assert_eq!(
        resolved.intent.ann_description.as_deref(),
        Some("cult classics")
    );
}
