//! Every title's explanation (spec §4.21.3), in one place: "Because you watched X" when a
//! pick is close to a recent title of the viewer ([`because`]), a narrative (why it fits the
//! request), up to two heuristic reasons (trending, recent, popular, well rated) and, for a
//! title whose filter values could not be checked, a caveat (our fix of §10.11). The texts
//! come from operator-editable [`templates`], filled in by [`format`].
//!
//! [`with_default_explanations`] also gives every title its heuristic score
//! (`heuristic::score_with`): the score and text every candidate gets before (or instead of) a
//! reranker.

pub mod because;
pub mod format;
pub mod templates;

pub use format::{Arg, format_template, safe_template};

use format::group;
pub use templates::{HeuristicTemplates, NarrativeTemplates, Templates, TemplatesError};

use crate::candidate::Candidate;
use crate::heuristic::{HeuristicSettings, Signals, score_with, signals};
use crate::intent::IntentFilters;
use crate::item::Item;
use std::collections::HashSet;

/// Gives every candidate its heuristic `score` and default `explanation`, keeping the
/// order. With `apply_low_signal` (a reranker is about to run) and a positive
/// `min_signal_multiplier`, titles whose multiplier falls below it are removed (§10.13,
/// kept).
pub fn with_default_explanations(
    cands: Vec<Candidate>,
    intent: &IntentFilters,
    query: Option<&str>,
    apply_low_signal: bool,
    current_year: i32,
    s: &HeuristicSettings,
    templates: &Templates,
) -> Vec<Candidate> {
    let ctx = ExplainContext::new(intent, query, templates);
    let drop_below =
        (apply_low_signal && s.min_signal_multiplier > 0.0).then_some(s.min_signal_multiplier);
    cands
        .into_iter()
        .enumerate()
        .filter_map(|(position, mut c)| {
            let sig = signals(&c.item, current_year);
            let (value, multiplier) = score_with(&c, &sig, position, s);
            if drop_below.is_some_and(|min| multiplier < min) {
                return None;
            }
            c.score = value;
            c.explanation = explain(&c, &sig, &ctx);
            Some(c)
        })
        .collect()
}

/// Words ending in `.` that do not end a sentence ("Mr. Bean's Holiday").
const ABBREVIATIONS: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "prof.", "vs.", "mt.", "lt.", "sgt.",
    "capt.", "gen.", "col.", "no.", "u.s.", "u.k.", "e.g.", "i.e.",
];

/// The first sentence of an overview (up to the first whitespace after `.`, `!` or
/// `?`, unless the `.` ends a common abbreviation such as "Mr." — the original cut "Mr. Bean's
/// Holiday" to "Mr."), cut to 180 characters (177 + `...`).
pub fn short_overview(text: &str) -> String {
    let text = text.trim();
    let mut sentence = text;
    let mut after_stop = false;
    for (i, c) in text.char_indices() {
        if after_stop && c.is_whitespace() && !ends_with_abbreviation(&text[..i]) {
            sentence = &text[..i];
            break;
        }
        after_stop = matches!(c, '.' | '!' | '?');
    }
    if sentence.chars().count() <= 180 {
        sentence.to_owned()
    } else {
        let cut: String = sentence.chars().take(177).collect();
        format!("{}...", cut.trim_end())
    }
}

fn ends_with_abbreviation(head: &str) -> bool {
    let last_word = head.rsplit(char::is_whitespace).next().unwrap_or(head);
    let last_word = last_word
        .trim_start_matches(['(', '"', '\''])
        .to_lowercase();
    ABBREVIATIONS.contains(&last_word.as_str())
}

/// What every explanation in one response shares, computed once.
#[derive(Debug, Clone)]
pub struct ExplainContext<'a> {
    /// The request's filters.
    pub intent: &'a IntentFilters,
    /// `intent.effective_genres()`, in order.
    pub intent_genres: Vec<String>,
    /// The request's query; empty counts as none.
    pub query: Option<&'a str>,
    /// The templates in force.
    pub templates: &'a Templates,
}

impl<'a> ExplainContext<'a> {
    /// Builds the context for one request.
    pub fn new(
        intent: &'a IntentFilters,
        query: Option<&'a str>,
        templates: &'a Templates,
    ) -> Self {
        ExplainContext {
            intent,
            intent_genres: intent.effective_genres(),
            query: query.filter(|q| !q.is_empty()),
            templates,
        }
    }
}

/// Why the title fits the request: matched genres, media type, runtime, the overview's
/// first sentence, else the query, else a generic line.
pub fn narrative(item: &Item, ctx: &ExplainContext<'_>) -> String {
    let t = &ctx.templates.narrative;
    let mut parts: Vec<String> = Vec::new();
    let item_genres: HashSet<String> = item.genre_names().map(str::to_lowercase).collect();
    let matched: Vec<&str> = ctx
        .intent_genres
        .iter()
        .filter(|g| item_genres.contains(&g.to_lowercase()))
        .map(String::as_str)
        .take(2)
        .collect();
    if !matched.is_empty() {
        let genres = matched.join(", ");
        parts.push(safe_template(
            &t.genre_match,
            &[("genres", Arg::Str(&genres))],
        ));
    }
    if ctx.intent.media_types.contains(&item.media_type) {
        let media = item.media_type.as_str();
        parts.push(safe_template(
            &t.media_type,
            &[("media_type", Arg::Str(media))],
        ));
    }
    let set = |bound: Option<i32>| bound.filter(|&b| b != 0);
    if let Some(runtime) = item.runtime.filter(|&r| r != 0)
        && (set(ctx.intent.min_runtime).is_some_and(|min| runtime >= min)
            || set(ctx.intent.max_runtime).is_some_and(|max| runtime <= max))
    {
        let args = [("runtime", Arg::Int(i64::from(runtime)))];
        parts.push(safe_template(&t.runtime_match, &args));
    }
    let summary = short_overview(item.overview.as_deref().unwrap_or(""));
    if !summary.is_empty() {
        parts.push(summary);
    }
    if parts.is_empty()
        && let Some(query) = ctx.query
    {
        parts.push(safe_template(
            &t.query_fallback,
            &[("query", Arg::Str(query))],
        ));
    }
    if parts.is_empty() {
        parts.push(t.fallback.clone());
    }
    parts.join(" ")
}

/// Up to two reasons from the catalog signals: trending, recent, popular, well rated;
/// else a generic line for very popular titles.
pub fn heuristic_summary(item: &Item, sig: &Signals, templates: &Templates) -> String {
    let t = &templates.heuristic;
    let mut reasons: Vec<String> = Vec::new();
    let top20 = |rank: Option<i32>| rank.filter(|r| (1..=20).contains(r));
    if let Some(rank) = top20(item.trending_rank) {
        reasons.push(safe_template(
            &t.trending,
            &[("rank", Arg::Int(i64::from(rank)))],
        ));
    }
    if sig.recent_bonus >= 0.5
        && let Some(year) = item.release_year.filter(|&y| y > 1900)
    {
        let reason = safe_template(&t.recent, &[("year", Arg::Int(i64::from(year)))]);
        if !reason.is_empty() {
            reasons.push(reason);
        }
    }
    if let Some(rank) = top20(item.popular_rank) {
        reasons.push(safe_template(
            &t.popular,
            &[("rank", Arg::Int(i64::from(rank)))],
        ));
    }
    let vote_average = item.vote_average.unwrap_or(0.0);
    let vote_count = item.vote_count.unwrap_or(0);
    if vote_average >= 7.5 && vote_count >= 500 {
        let votes = group(&vote_count.to_string(), true);
        let args = [
            ("vote_average", Arg::Float(vote_average)),
            ("vote_count", Arg::Str(&votes)),
            ("votes", Arg::Str(&votes)),
        ];
        reasons.push(safe_template(&t.votes, &args));
    }
    if reasons.is_empty() && sig.popularity_norm >= 0.7 {
        reasons.push(t.fallback.clone());
    }
    reasons.truncate(2);
    reasons.join(" ")
}

/// A sentence for filter values that could not be checked, e.g. `["runtime"]` →
/// "Runtime unknown, so it may fall outside your limit." Entries are field names
/// (`runtime`, `maturity_rating`, ...) or phrases such as `"release year unknown"` (the
/// post-filter's wording); an "unknown" prefix or suffix is dropped.
pub fn unverified_sentence(reasons: &[String]) -> Option<String> {
    let mut subjects: Vec<String> = Vec::new();
    for reason in reasons {
        let key = reason.trim().to_lowercase();
        let key = key.strip_prefix("unknown ").unwrap_or(&key);
        let key = key.strip_suffix(" unknown").unwrap_or(key).trim();
        let subject = match key {
            "" => continue,
            "runtime" => "runtime".to_owned(),
            "maturity_rating" | "maturity" | "rating" => "rating".to_owned(),
            "original_language" | "language" => "language".to_owned(),
            "release_year" | "year" => "release year".to_owned(),
            other => other.replace('_', " "),
        };
        if !subjects.contains(&subject) {
            subjects.push(subject);
        }
    }
    let (last, rest) = subjects.split_last()?;
    let listed = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    let mut chars = listed.chars();
    let first = chars.next()?.to_uppercase().collect::<String>();
    let plural = if subjects.len() > 1 {
        "limits"
    } else {
        "limit"
    };
    Some(format!(
        "{first}{} unknown, so it may fall outside your {plural}.",
        chars.as_str()
    ))
}

/// The full default explanation: narrative, heuristic reasons and, for titles with
/// unchecked filter values, the caveat sentence.
pub fn explain(cand: &Candidate, sig: &Signals, ctx: &ExplainContext<'_>) -> String {
    let because = cand.because.as_ref().map(|b| {
        let template = if b.liked {
            &ctx.templates.narrative.because_you_liked
        } else {
            &ctx.templates.narrative.because_you_watched
        };
        safe_template(template, &[("title", Arg::Str(&b.title))])
    });
    let parts = [
        because.unwrap_or_default(),
        narrative(&cand.item, ctx),
        heuristic_summary(&cand.item, sig, ctx.templates),
        unverified_sentence(&cand.unverified).unwrap_or_default(),
    ];
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests;
