//! The router: one module per resource, merged here with the shared middleware.

mod docs;
mod feedback;
mod health;
mod history;
mod import;
pub mod metrics;
mod recommend;
mod titles;
mod ui;
mod watch_link;
mod webhooks;

use crate::auth::AccessPolicy;
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Builds the full router over `state`.
pub fn app(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.http.request_timeout_secs.max(1));
    let cors = cors_layer(&state.http.cors_allow_origins);
    let access = Arc::new(AccessPolicy::new(
        state.http.api_token.as_ref(),
        state.http.api_token_reads,
    ));
    Router::new()
        .merge(health::router())
        .merge(recommend::router())
        .merge(history::router())
        .merge(import::router(state.imports.limits.max_file_bytes))
        .merge(webhooks::router())
        .merge(feedback::router())
        .merge(watch_link::router())
        .merge(titles::router())
        .merge(docs::router())
        .merge(metrics::router())
        // Trailing-slash redirects, JSON 404s for API paths, and the debug UI.
        .fallback(ui::fallback)
        // Inside CORS (below), so preflights are answered before the token is asked for.
        .layer(axum::middleware::from_fn_with_state(
            access,
            crate::auth::require_token,
        ))
        .with_state(state)
        // Layers run bottom-up on the way in: the request id is set first so the trace span
        // and every log line of the request carry it, and it is echoed on the response.
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(cors)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost, so 408s and CORS preflights are counted too. `Router::layer` wraps each
        // route after matching, so the middleware still sees the matched route pattern.
        .layer(axum::middleware::from_fn(metrics::track))
}

/// `*` reproduces the original (any origin, credentials allowed: the origin is mirrored);
/// otherwise only the listed origins.
fn cors_layer(spec: &str) -> CorsLayer {
    if spec.trim() == "*" {
        return CorsLayer::very_permissive();
    }
    let origins: Vec<HeaderValue> = spec
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| HeaderValue::from_str(s).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(tower_http::cors::AllowHeaders::mirror_request())
        .allow_credentials(true)
}
