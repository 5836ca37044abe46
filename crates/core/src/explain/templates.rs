//! The operator-editable explanation templates (`config/explanation_templates.json`): two
//! groups, each key falling back to its default on its own.

use serde_json::Value;

/// Why a templates file could not be used (the caller logs it and keeps the defaults).
#[derive(Debug, thiserror::Error)]
pub enum TemplatesError {
    #[error("explanation templates are not valid JSON: {0}")]
    /// The file is not JSON.
    InvalidJson(#[from] serde_json::Error),
    #[error("explanation templates must be a JSON object")]
    /// The file is JSON but not an object.
    NotAnObject,
}

/// The `narrative` group.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeTemplates {
    /// Matched genres (`{genres}`).
    pub genre_match: String,
    /// Requested media type (`{media_type}`).
    pub media_type: String,
    /// Runtime within the window (`{runtime}`).
    pub runtime_match: String,
    /// Echo of the query (`{query}`).
    pub query_fallback: String,
    /// When nothing else applies (not formatted).
    pub fallback: String,
    /// The closest title of the viewer's history (`{title}`); our addition.
    pub because_you_watched: String,
    /// The liked title of the viewer's history behind the pick (`{title}`); our addition.
    pub because_you_liked: String,
}

/// The `heuristic` group.
#[derive(Debug, Clone, PartialEq)]
pub struct HeuristicTemplates {
    /// Trending rank ≤ 20 (`{rank}`).
    pub trending: String,
    /// Popular rank ≤ 20 (`{rank}`).
    pub popular: String,
    /// Well rated (`{vote_average}`, `{vote_count}`, `{votes}`).
    pub votes: String,
    /// Recent release (`{year}`).
    pub recent: String,
    /// Very popular, no other reason (not formatted).
    pub fallback: String,
}

/// Both template groups; every key falls back to its default on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Templates {
    /// Why the title fits the request.
    pub narrative: NarrativeTemplates,
    /// Catalog-signal reasons.
    pub heuristic: HeuristicTemplates,
}

impl Default for Templates {
    fn default() -> Self {
        let s = str::to_owned;
        Templates {
            narrative: NarrativeTemplates {
                genre_match: s("Dialed into your {genres} vibe."),
                media_type: s("It's a {media_type} pick like you asked for."),
                runtime_match: s("Runs about {runtime} minutes, matching your runtime window."),
                query_fallback: s("Aligns with \"{query}\"."),
                fallback: s("Popular with viewers who share your taste."),
                because_you_watched: s("Because you watched {title}."),
                because_you_liked: s("Because you liked {title}."),
            },
            heuristic: HeuristicTemplates {
                trending: s("Trending now (#{rank})."),
                popular: s("Top popular pick (#{rank})."),
                votes: s("Rated {vote_average:.1f}/10 by {vote_count} fans."),
                recent: s("Fresh release from {year}."),
                fallback: s("Popular with viewers who share your taste."),
            },
        }
    }
}

impl Templates {
    /// Parses a templates file; only a non-object or invalid JSON is an error. Missing,
    /// empty or non-string keys (and non-object groups) keep their defaults.
    pub fn try_from_json(text: &str) -> Result<Self, TemplatesError> {
        Self::from_value(&serde_json::from_str(text)?)
    }

    /// Like [`Self::try_from_json`], but any error gives the defaults.
    pub fn from_json(text: &str) -> Self {
        Self::try_from_json(text).unwrap_or_default()
    }

    /// Builds templates from parsed JSON.
    pub fn from_value(value: &Value) -> Result<Self, TemplatesError> {
        let root = value.as_object().ok_or(TemplatesError::NotAnObject)?;
        let mut t = Templates::default();
        let pick = |group: &str, key: &str, slot: &mut String| {
            if let Some(text) = root
                .get(group)
                .and_then(|g| g.get(key))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                *slot = text.to_owned();
            }
        };
        let n = &mut t.narrative;
        pick("narrative", "genre_match", &mut n.genre_match);
        pick("narrative", "media_type", &mut n.media_type);
        pick("narrative", "runtime_match", &mut n.runtime_match);
        pick("narrative", "query_fallback", &mut n.query_fallback);
        pick("narrative", "fallback", &mut n.fallback);
        pick(
            "narrative",
            "because_you_watched",
            &mut n.because_you_watched,
        );
        pick("narrative", "because_you_liked", &mut n.because_you_liked);
        let h = &mut t.heuristic;
        pick("heuristic", "trending", &mut h.trending);
        pick("heuristic", "popular", &mut h.popular);
        pick("heuristic", "votes", &mut h.votes);
        pick("heuristic", "recent", &mut h.recent);
        pick("heuristic", "fallback", &mut h.fallback);
        Ok(t)
    }
}
