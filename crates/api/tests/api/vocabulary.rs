//! The rule parser's compound terms through `/recommend` without an LLM: "rom-com" wants
//! titles that are Romance *and* Comedy, "k-drama" on a catalog without Korean series
//! answers with Korean drama films before series of unknown language, and "heist movies"
//! with the titles TMDB tags heist, bank robbery or caper before better-known crime films,
//! "scary movies but no gore" with horror films not tagged gore, and "short comedies" with
//! comedies known to be short before better-known ones of unknown runtime.

use crate::helpers::{TestApp, Title, ids, seed, set_keywords};
use crate::language::debug_ok;
use sqlx::PgPool;

/// `count` titles named `<name> <n>`, with popularity `popularity`.
fn titles(
    count: usize,
    media: &'static str,
    name: &str,
    genres: &'static [&'static str],
    popularity: f64,
) -> Vec<Title> {
    (0..count)
        .map(|n| {
            let title: &'static str = Box::leak(format!("{name} {n}").into_boxed_str());
            Title {
                media,
                popularity,
                ..Title::movie(0, title, "two people and a long summer", genres)
            }
        })
        .collect()
}

/// Distinct TMDB ids for a fixture.
fn numbered(mut titles: Vec<Title>) -> Vec<Title> {
    for (n, t) in titles.iter_mut().enumerate() {
        t.tmdb_id = n as i32 + 1;
    }
    titles
}

fn genres_of(body: &serde_json::Value) -> Vec<Vec<String>> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            i["genres"]
                .as_array()
                .expect("genres")
                .iter()
                .map(|g| g["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .collect()
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_rom_com_is_romance_and_comedy_not_either(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    // The comedies and the romances alone are the more popular ones.
    let mut catalog = titles(12, "movie", "Comedy", &["Comedy"], 90.0);
    catalog.extend(titles(12, "movie", "Romance", &["Romance"], 80.0));
    catalog.extend(titles(12, "movie", "Rom-com", &["Romance", "Comedy"], 5.0));
    seed(&pool, &app.embedder, &numbered(catalog)).await;
    app.until_catalog_copy("viewer").await;

    for query in ["a rom-com", "romantic comedies"] {
        let body = debug_ok(
            &app,
            &[("user_id", "viewer"), ("query", query), ("limit", "4")],
        )
        .await;
        assert_eq!(
            body["debug"]["prefilter"]["allowlist"], 12,
            "{query}: {body}"
        );
        assert_eq!(ids(&body).len(), 4, "{body}");
        for genres in genres_of(&body) {
            assert!(
                genres.contains(&"Romance".to_owned()) && genres.contains(&"Comedy".to_owned()),
                "{query}: {genres:?} in {body}"
            );
        }
    }
    // "romance" alone still means either genre's titles may come (the original's rule).
    let body = debug_ok(
        &app,
        &[("user_id", "viewer"), ("query", "romance"), ("limit", "4")],
    )
    .await;
    assert!(
        body["debug"]["prefilter"]["allowlist"].as_u64() > Some(12),
        "{body}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_k_drama_without_korean_series_is_a_korean_drama_film(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    // Popular series of unknown language, and less popular Korean films.
    let mut catalog = titles(12, "tv", "Series", &["Drama"], 90.0);
    catalog.extend(titles(12, "movie", "Korean film", &["Drama"], 5.0));
    catalog.extend(titles(12, "movie", "French film", &["Drama"], 50.0));
    let items = seed(&pool, &app.embedder, &numbered(catalog)).await;
    sqlx::query("UPDATE items SET original_language = 'ko' WHERE id = ANY($1)")
        .bind(&items[12..24])
        .execute(&pool)
        .await
        .expect("korean");
    sqlx::query("UPDATE items SET original_language = 'fr' WHERE id = ANY($1)")
        .bind(&items[24..])
        .execute(&pool)
        .await
        .expect("french");
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[("user_id", "viewer"), ("query", "k-drama"), ("limit", "4")],
    )
    .await;
    let prefilter = &body["debug"]["prefilter"];
    assert_eq!(prefilter["widened_media_types"], true, "{body}");
    assert_eq!(prefilter["allowlist"], 12, "{body}");
    let korean: Vec<i64> = items[12..24].iter().map(|id| i64::from(*id)).collect();
    let got = ids(&body);
    assert_eq!(got.len(), 4, "{body}");
    assert!(got.iter().all(|id| korean.contains(id)), "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn documentary_series_without_known_documentary_series_are_documentaries(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    // Popular series of unknown genre, and less popular documentary films.
    let mut catalog = titles(12, "tv", "Series", &[], 90.0);
    catalog.extend(titles(12, "movie", "Documentary", &["Documentary"], 5.0));
    let items = seed(&pool, &app.embedder, &numbered(catalog)).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "documentary series about history"),
            ("limit", "4"),
        ],
    )
    .await;
    assert_eq!(
        body["debug"]["filters"]["required_genres"],
        serde_json::json!(["Documentary"]),
        "{body}"
    );
    assert_eq!(
        body["debug"]["prefilter"]["widened_media_types"], true,
        "{body}"
    );
    let documentaries: Vec<i64> = items[12..].iter().map(|id| i64::from(*id)).collect();
    let got = ids(&body);
    assert_eq!(got.len(), 4, "{body}");
    assert!(got.iter().all(|id| documentaries.contains(id)), "{body}");
}

/// A popular untagged namesake (the test embedder puts it nearest the query), popular
/// untagged crime films, and three obscure titles carrying the heist rule's tags (one in
/// capitals and padded, to check case).
async fn heist_catalog(app: &TestApp, pool: &PgPool) -> (Vec<i32>, i32) {
    let mut catalog = titles(12, "movie", "Crime", &["Crime"], 90.0);
    catalog.push(Title {
        popularity: 95.0,
        votes: 5000,
        ..Title::movie(0, "Heist", "a heist in the city", &["Crime"])
    });
    catalog.extend(titles(3, "movie", "Tagged", &["Crime"], 5.0));
    let items = seed(pool, &app.embedder, &numbered(catalog)).await;
    let tags: [&[&str]; 3] = [&["heist"], &[" Bank Robbery"], &["caper", "paris"]];
    for (id, keywords) in items[13..].iter().zip(tags) {
        set_keywords(pool, *id, keywords).await;
    }
    (items[13..].to_vec(), items[12])
}

/// The page of five holds the namesake (nearest the query) and the three tagged titles:
/// one more popular untagged crime film at most (the serendipity slot takes one).
fn assert_tagged_first(body: &serde_json::Value, tagged: &[i32], namesake: i32) {
    let page = ids(body);
    assert_eq!(page.len(), 5, "{body}");
    for id in tagged.iter().chain([&namesake]) {
        assert!(page.contains(&i64::from(*id)), "{id} in {body}");
    }
}

/// "heist movies", a page of five, MMR off (it would space out the look-alike tagged fixtures).
async fn ask_heist_movies(app: &TestApp) -> serde_json::Value {
    debug_ok(
        app,
        &[
            ("user_id", "viewer"),
            ("query", "heist movies"),
            ("limit", "5"),
            ("diversify", "false"),
        ],
    )
    .await
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn heist_movies_are_the_titles_tagged_heist_before_more_popular_ones(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let (tagged, namesake) = heist_catalog(&app, &pool).await;
    app.until_catalog_copy("viewer").await;

    let body = ask_heist_movies(&app).await;
    assert_eq!(body["debug"]["catalog"], "memory", "{body}");
    let tags = body["debug"]["intent"]["tags"].as_array().expect("tags");
    assert!(tags.iter().any(|t| t == "bank robbery"), "{body}");
    assert_eq!(
        body["debug"]["counts"]["lexical"], 0,
        "the word is left to the tags: {body}"
    );
    assert_tagged_first(&body, &tagged, namesake);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn without_the_catalog_copy_postgres_finds_the_tagged_titles(pool: PgPool) {
    let app = TestApp::spawn_with(pool.clone(), &["--catalog-cache", "false"]).await;
    let (tagged, namesake) = heist_catalog(&app, &pool).await;

    let body = ask_heist_movies(&app).await;
    assert_eq!(body["debug"]["catalog"], "postgres", "{body}");
    assert_tagged_first(&body, &tagged, namesake);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_negated_topic_leaves_its_tagged_titles_out(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let (tagged, _) = heist_catalog(&app, &pool).await;
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "crime movies but no heists"),
            ("limit", "20"),
        ],
    )
    .await;
    let left_out = body["debug"]["intent"]["exclude_tags"]
        .as_array()
        .expect("exclude_tags");
    assert!(left_out.iter().any(|t| t == "caper"), "{body}");
    let page = ids(&body);
    assert!(page.len() >= 12, "the untagged crime films remain: {body}");
    for id in &tagged {
        assert!(!page.contains(&i64::from(*id)), "{id} left out: {body}");
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn scary_but_no_gore_is_horror_without_the_gory_titles(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    // Popular comedies (what excluding Horror and Thriller used to leave), horror films, and
    // two horror films tagged gore.
    let mut catalog = titles(10, "movie", "Comedy", &["Comedy"], 90.0);
    catalog.extend(titles(8, "movie", "Ghost story", &["Horror"], 20.0));
    catalog.extend(titles(2, "movie", "Splatter", &["Horror"], 50.0));
    let items = seed(&pool, &app.embedder, &numbered(catalog)).await;
    let gory = items[18..].to_vec();
    for id in &gory {
        set_keywords(&pool, *id, &["Gore", "zombie"]).await;
    }
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "scary movies but no gore"),
            ("limit", "8"),
        ],
    )
    .await;
    let left_out = body["debug"]["intent"]["exclude_tags"]
        .as_array()
        .expect("exclude_tags");
    assert!(left_out.iter().any(|t| t == "gore"), "{body}");
    let page = ids(&body);
    assert_eq!(page.len(), 8, "{body}");
    for id in &gory {
        assert!(!page.contains(&i64::from(*id)), "{id} left out: {body}");
    }
    // The ghost stories, not the comedies (one may take the serendipity slot).
    let horror = genres_of(&body)
        .iter()
        .filter(|g| *g == &["Horror"])
        .count();
    assert!(horror >= 7, "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_topic_no_title_passing_the_filters_carries_is_searched_as_words(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    // Popular series without keywords, two series about vampires (no keywords either: the
    // demo catalog's series have none), and vampire films tagged vampire.
    let mut catalog = titles(12, "tv", "Series", &["Drama"], 90.0);
    for (n, title) in ["Night Kin", "Fangs of Maple Street"]
        .into_iter()
        .enumerate()
    {
        catalog.push(Title {
            media: "tv",
            popularity: 5.0 + n as f64,
            ..Title::movie(
                0,
                title,
                "a family of vampires hides in a small town",
                &["Drama"],
            )
        });
    }
    catalog.extend(titles(3, "movie", "Vampire film", &["Horror"], 50.0));
    let items = seed(&pool, &app.embedder, &numbered(catalog)).await;
    for id in &items[14..] {
        set_keywords(&pool, *id, &["vampire"]).await;
    }
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "a series about vampires"),
            ("limit", "5"),
            ("diversify", "false"),
        ],
    )
    .await;
    let intent_tags = body["debug"]["intent"]["tags"].as_array().expect("tags");
    assert!(intent_tags.iter().any(|t| t == "vampire"), "{body}");
    assert_eq!(
        body["debug"]["filters"]["tags"],
        serde_json::json!([]),
        "no series carries the tag: {body}"
    );
    assert!(
        body["debug"]["counts"]["lexical"].as_u64() >= Some(2),
        "{body}"
    );
    let page = ids(&body);
    assert_eq!(
        page[..2]
            .iter()
            .copied()
            .collect::<std::collections::HashSet<_>>(),
        [i64::from(items[12]), i64::from(items[13])].into(),
        "the series about vampires first: {body}"
    );
}

/// 130 better-known comedies of unknown runtime, then three known to be short; returns the
/// short ones' ids.
async fn short_comedies_catalog(app: &TestApp, pool: &PgPool) -> Vec<i32> {
    let mut catalog: Vec<Title> = titles(130, "movie", "Sketch Show", &["Comedy"], 50.0)
        .into_iter()
        .map(|t| Title {
            runtime: None,
            votes: 1000,
            ..t
        })
        .collect();
    catalog.extend(
        titles(3, "movie", "Quick Laugh", &["Comedy"], 1.0)
            .into_iter()
            .map(|t| Title {
                runtime: Some(85),
                votes: 10,
                ..t
            }),
    );
    let ids = seed(pool, &app.embedder, &numbered(catalog)).await;
    ids[130..].to_vec()
}

async fn ask_short_comedies(app: &TestApp) -> serde_json::Value {
    debug_ok(
        app,
        &[
            ("user_id", "viewer"),
            ("query", "short comedies"),
            ("limit", "5"),
        ],
    )
    .await
}

fn assert_known_short_first(body: &serde_json::Value, short: &[i32]) {
    let found = ids(body);
    let mut first: Vec<i64> = found.iter().take(3).copied().collect();
    first.sort_unstable();
    let short: Vec<i64> = short.iter().map(|&id| i64::from(id)).collect();
    assert_eq!(first, short, "{body}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn short_means_known_short_before_better_known_titles_of_unknown_runtime(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let short = short_comedies_catalog(&app, &pool).await;
    app.until_catalog_copy("viewer").await;

    let body = ask_short_comedies(&app).await;
    assert_eq!(body["debug"]["filters"]["max_runtime"], 100, "{body}");
    assert_known_short_first(&body, &short);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn without_the_catalog_copy_postgres_finds_the_known_short_titles(pool: PgPool) {
    let app = TestApp::spawn_with(pool.clone(), &["--catalog-cache", "false"]).await;
    let short = short_comedies_catalog(&app, &pool).await;

    let body = ask_short_comedies(&app).await;
    assert_eq!(body["debug"]["catalog"], "postgres", "{body}");
    assert_known_short_first(&body, &short);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_word_naming_a_topic_is_served_by_its_tags_not_searched(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut catalog = titles(12, "movie", "Drama", &["Drama"], 90.0);
    catalog.push(Title::movie(
        0,
        "Big Feelings",
        "critics called this tearjerker the year's saddest",
        &["Drama"],
    ));
    catalog.extend(titles(3, "movie", "Tagged", &["Drama"], 5.0));
    let items = seed(&pool, &app.embedder, &numbered(catalog)).await;
    for id in &items[13..] {
        set_keywords(&pool, *id, &["tragic love"]).await;
    }
    app.until_catalog_copy("viewer").await;

    let body = debug_ok(
        &app,
        &[
            ("user_id", "viewer"),
            ("query", "a tearjerker"),
            ("limit", "5"),
            ("diversify", "false"),
        ],
    )
    .await;
    assert_eq!(body["debug"]["counts"]["lexical"], 0, "{body}");
    let page = ids(&body);
    for id in &items[13..] {
        assert!(page.contains(&i64::from(*id)), "{id} in {body}");
    }
}
