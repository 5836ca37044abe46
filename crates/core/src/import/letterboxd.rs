//! Letterboxd's export: `ratings.csv`, `diary.csv`, `watched.csv`, `likes/films.csv` and
//! `watchlist.csv` in a zip, or any one of them alone.
//!
//! Letterboxd writes no TMDB or IMDb ids, and a diary row's URI names the diary entry rather
//! than the film, so films are keyed by normalised name + year across the files. Each film
//! becomes one event: its rating's mapping when rated (`ratings.csv`, else the latest rated
//! diary entry), else `liked` when hearted, else `watched`; a heart never overrides a low
//! rating. Its time is the latest diary *Watched Date* (when it was seen), else the date the
//! rating, the watched mark or the heart was logged. Watchlisted films not yet seen become
//! `watchlist` events. The `deleted/` and `orphaned/` folders of the export are not read.

use super::archive::Upload;
use super::table::{CsvRow, CsvTable, RowBudget, parse_date, parse_year};
use super::title_match::normalise_title;
use super::{ExportRow, ImportError, ImportEvent, ParsedExport, Rating, TitleRef};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

const FORMAT: &str = "letterboxd";

/// The kinds of Letterboxd CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ratings,
    Diary,
    Watched,
    Likes,
    Watchlist,
}

impl Kind {
    /// The kind of a zip member, by its path; `None` for files we do not read.
    fn of_member(path: &str) -> Option<Kind> {
        match path.to_lowercase().as_str() {
            "ratings.csv" => Some(Kind::Ratings),
            "diary.csv" => Some(Kind::Diary),
            "watched.csv" => Some(Kind::Watched),
            "likes/films.csv" => Some(Kind::Likes),
            "watchlist.csv" => Some(Kind::Watchlist),
            _ => None,
        }
    }

    /// The kind of a single uploaded CSV: by its columns, then its name (`watched.csv`,
    /// `films.csv` and `watchlist.csv` share their columns).
    fn of_single(table: &CsvTable, name: &str) -> Kind {
        let name = name.to_lowercase();
        if table.has("Watched Date") {
            Kind::Diary
        } else if table.has("Rating") {
            Kind::Ratings
        } else if name.contains("watchlist") {
            Kind::Watchlist
        } else if name.contains("like") || name.ends_with("films.csv") {
            Kind::Likes
        } else {
            Kind::Watched
        }
    }
}

/// Everything the files say about one film.
#[derive(Debug, Default)]
struct Film {
    location: String,
    name: String,
    year: Option<i32>,
    rating: Option<(Rating, DateTime<Utc>)>,
    diary_rating: Option<(Rating, DateTime<Utc>)>,
    watched_on: Option<DateTime<Utc>>,
    logged: Option<DateTime<Utc>>,
    liked: bool,
    watchlisted: Option<DateTime<Utc>>,
}

impl Film {
    fn seen(&self) -> bool {
        self.rating.is_some()
            || self.diary_rating.is_some()
            || self.watched_on.is_some()
            || self.logged.is_some()
            || self.liked
    }

    fn events(&self) -> Vec<ExportRow> {
        let title = TitleRef {
            title: self.name.clone(),
            year: self.year,
            ..TitleRef::default()
        };
        if !self.seen() {
            return self
                .watchlisted
                .map(|ts| ExportRow {
                    location: self.location.clone(),
                    title,
                    event: ImportEvent::Watchlist,
                    ts,
                    rating: None,
                })
                .into_iter()
                .collect();
        }
        let rating = self.rating.or(self.diary_rating);
        let event = match rating.map(|(r, _)| r.event()) {
            Some(ImportEvent::Disliked) => ImportEvent::Disliked,
            _ if self.liked => ImportEvent::Liked,
            Some(event) => event,
            None => ImportEvent::Watched,
        };
        let ts = self
            .watched_on
            .or(self.logged)
            .or(rating.map(|(_, ts)| ts))
            .or(self.watchlisted)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        vec![ExportRow {
            location: self.location.clone(),
            title,
            event,
            ts,
            rating: rating.map(|(r, _)| r),
        }]
    }
}

/// Reads a Letterboxd zip's members (or one CSV) into rows.
pub fn parse(upload: &Upload, budget: &mut RowBudget) -> Result<ParsedExport, ImportError> {
    let files = &upload.files;
    let single = !upload.zipped
        && files
            .first()
            .is_some_and(|f| Kind::of_member(&f.name).is_none());
    let mut parsed = ParsedExport::default();
    let mut films: HashMap<String, Film> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for file in files {
        let kind = if single {
            None
        } else {
            match Kind::of_member(&file.name) {
                Some(kind) => Some(kind),
                None => continue,
            }
        };
        let mut table = CsvTable::open(file, FORMAT, &["Date", "Name", "Year"])?;
        let kind = kind.unwrap_or_else(|| Kind::of_single(&table, &file.name));
        let required: &[&str] = match kind {
            Kind::Ratings => &["Rating"],
            Kind::Diary => &["Rating", "Watched Date"],
            Kind::Watched | Kind::Likes | Kind::Watchlist => &[],
        };
        let missing: Vec<String> = required
            .iter()
            .filter(|c| !table.has(c))
            .map(|c| (*c).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                file: file.name.clone(),
                format: FORMAT,
                missing,
            });
        }
        parsed.files.push(file.name.clone());
        for row in table.rows(budget)? {
            read_row(&table, &row, kind, &mut films, &mut order, &mut parsed);
        }
    }
    if parsed.files.is_empty() {
        return Err(ImportError::WrongFormat {
            format: FORMAT,
            expected: "ratings.csv, diary.csv, watched.csv, likes/films.csv or watchlist.csv",
            found: files.iter().map(|f| f.name.clone()).collect(),
        });
    }
    parsed.rows_read = budget.used();
    parsed.rows = order.iter().flat_map(|key| films[key].events()).collect();
    Ok(parsed)
}

fn read_row(
    table: &CsvTable,
    row: &CsvRow,
    kind: Kind,
    films: &mut HashMap<String, Film>,
    order: &mut Vec<String>,
    parsed: &mut ParsedExport,
) {
    let Some(name) = table.get(row, "Name") else {
        *parsed.skipped.entry("no film name".into()).or_default() += 1;
        return;
    };
    let year = table.get(row, "Year").and_then(parse_year);
    let date = table.get(row, "Date").and_then(parse_date);
    let rating = table
        .get(row, "Rating")
        .and_then(|r| r.parse::<f64>().ok())
        .and_then(Rating::stars);
    let key = format!("{}|{}", normalise_title(name), year.unwrap_or_default());
    let film = films.entry(key.clone()).or_insert_with(|| {
        order.push(key);
        Film {
            location: row.location.clone(),
            name: name.to_owned(),
            year,
            ..Film::default()
        }
    });
    match kind {
        Kind::Ratings => {
            if let (Some(r), Some(d)) = (rating, date) {
                film.rating = Some((r, d));
            }
        }
        Kind::Diary => {
            let watched = table.get(row, "Watched Date").and_then(parse_date).or(date);
            if let Some(w) = watched {
                film.watched_on = film.watched_on.max(Some(w));
                if let Some(r) = rating
                    && film.diary_rating.is_none_or(|(_, at)| at <= w)
                {
                    film.diary_rating = Some((r, w));
                }
            }
        }
        // Marked watched or hearted: the earlier date is the closer guess of the viewing.
        Kind::Watched => film.logged = earlier(film.logged, date),
        Kind::Likes => {
            film.liked = true;
            film.logged = earlier(film.logged, date);
        }
        Kind::Watchlist => film.watchlisted = date.or(Some(DateTime::<Utc>::UNIX_EPOCH)),
    }
}

fn earlier(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
#[path = "letterboxd_tests.rs"]
mod tests;
