use super::*;
use crate::import::archive::tests::zip_of;
use crate::import::{ImportFormat, ImportLimits};

const RATINGS: &str = "\
Date,Name,Year,Letterboxd URI,Rating
2023-02-01,Amélie,2001,https://boxd.it/2b1e,4.5
2023-02-03,Se7en,1995,https://boxd.it/29Lk,3
2023-02-05,Suspiria,2018,https://boxd.it/fWbk,2
";

const DIARY: &str = "\
Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date
2023-01-10,Se7en,1995,https://boxd.it/4x7a1,3,,,2023-01-09
2023-03-10,Se7en,1995,https://boxd.it/4x7b2,,Yes,,2023-03-08
2023-01-20,\"Léon: The Professional\",1994,https://boxd.it/4x7c3,5,,favourites,2023-01-19
";

const WATCHED: &str = "\
Date,Name,Year,Letterboxd URI
2022-12-31,Amélie,2001,https://boxd.it/2b1e
2022-12-31,Se7en,1995,https://boxd.it/29Lk
2022-12-31,\"Léon: The Professional\",1994,https://boxd.it/2aHi
2022-12-31,Suspiria,2018,https://boxd.it/fWbk
2022-11-30,Psycho,1960,https://boxd.it/2a3Q
";

const LIKES: &str = "\
Date,Name,Year,Letterboxd URI
2023-04-01,Psycho,1960,https://boxd.it/2a3Q
2023-04-01,Suspiria,2018,https://boxd.it/fWbk
";

const WATCHLIST: &str = "\
Date,Name,Year,Letterboxd URI
2023-05-01,Parasite,2019,https://boxd.it/hTha
2023-05-02,Psycho,1960,https://boxd.it/2a3Q
";

fn export_zip() -> Vec<u8> {
    zip_of(&[
        ("profile.csv", b"Date Joined,Username\n2020-01-01,someone\n"),
        ("ratings.csv", RATINGS.as_bytes()),
        ("diary.csv", DIARY.as_bytes()),
        ("watched.csv", WATCHED.as_bytes()),
        ("likes/films.csv", LIKES.as_bytes()),
        ("watchlist.csv", WATCHLIST.as_bytes()),
        // Deleted entries are in the export too, and must not come back.
        ("deleted/diary.csv", DIARY.as_bytes()),
    ])
}

fn parse_upload(name: Option<&str>, bytes: &[u8]) -> Result<ParsedExport, ImportError> {
    crate::import::parse(
        ImportFormat::Letterboxd,
        name,
        bytes,
        &ImportLimits::default(),
    )
}

fn row<'a>(parsed: &'a ParsedExport, name: &str) -> &'a ExportRow {
    parsed
        .rows
        .iter()
        .find(|r| r.title.title == name)
        .unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn a_whole_export_becomes_one_event_per_film_plus_the_unseen_watchlist() {
    let parsed = parse_upload(Some("letterboxd-me.zip"), &export_zip()).expect("parses");
    assert_eq!(parsed.rows_read, 3 + 3 + 5 + 2 + 2);
    assert_eq!(parsed.files.len(), 5, "{:?}", parsed.files);
    let names: Vec<(&str, ImportEvent)> = parsed
        .rows
        .iter()
        .map(|r| (r.title.title.as_str(), r.event))
        .collect();
    assert_eq!(
        names,
        [
            ("Amélie", ImportEvent::Liked),
            ("Se7en", ImportEvent::Watched),
            ("Suspiria", ImportEvent::Disliked),
            ("Léon: The Professional", ImportEvent::Liked),
            ("Psycho", ImportEvent::Liked),
            ("Parasite", ImportEvent::Watchlist),
        ]
    );
}

#[test]
fn the_diary_watched_date_orders_a_film_not_the_date_it_was_marked() {
    let parsed = parse_upload(None, &export_zip()).expect("parses");
    // Se7en: watched twice (latest 2023-03-08), rated later, marked 2022-12-31.
    assert_eq!(
        row(&parsed, "Se7en").ts.to_rfc3339(),
        "2023-03-08T00:00:00+00:00"
    );
    // Amélie has no diary entry: the date it was marked watched.
    assert_eq!(
        row(&parsed, "Amélie").ts.to_rfc3339(),
        "2022-12-31T00:00:00+00:00"
    );
}

#[test]
fn a_heart_does_not_override_a_low_rating() {
    let parsed = parse_upload(None, &export_zip()).expect("parses");
    let suspiria = row(&parsed, "Suspiria");
    assert_eq!(suspiria.event, ImportEvent::Disliked);
    assert_eq!(suspiria.rating, Rating::stars(2.0));
}

#[test]
fn a_watchlisted_film_already_seen_is_not_a_watchlist_event() {
    let parsed = parse_upload(None, &export_zip()).expect("parses");
    let psycho: Vec<ImportEvent> = parsed
        .rows
        .iter()
        .filter(|r| r.title.title == "Psycho")
        .map(|r| r.event)
        .collect();
    assert_eq!(psycho, [ImportEvent::Liked]);
}

#[test]
fn a_single_ratings_csv_is_read_by_its_columns() {
    let parsed = parse_upload(Some("upload.csv"), RATINGS.as_bytes()).expect("parses");
    assert_eq!(parsed.rows.len(), 3);
    assert_eq!(row(&parsed, "Amélie").event, ImportEvent::Liked);
    assert_eq!(row(&parsed, "Amélie").location, "upload.csv:2");
}

#[test]
fn a_single_watchlist_csv_is_told_from_watched_by_its_name() {
    let watchlist = parse_upload(Some("watchlist.csv"), WATCHLIST.as_bytes()).expect("parses");
    assert!(
        watchlist
            .rows
            .iter()
            .all(|r| r.event == ImportEvent::Watchlist)
    );
    let watched = parse_upload(Some("watched.csv"), WATCHLIST.as_bytes()).expect("parses");
    assert!(watched.rows.iter().all(|r| r.event == ImportEvent::Watched));
}

#[test]
fn a_diary_without_its_watched_date_column_is_refused() {
    let zip = zip_of(&[("diary.csv", b"Date,Name,Year,Letterboxd URI,Rating\n")]);
    let err = parse_upload(None, &zip).unwrap_err();
    assert_eq!(
        err,
        ImportError::MissingColumns {
            file: "diary.csv".into(),
            format: "letterboxd",
            missing: vec!["Watched Date".into()]
        }
    );
}

#[test]
fn a_zip_without_letterboxd_files_is_the_wrong_format() {
    let zip = zip_of(&[("watched-history-1.json", b"[]")]);
    let err = parse_upload(None, &zip).unwrap_err();
    assert!(matches!(err, ImportError::WrongFormat { .. }), "{err:?}");
}

#[test]
fn an_imdb_csv_uploaded_as_letterboxd_is_refused_for_its_columns() {
    let imdb =
        "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year\n";
    let err = parse_upload(Some("ratings.csv"), imdb.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, ImportError::MissingColumns { missing, .. } if missing == &["Date", "Name"]),
        "{err:?}"
    );
}
