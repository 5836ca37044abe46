//! `POST /user/history`: record events and recompute the profile, in one transaction.
//!
//! Beyond the original: titles can be given by TMDB id (`tmdb_ids` + optional `media_type`);
//! unknown ids are a 422 that lists them and nothing is written; a history write drops the
//! user's cached recommendations on every replica (NOTIFY).

use crate::error::{ApiError, ApiResult, ErrorDetail};
use crate::extract::{AppJson, lenient_int};
use crate::startup::HISTORY_CHANNEL;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use seen_core::ItemId;
use seen_core::events::canonical_profile_id;
use seen_core::item::MediaType;
use seen_store::StoreError;
use seen_store::history::{NewEvent, insert_events_bulk};
use seen_store::items::{existing_ids, ids_by_tmdb};
use seen_store::profiles::recompute_profile_in;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new().route("/user/history", post(post_history))
}

/// A validated history write.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryWrite {
    pub user_id: String,
    pub profile: Option<String>,
    pub items: Vec<ItemId>,
    pub tmdb_ids: Vec<i32>,
    pub media_type: Option<MediaType>,
    pub event_type: String,
    pub weight: i32,
}

async fn post_history(
    State(state): State<AppState>,
    AppJson(body): AppJson<Value>,
) -> ApiResult<Json<Value>> {
    let write = validate(&body)?;
    let canonical = canonical_profile_id(&write.user_id, write.profile.as_deref());
    record(&state, &write, &canonical).await?;
    Ok(Json(
        json!({"ok": true, "user_id": write.user_id, "profile": write.profile}),
    ))
}

/// Resolves titles, writes the events, recomputes the profile and announces the change,
/// all or nothing.
#[tracing::instrument(name = "record history", skip(state, write), fields(events = write.items.len() + write.tmdb_ids.len()))]
async fn record(state: &AppState, write: &HistoryWrite, canonical: &str) -> ApiResult<()> {
    let mut tx = state.db.begin().await.map_err(StoreError::from)?;
    let mut item_ids = write.items.clone();
    let known = existing_ids(&mut *tx, &write.items).await?;
    let unknown: Vec<ItemId> = write
        .items
        .iter()
        .copied()
        .filter(|i| !known.contains(i))
        .collect();
    let mut problems = Vec::new();
    if !unknown.is_empty() {
        problems.push(unknown_detail("items", "Unknown item ids", &unknown));
    }
    if !write.tmdb_ids.is_empty() {
        let found = ids_by_tmdb(&mut *tx, write.media_type, &write.tmdb_ids).await?;
        let mut missing = Vec::new();
        let mut ambiguous = Vec::new();
        for tmdb in &write.tmdb_ids {
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
            weight: write.weight,
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
        .bind(canonical)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    state.cache.invalidate_user(canonical);
    Ok(())
}

/// FastAPI-like validation of the body, every problem reported at once.
pub fn validate(body: &Value) -> ApiResult<HistoryWrite> {
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
        None | Some(Value::Null) => {
            errors.push(ErrorDetail::new(
                "body",
                "user_id",
                "missing",
                "Field required",
                None,
            ));
            String::new()
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.push(ErrorDetail::new(
                "body",
                "user_id",
                "string_too_short",
                "user_id must not be blank",
                Some(json!(s)),
            ));
            String::new()
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            errors.push(string_type("user_id", other));
            String::new()
        }
    };
    let profile = match obj.get("profile") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(string_type("profile", other));
            None
        }
    };
    let items = int_list(obj.get("items"), "items", &mut errors);
    let tmdb_ids = int_list(obj.get("tmdb_ids"), "tmdb_ids", &mut errors);
    if obj.get("items").is_none() && obj.get("tmdb_ids").is_none() {
        errors.push(ErrorDetail::new(
            "body",
            "items",
            "missing",
            "Field required: give `items` (catalog ids) or `tmdb_ids`",
            None,
        ));
    }
    let media_type = match obj.get("media_type") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match MediaType::parse(s) {
            Some(m) => Some(m),
            None => {
                errors.push(ErrorDetail::new(
                    "body",
                    "media_type",
                    "enum",
                    "Input should be 'movie' or 'tv'",
                    Some(json!(s)),
                ));
                None
            }
        },
        Some(other) => {
            errors.push(string_type("media_type", other));
            None
        }
    };
    let event_type = match obj.get("event_type") {
        None | Some(Value::Null) => "watched".to_owned(),
        Some(Value::String(s)) if s.trim().is_empty() || s.chars().count() > 32 => {
            errors.push(ErrorDetail::new(
                "body",
                "event_type",
                "string_length",
                "event_type must be 1 to 32 characters (watched, liked, rated, not_interested, disliked, ...)",
                Some(json!(s)),
            ));
            String::new()
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            errors.push(string_type("event_type", other));
            String::new()
        }
    };
    let weight = match obj.get("weight") {
        None | Some(Value::Null) => 1,
        Some(v) => match lenient_int(v) {
            Some(w) if w < 0 => {
                errors.push(ErrorDetail::new(
                    "body",
                    "weight",
                    "greater_than_equal",
                    "Input should be greater than or equal to 0",
                    Some(v.clone()),
                ));
                1
            }
            Some(w) => i32::try_from(w).unwrap_or(i32::MAX),
            None => {
                errors.push(int_type("weight", v));
                1
            }
        },
    };
    let canonical = canonical_profile_id(&user_id, profile.as_deref());
    if canonical.chars().count() > 128 {
        errors.push(ErrorDetail::new(
            "body",
            "user_id",
            "string_too_long",
            "user_id plus profile must be at most 128 characters",
            Some(json!(canonical)),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(HistoryWrite {
        user_id,
        profile,
        items,
        tmdb_ids,
        media_type,
        event_type,
        weight,
    })
}

fn int_list(value: Option<&Value>, field: &str, errors: &mut Vec<ErrorDetail>) -> Vec<i32> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                match lenient_int(v).and_then(|n| i32::try_from(n).ok()) {
                    Some(n) => out.push(n),
                    None => {
                        let mut detail = int_type(field, v);
                        detail.loc.push(i.to_string());
                        errors.push(detail);
                    }
                }
            }
            out
        }
        Some(other) => {
            errors.push(ErrorDetail::new(
                "body",
                field,
                "list_type",
                "Input should be a valid list",
                Some(other.clone()),
            ));
            Vec::new()
        }
    }
}

fn int_type(field: &str, v: &Value) -> ErrorDetail {
    ErrorDetail::new(
        "body",
        field,
        "int_parsing",
        "Input should be a valid integer",
        Some(v.clone()),
    )
}

fn string_type(field: &str, v: &Value) -> ErrorDetail {
    ErrorDetail::new(
        "body",
        field,
        "string_type",
        "Input should be a valid string",
        Some(v.clone()),
    )
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

    #[test]
    fn lenient_integers_follow_pydantic() {
        assert_eq!(lenient_int(&json!(3)), Some(3));
        assert_eq!(lenient_int(&json!("3")), Some(3));
        assert_eq!(lenient_int(&json!(3.0)), Some(3));
        assert_eq!(lenient_int(&json!(true)), Some(1));
        assert_eq!(lenient_int(&json!(3.5)), None);
    }

    #[test]
    fn a_numeric_user_id_is_rejected() {
        let err = validate(&json!({"user_id": 5, "items": []})).unwrap_err();
        assert!(matches!(err, ApiError::Validation(d) if d[0].kind == "string_type"));
    }

    #[test]
    fn a_negative_weight_is_rejected() {
        let err = validate(&json!({"user_id": "u", "items": [1], "weight": -1})).unwrap_err();
        assert!(matches!(err, ApiError::Validation(d) if d[0].loc == ["body", "weight"]));
    }

    #[test]
    fn defaults_are_watched_with_weight_one() {
        let w = validate(&json!({"user_id": "u", "items": ["7", 8.0]})).unwrap();
        assert_eq!(w.items, vec![7, 8]);
        assert_eq!((w.event_type.as_str(), w.weight), ("watched", 1));
    }

    #[test]
    fn a_too_long_canonical_id_is_a_422_not_a_500() {
        let long = "x".repeat(120);
        let err = validate(&json!({"user_id": long, "profile": "kids-profile", "items": []}))
            .unwrap_err();
        assert!(matches!(err, ApiError::Validation(d) if d[0].kind == "string_too_long"));
    }
}
