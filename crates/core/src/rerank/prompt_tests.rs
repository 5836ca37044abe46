use super::*;
use crate::item::{Genre, Item, MediaType};

fn arrival() -> Candidate {
    let mut item = Item::bare(1, MediaType::Movie, "Arrival");
    item.release_year = Some(2016);
    item.runtime = Some(116);
    item.genres = vec![
        Genre {
            id: Some(878),
            name: "Science Fiction".into(),
        },
        Genre {
            id: Some(18),
            name: "Drama".into(),
        },
    ];
    item.overview = Some(format!(
        "Ships land.\nA linguist {} is called in.",
        "x".repeat(300)
    ));
    Candidate::new(item, None, 4)
}

fn spec() -> PromptSpec {
    PromptSpec::reranker_default()
}

#[test]
fn with_no_context_the_prompt_says_so() {
    let intent = IntentFilters::default();
    let ctx = RerankContext {
        intent: &intent,
        query: None,
        user_id: None,
        user: None,
    };
    let (system, user) = rerank_prompt(&spec(), &ctx, &[]);
    assert!(system.contains("'items'"), "{system}");
    assert!(user.starts_with("Review the candidate list"), "{user}");
    assert!(
        user.contains("\n\nContext:\nNo explicit filters provided.\n\nCandidates:\n"),
        "{user}"
    );
}

#[test]
fn context_lines_follow_the_original_order() {
    let intent = IntentFilters {
        genres: vec!["Science Fiction".into()],
        media_types: vec![MediaType::Movie],
        min_runtime: Some(90),
        max_runtime: Some(120),
        ..Default::default()
    };
    let ctx = RerankContext {
        intent: &intent,
        query: Some("light sci-fi"),
        user_id: Some("u1::kids"),
        user: None,
    };
    let (_, user) = rerank_prompt(&spec(), &ctx, &[]);
    assert!(
        user.contains(
            "Context:\nPreferred genres: Science Fiction\nMedia types: movie\n\
             Minimum runtime: 90 minutes\nMaximum runtime: 120 minutes\n\
             Original query: light sci-fi\nUser id: u1::kids\n\n"
        ),
        "{user}"
    );
}

#[test]
fn the_viewers_profile_adds_top_genres_and_counts() {
    let intent = IntentFilters::default();
    let profile = RerankUserContext {
        genre_prefs: vec![
            ("Drama".into(), 0.2),
            ("Comedy".into(), 0.5),
            ("War".into(), 0.05),
            ("Crime".into(), 0.25),
        ],
        neighbours: 7,
        negatives: 2,
    };
    let ctx = RerankContext {
        intent: &intent,
        query: None,
        user_id: None,
        user: Some(&profile),
    };
    let (_, user) = rerank_prompt(&spec(), &ctx, &[]);
    assert!(
        user.contains("Viewer's favourite genres: Comedy (50%), Crime (25%), Drama (20%)\n"),
        "{user}"
    );
    assert!(user.contains("Viewers with similar taste: 7\n"), "{user}");
    assert!(user.contains("Titles the viewer rejected: 2"), "{user}");
    assert!(!user.contains("No explicit filters"), "{user}");
}

#[test]
fn an_empty_profile_adds_nothing() {
    let intent = IntentFilters::default();
    let profile = RerankUserContext::default();
    let ctx = RerankContext {
        intent: &intent,
        query: None,
        user_id: None,
        user: Some(&profile),
    };
    let (_, user) = rerank_prompt(&spec(), &ctx, &[]);
    assert!(user.contains("No explicit filters provided."), "{user}");
}

#[test]
fn a_candidate_is_one_line_with_a_short_overview() {
    let intent = IntentFilters::default();
    let ctx = RerankContext {
        intent: &intent,
        query: None,
        user_id: None,
        user: None,
    };
    let (_, user) = rerank_prompt(&spec(), &ctx, &[arrival()]);
    let line = user.lines().last().expect("a candidate line");
    assert_eq!(
        line,
        "- id=1 | title=Arrival | type=movie | year=2016 | runtime=116 | \
         genres=Science Fiction, Drama | rank=4 | overview=Ships land."
    );
}

#[test]
fn unknown_values_read_n_a_and_long_overviews_are_cut() {
    let mut c = Candidate::new(Item::bare(9, MediaType::Tv, "Show\nName"), None, 0);
    std::sync::Arc::make_mut(&mut c.item).overview = Some("word ".repeat(100));
    let intent = IntentFilters::default();
    let ctx = RerankContext {
        intent: &intent,
        query: None,
        user_id: None,
        user: None,
    };
    let (_, user) = rerank_prompt(&spec(), &ctx, &[c]);
    let line = user.lines().last().expect("a candidate line");
    assert!(line.starts_with("- id=9 | title=Show Name | type=tv | year=n/a | runtime=n/a | genres=n/a | rank=0 | overview=word"), "{line}");
    assert!(line.ends_with("..."), "{line}");
    assert!(line.len() < 320, "{line}");
}
