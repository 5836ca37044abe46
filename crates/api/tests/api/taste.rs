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
