//! Extractors whose rejections are our [`ApiError`], so malformed input gets the same
//! FastAPI-style `detail` body as every other validation failure.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts};
use serde_json::Value;

/// `axum::Json` with a 422 `detail` body on malformed or mistyped JSON.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

/// `axum::extract::Path` with a 422 `detail` body on a mistyped segment.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct AppPath<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (kind, msg) = match &rejection {
            JsonRejection::JsonDataError(e) => ("model_attributes_type", source_message(e)),
            JsonRejection::JsonSyntaxError(e) => ("json_invalid", source_message(e)),
            JsonRejection::MissingJsonContentType(_) => (
                "model_attributes_type",
                "Expected a JSON body with Content-Type: application/json".into(),
            ),
            // `JsonRejection` is non-exhaustive: anything else is an unreadable body.
            JsonRejection::BytesRejection(_) | _ => ("json_invalid", rejection.body_text()),
        };
        ApiError::invalid("body", "", kind, msg, None)
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        let msg = rejection.body_text();
        ApiError::invalid(
            "path",
            "item_id",
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
            Some(Value::String(msg)),
        )
    }
}

/// serde's message without axum's "Failed to deserialize..." prefix.
fn source_message(err: &dyn std::error::Error) -> String {
    let mut msg = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        msg = s.to_string();
        source = s.source();
    }
    msg
}

/// Pydantic's lax integer coercion: integers, integral floats, numeric strings and
/// booleans are accepted, so the original's clients keep working.
pub fn lenient_int(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}
