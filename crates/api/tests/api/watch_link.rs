//! `GET /watch-link/{item_id}`: 307 to the best offer's URL, alias-aware, country-aware.

use crate::helpers::{TestApp, Title, seed};
use serde_json::{Value, json};
use sqlx::PgPool;

struct Offer<'a> {
    country: &'a str,
    service: &'a str,
    offer_type: &'a str,
    deeplink: Option<&'a str>,
    web_url: Option<&'a str>,
}

impl<'a> Offer<'a> {
    fn flatrate(service: &'a str, deeplink: &'a str) -> Self {
        Offer {
            country: "IL",
            service,
            offer_type: "FLATRATE",
            deeplink: Some(deeplink),
            web_url: None,
        }
    }
}

async fn add_offer(pool: &PgPool, item_id: i32, o: Offer<'_>) {
    sqlx::query(
        "INSERT INTO availability (item_id, country, service, offer_type, deeplink, web_url) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(item_id)
    .bind(o.country)
    .bind(o.service)
    .bind(o.offer_type)
    .bind(o.deeplink)
    .bind(o.web_url)
    .execute(pool)
    .await
    .expect("insert offer");
}

/// An app with one title; returns it and the title's id.
async fn app_with_title(pool: &PgPool) -> (TestApp, i32) {
    let app = TestApp::spawn(pool.clone()).await;
    let ids = seed(
        pool,
        &app.embedder,
        &[Title::movie(1, "Heat", "a heist", &["Crime"])],
    )
    .await;
    (app, ids[0])
}

#[track_caller]
fn assert_redirect(resp: &reqwest::Response, to: &str) {
    assert_eq!(resp.status(), 307);
    assert_eq!(resp.headers()["location"], to);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_matching_offer_redirects_to_its_deeplink_with_an_empty_body(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(
        &pool,
        id,
        Offer {
            web_url: Some("https://web.test/heat"),
            ..Offer::flatrate("nfx", "https://deep.test/heat")
        },
    )
    .await;

    let resp = app
        .get(&format!("/watch-link/{id}?service=nfx&country=IL"))
        .await;

    assert_redirect(&resp, "https://deep.test/heat");
    assert!(resp.bytes().await.unwrap().is_empty());
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_empty_deeplink_falls_back_to_the_web_url(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(
        &pool,
        id,
        Offer {
            web_url: Some("https://web.test/heat"),
            ..Offer::flatrate("nfx", "")
        },
    )
    .await;

    let resp = app.get(&format!("/watch-link/{id}?service=nfx")).await;

    assert_redirect(&resp, "https://web.test/heat");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_service_alias_finds_the_stored_short_name_and_back(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(&pool, id, Offer::flatrate("nfx", "https://deep.test/nfx")).await;
    add_offer(
        &pool,
        id,
        Offer::flatrate("disney_plus", "https://deep.test/dnp"),
    )
    .await;

    let netflix = app.get(&format!("/watch-link/{id}?service=Netflix")).await;
    let dnp = app.get(&format!("/watch-link/{id}?service=dnp")).await;

    assert_redirect(&netflix, "https://deep.test/nfx");
    assert_redirect(&dnp, "https://deep.test/dnp");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_country_defaults_to_the_configured_one_and_ignores_case(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(&pool, id, Offer::flatrate("nfx", "https://deep.test/il")).await;
    add_offer(
        &pool,
        id,
        Offer {
            country: "US",
            ..Offer::flatrate("nfx", "https://deep.test/us")
        },
    )
    .await;

    let default = app.get(&format!("/watch-link/{id}?service=nfx")).await;
    let lower = app
        .get(&format!("/watch-link/{id}?service=nfx&country=us"))
        .await;

    assert_redirect(&default, "https://deep.test/il");
    assert_redirect(&lower, "https://deep.test/us");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_flatrate_offer_is_preferred_over_an_older_rental(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(
        &pool,
        id,
        Offer {
            offer_type: "RENT",
            ..Offer::flatrate("nfx", "https://deep.test/rent")
        },
    )
    .await;
    add_offer(
        &pool,
        id,
        Offer {
            offer_type: "BUY",
            ..Offer::flatrate("nfx", "https://deep.test/buy")
        },
    )
    .await;
    add_offer(&pool, id, Offer::flatrate("nfx", "https://deep.test/flat")).await;

    let resp = app.get(&format!("/watch-link/{id}?service=nfx")).await;

    assert_redirect(&resp, "https://deep.test/flat");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn no_matching_offer_is_a_404_link_not_found(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(&pool, id, Offer::flatrate("nfx", "https://deep.test/heat")).await;

    for path in [
        format!("/watch-link/{id}?service=hulu"),
        format!("/watch-link/{}?service=nfx", id + 1),
    ] {
        let resp = app.get(&path).await;
        assert_eq!(resp.status(), 404, "{path}");
        assert_eq!(
            resp.json::<Value>().await.unwrap(),
            json!({"detail": "Link not found"})
        );
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_offer_without_any_url_is_a_404_link_not_found(pool: PgPool) {
    let (app, id) = app_with_title(&pool).await;
    add_offer(
        &pool,
        id,
        Offer {
            deeplink: Some(""),
            web_url: None,
            ..Offer::flatrate("nfx", "")
        },
    )
    .await;

    let resp = app.get(&format!("/watch-link/{id}?service=nfx")).await;

    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"detail": "Link not found"})
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_non_integer_id_is_a_422_on_the_path(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let resp = app.get("/watch-link/heat?service=nfx").await;

    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["detail"][0]["loc"], json!(["path", "item_id"]));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_missing_service_is_a_422_on_the_query(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let resp = app.get("/watch-link/1").await;

    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["detail"][0]["loc"], json!(["query", "service"]));
    assert_eq!(body["detail"][0]["type"], "missing");
}
