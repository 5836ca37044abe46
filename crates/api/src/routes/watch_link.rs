//! `GET /watch-link/{item_id}?service=nfx&country=IL`: a 307 redirect to the title's page on a
//! streaming service.
//!
//! Beyond the original: `service` matches by alias (`netflix` finds JustWatch's `nfx` and the
//! other way round), `country` ignores case, and when a service has several offers the choice
//! is deterministic (flatrate, free, ads, rent, buy, then the oldest row) instead of arbitrary.

use crate::error::{ApiError, ApiResult, DetailBody, ValidationBody};
use crate::extract::{AppPath, ValidQuery};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use seen_core::ItemId;
use seen_store::availability::best_watch_link;
use serde::Deserialize;
use utoipa::IntoParams;

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    Router::new().route("/watch-link/{item_id}", get(watch_link))
}

/// `GET /watch-link/{item_id}` query parameters.
#[derive(Debug, Clone, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WatchLinkQuery {
    /// Service short name or alias: `nfx` or `netflix`, `dnp` or `disney`, ... (not blank;
    /// surrounding spaces are ignored).
    #[param(min_length = 1, pattern = r"\S", example = "nfx")]
    pub service: String,
    /// ISO 3166-1 country code, any case (blank or absent: the server's JUSTWATCH_COUNTRY).
    #[param(example = "IL")]
    pub country: Option<String>,
}

/// Redirects to the best offer of `service` for a title: its deeplink, else its web URL.
#[utoipa::path(
    get,
    path = "/watch-link/{item_id}",
    tag = "catalog",
    params(
        ("item_id" = i32, Path, description = "Catalog id (`items.id`, not a TMDB id)"),
        WatchLinkQuery,
    ),
    responses(
        (status = 307, description = "Redirect to the offer", headers(("location" = String, description = "The offer URL"))),
        (status = 404, description = "No offer with a URL", body = DetailBody, example = json!({"detail": "Link not found"})),
        (status = 422, description = "Non-integer id or blank service", body = ValidationBody),
    )
)]
pub(crate) async fn watch_link(
    State(state): State<AppState>,
    AppPath(item_id): AppPath<ItemId>,
    ValidQuery(query): ValidQuery<WatchLinkQuery>,
) -> ApiResult<Response> {
    let country = query
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map_or_else(|| state.pipeline.country.clone(), str::to_uppercase);
    match best_watch_link(&state.db, item_id, query.service.trim(), &country).await? {
        Some(link) => Ok(redirect(&link.url)),
        None => Err(ApiError::NotFound("Link not found".into())),
    }
}

/// 307 with `Location` and an empty body. Bytes a header cannot carry (spaces, non-ASCII) are
/// percent-encoded rather than failing the request.
fn redirect(url: &str) -> Response {
    let encoded: String = url
        .bytes()
        .map(|b| {
            if (0x21..0x7f).contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let location = HeaderValue::from_str(&encoded)
        .expect("percent-encoded visible ASCII is a valid header value");
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, location)],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_url_is_the_location_as_is() {
        let resp = redirect("https://www.netflix.com/title/1?x=1");
        assert_eq!(resp.status(), StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(
            resp.headers()[header::LOCATION],
            "https://www.netflix.com/title/1?x=1"
        );
    }

    #[test]
    fn spaces_and_non_ascii_are_percent_encoded() {
        let resp = redirect("https://x.test/a b/é");
        assert_eq!(
            resp.headers()[header::LOCATION],
            "https://x.test/a%20b/%C3%A9"
        );
    }
}
