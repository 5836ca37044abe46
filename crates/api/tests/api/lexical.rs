//! Hybrid retrieval: the query's words find titles through the full-text index beside the
//! catalog copy (a TMDB keyword, a person), fused with the nearest neighbours (words the
//! vocabulary tags, such as "heist", are left to the tags: `vocabulary.rs`); without the
//! copy (`CATALOG_CACHE=false`) the nearest neighbours answer alone.

use crate::helpers::{TestApp, Title, ids, seed, set_keywords, set_people};
use crate::language::debug_ok;
use sqlx::PgPool;

fn catalog() -> Vec<Title> {
    let mystery = |tmdb_id, title, overview| Title::movie(tmdb_id, title, overview, &["Mystery"]);
    vec![
        mystery(
            1,
            "The Country House",
            "guests gather for a long weekend in the country",
        ),
        mystery(
            2,
            "Night Train",
            "a passenger vanishes between two stations",
        ),
        mystery(3, "Fog", "a lighthouse keeper hears voices"),
        mystery(4, "The Archive", "a librarian finds a coded letter"),
    ]
}

/// Tags "The Country House" with TMDB's keyword and gives "Fog" a known actor.
async fn tag(pool: &PgPool, items: &[i32]) {
    set_keywords(pool, items[0], &["whodunit", "country house"]).await;
    set_people(pool, items[2], &[], &["Vera Lindqvist"]).await;
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_keyword_in_the_query_finds_the_title_tagged_with_it(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    tag(&pool, &items).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "a whodunit"),
            ("limit", "4"),
        ],
    )
    .await;

    assert_eq!(body["debug"]["counts"]["lexical"], 1, "{body}");
    assert_eq!(ids(&body)[0], i64::from(items[0]), "{body}");
    let components = &body["debug"]["items"][items[0].to_string()]["components"];
    assert_eq!(components["lexical"], 1.0, "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_person_named_in_the_query_is_found_through_the_cast(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    tag(&pool, &items).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "films with vera lindqvist"),
            ("limit", "4"),
        ],
    )
    .await;

    assert_eq!(ids(&body)[0], i64::from(items[2]), "{body}");
    assert_eq!(body["debug"]["counts"]["lexical"], 1, "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn without_the_catalog_copy_the_nearest_neighbours_answer_alone(pool: PgPool) {
    let app = TestApp::spawn_with(pool.clone(), &["--catalog-cache", "false"]).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    tag(&pool, &items).await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "a whodunit"),
            ("limit", "4"),
        ],
    )
    .await;

    assert_eq!(body["debug"]["catalog"], "postgres", "{body}");
    assert_eq!(body["debug"]["counts"]["lexical"], 0, "{body}");
    assert!(!ids(&body).is_empty(), "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_query_that_names_nothing_is_answered_like_no_query(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut titles = catalog();
    // A namesake of the sentence's words: its nearest neighbour, were it embedded.
    titles.push(Title::movie(
        5,
        "Watch Tonight",
        "what should i watch tonight",
        &["Drama"],
    ));
    seed(&pool, &app.embedder, &titles).await;
    app.until_catalog_copy("viewer").await;

    let plain = debug_ok(&app, &[("user_id", "viewer"), ("limit", "3")]).await;
    for query in ["what should I watch tonight", "recommend me something"] {
        let body = debug_ok(
            &app,
            &[("user_id", "viewer"), ("query", query), ("limit", "3")],
        )
        .await;
        assert_eq!(body["debug"]["path"], "cold_start", "{query}: {body}");
        assert_eq!(body["debug"]["counts"]["ann"], 0, "{query}: {body}");
        assert_eq!(ids(&body), ids(&plain), "{query}: {body}");
    }
}
