//! Fixture files written by the tests, and a read-back of what the jobs stored.

use flate2::Compression;
use flate2::write::GzEncoder;
use sqlx::PgExecutor;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `lines` as a JSONL file (gzipped when `gzip`) in `dir`.
pub fn write_catalog(dir: &Path, lines: &[&str], gzip: bool) -> PathBuf {
    let text = lines.join("\n") + "\n";
    let path = dir.join(if gzip {
        "catalog.jsonl.gz"
    } else {
        "catalog.jsonl"
    });
    let bytes = if gzip {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(text.as_bytes()).expect("gzip in memory");
        encoder.finish().expect("gzip in memory")
    } else {
        text.into_bytes()
    };
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

/// Writes a MovieLens directory (`ratings.csv`, `links.csv`) with CRLF line endings, as
/// GroupLens ships them. Rows are given without the header.
pub fn write_movielens(dir: &Path, ratings: &[&str], links: &[&str]) {
    let crlf = |header: &str, rows: &[&str]| {
        std::iter::once(header)
            .chain(rows.iter().copied())
            .map(|r| format!("{r}\r\n"))
            .collect::<String>()
    };
    std::fs::write(
        dir.join("ratings.csv"),
        crlf("userId,movieId,rating,timestamp", ratings),
    )
    .expect("write ratings");
    std::fs::write(dir.join("links.csv"), crlf("movieId,imdbId,tmdbId", links))
        .expect("write links");
}

/// The repository's demo catalog.
pub fn demo_catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/catalog.jsonl.gz")
}

/// How many titles the catalog holds.
pub async fn count_items(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM items")
        .fetch_one(db)
        .await
}
