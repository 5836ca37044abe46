//! Where to watch, end to end: offers written by the JustWatch sync's store function show up
//! in `/recommend` items (`watch_options`, `watch_url`) by the same rule as `/watch-link`, and
//! a service named in the query keeps or demotes a title.

use crate::helpers::{TestApp, Title, seed};
use seen_store::availability::{NewOffer, SyncOutcome, sync_title_offers};
use serde_json::{Value, json};
use sqlx::PgPool;

fn offer(service: &str, kind: &str, deeplink: Option<&str>, web_url: Option<&str>) -> NewOffer {
    NewOffer {
        service: service.into(),
        offer_type: kind.into(),
        deeplink: deeplink.map(str::to_owned),
        web_url: web_url.map(str::to_owned),
        price: None,
        currency: None,
    }
}

async fn store_offers(pool: &PgPool, item_id: i32, country: &str, offers: &[NewOffer]) {
    let mut conn = pool.acquire().await.expect("connection");
    let outcome = SyncOutcome::Matched {
        justwatch_id: format!("tm{item_id}"),
    };
    sync_title_offers(&mut conn, item_id, country, offers, &outcome)
        .await
        .expect("store offers");
}

/// Heat: Netflix by subscription and for rent, Apple to buy (and Hulu in the US only).
/// Ronin: Hulu. Returns the app and both ids.
async fn app_with_offers(pool: &PgPool) -> (TestApp, i32, i32) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut ronin = Title::movie(2, "Ronin", "a car chase through Paris", &["Action"]);
    ronin.popularity = 5.0;
    let ids = seed(
        pool,
        &app.embedder,
        &[
            Title::movie(1, "Heat", "a heist in Los Angeles", &["Crime"]),
            ronin,
        ],
    )
    .await;
    let (heat, ronin) = (ids[0], ids[1]);
    store_offers(
        pool,
        heat,
        "il",
        &[
            offer("nfx", "RENT", Some("https://deep.test/heat-rent"), None),
            offer(
                "nfx",
                "FLATRATE",
                Some("https://deep.test/heat-flat"),
                Some("https://web.test/heat-flat"),
            ),
            offer("itu", "BUY", None, Some("https://web.test/heat-buy")),
        ],
    )
    .await;
    store_offers(
        pool,
        heat,
        "US",
        &[offer(
            "hlu",
            "FLATRATE",
            Some("https://deep.test/heat-us"),
            None,
        )],
    )
    .await;
    store_offers(
        pool,
        ronin,
        "IL",
        &[offer(
            "hlu",
            "FLATRATE",
            Some("https://deep.test/ronin"),
            None,
        )],
    )
    .await;
    (app, heat, ronin)
}

#[track_caller]
fn item(body: &Value, id: i32) -> &Value {
    body["items"]
        .as_array()
        .expect("items list")
        .iter()
        .find(|i| i["id"] == json!(id))
        .unwrap_or_else(|| panic!("item {id} missing from {body}"))
}

fn ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .expect("items list")
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect()
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn stored_offers_appear_once_per_service_with_the_watch_link_url(pool: PgPool) {
    let (app, heat, ronin) = app_with_offers(&pool).await;

    let body = app
        .recommend_ok(&[
            ("user_id", "viewer"),
            ("limit", "5"),
            ("diversify", "false"),
        ])
        .await;
    let link = app
        .get(&format!("/watch-link/{heat}?service=netflix"))
        .await;

    // One option per service (flatrate beats the rental), the deeplink first, the country's
    // offers only, subscription before purchase.
    let heat_item = item(&body, heat);
    assert_eq!(
        heat_item["watch_options"],
        json!([
            {"service": "nfx", "url": "https://deep.test/heat-flat"},
            {"service": "itu", "url": "https://web.test/heat-buy"}
        ])
    );
    assert_eq!(heat_item["watch_url"], "https://deep.test/heat-flat");
    assert_eq!(link.status(), 307);
    assert_eq!(link.headers()["location"], "https://deep.test/heat-flat");
    assert_eq!(
        item(&body, ronin)["watch_options"],
        json!([{"service": "hlu", "url": "https://deep.test/ronin"}])
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_title_without_offers_has_no_watch_options(pool: PgPool) {
    let (app, heat, _) = app_with_offers(&pool).await;
    store_offers(&pool, heat, "IL", &[]).await;

    let body = app
        .recommend_ok(&[
            ("user_id", "viewer"),
            ("limit", "5"),
            ("diversify", "false"),
        ])
        .await;

    assert_eq!(item(&body, heat)["watch_options"], json!([]));
    assert_eq!(item(&body, heat)["watch_url"], Value::Null);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_service_in_the_query_keeps_titles_on_it_and_demotes_the_rest(pool: PgPool) {
    let (app, heat, ronin) = app_with_offers(&pool).await;

    let netflix = app
        .recommend_ok(&[
            ("user_id", "viewer"),
            ("query", "something to watch on netflix"),
            ("limit", "1"),
            ("diversify", "false"),
        ])
        .await;
    let hulu = app
        .recommend_ok(&[
            ("user_id", "viewer"),
            ("query", "something to watch on hulu"),
            ("limit", "1"),
            ("diversify", "false"),
        ])
        .await;
    let netflix_two = app
        .recommend_ok(&[
            ("user_id", "viewer"),
            ("query", "something to watch on netflix"),
            ("limit", "2"),
            ("diversify", "false"),
        ])
        .await;

    assert_eq!(ids(&netflix), vec![i64::from(heat)]);
    // Only the matching service's option is kept for an allowed title.
    assert_eq!(
        item(&netflix, heat)["watch_options"],
        json!([{"service": "nfx", "url": "https://deep.test/heat-flat"}])
    );
    assert_eq!(ids(&hulu), vec![i64::from(ronin)]);
    // With room to spare, the title off Netflix fills the page and keeps its own options.
    let mut both = ids(&netflix_two);
    both.sort_unstable();
    assert_eq!(both, vec![i64::from(heat), i64::from(ronin)]);
    assert_eq!(
        item(&netflix_two, ronin)["watch_options"],
        json!([{"service": "hlu", "url": "https://deep.test/ronin"}])
    );
}
