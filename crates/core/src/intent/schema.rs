//! The intent JSON schema (the LLM's 13 optional fields, plus the genres the vocabulary
//! requires together and the keywords it tags), as the LLM and the offline stub fill it.

use serde::{Deserialize, Serialize};

/// A parsed natural-language request. Every field is optional; `None` means "no signal".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LlmIntent {
    /// Genres to include (catalog names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_genres: Option<Vec<String>>,
    /// Genres to leave out ("no gore" → Horror, Thriller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_genres: Option<Vec<String>>,
    /// Shortest runtime wanted, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_minutes_min: Option<i32>,
    /// Longest runtime wanted, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_minutes_max: Option<i32>,
    /// ISO-639-1 original-language codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// Earliest release year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_min: Option<i32>,
    /// Latest release year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_max: Option<i32>,
    /// Strictest certification allowed (`PG-13`, `TV-14`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity_rating_max: Option<String>,
    /// Genres that lift a title without filtering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost_genres: Option<Vec<String>>,
    /// `movie` and/or `tv`, as the LLM spelled them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_types: Option<Vec<String>>,
    /// Actors or directors the user asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_people: Option<Vec<String>>,
    /// Preferred services (`netflix`, `max`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streaming_providers: Option<Vec<String>>,
    /// One evocative sentence to embed for retrieval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ann_description: Option<String>,
    /// Genres a title must have all of ("rom-com" is Romance *and* Comedy). Not asked of
    /// the LLM: the vocabulary rules set it for compound terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_genres: Option<Vec<String>>,
    /// TMDB keywords that say what the request is about ("heist movies" → heist, bank
    /// robbery, caper). Not asked of the LLM: the vocabulary rules set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// TMDB keywords of titles to leave out: a negated topic ("zombie movies but not
    /// vampires" → vampire). Not asked of the LLM: the vocabulary rules set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_tags: Option<Vec<String>>,
}
