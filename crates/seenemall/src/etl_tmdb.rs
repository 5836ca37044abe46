//! `seenemall etl-tmdb`: sync titles from the TMDB API (see `seen_etl::tmdb_sync`).

use crate::cli::parse_timeout;
use anyhow::Context;
use secrecy::SecretString;
use seen_etl::tmdb_sync::{self, ListWeights, SyncOptions};
use seen_providers::http::RetryPolicy;
use seen_providers::tmdb::{DEFAULT_BASE_URL, TmdbSettings};
use std::time::Duration;

/// TMDB sync settings.
#[derive(Debug, clap::Args)]
pub struct EtlTmdbArgs {
    /// Pages of each media type's popular list; top rated and trending get `pages × weight`.
    #[arg(long, env = "TMDB_PAGE_LIMIT", default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub pages: u32,
    /// Share of `--pages` per list, e.g. `popular=1,top_rated=0.5,trending=0.5` (0 skips a list).
    #[arg(long, env = "TMDB_LIST_WEIGHTS", default_value = "popular=1,top_rated=0.5,trending=0.5", value_parser = ListWeights::parse)]
    pub list_weights: ListWeights,
    /// Detail requests in flight at once (the rate limit still applies).
    #[arg(long, env = "TMDB_CONCURRENCY", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Skip details of titles updated within this many hours (0 fetches every title); lets a
    /// run that stopped midway continue where it was.
    #[arg(long, env = "TMDB_SKIP_FRESH_HOURS", default_value_t = 0)]
    pub skip_fresh_hours: u32,
    /// Titles written per transaction.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch_size: u32,
    /// TMDB v3 API key, or v4 read access token.
    #[arg(long = "tmdb-api-key", env = "TMDB_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub api_key: Option<SecretString>,
    /// TMDB API root.
    #[arg(long = "tmdb-base-url", env = "TMDB_BASE_URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Requests per second to TMDB, shared by all requests of the run (TMDB allows about 40).
    #[arg(long, env = "TMDB_REQUESTS_PER_SECOND", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub requests_per_second: u32,
    /// Per-request timeout, in seconds.
    #[arg(long, env = "TMDB_TIMEOUT", default_value_t = 15.0, value_parser = parse_timeout)]
    pub timeout_secs: f64,
    /// Retries of a request that failed with 429, 5xx, a timeout or a connection error.
    #[arg(long, env = "TMDB_MAX_RETRIES", default_value_t = 4)]
    pub max_retries: u32,
    /// Postgres connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    pub database_url: String,
}

impl EtlTmdbArgs {
    /// The client settings (a missing key is reported when the client is built).
    pub fn tmdb_settings(&self) -> TmdbSettings {
        let mut settings = TmdbSettings::new("");
        if let Some(key) = &self.api_key {
            settings.api_key = key.clone();
        }
        settings.base_url = self.base_url.clone();
        settings.timeout = Duration::from_secs_f64(self.timeout_secs);
        settings.requests_per_second = self.requests_per_second;
        settings.retry = RetryPolicy {
            max_retries: self.max_retries as usize,
            ..RetryPolicy::default()
        };
        settings
    }

    /// The sync settings.
    pub fn sync_options(&self) -> SyncOptions {
        SyncOptions {
            pages: self.pages,
            list_weights: self.list_weights,
            concurrency: usize::from(self.concurrency),
            batch_size: self.batch_size as usize,
            skip_fresh_hours: self.skip_fresh_hours,
            progress: true,
        }
    }
}

fn parse_secret(raw: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(raw.to_owned()))
}

/// Checks the key and the database, runs the sync and prints its summary.
pub async fn run(args: EtlTmdbArgs) -> anyhow::Result<()> {
    // Building the client does no I/O: a missing key or bad base URL fails here, first.
    let client = args
        .tmdb_settings()
        .client()
        .context("cannot set up the TMDB client")?;
    let pool = crate::cli::connect_checked(&args.database_url).await?;
    let summary = tmdb_sync::run(&pool, &client, &args.sync_options()).await?;
    println!("{summary}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: EtlTmdbArgs,
    }

    fn parse(argv: &[&str]) -> Result<EtlTmdbArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("etl-tmdb").chain(argv.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn flags_become_sync_options() {
        let args = parse(&[
            "--pages",
            "4",
            "--concurrency",
            "3",
            "--skip-fresh-hours",
            "12",
            "--list-weights",
            "trending=1",
        ])
        .expect("valid flags");
        let opts = args.sync_options();
        assert_eq!(
            (opts.pages, opts.concurrency, opts.skip_fresh_hours),
            (4, 3, 12)
        );
        assert_eq!(opts.list_weights.trending, 1.0);
        assert_eq!(opts.list_weights.top_rated, 0.5);
    }

    #[test]
    fn zero_pages_are_refused() {
        assert!(parse(&["--pages", "0"]).is_err());
    }

    #[test]
    fn bad_list_weights_are_refused() {
        let err = parse(&["--list-weights", "upcoming=1"]).expect_err("unknown list");
        assert!(
            err.to_string().contains("popular, top_rated or trending"),
            "{err}"
        );
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let args = parse(&["--tmdb-api-key", "hunter2-secret"]).expect("valid flags");
        assert!(!format!("{args:?}").contains("hunter2"));
        assert!(!format!("{:?}", args.tmdb_settings()).contains("hunter2"));
    }

    #[test]
    fn an_empty_key_fails_when_the_client_is_built() {
        let args = parse(&["--tmdb-api-key", ""]).expect("valid flags");
        let err = args.tmdb_settings().client().expect_err("no key");
        assert!(err.to_string().contains("TMDB_API_KEY"), "{err}");
    }
}
