//! `GET /titles/search?q=<text>&limit=10`: find catalog titles by name (for the UI's history
//! picker): exact matches first, then prefix matches, then other substring matches, each group
//! by popularity. Not in the original, which had no way to look up an `items.id`.

use crate::error::{ApiError, ApiResult, ErrorDetail};
use crate::routes::docs::ValidationBody;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use seen_store::items::TitleHit;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Page size when `limit` is not given.
const DEFAULT_LIMIT: i64 = 10;
/// Largest page.
const MAX_LIMIT: i64 = 50;

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    Router::new().route("/titles/search", get(search_titles))
}

/// One matching title.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleOut {
    /// Catalog id (`items.id`), as `/user/history` and `/watch-link` expect.
    pub id: i32,
    /// TMDB id.
    pub tmdb_id: i32,
    /// `movie` or `tv`.
    #[schema(example = "movie")]
    pub media_type: &'static str,
    /// Title as stored.
    pub title: String,
    /// Release (or first-air) year.
    pub release_year: Option<i32>,
    /// Poster URL.
    pub poster_url: Option<String>,
}

impl From<TitleHit> for TitleOut {
    fn from(hit: TitleHit) -> Self {
        TitleOut {
            id: hit.id,
            tmdb_id: hit.tmdb_id,
            media_type: hit.media_type.as_str(),
            title: hit.title,
            release_year: hit.release_year,
            poster_url: hit.poster_url,
        }
    }
}

/// Search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleResults {
    /// Best matches first.
    pub items: Vec<TitleOut>,
}

/// Titles whose name contains `q` (case-insensitive).
#[utoipa::path(
    get,
    path = "/titles/search",
    tag = "catalog",
    params(
        ("q" = String, Query, description = "Text to find in titles (not blank)", example = "star"),
        ("limit" = Option<i64>, Query, description = "At most this many results (default 10)", minimum = 1, maximum = 50),
    ),
    responses(
        (status = 200, description = "Matching titles, best first", body = TitleResults),
        (status = 422, description = "Blank `q` or `limit` outside 1..=50", body = ValidationBody),
    )
)]
pub(crate) async fn search_titles(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<TitleResults>> {
    let (q, limit) = parse(&pairs)?;
    let hits = seen_store::items::search_titles(&state.db, &q, limit).await?;
    Ok(Json(TitleResults {
        items: hits.into_iter().map(TitleOut::from).collect(),
    }))
}

/// Validates `q` and `limit`, every problem reported at once; the last repeated value wins.
pub fn parse(pairs: &[(String, String)]) -> ApiResult<(String, i64)> {
    let get = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut errors = Vec::new();
    let q = match get("q") {
        None => {
            errors.push(ErrorDetail::new(
                "query",
                "q",
                "missing",
                "Field required",
                Some(Value::Null),
            ));
            String::new()
        }
        Some(raw) if raw.trim().is_empty() => {
            errors.push(ErrorDetail::new(
                "query",
                "q",
                "string_too_short",
                "q must not be blank",
                Some(Value::String(raw.to_owned())),
            ));
            String::new()
        }
        Some(raw) => raw.trim().to_owned(),
    };
    let limit = match get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match parse_int(raw) {
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(n) => {
                let (kind, msg) = if n < 1 {
                    (
                        "greater_than_equal",
                        "Input should be greater than or equal to 1",
                    )
                } else {
                    (
                        "less_than_equal",
                        "Input should be less than or equal to 50",
                    )
                };
                errors.push(ErrorDetail::new(
                    "query",
                    "limit",
                    kind,
                    msg,
                    Some(Value::String(raw.to_owned())),
                ));
                DEFAULT_LIMIT
            }
            None => {
                errors.push(ErrorDetail::new(
                    "query",
                    "limit",
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                    Some(Value::String(raw.to_owned())),
                ));
                DEFAULT_LIMIT
            }
        },
    };
    if errors.is_empty() {
        Ok((q, limit))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// An integer, also written as a float with no fraction (`3.0`), as pydantic allows.
fn parse_int(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    raw.parse::<i64>().ok().or_else(|| {
        raw.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
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
    fn the_limit_defaults_to_ten_and_the_query_is_trimmed() {
        assert_eq!(
            parse(&pairs(&[("q", " star ")])).unwrap(),
            ("star".to_owned(), 10)
        );
    }

    #[test]
    fn a_missing_or_blank_query_is_rejected() {
        assert_eq!(
            kinds(parse(&[]).unwrap_err()),
            [("query.q".into(), "missing".into())]
        );
        assert_eq!(
            kinds(parse(&pairs(&[("q", "  ")])).unwrap_err()),
            [("query.q".into(), "string_too_short".into())]
        );
    }

    #[test]
    fn the_limit_must_be_between_1_and_50() {
        assert_eq!(parse(&pairs(&[("q", "a"), ("limit", "50")])).unwrap().1, 50);
        assert_eq!(
            kinds(parse(&pairs(&[("q", "a"), ("limit", "0")])).unwrap_err())[0].1,
            "greater_than_equal"
        );
        assert_eq!(
            kinds(parse(&pairs(&[("q", "a"), ("limit", "51")])).unwrap_err())[0].1,
            "less_than_equal"
        );
        assert_eq!(
            kinds(parse(&pairs(&[("q", "a"), ("limit", "ten")])).unwrap_err())[0].1,
            "int_parsing"
        );
    }
}
