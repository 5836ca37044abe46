//! Explanation templates (spec §4.21.3): a narrative (why it fits the request) plus up to
//! two heuristic reasons (trending, recent, popular, well rated), from operator-editable
//! templates in `config/explanation_templates.json`.
//!
//! Templates use a subset of Python's `str.format`: `{name}`, `{{`/`}}`, and the specs
//! `,` `.N` and the types `f`/`F`/`d`/`s`. Anything else (an unknown name, a positional
//! field, another spec) leaves the raw template text, as the original's error path did.
//!
//! Our fix of §10.11: a title whose filter values could not be checked says so.

use crate::candidate::Candidate;
use crate::heuristic::Signals;
use crate::intent::IntentFilters;
use crate::item::Item;
use serde_json::Value;
use std::collections::HashSet;

/// Why a templates file could not be used (the caller logs it and keeps the defaults).
#[derive(Debug, thiserror::Error)]
pub enum TemplatesError {
    #[error("explanation templates are not valid JSON: {0}")]
    /// The file is not JSON.
    InvalidJson(#[from] serde_json::Error),
    #[error("explanation templates must be a JSON object")]
    /// The file is JSON but not an object.
    NotAnObject,
}

/// The `narrative` group.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeTemplates {
    /// Matched genres (`{genres}`).
    pub genre_match: String,
    /// Requested media type (`{media_type}`).
    pub media_type: String,
    /// Runtime within the window (`{runtime}`).
    pub runtime_match: String,
    /// Echo of the query (`{query}`).
    pub query_fallback: String,
    /// When nothing else applies (not formatted).
    pub fallback: String,
    /// The closest title of the viewer's history (`{title}`); our addition.
    pub because_you_watched: String,
}

/// The `heuristic` group.
#[derive(Debug, Clone, PartialEq)]
pub struct HeuristicTemplates {
    /// Trending rank ≤ 20 (`{rank}`).
    pub trending: String,
    /// Popular rank ≤ 20 (`{rank}`).
    pub popular: String,
    /// Well rated (`{vote_average}`, `{vote_count}`, `{votes}`).
    pub votes: String,
    /// Recent release (`{year}`).
    pub recent: String,
    /// Very popular, no other reason (not formatted).
    pub fallback: String,
}

/// Both template groups; every key falls back to its default on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Templates {
    /// Why the title fits the request.
    pub narrative: NarrativeTemplates,
    /// Catalog-signal reasons.
    pub heuristic: HeuristicTemplates,
}

impl Default for Templates {
    fn default() -> Self {
        let s = str::to_owned;
        Templates {
            narrative: NarrativeTemplates {
                genre_match: s("Dialed into your {genres} vibe."),
                media_type: s("It's a {media_type} pick like you asked for."),
                runtime_match: s("Runs about {runtime} minutes, matching your runtime window."),
                query_fallback: s("Aligns with \"{query}\"."),
                fallback: s("Popular with viewers who share your taste."),
                because_you_watched: s("Because you watched {title}."),
            },
            heuristic: HeuristicTemplates {
                trending: s("Trending now (#{rank})."),
                popular: s("Top popular pick (#{rank})."),
                votes: s("Rated {vote_average:.1f}/10 by {vote_count} fans."),
                recent: s("Fresh release from {year}."),
                fallback: s("Popular with viewers who share your taste."),
            },
        }
    }
}

impl Templates {
    /// Parses a templates file; only a non-object or invalid JSON is an error. Missing,
    /// empty or non-string keys (and non-object groups) keep their defaults.
    pub fn try_from_json(text: &str) -> Result<Self, TemplatesError> {
        Self::from_value(&serde_json::from_str(text)?)
    }

    /// Like [`Self::try_from_json`], but any error gives the defaults.
    pub fn from_json(text: &str) -> Self {
        Self::try_from_json(text).unwrap_or_default()
    }

    /// Builds templates from parsed JSON.
    pub fn from_value(value: &Value) -> Result<Self, TemplatesError> {
        let root = value.as_object().ok_or(TemplatesError::NotAnObject)?;
        let mut t = Templates::default();
        let pick = |group: &str, key: &str, slot: &mut String| {
            if let Some(text) = root
                .get(group)
                .and_then(|g| g.get(key))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                *slot = text.to_owned();
            }
        };
        let n = &mut t.narrative;
        pick("narrative", "genre_match", &mut n.genre_match);
        pick("narrative", "media_type", &mut n.media_type);
        pick("narrative", "runtime_match", &mut n.runtime_match);
        pick("narrative", "query_fallback", &mut n.query_fallback);
        pick("narrative", "fallback", &mut n.fallback);
        pick(
            "narrative",
            "because_you_watched",
            &mut n.because_you_watched,
        );
        let h = &mut t.heuristic;
        pick("heuristic", "trending", &mut h.trending);
        pick("heuristic", "popular", &mut h.popular);
        pick("heuristic", "votes", &mut h.votes);
        pick("heuristic", "recent", &mut h.recent);
        pick("heuristic", "fallback", &mut h.fallback);
        Ok(t)
    }
}

/// A value for a template placeholder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// An integer (`{n}`, `{n:,}`, `{n:.1f}`).
    Int(i64),
    /// A float (`{x}`, `{x:.1f}`).
    Float(f64),
    /// Text (`{s}`, `{s:.10}`).
    Str(&'a str),
}

/// Formats `template` with named `args`, or `None` where Python's `str.format` would
/// raise (or where the spec is outside the supported subset).
pub fn format_template(template: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut chars = template.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => return None,
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        '{' => return None,
                        c => field.push(c),
                    }
                }
                let (name, spec) = field.split_once(':').unwrap_or((&field, ""));
                let valid_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_');
                if !valid_name {
                    return None;
                }
                let (_, arg) = args.iter().find(|(n, _)| *n == name)?;
                out.push_str(&format_arg(*arg, spec)?);
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// Formats `template`, or returns it unchanged when formatting fails.
pub fn safe_template(template: &str, args: &[(&str, Arg<'_>)]) -> String {
    format_template(template, args).unwrap_or_else(|| template.to_owned())
}

/// One placeholder with a spec of the form `[,][.N][f|F|d|s]`.
fn format_arg(arg: Arg<'_>, spec: &str) -> Option<String> {
    let (grouping, rest) = match spec.strip_prefix(',') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    let (precision, kind) = match rest.strip_prefix('.') {
        Some(p) => {
            let digits_end = p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len());
            let n: usize = p[..digits_end].parse().ok()?;
            (Some(n), &p[digits_end..])
        }
        None => (None, rest),
    };
    let kind = match kind {
        "" => None,
        "f" | "F" | "d" | "s" => kind.chars().next(),
        _ => return None,
    };
    match (arg, kind) {
        (Arg::Int(i), None | Some('d')) if precision.is_none() => {
            Some(group(&i.to_string(), grouping))
        }
        (Arg::Int(i), Some('f' | 'F')) => fixed(i as f64, precision, grouping),
        (Arg::Float(x), None) if precision.is_none() => Some(group(&py_repr(x), grouping)),
        (Arg::Float(x), Some('f' | 'F')) => fixed(x, precision, grouping),
        (Arg::Str(s), None | Some('s')) if !grouping => {
            Some(precision.map_or_else(|| s.to_owned(), |n| s.chars().take(n).collect()))
        }
        _ => None,
    }
}

fn fixed(x: f64, precision: Option<usize>, grouping: bool) -> Option<String> {
    Some(group(&format!("{x:.*}", precision.unwrap_or(6)), grouping))
}

/// Python's `str(float)` for ordinary values: `8.0`, `7.25`.
fn py_repr(x: f64) -> String {
    if x.is_nan() {
        "nan".to_owned()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_owned()
    } else if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        x.to_string()
    }
}

/// Inserts thousands separators into the integer part of a formatted number.
fn group(number: &str, grouping: bool) -> String {
    if !grouping {
        return number.to_owned();
    }
    let (sign, body) = number.strip_prefix('-').map_or(("", number), |b| ("-", b));
    let int_end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (int, tail) = body.split_at(int_end);
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + tail
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
    let because = cand.because.as_deref().map(|title| {
        safe_template(
            &ctx.templates.narrative.because_you_watched,
            &[("title", Arg::Str(title))],
        )
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
#[path = "explain_tests.rs"]
mod tests;
