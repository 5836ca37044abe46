//! Plex's webhook payload (the JSON `payload` part of its multipart POST).
//!
//! - `media.scrobble` (played past 90 %) → `watched`;
//! - `media.rate` → the rating mapping (`userRating` is out of 10: five stars count double);
//!   removing a rating is ignored.
//!
//! Films and shows are found by the `Guid` list (`imdb://…`, `tmdb://…`, new agents) or the
//! legacy `guid` (`com.plexapp.agents.imdb://tt…?lang=en`), then title and year. An episode is
//! found as its show (`grandparentTitle`); Plex sends no show year with an episode.

use super::{Delivery, MediaServerEvent};
use crate::import::{ImportEvent, Rating, TitleRef};
use crate::item::MediaType;
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The fields of a Plex webhook we read.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlexPayload {
    /// `media.play`, `media.scrobble`, `media.rate`, `library.new`, ...
    pub event: Option<String>,
    /// The Plex account that acted.
    #[serde(rename = "Account")]
    pub account: Option<PlexAccount>,
    /// The item.
    #[serde(rename = "Metadata")]
    pub metadata: Option<PlexMetadata>,
}

/// The Plex account of a webhook.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlexAccount {
    /// The account's name.
    pub title: Option<String>,
}

/// The item of a Plex webhook.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlexMetadata {
    /// `movie`, `episode`, `show`, `track`, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The item's title (an episode's own).
    pub title: Option<String>,
    /// Release year.
    pub year: Option<i32>,
    /// An episode's show.
    pub grandparent_title: Option<String>,
    /// Legacy agent id, e.g. `com.plexapp.agents.imdb://tt0114369?lang=en`.
    pub guid: Option<String>,
    /// New agents' external ids.
    #[serde(rename = "Guid", default)]
    pub guids: Vec<PlexGuid>,
    /// The user's rating out of 10.
    pub user_rating: Option<f64>,
    /// Unix seconds of the last viewing.
    pub last_viewed_at: Option<i64>,
    /// Unix seconds of the last rating.
    pub last_rated_at: Option<i64>,
}

/// One external id of a Plex item.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlexGuid {
    /// `imdb://tt…`, `tmdb://…`, `tvdb://…`.
    pub id: String,
}

/// What a Plex delivery means for the viewer's history.
pub fn interpret(payload: &PlexPayload) -> Delivery {
    let event_name = payload.event.as_deref().unwrap_or_default();
    let Some(meta) = &payload.metadata else {
        return Delivery::ignored(format!("{event_name:?} has no Metadata"));
    };
    let kind = meta.kind.as_deref().unwrap_or_default();
    let (event, rating, at) = match event_name {
        "media.scrobble" => (ImportEvent::Watched, None, meta.last_viewed_at),
        "media.rate" if kind == "episode" => {
            return Delivery::ignored("episode ratings are not kept");
        }
        "media.rate" => match meta.user_rating.and_then(Rating::points) {
            Some(r) => (r.event(), Some(r), meta.last_rated_at),
            None => return Delivery::ignored("the rating was removed"),
        },
        other => return Delivery::ignored(format!("event {other:?} is not a viewing or rating")),
    };
    let (imdb_id, tmdb_id) = external_ids(meta);
    let title = match kind {
        "movie" => TitleRef {
            title: meta.title.clone().unwrap_or_default(),
            year: meta.year,
            media: Some(MediaType::Movie),
            imdb_id,
            tmdb_id,
            original_title: None,
        },
        "show" => TitleRef {
            title: meta.title.clone().unwrap_or_default(),
            year: meta.year,
            media: Some(MediaType::Tv),
            imdb_id,
            tmdb_id,
            original_title: None,
        },
        "episode" => TitleRef {
            title: meta.grandparent_title.clone().unwrap_or_default(),
            media: Some(MediaType::Tv),
            ..TitleRef::default()
        },
        other => return Delivery::ignored(format!("item type {other:?} is not a film or series")),
    };
    Delivery::Event(MediaServerEvent {
        server_user: payload.account.as_ref().and_then(|a| a.title.clone()),
        title,
        event,
        rating,
        ts: at.and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0)),
    })
}

/// IMDb and TMDB ids from the new `Guid` list or the legacy `guid`.
fn external_ids(meta: &PlexMetadata) -> (Option<String>, Option<i32>) {
    let mut imdb = None;
    let mut tmdb = None;
    let all = meta
        .guids
        .iter()
        .map(|g| g.id.as_str())
        .chain(meta.guid.as_deref());
    for guid in all {
        let Some((scheme, rest)) = guid.split_once("://") else {
            continue;
        };
        let value = rest.split(['?', '/']).next().unwrap_or_default();
        match scheme.rsplit('.').next().unwrap_or_default() {
            "imdb" if value.starts_with("tt") => imdb = imdb.or(Some(value.to_owned())),
            "tmdb" | "themoviedb" => tmdb = tmdb.or(value.parse().ok()),
            _ => {}
        }
    }
    (imdb, tmdb)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scrobble from a new-agent library, as Plex sends it (abridged).
    const SCROBBLE: &str = r#"{
        "event": "media.scrobble", "user": true, "owner": true,
        "Account": {"id": 1, "thumb": "https://plex.tv/users/1/avatar", "title": "marie"},
        "Server": {"title": "living-room", "uuid": "54664a3d8acc39983675640ec9ce00b70af9cc36"},
        "Player": {"local": true, "publicAddress": "200.200.200.200", "title": "Plex Web (Firefox)", "uuid": "r6yfkdnfggbh2bdnvkffwbms"},
        "Metadata": {"librarySectionType": "movie", "ratingKey": "1936", "key": "/library/metadata/1936",
            "guid": "plex://movie/5d776830880197001ec90b58", "studio": "Cecchi Gori", "type": "movie",
            "title": "Se7en", "year": 1995, "lastViewedAt": 1714591800,
            "Guid": [{"id": "imdb://tt0114369"}, {"id": "tmdb://807"}, {"id": "tvdb://1234"}]}
    }"#;

    fn payload(json: &str) -> PlexPayload {
        serde_json::from_str(json).expect("payload parses")
    }

    #[test]
    fn a_scrobble_is_watched_with_the_new_agent_ids() {
        let Delivery::Event(e) = interpret(&payload(SCROBBLE)) else {
            panic!("expected an event");
        };
        assert_eq!(e.event, ImportEvent::Watched);
        assert_eq!(e.title.imdb_id.as_deref(), Some("tt0114369"));
        assert_eq!(e.title.tmdb_id, Some(807));
        assert_eq!(e.server_user.as_deref(), Some("marie"));
        assert_eq!(e.ts.map(|t| t.timestamp()), Some(1_714_591_800));
    }

    #[test]
    fn legacy_agent_guids_are_read() {
        let legacy = r#"{"event": "media.scrobble", "Metadata": {"type": "movie", "title": "Amélie",
            "year": 2001, "guid": "com.plexapp.agents.themoviedb://194?lang=en"}}"#;
        let Delivery::Event(e) = interpret(&payload(legacy)) else {
            panic!("expected an event");
        };
        assert_eq!(e.title.tmdb_id, Some(194));
        let imdb = legacy.replace("themoviedb://194", "imdb://tt0211915");
        let Delivery::Event(e) = interpret(&payload(&imdb)) else {
            panic!("expected an event");
        };
        assert_eq!(e.title.imdb_id.as_deref(), Some("tt0211915"));
    }

    #[test]
    fn ratings_follow_the_shared_mapping() {
        let rate = |r: &str| {
            let json = SCROBBLE.replace("media.scrobble", "media.rate").replace(
                r#""year": 1995,"#,
                &format!(r#""year": 1995, "userRating": {r},"#),
            );
            interpret(&payload(&json))
        };
        assert!(matches!(rate("10.0"), Delivery::Event(e) if e.event == ImportEvent::Liked));
        assert!(matches!(rate("6.0"), Delivery::Event(e) if e.event == ImportEvent::Watched));
        assert!(matches!(rate("2.0"), Delivery::Event(e) if e.event == ImportEvent::Disliked));
        assert!(matches!(rate("-1.0"), Delivery::Ignored(_)));
    }

    #[test]
    fn an_episode_is_found_as_its_show() {
        let json = r#"{"event": "media.scrobble", "Account": {"title": "marie"},
            "Metadata": {"type": "episode", "title": "Diversity Day", "grandparentTitle": "The Office",
            "parentIndex": 1, "index": 2, "year": 2005, "Guid": [{"id": "imdb://tt0664514"}]}}"#;
        let Delivery::Event(e) = interpret(&payload(json)) else {
            panic!("expected an event");
        };
        assert_eq!(e.title.title, "The Office");
        assert_eq!(e.title.imdb_id, None, "the episode's id is not the show's");
        assert_eq!(e.title.year, None);
    }

    #[test]
    fn plays_pauses_and_music_are_ignored() {
        let play = SCROBBLE.replace("media.scrobble", "media.play");
        assert!(matches!(interpret(&payload(&play)), Delivery::Ignored(_)));
        let track = SCROBBLE.replace(r#""type": "movie""#, r#""type": "track""#);
        assert!(matches!(interpret(&payload(&track)), Delivery::Ignored(_)));
    }
}
