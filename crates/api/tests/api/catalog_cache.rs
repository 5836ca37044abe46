//! The in-memory catalog copy is checked per request: once it is loaded, requests read
//! titles from memory; a catalog write (here a new watch offer) makes the very next request
//! read Postgres, so the change shows at once; the copy then reloads and shows it too.

use crate::helpers::{TestApp, Title, ids, seed};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// How long the copy may take to (re)load: reloads start at most every 2 s.
const LOAD_TIMEOUT: Duration = Duration::from_secs(10);

fn catalog() -> Vec<Title> {
    let mut titles = vec![
        Title::movie(1, "Heat", "a heist in Los Angeles", &["Crime"]),
        Title::movie(2, "Ronin", "a car chase through Paris", &["Action"]),
        Title::movie(3, "Thief", "a safecracker takes one last job", &["Crime"]),
        Title::movie(4, "Collateral", "a hitman hires a taxi", &["Thriller"]),
        Title::movie(5, "Drive", "a getaway driver in Los Angeles", &["Drama"]),
        Title::movie(6, "Sicario", "an agent crosses the border", &["Thriller"]),
    ];
    for (i, t) in titles.iter_mut().enumerate() {
        t.popularity = 60.0 - i as f64 * 5.0;
    }
    titles
}

/// `/debug/recommend` for the warm viewer, with a `mixer_novelty_weight` no earlier request
/// used, so the ranked-list cache never answers and every call runs the pipeline.
async fn fresh_debug(app: &TestApp) -> Value {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let novelty = format!("{:.6}", 0.05 + f64::from(n) * 1e-6);
    let resp = app
        .client
        .get(app.url("/debug/recommend"))
        .query(&[
            ("user_id", "viewer"),
            ("limit", "20"),
            ("diversify", "false"),
            ("mixer_novelty_weight", novelty.as_str()),
        ])
        .send()
        .await
        .expect("request sent");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json body");
    assert_eq!(status, 200, "debug/recommend failed: {body}");
    body
}

/// Requests until one reads the in-memory copy; returns that response.
async fn until_memory(app: &TestApp) -> Value {
    let start = Instant::now();
    loop {
        let body = fresh_debug(app).await;
        match body["debug"]["catalog"].as_str() {
            Some("memory") => return body,
            Some("postgres") => {}
            other => panic!("debug.catalog is {other:?} in {body}"),
        }
        assert!(
            start.elapsed() < LOAD_TIMEOUT,
            "the catalog copy did not load within {LOAD_TIMEOUT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[track_caller]
fn watch_options(body: &Value, id: i64) -> &Value {
    let item = body["items"]
        .as_array()
        .expect("items list")
        .iter()
        .find(|i| i["id"] == json!(id))
        .unwrap_or_else(|| panic!("item {id} missing from {body}"));
    &item["watch_options"]
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_new_offer_shows_in_the_very_next_request_and_after_the_copy_reloads(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let resp = app
        .post_history(&json!({"user_id": "viewer", "items": [item_ids[0]], "event_type": "liked"}))
        .await;
    assert_eq!(resp.status(), 200);

    let loaded = until_memory(&app).await;
    assert_eq!(loaded["debug"]["path"], "warm", "{}", loaded["debug"]);
    let target = ids(&loaded)[0];
    assert_eq!(watch_options(&loaded, target), &json!([]));

    // A watch offer written straight to the database (as the JustWatch sync's commit would).
    sqlx::query(
        "INSERT INTO availability (item_id, country, service, offer_type, deeplink) \
         VALUES ($1, 'IL', 'nfx', 'FLATRATE', 'https://deep.test/fresh')",
    )
    .bind(i32::try_from(target).expect("item id"))
    .execute(&pool)
    .await
    .expect("insert offer");
    let offer = json!([{"service": "nfx", "url": "https://deep.test/fresh"}]);

    let next = fresh_debug(&app).await;
    assert_eq!(
        next["debug"]["catalog"], "postgres",
        "the copy is behind the write, so this request must read Postgres"
    );
    assert_eq!(
        watch_options(&next, target),
        &offer,
        "offer in the next response"
    );

    let reloaded = until_memory(&app).await;
    assert_eq!(
        watch_options(&reloaded, target),
        &offer,
        "offer in the new copy"
    );
}
