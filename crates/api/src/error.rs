//! The API's one error type and its mapping to HTTP responses.
//!
//! Bodies follow FastAPI's shape, which the original's clients expect: `{"detail": "..."}` for
//! errors with a message and `{"detail": [{type, loc, msg, input}]}` for validation failures.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use seen_store::StoreError;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// One FastAPI-style validation problem.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
#[schema(example = json!({"type": "missing", "loc": ["query", "user_id"], "msg": "Field required", "input": null}))]
pub struct ErrorDetail {
    /// Machine-readable kind, e.g. `missing`, `int_parsing`, `greater_than_equal`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the problem is, e.g. `["query", "limit"]`.
    pub loc: Vec<String>,
    /// Human-readable message.
    pub msg: String,
    /// The offending input, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Value)]
    pub input: Option<Value>,
}

/// A 422 body: every problem with the request (`{"detail": [...]}`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationBody {
    /// One entry per problem, in the order of the fields.
    pub detail: Vec<ErrorDetail>,
}

/// Any other error body: `{"detail": "<message>"}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"detail": "Link not found"}))]
pub struct DetailBody {
    /// What went wrong.
    pub detail: String,
}

impl DetailBody {
    fn json(detail: &str) -> Value {
        json!(DetailBody {
            detail: detail.to_owned()
        })
    }
}

impl ErrorDetail {
    /// A problem with one named field of `source` (`query`, `body` or `path`).
    pub fn new(
        source: &str,
        field: &str,
        kind: &str,
        msg: impl Into<String>,
        input: Option<Value>,
    ) -> Self {
        let mut loc = vec![source.to_owned()];
        if !field.is_empty() {
            loc.push(field.to_owned());
        }
        ErrorDetail {
            kind: kind.to_owned(),
            loc,
            msg: msg.into(),
            input,
        }
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422: the request is well-formed HTTP but its fields are invalid.
    #[error("validation failed")]
    Validation(Vec<ErrorDetail>),
    /// 400 with a message (bad cursor, malformed input that is not a field problem).
    #[error("{0}")]
    BadRequest(String),
    /// 401: the endpoint needs `Authorization: Bearer <API_TOKEN>` and did not get it.
    #[error("{0}")]
    Unauthorized(String),
    /// 404 with a message.
    #[error("{0}")]
    NotFound(String),
    /// 413: the upload is over a configured size or row limit.
    #[error("{0}")]
    TooLarge(String),
    /// 429: too much work in flight; retry after the given seconds.
    #[error("overloaded")]
    Overloaded { retry_after_secs: u64 },
    /// 503: a dependency (database, model) is not available right now.
    #[error("{0}")]
    Unavailable(String),
    /// A database failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else: logged with its cause chain, reported as a bare 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// Shorthand for a single validation problem.
    pub fn invalid(
        source: &str,
        field: &str,
        kind: &str,
        msg: impl Into<String>,
        input: Option<Value>,
    ) -> Self {
        ApiError::Validation(vec![ErrorDetail::new(source, field, kind, msg, input)])
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Overloaded { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            // Lost connections, admin shutdowns (57P0x), pool timeouts: the client should retry.
            ApiError::Store(e) if e.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            ApiError::Validation(details) => json!(ValidationBody {
                detail: details.clone()
            }),
            ApiError::BadRequest(msg)
            | ApiError::Unauthorized(msg)
            | ApiError::NotFound(msg)
            | ApiError::TooLarge(msg)
            | ApiError::Unavailable(msg) => DetailBody::json(msg),
            ApiError::Overloaded { .. } => {
                DetailBody::json("Too many requests in flight; retry shortly")
            }
            ApiError::Store(_) if status == StatusCode::SERVICE_UNAVAILABLE => {
                DetailBody::json("Database unavailable; retry shortly")
            }
            // Never leak SQL or internals to clients; the cause chain is logged below.
            ApiError::Store(_) | ApiError::Internal(_) => DetailBody::json("Internal Server Error"),
        };
        if status.is_server_error() {
            tracing::error!(error.message = %self, error.cause_chain = ?self, "request failed");
        }
        let mut response = (status, Json(body)).into_response();
        let retry_after = match &self {
            ApiError::Overloaded { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Validation(_)
            | ApiError::BadRequest(_)
            | ApiError::Unauthorized(_)
            | ApiError::NotFound(_)
            | ApiError::TooLarge(_)
            | ApiError::Unavailable(_)
            | ApiError::Store(_)
            | ApiError::Internal(_) => (status == StatusCode::SERVICE_UNAVAILABLE).then_some(5),
        };
        if matches!(self, ApiError::Unauthorized(_)) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(value) =
            retry_after.and_then(|secs| HeaderValue::from_str(&secs.to_string()).ok())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
