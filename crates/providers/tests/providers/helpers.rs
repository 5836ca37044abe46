//! Fixtures and settings for the fake upstreams.

use seen_providers::http::RetryPolicy;
use seen_providers::tmdb::TmdbSettings;
use serde_json::Value;
use std::time::Duration;
use wiremock::MockServer;

/// The v3 key the tests configure; no error text may contain it.
pub const KEY: &str = "v3-test-key-0123456789abcdef";

/// A TMDB fixture file, parsed.
#[track_caller]
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/tmdb/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// Settings pointing at `server` with fast retries (2 retries, 10 ms backoff) and a 2 s timeout.
pub fn settings(server: &MockServer, key: &str) -> TmdbSettings {
    let mut settings = TmdbSettings::new(key);
    settings.base_url = server.uri();
    settings.timeout = Duration::from_secs(2);
    settings.requests_per_second = 100;
    settings.retry = RetryPolicy {
        max_retries: 2,
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    };
    settings
}
