//! Transient database failures answer 503 with `Retry-After`, never 500: the request's
//! Postgres backend is terminated (`pg_terminate_backend`, SQLSTATE 57P01) while the request
//! waits on a lock the test holds, and nothing is written.

use crate::helpers::{TestApp, Title, seed};
use reqwest::Response;
use serde_json::{Value, json};
use sqlx::PgPool;
use std::future::Future;
use std::time::{Duration, Instant};

fn catalog() -> Vec<Title> {
    vec![
        Title::movie(
            1,
            "Space Rescue",
            "astronauts stranded in space",
            &["Drama"],
        ),
        Title::movie(
            2,
            "Laugh Factory",
            "a baker opens a comedy club",
            &["Comedy"],
        ),
    ]
}

/// Runs `request` while the test holds an exclusive lock on `table`, terminates the backend
/// that waits on it, and returns the response.
async fn with_terminated_backend<F>(pool: &PgPool, table: &str, request: F) -> Response
where
    F: Future<Output = Response> + Send + 'static,
{
    let mut lock = pool.begin().await.expect("lock transaction");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
    )))
    .execute(&mut *lock)
    .await
    .expect("lock table");
    let mine: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *lock)
        .await
        .expect("own pid");
    let pending = tokio::spawn(request);

    let deadline = Instant::now() + Duration::from_secs(20);
    let waiter = loop {
        // Inside a transaction pg_stat_activity is a snapshot taken at its first read: drop it,
        // or a request that starts waiting after the first poll is never seen.
        sqlx::query("SELECT pg_stat_clear_snapshot()")
            .execute(&mut *lock)
            .await
            .expect("clear the statistics snapshot");
        let waiting: Option<i32> = sqlx::query_scalar(
            r#"SELECT pid FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1
               LIMIT 1"#,
        )
        .bind(mine)
        .fetch_optional(&mut *lock)
        .await
        .expect("pg_stat_activity");
        if let Some(pid) = waiting {
            break pid;
        }
        assert!(
            Instant::now() < deadline,
            "the request never waited on {table}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let terminated: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(waiter)
        .fetch_one(&mut *lock)
        .await
        .expect("terminate backend");
    assert!(terminated);
    let response = pending.await.expect("request task");
    lock.rollback().await.expect("release lock");
    response
}

#[track_caller]
fn assert_retryable_503(status: u16, retry_after: Option<&str>, body: &Value) {
    assert_eq!(status, 503, "body: {body}");
    assert!(
        retry_after.is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n > 0)),
        "Retry-After: {retry_after:?}"
    );
    assert!(body["detail"].is_string(), "body: {body}");
}

async fn parts(resp: Response) -> (u16, Option<String>, Value) {
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, retry, resp.json().await.expect("json body"))
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_history_write_whose_backend_is_terminated_is_a_503_and_writes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let ids = seed(&pool, &app.embedder, &catalog()).await;
    let request = {
        let client = app.client.clone();
        let url = app.url("/user/history");
        let body = json!({"user_id": "victim", "items": [ids[0]], "event_type": "liked"});
        async move { client.post(url).json(&body).send().await.expect("sent") }
    };

    let resp = with_terminated_backend(&pool, "user_history", request).await;

    let (status, retry, body) = parts(resp).await;
    assert_retryable_503(status, retry.as_deref(), &body);
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM user_history WHERE user_id = 'victim'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(rows, 0);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_recommend_whose_backend_is_terminated_is_a_503_then_recovers(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    seed(&pool, &app.embedder, &catalog()).await;
    let request = {
        let client = app.client.clone();
        let url = app.url("/recommend?user_id=reader&limit=5");
        async move { client.get(url).send().await.expect("sent") }
    };

    let resp = with_terminated_backend(&pool, "users", request).await;

    let (status, retry, body) = parts(resp).await;
    assert_retryable_503(status, retry.as_deref(), &body);
    let again = app.get("/recommend?user_id=reader&limit=5").await;
    assert_eq!(again.status(), 200, "the next request succeeds by itself");
}
