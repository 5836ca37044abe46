//! The offline intent: what we can read from a query without an LLM (keyword rules, the rule
//! parser, a decade, language names, media types, streaming services). Used when the LLM is
//! off or says nothing.

use std::sync::LazyLock;

use regex::Regex;

use super::fallbacks::FallbackRules;
use super::negation::split_negations;
use super::{LlmIntent, legacy};
use crate::services::services_in_text;

/// `90s`, `1990s`, `’80s`, `20s`: an optional century, two digits, an optional apostrophe, `s`.
static DECADE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?P<century>19|20)?(?P<decade>[0-9]{2}))['’]?s\b")
        .expect("the decade pattern is a valid regex")
});

/// Language names (substring match, not whole words) → ISO-639-1 code, in table order.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("french", "fr"),
    ("spanish", "es"),
    ("german", "de"),
    ("italian", "it"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("hindi", "hi"),
    ("mandarin", "zh"),
    ("chinese", "zh"),
    ("portuguese", "pt"),
];

/// The language names the offline intent reads (their words are served by the language
/// filter, not searched: `lexical::search_terms`).
pub fn language_names() -> impl Iterator<Item = &'static str> {
    LANGUAGE_NAMES.iter().map(|(name, _)| *name)
}

/// The first decade mentioned in lower-cased text, as `(first year, last year)`.
///
/// Without a century, `50`–`99` mean the 1900s and `00`–`49` the 2000s.
pub fn decade_range(text: &str) -> Option<(i32, i32)> {
    let caps = DECADE_RE.captures(text)?;
    let decade: i32 = caps["decade"].parse().ok()?;
    let start = match caps.name("century") {
        Some(century) => century.as_str().parse::<i32>().ok()? * 100 + decade,
        None if decade >= 50 => 1900 + decade,
        None => 2000 + decade,
    };
    let start = start / 10 * 10;
    Some((start, start + 9))
}

/// Language codes whose names occur anywhere in lower-cased text, without repeats.
pub fn detect_languages(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for (name, code) in LANGUAGE_NAMES {
        if text.contains(name) && !codes.iter().any(|c| c == code) {
            codes.push((*code).to_owned());
        }
    }
    codes
}

/// Builds an intent from the query alone. A blank query gives the empty intent.
///
/// Order: a decade; keyword rules (a rule's era only when there is no decade); the rule
/// parser's explicit genres (appended, exact repeats skipped), negated genres (excluded) and
/// runtime bounds; language names; the rule parser's media types; and streaming services named in the query
/// ("on netflix", see [`services_in_text`]; the original's stub had none, so without an LLM
/// such a query ignored the service). Decades, languages and services are read from the
/// wanted text only: "nothing from the 80s" sets no years.
pub fn offline_intent(query: &str, rules: &FallbackRules) -> LlmIntent {
    let stripped = query.trim();
    if stripped.is_empty() {
        return LlmIntent::default();
    }
    let lowered = split_negations(stripped).wanted_text().to_lowercase();
    let mut intent = LlmIntent::default();
    // The request's own decade comes first: a rule's era ("film noir") only fills in.
    if let Some((start, end)) = decade_range(&lowered) {
        intent.year_min = Some(start);
        intent.year_max = Some(end);
    }
    rules.augment(&mut intent, stripped);

    let parsed = legacy::parse(query);
    if !parsed.genres.is_empty() {
        let includes = intent.include_genres.get_or_insert_with(Vec::new);
        for genre in parsed.genres {
            if !includes.contains(&genre) {
                includes.push(genre);
            }
        }
    }
    if !parsed.exclude_genres.is_empty() {
        let excludes = intent.exclude_genres.get_or_insert_with(Vec::new);
        for genre in parsed.exclude_genres {
            if !excludes.iter().any(|x| x.eq_ignore_ascii_case(&genre)) {
                excludes.push(genre);
            }
        }
    }
    intent.runtime_minutes_min = intent.runtime_minutes_min.or(parsed.min_runtime);
    intent.runtime_minutes_max = intent.runtime_minutes_max.or(parsed.max_runtime);

    if intent.languages.is_none() {
        let codes = detect_languages(&lowered);
        if !codes.is_empty() {
            intent.languages = Some(codes);
        }
    }
    if intent.media_types.is_none() && !parsed.media_types.is_empty() {
        intent.media_types = Some(
            parsed
                .media_types
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
        );
    }
    if intent.streaming_providers.is_none() {
        let services = services_in_text(&lowered);
        if !services.is_empty() {
            intent.streaming_providers = Some(services.into_iter().map(str::to_owned).collect());
        }
    }
    intent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offline(query: &str) -> LlmIntent {
        offline_intent(query, &FallbackRules::default_rules())
    }

    fn strings(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn light_sci_fi_under_two_hours_gives_science_fiction_and_a_120_minute_max() {
        let intent = offline("light sci-fi <2h");
        assert_eq!(intent.include_genres, strings(&["Science Fiction"]));
        assert_eq!(intent.runtime_minutes_max, Some(120));
        assert_eq!(intent.runtime_minutes_min, None);
    }

    #[test]
    fn no_gore_excludes_horror_and_thriller() {
        let intent = offline("no gore");
        assert_eq!(intent.exclude_genres, strings(&["Horror", "Thriller"]));
        assert_eq!(intent.include_genres, None);
    }

    #[test]
    fn movies_from_the_90s_gives_the_decade_and_movie_media() {
        let intent = offline("movies from the 90s");
        assert_eq!((intent.year_min, intent.year_max), (Some(1990), Some(1999)));
        assert_eq!(intent.media_types, strings(&["movie"]));
    }

    #[test]
    fn something_in_french_gives_the_fr_language() {
        assert_eq!(offline("something in french").languages, strings(&["fr"]));
    }

    #[test]
    fn a_bad_query_gives_the_empty_intent() {
        assert_eq!(offline("bad query"), LlmIntent::default());
        assert_eq!(offline("   "), LlmIntent::default());
    }

    #[test]
    fn kids_show_gives_family_animation_a_pg_cap_and_tv() {
        let intent = offline("kids show");
        let includes = intent.include_genres.unwrap();
        assert!(includes.contains(&"Family".to_owned()));
        assert!(includes.contains(&"Animation".to_owned()));
        assert_eq!(intent.maturity_rating_max.as_deref(), Some("PG"));
        assert!(intent.media_types.unwrap().contains(&"tv".to_owned()));
    }

    #[test]
    fn decades_read_with_and_without_a_century() {
        assert_eq!(decade_range("the 2000s"), Some((2000, 2009)));
        assert_eq!(decade_range("roaring 20s"), Some((2020, 2029)));
        assert_eq!(decade_range("1985s"), Some((1980, 1989)));
        assert_eq!(decade_range("’80s and 90s"), Some((1980, 1989)));
        assert_eq!(decade_range("the 70's"), Some((1970, 1979)));
        assert_eq!(decade_range("top 10 films"), None);
    }

    #[test]
    fn languages_match_as_substrings_in_table_order_without_repeats() {
        assert_eq!(
            detect_languages("chinese or mandarin, maybe frenchy"),
            vec!["fr", "zh"]
        );
    }

    #[test]
    fn a_service_named_in_the_query_becomes_a_streaming_provider() {
        let intent = offline("a heist thriller on netflix");
        assert_eq!(intent.streaming_providers, strings(&["netflix"]));
        assert_eq!(offline("a heist thriller").streaming_providers, None);
    }

    #[test]
    fn only_the_first_decade_counts() {
        let intent = offline("90s or 80s thrillers");
        assert_eq!((intent.year_min, intent.year_max), (Some(1990), Some(1999)));
    }
}

#[cfg(test)]
#[path = "vocabulary_tests.rs"]
mod vocabulary_tests;
