//! `POST /webhooks/jellyfin` and `POST /webhooks/plex` with the real payload shapes (the
//! Jellyfin webhook plugin's JSON, Plex's multipart form): the history rows they write, the
//! token rule (404 when `WEBHOOK_TOKEN` is unset, 401 without it) and de-duplication.

use crate::helpers::{TestApp, Title, seed};
use reqwest::Response;
use serde_json::{Value, json};
use sqlx::PgPool;

const TOKEN: &str = "hook-s3cret";

fn title(tmdb_id: i32, media: &'static str, name: &'static str, year: i32) -> Title {
    Title {
        media,
        year: Some(year),
        ..Title::movie(tmdb_id, name, "A fixture title.", &["Drama"])
    }
}

/// The app with webhooks on and a catalog holding Amélie, Se7en and both Offices.
async fn spawn(pool: PgPool) -> (TestApp, Vec<i32>) {
    let app = TestApp::spawn_with(
        pool,
        &[
            "--webhook-token",
            TOKEN,
            "--webhook-users",
            "marie=home::marie, Léo=home::kids",
        ],
    )
    .await;
    let ids = seed(
        &app.pool,
        &app.embedder,
        &[
            title(194, "movie", "Amélie", 2001),
            title(807, "movie", "Se7en", 1995),
            title(2316, "tv", "The Office", 2005),
            title(2996, "tv", "The Office", 2001),
        ],
    )
    .await;
    (app, ids)
}

/// A movie played to the end, as the plugin's "Send All Properties" writes it.
fn playback_stop(user: &str, tmdb: &str, at: &str) -> Value {
    json!({
        "ServerId": "8a4f0e4b", "ServerName": "living-room", "ServerVersion": "10.9.7",
        "ServerUrl": "http://jellyfin.local:8096", "NotificationType": "PlaybackStop",
        "Timestamp": at, "UtcTimestamp": at, "Name": "Amélie", "Overview": "At a tiny Parisian café...",
        "Tagline": "", "ItemId": "3f8c1c1e9e6a4e0b9e0c1a2b3c4d5e6f", "ItemType": "Movie",
        "RunTimeTicks": 73_200_000_000_i64, "RunTime": "02:02:00", "Year": 2001,
        "PremiereDate": "2001-04-25", "Provider_tmdb": tmdb, "Provider_imdb": "tt0211915",
        "PlaybackPositionTicks": 73_100_000_000_i64, "PlaybackPosition": "02:01:50",
        "MediaSourceId": "3f8c", "IsPaused": false, "IsAutomated": false, "DeviceId": "abc",
        "DeviceName": "Firefox", "ClientName": "Jellyfin Web", "PlayedToCompletion": true,
        "Username": user, "UserId": "5d1f"
    })
}

async fn jellyfin(
    app: &TestApp,
    token: Option<&str>,
    query: &[(&str, &str)],
    body: &Value,
) -> Response {
    let mut req = app
        .client
        .post(app.url("/webhooks/jellyfin"))
        .query(query)
        .json(body);
    if let Some(t) = token {
        req = req.header("X-Webhook-Token", t);
    }
    req.send().await.expect("request sent")
}

/// Plex's form: the JSON `payload` part and a JPEG `thumb` part.
async fn plex(app: &TestApp, query: &[(&str, &str)], payload: &Value) -> Response {
    let boundary = "------------------------4a5e3b0f1d2c3b4a";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/json\r\n\r\n{payload}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"image.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(&[
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0xFF, 0xD9,
    ]);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.client
        .post(app.url("/webhooks/plex"))
        .query(query)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("request sent")
}

async fn json_of(resp: Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

async fn rows(pool: &PgPool) -> Vec<(String, i32, String)> {
    sqlx::query_as("SELECT user_id, item_id, event_type FROM user_history ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("history rows")
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn without_a_webhook_token_the_endpoints_are_not_there(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (status, body) = json_of(
        jellyfin(
            &app,
            Some("anything"),
            &[],
            &playback_stop("marie", "194", "2024-05-01T19:30:00.0000000Z"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = json_of(
        plex(
            &app,
            &[("token", "anything")],
            &json!({"event": "media.scrobble"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    assert!(rows(&app.pool).await.is_empty());
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn jellyfin_viewings_and_favourites_are_recorded_once_per_day(pool: PgPool) {
    let (app, ids) = spawn(pool).await;
    let stop = playback_stop("marie", "194", "2024-05-01T19:30:00.0000000Z");

    let (status, body) = json_of(jellyfin(&app, None, &[], &stop).await).await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = json_of(jellyfin(&app, Some("wrong"), &[], &stop).await).await;
    assert_eq!(status, 401);

    let (status, first) = json_of(jellyfin(&app, Some(TOKEN), &[], &stop).await).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["recorded"], true, "{first}");
    assert_eq!(first["user_id"], "home::marie");
    assert_eq!(first["item_id"], ids[0]);

    // The same delivery again, and the UserDataSaved Jellyfin sends for the same viewing.
    let (_, again) = json_of(jellyfin(&app, Some(TOKEN), &[], &stop).await).await;
    assert_eq!(again["recorded"], false, "{again}");
    let saved = json!({"NotificationType": "UserDataSaved", "ItemType": "Movie", "Name": "Amélie",
        "Year": 2001, "Provider_tmdb": "194", "Played": true, "Favorite": false, "PlayCount": 1,
        "SaveReason": "PlaybackFinished", "NotificationUsername": "marie",
        "UtcTimestamp": "2024-05-01T19:30:02.0000000Z"});
    let (_, dup) = json_of(jellyfin(&app, Some(TOKEN), &[], &saved).await).await;
    assert_eq!(dup["recorded"], false, "{dup}");

    // A favourite is a like; an episode counts as its series, told apart by the series' year.
    let favourite = json!({"NotificationType": "UserDataSaved", "ItemType": "Movie", "Name": "Se7en",
        "Year": 1995, "Provider_tmdb": "807", "Favorite": true, "SaveReason": "UpdateUserRating",
        "NotificationUsername": "Marie", "UtcTimestamp": "2024-05-02T10:00:00.0000000Z"});
    let (_, liked) = json_of(jellyfin(&app, Some(TOKEN), &[], &favourite).await).await;
    assert_eq!(
        (liked["recorded"].as_bool(), liked["event"].as_str()),
        (Some(true), Some("liked")),
        "{liked}"
    );
    let episode = json!({"NotificationType": "PlaybackStop", "ItemType": "Episode", "Name": "Diversity Day",
        "SeriesName": "The Office", "Year": 2001, "Provider_tmdb": "1", "PlayedToCompletion": true,
        "Username": "Léo", "UtcTimestamp": "2024-05-02T18:00:00.0000000Z"});
    let (_, ep) = json_of(jellyfin(&app, Some(TOKEN), &[], &episode).await).await;
    assert_eq!(
        (ep["user_id"].as_str(), ep["item_id"].as_i64()),
        (Some("home::kids"), Some(i64::from(ids[3]))),
        "{ep}"
    );

    // Half a film, and a user nobody mapped: answered, not recorded.
    let mut half = stop.clone();
    half["PlayedToCompletion"] = json!(false);
    let (status, ignored) = json_of(jellyfin(&app, Some(TOKEN), &[], &half).await).await;
    assert_eq!((status, ignored["recorded"].as_bool()), (200, Some(false)));
    let (_, stranger) = json_of(
        jellyfin(
            &app,
            Some(TOKEN),
            &[],
            &playback_stop("eve", "807", "2024-05-01T19:30:00Z"),
        )
        .await,
    )
    .await;
    assert!(
        stranger["ignored"]
            .as_str()
            .unwrap_or_default()
            .contains("not mapped"),
        "{stranger}"
    );

    assert_eq!(
        rows(&app.pool).await,
        [
            ("home::marie".to_owned(), ids[0], "watched".to_owned()),
            ("home::marie".to_owned(), ids[1], "liked".to_owned()),
            ("home::kids".to_owned(), ids[3], "watched".to_owned()),
        ]
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn plex_scrobbles_and_ratings_from_its_multipart_form_are_recorded_once(pool: PgPool) {
    let (app, ids) = spawn(pool).await;
    let scrobble = json!({
        "event": "media.scrobble", "user": true, "owner": true,
        "Account": {"id": 1, "thumb": "https://plex.tv/users/1/avatar", "title": "someone"},
        "Server": {"title": "living-room", "uuid": "54664a3d8acc39983675640ec9ce00b70af9cc36"},
        "Player": {"local": true, "publicAddress": "200.200.200.200", "title": "Plex Web (Firefox)", "uuid": "r6yfkdnfggbh2bdnvkffwbms"},
        "Metadata": {"librarySectionType": "movie", "ratingKey": "1936", "key": "/library/metadata/1936",
            "guid": "plex://movie/5d776830880197001ec90b58", "type": "movie", "title": "Se7en", "year": 1995,
            "lastViewedAt": 1_714_591_800,
            "Guid": [{"id": "imdb://tt0114369"}, {"id": "tmdb://807"}, {"id": "tvdb://1234"}]}
    });
    let url_user = [("token", TOKEN), ("user_id", "den"), ("profile", "couch")];

    let (status, body) = json_of(plex(&app, &[("user_id", "den")], &scrobble).await).await;
    assert_eq!(status, 401, "{body}");
    let (status, first) = json_of(plex(&app, &url_user, &scrobble).await).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["recorded"].as_bool(), first["user_id"].as_str()),
        (Some(true), Some("den::couch")),
        "{first}"
    );
    let (_, again) = json_of(plex(&app, &url_user, &scrobble).await).await;
    assert_eq!(again["recorded"], false, "{again}");

    let mut rate = scrobble.clone();
    rate["event"] = json!("media.rate");
    rate["Metadata"]["userRating"] = json!(2.0);
    rate["Metadata"]["lastRatedAt"] = json!(1_714_600_000);
    let (_, rated) = json_of(plex(&app, &url_user, &rate).await).await;
    assert_eq!(rated["event"], "disliked", "{rated}");

    // An episode names its show but no year: two Offices, so nothing is guessed.
    let episode = json!({"event": "media.scrobble", "Account": {"title": "someone"},
        "Metadata": {"type": "episode", "title": "Diversity Day", "grandparentTitle": "The Office",
        "parentIndex": 1, "index": 2, "Guid": [{"id": "imdb://tt0664514"}]}});
    let (status, ep) = json_of(plex(&app, &url_user, &episode).await).await;
    assert_eq!(status, 200);
    assert!(
        ep["ignored"]
            .as_str()
            .unwrap_or_default()
            .contains("ambiguous"),
        "{ep}"
    );

    let (status, _) = json_of(
        app.client
            .post(app.url("/webhooks/plex"))
            .query(&url_user)
            .json(&scrobble)
            .send()
            .await
            .expect("request sent"),
    )
    .await;
    assert_eq!(status, 422, "JSON instead of Plex's form");

    assert_eq!(
        rows(&app.pool).await,
        [
            ("den::couch".to_owned(), ids[1], "watched".to_owned()),
            ("den::couch".to_owned(), ids[1], "disliked".to_owned()),
        ]
    );
}
