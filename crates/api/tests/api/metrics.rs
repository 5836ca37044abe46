//! `/metrics`: Prometheus text with request counters, durations and scrape-time gauges.

use crate::helpers::TestApp;
use sqlx::PgPool;

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_request_is_counted_by_route_and_status(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.get("/healthz").await.status(), 200);

    let resp = app.get("/metrics").await;

    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = resp.text().await.unwrap();
    let counted = text.lines().any(|l| {
        l.starts_with("http_requests_total{")
            && l.contains("route=\"/healthz\"")
            && l.contains("status=\"200\"")
    });
    assert!(counted, "no healthz counter in:\n{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "{text}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_cache_and_pool_gauges_are_exported(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let text = app.get("/metrics").await.text().await.unwrap();

    for gauge in [
        "seenemall_recommend_cache_entries",
        "seenemall_db_pool_connections",
        "seenemall_db_pool_idle_connections",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(gauge)),
            "no {gauge} in:\n{text}"
        );
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_unknown_path_is_labelled_fallback_not_by_its_raw_path(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.get("/user/no-such-thing-12345").await;

    let text = app.get("/metrics").await.text().await.unwrap();

    assert!(!text.contains("no-such-thing-12345"));
    assert!(text.contains("route=\"fallback\""));
}
