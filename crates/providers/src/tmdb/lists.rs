//! The three TMDB title lists the sync pages through, and one page of one list.

use seen_core::item::MediaType;
use serde::Deserialize;
use serde_json::Value;

/// A TMDB title list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListKind {
    /// `/{media}/popular`.
    Popular,
    /// `/{media}/top_rated`.
    TopRated,
    /// `/trending/{media}/day`.
    Trending,
}

impl ListKind {
    /// Every list, in the order the sync visits them.
    pub const ALL: [ListKind; 3] = [ListKind::Popular, ListKind::TopRated, ListKind::Trending];

    /// The list's name as TMDB and the `--list-weights` flag spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Popular => "popular",
            ListKind::TopRated => "top_rated",
            ListKind::Trending => "trending",
        }
    }

    /// Parses `popular`, `top_rated` (or `top-rated`) and `trending`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "popular" => Some(ListKind::Popular),
            "top_rated" => Some(ListKind::TopRated),
            "trending" => Some(ListKind::Trending),
            _ => None,
        }
    }

    /// Path segments under the base URL for `media`.
    pub fn path(self, media: MediaType) -> Vec<&'static str> {
        match self {
            ListKind::Popular | ListKind::TopRated => vec![media.as_str(), self.as_str()],
            ListKind::Trending => vec!["trending", media.as_str(), "day"],
        }
    }
}

impl std::fmt::Display for ListKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// The page number TMDB says it served.
    pub page: u32,
    /// How many pages the list has, when TMDB says.
    pub total_pages: Option<u32>,
    /// One entry per result, in order: the TMDB id, or `None` when the entry's id is missing
    /// or not an integer (the entry still takes its place in the ranking).
    pub ids: Vec<Option<i64>>,
}

impl ListPage {
    /// Reads a list response (`{"page", "results": [{"id", ...}], "total_pages", ...}`).
    pub(crate) fn from_json(body: &Value, requested_page: u32) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Raw {
            page: Option<u32>,
            total_pages: Option<u32>,
            results: Vec<Value>,
        }
        let raw = Raw::deserialize(body).map_err(|e| format!("not a TMDB list page: {e}"))?;
        Ok(ListPage {
            page: raw.page.unwrap_or(requested_page),
            total_pages: raw.total_pages,
            ids: raw
                .results
                .iter()
                .map(|entry| entry.get("id").and_then(parse_id))
                .collect(),
        })
    }
}

/// An integer TMDB id: a JSON integer, or a string of digits (as the original accepted).
pub(crate) fn parse_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trending_lives_under_its_own_prefix() {
        assert_eq!(
            ListKind::Trending.path(MediaType::Movie),
            ["trending", "movie", "day"]
        );
        assert_eq!(ListKind::TopRated.path(MediaType::Tv), ["tv", "top_rated"]);
    }

    #[test]
    fn list_names_parse_in_both_spellings() {
        assert_eq!(ListKind::parse("top-rated"), Some(ListKind::TopRated));
        assert_eq!(ListKind::parse(" Trending "), Some(ListKind::Trending));
        assert_eq!(ListKind::parse("now_playing"), None);
    }

    #[test]
    fn unusable_ids_keep_their_place_in_the_page() {
        let body = json!({"page": 2, "total_pages": 9, "results": [
            {"id": 5}, {"id": "17"}, {"id": null}, {"title": "no id"}, {"id": "abc"}, {"id": 1.5}
        ]});
        let page = ListPage::from_json(&body, 2).expect("valid page");
        assert_eq!(page.ids, vec![Some(5), Some(17), None, None, None, None]);
        assert_eq!((page.page, page.total_pages), (2, Some(9)));
    }

    #[test]
    fn a_body_without_results_is_malformed() {
        assert!(ListPage::from_json(&json!({"page": 1}), 1).is_err());
    }
}
