//! The LLM reranker's prompt (spec §4.21.4): fixed instructions, a context block (the
//! request's filters, plus our additions about the viewer), and one line per candidate.

use crate::candidate::Candidate;
use crate::explain::short_overview;
use crate::intent::IntentFilters;
use crate::prompt_spec::PromptSpec;

/// How many head items the LLM reranker sees (the original's fixed 25): enough to reorder a
/// page, small enough to keep the prompt and the answer short.
pub const LLM_RERANK_WINDOW: usize = 25;

/// How many favourite genres the context lists.
const TOP_GENRES: usize = 3;

/// The instructions above the context, one line each.
const INSTRUCTIONS: &[&str] = &[
    "Review the candidate list and return JSON containing the best ordering.",
    "Include all provided items exactly once in your response.",
    "For each item supply fields: id (int), score (float between 0 and 1), explanation (<=45 words).",
    "Scores should reflect final ranking (higher means better).",
    "Keep explanations concise and reference intent filters when relevant.",
];

/// What the viewer's profile says (our addition: the original sent only the user id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RerankUserContext {
    /// Genre shares from the profile (`users.genre_prefs`), any order; the top few are shown.
    pub genre_prefs: Vec<(String, f64)>,
    /// How many similar viewers the profile has.
    pub neighbours: usize,
    /// How many titles the viewer rejected (`not_interested`, `disliked`).
    pub negatives: usize,
}

/// Everything about the request the reranker prompt mentions.
#[derive(Debug, Clone, Copy)]
pub struct RerankContext<'a> {
    /// The request's filters.
    pub intent: &'a IntentFilters,
    /// The request's query, if any.
    pub query: Option<&'a str>,
    /// The canonical user id (`user::profile`).
    pub user_id: Option<&'a str>,
    /// The viewer's profile, when known.
    pub user: Option<&'a RerankUserContext>,
}

/// The context lines, in the original's order, then ours; each only when it applies.
fn context_lines(ctx: &RerankContext<'_>) -> Vec<String> {
    let intent = ctx.intent;
    let mut lines = Vec::new();
    let genres = intent.requested_genres();
    if !genres.is_empty() {
        lines.push(format!("Preferred genres: {}", genres.join(", ")));
    }
    if !intent.media_types.is_empty() {
        let media: Vec<&str> = intent.media_types.iter().map(|m| m.as_str()).collect();
        lines.push(format!("Media types: {}", media.join(", ")));
    }
    if let Some(min) = intent.min_runtime {
        lines.push(format!("Minimum runtime: {min} minutes"));
    }
    if let Some(max) = intent.max_runtime {
        lines.push(format!("Maximum runtime: {max} minutes"));
    }
    if let Some(query) = ctx.query.map(str::trim).filter(|q| !q.is_empty()) {
        lines.push(format!("Original query: {query}"));
    }
    if let Some(user) = ctx.user_id.filter(|u| !u.is_empty()) {
        lines.push(format!("User id: {user}"));
    }
    if let Some(user) = ctx.user {
        let mut prefs: Vec<&(String, f64)> = user
            .genre_prefs
            .iter()
            .filter(|(name, share)| !name.trim().is_empty() && share.is_finite() && *share > 0.0)
            .collect();
        prefs.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if !prefs.is_empty() {
            let top: Vec<String> = prefs
                .iter()
                .take(TOP_GENRES)
                .map(|(name, share)| format!("{} ({:.0}%)", name.trim(), share * 100.0))
                .collect();
            lines.push(format!("Viewer's favourite genres: {}", top.join(", ")));
        }
        if user.neighbours > 0 {
            lines.push(format!("Viewers with similar taste: {}", user.neighbours));
        }
        if user.negatives > 0 {
            lines.push(format!(
                "Titles the viewer rejected: {} (already removed from the list)",
                user.negatives
            ));
        }
    }
    lines
}

/// Text on one line: newlines and runs of spaces collapse to one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `- id=.. | title=.. | type=.. | year=.. | runtime=.. | genres=.. | rank=.. | overview=..`;
/// unknown values read `n/a`, the overview is its first sentence (at most 180 characters).
fn candidate_line(c: &Candidate) -> String {
    let item = &c.item;
    let na = || "n/a".to_owned();
    let genres: Vec<&str> = item.genre_names().collect();
    format!(
        "- id={} | title={} | type={} | year={} | runtime={} | genres={} | rank={} | overview={}",
        item.id,
        one_line(&item.title),
        item.media_type,
        item.release_year.map_or_else(na, |y| y.to_string()),
        item.runtime.map_or_else(na, |r| r.to_string()),
        if genres.is_empty() {
            na()
        } else {
            genres.join(", ")
        },
        c.original_rank,
        item.overview
            .as_deref()
            .map(|o| one_line(&short_overview(o)))
            .filter(|o| !o.is_empty())
            .unwrap_or_else(na),
    )
}

/// The system and user messages for reranking `items` (the caller passes the window).
pub fn rerank_prompt(
    spec: &PromptSpec,
    ctx: &RerankContext<'_>,
    items: &[Candidate],
) -> (String, String) {
    let context = context_lines(ctx);
    let context = if context.is_empty() {
        "No explicit filters provided.".to_owned()
    } else {
        context.join("\n")
    };
    let candidates: Vec<String> = items.iter().map(candidate_line).collect();
    let user = format!(
        "{}\n\nContext:\n{context}\n\nCandidates:\n{}",
        INSTRUCTIONS.join("\n"),
        candidates.join("\n")
    );
    (spec.system_prompt.trim_end().to_owned(), user)
}

#[cfg(test)]
#[path = "prompt_tests.rs"]
mod tests;
