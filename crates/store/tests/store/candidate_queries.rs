//! The retrieval queries whose SQL was tuned: the genre filter on `genre_keys` and the
//! neighbours' history merge.

use crate::helpers::new_item;
use chrono::{TimeZone, Utc};
use seen_core::catalog_filter::CatalogFilter;
use seen_core::item::{Genre, MediaType};
use seen_store::PgPool;
use seen_store::candidates::prefilter_ids;
use seen_store::history::{NewEvent, insert_events_bulk, neighbour_rows};
use seen_store::items::{ids_by_tmdb, upsert_items};

fn genres(names: &[&str]) -> Vec<Genre> {
    names
        .iter()
        .map(|n| Genre {
            id: None,
            name: (*n).to_owned(),
        })
        .collect()
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn genre_filters_match_names_case_insensitively_most_popular_first(pool: PgPool) {
    let mut crime = new_item(MediaType::Movie, 1, "Heist", 50.0);
    crime.genres = genres(&["Crime", "Thriller"]);
    let mut horror = new_item(MediaType::Movie, 2, "Ghosts", 90.0);
    horror.genres = genres(&["horror", "Thriller"]);
    let mut comedy = new_item(MediaType::Movie, 3, "Laughs", 70.0);
    comedy.genres = genres(&["Comedy"]);
    let mut conn = pool.acquire().await.expect("connection");
    upsert_items(&mut conn, &[crime, horror, comedy])
        .await
        .expect("upsert");
    let ids: Vec<i32> = ids_by_tmdb(&pool, Some(MediaType::Movie), &[1, 2, 3])
        .await
        .expect("ids")
        .into_iter()
        .map(|(_, _, id)| id)
        .collect();
    sqlx::query("INSERT INTO item_embeddings (item_id, version, vector) SELECT id, 'v1', array_fill(0.1, ARRAY[384])::vector FROM items")
        .execute(&pool)
        .await
        .expect("vectors");

    let thriller = CatalogFilter {
        include_genres: vec!["THRILLER".into()],
        ..CatalogFilter::default()
    };
    let no_horror = CatalogFilter {
        exclude_genres: vec!["Horror".into()],
        ..CatalogFilter::default()
    };
    let got = prefilter_ids(&mut conn, &thriller, None, "v1", 10)
        .await
        .expect("thriller");
    let kept = prefilter_ids(&mut conn, &no_horror, None, "v1", 10)
        .await
        .expect("no horror");

    assert_eq!(got, vec![ids[1], ids[0]], "popularity order: Ghosts, Heist");
    assert_eq!(kept, vec![ids[2], ids[0]]);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn neighbour_rows_are_the_latest_events_across_all_neighbours(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    upsert_items(&mut conn, &[new_item(MediaType::Movie, 1, "A", 1.0)])
        .await
        .expect("upsert");
    let item: i32 = sqlx::query_scalar("SELECT id FROM items")
        .fetch_one(&pool)
        .await
        .expect("id");
    let event = |user: &str, secs: i64| NewEvent {
        user_id: user.to_owned(),
        item_id: item,
        event_type: "liked".into(),
        weight: 1,
        ts: Utc.timestamp_opt(secs, 0).single().expect("ts"),
        meta: None,
    };
    // n1 is busy but old; n2 has the two newest events; n3 is not a neighbour.
    let mut events: Vec<NewEvent> = (0..10).map(|i| event("n1", 1_000 + i)).collect();
    events.extend([event("n2", 5_000), event("n2", 6_000), event("n3", 9_000)]);
    insert_events_bulk(&mut conn, &events)
        .await
        .expect("events");

    let rows = neighbour_rows(&mut conn, &["n1".into(), "n2".into()], 4)
        .await
        .expect("rows");

    let got: Vec<(String, i64)> = rows
        .iter()
        .map(|r| (r.user_id.clone(), r.ts / 1_000_000))
        .collect();
    assert_eq!(
        got,
        vec![
            ("n2".to_owned(), 6_000),
            ("n2".to_owned(), 5_000),
            ("n1".to_owned(), 1_009),
            ("n1".to_owned(), 1_008)
        ]
    );
}
