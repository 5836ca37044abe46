//! Why an export was refused as a whole (nothing of it is written).

/// A problem with the file itself, as opposed to a row that did not match a title.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The upload is larger than the configured limit.
    #[error("the file is larger than the {limit}-byte limit (IMPORT_MAX_BYTES)")]
    TooLarge { limit: u64 },
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The zip unpacks to more than the limit (a zip bomb, or simply too much).
    #[error(
        "the zip unpacks to more than {limit} bytes (IMPORT_MAX_UNPACKED_BYTES); nothing was imported"
    )]
    ZipBomb { limit: u64 },
    /// More records than the configured limit.
    #[error("the export has more than {limit} rows (IMPORT_MAX_ROWS); nothing was imported")]
    TooManyRows { limit: usize },
    /// A zip that cannot be read.
    #[error("the zip cannot be read: {0}")]
    BadZip(String),
    /// A file that is not UTF-8 (e.g. re-saved by Excel in a Windows code page).
    #[error(
        "{file} is not UTF-8 text (first bad byte on line {line}). Hint: re-save it as \"CSV UTF-8\", or use the file as downloaded"
    )]
    NotUtf8 { file: String, line: usize },
    /// A CSV without the columns the format needs.
    #[error("{file} is missing the column(s) {missing:?}; is this a {format} export?")]
    MissingColumns {
        file: String,
        format: &'static str,
        missing: Vec<String>,
    },
    /// A CSV or JSON file that does not parse.
    #[error("{file} cannot be read: {message}")]
    Malformed { file: String, message: String },
    /// Nothing in the upload looks like this format.
    #[error("no {format} file found in the upload (expected {expected}; found {found:?})")]
    WrongFormat {
        format: &'static str,
        expected: &'static str,
        found: Vec<String>,
    },
}
