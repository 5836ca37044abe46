//! Live watches from a media server: the Jellyfin webhook plugin's JSON and Plex's webhook
//! payload, turned into one history event (or a reason to ignore the delivery).
//!
//! Media servers send far more than viewings (pauses, library scans, logins), so most
//! deliveries are ignored on purpose and answered 200: a 4xx would only fill the server's log.
//! An event's idempotency key uses the UTC day of the event, so a duplicated delivery, or the
//! `PlaybackStop` and `UserDataSaved` that Jellyfin sends for one viewing, records it once.

pub mod flexible;
pub mod jellyfin;
pub mod plex;
pub mod users;

use crate::import::plan::event_key;
use crate::import::{ImportEvent, Rating, TitleRef};
use crate::item::ItemId;
use chrono::{DateTime, Utc};

/// What a media server reported about one title.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaServerEvent {
    /// The server's user name (mapped to one of our users by [`users::UserMap`]).
    pub server_user: Option<String>,
    /// How to find the title (ids first, then title + year).
    pub title: TitleRef,
    /// What happened.
    pub event: ImportEvent,
    /// The rating behind a `liked`/`disliked`, when it came from one.
    pub rating: Option<Rating>,
    /// When it happened, if the payload says.
    pub ts: Option<DateTime<Utc>>,
}

/// A delivery either carries an event or is ignored for a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// A viewing, favourite or rating to record.
    Event(MediaServerEvent),
    /// Nothing to record, and why.
    Ignored(String),
}

impl Delivery {
    fn ignored(reason: impl Into<String>) -> Delivery {
        Delivery::Ignored(reason.into())
    }
}

/// The idempotency key of a media-server event: one per title, event and UTC day.
pub fn webhook_key(source: &str, item_id: ItemId, event: ImportEvent, at: DateTime<Utc>) -> String {
    let day = at
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists on every day. This is a bug.")
        .and_utc();
    event_key(source, item_id, event, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_deliveries_on_one_day_share_a_key_and_the_next_day_does_not() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("valid")
                .with_timezone(&Utc)
        };
        let morning = webhook_key("plex", 7, ImportEvent::Watched, at("2024-05-01T08:00:00Z"));
        let night = webhook_key("plex", 7, ImportEvent::Watched, at("2024-05-01T23:59:00Z"));
        let next = webhook_key("plex", 7, ImportEvent::Watched, at("2024-05-02T00:01:00Z"));
        assert_eq!(morning, night);
        assert_ne!(morning, next);
    }
}
