//! Export zips, unpacked in memory with a cap on the bytes they unpack to.
//!
//! A zip's headers state each file's size, but a hostile zip can lie, so the cap is enforced
//! on the bytes actually inflated: each file is read through a `take` of the remaining budget
//! plus one byte, and reaching that byte refuses the whole upload.

use super::{ImportError, ImportLimits};
use std::io::{Cursor, Read};

/// One file of an export (a zip member, or the upload itself).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    /// Its path inside the zip (`likes/films.csv`), or the upload's file name.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl ExportFile {
    /// The last path segment, lower-cased (`films.csv` for `likes/films.csv`).
    pub fn base_name(&self) -> String {
        self.name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_lowercase()
    }
}

/// What was uploaded: a zip's members, or the one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    /// The files to read.
    pub files: Vec<ExportFile>,
    /// True when they came out of a zip (members are then told apart by their paths).
    pub zipped: bool,
}

/// True when the bytes start like a zip (local file header, or an empty archive).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Unpacks the CSV and JSON members of a zip, at most `limits.max_unpacked_bytes` in all.
pub fn unpack(bytes: &[u8], limits: &ImportLimits) -> Result<Vec<ExportFile>, ImportError> {
    let bad = |e: zip::result::ZipError| ImportError::BadZip(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let mut remaining = limits.max_unpacked_bytes;
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).map_err(bad)?;
        let name = member.name().map_err(bad)?.into_owned();
        let lower = name.to_lowercase();
        if member.is_dir() || !(lower.ends_with(".csv") || lower.ends_with(".json")) {
            continue;
        }
        // Trust no header: read at most one byte past what is left of the budget.
        let mut content = Vec::new();
        (&mut member)
            .take(remaining.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|e| ImportError::BadZip(format!("{name}: {e}")))?;
        let read = content.len() as u64;
        if read > remaining {
            return Err(ImportError::ZipBomb {
                limit: limits.max_unpacked_bytes,
            });
        }
        remaining -= read;
        files.push(ExportFile {
            name,
            bytes: content,
        });
    }
    Ok(files)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A deflated zip of `(name, content)` pairs, as the exporters write them.
    pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in files {
            writer.start_file(*name, options).expect("zip entry");
            writer.write_all(content).expect("zip write");
        }
        writer.finish().expect("zip finish").into_inner()
    }

    #[test]
    fn csv_and_json_members_are_unpacked_and_others_skipped() {
        let zip = zip_of(&[
            ("ratings.csv", b"a,b\n"),
            ("profile.png", b"\x89PNG"),
            ("likes/films.csv", b"c\n"),
        ]);
        let files = unpack(&zip, &ImportLimits::default()).expect("unpacks");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["ratings.csv", "likes/films.csv"]);
        assert_eq!(files[1].base_name(), "films.csv");
    }

    #[test]
    fn a_zip_that_inflates_past_the_cap_is_refused() {
        // 10 MB of zeros deflates to about 10 KB.
        let zeros = vec![0u8; 10 * 1024 * 1024];
        let zip = zip_of(&[("ratings.csv", &zeros)]);
        assert!(zip.len() < 100 * 1024, "the fixture is a real bomb");
        let limits = ImportLimits {
            max_unpacked_bytes: 1024 * 1024,
            ..ImportLimits::default()
        };
        let err = unpack(&zip, &limits).unwrap_err();
        assert_eq!(err, ImportError::ZipBomb { limit: 1024 * 1024 });
    }

    #[test]
    fn the_cap_counts_every_member_together() {
        let half = vec![b'x'; 600];
        let zip = zip_of(&[("a.csv", &half), ("b.csv", &half)]);
        let limits = ImportLimits {
            max_unpacked_bytes: 1000,
            ..ImportLimits::default()
        };
        assert!(matches!(
            unpack(&zip, &limits),
            Err(ImportError::ZipBomb { .. })
        ));
    }

    #[test]
    fn a_truncated_zip_is_a_bad_zip() {
        let zip = zip_of(&[("ratings.csv", b"Date,Name\n")]);
        let err = unpack(&zip[..zip.len() - 10], &ImportLimits::default()).unwrap_err();
        assert!(matches!(err, ImportError::BadZip(_)), "{err:?}");
    }
}
