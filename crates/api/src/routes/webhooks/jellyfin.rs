//! `POST /webhooks/jellyfin`: the Jellyfin webhook plugin's "Generic" destination with "Send
//! All Properties" (its JSON, whatever the Content-Type header says).

use super::{WebhookParams, WebhookReply, authorise, record};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use seen_core::webhooks::jellyfin::{JellyfinPayload, interpret};

pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/jellyfin", post(post_jellyfin))
}

/// Records a Jellyfin viewing (`PlaybackStop` played to completion, `UserDataSaved` played)
/// or favourite (`UserDataSaved` favourite).
#[utoipa::path(
    post,
    path = "/webhooks/jellyfin",
    tag = "history",
    params(WebhookParams),
    request_body(content = Object, content_type = "application/json",
                 description = "The Jellyfin webhook plugin's JSON (Send All Properties)"),
    responses(
        (status = 200, description = "Recorded, a duplicate, or ignored (see `ignored`)", body = WebhookReply),
        (status = 401, description = "Missing or wrong WEBHOOK_TOKEN"),
        (status = 404, description = "WEBHOOK_TOKEN is not set: webhooks are off"),
        (status = 422, description = "Not JSON"),
    )
)]
pub(crate) async fn post_jellyfin(
    State(state): State<AppState>,
    Query(params): Query<WebhookParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<WebhookReply>> {
    authorise(&state, &headers, &params)?;
    let payload: JellyfinPayload = serde_json::from_slice(&body).map_err(|e| {
        ApiError::invalid(
            "body",
            "",
            "json_invalid",
            format!("Not Jellyfin webhook JSON: {e}"),
            None,
        )
    })?;
    Ok(Json(
        record(&state, "jellyfin", interpret(&payload), &params).await?,
    ))
}
