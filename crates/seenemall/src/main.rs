//! `seenemall`: one binary for the API server and the batch jobs. Each subcommand parses its
//! settings and calls one library function.

mod cli;
mod embed;
mod etl_justwatch;
mod etl_tmdb;
mod eval;
mod import;
mod telemetry;
mod train;

use anyhow::Context;
use clap::{Parser, Subcommand};

/// mimalloc instead of glibc malloc: a request allocates many small, short-lived buffers
/// across threads, where glibc's per-thread arenas spent ~5% of the server's CPU (measured
/// with `perf` under `make bench-http`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "seenemall",
    version,
    about = "Seen'emAll: a movie & TV recommender service"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API (and the debug UI).
    Serve(Box<seen_api::ServeArgs>),
    /// Apply pending database migrations (a no-op when the schema is current).
    Migrate(MigrateArgs),
    /// Import offline data: the demo catalog (TMDB-shaped JSONL) or MovieLens users.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Sync titles from the TMDB API (popular, top rated and trending lists, then details).
    EtlTmdb(etl_tmdb::EtlTmdbArgs),
    /// Sync streaming offers from JustWatch into `availability` (one country per run).
    EtlJustwatch(etl_justwatch::EtlJustWatchArgs),
    /// Embed titles with MiniLM (titles with no vector for the version, or whose text changed).
    Embed(embed::EmbedArgs),
    /// Fit the taste model (EASE) on everyone's history and store it as a new version.
    Train(train::TrainArgs),
    /// Offline ranking quality on a MovieLens temporal split: most popular, plain EASE and the
    /// taste model (each user's first 80% of ratings as history, later ratings ≥ 4 relevant).
    Eval(Box<eval::EvalArgs>),
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    /// Postgres connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    database_url: String,
}

fn main() -> std::process::ExitCode {
    // A missing .env is normal; real environment variables win over it.
    let _ = dotenvy::dotenv();
    telemetry::init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line for the operator: what failed and why, cause chain joined.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => seen_api::serve(*args).await,
        Command::Import(cmd) => import::run(cmd).await,
        Command::EtlTmdb(args) => etl_tmdb::run(args).await,
        Command::EtlJustwatch(args) => etl_justwatch::run(args).await,
        Command::Embed(args) => embed::run(args).await,
        Command::Train(args) => train::run(args).await,
        Command::Eval(args) => eval::run(*args).await,
        Command::Migrate(args) => {
            let pool = seen_store::DbSettings::new(&args.database_url)
                .connect()
                .await
                .context("cannot reach the database")?;
            let applied = seen_store::migrate(&pool).await?;
            let status = seen_store::check_schema(&pool).await?;
            if applied == 0 {
                println!("schema is current ({} migrations)", status.applied);
            } else {
                println!(
                    "applied {applied} migration(s); schema is current ({} migrations)",
                    status.applied
                );
            }
            Ok(())
        }
    }
}
