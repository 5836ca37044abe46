//! HTTP load script for a running server with the demo loaded (`make bench-http`).
//!
//! Four bounded scenarios, each a fixed number of requests at a fixed concurrency, all on
//! loopback: cache-miss `/recommend` for warm MovieLens users without and with a query
//! (diversify=true), cache-hit `/recommend` (one request repeated), and `/user/history` with
//! its profile recompute (200 writers that start empty on every run when `DATABASE_URL` is
//! set, so reruns measure the same work).
//! Prints p50/p95/p99 latency and throughput per scenario. `BENCH_SCENARIOS` (comma list of
//! `miss`, `query`, `hit`, `history`) runs only those.
//!
//! `cargo run --release -p seen-api --example load -- [BASE_URL] [REQUESTS] [CONCURRENCY]`

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8000".into());
    let requests: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(600);
    let concurrency: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(8);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    println!("target {base}, {requests} requests per scenario, concurrency {concurrency}");
    // BENCH_SCENARIOS=miss,query,hit,history (default: all) runs a subset, e.g. to profile one.
    let scenarios = std::env::var("BENCH_SCENARIOS").unwrap_or_default();
    let wanted =
        |name: &str| scenarios.is_empty() || scenarios.split(',').any(|s| s.trim() == name);

    // Warm MovieLens users (their own history, no profile namespace). A per-run nonce in the
    // 9th decimal of one mixer weight changes the cache key without changing the ranking, so a
    // rerun within the cache TTL still measures misses.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() % 1000)
        .unwrap_or(0);
    let novelty = format!("0.100000{nonce:03}");
    if wanted("miss") {
        let miss = run(&client, requests, concurrency, |i| {
            let user = format!("ml{}", i % 610 + 1);
            let round = i / 610;
            (
                format!(
                    "{base}/recommend?user_id={user}&limit=20&diversify=true&mixer_novelty_weight={novelty}{round}"
                ),
                None,
            )
        })
        .await;
        report("recommend, cache miss, warm users, no query", &miss);
    }

    const QUERIES: [&str; 12] = [
        "light sci-fi under 2 hours",
        "dark crime thriller",
        "feel good comedy",
        "movies from the 90s",
        "something in french",
        "animated family adventure",
        "space opera",
        "romantic comedy",
        "no gore",
        "mind-bending mystery",
        "war drama based on a true story",
        "kids show",
    ];
    if wanted("query") {
        let with_query = run(&client, requests, concurrency, |i| {
            let user = format!("ml{}", i % 610 + 1);
            let query = QUERIES[i % QUERIES.len()].replace(' ', "+");
            (
                format!(
                    "{base}/recommend?user_id={user}&limit=20&diversify=true&query={query}&mixer_novelty_weight={novelty}"
                ),
                None,
            )
        })
        .await;
        report(
            "recommend, cache miss, warm users with a query",
            &with_query,
        );
    }

    if wanted("hit") {
        let hit_url = format!("{base}/recommend?user_id=ml1&limit=20&diversify=true");
        client.get(&hit_url).send().await?;
        let hit = run(&client, requests, concurrency, |_| (hit_url.clone(), None)).await;
        report("recommend, cache hit", &hit);
    }

    if wanted("history") {
        // Writers start empty on every run (when DATABASE_URL is set), so repeated runs measure
        // the same work: 200 users, each adding a few different well-known films.
        reset_writers().await?;
        const FILMS: [i32; 10] = [862, 603, 155, 27205, 680, 13, 550, 278, 238, 120];
        let history = run(&client, requests, concurrency, |i| {
            let body = serde_json::json!({
                "user_id": format!("bench-writer-{}", i % 200),
                "tmdb_ids": [FILMS[(i / 200 + i) % FILMS.len()]],
                "media_type": "movie",
            });
            (format!("{base}/user/history"), Some(body))
        })
        .await;
        report("user/history with profile recompute", &history);
    }
    Ok(())
}

/// Deletes the `bench-writer-*` users and their history, when `DATABASE_URL` is set.
async fn reset_writers() -> Result<(), Box<dyn std::error::Error>> {
    let Some(url) = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        println!("(DATABASE_URL unset: bench-writer users keep the history of earlier runs)");
        return Ok(());
    };
    let pool = sqlx::PgPool::connect(&url).await?;
    // language=PostgreSQL
    sqlx::query("DELETE FROM user_history WHERE user_id LIKE 'bench-writer-%'")
        .execute(&pool)
        .await?;
    // language=PostgreSQL
    sqlx::query("DELETE FROM users WHERE user_id LIKE 'bench-writer-%'")
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(())
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

async fn run(
    client: &reqwest::Client,
    requests: usize,
    concurrency: usize,
    make: impl Fn(usize) -> (String, Option<serde_json::Value>),
) -> Outcome {
    let gate = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for i in 0..requests {
        let (url, body) = make(i);
        let client = client.clone();
        let permit = gate.clone().acquire_owned().await.expect("semaphore open");
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let resp = match body {
                Some(b) => client.post(&url).json(&b).send().await,
                None => client.get(&url).send().await,
            };
            drop(permit);
            let ok = matches!(&resp, Ok(r) if r.status().is_success());
            (t.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0;
    for t in tasks {
        match t.await {
            Ok((d, true)) => latencies.push(d),
            _ => errors += 1,
        }
    }
    latencies.sort();
    Outcome {
        latencies,
        errors,
        elapsed: started.elapsed(),
    }
}

fn report(name: &str, o: &Outcome) {
    let pct = |p: f64| {
        o.latencies
            .get(((o.latencies.len() as f64 * p) as usize).min(o.latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{name}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, {:.0} req/s, {} errors",
        pct(0.50),
        pct(0.95),
        pct(0.99),
        o.latencies.len() as f64 / o.elapsed.as_secs_f64(),
        o.errors
    );
}
