//! The in-memory catalog copy answers exactly what the store's SQL answers: prefilter,
//! trending, cold start, hydration, titles with vectors and nearest neighbours, on a small
//! catalog with every kind of unknown value (NULL years, runtimes, languages, popularity,
//! ranks; titles without a vector or with another version's vector only), popularity ties,
//! and offers in two countries with several offer types per service.

use crate::helpers::new_item;
use seen_core::catalog::NewItem;
use seen_core::catalog_copy::CatalogCopy;
use seen_core::catalog_filter::CatalogFilter;
use seen_core::item::{Genre, ItemId, MediaType};
use seen_store::PgPool;
use seen_store::ann::nearest;
use seen_store::candidates::{cold_start_ids, prefilter_ids, trending_rows};
use seen_store::catalog_copy::{catalog_version, load_catalog_rows};
use seen_store::embeddings::upsert_vectors;
use seen_store::hydrate::{hydrate, titles_with_vectors};
use seen_store::items::upsert_items;
use sqlx::PgConnection;
use std::collections::{BTreeMap, HashSet};

const VERSION: &str = "v1";
const COUNTRY: &str = "IL";
const DIM: usize = 384;
const N: usize = 40;

/// Deterministic pseudo-random unit vector (xorshift), never zero.
fn vector(seed: u64) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v: Vec<f32> = (0..DIM)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2001) as f32 / 1000.0 - 1.0
        })
        .collect();
    let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt();
    v.iter_mut().for_each(|a| *a /= norm);
    v
}

fn genres(names: &[&str]) -> Vec<Genre> {
    names
        .iter()
        .map(|n| Genre {
            id: None,
            name: (*n).to_owned(),
        })
        .collect()
}

/// Title `i` of the fixture catalog: each attribute cycles with a different period, so the
/// combinations vary; popularity repeats (ties broken by id) and is sometimes NULL.
fn title(i: usize) -> NewItem {
    let media = if i.is_multiple_of(3) {
        MediaType::Tv
    } else {
        MediaType::Movie
    };
    let mut t = new_item(media, 1000 + i as i32, &format!("Title {i}"), 0.0);
    t.genres = genres(match i % 8 {
        0 => &["Drama"],
        1 => &["Comedy", "Drama"],
        2 => &["Science Fiction"],
        3 => &["Horror", "Thriller"],
        4 => &[],
        5 => &["Action", "Adventure"],
        6 => &["crime"],
        _ => &["Animation", "Family", "Comedy"],
    });
    t.original_language = [
        Some("en"),
        Some("fr"),
        Some("EN"),
        None,
        Some("ja"),
        Some("es"),
    ][i % 6]
        .map(str::to_owned);
    t.release_year = (!i.is_multiple_of(7)).then_some(1970 + (i as i32 * 7) % 55);
    t.runtime = (!i.is_multiple_of(5)).then_some(60 + (i as i32 * 13) % 120);
    t.popularity = (i % 9 != 4).then_some(((i * 37) % 20) as f64 * 1.5);
    t.popular_rank = (i % 3 != 2).then_some((i % 10) as i32 + 1);
    t.trending_rank = (i % 5 < 2).then_some(((i * 3) % 7) as i32 + 1);
    t.vote_average = Some(5.0 + (i % 5) as f64);
    // Ties and unknowns, so the prefilter's order falls through to popularity and id.
    t.vote_count = (i % 4 != 3).then_some(10 * (i % 7) as i32);
    t.collection_id = i.is_multiple_of(11).then_some(77);
    t.cast_names = vec![format!("Actor {}", i % 4)];
    // Keywords in TMDB's lower case, some capitalised or padded, some titles without any.
    t.keywords = match i % 5 {
        0 => vec!["heist".into(), "paris".into()],
        1 => vec![" Bank Robbery".into()],
        2 => vec!["space opera".into()],
        _ => Vec::new(),
    };
    t
}

/// The fixture catalog in Postgres; returns `(ids, ids with a v1 vector)`.
async fn seed(conn: &mut PgConnection) -> (Vec<ItemId>, Vec<ItemId>) {
    let titles: Vec<NewItem> = (0..N).map(title).collect();
    upsert_items(conn, &titles).await.expect("upsert");
    let ids: Vec<ItemId> = sqlx::query_scalar("SELECT id FROM items ORDER BY tmdb_id")
        .fetch_all(&mut *conn)
        .await
        .expect("ids");
    // Genres stored as bare strings, with padding, as an older writer might have.
    sqlx::query(r#"UPDATE items SET genres = '["Drama", " Thriller "]' WHERE id = $1"#)
        .bind(ids[12])
        .execute(&mut *conn)
        .await
        .expect("string genres");
    // Every 6th title has no vector; i % 10 == 3 has only another version's vector.
    let (mut v1, mut v2) = (Vec::new(), Vec::new());
    for (i, id) in ids.iter().enumerate() {
        let row = (*id, vector(i as u64 + 1), format!("h{i}"));
        match (i % 6, i % 10) {
            (5, _) => {}
            (_, 3) => v2.push(row),
            _ => v1.push(row),
        }
    }
    upsert_vectors(conn, VERSION, &v1).await.expect("v1");
    upsert_vectors(conn, "v2", &v2).await.expect("v2");
    // Offers: several types for one service (flatrate beats rent beats buy), blank links,
    // no link at all, lower-case types, another country; every 4th title has none.
    for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 4 != 1) {
        let offers = [
            (
                COUNTRY,
                "nfx",
                "RENT",
                Some(format!("nfx://rent/{n}")),
                None,
            ),
            (
                COUNTRY,
                "nfx",
                if n % 2 == 0 { "FLATRATE" } else { "BUY" },
                Some(String::new()),
                Some(format!("https://nfx.test/{n}")),
            ),
            (
                COUNTRY,
                "itu",
                "BUY",
                None,
                Some(format!("https://itu.test/{n}")),
            ),
            (COUNTRY, "dnp", "ads", None, None),
            (COUNTRY, "amp", "free", Some(format!("amp://{n}")), None),
            ("US", "hlu", "FLATRATE", Some(format!("hlu://{n}")), None),
            ("US", "nfx", "FLATRATE", Some(format!("nfx://us/{n}")), None),
        ];
        let kept = offers
            .into_iter()
            .enumerate()
            .filter(|(k, _)| (n + k) % 4 != 0);
        for (_, (country, service, kind, deeplink, web_url)) in kept {
            sqlx::query(
                "INSERT INTO availability (item_id, country, service, offer_type, deeplink, web_url) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(country)
            .bind(service)
            .bind(kind)
            .bind(deeplink)
            .bind(web_url)
            .execute(&mut *conn)
            .await
            .expect("offer");
        }
    }
    let embedded = v1.iter().map(|(id, _, _)| *id).collect();
    (ids, embedded)
}

fn filters() -> Vec<CatalogFilter> {
    let f = CatalogFilter::default;
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    vec![
        f(),
        CatalogFilter {
            include_genres: s(&["Drama"]),
            ..f()
        },
        CatalogFilter {
            include_genres: s(&["  COMEDY ", "horror", "thriller"]),
            ..f()
        },
        CatalogFilter {
            exclude_genres: s(&["drama"]),
            ..f()
        },
        CatalogFilter {
            exclude_genres: s(&["Comedy", " Thriller"]),
            ..f()
        },
        CatalogFilter {
            media_types: s(&["tv"]),
            ..f()
        },
        CatalogFilter {
            media_types: s(&["movie", "tv"]),
            ..f()
        },
        CatalogFilter {
            languages: s(&["en"]),
            ..f()
        },
        CatalogFilter {
            languages: s(&["FR", " ja "]),
            ..f()
        },
        CatalogFilter {
            year_min: Some(1990),
            ..f()
        },
        CatalogFilter {
            year_max: Some(2000),
            ..f()
        },
        CatalogFilter {
            year_min: Some(1985),
            year_max: Some(2005),
            ..f()
        },
        CatalogFilter {
            runtime_min: Some(90),
            ..f()
        },
        CatalogFilter {
            runtime_max: Some(100),
            ..f()
        },
        CatalogFilter {
            runtime_min: Some(80),
            runtime_max: Some(150),
            ..f()
        },
        CatalogFilter {
            media_types: s(&["movie"]),
            include_genres: s(&["drama", "comedy"]),
            exclude_genres: s(&["Horror"]),
            languages: s(&["en"]),
            year_min: Some(1980),
            runtime_max: Some(150),
            ..f()
        },
        CatalogFilter {
            include_genres: s(&["Science Fiction"]),
            year_max: Some(2010),
            runtime_min: Some(70),
            ..f()
        },
        CatalogFilter {
            include_genres: s(&["Western"]),
            ..f()
        },
        // "rom-com": all of the required genres, in any case.
        CatalogFilter {
            include_genres: s(&["Comedy", "Drama"]),
            required_genres: s(&["comedy", " DRAMA"]),
            ..f()
        },
        // A required genre no title has: nothing.
        CatalogFilter {
            required_genres: s(&["Drama", "Western"]),
            ..f()
        },
        // A strict run's language: titles of unknown language fail.
        CatalogFilter {
            languages: s(&["en", "ja"]),
            language_known: true,
            ..f()
        },
        // The tagged run: any of the tags, case and padding ignored.
        CatalogFilter {
            tags: s(&["heist", "bank robbery"]),
            ..f()
        },
        CatalogFilter {
            include_genres: s(&["Drama"]),
            tags: s(&["space opera"]),
            ..f()
        },
        CatalogFilter {
            tags: s(&["no such tag"]),
            ..f()
        },
        // Left-out tags: titles carrying one fail, titles without keywords pass.
        CatalogFilter {
            exclude_tags: s(&["HEIST", "space opera"]),
            ..f()
        },
    ]
}

/// Exclusion lists: none, a few (embedded, unembedded, unknown), nearly everything.
fn exclusions(ids: &[ItemId], embedded: &[ItemId]) -> Vec<Vec<ItemId>> {
    vec![
        Vec::new(),
        vec![ids[0], ids[1], ids[5], ids[13], 999_999],
        embedded[3..].to_vec(),
    ]
}

/// Allowlists: none, empty, a mixed subset (with duplicates and unknown ids).
fn allowlists(ids: &[ItemId]) -> Vec<Option<Vec<ItemId>>> {
    let mixed: Vec<ItemId> = ids
        .iter()
        .step_by(3)
        .chain(&[ids[6], ids[6], 999_999])
        .copied()
        .collect();
    vec![None, Some(Vec::new()), Some(mixed)]
}

async fn fixture(pool: &PgPool) -> (CatalogCopy, Vec<ItemId>, Vec<ItemId>) {
    let mut conn = pool.acquire().await.expect("connection");
    let (ids, embedded) = seed(&mut conn).await;
    let copy = load_catalog_rows(&mut conn, VERSION, COUNTRY)
        .await
        .expect("load")
        .into_copy();
    (copy, ids, embedded)
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_copy_is_tagged_with_the_version_it_was_read_at(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    seed(&mut conn).await;
    let rows = load_catalog_rows(&mut conn, VERSION, COUNTRY)
        .await
        .expect("load");
    let current = catalog_version(&mut conn).await.expect("version");

    assert_eq!(rows.version(), current);
    let copy = rows.into_copy();
    assert_eq!(copy.version(), current);
    assert_eq!(copy.len(), N);
    assert!(current > 0, "seeding moved the counter");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn filtered_orders_match_prefilter_trending_and_cold_start(pool: PgPool) {
    let (copy, ids, embedded) = fixture(&pool).await;
    let mut conn = pool.acquire().await.expect("connection");
    let mut non_empty = 0;

    for (n, filter) in filters().iter().enumerate() {
        for limit in [5_usize, 100] {
            let sql = prefilter_ids(&mut conn, filter, None, VERSION, limit as i64)
                .await
                .expect("prefilter");
            let mem = copy.prefilter_ids(filter, limit);
            assert_eq!(mem, sql, "prefilter, filter #{n} {filter:?}, limit {limit}");
            non_empty += usize::from(!sql.is_empty());

            for exclude in exclusions(&ids, &embedded) {
                let exclude_set: HashSet<ItemId> = exclude.iter().copied().collect();
                for allow in allowlists(&ids) {
                    let allow = allow.as_deref();
                    let what = format!(
                        "filter #{n} {filter:?}, limit {limit}, exclude {exclude:?}, allow {allow:?}"
                    );
                    let sql =
                        trending_rows(&mut conn, filter, allow, &exclude, VERSION, limit as i64)
                            .await
                            .expect("trending");
                    let mem = copy.trending_rows(filter, allow, &exclude_set, limit);
                    assert_eq!(mem, sql, "trending, {what}");

                    let sql =
                        cold_start_ids(&mut conn, filter, allow, &exclude, VERSION, limit as i64)
                            .await
                            .expect("cold start");
                    let mem = copy.cold_start_ids(filter, allow, &exclude_set, limit);
                    assert_eq!(mem, sql, "cold start, {what}");
                }
            }
        }
    }
    // The filters really filter: most select something, and not everything.
    let all = copy.prefilter_ids(&CatalogFilter::default(), 100);
    assert_eq!(
        all.iter().copied().collect::<HashSet<_>>(),
        embedded.iter().copied().collect(),
        "only titles with a v1 vector are candidates"
    );
    assert!(non_empty >= 30, "too few filters matched anything");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn hydration_and_titles_with_vectors_match_the_sql(pool: PgPool) {
    let (copy, ids, embedded) = fixture(&pool).await;
    let mut conn = pool.acquire().await.expect("connection");

    let sql = hydrate(&mut conn, &ids, VERSION, COUNTRY)
        .await
        .expect("hydrate");
    assert_eq!(sql.len(), N);
    let sql: BTreeMap<ItemId, _> = sql.into_iter().map(|e| (e.item.id, e)).collect();
    for id in &ids {
        assert_eq!(copy.get(*id).as_ref(), sql.get(id), "entry of item {id}");
    }
    assert!(copy.get(999_999).is_none());
    // The fixture exercises what it claims to.
    let with_vector = sql.values().filter(|e| e.vector.is_some()).count();
    assert_eq!(with_vector, embedded.len());
    assert!(with_vector < N);
    let options: Vec<usize> = sql.values().map(|e| e.watch_options.len()).collect();
    assert!(options.contains(&0) && options.iter().any(|n| *n >= 3));

    // In the order asked, skipping titles without a vector; repeats and unknown ids too.
    let asked: Vec<ItemId> = ids
        .iter()
        .rev()
        .copied()
        .chain([ids[2], 999_999, ids[2]])
        .collect();
    let sql: Vec<(ItemId, String, Vec<f32>)> = titles_with_vectors(&mut conn, &asked, VERSION)
        .await
        .expect("titles")
        .into_iter()
        .map(|t| (t.item_id, t.title, t.vector))
        .collect();
    let mem: Vec<(ItemId, String, Vec<f32>)> = asked
        .iter()
        .filter_map(|id| {
            copy.title_and_vector(*id)
                .map(|(t, v)| (*id, t.to_owned(), v.to_vec()))
        })
        .collect();
    assert_eq!(mem, sql);
    assert_eq!(mem.len(), embedded.len() + 2);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn nearest_matches_the_ann_query(pool: PgPool) {
    let (copy, ids, embedded) = fixture(&pool).await;
    let mut conn = pool.acquire().await.expect("connection");
    // As the serving pool does (pgvector iterative scan).
    sqlx::query("SET hnsw.iterative_scan = relaxed_order")
        .execute(&mut *conn)
        .await
        .expect("iterative scan");
    sqlx::query("SET hnsw.ef_search = 100")
        .execute(&mut *conn)
        .await
        .expect("ef_search");

    // A catalog title's own vector, another version's vector, and fresh directions.
    let queries: Vec<Vec<f32>> = vec![
        vector(1),
        vector(4),
        vector(14),
        vector(500),
        vector(501),
        vector(502).iter().map(|x| x * 3.0).collect(),
    ];
    let mut compared = 0;
    for (q, query) in queries.iter().enumerate() {
        for exclude in exclusions(&ids, &embedded) {
            let exclude_set: HashSet<ItemId> = exclude.iter().copied().collect();
            for allow in allowlists(&ids) {
                let allow = allow.as_deref();
                for limit in [1_usize, 7, 100] {
                    let what =
                        format!("query #{q}, limit {limit}, exclude {exclude:?}, allow {allow:?}");
                    let sql = nearest(&mut conn, query, &exclude, allow, VERSION, limit as i64)
                        .await
                        .expect("ann");
                    let mem = copy.nearest(query, &exclude_set, allow, limit);
                    let sql_ids: Vec<ItemId> = sql.iter().map(|h| h.item_id).collect();
                    let mem_ids: Vec<ItemId> = mem.iter().map(|h| h.0).collect();
                    assert_eq!(mem_ids, sql_ids, "nearest ids, {what}");
                    for (m, s) in mem.iter().zip(&sql) {
                        assert!(
                            (m.1 - s.similarity).abs() < 1e-5,
                            "similarity of {}: {} vs {}, {what}",
                            s.item_id,
                            m.1,
                            s.similarity
                        );
                    }
                    compared += sql.len();
                }
            }
        }
    }
    assert!(compared > 500, "too few hits compared: {compared}");
    // A title's own vector finds itself first with similarity 1.
    let own = copy.nearest(&vector(1), &HashSet::new(), None, 1);
    assert_eq!(own[0].0, ids[0]);
    assert!((own[0].1 - 1.0).abs() < 1e-5);
}

/// Four embedded movies with the given genres; returns their ids in that order.
async fn seed_small(conn: &mut PgConnection, genre_lists: [&[&str]; 4]) -> Vec<ItemId> {
    let titles: Vec<NewItem> = genre_lists
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut t = new_item(MediaType::Movie, i as i32 + 1, &format!("T{i}"), 1.0);
            t.genres = genres(g);
            t
        })
        .collect();
    upsert_items(conn, &titles).await.expect("upsert");
    let ids: Vec<ItemId> = sqlx::query_scalar("SELECT id FROM items ORDER BY tmdb_id")
        .fetch_all(&mut *conn)
        .await
        .expect("ids");
    let rows: Vec<(ItemId, Vec<f32>, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, vector(i as u64 + 1), format!("h{i}")))
        .collect();
    upsert_vectors(conn, VERSION, &rows).await.expect("vectors");
    ids
}

/// Genre names outside ASCII (a German catalog's "Komödie") asked for in another case, as
/// a `genre_override=KOMÖDIE` request passes them: the SQL lower-cases the request's genres
/// with Unicode rules, so the copy must match them the same way.
#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn non_ascii_genre_names_match_in_any_case_like_the_sql(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    let ids = seed_small(&mut conn, [&["Komödie"], &["Drama"], &["Ação"], &[]]).await;
    let copy = load_catalog_rows(&mut conn, VERSION, COUNTRY)
        .await
        .expect("load")
        .into_copy();

    for (include, exclude) in [
        (vec!["KOMÖDIE".to_owned()], vec![]),
        (vec![], vec!["KOMÖDIE".to_owned()]),
        (vec!["AÇÃO".to_owned(), "drama".to_owned()], vec![]),
    ] {
        let filter = CatalogFilter {
            include_genres: include,
            exclude_genres: exclude,
            ..CatalogFilter::default()
        };
        let sql = prefilter_ids(&mut conn, &filter, None, VERSION, 10)
            .await
            .expect("prefilter");
        let mem = copy.prefilter_ids(&filter, 10);
        assert_eq!(mem, sql, "prefilter {filter:?} (ids {ids:?})");
    }
}

/// Postgres orders `popularity DESC NULLS LAST, id` with NaN above every number and
/// -0 equal to 0 (a tie, broken by id); the copy must too.
#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn nan_and_negative_zero_popularity_sort_like_the_sql(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    let ids = seed_small(&mut conn, [&[], &[], &[], &[]]).await;
    for (id, popularity) in [(ids[0], "-0"), (ids[1], "0"), (ids[2], "NaN")] {
        sqlx::query("UPDATE items SET popularity = $2::float8 WHERE id = $1")
            .bind(id)
            .bind(popularity)
            .execute(&mut *conn)
            .await
            .expect("popularity");
    }
    let copy = load_catalog_rows(&mut conn, VERSION, COUNTRY)
        .await
        .expect("load")
        .into_copy();
    let all = CatalogFilter::default();

    let sql = prefilter_ids(&mut conn, &all, None, VERSION, 10)
        .await
        .expect("prefilter");
    let cold = cold_start_ids(&mut conn, &all, None, &[], VERSION, 10)
        .await
        .expect("cold start");

    // NaN, then 1.0, then the -0/0 tie in id order.
    assert_eq!(sql, vec![ids[2], ids[3], ids[0], ids[1]]);
    assert_eq!(copy.prefilter_ids(&all, 10), sql, "prefilter");
    assert_eq!(
        copy.cold_start_ids(&all, None, &HashSet::new(), 10),
        cold,
        "cold start"
    );
}
