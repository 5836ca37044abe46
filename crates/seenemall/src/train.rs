//! `seenemall train`: fit the taste model on everyone's history and store it as a new version.

use seen_core::taste::{EventWeights, SequenceParams, TasteParams};
use seen_etl::train::{TrainOptions, run as run_job};

/// The taste model's parameters (shared by `train` and `eval`); defaults are the tuned ones.
#[derive(Debug, Clone, clap::Args)]
pub struct TasteArgs {
    /// L2 regularisation λ: larger trusts rare co-occurrences less.
    #[arg(long, env = "TASTE_LAMBDA", default_value_t = TasteParams::default().lambda)]
    lambda: f64,
    /// Weights kept per title (its strongest neighbours); bounds the model's size.
    #[arg(long, env = "TASTE_TOP_K", default_value_t = TasteParams::default().top_k)]
    top_k: usize,
    /// Titles with fewer distinct users are left out of the model.
    #[arg(long, env = "TASTE_MIN_USERS", default_value_t = TasteParams::default().min_users)]
    min_users: usize,
    /// Training weight of a `liked` event.
    #[arg(long, default_value_t = TasteParams::default().fit_weights.liked)]
    liked_weight: f32,
    /// Training weight of a `watched` (or other positive) event.
    #[arg(long, default_value_t = TasteParams::default().fit_weights.watched)]
    watched_weight: f32,
    /// Training weight of a `disliked` / `not_interested` event.
    #[arg(long, default_value_t = TasteParams::default().fit_weights.disliked)]
    disliked_weight: f32,
    /// Scoring weight of a `liked` title in the user's history.
    #[arg(long, default_value_t = TasteParams::default().score_weights.liked)]
    score_liked_weight: f32,
    /// Scoring weight of a `watched` title in the user's history.
    #[arg(long, default_value_t = TasteParams::default().score_weights.watched)]
    score_watched_weight: f32,
    /// Scoring weight of a `disliked` title in the user's history (may be negative).
    #[arg(long, default_value_t = TasteParams::default().score_weights.disliked, allow_negative_numbers = true)]
    score_disliked_weight: f32,
    /// A history title's scoring weight halves every this many newer titles (unset: no decay).
    #[arg(long, env = "TASTE_RECENCY_HALF_LIFE")]
    recency_half_life: Option<f32>,
    /// Turn the recency decay off even when the default has one.
    #[arg(long, conflicts_with = "recency_half_life")]
    no_recency: bool,
    /// Share of the order signal (what people watch next after the viewer's newest titles)
    /// in a score; 0 leaves it out of the model.
    #[arg(long, env = "TASTE_SEQUENCE_WEIGHT", default_value_t = SequenceParams::default().weight)]
    sequence_weight: f32,
    /// Titles after one that count as watched after it.
    #[arg(long, default_value_t = SequenceParams::default().window)]
    sequence_window: usize,
    /// The viewer's newest titles the order signal predicts from.
    #[arg(long, default_value_t = SequenceParams::default().last)]
    sequence_last: usize,
    /// Among those, a title's weight halves every this many newer titles.
    #[arg(long, default_value_t = SequenceParams::default().half_life)]
    sequence_half_life: f32,
}

impl TasteArgs {
    /// The parameters these flags describe (validated by the job).
    pub fn params(&self) -> TasteParams {
        TasteParams {
            lambda: self.lambda,
            top_k: self.top_k,
            min_users: self.min_users,
            fit_weights: EventWeights {
                liked: self.liked_weight,
                watched: self.watched_weight,
                disliked: self.disliked_weight,
            },
            score_weights: EventWeights {
                liked: self.score_liked_weight,
                watched: self.score_watched_weight,
                disliked: self.score_disliked_weight,
            },
            recency_half_life: if self.no_recency {
                None
            } else {
                self.recency_half_life
                    .or(TasteParams::default().recency_half_life)
            },
            sequence: SequenceParams {
                weight: self.sequence_weight,
                window: self.sequence_window,
                last: self.sequence_last,
                half_life: self.sequence_half_life,
                ..SequenceParams::default()
            },
        }
    }
}

/// Training settings.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Postgres connection URL (its value is never printed: it may hold a password).
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    database_url: String,
    #[command(flatten)]
    taste: TasteArgs,
    /// Model versions kept in the database (older ones are deleted with the save).
    #[arg(long, default_value_t = 3)]
    keep: usize,
}

pub async fn run(args: TrainArgs) -> anyhow::Result<()> {
    let pool = crate::cli::connect_checked(&args.database_url).await?;
    let opts = TrainOptions {
        params: args.taste.params(),
        keep: args.keep,
        ..TrainOptions::default()
    };
    let summary = run_job(&pool, &opts).await?;
    println!("{summary}");
    Ok(())
}
