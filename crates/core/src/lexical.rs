//! Lexical retrieval, the half of hybrid retrieval that reads words: names and rare words
//! ("whodunit", "heist", "Tom Hanks") that the MiniLM query vector often misses. The index
//! itself (BM25, `seen_lexical`) is built beside the catalog copy; this module holds what is
//! pure: the text a title is found by ([`SearchDoc`]), the words of a request worth searching
//! for ([`search_terms`]), and the fusion of the lexical list with the nearest neighbours
//! ([`fuse`], reciprocal-rank fusion).

use crate::intent::legacy::genre_and_mood_phrases;
use crate::intent::negation::strip_negated;
use crate::intent::offline::language_names;
use crate::item::ItemId;
use crate::services::brand_words;
use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::LazyLock;

/// The genre and mood phrases as padded needles (" feel good "), built once: `search_terms`
/// runs on every request with a query.
static FILTER_PHRASES: LazyLock<Vec<String>> = LazyLock::new(|| {
    genre_and_mood_phrases()
        .chain(
            language_names()
                .chain(brand_words())
                .chain(QUALITY_PHRASES.iter().copied())
                .chain(WATCHING_PHRASES.iter().copied())
                .map(str::to_owned),
        )
        .map(|phrase| format!(" {phrase} "))
        .collect()
});

/// The text one title is found by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    pub id: ItemId,
    pub title: String,
    /// The title in its original language, when it differs.
    pub original_title: Option<String>,
    /// TMDB keywords ("heist", "whodunit", "zombie apocalypse").
    pub keywords: Vec<String>,
    /// Cast and directors (or creators).
    pub people: Vec<String>,
    /// Directors alone: what "more like X" shares with X's other films.
    pub directors: Vec<String>,
    pub overview: Option<String>,
}

/// What the titles a request names ("more like Pulp Fiction") are found alike by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedText {
    /// Their TMDB keywords, matched whole.
    pub keywords: Vec<String>,
    /// Their directors, matched whole.
    pub directors: Vec<String>,
}

impl SeedText {
    pub fn is_empty(&self) -> bool {
        self.keywords.is_empty() && self.directors.is_empty()
    }
}

/// What a full-text search looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextQuery<'a> {
    /// A request's words (space-separated), in every field.
    Words(&'a str),
    /// The titles a request names ("more like The Matrix"): their TMDB keywords and
    /// directors, whole, in those fields alone; titles sharing the rarer ones first (BM25's
    /// weighting).
    Related(&'a SeedText),
}

/// A full-text index over [`SearchDoc`]s.
pub trait TextIndex: Send + Sync + Debug {
    /// The `limit` best matches for `query`, best first, with scores in 0..=1 (1: the best
    /// match of this answer).
    fn search(&self, query: TextQuery<'_>, limit: usize) -> Vec<(ItemId, f64)>;
}

/// Phrases asking for the well-regarded, which the rating prior serves ("best horror movies
/// of all time"): their words alone ("time") are worth searching ("time travel").
const QUALITY_PHRASES: &[&str] = &["of all time", "all time"];

/// Phrases about how or when to watch a list, not what is in it ("marvel movies in order",
/// "a movie for a first date").
const WATCHING_PHRASES: &[&str] = &[
    "first date",
    "date night",
    "movie night",
    "what else",
    "in chronological order",
    "chronological order",
    "in release order",
    "release order",
    "in order",
];

/// Words that say what kind of list is wanted, not what it is about: the filters read them
/// (media type, era, runtime), they ask for the well-regarded titles the rating prior already
/// favours ("best … of all time", "oscar winners", "underrated"), they say the mood or the
/// occasion the vocabulary and the query vector serve ("sad", "cozy", "a rainy sunday") or
/// they carry nothing ("something", "good"). Searching for them would match every overview
/// that says "film" or "series", and titles named "In Time", "Oscar" or "Cry-Baby".
const NOT_SEARCHED: &[&str] = &[
    "a",
    "about",
    "acclaimed",
    "afternoon",
    "all",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "as",
    "at",
    "award",
    "awards",
    "be",
    "best",
    "binge",
    "bingeworthy",
    "bored",
    "but",
    "by",
    "can",
    "cant",
    "chill",
    "classic",
    "classics",
    "cosy",
    "could",
    "cozy",
    "cry",
    "crying",
    "date",
    "decide",
    "directed",
    "director",
    "do",
    "else",
    "episode",
    "episodes",
    "evening",
    "ever",
    "everyone",
    "everything",
    "famous",
    "favorite",
    "favourite",
    "film",
    "films",
    "flick",
    "flicks",
    "for",
    "from",
    "full",
    "fun",
    "gem",
    "gems",
    "get",
    "give",
    "good",
    "great",
    "greatest",
    "have",
    "hidden",
    "hour",
    "hours",
    "i",
    "if",
    "im",
    "in",
    "inspirational",
    "inspiring",
    "is",
    "it",
    "just",
    "kind",
    "laugh",
    "laughing",
    "laughs",
    "lazy",
    "light",
    "like",
    "liked",
    "long",
    "love",
    "loved",
    "make",
    "makes",
    "masterpiece",
    "masterpieces",
    "me",
    "min",
    "mindless",
    "mins",
    "minute",
    "minutes",
    "mood",
    "more",
    "movie",
    "movies",
    "must",
    "my",
    "new",
    "night",
    "nothing",
    "of",
    "old",
    "on",
    "or",
    "oscar",
    "oscars",
    "over",
    "overlooked",
    "pick",
    "please",
    "popular",
    "quick",
    "rainy",
    "really",
    "recommend",
    "recommendations",
    "relaxing",
    "sad",
    "saturday",
    "see",
    "series",
    "short",
    "shortish",
    "should",
    "show",
    "shows",
    "similar",
    "smart",
    "so",
    "some",
    "something",
    "starring",
    "stars",
    "suggest",
    "sunday",
    "surprise",
    "that",
    "the",
    "them",
    "think",
    "this",
    "to",
    "tonight",
    "top",
    "tv",
    "under",
    "underrated",
    "uplifting",
    "very",
    "want",
    "watch",
    "watchable",
    "watched",
    "watching",
    "weekend",
    "what",
    "will",
    "winner",
    "winners",
    "winning",
    "with",
    "worth",
    "worthy",
    "you",
];

/// The words of `query` worth a full-text search, lower-cased and space-separated: negated
/// clauses cut ("but not marvel" searches nothing for marvel), what the rule parser reads as
/// a genre or a mood dropped (the filters serve "comedies" and "scary"; searched, they
/// find "Scary Movie"), language and service names dropped (the language and service
/// filters serve "korean" and "netflix"),
/// words of the request's `tags` dropped (the tags serve "heist";
/// searched, it finds the film called "Heist"), then numbers, decades ("90s") and
/// [`NOT_SEARCHED`] words. Empty when nothing is left.
pub fn search_terms(query: &str, tags: &[String]) -> String {
    let words: Vec<String> = strip_negated(query)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .map(|w| w.strip_suffix("'s").unwrap_or(w).replace('\'', ""))
        .filter(|w| !w.is_empty())
        .collect();
    let mut padded = format!(" {} ", words.join(" "));
    for needle in FILTER_PHRASES.iter() {
        while padded.contains(needle.as_str()) {
            padded = padded.replace(needle.as_str(), " ");
        }
    }
    let tagged = |w: &str| {
        let singular = w.strip_suffix("es").into_iter().chain(w.strip_suffix('s'));
        tags.iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
            .any(|t| t == w || singular.clone().any(|s| s == t))
    };
    padded
        .split_whitespace()
        .filter(|w| !NOT_SEARCHED.contains(w))
        .filter(|w| !w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter(|w| !tagged(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reciprocal-rank fusion's damping constant (the usual 60: a list's first places count,
/// but no single list decides).
pub const RRF_K: f64 = 60.0;

/// The nearest neighbours and the lexical matches as one list, best first, by reciprocal-
/// rank fusion: each id scores Σ 1 / (`RRF_K` + rank) over the lists it is in; ties keep
/// the nearest neighbours' order, then the lexical order.
pub fn fuse(ann: &[ItemId], lexical: &[ItemId]) -> Vec<ItemId> {
    let mut scores: HashMap<ItemId, (f64, usize)> = HashMap::new();
    for (list, offset) in [(ann, 0), (lexical, ann.len())] {
        for (rank, id) in list.iter().enumerate() {
            let entry = scores.entry(*id).or_insert((0.0, offset + rank));
            entry.0 += 1.0 / (RRF_K + rank as f64 + 1.0);
        }
    }
    let mut fused: Vec<(ItemId, (f64, usize))> = scores.into_iter().collect();
    fused.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    fused.into_iter().map(|(id, _)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_words_and_eras_are_not_searched() {
        assert_eq!(search_terms("heist movies", &[]), "heist");
        assert_eq!(search_terms("80s slasher", &[]), "slasher");
        assert_eq!(search_terms("films starring Tom Hanks", &[]), "tom hanks");
        assert_eq!(search_terms("short funny movies under 90 minutes", &[]), "");
        assert_eq!(
            search_terms("a quick comedy", &[]),
            "",
            "a runtime, not a title word"
        );
        assert_eq!(search_terms("movies from the 1990s", &[]), "");
    }

    #[test]
    fn genres_and_moods_are_left_to_the_filters() {
        assert_eq!(search_terms("scary movies but no gore", &[]), "");
        assert_eq!(
            search_terms("dark psychological thrillers", &[]),
            "psychological"
        );
        assert_eq!(
            search_terms("christmas movies for the family", &[]),
            "christmas"
        );
        assert_eq!(search_terms("rom-com movies from the 90s", &[]), "");
    }

    #[test]
    fn language_and_service_names_are_left_to_their_filters() {
        assert_eq!(search_terms("korean thrillers", &[]), "");
        assert_eq!(search_terms("french romance", &[]), "");
        assert_eq!(search_terms("japanese samurai films", &[]), "samurai");
        assert_eq!(search_terms("a good thriller on netflix", &[]), "");
    }

    #[test]
    fn asking_for_the_best_of_all_time_is_not_searched_but_time_travel_is() {
        assert_eq!(search_terms("best horror movies of all time", &[]), "");
        assert_eq!(search_terms("the greatest all time classics", &[]), "");
        assert_eq!(
            search_terms("TV shows about time travel", &[]),
            "time travel"
        );
    }

    #[test]
    fn watching_in_order_is_not_searched_but_law_and_order_is() {
        assert_eq!(search_terms("marvel movies in order", &[]), "marvel");
        assert_eq!(
            search_terms("star wars in chronological order", &[]),
            "star wars"
        );
        assert_eq!(search_terms("law and order", &[]), "law order");
        assert_eq!(search_terms("a good movie for a first date", &[]), "");
        assert_eq!(search_terms("anything with Brad Pitt", &[]), "brad pitt");
        for nothing in [
            "what should I watch tonight",
            "surprise me",
            "I'm bored",
            "recommend me something",
        ] {
            assert_eq!(search_terms(nothing, &[]), "", "{nothing}");
        }
    }

    #[test]
    fn moods_and_occasions_are_not_searched() {
        assert_eq!(search_terms("a movie to cry to", &[]), "");
        assert_eq!(search_terms("something light for a rainy sunday", &[]), "");
        assert_eq!(search_terms("a cozy mystery in a village", &[]), "village");
    }

    #[test]
    fn negated_clauses_are_not_searched() {
        assert_eq!(
            search_terms("zombie movies but not vampires", &[]),
            "zombie"
        );
    }

    #[test]
    fn words_the_tags_serve_are_not_searched() {
        let tags = [
            "heist".to_owned(),
            "bank robbery".to_owned(),
            "robot".to_owned(),
        ];
        assert_eq!(search_terms("heist movies", &tags), "");
        assert_eq!(search_terms("heists in paris", &tags), "paris");
        assert_eq!(search_terms("robots in space", &tags), "space");
        assert_eq!(search_terms("robbery", &tags), "");
    }

    #[test]
    fn hyphens_split_and_possessives_drop() {
        assert_eq!(search_terms("coming-of-age films", &[]), "coming age");
        assert_eq!(search_terms("Miyazaki's films", &[]), "miyazaki");
    }

    #[test]
    fn fusion_rewards_titles_both_lists_found() {
        // 3 is second in both lists: it beats each list's own first.
        assert_eq!(fuse(&[1, 3, 4], &[2, 3]), vec![3, 1, 2, 4]);
    }

    #[test]
    fn fusion_of_one_list_keeps_its_order() {
        assert_eq!(fuse(&[5, 4, 3], &[]), vec![5, 4, 3]);
        assert_eq!(fuse(&[], &[7, 8]), vec![7, 8]);
    }
}
