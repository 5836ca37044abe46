//! Catalog constraints that both Postgres (the store's prefilter, trending and cold-start
//! queries) and the in-memory catalog copy check, with one meaning: unknown values (NULL
//! runtime, year, language) pass, after the known matches in the prefilter's order; the
//! post-filter later marks such titles unverified. The exception is a strict filter's
//! language: "something in Korean" is answered from titles known to be Korean before any of
//! unknown language.

use crate::intent::IntentFilters;
use crate::item::{Item, MediaType};

/// The SQL-checkable part of a request's filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogFilter {
    /// `movie` / `tv`; empty means any.
    pub media_types: Vec<String>,
    /// At least one of these genres (case-insensitive); empty means any.
    pub include_genres: Vec<String>,
    /// All of these genres (case-insensitive).
    pub required_genres: Vec<String>,
    /// None of these genres (case-insensitive).
    pub exclude_genres: Vec<String>,
    /// Original language codes (lower-case); empty means any.
    pub languages: Vec<String>,
    /// Whether a title of unknown original language fails `languages` (it passes otherwise).
    pub language_known: bool,
    pub year_min: Option<i32>,
    pub year_max: Option<i32>,
    pub runtime_min: Option<i32>,
    pub runtime_max: Option<i32>,
    /// At least one of these TMDB keywords (lower-cased; compared case-insensitively);
    /// empty means any. Only the prefilter's tagged run sets it ([`CatalogFilter::tagged`]).
    pub tags: Vec<String>,
    /// None of these TMDB keywords (lower-cased; compared case-insensitively).
    pub exclude_tags: Vec<String>,
}

impl CatalogFilter {
    /// The checkable part of a request's filters; `strict` adds the genre clauses and
    /// lets only titles of a known, wanted language through (the prefilter's strict run and
    /// the trending prior are strict; the relaxed run and the cold start are not).
    pub fn from_intent(f: &IntentFilters, strict: bool) -> Self {
        CatalogFilter {
            media_types: f
                .media_types
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
            include_genres: if strict {
                f.effective_genres()
            } else {
                Vec::new()
            },
            required_genres: if strict {
                f.required_genres.clone()
            } else {
                Vec::new()
            },
            exclude_genres: f.exclude_genres.clone(),
            languages: f.languages.clone(),
            language_known: strict,
            year_min: f.year_min,
            year_max: f.year_max,
            runtime_min: f.min_runtime,
            runtime_max: f.max_runtime,
            tags: Vec::new(),
            exclude_tags: f.exclude_tags.clone(),
        }
    }

    /// The strict filter that also wants one of the request's tags (`None` without tags):
    /// the prefilter's first run for "heist movies".
    pub fn tagged(f: &IntentFilters) -> Option<Self> {
        (!f.tags.is_empty()).then(|| CatalogFilter {
            tags: f.tags.clone(),
            ..Self::from_intent(f, true)
        })
    }

    /// The filter prepared for checking many titles: genre and language values trimmed
    /// and lower-cased once, as the SQL side lower-cases them.
    pub fn matcher(&self) -> FilterMatcher<'_> {
        let lowered = |values: &[String]| -> Vec<String> {
            values.iter().map(|v| v.trim().to_lowercase()).collect()
        };
        FilterMatcher {
            filter: self,
            include_genres: lowered(&self.include_genres),
            required_genres: lowered(&self.required_genres),
            exclude_genres: lowered(&self.exclude_genres),
            languages: lowered(&self.languages),
        }
    }
}

/// The two any-of genre lists of a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenreSet {
    Include,
    Exclude,
}

/// A [`CatalogFilter`] with its genre and language values normalised.
#[derive(Debug)]
pub struct FilterMatcher<'a> {
    filter: &'a CatalogFilter,
    include_genres: Vec<String>,
    required_genres: Vec<String>,
    exclude_genres: Vec<String>,
    languages: Vec<String>,
}

impl FilterMatcher<'_> {
    /// Whether `item` passes, given its `genre_keys` (the lower-cased genre names, as the
    /// `items.genre_keys` column holds them).
    pub fn matches(&self, item: &Item, genre_keys: &[String]) -> bool {
        self.media_type_ok(item.media_type)
            && self.genres_ok(
                |set| self.genres(set).iter().any(|g| genre_keys.contains(g)),
                |required| required.iter().all(|g| genre_keys.contains(g)),
            )
            && self.scalars_ok(item)
            && self.tags_ok(item)
    }

    /// The tag constraints alone.
    pub fn tags_ok(&self, item: &Item) -> bool {
        let f = self.filter;
        (f.tags.is_empty() || item.has_tag(&f.tags))
            && (f.exclude_tags.is_empty() || !item.has_tag(&f.exclude_tags))
    }

    /// The media-type constraint alone.
    pub fn media_type_ok(&self, media_type: MediaType) -> bool {
        let f = self.filter;
        f.media_types.is_empty() || f.media_types.iter().any(|m| m == media_type.as_str())
    }

    /// The genre constraints alone, given the tests "does the title have any genre of this
    /// set" and "does it have all the required ones" (string searches, or bitmask tests in
    /// the catalog copy).
    pub fn genres_ok(
        &self,
        has_any: impl Fn(GenreSet) -> bool,
        has_all: impl FnOnce(&[String]) -> bool,
    ) -> bool {
        (self.include_genres.is_empty() || has_any(GenreSet::Include))
            && (self.required_genres.is_empty() || has_all(&self.required_genres))
            && (self.exclude_genres.is_empty() || !has_any(GenreSet::Exclude))
    }

    /// The normalised genres of one set.
    pub fn genres(&self, set: GenreSet) -> &[String] {
        match set {
            GenreSet::Include => &self.include_genres,
            GenreSet::Exclude => &self.exclude_genres,
        }
    }

    /// The normalised genres a title must have all of.
    pub fn required_genres(&self) -> &[String] {
        &self.required_genres
    }

    /// Language, year and runtime (unknown values pass). No allocation for ASCII language
    /// codes: this runs for every title of a prefilter scan.
    pub fn scalars_ok(&self, item: &Item) -> bool {
        let f = self.filter;
        let within = |value: Option<i32>, min: Option<i32>, max: Option<i32>| {
            value.is_none_or(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
        };
        let language_ok = || match item.original_language.as_deref() {
            None => !f.language_known,
            Some(l) => {
                if l.is_ascii() {
                    self.languages.iter().any(|w| l.eq_ignore_ascii_case(w))
                } else {
                    let l = l.to_lowercase();
                    self.languages.contains(&l)
                }
            }
        };
        (self.languages.is_empty() || language_ok())
            && within(item.release_year, f.year_min, f.year_max)
            && within(item.runtime, f.runtime_min, f.runtime_max)
    }

    /// True when every value the filter constrains is known for `item`: a title passing
    /// with an unknown runtime, year or language is only possibly a match.
    pub fn scalars_known(&self, item: &Item) -> bool {
        let f = self.filter;
        let known_if_constrained = |value: Option<i32>, min: Option<i32>, max: Option<i32>| {
            value.is_some() || (min.is_none() && max.is_none())
        };
        known_if_constrained(item.runtime, f.runtime_min, f.runtime_max)
            && known_if_constrained(item.release_year, f.year_min, f.year_max)
            && (self.languages.is_empty() || item.original_language.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Genre, MediaType};

    fn film() -> (Item, Vec<String>) {
        let mut item = Item::bare(1, MediaType::Movie, "Alien");
        item.genres = vec![Genre {
            id: Some(27),
            name: "Horror".into(),
        }];
        item.release_year = Some(1979);
        item.original_language = Some("en".into());
        // As the `items.genre_keys` column holds them.
        let keys = vec!["horror".to_owned()];
        (item, keys)
    }

    #[test]
    fn each_constraint_applies_and_unknown_values_pass() {
        let (item, keys) = film();
        let f = |filter: CatalogFilter| filter.matcher().matches(&item, &keys);
        assert!(f(CatalogFilter::default()));
        assert!(f(CatalogFilter {
            include_genres: vec![" HORROR ".into(), "Comedy".into()],
            ..Default::default()
        }));
        assert!(!f(CatalogFilter {
            exclude_genres: vec!["horror".into()],
            ..Default::default()
        }));
        assert!(!f(CatalogFilter {
            media_types: vec!["tv".into()],
            ..Default::default()
        }));
        assert!(!f(CatalogFilter {
            year_min: Some(1980),
            ..Default::default()
        }));
        assert!(!f(CatalogFilter {
            languages: vec!["fr".into()],
            ..Default::default()
        }));
        assert!(f(CatalogFilter {
            languages: vec![" EN".into()],
            ..Default::default()
        }));
        // Runtime is unknown: it passes any bound.
        assert!(f(CatalogFilter {
            runtime_max: Some(90),
            ..Default::default()
        }));
    }

    #[test]
    fn required_genres_must_all_be_there_and_a_strict_language_must_be_known() {
        let (mut item, mut keys) = film();
        keys.push("comedy".to_owned());
        let f = |filter: CatalogFilter, item: &Item| filter.matcher().matches(item, &keys);
        let required = |genres: &[&str]| CatalogFilter {
            required_genres: genres.iter().map(|g| (*g).to_owned()).collect(),
            ..Default::default()
        };
        assert!(f(required(&["Horror", " COMEDY"]), &item));
        assert!(!f(required(&["Horror", "Romance"]), &item));
        let korean = |language_known| CatalogFilter {
            languages: vec!["ko".into()],
            language_known,
            ..Default::default()
        };
        assert!(!f(korean(true), &item));
        item.original_language = None;
        assert!(f(korean(false), &item));
        assert!(!f(korean(true), &item));
        item.original_language = Some("KO".into());
        assert!(f(korean(true), &item));
    }

    #[test]
    fn a_request_filter_maps_field_for_field_with_genres_only_when_asked() {
        let intent = IntentFilters {
            genres: vec!["Horror".into()],
            required_genres: vec!["Horror".into()],
            exclude_genres: vec!["Comedy".into()],
            media_types: vec![MediaType::Tv],
            min_runtime: Some(20),
            max_runtime: Some(60),
            languages: vec!["ko".into()],
            year_min: Some(2000),
            year_max: Some(2010),
            ..IntentFilters::default()
        };
        let strict = CatalogFilter::from_intent(&intent, true);
        assert_eq!(
            strict,
            CatalogFilter {
                media_types: vec!["tv".into()],
                include_genres: intent.effective_genres(),
                required_genres: vec!["Horror".into()],
                exclude_genres: vec!["Comedy".into()],
                languages: vec!["ko".into()],
                language_known: true,
                year_min: Some(2000),
                year_max: Some(2010),
                runtime_min: Some(20),
                runtime_max: Some(60),
                tags: Vec::new(),
                exclude_tags: Vec::new(),
            }
        );
        assert!(!strict.include_genres.is_empty());
        let relaxed = CatalogFilter::from_intent(&intent, false);
        assert!(relaxed.include_genres.is_empty() && relaxed.required_genres.is_empty());
        assert!(!relaxed.language_known);
        assert_eq!(relaxed.exclude_genres, strict.exclude_genres);
        assert_eq!(
            CatalogFilter::tagged(&intent),
            None,
            "no tags, no tagged run"
        );
    }

    #[test]
    fn the_tagged_run_is_the_strict_one_wanting_a_tag() {
        let intent = IntentFilters {
            genres: vec!["Crime".into()],
            tags: vec!["heist".into(), "bank robbery".into()],
            ..IntentFilters::default()
        };
        let tagged = CatalogFilter::tagged(&intent).expect("tags");
        assert_eq!(tagged.tags, intent.tags);
        assert_eq!(tagged.include_genres, intent.effective_genres());
        let m = tagged.matcher();
        let mut item = Item::bare(1, MediaType::Movie, "Inside Man");
        let crime = vec!["crime".to_owned()];
        assert!(!m.matches(&item, &crime), "untagged");
        item.keywords = vec!["Bank Robbery ".into(), "kidnapping".into()];
        assert!(m.matches(&item, &crime), "a tag, in any case");
        assert!(!m.matches(&item, &[]), "the genres still count");
        assert!(CatalogFilter::from_intent(&intent, true).tags.is_empty());
    }
}
