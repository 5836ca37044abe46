//! `POST /webhooks/jellyfin` and `POST /webhooks/plex`: live watches from a media server.
//!
//! Both need `WEBHOOK_TOKEN`, sent as an `X-Webhook-Token` header or a `token` query parameter
//! (Plex can only be given a URL). Without `WEBHOOK_TOKEN` the endpoints answer 404, so nothing
//! is open by accident. They are exempt from `API_TOKEN` (a media server cannot send a bearer
//! header), and they always answer 200 for a well-formed delivery, saying what was recorded or
//! why it was ignored: a media server only logs failures. The media-server user becomes one of
//! our users through the URL's `user_id` (+ `profile`) or `WEBHOOK_USERS`.

mod jellyfin;
mod plex;

use crate::error::{ApiError, ApiResult};
use crate::history_import::{ProfileTarget, write_events};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use chrono::Utc;
use secrecy::ExposeSecret;
use seen_core::import::title_match::TitleIndex;
use seen_core::webhooks::{Delivery, webhook_key};
use seen_store::StoreError;
use seen_store::catalog_titles::catalog_titles;
use seen_store::history::{KeyedEvent, NewEvent};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

pub(crate) use jellyfin::__path_post_jellyfin;
pub(crate) use plex::__path_post_plex;

/// Plex attaches the poster as a JPEG part: allow for it.
const WEBHOOK_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The header carrying the webhook secret.
pub const TOKEN_HEADER: &str = "x-webhook-token";

/// The webhook routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(jellyfin::router())
        .merge(plex::router())
        .layer(DefaultBodyLimit::max(WEBHOOK_BODY_LIMIT))
}

/// The query string of a webhook URL.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhookParams {
    /// The secret, when it cannot go in the `X-Webhook-Token` header.
    pub token: Option<String>,
    /// Record every delivery of this URL for this user (wins over `WEBHOOK_USERS`).
    pub user_id: Option<String>,
    /// With `user_id`: the profile.
    pub profile: Option<String>,
}

/// What a delivery did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"recorded": true, "user_id": "home::marie", "item_id": 807, "event": "watched", "ignored": null}))]
pub struct WebhookReply {
    /// True when a new history event was written (false for a duplicate or an ignored delivery).
    pub recorded: bool,
    /// Our user, when the delivery was mapped to one.
    pub user_id: Option<String>,
    /// The catalog title, when found.
    pub item_id: Option<i32>,
    /// The event type, when there is one.
    pub event: Option<String>,
    /// Why nothing was recorded.
    pub ignored: Option<String>,
}

impl WebhookReply {
    fn ignored(user_id: Option<String>, reason: impl Into<String>) -> Self {
        WebhookReply {
            recorded: false,
            user_id,
            item_id: None,
            event: None,
            ignored: Some(reason.into()),
        }
    }
}

/// 404 without `WEBHOOK_TOKEN`; 401 unless the header or `token` parameter carries it.
fn authorise(state: &AppState, headers: &HeaderMap, params: &WebhookParams) -> ApiResult<()> {
    let Some(expected) = &state.imports.webhook_token else {
        return Err(ApiError::NotFound("Not Found".into()));
    };
    let given = headers
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .or(params.token.as_deref())
        .map(str::trim);
    let Some(given) = given else {
        return Err(ApiError::Unauthorized(
            "This webhook needs the WEBHOOK_TOKEN in an X-Webhook-Token header or a token query parameter".into(),
        ));
    };
    // Digests compared without an early exit, so timing tells nothing about the secret.
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.expose_secret().trim().as_bytes());
    let differs = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    if differs != 0 {
        return Err(ApiError::Unauthorized("Invalid webhook token".into()));
    }
    Ok(())
}

/// Maps the delivery to a user and a title and writes its event, once per title, event and day.
#[tracing::instrument(name = "record webhook", skip_all, fields(source))]
async fn record(
    state: &AppState,
    source: &str,
    delivery: Delivery,
    params: &WebhookParams,
) -> ApiResult<WebhookReply> {
    let event = match delivery {
        Delivery::Event(e) => e,
        Delivery::Ignored(reason) => return Ok(WebhookReply::ignored(None, reason)),
    };
    let Some(user_id) = state.imports.webhook_users.resolve(
        params.user_id.as_deref(),
        params.profile.as_deref(),
        event.server_user.as_deref(),
    ) else {
        let who = event.server_user.unwrap_or_default();
        tracing::info!(server_user = %who, "webhook from an unmapped media-server user");
        return Ok(WebhookReply::ignored(
            None,
            format!("media-server user {who:?} is not mapped (WEBHOOK_USERS or ?user_id=)"),
        ));
    };
    let mut tx = state.db.begin().await.map_err(StoreError::from)?;
    let index = TitleIndex::new(catalog_titles(&mut *tx).await?);
    let item_id = match index.find(&event.title) {
        Ok(id) => id,
        Err(no_match) => {
            return Ok(WebhookReply::ignored(
                Some(user_id),
                format!("{:?}: {}", event.title.title, no_match.reason()),
            ));
        }
    };
    let ts = event.ts.unwrap_or_else(Utc::now);
    let mut meta = json!({"source": source});
    if let Some(r) = event.rating {
        meta["rating"] = json!(r.value);
        meta["out_of"] = json!(r.out_of);
    }
    let keyed = KeyedEvent {
        key: webhook_key(source, item_id, event.event, ts),
        event: NewEvent {
            user_id: user_id.clone(),
            item_id,
            event_type: event.event.as_str().to_owned(),
            weight: 1,
            ts,
            meta: Some(meta),
        },
    };
    let profile = ProfileTarget {
        settings: state.pipeline.profile,
        embed_version: state.pipeline.embed_version.clone(),
    };
    let notice = state.cache.notice(&user_id);
    let events = std::slice::from_ref(&keyed);
    let written = write_events(&mut tx, &user_id, events, &profile, &notice).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let recorded = !written.is_empty();
    if recorded {
        state.cache.invalidate_user(&user_id);
    }
    Ok(WebhookReply {
        recorded,
        user_id: Some(user_id),
        item_id: Some(item_id),
        event: Some(event.event.as_str().to_owned()),
        ignored: (!recorded).then(|| "already recorded today".to_owned()),
    })
}
