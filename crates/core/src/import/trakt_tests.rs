use super::*;
use crate::import::archive::tests::zip_of;
use crate::import::{ImportFormat, ImportLimits};

const HISTORY: &str = r#"[
  {"id": 9001, "watched_at": "2023-02-10T21:00:00.000Z", "action": "watch", "type": "movie",
   "movie": {"title": "Amélie", "year": 2001, "ids": {"trakt": 170, "slug": "amelie-2001", "imdb": "tt0211915", "tmdb": 194}}},
  {"id": 9002, "watched_at": "2023-02-11T20:00:00.000Z", "action": "scrobble", "type": "episode",
   "episode": {"season": 1, "number": 1, "title": "Pilot", "ids": {"trakt": 1, "tvdb": 1, "imdb": "tt0664514", "tmdb": 1}},
   "show": {"title": "The Office", "year": 2005, "ids": {"trakt": 1391, "slug": "the-office", "tvdb": 73244, "imdb": "tt0386676", "tmdb": 2316}}},
  {"id": 9003, "watched_at": "2023-02-12T20:00:00.000Z", "action": "scrobble", "type": "episode",
   "episode": {"season": 1, "number": 2, "title": "Diversity Day", "ids": {"trakt": 2, "tmdb": 2}},
   "show": {"title": "The Office", "year": 2005, "ids": {"trakt": 1391, "slug": "the-office", "tvdb": 73244, "imdb": "tt0386676", "tmdb": 2316}}},
  {"id": 9004, "watched_at": "2023-01-01T18:00:00.000Z", "action": "checkin", "type": "movie",
   "movie": {"title": "Se7en", "year": 1995, "ids": {"trakt": 679, "slug": "se7en-1995", "imdb": "tt0114369", "tmdb": 807}}}
]"#;

const RATINGS_MOVIES: &str = r#"[
  {"rated_at": "2023-02-10T23:00:00.000Z", "rating": 9, "type": "movie",
   "movie": {"title": "Amélie", "year": 2001, "ids": {"trakt": 170, "slug": "amelie-2001", "imdb": "tt0211915", "tmdb": 194}}},
  {"rated_at": "2023-03-01T10:00:00.000Z", "rating": 3, "type": "movie",
   "movie": {"title": "Psycho", "year": 1998, "ids": {"trakt": 999, "slug": "psycho-1998", "imdb": "tt0155975", "tmdb": 11252}}}
]"#;

const RATINGS_EPISODES: &str = r#"[
  {"rated_at": "2023-02-11T22:00:00.000Z", "rating": 10, "type": "episode",
   "episode": {"season": 1, "number": 1, "ids": {"trakt": 1}},
   "show": {"title": "The Office", "year": 2005, "ids": {"trakt": 1391, "tmdb": 2316}}}
]"#;

const WATCHLIST: &str = r#"[
  {"rank": 1, "id": 5, "listed_at": "2023-04-01T00:00:00.000Z", "notes": null, "type": "movie",
   "movie": {"title": "Parasite", "year": 2019, "ids": {"trakt": 1, "imdb": "tt6751668", "tmdb": 496243}}}
]"#;

fn export_zip() -> Vec<u8> {
    zip_of(&[
        ("watched-history-1.json", HISTORY.as_bytes()),
        ("ratings-movies.json", RATINGS_MOVIES.as_bytes()),
        ("ratings-episodes.json", RATINGS_EPISODES.as_bytes()),
        ("lists-watchlist.json", WATCHLIST.as_bytes()),
        ("user-profile.json", br#"{"username": "someone"}"#),
    ])
}

fn parse_upload(name: Option<&str>, bytes: &[u8]) -> Result<ParsedExport, ImportError> {
    crate::import::parse(ImportFormat::Trakt, name, bytes, &ImportLimits::default())
}

#[test]
fn an_export_becomes_one_event_per_title_with_ids_and_watch_times() {
    let parsed = parse_upload(None, &export_zip()).expect("parses");
    assert_eq!(parsed.rows_read, 4 + 2 + 1);
    let rows: Vec<(&str, Option<i32>, ImportEvent, String)> = parsed
        .rows
        .iter()
        .map(|r| {
            (
                r.title.title.as_str(),
                r.title.tmdb_id,
                r.event,
                r.ts.to_rfc3339(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "Amélie",
                Some(194),
                ImportEvent::Liked,
                "2023-02-10T21:00:00+00:00".into()
            ),
            (
                "The Office",
                Some(2316),
                ImportEvent::Watched,
                "2023-02-12T20:00:00+00:00".into()
            ),
            (
                "Se7en",
                Some(807),
                ImportEvent::Watched,
                "2023-01-01T18:00:00+00:00".into()
            ),
            (
                "Psycho",
                Some(11252),
                ImportEvent::Disliked,
                "2023-03-01T10:00:00+00:00".into()
            ),
            (
                "Parasite",
                Some(496243),
                ImportEvent::Watchlist,
                "2023-04-01T00:00:00+00:00".into()
            ),
        ]
    );
    assert_eq!(parsed.rows[1].title.media, Some(MediaType::Tv));
}

#[test]
fn episode_ratings_are_not_read_from_the_zip() {
    let parsed = parse_upload(None, &export_zip()).expect("parses");
    assert!(!parsed.files.iter().any(|f| f.contains("episodes")));
}

#[test]
fn a_single_history_file_is_read_alone() {
    let parsed = parse_upload(Some("watched-history-1.json"), HISTORY.as_bytes()).expect("parses");
    assert_eq!(parsed.rows.len(), 3);
}

#[test]
fn episode_ratings_uploaded_alone_are_skipped_and_counted() {
    let parsed =
        parse_upload(Some("ratings-episodes.json"), RATINGS_EPISODES.as_bytes()).expect("parses");
    assert!(parsed.rows.is_empty());
    assert_eq!(parsed.skipped.get("episode rating"), Some(&1));
}

#[test]
fn a_json_object_instead_of_a_list_is_malformed() {
    let err = parse_upload(Some("watched-movies.json"), br#"{"movies": []}"#).unwrap_err();
    assert!(matches!(err, ImportError::Malformed { .. }), "{err:?}");
}

#[test]
fn a_zip_without_trakt_files_is_the_wrong_format() {
    let zip = zip_of(&[("ratings.csv", b"Date,Name,Year,Letterboxd URI,Rating\n")]);
    assert!(matches!(
        parse_upload(None, &zip),
        Err(ImportError::WrongFormat { .. })
    ));
}

#[test]
fn the_row_limit_counts_json_entries() {
    let limits = ImportLimits {
        max_rows: 3,
        ..ImportLimits::default()
    };
    let err = crate::import::parse(ImportFormat::Trakt, None, &export_zip(), &limits).unwrap_err();
    assert_eq!(err, ImportError::TooManyRows { limit: 3 });
}
