//! Bringing history from elsewhere: Letterboxd, IMDb and Trakt exports, parsed and matched to
//! catalog titles without I/O (the caller hands over the file's bytes and the catalog's titles).
//!
//! The flow is parse → match → plan:
//! 1. [`parse`] reads one export (a zip or a single file) into [`ExportRow`]s, one per title
//!    and signal, each carrying what identifies the title (ids, title, year) and when it
//!    happened; rows it skips on purpose (TV episodes, games) are counted by reason;
//! 2. [`title_match::TitleIndex`] finds each row's catalog title: by TMDB id, then IMDb id,
//!    then normalised title + year (± 1), never guessing between several;
//! 3. [`plan::plan`] turns the matched rows into events, each with an idempotency key, and
//!    lists the unmatched rows with their reason.
//!
//! Limits ([`ImportLimits`]) are checked while reading, so an oversized file, a zip bomb or an
//! export with too many rows is refused before anything reaches the database.

pub mod archive;
pub mod error;
pub mod imdb;
pub mod letterboxd;
pub mod plan;
pub mod rating;
pub mod table;
pub mod title_match;
pub mod trakt;

pub use error::ImportError;
pub use rating::{ImportEvent, Rating};

use crate::item::MediaType;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The export formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// Letterboxd's data export: a zip of CSVs, or one of them.
    Letterboxd,
    /// IMDb's ratings (or watchlist) CSV.
    Imdb,
    /// Trakt's data export: a zip of JSON files, or one of them.
    Trakt,
}

impl ImportFormat {
    /// Every format, in the order the docs list them.
    pub const ALL: [ImportFormat; 3] = [
        ImportFormat::Letterboxd,
        ImportFormat::Imdb,
        ImportFormat::Trakt,
    ];

    /// `letterboxd`, `imdb` or `trakt` (any case, surrounding blanks ignored).
    pub fn parse(raw: &str) -> Option<ImportFormat> {
        let raw = raw.trim();
        ImportFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(raw))
    }

    /// The lower-case name used in requests, keys and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFormat::Letterboxd => "letterboxd",
            ImportFormat::Imdb => "imdb",
            ImportFormat::Trakt => "trakt",
        }
    }
}

impl std::fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much one import may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Bytes of the uploaded file itself.
    pub max_file_bytes: usize,
    /// Bytes of all files unpacked from a zip together (the zip-bomb guard).
    pub max_unpacked_bytes: u64,
    /// Records (CSV lines, JSON entries) read across every file of the export.
    pub max_rows: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_file_bytes: 20 * 1024 * 1024,
            max_unpacked_bytes: 100 * 1024 * 1024,
            max_rows: 100_000,
        }
    }
}

/// What an export says identifies a title. Any field may be missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TitleRef {
    /// The title as the export writes it.
    pub title: String,
    /// The original-language title, when the export has one (IMDb).
    pub original_title: Option<String>,
    /// Release year (the first year of a series).
    pub year: Option<i32>,
    /// Movie or TV when the export says; `None` tries films first, then series.
    pub media: Option<MediaType>,
    /// `tt…` IMDb id.
    pub imdb_id: Option<String>,
    /// TMDB id (a movie or TV id, per `media`).
    pub tmdb_id: Option<i32>,
}

/// One title and what the viewer did with it, as read from an export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// Where it came from, e.g. `ratings.csv:12`, for the unmatched list.
    pub location: String,
    /// How to find the title.
    pub title: TitleRef,
    /// The signal.
    pub event: ImportEvent,
    /// When it happened (the watch, else the rating, else when it was logged).
    pub ts: DateTime<Utc>,
    /// The viewer's rating, when there is one.
    pub rating: Option<Rating>,
}

/// An export read into rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedExport {
    /// Records read (CSV lines without the header, JSON entries), across every file.
    pub rows_read: usize,
    /// One row per title and signal.
    pub rows: Vec<ExportRow>,
    /// Records left out on purpose, counted by reason (e.g. "TV episode").
    pub skipped: BTreeMap<String, usize>,
    /// The export's files that were read, e.g. `ratings.csv`.
    pub files: Vec<String>,
}

/// Parses one export file. `file_name` (the upload's name) tells single Letterboxd CSVs apart
/// (`watchlist.csv` has the same columns as `watched.csv`) and whether a file is a zip is told
/// by its content, not its name.
pub fn parse(
    format: ImportFormat,
    file_name: Option<&str>,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<ParsedExport, ImportError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            limit: limits.max_file_bytes as u64,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let zipped = archive::is_zip(bytes);
    let files = if zipped {
        archive::unpack(bytes, limits)?
    } else {
        vec![archive::ExportFile {
            name: file_name.unwrap_or_default().to_owned(),
            bytes: bytes.to_vec(),
        }]
    };
    let upload = archive::Upload { files, zipped };
    let mut budget = table::RowBudget::new(limits.max_rows);
    match format {
        ImportFormat::Letterboxd => letterboxd::parse(&upload, &mut budget),
        ImportFormat::Imdb => imdb::parse(&upload.files, &mut budget),
        ImportFormat::Trakt => trakt::parse(&upload, &mut budget),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_in_any_case() {
        assert_eq!(ImportFormat::parse(" IMDb "), Some(ImportFormat::Imdb));
        assert_eq!(
            ImportFormat::parse("letterboxd"),
            Some(ImportFormat::Letterboxd)
        );
        assert_eq!(ImportFormat::parse("netflix"), None);
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
        let limits = ImportLimits {
            max_file_bytes: 10,
            ..ImportLimits::default()
        };
        let err = parse(ImportFormat::Imdb, None, &[b'a'; 11], &limits).unwrap_err();
        assert!(matches!(err, ImportError::TooLarge { limit: 10 }));
    }

    #[test]
    fn an_empty_file_is_refused() {
        let err = parse(ImportFormat::Imdb, None, b"  \n", &ImportLimits::default()).unwrap_err();
        assert!(matches!(err, ImportError::Empty));
    }
}
