//! OpenAPI schemas of the bodies that are not typed structs in the handlers (the handlers
//! validate raw JSON the FastAPI way), and of the shared error bodies. Documentation only:
//! nothing here is (de)serialised at run time, so each type must follow the handler it
//! describes.

#![allow(dead_code)] // Fields are read by the OpenAPI derive only.

use utoipa::{IntoParams, ToSchema};

/// An error with a message, e.g. `{"detail": "Link not found"}`.
#[derive(ToSchema)]
#[schema(example = json!({"detail": "Link not found"}))]
pub struct DetailBody {
    /// What went wrong.
    detail: String,
}

/// A validation failure (422), every bad field listed.
#[derive(ToSchema)]
#[schema(example = json!({"detail": [{"type": "missing", "loc": ["query", "service"], "msg": "Field required", "input": null}]}))]
pub struct ValidationBody {
    /// One entry per problem.
    detail: Vec<ValidationProblem>,
}

/// One validation problem (FastAPI/pydantic shape).
#[derive(ToSchema)]
pub struct ValidationProblem {
    /// Machine-readable kind: `missing`, `int_parsing`, `string_type`, `greater_than_equal`, ...
    #[schema(rename = "type")]
    kind: String,
    /// Where: `["query", "limit"]`, `["body", "items", "0"]`, `["path", "item_id"]`.
    loc: Vec<String>,
    /// Human-readable message.
    msg: String,
    /// The offending input, when there is one.
    #[schema(value_type = Value)]
    input: Option<()>,
}

/// `{"ok": true}`.
#[derive(ToSchema)]
pub struct OkBody {
    /// Always true.
    ok: bool,
}

/// `GET /healthz` answer.
#[derive(ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct HealthBody {
    /// Always `ok`.
    status: String,
}

/// `GET /readyz` answer.
#[derive(ToSchema)]
#[schema(example = json!({"status": "ready", "database": "ok", "migrations": 3}))]
pub struct ReadyBody {
    /// `ready`.
    status: String,
    /// `ok`.
    database: String,
    /// Migrations applied.
    migrations: i64,
}

/// Movie or TV show.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum MediaTypeDoc {
    Movie,
    Tv,
}

/// `POST /user/history` body. Integer fields also accept `"3"`, `3.0` and `true`.
#[derive(ToSchema)]
pub struct HistoryBody {
    /// Base user id (not blank; with the profile at most 128 characters).
    user_id: String,
    /// Profile name; events go to `user_id::profile`.
    profile: Option<String>,
    /// Catalog ids (`items.id`). Give `items` or `tmdb_ids` (or both); unknown ids are a 422
    /// and nothing is written.
    items: Option<Vec<i32>>,
    /// TMDB ids, resolved to catalog ids.
    tmdb_ids: Option<Vec<i32>>,
    /// Disambiguates `tmdb_ids` found both as a movie and a TV show.
    media_type: Option<MediaTypeDoc>,
    /// `watched` (default), `liked`, `rated`, `not_interested`, `disliked`, ... (1..=32 chars).
    #[schema(default = "watched", min_length = 1, max_length = 32)]
    event_type: Option<String>,
    /// Event weight (≥ 0).
    #[schema(default = 1, minimum = 0)]
    weight: Option<i32>,
}

/// `POST /user/history` answer: the ids as sent.
#[derive(ToSchema)]
#[schema(example = json!({"ok": true, "user_id": "u1", "profile": null}))]
pub struct HistoryOk {
    /// Always true.
    ok: bool,
    /// As sent.
    user_id: String,
    /// As sent, or null.
    profile: Option<String>,
}

/// `GET /recommend` query parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendQuery {
    /// Base user id.
    user_id: String,
    /// Page size (also drives the candidate pool sizes).
    #[param(default = 20, minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Natural-language request ("feel-good comedies under 105 minutes"). Empty = no query.
    query: Option<String>,
    /// Opaque cursor from the previous page's `next_cursor` (invalid → 400).
    cursor: Option<String>,
    /// Franchise cap and MMR diversification. Booleans accept true/false, 1/0, yes/no, on/off, t/f, y/n.
    #[param(default = true)]
    diversify: Option<bool>,
    /// Profile name (`user_id::profile`); blank = none.
    profile: Option<String>,
    /// false = skip the LLM intent parser.
    #[param(default = true)]
    use_llm_intent: Option<bool>,
    /// Replaces the intent's ANN description.
    ann_description_override: Option<String>,
    /// Manual rewrite text (truncated to 8 words).
    rewrite_override: Option<String>,
    /// Weight of the ANN description in the rewrite vector.
    #[param(minimum = 0.0)]
    ann_weight_override: Option<f64>,
    /// Weight of the rewrite text in the rewrite vector.
    #[param(minimum = 0.0)]
    rewrite_weight_override: Option<f64>,
    /// Comma-separated genres replacing the intent's include-genres.
    genre_override: Option<String>,
    /// Mixer weight override: query similarity (floored at 0.05).
    #[param(minimum = 0.0)]
    mixer_ann_weight: Option<f64>,
    /// Mixer weight override: collaborative evidence.
    #[param(minimum = 0.0)]
    mixer_collab_weight: Option<f64>,
    /// Mixer weight override: trending prior.
    #[param(minimum = 0.0)]
    mixer_trending_weight: Option<f64>,
    /// Mixer weight override: popularity.
    #[param(minimum = 0.0)]
    mixer_popularity_weight: Option<f64>,
    /// Mixer weight override: vote count.
    #[param(minimum = 0.0)]
    mixer_vote_weight: Option<f64>,
    /// Mixer weight override: novelty.
    #[param(minimum = 0.0)]
    mixer_novelty_weight: Option<f64>,
}

/// A genre as TMDB gives it.
#[derive(ToSchema)]
pub struct GenreDoc {
    id: Option<i64>,
    name: String,
}

/// Where to watch a title.
#[derive(ToSchema)]
pub struct WatchOptionDoc {
    /// JustWatch short name (`nfx`, `dnp`, ...).
    service: String,
    /// Deeplink, else web URL, of the best offer of that service.
    url: String,
}

/// One recommended title (keys in this order).
#[derive(ToSchema)]
pub struct RecommendItem {
    id: i32,
    tmdb_id: i32,
    media_type: MediaTypeDoc,
    title: String,
    overview: Option<String>,
    poster_url: Option<String>,
    /// Minutes.
    runtime: Option<i32>,
    original_language: Option<String>,
    genres: Vec<GenreDoc>,
    release_year: Option<i32>,
    collection_id: Option<i32>,
    collection_name: Option<String>,
    maturity_rating: Option<String>,
    /// Offers in the configured country; may be empty.
    watch_options: Vec<WatchOptionDoc>,
    /// The first option's URL.
    watch_url: Option<String>,
    popularity: Option<f64>,
    vote_average: Option<f64>,
    vote_count: Option<i32>,
    popular_rank: Option<i32>,
    trending_rank: Option<i32>,
    top_rated_rank: Option<i32>,
    /// Heuristic or reranker score.
    score: f64,
    /// Why this title.
    explanation: String,
}

/// A page of recommendations.
#[derive(ToSchema)]
pub struct RecommendPage {
    items: Vec<RecommendItem>,
    /// Present only when there is a next page.
    next_cursor: Option<String>,
}

/// A page of recommendations plus the pipeline trace.
#[derive(ToSchema)]
pub struct DebugRecommendPage {
    items: Vec<RecommendItem>,
    next_cursor: Option<String>,
    /// What the pipeline did: `path`, `intent`, `intent_source`, `filters`, `rewrite`,
    /// `prefilter`, `counts`, `stages` (ms per stage), `reranker` and per-item `items`
    /// (mixer components, rules, MMR moves, serendipity). Its shape may grow.
    #[schema(value_type = Object)]
    debug: (),
}
