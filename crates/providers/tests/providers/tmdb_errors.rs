//! How the TMDB client fails: which statuses are retried, which are not, and what the error says.

use crate::helpers::{KEY, fixture, settings};
use seen_core::item::MediaType;
use seen_providers::ProviderError;
use seen_providers::tmdb::ListKind;
use std::time::{Duration, Instant};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[track_caller]
fn assert_no_key(error: &ProviderError) {
    let text = format!("{error} {error:?}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
}

#[tokio::test]
async fn a_missing_key_fails_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let error = settings(&server, "")
        .client()
        .expect_err("an empty key must be refused");

    assert!(
        matches!(error, ProviderError::MissingApiKey { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("TMDB_API_KEY"), "{error}");
}

#[tokio::test]
async fn a_rejected_key_is_a_clear_error_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(fixture("error_401.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let error = client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect_err("401");

    assert!(
        matches!(error, ProviderError::Unauthorized { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("TMDB rejected the API key"),
        "{error}"
    );
    assert!(error.to_string().contains("api_key=REDACTED"), "{error}");
    assert_no_key(&error);
}

#[tokio::test]
async fn a_missing_title_is_not_found_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/movie/999999999"))
        .respond_with(ResponseTemplate::new(404).set_body_json(fixture("error_404.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let error = client
        .details(MediaType::Movie, 999_999_999)
        .await
        .expect_err("404");

    assert!(matches!(error, ProviderError::NotFound { .. }), "{error:?}");
    assert_no_key(&error);
}

#[tokio::test]
async fn a_429_with_retry_after_waits_as_asked_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(fixture("error_429.json")),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("movie_details.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");
    let start = Instant::now();

    let details = client
        .details(MediaType::Movie, 603)
        .await
        .expect("retried to success");

    assert_eq!(details["id"], 603);
    // The backoff alone is 10 ms: a wait of a second can only come from Retry-After.
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_server_error_then_success_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("movie_popular_page1.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let page = client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect("retried");

    assert_eq!(page.ids.len(), 3);
}

#[tokio::test]
async fn a_persistent_server_error_gives_up_after_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_json(serde_json::json!({
            "status_code": 9, "status_message": "Service offline - try again later."
        })))
        .expect(3)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let error = client
        .details(MediaType::Tv, 1399)
        .await
        .expect_err("still 503");

    assert!(
        matches!(error, ProviderError::Status { status: 503, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("Service offline"), "{error}");
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout_after_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("movie_details.json"))
                .set_delay(Duration::from_secs(3)),
        )
        .expect(2)
        .mount(&server)
        .await;
    let mut settings = settings(&server, KEY);
    settings.timeout = Duration::from_millis(200);
    settings.retry.max_retries = 1;
    let client = settings.client().expect("valid settings");

    let error = client
        .details(MediaType::Movie, 603)
        .await
        .expect_err("too slow");

    assert!(matches!(error, ProviderError::Timeout { .. }), "{error:?}");
    assert_no_key(&error);
}

#[tokio::test]
async fn a_malformed_body_is_a_typed_error_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"page\": 1, \"results\": ["))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let error = client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect_err("bad JSON");

    assert!(matches!(error, ProviderError::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([1, 2])))
        .expect(2)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let list = client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect_err("not a page");
    let details = client
        .details(MediaType::Movie, 603)
        .await
        .expect_err("not an object");

    assert!(matches!(list, ProviderError::Decode { .. }), "{list:?}");
    assert!(
        matches!(details, ProviderError::Decode { .. }),
        "{details:?}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error_without_the_key() {
    // Bind then drop a listener: nothing listens on that port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = MockServer::start().await;
    let mut settings = settings(&server, KEY);
    settings.base_url = format!("http://127.0.0.1:{port}");
    let client = settings.client().expect("valid settings");

    let error = client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect_err("refused");

    assert!(
        matches!(error, ProviderError::Transport { .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_no_key(&error);
}

#[tokio::test]
async fn a_base_url_that_is_not_http_is_refused_up_front() {
    let server = MockServer::start().await;
    let mut settings = settings(&server, KEY);
    settings.base_url = "api.themoviedb.org/3".into();

    let error = settings.client().expect_err("not a URL");

    assert!(
        matches!(error, ProviderError::InvalidConfig { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("TMDB_BASE_URL"), "{error}");
}
