//! The rule-based parser: genres, moods, media types and runtime bounds from keywords.
//!
//! Keywords match as whole-word phrases on a normalised text (lower-case, anything but
//! `a-z`, `0-9` and whitespace becomes a space, spaces collapsed), so "sci-fi" reads as
//! "sci fi". Runtime phrases are read from the lower-cased original text, where `<2h` and
//! `1.5 hours` survive.
//!
//! Genres, moods and media types are read from the query's wanted text only (see
//! [`super::negation`]); a genre, synonym or mood inside a negated clause becomes an
//! exclusion instead ("not scary" excludes Horror and adds no mood). A negated runtime
//! operator flips ("nothing over 2 hours" is a maximum).

use std::sync::LazyLock;

use regex::Regex;

use super::negation::split_negations;
use crate::genres::CANONICAL_GENRES;
use crate::item::MediaType;

/// What the rule parser found in a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyParse {
    /// Explicit genres (canonical names), in first-found order, without repeats.
    pub genres: Vec<String>,
    /// Genres the query negates ("no horror", "not scary"), in first-found order.
    pub exclude_genres: Vec<String>,
    /// Moods (`light`, `dark`, `funny`, `romantic`, `scary`, `exciting`), in table order.
    pub moods: Vec<String>,
    /// `movie` before `tv`; both can match.
    pub media_types: Vec<MediaType>,
    /// Lower runtime bound in minutes.
    pub min_runtime: Option<i32>,
    /// Upper runtime bound in minutes.
    pub max_runtime: Option<i32>,
}

/// A phrase that stands for genres.
struct Synonym {
    phrase: &'static str,
    genres: &'static [&'static str],
    /// What "no <phrase>" leaves out: narrower than `genres` where they are a blend
    /// ("no romcom" is no Romance, not no Comedy; "no superhero movies" is not no Action).
    negated: &'static [&'static str],
}

/// Synonyms checked after the canonical genres, in the original's order, then plurals.
/// The original's `sci-fi` and `feel-good` keys could never match normalised text, so they
/// are left out.
const GENRE_SYNONYMS: &[Synonym] = &[
    syn("sci fi", &["Science Fiction"], &["Science Fiction"]),
    syn("scifi", &["Science Fiction"], &["Science Fiction"]),
    syn("romcom", &["Romance", "Comedy"], &["Romance"]),
    syn("rom com", &["Romance", "Comedy"], &["Romance"]),
    syn("feel good", &["Comedy", "Family"], &[]),
    syn("superhero", &["Action", "Science Fiction"], &[]),
    syn("kids", &["Family", "Animation"], &["Family"]),
    syn("animated", &["Animation"], &["Animation"]),
    syn("anime", &["Animation"], &["Animation"]),
    syn("biopic", &["Drama"], &[]),
    syn("epic", &["Adventure"], &[]),
    syn("period", &["Drama", "History"], &[]),
    syn("historical", &["History", "Drama"], &["History"]),
    syn("noir", &["Crime", "Mystery"], &[]),
    syn("doc", &["Documentary"], &["Documentary"]),
    syn("comedies", &["Comedy"], &["Comedy"]),
    syn("dramas", &["Drama"], &["Drama"]),
    syn("thrillers", &["Thriller"], &["Thriller"]),
    syn("westerns", &["Western"], &["Western"]),
    syn("mysteries", &["Mystery"], &["Mystery"]),
    syn("documentaries", &["Documentary"], &["Documentary"]),
];

const fn syn(
    phrase: &'static str,
    genres: &'static [&'static str],
    negated: &'static [&'static str],
) -> Synonym {
    Synonym {
        phrase,
        genres,
        negated,
    }
}

/// A mood and the words that signal it.
struct Mood {
    name: &'static str,
    keywords: &'static [&'static str],
    /// What negating the mood leaves out ("not scary" → Horror). Moods whose opposite is no
    /// genre ("not too dark", "nothing too light") only drop the mood.
    negated: &'static [&'static str],
}

const MOODS: &[Mood] = &[
    Mood {
        name: "light",
        keywords: &[
            "light",
            "uplifting",
            "wholesome",
            "feel good",
            "heartwarming",
            "cozy",
            "cosy",
            "comforting",
            "comfort",
            "chill",
            "relaxing",
        ],
        negated: &[],
    },
    Mood {
        name: "dark",
        keywords: &["dark", "gritty", "bleak", "brooding"],
        negated: &[],
    },
    Mood {
        name: "funny",
        keywords: &[
            "funny",
            "fun",
            "hilarious",
            "comedic",
            "witty",
            "laugh",
            "laughs",
            "laughing",
        ],
        negated: &["Comedy"],
    },
    Mood {
        name: "romantic",
        keywords: &["romantic", "date night", "love story", "lovey"],
        negated: &["Romance"],
    },
    Mood {
        name: "scary",
        keywords: &["scary", "spooky", "terrifying", "creepy"],
        negated: &["Horror"],
    },
    Mood {
        name: "exciting",
        keywords: &["exciting", "thrilling", "adrenaline", "action packed"],
        negated: &[],
    },
];

const MEDIA_KEYWORDS: &[(MediaType, &[&str])] = &[
    (
        MediaType::Movie,
        &["movie", "movies", "film", "films", "flick", "flicks"],
    ),
    (
        MediaType::Tv,
        &[
            "tv",
            "series",
            "show",
            "shows",
            "tv show",
            "tv series",
            "television",
            "miniseries",
            "sitcom",
            "sitcoms",
            "docuseries",
        ],
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

/// A negation right before an operator flips it: "not over 2 hours", "nothing longer than
/// 90 minutes" (maxima), "nothing under 2 hours" (a minimum). "no more than" reads the same
/// either way.
static OPERATOR_RE: LazyLock<Regex> = LazyLock::new(|| {
    let ops: Vec<String> = OPERATORS.iter().map(|op| regex::escape(op)).collect();
    let pattern = format!(
        r"(?P<neg>\b(?:not|no|nothing)\s+)?(?P<op>{})\s*(?P<value>{NUMBER})\s*(?P<unit>{UNIT})\b",
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

/// Every phrase the parser reads as a genre or a mood, lower-case: what the filters serve
/// (full-text search leaves them out, see `lexical::search_terms`).
pub fn genre_and_mood_phrases() -> impl Iterator<Item = String> {
    CANONICAL_GENRES
        .iter()
        .map(|g| g.to_lowercase())
        .chain(GENRE_SYNONYMS.iter().map(|s| s.phrase.to_owned()))
        .chain(
            MOODS
                .iter()
                .flat_map(|m| m.keywords.iter().map(|k| (*k).to_owned())),
        )
}

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

/// Each piece normalised and padded for [`has_phrase`]; blank pieces dropped.
fn padded_pieces(pieces: &[String]) -> Vec<String> {
    pieces
        .iter()
        .map(|p| normalize_text(p))
        .filter(|p| !p.is_empty())
        .map(|p| format!(" {p} "))
        .collect()
}

/// The pieces without the requests that use a media word as a verb ("show me", "show us"):
/// "show me underrated 80s horror" asks for nothing on TV.
fn media_pieces(pieces: &[String]) -> Vec<String> {
    pieces
        .iter()
        .map(|p| p.replace(" show me ", " ").replace(" show us ", " "))
        .collect()
}

/// True when a phrase occurs in any piece (never across two).
fn in_any(pieces: &[String], phrase: &str) -> bool {
    pieces.iter().any(|p| has_phrase(p, phrase))
}

/// Appends genres not yet in `found`.
fn add_genres(found: &mut Vec<String>, genres: &[&str]) {
    for g in genres {
        if !found.iter().any(|x| x == g) {
            found.push((*g).to_owned());
        }
    }
}

/// The upper runtime bound "short" or "quick" means when no number is given (minutes): a
/// film under an hour and forty, and any TV episode.
pub const SHORT_MAX_RUNTIME: i32 = 100;

/// Words that ask for a short watch; "short film(s)" names a format, not a length.
fn wants_short(wanted: &[String]) -> bool {
    ["short", "quick", "shortish"]
        .iter()
        .any(|w| in_any(wanted, w))
        && !["short film", "short films"]
            .iter()
            .any(|w| in_any(wanted, w))
}

/// Parses a query with the keyword rules. An empty query gives an empty parse.
pub fn parse(query: &str) -> LegacyParse {
    let (min_runtime, max_runtime) = extract_runtime(query);
    let split = split_negations(query);
    let wanted = padded_pieces(&split.wanted);
    let negated = padded_pieces(&split.negated);
    let max_runtime = max_runtime.or_else(|| wants_short(&wanted).then_some(SHORT_MAX_RUNTIME));
    let media_wanted = media_pieces(&wanted);
    LegacyParse {
        genres: extract_genres(&wanted),
        exclude_genres: negated_genres(&negated),
        moods: MOODS
            .iter()
            .filter(|m| m.keywords.iter().any(|w| in_any(&wanted, w)))
            .map(|m| m.name.to_owned())
            .collect(),
        media_types: MEDIA_KEYWORDS
            .iter()
            .filter(|(_, words)| words.iter().any(|w| in_any(&media_wanted, w)))
            .map(|(media, _)| *media)
            .collect(),
        min_runtime,
        max_runtime,
    }
}

fn extract_genres(pieces: &[String]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for genre in CANONICAL_GENRES {
        if in_any(pieces, &genre.to_lowercase()) {
            add_genres(&mut found, &[genre]);
        }
    }
    for s in GENRE_SYNONYMS {
        if in_any(pieces, s.phrase) {
            add_genres(&mut found, s.genres);
        }
    }
    found
}

/// What negated genres, synonyms and moods leave out.
fn negated_genres(pieces: &[String]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for genre in CANONICAL_GENRES {
        if in_any(pieces, &genre.to_lowercase()) {
            add_genres(&mut found, &[genre]);
        }
    }
    for s in GENRE_SYNONYMS {
        if in_any(pieces, s.phrase) {
            add_genres(&mut found, s.negated);
        }
    }
    for m in MOODS {
        if m.keywords.iter().any(|w| in_any(pieces, w)) {
            add_genres(&mut found, m.negated);
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
        if MAX_OPERATORS.contains(&&caps["op"]) != caps.name("neg").is_some() {
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
    fn short_and_quick_mean_a_short_runtime_unless_a_number_says_otherwise() {
        for query in [
            "something fun and short",
            "a quick watch",
            "short comedy movies",
        ] {
            assert_eq!(parse(query).max_runtime, Some(SHORT_MAX_RUNTIME), "{query}");
        }
        assert_eq!(parse("short but under 80 minutes").max_runtime, Some(80));
        assert_eq!(parse("animated short films").max_runtime, None, "a format");
        assert_eq!(parse("nothing short, an epic").max_runtime, None, "negated");
        assert_eq!(parse("shorts").max_runtime, None);
    }

    #[test]
    fn fun_reads_as_the_funny_mood() {
        assert_eq!(parse("something fun tonight").moods, ["funny"]);
        assert_eq!(parse("I want to laugh").moods, ["funny"]);
        assert_eq!(parse("something cozy").moods, ["light"]);
        assert!(
            parse("show me underrated 80s horror")
                .media_types
                .is_empty()
        );
        assert_eq!(parse("show me a good show").media_types, [MediaType::Tv]);
        assert!(parse("funeral drama").moods.is_empty());
    }

    #[test]
    fn a_negated_runtime_operator_flips() {
        assert_eq!(extract_runtime("nothing over 2 hours"), (None, Some(120)));
        assert_eq!(extract_runtime("not longer than 90 min"), (None, Some(90)));
        assert_eq!(extract_runtime("nothing under 2 hours"), (Some(120), None));
        assert_eq!(
            extract_runtime("no less than 100 minutes"),
            (Some(100), None)
        );
        assert_eq!(
            extract_runtime("no horror under 2 hours"),
            (None, Some(120))
        );
    }

    #[test]
    fn negated_genres_synonyms_and_moods_become_exclusions_not_wishes() {
        let p = parse("a scary comedy, no thrillers and not a romcom");
        assert_eq!(p.genres, vec!["Comedy"]);
        assert_eq!(p.moods, vec!["scary"]);
        assert_eq!(p.exclude_genres, vec!["Romance", "Thriller"]);

        let p = parse("not too dark or scary");
        assert!(p.moods.is_empty() && p.genres.is_empty());
        assert_eq!(p.exclude_genres, vec!["Horror"]);
    }

    #[test]
    fn plural_genre_names_are_read() {
        assert_eq!(parse("westerns or dramas").genres, vec!["Drama", "Western"]);
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
