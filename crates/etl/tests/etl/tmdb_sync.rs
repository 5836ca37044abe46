//! `seen_etl::tmdb_sync::run` against the fake TMDB and a real Postgres.

use crate::helpers::count_items;
use crate::tmdb_fake::{FakeTmdb, MISSING_TV, client_for, list_page};
use seen_core::catalog::map_tmdb_detail;
use seen_core::item::MediaType;
use seen_etl::tmdb_sync::{ListWeights, RankRefresh, SyncOptions, run};
use seen_store::PgPool;
use seen_store::items::{UpsertCounts, upsert_items};
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Two pages of every list, small batches, no progress bar.
fn two_pages_each() -> SyncOptions {
    SyncOptions {
        pages: 2,
        list_weights: ListWeights {
            popular: 1.0,
            top_rated: 1.0,
            trending: 1.0,
        },
        concurrency: 4,
        batch_size: 5,
        skip_fresh_hours: 0,
        progress: false,
    }
}

type RankRow = (String, i32, Option<i32>, Option<i32>, Option<i32>);

async fn ranks(pool: &PgPool) -> Vec<RankRow> {
    sqlx::query_as(
        "SELECT media_type, tmdb_id, popular_rank, top_rated_rank, trending_rank FROM items ORDER BY media_type, tmdb_id",
    )
    .fetch_all(pool)
    .await
    .expect("read ranks")
}

fn row(
    media: &str,
    id: i32,
    popular: Option<i32>,
    top: Option<i32>,
    trending: Option<i32>,
) -> RankRow {
    (media.to_owned(), id, popular, top, trending)
}

/// Stores one title directly, as an earlier sync would have.
async fn store(
    pool: &PgPool,
    media: MediaType,
    id: i32,
    popular: Option<i32>,
    trending: Option<i32>,
) {
    let mut item =
        map_tmdb_detail(&crate::tmdb_fake::details(media, id), Some(media)).expect("fixture maps");
    item.popular_rank = popular;
    item.trending_rank = trending;
    let mut conn = pool.acquire().await.expect("connection");
    upsert_items(&mut conn, &[item]).await.expect("seed title");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_sync_writes_every_listed_title_with_its_best_rank_per_list(pool: PgPool) {
    let fake = FakeTmdb::start().await;

    let summary = run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("sync");

    assert_eq!(
        ranks(&pool).await,
        vec![
            row("movie", 101, Some(1), Some(2), Some(3)),
            row("movie", 102, Some(2), None, Some(1)),
            row("movie", 103, Some(3), None, None),
            row("movie", 104, None, Some(1), None),
            row("movie", 105, None, Some(3), None),
            row("movie", 106, None, None, Some(2)),
            row("tv", 101, Some(1), None, None),
            row("tv", 201, Some(2), Some(2), None),
            row("tv", 202, Some(3), None, None),
            row("tv", 203, None, Some(1), None),
            row("tv", 204, None, None, Some(1)),
        ]
    );
    assert_eq!(
        (
            summary.pages,
            summary.listed,
            summary.unusable_ids,
            summary.unique
        ),
        (12, 17, 1, 12)
    );
    assert_eq!(summary.fetched, 11);
    assert_eq!(
        summary.counts,
        UpsertCounts {
            inserted: 11,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(summary.batches, 3);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_failed_detail_is_counted_by_reason_and_the_rest_is_written(pool: PgPool) {
    let fake = FakeTmdb::start().await;

    let summary = run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("sync");

    assert_eq!(summary.failed.get("not_found"), Some(&1));
    assert_eq!(summary.failed_total(), 1);
    let missing: i64 = sqlx::query_scalar("SELECT count(*) FROM items WHERE tmdb_id = $1")
        .bind(MISSING_TV)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(missing, 0);
    assert!(
        summary.to_string().contains("failed, not_found: 1"),
        "{summary}"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn details_carry_credits_keywords_and_certification_into_the_row(pool: PgPool) {
    let fake = FakeTmdb::start().await;

    run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("sync");

    let (maturity, directors, collection): (Option<String>, Option<serde_json::Value>, Option<i32>) = sqlx::query_as(
        "SELECT maturity_rating, directors, collection_id FROM items WHERE media_type = 'movie' AND tmdb_id = 103",
    )
    .fetch_one(&pool)
    .await
    .expect("movie 103");
    assert_eq!(maturity.as_deref(), Some("R"));
    assert_eq!(
        directors,
        Some(json!(["Lana Wachowski", "Lilly Wachowski"]))
    );
    assert_eq!(collection, Some(2344));
    let tv: Option<String> = sqlx::query_scalar(
        "SELECT maturity_rating FROM items WHERE media_type = 'tv' AND tmdb_id = 204",
    )
    .fetch_one(&pool)
    .await
    .expect("tv 204");
    assert_eq!(tv.as_deref(), Some("TV-MA"));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_second_run_over_the_same_data_changes_nothing(pool: PgPool) {
    let fake = FakeTmdb::start().await;
    run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("first sync");
    let before = ranks(&pool).await;

    let second = run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("second sync");

    assert_eq!(
        second.counts,
        UpsertCounts {
            inserted: 0,
            updated: 0,
            unchanged: 11
        }
    );
    assert_eq!(second.ranks, RankRefresh::default());
    assert_eq!(ranks(&pool).await, before);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn ranks_of_titles_that_left_the_lists_are_cleared_and_listed_ones_move(pool: PgPool) {
    store(&pool, MediaType::Movie, 555, Some(1), Some(4)).await;
    store(&pool, MediaType::Tv, MISSING_TV, Some(7), Some(50)).await;
    let fake = FakeTmdb::start().await;

    let summary = run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("sync");

    let all = ranks(&pool).await;
    assert!(
        all.contains(&row("movie", 555, None, None, None)),
        "{all:?}"
    );
    // Its details 404 this time, but the lists still say where it stands.
    assert!(
        all.contains(&row("tv", MISSING_TV, None, None, Some(2))),
        "{all:?}"
    );
    assert_eq!(
        summary.ranks,
        RankRefresh {
            cleared: 1,
            moved: 1
        }
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn default_weights_page_top_rated_and_trending_half_as_deep(pool: PgPool) {
    let fake = FakeTmdb::start().await;
    let opts = SyncOptions {
        list_weights: ListWeights::default(),
        ..two_pages_each()
    };

    run(&pool, &fake.client(), &opts).await.expect("sync");

    let expected: Vec<(String, u32)> = [
        ("/movie/popular", 1),
        ("/movie/popular", 2),
        ("/movie/top_rated", 1),
        ("/trending/movie/day", 1),
        ("/tv/popular", 1),
        ("/tv/popular", 2),
        ("/tv/top_rated", 1),
        ("/trending/tv/day", 1),
    ]
    .into_iter()
    .map(|(p, n)| (p.to_owned(), n))
    .collect();
    assert_eq!(fake.list_requests().await, expected);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn fresh_titles_are_not_fetched_again(pool: PgPool) {
    let fake = FakeTmdb::start().await;
    run(&pool, &fake.client(), &two_pages_each())
        .await
        .expect("first sync");
    let first_details = fake.detail_requests().await.len();

    let opts = SyncOptions {
        skip_fresh_hours: 1,
        ..two_pages_each()
    };
    let second = run(&pool, &fake.client(), &opts)
        .await
        .expect("resumed sync");

    assert_eq!(first_details, 12);
    assert_eq!(second.skipped_fresh, 11);
    // Only the title that failed (never stored) is asked for again.
    let again = fake.detail_requests().await;
    assert_eq!(again.len(), 13);
    assert_eq!(again.last().map(String::as_str), Some("/tv/999"));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_list_page_that_keeps_failing_stops_the_run_before_any_write(pool: PgPool) {
    store(&pool, MediaType::Movie, 555, Some(1), None).await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/movie/popular"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(1, &[json!(1), json!(2)])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/movie/top_rated"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream down"))
        .expect(2)
        .mount(&server)
        .await;

    let error = run(&pool, &client_for(&server.uri()), &two_pages_each())
        .await
        .expect_err("list failure");

    let text = format!("{error:#}");
    assert!(
        text.contains("page 1 of the TMDB movie top_rated list"),
        "{text}"
    );
    assert!(text.contains("HTTP 500"), "{text}");
    assert_eq!(count_items(&pool).await.expect("count"), 1);
    assert_eq!(
        ranks(&pool).await,
        vec![row("movie", 555, Some(1), None, None)]
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_rejected_key_during_details_stops_the_run(pool: PgPool) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/(movie|tv)/popular$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(1, &[json!(1)])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/movie/1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"status_code": 7, "status_message": "Invalid API key"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let opts = SyncOptions {
        list_weights: ListWeights {
            popular: 1.0,
            top_rated: 0.0,
            trending: 0.0,
        },
        ..two_pages_each()
    };

    let error = run(&pool, &client_for(&server.uri()), &opts)
        .await
        .expect_err("401");

    assert!(
        format!("{error:#}").contains("TMDB rejected the API key"),
        "{error:#}"
    );
}
