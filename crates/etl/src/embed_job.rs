//! `seenemall embed`: vectors for every title that has none for the version, or whose
//! embedding text changed since it was embedded (the text's sha256 is stored with the
//! vector; the original never refreshed stale vectors). Idempotent and resumable: a re-run
//! embeds only what is still missing or stale.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use seen_core::embed_text::{EmbedTemplate, build_text, text_hash};
use seen_core::item::ItemId;
use seen_embed::Embedder;
use seen_store::PgPool;
use seen_store::embeddings::{analyze, page_after, upsert_vectors};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Job options.
#[derive(Debug, Clone)]
pub struct EmbedOptions {
    /// `item_embeddings.version` to write.
    pub version: String,
    /// Text template (`basic`, `structured`, `natural`, `emphasized`).
    pub template: EmbedTemplate,
    /// Texts per write (and per model call chunk).
    pub batch: usize,
    /// Stop after this many titles (None = all).
    pub max_items: Option<usize>,
    /// Year the era labels are computed from (today's year).
    pub current_year: i32,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedSummary {
    pub scanned: usize,
    pub embedded: usize,
    pub new: usize,
    pub refreshed: usize,
    pub unchanged: usize,
    pub seconds: f64,
}

impl EmbedSummary {
    /// Titles embedded per second.
    pub fn throughput(&self) -> f64 {
        if self.seconds > 0.0 {
            self.embedded as f64 / self.seconds
        } else {
            0.0
        }
    }
}

const SCAN_PAGE: i64 = 2_000;

/// Runs the job with `embedder` (the real MiniLM encoder, or a test embedder).
pub async fn run(
    pool: &PgPool,
    embedder: Arc<dyn Embedder>,
    opts: &EmbedOptions,
) -> anyhow::Result<EmbedSummary> {
    let started = Instant::now();
    let mut summary = EmbedSummary::default();
    // 1. Find what needs a vector: missing, or text changed.
    let mut todo: Vec<(ItemId, String, String, bool)> = Vec::new();
    let mut after = 0;
    loop {
        let page = page_after(pool, &opts.version, after, SCAN_PAGE)
            .await
            .context("reading the catalog")?;
        let Some(last) = page.last() else { break };
        after = last.item.id;
        for c in page {
            summary.scanned += 1;
            let text = build_text(&c.item, opts.template, opts.current_year);
            let hash = text_hash(&text);
            match &c.stored_hash {
                Some(h) if *h == hash => summary.unchanged += 1,
                stored => todo.push((c.item.id, text, hash, stored.is_some())),
            }
        }
    }
    if let Some(max) = opts.max_items {
        todo.truncate(max);
    }
    let bar = progress_bar(todo.len() as u64);
    // 2. Embed batch by batch on a blocking thread, writing each batch as it is done.
    for chunk in todo.chunks(opts.batch.max(1)) {
        let texts: Vec<String> = chunk.iter().map(|(_, t, _, _)| t.clone()).collect();
        let encoder = embedder.clone();
        let vectors = tokio::task::spawn_blocking(move || encoder.embed(&texts))
            .await
            .context("embedding thread panicked")?
            .context("embedding failed")?;
        let rows: Vec<(ItemId, Vec<f32>, String)> = chunk
            .iter()
            .zip(vectors)
            .map(|((id, _, hash, _), v)| (*id, v, hash.clone()))
            .collect();
        let mut conn = pool.acquire().await.context("database connection")?;
        upsert_vectors(&mut conn, &opts.version, &rows)
            .await
            .context("writing vectors")?;
        for (_, _, _, existed) in chunk {
            if *existed {
                summary.refreshed += 1;
            } else {
                summary.new += 1;
            }
        }
        summary.embedded += chunk.len();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    if summary.embedded > 0 {
        analyze(pool).await.context("ANALYZE item_embeddings")?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} embedding [{bar:40}] {pos}/{len} titles, {per_sec}, eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
