//! JustWatch client settings.

use super::JustWatchClient;
use crate::Result;
use crate::http::RetryPolicy;
use std::time::Duration;

/// JustWatch's public GraphQL endpoint (unofficial, unauthenticated).
pub const DEFAULT_ENDPOINT: &str = "https://apis.justwatch.com/graphql";

/// Settings for [`JustWatchClient`].
#[derive(Debug, Clone)]
pub struct JustWatchSettings {
    /// GraphQL endpoint; tests point it at a local fake.
    pub endpoint: String,
    /// ISO 3166-1 country, upper-cased when the client is built (`IL`).
    pub country: String,
    /// Content language, lower-cased when the client is built (`en`).
    pub language: String,
    /// Offer platform, upper-cased when the client is built (`WEB`).
    pub platform: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Requests per second across every task sharing the client. Each title costs two.
    pub requests_per_second: u32,
    /// Retry policy for 429, 5xx, timeouts and connection errors.
    pub retry: RetryPolicy,
}

impl Default for JustWatchSettings {
    /// The original's defaults (`IL`, `en`, `WEB`, 15 s), 5 requests/s, 4 retries.
    fn default() -> Self {
        JustWatchSettings {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            country: "IL".to_owned(),
            language: "en".to_owned(),
            platform: "WEB".to_owned(),
            timeout: Duration::from_secs(15),
            requests_per_second: 5,
            retry: RetryPolicy::default(),
        }
    }
}

impl JustWatchSettings {
    /// Builds the client. Fails (before any request) on an endpoint that is not an http(s)
    /// URL, a country that is not two or three letters, a blank language or platform, or an
    /// unusable rate or timeout.
    pub fn client(&self) -> Result<JustWatchClient> {
        JustWatchClient::new(self)
    }
}
