//! What answers when no API route matched: FastAPI's trailing-slash redirect, JSON 404s for
//! API-looking paths, and the debug UI (a single-page app) for everything else.
//!
//! In order:
//! 1. `/recommend/` (a known route plus a trailing slash) → 307 to `/recommend`, query kept.
//! 2. A path under an API prefix (`/recommend/x`, `/user/...`), or a method other than GET/HEAD
//!    → `404 {"detail":"Not Found"}`, so API clients never get HTML.
//! 3. No `index.html` in the UI directory → `/` says to run `make frontend`; anything else 404.
//! 4. A file of the UI directory → that file; a missing asset (a name with an extension) → 404;
//!    any other path → `index.html`, so the app's own routes survive a reload.

use crate::routes::docs::documented_paths;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Routes served by the API but absent from the OpenAPI document.
const UNDOCUMENTED_ROUTES: &[&str] = &["/openapi.json", "/docs", "/metrics"];

/// The router's fallback handler.
pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    if let Some(target) = path.strip_suffix('/').filter(|p| is_known_route(p)) {
        let location = match req.uri().query() {
            Some(q) => format!("{target}?{q}"),
            None => target.to_owned(),
        };
        return redirect(&location);
    }
    if is_api_path(path) || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return not_found();
    }
    serve_ui(&state.http.ui_dir, req).await
}

async fn serve_ui(dir: &Path, req: Request) -> Response {
    let index = dir.join("index.html");
    if !tokio::fs::try_exists(&index).await.unwrap_or(false) {
        return if req.uri().path() == "/" {
            missing_ui_page(dir)
        } else {
            not_found()
        };
    }
    let looks_like_a_file = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    let mut index_req = Request::new(Body::empty());
    *index_req.method_mut() = req.method().clone();
    *index_req.headers_mut() = req.headers().clone();
    let Ok(found) = ServeDir::new(dir).oneshot(req).await;
    if found.status() != StatusCode::NOT_FOUND {
        return no_cache_html(found.map(Body::new));
    }
    if looks_like_a_file {
        return not_found();
    }
    let Ok(spa) = ServeFile::new(index).oneshot(index_req).await;
    no_cache_html(spa.map(Body::new))
}

/// HTML pages name the hashed assets of the current build: browsers must revalidate them.
fn no_cache_html(mut resp: Response) -> Response {
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    resp
}

fn missing_ui_page(dir: &Path) -> Response {
    let dir = html_escape(&dir.display().to_string());
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Seen'emAll</title></head>\
         <body style=\"font-family: sans-serif; max-width: 40em; margin: 3em auto\">\
         <h1>Seen'emAll</h1>\
         <p>The API is running, but the debug UI is not built: <code>{dir}/index.html</code> is missing.</p>\
         <p>Run <code>make frontend</code> (or set <code>UI_DIR</code> / <code>--ui-dir</code> to a built UI) \
         and reload this page.</p>\
         <p>API documentation: <a href=\"/docs\">/docs</a> · <a href=\"/openapi.json\">/openapi.json</a></p>\
         </body></html>"
    ))
    .into_response()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"detail": "Not Found"}))).into_response()
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, value)]).into_response(),
        Err(_) => not_found(),
    }
}

fn known_routes() -> impl Iterator<Item = &'static str> {
    documented_paths().chain(UNDOCUMENTED_ROUTES.iter().copied())
}

/// True when `path` matches a route pattern (`{name}` matches any one non-empty segment).
fn is_known_route(path: &str) -> bool {
    known_routes().any(|pattern| route_matches(pattern, path))
}

fn route_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w == g || (w.starts_with('{') && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

/// True when the first segment of `path` is the first segment of an API route.
fn is_api_path(path: &str) -> bool {
    let first = |p: &'static str| p.trim_start_matches('/').split('/').next().unwrap_or("");
    let head = path.trim_start_matches('/').split('/').next().unwrap_or("");
    !head.is_empty() && known_routes().any(|route| first(route) == head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_segment_matches_any_one_segment() {
        assert!(route_matches("/watch-link/{item_id}", "/watch-link/12"));
        assert!(!route_matches("/watch-link/{item_id}", "/watch-link/"));
        assert!(!route_matches("/watch-link/{item_id}", "/watch-link/1/2"));
        assert!(route_matches("/recommend", "/recommend"));
        assert!(!route_matches("/recommend", "/recommendations"));
    }

    #[test]
    fn documented_and_operational_routes_are_known() {
        for path in [
            "/recommend",
            "/debug/recommend",
            "/user/history",
            "/healthz",
            "/docs",
            "/metrics",
        ] {
            assert!(is_known_route(path), "{path}");
        }
        assert!(!is_known_route("/some/page"));
    }

    #[test]
    fn paths_under_api_prefixes_look_like_api_paths() {
        assert!(is_api_path("/user/unknown"));
        assert!(is_api_path("/recommend/x"));
        assert!(!is_api_path("/"));
        assert!(!is_api_path("/some/page"));
        assert!(!is_api_path("/assets/index.js"));
    }
}
