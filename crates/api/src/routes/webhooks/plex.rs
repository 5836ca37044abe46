//! `POST /webhooks/plex`: Plex's webhook, a multipart form whose `payload` part is JSON (a
//! `thumb` JPEG part may come too and is skipped).

use super::{WebhookParams, WebhookReply, authorise, record};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use seen_core::webhooks::plex::{PlexPayload, interpret};

pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/plex", post(post_plex))
}

/// Records a Plex scrobble (`media.scrobble` → watched) or rating (`media.rate`).
#[utoipa::path(
    post,
    path = "/webhooks/plex",
    tag = "history",
    params(WebhookParams),
    request_body(content = Object, content_type = "multipart/form-data",
                 description = "Plex's webhook form: a `payload` part holding its JSON"),
    responses(
        (status = 200, description = "Recorded, a duplicate, or ignored (see `ignored`)", body = WebhookReply),
        (status = 401, description = "Missing or wrong WEBHOOK_TOKEN"),
        (status = 404, description = "WEBHOOK_TOKEN is not set: webhooks are off"),
        (status = 422, description = "No `payload` part, or not JSON"),
    )
)]
pub(crate) async fn post_plex(
    State(state): State<AppState>,
    Query(params): Query<WebhookParams>,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<WebhookReply>> {
    authorise(&state, &headers, &params)?;
    let mut form = form.map_err(|e| {
        ApiError::invalid(
            "body",
            "",
            "multipart",
            format!("Expected Plex's multipart form: {}", e.body_text()),
            None,
        )
    })?;
    let mut payload = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::BadRequest(e.body_text()))?
    {
        if field.name() == Some("payload") {
            let text = field
                .bytes()
                .await
                .map_err(|e| ApiError::BadRequest(e.body_text()))?;
            payload = Some(text);
        }
    }
    let text = payload.ok_or_else(|| {
        ApiError::invalid(
            "body",
            "payload",
            "missing",
            "Field required: Plex's `payload` part",
            None,
        )
    })?;
    let payload: PlexPayload = serde_json::from_slice(&text).map_err(|e| {
        ApiError::invalid(
            "body",
            "payload",
            "json_invalid",
            format!("Not Plex webhook JSON: {e}"),
            None,
        )
    })?;
    Ok(Json(
        record(&state, "plex", interpret(&payload), &params).await?,
    ))
}
