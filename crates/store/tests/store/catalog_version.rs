//! `catalog_version` (migration `000006`): moves by exactly one per committed transaction
//! that touches `items`, `item_embeddings` or `availability` (however many rows), and not
//! at all for user data or rolled-back work.

use crate::helpers::new_item;
use seen_core::item::MediaType;
use seen_store::PgPool;
use seen_store::availability::{NewOffer, SyncOutcome, sync_title_offers};
use seen_store::catalog_copy::catalog_version;
use seen_store::embeddings::upsert_vectors;
use seen_store::history::{NewEvent, insert_events_bulk};
use seen_store::items::upsert_items;
use seen_store::users::load_user_state;
use sqlx::{Connection, PgConnection};

/// A 384-d unit vector along axis `i`.
fn axis(i: usize) -> Vec<f32> {
    let mut v = vec![0.0; 384];
    v[i % 384] = 1.0;
    v
}

async fn version(conn: &mut PgConnection) -> i64 {
    catalog_version(conn).await.expect("catalog version")
}

async fn item_ids(conn: &mut PgConnection) -> Vec<i32> {
    sqlx::query_scalar("SELECT id FROM items ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .expect("ids")
}

/// Three titles with vectors, written in one transaction; returns their ids.
async fn seed_three(conn: &mut PgConnection) -> Vec<i32> {
    let mut tx = conn.begin().await.expect("begin");
    upsert_items(
        &mut tx,
        &[
            new_item(MediaType::Movie, 1, "Heat", 30.0),
            new_item(MediaType::Movie, 2, "Ronin", 20.0),
            new_item(MediaType::Tv, 3, "The Wire", 10.0),
        ],
    )
    .await
    .expect("upsert");
    let ids = item_ids(&mut tx).await;
    let rows: Vec<(i32, Vec<f32>, String)> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| (*id, axis(n), format!("hash{n}")))
        .collect();
    upsert_vectors(&mut tx, "v1", &rows).await.expect("vectors");
    tx.commit().await.expect("commit");
    ids
}

fn offer(service: &str, kind: &str) -> NewOffer {
    NewOffer {
        service: service.into(),
        offer_type: kind.into(),
        deeplink: Some(format!("https://deep.test/{service}/{kind}")),
        web_url: None,
        price: None,
        currency: None,
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn one_catalog_transaction_moves_the_version_by_exactly_one(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    let v0 = version(&mut conn).await;

    // Several items and their embeddings in one transaction.
    let ids = seed_three(&mut conn).await;
    let v1 = version(&mut conn).await;
    assert_eq!(v1, v0 + 1, "insert of 3 items + 3 vectors");

    // Several offers (one transaction, plus the justwatch_sync row).
    sync_title_offers(
        &mut conn,
        ids[0],
        "IL",
        &[
            offer("nfx", "FLATRATE"),
            offer("nfx", "RENT"),
            offer("itu", "BUY"),
        ],
        &SyncOutcome::Matched {
            justwatch_id: "tm1".into(),
        },
    )
    .await
    .expect("offers");
    let v2 = version(&mut conn).await;
    assert_eq!(v2, v1 + 1, "availability insert");

    // An update of every item (autocommit statement on the same connection, so the
    // per-transaction "already bumped" flag must have been reset by the previous commit).
    sqlx::query("UPDATE items SET popularity = popularity + 1")
        .execute(&mut *conn)
        .await
        .expect("update");
    let v3 = version(&mut conn).await;
    assert_eq!(v3, v2 + 1, "item update");

    // An embedding replaced through the store function.
    upsert_vectors(&mut conn, "v1", &[(ids[1], axis(100), "changed".into())])
        .await
        .expect("re-embed");
    let v4 = version(&mut conn).await;
    assert_eq!(v4, v3 + 1, "embedding update");

    // Deleting a title cascades to its vector and offers: still one bump.
    sqlx::query("DELETE FROM items WHERE id = $1")
        .bind(ids[0])
        .execute(&mut *conn)
        .await
        .expect("delete");
    let v5 = version(&mut conn).await;
    assert_eq!(v5, v4 + 1, "delete with cascades");

    // Several catalog statements in one explicit transaction: one bump.
    let mut tx = conn.begin().await.expect("begin");
    sqlx::query("UPDATE items SET title = title || '!' WHERE id = $1")
        .bind(ids[1])
        .execute(&mut *tx)
        .await
        .expect("update");
    sqlx::query("DELETE FROM item_embeddings WHERE item_id = $1")
        .bind(ids[2])
        .execute(&mut *tx)
        .await
        .expect("delete vector");
    sqlx::query(
        "INSERT INTO availability (item_id, country, service, offer_type, web_url) \
         VALUES ($1, 'US', 'hlu', 'FLATRATE', 'https://web.test/x')",
    )
    .bind(ids[1])
    .execute(&mut *tx)
    .await
    .expect("offer");
    tx.commit().await.expect("commit");
    let v6 = version(&mut conn).await;
    assert_eq!(v6, v5 + 1, "three tables in one transaction");

    // The per-request read sees the same counter.
    let at = load_user_state(&mut conn, "anyone").await.expect("state");
    assert_eq!(at.catalog_version, v6);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn truncating_a_catalog_table_moves_the_version_by_one(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    let ids = seed_three(&mut conn).await;
    sqlx::query(
        "INSERT INTO availability (item_id, country, service, offer_type, web_url) \
         SELECT id, 'IL', 'nfx', 'FLATRATE', 'https://web.test/' || id FROM items",
    )
    .execute(&mut *conn)
    .await
    .expect("offers");
    let before = version(&mut conn).await;

    sqlx::query("TRUNCATE availability")
        .execute(&mut *conn)
        .await
        .expect("truncate");
    let after_truncate = version(&mut conn).await;
    // TRUNCATE and row writes in one transaction still count once.
    let mut tx = conn.begin().await.expect("begin");
    sqlx::query("TRUNCATE item_embeddings")
        .execute(&mut *tx)
        .await
        .expect("truncate vectors");
    upsert_vectors(&mut tx, "v1", &[(ids[0], axis(7), "h".into())])
        .await
        .expect("vector");
    tx.commit().await.expect("commit");
    let after_mixed = version(&mut conn).await;

    assert_eq!(after_truncate, before + 1, "TRUNCATE availability");
    assert_eq!(after_mixed, after_truncate + 1, "TRUNCATE + insert");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn user_data_and_no_op_writes_leave_the_version_alone(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    let ids = seed_three(&mut conn).await;
    let before = version(&mut conn).await;

    let events: Vec<NewEvent> = ids
        .iter()
        .map(|id| NewEvent {
            user_id: "u1".into(),
            item_id: *id,
            event_type: "liked".into(),
            weight: 1,
            ts: chrono::Utc::now(),
            meta: None,
        })
        .collect();
    insert_events_bulk(&mut conn, &events)
        .await
        .expect("history");
    sqlx::query("INSERT INTO users (user_id, long_vec) VALUES ('u1', $1)")
        .bind(pgvector::Vector::from(axis(3)))
        .execute(&mut *conn)
        .await
        .expect("user");
    sqlx::query("UPDATE users SET genre_prefs = '{\"drama\": 1.0}' WHERE user_id = 'u1'")
        .execute(&mut *conn)
        .await
        .expect("user update");
    sqlx::query("INSERT INTO feedback (user_id, item_id, type) VALUES ('u1', $1, 'like')")
        .bind(ids[0])
        .execute(&mut *conn)
        .await
        .expect("feedback");
    // Re-importing identical titles rewrites no row, and an update matching no row fires
    // no trigger.
    upsert_items(
        &mut conn,
        &[
            new_item(MediaType::Movie, 1, "Heat", 30.0),
            new_item(MediaType::Movie, 2, "Ronin", 20.0),
        ],
    )
    .await
    .expect("re-upsert");
    sqlx::query("UPDATE items SET title = 'x' WHERE id = -1")
        .execute(&mut *conn)
        .await
        .expect("empty update");

    assert_eq!(version(&mut conn).await, before);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_rolled_back_transaction_leaves_the_version_unchanged(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    let ids = seed_three(&mut conn).await;
    let before = version(&mut conn).await;

    let mut tx = conn.begin().await.expect("begin");
    upsert_items(&mut tx, &[new_item(MediaType::Movie, 9, "Alien", 5.0)])
        .await
        .expect("insert");
    sqlx::query("UPDATE items SET popularity = 0")
        .execute(&mut *tx)
        .await
        .expect("update");
    // TRUNCATE bumps inside the transaction (statement trigger, not deferred)...
    sqlx::query("TRUNCATE availability")
        .execute(&mut *tx)
        .await
        .expect("truncate");
    tx.rollback().await.expect("rollback");
    let after_rollback = version(&mut conn).await;
    // ...and a dropped (never committed) transaction rolls back too.
    {
        let mut tx = conn.begin().await.expect("begin");
        sqlx::query("DELETE FROM items WHERE id = $1")
            .bind(ids[2])
            .execute(&mut *tx)
            .await
            .expect("delete");
    }
    let after_drop = version(&mut conn).await;
    // The flag the trigger sets is per transaction: the next commit still bumps.
    sqlx::query("UPDATE items SET popularity = 1 WHERE id = $1")
        .bind(ids[0])
        .execute(&mut *conn)
        .await
        .expect("update");
    let after_commit = version(&mut conn).await;

    assert_eq!(after_rollback, before, "rolled back");
    assert_eq!(after_drop, before, "dropped transaction");
    assert_eq!(after_commit, before + 1, "next committed write");
    assert_eq!(item_ids(&mut conn).await, ids, "nothing else changed");
}
