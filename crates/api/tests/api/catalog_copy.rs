//! The in-memory catalog copy is checked per request: once it is loaded, requests read
//! titles from memory; a catalog write (here a new watch offer) makes the very next request
//! read Postgres, so the change shows at once; the copy then reloads and shows it too.

use crate::helpers::{TestApp, Title, ids, seed};
use serde_json::{Value, json};
use sqlx::PgPool;

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

    let loaded = app.until_catalog_copy("viewer").await;
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

    let next = app.fresh_debug("viewer").await;
    assert_eq!(
        next["debug"]["catalog"], "postgres",
        "the copy is behind the write, so this request must read Postgres"
    );
    assert_eq!(
        watch_options(&next, target),
        &offer,
        "offer in the next response"
    );

    let reloaded = app.until_catalog_copy("viewer").await;
    assert_eq!(
        watch_options(&reloaded, target),
        &offer,
        "offer in the new copy"
    );
}
