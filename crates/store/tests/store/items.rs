use crate::helpers::{count_items, get_items, new_item};
use seen_core::item::{Genre, MediaType};
use seen_store::PgPool;
use seen_store::items::{UpsertCounts, ids_by_movielens, ids_by_tmdb, search_titles, upsert_items};

async fn upsert(pool: &PgPool, items: &[seen_core::catalog::NewItem]) -> UpsertCounts {
    let mut conn = pool.acquire().await.expect("connection");
    upsert_items(&mut conn, items).await.expect("upsert")
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn upserting_the_same_titles_twice_changes_nothing_the_second_time(pool: PgPool) {
    let mut rich = new_item(MediaType::Movie, 5, "Four Rooms", 9.0);
    rich.genres = vec![Genre {
        id: Some(80),
        name: "Crime".into(),
    }];
    rich.keywords = vec!["hotel".into()];
    rich.cast_names = vec!["Tim Roth".into()];
    rich.vote_average = Some(6.5);
    let items = vec![rich, new_item(MediaType::Tv, 40, "Dallas", 157.944)];

    let first = upsert(&pool, &items).await;
    let stamp: Vec<(i32, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("SELECT id, updated_at FROM items ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("read");
    let second = upsert(&pool, &items).await;
    let stamp_after: Vec<(i32, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("SELECT id, updated_at FROM items ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("read");

    assert_eq!(
        first,
        UpsertCounts {
            inserted: 2,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        second,
        UpsertCounts {
            inserted: 0,
            updated: 0,
            unchanged: 2
        }
    );
    assert_eq!(stamp, stamp_after);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_changed_title_is_updated_in_place_and_keeps_its_id(pool: PgPool) {
    let mut items = vec![
        new_item(MediaType::Movie, 5, "Four Rooms", 9.0),
        new_item(MediaType::Movie, 6, "Judgment Night", 4.0),
    ];
    upsert(&pool, &items).await;
    let before = ids_by_tmdb(&pool, Some(MediaType::Movie), &[5])
        .await
        .expect("ids");

    items[0].overview = Some("New overview".into());
    let counts = upsert(&pool, &items).await;
    let after = ids_by_tmdb(&pool, Some(MediaType::Movie), &[5])
        .await
        .expect("ids");
    let stored = get_items(&pool, &[after[0].2]).await.expect("get");

    assert_eq!(
        counts,
        UpsertCounts {
            inserted: 0,
            updated: 1,
            unchanged: 1
        }
    );
    assert_eq!(before, after);
    assert_eq!(stored[0].overview.as_deref(), Some("New overview"));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_movie_and_a_tv_show_with_the_same_tmdb_id_are_two_rows(pool: PgPool) {
    let items = vec![
        new_item(MediaType::Movie, 1396, "A Movie", 1.0),
        new_item(MediaType::Tv, 1396, "Breaking Bad", 2.0),
    ];

    let counts = upsert(&pool, &items).await;
    let both = ids_by_tmdb(&pool, None, &[1396]).await.expect("ids");
    let tv_only = ids_by_tmdb(&pool, Some(MediaType::Tv), &[1396])
        .await
        .expect("ids");

    assert_eq!(counts.inserted, 2);
    assert_eq!(count_items(&pool).await.expect("count"), 2);
    assert_eq!(both.len(), 2);
    assert_ne!(both[0].2, both[1].2);
    assert_eq!(tv_only.len(), 1);
    assert_eq!(tv_only[0].1, MediaType::Tv);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_key_repeated_within_one_batch_keeps_the_later_title(pool: PgPool) {
    let items = vec![
        new_item(MediaType::Movie, 7, "Old", 1.0),
        new_item(MediaType::Movie, 7, "New", 1.0),
    ];

    let counts = upsert(&pool, &items).await;
    let hits = search_titles(&pool, "new", 5).await.expect("search");

    assert_eq!(
        counts,
        UpsertCounts {
            inserted: 1,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(hits.len(), 1);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn items_read_back_with_genres_in_the_order_asked(pool: PgPool) {
    let mut drama = new_item(MediaType::Movie, 2, "Ariel", 3.8);
    drama.genres = vec![
        Genre {
            id: Some(18),
            name: "Drama".into(),
        },
        Genre {
            id: Some(80),
            name: "Crime".into(),
        },
    ];
    drama.runtime = Some(69);
    upsert(
        &pool,
        &[drama, new_item(MediaType::Tv, 36, "Medium", 209.5)],
    )
    .await;
    let ids: Vec<i32> = sqlx::query_scalar("SELECT id FROM items ORDER BY tmdb_id")
        .fetch_all(&pool)
        .await
        .expect("ids");

    let items = get_items(&pool, &[ids[1], ids[0], 999_999, ids[1]])
        .await
        .expect("get");

    assert_eq!(items.len(), 2);
    assert_eq!(items[0].title, "Medium");
    assert!(items[0].genres.is_empty());
    assert_eq!(
        items[1].genres[1],
        Genre {
            id: Some(80),
            name: "Crime".into()
        }
    );
    assert_eq!(items[1].runtime, Some(69));
    assert_eq!(items[1].media_type, MediaType::Movie);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn json_null_genres_from_an_older_database_read_as_none(pool: PgPool) {
    upsert(&pool, &[new_item(MediaType::Movie, 2, "Ariel", 3.8)]).await;
    sqlx::query("UPDATE items SET genres = 'null'::jsonb")
        .execute(&pool)
        .await
        .expect("update");
    let id: i32 = sqlx::query_scalar("SELECT id FROM items")
        .fetch_one(&pool)
        .await
        .expect("id");

    let items = get_items(&pool, &[id]).await.expect("get");

    assert!(items[0].genres.is_empty());
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn empty_lists_are_stored_as_sql_null_and_lists_as_json_arrays(pool: PgPool) {
    let mut item = new_item(MediaType::Movie, 5, "Four Rooms", 9.0);
    item.directors = vec!["Quentin Tarantino".into()];
    upsert(&pool, &[item]).await;

    let (keywords, directors): (Option<serde_json::Value>, Option<serde_json::Value>) =
        sqlx::query_as("SELECT keywords, directors FROM items")
            .fetch_one(&pool)
            .await
            .expect("row");

    assert_eq!(keywords, None);
    assert_eq!(directors, Some(serde_json::json!(["Quentin Tarantino"])));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn movielens_ids_map_to_item_ids(pool: PgPool) {
    let mut linked = new_item(MediaType::Movie, 862, "Toy Story", 20.0);
    linked.movielens_id = Some(1);
    upsert(
        &pool,
        &[linked, new_item(MediaType::Movie, 8844, "Jumanji", 10.0)],
    )
    .await;
    let toy_story = ids_by_tmdb(&pool, Some(MediaType::Movie), &[862])
        .await
        .expect("ids")[0]
        .2;

    let map = ids_by_movielens(&pool).await.expect("map");

    assert_eq!(map.len(), 1);
    assert_eq!(map.get(&1), Some(&toy_story));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn title_search_ranks_exact_then_prefix_then_substring_then_popularity(pool: PgPool) {
    upsert(
        &pool,
        &[
            new_item(MediaType::Movie, 1, "The Matrix Reloaded", 90.0),
            new_item(MediaType::Movie, 2, "Matrix of Leadership", 10.0),
            new_item(MediaType::Movie, 3, "The Matrix", 80.0),
            new_item(MediaType::Movie, 4, "Matrix", 1.0),
            new_item(MediaType::Movie, 5, "Unrelated", 100.0),
        ],
    )
    .await;

    let hits = search_titles(&pool, "MATRIX", 10).await.expect("search");
    let titles: Vec<&str> = hits.iter().map(|h| h.title.as_str()).collect();

    assert_eq!(
        titles,
        [
            "Matrix",
            "Matrix of Leadership",
            "The Matrix Reloaded",
            "The Matrix"
        ]
    );
    assert_eq!(
        search_titles(&pool, "matrix", 2)
            .await
            .expect("search")
            .len(),
        2
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn like_wildcards_in_a_search_are_literal(pool: PgPool) {
    upsert(
        &pool,
        &[
            new_item(MediaType::Movie, 1, "100% Wolf", 1.0),
            new_item(MediaType::Movie, 2, "1000 Wolves", 1.0),
        ],
    )
    .await;

    let hits = search_titles(&pool, "100%", 10).await.expect("search");
    let blank = search_titles(&pool, "  ", 10).await.expect("search");

    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "100% Wolf");
    assert!(blank.is_empty());
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_source_without_cross_reference_ids_keeps_the_stored_ones(pool: PgPool) {
    let mut linked = new_item(MediaType::Movie, 862, "Toy Story", 100.0);
    linked.movielens_id = Some(1);
    linked.imdb_id = Some("tt0114709".into());
    upsert(&pool, &[linked]).await;

    // A TMDB sync knows neither id but brings a new overview.
    let mut synced = new_item(MediaType::Movie, 862, "Toy Story", 100.0);
    synced.overview = Some("Woody and Buzz".into());
    let counts = upsert(&pool, &[synced]).await;
    let unchanged_again = upsert(
        &pool,
        &[{
            let mut same = new_item(MediaType::Movie, 862, "Toy Story", 100.0);
            same.overview = Some("Woody and Buzz".into());
            same
        }],
    )
    .await;

    let row: (Option<i32>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT movielens_id, imdb_id, overview FROM items WHERE tmdb_id = 862")
            .fetch_one(&pool)
            .await
            .expect("read");
    assert_eq!(counts.updated, 1);
    assert_eq!(unchanged_again.unchanged, 1);
    assert_eq!(
        row,
        (
            Some(1),
            Some("tt0114709".into()),
            Some("Woody and Buzz".into())
        )
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn catalog_genres_are_distinct_sorted_and_scoped_by_media_type(pool: PgPool) {
    let mut movie = new_item(MediaType::Movie, 1, "M", 1.0);
    movie.genres = vec![
        Genre {
            id: Some(18),
            name: "Drama".into(),
        },
        Genre {
            id: Some(35),
            name: "Comedy".into(),
        },
    ];
    let mut show = new_item(MediaType::Tv, 2, "S", 1.0);
    show.genres = vec![
        Genre {
            id: Some(18),
            name: "drama".into(),
        },
        Genre {
            id: Some(10765),
            name: "Sci-Fi & Fantasy".into(),
        },
    ];
    upsert(&pool, &[movie, show]).await;

    let all = seen_store::items::catalog_genre_names(&pool, &[])
        .await
        .expect("all");
    let tv = seen_store::items::catalog_genre_names(&pool, &["tv".into()])
        .await
        .expect("tv");

    assert_eq!(all.len(), 3);
    assert_eq!(all[0], "Comedy");
    assert!(all[1].eq_ignore_ascii_case("drama"));
    assert_eq!(all[2], "Sci-Fi & Fantasy");
    assert_eq!(tv, vec!["drama".to_owned(), "Sci-Fi & Fantasy".to_owned()]);
}
