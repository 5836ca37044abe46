//! Retry policy: exponential backoff with jitter, and the server's `Retry-After` when it sends one.

use crate::ProviderError;
use backon::ExponentialBuilder;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::Duration;

/// How often and how patiently a client retries a retryable failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = one attempt only).
    pub max_retries: usize,
    /// First backoff delay; each later one doubles, with jitter.
    pub min_delay: Duration,
    /// Upper bound of one backoff delay.
    pub max_delay: Duration,
    /// Upper bound on a server's `Retry-After`, so a hostile or buggy value cannot stall a job.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 4 retries, 500 ms doubling to at most 30 s, `Retry-After` honoured up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The backon backoff for this policy.
    pub fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries)
            .with_jitter()
    }

    /// The wait before the next attempt: `None` when retries are exhausted, the server's
    /// `Retry-After` (capped) when the error carries one, else the backoff's proposal.
    pub fn next_delay(
        &self,
        error: &ProviderError,
        proposed: Option<Duration>,
    ) -> Option<Duration> {
        let backoff = proposed?;
        Some(match error.retry_after() {
            Some(asked) => asked.min(self.max_retry_after),
            None => backoff,
        })
    }
}

/// Parses a `Retry-After` header given in delta-seconds (what TMDB and OpenAI send).
/// An HTTP-date or garbage yields `None`, and the backoff decides instead.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Some servers send fractional seconds.
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(
            RETRY_AFTER,
            HeaderValue::from_str(value).expect("test header is ASCII"),
        );
        map
    }

    fn rate_limited(retry_after: Option<Duration>) -> ProviderError {
        ProviderError::RateLimited {
            service: "TMDB",
            url: "u".into(),
            retry_after,
        }
    }

    #[test]
    fn retry_after_in_whole_seconds_is_parsed() {
        assert_eq!(
            parse_retry_after(&headers("3")),
            Some(Duration::from_secs(3))
        );
        assert_eq!(parse_retry_after(&headers(" 0 ")), Some(Duration::ZERO));
    }

    #[test]
    fn fractional_retry_after_is_parsed() {
        assert_eq!(
            parse_retry_after(&headers("1.5")),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn an_http_date_or_garbage_retry_after_is_ignored() {
        assert_eq!(
            parse_retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(&headers("-4")), None);
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn the_servers_retry_after_replaces_the_backoff_delay() {
        let policy = RetryPolicy::default();
        let err = rate_limited(Some(Duration::from_secs(2)));
        assert_eq!(
            policy.next_delay(&err, Some(Duration::from_millis(500))),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_huge_retry_after_is_capped() {
        let policy = RetryPolicy::default();
        let err = rate_limited(Some(Duration::from_secs(86_400)));
        assert_eq!(
            policy.next_delay(&err, Some(Duration::from_millis(500))),
            Some(policy.max_retry_after)
        );
    }

    #[test]
    fn no_retry_is_left_once_the_backoff_is_exhausted_even_with_retry_after() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.next_delay(&rate_limited(Some(Duration::from_secs(1))), None),
            None
        );
    }

    #[test]
    fn without_retry_after_the_backoff_delay_is_kept() {
        let policy = RetryPolicy::default();
        let proposed = Some(Duration::from_millis(750));
        assert_eq!(policy.next_delay(&rate_limited(None), proposed), proposed);
    }
}
