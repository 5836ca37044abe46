//! `GET /recommend` and `GET /debug/recommend` (the same list plus the pipeline trace).

use crate::error::{ApiResult, DetailBody, ValidationBody};
use crate::extract::ValidQuery;
use crate::recommend::params::{RecommendQuery, RecommendRequest};
use crate::recommend::response::{DebugRecommendPage, RecommendPage};
use crate::recommend::{PageOut, recommend};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recommend", get(get_recommend))
        .route("/debug/recommend", get(get_debug_recommend))
}

/// Ranked recommendations for a user, optionally steered by a natural-language query.
#[utoipa::path(
    get,
    path = "/recommend",
    tag = "recommend",
    params(RecommendQuery),
    responses(
        (status = 200, description = "A page of recommendations", body = RecommendPage),
        (status = 400, description = "Invalid or stale cursor", body = DetailBody),
        (status = 422, description = "Invalid parameters", body = ValidationBody),
        (status = 429, description = "Too many rankings in flight (see Retry-After)", body = DetailBody),
        (status = 503, description = "Database unavailable (see Retry-After)", body = DetailBody),
    )
)]
pub(crate) async fn get_recommend(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<RecommendQuery>,
) -> ApiResult<Response> {
    let out = recommend(&state, &RecommendRequest::from(query)).await?;
    let (items, next_cursor) = page(&out);
    Ok(Json(RecommendPage::new(items, next_cursor)).into_response())
}

/// `/recommend` plus a trace of every pipeline stage (for the debug UI).
#[utoipa::path(
    get,
    path = "/debug/recommend",
    tag = "recommend",
    params(RecommendQuery),
    responses(
        (status = 200, description = "A page of recommendations with the pipeline trace", body = DebugRecommendPage),
        (status = 400, description = "Invalid or stale cursor", body = DetailBody),
        (status = 422, description = "Invalid parameters", body = ValidationBody),
        (status = 429, description = "Too many rankings in flight (see Retry-After)", body = DetailBody),
        (status = 503, description = "Database unavailable (see Retry-After)", body = DetailBody),
    )
)]
pub(crate) async fn get_debug_recommend(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<RecommendQuery>,
) -> ApiResult<Response> {
    let out = recommend(&state, &RecommendRequest::from(query)).await?;
    let (items, next_cursor) = page(&out);
    let page = RecommendPage::new(items, next_cursor);
    let debug = serde_json::to_value(&out.list.ranked.trace).map_err(anyhow::Error::from)?;
    Ok(Json(DebugRecommendPage {
        items: page.items,
        next_cursor: page.next_cursor,
        debug,
    })
    .into_response())
}

fn page(out: &PageOut) -> (&[seen_core::Candidate], Option<&str>) {
    (
        &out.list.ranked.items[out.start..out.end],
        out.next_cursor.as_deref(),
    )
}
