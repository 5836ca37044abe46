//! Offline entity linking: "shows like Breaking Bad", "similar to Alien", "if I liked
//! Heat", "Wes Anderson-style" resolve the title phrase against the local catalog's titles,
//! without TMDB. The online linker (TMDB `/search/multi`) stays the first choice; this one
//! answers when no key is configured or TMDB found nothing.
//!
//! Matching is on normalised titles (see [`normalize_text`]): an exact title wins; otherwise
//! the closest title by normalised Levenshtein similarity (`strsim`, the crate clap uses)
//! above [`MIN_SIMILARITY`], so "breking bad" still finds the show but "friends" never
//! becomes "Just Friends". Ties (remakes, a film and a show with one name) go to the media
//! type the request names ("shows like ..."), then to the more popular title.

use std::sync::LazyLock;

use regex::Regex;

use super::legacy::normalize_text;
use crate::item::{ItemId, MediaType};

/// Below this similarity a phrase links to nothing.
pub const MIN_SIMILARITY: f64 = 0.85;

/// One catalog title as the linker sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleEntry {
    /// The catalog id.
    pub id: ItemId,
    /// Movie or show.
    pub media_type: MediaType,
    /// The display title.
    pub title: String,
    /// TMDB popularity (0 when unknown): the tie-break.
    pub popularity: f64,
}

/// Catalog titles with their normalised forms, built once per catalog copy.
#[derive(Debug, Default)]
pub struct TitleIndex {
    entries: Vec<(String, TitleEntry)>,
}

impl TitleIndex {
    /// Indexes `entries`; titles that normalise to nothing are left out.
    pub fn new(entries: impl IntoIterator<Item = TitleEntry>) -> Self {
        TitleIndex {
            entries: entries
                .into_iter()
                .map(|e| (normalize_text(&e.title), e))
                .filter(|(key, _)| !key.is_empty())
                .collect(),
        }
    }

    /// Number of indexed titles.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The other titles of `id`'s media type with its name (remakes, a show's two
    /// versions): "more like The Office" answers neither Office.
    pub fn namesakes(&self, id: ItemId) -> Vec<ItemId> {
        let Some((key, media)) = self
            .entries
            .iter()
            .find(|(_, e)| e.id == id)
            .map(|(key, e)| (key, e.media_type))
        else {
            return Vec::new();
        };
        self.entries
            .iter()
            .filter(|(k, e)| k == key && e.media_type == media && e.id != id)
            .map(|(_, e)| e.id)
            .collect()
    }

    /// The title `phrase` names, if any (see the module doc for the order).
    pub fn resolve(&self, phrase: &str, prefer: Option<MediaType>) -> Option<&TitleEntry> {
        let wanted = normalize_text(phrase);
        if wanted.is_empty() {
            return None;
        }
        let score = |key: &str| {
            if key == wanted {
                1.0
            } else {
                strsim::normalized_levenshtein(key, &wanted)
            }
        };
        self.entries
            .iter()
            .map(|(key, e)| (score(key), e))
            .filter(|(s, _)| *s >= MIN_SIMILARITY)
            .max_by(|(sa, a), (sb, b)| {
                sa.total_cmp(sb)
                    .then_with(|| {
                        (Some(a.media_type) == prefer).cmp(&(Some(b.media_type) == prefer))
                    })
                    .then_with(|| a.popularity.total_cmp(&b.popularity))
            })
            .map(|(_, e)| e)
    }
}

/// "more like X", "similar to X", "shows like X", "if I liked X", "X-style", ...
static SIMILAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:more like|similar to|something like|anything like|stuff like|(?:if )?i (?:really )?(?:liked|loved|enjoyed)|(?:movies?|films?|shows?|series|sitcoms?|dramas?|anime|cartoons?) like|like)\s+(?P<title>.+)$",
    )
    .expect("the similarity pattern is a valid regex")
});

static STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:something\s+|a\s+|an\s+)?(?P<title>.+?)[\s-]+(?:style|esque|vibes?)\b")
        .expect("the style pattern is a valid regex")
});

/// Where a title phrase ends: a comma, "but", "only", "with", "and something"...
static PHRASE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:[,;:!?(]|\s-\s|\bbut\b|\bonly\b|\bexcept\b|\bwithout\b|\bfrom the\b|\bin the\b|\bplease\b|\bwhat else\b|\bwhat next\b)")
        .expect("the phrase end pattern is a valid regex")
});

/// The title phrase of a request that asks for something like a title, and the media type
/// the request names ("shows like X" → TV, "movies like X" → movie), if any.
pub fn similar_title_phrase(query: &str) -> Option<(String, Option<MediaType>)> {
    let query = query.trim();
    let caps = SIMILAR.captures(query).or_else(|| STYLE.captures(query))?;
    let raw = caps.name("title")?.as_str();
    let end = PHRASE_END.find(raw).map_or(raw.len(), |m| m.start());
    let phrase = raw[..end]
        .trim()
        .trim_end_matches(['.', '\'', '"'])
        .trim_start_matches(['\'', '"'])
        .trim();
    if phrase.is_empty() {
        return None;
    }
    let before = normalize_text(
        &query[..caps.get(0).map_or(0, |m| m.start()) + caps.get(0).map_or(0, |m| m.len())
            - raw.len()],
    );
    let media = if ["show", "shows", "series", "sitcom", "sitcoms", "tv"]
        .iter()
        .any(|w| before.split(' ').any(|t| t == *w))
    {
        Some(MediaType::Tv)
    } else if ["movie", "movies", "film", "films"]
        .iter()
        .any(|w| before.split(' ').any(|t| t == *w))
    {
        Some(MediaType::Movie)
    } else {
        None
    };
    Some((phrase.to_owned(), media))
}

/// The catalog title a "like X" request names, with the media type to prefer for results:
/// the one the request names, else the linked title's own.
pub fn link_similar_title<'i>(index: &'i TitleIndex, query: &str) -> Option<&'i TitleEntry> {
    let (phrase, media) = similar_title_phrase(query)?;
    index.resolve(&phrase, media)
}

#[cfg(test)]
#[path = "title_link_tests.rs"]
mod tests;
