//! The maturity rating of a title from TMDB's appended certifications (spec data §2.5).
//!
//! Movies carry `release_dates.results[] = {iso_3166_1, release_dates: [{certification}]}`,
//! TV shows `content_ratings.results[] = {iso_3166_1, rating}`. Countries US, CA, GB, AU are
//! tried in that order, then every entry in payload order; within an entry values go in
//! payload order. The first value that normalises to something non-blank wins.

use crate::item::MediaType;
use crate::maturity::normalize_rating;
use serde_json::{Map, Value};

/// Countries whose certification is preferred, best first.
const PREFERRED_COUNTRIES: [&str; 4] = ["US", "CA", "GB", "AU"];

/// The normalised certification, or `None` when the payload carries none.
pub(super) fn extract(obj: &Map<String, Value>, media: MediaType) -> Option<String> {
    let (container, field) = match media {
        MediaType::Movie => ("release_dates", "release_dates"),
        MediaType::Tv => ("content_ratings", "rating"),
    };
    let entries = obj.get(container)?.get("results")?.as_array()?;
    let first_rating = |entry: &Value| -> Option<String> {
        let values: Vec<&str> = match media {
            MediaType::Movie => entry
                .get(field)
                .and_then(Value::as_array)
                .map(|dates| {
                    dates
                        .iter()
                        .filter_map(|d| d.get("certification").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default(),
            MediaType::Tv => entry
                .get(field)
                .and_then(Value::as_str)
                .into_iter()
                .collect(),
        };
        values.into_iter().find_map(normalize_rating)
    };
    PREFERRED_COUNTRIES
        .iter()
        .find_map(|wanted| {
            entries
                .iter()
                .filter(|e| country(e).is_some_and(|c| c.eq_ignore_ascii_case(wanted)))
                .find_map(first_rating)
        })
        .or_else(|| entries.iter().find_map(first_rating))
}

fn country(entry: &Value) -> Option<&str> {
    entry.get("iso_3166_1").and_then(Value::as_str)
}
