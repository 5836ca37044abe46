//! From matched rows to the events an import writes, each with the key that makes writing it
//! twice a no-op, and the list of rows that matched nothing.
//!
//! An event's key is `source:item:event:unix-seconds`: the same export imported again (or a
//! newer export that still holds the same viewing) yields the same keys, which the store's
//! unique index on `(user_id, import_key)` turns into "already present". A new viewing or a
//! changed rating has a new time or event, so it is added.

use super::title_match::TitleIndex;
use super::{ExportRow, ImportEvent, ParsedExport, Rating};
use crate::item::ItemId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// One event to write.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedEvent {
    /// The catalog title.
    pub item_id: ItemId,
    /// What happened.
    pub event: ImportEvent,
    /// When.
    pub ts: DateTime<Utc>,
    /// The viewer's rating, kept in the event's meta.
    pub rating: Option<Rating>,
    /// Where in the export it came from.
    pub location: String,
    /// The idempotency key (see the module doc).
    pub key: String,
}

/// A row that matched no catalog title, for the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmatchedRow {
    /// `file:line` (CSV) or `file#entry` (JSON).
    pub row: String,
    /// The title as the export wrote it.
    pub title: String,
    /// Its year, when the export gave one.
    pub year: Option<i32>,
    /// Why it did not match.
    pub reason: String,
}

/// The events to write and the rows left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPlan {
    /// Rows that found their title.
    pub matched: usize,
    /// Events to write, oldest first (ties keep the export's order).
    pub events: Vec<PlannedEvent>,
    /// Rows without a title.
    pub unmatched: Vec<UnmatchedRow>,
}

/// The idempotency key of an event from `source` (`letterboxd`, `jellyfin`, ...).
pub fn event_key(source: &str, item_id: ItemId, event: ImportEvent, ts: DateTime<Utc>) -> String {
    format!("{source}:{item_id}:{}:{}", event.as_str(), ts.timestamp())
}

/// Matches every row of `parsed` against `index` and plans its events.
pub fn plan(source: &str, parsed: &ParsedExport, index: &TitleIndex) -> ImportPlan {
    let mut out = ImportPlan::default();
    let mut keys = HashSet::new();
    for row in &parsed.rows {
        match index.find(&row.title) {
            Ok(item_id) => {
                out.matched += 1;
                let key = event_key(source, item_id, row.event, row.ts);
                // Two rows naming one title (a film listed twice) write it once.
                if keys.insert(key.clone()) {
                    out.events.push(planned(row, item_id, key));
                }
            }
            Err(no_match) => out.unmatched.push(UnmatchedRow {
                row: row.location.clone(),
                title: row.title.title.clone(),
                year: row.title.year,
                reason: no_match.reason(),
            }),
        }
    }
    out.events.sort_by_key(|e| e.ts);
    out
}

fn planned(row: &ExportRow, item_id: ItemId, key: String) -> PlannedEvent {
    PlannedEvent {
        item_id,
        event: row.event,
        ts: row.ts,
        rating: row.rating,
        location: row.location.clone(),
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::TitleRef;
    use crate::import::title_match::CatalogTitle;
    use crate::item::MediaType;

    fn index() -> TitleIndex {
        let t = |id, name: &str, year| CatalogTitle {
            id,
            tmdb_id: id,
            media: MediaType::Movie,
            title: name.into(),
            original_title: None,
            year: Some(year),
            imdb_id: None,
        };
        TitleIndex::new(vec![
            t(1, "Amélie", 2001),
            t(2, "Psycho", 1960),
            t(3, "Psycho", 1998),
        ])
    }

    fn row(name: &str, year: Option<i32>, day: u32) -> ExportRow {
        ExportRow {
            location: format!("ratings.csv:{day}"),
            title: TitleRef {
                title: name.into(),
                year,
                ..TitleRef::default()
            },
            event: ImportEvent::Watched,
            ts: DateTime::parse_from_rfc3339(&format!("2023-01-{day:02}T00:00:00Z"))
                .expect("valid")
                .with_timezone(&Utc),
            rating: None,
        }
    }

    #[test]
    fn matched_rows_become_keyed_events_oldest_first_and_the_rest_are_listed() {
        let parsed = ParsedExport {
            rows: vec![
                row("Amélie", Some(2001), 9),
                row("Psycho", None, 3),
                row("Psycho", Some(1960), 2),
                row("Nope", Some(2022), 1),
            ],
            ..ParsedExport::default()
        };
        let plan = plan("letterboxd", &parsed, &index());
        assert_eq!(plan.matched, 2);
        let keys: Vec<&str> = plan.events.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "letterboxd:2:watched:1672617600",
                "letterboxd:1:watched:1673222400"
            ]
        );
        let reasons: Vec<(&str, &str)> = plan
            .unmatched
            .iter()
            .map(|u| (u.title.as_str(), u.reason.as_str()))
            .collect();
        assert_eq!(reasons[1], ("Nope", "not in the catalog"));
        assert!(
            reasons[0].1.starts_with("ambiguous: Psycho (1960"),
            "{reasons:?}"
        );
    }

    #[test]
    fn the_same_event_listed_twice_is_planned_once() {
        let parsed = ParsedExport {
            rows: vec![row("Amélie", Some(2001), 9), row("Amelie", Some(2001), 9)],
            ..ParsedExport::default()
        };
        let plan = plan("imdb", &parsed, &index());
        assert_eq!((plan.matched, plan.events.len()), (2, 1));
    }
}
