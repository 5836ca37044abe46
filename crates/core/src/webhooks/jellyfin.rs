//! The Jellyfin webhook plugin's JSON (a "Generic" destination with "Send All Properties").
//!
//! - `PlaybackStop` with `PlayedToCompletion` → `watched`;
//! - `UserDataSaved` with `Played` after a finished playback or a "mark played" → `watched`;
//! - `UserDataSaved` with `Favorite` after a rating change (the favourite toggle) → `liked`.
//!
//! Films are found by `Provider_tmdb` / `Provider_imdb`, then title and year. An episode's
//! provider ids are the episode's own, so an episode is found as its series: `SeriesName` and
//! the series' `Year`.

use super::flexible::Flexible;
use super::{Delivery, MediaServerEvent};
use crate::import::table::parse_timestamp;
use crate::import::{ImportEvent, TitleRef};
use crate::item::MediaType;
use serde::Deserialize;

/// The fields of a Jellyfin webhook we read (it sends many more).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JellyfinPayload {
    /// `PlaybackStop`, `UserDataSaved`, `ItemAdded`, ...
    pub notification_type: Option<String>,
    /// `Movie`, `Episode`, `Series`, `Audio`, ...
    pub item_type: Option<String>,
    /// The item's name (an episode's own title).
    pub name: Option<String>,
    /// The series of an episode or season.
    pub series_name: Option<String>,
    /// Production year (the series' year for an episode).
    pub year: Option<Flexible>,
    /// TMDB id of the item.
    #[serde(rename = "Provider_tmdb")]
    pub provider_tmdb: Option<Flexible>,
    /// IMDb id of the item.
    #[serde(rename = "Provider_imdb")]
    pub provider_imdb: Option<String>,
    /// `PlaybackStop`: whether it played to the end.
    pub played_to_completion: Option<Flexible>,
    /// `UserDataSaved`: the played flag.
    pub played: Option<Flexible>,
    /// `UserDataSaved`: the favourite flag.
    pub favorite: Option<Flexible>,
    /// `UserDataSaved`: why it was saved (`PlaybackFinished`, `TogglePlayed`, `UpdateUserRating`).
    pub save_reason: Option<String>,
    /// The user (`UserDataSaved` and most events).
    pub notification_username: Option<String>,
    /// The user (`PlaybackStop`).
    pub username: Option<String>,
    /// When the server sent it.
    pub utc_timestamp: Option<String>,
}

/// What a Jellyfin delivery means for the viewer's history.
pub fn interpret(payload: &JellyfinPayload) -> Delivery {
    let kind = payload.notification_type.as_deref().unwrap_or_default();
    let flag = |f: &Option<Flexible>| f.as_ref().is_some_and(Flexible::as_bool);
    let reason = payload.save_reason.as_deref().unwrap_or_default();
    let event = match kind {
        "PlaybackStop" if flag(&payload.played_to_completion) => ImportEvent::Watched,
        "PlaybackStop" => return Delivery::ignored("playback stopped before the end"),
        "UserDataSaved" => match reason {
            "PlaybackFinished" | "TogglePlayed" if flag(&payload.played) => ImportEvent::Watched,
            "UpdateUserRating" if flag(&payload.favorite) => ImportEvent::Liked,
            "" if flag(&payload.favorite) => ImportEvent::Liked,
            "" if flag(&payload.played) => ImportEvent::Watched,
            _ => {
                return Delivery::ignored(format!(
                    "user data saved ({reason}) without a viewing or favourite"
                ));
            }
        },
        other => return Delivery::ignored(format!("notification type {other:?} is not a viewing")),
    };
    let year = payload.year.as_ref().and_then(Flexible::as_i32);
    let title = match payload.item_type.as_deref().unwrap_or_default() {
        "Movie" => TitleRef {
            title: payload.name.clone().unwrap_or_default(),
            original_title: None,
            year,
            media: Some(MediaType::Movie),
            imdb_id: payload
                .provider_imdb
                .clone()
                .filter(|s| !s.trim().is_empty()),
            tmdb_id: payload.provider_tmdb.as_ref().and_then(Flexible::as_i32),
        },
        "Series" => TitleRef {
            title: payload.name.clone().unwrap_or_default(),
            year,
            media: Some(MediaType::Tv),
            imdb_id: payload
                .provider_imdb
                .clone()
                .filter(|s| !s.trim().is_empty()),
            tmdb_id: payload.provider_tmdb.as_ref().and_then(Flexible::as_i32),
            ..TitleRef::default()
        },
        "Episode" | "Season" => TitleRef {
            title: payload.series_name.clone().unwrap_or_default(),
            year,
            media: Some(MediaType::Tv),
            ..TitleRef::default()
        },
        other => return Delivery::ignored(format!("item type {other:?} is not a film or series")),
    };
    Delivery::Event(MediaServerEvent {
        server_user: payload
            .notification_username
            .clone()
            .or_else(|| payload.username.clone()),
        title,
        event,
        rating: None,
        ts: payload.utc_timestamp.as_deref().and_then(parse_timestamp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(json: &str) -> JellyfinPayload {
        serde_json::from_str(json).expect("payload parses")
    }

    /// A movie played to the end, as "Send All Properties" writes it (abridged).
    pub(crate) const PLAYBACK_STOP: &str = r#"{
        "ServerId": "8a4f0e4b", "ServerName": "living-room", "ServerVersion": "10.9.7",
        "ServerUrl": "http://jellyfin.local:8096", "NotificationType": "PlaybackStop",
        "Timestamp": "2024-05-01T21:30:00.0000000+02:00", "UtcTimestamp": "2024-05-01T19:30:00.0000000Z",
        "Name": "Amélie", "Overview": "At a tiny Parisian café...", "Tagline": "",
        "ItemId": "3f8c1c1e9e6a4e0b9e0c1a2b3c4d5e6f", "ItemType": "Movie", "RunTimeTicks": 73200000000,
        "RunTime": "02:02:00", "Year": 2001, "PremiereDate": "2001-04-25",
        "Provider_tmdb": "194", "Provider_imdb": "tt0211915",
        "PlaybackPositionTicks": 73100000000, "PlaybackPosition": "02:01:50", "MediaSourceId": "3f8c",
        "IsPaused": false, "IsAutomated": false, "DeviceId": "abc", "DeviceName": "Firefox",
        "ClientName": "Jellyfin Web", "PlayedToCompletion": true,
        "Username": "marie", "UserId": "5d1f"
    }"#;

    #[test]
    fn a_film_played_to_completion_is_watched_with_its_ids() {
        let Delivery::Event(e) = interpret(&payload(PLAYBACK_STOP)) else {
            panic!("expected an event");
        };
        assert_eq!(e.event, ImportEvent::Watched);
        assert_eq!(e.title.tmdb_id, Some(194));
        assert_eq!(e.title.imdb_id.as_deref(), Some("tt0211915"));
        assert_eq!(e.title.media, Some(MediaType::Movie));
        assert_eq!(e.server_user.as_deref(), Some("marie"));
        assert_eq!(
            e.ts.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-05-01T19:30:00+00:00")
        );
    }

    #[test]
    fn a_playback_stopped_halfway_is_ignored() {
        let half = PLAYBACK_STOP.replace(
            r#""PlayedToCompletion": true"#,
            r#""PlayedToCompletion": false"#,
        );
        assert!(matches!(interpret(&payload(&half)), Delivery::Ignored(_)));
    }

    #[test]
    fn an_episode_is_found_as_its_series() {
        let json = r#"{"NotificationType": "UserDataSaved", "ItemType": "Episode",
            "Name": "Diversity Day", "SeriesName": "The Office", "Year": "2005",
            "Provider_tmdb": "62432", "Played": "True", "Favorite": false,
            "SaveReason": "PlaybackFinished", "NotificationUsername": "marie"}"#;
        let Delivery::Event(e) = interpret(&payload(json)) else {
            panic!("expected an event");
        };
        assert_eq!(e.title.title, "The Office");
        assert_eq!(e.title.year, Some(2005));
        assert_eq!(
            e.title.tmdb_id, None,
            "the episode's own id is not the series'"
        );
        assert_eq!(e.title.media, Some(MediaType::Tv));
    }

    #[test]
    fn a_favourite_is_liked_and_progress_saves_are_ignored() {
        let fav = r#"{"NotificationType": "UserDataSaved", "ItemType": "Movie", "Name": "Se7en",
            "Provider_tmdb": "807", "Favorite": true, "Played": true, "SaveReason": "UpdateUserRating"}"#;
        assert!(
            matches!(interpret(&payload(fav)), Delivery::Event(e) if e.event == ImportEvent::Liked)
        );
        let progress = fav.replace("UpdateUserRating", "PlaybackProgress");
        assert!(matches!(
            interpret(&payload(&progress)),
            Delivery::Ignored(_)
        ));
    }

    #[test]
    fn music_and_other_notifications_are_ignored() {
        let audio = PLAYBACK_STOP.replace(r#""ItemType": "Movie""#, r#""ItemType": "Audio""#);
        assert!(matches!(interpret(&payload(&audio)), Delivery::Ignored(_)));
        let added = r#"{"NotificationType": "ItemAdded", "ItemType": "Movie", "Name": "Se7en"}"#;
        assert!(matches!(interpret(&payload(added)), Delivery::Ignored(_)));
    }
}
