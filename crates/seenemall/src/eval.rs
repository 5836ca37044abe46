//! `seenemall eval`: offline ranking quality on a MovieLens temporal split (no server needed);
//! `seenemall eval queries`: the query-quality set against a running server;
//! `seenemall eval http`: the MovieLens split through a running server's HTTP API.

use crate::train::TasteArgs;
use anyhow::Context;
use seen_core::mixer::{MixerWeights, VoteScale};
use seen_core::serendipity::SerendipitySettings;
use seen_core::taste::TasteParams;
use seen_etl::eval::http::HttpEvalOptions;
use seen_etl::eval::product::ProductSettings;
use seen_etl::eval::queries::{self, QueryReport, read_cases};
use seen_etl::eval::report::EvalReport;
use seen_etl::eval::{EvalOptions, run as run_job};
use std::path::PathBuf;

/// Evaluation settings.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EvalArgs {
    #[command(subcommand)]
    command: Option<EvalCommand>,
    /// The MovieLens directory (ratings.csv and links.csv, plain or .gz).
    #[arg(default_value = "data/movielens")]
    dir: PathBuf,
    /// Evaluate this many users, drawn by --seed (default: every user).
    #[arg(long)]
    users: Option<usize>,
    /// Seed of the user sample.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// The taste model under evaluation (same flags and defaults as `seenemall train`).
    #[command(flatten)]
    taste: TasteArgs,
    /// λ of the plain-EASE baseline (binary events).
    #[arg(long, default_value_t = 200.0)]
    baseline_lambda: f64,
    /// Weights kept per title by the baseline.
    #[arg(long, default_value_t = 1_000)]
    baseline_top_k: usize,
    /// Titles with fewer users are left out of the baseline.
    #[arg(long, default_value_t = 1)]
    baseline_min_users: usize,
    /// The product's settings (defaults: the serving defaults).
    #[command(flatten)]
    product: ProductArgs,
    /// Postgres connection URL (its value is never printed: it may hold a password).
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    database_url: String,
}

#[derive(Debug, clap::Subcommand)]
enum EvalCommand {
    /// Natural-language requests: sends each request of the query set to a running server
    /// (a new user, limit 10, the server's defaults) and prints NDCG@10 / Recall@10 per
    /// request and overall. A server without an LLM key answers on the deterministic path;
    /// one with a key on the LLM path (the report names the intent parser that answered).
    Queries(QueriesArgs),
    /// The MovieLens split through a running server's HTTP API: posts each evaluated user's
    /// history part to `POST /user/history` (as `<prefix><userId>`), then scores
    /// `GET /recommend?limit=20&diversify=false` on their later ratings, beside most popular.
    /// Point the server at a database with the catalog but without `import movielens` (which
    /// holds the later ratings too); the server needs the database this command reads too.
    Http(HttpArgs),
}

#[derive(Debug, clap::Args)]
struct HttpArgs {
    /// The MovieLens directory (ratings.csv and links.csv, plain or .gz).
    #[arg(default_value = "data/movielens")]
    dir: PathBuf,
    /// The server to evaluate.
    #[arg(long, env = "SEENEMALL_URL", default_value = "http://127.0.0.1:8000")]
    url: String,
    /// Evaluate this many users, drawn by --seed (default: every user).
    #[arg(long)]
    users: Option<usize>,
    /// Seed of the user sample.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Prefix of the user ids the histories are posted under.
    #[arg(long, default_value = "ml-eval-")]
    user_prefix: String,
    /// Do not post the histories (an earlier run with the same prefix and sample did), only
    /// score: e.g. again after `seenemall train`.
    #[arg(long)]
    no_post: bool,
    /// Post each history as a client exporting ratings might: one request per event type
    /// (liked, then watched, then disliked) instead of one per run in time order.
    #[arg(long)]
    by_type: bool,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Postgres connection URL of the server's database (for the MovieLens → catalog mapping).
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    database_url: String,
}

#[derive(Debug, clap::Args)]
struct QueriesArgs {
    /// The query set (JSON lines: query, expected titles, reason).
    #[arg(default_value = "data/queries/queries.jsonl")]
    file: PathBuf,
    /// The server to ask.
    #[arg(long, env = "SEENEMALL_URL", default_value = "http://127.0.0.1:8000")]
    url: String,
    /// Print the reports as JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// More `/recommend` parameters for every request, as `name=value` (repeatable), e.g.
    /// `--param mixer_vote_weight=0.3` to try a mixer setting.
    #[arg(long = "param", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// Fail (exit 1) when the overall NDCG@10 is below this floor.
    #[arg(long)]
    min_ndcg: Option<f64>,
}

/// The product row's ranking settings, to tune the serving defaults with.
#[derive(Debug, clap::Args)]
struct ProductArgs {
    /// Mixer weight of the taste-vector similarity.
    #[arg(long, default_value_t = MixerWeights::default().ann)]
    ann_weight: f64,
    /// Mixer weight of the taste model's score.
    #[arg(long, default_value_t = MixerWeights::default().collab)]
    collab_weight: f64,
    /// Mixer weight of the trending prior.
    #[arg(long, default_value_t = MixerWeights::default().trending)]
    trending_weight: f64,
    /// Mixer weight of popularity.
    #[arg(long, default_value_t = MixerWeights::default().popularity)]
    popularity_weight: f64,
    /// Mixer weight of the vote count.
    #[arg(long, default_value_t = MixerWeights::default().vote)]
    vote_weight: f64,
    /// Mixer weight of novelty.
    #[arg(long, default_value_t = MixerWeights::default().novelty)]
    novelty_weight: f64,
    /// Rank as `/recommend?diversify=false` (franchise cap and MMR off).
    #[arg(long)]
    no_diversify: bool,
    /// Share of the first page for long-tail picks (0 turns the slot off).
    #[arg(long, default_value_t = SerendipitySettings::default().ratio)]
    serendipity_ratio: f64,
    /// The embedding version of the catalog copy.
    #[arg(long, env = "EMBED_VERSION", default_value = "v1")]
    embed_version: String,
    /// The streaming country of the catalog copy.
    #[arg(long, env = "JUSTWATCH_COUNTRY", default_value = "IL")]
    country: String,
}

impl ProductArgs {
    fn settings(&self) -> ProductSettings {
        ProductSettings {
            mixer: MixerWeights {
                ann: self.ann_weight,
                collab: self.collab_weight,
                trending: self.trending_weight,
                popularity: self.popularity_weight,
                vote: self.vote_weight,
                novelty: self.novelty_weight,
                lexical: MixerWeights::default().lexical,
                rating: MixerWeights::default().rating,
                vote_scale: VoteScale::Linear,
            }
            .clamped(),
            diversify: !self.no_diversify,
            serendipity: SerendipitySettings::new(self.serendipity_ratio),
            ..ProductSettings::default()
        }
    }
}

pub async fn run(args: EvalArgs) -> anyhow::Result<()> {
    match args.command {
        Some(EvalCommand::Queries(queries)) => return run_queries(queries).await,
        Some(EvalCommand::Http(http)) => return run_http(http).await,
        None => {}
    }
    let pool = crate::cli::connect_checked(&args.database_url).await?;
    let opts = EvalOptions {
        users: args.users,
        seed: args.seed,
        model: args.taste.params(),
        baseline: TasteParams::plain_ease(
            args.baseline_lambda,
            args.baseline_top_k,
            args.baseline_min_users,
        ),
        product: args.product.settings(),
        embed_version: args.product.embed_version.clone(),
        country: args.product.country.clone(),
        ..EvalOptions::new(args.dir)
    };
    let report = run_job(&pool, &opts).await?;
    print_report(&report, args.json)
}

async fn run_http(args: HttpArgs) -> anyhow::Result<()> {
    let pool = crate::cli::connect_checked(&args.database_url).await?;
    let opts = HttpEvalOptions {
        dir: args.dir,
        url: args.url,
        users: args.users,
        seed: args.seed,
        user_prefix: args.user_prefix,
        post: !args.no_post,
        by_type: args.by_type,
    };
    let report = seen_etl::eval::http::run(&pool, &opts).await?;
    print_report(&report, args.json)
}

fn print_report(report: &EvalReport, json: bool) -> anyhow::Result<()> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(report).context("serialising the report")?
        );
    } else {
        print!("{report}");
    }
    Ok(())
}

async fn run_queries(args: QueriesArgs) -> anyhow::Result<()> {
    let cases = read_cases(&args.file)?;
    let report = queries::run(&args.url, &cases, &args.params).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).context("serialising the report")?
        );
    } else {
        print_query_report(&report);
    }
    if let Some(floor) = args.min_ndcg {
        let overall = report.ndcg_at_10;
        anyhow::ensure!(
            overall >= floor,
            "the {} path's NDCG@10 {overall:.4} is below the floor {floor:.4}",
            report.path
        );
    }
    Ok(())
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("{text:?} is not name=value"))
}

fn print_query_report(report: &QueryReport) {
    println!(
        "intent parser: {} ({} requests)",
        report.path,
        report.queries.len()
    );
    println!(
        "{:<48} {:>8} {:>9}  top 3",
        "request", "NDCG@10", "Recall@10"
    );
    for q in &report.queries {
        println!(
            "{:<48} {:>8.4} {:>9.4}  {}",
            q.query,
            q.ndcg_at_10,
            q.recall_at_10,
            q.top
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(" · ")
        );
    }
    println!(
        "{:<48} {:>8.4} {:>9.4}",
        "overall (mean)", report.ndcg_at_10, report.recall_at_10
    );
}
