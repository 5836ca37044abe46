//! Throughput and query latency of the real encoder.
//!
//! `cargo run --release -p seen-embed --example embed_bench -- [N] [MAX_TOKENS] [MAX_ROWS]`
//! embeds N (default 2000) overviews from the demo catalog and times 10-word queries.
//! Model from `EMBED_MODEL_DIR` or `<repo>/.local/models/all-MiniLM-L6-v2`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use seen_embed::{BatchLimits, Embedder, MiniLmEncoder};

const QUERIES: [&str; 5] = [
    "funny space adventure with a talking robot and friends",
    "dark crime thriller about a detective hunting a killer",
    "feel good romantic comedy set in paris during summer",
    "animated family movie about a brave girl and dragons",
    "slow burn horror in an isolated cabin in winter",
];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = arg(&args, 0, 2000)?;
    let defaults = BatchLimits::default();
    let limits = BatchLimits {
        max_tokens: arg(&args, 1, defaults.max_tokens)?,
        max_rows: arg(&args, 2, defaults.max_rows)?,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let model_dir = std::env::var_os("EMBED_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".local/models/all-MiniLM-L6-v2"));

    let started = Instant::now();
    let encoder = MiniLmEncoder::load(&model_dir.to_string_lossy())
        .context("loading the model (run `make model`)")?
        .with_batch_limits(limits);
    println!("model load: {:.2} s", started.elapsed().as_secs_f64());

    let texts = overviews(&root, n)?;
    let pieces: usize = encoder.tokenize(&texts)?.iter().map(Vec::len).sum();
    println!(
        "{} texts, {:.1} word-pieces each on average; limits {limits:?}",
        texts.len(),
        pieces as f64 / texts.len() as f64
    );

    // Warm up caches and thread pools before timing.
    encoder.embed(&texts[..texts.len().min(64)])?;
    let (started, cpu_before) = (Instant::now(), cpu_seconds());
    let vectors = encoder.embed(&texts)?;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(vectors.len(), texts.len());
    println!(
        "throughput: {:.1} texts/s ({:.2} s for {}), {:.1} texts per CPU-second",
        texts.len() as f64 / secs,
        secs,
        texts.len(),
        cpu_before
            .zip(cpu_seconds())
            .map_or(f64::NAN, |(a, b)| texts.len() as f64 / (b - a))
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }

    let mut latencies = Vec::new();
    let cpu_before = cpu_seconds();
    for round in 0..200 {
        let query = QUERIES[round % QUERIES.len()].to_owned();
        let started = Instant::now();
        encoder.embed(&[query])?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let cpu_ms = cpu_before
        .zip(cpu_seconds())
        .map_or(f64::NAN, |(a, b)| (b - a) * 1000.0 / 200.0);
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    println!(
        "10-word query latency: p50 {:.1} ms, p95 {:.1} ms; {:.1} CPU-ms per query",
        pct(0.5),
        pct(0.95),
        cpu_ms
    );
    Ok(())
}

/// User + system CPU time of this process, from /proc (Linux only): on a busy machine
/// texts per CPU-second is steadier than wall-clock throughput.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn arg(args: &[String], i: usize, default: usize) -> Result<usize> {
    match args.get(i) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .with_context(|| format!("argument {} = {raw:?}", i + 1)),
    }
}

/// Non-empty overviews from the demo catalog, cycled if the catalog has fewer than `n`.
fn overviews(root: &Path, n: usize) -> Result<Vec<String>> {
    let candidates = [
        root.join("../shared/data/demo/catalog.jsonl.gz"),
        root.join("data/demo/catalog.jsonl.gz"),
    ];
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        bail!("no demo catalog at {candidates:?}");
    };
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut found = Vec::new();
    for line in BufReader::new(flate2::read::GzDecoder::new(file)).lines() {
        let row: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(overview) = row["overview"].as_str().filter(|o| !o.trim().is_empty()) {
            found.push(overview.to_owned());
            if found.len() == n {
                break;
            }
        }
    }
    if found.is_empty() {
        bail!("{} has no overviews", path.display());
    }
    Ok(found.iter().cycle().take(n).cloned().collect())
}
