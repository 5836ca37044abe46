//! The JustWatch GraphQL client against a local fake speaking JustWatch's response shapes
//! (fixtures under `tests/fixtures/justwatch/`).

use seen_core::item::MediaType;
use seen_providers::ProviderError;
use seen_providers::http::RetryPolicy;
use seen_providers::justwatch::{JustWatchSettings, OfferType, Resolution, TitleQuery};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{body_partial_json, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[track_caller]
fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/justwatch/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// Settings for `server` (`/graphql`), lower-case country to prove it is upper-cased, fast
/// retries (2, 10 ms) and a 1 s timeout.
fn settings(server: &MockServer) -> JustWatchSettings {
    JustWatchSettings {
        endpoint: format!("{}/graphql", server.uri()),
        country: "il".into(),
        language: "EN".into(),
        platform: "web".into(),
        timeout: Duration::from_secs(1),
        requests_per_second: 100,
        retry: RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(1),
        },
    }
}

fn dune() -> TitleQuery {
    TitleQuery {
        title: "Dune".into(),
        media: MediaType::Movie,
        release_year: Some(2021),
    }
}

fn search_mock() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query TitleSearch"))
}

fn offers_mock() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query TitleOffers"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("requests are JSON"))
        .collect()
}

#[tokio::test]
async fn a_lookup_sends_the_originals_operations_and_variables() {
    let server = MockServer::start().await;
    search_mock()
        .and(header(
            "user-agent",
            "SeenemAll/JustWatchSync (https://github.com/natanayalo/Seen-emAll)",
        ))
        .and(body_partial_json(json!({"variables": {
            "country": "IL", "language": "en", "source": "WEBAPP",
            "searchQuery": "Dune", "first": 5, "objectTypes": ["MOVIE"]
        }})))
        .respond_with(ok(fixture("search_dune.json")))
        .expect(1)
        .mount(&server)
        .await;
    offers_mock()
        .and(body_partial_json(json!({"variables": {
            "id": "tm453569", "country": "IL", "language": "en", "platform": "WEB"
        }})))
        .respond_with(ok(fixture("offers_dune.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let resolution = client.resolve(&dune()).await.expect("lookup");

    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    let search_query = sent[0]["query"].as_str().expect("query text");
    assert!(search_query.contains("searchTitles("), "{search_query}");
    assert!(
        search_query.contains("filter: {searchQuery: $searchQuery, includeTitlesWithoutUrl: true, objectTypes: $objectTypes}"),
        "{search_query}"
    );
    let offers_query = sent[1]["query"].as_str().expect("query text");
    assert!(
        offers_query.contains("... on MovieOrShowOrSeason"),
        "{offers_query}"
    );
    assert!(
        offers_query.contains(
            "offers(country: $country, platform: $platform, filter: {preAffiliate: true})"
        ),
        "{offers_query}"
    );
    let Resolution::Matched { candidate, offers } = resolution else {
        panic!("Dune (2021) is in the search results: {resolution:?}");
    };
    assert_eq!(candidate.id, "tm453569");
    assert_eq!(candidate.release_year, Some(2021));
    // HD and 4K Netflix collapse to one row; SD rent beats HD rent on price; cinema dropped.
    let summary: Vec<(&str, OfferType, Option<f64>)> = offers
        .iter()
        .map(|o| (o.service.as_str(), o.offer_type, o.price))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("nfx", OfferType::Flatrate, None),
            ("itu", OfferType::Rent, Some(14.9)),
        ]
    );
    assert!(
        offers[0]
            .deeplink
            .as_deref()
            .is_some_and(|d| d.starts_with("https://click.justwatch.com/"))
    );
    assert_eq!(
        offers[0].web_url.as_deref(),
        Some("https://www.netflix.com/title/81215567")
    );
    assert_eq!(offers[1].currency.as_deref(), Some("ILS"));
}

#[tokio::test]
async fn a_tv_title_is_searched_among_shows() {
    let server = MockServer::start().await;
    search_mock()
        .and(body_partial_json(
            json!({"variables": {"objectTypes": ["SHOW"], "searchQuery": "Fauda"}}),
        ))
        .respond_with(ok(json!({"data": {"searchTitles": {"edges": []}}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let candidates = client
        .search("  Fauda ", MediaType::Tv)
        .await
        .expect("search");

    assert!(candidates.is_empty());
}

#[tokio::test]
async fn no_acceptable_candidate_is_no_match_and_no_offers_request() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ok(fixture("search_dune.json")))
        .expect(1)
        .mount(&server)
        .await;
    offers_mock()
        .respond_with(ok(fixture("offers_dune.json")))
        .expect(0)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");
    // Only "Dune" (1984, 2021) and "Dune: Part Two" exist: a 2010 Dune is none of them.
    let query = TitleQuery {
        release_year: Some(2010),
        ..dune()
    };

    let resolution = client.resolve(&query).await.expect("lookup");

    assert_eq!(resolution, Resolution::NoMatch { candidates: 3 });
}

#[tokio::test]
async fn among_several_candidates_the_year_decides_and_the_choice_is_stable() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ok(fixture("search_dune.json")))
        .mount(&server)
        .await;
    offers_mock()
        .respond_with(ok(
            json!({"data": {"node": {"__typename": "Movie", "offers": []}}}),
        ))
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let mut ids = Vec::new();
    for year in [Some(1984), Some(1985), Some(2021), None, None] {
        let query = TitleQuery {
            release_year: year,
            ..dune()
        };
        match client.resolve(&query).await.expect("lookup") {
            Resolution::Matched { candidate, offers } => {
                assert!(offers.is_empty());
                ids.push(candidate.id);
            }
            other @ Resolution::NoMatch { .. } => panic!("{year:?}: {other:?}"),
        }
    }

    // Without a year both Dunes tie, and the earlier one in JustWatch's order wins, every time.
    assert_eq!(
        ids,
        ["tm139397", "tm139397", "tm453569", "tm139397", "tm139397"]
    );
}

#[tokio::test]
async fn a_graphql_error_is_reported_with_its_message_and_not_retried() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ok(fixture("graphql_error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let error = client.resolve(&dune()).await.expect_err("GraphQL error");

    assert!(matches!(error, ProviderError::GraphQl { .. }), "{error:?}");
    assert_eq!(error.reason(), "graphql_error");
    assert!(
        error.to_string().contains("got invalid value \"XX\""),
        "{error}"
    );
}

#[tokio::test]
async fn an_offers_failure_is_an_error_not_an_empty_offer_list() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ok(fixture("search_dune.json")))
        .mount(&server)
        .await;
    offers_mock()
        .respond_with(ok(
            json!({"errors": [{"message": "node failed"}], "data": {"node": null}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let error = client.resolve(&dune()).await.expect_err("offers failed");

    assert!(error.to_string().contains("node failed"), "{error}");
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_and_then_succeeds() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    search_mock()
        .respond_with(ok(fixture("search_dune.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let candidates = client
        .search("Dune", MediaType::Movie)
        .await
        .expect("retried");

    assert_eq!(candidates.len(), 3);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn a_5xx_that_persists_fails_after_the_retries() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .expect(3)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let error = client
        .search("Dune", MediaType::Movie)
        .await
        .expect_err("503");

    assert!(
        matches!(error, ProviderError::Status { status: 503, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let server = MockServer::start().await;
    search_mock()
        .respond_with(ok(fixture("search_dune.json")).set_delay(Duration::from_secs(3)))
        .expect(3)
        .mount(&server)
        .await;
    let client = settings(&server).client().expect("valid settings");

    let error = client
        .search("Dune", MediaType::Movie)
        .await
        .expect_err("too slow");

    assert!(matches!(error, ProviderError::Timeout { .. }), "{error:?}");
    assert_eq!(error.reason(), "timeout");
}

#[tokio::test]
async fn a_bad_endpoint_or_country_is_refused_before_any_request() {
    let server = MockServer::start().await;
    let mut bad_url = settings(&server);
    bad_url.endpoint = "apis.justwatch.com/graphql".into();
    let mut bad_country = settings(&server);
    bad_country.country = "Israel".into();

    let url_error = bad_url.client().expect_err("no scheme");
    let country_error = bad_country.client().expect_err("not a code");

    assert!(
        matches!(url_error, ProviderError::InvalidConfig { .. }),
        "{url_error:?}"
    );
    assert!(
        url_error.to_string().contains("JUSTWATCH_ENDPOINT"),
        "{url_error}"
    );
    assert!(
        country_error.to_string().contains("JUSTWATCH_COUNTRY"),
        "{country_error}"
    );
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}
