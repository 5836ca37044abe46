use crate::helpers::write_catalog;
use chrono::{DateTime, Utc};
use flate2::read::GzDecoder;
use seen_core::taste::MODEL_KIND;
use seen_core::taste::{HistoryOrder, TasteEvent, TasteParams, codec};
use seen_etl::catalog_import::{self, CatalogImportOptions};
use seen_etl::eval::{self, EvalOptions};
use seen_etl::train::{self, TrainOptions};
use seen_store::PgPool;
use seen_store::history::{NewEvent, insert_events_bulk};
use seen_store::taste_models::{latest_version, load_latest};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

async fn import_catalog(pool: &PgPool, dir: &Path, lines: &[String]) {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = write_catalog(dir, &refs, true);
    let opts = CatalogImportOptions {
        batch_size: 5_000,
        progress: false,
    };
    catalog_import::run(pool, &file, &opts)
        .await
        .expect("catalog import");
}

/// Our item id of each TMDB movie id.
async fn item_ids(pool: &PgPool) -> HashMap<i32, i32> {
    sqlx::query_as::<_, (i32, i32)>("SELECT tmdb_id, id FROM items")
        .fetch_all(pool)
        .await
        .expect("ids")
        .into_iter()
        .collect()
}

fn quiet(params: TasteParams) -> TrainOptions {
    TrainOptions {
        params,
        keep: 1,
        progress: false,
    }
}

/// Movies 1..=10 are watched together, and so are 11..=20: 24 users, each 4–7 titles of one
/// group, liked or watched.
fn two_groups(ids: &HashMap<i32, i32>) -> Vec<NewEvent> {
    let mut events = Vec::new();
    for u in 0..24i32 {
        let base = if u % 2 == 0 { 1 } else { 11 };
        for j in 0..4 + u % 4 {
            events.push(NewEvent {
                user_id: format!("u{u}"),
                item_id: ids[&(base + (u * 3 + j * 7) % 10)],
                event_type: if j % 2 == 0 { "liked" } else { "watched" }.to_owned(),
                weight: 1,
                ts: DateTime::<Utc>::from_timestamp(1_000 + i64::from(j), 0).expect("valid"),
                meta: None,
            });
        }
    }
    events
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn train_stores_a_model_that_recommends_what_is_watched_together(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let lines: Vec<String> = (1..=20)
        .map(|id| format!(r#"{{"id": {id}, "media_type": "movie", "title": "Movie {id}"}}"#))
        .collect();
    import_catalog(&pool, dir.path(), &lines).await;
    let ids = item_ids(&pool).await;
    let mut conn = pool.acquire().await.expect("connection");
    insert_events_bulk(&mut conn, &two_groups(&ids))
        .await
        .expect("history");
    drop(conn);
    let params = TasteParams {
        lambda: 5.0,
        min_users: 1,
        ..TasteParams::default()
    };

    let first = train::run(&pool, &quiet(params)).await.expect("train");
    let second = train::run(&pool, &quiet(params))
        .await
        .expect("train again");

    assert_eq!((second.users, second.items), (24, 20));
    assert!(second.version > first.version);
    assert_eq!(
        latest_version(&pool, MODEL_KIND).await.expect("version"),
        Some(second.version)
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM taste_models")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(rows, 1, "keep = 1 leaves only the newest");
    let stored = load_latest(&pool, MODEL_KIND)
        .await
        .expect("load")
        .expect("a model");
    assert_eq!(stored.payload.len(), second.bytes);
    let model = codec::decode(&stored.payload).expect("decodes");
    let group_a: Vec<i32> = (1..=10).map(|m| ids[&m]).collect();
    let top = model.score(
        &[
            TasteEvent::new(ids[&1], "liked"),
            TasteEvent::new(ids[&2], "watched"),
        ],
        HistoryOrder::Timed,
        5,
    );
    assert_eq!(top.len(), 5);
    assert!(top.iter().all(|s| group_a.contains(&s.item)), "{top:?}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn train_on_an_empty_history_says_what_to_do(pool: PgPool) {
    let err = train::run(&pool, &quiet(TasteParams::default()))
        .await
        .expect_err("nothing to fit");

    assert!(
        format!("{err:#}").contains("import some history"),
        "{err:#}"
    );
    assert_eq!(
        latest_version(&pool, MODEL_KIND).await.expect("version"),
        None
    );
}

fn movielens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/movielens")
}

/// One catalog movie per MovieLens movie with a TMDB link, carrying its `movielens_id`.
fn catalog_from_links() -> Vec<String> {
    let mut text = String::new();
    GzDecoder::new(std::fs::File::open(movielens_dir().join("links.csv.gz")).expect("links"))
        .read_to_string(&mut text)
        .expect("gunzip links");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.trim_end().split(',');
            let movie: i32 = cols.next()?.parse().ok()?;
            let tmdb: i32 = cols.nth(1)?.parse().ok()?;
            Some(format!(
                r#"{{"id": {tmdb}, "media_type": "movie", "title": "MovieLens {movie}", "movielens_id": {movie}}}"#
            ))
        })
        .collect()
}

/// A vector per title that says nothing about taste (deterministic noise): the product must
/// win through the taste model, not through the content side.
async fn embed_with_noise(pool: &PgPool) {
    sqlx::query(
        r#"
        INSERT INTO item_embeddings (item_id, version, vector)
        SELECT i.id, 'v1',
               (SELECT array_agg(sin(i.id * 12.9898 + g * 78.233)::real ORDER BY g)
                FROM generate_series(1, 384) g)::vector
        FROM items i
        "#,
    )
    .execute(pool)
    .await
    .expect("noise vectors");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_product_beats_most_popular_and_plain_ease_on_movielens(pool: PgPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    import_catalog(&pool, dir.path(), &catalog_from_links()).await;
    embed_with_noise(&pool).await;
    // Titles with 5+ users keep the two dense fits small enough for a debug build.
    let opts = EvalOptions {
        users: Some(150),
        seed: 7,
        model: TasteParams {
            min_users: 5,
            ..TasteParams::default()
        },
        baseline: TasteParams::plain_ease(200.0, 200, 5),
        progress: false,
        ..EvalOptions::new(movielens_dir())
    };

    let report = eval::run(&pool, &opts).await.expect("eval");

    let ndcg: Vec<f64> = report.rows.iter().map(|r| r.metrics.ndcg_at_10).collect();
    // most popular, plain EASE, the product without a model, the product, the model alone.
    assert_eq!(report.rows.len(), 5, "{report}");
    assert_eq!(report.users_evaluated, 150);
    assert!(report.users_total > 590, "{report}");
    let (popular, ease, product) = (ndcg[0], ndcg[1], ndcg[3]);
    assert!(product > popular && product > ease, "{report}");
    assert!(ndcg[4] > popular && ndcg[4] > ease, "{report}");
    assert!(product > ndcg[2], "the model lifts the product: {report}");
    assert!(ndcg[0] > 0.0, "most popular finds something: {report}");
    for row in &report.rows {
        let m = &row.metrics;
        assert_eq!(m.users, 150);
        for v in [
            m.recall_at_10,
            m.recall_at_20,
            m.hit_rate_at_10,
            m.coverage_at_10,
        ] {
            assert!((0.0..=1.0).contains(&v), "{report}");
        }
        assert!(m.recall_at_20 >= m.recall_at_10, "{report}");
    }
}
