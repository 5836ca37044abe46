//! Extractors whose rejections are our [`ApiError`], so malformed input gets the same
//! FastAPI-style `detail` body as every other validation failure; and the typed request
//! extractors [`ValidJson`] and [`ValidQuery`], which check input against the request type's
//! own OpenAPI schema ([`validate`]) before serde reads it.

pub mod lax;
pub mod media_type;
pub mod validate;

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use parking_lot::RwLock;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::any::{TypeId, type_name};
use std::collections::HashMap;
use std::sync::LazyLock;
use utoipa::{IntoParams, ToSchema};
use validate::Contract;

/// `axum::Json` with a 422 `detail` body on malformed or mistyped JSON.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

/// `axum::extract::Path` with a 422 `detail` body on a mistyped segment.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct AppPath<T>(pub T);

/// A JSON body of type `T`, checked against `T`'s schema: a 422 lists every problem.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

/// The query string as `T`, checked against `T`'s parameters: a 422 lists every problem. The
/// last value of a repeated name wins; names `T` does not know are ignored.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<S, T> FromRequest<S> for ValidJson<T>
where
    S: Send + Sync,
    T: ToSchema + DeserializeOwned + 'static,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let AppJson(body) = AppJson::<Value>::from_request(req, state).await?;
        let contract = contract::<T>(Contract::body::<T>);
        read(contract, &body).map(ValidJson)
    }
}

impl<S, T> FromRequestParts<S> for ValidQuery<T>
where
    S: Send + Sync,
    T: IntoParams + DeserializeOwned + 'static,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        // Lossy on bad percent-encoding, like FastAPI: reading a query string never fails.
        let pairs: Map<String, Value> = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        let contract = contract::<T>(Contract::query::<T>);
        read(contract, &Value::Object(pairs)).map(ValidQuery)
    }
}

/// Checks `input` and deserialises what the check returns.
fn read<T: DeserializeOwned>(contract: &Contract, input: &Value) -> Result<T, ApiError> {
    let checked = contract.check(input).map_err(ApiError::Validation)?;
    serde_json::from_value(checked).map_err(|e| {
        // The schema accepted what the type cannot hold: they disagree.
        ApiError::Internal(anyhow::anyhow!(
            "{} does not read input its own schema accepts: {e}. This is a bug.",
            type_name::<T>()
        ))
    })
}

/// Each request type's contract, built on first use and kept for the life of the process.
fn contract<T: 'static>(build: fn() -> Contract) -> &'static Contract {
    static CONTRACTS: LazyLock<RwLock<HashMap<TypeId, &'static Contract>>> =
        LazyLock::new(Default::default);
    let id = TypeId::of::<T>();
    if let Some(found) = CONTRACTS.read().get(&id) {
        return found;
    }
    // One per request type: leaking it gives the `'static` borrow handlers keep.
    let mut contracts = CONTRACTS.write();
    let built: &&'static Contract = contracts
        .entry(id)
        .or_insert_with(|| Box::leak(Box::new(build())));
    built
}

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
