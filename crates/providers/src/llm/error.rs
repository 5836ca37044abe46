//! What can go wrong in one LLM call. Every caller treats every variant the same way (fall
//! back: offline intent, heuristic order), so the variants exist for logs and metrics.
//!
//! No message carries a key, a URL query or the upstream's error body: OpenAI's 401 body
//! echoes part of the key ("Incorrect API key provided: sk-ab***yz").

use crate::ProviderError;
use thiserror::Error;

/// One failed LLM completion.
#[derive(Debug, Error)]
pub enum LlmError {
    /// No (or a blank) API key: raised when the client is built.
    #[error(
        "no LLM API key configured. Hint: set INTENT_API_KEY / RERANK_API_KEY or OPENAI_API_KEY"
    )]
    MissingKey,
    /// The whole call, retries included, ran out of its budget.
    #[error("the LLM did not answer within the timeout")]
    Timeout,
    /// Connection refused or reset, DNS or TLS failure, body cut short.
    #[error("cannot reach the LLM endpoint: {0}")]
    Connect(String),
    /// A non-2xx answer (after the one retry, for 429 and 5xx).
    #[error("the LLM endpoint answered HTTP {status}")]
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// A 2xx body that is not the provider's envelope (no `choices`, no `candidates`, ...).
    #[error("unexpected LLM response structure: {0}")]
    BadShape(String),
    /// The model's answer text is not JSON.
    #[error("the LLM answered non-JSON content: {0}")]
    NotJson(String),
    /// The model answered no text at all.
    #[error("the LLM answered with no text")]
    Empty,
    /// A setting is unusable (unknown provider, bad endpoint, blank model, ...).
    #[error("invalid LLM settings: {0}")]
    Config(String),
}

impl LlmError {
    /// A short, stable label for logs, metrics and the debug trace (`timeout`, `status_429`).
    pub fn kind(&self) -> &'static str {
        match self {
            LlmError::MissingKey => "missing_key",
            LlmError::Timeout => "timeout",
            LlmError::Connect(_) => "connect",
            LlmError::Status { status } => status_label(*status),
            LlmError::BadShape(_) => "bad_shape",
            LlmError::NotJson(_) => "not_json",
            LlmError::Empty => "empty",
            LlmError::Config(_) => "config",
        }
    }
}

/// Labels for the statuses worth telling apart; others by class.
fn status_label(status: u16) -> &'static str {
    match status {
        400 => "status_400",
        401 => "status_401",
        403 => "status_403",
        404 => "status_404",
        408 => "status_408",
        413 => "status_413",
        422 => "status_422",
        429 => "status_429",
        500 => "status_500",
        502 => "status_502",
        503 => "status_503",
        504 => "status_504",
        _ if (400..500).contains(&status) => "status_4xx",
        _ if (500..600).contains(&status) => "status_5xx",
        _ => "status_other",
    }
}

impl From<ProviderError> for LlmError {
    /// Keeps the status and the transport cause; drops URLs and upstream messages.
    fn from(error: ProviderError) -> Self {
        match error {
            ProviderError::MissingApiKey { .. } => LlmError::MissingKey,
            ProviderError::InvalidConfig { message, .. } => LlmError::Config(message),
            ProviderError::Unauthorized { .. } => LlmError::Status { status: 401 },
            ProviderError::NotFound { .. } => LlmError::Status { status: 404 },
            ProviderError::RateLimited { .. } => LlmError::Status { status: 429 },
            ProviderError::Status { status, .. } => LlmError::Status { status },
            ProviderError::Timeout { .. } => LlmError::Timeout,
            ProviderError::Transport { message, .. } => LlmError::Connect(message),
            ProviderError::Decode { message, .. } => {
                LlmError::BadShape(format!("the body is not JSON ({message})"))
            }
            // GraphQL errors come from JustWatch, never from an LLM endpoint.
            ProviderError::GraphQl { .. } => {
                LlmError::BadShape("an unexpected GraphQL error body".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_short_labels() {
        assert_eq!(LlmError::Status { status: 429 }.kind(), "status_429");
        assert_eq!(LlmError::Status { status: 418 }.kind(), "status_4xx");
        assert_eq!(LlmError::Status { status: 599 }.kind(), "status_5xx");
        assert_eq!(LlmError::Timeout.kind(), "timeout");
    }

    #[test]
    fn an_upstream_error_keeps_its_status_but_not_its_message_or_url() {
        let err = LlmError::from(ProviderError::Status {
            service: "OpenAI",
            url: "https://x.org/v1?key=secret".into(),
            status: 503,
            message: "Incorrect API key provided: sk-ab***yz".into(),
        });
        let text = format!("{err} {err:?}");
        assert!(matches!(err, LlmError::Status { status: 503 }));
        assert!(
            !text.contains("secret") && !text.contains("sk-ab"),
            "{text}"
        );
    }
}
