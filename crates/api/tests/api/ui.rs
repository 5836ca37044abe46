//! The fallback: the debug UI (SPA) at `/`, JSON 404s for API paths, trailing-slash redirects.

use crate::helpers::TestApp;
use serde_json::{Value, json};
use sqlx::PgPool;
use tempfile::TempDir;

const INDEX: &str = "<!doctype html><title>Seen'emAll</title><div id=root>spa-index</div>";

/// A built-UI directory: index.html and one asset.
fn ui_dir() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("write index");
    std::fs::create_dir(dir.path().join("assets")).expect("assets dir");
    std::fs::write(dir.path().join("assets/app.js"), "console.log('app')").expect("write asset");
    dir
}

async fn spawn_with_ui(pool: PgPool, dir: &TempDir) -> TestApp {
    let path = dir.path().display().to_string();
    TestApp::spawn_with(pool, &["--ui-dir", &path]).await
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_ui_index_is_served_at_the_root(pool: PgPool) {
    let dir = ui_dir();
    let app = spawn_with_ui(pool, &dir).await;

    let resp = app.get("/").await;

    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(resp.text().await.unwrap(), INDEX);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_unknown_page_gets_the_spa_index(pool: PgPool) {
    let dir = ui_dir();
    let app = spawn_with_ui(pool, &dir).await;

    let resp = app.get("/some/page").await;

    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), INDEX);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn assets_are_served_and_a_missing_asset_is_a_404(pool: PgPool) {
    let dir = ui_dir();
    let app = spawn_with_ui(pool, &dir).await;

    let asset = app.get("/assets/app.js").await;
    let missing = app.get("/assets/missing.js").await;

    assert_eq!(asset.status(), 200);
    assert_eq!(asset.text().await.unwrap(), "console.log('app')");
    assert_eq!(missing.status(), 404);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn api_routes_keep_precedence_and_unknown_api_paths_stay_json(pool: PgPool) {
    let dir = ui_dir();
    let app = spawn_with_ui(pool, &dir).await;

    let health = app.get("/healthz").await;
    let unknown = app.get("/user/unknown").await;

    assert_eq!(
        health.json::<Value>().await.unwrap(),
        json!({"status": "ok"})
    );
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.json::<Value>().await.unwrap(),
        json!({"detail": "Not Found"})
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn without_a_built_ui_the_root_says_how_to_build_it(pool: PgPool) {
    let missing = tempfile::tempdir().expect("temp dir");
    let app = spawn_with_ui(pool, &missing).await;

    let resp = app.get("/").await;

    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("make frontend"));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_trailing_slash_on_a_known_path_redirects_to_the_slashless_path(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let plain = app.get("/healthz/").await;
    let with_query = app.get("/recommend/?user_id=u1&limit=2").await;
    let with_param = app.get("/watch-link/7/?service=nfx").await;

    assert_eq!(plain.status(), 307);
    assert_eq!(plain.headers()["location"], "/healthz");
    assert_eq!(
        with_query.headers()["location"],
        "/recommend?user_id=u1&limit=2"
    );
    assert_eq!(
        with_param.headers()["location"],
        "/watch-link/7?service=nfx"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_trailing_slash_on_a_post_route_keeps_the_method_with_a_307(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let resp = app
        .post_json("/feedback/", &json!({"event_type": "click"}))
        .await;

    assert_eq!(resp.status(), 307);
    assert_eq!(resp.headers()["location"], "/feedback");
}
