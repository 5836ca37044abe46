//! Understanding a request: the intent schema, the rule-based parser, the keyword
//! fallbacks, negation, the offline stub, and the post-filter that checks items against an
//! intent.
//!
//! Two shapes exist on purpose. [`LlmIntent`] is the 13-field JSON schema the LLM (or the
//! offline stub) fills; [`IntentFilters`] is what the pipeline filters and ranks with.

pub mod fallbacks;
pub mod filters;
pub mod genre_names;
pub mod legacy;
pub mod linked;
pub mod matching;
pub mod negation;
pub mod normalize;
pub mod offline;
pub mod prompt;
pub mod schema;
pub mod title_link;

pub use fallbacks::FallbackRules;
pub use filters::build_filters;
pub use linked::LinkedEntities;
pub use matching::{MatchOutcome, item_matches};
pub use prompt::{intent_prompt, prompt_media_hints};
pub use schema::LlmIntent;

use crate::item::MediaType;
use genre_names::genre_counterparts;
use serde::Serialize;

/// Mood → fallback genres, in a fixed table order (the original iterated a set: §10.20).
pub const MOOD_GENRES: &[(&str, &[&str])] = &[
    ("light", &["Comedy", "Family", "Animation"]),
    ("dark", &["Thriller", "Crime", "Mystery"]),
    ("funny", &["Comedy"]),
    ("romantic", &["Romance", "Comedy"]),
    ("scary", &["Horror", "Thriller"]),
    ("exciting", &["Action", "Adventure", "Thriller"]),
];

/// A mood's fallback genres (none for a mood not in [`MOOD_GENRES`]).
fn mood_genres(mood: &str) -> &'static [&'static str] {
    MOOD_GENRES
        .iter()
        .find(|(m, _)| *m == mood)
        .map_or(&[], |(_, genres)| genres)
}

/// The filters the pipeline applies, built from the parsed intent and the request.
///
/// Unlike the original, every field here takes effect (§10.3): exclusions, languages and
/// years filter; boost genres and people boost.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IntentFilters {
    pub raw_query: String,
    /// Genres to include (at least one must match when genres are enforced).
    pub genres: Vec<String>,
    /// Genres a title must have all of where genres are enforced ("rom-com"); each is also
    /// in `genres`. Matched in the catalog's own names only (TMDB's TV list has no Romance).
    pub required_genres: Vec<String>,
    pub exclude_genres: Vec<String>,
    /// Moods from the rule parser (`light`, `dark`, ...); they add fallback genres.
    pub moods: Vec<String>,
    pub media_types: Vec<MediaType>,
    pub min_runtime: Option<i32>,
    pub max_runtime: Option<i32>,
    pub maturity_rating_max: Option<String>,
    /// ISO-639-1 codes; an item must have one of them as original language.
    pub languages: Vec<String>,
    pub year_min: Option<i32>,
    pub year_max: Option<i32>,
    /// Genres that lift an item's score without filtering.
    pub boost_genres: Vec<String>,
    /// People names (actors, directors) that lift matching items.
    pub include_people: Vec<String>,
    /// TMDB keywords (lower-cased) the request is about: tagged titles are retrieved
    /// best-known first and lifted, untagged ones still pass.
    pub tags: Vec<String>,
    /// TMDB keywords (lower-cased) of titles to leave out ("not marvel").
    pub exclude_tags: Vec<String>,
}

impl IntentFilters {
    /// Explicit genres first, then each mood's fallback genres, then their names in TMDB's
    /// other genre list (movie ↔ TV), de-duplicated in order and without excluded genres
    /// ("dark but no thrillers" wants Crime and Mystery).
    pub fn effective_genres(&self) -> Vec<String> {
        self.genres_in_both_vocabularies(true)
    }

    /// The genres as the person asked for them (explicit, then moods'), without the other
    /// vocabulary's names: what a prompt or an explanation should say.
    pub fn requested_genres(&self) -> Vec<String> {
        self.genres_in_both_vocabularies(false)
    }

    fn genres_in_both_vocabularies(&self, with_counterparts: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let excluded = |g: &str| {
            self.exclude_genres
                .iter()
                .any(|x| x.eq_ignore_ascii_case(g))
        };
        let push = |g: &str, out: &mut Vec<String>| {
            if !out.iter().any(|x| x == g) && !excluded(g) {
                out.push(g.to_owned());
            }
        };
        for g in &self.genres {
            push(g, &mut out);
        }
        for mood in &self.moods {
            for g in mood_genres(mood) {
                push(g, &mut out);
            }
        }
        // TV titles carry TMDB's TV genre names: "Science Fiction" must also match
        // "Sci-Fi & Fantasy", and the reverse.
        let named: Vec<String> = if with_counterparts {
            out.clone()
        } else {
            Vec::new()
        };
        for g in &named {
            for other in genre_counterparts(g) {
                push(other, &mut out);
            }
        }
        out
    }

    /// What the request asks for in separate words, each a set of genres of which a title
    /// should have one: the named genres together, then each mood's genres. "Funny animated
    /// movies" is [Animation] and [Comedy]: the filter lets either through, a person means
    /// both.
    pub fn genre_groups(&self) -> Vec<Vec<String>> {
        let mut groups: Vec<Vec<String>> = Vec::new();
        if !self.genres.is_empty() {
            groups.push(self.genres.clone());
        }
        for mood in &self.moods {
            let genres = mood_genres(mood);
            if !genres.is_empty() {
                groups.push(genres.iter().map(|g| (*g).to_owned()).collect());
            }
        }
        groups
    }

    /// True when any constraint narrows the catalog, or the request has tags.
    pub fn has_filters(&self) -> bool {
        self.narrows() || !self.tags.is_empty()
    }

    /// True when any constraint narrows the catalog (tags only rank).
    pub fn narrows(&self) -> bool {
        !self.media_types.is_empty()
            || self.min_runtime.is_some()
            || self.max_runtime.is_some()
            || !self.effective_genres().is_empty()
            || self
                .maturity_rating_max
                .as_deref()
                .is_some_and(|m| !m.trim().is_empty())
            || !self.exclude_genres.is_empty()
            || !self.languages.is_empty()
            || self.year_min.is_some()
            || self.year_max.is_some()
            || !self.exclude_tags.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_genres_put_explicit_genres_before_mood_genres_without_repeats() {
        let f = IntentFilters {
            genres: vec!["Comedy".into()],
            moods: vec!["light".into(), "funny".into()],
            ..Default::default()
        };
        assert_eq!(f.effective_genres(), vec!["Comedy", "Family", "Animation"]);
    }

    #[test]
    fn excluded_genres_never_come_back_through_a_mood() {
        let f = IntentFilters {
            moods: vec!["dark".into()],
            exclude_genres: vec!["thriller".into()],
            ..Default::default()
        };
        assert_eq!(f.effective_genres(), vec!["Crime", "Mystery"]);
    }

    #[test]
    fn movie_genres_also_want_their_tv_names_unless_excluded() {
        let f = IntentFilters {
            genres: vec!["Science Fiction".into()],
            moods: vec!["exciting".into()],
            exclude_genres: vec!["Action & Adventure".into()],
            ..Default::default()
        };
        assert_eq!(
            f.effective_genres(),
            vec![
                "Science Fiction",
                "Action",
                "Adventure",
                "Thriller",
                "Sci-Fi & Fantasy"
            ]
        );
    }

    #[test]
    fn a_mood_alone_counts_as_a_filter() {
        let f = IntentFilters {
            moods: vec!["dark".into()],
            ..Default::default()
        };
        assert!(f.has_filters() && f.narrows());
        assert!(!IntentFilters::default().has_filters());
        let tagged = IntentFilters {
            tags: vec!["heist".into()],
            ..Default::default()
        };
        assert!(tagged.has_filters() && !tagged.narrows());
    }
}
