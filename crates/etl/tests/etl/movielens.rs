use crate::helpers::{write_catalog, write_movielens};
use seen_etl::catalog_import::{self, CatalogImportOptions};
use seen_etl::movielens::{MovielensOptions, run};
use seen_store::PgPool;
use std::path::Path;

/// Movie 862 carries movielens_id 1; movie 8844 is reached through links.csv only; TV 949
/// shares the TMDB id that links.csv gives movieId 6 (a movie we lack), so it must not match.
const CATALOG: [&str; 4] = [
    r#"{"id": 862, "media_type": "movie", "title": "Toy Story", "popularity": 20.0, "movielens_id": 1}"#,
    r#"{"id": 8844, "media_type": "movie", "title": "Jumanji", "popularity": 10.0}"#,
    r#"{"id": 999, "media_type": "movie", "title": "Decoy", "popularity": 1.0}"#,
    r#"{"id": 949, "media_type": "tv", "name": "Heat, the show", "popularity": 1.0}"#,
];
const LINKS: [&str; 4] = [
    "1,0114709,999",
    "2,0113497,8844",
    "3,0113228,",
    "6,0113277,949",
];
/// User 1: three mapped ratings (out of time order in the file) and one of an unknown movie;
/// user 2: one liked, one unmapped through the TV id; user 3: one rating.
const RATINGS: [&str; 8] = [
    "1,2,3.0,964982931",
    "1,1,4.0,964982703",
    "1,3,2.5,964981247",
    "1,2,1.5,964983000",
    "2,1,5.0,1000000000",
    "2,6,4.0,1000000001",
    "3,2,2.0,1100000000",
    "1,1,bad,964983001",
];

async fn setup(pool: &PgPool, dir: &Path) {
    let catalog = write_catalog(dir, &CATALOG, false);
    let opts = CatalogImportOptions {
        batch_size: 10,
        progress: false,
    };
    catalog_import::run(pool, &catalog, &opts)
        .await
        .expect("catalog import");
    write_movielens(dir, &RATINGS, &LINKS);
}

fn quiet() -> MovielensOptions {
    MovielensOptions {
        progress: false,
        recompute_profiles: false,
        users_per_batch: 2,
        ..MovielensOptions::default()
    }
}

type EventRow = (String, String, String, i64, String);

async fn history(pool: &PgPool) -> Vec<EventRow> {
    sqlx::query_as(
        "SELECT h.user_id, i.title, h.event_type, extract(epoch FROM h.ts)::int8, coalesce(h.meta::text, '')
         FROM user_history h JOIN items i ON i.id = h.item_id ORDER BY h.id",
    )
    .fetch_all(pool)
    .await
    .expect("history")
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn ratings_become_timestamped_events_of_the_mapped_movies(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(&pool, dir.path()).await;

    let summary = run(&pool, dir.path(), &quiet()).await.expect("import");
    let rows = history(&pool).await;

    let user1: Vec<(&str, &str, i64)> = rows
        .iter()
        .filter(|r| r.0 == "ml1")
        .map(|r| (r.1.as_str(), r.2.as_str(), r.3))
        .collect();
    assert_eq!(
        user1,
        [
            ("Toy Story", "liked", 964_982_703),
            ("Jumanji", "watched", 964_982_931),
            ("Jumanji", "disliked", 964_983_000),
        ]
    );
    assert_eq!(rows[0].4, r#"{"rating":4.0}"#);
    assert_eq!(summary.users, 3);
    assert_eq!(summary.events, 5);
    assert_eq!(summary.unmapped_ratings, 2);
    assert_eq!(summary.unmapped_movies, 2);
    assert_eq!(summary.malformed_rows, 1);
    assert_eq!(summary.by_event.get("liked"), Some(&2));
    assert_eq!(summary.by_event.get("disliked"), Some(&2));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn items_movielens_id_wins_over_the_tmdb_link(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(&pool, dir.path()).await;

    run(&pool, dir.path(), &quiet()).await.expect("import");
    let titles: Vec<String> = history(&pool).await.into_iter().map(|r| r.1).collect();

    assert!(titles.contains(&"Toy Story".to_owned()));
    assert!(!titles.contains(&"Decoy".to_owned()));
    assert!(!titles.contains(&"Heat, the show".to_owned()));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn re_running_replaces_histories_instead_of_duplicating_them(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(&pool, dir.path()).await;
    sqlx::query(
        "INSERT INTO user_history (user_id, item_id, event_type) VALUES ('u1', 1, 'watched')",
    )
    .execute(&pool)
    .await
    .expect("a real user's event");

    run(&pool, dir.path(), &quiet())
        .await
        .expect("first import");
    let first = history(&pool).await;
    let second_summary = run(&pool, dir.path(), &quiet())
        .await
        .expect("second import");
    let second = history(&pool).await;

    let strip = |rows: &[EventRow]| {
        rows.iter()
            .map(|r| (r.0.clone(), r.1.clone(), r.3))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&first), strip(&second));
    assert_eq!(second_summary.replaced, 5);
    assert!(
        second.iter().any(|r| r.0 == "u1"),
        "other users keep their history"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn limit_users_imports_only_the_first_users(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(&pool, dir.path()).await;

    let summary = run(
        &pool,
        dir.path(),
        &MovielensOptions {
            limit_users: Some(2),
            ..quiet()
        },
    )
    .await
    .expect("import");
    let users: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT user_id FROM user_history ORDER BY user_id")
            .fetch_all(&pool)
            .await
            .expect("users");

    assert_eq!(summary.users, 2);
    assert_eq!(users, ["ml1", "ml2"]);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn each_imported_user_gets_a_profile_row(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(&pool, dir.path()).await;

    let summary = run(
        &pool,
        dir.path(),
        &MovielensOptions {
            recompute_profiles: true,
            ..quiet()
        },
    )
    .await
    .expect("import");
    let users: Vec<String> = sqlx::query_scalar("SELECT user_id FROM users ORDER BY user_id")
        .fetch_all(&pool)
        .await
        .expect("users");

    assert_eq!((summary.profiles, summary.profile_failures), (3, 0));
    assert_eq!(users, ["ml1", "ml2", "ml3"]);
}
