use chrono::{DateTime, TimeZone, Utc};
use seen_store::PgPool;
use seen_store::history::{NewEvent, delete_histories, insert_events_bulk};
use seen_store::users::load_user_state;
use serde_json::json;

fn event(user: &str, item: i32, secs: i64, rating: f64) -> NewEvent {
    NewEvent {
        user_id: user.to_owned(),
        item_id: item,
        event_type: "liked".to_owned(),
        weight: 1,
        ts: Utc
            .timestamp_opt(secs, 0)
            .single()
            .expect("valid timestamp"),
        meta: Some(json!({"rating": rating})),
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn bulk_events_keep_their_own_timestamps_meta_and_input_order(pool: PgPool) {
    let events = vec![
        event("ml1", 10, 964_982_703, 4.0),
        event("ml1", 11, 964_982_703, 4.5),
        event("ml2", 10, 1_000, 5.0),
    ];
    let mut conn = pool.acquire().await.expect("connection");

    let written = insert_events_bulk(&mut conn, &events)
        .await
        .expect("insert");
    let rows: Vec<(String, i32, DateTime<Utc>, String)> =
        sqlx::query_as("SELECT user_id, item_id, ts, meta::text FROM user_history ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("rows");

    assert_eq!(written, 3);
    assert_eq!(rows[0].0, "ml1");
    assert_eq!((rows[0].1, rows[1].1), (10, 11));
    assert_eq!(rows[0].2.timestamp(), 964_982_703);
    assert_eq!(rows[1].3, r#"{"rating":4.5}"#);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn deleting_histories_touches_only_the_named_users(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    insert_events_bulk(
        &mut conn,
        &[
            event("ml1", 1, 1, 4.0),
            event("ml1", 2, 2, 4.0),
            event("u1", 1, 3, 4.0),
        ],
    )
    .await
    .expect("insert");

    let deleted = delete_histories(&mut conn, &["ml1".to_owned()])
        .await
        .expect("delete");
    let left: Vec<String> = sqlx::query_scalar("SELECT user_id FROM user_history")
        .fetch_all(&pool)
        .await
        .expect("rows");

    assert_eq!(deleted, 2);
    assert_eq!(left, ["u1"]);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_user_state_counts_the_most_events_recorded_at_one_instant(pool: PgPool) {
    let mut events: Vec<NewEvent> = (0..31).map(|i| event("batch", i, 5_000, 4.0)).collect();
    events.extend((0..40).map(|i| event("timed", i, 10_000 + i64::from(i), 4.0)));
    events.push(event("timed", 99, 10_000, 4.0));
    let mut conn = pool.acquire().await.expect("connection");
    insert_events_bulk(&mut conn, &events)
        .await
        .expect("insert");

    let largest = |state: seen_store::users::UserStateAt| state.user.largest_batch;
    let batch = load_user_state(&mut conn, "batch").await.expect("state");
    let timed = load_user_state(&mut conn, "timed").await.expect("state");
    let nobody = load_user_state(&mut conn, "nobody").await.expect("state");

    assert_eq!(largest(batch), 31);
    assert_eq!(largest(timed), 2);
    assert_eq!(largest(nobody), 0);
}
