//! `POST /feedback`: record a raw UI/analytics event (`impression`, `click`, ...). Nothing
//! reads these rows; they never affect recommendations.
//!
//! Beyond the original: a `user_id` over 128 characters, an `item_id` outside 32 bits and a
//! non-object `meta` are 422s naming the field (the original failed in the database with a 500
//! or stored whatever JSON it got).

use crate::error::{ApiResult, ValidationBody};
use crate::extract::ValidJson;
use crate::extract::lax::LaxI32;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use seen_store::feedback::{NewFeedback, insert_feedback};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    Router::new().route("/feedback", post(post_feedback))
}

/// A feedback event. Only `event_type` is required.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[schema(example = json!({"user_id": "u1", "item_id": 42, "event_type": "click", "meta": {"rank": 5}}))]
pub struct FeedbackBody {
    /// The user as the client knows it (no profile namespacing).
    #[schema(max_length = 128)]
    pub user_id: Option<String>,
    /// `items.id` the event is about.
    pub item_id: Option<LaxI32>,
    /// `impression`, `click`, `complete`, ... (stored in `feedback.type`).
    #[schema(min_length = 1, max_length = 32, pattern = r"\S")]
    pub event_type: String,
    /// Any JSON object, e.g. `{"rank": 5}`.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Map<String, Value>>,
}

impl From<FeedbackBody> for NewFeedback {
    fn from(body: FeedbackBody) -> Self {
        NewFeedback {
            user_id: body.user_id,
            item_id: body.item_id.map(|i| i.0),
            kind: body.event_type,
            meta: body.meta.map(Value::Object),
        }
    }
}

/// `{"ok": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OkBody {
    /// Always true.
    pub ok: bool,
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
    ValidJson(body): ValidJson<FeedbackBody>,
) -> ApiResult<Json<OkBody>> {
    insert_feedback(&state.db, &NewFeedback::from(body)).await?;
    Ok(Json(OkBody { ok: true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use crate::extract::validate::Contract;
    use serde_json::json;

    fn validate(body: &Value) -> Result<NewFeedback, ApiError> {
        let checked = Contract::body::<FeedbackBody>()
            .check(body)
            .map_err(ApiError::Validation)?;
        let body: FeedbackBody =
            serde_json::from_value(checked).expect("the schema and the type agree");
        Ok(body.into())
    }

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
        let event = validate(&json!({"event_type": "click", "item_id": true})).unwrap();
        assert_eq!(event.item_id, Some(1));
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
    fn an_event_type_longer_than_32_characters_or_blank_is_rejected() {
        let err = validate(&json!({"event_type": "x".repeat(33)})).unwrap_err();
        assert_eq!(
            kinds(err),
            [("body.event_type".into(), "string_too_long".into())]
        );
        for blank in ["", "  "] {
            let err = validate(&json!({"event_type": blank})).unwrap_err();
            assert_eq!(
                kinds(err),
                [("body.event_type".into(), "string_too_short".into())]
            );
        }
    }

    #[test]
    fn meta_must_be_an_object() {
        let err = validate(&json!({"event_type": "click", "meta": [1, 2]})).unwrap_err();
        assert_eq!(kinds(err), [("body.meta".into(), "dict_type".into())]);
    }

    #[test]
    fn a_numeric_or_too_long_user_id_is_rejected() {
        let err = validate(&json!({"event_type": "click", "user_id": 5})).unwrap_err();
        assert_eq!(kinds(err), [("body.user_id".into(), "string_type".into())]);
        let err =
            validate(&json!({"event_type": "click", "user_id": "u".repeat(129)})).unwrap_err();
        assert_eq!(
            kinds(err),
            [("body.user_id".into(), "string_too_long".into())]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = validate(&json!({"user_id": 1, "item_id": "x", "meta": 3})).unwrap_err();
        assert_eq!(
            kinds(err),
            [
                ("body.user_id".into(), "string_type".into()),
                ("body.item_id".into(), "int_parsing".into()),
                ("body.event_type".into(), "missing".into()),
                ("body.meta".into(), "dict_type".into()),
            ]
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_rejected_as_a_whole() {
        let err = validate(&json!([1])).unwrap_err();
        assert_eq!(
            kinds(err),
            [("body".into(), "model_attributes_type".into())]
        );
    }
}
