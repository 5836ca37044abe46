//! `API_TOKEN`: writes need `Authorization: Bearer <token>`; reads only with `API_TOKEN_READS`.

use crate::helpers::{TestApp, Title, seed};
use serde_json::{Value, json};
use sqlx::PgPool;

const TOKEN: &str = "kitchen-table-7";

async fn history_rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM user_history")
        .fetch_one(pool)
        .await
        .expect("count history")
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_write_without_the_token_is_a_401_and_writes_nothing(pool: PgPool) {
    let app = TestApp::spawn_with(pool.clone(), &["--api-token", TOKEN]).await;
    let ids = seed(
        &pool,
        &app.embedder,
        &[Title::movie(1, "A", "a film", &["Drama"])],
    )
    .await;
    let body = json!({"user_id": "u1", "items": [ids[0]], "event_type": "liked"});

    let missing = app.post_history(&body).await;
    let wrong = app
        .client
        .post(app.url("/user/history"))
        .bearer_auth("not-it")
        .json(&body)
        .send()
        .await
        .expect("sent");

    for resp in [missing, wrong] {
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer")
        );
        let detail: Value = resp.json().await.expect("json");
        assert!(detail["detail"].is_string(), "{detail}");
        assert!(!detail.to_string().contains(TOKEN));
    }
    assert_eq!(history_rows(&pool).await, 0);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_write_with_the_token_succeeds_and_reads_stay_open(pool: PgPool) {
    let app = TestApp::spawn_with(pool.clone(), &["--api-token", TOKEN]).await;
    let ids = seed(
        &pool,
        &app.embedder,
        &[Title::movie(1, "A", "a film", &["Drama"])],
    )
    .await;

    let resp = app
        .client
        .post(app.url("/user/history"))
        .bearer_auth(TOKEN)
        .json(&json!({"user_id": "u1", "items": [ids[0]], "event_type": "liked"}))
        .send()
        .await
        .expect("sent");
    let feedback = app
        .post_json("/feedback", &json!({"event_type": "click"}))
        .await;

    assert_eq!(resp.status(), 200);
    assert_eq!(history_rows(&pool).await, 1);
    assert_eq!(feedback.status(), 401, "feedback is a write too");
    assert_eq!(app.get("/recommend?user_id=u1").await.status(), 200);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn protected_reads_need_the_token_but_health_and_docs_do_not(pool: PgPool) {
    let app = TestApp::spawn_with(
        pool.clone(),
        &["--api-token", TOKEN, "--api-token-reads", "true"],
    )
    .await;

    let anonymous = app.get("/recommend?user_id=u1").await;
    let with_token = app
        .client
        .get(app.url("/recommend?user_id=u1"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("sent");

    assert_eq!(anonymous.status(), 401);
    assert_eq!(with_token.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/openapi.json").await.status(), 200);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn without_a_token_configured_writes_are_open_as_in_the_original(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;

    let resp = app
        .post_json("/feedback", &json!({"event_type": "click"}))
        .await;

    assert_eq!(resp.status(), 200);
}
