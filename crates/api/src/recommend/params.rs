//! `/recommend` query parameters, validated the way FastAPI did it (422 with a `detail`
//! list naming every bad field), so the original's clients see the same errors.

use crate::error::{ApiError, ErrorDetail};
use seen_core::mixer::MixerOverrides;
use serde::Serialize;
use serde_json::Value;

/// Every ranking-affecting parameter of `GET /recommend` (the cursor is kept apart: it
/// selects a page of the ranked list, it does not change the list).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendParams {
    pub user_id: String,
    pub limit: usize,
    /// `None` for a missing or empty query (a whitespace-only query counts as a query).
    pub query: Option<String>,
    pub diversify: bool,
    pub profile: Option<String>,
    pub use_llm_intent: bool,
    pub ann_description_override: Option<String>,
    pub rewrite_override: Option<String>,
    pub ann_weight_override: Option<f64>,
    pub rewrite_weight_override: Option<f64>,
    pub genre_override: Option<String>,
    pub mixer: MixerParams,
}

/// The six `mixer_*` overrides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MixerParams {
    pub ann: Option<f64>,
    pub collab: Option<f64>,
    pub trending: Option<f64>,
    pub popularity: Option<f64>,
    pub vote: Option<f64>,
    pub novelty: Option<f64>,
}

impl From<MixerParams> for MixerOverrides {
    fn from(m: MixerParams) -> Self {
        MixerOverrides {
            ann: m.ann,
            collab: m.collab,
            trending: m.trending,
            popularity: m.popularity,
            vote: m.vote,
            novelty: m.novelty,
        }
    }
}

/// A parsed request: the ranking parameters plus the page cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendRequest {
    pub params: RecommendParams,
    pub cursor: Option<String>,
}

/// Validates raw `(name, value)` pairs; the last value of a repeated name wins.
pub fn parse(pairs: &[(String, String)]) -> Result<RecommendRequest, ApiError> {
    let get = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut errors = Vec::new();

    let user_id = match get("user_id") {
        Some(v) => v.to_owned(),
        None => {
            errors.push(missing("user_id"));
            String::new()
        }
    };
    let limit = match get("limit") {
        None => 20,
        Some(raw) => match parse_int(raw) {
            Some(v) if v < 1 => {
                errors.push(bound(
                    "limit",
                    "greater_than_equal",
                    "greater than or equal to 1",
                    raw,
                ));
                20
            }
            Some(v) if v > 100 => {
                errors.push(bound(
                    "limit",
                    "less_than_equal",
                    "less than or equal to 100",
                    raw,
                ));
                20
            }
            Some(v) => usize::try_from(v).unwrap_or(20),
            None => {
                errors.push(ErrorDetail::new(
                    "query",
                    "limit",
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                    Some(Value::String(raw.to_owned())),
                ));
                20
            }
        },
    };
    let mut flag = |name: &str, default: bool| match get(name) {
        None => default,
        Some(raw) => parse_bool(raw).unwrap_or_else(|| {
            errors.push(ErrorDetail::new(
                "query",
                name,
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input",
                Some(Value::String(raw.to_owned())),
            ));
            default
        }),
    };
    let diversify = flag("diversify", true);
    let use_llm_intent = flag("use_llm_intent", true);
    let mut weight = |name: &str| -> Option<f64> {
        let raw = get(name)?;
        match raw.trim().parse::<f64>() {
            Ok(v) if !v.is_finite() => {
                errors.push(ErrorDetail::new(
                    "query",
                    name,
                    "finite_number",
                    "Input should be a finite number",
                    Some(Value::String(raw.to_owned())),
                ));
                None
            }
            Ok(v) if v < 0.0 => {
                errors.push(bound(
                    name,
                    "greater_than_equal",
                    "greater than or equal to 0",
                    raw,
                ));
                None
            }
            Ok(v) => Some(v),
            Err(_) => {
                errors.push(ErrorDetail::new(
                    "query",
                    name,
                    "float_parsing",
                    "Input should be a valid number, unable to parse string as a number",
                    Some(Value::String(raw.to_owned())),
                ));
                None
            }
        }
    };
    let ann_weight_override = weight("ann_weight_override");
    let rewrite_weight_override = weight("rewrite_weight_override");
    let mixer = MixerParams {
        ann: weight("mixer_ann_weight"),
        collab: weight("mixer_collab_weight"),
        trending: weight("mixer_trending_weight"),
        popularity: weight("mixer_popularity_weight"),
        vote: weight("mixer_vote_weight"),
        novelty: weight("mixer_novelty_weight"),
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let text = |name: &str| get(name).map(str::to_owned);
    Ok(RecommendRequest {
        params: RecommendParams {
            user_id,
            limit,
            query: text("query").filter(|q| !q.is_empty()),
            diversify,
            profile: text("profile"),
            use_llm_intent,
            ann_description_override: text("ann_description_override"),
            rewrite_override: text("rewrite_override"),
            ann_weight_override,
            rewrite_weight_override,
            genre_override: text("genre_override"),
            mixer,
        },
        cursor: text("cursor").filter(|c| !c.is_empty()),
    })
}

/// FastAPI's boolean spellings, case-insensitive.
pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
        "false" | "0" | "no" | "off" | "f" | "n" => Some(false),
        _ => None,
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

fn missing(field: &str) -> ErrorDetail {
    ErrorDetail::new(
        "query",
        field,
        "missing",
        "Field required",
        Some(Value::Null),
    )
}

fn bound(field: &str, kind: &str, what: &str, raw: &str) -> ErrorDetail {
    ErrorDetail::new(
        "query",
        field,
        kind,
        format!("Input should be {what}"),
        Some(Value::String(raw.to_owned())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[allow(clippy::wildcard_enum_match_arm)]
    fn details(err: ApiError) -> Vec<ErrorDetail> {
        match err {
            ApiError::Validation(d) => d,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn defaults_match_the_original() {
        let req = parse(&pairs(&[("user_id", "u1")])).unwrap();
        assert_eq!(req.params.limit, 20);
        assert!(req.params.diversify && req.params.use_llm_intent);
        assert_eq!(req.params.query, None);
        assert_eq!(req.cursor, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = parse(&pairs(&[
            ("limit", "0"),
            ("diversify", "maybe"),
            ("mixer_ann_weight", "-1"),
        ]))
        .unwrap_err();
        let kinds: Vec<_> = details(err)
            .into_iter()
            .map(|d| (d.loc[1].clone(), d.kind))
            .collect();
        assert!(kinds.contains(&("user_id".into(), "missing".into())));
        assert!(kinds.contains(&("limit".into(), "greater_than_equal".into())));
        assert!(kinds.contains(&("diversify".into(), "bool_parsing".into())));
        assert!(kinds.contains(&("mixer_ann_weight".into(), "greater_than_equal".into())));
    }

    #[test]
    fn a_limit_above_one_hundred_is_rejected() {
        let d = details(parse(&pairs(&[("user_id", "u"), ("limit", "101")])).unwrap_err());
        assert_eq!(d[0].kind, "less_than_equal");
    }

    #[test]
    fn fastapi_boolean_spellings_are_accepted() {
        for (raw, want) in [("YES", true), ("off", false), ("t", true), ("0", false)] {
            assert_eq!(parse_bool(raw), Some(want), "{raw}");
        }
        assert_eq!(parse_bool("2"), None);
    }

    #[test]
    fn an_empty_query_means_no_query_but_whitespace_is_a_query() {
        let empty = parse(&pairs(&[("user_id", "u"), ("query", "")])).unwrap();
        assert_eq!(empty.params.query, None);
        let blank = parse(&pairs(&[("user_id", "u"), ("query", " ")])).unwrap();
        assert_eq!(blank.params.query.as_deref(), Some(" "));
    }

    #[test]
    fn non_finite_weights_are_rejected() {
        let d =
            details(parse(&pairs(&[("user_id", "u"), ("mixer_vote_weight", "NaN")])).unwrap_err());
        assert_eq!(d[0].kind, "finite_number");
    }
}
