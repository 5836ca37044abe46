//! `POST /user/import` over the real demo catalog: Letterboxd, IMDb (both header versions) and
//! Trakt exports written from the documented formats with real catalog titles; counts of what
//! matched, what did not and why; a second import adds nothing; recommendations then leave out
//! every imported title. Refused files (wrong format, zip bomb, missing columns, not UTF-8,
//! over the limits) are 4xx and write nothing.

use crate::demo::load_demo_catalog;
use crate::helpers::{TestApp, ids};
use reqwest::Response;
use serde_json::{Value, json};
use sqlx::PgPool;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imports")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).expect("fixture file")
}

/// A deflated zip of fixture files, stored under the given member names.
pub fn zip_fixture(dir: &str, members: &[&str]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for member in members {
        writer.start_file(*member, options).expect("zip entry");
        writer
            .write_all(&fixture(&format!("{dir}/{member}")))
            .expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// The Letterboxd export of the fixtures, as the site zips it.
pub fn letterboxd_zip() -> Vec<u8> {
    zip_fixture(
        "letterboxd",
        &[
            "ratings.csv",
            "diary.csv",
            "watched.csv",
            "likes/films.csv",
            "watchlist.csv",
        ],
    )
}

/// A `multipart/form-data` body with text fields and one file, as a browser sends it.
pub fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----seenemall-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> Response {
    let (content_type, body) = multipart(fields, file_name, file);
    app.client
        .post(app.url("/user/import"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request sent")
}

async fn raw(app: &TestApp, query: &[(&str, &str)], file: &[u8]) -> Response {
    app.client
        .post(app.url("/user/import"))
        .query(query)
        .header("content-type", "text/csv")
        .body(file.to_vec())
        .send()
        .await
        .expect("request sent")
}

#[track_caller]
fn assert_status(status: u16, expected: u16, body: &Value) {
    assert_eq!(status, expected, "{body}");
}

async fn json_of(resp: Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

/// Catalog ids of these (media, TMDB id) titles, in the order given.
async fn catalog_ids(pool: &PgPool, titles: &[(&str, i32)]) -> Vec<i32> {
    let mut out = Vec::new();
    for (media, tmdb) in titles {
        let id: i32 =
            sqlx::query_scalar("SELECT id FROM items WHERE media_type = $1 AND tmdb_id = $2")
                .bind(media)
                .bind(tmdb)
                .fetch_one(pool)
                .await
                .unwrap_or_else(|e| panic!("{media} {tmdb} is not in the demo catalog: {e}"));
        out.push(id);
    }
    out
}

/// `(item_id, event_type)` of a user's history, oldest first.
async fn history(pool: &PgPool, user: &str) -> Vec<(i32, String)> {
    sqlx::query_as(
        "SELECT item_id, event_type FROM user_history WHERE user_id = $1 ORDER BY ts, id",
    )
    .bind(user)
    .fetch_all(pool)
    .await
    .expect("history rows")
}

/// Three pages of recommendations for `user` never show an `excluded` title.
async fn assert_recommendations_exclude(app: &TestApp, user: &str, excluded: &HashSet<i32>) {
    let mut cursor: Option<String> = None;
    for page in 0..3 {
        let mut params = vec![("user_id", user), ("limit", "20")];
        if let Some(c) = cursor.as_deref() {
            params.push(("cursor", c));
        }
        let body = app.recommend_ok(&params).await;
        let page_ids = ids(&body);
        assert!(!page_ids.is_empty(), "page {page} is empty: {body}");
        for id in page_ids {
            let id = i32::try_from(id).expect("an items.id");
            assert!(
                !excluded.contains(&id),
                "page {page} recommends imported title {id}"
            );
        }
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_letterboxd_export_imports_once_and_its_titles_are_never_recommended(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    load_demo_catalog(&app).await;
    let zip = letterboxd_zip();

    let (status, summary) = json_of(
        upload(
            &app,
            &[
                ("format", "letterboxd"),
                ("user_id", "cine"),
                ("profile", "me"),
            ],
            "letterboxd-cine.zip",
            &zip,
        )
        .await,
    )
    .await;

    assert_status(status, 200, &summary);
    assert_eq!(summary["user_id"], "cine::me");
    assert_eq!(summary["rows_read"], 5 + 4 + 11 + 1 + 3);
    assert_eq!(summary["titles"], 13, "{summary}");
    assert_eq!(summary["matched"], 10, "{summary}");
    assert_eq!(summary["written"], 10);
    assert_eq!(summary["already_present"], 0);
    assert_eq!(
        summary["events"],
        json!({"disliked": 1, "liked": 5, "watched": 2, "watchlist": 2})
    );
    let unmatched: Vec<(String, String)> = summary["unmatched"]
        .as_array()
        .expect("unmatched list")
        .iter()
        .map(|u| {
            (
                format!(
                    "{} ({})",
                    u["title"].as_str().unwrap_or_default(),
                    u["year"]
                ),
                u["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(unmatched.len(), 3, "{unmatched:?}");
    // Two films called Emma came out in 1996: reported, not guessed.
    assert!(
        unmatched[0].0 == "Emma (1996)" && unmatched[0].1.starts_with("ambiguous: Emma (1996"),
        "{unmatched:?}"
    );
    assert_eq!(
        unmatched[1],
        (
            "Suspiria (1990)".into(),
            "the catalog has this title only from other years (1977, 2018)".into()
        )
    );
    assert_eq!(
        unmatched[2],
        ("Amelie Poulain (2001)".into(), "not in the catalog".into())
    );

    // Real titles, including the awkward ones: accents, a digit, the remake's year.
    let seen = catalog_ids(
        &app.pool,
        &[
            ("movie", 194),    // Amélie
            ("movie", 807),    // Se7en
            ("movie", 101),    // Léon: The Professional (the catalog writes "Leon")
            ("movie", 361292), // Suspiria (2018), not the 1977 original
            ("movie", 539),    // Psycho (1960), not the 1998 remake
            ("movie", 1091),   // The Thing (1982)
            ("movie", 129),    // Spirited Away
            ("movie", 597),    // Titanic (1997): Letterboxd's 1998 is one year off
        ],
    )
    .await;
    let watchlist = catalog_ids(&app.pool, &[("movie", 496243), ("movie", 438631)]).await;
    let rows = history(&app.pool, "cine::me").await;
    let seen_rows: HashSet<i32> = rows
        .iter()
        .filter(|(_, e)| e != "watchlist")
        .map(|(i, _)| *i)
        .collect();
    let watchlist_rows: HashSet<i32> = rows
        .iter()
        .filter(|(_, e)| e == "watchlist")
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(seen_rows, seen.iter().copied().collect());
    assert_eq!(watchlist_rows, watchlist.iter().copied().collect());
    // Se7en is ordered by its latest diary viewing, not the day it was marked watched.
    let se7en_ts: String = sqlx::query_scalar(
        "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM user_history WHERE user_id = 'cine::me' AND item_id = $1",
    )
    .bind(seen[1])
    .fetch_one(&app.pool)
    .await
    .expect("Se7en row");
    assert_eq!(se7en_ts, "2023-03-08");

    let (status, again) = json_of(
        upload(
            &app,
            &[
                ("format", "letterboxd"),
                ("user_id", "cine"),
                ("profile", "me"),
            ],
            "letterboxd-cine.zip",
            &zip,
        )
        .await,
    )
    .await;
    assert_status(status, 200, &again);
    assert_eq!(
        (again["written"].as_u64(), again["already_present"].as_u64()),
        (Some(0), Some(10)),
        "{again}"
    );
    assert_eq!(history(&app.pool, "cine::me").await.len(), 10);

    assert_recommendations_exclude(&app, "cine::me", &seen.into_iter().collect()).await;
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn imdb_files_of_both_header_versions_and_a_trakt_export_import_with_their_counts(
    pool: PgPool,
) {
    let app = TestApp::spawn(pool).await;
    load_demo_catalog(&app).await;

    // Current header, sent as the raw body.
    let (status, current) = json_of(
        raw(
            &app,
            &[("format", "imdb"), ("user_id", "imdb-fan")],
            &fixture("imdb-ratings.csv"),
        )
        .await,
    )
    .await;
    assert_status(status, 200, &current);
    assert_eq!(current["rows_read"], 7);
    assert_eq!(current["skipped"], json!({"TV episode": 1}));
    assert_eq!(current["matched"], 5, "{current}");
    assert_eq!(
        current["events"],
        json!({"disliked": 1, "liked": 3, "watched": 1})
    );
    assert_eq!(current["unmatched"][0]["title"], "A Film Nobody Made");

    // The old header (no Original Title, camelCase types), as an upload.
    let (status, old) = json_of(
        upload(
            &app,
            &[("format", "imdb"), ("user_id", "imdb-fan")],
            "ratings.csv",
            &fixture("imdb-ratings-old.csv"),
        )
        .await,
    )
    .await;
    assert_status(status, 200, &old);
    assert_eq!(
        (old["matched"].as_u64(), old["written"].as_u64()),
        (Some(2), Some(2)),
        "{old}"
    );
    assert_eq!(old["skipped"], json!({"TV episode": 1}));

    // The Office: the 2005 US series and the 2001 UK one are different titles.
    let expected = catalog_ids(
        &app.pool,
        &[
            ("movie", 194),
            ("movie", 807),
            ("tv", 2316),
            ("tv", 2996),
            ("movie", 101),
            ("movie", 11252),
            ("movie", 1091),
        ],
    )
    .await;
    let rows = history(&app.pool, "imdb-fan").await;
    let got: HashSet<i32> = rows.iter().map(|(i, _)| *i).collect();
    assert_eq!(got, expected.iter().copied().collect());
    let uk = rows
        .iter()
        .find(|(i, _)| *i == expected[3])
        .expect("The Office (UK)");
    assert_eq!(uk.1, "disliked", "3/10 is disliked");

    let trakt = zip_fixture(
        "trakt",
        &[
            "watched-history-1.json",
            "ratings-movies.json",
            "ratings-shows.json",
            "lists-watchlist.json",
        ],
    );
    let (status, summary) = json_of(
        upload(
            &app,
            &[("format", "trakt"), ("user_id", "trakt-fan")],
            "trakt-export.zip",
            &trakt,
        )
        .await,
    )
    .await;
    assert_status(status, 200, &summary);
    assert_eq!(summary["rows_read"], 5 + 2 + 1 + 1);
    assert_eq!(summary["matched"], 6, "{summary}");
    assert_eq!(
        summary["events"],
        json!({"disliked": 1, "liked": 2, "watched": 2, "watchlist": 1})
    );
    assert_eq!(summary["unmatched"][0]["title"], "A Film Nobody Made");
    let (_, again) = json_of(
        upload(
            &app,
            &[("format", "trakt"), ("user_id", "trakt-fan")],
            "trakt-export.zip",
            &trakt,
        )
        .await,
    )
    .await;
    assert_eq!(again["written"], 0, "{again}");
    assert_eq!(again["already_present"], 6);
    let seen: HashSet<i32> = history(&app.pool, "trakt-fan")
        .await
        .into_iter()
        .filter(|(_, e)| e != "watchlist")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(seen.len(), 5);
    assert_recommendations_exclude(&app, "trakt-fan", &seen).await;
}

/// Every refused upload answers 4xx with a `detail` and leaves the history empty.
#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn refused_files_are_4xx_and_write_nothing(pool: PgPool) {
    let app = TestApp::spawn_with(
        pool,
        &[
            "--import-max-bytes",
            "200000",
            "--import-max-unpacked-bytes",
            "1000000",
            "--import-max-rows",
            "50",
        ],
    )
    .await;
    let who = [("user_id", "u1")];
    let cases: Vec<(&str, u16, Response)> = vec![
        (
            "an IMDb CSV sent as Letterboxd",
            422,
            raw(
                &app,
                &[("format", "letterboxd"), who[0]],
                &fixture("imdb-ratings.csv"),
            )
            .await,
        ),
        (
            "an unknown format",
            422,
            raw(&app, &[("format", "netflix"), who[0]], b"a,b\n").await,
        ),
        (
            "no user",
            422,
            raw(&app, &[("format", "imdb")], &fixture("imdb-ratings.csv")).await,
        ),
        (
            "a diary without Watched Date",
            422,
            upload(
                &app,
                &[("format", "letterboxd"), who[0]],
                "diary.csv",
                b"Date,Name,Year,Letterboxd URI,Rating\n2023-01-01,Se7en,1995,x,3\n",
            )
            .await,
        ),
        (
            "IMDb re-saved in Windows-1252",
            422,
            raw(
                &app,
                &[("format", "imdb"), who[0]],
                &latin1(&fixture("imdb-ratings.csv")),
            )
            .await,
        ),
        (
            "a zip bomb",
            413,
            upload(
                &app,
                &[("format", "letterboxd"), who[0]],
                "bomb.zip",
                &zip_bomb(),
            )
            .await,
        ),
        (
            "a file over IMPORT_MAX_BYTES",
            413,
            raw(&app, &[("format", "imdb"), who[0]], &vec![b'x'; 300_000]).await,
        ),
        (
            "more rows than IMPORT_MAX_ROWS",
            413,
            raw(
                &app,
                &[("format", "imdb"), who[0]],
                many_rows(60).as_bytes(),
            )
            .await,
        ),
        (
            "a truncated zip",
            422,
            upload(
                &app,
                &[("format", "trakt"), who[0]],
                "t.zip",
                &letterboxd_zip()[..200],
            )
            .await,
        ),
    ];
    for (what, expected, resp) in cases {
        let (status, body) = json_of(resp).await;
        assert_eq!(status, expected, "{what}: {body}");
        assert!(
            body["detail"].is_string() || body["detail"].is_array(),
            "{what}: {body}"
        );
    }
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM user_history")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

/// The fixture with every `é` (UTF-8 C3 A9) as Latin-1 E9, as Excel re-saves it.
fn latin1(utf8: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(utf8.to_vec()).expect("utf-8 fixture");
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// 20 MB of zeros in a 20 KB zip.
fn zip_bomb() -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer
        .start_file("ratings.csv", options)
        .expect("zip entry");
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..20 {
        writer.write_all(&zeros).expect("zip write");
    }
    let bytes = writer.finish().expect("zip finish").into_inner();
    assert!(
        bytes.len() < 200_000,
        "the bomb must fit under the upload limit"
    );
    bytes
}

fn many_rows(n: usize) -> String {
    let mut csv = String::from("Const,Your Rating,Date Rated,Title,Title Type,Year\n");
    for i in 0..n {
        csv.push_str(&format!("tt{i:07},7,2023-01-01,Film {i},movie,2000\n"));
    }
    csv
}
