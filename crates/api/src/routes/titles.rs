//! `GET /titles/search?q=<text>&limit=10`: find catalog titles by name (for the UI's history
//! picker): exact matches first, then prefix matches, then other substring matches, each group
//! by popularity. Not in the original, which had no way to look up an `items.id`.

use crate::error::{ApiResult, ValidationBody};
use crate::extract::ValidQuery;
use crate::extract::media_type::WireMediaType;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use seen_store::items::TitleHit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The routes of this module, to merge into the app.
pub fn router() -> Router<AppState> {
    Router::new().route("/titles/search", get(search_titles))
}

/// `GET /titles/search` query parameters.
#[derive(Debug, Clone, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TitleQuery {
    /// Text to find in titles (not blank; surrounding spaces are ignored).
    #[param(min_length = 1, pattern = r"\S", example = "star")]
    pub q: String,
    /// At most this many results.
    #[param(required = false, default = 10, minimum = 1, maximum = 50)]
    pub limit: u8,
}

/// One matching title.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleOut {
    /// Catalog id (`items.id`), as `/user/history` and `/watch-link` expect.
    pub id: i32,
    /// TMDB id.
    pub tmdb_id: i32,
    /// `movie` or `tv`.
    pub media_type: WireMediaType,
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
            media_type: hit.media_type.into(),
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
    params(TitleQuery),
    responses(
        (status = 200, description = "Matching titles, best first", body = TitleResults),
        (status = 422, description = "Blank `q` or `limit` outside 1..=50", body = ValidationBody),
    )
)]
pub(crate) async fn search_titles(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<TitleQuery>,
) -> ApiResult<Json<TitleResults>> {
    let q = query.q.trim();
    let hits = seen_store::items::search_titles(&state.db, q, i64::from(query.limit)).await?;
    Ok(Json(TitleResults {
        items: hits.into_iter().map(TitleOut::from).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorDetail;
    use crate::extract::validate::Contract;
    use serde_json::Value;

    fn parse(raw: &[(&str, &str)]) -> Result<TitleQuery, Vec<ErrorDetail>> {
        let query = Value::Object(
            raw.iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect(),
        );
        let checked = Contract::query::<TitleQuery>().check(&query)?;
        Ok(serde_json::from_value(checked).expect("the schema and the type agree"))
    }

    fn kinds(details: Vec<ErrorDetail>) -> Vec<(String, String)> {
        details
            .into_iter()
            .map(|d| (d.loc.join("."), d.kind))
            .collect()
    }

    #[test]
    fn the_limit_defaults_to_ten() {
        let query = parse(&[("q", " star ")]).unwrap();
        assert_eq!((query.q.trim(), query.limit), ("star", 10));
    }

    #[test]
    fn a_missing_or_blank_query_is_rejected() {
        assert_eq!(
            kinds(parse(&[]).unwrap_err()),
            [("query.q".into(), "missing".into())]
        );
        for blank in ["", "  "] {
            assert_eq!(
                kinds(parse(&[("q", blank)]).unwrap_err()),
                [("query.q".into(), "string_too_short".into())]
            );
        }
    }

    #[test]
    fn the_limit_must_be_between_1_and_50() {
        assert_eq!(parse(&[("q", "a"), ("limit", "50")]).unwrap().limit, 50);
        for (limit, kind) in [
            ("0", "greater_than_equal"),
            ("51", "less_than_equal"),
            ("ten", "int_parsing"),
        ] {
            assert_eq!(
                kinds(parse(&[("q", "a"), ("limit", limit)]).unwrap_err()),
                [("query.limit".into(), kind.into())],
                "{limit}"
            );
        }
    }
}
