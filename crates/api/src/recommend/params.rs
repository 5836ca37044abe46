//! `/recommend` query parameters: [`RecommendQuery`] is what the client sends (its schema is
//! both the OpenAPI description and the validation, see `extract::validate`), and
//! [`RecommendRequest`] what the pipeline reads.

use seen_core::mixer::MixerOverrides;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

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
    pub mixer: MixerOverrides,
}

/// A parsed request: the ranking parameters plus the page cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendRequest {
    pub params: RecommendParams,
    pub cursor: Option<String>,
}

/// `GET /recommend` and `GET /debug/recommend` query parameters.
///
/// Validated the way FastAPI did it (422 with a `detail` list naming every bad field), so
/// the original's clients see the same errors. Weight overrides are at most 1000: weights are
/// relative, so beyond that one weight drowns the others anyway, and the bound keeps every
/// weighted sum finite (an overflow would turn a score into `null`).
#[derive(Debug, Clone, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendQuery {
    /// The viewer (history and profile owner).
    pub user_id: String,
    /// Page size.
    #[param(required = false, default = 20, minimum = 1, maximum = 100)]
    pub limit: u8,
    /// Natural-language request ("feel-good comedies under 105 minutes"); empty means none.
    pub query: Option<String>,
    /// Cursor of the next page, from the previous page's `next_cursor` (invalid or stale →
    /// 400).
    pub cursor: Option<String>,
    /// Franchise cap and MMR diversification. Booleans accept true/false, 1/0, yes/no,
    /// on/off, t/f, y/n.
    #[param(required = false, default = true)]
    pub diversify: bool,
    /// A profile of the user (`user::profile`), with its own history.
    pub profile: Option<String>,
    /// Parse the query with the LLM when one is configured (else the rule parser).
    #[param(required = false, default = true)]
    pub use_llm_intent: bool,
    /// Replaces the intent's `ann_description`.
    pub ann_description_override: Option<String>,
    /// Replaces the rewrite text (cut to 8 words).
    pub rewrite_override: Option<String>,
    /// Weight of the description's vector in the rewrite blend.
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub ann_weight_override: Option<f64>,
    /// Weight of the rewrite text's vector in the rewrite blend.
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub rewrite_weight_override: Option<f64>,
    /// Comma-separated genres replacing the intent's.
    pub genre_override: Option<String>,
    /// Mixer weight of the query similarity.
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_ann_weight: Option<f64>,
    /// Mixer weight of the collaborative score (default 2.0; at most 0.3 with a query).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_collab_weight: Option<f64>,
    /// Mixer weight of the trending prior (default 0.2; 0 with a query).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_trending_weight: Option<f64>,
    /// Mixer weight of popularity (default 0.1; 0 with a query).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_popularity_weight: Option<f64>,
    /// Mixer weight of the vote count (default 0.1; 0.3, log-scaled, with a query).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_vote_weight: Option<f64>,
    /// Mixer weight of novelty (default 0.1; 0 with a query).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_novelty_weight: Option<f64>,
    /// Mixer weight of the full-text match of the query's words (default 0.2).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_lexical_weight: Option<f64>,
    /// Mixer weight of the weighted rating (default 0; 0.5 with a query, counted for the
    /// titles matching what the query names: its topics, its searched words, its genres).
    #[param(minimum = 0.0, maximum = 1000.0)]
    pub mixer_rating_weight: Option<f64>,
}

impl From<RecommendQuery> for RecommendRequest {
    fn from(q: RecommendQuery) -> Self {
        RecommendRequest {
            params: RecommendParams {
                user_id: q.user_id,
                limit: usize::from(q.limit),
                query: q.query.filter(|q| !q.is_empty()),
                diversify: q.diversify,
                profile: q.profile,
                use_llm_intent: q.use_llm_intent,
                ann_description_override: q.ann_description_override,
                rewrite_override: q.rewrite_override,
                ann_weight_override: q.ann_weight_override,
                rewrite_weight_override: q.rewrite_weight_override,
                genre_override: q.genre_override,
                mixer: MixerOverrides {
                    ann: q.mixer_ann_weight,
                    collab: q.mixer_collab_weight,
                    trending: q.mixer_trending_weight,
                    popularity: q.mixer_popularity_weight,
                    vote: q.mixer_vote_weight,
                    novelty: q.mixer_novelty_weight,
                    lexical: q.mixer_lexical_weight,
                    rating: q.mixer_rating_weight,
                },
            },
            cursor: q.cursor.filter(|c| !c.is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorDetail;
    use crate::extract::validate::Contract;
    use serde_json::Value;

    fn pairs(raw: &[(&str, &str)]) -> Value {
        Value::Object(
            raw.iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect(),
        )
    }

    fn parse(raw: &[(&str, &str)]) -> Result<RecommendRequest, Vec<ErrorDetail>> {
        let read = Contract::query::<RecommendQuery>().check(&pairs(raw))?;
        let query: RecommendQuery = serde_json::from_value(read).expect("checked input reads");
        Ok(RecommendRequest::from(query))
    }

    #[test]
    fn defaults_match_the_original() {
        let req = parse(&[("user_id", "u1")]).unwrap();
        assert_eq!(req.params.limit, 20);
        assert!(req.params.diversify && req.params.use_llm_intent);
        assert_eq!(req.params.query, None);
        assert_eq!(req.cursor, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = parse(&[
            ("limit", "0"),
            ("diversify", "maybe"),
            ("mixer_ann_weight", "-1"),
        ])
        .unwrap_err();
        let kinds: Vec<_> = err
            .into_iter()
            .map(|d| (d.loc[1].clone(), d.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("user_id".into(), "missing".into()),
                ("limit".into(), "greater_than_equal".into()),
                ("diversify".into(), "bool_parsing".into()),
                ("mixer_ann_weight".into(), "greater_than_equal".into()),
            ]
        );
    }

    #[test]
    fn a_limit_above_one_hundred_is_rejected() {
        let d = parse(&[("user_id", "u"), ("limit", "101")]).unwrap_err();
        assert_eq!(d[0].kind, "less_than_equal");
    }

    #[test]
    fn an_empty_query_means_no_query_but_whitespace_is_a_query() {
        let empty = parse(&[("user_id", "u"), ("query", "")]).unwrap();
        assert_eq!(empty.params.query, None);
        let blank = parse(&[("user_id", "u"), ("query", " ")]).unwrap();
        assert_eq!(blank.params.query.as_deref(), Some(" "));
    }

    #[test]
    fn non_finite_and_huge_weights_are_rejected() {
        let d = parse(&[("user_id", "u"), ("mixer_vote_weight", "NaN")]).unwrap_err();
        assert_eq!(d[0].kind, "finite_number");
        let d = parse(&[("user_id", "u"), ("ann_weight_override", "1e308")]).unwrap_err();
        assert_eq!(d[0].kind, "less_than_equal");
        assert!(parse(&[("user_id", "u"), ("rewrite_weight_override", "1000")]).is_ok());
    }

    #[test]
    fn lax_spellings_are_accepted() {
        let req = parse(&[
            ("user_id", "u"),
            ("limit", "5.0"),
            ("diversify", "OFF"),
            ("use_llm_intent", "n"),
            ("mixer_vote_weight", " 0.5 "),
        ])
        .unwrap();
        assert_eq!(req.params.limit, 5);
        assert!(!req.params.diversify && !req.params.use_llm_intent);
        assert_eq!(req.params.mixer.vote, Some(0.5));
    }

    #[test]
    fn mixer_weights_reach_the_overrides() {
        let req = parse(&[("user_id", "u"), ("mixer_novelty_weight", "0.5")]).unwrap();
        assert_eq!(req.params.mixer.novelty, Some(0.5));
        assert_eq!(req.params.mixer.ann, None);
    }
}
