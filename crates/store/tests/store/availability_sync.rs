//! `availability::sync_title_offers`: one transaction per title and country.

use seen_store::PgPool;
use seen_store::availability::{NewOffer, OfferChanges, SyncOutcome, sync_title_offers};

async fn title(pool: &PgPool) -> i32 {
    sqlx::query_scalar(
        "INSERT INTO items (tmdb_id, media_type, title) VALUES (1, 'movie', 'Heat') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("insert title")
}

async fn add_row(pool: &PgPool, item: i32, country: &str, service: &str, kind: &str) {
    sqlx::query(
        "INSERT INTO availability (item_id, country, service, offer_type, web_url) VALUES ($1, $2, $3, $4, 'https://old.test')",
    )
    .bind(item)
    .bind(country)
    .bind(service)
    .bind(kind)
    .execute(pool)
    .await
    .expect("seed offer");
}

fn offer(service: &str, kind: &str, url: &str) -> NewOffer {
    NewOffer {
        service: service.into(),
        offer_type: kind.into(),
        deeplink: None,
        web_url: Some(url.into()),
        price: None,
        currency: None,
    }
}

async fn rows(pool: &PgPool) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT country, service, offer_type, web_url FROM availability ORDER BY country, service, offer_type",
    )
    .fetch_all(pool)
    .await
    .expect("read offers")
}

fn matched() -> SyncOutcome {
    SyncOutcome::Matched {
        justwatch_id: "tm1".into(),
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn offers_are_upserted_and_unlisted_ones_deleted_for_that_country_only(pool: PgPool) {
    let item = title(&pool).await;
    add_row(&pool, item, "IL", "nfx", "FLATRATE").await;
    add_row(&pool, item, "IL", "itu", "RENT").await;
    // An older writer's lower-case country, and another country.
    add_row(&pool, item, "il", "dnp", "FLATRATE").await;
    add_row(&pool, item, "US", "hlu", "FLATRATE").await;
    let mut conn = pool.acquire().await.expect("connection");

    let changes = sync_title_offers(
        &mut conn,
        item,
        " il ",
        &[
            offer("nfx", "flatrate", "https://new.test/nfx"),
            offer("dnp", "FLATRATE", "https://new.test/dnp"),
        ],
        &matched(),
    )
    .await
    .expect("sync");

    assert_eq!(
        rows(&pool).await,
        vec![
            (
                "IL".into(),
                "dnp".into(),
                "FLATRATE".into(),
                Some("https://new.test/dnp".into())
            ),
            (
                "IL".into(),
                "nfx".into(),
                "FLATRATE".into(),
                Some("https://new.test/nfx".into())
            ),
            (
                "US".into(),
                "hlu".into(),
                "FLATRATE".into(),
                Some("https://old.test".into())
            ),
        ]
    );
    assert_eq!(
        changes,
        OfferChanges {
            inserted: 1,
            refreshed: 1,
            removed: 2,
            skipped: 0
        }
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn repeated_offers_keep_the_first_and_oversized_urls_become_null(pool: PgPool) {
    let item = title(&pool).await;
    let mut conn = pool.acquire().await.expect("connection");
    let long = format!("https://x.test/{}", "a".repeat(1100));

    let changes = sync_title_offers(
        &mut conn,
        item,
        "IL",
        &[
            offer("nfx", "FLATRATE", "https://first.test"),
            offer("nfx", "FLATRATE", "https://second.test"),
            offer("itu", "RENT", &long),
            offer(" ", "RENT", "https://blank.test"),
        ],
        &matched(),
    )
    .await
    .expect("sync");

    assert_eq!(
        rows(&pool).await,
        vec![
            ("IL".into(), "itu".into(), "RENT".into(), None),
            (
                "IL".into(),
                "nfx".into(),
                "FLATRATE".into(),
                Some("https://first.test".into())
            ),
        ]
    );
    assert_eq!((changes.inserted, changes.skipped), (2, 2));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_failure_late_in_the_write_leaves_the_stored_offers_untouched(pool: PgPool) {
    let item = title(&pool).await;
    add_row(&pool, item, "IL", "nfx", "FLATRATE").await;
    add_row(&pool, item, "IL", "itu", "RENT").await;
    let before = rows(&pool).await;
    let mut conn = pool.acquire().await.expect("connection");
    // The last statement (the sync record) overflows its column, after the upsert and delete ran.
    let too_long = SyncOutcome::Matched {
        justwatch_id: "tm".repeat(40),
    };

    let result = sync_title_offers(
        &mut conn,
        item,
        "IL",
        &[offer("dnp", "FLATRATE", "https://new.test/dnp")],
        &too_long,
    )
    .await;

    assert!(result.is_err());
    assert_eq!(rows(&pool).await, before);
    let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM justwatch_sync")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(recorded, 0);
}
