//! A fake TMDB on 127.0.0.1 for the sync tests: two pages per list, real response shapes
//! (details are the provider fixtures with id and title swapped), one title whose details 404.
//! Every route requires the test key, so a request without it falls through to a 404.

use seen_core::item::MediaType;
use seen_providers::http::RetryPolicy;
use seen_providers::tmdb::{TmdbClient, TmdbSettings};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key the fake requires.
pub const KEY: &str = "sync-test-key";
/// The listed TV title whose details answer 404.
pub const MISSING_TV: i32 = 999;

/// `(route, page 1 ids, page 2 ids)`; `"x"` is an unusable id that still takes a position.
pub fn lists() -> Vec<(&'static str, Vec<Value>, Vec<Value>)> {
    vec![
        (
            "/movie/popular",
            vec![json!(101), json!(102)],
            vec![json!(103), json!("x")],
        ),
        (
            "/movie/top_rated",
            vec![json!(104), json!(101)],
            vec![json!(105)],
        ),
        (
            "/trending/movie/day",
            vec![json!(102), json!(106)],
            vec![json!(101)],
        ),
        (
            "/tv/popular",
            vec![json!(101), json!(201)],
            vec![json!(202)],
        ),
        ("/tv/top_rated", vec![json!(203)], vec![json!(201)]),
        (
            "/trending/tv/day",
            vec![json!(204)],
            vec![json!(MISSING_TV)],
        ),
    ]
}

/// Every title the lists name, with its media type.
pub fn titles() -> Vec<(MediaType, i32)> {
    let mut keys = Vec::new();
    for (route, p1, p2) in lists() {
        let media = if route.contains("movie") {
            MediaType::Movie
        } else {
            MediaType::Tv
        };
        for id in p1.iter().chain(&p2).filter_map(Value::as_i64) {
            let key = (media, i32::try_from(id).expect("small test ids"));
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// The fake server.
pub struct FakeTmdb {
    /// The wiremock server (inspect `received_requests`).
    pub server: MockServer,
}

impl FakeTmdb {
    /// Starts the fake with every list and detail route mounted.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        for (route, p1, p2) in lists() {
            for (page, ids) in [(1, p1.clone()), (2, p2)] {
                Mock::given(method("GET"))
                    .and(path(route))
                    .and(query_param("page", page.to_string().as_str()))
                    .and(query_param("api_key", KEY))
                    .respond_with(ResponseTemplate::new(200).set_body_json(list_page(page, &ids)))
                    .mount(&server)
                    .await;
            }
        }
        for (media, id) in titles() {
            let route = format!("/{}/{id}", media.as_str());
            let response = if (media, id) == (MediaType::Tv, MISSING_TV) {
                ResponseTemplate::new(404).set_body_json(json!({
                    "success": false, "status_code": 34,
                    "status_message": "The resource you requested could not be found."
                }))
            } else {
                ResponseTemplate::new(200).set_body_json(details(media, id))
            };
            Mock::given(method("GET"))
                .and(path(route.as_str()))
                .and(query_param("language", "en-US"))
                .and(query_param("api_key", KEY))
                .respond_with(response)
                .mount(&server)
                .await;
        }
        FakeTmdb { server }
    }

    /// A client for the fake with fast retries.
    pub fn client(&self) -> TmdbClient {
        client_for(&self.server.uri())
    }

    /// `(path, page)` of every list request received, in order.
    pub async fn list_requests(&self) -> Vec<(String, u32)> {
        self.requests()
            .await
            .into_iter()
            .filter_map(|(p, page)| page.map(|page| (p, page)))
            .collect()
    }

    /// Paths of every detail request received.
    pub async fn detail_requests(&self) -> Vec<String> {
        self.requests()
            .await
            .into_iter()
            .filter(|(_, page)| page.is_none())
            .map(|(p, _)| p)
            .collect()
    }

    async fn requests(&self) -> Vec<(String, Option<u32>)> {
        let received = self
            .server
            .received_requests()
            .await
            .expect("request recording is on");
        received
            .iter()
            .map(|r| {
                let page = r
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == "page")
                    .and_then(|(_, v)| v.parse().ok());
                (r.url.path().to_owned(), page)
            })
            .collect()
    }
}

/// A client for `base_url` with the test key, 1 retry and millisecond backoff.
pub fn client_for(base_url: &str) -> TmdbClient {
    let mut settings = TmdbSettings::new(KEY);
    settings.base_url = base_url.to_owned();
    settings.timeout = Duration::from_secs(5);
    settings.requests_per_second = 1000;
    settings.retry = RetryPolicy {
        max_retries: 1,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
    };
    settings.client().expect("valid test settings")
}

/// A list page in TMDB's shape (the fake claims 500 pages, as TMDB does).
pub fn list_page(page: u32, ids: &[Value]) -> Value {
    let results: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "title": format!("Title {id}"), "popularity": 10.0, "adult": false}))
        .collect();
    json!({"page": page, "results": results, "total_pages": 500, "total_results": 10000})
}

/// The provider fixture for `media` with `id` and title swapped in.
pub fn details(media: MediaType, id: i32) -> Value {
    let file = match media {
        MediaType::Movie => "movie_details.json",
        MediaType::Tv => "tv_details.json",
    };
    let path = format!(
        "{}/../providers/tests/fixtures/tmdb/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut body: Value = serde_json::from_str(&text).expect("fixture is JSON");
    body["id"] = json!(id);
    let title_key = if media == MediaType::Movie {
        "title"
    } else {
        "name"
    };
    body[title_key] = json!(format!("{} {id}", media.as_str()));
    body
}
