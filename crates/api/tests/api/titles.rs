//! `GET /titles/search`: prefix matches before other substring matches; 422s for bad input.

use crate::helpers::{TestApp, Title, seed};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn prefix_matches_come_before_other_matches(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut lone = Title::movie(1, "The Lone Star", "a western", &["Western"]);
    lone.popularity = 99.0;
    let mut star = Title::movie(2, "Star Voyage", "space", &["Science Fiction"]);
    star.popularity = 1.0;
    let other = Title::movie(3, "Comedy Night", "jokes", &["Comedy"]);
    let ids = seed(&pool, &app.embedder, &[lone, star, other]).await;

    let resp = app.get("/titles/search?q=star").await;

    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let items = body["items"].as_array().expect("items");
    let got: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(got, [i64::from(ids[1]), i64::from(ids[0])]);
    let first = items[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "tmdb_id",
            "media_type",
            "title",
            "release_year",
            "poster_url"
        ]
    );
    assert_eq!(first["media_type"], "movie");
    assert_eq!(first["title"], "Star Voyage");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_limit_caps_the_results(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    seed(
        &pool,
        &app.embedder,
        &[
            Title::movie(1, "Alpha One", "a", &[]),
            Title::movie(2, "Alpha Two", "b", &[]),
        ],
    )
    .await;

    let body: Value = app
        .get("/titles/search?q=alpha&limit=1")
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(body["items"].as_array().unwrap().len(), 1);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_missing_or_blank_query_is_a_422(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for path in ["/titles/search", "/titles/search?q=%20%20"] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 422, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body["detail"][0]["loc"],
            serde_json::json!(["query", "q"]),
            "{path}"
        );
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_limit_outside_1_to_50_is_a_422(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for limit in ["0", "51", "many"] {
        let resp = app.get(&format!("/titles/search?q=a&limit={limit}")).await;
        assert_eq!(resp.status(), 422, "limit={limit}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body["detail"][0]["loc"],
            serde_json::json!(["query", "limit"])
        );
    }
}
