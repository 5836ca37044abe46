//! Fault suite (`make test-faults`, via `scripts/faults.sh`): runs the real server against a
//! Postgres cluster of its own and proves two things end to end.
//!
//! 1. External faults: with the LLM intent parser, LLM rewrite, LLM reranker and TMDB entity
//!    linker all pointed at local fakes that fail every request (500, 429, stalls, garbage),
//!    every `/recommend` with a query still answers 200.
//! 2. Database restart: Postgres restarted under mixed load loses no acknowledged write,
//!    stores none twice, answers only 200 or 503 (with `Retry-After`), never drops a
//!    connection, and `/readyz` recovers by itself.
//!
//! Prints one summary line and `N passed, M failed`; exits non-zero on any failure.
//!
//! `fault_suite --server target/debug/seenemall --model DIR --log FILE -- scripts/local-db.sh restart`
//! (with `DATABASE_URL` set to the suite's own database; the command after `--` restarts it).

mod checks;
mod external;
mod fakes;
mod restart;
mod server;

use anyhow::{Context, bail};
use checks::Checks;
use clap::Parser;
use fakes::{Dialect, Fake};
use server::{Launch, Server, Upstreams};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longer than every client timeout the server is given (at most 1 s).
const STALL: Duration = Duration::from_millis(2500);

#[derive(Debug, Parser)]
struct Args {
    /// The `seenemall` binary.
    #[arg(long)]
    server: PathBuf,
    /// The suite's own database (the restart command restarts its cluster).
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// The MiniLM model directory.
    #[arg(long)]
    model: PathBuf,
    /// Where the server's log goes.
    #[arg(long)]
    log: PathBuf,
    /// Where the server's pid is written (the calling script reaps it if this driver dies).
    #[arg(long)]
    pid_file: Option<PathBuf>,
    /// Seconds of mixed load in the restart phase.
    #[arg(long, default_value_t = 12.0)]
    load_secs: f64,
    /// Seconds into the load when the restart runs.
    #[arg(long, default_value_t = 4.0)]
    restart_after_secs: f64,
    /// The command that restarts Postgres.
    #[arg(last = true, required = true)]
    restart: Vec<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut checks = Checks::default();
    match suite(&args, &mut checks).await {
        Ok(summary) => println!("{summary}"),
        Err(e) => checks.check(false, format!("the suite could not run: {e:#}")),
    }
    println!("{}", checks.tally());
    if checks.all_passed() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

async fn suite(args: &Args, checks: &mut Checks) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .no_proxy()
        .build()?;
    let db = PgPoolOptions::new()
        .max_connections(2)
        .connect(&args.database_url)
        .await
        .context("connecting to the suite's database")?;
    let items: Vec<i32> = sqlx::query_scalar(
        "SELECT i.id FROM items i JOIN item_embeddings e ON e.item_id = i.id ORDER BY i.id LIMIT 50",
    )
    .fetch_all(&db)
    .await?;
    if items.is_empty() {
        bail!("the database has no embedded titles (run import catalog and embed first)");
    }

    let intent = Fake::start(Dialect::OpenAi, STALL).await;
    let rerank = Fake::start(Dialect::OpenAi, STALL).await;
    let tmdb = Fake::start(Dialect::Tmdb, STALL).await;
    let launch = Launch {
        bin: &args.server,
        database_url: &args.database_url,
        model: &args.model,
        log: &args.log,
        pid_file: args.pid_file.as_ref(),
    };
    let upstreams = Upstreams {
        intent: intent.uri(),
        rerank: rerank.uri(),
        tmdb: tmdb.uri(),
    };
    let mut server = Server::spawn(&launch, &upstreams)?;
    server
        .wait_for(&client, "/healthz", Duration::from_secs(120))
        .await?;
    server
        .wait_for(&client, "/readyz", Duration::from_secs(60))
        .await?;
    println!("server up at {} (log: {})", server.base, args.log.display());

    println!("phase 1: external faults");
    let external = external::run(&client, &server.base).await;
    for failure in external.failures.iter().take(5) {
        println!("    {failure}");
    }
    checks.check(
        external.failures.is_empty(),
        format!(
            "{}/{} /recommend with failing providers answered 200 with a list",
            external.ok, external.sent
        ),
    );
    for (name, fake) in [
        ("intent + rewrite LLM", &intent),
        ("rerank LLM", &rerank),
        ("TMDB", &tmdb),
    ] {
        let received = fake.received().await;
        checks.check(
            received > 0,
            format!("the {name} fake received {received} requests"),
        );
    }
    let calls = external::language_calls(&client, &server.base).await?;
    for service in ["entity_link", "intent", "rewrite", "rerank"] {
        let outcomes = calls.get(service).cloned().unwrap_or_default();
        let fell_back: u64 = outcomes
            .iter()
            .filter(|(outcome, _)| !matches!(outcome.as_str(), "ok" | "cache"))
            .map(|(_, n)| n)
            .sum();
        checks.check(
            fell_back > 0,
            format!("{service} fell back {fell_back} times (server counters: {outcomes:?})"),
        );
    }

    println!("phase 2: database restart under load");
    let before = postmaster_start(&db).await?;
    let run = run_tag();
    let plan = restart::Plan {
        command: &args.restart,
        duration: Duration::from_secs_f64(args.load_secs),
        restart_after: Duration::from_secs_f64(args.restart_after_secs),
        run: &run,
        items: &items,
    };
    let outcome = restart::run(&client, &server.base, &plan).await;
    println!(
        "    writes {:?}, reads {:?}",
        outcome.write_tally.statuses, outcome.read_tally.statuses
    );
    match &outcome.restart {
        Ok(took) => checks.check(
            postmaster_start(&db).await? != before,
            format!(
                "Postgres restarted (the command took {:.1} s)",
                took.as_secs_f64()
            ),
        ),
        Err(e) => checks.check(false, format!("the restart command failed: {e}")),
    }
    let transport: Vec<&String> = outcome
        .write_tally
        .transport_errors
        .iter()
        .chain(&outcome.read_tally.transport_errors)
        .collect();
    for e in transport.iter().take(5) {
        println!("    transport error: {e}");
    }
    checks.check(
        transport.is_empty(),
        format!(
            "every request got an HTTP answer ({} transport errors)",
            transport.len()
        ),
    );
    let unexpected = outcome.write_tally.unexpected() + outcome.read_tally.unexpected();
    checks.check(
        unexpected == 0,
        format!("only 200 and 503 answers ({unexpected} others)"),
    );
    let n503 = outcome.write_tally.count(503) + outcome.read_tally.count(503);
    let missing_retry =
        outcome.write_tally.missing_retry_after + outcome.read_tally.missing_retry_after;
    checks.check(
        missing_retry == 0,
        format!("every 503 carries Retry-After ({missing_retry} of {n503} without)"),
    );

    let stored = stored_writes(&db, &run).await?;
    let acked: Vec<&restart::Write> = outcome.writes.iter().filter(|w| w.acked()).collect();
    let lost = acked
        .iter()
        .filter(|w| {
            !stored
                .rows
                .get(&w.user_id)
                .is_some_and(|items| items.contains(&w.item))
        })
        .count();
    let duplicated = stored.rows.values().filter(|items| items.len() > 1).count();
    let without_profile = acked
        .iter()
        .filter(|w| !stored.profiles.contains(&w.user_id))
        .count();
    let unacked_stored = outcome
        .writes
        .iter()
        .filter(|w| !w.acked() && stored.rows.contains_key(&w.user_id))
        .count();
    checks.check(
        lost == 0,
        format!("no acknowledged write lost ({lost} of {})", acked.len()),
    );
    checks.check(
        duplicated == 0,
        format!("no write stored twice ({duplicated})"),
    );
    checks.check(
        without_profile == 0,
        format!("every acknowledged write has its profile ({without_profile} without)"),
    );
    checks.check(
        outcome.acked_after_restart > 0,
        format!(
            "writes succeed again after the restart ({} acknowledged; {unacked_stored} unacknowledged writes were stored nonetheless)",
            outcome.acked_after_restart
        ),
    );
    let ready = outcome.ready_after.map(|d| d.as_secs_f64());
    checks.check(
        ready.is_some(),
        match ready {
            Some(secs) => format!("/readyz 200 again {secs:.2} s after the restart"),
            None if outcome.restart.is_err() => "/readyz not polled: no restart".to_owned(),
            None => "/readyz never answered 200 again".to_owned(),
        },
    );
    checks.check(server.alive(), "the server is still running");
    drop(server);
    log_is_plain(args, checks)?;

    let other_5xx: usize = [&outcome.write_tally, &outcome.read_tally]
        .iter()
        .flat_map(|t| t.statuses.iter())
        .filter(|(s, _)| **s >= 500 && **s != 503)
        .map(|(_, n)| n)
        .sum();
    Ok(format!(
        "faults: writes acked {}, lost {lost}, duplicated {duplicated}; 503s {n503} ({}), other 5xx {other_5xx}; {}; external faults: {}/{} /recommend 200",
        acked.len(),
        if missing_retry == 0 {
            "all with Retry-After".to_owned()
        } else {
            format!("{missing_retry} without Retry-After")
        },
        ready.map_or("never ready again".to_owned(), |s| format!(
            "ready again after {s:.2} s"
        )),
        external.ok,
        external.sent,
    ))
}

/// The server's log exists, has lines, and no ANSI colour codes (logs are plain when stderr
/// is not a terminal).
fn log_is_plain(args: &Args, checks: &mut Checks) -> anyhow::Result<()> {
    let log =
        std::fs::read(&args.log).with_context(|| format!("reading {}", args.log.display()))?;
    let lines = log.iter().filter(|b| **b == b'\n').count();
    let escapes = log.iter().filter(|b| **b == 0x1b).count();
    checks.check(
        lines > 0 && escapes == 0,
        format!("the server log has {lines} lines and {escapes} ANSI escapes"),
    );
    Ok(())
}

/// A tag unique to this run (seconds since the epoch, base 36), part of every user id.
fn run_tag() -> String {
    let mut n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut tag = Vec::new();
    loop {
        tag.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    tag.reverse();
    String::from_utf8(tag).expect("ASCII digits. This is a bug.")
}

async fn postmaster_start(db: &PgPool) -> anyhow::Result<String> {
    sqlx::query_scalar("SELECT pg_postmaster_start_time()::text")
        .fetch_one(db)
        .await
        .context("reading pg_postmaster_start_time()")
}

/// This run's history rows (user id → item ids) and profiles.
struct Stored {
    rows: BTreeMap<String, Vec<i32>>,
    profiles: HashSet<String>,
}

async fn stored_writes(db: &PgPool, run: &str) -> anyhow::Result<Stored> {
    let pattern = format!("fw-{run}-%");
    let history: Vec<(String, i32)> =
        sqlx::query_as("SELECT user_id, item_id FROM user_history WHERE user_id LIKE $1")
            .bind(&pattern)
            .fetch_all(db)
            .await
            .context("reading the writes back")?;
    let mut rows: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (user, item) in history {
        rows.entry(user).or_default().push(item);
    }
    let profiles = sqlx::query_scalar("SELECT user_id FROM users WHERE user_id LIKE $1")
        .bind(&pattern)
        .fetch_all(db)
        .await
        .context("reading the profiles back")?
        .into_iter()
        .collect();
    Ok(Stored { rows, profiles })
}
