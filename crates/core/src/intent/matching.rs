//! The post-filter: does a hydrated item satisfy the intent's constraints?
//!
//! The answer has three states. The original treated "unknown" as "no" (a missing runtime
//! failed any runtime bound, a missing rating failed any cap), which silently dropped
//! badly-documented titles. Here a known violation is [`MatchOutcome::Fail`], and a bound
//! that cannot be checked because the catalog lacks the value is
//! [`MatchOutcome::Unverified`] with a short reason, so the caller decides (for example,
//! keep such items only when too few items pass outright).

use super::IntentFilters;
use crate::item::Item;
use crate::maturity::rating_level;

/// How an item fares against an intent's filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchOutcome {
    /// Every constraint is known to hold.
    Pass,
    /// Nothing is known to fail, but some constraints could not be checked; each reason is
    /// short and human-readable ("runtime unknown", "rating unknown", ...).
    Unverified(Vec<String>),
    /// At least one constraint is known to fail.
    Fail,
}

impl MatchOutcome {
    /// True for [`MatchOutcome::Pass`] only.
    pub fn is_pass(&self) -> bool {
        matches!(self, MatchOutcome::Pass)
    }

    /// True for [`MatchOutcome::Fail`] only.
    pub fn is_fail(&self) -> bool {
        matches!(self, MatchOutcome::Fail)
    }
}

/// Why a check could not say yes or no.
const RUNTIME_UNKNOWN: &str = "runtime unknown";
const RATING_UNKNOWN: &str = "rating unknown";
const LANGUAGE_UNKNOWN: &str = "language unknown";
const YEAR_UNKNOWN: &str = "release year unknown";
const GENRES_UNKNOWN: &str = "genres unknown";

/// `Some(true)` inside the bounds, `Some(false)` outside, `None` when the value is unknown
/// and at least one bound is set.
fn within(value: Option<i32>, min: Option<i32>, max: Option<i32>) -> Option<bool> {
    if min.is_none() && max.is_none() {
        return Some(true);
    }
    let v = value?;
    Some(min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
}

/// Checks `item` against `f`: media types, runtime bounds, maturity cap, original
/// language, release years, excluded genres and tags, and (when `enforce_genres`) the effective
/// include genres, at least one of which must match. Genre and language comparisons ignore
/// case. An intent without filters passes everything.
pub fn item_matches(item: &Item, f: &IntentFilters, enforce_genres: bool) -> MatchOutcome {
    if !f.has_filters() {
        return MatchOutcome::Pass;
    }
    fn note(reason: &'static str, unknown: &mut Vec<&'static str>) {
        if !unknown.contains(&reason) {
            unknown.push(reason);
        }
    }
    let mut unknown: Vec<&'static str> = Vec::new();

    if !f.media_types.is_empty() && !f.media_types.contains(&item.media_type) {
        return MatchOutcome::Fail;
    }
    match within(item.runtime, f.min_runtime, f.max_runtime) {
        Some(false) => return MatchOutcome::Fail,
        None => note(RUNTIME_UNKNOWN, &mut unknown),
        Some(true) => {}
    }
    if let Some(cap) = f.maturity_rating_max.as_deref().and_then(rating_level) {
        match item.maturity_rating.as_deref().and_then(rating_level) {
            Some(level) if level > cap => return MatchOutcome::Fail,
            Some(_) => {}
            None => note(RATING_UNKNOWN, &mut unknown),
        }
    }
    if !f.languages.is_empty() {
        match item.original_language.as_deref().map(str::trim) {
            Some(lang) if !lang.is_empty() => {
                if !f
                    .languages
                    .iter()
                    .any(|l| l.trim().eq_ignore_ascii_case(lang))
                {
                    return MatchOutcome::Fail;
                }
            }
            Some(_) | None => note(LANGUAGE_UNKNOWN, &mut unknown),
        }
    }
    match within(item.release_year, f.year_min, f.year_max) {
        Some(false) => return MatchOutcome::Fail,
        None => note(YEAR_UNKNOWN, &mut unknown),
        Some(true) => {}
    }
    if !f.exclude_genres.is_empty() {
        if item.genres.is_empty() {
            note(GENRES_UNKNOWN, &mut unknown);
        } else if f.exclude_genres.iter().any(|g| item.has_genre_ci(g.trim())) {
            return MatchOutcome::Fail;
        }
    }
    // Keywords are only ever added: a title without any is not known to carry the topic.
    if item.has_tag(&f.exclude_tags) {
        return MatchOutcome::Fail;
    }
    let wanted = f.effective_genres();
    if !wanted.is_empty() {
        // Unknown is not a match: even when genres are not enforced (a relaxed prefilter),
        // a title of unknown genres ranks after the titles known to match.
        if item.genres.is_empty() {
            note(GENRES_UNKNOWN, &mut unknown);
        } else if enforce_genres && !wanted.iter().any(|g| item.has_genre_ci(g.trim())) {
            return MatchOutcome::Fail;
        }
    }

    if unknown.is_empty() {
        MatchOutcome::Pass
    } else {
        MatchOutcome::Unverified(unknown.into_iter().map(str::to_owned).collect())
    }
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
