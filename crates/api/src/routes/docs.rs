//! `GET /openapi.json` (the OpenAPI 3.1 description of every public endpoint) and `GET /docs`
//! (a page that renders it).
//!
//! `/docs` is one self-contained HTML file compiled into the binary: it fetches
//! `/openapi.json` and renders it with a little inline script. It needs no frontend build and
//! no CDN (the original's FastAPI pages loaded Swagger UI from one, which fails offline).
//!
//! The handlers of `/healthz`, `/readyz`, `/recommend`, `/debug/recommend` and
//! `/user/history` validate raw input, so their operations are described here by
//! documentation-only functions; `/feedback`, `/watch-link` and `/titles/search` are annotated
//! where they are handled.

mod schemas;

pub use schemas::{DetailBody, OkBody, ValidationBody};

use crate::state::AppState;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use schemas::{
    DebugRecommendPage, HealthBody, HistoryBody, HistoryOk, ReadyBody, RecommendPage,
    RecommendQuery,
};
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDoc;

/// The OpenAPI document of the whole API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Seen'emAll",
        version = "0.1.0",
        description = "Movie & TV recommendations from what you watched, with natural-language requests, \
                       streaming availability and explanations."
    ),
    paths(
        healthz,
        readyz,
        recommend,
        debug_recommend,
        user_history,
        super::feedback::post_feedback,
        super::watch_link::watch_link,
        super::titles::search_titles,
    ),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "recommend", description = "Ranked recommendations"),
        (name = "history", description = "What a user watched, liked or rejected"),
        (name = "feedback", description = "UI and analytics events"),
        (name = "catalog", description = "Titles and where to watch them"),
    )
)]
pub struct ApiDoc;

static SPEC: LazyLock<OpenApiDoc> = LazyLock::new(ApiDoc::openapi);

/// The documented paths, in the `{param}` form the router uses (e.g. `/watch-link/{item_id}`).
pub fn documented_paths() -> impl Iterator<Item = &'static str> {
    SPEC.paths.paths.keys().map(String::as_str)
}

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs_page))
}

async fn openapi_json() -> Json<&'static OpenApiDoc> {
    Json(&SPEC)
}

async fn docs_page() -> Html<&'static str> {
    Html(include_str!("docs/docs.html"))
}

/// Liveness: always ok, touches nothing.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "Alive", body = HealthBody)))]
#[allow(dead_code)] // Documentation only.
fn healthz() {}

/// Readiness: the database answers within 2 s and its schema is current.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = ReadyBody),
        (status = 503, description = "Database unreachable or schema not current (with Retry-After)", body = DetailBody),
    )
)]
#[allow(dead_code)]
fn readyz() {}

/// Ranked recommendations for a user, optionally steered by a natural-language query.
#[utoipa::path(
    get,
    path = "/recommend",
    tag = "recommend",
    params(RecommendQuery),
    responses(
        (status = 200, description = "A page of recommendations", body = RecommendPage),
        (status = 400, description = "Invalid cursor", body = DetailBody),
        (status = 422, description = "Invalid parameters", body = ValidationBody),
        (status = 429, description = "Too many rankings in flight (see Retry-After)", body = DetailBody),
        (status = 503, description = "Database unavailable (see Retry-After)", body = DetailBody),
    )
)]
#[allow(dead_code)]
fn recommend() {}

/// `/recommend` plus a trace of every pipeline stage (for the debug UI).
#[utoipa::path(
    get,
    path = "/debug/recommend",
    tag = "recommend",
    params(RecommendQuery),
    responses(
        (status = 200, description = "A page of recommendations with the pipeline trace", body = DebugRecommendPage),
        (status = 400, description = "Invalid cursor", body = DetailBody),
        (status = 422, description = "Invalid parameters", body = ValidationBody),
        (status = 429, description = "Too many rankings in flight (see Retry-After)", body = DetailBody),
    )
)]
#[allow(dead_code)]
fn debug_recommend() {}

/// Records watch/like/reject events and recomputes the user's taste profile.
#[utoipa::path(
    post,
    path = "/user/history",
    tag = "history",
    request_body = HistoryBody,
    responses(
        (status = 200, description = "Recorded and the profile recomputed", body = HistoryOk),
        (status = 422, description = "Invalid body or unknown ids; nothing was written", body = ValidationBody),
    )
)]
#[allow(dead_code)]
fn user_history() {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }

    #[test]
    fn every_schema_reference_resolves() {
        let spec = serde_json::to_value(&*SPEC).unwrap();
        if std::env::var("PRINT_OPENAPI").is_ok() {
            println!("{}", serde_json::to_string_pretty(&spec).unwrap());
        }
        let mut found = Vec::new();
        refs(&spec, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("odd ref {r}"));
            assert!(
                spec["components"]["schemas"].get(name).is_some(),
                "dangling {r}"
            );
        }
    }

    #[test]
    fn the_documented_paths_include_the_parameterised_watch_link() {
        assert!(documented_paths().any(|p| p == "/watch-link/{item_id}"));
    }
}
