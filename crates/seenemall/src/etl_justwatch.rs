//! `seenemall etl-justwatch`: streaming offers from JustWatch into `availability` (see
//! `seen_etl::justwatch_sync`).

use crate::cli::parse_timeout;
use anyhow::Context;
use seen_etl::justwatch_sync::{self, SyncOptions};
use seen_providers::http::RetryPolicy;
use seen_providers::justwatch::{DEFAULT_ENDPOINT, JustWatchSettings};
use std::time::Duration;

/// JustWatch sync settings.
#[derive(Debug, clap::Args)]
pub struct EtlJustWatchArgs {
    /// ISO 3166-1 country to sync (stored upper-cased).
    #[arg(long, env = "JUSTWATCH_COUNTRY", default_value = "IL")]
    pub country: String,
    /// Content language JustWatch answers in (titles are matched in it).
    #[arg(long, env = "JUSTWATCH_LANGUAGE", default_value = "en")]
    pub language: String,
    /// Offer platform.
    #[arg(long, env = "JUSTWATCH_PLATFORM", default_value = "WEB")]
    pub platform: String,
    /// JustWatch GraphQL endpoint.
    #[arg(long, env = "JUSTWATCH_ENDPOINT", default_value = DEFAULT_ENDPOINT)]
    pub endpoint: String,
    /// Look up at most this many titles (never-synced first, then the longest ago).
    #[arg(long, visible_alias = "max-items", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Skip titles looked up in this country within this many hours; 0 looks every title up
    /// again. Makes an interrupted run resume where it stopped.
    #[arg(long, env = "JUSTWATCH_STALE_AFTER_HOURS", default_value_t = 24)]
    pub stale_after_hours: u32,
    /// Titles in flight at once (two requests each; the rate limit still applies).
    #[arg(long, env = "JUSTWATCH_CONCURRENCY", default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Requests per second to JustWatch, shared by all requests of the run.
    #[arg(long, env = "JUSTWATCH_REQUESTS_PER_SECOND", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub requests_per_second: u32,
    /// Per-request timeout, in seconds.
    #[arg(long, env = "JUSTWATCH_TIMEOUT", default_value_t = 15.0, value_parser = parse_timeout)]
    pub timeout_secs: f64,
    /// Retries of a request that failed with 429, 5xx, a timeout or a connection error.
    #[arg(long, env = "JUSTWATCH_MAX_RETRIES", default_value_t = 4)]
    pub max_retries: u32,
    /// Postgres connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    pub database_url: String,
}

impl EtlJustWatchArgs {
    /// The client settings (bad values are reported when the client is built).
    pub fn justwatch_settings(&self) -> JustWatchSettings {
        JustWatchSettings {
            endpoint: self.endpoint.clone(),
            country: self.country.clone(),
            language: self.language.clone(),
            platform: self.platform.clone(),
            timeout: Duration::from_secs_f64(self.timeout_secs),
            requests_per_second: self.requests_per_second,
            retry: RetryPolicy {
                max_retries: self.max_retries as usize,
                ..RetryPolicy::default()
            },
        }
    }

    /// The sync settings.
    pub fn sync_options(&self) -> SyncOptions {
        SyncOptions {
            stale_after_hours: self.stale_after_hours,
            limit: self.limit,
            concurrency: usize::from(self.concurrency),
            progress: true,
        }
    }
}

/// Checks the settings and the database, runs the sync and prints its summary.
pub async fn run(args: EtlJustWatchArgs) -> anyhow::Result<()> {
    // Building the client does no I/O: a bad endpoint or country fails here, first.
    let client = args
        .justwatch_settings()
        .client()
        .context("cannot set up the JustWatch client")?;
    let pool = crate::cli::connect_checked(&args.database_url).await?;
    let summary = justwatch_sync::run(&pool, &client, &args.sync_options()).await?;
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
        args: EtlJustWatchArgs,
    }

    fn parse(argv: &[&str]) -> Result<EtlJustWatchArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("etl-justwatch").chain(argv.iter().copied()))
            .map(|c| c.args)
    }

    #[test]
    fn flags_become_client_settings_and_sync_options() {
        let args = parse(&[
            "--country",
            "us",
            "--max-items",
            "50",
            "--stale-after-hours",
            "0",
            "--concurrency",
            "2",
        ])
        .expect("valid flags");
        let opts = args.sync_options();
        assert_eq!(
            (opts.limit, opts.stale_after_hours, opts.concurrency),
            (Some(50), 0, 2)
        );
        let client = args.justwatch_settings().client().expect("valid settings");
        assert_eq!(client.country(), "US");
    }

    #[test]
    fn a_zero_limit_is_refused() {
        assert!(parse(&["--limit", "0"]).is_err());
    }

    #[test]
    fn a_bad_endpoint_is_a_clear_error_naming_the_variable() {
        let args = parse(&["--endpoint", "not a url"]).expect("parses as text");
        let err = args.justwatch_settings().client().expect_err("bad URL");
        assert!(err.to_string().contains("JUSTWATCH_ENDPOINT"), "{err}");
    }
}
