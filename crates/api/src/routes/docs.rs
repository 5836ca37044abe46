//! `GET /openapi.json` (the OpenAPI 3.1 description of every public endpoint) and `GET /docs`
//! (a page that renders it).
//!
//! `/docs` is one self-contained HTML file compiled into the binary: it fetches
//! `/openapi.json` and renders it with a little inline script. It needs no frontend build and
//! no CDN (the original's FastAPI pages loaded Swagger UI from one, which fails offline).
//!
//! Every operation is annotated on its handler, and every request and response schema is the
//! serde type the handler reads or writes; request types are validated against their own
//! schema (`extract::validate`), so the document is the contract. `scripts/contract-test.sh`
//! checks it against the running server with schemathesis.

use crate::state::AppState;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
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
        super::health::healthz,
        super::health::readyz,
        super::recommend::get_recommend,
        super::recommend::get_debug_recommend,
        super::history::post_history,
        super::import::post_import,
        super::webhooks::post_jellyfin,
        super::webhooks::post_plex,
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
