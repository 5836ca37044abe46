//! `seenemall import catalog FILE`: a TMDB-shaped JSONL catalog into `items`.
//!
//! The whole file is parsed first (gzipped or plain, told apart by its magic bytes), each line
//! with the mapping the TMDB sync uses ([`seen_core::catalog::map_tmdb_detail`]). A line that
//! cannot become a title is skipped and reported with its line number; when a key
//! `(media_type, id)` repeats, the later line wins. List ranks are then computed over the
//! whole catalog ([`seen_core::catalog::compute_ranks`]), and only then is anything written:
//! batches of titles, each upserted in its own transaction, so an interrupted import keeps
//! the batches it finished and a re-run completes it (unchanged rows are left untouched).

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use seen_core::catalog::{NewItem, compute_ranks, map_tmdb_detail};
use seen_core::item::MediaType;
use seen_store::PgPool;
use seen_store::items::{UpsertCounts, analyze_items, upsert_items};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How many skipped lines a summary lists individually (all are counted).
pub const REPORTED_SKIPS: usize = 10;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const DUPLICATE: &str = "duplicate key (a later line wins)";

/// Settings of one catalog import.
#[derive(Debug, Clone)]
pub struct CatalogImportOptions {
    /// Titles per transaction.
    pub batch_size: usize,
    /// Draw a progress bar on stderr (never drawn when stderr is not a terminal).
    pub progress: bool,
}

impl Default for CatalogImportOptions {
    fn default() -> Self {
        CatalogImportOptions {
            batch_size: 1000,
            progress: true,
        }
    }
}

/// A line that did not become a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedLine {
    /// 1-based line number in the (decompressed) file.
    pub line: usize,
    /// What was wrong with it.
    pub detail: String,
}

/// The parsed file: titles ready to write and what was skipped.
#[derive(Debug, Clone, Default)]
pub struct ParsedCatalog {
    /// One title per key, in first-seen order, ranks not yet computed.
    pub items: Vec<NewItem>,
    /// Non-blank lines read.
    pub lines: usize,
    /// Skips per reason.
    pub skip_reasons: BTreeMap<String, usize>,
    /// The first [`REPORTED_SKIPS`] skipped lines.
    pub first_skipped: Vec<SkippedLine>,
}

impl ParsedCatalog {
    /// How many lines were skipped in all.
    pub fn skipped(&self) -> usize {
        self.skip_reasons.values().sum()
    }

    fn skip(&mut self, line: usize, reason: &str, detail: String) {
        *self.skip_reasons.entry(reason.to_owned()).or_default() += 1;
        if self.first_skipped.len() < REPORTED_SKIPS {
            self.first_skipped.push(SkippedLine { line, detail });
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    /// The file imported.
    pub path: PathBuf,
    /// Non-blank lines read.
    pub lines: usize,
    /// Rows inserted / updated / left unchanged.
    pub counts: UpsertCounts,
    /// Lines skipped in all.
    pub skipped: usize,
    /// Skips per reason.
    pub skip_reasons: BTreeMap<String, usize>,
    /// The first few skipped lines, with what was wrong.
    pub first_skipped: Vec<SkippedLine>,
    /// Transactions committed.
    pub batches: usize,
    /// Wall time of the whole import.
    pub elapsed: Duration,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "catalog import of {}: {} lines in {:.1} s ({} batches)",
            self.path.display(),
            self.lines,
            self.elapsed.as_secs_f64(),
            self.batches
        )?;
        write!(
            f,
            "  inserted {}, updated {}, unchanged {}, skipped {}",
            self.counts.inserted, self.counts.updated, self.counts.unchanged, self.skipped
        )?;
        for (reason, n) in &self.skip_reasons {
            write!(f, "\n  skipped, {reason}: {n}")?;
        }
        for skip in &self.first_skipped {
            write!(f, "\n  line {}: {}", skip.line, skip.detail)?;
        }
        if self.skipped > self.first_skipped.len() {
            write!(
                f,
                "\n  ({} more skipped lines not listed)",
                self.skipped - self.first_skipped.len()
            )?;
        }
        Ok(())
    }
}

/// Imports a catalog file into `items` (see the module doc for the protocol).
#[tracing::instrument(name = "import catalog", skip(pool, opts))]
pub async fn run(
    pool: &PgPool,
    path: &Path,
    opts: &CatalogImportOptions,
) -> anyhow::Result<ImportSummary> {
    let started = Instant::now();
    let owned_path = path.to_owned();
    let mut parsed = tokio::task::spawn_blocking(move || {
        let reader = open_catalog(&owned_path)?;
        read_catalog(reader).with_context(|| format!("cannot read {}", owned_path.display()))
    })
    .await
    .context("the catalog reader thread failed")??;
    compute_ranks(&mut parsed.items);
    tracing::info!(
        lines = parsed.lines,
        titles = parsed.items.len(),
        skipped = parsed.skipped(),
        "catalog parsed"
    );

    let batch_size = opts.batch_size.max(1);
    let bar = progress_bar(parsed.items.len() as u64, opts.progress, "titles");
    let mut counts = UpsertCounts::default();
    let mut batches = 0;
    for batch in parsed.items.chunks(batch_size) {
        let mut tx = pool.begin().await.context("cannot start a transaction")?;
        counts += upsert_items(&mut tx, batch)
            .await
            .with_context(|| format!("upserting batch {} ({} titles)", batches + 1, batch.len()))?;
        tx.commit().await.context("cannot commit a batch")?;
        batches += 1;
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    analyze_items(pool).await.context("ANALYZE items failed")?;

    let summary = ImportSummary {
        path: path.to_owned(),
        lines: parsed.lines,
        counts,
        skipped: parsed.skipped(),
        skip_reasons: parsed.skip_reasons,
        first_skipped: parsed.first_skipped,
        batches,
        elapsed: started.elapsed(),
    };
    tracing::info!(
        inserted = counts.inserted,
        updated = counts.updated,
        unchanged = counts.unchanged,
        skipped = summary.skipped,
        "catalog import finished"
    );
    Ok(summary)
}

/// Opens a catalog file, decompressing it when it starts with the gzip magic bytes.
pub fn open_catalog(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut magic = [0_u8; 2];
    let read = read_prefix(&mut file, &mut magic)?;
    let prefix = std::io::Cursor::new(magic[..read].to_vec());
    let whole = prefix.chain(file);
    Ok(if read == 2 && magic == GZIP_MAGIC {
        // Multi-member: `cat a.gz b.gz` is a valid gzip file too.
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(whole)))
    } else {
        Box::new(BufReader::new(whole))
    })
}

/// Reads up to `buf.len()` bytes (a short file is not an error).
fn read_prefix(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Parses JSONL: one title per line; bad lines are recorded and skipped, blank lines ignored.
///
/// Fails only when the stream itself cannot be read (e.g. a truncated gzip file).
pub fn read_catalog(mut reader: impl BufRead) -> anyhow::Result<ParsedCatalog> {
    let mut parsed = ParsedCatalog::default();
    let mut seen: HashMap<(MediaType, i32), (usize, usize)> = HashMap::new();
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let read = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("reading line {}", line_no + 1))?;
        if read == 0 {
            break;
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        parsed.lines += 1;
        let payload: serde_json::Value = match serde_json::from_slice(&buf) {
            Ok(value) => value,
            Err(e) => {
                parsed.skip(line_no, "invalid JSON", format!("invalid JSON: {e}"));
                continue;
            }
        };
        let item = match map_tmdb_detail(&payload, None) {
            Ok(item) => item,
            Err(e) => {
                parsed.skip(line_no, e.reason(), e.to_string());
                continue;
            }
        };
        let key = item.key();
        if let Some((index, earlier_line)) = seen.get(&key).copied() {
            parsed.items[index] = item;
            seen.insert(key, (index, line_no));
            parsed.skip(
                earlier_line,
                DUPLICATE,
                format!(
                    "({}, {}) appears again on line {line_no}, which wins",
                    key.0, key.1
                ),
            );
        } else {
            seen.insert(key, (parsed.items.len(), line_no));
            parsed.items.push(item);
        }
    }
    Ok(parsed)
}

/// A progress bar on stderr, or a hidden one when asked for none or stderr is not a terminal.
pub(crate) fn progress_bar(len: u64, wanted: bool, unit: &str) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = format!(
        "{{bar:40.cyan/blue}} {{human_pos}}/{{human_len}} {unit} ({{elapsed}}, eta {{eta}})"
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOVIE: &str = r#"{"id": 2, "media_type": "movie", "title": "Ariel", "release_date": "1988-10-21", "popularity": 3.86, "vote_average": 7.1, "vote_count": 44}"#;
    const TV: &str = r#"{"id": 2, "media_type": "tv", "name": "Two", "popularity": 9.0}"#;

    fn parse(text: &str) -> ParsedCatalog {
        read_catalog(text.as_bytes()).expect("in-memory reads do not fail")
    }

    #[test]
    fn a_movie_and_a_tv_show_with_the_same_id_are_two_titles() {
        let parsed = parse(&format!("{MOVIE}\n{TV}\n"));
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.skipped(), 0);
    }

    #[test]
    fn malformed_lines_are_skipped_with_their_line_numbers() {
        let text = format!("{MOVIE}\n{{not json\n\n{{\"id\": 9}}\n[1]\n{TV}\n");
        let parsed = parse(&text);
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.lines, 5);
        let lines: Vec<usize> = parsed.first_skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [2, 4, 5]);
        assert_eq!(parsed.skip_reasons.get("invalid JSON"), Some(&1));
        assert_eq!(parsed.skip_reasons.get("missing title"), Some(&1));
        assert_eq!(parsed.skip_reasons.get("not a JSON object"), Some(&1));
    }

    #[test]
    fn a_repeated_key_keeps_the_later_line_and_reports_the_earlier_one() {
        let later = MOVIE.replace("Ariel", "Ariel (restored)");
        let parsed = parse(&format!("{MOVIE}\n{TV}\n{later}\n"));
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.items[0].title, "Ariel (restored)");
        assert_eq!(parsed.first_skipped[0].line, 1);
        assert_eq!(parsed.skip_reasons.get(DUPLICATE), Some(&1));
    }

    #[test]
    fn crlf_line_endings_and_invalid_utf8_do_not_stop_the_read() {
        let mut bytes = format!("{MOVIE}\r\n").into_bytes();
        bytes.extend_from_slice(b"{\"id\": 3, \"title\": \"\xff\"}\r\n");
        bytes.extend_from_slice(format!("{TV}\r\n").as_bytes());
        let parsed = read_catalog(bytes.as_slice()).expect("reads");
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.first_skipped[0].line, 2);
    }
}
