//! `seenemall eval`: offline ranking quality on a MovieLens temporal split (no server needed).

use crate::train::TasteArgs;
use anyhow::Context;
use seen_core::mixer::MixerWeights;
use seen_core::serendipity::SerendipitySettings;
use seen_core::taste::TasteParams;
use seen_etl::eval::product::ProductSettings;
use seen_etl::eval::{EvalOptions, run as run_job};
use std::path::PathBuf;

/// Evaluation settings.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
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
            }
            .clamped(),
            diversify: !self.no_diversify,
            serendipity: SerendipitySettings::new(self.serendipity_ratio),
            ..ProductSettings::default()
        }
    }
}

pub async fn run(args: EvalArgs) -> anyhow::Result<()> {
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
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).context("serialising the report")?
        );
    } else {
        print!("{report}");
    }
    Ok(())
}
