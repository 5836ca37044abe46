//! The request loop every client shares: rate limit → send → classify → retry.
//!
//! A client describes its service once ([`Service`]), builds an [`HttpClient`] from its
//! settings, and calls [`HttpClient::send_json`] with a closure that builds the request. Each
//! attempt first waits on the shared [`RateLimiter`], so retries are rate limited too. The
//! response is classified into a [`ProviderError`] (401 → `Unauthorized`, 404 → `NotFound`,
//! 429 → `RateLimited` with `Retry-After`, ...), and [`RetryPolicy`] decides whether and when
//! to try again. URLs in logs and errors go through [`redact_url`]; reqwest errors are stripped
//! of their URL before they are rendered, because that URL may carry a key.

mod limit;
mod redact;
mod retry;

pub use limit::RateLimiter;
pub use redact::{REDACTED, redact_url};
pub use retry::{RetryPolicy, parse_retry_after};

use crate::{ProviderError, Result};
use backon::Retryable;
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// How much of an error body ends up in an error message.
const MAX_ERROR_BODY_CHARS: usize = 300;

/// Who we are talking to, for error messages and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// Display name, e.g. `TMDB`.
    pub name: &'static str,
    /// The environment variable holding the key, named in "check your key" hints.
    pub key_env: &'static str,
    /// Query parameters whose values are secret (e.g. `api_key`).
    pub secret_params: &'static [&'static str],
}

/// Transport settings shared by every client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    /// Whole-request timeout (connect + headers + body).
    pub timeout: Duration,
    /// Requests per second across all tasks using the client.
    pub requests_per_second: u32,
    /// Retry policy for retryable failures.
    pub retry: RetryPolicy,
}

/// A reqwest client with a shared rate limiter and a retry policy. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    service: Service,
    client: reqwest::Client,
    limiter: RateLimiter,
    retry: RetryPolicy,
    timeout: Duration,
}

impl HttpClient {
    /// Builds the client; fails on a zero rate or timeout, or if TLS cannot initialise.
    pub fn new(service: Service, settings: HttpSettings) -> Result<Self> {
        let invalid = |message: String| ProviderError::InvalidConfig {
            service: service.name,
            message,
        };
        let rate = NonZeroU32::new(settings.requests_per_second)
            .ok_or_else(|| invalid("requests per second must be at least 1".into()))?;
        if settings.timeout.is_zero() {
            return Err(invalid("the request timeout must be positive".into()));
        }
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("seenemall/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| invalid(format!("cannot build the HTTP client: {}", error_chain(e))))?;
        Ok(HttpClient {
            service,
            client,
            limiter: RateLimiter::per_second(rate),
            retry: settings.retry,
            timeout: settings.timeout,
        })
    }

    /// The service this client talks to.
    pub fn service(&self) -> Service {
        self.service
    }

    /// `url` redacted for this service's secret parameters.
    pub fn redact(&self, url: &Url) -> String {
        redact_url(url, self.service.secret_params)
    }

    /// Sends the request `build` makes (once per attempt) and decodes a 2xx JSON body as `T`.
    /// `url` is the request URL, used (redacted) in logs and errors only.
    pub async fn send_json<T, F>(&self, url: &Url, build: F) -> Result<T>
    where
        T: DeserializeOwned,
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        self.send_json_before(url, None, build).await
    }

    /// Like [`HttpClient::send_json`], but a retry is only started when its wait ends before
    /// `deadline`: callers with a whole-call budget (the LLM clients) give up at once rather
    /// than sleep into a timeout. `None` means no deadline.
    pub async fn send_json_before<T, F>(
        &self,
        url: &Url,
        deadline: Option<Instant>,
        build: F,
    ) -> Result<T>
    where
        T: DeserializeOwned,
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let shown = self.redact(url);
        let this = self;
        let shown_ref = shown.as_str();
        let build = &build;
        let attempt =
            move || async move { this.attempt::<T>(shown_ref, build(&this.client)).await };
        attempt
            .retry(self.retry.backoff())
            .when(ProviderError::is_retryable)
            .adjust(|error, proposed| {
                self.retry
                    .next_delay(error, proposed)
                    .filter(|delay| deadline.is_none_or(|end| Instant::now() + *delay < end))
            })
            .notify(|error, delay| {
                tracing::warn!(
                    service = self.service.name,
                    url = %shown,
                    retry_in_ms = delay.as_millis() as u64,
                    error.message = %error,
                    "upstream call failed; retrying"
                );
            })
            .await
    }

    async fn attempt<T: DeserializeOwned>(&self, url: &str, request: RequestBuilder) -> Result<T> {
        self.limiter.ready().await;
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(e, url))?;
        let status = response.status();
        if !status.is_success() {
            return Err(self.status_error(response, url).await);
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e, url))?;
        serde_json::from_slice(&body).map_err(|e| ProviderError::Decode {
            service: self.service.name,
            url: url.to_owned(),
            message: e.to_string(),
        })
    }

    fn transport_error(&self, error: reqwest::Error, url: &str) -> ProviderError {
        if error.is_timeout() {
            return ProviderError::Timeout {
                service: self.service.name,
                url: url.to_owned(),
                timeout: self.timeout,
            };
        }
        ProviderError::Transport {
            service: self.service.name,
            url: url.to_owned(),
            message: error_chain(error),
        }
    }

    async fn status_error(&self, response: Response, url: &str) -> ProviderError {
        let status = response.status();
        let service = self.service.name;
        let url = url.to_owned();
        match status {
            StatusCode::UNAUTHORIZED => ProviderError::Unauthorized {
                service,
                env_var: self.service.key_env,
                url,
            },
            StatusCode::NOT_FOUND => ProviderError::NotFound { service, url },
            StatusCode::TOO_MANY_REQUESTS => ProviderError::RateLimited {
                service,
                url,
                retry_after: parse_retry_after(response.headers()),
            },
            _ => {
                // A failed body read only loses the detail, not the status.
                let body = response.text().await.unwrap_or_default();
                ProviderError::Status {
                    service,
                    url,
                    status: status.as_u16(),
                    message: error_message(&body),
                }
            }
        }
    }
}

/// The upstream's own message from a JSON error body (`status_message` for TMDB, `message` or
/// `error.message` elsewhere), else the body's start; truncated.
fn error_message(body: &str) -> String {
    let json: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let from_json = json.as_ref().and_then(|v| {
        v.get("status_message")
            .or_else(|| v.get("message"))
            .or_else(|| v.pointer("/error/message"))
            .and_then(|m| m.as_str())
            .map(str::to_owned)
    });
    let text = from_json.unwrap_or_else(|| body.trim().to_owned());
    if text.chars().count() > MAX_ERROR_BODY_CHARS {
        let cut: String = text.chars().take(MAX_ERROR_BODY_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// A reqwest error and its causes as one line, with the URL (which may hold a key) removed.
fn error_chain(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tmdb_error_body_yields_its_status_message() {
        let body = r#"{"success":false,"status_code":34,"status_message":"The resource you requested could not be found."}"#;
        assert_eq!(
            error_message(body),
            "The resource you requested could not be found."
        );
    }

    #[test]
    fn an_openai_style_error_body_yields_the_nested_message() {
        assert_eq!(
            error_message(r#"{"error":{"message":"overloaded"}}"#),
            "overloaded"
        );
    }

    #[test]
    fn a_long_plain_body_is_truncated() {
        let body = "x".repeat(1000);
        assert_eq!(
            error_message(&body).chars().count(),
            MAX_ERROR_BODY_CHARS + 1
        );
    }

    #[test]
    fn a_zero_rate_is_refused() {
        let service = Service {
            name: "TMDB",
            key_env: "TMDB_API_KEY",
            secret_params: &["api_key"],
        };
        let settings = HttpSettings {
            timeout: Duration::from_secs(1),
            requests_per_second: 0,
            retry: RetryPolicy::default(),
        };
        let err = HttpClient::new(service, settings).unwrap_err();
        assert!(err.to_string().contains("requests per second"), "{err}");
    }
}
