//! "like X" without a TMDB key: the title is linked against the catalog copy, seeds the
//! query vector and is left out of the results.

use crate::helpers::{TestApp, Title, ids, seed, set_keywords, set_people};
use crate::language::debug_ok;
use sqlx::PgPool;

fn catalog() -> Vec<Title> {
    let show = |tmdb_id, title, overview| Title {
        media: "tv",
        ..Title::movie(tmdb_id, title, overview, &["Drama", "Crime"])
    };
    vec![
        show(
            1,
            "Breaking Bad",
            "a chemistry teacher turns to making drugs",
        ),
        show(2, "Better Call Saul", "a small-time lawyer bends the law"),
        show(3, "Friends", "six friends share apartments in new york"),
        Title::movie(
            4,
            "Bad Teacher",
            "a lazy teacher schemes for money",
            &["Comedy"],
        ),
        Title::movie(
            5,
            "Heat",
            "a detective hunts a crew of bank robbers",
            &["Crime"],
        ),
    ]
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn like_x_links_the_catalog_title_without_tmdb_even_misspelt(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "shows like breking bad"),
            ("limit", "4"),
        ],
    )
    .await;

    assert_eq!(body["debug"]["offline_link"], "Breaking Bad (tv)", "{body}");
    assert_eq!(body["debug"]["seeds"], serde_json::json!([items[0]]));
    let found = ids(&body);
    assert!(!found.is_empty(), "{body}");
    assert!(
        !found.contains(&i64::from(items[0])),
        "the seed is never a result: {found:?}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_word_that_only_looks_like_a_title_links_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    seed(&pool, &app.embedder, &catalog()).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "movies like a good heist thriller"),
        ],
    )
    .await;

    assert_eq!(
        body["debug"]["offline_link"],
        serde_json::Value::Null,
        "{body}"
    );
    assert_eq!(body["debug"]["seeds"], serde_json::json!([]));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn like_x_finds_the_titles_sharing_its_keywords(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    // Heat shares Breaking Bad's rarer keyword; Friends and Bad Teacher share nothing.
    set_keywords(&pool, items[0], &["drug dealer", "new mexico", "cancer"]).await;
    set_keywords(&pool, items[4], &["drug dealer", "los angeles"]).await;
    set_keywords(&pool, items[2], &["new york", "apartment"]).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "more like Breaking Bad"),
            ("limit", "4"),
        ],
    )
    .await;

    assert_eq!(body["debug"]["seeds"], serde_json::json!([items[0]]));
    assert_eq!(body["debug"]["counts"]["lexical"], 1, "{body}");
    let heat = &body["debug"]["items"][items[4].to_string()]["components"];
    assert!(heat["lexical"].as_f64() > Some(0.0), "{body}");
    assert!(ids(&body).contains(&i64::from(items[4])), "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn more_like_a_film_finds_its_directors_other_films(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(
        &pool,
        &app.embedder,
        &[
            Title::movie(1, "Pulp Fiction", "a hit man and a boxer", &["Crime"]),
            Title::movie(2, "Jackie Brown", "a stewardess smuggles cash", &["Crime"]),
            Title::movie(3, "Desperado", "a mariachi seeks revenge", &["Action"]),
            Title::movie(4, "Paddington", "a bear moves to london", &["Family"]),
        ],
    )
    .await;
    // Tarantino directed the first two and only acts in Desperado.
    set_people(&pool, items[0], &["Quentin Tarantino"], &["John Travolta"]).await;
    set_people(&pool, items[1], &["Quentin Tarantino"], &["Pam Grier"]).await;
    set_people(
        &pool,
        items[2],
        &["Robert Rodriguez"],
        &["Quentin Tarantino"],
    )
    .await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "more like Pulp Fiction"),
            ("limit", "3"),
        ],
    )
    .await;

    assert_eq!(body["debug"]["seeds"], serde_json::json!([items[0]]));
    assert_eq!(body["debug"]["counts"]["lexical"], 1, "{body}");
    let components = |id: i32| body["debug"]["items"][id.to_string()]["components"].clone();
    assert!(
        components(items[1])["lexical"].as_f64() > Some(0.0),
        "{body}"
    );
    assert!(ids(&body).contains(&i64::from(items[1])), "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_seeds_less_known_neighbour_is_not_cut_off_by_the_filters(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let show = |tmdb_id, title: &'static str, overview: &'static str, votes| Title {
        media: "tv",
        votes,
        ..Title::movie(tmdb_id, title, overview, &["Drama"])
    };
    let mut catalog = vec![
        show(
            1,
            "Breaking Bad",
            "a chemistry teacher turns to making drugs",
            5000,
        ),
        show(
            2,
            "El Camino",
            "the chemistry teacher's partner runs from drugs",
            10,
        ),
    ];
    // More better-known series than a `limit=5` request's prefilter keeps (5 × 25): the
    // seed's neighbour has the fewest votes of all.
    for n in 0..130 {
        let title: &'static str = Box::leak(format!("Quiz Night {n}").into_boxed_str());
        catalog.push(show(
            100 + n,
            title,
            "contestants answer trivia questions",
            1000,
        ));
    }
    let items = seed(&pool, &app.embedder, &catalog).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "shows like Breaking Bad"),
            ("limit", "5"),
        ],
    )
    .await;

    assert_eq!(body["debug"]["seeds"], serde_json::json!([items[0]]));
    assert!(
        body["debug"]["prefilter"]["allowlist"].as_u64() > Some(125),
        "{body}"
    );
    assert!(ids(&body).contains(&i64::from(items[1])), "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn more_like_a_show_answers_neither_of_its_versions(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let show = |tmdb_id, title, overview, popularity| Title {
        media: "tv",
        popularity,
        ..Title::movie(tmdb_id, title, overview, &["Comedy"])
    };
    let items = seed(
        &pool,
        &app.embedder,
        &[
            show(1, "The Office", "a mockumentary about office workers", 90.0),
            show(
                2,
                "The Office",
                "a mockumentary about an office in slough",
                30.0,
            ),
            show(
                3,
                "Parks and Recreation",
                "a mockumentary about town workers",
                50.0,
            ),
            show(4, "Superstore", "workers of a big box store", 40.0),
        ],
    )
    .await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[("user_id", "viewer"), ("query", "shows like The Office")],
    )
    .await;

    assert_eq!(body["debug"]["seeds"], serde_json::json!([items[0]]));
    let found = ids(&body);
    assert!(found.contains(&i64::from(items[2])), "{body}");
    assert!(
        !found.contains(&i64::from(items[1])),
        "the other Office is the same show: {found:?}"
    );
}
