//! Business rules (spec §4.18): operator-defined filters and boosts from
//! `config/business_rules.json`, applied after the mixer.
//!
//! Parsing is lenient, like the original: values are coerced the way Python's `int()` and
//! `float()` would, unusable entries are ignored, and a wrongly shaped section (where the
//! original would have crashed the request) counts as empty. Reloading the file when it
//! changes is the api crate's job.

use crate::candidate::Candidate;
use crate::intent::IntentFilters;
use crate::item::ItemId;
use crate::mixer::{permute, reset_ranks, stable_order};
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Which filter dropped a candidate (the JSON key under `filters`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleFilter {
    /// The title has an excluded genre.
    ExcludeGenres,
    /// The title has none of the included genres.
    IncludeGenres,
    /// Too few (or unknown) votes.
    MinVoteCount,
    /// Released before the minimum year (unknown counts as 0).
    MinReleaseYear,
    /// Released after the maximum year.
    MaxReleaseYear,
    /// Its media type is excluded.
    ExcludeMediaTypes,
    /// Its catalog id is excluded.
    ExcludeIds,
    /// Its TMDB id is excluded.
    ExcludeTmdbIds,
    /// It has none of the request's genres.
    RequireIntentGenres,
}

/// What the rules did to one candidate, for the debug endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum RuleEffect {
    /// Removed by the first filter that matched.
    Dropped {
        /// The dropped title.
        id: ItemId,
        /// The filter that dropped it.
        filter: RuleFilter,
    },
    /// Re-scored: `after = before × multiplier + bonus`. Recorded only when it changed.
    Boosted {
        /// The boosted title.
        id: ItemId,
        /// Product of every matching factor.
        multiplier: f64,
        /// Sum of every matching bonus.
        bonus: f64,
        /// `retrieval_score` before the boosts.
        before: f64,
        /// `retrieval_score` after the boosts.
        after: f64,
    },
}

/// The `filters` section. Empty or unset values are inactive.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    exclude_genres: HashSet<String>,
    include_genres: HashSet<String>,
    min_vote_count: Option<i64>,
    /// Zero means unset (the original tests truthiness).
    min_release_year: i64,
    max_release_year: i64,
    exclude_media_types: HashSet<String>,
    exclude_ids: HashSet<i64>,
    exclude_tmdb_ids: HashSet<i64>,
    require_intent_genres: bool,
}

/// The `boosts` section.
#[derive(Debug, Clone, Default, PartialEq)]
struct Boosts {
    /// True when the section is a non-empty object: only then are scores re-computed
    /// and the list re-sorted, even if no key is understood.
    active: bool,
    genre_multipliers: Vec<(String, f64)>,
    id_multipliers: HashMap<String, f64>,
    tmdb_id_multipliers: HashMap<String, f64>,
    /// (year, bonus); the year is non-zero.
    recent_release: Option<(i64, f64)>,
    /// (threshold, factor).
    popularity_multiplier: Option<(f64, f64)>,
}

/// A parsed rules file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BusinessRules {
    /// False for `{}` or a non-object, which pass every list through unchanged.
    present: bool,
    filters: Filters,
    boosts: Boosts,
}

impl BusinessRules {
    /// Parses the rules JSON leniently; anything unusable is ignored.
    pub fn from_json(value: &Value) -> Self {
        let Some(root) = value.as_object().filter(|o| !o.is_empty()) else {
            return BusinessRules::default();
        };
        let filters = root.get("filters").and_then(Value::as_object);
        let boosts = root.get("boosts").and_then(Value::as_object);
        BusinessRules {
            present: true,
            filters: filters.map(parse_filters).unwrap_or_default(),
            boosts: boosts.map(parse_boosts).unwrap_or_default(),
        }
    }

    /// Drops filtered candidates, then (if boosts are configured) re-scores the rest,
    /// re-sorts them stably by `retrieval_score` and resets `original_rank`.
    pub fn apply(
        &self,
        cands: Vec<Candidate>,
        intent: &IntentFilters,
    ) -> (Vec<Candidate>, Vec<RuleEffect>) {
        if !self.present {
            return (cands, Vec::new());
        }
        let intent_genres: HashSet<String> = intent.effective_genres().into_iter().collect();
        let mut effects = Vec::new();
        let mut kept: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            match self.filters.first_match(&c, &intent_genres) {
                Some(filter) => effects.push(RuleEffect::Dropped {
                    id: c.item.id,
                    filter,
                }),
                None => kept.push(c),
            }
        }
        if self.boosts.active && !kept.is_empty() {
            for c in &mut kept {
                let (multiplier, bonus) = self.boosts.for_candidate(c);
                let before = c.retrieval_score;
                c.retrieval_score = before * multiplier + bonus;
                if multiplier != 1.0 || bonus != 0.0 {
                    effects.push(RuleEffect::Boosted {
                        id: c.item.id,
                        multiplier,
                        bonus,
                        before,
                        after: c.retrieval_score,
                    });
                }
            }
            let order = stable_order(&kept, |a, b| {
                b.retrieval_score.total_cmp(&a.retrieval_score)
            });
            permute(&mut kept, &order);
            reset_ranks(&mut kept);
        }
        (kept, effects)
    }
}

/// True when the item has a genre named exactly `name` (case-sensitive, as the original
/// compares; empty names never match).
fn has_genre(c: &Candidate, name: &str) -> bool {
    !name.is_empty() && c.item.genre_names().any(|g| g == name)
}

impl Filters {
    fn first_match(&self, c: &Candidate, intent_genres: &HashSet<String>) -> Option<RuleFilter> {
        let item = &c.item;
        let has_any = |set: &HashSet<String>| set.iter().any(|g| has_genre(c, g));
        let year = i64::from(item.release_year.unwrap_or(0));
        let checks = [
            (RuleFilter::ExcludeGenres, has_any(&self.exclude_genres)),
            (
                RuleFilter::IncludeGenres,
                !self.include_genres.is_empty() && !has_any(&self.include_genres),
            ),
            (
                RuleFilter::MinVoteCount,
                self.min_vote_count
                    .is_some_and(|min| item.vote_count.is_none_or(|v| i64::from(v) < min)),
            ),
            (
                RuleFilter::MinReleaseYear,
                self.min_release_year != 0 && year < self.min_release_year,
            ),
            (
                RuleFilter::MaxReleaseYear,
                self.max_release_year != 0 && year != 0 && year > self.max_release_year,
            ),
            (
                RuleFilter::ExcludeMediaTypes,
                self.exclude_media_types.contains(item.media_type.as_str()),
            ),
            (
                RuleFilter::ExcludeIds,
                self.exclude_ids.contains(&i64::from(item.id)),
            ),
            (
                RuleFilter::ExcludeTmdbIds,
                self.exclude_tmdb_ids.contains(&i64::from(item.tmdb_id)),
            ),
            (
                RuleFilter::RequireIntentGenres,
                self.require_intent_genres && !intent_genres.is_empty() && !has_any(intent_genres),
            ),
        ];
        checks.into_iter().find(|(_, hit)| *hit).map(|(f, _)| f)
    }
}

impl Boosts {
    /// (multiplier, bonus) for one candidate.
    fn for_candidate(&self, c: &Candidate) -> (f64, f64) {
        let mut multiplier = 1.0;
        let mut bonus = 0.0;
        for (genre, factor) in &self.genre_multipliers {
            if has_genre(c, genre) {
                multiplier *= factor;
            }
        }
        // The file keys ids as strings ("42"), as the original looked up `str(id)`.
        let factor = |map: &HashMap<String, f64>, id: i32| {
            if map.is_empty() {
                1.0
            } else {
                map.get(&id.to_string()).copied().unwrap_or(1.0)
            }
        };
        multiplier *= factor(&self.id_multipliers, c.item.id);
        multiplier *= factor(&self.tmdb_id_multipliers, c.item.tmdb_id);
        if let Some((year, extra)) = self.recent_release
            && i64::from(c.item.release_year.unwrap_or(0)) >= year
        {
            bonus += extra;
        }
        if let Some((threshold, factor)) = self.popularity_multiplier
            && c.item.popularity.unwrap_or(0.0) >= threshold
        {
            multiplier *= factor;
        }
        (multiplier, bonus)
    }
}

fn parse_filters(f: &serde_json::Map<String, Value>) -> Filters {
    let strings = |key: &str| -> HashSet<String> {
        list(f.get(key))
            .filter_map(py_str)
            .map(|s| s.trim().to_owned())
            .collect()
    };
    let ints = |key: &str| -> HashSet<i64> { list(f.get(key)).filter_map(py_int).collect() };
    Filters {
        exclude_genres: strings("exclude_genres"),
        include_genres: strings("include_genres"),
        min_vote_count: f.get("min_vote_count").and_then(py_int),
        min_release_year: f.get("min_release_year").and_then(py_int).unwrap_or(0),
        max_release_year: f.get("max_release_year").and_then(py_int).unwrap_or(0),
        exclude_media_types: strings("exclude_media_types"),
        exclude_ids: ints("exclude_ids"),
        exclude_tmdb_ids: ints("exclude_tmdb_ids"),
        require_intent_genres: f.get("require_intent_genres").is_some_and(truthy),
    }
}

fn parse_boosts(b: &serde_json::Map<String, Value>) -> Boosts {
    let object = |key: &str| b.get(key).and_then(Value::as_object);
    // Non-numeric id factors count as 1.0, which is the same as leaving them out.
    let factors = |key: &str| -> HashMap<String, f64> {
        object(key)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), py_float(v)?)))
            .collect()
    };
    let recent_release = object("recent_release").and_then(|r| {
        let year = r.get("year").and_then(py_int).filter(|&y| y != 0)?;
        let bonus = r.get("bonus").map_or(Some(0.0), py_float).unwrap_or(0.0);
        Some((year, bonus))
    });
    let popularity_multiplier = object("popularity_multiplier")
        .filter(|p| !p.is_empty())
        .and_then(|p| {
            let threshold = p.get("threshold").map_or(Some(0.0), py_float)?;
            let factor = p.get("factor").map_or(Some(1.0), py_float)?;
            Some((threshold, factor))
        });
    Boosts {
        active: !b.is_empty(),
        genre_multipliers: object("genre_multipliers")
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), py_float(v)?)))
            .collect(),
        id_multipliers: factors("id_multipliers"),
        tmdb_id_multipliers: factors("tmdb_id_multipliers"),
        recent_release,
        popularity_multiplier,
    }
}

/// The elements of a JSON list; a bare scalar counts as a one-element list.
fn list(value: Option<&Value>) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Some(Value::Array(items)) => Box::new(items.iter()),
        Some(v @ (Value::String(_) | Value::Number(_))) => Box::new(std::iter::once(v)),
        _ => Box::new(std::iter::empty()),
    }
}

/// Python's `str()` of a JSON scalar.
fn py_str(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
        Value::Null => Some("None".to_owned()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Python-style int coercion: bool → 0/1, numbers truncate, strings are stripped and
/// parsed as integers (so `"1.5"` fails), anything else is `None`.
fn py_int(value: &Value) -> Option<i64> {
    match value {
        Value::Bool(b) => Some(i64::from(*b)),
        // `as` truncates toward zero and saturates, like int() for the ranges that matter.
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Python-style float coercion: bool → 0/1, numbers, stripped numeric strings.
fn py_float(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Python truthiness of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
