//! `POST /feedback`: one row per event, exact response, nothing written on a bad body.

use crate::helpers::TestApp;
use serde_json::{Value, json};
use sqlx::PgPool;

async fn feedback_rows(pool: &PgPool) -> Vec<(Option<String>, Option<i32>, String, Option<Value>)> {
    sqlx::query_as("SELECT user_id, item_id, type, meta::jsonb FROM feedback ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("read feedback")
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_event_is_stored_with_its_type_and_meta_and_answered_with_ok(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;

    let resp = app
        .post_json(
            "/feedback",
            &json!({"user_id": "u1", "item_id": "42", "event_type": "click", "meta": {"rank": 5}}),
        )
        .await;

    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(
        feedback_rows(&pool).await,
        [(
            Some("u1".to_owned()),
            Some(42),
            "click".to_owned(),
            Some(json!({"rank": 5}))
        )]
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_event_with_only_a_type_is_stored_with_nulls(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;

    let resp = app
        .post_json("/feedback", &json!({"event_type": "impression"}))
        .await;

    assert_eq!(resp.status(), 200);
    assert_eq!(
        feedback_rows(&pool).await,
        [(None, None, "impression".to_owned(), None)]
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_bad_body_is_a_422_listing_every_problem_and_writes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;

    let resp = app
        .post_json(
            "/feedback",
            &json!({"user_id": 7, "item_id": 3.5, "meta": "x"}),
        )
        .await;

    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    let locs: Vec<&str> = body["detail"]
        .as_array()
        .expect("detail list")
        .iter()
        .map(|d| d["loc"][1].as_str().unwrap())
        .collect();
    assert_eq!(locs, ["user_id", "item_id", "event_type", "meta"]);
    assert!(feedback_rows(&pool).await.is_empty());
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn malformed_json_is_a_422_with_a_detail_list(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;

    let resp = app
        .client
        .post(app.url("/feedback"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();

    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert!(body["detail"].is_array(), "{body}");
    assert!(feedback_rows(&pool).await.is_empty());
}
