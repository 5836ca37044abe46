//! The taste model in `/recommend`: trained on everyone's history, picked up by a running
//! server, and scoring a viewer's newest events without retraining.

use crate::helpers::{TestApp, Title, ids, seed};
use seen_core::taste::TasteParams;
use seen_etl::train::{self, TrainOptions};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::time::{Duration, Instant};

const OVERVIEWS: [&str; 12] = [
    "a detective hunts a killer through a rainy city",
    "two friends open a bakery in a seaside town",
    "a pilot crash-lands on a frozen moon",
    "a chef competes in a national cooking contest",
    "a chess prodigy plays a grandmaster in moscow",
    "a family rescues a stray dog during a storm",
    "a thief plans one last heist at the opera",
    "a teacher inspires a choir in a mining town",
    "an engineer builds a robot in her garage",
    "a journalist uncovers a scandal in parliament",
    "a surfer trains for the biggest wave of his life",
    "a painter forges masterpieces in old paris",
];

/// Twelve unrelated films: group A is ids 0..6, group B 6..12.
fn catalog() -> Vec<Title> {
    const NAMES: [&str; 12] = [
        "A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "B6",
    ];
    (0..12)
        .map(|i| Title::movie(100 + i as i32, NAMES[i], OVERVIEWS[i], &["Drama"]))
        .collect()
}

/// Ten people who watch all of group A, ten who watch all of group B.
async fn crowd(app: &TestApp, items: &[i32]) {
    for n in 0..20 {
        let (group, name) = if n < 10 {
            (&items[..6], format!("a{n}"))
        } else {
            (&items[6..], format!("b{n}"))
        };
        let resp = app
            .post_history(&json!({"user_id": name, "items": group, "event_type": "liked"}))
            .await;
        assert_eq!(resp.status(), 200);
    }
}

async fn train(pool: &PgPool) -> i64 {
    let opts = TrainOptions {
        params: TasteParams {
            lambda: 5.0,
            min_users: 1,
            ..TasteParams::default()
        },
        keep: 3,
        progress: false,
    };
    train::run(pool, &opts).await.expect("train").version
}

/// `/debug/recommend` (never cached) until its collaborative source is `wanted`.
async fn until_collab_source(app: &TestApp, user: &str, wanted: &str) -> Value {
    let start = Instant::now();
    loop {
        let body = app.fresh_debug(user).await;
        if body["debug"]["collab_source"] == wanted {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "collab_source never became {wanted}: {}",
            body["debug"]["collab_source"]
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_running_server_picks_up_each_new_model_version(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    crowd(&app, &items).await;
    let viewer = json!({"user_id": "viewer", "items": [items[0]], "event_type": "liked"});
    assert_eq!(app.post_history(&viewer).await.status(), 200);
    let before = app.fresh_debug("viewer").await;
    let source = before["debug"]["collab_source"]
        .as_str()
        .unwrap_or_default();
    assert!(!source.starts_with("taste_model"), "no model yet: {source}");

    let first = train(&pool).await;
    until_collab_source(&app, "viewer", &format!("taste_model:{first}")).await;
    let second = train(&pool).await;
    assert!(second > first);
    until_collab_source(&app, "viewer", &format!("taste_model:{second}")).await;
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_history_post_changes_the_next_list_without_retraining(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    crowd(&app, &items).await;
    let version = train(&pool).await;
    let (group_a, group_b) = (&items[..6], &items[6..]);
    let liked = |ids: &[i32]| json!({"user_id": "viewer", "items": ids, "event_type": "liked"});
    assert_eq!(app.post_history(&liked(&items[..1])).await.status(), 200);

    let source = format!("taste_model:{version}");
    let body = until_collab_source(&app, "viewer", &source).await;
    let top: Vec<i64> = ids(&body).into_iter().take(5).collect();
    assert!(
        top.iter().all(|id| group_a.contains(&(*id as i32))),
        "one liked A title: the other A titles lead, got {top:?}"
    );
    let explanation = body["items"][0]["explanation"].as_str().unwrap_or_default();
    assert!(
        explanation.starts_with("Because you liked A1."),
        "{explanation}"
    );

    // Three B titles liked now: B leads the very next list, with the same model.
    assert_eq!(app.post_history(&liked(&items[6..9])).await.status(), 200);
    let body = app.fresh_debug("viewer").await;
    assert_eq!(body["debug"]["collab_source"], source.as_str());
    let top: Vec<i64> = ids(&body).into_iter().take(3).collect();
    assert!(
        top.iter().all(|id| group_b.contains(&(*id as i32))),
        "three liked B titles: the other B titles lead, got {top:?}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn more_like_a_title_brings_what_its_watchers_also_watched(pool: PgPool) {
    const NAMES: [&str; 12] = [
        "Harbor Lights",
        "Copper Valley",
        "Silent Meadow",
        "Broken Compass",
        "Paper Moons",
        "Iron Orchard",
        "Neon Tide",
        "Glass Mountain",
        "Velvet Storm",
        "Crimson Lake",
        "Hollow Crown",
        "Winter Garden",
    ];
    let titles: Vec<Title> = (0..12)
        .map(|i| Title::movie(100 + i as i32, NAMES[i], OVERVIEWS[i], &["Drama"]))
        .collect();
    let app = TestApp::spawn(pool.clone()).await;
    let items = seed(&pool, &app.embedder, &titles).await;
    crowd(&app, &items).await;
    let version = train(&pool).await;
    let group_b = &items[6..];
    // A new viewer: no history, so the model's only evidence is the title the query names.
    let start = Instant::now();
    let mut attempt = 0u32;
    let body = loop {
        // A new novelty weight each time: a list cached before the copy loaded is not reused.
        attempt += 1;
        let novelty = format!("{:.6}", f64::from(attempt) * 1e-6);
        let body = crate::language::debug_ok(
            &app,
            &[
                ("user_id", "newcomer"),
                ("query", "more like Neon Tide"),
                ("limit", "6"),
                ("mixer_novelty_weight", novelty.as_str()),
            ],
        )
        .await;
        if body["debug"]["catalog"] == "memory"
            && body["debug"]["collab_source"] == format!("taste_model:{version}")
        {
            break body;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    assert_eq!(body["debug"]["offline_link"], "Neon Tide (movie)", "{body}");
    let collab: Vec<i32> = body["debug"]["items"]
        .as_object()
        .expect("items")
        .iter()
        .filter(|(_, t)| t["components"]["collab"].as_f64().unwrap_or(0.0) > 0.0)
        .filter_map(|(id, _)| id.parse().ok())
        .collect();
    assert!(
        !collab.is_empty(),
        "the seed gives the model evidence: {body}"
    );
    assert!(
        collab.iter().all(|id| group_b.contains(id)),
        "Neon Tide's watchers watched group B: {collab:?}"
    );
    for item in body["items"].as_array().expect("items") {
        let explanation = item["explanation"].as_str().unwrap_or_default();
        assert!(
            !explanation.contains("Because you liked Neon Tide"),
            "the viewer never liked it: {explanation}"
        );
    }
}

/// The newest stored version and the history rows its fit read.
async fn newest_model(pool: &PgPool) -> Option<(i64, Option<i64>)> {
    sqlx::query_as("SELECT version, history_rows FROM taste_models ORDER BY version DESC LIMIT 1")
        .fetch_optional(pool)
        .await
        .expect("read taste_models")
}

/// Polls until the newest stored version differs from `old`.
async fn until_new_model(pool: &PgPool, old: Option<i64>) -> (i64, Option<i64>) {
    let start = Instant::now();
    loop {
        if let Some(model) = newest_model(pool).await.filter(|m| Some(m.0) != old) {
            return model;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server never stored a model newer than {old:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_server_retrains_itself_once_enough_new_history_arrives(pool: PgPool) {
    let app = TestApp::spawn_with(
        pool.clone(),
        &[
            "--auto-train",
            "true",
            "--auto-train-check-secs",
            "1",
            "--auto-train-min-events",
            "50",
            "--auto-train-min-growth",
            "0.5",
        ],
    )
    .await;
    let items = seed(&pool, &app.embedder, &catalog()).await;
    // 120 events and no model: the server fits one without anyone running `seenemall train`.
    crowd(&app, &items).await;
    let (first, rows) = until_new_model(&pool, None).await;
    assert_eq!(rows, Some(120), "the fit read the whole history");
    let viewer = json!({"user_id": "viewer", "items": [items[0]], "event_type": "liked"});
    assert_eq!(app.post_history(&viewer).await.status(), 200);
    let body = until_collab_source(&app, "viewer", &format!("taste_model:{first}")).await;
    let top: Vec<i64> = ids(&body).into_iter().take(5).collect();
    assert!(
        top.iter().all(|id| items[..6].contains(&(*id as i32))),
        "the self-trained model ranks the viewer's group first, got {top:?}"
    );

    // 1 + 12 new events are under 50 % of 120: three checks later, still the same model.
    for user in ["late1", "late2"] {
        let body = json!({"user_id": user, "items": &items[6..12], "event_type": "liked"});
        assert_eq!(app.post_history(&body).await.status(), 200);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(newest_model(&pool).await.map(|m| m.0), Some(first));

    // 60 more (73 new in all, over 50 % of 120): a new version, fitted on all 193 rows.
    for n in 0..10 {
        let body =
            json!({"user_id": format!("more{n}"), "items": &items[..6], "event_type": "watched"});
        assert_eq!(app.post_history(&body).await.status(), 200);
    }
    let (second, rows) = until_new_model(&pool, Some(first)).await;
    assert!(second > first);
    assert_eq!(rows, Some(193));
    until_collab_source(&app, "viewer", &format!("taste_model:{second}")).await;
}

/// MovieLens files for 30 people: 15 rate the six A titles, 15 the six B titles, each in a
/// rotated order, so every title is in someone's history and in someone's later part.
fn movielens_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let links: String = (0..12)
        .map(|m| format!("{},0,{}\n", m + 1, 100 + m))
        .collect();
    std::fs::write(
        dir.path().join("links.csv"),
        format!("movieId,imdbId,tmdbId\n{links}"),
    )
    .expect("links.csv");
    let mut ratings = String::from("userId,movieId,rating,timestamp\n");
    for user in 0..30 {
        let group = if user < 15 { 0 } else { 6 };
        for k in 0..6 {
            let movie = group + (user + k) % 6 + 1;
            let ts = 1_000_000 + user * 100 + k;
            ratings.push_str(&format!("{},{movie},5.0,{ts}\n", user + 1));
        }
    }
    std::fs::write(dir.path().join("ratings.csv"), ratings).expect("ratings.csv");
    dir
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_http_evaluation_posts_histories_and_scores_what_recommend_returns(pool: PgPool) {
    use seen_etl::eval::http::{HttpEvalOptions, run};
    let app = TestApp::spawn(pool.clone()).await;
    seed(&pool, &app.embedder, &catalog()).await;
    let dir = movielens_dir();
    let opts = HttpEvalOptions {
        dir: dir.path().to_owned(),
        url: app.base.clone(),
        users: None,
        seed: 1,
        user_prefix: "ml-eval-".to_owned(),
        post: true,
        by_type: false,
    };
    let product_row = "/recommend over HTTP (limit=20, diversify=false)";
    run(&pool, &opts).await.expect("eval with posting");
    // Four of each person's six ratings were posted, oldest first; none of the later two.
    let posted: i64 =
        sqlx::query_scalar("SELECT count(*) FROM user_history WHERE user_id LIKE 'ml-eval-%'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(posted, 30 * 4);

    // With a model fitted on the posted histories, the two titles of each person's group they
    // have not rated lead their list; most popular cannot tell the groups apart.
    let version = train(&pool).await;
    until_collab_source(&app, "ml-eval-1", &format!("taste_model:{version}")).await;
    let report = run(
        &pool,
        &HttpEvalOptions {
            post: false,
            ..opts
        },
    )
    .await
    .expect("eval without posting");
    assert_eq!(report.users_evaluated, 30);
    let product = report.row(product_row).expect("product row").metrics;
    let popular = report
        .row("most popular (history counts)")
        .expect("most popular row")
        .metrics;
    assert!(product.hit_rate_at_10 > 0.99, "{report}");
    assert!(product.ndcg_at_10 > 0.9, "{report}");
    assert!(product.ndcg_at_10 > popular.ndcg_at_10 + 0.2, "{report}");
}
