use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use seen_core::item::MediaType;
use seen_core::taste::TasteParams;
use seen_store::PgPool;
use seen_store::history::{NewEvent, insert_events_bulk};
use seen_store::items::upsert_items;
use seen_store::taste_models::{
    HistoryMark, NewTasteModel, latest_version, load_latest, save_model, training_state,
};
use seen_store::training_data::{history_mark, history_since, movie_ids, stream_history};

use crate::helpers::new_item;

fn model<'a>(kind: &'a str, params: &'a TasteParams, payload: &'a [u8]) -> NewTasteModel<'a> {
    NewTasteModel {
        kind,
        params,
        users: 610,
        items: 4_000,
        interactions: 80_000,
        weights: 800_000,
        payload,
        history: HistoryMark {
            max_id: 90_000,
            rows: 80_500,
        },
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_newest_saved_model_is_loaded_with_its_payload(pool: PgPool) {
    let params = TasteParams::default();
    assert_eq!(load_latest(&pool, "ease").await.expect("load"), None);
    assert_eq!(latest_version(&pool, "ease").await.expect("version"), None);

    let first = save_model(&pool, &model("ease", &params, b"first"), 3)
        .await
        .expect("save");
    let second = save_model(&pool, &model("ease", &params, b"second"), 3)
        .await
        .expect("save");
    let loaded = load_latest(&pool, "ease")
        .await
        .expect("load")
        .expect("a model");

    assert!(second > first);
    assert_eq!(loaded.version, second);
    assert_eq!(loaded.payload, b"second");
    assert_eq!(
        (
            loaded.kind.as_str(),
            loaded.users,
            loaded.items,
            loaded.interactions,
            loaded.weights
        ),
        ("ease", 610, 4_000, 80_000, 800_000)
    );
    assert_eq!(
        latest_version(&pool, "ease").await.expect("version"),
        Some(second)
    );
    let stored_params: serde_json::Value =
        sqlx::query_scalar("SELECT params::json FROM taste_models WHERE version = $1")
            .bind(second)
            .fetch_one(&pool)
            .await
            .expect("params");
    assert_eq!(stored_params["lambda"], serde_json::json!(params.lambda));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn saving_keeps_only_the_newest_versions_of_that_kind(pool: PgPool) {
    let params = TasteParams::default();
    let other = save_model(&pool, &model("other", &params, b"x"), 1)
        .await
        .expect("save");
    let mut versions = Vec::new();
    for payload in [b"a", b"b", b"c"] {
        versions.push(
            save_model(&pool, &model("ease", &params, payload), 2)
                .await
                .expect("save"),
        );
    }

    let kept: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, version FROM taste_models ORDER BY version")
            .fetch_all(&pool)
            .await
            .expect("rows");

    assert_eq!(
        kept,
        [
            ("other".to_owned(), other),
            ("ease".to_owned(), versions[1]),
            ("ease".to_owned(), versions[2])
        ]
    );
}

fn event(user: &str, item: i32, event_type: &str, secs: i64) -> NewEvent {
    NewEvent {
        user_id: user.to_owned(),
        item_id: item,
        event_type: event_type.to_owned(),
        weight: 1,
        ts: DateTime::<Utc>::from_timestamp(secs, 0).expect("valid"),
        meta: None,
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn history_streams_grouped_by_user_and_oldest_first(pool: PgPool) {
    let events = [
        event("u2", 5, "liked", 300),
        event("u1", 7, "watched", 200),
        event("u1", 8, "liked", 100),
        // Same second as the previous u1 event: insertion order breaks the tie.
        event("u1", 9, "disliked", 200),
    ];
    let mut conn = pool.acquire().await.expect("connection");
    insert_events_bulk(&mut conn, &events)
        .await
        .expect("insert");
    drop(conn);

    let mark = history_mark(&pool).await.expect("mark");
    assert_eq!(mark.rows, 4);
    let rows: Vec<_> = stream_history(&pool, mark.max_id)
        .try_collect()
        .await
        .expect("stream");

    let got: Vec<(&str, i32, &str, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.user_id.as_str(),
                r.item_id,
                r.event_type.as_str(),
                r.ts.timestamp(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("u1", 8, "liked", 100),
            ("u1", 7, "watched", 200),
            ("u1", 9, "disliked", 200),
            ("u2", 5, "liked", 300)
        ]
    );
    assert!(rows.iter().all(|r| r.weight == 1));

    // Rows past a mark are left out of the stream and counted as new.
    let mut conn = pool.acquire().await.expect("connection");
    insert_events_bulk(&mut conn, &[event("u3", 6, "liked", 50)])
        .await
        .expect("insert");
    drop(conn);
    let again: Vec<_> = stream_history(&pool, mark.max_id)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(again.len(), 4, "the row written after the mark is not read");
    assert_eq!(history_since(&pool, mark.max_id).await.expect("since"), 1);
    assert_eq!(history_since(&pool, 0).await.expect("since"), 5);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_training_state_is_the_newest_models_parameters_and_history_mark(pool: PgPool) {
    assert_eq!(training_state(&pool, "ease").await.expect("state"), None);
    let params = TasteParams {
        lambda: 321.0,
        ..TasteParams::default()
    };
    let version = save_model(&pool, &model("ease", &params, b"x"), 3)
        .await
        .expect("save");
    let state = training_state(&pool, "ease")
        .await
        .expect("state")
        .expect("a model");
    assert_eq!(state.version, version);
    assert_eq!(state.params, params);
    assert_eq!(
        state.history,
        Some(HistoryMark {
            max_id: 90_000,
            rows: 80_500
        })
    );
    // A model saved before the mark existed reads as having seen no history.
    sqlx::query("UPDATE taste_models SET history_mark = NULL, history_rows = NULL")
        .execute(&pool)
        .await
        .expect("update");
    let old = training_state(&pool, "ease")
        .await
        .expect("state")
        .expect("a model");
    assert_eq!(old.history, None);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn movie_ids_lists_only_movies_in_id_order(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    upsert_items(
        &mut conn,
        &[
            new_item(MediaType::Movie, 10, "A movie", 1.0),
            new_item(MediaType::Tv, 11, "A show", 1.0),
            new_item(MediaType::Movie, 12, "Another movie", 1.0),
        ],
    )
    .await
    .expect("upsert");
    let expected: Vec<i32> =
        sqlx::query_scalar("SELECT id FROM items WHERE media_type = 'movie' ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .expect("ids");

    let ids = movie_ids(&pool).await.expect("movie ids");

    assert_eq!(ids.len(), 2);
    assert_eq!(ids, expected);
}
