//! `seenemall embed`.

use anyhow::Context;
use chrono::Datelike;
use seen_core::embed_text::EmbedTemplate;
use seen_embed::MiniLmEncoder;
use seen_etl::embed_job::{EmbedOptions, run as run_job};
use std::sync::Arc;

/// Embedding job settings.
#[derive(Debug, clap::Args)]
pub struct EmbedArgs {
    /// Postgres connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    database_url: String,
    /// Model directory (config.json, tokenizer.json, model.safetensors) or a Hugging Face repo id.
    #[arg(
        long,
        env = "EMBED_MODEL",
        default_value = ".local/models/all-MiniLM-L6-v2"
    )]
    model: String,
    /// Version label written to `item_embeddings.version` (readers use the same EMBED_VERSION).
    #[arg(long, env = "EMBED_VERSION", default_value = "v1")]
    version: String,
    /// Embedding text template: basic, structured, natural or emphasized.
    #[arg(long, env = "EMBED_TEMPLATE", default_value = "basic")]
    template: String,
    /// Titles per model call and database write.
    #[arg(long, env = "EMBED_BATCH", default_value_t = 64)]
    batch: usize,
    /// Embed at most this many titles (for trials).
    #[arg(long, env = "MAX_ITEMS")]
    max_items: Option<usize>,
}

pub async fn run(args: EmbedArgs) -> anyhow::Result<()> {
    let template =
        EmbedTemplate::parse(&args.template).map_err(|e| anyhow::anyhow!("EMBED_TEMPLATE: {e}"))?;
    let pool = crate::cli::connect_checked(&args.database_url).await?;
    let model = args.model.clone();
    let encoder = tokio::task::spawn_blocking(move || MiniLmEncoder::load(&model))
        .await?
        .with_context(|| {
            format!(
                "cannot load the model {:?} (EMBED_MODEL). Hint: run `make model`",
                args.model
            )
        })?;
    let opts = EmbedOptions {
        version: args.version.clone(),
        template,
        batch: args.batch.max(1),
        max_items: args.max_items,
        current_year: chrono::Utc::now().year(),
    };
    let summary = run_job(&pool, Arc::new(encoder), &opts).await?;
    println!(
        "embedded {} titles for version '{}' ({} new, {} refreshed because their text changed, {} unchanged) \
         in {:.1}s: {:.1} titles/s",
        summary.embedded,
        args.version,
        summary.new,
        summary.refreshed,
        summary.unchanged,
        summary.seconds,
        summary.throughput()
    );
    Ok(())
}
