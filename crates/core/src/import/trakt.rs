//! Trakt's data export: a zip of JSON files (`watched-history-N.json`, `ratings-movies.json`,
//! `ratings-shows.json`, `watched-movies.json`, `watched-shows.json`, and watchlist files such
//! as `lists-watchlist.json`), or one of them alone.
//!
//! Records carry TMDB and IMDb ids, so titles are found by id first. A watched episode counts
//! as watching its show. Each title becomes one event: its rating's mapping when rated, else
//! `watched`, at its latest `watched_at` (the real viewing order), else when it was rated;
//! watchlisted titles not yet seen become `watchlist` events. Episode and season ratings are
//! skipped (the catalog rates shows).

use super::archive::Upload;
use super::table::{RowBudget, display_name, parse_timestamp, utf8};
use super::{ExportRow, ImportError, ImportEvent, ParsedExport, Rating, TitleRef};
use crate::item::MediaType;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;

const FORMAT: &str = "trakt";

/// The ids Trakt puts in every movie and show.
#[derive(Debug, Clone, Default, Deserialize)]
struct Ids {
    trakt: Option<i64>,
    imdb: Option<String>,
    tmdb: Option<i32>,
}

/// A movie or show as Trakt writes it.
#[derive(Debug, Clone, Default, Deserialize)]
struct Media {
    title: Option<String>,
    year: Option<i32>,
    #[serde(default)]
    ids: Ids,
}

/// Any record of the files we read; which timestamp it has says what it is.
#[derive(Debug, Clone, Default, Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    watched_at: Option<String>,
    last_watched_at: Option<String>,
    rated_at: Option<String>,
    listed_at: Option<String>,
    rating: Option<f64>,
    movie: Option<Media>,
    show: Option<Media>,
}

/// Whether a zip member is one of the files we read.
fn is_read(name: &str) -> bool {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    base.ends_with(".json")
        && (base.starts_with("watched-history")
            || matches!(
                base.as_str(),
                "ratings-movies.json"
                    | "ratings-shows.json"
                    | "watched-movies.json"
                    | "watched-shows.json"
            )
            || base.contains("watchlist"))
}

/// Everything the files say about one title.
#[derive(Debug, Default)]
struct Title {
    location: String,
    title: TitleRef,
    watched: Option<DateTime<Utc>>,
    rating: Option<(Rating, DateTime<Utc>)>,
    listed: Option<DateTime<Utc>>,
}

/// Reads a Trakt zip's JSON files (or one of them) into rows.
pub fn parse(upload: &Upload, budget: &mut RowBudget) -> Result<ParsedExport, ImportError> {
    let files = &upload.files;
    let single = !upload.zipped;
    let mut parsed = ParsedExport::default();
    let mut titles: HashMap<String, Title> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for file in files.iter().filter(|f| single || is_read(&f.name)) {
        let text = utf8(file)?;
        let entries: Vec<Entry> = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| ImportError::Malformed {
                file: display_name(file),
                message: format!("expected a Trakt JSON list: {e}"),
            })?;
        parsed.files.push(file.name.clone());
        for (i, entry) in entries.into_iter().enumerate() {
            budget.take()?;
            let location = format!("{}#{}", display_name(file), i + 1);
            if let Err(reason) = read_entry(entry, location, &mut titles, &mut order) {
                *parsed.skipped.entry(reason.into()).or_default() += 1;
            }
        }
    }
    if parsed.files.is_empty() {
        return Err(ImportError::WrongFormat {
            format: FORMAT,
            expected: "watched-history-N.json, ratings-movies.json, ratings-shows.json, watched-movies.json or watched-shows.json",
            found: files.iter().map(|f| f.name.clone()).collect(),
        });
    }
    parsed.rows_read = budget.used();
    parsed.rows = order
        .iter()
        .filter_map(|key| titles.remove(key))
        .filter_map(Title::into_row)
        .collect();
    Ok(parsed)
}

fn read_entry(
    entry: Entry,
    location: String,
    titles: &mut HashMap<String, Title>,
    order: &mut Vec<String>,
) -> Result<(), &'static str> {
    if matches!(entry.kind.as_deref(), Some("season")) && entry.rating.is_some() {
        return Err("season rating");
    }
    if matches!(entry.kind.as_deref(), Some("episode")) && entry.rating.is_some() {
        return Err("episode rating");
    }
    let (media, m) = match (&entry.movie, &entry.show) {
        (Some(m), _) => (MediaType::Movie, m),
        (None, Some(s)) => (MediaType::Tv, s),
        (None, None) => return Err("neither a movie nor a show"),
    };
    let key = match (m.ids.tmdb, &m.ids.imdb, m.ids.trakt) {
        (Some(tmdb), _, _) => format!("{media}:tmdb:{tmdb}"),
        (None, Some(imdb), _) => format!("{media}:imdb:{imdb}"),
        (None, None, Some(trakt)) => format!("{media}:trakt:{trakt}"),
        (None, None, None) => format!(
            "{media}:{}|{}",
            m.title.clone().unwrap_or_default(),
            m.year.unwrap_or_default()
        ),
    };
    let title = titles.entry(key.clone()).or_insert_with(|| {
        order.push(key);
        Title {
            location,
            title: TitleRef {
                title: m.title.clone().unwrap_or_default(),
                original_title: None,
                year: m.year,
                media: Some(media),
                imdb_id: m.ids.imdb.clone(),
                tmdb_id: m.ids.tmdb,
            },
            ..Title::default()
        }
    });
    let at = |raw: &Option<String>| raw.as_deref().and_then(parse_timestamp);
    if let Some(watched) = at(&entry.watched_at).or_else(|| at(&entry.last_watched_at)) {
        title.watched = title.watched.max(Some(watched));
    } else if let (Some(rating), Some(rated)) =
        (entry.rating.and_then(Rating::points), at(&entry.rated_at))
    {
        title.rating = Some((rating, rated));
    } else if let Some(listed) = at(&entry.listed_at) {
        title.listed = Some(listed);
    } else {
        return Err("no date");
    }
    Ok(())
}

impl Title {
    fn into_row(self) -> Option<ExportRow> {
        let seen = self.watched.is_some() || self.rating.is_some();
        let (event, ts) = if seen {
            let event = self.rating.map_or(ImportEvent::Watched, |(r, _)| r.event());
            let ts = self.watched.or(self.rating.map(|(_, at)| at))?;
            (event, ts)
        } else {
            (ImportEvent::Watchlist, self.listed?)
        };
        Some(ExportRow {
            location: self.location,
            title: self.title,
            event,
            ts,
            rating: self.rating.map(|(r, _)| r),
        })
    }
}

#[cfg(test)]
#[path = "trakt_tests.rs"]
mod tests;
