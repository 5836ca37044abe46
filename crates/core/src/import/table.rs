//! What every CSV export shares: UTF-8 checks, the header, the row budget, dates.

use super::ImportError;
use super::archive::ExportFile;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// Counts records across the files of one export and refuses past the limit.
#[derive(Debug)]
pub struct RowBudget {
    limit: usize,
    used: usize,
}

impl RowBudget {
    /// A budget of `limit` records.
    pub fn new(limit: usize) -> Self {
        RowBudget { limit, used: 0 }
    }

    /// Takes one record; an error once the limit is passed.
    pub fn take(&mut self) -> Result<(), ImportError> {
        self.used += 1;
        if self.used > self.limit {
            return Err(ImportError::TooManyRows { limit: self.limit });
        }
        Ok(())
    }

    /// Records taken so far.
    pub fn used(&self) -> usize {
        self.used
    }
}

/// A CSV file with its header resolved to column positions.
pub struct CsvTable {
    /// The file's name, for messages.
    pub file: String,
    columns: HashMap<String, usize>,
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
}

/// One record of a [`CsvTable`] with its 1-based line number.
pub struct CsvRow {
    /// `file:line`, for the unmatched list.
    pub location: String,
    record: csv::StringRecord,
}

impl CsvTable {
    /// Reads the header of `file` and checks that every `required` column is there. The text
    /// must be UTF-8 (a leading BOM is dropped); `;` is accepted as the delimiter when the
    /// header has no comma (Excel in many locales saves CSVs that way).
    pub fn open(
        file: &ExportFile,
        format: &'static str,
        required: &[&str],
    ) -> Result<CsvTable, ImportError> {
        let text = utf8(file)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header_line = text.lines().next().unwrap_or_default();
        let delimiter = if !header_line.contains(',') && header_line.contains(';') {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(std::io::Cursor::new(text.as_bytes().to_vec()));
        let headers = reader.headers().map_err(|e| ImportError::Malformed {
            file: file.name.clone(),
            message: e.to_string(),
        })?;
        let columns: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_lowercase(), i))
            .collect();
        let missing: Vec<String> = required
            .iter()
            .filter(|c| !columns.contains_key(&c.to_lowercase()))
            .map(|c| (*c).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                file: file.name.clone(),
                format,
                missing,
            });
        }
        Ok(CsvTable {
            file: file.name.clone(),
            columns,
            reader,
        })
    }

    /// True when the header has `column` (any case).
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(&column.to_lowercase())
    }

    /// Every record, each counted against `budget`; blank lines are skipped.
    pub fn rows(&mut self, budget: &mut RowBudget) -> Result<Vec<CsvRow>, ImportError> {
        let mut out = Vec::new();
        for record in self.reader.records() {
            let record = record.map_err(|e| ImportError::Malformed {
                file: self.file.clone(),
                message: e.to_string(),
            })?;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            budget.take()?;
            let line = record.position().map_or(0, csv::Position::line);
            out.push(CsvRow {
                location: format!("{}:{line}", self.file),
                record,
            });
        }
        Ok(out)
    }

    /// The trimmed, non-empty value of `column` in `row`.
    pub fn get<'r>(&self, row: &'r CsvRow, column: &str) -> Option<&'r str> {
        let index = *self.columns.get(&column.to_lowercase())?;
        row.record
            .get(index)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// The file as UTF-8, or [`ImportError::NotUtf8`] naming the line of the first bad byte.
pub fn utf8(file: &ExportFile) -> Result<&str, ImportError> {
    std::str::from_utf8(&file.bytes).map_err(|e| {
        let line = file.bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ImportError::NotUtf8 {
            file: display_name(file),
            line,
        }
    })
}

/// The file's name for messages (`the upload` when it has none).
pub fn display_name(file: &ExportFile) -> String {
    if file.name.is_empty() {
        "the upload".to_owned()
    } else {
        file.name.clone()
    }
}

/// `YYYY-MM-DD` (what Letterboxd and IMDb write) as midnight UTC.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(raw.trim().get(..10)?, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// An RFC 3339 timestamp (Trakt's `watched_at`), or a bare date.
pub fn parse_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| parse_date(raw))
}

/// The first four-digit year of `raw`: `1994`, `2013–2023`, `2013-`, `2001-04-25`.
pub fn parse_year(raw: &str) -> Option<i32> {
    let digits: String = raw
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: &[u8]) -> ExportFile {
        ExportFile {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn a_windows_1252_file_names_the_line_of_the_first_bad_byte() {
        let f = file("ratings.csv", b"Const,Title\ntt1,Am\xe9lie\n");
        assert_eq!(
            utf8(&f).unwrap_err(),
            ImportError::NotUtf8 {
                file: "ratings.csv".into(),
                line: 2
            }
        );
    }

    #[test]
    fn a_bom_and_semicolons_from_excel_are_read() {
        let f = file("r.csv", "\u{feff}Const;Title\ntt1;Amélie\n".as_bytes());
        let mut table = CsvTable::open(&f, "imdb", &["Const", "title"]).expect("opens");
        let rows = table.rows(&mut RowBudget::new(10)).expect("rows");
        assert_eq!(table.get(&rows[0], "Title"), Some("Amélie"));
        assert_eq!(rows[0].location, "r.csv:2");
    }

    #[test]
    fn missing_columns_are_all_named() {
        let f = file("diary.csv", b"Date,Name\n");
        let err = CsvTable::open(&f, "letterboxd", &["Date", "Name", "Year", "Rating"])
            .err()
            .expect("refused");
        assert_eq!(
            err,
            ImportError::MissingColumns {
                file: "diary.csv".into(),
                format: "letterboxd",
                missing: vec!["Year".into(), "Rating".into()]
            }
        );
    }

    #[test]
    fn the_row_budget_counts_across_files() {
        let mut budget = RowBudget::new(2);
        for name in ["a.csv", "b.csv"] {
            let mut t = CsvTable::open(&file(name, b"A\n1\n"), "x", &["A"]).expect("opens");
            t.rows(&mut budget).expect("within budget");
        }
        let mut t = CsvTable::open(&file("c.csv", b"A\n1\n"), "x", &["A"]).expect("opens");
        assert!(matches!(
            t.rows(&mut budget),
            Err(ImportError::TooManyRows { limit: 2 })
        ));
    }

    #[test]
    fn years_come_from_ranges_and_dates() {
        assert_eq!(parse_year("2013–2023"), Some(2013));
        assert_eq!(parse_year("2005-"), Some(2005));
        assert_eq!(parse_year("2001-04-25"), Some(2001));
        assert_eq!(parse_year("n/a"), None);
        assert_eq!(parse_year("201"), None);
    }

    #[test]
    fn dates_and_timestamps_are_utc() {
        assert_eq!(
            parse_date("2023-01-15").map(|t| t.to_rfc3339()),
            Some("2023-01-15T00:00:00+00:00".into())
        );
        assert_eq!(
            parse_timestamp("2023-01-15T20:30:00.000Z").map(|t| t.to_rfc3339()),
            Some("2023-01-15T20:30:00+00:00".into())
        );
        assert_eq!(parse_date("15/01/2023"), None);
    }
}
