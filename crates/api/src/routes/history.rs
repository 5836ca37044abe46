//! `POST /user/history`: record events and recompute the profile, in one transaction.
//!
//! Beyond the original: titles can be given by TMDB id (`tmdb_ids` + optional `media_type`);
//! unknown ids are a 422 that lists them and nothing is written; a history write drops the
//! user's cached recommendations on every replica (NOTIFY).

use crate::error::{ApiError, ApiResult, ErrorDetail, ValidationBody};
use crate::extract::ValidJson;
use crate::extract::lax::{LaxI32, LaxU31};
use crate::extract::media_type::WireMediaType;
use crate::startup::HISTORY_CHANNEL;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use seen_core::ItemId;
use seen_core::events::canonical_profile_id;
use seen_store::StoreError;
use seen_store::history::{NewEvent, insert_events_bulk};
use seen_store::items::{existing_ids, ids_by_tmdb};
use seen_store::profiles::recompute_profile_in;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::borrow::Cow;
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new().route("/user/history", post(post_history))
}

/// The fields of a `POST /user/history` body (which also needs `items` or `tmdb_ids`, see
/// [`HistoryBody`]).
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct HistoryFields {
    /// Base user id (not blank). With the profile it names the stored id
    /// `user_id::profile`, which must fit 128 characters: hence 64 and 62.
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    pub user_id: String,
    /// Profile name; events go to `user_id::profile`. Blank means no profile.
    #[schema(max_length = 62)]
    pub profile: Option<String>,
    /// Catalog ids (`items.id`). Unknown ids are a 422 and nothing is written.
    pub items: Option<Vec<LaxI32>>,
    /// TMDB ids, resolved to catalog ids.
    pub tmdb_ids: Option<Vec<LaxI32>>,
    /// Says which title a TMDB id means when it exists both as a movie and a TV show.
    pub media_type: Option<WireMediaType>,
    /// `watched`, `liked`, `rated`, `not_interested`, `disliked`, ... (stored as sent).
    #[schema(
        required = false,
        nullable,
        default = "watched",
        min_length = 1,
        max_length = 32,
        pattern = r"\S"
    )]
    pub event_type: String,
    /// Event weight.
    #[schema(required = false, nullable, default = 1)]
    pub weight: LaxU31,
}

/// `POST /user/history` body: [`HistoryFields`] with `items` or `tmdb_ids` (or both).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct HistoryBody(pub HistoryFields);

impl PartialSchema for HistoryBody {
    fn schema() -> RefOr<Schema> {
        // One alternative per id list, each the fields plus that list (present and a list: a
        // null counts as absent). Whole alternatives, so that a body missing `items` but
        // giving `tmdb_ids` reads as valid to schema tools too.
        let with = |field: &str| {
            AllOfBuilder::new()
                .item(Ref::from_schema_name(HistoryFields::name()))
                .item(
                    ObjectBuilder::new()
                        .property(field, ObjectBuilder::new().schema_type(Type::Array))
                        .required(field),
                )
        };
        AnyOfBuilder::new()
            .item(with("items"))
            .item(with("tmdb_ids"))
            .description(Some(
                "What a user watched, liked or rejected: give `items` (catalog ids) or \
                 `tmdb_ids` (or both; either may be empty, which still recomputes the profile).",
            ))
            .into()
    }
}

impl ToSchema for HistoryBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("HistoryBody")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((HistoryFields::name().into_owned(), HistoryFields::schema()));
        HistoryFields::schemas(schemas);
    }
}

/// `POST /user/history` answer: the ids as sent.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"ok": true, "user_id": "u1", "profile": null}))]
pub struct HistoryOk {
    /// Always true.
    pub ok: bool,
    /// As sent.
    pub user_id: String,
    /// As sent, or null.
    pub profile: Option<String>,
}

/// Records watch/like/reject events and recomputes the user's taste profile, in one
/// transaction.
#[utoipa::path(
    post,
    path = "/user/history",
    tag = "history",
    request_body = HistoryBody,
    responses(
        (status = 200, description = "Recorded and the profile recomputed", body = HistoryOk),
        (status = 422, description = "Invalid body, or unknown or ambiguous ids (`unknown_ids`, `ambiguous_tmdb_id`); nothing was written", body = ValidationBody),
    )
)]
pub(crate) async fn post_history(
    State(state): State<AppState>,
    ValidJson(HistoryBody(body)): ValidJson<HistoryBody>,
) -> ApiResult<Json<HistoryOk>> {
    let canonical = canonical_profile_id(&body.user_id, body.profile.as_deref());
    record(&state, &body, &canonical).await?;
    Ok(Json(HistoryOk {
        ok: true,
        user_id: body.user_id,
        profile: body.profile,
    }))
}

fn plain(ids: Option<&[LaxI32]>) -> Vec<i32> {
    ids.unwrap_or_default().iter().map(|i| i.0).collect()
}

/// Resolves titles, writes the events, recomputes the profile and announces the change,
/// all or nothing.
#[tracing::instrument(name = "record history", skip_all)]
async fn record(state: &AppState, write: &HistoryFields, canonical: &str) -> ApiResult<()> {
    let items = plain(write.items.as_deref());
    let tmdb_ids = plain(write.tmdb_ids.as_deref());
    let mut tx = state.db.begin().await.map_err(StoreError::from)?;
    let mut item_ids = items.clone();
    let known = existing_ids(&mut *tx, &items).await?;
    let unknown: Vec<ItemId> = items
        .iter()
        .copied()
        .filter(|i| !known.contains(i))
        .collect();
    let mut problems = Vec::new();
    if !unknown.is_empty() {
        problems.push(unknown_detail("items", "Unknown item ids", &unknown));
    }
    if !tmdb_ids.is_empty() {
        let media_type = write.media_type.map(Into::into);
        let found = ids_by_tmdb(&mut *tx, media_type, &tmdb_ids).await?;
        let mut missing = Vec::new();
        let mut ambiguous = Vec::new();
        for tmdb in &tmdb_ids {
            let hits: Vec<_> = found.iter().filter(|(t, _, _)| t == tmdb).collect();
            match hits.as_slice() {
                [] => missing.push(*tmdb),
                [(_, _, id)] => item_ids.push(*id),
                // Movie and TV ids are separate TMDB spaces: an id found as both needs
                // `media_type` to say which title is meant.
                _ => ambiguous.push(*tmdb),
            }
        }
        if !missing.is_empty() {
            problems.push(unknown_detail("tmdb_ids", "Unknown TMDB ids", &missing));
        }
        if !ambiguous.is_empty() {
            problems.push(ErrorDetail::new(
                "body",
                "tmdb_ids",
                "ambiguous_tmdb_id",
                format!(
                    "TMDB ids {} exist as both a movie and a TV show; set media_type to \"movie\" or \"tv\"",
                    join(&ambiguous)
                ),
                Some(json!(ambiguous)),
            ));
        }
    }
    if !problems.is_empty() {
        // Nothing was written: the transaction is dropped (rolled back).
        return Err(ApiError::Validation(problems));
    }
    let now = Utc::now();
    let events: Vec<NewEvent> = item_ids
        .iter()
        .map(|&item_id| NewEvent {
            user_id: canonical.to_owned(),
            item_id,
            event_type: write.event_type.clone(),
            weight: write.weight.0,
            ts: now,
            meta: None,
        })
        .collect();
    insert_events_bulk(&mut tx, &events).await?;
    recompute_profile_in(
        &mut tx,
        canonical,
        &state.pipeline.profile,
        &state.pipeline.embed_version,
    )
    .await?;
    // Delivered to every replica's listener when the transaction commits.
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(HISTORY_CHANNEL)
        .bind(state.cache.notice(canonical))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    state.cache.invalidate_user(canonical);
    Ok(())
}

fn unknown_detail(field: &str, what: &str, ids: &[i32]) -> ErrorDetail {
    ErrorDetail::new(
        "body",
        field,
        "unknown_ids",
        format!("{what}: {}; nothing was recorded", join(ids)),
        Some(json!(ids)),
    )
}

fn join(ids: &[i32]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::validate::Contract;
    use serde_json::Value;

    fn validate(body: &Value) -> ApiResult<HistoryFields> {
        let checked = Contract::body::<HistoryBody>()
            .check(body)
            .map_err(ApiError::Validation)?;
        let body: HistoryBody =
            serde_json::from_value(checked).expect("the schema and the type agree");
        Ok(body.0)
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
    fn a_numeric_user_id_is_rejected() {
        let err = validate(&json!({"user_id": 5, "items": []})).unwrap_err();
        assert_eq!(kinds(err), [("body.user_id".into(), "string_type".into())]);
    }

    #[test]
    fn a_blank_user_id_is_rejected() {
        for blank in ["", " \t"] {
            let err = validate(&json!({"user_id": blank, "items": []})).unwrap_err();
            assert_eq!(
                kinds(err),
                [("body.user_id".into(), "string_too_short".into())]
            );
        }
    }

    #[test]
    fn a_negative_weight_is_rejected() {
        let err = validate(&json!({"user_id": "u", "items": [1], "weight": -1})).unwrap_err();
        assert_eq!(
            kinds(err),
            [("body.weight".into(), "greater_than_equal".into())]
        );
    }

    #[test]
    fn defaults_are_watched_with_weight_one() {
        let w = validate(&json!({"user_id": "u", "items": ["7", 8.0, true]})).unwrap();
        assert_eq!(plain(w.items.as_deref()), vec![7, 8, 1]);
        assert_eq!((w.event_type.as_str(), w.weight.0), ("watched", 1));
        let w = validate(&json!({"user_id": "u", "items": [], "event_type": null, "weight": null}))
            .unwrap();
        assert_eq!((w.event_type.as_str(), w.weight.0), ("watched", 1));
    }

    #[test]
    fn a_too_long_canonical_id_is_a_422_not_a_500() {
        let long = "x".repeat(120);
        let err = validate(&json!({"user_id": long, "profile": "kids-profile", "items": []}))
            .unwrap_err();
        assert!(matches!(err, ApiError::Validation(d) if d[0].kind == "string_too_long"));
        // The two limits keep every accepted pair within the 128-character column.
        let fits =
            validate(&json!({"user_id": "u".repeat(64), "profile": "p".repeat(62), "items": []}))
                .unwrap();
        let canonical = canonical_profile_id(&fits.user_id, fits.profile.as_deref());
        assert_eq!(canonical.chars().count(), 128);
    }

    #[test]
    fn items_or_tmdb_ids_are_required() {
        let err = validate(&json!({"user_id": "u"})).unwrap_err();
        assert_eq!(kinds(err), [("body.items".into(), "missing".into())]);
        let err = validate(&json!({"user_id": "u", "items": null, "tmdb_ids": null})).unwrap_err();
        assert_eq!(kinds(err), [("body.items".into(), "missing".into())]);
        assert!(validate(&json!({"user_id": "u", "tmdb_ids": [5]})).is_ok());
        // Only the real problem: the body does give `tmdb_ids`.
        let err = validate(&json!({"user_id": 5, "tmdb_ids": [5]})).unwrap_err();
        assert_eq!(kinds(err), [("body.user_id".into(), "string_type".into())]);
    }

    #[test]
    fn every_problem_is_reported_at_once_with_list_positions() {
        let err = validate(&json!({
            "user_id": "u", "items": [1, "x"], "tmdb_ids": 3, "media_type": "film",
            "event_type": "e".repeat(33)
        }))
        .unwrap_err();
        assert_eq!(
            kinds(err),
            [
                ("body.items.1".into(), "int_parsing".into()),
                ("body.tmdb_ids".into(), "list_type".into()),
                ("body.media_type".into(), "enum".into()),
                ("body.event_type".into(), "string_too_long".into()),
            ]
        );
    }
}
