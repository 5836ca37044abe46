//! `POST /feedback`: record a raw UI/analytics event (`impression`, `click`, ...). Nothing
//! reads these rows; they never affect recommendations.
//!
//! Beyond the original: a `user_id` over 128 characters, an `item_id` outside 32 bits and a
//! non-object `meta` are 422s naming the field (the original failed in the database with a 500
//! or stored whatever JSON it got).

use crate::error::{ApiError, ApiResult, ErrorDetail};
use crate::extract::{AppJson, lenient_int};
use crate::routes::docs::{OkBody, ValidationBody};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use seen_store::feedback::{NewFeedback, insert_feedback};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    Router::new().route("/feedback", post(post_feedback))
}

/// A feedback event. Only `event_type` is required.
// Documentation only: the handler validates raw JSON, so that integers are as lenient as
// pydantic's and every problem is reported at once.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FeedbackBody {
    /// The user as the client knows it (no profile namespacing).
    #[schema(max_length = 128)]
    user_id: Option<String>,
    /// `items.id` the event is about (`3`, `"3"` and `3.0` are accepted).
    item_id: Option<i32>,
    /// `impression`, `click`, `complete`, ... (stored in `feedback.type`).
    #[schema(min_length = 1, max_length = 32)]
    event_type: String,
    /// Any JSON object, e.g. `{"rank": 5}`.
    #[schema(value_type = Option<Object>)]
    meta: Option<()>,
}

/// Records one feedback event.
#[utoipa::path(
    post,
    path = "/feedback",
    tag = "feedback",
    request_body = FeedbackBody,
    responses(
        (status = 200, description = "Recorded", body = OkBody, example = json!({"ok": true})),
        (status = 422, description = "Invalid body; nothing was written", body = ValidationBody),
    )
)]
pub(crate) async fn post_feedback(
    State(state): State<AppState>,
    AppJson(body): AppJson<Value>,
) -> ApiResult<Json<Value>> {
    let event = validate(&body)?;
    insert_feedback(&state.db, &event).await?;
    Ok(Json(json!({"ok": true})))
}

/// FastAPI-like validation of the body, every problem reported at once.
pub fn validate(body: &Value) -> ApiResult<NewFeedback> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::invalid(
            "body",
            "",
            "model_attributes_type",
            "Input should be a valid dictionary or object",
            Some(body.clone()),
        ));
    };
    let mut errors = Vec::new();
    let user_id = match obj.get("user_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() > 128 => {
            errors.push(problem(
                "user_id",
                "string_too_long",
                "user_id must be at most 128 characters",
                &json!(s),
            ));
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(problem(
                "user_id",
                "string_type",
                "Input should be a valid string",
                other,
            ));
            None
        }
    };
    let item_id = match obj.get("item_id") {
        None | Some(Value::Null) => None,
        Some(v) => match lenient_int(v).and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                errors.push(problem(
                    "item_id",
                    "int_parsing",
                    "Input should be a valid integer",
                    v,
                ));
                None
            }
        },
    };
    let kind = match obj.get("event_type") {
        None | Some(Value::Null) => {
            errors.push(ErrorDetail::new(
                "body",
                "event_type",
                "missing",
                "Field required",
                None,
            ));
            String::new()
        }
        Some(Value::String(s)) if s.trim().is_empty() || s.chars().count() > 32 => {
            errors.push(problem(
                "event_type",
                "string_length",
                "event_type must be 1 to 32 characters (impression, click, complete, ...)",
                &json!(s),
            ));
            String::new()
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            errors.push(problem(
                "event_type",
                "string_type",
                "Input should be a valid string",
                other,
            ));
            String::new()
        }
    };
    let meta = match obj.get("meta") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(v.clone()),
        Some(other) => {
            errors.push(problem(
                "meta",
                "dict_type",
                "Input should be a valid dictionary",
                other,
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(NewFeedback {
        user_id,
        item_id,
        kind,
        meta,
    })
}

fn problem(field: &str, kind: &str, msg: &str, input: &Value) -> ErrorDetail {
    ErrorDetail::new("body", field, kind, msg, Some(input.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(err: ApiError) -> Vec<(String, String)> {
        let ApiError::Validation(details) = err else {
            panic!("expected a validation error, got {err:?}");
        };
        details
            .into_iter()
            .map(|d| (d.loc.join("."), d.kind))
            .collect()
    }

    #[test]
    fn only_the_event_type_is_required() {
        let event = validate(&json!({"event_type": "click"})).unwrap();
        assert_eq!(
            event,
            NewFeedback {
                user_id: None,
                item_id: None,
                kind: "click".into(),
                meta: None
            }
        );
    }

    #[test]
    fn a_missing_event_type_is_reported() {
        assert_eq!(
            kinds(validate(&json!({"user_id": "u1"})).unwrap_err()),
            [("body.event_type".into(), "missing".into())]
        );
    }

    #[test]
    fn item_ids_are_lenient_like_pydantic() {
        let event = validate(&json!({"event_type": "click", "item_id": "42"})).unwrap();
        assert_eq!(event.item_id, Some(42));
        let event = validate(&json!({"event_type": "click", "item_id": 7.0})).unwrap();
        assert_eq!(event.item_id, Some(7));
    }

    #[test]
    fn a_fractional_or_oversized_item_id_is_rejected() {
        assert_eq!(
            kinds(validate(&json!({"event_type": "c", "item_id": 3.5})).unwrap_err())[0].1,
            "int_parsing"
        );
        assert_eq!(
            kinds(validate(&json!({"event_type": "c", "item_id": 1_i64 << 40})).unwrap_err())[0].1,
            "int_parsing"
        );
    }

    #[test]
    fn an_event_type_longer_than_32_characters_is_rejected() {
        let err = validate(&json!({"event_type": "x".repeat(33)})).unwrap_err();
        assert_eq!(
            kinds(err),
            [("body.event_type".into(), "string_length".into())]
        );
    }

    #[test]
    fn meta_must_be_an_object() {
        let err = validate(&json!({"event_type": "click", "meta": [1, 2]})).unwrap_err();
        assert_eq!(kinds(err), [("body.meta".into(), "dict_type".into())]);
    }

    #[test]
    fn a_numeric_user_id_is_rejected() {
        let err = validate(&json!({"event_type": "click", "user_id": 5})).unwrap_err();
        assert_eq!(kinds(err), [("body.user_id".into(), "string_type".into())]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = validate(&json!({"user_id": 1, "item_id": "x", "meta": 3})).unwrap_err();
        assert_eq!(kinds(err).len(), 4);
    }
}
