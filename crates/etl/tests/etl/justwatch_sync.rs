//! `seen_etl::justwatch_sync::run` against the fake JustWatch and a real Postgres.

use crate::justwatch_fake::FakeJustWatch;
use seen_etl::justwatch_sync::{SyncOptions, run};
use seen_store::PgPool;

type OfferRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<f64>,
);

/// Every title looked up again, 3 in flight, no progress bar.
fn everything() -> SyncOptions {
    SyncOptions {
        stale_after_hours: 0,
        limit: None,
        concurrency: 3,
        progress: false,
    }
}

async fn add_title(pool: &PgPool, tmdb_id: i32, media: &str, title: &str, year: i32) -> i32 {
    sqlx::query_scalar(
        "INSERT INTO items (tmdb_id, media_type, title, release_year) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(tmdb_id)
    .bind(media)
    .bind(title)
    .bind(year)
    .fetch_one(pool)
    .await
    .expect("insert title")
}

/// `(title, country, service, offer_type, deeplink, web_url, price)`, sorted.
async fn offers(pool: &PgPool) -> Vec<OfferRow> {
    sqlx::query_as(
        r#"SELECT i.title, a.country, a.service, a.offer_type, a.deeplink, a.web_url, a.price
           FROM availability a JOIN items i ON i.id = a.item_id
           ORDER BY i.title, a.country, a.service, a.offer_type"#,
    )
    .fetch_all(pool)
    .await
    .expect("read offers")
}

fn short(rows: &[OfferRow]) -> Vec<(&str, &str, &str, &str)> {
    rows.iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.3.as_str()))
        .collect()
}

async fn sync_states(pool: &PgPool) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as(
        r#"SELECT i.title, s.country, s.outcome, s.justwatch_id
           FROM justwatch_sync s JOIN items i ON i.id = s.item_id ORDER BY i.title"#,
    )
    .fetch_all(pool)
    .await
    .expect("read sync state")
}

/// Heat (movie: Netflix + rental), Fauda (show: Netflix), Obscure (not on JustWatch).
async fn catalog_and_fake(pool: &PgPool) -> FakeJustWatch {
    add_title(pool, 949, "movie", "Heat", 1995).await;
    add_title(pool, 62_412, "tv", "Fauda", 2015).await;
    add_title(pool, 1, "movie", "Obscure", 2001).await;
    let fake = FakeJustWatch::start().await;
    fake.title(
        "Heat",
        "tm1",
        "MOVIE",
        1995,
        &[
            ("nfx", "FLATRATE", "https://www.netflix.com/title/1", None),
            ("itu", "RENT", "https://tv.apple.com/heat", Some(14.9)),
        ],
    )
    .await;
    fake.title(
        "Fauda",
        "ts2",
        "SHOW",
        2015,
        &[("nfx", "FLATRATE", "https://www.netflix.com/title/2", None)],
    )
    .await;
    fake
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_sync_writes_every_matched_titles_offers_under_the_upper_cased_country(pool: PgPool) {
    let fake = catalog_and_fake(&pool).await;

    let summary = run(&pool, &fake.client(), &everything())
        .await
        .expect("sync");

    let rows = offers(&pool).await;
    assert_eq!(
        short(&rows),
        vec![
            ("Fauda", "IL", "nfx", "FLATRATE"),
            ("Heat", "IL", "itu", "RENT"),
            ("Heat", "IL", "nfx", "FLATRATE"),
        ]
    );
    let rent = &rows[1];
    assert_eq!(
        rent.4.as_deref(),
        Some("https://click.justwatch.test/a?r=https://tv.apple.com/heat")
    );
    assert_eq!(rent.5.as_deref(), Some("https://tv.apple.com/heat"));
    assert_eq!(rent.6, Some(14.9));
    assert_eq!((summary.matched, summary.no_match), (2, 1));
    assert_eq!(summary.failed_total(), 0);
    assert_eq!((summary.offers.inserted, summary.offers.removed), (3, 0));
    assert_eq!(
        sync_states(&pool).await,
        vec![
            (
                "Fauda".into(),
                "IL".into(),
                "matched".into(),
                Some("ts2".into())
            ),
            (
                "Heat".into(),
                "IL".into(),
                "matched".into(),
                Some("tm1".into())
            ),
            ("Obscure".into(), "IL".into(), "no_match".into(), None),
        ]
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_second_sync_removes_an_offer_that_disappeared_and_refreshes_the_rest(pool: PgPool) {
    let fake = catalog_and_fake(&pool).await;
    run(&pool, &fake.client(), &everything())
        .await
        .expect("first sync");
    let checked_before: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "SELECT last_checked FROM availability WHERE service = 'nfx' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("first sync wrote nfx");
    // The rental is gone, and the Netflix link changed.
    fake.reset().await;
    fake.title(
        "Heat",
        "tm1",
        "MOVIE",
        1995,
        &[("nfx", "FLATRATE", "https://www.netflix.com/title/1b", None)],
    )
    .await;
    fake.title(
        "Fauda",
        "ts2",
        "SHOW",
        2015,
        &[("nfx", "FLATRATE", "https://www.netflix.com/title/2", None)],
    )
    .await;

    let summary = run(&pool, &fake.client(), &everything())
        .await
        .expect("second sync");

    let rows = offers(&pool).await;
    assert_eq!(
        short(&rows),
        vec![
            ("Fauda", "IL", "nfx", "FLATRATE"),
            ("Heat", "IL", "nfx", "FLATRATE"),
        ]
    );
    assert_eq!(
        rows[1].5.as_deref(),
        Some("https://www.netflix.com/title/1b")
    );
    assert_eq!(
        (
            summary.offers.inserted,
            summary.offers.refreshed,
            summary.offers.removed
        ),
        (0, 2, 1)
    );
    let checked_after: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT min(last_checked) FROM availability WHERE service = 'nfx'")
            .fetch_one(&pool)
            .await
            .expect("nfx rows");
    assert!(checked_after > checked_before, "last_checked is refreshed");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_title_that_no_longer_matches_loses_its_stale_offers(pool: PgPool) {
    let fake = catalog_and_fake(&pool).await;
    run(&pool, &fake.client(), &everything())
        .await
        .expect("first sync");
    fake.reset().await;

    let summary = run(&pool, &fake.client(), &everything())
        .await
        .expect("second sync");

    assert!(offers(&pool).await.is_empty());
    assert_eq!((summary.matched, summary.no_match), (0, 3));
    assert_eq!(summary.offers.removed, 3);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn one_failing_title_is_counted_keeps_its_offers_and_does_not_stop_the_job(pool: PgPool) {
    let fake = catalog_and_fake(&pool).await;
    let broken = add_title(&pool, 7, "movie", "Broken", 2000).await;
    sqlx::query(
        "INSERT INTO availability (item_id, country, service, offer_type, web_url) VALUES ($1, 'IL', 'dnp', 'FLATRATE', 'https://old.test')",
    )
    .bind(broken)
    .execute(&pool)
    .await
    .expect("seed an old offer");
    fake.broken("Broken").await;

    let summary = run(&pool, &fake.client(), &everything())
        .await
        .expect("the job finishes");

    assert_eq!(summary.failed.get("server_error"), Some(&1), "{summary}");
    assert_eq!((summary.matched, summary.no_match), (2, 1));
    assert_eq!(
        short(&offers(&pool).await),
        vec![
            ("Broken", "IL", "dnp", "FLATRATE"),
            ("Fauda", "IL", "nfx", "FLATRATE"),
            ("Heat", "IL", "itu", "RENT"),
            ("Heat", "IL", "nfx", "FLATRATE"),
        ]
    );
    // The failed lookup is not recorded, so the next run retries it.
    let states = sync_states(&pool).await;
    assert!(states.iter().all(|s| s.0 != "Broken"), "{states:?}");
    assert!(
        summary.to_string().contains("failed, server_error: 1"),
        "{summary}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_rerun_skips_fresh_titles_and_retries_only_what_failed(pool: PgPool) {
    let fake = catalog_and_fake(&pool).await;
    add_title(&pool, 7, "movie", "Broken", 2000).await;
    fake.broken("Broken").await;
    let fresh_only = SyncOptions {
        stale_after_hours: 24,
        ..everything()
    };
    run(&pool, &fake.client(), &fresh_only)
        .await
        .expect("first sync");
    let searches_before = fake.server.received_requests().await.map(|r| r.len());

    let summary = run(&pool, &fake.client(), &fresh_only)
        .await
        .expect("rerun");

    assert_eq!(summary.skipped_fresh, 3);
    assert_eq!(summary.looked_up(), 1);
    assert_eq!(summary.failed.get("server_error"), Some(&1));
    // Only Broken was asked about again: one search plus its one retry.
    let searches_after = fake.server.received_requests().await.map(|r| r.len());
    assert_eq!(
        searches_after.zip(searches_before).map(|(a, b)| a - b),
        Some(2)
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_limit_takes_never_synced_titles_first(pool: PgPool) {
    let fake = catalog_and_fake(&pool).await;
    let one = SyncOptions {
        limit: Some(1),
        ..everything()
    };

    let first = run(&pool, &fake.client(), &one).await.expect("first");
    let second = run(&pool, &fake.client(), &one).await.expect("second");
    let third = run(&pool, &fake.client(), &one).await.expect("third");

    assert_eq!(
        (first.looked_up(), second.looked_up(), third.looked_up()),
        (1, 1, 1)
    );
    // Three runs of one title each covered the three titles, by id.
    let states: Vec<String> = sync_states(&pool).await.into_iter().map(|s| s.0).collect();
    assert_eq!(states, vec!["Fauda", "Heat", "Obscure"]);
}
