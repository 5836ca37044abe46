//! The one error type of the outbound clients.
//!
//! Every message names the service and a redacted URL (never a key) and, where the operator can
//! fix something, says what. [`ProviderError::is_retryable`] is the retry class the shared
//! [`crate::http`] loop uses.

use std::time::Duration;
use thiserror::Error;

/// Everything that can go wrong calling an upstream API.
#[derive(Debug, Error)]
pub enum ProviderError {
    /// No key configured: raised when the client is built, before any request.
    #[error("{service} API key is missing. Hint: set {env_var}")]
    MissingApiKey {
        /// Upstream name, e.g. `TMDB`.
        service: &'static str,
        /// The environment variable that holds the key.
        env_var: &'static str,
    },
    /// A setting is unusable (bad base URL, zero rate limit, ...).
    #[error("invalid {service} settings: {message}")]
    InvalidConfig {
        /// Upstream name.
        service: &'static str,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// HTTP 401: the key was refused. Never retried.
    #[error("{service} rejected the API key (HTTP 401 for {url}). Hint: check {env_var}")]
    Unauthorized {
        /// Upstream name.
        service: &'static str,
        /// The environment variable that holds the key.
        env_var: &'static str,
        /// Redacted request URL.
        url: String,
    },
    /// HTTP 404: the resource does not exist. Never retried.
    #[error("{service} has no such resource (HTTP 404 for {url})")]
    NotFound {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
    },
    /// HTTP 429 on the last attempt.
    #[error("{service} rate limit still exceeded after retries (HTTP 429 for {url})")]
    RateLimited {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
        /// The `Retry-After` the server asked for, when it sent one in seconds.
        retry_after: Option<Duration>,
    },
    /// Any other non-2xx status. 5xx is retried, 4xx is not.
    #[error("{service} answered HTTP {status} for {url}: {message}")]
    Status {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The upstream's own error message (truncated), or the body's start.
        message: String,
    },
    /// No complete answer within the per-request timeout.
    #[error("{service} did not answer within {timeout:?} ({url})")]
    Timeout {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
        /// The per-request timeout that expired.
        timeout: Duration,
    },
    /// Connection refused or reset, DNS failure, TLS failure, body cut short.
    #[error("cannot reach {service} ({url}): {message}")]
    Transport {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
        /// The transport error chain, with URLs stripped.
        message: String,
    },
    /// A 2xx GraphQL response carrying `errors` (JustWatch). Never retried: the query or its
    /// variables are wrong, and asking again gives the same answer.
    #[error("{service} answered with a GraphQL error for {url}: {message}")]
    GraphQl {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
        /// The first error's `message`.
        message: String,
    },
    /// A 2xx whose body is not the JSON we expect.
    #[error("{service} sent a malformed response for {url}: {message}")]
    Decode {
        /// Upstream name.
        service: &'static str,
        /// Redacted request URL.
        url: String,
        /// The parser's complaint.
        message: String,
    },
}

impl ProviderError {
    /// True for the failures worth another attempt: 429, 5xx, timeouts and transport errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            ProviderError::RateLimited { .. }
            | ProviderError::Timeout { .. }
            | ProviderError::Transport { .. } => true,
            ProviderError::Status { status, .. } => *status >= 500,
            ProviderError::MissingApiKey { .. }
            | ProviderError::InvalidConfig { .. }
            | ProviderError::Unauthorized { .. }
            | ProviderError::NotFound { .. }
            | ProviderError::GraphQl { .. }
            | ProviderError::Decode { .. } => false,
        }
    }

    /// The wait the server asked for (`Retry-After` on a 429), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after, .. } => *retry_after,
            ProviderError::MissingApiKey { .. }
            | ProviderError::InvalidConfig { .. }
            | ProviderError::Unauthorized { .. }
            | ProviderError::NotFound { .. }
            | ProviderError::Status { .. }
            | ProviderError::Timeout { .. }
            | ProviderError::Transport { .. }
            | ProviderError::GraphQl { .. }
            | ProviderError::Decode { .. } => None,
        }
    }

    /// A short, stable label for counting failures by reason (`not_found`, `timeout`, ...).
    pub fn reason(&self) -> &'static str {
        match self {
            ProviderError::MissingApiKey { .. } => "missing_api_key",
            ProviderError::InvalidConfig { .. } => "invalid_config",
            ProviderError::Unauthorized { .. } => "unauthorized",
            ProviderError::NotFound { .. } => "not_found",
            ProviderError::RateLimited { .. } => "rate_limited",
            ProviderError::Status { status, .. } if *status >= 500 => "server_error",
            ProviderError::Status { .. } => "client_error",
            ProviderError::Timeout { .. } => "timeout",
            ProviderError::Transport { .. } => "transport",
            ProviderError::GraphQl { .. } => "graphql_error",
            ProviderError::Decode { .. } => "malformed_response",
        }
    }
}

/// Result alias for the clients.
pub type Result<T, E = ProviderError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> ProviderError {
        ProviderError::Status {
            service: "TMDB",
            url: "u".into(),
            status: code,
            message: String::new(),
        }
    }

    #[test]
    fn server_errors_are_retried_and_client_errors_are_not() {
        assert!(status(503).is_retryable());
        assert!(!status(400).is_retryable());
        assert_eq!(status(502).reason(), "server_error");
        assert_eq!(status(422).reason(), "client_error");
    }

    #[test]
    fn a_rejected_key_is_never_retried_and_says_which_variable_to_check() {
        let err = ProviderError::Unauthorized {
            service: "TMDB",
            env_var: "TMDB_API_KEY",
            url: "https://api.themoviedb.org/3/movie/1".into(),
        };
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("TMDB rejected the API key"), "{text}");
        assert!(text.contains("TMDB_API_KEY"), "{text}");
    }
}
