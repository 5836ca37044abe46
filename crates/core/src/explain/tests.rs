use super::*;
use crate::heuristic::signals;
use crate::item::{Genre, MediaType};

const YEAR: i32 = 2025;

fn item() -> Item {
    Item::bare(1, MediaType::Movie, "t")
}

fn explain_item(item: Item, intent: &IntentFilters, query: Option<&str>) -> String {
    let templates = Templates::default();
    let ctx = ExplainContext::new(intent, query, &templates);
    let sig = signals(&item, YEAR);
    explain(&Candidate::new(item, None, 0), &sig, &ctx)
}

#[test]
fn a_missing_placeholder_leaves_the_raw_template() {
    assert_eq!(
        safe_template("Rank {rank}", &[("position", Arg::Int(3))]),
        "Rank {rank}"
    );
}

#[test]
fn named_placeholders_and_fixed_precision_are_formatted() {
    let args = [("vote_average", Arg::Float(7.86)), ("n", Arg::Int(4))];
    assert_eq!(safe_template("{vote_average:.1f} / {n}", &args), "7.9 / 4");
    assert_eq!(safe_template("{n:.2f}", &args), "4.00");
}

#[test]
fn braces_can_be_escaped() {
    assert_eq!(safe_template("{{{n}}}", &[("n", Arg::Int(1))]), "{1}");
}

#[test]
fn malformed_templates_and_bad_specs_leave_the_raw_text() {
    let args = [("q", Arg::Str("x")), ("n", Arg::Int(1))];
    for raw in [
        "{q", "q}", "{}", "{0}", "{q:.1f}", "{n:.1d}", "{q!r}", "{n:>5}",
    ] {
        assert_eq!(safe_template(raw, &args), raw);
    }
}

#[test]
fn floats_print_like_python() {
    assert_eq!(safe_template("{x}", &[("x", Arg::Float(8.0))]), "8.0");
    assert_eq!(
        safe_template("{x:,.1f}", &[("x", Arg::Float(12345.67))]),
        "12,345.7"
    );
}

#[test]
fn counts_get_thousands_separators() {
    assert_eq!(group("1200", true), "1,200");
    assert_eq!(group("-1234567", true), "-1,234,567");
    assert_eq!(group("999", true), "999");
}

#[test]
fn the_overview_keeps_its_first_sentence() {
    assert_eq!(short_overview("  One thing. Another!  "), "One thing.");
    assert_eq!(short_overview("v1.2 is out! Yes"), "v1.2 is out!");
    assert_eq!(short_overview("No stop here"), "No stop here");
}

#[test]
fn an_abbreviation_does_not_end_the_sentence() {
    assert_eq!(
        short_overview("Mr. Bean wins a holiday. He goes to Cannes."),
        "Mr. Bean wins a holiday."
    );
    assert_eq!(
        short_overview("A retired cop (Dr. Kay) returns. Later."),
        "A retired cop (Dr. Kay) returns."
    );
}

#[test]
fn a_long_first_sentence_is_cut_to_180_characters() {
    // Character 177 is a space, which is trimmed before the ellipsis.
    let long = format!("xx{} tail", "word ".repeat(60));
    let out = short_overview(&long);
    assert_eq!(out.chars().count(), 179);
    assert!(out.ends_with("word..."));
}

#[test]
fn matching_genre_media_and_runtime_are_all_mentioned() {
    let intent = IntentFilters {
        genres: vec!["Action".into()],
        media_types: vec![MediaType::Movie],
        min_runtime: Some(90),
        ..Default::default()
    };
    let mut it = item();
    it.genres = vec![Genre {
        id: Some(28),
        name: "action".into(),
    }];
    it.runtime = Some(95);
    let text = explain_item(it, &intent, None);
    assert!(
        text.contains("Action") && text.contains("movie") && text.contains("95"),
        "{text}"
    );
}

#[test]
fn meeting_either_runtime_bound_is_enough() {
    let intent = IntentFilters {
        min_runtime: Some(200),
        max_runtime: Some(100),
        ..Default::default()
    };
    let mut it = item();
    it.runtime = Some(95);
    assert!(explain_item(it, &intent, None).contains("Runs about 95 minutes"));
}

#[test]
fn without_an_overview_or_intent_the_query_is_echoed() {
    let text = explain_item(item(), &IntentFilters::default(), Some("mystery vibe"));
    assert!(text.contains("mystery vibe"), "{text}");
}

#[test]
fn with_nothing_to_say_the_fallback_is_used() {
    let text = explain_item(item(), &IntentFilters::default(), Some(""));
    assert_eq!(text, "Popular with viewers who share your taste.");
}

#[test]
fn at_most_two_heuristic_reasons_are_given() {
    let mut it = item();
    it.trending_rank = Some(3);
    it.release_year = Some(YEAR);
    it.popular_rank = Some(2);
    let sig = signals(&it, YEAR);
    let text = heuristic_summary(&it, &sig, &Templates::default());
    assert_eq!(text, "Trending now (#3). Fresh release from 2025.");
}

#[test]
fn well_rated_titles_show_rating_and_grouped_votes() {
    let mut it = item();
    it.vote_average = Some(8.04);
    it.vote_count = Some(1200);
    let sig = signals(&it, YEAR);
    let text = heuristic_summary(&it, &sig, &Templates::default());
    assert_eq!(text, "Rated 8.0/10 by 1,200 fans.");
}

#[test]
fn very_popular_titles_without_reasons_get_the_generic_line() {
    let mut it = item();
    it.popularity = Some(80.0);
    let sig = signals(&it, YEAR);
    assert_eq!(
        heuristic_summary(&it, &sig, &Templates::default()),
        "Popular with viewers who share your taste."
    );
}

#[test]
fn templates_fall_back_per_key() {
    let t = Templates::from_json(
        r#"{"narrative": {"fallback": "Custom."}, "heuristic": {"votes": ""}}"#,
    );
    assert_eq!(t.narrative.fallback, "Custom.");
    assert_eq!(
        t.narrative.genre_match,
        Templates::default().narrative.genre_match
    );
    assert_eq!(t.heuristic.votes, Templates::default().heuristic.votes);
}

#[test]
fn invalid_or_non_object_templates_give_the_defaults() {
    assert!(Templates::try_from_json("[1]").is_err());
    assert!(Templates::try_from_json("{oops").is_err());
    assert_eq!(Templates::from_json("[1]"), Templates::default());
}

#[test]
fn the_shipped_file_equals_the_defaults() {
    let shipped = r#"{"narrative": {"genre_match": "Dialed into your {genres} vibe.",
        "media_type": "It's a {media_type} pick like you asked for.",
        "runtime_match": "Runs about {runtime} minutes, matching your runtime window.",
        "query_fallback": "Aligns with \"{query}\".",
        "fallback": "Popular with viewers who share your taste."},
      "heuristic": {"trending": "Trending now (#{rank}).", "popular": "Top popular pick (#{rank}).",
        "votes": "Rated {vote_average:.1f}/10 by {vote_count} fans.",
        "recent": "Fresh release from {year}.", "fallback": "Popular with viewers who share your taste."}}"#;
    assert_eq!(
        Templates::try_from_json(shipped).ok(),
        Some(Templates::default())
    );
}

#[test]
fn unknown_filter_values_add_a_caveat() {
    assert_eq!(
        unverified_sentence(&["runtime".into()]).as_deref(),
        Some("Runtime unknown, so it may fall outside your limit.")
    );
    assert_eq!(
        unverified_sentence(&["runtime".into(), "maturity_rating".into()]).as_deref(),
        Some("Runtime and rating unknown, so it may fall outside your limits.")
    );
    assert_eq!(unverified_sentence(&[]), None);
}

#[test]
fn the_post_filter_wording_lists_every_unknown_value() {
    let reasons = ["runtime unknown", "rating unknown", "release year unknown"].map(String::from);
    assert_eq!(
        unverified_sentence(&reasons).as_deref(),
        Some("Runtime, rating and release year unknown, so it may fall outside your limits.")
    );
}

#[test]
fn the_caveat_ends_the_explanation() {
    let templates = Templates::default();
    let intent = IntentFilters::default();
    let ctx = ExplainContext::new(&intent, None, &templates);
    let mut c = Candidate::new(item(), None, 0);
    c.unverified = vec!["runtime".into()];
    let text = explain(&c, &signals(&c.item, YEAR), &ctx);
    assert!(
        text.ends_with("Runtime unknown, so it may fall outside your limit."),
        "{text}"
    );
}

fn cand(popularity: Option<f64>, votes: Option<i32>) -> Candidate {
    let mut item = Item::bare(1, MediaType::Movie, "t");
    item.popularity = popularity;
    item.vote_count = votes;
    Candidate::new(item, None, 0)
}

fn low_signal_list() -> Vec<Candidate> {
    let mut weak = cand(Some(1.0), Some(1));
    std::sync::Arc::make_mut(&mut weak.item).id = 2;
    vec![cand(Some(500.0), Some(5000)), weak]
}

fn ids(cands: &[Candidate]) -> Vec<i32> {
    cands.iter().map(|c| c.item.id).collect()
}

#[test]
fn low_signal_titles_are_dropped_when_a_reranker_runs_and_a_threshold_is_set() {
    let s = HeuristicSettings {
        min_signal_multiplier: 0.7,
        ..Default::default()
    };
    let out = with_default_explanations(
        low_signal_list(),
        &IntentFilters::default(),
        None,
        true,
        YEAR,
        &s,
        &Templates::default(),
    );
    assert_eq!(ids(&out), vec![1]);
}

#[test]
fn low_signal_titles_stay_without_a_reranker() {
    let s = HeuristicSettings {
        min_signal_multiplier: 0.7,
        ..Default::default()
    };
    let out = with_default_explanations(
        low_signal_list(),
        &IntentFilters::default(),
        None,
        false,
        YEAR,
        &s,
        &Templates::default(),
    );
    assert_eq!(ids(&out), vec![1, 2]);
}

#[test]
fn low_signal_titles_stay_when_the_threshold_is_zero() {
    let out = with_default_explanations(
        low_signal_list(),
        &IntentFilters::default(),
        None,
        true,
        YEAR,
        &HeuristicSettings::default(),
        &Templates::default(),
    );
    assert_eq!(ids(&out), vec![1, 2]);
}

#[test]
fn a_trending_title_of_this_year_is_explained_and_scored_above_retrieval() {
    let mut c = cand(None, None);
    c.retrieval_score = 0.4;
    std::sync::Arc::make_mut(&mut c.item).trending_rank = Some(3);
    std::sync::Arc::make_mut(&mut c.item).release_year = Some(YEAR);
    let out = with_default_explanations(
        vec![c],
        &IntentFilters::default(),
        None,
        false,
        YEAR,
        &HeuristicSettings::default(),
        &Templates::default(),
    );
    assert!(out[0].explanation.contains("Trending"));
    assert!(out[0].explanation.contains(&YEAR.to_string()));
    assert!(out[0].score >= 0.4);
}
