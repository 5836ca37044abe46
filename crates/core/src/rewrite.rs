//! The query rewrite: a short text (at most 8 words) that is embedded next to the intent's
//! `ann_description` to steer retrieval (the vectors are blended in `query_vector`).

use crate::intent::LlmIntent;
use crate::intent::negation::strip_negated;

/// Word cap of a rewrite (and of a `rewrite_override`).
pub const REWRITE_WORDS: usize = 8;

/// Fixed rewrites for a few common requests: the first rule whose keywords all occur (as
/// substrings of the lower-cased, hyphen-free query) wins.
const HEURISTICS: &[(&[&str], &str)] = &[
    (
        &["post apocalyptic", "tv"],
        "post-apocalyptic survival resilience tv series",
    ),
    (&["feel good"], "feel-good uplifting short comedy movies"),
    (
        &["anime", "sci fi"],
        "anime science fiction adventure films",
    ),
    (
        &["space opera"],
        "optimistic space exploration adventure tv series",
    ),
    (&["rom com"], "romantic comedy films from the 2000s"),
    (
        &["gritty", "superhero"],
        "gritty street-level vigilante superhero series",
    ),
    (&["fantasy", "witcher"], "high fantasy epic quest tv series"),
];

/// The first `n` whitespace-separated words, joined by single spaces.
pub fn truncate_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A hint from the intent: `"<first include genre> movies"` (science fiction spelled
/// `sci-fi`); `""` when there are only exclusions; `None` when neither.
fn intent_hint(intent: &LlmIntent) -> Option<String> {
    if let Some(first) = intent.include_genres.as_ref().and_then(|g| g.first()) {
        let key = first.to_lowercase();
        let phrase = match key.as_str() {
            "science fiction" | "sci fi" | "sci-fi" => "sci-fi",
            other => other,
        };
        return Some(format!("{phrase} movies").trim().to_owned());
    }
    intent
        .exclude_genres
        .as_ref()
        .is_some_and(|g| !g.is_empty())
        .then(String::new)
}

fn heuristic(query: &str) -> Option<&'static str> {
    let text = query.to_lowercase().replace('-', " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    HEURISTICS
        .iter()
        .find(|(keywords, _)| keywords.iter().all(|k| text.contains(k)))
        .map(|(_, rewrite)| *rewrite)
}

/// Rewrites a query for embedding.
///
/// The base is the intent's description, else the genre hint, else a fixed heuristic, else
/// the query itself. The query is appended unless the base already contains it, and the
/// result is cut to [`REWRITE_WORDS`] words. Pinned: with query "some query", an include of
/// "sci-fi" gives "sci-fi movies some query".
pub fn rewrite_query(query: &str, intent: &LlmIntent) -> String {
    let query = query.trim();
    let description = intent.ann_description.as_deref().unwrap_or_default().trim();
    let hint = intent_hint(intent).unwrap_or_default();
    let base = if !description.is_empty() {
        description.to_owned()
    } else if !hint.is_empty() {
        hint
    } else if let Some(rewrite) = heuristic(query) {
        rewrite.to_owned()
    } else {
        query.to_owned()
    };
    let combined = if !query.is_empty() && !base.to_lowercase().contains(&query.to_lowercase()) {
        format!("{base} {query}")
    } else {
        base
    };
    let rewritten = truncate_words(&combined, REWRITE_WORDS);
    if rewritten.is_empty() {
        query.to_owned()
    } else {
        rewritten
    }
}

/// The rewrite text for a request: a non-blank `rewrite_override` cut to 8 words (and
/// `rewrite_query` not called); else the rewrite of a non-empty query without its negated
/// clauses ("fun but not scary" is embedded as "fun"); else none.
pub fn rewrite_text(
    rewrite_override: Option<&str>,
    query: Option<&str>,
    intent: &LlmIntent,
) -> Option<String> {
    if let Some(manual) = rewrite_override.filter(|o| !o.trim().is_empty()) {
        return Some(truncate_words(manual, REWRITE_WORDS));
    }
    query
        .filter(|q| !q.is_empty())
        .map(|q| rewrite_query(&strip_negated(q), intent))
}

/// The texts to embed for the rewrite vector, with their weights: the description first,
/// then the rewrite. Texts are trimmed; a blank text or a weight that is not above 0 is
/// dropped.
pub fn rewrite_inputs(
    description: Option<&str>,
    rewrite: Option<&str>,
    desc_weight: f32,
    rewrite_weight: f32,
) -> Vec<(String, f32)> {
    [(description, desc_weight), (rewrite, rewrite_weight)]
        .into_iter()
        .filter_map(|(text, weight)| {
            let text = text?.trim();
            (!text.is_empty() && weight > 0.0).then(|| (text.to_owned(), weight))
        })
        .collect()
}

/// The rewrite text of a request and where it came from (for the debug trace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenRewrite {
    pub text: Option<String>,
    /// `override`, `llm`, `heuristic` or `heuristic (llm_failed:<kind>)`; `None` with no text.
    pub source: Option<String>,
}

/// Picks the rewrite: a non-blank `rewrite_override` wins; else the LLM's rewrite when one was
/// asked for and came back; else [`rewrite_text`] of the query (noting an LLM failure).
pub fn choose_rewrite(
    rewrite_override: Option<&str>,
    llm: Option<Result<String, &str>>,
    query: Option<&str>,
    intent: &LlmIntent,
) -> ChosenRewrite {
    let (text, source) = match (rewrite_override.filter(|o| !o.trim().is_empty()), llm) {
        (Some(manual), _) => (
            rewrite_text(Some(manual), query, intent),
            Some("override".to_owned()),
        ),
        (None, Some(Ok(text))) => (Some(text), Some("llm".to_owned())),
        (None, Some(Err(kind))) => (
            rewrite_text(None, query, intent),
            Some(format!("heuristic (llm_failed:{kind})")),
        ),
        (None, None) => {
            let text = rewrite_text(None, query, intent);
            let source = text.as_ref().map(|_| "heuristic".to_owned());
            (text, source)
        }
    };
    ChosenRewrite { text, source }
}

#[cfg(test)]
#[path = "rewrite_tests.rs"]
mod tests;
