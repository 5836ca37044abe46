//! The rating prior: with a query, the better-rated of titles that match alike leads
//! (`mixer::weighted_rating`), and `mixer_rating_weight` turns it off.

use crate::helpers::{TestApp, Title, ids, seed};
use crate::language::debug_ok;
use sqlx::PgPool;

fn catalog() -> Vec<Title> {
    let mystery = |tmdb_id, title, overview| Title::movie(tmdb_id, title, overview, &["Mystery"]);
    vec![
        mystery(
            1,
            "Ashgrove",
            "a detective returns to the village of her childhood",
        ),
        mystery(
            2,
            "The Ninth Key",
            "a locksmith is hired to open a door that has no lock",
        ),
        mystery(
            3,
            "Low Tide",
            "a body washes up on the morning of the regatta",
        ),
        mystery(
            4,
            "Paper Lanterns",
            "a festival night ends with a missing guest",
        ),
    ]
}

async fn rate(pool: &PgPool, id: i32, average: f64) {
    sqlx::query("UPDATE items SET vote_average = $2, vote_count = 10000 WHERE id = $1")
        .bind(id)
        .bind(average)
        .execute(pool)
        .await
        .expect("rating set");
}

/// `user` keeps the response cache out of it (a list cached before the rating changed).
async fn mystery_movies(
    app: &TestApp,
    user: &str,
    rating_weight: Option<&str>,
) -> serde_json::Value {
    let mut params = vec![
        ("user_id", user),
        ("query", "mystery movies"),
        ("limit", "4"),
    ];
    if let Some(weight) = rating_weight {
        params.push(("mixer_rating_weight", weight));
    }
    debug_ok(app, &params).await
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn with_a_query_the_best_rated_match_leads(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    for &id in &items {
        rate(&pool, id, 5.5).await;
    }
    app.until_catalog_copy("viewer").await;

    // Without the rating the four equally voted titles come in the text's order; the one it
    // puts last becomes the acclaimed one.
    let unrated = mystery_movies(&app, "viewer", Some("0")).await;
    let order = ids(&unrated);
    assert_eq!(order.len(), 4, "{unrated}");
    let last = order[3];
    let acclaimed = items
        .iter()
        .copied()
        .find(|&id| i64::from(id) == last)
        .expect("a seeded title");
    rate(&pool, acclaimed, 8.9).await;
    app.until_catalog_copy("viewer").await;

    let body = mystery_movies(&app, "viewer", None).await;
    assert_eq!(ids(&body)[0], last, "{body}");
    let rating = |id: i64| {
        body["debug"]["items"][id.to_string()]["components"]["rating"]
            .as_f64()
            .expect("a rating component")
    };
    assert!(rating(last) > rating(order[0]) + 0.5, "{body}");

    // Turned off, the text's order stands.
    let off = mystery_movies(&app, "second viewer", Some("0")).await;
    assert_eq!(ids(&off), order, "{off}");
}
