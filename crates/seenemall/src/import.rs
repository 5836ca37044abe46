//! `seenemall import catalog FILE`, `seenemall import movielens DIR` and the history imports
//! `seenemall import letterboxd|imdb|trakt FILE --user ID [--profile P]`.

use anyhow::Context;
use clap::Subcommand;
use seen_api::history_import::{ImportRequest, ProfileTarget, import_history};
use seen_core::events::canonical_profile_id;
use seen_core::import::{ImportFormat, ImportLimits};
use seen_core::profile::ProfileSettings;
use seen_etl::catalog_import::{self, CatalogImportOptions};
use seen_etl::movielens::{self, MovielensOptions};
use std::path::PathBuf;

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a TMDB-shaped JSONL catalog (gzipped or plain), e.g. data/demo/catalog.jsonl.gz.
    Catalog {
        /// The JSONL file: one TMDB detail object per line (gzip is detected by content).
        file: PathBuf,
        /// Titles written per transaction.
        #[arg(long, default_value_t = 1000)]
        batch_size: usize,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import MovieLens users (ratings.csv + links.csv) as demo users `ml<userId>`.
    Movielens {
        /// The MovieLens directory (ml-latest-small layout).
        dir: PathBuf,
        /// Import only the first N users (by MovieLens user id).
        #[arg(long)]
        limit_users: Option<usize>,
        /// Users replaced per transaction.
        #[arg(long, default_value_t = 50)]
        users_per_batch: usize,
        /// Do not recompute the imported users' profiles at the end.
        #[arg(long)]
        skip_profiles: bool,
        /// Embedding version the recomputed profiles read.
        #[arg(long, env = "EMBED_VERSION", default_value = "v1")]
        embed_version: String,
        /// Half-life of the short-term profile decay, in items.
        #[arg(long, env = "USER_PROFILE_DECAY_HALF_LIFE", default_value_t = 10.0)]
        half_life: f64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import a Letterboxd export (the zip, or one of its CSVs) into a user's history.
    Letterboxd(HistoryImportArgs),
    /// Import an IMDb ratings (or watchlist) CSV into a user's history.
    Imdb(HistoryImportArgs),
    /// Import a Trakt data export (the zip, or one of its JSON files) into a user's history.
    Trakt(HistoryImportArgs),
}

/// One export for one user (the same as `POST /user/import`).
#[derive(Debug, clap::Args)]
pub struct HistoryImportArgs {
    /// The export file.
    file: PathBuf,
    /// The user the history belongs to.
    #[arg(long)]
    user: String,
    /// Optional profile (`user::profile`).
    #[arg(long)]
    profile: Option<String>,
    /// Most records the export may hold.
    #[arg(long, default_value_t = ImportLimits::default().max_rows)]
    max_rows: usize,
    /// Embedding version the recomputed profile reads.
    #[arg(long, env = "EMBED_VERSION", default_value = "v1")]
    embed_version: String,
    /// Half-life of the short-term profile decay, in items.
    #[arg(long, env = "USER_PROFILE_DECAY_HALF_LIFE", default_value_t = 10.0)]
    half_life: f64,
    #[command(flatten)]
    db: DbArgs,
}

impl HistoryImportArgs {
    /// Reads the file and imports it; prints the summary as JSON.
    async fn run(self, format: ImportFormat) -> anyhow::Result<()> {
        let bytes = tokio::fs::read(&self.file)
            .await
            .with_context(|| format!("cannot read {}", self.file.display()))?;
        let pool = self.db.pool().await?;
        let request = ImportRequest {
            format,
            file_name: self
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
            bytes,
            user_id: canonical_profile_id(self.user.trim(), self.profile.as_deref()),
            // A file on the operator's own disk: no upload size limit, the other guards stay.
            limits: ImportLimits {
                max_file_bytes: usize::MAX,
                max_rows: self.max_rows,
                ..ImportLimits::default()
            },
        };
        let profile = ProfileTarget {
            settings: ProfileSettings {
                half_life: self.half_life,
            },
            embed_version: self.embed_version,
        };
        // No server wrote this: a bare user id has every server drop the lists.
        let notice = request.user_id.clone();
        let summary = import_history(&pool, request, &profile, &notice)
            .await
            .with_context(|| format!("importing {} as {format}", self.file.display()))?;
        println!("{}", serde_json::to_string_pretty(&summary)?);
        Ok(())
    }
}

/// Where the database is.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// Postgres connection URL (its value is never printed: it may hold a password).
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    database_url: String,
}

impl DbArgs {
    async fn pool(&self) -> anyhow::Result<seen_store::PgPool> {
        crate::cli::connect_checked(&self.database_url).await
    }
}

/// Runs one import and prints its summary.
pub async fn run(command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Catalog {
            file,
            batch_size,
            db,
        } => {
            let pool = db.pool().await?;
            let opts = CatalogImportOptions {
                batch_size,
                ..CatalogImportOptions::default()
            };
            let summary = catalog_import::run(&pool, &file, &opts).await?;
            println!("{summary}");
        }
        ImportCommand::Movielens {
            dir,
            limit_users,
            users_per_batch,
            skip_profiles,
            embed_version,
            half_life,
            db,
        } => {
            let pool = db.pool().await?;
            let opts = MovielensOptions {
                limit_users,
                users_per_batch,
                recompute_profiles: !skip_profiles,
                profile: ProfileSettings { half_life },
                embed_version,
                ..MovielensOptions::default()
            };
            let summary = movielens::run(&pool, &dir, &opts).await?;
            println!("{summary}");
        }
        ImportCommand::Letterboxd(args) => args.run(ImportFormat::Letterboxd).await?,
        ImportCommand::Imdb(args) => args.run(ImportFormat::Imdb).await?,
        ImportCommand::Trakt(args) => args.run(ImportFormat::Trakt).await?,
    }
    Ok(())
}
