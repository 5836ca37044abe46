//! Keyword fallback rules (`intent_fallbacks.json`): words such as "kids" or "no gore" that
//! add genres, exclusions and a maturity cap to any intent, LLM-made or not. The same file is
//! the parser's vocabulary of compound and slang terms ("rom-com", "whodunit", "sitcom",
//! "k-drama", "anime"): a rule can also add original `languages` and `media_types`, so
//! "k-drama" means Korean-language TV drama, `require_genres` that a title must have
//! together ("rom-com" is Romance *and* Comedy, where "romance" alone is either), and `tags`
//! the TMDB keywords of titles the term describes ("heist" → heist, bank robbery, caper).
//! Operators extend it by adding rules.
//!
//! Rules run in file order and cascade: a rule also fires when one of its keywords equals a
//! genre already included, so an include of "Romance" fires the rom-com rule. The first
//! firing rule with a cap sets it; later caps never override. A rule's era (`year_min`,
//! `year_max`: "film noir" is up to 1959) applies when the request names none, the first
//! firing rule's.
//!
//! Keywords match as whole-word phrases anywhere in the query, with punctuation and hyphens
//! read as spaces, so "rom com" fires "rom-com". (The original matched multi-word keywords
//! only when they were the whole query.)
//!
//! Negation (see [`super::negation`]): a rule fires on the query's wanted text only. A
//! keyword inside a negated clause ("not scary", "without gore") instead adds the rule's
//! `exclude_genres_when_negated` and its tags as tags to leave out ("but not marvel": titles
//! tagged marvel comic), and keeps the rule from firing at all, even through the include
//! cascade. A rule with tags names a topic, and its excluded genres only stand in for the
//! topic: they yield to genres the request asks for ("scary movies but no gore", "horror but
//! no slashers": horror without the tagged titles). A keyword that is itself a negation ("no
//! gore" in an older file) is matched against the whole query as before.

use serde_json::Value;

use super::LlmIntent;
use super::negation::{find_negations, split_negations};

/// The shipped rules: `config/intent_fallbacks.json`, built in for when the file is absent.
const SHIPPED_RULES: &str = include_str!("../../../../config/intent_fallbacks.json");

/// Why a fallback rules file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FallbackRulesError {
    /// The file is not JSON at all.
    #[error("fallback rules are not valid JSON: {0}")]
    InvalidJson(#[from] serde_json::Error),
    /// The JSON is valid but its top level is not a list of rules.
    #[error("fallback rules must be a JSON list of rule objects")]
    NotAList,
}

/// One keyword rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackRule {
    /// The rule's `name`, for logs only.
    pub name: Option<String>,
    /// Lower-cased, trimmed, non-blank keywords, in file order.
    pub keywords: Vec<String>,
    /// Each keyword as a whole-word phrase (punctuation as spaces), parallel to `keywords`.
    phrases: Vec<String>,
    /// Genres the rule adds to the includes.
    pub include_genres: Vec<String>,
    /// Genres the rule adds to the exclusions.
    pub exclude_genres: Vec<String>,
    /// Genres to exclude when a keyword is negated ("not scary" → Horror).
    pub exclude_genres_when_negated: Vec<String>,
    /// Genres a title must have all of; they are included too.
    pub require_genres: Vec<String>,
    /// Per keyword: true when the keyword states a negation itself ("no gore").
    negating: Vec<bool>,
    /// The cap this rule imposes; a number in the file becomes its string form.
    pub maturity_rating_max: Option<String>,
    /// Original languages (ISO-639-1, lower-cased) the term means ("k-drama" → `ko`).
    pub languages: Vec<String>,
    /// Media types the term means (`movie`, `tv`; "sitcom" → `tv`).
    pub media_types: Vec<String>,
    /// TMDB keywords (lower-cased) of titles the term describes ("heist" → heist, bank
    /// robbery, caper): tagged titles are found and ranked first.
    pub tags: Vec<String>,
    /// The era the term means ("film noir": up to 1959), used when the request names none.
    pub year_min: Option<i32>,
    pub year_max: Option<i32>,
}

/// An ordered list of keyword rules. The default is no rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FallbackRules {
    rules: Vec<FallbackRule>,
}

/// Lower-case text with everything but letters, digits and spaces read as a space, collapsed.
fn phrase_text(text: &str) -> String {
    let spaced: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// String elements of a list (a lone string counts as a one-element list); others dropped.
fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(_) | None => Vec::new(),
    }
}

/// Like [`string_list`], trimmed, lower-cased, blanks and repeats dropped.
fn lowered_list(value: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in string_list(value) {
        let v = v.trim().to_lowercase();
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A year given as a whole number; anything else is no year.
fn year(value: Option<&Value>) -> Option<i32> {
    value
        .and_then(Value::as_i64)
        .and_then(|y| i32::try_from(y).ok())
}

impl FallbackRule {
    fn from_value(entry: &Value) -> Option<Self> {
        let map = entry.as_object()?;
        let mut keywords: Vec<String> = Vec::new();
        for k in string_list(map.get("keywords")) {
            let k = k.trim().to_lowercase();
            if !k.is_empty() && !keywords.contains(&k) {
                keywords.push(k);
            }
        }
        if keywords.is_empty() {
            return None;
        }
        let maturity_rating_max = match map.get("maturity_rating_max") {
            Some(Value::String(s)) => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_)) | None => None,
        }
        .filter(|m| !m.is_empty());
        Some(FallbackRule {
            name: map.get("name").and_then(Value::as_str).map(str::to_owned),
            phrases: keywords.iter().map(|k| phrase_text(k)).collect(),
            negating: keywords
                .iter()
                .map(|k| !find_negations(k).is_empty())
                .collect(),
            keywords,
            include_genres: string_list(map.get("include_genres")),
            exclude_genres: string_list(map.get("exclude_genres")),
            exclude_genres_when_negated: string_list(map.get("exclude_genres_when_negated")),
            require_genres: string_list(map.get("require_genres")),
            maturity_rating_max,
            languages: lowered_list(map.get("languages")),
            media_types: lowered_list(map.get("media_types")),
            tags: lowered_list(map.get("tags")),
            year_min: year(map.get("year_min")),
            year_max: year(map.get("year_max")),
        })
    }

    /// The keywords (with their phrases) that state a negation themselves, or not.
    fn keywords_where(&self, negating: bool) -> impl Iterator<Item = (&String, &String)> {
        self.keywords
            .iter()
            .zip(&self.phrases)
            .zip(&self.negating)
            .filter(move |(_, n)| **n == negating)
            .map(|(kp, _)| kp)
    }

    /// True when the rule fires on the query: a plain keyword in a wanted piece, or a
    /// negating keyword anywhere.
    fn matches(&self, query: &ReadQuery) -> bool {
        self.keywords_where(false)
            .any(|(k, p)| query.wanted.iter().any(|f| f.contains(k, p)))
            || self
                .keywords_where(true)
                .any(|(k, p)| query.whole.contains(k, p))
    }

    /// True when a plain keyword sits inside a negated clause.
    fn negated_in(&self, query: &ReadQuery) -> bool {
        self.keywords_where(false)
            .any(|(k, p)| query.negated.iter().any(|f| f.contains(k, p)))
    }
}

/// The query, its wanted pieces and its negated scopes, each in [`QueryForms`].
struct ReadQuery {
    whole: QueryForms,
    wanted: Vec<QueryForms>,
    negated: Vec<QueryForms>,
}

impl ReadQuery {
    fn new(query: &str) -> Self {
        let split = split_negations(query);
        let forms = |pieces: &[String]| pieces.iter().map(|p| QueryForms::new(p)).collect();
        ReadQuery {
            whole: QueryForms::new(query),
            wanted: forms(&split.wanted),
            negated: forms(&split.negated),
        }
    }
}

/// The query in the forms the keyword test needs.
struct QueryForms {
    lowered: String,
    tokens: Vec<String>,
    padded_phrase: String,
}

impl QueryForms {
    fn new(query: &str) -> Self {
        let lowered = query.trim().to_lowercase();
        let tokens = lowered
            .replace('-', " ")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let padded_phrase = format!(" {} ", phrase_text(&lowered));
        QueryForms {
            lowered,
            tokens,
            padded_phrase,
        }
    }

    /// True when `keyword` (with its phrase form) appears: as a whitespace token (hyphens as
    /// spaces), as the whole text, or as a whole-word phrase of the punctuation-free text.
    fn contains(&self, keyword: &str, phrase: &str) -> bool {
        self.tokens.iter().any(|t| t == keyword)
            || self.lowered == keyword
            || (!phrase.is_empty() && self.padded_phrase.contains(&format!(" {phrase} ")))
    }
}

/// Appends `genres` not yet in `list` (case-insensitive); true when anything was added.
fn append_ci(list: &mut Vec<String>, genres: &[String]) -> bool {
    let mut added = false;
    for g in genres {
        let lowered = g.to_lowercase();
        if !list.iter().any(|x| x.to_lowercase() == lowered) {
            list.push(g.clone());
            added = true;
        }
    }
    added
}

impl FallbackRules {
    /// Parses a rules file leniently: entries that are not objects or have no usable keyword
    /// are skipped, keywords are lower-cased, non-string genres are dropped, and a numeric
    /// cap becomes its string form. Invalid JSON or a non-list top level is an error (the
    /// caller logs it and runs with no rules).
    pub fn from_json(text: &str) -> Result<Self, FallbackRulesError> {
        let value: Value = serde_json::from_str(text)?;
        Self::from_value(&value)
    }

    /// Like [`FallbackRules::from_json`], from parsed JSON.
    pub fn from_value(value: &Value) -> Result<Self, FallbackRulesError> {
        let entries = value.as_array().ok_or(FallbackRulesError::NotAList)?;
        Ok(FallbackRules {
            rules: entries
                .iter()
                .filter_map(FallbackRule::from_value)
                .collect(),
        })
    }

    /// The six rules the original shipped (kids, teen, horror, documentary, rom-com, no gore).
    pub fn default_rules() -> Self {
        Self::from_json(SHIPPED_RULES).expect("the shipped fallback rules are valid JSON")
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[FallbackRule] {
        &self.rules
    }

    /// The keywords of the rules naming a topic (rules with tags) that fire on `query`: the
    /// tags serve them, so they are not searched as words ("a tearjerker" would find the one
    /// title whose overview says "tearjerker").
    pub fn topic_keywords(&self, query: &str) -> Vec<String> {
        let read = ReadQuery::new(query);
        self.rules
            .iter()
            .filter(|rule| !rule.tags.is_empty() && rule.matches(&read))
            .flat_map(|rule| rule.keywords.iter().cloned())
            .collect()
    }

    /// Adds what every firing rule implies to `intent` (see the module doc).
    ///
    /// Include and exclude genres are appended without case-insensitive repeats; a list the
    /// rules did not touch is left as it was (so `None` stays `None`).
    pub fn augment(&self, intent: &mut LlmIntent, query: &str) {
        let read = ReadQuery::new(query);
        let mut includes = intent.include_genres.clone().unwrap_or_default();
        let mut excludes = intent.exclude_genres.clone().unwrap_or_default();
        let (mut include_changed, mut exclude_changed) = (false, false);
        // The genres a negated topic stands in for ("no gore": Horror, Thriller).
        let mut topic_excludes: Vec<String> = Vec::new();

        for rule in &self.rules {
            if rule.negated_in(&read) {
                if rule.tags.is_empty() {
                    exclude_changed |= append_ci(&mut excludes, &rule.exclude_genres_when_negated);
                } else {
                    append_ci(&mut topic_excludes, &rule.exclude_genres_when_negated);
                    append_ci(intent.exclude_tags.get_or_insert_with(Vec::new), &rule.tags);
                }
                continue;
            }
            let include_hit = rule
                .keywords
                .iter()
                .any(|k| includes.iter().any(|g| g.to_lowercase() == *k));
            if !(include_hit || rule.matches(&read)) {
                continue;
            }
            include_changed |= append_ci(&mut includes, &rule.include_genres);
            include_changed |= append_ci(&mut includes, &rule.require_genres);
            exclude_changed |= append_ci(&mut excludes, &rule.exclude_genres);
            if !rule.require_genres.is_empty() {
                append_ci(
                    intent.require_genres.get_or_insert_with(Vec::new),
                    &rule.require_genres,
                );
            }
            if !rule.languages.is_empty() {
                append_ci(
                    intent.languages.get_or_insert_with(Vec::new),
                    &rule.languages,
                );
            }
            if !rule.media_types.is_empty() {
                append_ci(
                    intent.media_types.get_or_insert_with(Vec::new),
                    &rule.media_types,
                );
            }
            if !rule.tags.is_empty() {
                append_ci(intent.tags.get_or_insert_with(Vec::new), &rule.tags);
            }
            let has_cap = intent
                .maturity_rating_max
                .as_deref()
                .is_some_and(|m| !m.is_empty());
            if !has_cap && rule.maturity_rating_max.is_some() {
                intent.maturity_rating_max = rule.maturity_rating_max.clone();
            }
            let has_era = intent.year_min.is_some() || intent.year_max.is_some();
            if !has_era && (rule.year_min.is_some() || rule.year_max.is_some()) {
                (intent.year_min, intent.year_max) = (rule.year_min, rule.year_max);
            }
        }
        // A negated topic leaves out its tagged titles; its genres go too unless the request
        // asks for them: "scary movies but no gore" is horror without the gory titles, not
        // every genre but horror.
        topic_excludes.retain(|g| !includes.iter().any(|i| i.eq_ignore_ascii_case(g)));
        exclude_changed |= append_ci(&mut excludes, &topic_excludes);
        if include_changed {
            intent.include_genres = Some(includes);
        }
        if exclude_changed {
            intent.exclude_genres = Some(excludes);
        }
    }
}

#[cfg(test)]
#[path = "fallbacks_tests.rs"]
mod tests;
