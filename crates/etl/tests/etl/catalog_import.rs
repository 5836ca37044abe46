use crate::helpers::{count_items, demo_catalog, write_catalog};
use seen_etl::catalog_import::{CatalogImportOptions, run};
use seen_store::PgPool;
use seen_store::items::UpsertCounts;

/// Real lines of the demo catalog (a movie, a TV show, a sparse movie) plus a TV show that
/// shares the movie's TMDB id.
const FOUR_ROOMS: &str = r#"{"id": 5, "media_type": "movie", "title": "Four Rooms", "overview": "It's Ted the Bellhop's first night on the job.", "genres": [{"id": 80, "name": "Crime"}, {"id": 35, "name": "Comedy"}], "release_date": "1995-12-09", "runtime": 98, "original_language": "en", "popularity": 9.026586, "vote_average": 6.5, "vote_count": 539, "poster_path": "/eQs5hh9rxrk1m4xHsIz1w11Ngqb.jpg", "imdb_id": "tt0113101", "keywords": ["hotel", "new year's eve"], "cast": ["Tim Roth", "Antonio Banderas"], "directors": ["Quentin Tarantino"], "movielens_id": 18}"#;
const DALLAS: &str = r#"{"id": 40, "media_type": "tv", "name": "Dallas", "first_air_date": "1978-04-02", "popularity": 157.944, "vote_average": 6.8, "vote_count": 205, "genres": [{"id": 18, "name": "Drama"}, {"id": 10751, "name": "Family"}], "episode_run_time": [60], "original_language": "en", "imdb_id": "tt1723760"}"#;
const INCOGNITO: &str = r#"{"id": 17413, "media_type": "movie", "title": "Incognito", "genres": [{"id": 35, "name": "Comedy"}], "original_language": "fr", "release_date": "2009-04-28", "popularity": 5.602, "vote_average": 5.5, "vote_count": 213}"#;
const TV_FIVE: &str = r#"{"id": 5, "media_type": "tv", "name": "Five", "first_air_date": "2001-01-01", "popularity": 1.0, "vote_average": 7.0, "vote_count": 60}"#;

/// (media_type, title, popular_rank, top_rated_rank, trending_rank)
type RankRow = (String, String, Option<i32>, Option<i32>, Option<i32>);

fn quiet() -> CatalogImportOptions {
    CatalogImportOptions {
        batch_size: 2,
        progress: false,
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_catalog_imports_once_and_a_rerun_changes_nothing(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_catalog(dir.path(), &[FOUR_ROOMS, DALLAS, INCOGNITO, TV_FIVE], true);

    let first = run(&pool, &path, &quiet()).await.expect("first import");
    let second = run(&pool, &path, &quiet()).await.expect("second import");

    assert_eq!(
        first.counts,
        UpsertCounts {
            inserted: 4,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(first.batches, 2);
    assert_eq!(
        second.counts,
        UpsertCounts {
            inserted: 0,
            updated: 0,
            unchanged: 4
        }
    );
    assert_eq!(count_items(&pool).await.expect("count"), 4);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn ranks_are_computed_per_media_type_over_the_whole_file(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_catalog(dir.path(), &[FOUR_ROOMS, DALLAS, INCOGNITO, TV_FIVE], false);

    run(&pool, &path, &quiet()).await.expect("import");
    let ranks: Vec<RankRow> = sqlx::query_as(
        "SELECT media_type, title, popular_rank, top_rated_rank, trending_rank FROM items ORDER BY media_type, popular_rank",
    )
    .fetch_all(&pool)
    .await
    .expect("ranks");

    let expected = [
        ("movie", "Four Rooms", Some(1), Some(1)),
        ("movie", "Incognito", Some(2), Some(2)),
        ("tv", "Dallas", Some(1), Some(2)),
        ("tv", "Five", Some(2), Some(1)),
    ];
    for (row, (media, title, popular, top)) in ranks.iter().zip(expected) {
        assert_eq!(
            (row.0.as_str(), row.1.as_str(), row.2, row.3),
            (media, title, popular, top)
        );
        assert_eq!(row.4, None, "no trending data offline");
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn malformed_lines_are_reported_with_line_numbers_and_skipped(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let lines = [
        FOUR_ROOMS,
        "{\"id\": 1, \"title\": ",
        DALLAS,
        r#"{"title": "No id"}"#,
        INCOGNITO,
    ];
    let path = write_catalog(dir.path(), &lines, true);

    let summary = run(&pool, &path, &quiet()).await.expect("import");

    assert_eq!(summary.lines, 5);
    assert_eq!(summary.counts.inserted, 3);
    assert_eq!(summary.skipped, 2);
    let skipped: Vec<usize> = summary.first_skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [2, 4]);
    assert_eq!(summary.skip_reasons.get("missing id"), Some(&1));
    let printed = summary.to_string();
    assert!(printed.contains("line 2: invalid JSON"), "{printed}");
    assert_eq!(count_items(&pool).await.expect("count"), 3);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_demo_catalog_imports_completely(pool: PgPool) {
    let opts = CatalogImportOptions {
        progress: false,
        ..CatalogImportOptions::default()
    };

    let summary = run(&pool, &demo_catalog(), &opts).await.expect("import");

    // 19,730 lines; TV 115577 appears twice (identical), so one line is a duplicate.
    assert_eq!(summary.lines, 19_730);
    assert_eq!(summary.counts.inserted, 19_729);
    assert_eq!(summary.skipped, 1);
    assert_eq!(summary.first_skipped[0].line, 19_520);
    let movies: i64 = sqlx::query_scalar("SELECT count(*) FROM items WHERE media_type = 'movie'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(movies, 17_632);
}
