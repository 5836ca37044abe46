//! IMDb's CSV exports: ratings (`Const,Your Rating,Date Rated,Title,…`) in both header
//! versions, and the watchlist (`Position,Const,Created,…`).
//!
//! The current ratings header has `Original Title` and spells title types `Movie`, `TV
//! Series`; older files lack `Original Title` and write `movie`, `tvSeries`. Rows are found by
//! `Const` (the catalog's `imdb_id`), then by title and year. Episodes, games and podcasts are
//! skipped and counted: episodes because the catalog holds series, not their episodes.

use super::archive::ExportFile;
use super::table::{CsvRow, CsvTable, RowBudget, parse_date, parse_year};
use super::{ExportRow, ImportError, ImportEvent, ParsedExport, Rating, TitleRef};
use crate::item::MediaType;
use chrono::{DateTime, Utc};

const FORMAT: &str = "imdb";

/// Columns every ratings file has, old or new.
const RATINGS_COLUMNS: &[&str] = &[
    "Const",
    "Your Rating",
    "Date Rated",
    "Title",
    "Title Type",
    "Year",
];
/// Columns of the watchlist export.
const WATCHLIST_COLUMNS: &[&str] = &["Const", "Created", "Title", "Title Type", "Year"];

/// What an IMDb title type means for us.
enum TitleKind {
    Media(MediaType),
    Skip(&'static str),
}

/// Maps both spellings of IMDb's title types (`tvSeries` and `TV Series`).
fn title_kind(raw: &str) -> TitleKind {
    let squashed: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match squashed.as_str() {
        "tvseries" | "tvminiseries" => TitleKind::Media(MediaType::Tv),
        "tvepisode" => TitleKind::Skip("TV episode"),
        "videogame" => TitleKind::Skip("video game"),
        "podcastseries" | "podcastepisode" | "musicvideo" => {
            TitleKind::Skip("not a film or series")
        }
        // movie, tvMovie, tvSpecial, video, short (and anything new): films in TMDB terms.
        _ => TitleKind::Media(MediaType::Movie),
    }
}

/// Reads IMDb CSVs (the export is a single file; a zip of them works too).
pub fn parse(files: &[ExportFile], budget: &mut RowBudget) -> Result<ParsedExport, ImportError> {
    let mut parsed = ParsedExport::default();
    for file in files {
        let probe = CsvTable::open(file, FORMAT, &[])?;
        let watchlist = probe.has("Position") && probe.has("Created");
        let required = if watchlist {
            WATCHLIST_COLUMNS
        } else {
            RATINGS_COLUMNS
        };
        let mut table = CsvTable::open(file, FORMAT, required)?;
        parsed.files.push(file.name.clone());
        for row in table.rows(budget)? {
            match read_row(&table, &row, watchlist) {
                Ok(r) => parsed.rows.push(r),
                Err(reason) => *parsed.skipped.entry(reason.into()).or_default() += 1,
            }
        }
    }
    parsed.rows_read = budget.used();
    Ok(parsed)
}

fn read_row(table: &CsvTable, row: &CsvRow, watchlist: bool) -> Result<ExportRow, &'static str> {
    let media = match title_kind(table.get(row, "Title Type").unwrap_or_default()) {
        TitleKind::Media(m) => m,
        TitleKind::Skip(reason) => return Err(reason),
    };
    let title = table.get(row, "Title").ok_or("no title")?;
    let year = table
        .get(row, "Year")
        .and_then(parse_year)
        .or_else(|| table.get(row, "Release Date").and_then(parse_year));
    let title = TitleRef {
        title: title.to_owned(),
        original_title: table.get(row, "Original Title").map(str::to_owned),
        year,
        media: Some(media),
        imdb_id: table.get(row, "Const").map(str::to_owned),
        tmdb_id: None,
    };
    let ts = |column: &str| -> DateTime<Utc> {
        table
            .get(row, column)
            .and_then(parse_date)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    };
    if watchlist {
        return Ok(ExportRow {
            location: row.location.clone(),
            title,
            event: ImportEvent::Watchlist,
            ts: ts("Created"),
            rating: None,
        });
    }
    let rating = table
        .get(row, "Your Rating")
        .and_then(|r| r.parse::<f64>().ok())
        .and_then(Rating::points)
        .ok_or("no rating")?;
    Ok(ExportRow {
        location: row.location.clone(),
        title,
        event: rating.event(),
        ts: ts("Date Rated"),
        rating: Some(rating),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportFormat, ImportLimits};

    const CURRENT: &str = "\
Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors
tt0211915,9,2023-01-05,Amélie,Le fabuleux destin d'Amélie Poulain,https://www.imdb.com/title/tt0211915,Movie,8.3,122,2001,\"Comedy, Romance\",800000,2001-04-25,Jean-Pierre Jeunet
tt0114369,7,2023-01-06,Se7en,Se7en,https://www.imdb.com/title/tt0114369,Movie,8.6,127,1995,\"Crime, Drama, Mystery\",1800000,1995-09-22,David Fincher
tt0386676,8,2023-01-07,The Office,The Office,https://www.imdb.com/title/tt0386676,TV Series,9.0,22,2005–2013,Comedy,700000,2005-03-24,
tt0664521,10,2023-01-08,Dinner Party,Dinner Party,https://www.imdb.com/title/tt0664521,TV Episode,9.4,22,2008,Comedy,30000,2008-04-10,Paul Feig
tt0290978,3,2023-01-09,The Office,The Office,https://www.imdb.com/title/tt0290978,TV Mini Series,8.5,30,2001–2003,Comedy,100000,2001-07-09,
";

    const OLD: &str = "\
Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors
tt0110413,8,2019-06-01,Léon: The Professional,https://www.imdb.com/title/tt0110413/,movie,8.5,110,1994,\"Action, Crime, Drama\",1100000,1994-09-14,Luc Besson
tt0386676,6,2019-06-02,The Office,https://www.imdb.com/title/tt0386676/,tvSeries,8.9,22,2005,Comedy,600000,2005-03-24,
tt1124151,5,2019-06-03,Gossip Girl: Pilot,https://www.imdb.com/title/tt1124151/,tvEpisode,7.6,42,2007,Drama,3000,2007-09-19,Mark Piznarski
";

    fn parse_csv(text: &str) -> Result<ParsedExport, ImportError> {
        crate::import::parse(
            ImportFormat::Imdb,
            Some("ratings.csv"),
            text.as_bytes(),
            &ImportLimits::default(),
        )
    }

    #[test]
    fn the_current_header_is_read_with_original_titles_and_ranges() {
        let parsed = parse_csv(CURRENT).expect("parses");
        assert_eq!(parsed.rows_read, 5);
        assert_eq!(parsed.rows.len(), 4);
        assert_eq!(parsed.skipped.get("TV episode"), Some(&1));
        let amelie = &parsed.rows[0];
        assert_eq!(amelie.title.imdb_id.as_deref(), Some("tt0211915"));
        assert_eq!(
            amelie.title.original_title.as_deref(),
            Some("Le fabuleux destin d'Amélie Poulain")
        );
        assert_eq!(amelie.event, ImportEvent::Liked);
        assert_eq!(amelie.ts.to_rfc3339(), "2023-01-05T00:00:00+00:00");
        let office_us = &parsed.rows[2];
        assert_eq!(office_us.title.media, Some(MediaType::Tv));
        assert_eq!(office_us.title.year, Some(2005));
        let office_uk = &parsed.rows[3];
        assert_eq!(office_uk.title.media, Some(MediaType::Tv));
        assert_eq!(office_uk.event, ImportEvent::Disliked);
    }

    #[test]
    fn the_old_header_and_camel_case_types_are_read() {
        let parsed = parse_csv(OLD).expect("parses");
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.skipped.get("TV episode"), Some(&1));
        assert_eq!(parsed.rows[0].title.media, Some(MediaType::Movie));
        assert_eq!(parsed.rows[0].title.original_title, None);
        assert_eq!(parsed.rows[0].event, ImportEvent::Liked);
        assert_eq!(parsed.rows[1].title.media, Some(MediaType::Tv));
        assert_eq!(parsed.rows[1].event, ImportEvent::Watched);
    }

    #[test]
    fn the_watchlist_export_becomes_watchlist_events() {
        let text = "\
Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated
1,tt6751668,2023-03-01,2023-03-01,,Parasite,Gisaengchung,https://www.imdb.com/title/tt6751668,Movie,8.5,132,2019,Drama,900000,2019-05-30,Bong Joon Ho,,
";
        let parsed = parse_csv(text).expect("parses");
        assert_eq!(parsed.rows[0].event, ImportEvent::Watchlist);
        assert_eq!(parsed.rows[0].ts.to_rfc3339(), "2023-03-01T00:00:00+00:00");
    }

    #[test]
    fn a_letterboxd_csv_uploaded_as_imdb_is_refused_for_its_columns() {
        let err = parse_csv("Date,Name,Year,Letterboxd URI,Rating\n").unwrap_err();
        assert!(
            matches!(&err, ImportError::MissingColumns { missing, .. } if missing.contains(&"Const".to_owned())),
            "{err:?}"
        );
    }

    #[test]
    fn a_file_resaved_in_windows_1252_is_refused() {
        let mut bytes = CURRENT.as_bytes().to_vec();
        let at = bytes.iter().position(|b| *b == 0xC3).expect("an é");
        bytes.splice(at..at + 2, [0xE9]);
        let err = crate::import::parse(
            ImportFormat::Imdb,
            Some("ratings.csv"),
            &bytes,
            &ImportLimits::default(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ImportError::NotUtf8 {
                file: "ratings.csv".into(),
                line: 2
            }
        );
    }
}
