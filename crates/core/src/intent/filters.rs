//! Building the working [`IntentFilters`] from the parsed intent, the query and the
//! request's overrides.
//!
//! Unlike the original, every LLM field takes effect: exclusions, languages, years, boost
//! genres, people and the LLM's media types (the original kept only genres, runtime and the
//! maturity cap, and took media types from the rule parser alone). The rule parser's view of
//! the query still fills whatever the intent leaves open.

use super::genre_names::with_counterparts;
use super::legacy::{self, LegacyParse};
use super::{IntentFilters, LlmIntent};
use crate::item::MediaType;
use crate::services::normalize_streaming_services;

/// Spellings of a media type beyond what [`MediaType::parse`] knows.
fn parse_media_type(raw: &str) -> Option<MediaType> {
    MediaType::parse(raw).or_else(|| {
        match raw.trim().to_lowercase().replace(['_', '-'], " ").as_str() {
            "films" | "feature film" => Some(MediaType::Movie),
            "shows" | "tv show" | "tv shows" | "tv series" | "tvshow" | "television" => {
                Some(MediaType::Tv)
            }
            _ => None,
        }
    })
}

/// Trimmed, non-blank values without case-insensitive repeats, in order.
fn clean_list(values: Option<&Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values.into_iter().flatten() {
        let v = v.trim();
        if !v.is_empty() && !out.iter().any(|x| x.eq_ignore_ascii_case(v)) {
            out.push(v.to_owned());
        }
    }
    out
}

/// Parses the `genre_override` request parameter: comma-separated, trimmed, blanks dropped.
/// `None` when nothing is left.
pub fn parse_genre_override(raw: Option<&str>) -> Option<Vec<String>> {
    let genres: Vec<String> = raw?
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect();
    (!genres.is_empty()).then_some(genres)
}

/// Fills what `filters` leaves open from the rule parser: its genres and negated genres are
/// appended (no repeats), its moods, media types and runtime bounds are taken when unset.
pub fn merge_legacy(filters: &mut IntentFilters, parsed: &LegacyParse) {
    for g in &parsed.genres {
        if !filters.genres.iter().any(|x| x.eq_ignore_ascii_case(g)) {
            filters.genres.push(g.clone());
        }
    }
    for g in &parsed.exclude_genres {
        if !filters
            .exclude_genres
            .iter()
            .any(|x| x.eq_ignore_ascii_case(g))
        {
            filters.exclude_genres.push(g.clone());
        }
    }
    if filters.moods.is_empty() {
        filters.moods = parsed.moods.clone();
    }
    if filters.media_types.is_empty() {
        filters.media_types = parsed.media_types.clone();
    }
    filters.min_runtime = filters.min_runtime.or(parsed.min_runtime);
    filters.max_runtime = filters.max_runtime.or(parsed.max_runtime);
}

/// Swaps a pair of bounds given the wrong way round.
fn ordered(min: Option<i32>, max: Option<i32>) -> (Option<i32>, Option<i32>) {
    match (min, max) {
        (Some(lo), Some(hi)) if lo > hi => (Some(hi), Some(lo)),
        bounds => bounds,
    }
}

/// [`clean_list`], lower-cased.
fn lowered_list(list: Option<&Vec<String>>) -> Vec<String> {
    clean_list(list)
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect()
}

/// Builds the filters for a request, and returns the intent as the rest of the pipeline
/// should see it (with the genre override applied).
///
/// A non-blank `genre_override` replaces the intent's include genres; genres the rule parser
/// finds in the query are still appended afterwards (kept from the original), and genres it
/// finds negated are excluded. A genre both included (or boosted) and excluded is only
/// excluded, in the filters and in the returned intent (whose include genres steer the
/// rewrite), and inverted runtime or year bounds are swapped.
pub fn build_filters(
    llm: &LlmIntent,
    query: Option<&str>,
    genre_override: Option<&str>,
) -> (IntentFilters, LlmIntent) {
    let mut llm = llm.clone();
    if let Some(genres) = parse_genre_override(genre_override) {
        // The override names the genres; a vocabulary term's "all of these" no longer holds.
        llm.include_genres = Some(genres);
        llm.require_genres = None;
    }

    let mut media_types: Vec<MediaType> = Vec::new();
    for m in llm
        .media_types
        .iter()
        .flatten()
        .filter_map(|m| parse_media_type(m))
    {
        if !media_types.contains(&m) {
            media_types.push(m);
        }
    }
    let mut filters = IntentFilters {
        raw_query: query.unwrap_or_default().to_owned(),
        genres: clean_list(llm.include_genres.as_ref()),
        required_genres: clean_list(llm.require_genres.as_ref()),
        exclude_genres: clean_list(llm.exclude_genres.as_ref()),
        moods: Vec::new(),
        media_types,
        min_runtime: llm.runtime_minutes_min,
        max_runtime: llm.runtime_minutes_max,
        maturity_rating_max: llm
            .maturity_rating_max
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        languages: clean_list(llm.languages.as_ref())
            .into_iter()
            .map(|l| l.to_lowercase())
            .collect(),
        year_min: llm.year_min,
        year_max: llm.year_max,
        boost_genres: clean_list(llm.boost_genres.as_ref()),
        include_people: clean_list(llm.include_people.as_ref()),
        tags: lowered_list(llm.tags.as_ref()),
        exclude_tags: lowered_list(llm.exclude_tags.as_ref()),
    };

    if let Some(q) = query.filter(|q| !q.is_empty()) {
        merge_legacy(&mut filters, &legacy::parse(q));
    }

    // "no sci-fi" leaves out "Sci-Fi & Fantasy" shows too (TMDB's TV name for the genre).
    filters.exclude_genres = with_counterparts(&filters.exclude_genres);
    let excluded = filters.exclude_genres.clone();
    let kept = |g: &String| !excluded.iter().any(|x| x.eq_ignore_ascii_case(g));
    filters.genres.retain(kept);
    filters.required_genres.retain(kept);
    filters.boost_genres.retain(kept);
    for list in [
        &mut llm.include_genres,
        &mut llm.require_genres,
        &mut llm.boost_genres,
    ]
    .into_iter()
    .flatten()
    {
        list.retain(kept);
    }
    // A topic both wanted and left out is left out.
    let excluded_tags = filters.exclude_tags.clone();
    filters.tags.retain(|t| !excluded_tags.contains(t));
    (filters.min_runtime, filters.max_runtime) = ordered(filters.min_runtime, filters.max_runtime);
    (filters.year_min, filters.year_max) = ordered(filters.year_min, filters.year_max);
    (filters, llm)
}

/// Applies the `ann_description_override` request parameter: a non-empty value replaces
/// the description (trimmed; a blank one clears it).
pub fn apply_ann_override(llm: &mut LlmIntent, ann_override: Option<&str>) {
    if let Some(text) = ann_override.filter(|t| !t.is_empty()) {
        let text = text.trim();
        llm.ann_description = (!text.is_empty()).then(|| text.to_owned());
    }
}

/// The services to prefer: the intent's providers expanded to every alias
/// (see [`normalize_streaming_services`]).
pub fn preferred_services(llm: &LlmIntent) -> Vec<String> {
    normalize_streaming_services(llm.streaming_providers.as_deref().unwrap_or_default())
}

#[cfg(test)]
#[path = "filters_tests.rs"]
mod tests;
