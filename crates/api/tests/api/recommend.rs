//! `/recommend` end to end over real HTTP and the real Postgres (deterministic embedder).

use crate::helpers::{TestApp, Title, ids, seed};
use serde_json::json;
use sqlx::PgPool;

fn catalog() -> Vec<Title> {
    let mut titles = vec![
        Title::movie(
            1,
            "Space Rescue",
            "astronauts stranded on a space station fight to survive",
            &["Science Fiction", "Drama"],
        ),
        Title::movie(
            2,
            "Orbit Drift",
            "a lonely astronaut drifts through space toward a distant planet",
            &["Science Fiction"],
        ),
        Title::movie(
            3,
            "Laugh Factory",
            "a clumsy baker opens a comedy club in a small town",
            &["Comedy"],
        ),
        Title::movie(
            4,
            "Haunted Manor",
            "a family moves into a haunted house full of ghosts",
            &["Horror"],
        ),
        Title::movie(
            5,
            "Court Drama",
            "a lawyer defends an innocent man in a tense courtroom trial",
            &["Drama", "Crime"],
        ),
        Title::movie(
            6,
            "Galaxy War",
            "rebels battle an empire across the galaxy in space",
            &["Science Fiction", "Action"],
        ),
        Title::movie(
            7,
            "Romance in Paris",
            "two strangers fall in love in paris during the spring",
            &["Romance", "Comedy"],
        ),
        Title::movie(
            8,
            "Deep Sea",
            "divers explore the deep ocean and find a strange creature",
            &["Adventure", "Science Fiction"],
        ),
    ];
    for (i, t) in titles.iter_mut().enumerate() {
        t.popularity = 100.0 - i as f64 * 10.0;
        t.votes = 1000 - i as i32 * 100;
    }
    titles
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_new_user_without_a_query_gets_popular_titles(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    seed(&pool, &app.embedder, &catalog()).await;
    let body = app
        .recommend_ok(&[
            ("user_id", "newbie"),
            ("limit", "3"),
            ("diversify", "false"),
        ])
        .await;
    assert_eq!(body["items"].as_array().unwrap().len(), 3);
    let item = &body["items"][0];
    assert!(item.get("original_rank").is_none() && item.get("ann_rank").is_none());
    assert!(item["explanation"].as_str().is_some_and(|e| !e.is_empty()));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn recommendations_exclude_everything_the_user_has_seen(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let seen = &item_ids[..3];
    let resp = app
        .post_history(&json!({"user_id": "u1", "items": seen, "event_type": "liked"}))
        .await;
    assert_eq!(resp.status(), 200);
    let body = app
        .recommend_ok(&[("user_id", "u1"), ("limit", "10")])
        .await;
    let got = ids(&body);
    assert!(!got.is_empty());
    for s in seen {
        assert!(
            !got.contains(&i64::from(*s)),
            "seen item {s} recommended: {got:?}"
        );
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_user_with_only_negative_events_keeps_the_exclusion(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let rejected = item_ids[0];
    app.post_history(
        &json!({"user_id": "neg", "items": [rejected], "event_type": "not_interested"}),
    )
    .await;
    let body = app
        .recommend_ok(&[("user_id", "neg"), ("limit", "10"), ("diversify", "false")])
        .await;
    assert!(!ids(&body).contains(&i64::from(rejected)));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_query_steers_a_cold_user_towards_matching_titles(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let body = app
        .recommend_ok(&[
            ("user_id", "q"),
            ("query", "astronaut space station"),
            ("limit", "2"),
            ("diversify", "false"),
        ])
        .await;
    let got = ids(&body);
    assert!(
        got.contains(&i64::from(item_ids[0])) || got.contains(&i64::from(item_ids[1])),
        "{got:?}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn no_gore_excludes_horror(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let body = app
        .recommend_ok(&[
            ("user_id", "g"),
            ("query", "haunted house no gore"),
            ("limit", "10"),
        ])
        .await;
    assert!(
        !ids(&body).contains(&i64::from(item_ids[3])),
        "horror title returned"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_mixer_override_changes_the_order(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut titles = catalog();
    // Least popular title gets the most votes: the vote weight alone must put it first.
    titles[7].votes = 50_000;
    let item_ids = seed(&pool, &app.embedder, &titles).await;
    let base = [("user_id", "m"), ("limit", "8"), ("diversify", "false")];
    let default_order = ids(&app.recommend_ok(&base).await);
    let mut tuned = base.to_vec();
    tuned.extend([
        ("mixer_ann_weight", "0"),
        ("mixer_collab_weight", "0"),
        ("mixer_trending_weight", "0"),
        ("mixer_popularity_weight", "0"),
        ("mixer_novelty_weight", "0"),
        ("mixer_vote_weight", "5"),
    ]);
    let tuned_order = ids(&app.recommend_ok(&tuned).await);
    assert_eq!(tuned_order[0], i64::from(item_ids[7]));
    assert_ne!(default_order, tuned_order);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn three_pages_with_diversify_never_repeat_a_title(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    seed(&pool, &app.embedder, &catalog()).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page in 0..3 {
        let mut params = vec![("user_id", "pager"), ("limit", "2"), ("diversify", "true")];
        if let Some(c) = &cursor {
            params.push(("cursor", c.as_str()));
        }
        let body = app.recommend_ok(&params).await;
        let got = ids(&body);
        assert_eq!(got.len(), 2, "page {page} short: {body}");
        for id in got {
            assert!(!seen.contains(&id), "title {id} repeated on page {page}");
            seen.push(id);
        }
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        // limit 2 → a ranked list of 3 × 2 candidates: three full pages, the last one final.
        assert_eq!(
            cursor.is_some(),
            page < 2,
            "page {page}: next_cursor {cursor:?}"
        );
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_garbage_cursor_is_a_400(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app
        .get_recommend(&[("user_id", "u"), ("cursor", "!!!")])
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap(),
        json!({"detail": "Invalid cursor"})
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_cursor_is_stale_after_a_history_write(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let first = app.recommend_ok(&[("user_id", "s"), ("limit", "2")]).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    app.post_history(&json!({"user_id": "s", "items": [item_ids[4]]}))
        .await;
    let resp = app
        .get_recommend(&[("user_id", "s"), ("limit", "2"), ("cursor", &cursor)])
        .await;
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["detail"].as_str().unwrap().contains("first page"),
        "{body}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_history_write_invalidates_the_cached_list(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let params = [("user_id", "c"), ("limit", "8"), ("diversify", "false")];
    let before = ids(&app.recommend_ok(&params).await);
    let top = before[0];
    app.post_history(&json!({"user_id": "c", "items": [top]}))
        .await;
    let after = ids(&app.recommend_ok(&params).await);
    assert!(
        !after.contains(&top),
        "watched title still cached: {after:?}"
    );
    assert!(item_ids.iter().any(|i| i64::from(*i) == top));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn bad_parameters_are_422_with_a_detail_list(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for params in [
        vec![("limit", "5")],
        vec![("user_id", "u"), ("limit", "0")],
        vec![("user_id", "u"), ("limit", "abc")],
        vec![("user_id", "u"), ("diversify", "maybe")],
        vec![("user_id", "u"), ("mixer_ann_weight", "-0.5")],
    ] {
        let resp = app.get_recommend(&params).await;
        assert_eq!(resp.status(), 422, "{params:?}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert!(body["detail"].is_array(), "{body}");
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_business_rule_filter_and_boost_apply_and_hot_reload(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    let params = [("user_id", "r"), ("limit", "8"), ("diversify", "false")];
    assert!(ids(&app.recommend_ok(&params).await).contains(&i64::from(item_ids[3])));
    app.write_rules(&json!({
        "filters": {"exclude_genres": ["Horror"]},
        "boosts": {"genre_multipliers": {"Romance": 10.0}}
    }));
    // The watcher reloads the file; the cache is keyed by parameters, so use a new user.
    let mut reloaded = false;
    for attempt in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let user = format!("r{attempt}");
        let got = ids(&app
            .recommend_ok(&[
                ("user_id", user.as_str()),
                ("limit", "8"),
                ("diversify", "false"),
            ])
            .await);
        if !got.contains(&i64::from(item_ids[3])) {
            assert_eq!(
                got[0],
                i64::from(item_ids[6]),
                "Romance boost not applied: {got:?}"
            );
            reloaded = true;
            break;
        }
    }
    assert!(reloaded, "business rules were not reloaded");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn history_by_tmdb_id_rejects_unknown_ids_and_writes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    seed(&pool, &app.embedder, &catalog()).await;
    let resp = app
        .post_history(&json!({"user_id": "t", "tmdb_ids": [1, 999_999], "media_type": "movie"}))
        .await;
    assert_eq!(resp.status(), 422);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body.to_string().contains("999999"), "{body}");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM user_history WHERE user_id = 't'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let ok = app
        .post_history(&json!({"user_id": "t", "tmdb_ids": [1], "profile": "kids"}))
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.json::<serde_json::Value>().await.unwrap(),
        json!({"ok": true, "user_id": "t", "profile": "kids"})
    );
    let user: String = sqlx::query_scalar("SELECT user_id FROM user_history")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(user, "t::kids");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn explanations_name_the_watched_title_a_pick_is_closest_to(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let mut titles = catalog();
    titles.push(Title::movie(
        9,
        "Space Rescue II",
        "astronauts stranded on a space station fight to survive again",
        &["Science Fiction", "Drama"],
    ));
    let item_ids = seed(&pool, &app.embedder, &titles).await;
    let posted = app
        .post_history(&json!({"user_id": "fan", "items": [item_ids[0]], "event_type": "liked"}))
        .await;
    assert_eq!(posted.status(), 200);

    let body = app
        .recommend_ok(&[("user_id", "fan"), ("limit", "8")])
        .await;
    let sequel = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == item_ids[8])
        .expect("the sequel is recommended");
    let explanation = sequel["explanation"].as_str().unwrap_or_default();
    assert!(
        explanation.starts_with("Because you watched Space Rescue."),
        "{explanation}"
    );
    // A title unlike anything watched gives no such reason.
    let comedy = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == item_ids[2]);
    if let Some(comedy) = comedy {
        assert!(
            !comedy["explanation"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Because")
        );
    }
}
