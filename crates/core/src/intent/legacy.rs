//! The rule-based parser: genres, moods, media types and runtime bounds from keywords.
//!
//! Keywords match as whole-word phrases on a normalised text (lower-case, anything but
//! `a-z`, `0-9` and whitespace becomes a space, spaces collapsed), so "sci-fi" reads as
//! "sci fi". Runtime phrases are read from the lower-cased original text, where `<2h` and
//! `1.5 hours` survive.

use std::sync::LazyLock;

use regex::Regex;

use crate::genres::CANONICAL_GENRES;
use crate::item::MediaType;

/// What the rule parser found in a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyParse {
    /// Explicit genres (canonical names), in first-found order, without repeats.
    pub genres: Vec<String>,
    /// Moods (`light`, `dark`, `funny`, `romantic`, `scary`, `exciting`), in table order.
    pub moods: Vec<String>,
    /// `movie` before `tv`; both can match.
    pub media_types: Vec<MediaType>,
    /// Lower runtime bound in minutes.
    pub min_runtime: Option<i32>,
    /// Upper runtime bound in minutes.
    pub max_runtime: Option<i32>,
}

/// Synonyms checked after the canonical genres, in the original's order. Its `sci-fi` and
/// `feel-good` keys could never match normalised text, so they are left out.
const GENRE_SYNONYMS: &[(&str, &[&str])] = &[
    ("sci fi", &["Science Fiction"]),
    ("scifi", &["Science Fiction"]),
    ("romcom", &["Romance", "Comedy"]),
    ("rom com", &["Romance", "Comedy"]),
    ("feel good", &["Comedy", "Family"]),
    ("superhero", &["Action", "Science Fiction"]),
    ("kids", &["Family", "Animation"]),
    ("animated", &["Animation"]),
    ("anime", &["Animation"]),
    ("biopic", &["Drama"]),
    ("epic", &["Adventure"]),
    ("period", &["Drama", "History"]),
    ("historical", &["History", "Drama"]),
    ("noir", &["Crime", "Mystery"]),
    ("doc", &["Documentary"]),
];

const MOOD_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "light",
        &[
            "light",
            "uplifting",
            "wholesome",
            "feel good",
            "heartwarming",
        ],
    ),
    ("dark", &["dark", "gritty", "bleak", "brooding"]),
    ("funny", &["funny", "hilarious", "comedic", "witty"]),
    (
        "romantic",
        &["romantic", "date night", "love story", "lovey"],
    ),
    ("scary", &["scary", "spooky", "terrifying", "creepy"]),
    (
        "exciting",
        &["exciting", "thrilling", "adrenaline", "action packed"],
    ),
];

const MEDIA_KEYWORDS: &[(MediaType, &[&str])] = &[
    (MediaType::Movie, &["movie", "movies", "film", "films"]),
    (
        MediaType::Tv,
        &["tv", "series", "show", "shows", "tv show", "tv series"],
    ),
];

const UNIT: &str = r"h(?:ours?)?|hr|hrs|minutes?|mins?|m";
const NUMBER: &str = r"[0-9]+(?:\.[0-9]+)?";

/// Operators, longest first so that "no more than" wins over "more than".
const OPERATORS: &[&str] = &[
    "no more than",
    "longer than",
    "shorter than",
    "greater than",
    "less than",
    "more than",
    "at least",
    "at most",
    "minimum",
    "under",
    "over",
    "<=",
    ">=",
    "<",
    ">",
];

const MAX_OPERATORS: &[&str] = &[
    "<",
    "<=",
    "less than",
    "under",
    "at most",
    "no more than",
    "shorter than",
];

static OPERATOR_RE: LazyLock<Regex> = LazyLock::new(|| {
    let ops: Vec<String> = OPERATORS.iter().map(|op| regex::escape(op)).collect();
    let pattern = format!(
        r"(?P<op>{})\s*(?P<value>{NUMBER})\s*(?P<unit>{UNIT})\b",
        ops.join("|")
    );
    Regex::new(&pattern).expect("the runtime operator pattern is a valid regex")
});

static BETWEEN_RE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"between\s+(?P<low>{NUMBER})\s*(?P<unit_low>{UNIT})\s+(?:and|to)\s+(?P<high>{NUMBER})\s*(?P<unit_high>{UNIT})"
    );
    Regex::new(&pattern).expect("the runtime between pattern is a valid regex")
});

/// Lower-cases and keeps only `a-z`, `0-9` and single spaces between words.
pub fn normalize_text(text: &str) -> String {
    let cleaned: String = text
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whole-word phrase test on text padded with spaces (`" " + normalised + " "`).
fn has_phrase(padded: &str, phrase: &str) -> bool {
    padded.contains(&format!(" {phrase} "))
}

/// Parses a query with the keyword rules. An empty query gives an empty parse.
pub fn parse(query: &str) -> LegacyParse {
    let normalized = normalize_text(query);
    let (min_runtime, max_runtime) = extract_runtime(query);
    if normalized.is_empty() {
        return LegacyParse {
            min_runtime,
            max_runtime,
            ..LegacyParse::default()
        };
    }
    let padded = format!(" {normalized} ");
    LegacyParse {
        genres: extract_genres(&padded),
        moods: MOOD_KEYWORDS
            .iter()
            .filter(|(_, words)| words.iter().any(|w| has_phrase(&padded, w)))
            .map(|(mood, _)| (*mood).to_owned())
            .collect(),
        media_types: MEDIA_KEYWORDS
            .iter()
            .filter(|(_, words)| words.iter().any(|w| has_phrase(&padded, w)))
            .map(|(media, _)| *media)
            .collect(),
        min_runtime,
        max_runtime,
    }
}

fn extract_genres(padded: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |genres: &[&str]| {
        for g in genres {
            if !found.iter().any(|x| x == g) {
                found.push((*g).to_owned());
            }
        }
    };
    for genre in CANONICAL_GENRES {
        if has_phrase(padded, &genre.to_lowercase()) {
            add(&[genre]);
        }
    }
    for (phrase, genres) in GENRE_SYNONYMS {
        if has_phrase(padded, phrase) {
            add(genres);
        }
    }
    found
}

/// Minutes for a number and unit; Python-style rounding (ties to even). `None` when ≤ 0 or
/// out of range.
fn to_minutes(value: &str, unit: &str) -> Option<i32> {
    let numeric: f64 = value.parse().ok()?;
    let minutes = if unit.starts_with('h') {
        (numeric * 60.0).round_ties_even()
    } else {
        numeric.round_ties_even()
    };
    (minutes > 0.0 && minutes <= f64::from(i32::MAX)).then_some(minutes as i32)
}

/// Runtime bounds from the lower-cased original text; inverted bounds are swapped.
pub fn extract_runtime(text: &str) -> (Option<i32>, Option<i32>) {
    let lowered = text.to_lowercase();
    let mut min: Option<i32> = None;
    let mut max: Option<i32> = None;
    let raise = |cur: Option<i32>, v: i32| Some(cur.map_or(v, |c| c.max(v)));
    let lower = |cur: Option<i32>, v: i32| Some(cur.map_or(v, |c| c.min(v)));

    for caps in BETWEEN_RE.captures_iter(&lowered) {
        if let Some(low) = to_minutes(&caps["low"], &caps["unit_low"]) {
            min = raise(min, low);
        }
        if let Some(high) = to_minutes(&caps["high"], &caps["unit_high"]) {
            max = lower(max, high);
        }
    }
    for caps in OPERATOR_RE.captures_iter(&lowered) {
        let Some(minutes) = to_minutes(&caps["value"], &caps["unit"]) else {
            continue;
        };
        if MAX_OPERATORS.contains(&&caps["op"]) {
            max = lower(max, minutes);
        } else {
            min = raise(min, minutes);
        }
    }
    match (min, max) {
        (Some(lo), Some(hi)) if lo > hi => (Some(hi), Some(lo)),
        bounds => bounds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_45_minutes_sets_a_max_of_45() {
        assert_eq!(extract_runtime("under 45 minutes"), (None, Some(45)));
    }

    #[test]
    fn between_hours_sets_both_bounds_in_minutes() {
        assert_eq!(
            extract_runtime("between 1.5 hours and 2 hours"),
            (Some(90), Some(120))
        );
    }

    #[test]
    fn inverted_operator_bounds_are_swapped() {
        assert_eq!(
            extract_runtime("over 120 minutes and under 90 minutes"),
            (Some(90), Some(120))
        );
    }

    #[test]
    fn a_light_horror_movie_with_inverted_hours_parses_fully() {
        let p = parse("light horror movie under 2 hours but over 3 hours");
        assert_eq!((p.min_runtime, p.max_runtime), (Some(120), Some(180)));
        assert_eq!(p.genres[0], "Horror");
        assert_eq!(p.media_types, vec![MediaType::Movie]);
        assert_eq!(p.moods, vec!["light"]);
    }

    #[test]
    fn a_zero_runtime_is_ignored() {
        assert_eq!(extract_runtime("shorter than 0 minutes"), (None, None));
    }

    #[test]
    fn symbol_operators_and_short_units_are_read() {
        assert_eq!(extract_runtime("light sci-fi <2h"), (None, Some(120)));
        assert_eq!(extract_runtime(">= 90 mins"), (Some(90), None));
        assert_eq!(extract_runtime("at most 1.5hrs"), (None, Some(90)));
    }

    #[test]
    fn no_more_than_is_a_max_not_a_min() {
        assert_eq!(extract_runtime("no more than 100 min"), (None, Some(100)));
    }

    #[test]
    fn a_unit_glued_to_a_word_does_not_count_for_operators() {
        assert_eq!(extract_runtime("under 2 monsters"), (None, None));
    }

    #[test]
    fn half_minutes_round_to_even_like_python() {
        assert_eq!(extract_runtime("under 0.5 minutes"), (None, None));
        assert_eq!(extract_runtime("under 2.5 minutes"), (None, Some(2)));
        assert_eq!(extract_runtime("under 3.5 minutes"), (None, Some(4)));
    }

    #[test]
    fn hyphenated_sci_fi_matches_science_fiction() {
        assert_eq!(parse("light sci-fi <2h").genres, vec!["Science Fiction"]);
    }

    #[test]
    fn synonyms_add_every_mapped_genre_without_repeats() {
        let p = parse("a romcom or comedy");
        assert_eq!(p.genres, vec!["Comedy", "Romance"]);
        assert_eq!(parse("Rom-Com night").genres, vec!["Romance", "Comedy"]);
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(parse("documentary").genres == vec!["Documentary"]);
        assert!(parse("warrior dramatic").genres.is_empty());
        assert!(parse("showtime").media_types.is_empty());
    }

    #[test]
    fn moods_come_in_table_order_once_each() {
        let p = parse("witty funny and creepy but heartwarming");
        assert_eq!(p.moods, vec!["light", "funny", "scary"]);
    }

    #[test]
    fn both_media_types_can_match_movie_first() {
        let p = parse("tv shows or films");
        assert_eq!(p.media_types, vec![MediaType::Movie, MediaType::Tv]);
    }

    #[test]
    fn tv_movie_is_a_genre_and_both_media_types() {
        let p = parse("a tv movie");
        assert_eq!(p.genres, vec!["TV Movie"]);
        assert_eq!(p.media_types, vec![MediaType::Movie, MediaType::Tv]);
    }

    #[test]
    fn an_empty_query_parses_to_nothing() {
        assert_eq!(parse(""), LegacyParse::default());
        assert_eq!(parse("  !! "), LegacyParse::default());
    }

    proptest::proptest! {
        #[test]
        fn parsed_runtime_bounds_are_positive_and_ordered(query in "[a-z0-9 .<>=]{0,60}") {
            let (min, max) = extract_runtime(&query);
            proptest::prop_assert!(min.is_none_or(|m| m > 0) && max.is_none_or(|m| m > 0));
            if let (Some(lo), Some(hi)) = (min, max) {
                proptest::prop_assert!(lo <= hi);
            }
        }
    }

    #[test]
    fn normalisation_drops_punctuation_and_non_ascii_letters() {
        assert_eq!(normalize_text("  Sci-Fi,  café!\tNOW "), "sci fi caf now");
    }
}
