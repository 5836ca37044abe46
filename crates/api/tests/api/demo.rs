//! End-to-end over the real demo catalog (`data/demo/catalog.jsonl.gz`, ~19.7k titles) and a
//! real MovieLens user (user 1 of ml-latest-small, `tests/fixtures/`): the catalog is imported and
//! embedded by the real batch jobs (with the test embedder, so it takes seconds), the user's
//! history goes in through `POST /user/history`, and every page of `/recommend` must leave
//! out everything that user has seen.

use crate::helpers::{TestApp, ids};
use seen_core::embed_text::EmbedTemplate;
use seen_embed::Embedder;
use seen_etl::{catalog_import, embed_job};
use serde_json::json;
use sqlx::PgPool;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Imports and embeds the whole demo catalog into the app's database.
pub async fn load_demo_catalog(app: &TestApp) {
    let path = repo_root().join("data/demo/catalog.jsonl.gz");
    let opts = catalog_import::CatalogImportOptions {
        batch_size: 2000,
        progress: false,
    };
    let summary = catalog_import::run(&app.pool, &path, &opts)
        .await
        .expect("demo catalog import");
    assert!(summary.counts.inserted > 19_000, "{summary}");
    let embed = embed_job::EmbedOptions {
        version: "v1".into(),
        template: EmbedTemplate::Basic,
        batch: 2000,
        max_items: None,
        current_year: 2026,
    };
    embed_job::run(&app.pool, app.embedder.clone() as Arc<dyn Embedder>, &embed)
        .await
        .expect("demo catalog embed");
}

/// The MovieLens `movieId`s a ml-latest-small user rated (the fixture holds user 1's rows).
fn movielens_history(user: u32) -> Vec<i32> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/movielens-user1-ratings.csv");
    let mut reader = csv::Reader::from_path(&path).expect("ratings.csv");
    reader
        .records()
        .map(|r| r.expect("ratings row"))
        .filter(|r| r[0].parse::<u32>().ok() == Some(user))
        .map(|r| r[1].parse().expect("movieId"))
        .collect()
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_movielens_users_history_is_excluded_from_every_page_read_from_the_catalog_copy(
    pool: PgPool,
) {
    let app = TestApp::spawn(pool).await;
    load_demo_catalog(&app).await;
    app.until_catalog_copy("nobody").await;
    posted_history_is_excluded_from_every_page(&app).await;
    let last = app.fresh_debug("ml-1").await;
    assert_eq!(last["debug"]["catalog"], "memory", "{}", last["debug"]);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_movielens_users_history_is_excluded_from_every_page_read_from_postgres(pool: PgPool) {
    let app = TestApp::spawn_with(pool, &["--catalog-cache", "false"]).await;
    load_demo_catalog(&app).await;
    posted_history_is_excluded_from_every_page(&app).await;
    let last = app.fresh_debug("ml-1").await;
    assert_eq!(last["debug"]["catalog"], "postgres", "{}", last["debug"]);
}

/// Posts MovieLens user 1's films (and one rejection) over HTTP as `ml-1`, then checks three
/// cursor pages with `diversify=true` and a query never show them and never repeat.
async fn posted_history_is_excluded_from_every_page(app: &TestApp) {
    // User 1 rated 232 films (all in the demo catalog); they become catalog ids.
    let movielens_ids = movielens_history(1);
    assert!(movielens_ids.len() > 200);
    let seen: Vec<i32> =
        sqlx::query_scalar("SELECT id FROM items WHERE movielens_id = ANY($1) ORDER BY id")
            .bind(&movielens_ids)
            .fetch_all(&app.pool)
            .await
            .expect("map movielens ids");
    assert!(
        seen.len() > 150,
        "only {} of user 1's films are in the catalog",
        seen.len()
    );

    let posted = app
        .post_history(&json!({"user_id": "ml-1", "items": seen, "event_type": "watched"}))
        .await;
    assert_eq!(
        posted.status(),
        200,
        "{}",
        posted.text().await.unwrap_or_default()
    );
    // A title the user rejected is excluded too.
    let rejected: i32 = sqlx::query_scalar(
        "SELECT id FROM items WHERE NOT (id = ANY($1)) ORDER BY popularity DESC LIMIT 1",
    )
    .bind(&seen)
    .fetch_one(&app.pool)
    .await
    .expect("most popular unseen title");
    let posted = app
        .post_history(
            &json!({"user_id": "ml-1", "items": [rejected], "event_type": "not_interested"}),
        )
        .await;
    assert_eq!(posted.status(), 200);

    let excluded: HashSet<i64> = seen
        .iter()
        .chain([&rejected])
        .map(|&id| i64::from(id))
        .collect();
    let mut returned = BTreeSet::new();
    let mut cursor: Option<String> = None;
    for page in 0..3 {
        let mut params = vec![("user_id", "ml-1"), ("limit", "20"), ("diversify", "true")];
        if let Some(c) = cursor.as_deref() {
            params.push(("cursor", c));
        }
        let body = app.recommend_ok(&params).await;
        let page_ids = ids(&body);
        assert_eq!(page_ids.len(), 20, "page {page} is short: {body}");
        for id in &page_ids {
            assert!(
                !excluded.contains(id),
                "page {page} recommends seen title {id}"
            );
            assert!(returned.insert(*id), "title {id} repeats on page {page}");
        }
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        assert!(cursor.is_some() || page == 2, "no cursor after page {page}");
    }

    // The same user asking with a query is still never shown what they have seen.
    let body = app
        .recommend_ok(&[
            ("user_id", "ml-1"),
            ("query", "space adventure"),
            ("limit", "30"),
        ])
        .await;
    let with_query = ids(&body);
    assert!(!with_query.is_empty());
    assert!(with_query.iter().all(|id| !excluded.contains(id)));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_fake_llm_intent_and_reranker_shape_results_on_the_demo_catalog(pool: PgPool) {
    use crate::language::{
        INTENT_MARK, RERANK_MARK, ReverseReranker, answer_openai, debug_ok, intent_flags,
        openai_answer, rerank_flags,
    };
    use wiremock::matchers::{body_string_contains, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let llm = MockServer::start().await;
    let intent = json!({"exclude_genres": ["Horror"], "runtime_minutes_max": 105,
                        "year_min": 2000, "year_max": 2009});
    answer_openai(
        &llm,
        INTENT_MARK,
        ResponseTemplate::new(200).set_body_json(openai_answer(&intent.to_string())),
    )
    .await;
    Mock::given(method("POST"))
        .and(body_string_contains(RERANK_MARK))
        .respond_with(ReverseReranker)
        .mount(&llm)
        .await;
    let mut flags = intent_flags(&llm);
    flags.extend(rerank_flags(&llm));
    flags.extend(["--rewrite-llm-enabled".into(), "0".into()]);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let app = TestApp::spawn_with(pool, &flags).await;
    load_demo_catalog(&app).await;

    let query = "a tense night at the movies";
    let base = app
        .recommend_ok(&[
            ("user_id", "d"),
            ("query", query),
            ("limit", "20"),
            ("use_llm_intent", "false"),
        ])
        .await;
    let body = debug_ok(&app, &[("user_id", "d"), ("query", query), ("limit", "20")]).await;

    // Without the intent, the list breaks at least one of its constraints ...
    let breaks = |item: &serde_json::Value| {
        item["runtime"].as_i64().is_some_and(|r| r > 105)
            || item["release_year"]
                .as_i64()
                .is_some_and(|y| !(2000..=2009).contains(&y))
            || item["genres"]
                .as_array()
                .is_some_and(|g| g.iter().any(|g| g["name"] == "Horror"))
    };
    assert!(
        base["items"].as_array().expect("items").iter().any(breaks),
        "{base}"
    );
    // ... with it, none does.
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 20);
    assert!(items.iter().all(|i| !breaks(i)), "{body}");
    assert_eq!(body["debug"]["intent_source"], "llm");

    // The reranker saw the first 25 and answered them reversed, with its explanations.
    assert_eq!(body["debug"]["reranker"], "openai:fake-model");
    assert_eq!(body["debug"]["rerank"]["decisions"], 25);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["explanation"], format!("Fake rerank #{i}"));
    }
    let scores: Vec<f64> = items
        .iter()
        .map(|i| i["score"].as_f64().unwrap_or_default())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
}
