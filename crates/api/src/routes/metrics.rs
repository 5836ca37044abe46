//! `GET /metrics` in the Prometheus text format, and the middleware that counts requests.
//!
//! Recording goes through the `metrics` facade, so any module can add a counter with
//! `metrics::counter!`; the process-wide Prometheus recorder is installed the first time the
//! router is built (every app in a process, e.g. in tests, shares it). Requests are labelled
//! by the matched route pattern (`/watch-link/{item_id}`), never the raw path, so the number of
//! series stays bounded; requests no route matched (the UI, unknown paths) share `fallback`.
//! Gauges of the cache and the pool are read when scraped.

use crate::state::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Request counter, labelled `method`, `route`, `status`.
pub const REQUESTS_TOTAL: &str = "http_requests_total";
/// Request duration histogram in seconds, labelled `method`, `route`.
pub const REQUEST_DURATION: &str = "http_request_duration_seconds";

/// Upper bounds of the duration buckets: from cache hits (ms) to cold rankings (seconds).
const DURATION_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide Prometheus recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_owned()), DURATION_BUCKETS)
            .expect("the duration buckets are a non-empty constant")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!(
                "another metrics recorder is installed; /metrics will only show scrape-time gauges"
            );
        }
        metrics::describe_counter!(REQUESTS_TOTAL, "HTTP requests by method, route and status");
        metrics::describe_histogram!(
            REQUEST_DURATION,
            metrics::Unit::Seconds,
            "HTTP request duration"
        );
        handle
    })
}

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    // Install now, so requests are counted from the first one, not the first scrape.
    handle();
    Router::new().route("/metrics", get(scrape))
}

/// Middleware: counts every request and times it. Add it with `Router::layer`, which runs it
/// per route, after routing, so the matched route pattern is known.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "fallback".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(REQUEST_DURATION, "method" => method.clone(), "route" => route.clone())
        .record(start.elapsed().as_secs_f64());
    metrics::counter!(REQUESTS_TOTAL, "method" => method, "route" => route, "status" => status)
        .increment(1);
    response
}

async fn scrape(State(state): State<AppState>) -> Response {
    metrics::gauge!("seenemall_recommend_cache_entries", "kind" => "ranked_lists")
        .set(state.cache.len() as f64);
    if let Some((version, titles)) = state.catalog.loaded() {
        metrics::gauge!("seenemall_catalog_cache_version").set(version as f64);
        metrics::gauge!("seenemall_catalog_cache_titles").set(titles as f64);
    }
    if let Some((version, weights, titles)) = state.taste.loaded() {
        metrics::gauge!("seenemall_taste_model_version").set(version as f64);
        metrics::gauge!("seenemall_taste_model_weights").set(weights as f64);
        metrics::gauge!("seenemall_taste_model_titles").set(titles as f64);
    }
    metrics::gauge!("seenemall_db_pool_connections").set(f64::from(state.db.size()));
    metrics::gauge!("seenemall_db_pool_idle_connections").set(state.db.num_idle() as f64);
    let handle = handle();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
