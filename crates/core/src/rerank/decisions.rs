//! A reranker's decisions: read leniently from the LLM's JSON, then merged into the list
//! (spec §4.21.1 step 6, §4.21.4).

use serde_json::Value;

use crate::candidate::Candidate;

/// One reranked item: its id and, optionally, a new score and explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct RerankDecision {
    /// Catalog item id.
    pub id: i64,
    /// Replaces the item's score when present (finite).
    pub score: Option<f64>,
    /// Replaces the item's explanation when present (trimmed, non-empty).
    pub explanation: Option<String>,
}

/// Reads the decisions from an answer that is a list, or an object whose `items` is a list.
/// Each element must be an object with an integer-like `id` (`12`, `12.0` or `"12"`), else
/// it is skipped; `score` is a number or numeric string, else none; `explanation` is any
/// scalar as text, trimmed, none when blank. Pinned: `{"id":"bad"}` is skipped and
/// `{"id":2,"score":"0.8","explanation":123}` gives (2, 0.8, "123").
pub fn parse_rerank(answer: &Value) -> Vec<RerankDecision> {
    let items = match answer {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("items") {
            Some(Value::Array(items)) => items,
            Some(_) | None => return Vec::new(),
        },
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => return Vec::new(),
    };
    items
        .iter()
        .filter_map(|entry| {
            let map = entry.as_object()?;
            Some(RerankDecision {
                id: map.get("id").and_then(int_like)?,
                score: map.get("score").and_then(float_like),
                explanation: map.get("explanation").and_then(text_like),
            })
        })
        .collect()
}

fn int_like(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

fn float_like(value: &Value) -> Option<f64> {
    let f = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    };
    f.filter(|f: &f64| f.is_finite())
}

fn text_like(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.trim().to_owned(),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => value.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// Applies decisions to `base`: decided items first, in decision order (ids not in `base`
/// and repeats skipped), each with the decision's score and explanation where given; then
/// every other base item in base order (window items the model left out, and everything past
/// the window). Returns the list and how many decisions were kept; with none kept, `base`
/// comes back unchanged. Pinned: decisions [2, 1] over [1, 2, 3] give [2, 1, 3].
pub fn merge_decisions(
    base: Vec<Candidate>,
    decisions: &[RerankDecision],
) -> (Vec<Candidate>, usize) {
    let mut slots: Vec<Option<Candidate>> = base.into_iter().map(Some).collect();
    let mut merged = Vec::with_capacity(slots.len());
    for decision in decisions {
        let Some(slot) = slots.iter_mut().find(|s| {
            s.as_ref()
                .is_some_and(|c| i64::from(c.item.id) == decision.id)
        }) else {
            continue; // unknown id, or already placed
        };
        let Some(mut cand) = slot.take() else {
            continue;
        };
        if let Some(score) = decision.score {
            cand.score = score;
        }
        if let Some(text) = decision.explanation.as_deref().filter(|t| !t.is_empty()) {
            cand.explanation = text.to_owned();
        }
        merged.push(cand);
    }
    let kept = merged.len();
    merged.extend(slots.into_iter().flatten());
    (merged, kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, MediaType};
    use serde_json::json;

    fn cand(id: i32) -> Candidate {
        let mut c = Candidate::new(Item::bare(id, MediaType::Movie, "t"), None, 0);
        c.score = f64::from(id);
        c.explanation = format!("default {id}");
        c
    }

    fn decision(id: i64, score: Option<f64>, explanation: Option<&str>) -> RerankDecision {
        RerankDecision {
            id,
            score,
            explanation: explanation.map(str::to_owned),
        }
    }

    fn ids(list: &[Candidate]) -> Vec<i32> {
        list.iter().map(|c| c.item.id).collect()
    }

    #[test]
    fn a_bad_id_is_skipped_and_strings_are_coerced() {
        let answer =
            json!({"items": [{"id": "bad"}, {"id": 2, "score": "0.8", "explanation": 123}]});
        assert_eq!(
            parse_rerank(&answer),
            vec![decision(2, Some(0.8), Some("123"))]
        );
    }

    #[test]
    fn a_bare_list_and_string_ids_are_read() {
        let answer = json!([{"id": "12", "score": 0.5, "explanation": "  Fits.  "}, {"id": 7.0}]);
        assert_eq!(
            parse_rerank(&answer),
            vec![
                decision(12, Some(0.5), Some("Fits.")),
                decision(7, None, None)
            ]
        );
    }

    #[test]
    fn non_objects_and_odd_shapes_give_no_decisions() {
        assert!(parse_rerank(&json!({"items": "x"})).is_empty());
        assert!(parse_rerank(&json!("x")).is_empty());
        assert!(parse_rerank(&json!([1, null, {"score": 1}])).is_empty());
        assert_eq!(
            parse_rerank(&json!([{"id": 1, "score": "high", "explanation": "  "}])),
            vec![decision(1, None, None)]
        );
    }

    #[test]
    fn decided_items_go_first_and_the_rest_keep_their_order_and_explanation() {
        let decisions = [
            decision(2, Some(0.9), Some("Best")),
            decision(1, None, None),
        ];
        let (merged, kept) = merge_decisions(vec![cand(1), cand(2), cand(3)], &decisions);
        assert_eq!(ids(&merged), vec![2, 1, 3]);
        assert_eq!(kept, 2);
        assert_eq!(
            (merged[0].score, merged[0].explanation.as_str()),
            (0.9, "Best")
        );
        assert_eq!(
            (merged[1].score, merged[1].explanation.as_str()),
            (1.0, "default 1")
        );
        assert_eq!(merged[2].explanation, "default 3");
    }

    #[test]
    fn unknown_and_repeated_ids_are_skipped() {
        let decisions = [
            decision(9, None, None),
            decision(3, None, None),
            decision(3, Some(0.1), None),
        ];
        let (merged, kept) = merge_decisions(vec![cand(1), cand(2), cand(3)], &decisions);
        assert_eq!(ids(&merged), vec![3, 1, 2]);
        assert_eq!(kept, 1);
        assert_eq!(merged[0].score, 3.0);
    }

    #[test]
    fn no_usable_decision_keeps_the_base_order() {
        let (merged, kept) = merge_decisions(vec![cand(1), cand(2)], &[decision(5, None, None)]);
        assert_eq!((ids(&merged), kept), (vec![1, 2], 0));
    }
}
