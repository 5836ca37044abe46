//! A fake JustWatch GraphQL endpoint on 127.0.0.1 for the sync tests, answering in
//! JustWatch's response shapes. Each title is mounted as a search answer (matched on the
//! `searchQuery` variable) and an offers answer (matched on the node `id` variable).

use seen_providers::http::RetryPolicy;
use seen_providers::justwatch::{JustWatchClient, JustWatchSettings};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{body_partial_json, body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One offer in the fake: `(short name, monetization type, standard web URL, price)`.
pub type FakeOffer = (&'static str, &'static str, &'static str, Option<f64>);

/// The fake server.
pub struct FakeJustWatch {
    /// The wiremock server (`reset` it to change answers between runs).
    pub server: MockServer,
}

impl FakeJustWatch {
    /// Starts an empty fake: every search finds nothing until titles are mounted.
    pub async fn start() -> Self {
        let fake = FakeJustWatch {
            server: MockServer::start().await,
        };
        fake.mount_empty_search().await;
        fake
    }

    /// Forgets every title (the catch-all empty search stays).
    pub async fn reset(&self) {
        self.server.reset().await;
        self.mount_empty_search().await;
    }

    async fn mount_empty_search(&self) {
        // Lowest priority: mounted titles answer first.
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains("query TitleSearch"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": {"searchTitles": {"edges": []}}})),
            )
            .with_priority(10)
            .mount(&self.server)
            .await;
    }

    /// Mounts a title: found by `search_query` as node `node_id` (`kind` MOVIE or SHOW,
    /// released `year`), offering `offers` in IL.
    pub async fn title(
        &self,
        search_query: &str,
        node_id: &str,
        kind: &str,
        year: i32,
        offers: &[FakeOffer],
    ) {
        let node = json!({
            "id": node_id, "objectType": kind, "objectId": 1,
            "content": {"title": search_query, "originalReleaseYear": year, "__typename": "MovieContent"},
            "__typename": if kind == "SHOW" { "Show" } else { "Movie" }
        });
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_partial_json(
                json!({"variables": {"searchQuery": search_query, "country": "IL"}}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"data": {"searchTitles": {
                    "edges": [{"node": node, "__typename": "SearchTitlesEdge"}],
                    "__typename": "SearchTitlesConnection"
                }}}),
            ))
            .mount(&self.server)
            .await;
        let offers: Vec<Value> = offers
            .iter()
            .map(|(short, kind, url, price)| {
                json!({
                    "monetizationType": kind, "presentationType": "HD",
                    "standardWebURL": url,
                    "preAffiliatedStandardWebURL": format!("https://click.justwatch.test/a?r={url}"),
                    "retailPriceValue": price, "currency": "ILS",
                    "package": {"packageId": 8, "shortName": short, "clearName": short, "__typename": "Package"},
                    "__typename": "Offer"
                })
            })
            .collect();
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_partial_json(
                json!({"variables": {"id": node_id, "platform": "WEB"}}),
            ))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"data": {"node": {
                    "__typename": if kind == "SHOW" { "Show" } else { "Movie" },
                    "objectType": kind, "objectId": 1,
                    "offers": offers
                }}})),
            )
            .mount(&self.server)
            .await;
    }

    /// Mounts a title whose search always answers 500.
    pub async fn broken(&self, search_query: &str) {
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_partial_json(
                json!({"variables": {"searchQuery": search_query}}),
            ))
            .respond_with(ResponseTemplate::new(500).set_body_string("internal error"))
            .mount(&self.server)
            .await;
    }

    /// A client for the fake: country given in lower case (stored upper-cased), 1 retry,
    /// millisecond backoff.
    pub fn client(&self) -> JustWatchClient {
        JustWatchSettings {
            endpoint: format!("{}/graphql", self.server.uri()),
            country: "il".into(),
            language: "en".into(),
            platform: "WEB".into(),
            timeout: Duration::from_secs(5),
            requests_per_second: 1000,
            retry: RetryPolicy {
                max_retries: 1,
                min_delay: Duration::from_millis(5),
                max_delay: Duration::from_millis(20),
                max_retry_after: Duration::from_secs(1),
            },
        }
        .client()
        .expect("valid test settings")
    }
}
