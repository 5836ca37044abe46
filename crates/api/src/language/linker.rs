//! The entity linker: TMDB `/search/multi` turns "more like Interstellar" or "films by Denis
//! Villeneuve" into TMDB ids and names.
//!
//! Unlike the original, which searched the raw query and only showed the result to the LLM
//! (§4.2), the entity phrase after "like", "by", "with", ... is searched when there is one,
//! and what is found steers retrieval: linked titles seed the query vector (and are left out
//! of the results), linked people are boosted.
//!
//! Results (failures too, as empty) are cached per query; concurrent misses for one query
//! share a single TMDB call (moka's `get_with`), and the client's rate limiter bounds the rest.

use super::settings::LinkerArgs;
use moka::future::Cache;
use regex::Regex;
use secrecy::ExposeSecret;
use seen_core::item::MediaType;
use seen_providers::tmdb::{LinkedEntities, TmdbClient, TmdbSettings, linked_from_search_response};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

impl Default for Linked {
    fn default() -> Self {
        Linked {
            searched: String::new(),
            marker: Marker::None,
            entities: LinkedEntities::default(),
            titles: Vec::new(),
            people: Vec::new(),
        }
    }
}

/// Linked titles and people kept per query.
const MAX_TITLES: usize = 3;
const MAX_PEOPLE: usize = 3;

/// What a query links to.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    /// The text that was searched.
    pub searched: String,
    /// What the query said the phrase is.
    pub marker: Marker,
    /// Ids by kind, for the intent prompt.
    pub entities: LinkedEntities,
    /// Linked titles, most relevant first.
    pub titles: Vec<LinkedTitle>,
    /// Linked people's names, most relevant first.
    pub people: Vec<String>,
}

/// One linked title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedTitle {
    pub media_type: MediaType,
    pub tmdb_id: i32,
    pub title: String,
}

/// TMDB search with a cache.
#[derive(Clone)]
pub struct EntityLinker {
    tmdb: TmdbClient,
    cache: Cache<String, Arc<Linked>>,
    timeout: Duration,
}

impl EntityLinker {
    /// `None` when no TMDB key is configured (linking is then off, as the original).
    pub fn from_args(args: &LinkerArgs) -> anyhow::Result<Option<Self>> {
        let Some(key) = args
            .tmdb_api_key
            .as_ref()
            .map(|k| k.expose_secret().trim())
            .filter(|k| !k.is_empty())
        else {
            return Ok(None);
        };
        let timeout = Duration::from_secs_f64(args.entity_link_timeout.clamp(0.2, 15.0));
        let mut settings = TmdbSettings::new(key);
        settings.base_url = args.tmdb_base_url.clone();
        settings.timeout = timeout;
        settings.requests_per_second = args.entity_link_rate.max(1);
        // Inside a request there is no time for a retry ladder: one retry at most.
        settings.retry.max_retries = 1;
        settings.retry.max_retry_after = Duration::from_secs(1);
        Ok(Some(EntityLinker {
            tmdb: settings.client()?,
            cache: Cache::builder()
                .max_capacity(1000)
                .time_to_live(Duration::from_secs(300))
                .build(),
            timeout,
        }))
    }

    /// Links `query`; any failure (timeout, 429, bad key) links nothing and is logged.
    pub async fn link(&self, query: &str) -> Arc<Linked> {
        let key = query.trim().to_owned();
        if key.is_empty() {
            return Arc::new(Linked::default());
        }
        self.cache
            .get_with(
                key.clone(),
                async move { Arc::new(self.search(&key).await) },
            )
            .await
    }

    async fn search(&self, query: &str) -> Linked {
        let (phrase, marker) = entity_phrase(query);
        let params = [("query", phrase)];
        let call = self.tmdb.get(&["search", "multi"], &params);
        // The client's own timeout covers one attempt; this bounds retries and the limiter wait.
        match tokio::time::timeout(self.timeout * 2, call).await {
            Ok(Ok((_, body))) => {
                super::record("entity_link", "ok");
                let linked = linked_from_body(phrase, marker, &body);
                tracing::info!(
                    query,
                    searched = phrase,
                    titles = linked.titles.len(),
                    people = linked.people.len(),
                    "entity linking"
                );
                linked
            }
            Ok(Err(e)) => {
                super::record("entity_link", "error");
                tracing::warn!(error.message = %e, query, "entity linking failed; continuing without linked entities");
                Linked::default()
            }
            Err(_) => {
                tracing::warn!(
                    query,
                    "entity linking timed out; continuing without linked entities"
                );
                Linked::default()
            }
        }
    }
}

/// What the words before the entity phrase say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    /// "more like X", "similar to X", "movies like X": X is a title to resemble.
    Similar,
    /// "films by X", "starring X", "with X": X is a person.
    People,
    /// No marker: the whole query was searched.
    None,
}

static SIMILAR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:more like|similar to|something like|anything like|stuff like|(?:movies?|films?|shows?|series) like)\s+(.+)$",
    )
    .ok()
});

static PEOPLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:directed by|starring|featuring|(?:films?|movies?|shows?) by|with)\s+(.+)$",
    )
    .ok()
});

/// The entity phrase of a query and what marks it: what follows "more like", "similar
/// to", ... (a title), or "by", "starring", "with" (a person, only when it is capitalised,
/// so "with a twist" is not searched); the whole query otherwise.
pub fn entity_phrase(query: &str) -> (&str, Marker) {
    let query = query.trim();
    let capture = |re: &LazyLock<Option<Regex>>| {
        re.as_ref()
            .and_then(|re| re.captures(query))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim().trim_end_matches(['?', '!', '.']))
            .filter(|p| !p.is_empty())
    };
    if let Some(phrase) = capture(&SIMILAR) {
        return (phrase, Marker::Similar);
    }
    if let Some(phrase) = capture(&PEOPLE).filter(|p| p.starts_with(char::is_uppercase)) {
        return (phrase, Marker::People);
    }
    (query, Marker::None)
}

/// The linked ids (via the providers' parser, all of them: they go into the intent prompt)
/// plus the titles and people that steer retrieval, relevance order kept. Titles steer only
/// after a similarity marker, people only after a people marker, and either when its name is
/// exactly what was searched: a descriptive query ("a scary movie") that happens to match a
/// title ("Scary Movie") steers nothing.
pub fn linked_from_body(searched: &str, marker: Marker, body: &Value) -> Linked {
    let exact = |name: &str| name.eq_ignore_ascii_case(searched.trim());
    let mut linked = Linked {
        searched: searched.to_owned(),
        marker,
        entities: linked_from_search_response(body),
        ..Linked::default()
    };
    let results = body.get("results").and_then(Value::as_array);
    for r in results.into_iter().flatten() {
        let name = r
            .get("title")
            .or_else(|| r.get("name"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let id = r
            .get("id")
            .and_then(Value::as_i64)
            .and_then(|i| i32::try_from(i).ok());
        let (Some(name), Some(id)) = (name, id) else {
            continue;
        };
        match r.get("media_type").and_then(Value::as_str) {
            Some("person")
                if linked.people.len() < MAX_PEOPLE
                    && (marker == Marker::People || exact(name)) =>
            {
                linked.people.push(name.into())
            }
            Some(kind @ ("movie" | "tv"))
                if linked.titles.len() < MAX_TITLES
                    && (marker == Marker::Similar || exact(name)) =>
            {
                if let Some(media_type) = MediaType::parse(kind) {
                    linked.titles.push(LinkedTitle {
                        media_type,
                        tmdb_id: id,
                        title: name.into(),
                    });
                }
            }
            _ => {}
        }
    }
    linked
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_phrase_after_a_marker_is_searched() {
        let cases = [
            ("more like Interstellar", "Interstellar", Marker::Similar),
            (
                "films by Denis Villeneuve",
                "Denis Villeneuve",
                Marker::People,
            ),
            ("dark thrillers similar to Se7en?", "Se7en", Marker::Similar),
            ("Interstellar", "Interstellar", Marker::None),
            ("  cozy mysteries ", "cozy mysteries", Marker::None),
            // Lower case after "with" is a description, not a name.
            (
                "a thriller with a twist",
                "a thriller with a twist",
                Marker::None,
            ),
            (
                "I would like a scary movie",
                "I would like a scary movie",
                Marker::None,
            ),
        ];
        for (query, phrase, marker) in cases {
            assert_eq!(entity_phrase(query), (phrase, marker), "{query}");
        }
    }

    #[test]
    fn a_descriptive_query_that_matches_a_title_steers_nothing() {
        let body =
            json!({"results": [{"id": 4247, "media_type": "movie", "title": "Scary Movie"}]});
        let linked = linked_from_body("a scary movie", Marker::None, &body);
        assert!(linked.titles.is_empty());
        assert_eq!(linked.entities.movie, vec![4247]);
        let typed = linked_from_body("scary movie", Marker::None, &body);
        assert_eq!(typed.titles.len(), 1, "a typed title steers");
    }

    #[test]
    fn titles_and_people_keep_tmdb_order_and_skip_other_kinds() {
        let body = json!({"results": [
            {"id": 157336, "media_type": "movie", "title": "Interstellar"},
            {"id": 137113, "media_type": "person", "name": "Denis Villeneuve"},
            {"id": 9, "media_type": "collection", "name": "Ignored"},
            {"id": 1399, "media_type": "tv", "name": "Game of Thrones"},
            {"id": 10, "media_type": "movie"}
        ]});
        let linked = linked_from_body("q", Marker::Similar, &body);
        assert!(
            linked.people.is_empty(),
            "people steer only after a people marker"
        );
        let by = linked_from_body("q", Marker::People, &body);
        assert_eq!(by.people, vec!["Denis Villeneuve"]);
        assert_eq!(
            linked.titles.iter().map(|t| t.tmdb_id).collect::<Vec<_>>(),
            vec![157336, 1399]
        );
        assert_eq!(linked.entities.movie, vec![157336, 10]);
    }
}
