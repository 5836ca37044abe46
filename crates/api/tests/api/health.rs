use crate::helpers::TestApp;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn healthz_answers_ok_without_touching_the_database(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap(),
        json!({"status": "ok"})
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn readiness_reports_a_migrated_database(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app.get("/readyz").await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn readiness_fails_cleanly_when_the_database_is_gone(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    pool.close().await;
    let resp = app.get("/readyz").await;
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().contains_key("retry-after"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("database not ready"),
        "{body}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_unknown_path_is_a_json_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app.get("/nope").await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap(),
        json!({"detail": "Not Found"})
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn every_response_carries_a_request_id(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app.get("/healthz").await;
    assert!(resp.headers().contains_key("x-request-id"));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn cors_preflight_is_permissive_like_the_original(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/recommend"))
        .header("Origin", "http://example.test")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "http://example.test"
    );
}
