//! `seenemall serve` settings: clap structs with env fallbacks, using the original's variable
//! names (spec §8). Raw values become typed, clamped stage settings through the stages' own
//! constructors in `seen_core`. An unparsable value stops start-up with a message naming the
//! variable (the original silently fell back to the default).

use clap::Args;
use seen_core::heuristic::HeuristicSettings;
use seen_core::mixer::{MixerWeights, VoteScale};
use seen_core::mmr::MmrSettings;
use seen_core::profile::ProfileSettings;
use seen_core::serendipity::SerendipitySettings;
use seen_core::taste::RetrainPolicy;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything `serve` needs.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub http: HttpArgs,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[command(flatten)]
    pub mixer: MixerArgs,
    #[command(flatten)]
    pub diversity: DiversityArgs,
    #[command(flatten)]
    pub heuristic: HeuristicArgs,
    #[command(flatten)]
    pub language: crate::language::settings::LanguageArgs,
    #[command(flatten)]
    pub imports: crate::history_import::settings::ImportArgs,
    #[command(flatten)]
    pub auto_train: AutoTrainArgs,
}

/// The server retraining the taste model itself once enough new history has arrived.
#[derive(Debug, Clone, Args)]
pub struct AutoTrainArgs {
    /// Retrain the taste model in the background when enough new history has arrived (one
    /// replica at a time, with the newest model's parameters). `false` leaves training to
    /// `seenemall train`.
    #[arg(long, env = "AUTO_TRAIN", default_value_t = true, action = clap::ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub auto_train: bool,
    /// Seconds between checks for new history (one count over `user_history`). Short, so a
    /// fresh server fed a bulk of histories has a model within seconds of the first ones.
    #[arg(long, env = "AUTO_TRAIN_CHECK_SECS", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub auto_train_check_secs: u64,
    /// New history events needed before a retrain.
    #[arg(long, env = "AUTO_TRAIN_MIN_EVENTS", default_value_t = RetrainPolicy::default().min_new_events)]
    pub auto_train_min_events: u64,
    /// Share of the model's training history the new events must add (0.1: 10 % more).
    #[arg(long, env = "AUTO_TRAIN_MIN_GROWTH", default_value_t = RetrainPolicy::default().min_growth)]
    pub auto_train_min_growth: f64,
}

impl AutoTrainArgs {
    /// The retraining threshold (a negative growth counts as 0).
    pub fn policy(&self) -> RetrainPolicy {
        RetrainPolicy {
            min_new_events: self.auto_train_min_events,
            min_growth: self.auto_train_min_growth.max(0.0),
        }
    }

    /// Time between checks.
    pub fn interval(&self) -> Duration {
        Duration::from_secs(self.auto_train_check_secs)
    }
}

/// Server, database pool and request handling.
#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free port).
    #[arg(long, env = "PORT", default_value_t = 8000)]
    pub port: u16,
    /// Postgres connection URL (SQLAlchemy `postgresql+psycopg2://` URLs are accepted).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgresql://app:app@db:5432/reco"
    )]
    pub database_url: String,
    /// Maximum open database connections.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// Seconds a request waits for a free database connection.
    #[arg(long, env = "DB_ACQUIRE_TIMEOUT_SECS", default_value_t = 5)]
    pub db_acquire_timeout_secs: u64,
    /// Allowed CORS origins: `*` (any origin, credentials allowed, as the original) or a comma-separated list.
    #[arg(long, env = "CORS_ALLOW_ORIGINS", default_value = "*")]
    pub cors_allow_origins: String,
    /// Seconds before a request is cut off with 408.
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// `/recommend` computations allowed in flight; beyond that requests get 429 + Retry-After.
    #[arg(long, env = "MAX_CONCURRENT_RECOMMENDS", default_value_t = 64)]
    pub max_concurrent_recommends: usize,
    /// Bearer token every writing endpoint requires (`Authorization: Bearer <token>`): history,
    /// feedback, imports, webhooks. Unset or blank: no authentication, as the original.
    #[arg(long, env = "API_TOKEN", hide_env_values = true,
          value_parser = crate::language::settings::parse_secret)]
    pub api_token: Option<secrecy::SecretString>,
    /// With `API_TOKEN` set, require it on the API's reads too (`/recommend`, `/titles/search`, ...).
    #[arg(long, env = "API_TOKEN_READS", default_value_t = false, action = clap::ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub api_token_reads: bool,
    /// Directory with the built debug UI (served at `/`).
    #[arg(long, env = "UI_DIR", default_value = "frontend/dist")]
    pub ui_dir: PathBuf,
}

/// Data, model and config-file locations, and the retrieval knobs.
#[derive(Debug, Clone, Args)]
pub struct PipelineArgs {
    /// Country of the watch options in responses and of the provider filter.
    #[arg(long, env = "JUSTWATCH_COUNTRY", default_value = "IL")]
    pub justwatch_country: String,
    /// Embedding version every reader uses (`item_embeddings.version`).
    #[arg(long, env = "EMBED_VERSION", default_value = "v1")]
    pub embed_version: String,
    /// MiniLM model: a local directory with config.json, tokenizer.json, model.safetensors,
    /// or a Hugging Face repo id (needs network).
    #[arg(
        long,
        env = "EMBED_MODEL",
        default_value = ".local/models/all-MiniLM-L6-v2"
    )]
    pub embed_model: String,
    /// Half-life, in events, of the short-term taste vector.
    #[arg(long, env = "USER_PROFILE_DECAY_HALF_LIFE", default_value_t = 10.0)]
    pub user_profile_decay_half_life: f64,
    /// Business rules file (hot-reloaded).
    #[arg(
        long,
        env = "BUSINESS_RULES_PATH",
        default_value = "config/business_rules.json"
    )]
    pub business_rules_path: PathBuf,
    /// Explanation templates file (hot-reloaded).
    #[arg(
        long,
        env = "EXPLANATION_TEMPLATES_PATH",
        default_value = "config/explanation_templates.json"
    )]
    pub explanation_templates_path: PathBuf,
    /// Keyword fallback rules of the intent parser (read at start).
    #[arg(
        long,
        env = "INTENT_FALLBACKS_PATH",
        default_value = "config/intent_fallbacks.json"
    )]
    pub intent_fallbacks_path: PathBuf,
    /// Share of the user's short vector when a query is blended in (0..=1).
    #[arg(long, env = "REWRITE_BLEND_ALPHA_QUERY", default_value_t = 0.2)]
    pub rewrite_blend_alpha_query: f64,
    /// Weight of the intent's ANN description in the rewrite vector.
    #[arg(long, env = "ANN_DESCRIPTION_WEIGHT", default_value_t = 1.2)]
    pub ann_description_weight: f64,
    /// Weight of the rewrite text in the rewrite vector.
    #[arg(long, env = "REWRITE_TEXT_WEIGHT", default_value_t = 1.0)]
    pub rewrite_text_weight: f64,
    /// Seconds a ranked list stays cached (pages are served from it).
    #[arg(long, env = "RECOMMEND_CACHE_TTL_SECONDS", default_value_t = 300)]
    pub recommend_cache_ttl_seconds: u64,
    /// Ranked lists kept in memory at most.
    #[arg(long, env = "RECOMMEND_CACHE_CAPACITY", default_value_t = 10_000)]
    pub recommend_cache_capacity: u64,
    /// Keep a copy of the catalog (titles, vectors, offers) in memory so `/recommend` reads
    /// only user data from Postgres (~6.5 KB per title). `false` reads every title and runs
    /// the ANN in Postgres per request.
    #[arg(long, env = "CATALOG_CACHE", default_value_t = true, action = clap::ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub catalog_cache: bool,
}

/// Default mixer weights (per-request `mixer_*` parameters override them); the defaults are
/// `seen_core::mixer::MixerWeights::default()`, tuned with `seenemall eval`.
#[derive(Debug, Clone, Args)]
pub struct MixerArgs {
    /// Weight of query similarity (floored at 0.05).
    #[arg(long, env = "HYBRID_ANN_WEIGHT", default_value_t = MixerWeights::default().ann)]
    pub hybrid_ann_weight: f64,
    /// Weight of popularity.
    #[arg(long, env = "HYBRID_POPULARITY_WEIGHT", default_value_t = MixerWeights::default().popularity)]
    pub hybrid_popularity_weight: f64,
    /// Weight of the vote count.
    #[arg(long, env = "HYBRID_VOTE_WEIGHT", default_value_t = MixerWeights::default().vote)]
    pub hybrid_vote_weight: f64,
    /// Weight of collaborative evidence (the taste model, else the neighbours).
    #[arg(long, env = "MIXER_COLLAB_WEIGHT", default_value_t = MixerWeights::default().collab)]
    pub mixer_collab_weight: f64,
    /// Weight of the trending prior.
    #[arg(long, env = "MIXER_TRENDING_WEIGHT", default_value_t = MixerWeights::default().trending)]
    pub mixer_trending_weight: f64,
    /// Weight of novelty (less popular, fewer votes).
    #[arg(long, env = "MIXER_NOVELTY_WEIGHT", default_value_t = MixerWeights::default().novelty)]
    pub mixer_novelty_weight: f64,
    /// Weight of the full-text match of the query's words (hybrid retrieval).
    #[arg(long, env = "HYBRID_LEXICAL_WEIGHT", default_value_t = MixerWeights::default().lexical)]
    pub hybrid_lexical_weight: f64,
    /// Weight of the weighted rating (IMDb's formula) without a query; with one, 0.5.
    #[arg(long, env = "HYBRID_RATING_WEIGHT", default_value_t = MixerWeights::default().rating)]
    pub hybrid_rating_weight: f64,
}

/// MMR and serendipity.
#[derive(Debug, Clone, Args)]
pub struct DiversityArgs {
    /// MMR relevance/diversity trade-off (clamped to 0..=1).
    #[arg(long, env = "MMR_LAMBDA", default_value_t = 0.7)]
    pub mmr_lambda: f64,
    /// MMR candidate pool = page size × this (min 1).
    #[arg(long, env = "MMR_POOL_MULTIPLIER", default_value_t = 3)]
    pub mmr_pool_multiplier: i64,
    /// Minimum MMR pool (min 0).
    #[arg(long, env = "MMR_POOL_MIN", default_value_t = 25)]
    pub mmr_pool_min: i64,
    /// Maximum MMR pool (unset or ≤ 0: none).
    #[arg(long, env = "MMR_POOL_MAX")]
    pub mmr_pool_max: Option<i64>,
    /// Share of the first page reserved for long-tail picks (≤ 0 disables; else 0.1..=0.2).
    #[arg(long, env = "SERENDIPITY_RATIO", default_value_t = 0.15)]
    pub serendipity_ratio: f64,
}

/// Heuristic score weights and the low-signal penalty.
#[derive(Debug, Clone, Args)]
pub struct HeuristicArgs {
    #[arg(long, env = "HEURISTIC_POPULARITY_WEIGHT", default_value_t = 0.3)]
    pub heuristic_popularity_weight: f64,
    #[arg(long, env = "HEURISTIC_VOTE_QUALITY_WEIGHT", default_value_t = 0.2)]
    pub heuristic_vote_quality_weight: f64,
    #[arg(long, env = "HEURISTIC_VOTE_VOLUME_WEIGHT", default_value_t = 0.1)]
    pub heuristic_vote_volume_weight: f64,
    #[arg(long, env = "HEURISTIC_TRENDING_WEIGHT", default_value_t = 0.25)]
    pub heuristic_trending_weight: f64,
    #[arg(long, env = "HEURISTIC_POPULAR_WEIGHT", default_value_t = 0.15)]
    pub heuristic_popular_weight: f64,
    #[arg(long, env = "HEURISTIC_RECENT_WEIGHT", default_value_t = 0.2)]
    pub heuristic_recent_weight: f64,
    #[arg(long, env = "HEURISTIC_POSITION_BASE", default_value_t = 0.05)]
    pub heuristic_position_base: f64,
    #[arg(long, env = "HEURISTIC_POSITION_DECAY", default_value_t = 0.002)]
    pub heuristic_position_decay: f64,
    #[arg(long, env = "HEURISTIC_MIN_VOTE_COUNT", default_value_t = 50.0)]
    pub heuristic_min_vote_count: f64,
    #[arg(long, env = "HEURISTIC_LOW_VOTE_PENALTY", default_value_t = 0.35)]
    pub heuristic_low_vote_penalty: f64,
    #[arg(long, env = "HEURISTIC_MIN_POPULARITY", default_value_t = 20.0)]
    pub heuristic_min_popularity: f64,
    #[arg(long, env = "HEURISTIC_LOW_POPULARITY_PENALTY", default_value_t = 0.25)]
    pub heuristic_low_popularity_penalty: f64,
    /// > 0 drops low-signal items (only when a reranker is enabled, as the original).
    #[arg(long, env = "HEURISTIC_MIN_SIGNAL_MULTIPLIER", default_value_t = 0.0)]
    pub heuristic_min_signal_multiplier: f64,
}

impl HttpArgs {
    /// Database settings derived from these args.
    pub fn db(&self) -> seen_store::DbSettings {
        let mut db = seen_store::DbSettings::new(&self.database_url);
        db.max_connections = self.db_max_connections;
        db.acquire_timeout = Duration::from_secs(self.db_acquire_timeout_secs);
        db
    }
}

/// The typed, clamped settings the pipeline runs with.
#[derive(Debug, Clone)]
pub struct PipelineSettings {
    pub country: String,
    pub embed_version: String,
    pub profile: ProfileSettings,
    pub mixer: MixerWeights,
    pub mmr: MmrSettings,
    pub serendipity: SerendipitySettings,
    pub heuristic: HeuristicSettings,
    pub rewrite_alpha_query: f64,
    pub ann_description_weight: f64,
    pub rewrite_text_weight: f64,
    pub cache_ttl: Duration,
    pub cache_capacity: u64,
    pub max_concurrent: usize,
    pub catalog_cache: bool,
}

impl ServeArgs {
    /// Resolves raw args into clamped stage settings.
    pub fn pipeline_settings(&self) -> PipelineSettings {
        let h = &self.heuristic;
        PipelineSettings {
            country: self.pipeline.justwatch_country.trim().to_uppercase(),
            embed_version: self.pipeline.embed_version.clone(),
            profile: ProfileSettings {
                half_life: self.pipeline.user_profile_decay_half_life,
            },
            mixer: MixerWeights {
                ann: self.mixer.hybrid_ann_weight,
                collab: self.mixer.mixer_collab_weight,
                trending: self.mixer.mixer_trending_weight,
                popularity: self.mixer.hybrid_popularity_weight,
                vote: self.mixer.hybrid_vote_weight,
                novelty: self.mixer.mixer_novelty_weight,
                lexical: self.mixer.hybrid_lexical_weight,
                rating: self.mixer.hybrid_rating_weight,
                vote_scale: VoteScale::Linear,
            }
            .clamped(),
            mmr: MmrSettings::new(
                self.diversity.mmr_lambda,
                self.diversity.mmr_pool_multiplier,
                self.diversity.mmr_pool_min,
                self.diversity.mmr_pool_max,
            ),
            serendipity: SerendipitySettings::new(self.diversity.serendipity_ratio),
            heuristic: HeuristicSettings {
                popularity_weight: h.heuristic_popularity_weight,
                vote_quality_weight: h.heuristic_vote_quality_weight,
                vote_volume_weight: h.heuristic_vote_volume_weight,
                trending_weight: h.heuristic_trending_weight,
                popular_weight: h.heuristic_popular_weight,
                recent_weight: h.heuristic_recent_weight,
                position_base: h.heuristic_position_base,
                position_decay: h.heuristic_position_decay,
                min_vote_count: h.heuristic_min_vote_count,
                low_vote_penalty: h.heuristic_low_vote_penalty,
                min_popularity: h.heuristic_min_popularity,
                low_popularity_penalty: h.heuristic_low_popularity_penalty,
                min_signal_multiplier: h.heuristic_min_signal_multiplier,
            }
            .clamped(),
            rewrite_alpha_query: self.pipeline.rewrite_blend_alpha_query.clamp(0.0, 1.0),
            ann_description_weight: self.pipeline.ann_description_weight,
            rewrite_text_weight: self.pipeline.rewrite_text_weight,
            cache_ttl: Duration::from_secs(self.pipeline.recommend_cache_ttl_seconds),
            cache_capacity: self.pipeline.recommend_cache_capacity.max(1),
            max_concurrent: self.http.max_concurrent_recommends.max(1),
            catalog_cache: self.pipeline.catalog_cache,
        }
    }
}
