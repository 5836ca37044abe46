//! The knobs of a taste model. The defaults are the best `seenemall eval` measured on the
//! MovieLens temporal split (README, "Taste model").

use super::error::TasteError;
use super::sequence::SequenceParams;
use super::weights::EventWeights;
use serde::{Deserialize, Serialize};

/// How a taste model is fitted and how it scores a user.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TasteParams {
    /// L2 regularisation λ added to the diagonal of `XᵀX`: larger trusts rare co-occurrences less.
    pub lambda: f64,
    /// Weights kept per title (its strongest neighbours); bounds the model's size.
    pub top_k: usize,
    /// Titles with fewer distinct users (events of positive fit weight) are left out.
    pub min_users: usize,
    /// Event weights of the training matrix `X`.
    pub fit_weights: EventWeights,
    /// Event weights of the user row `x_u` at scoring time.
    pub score_weights: EventWeights,
    /// At scoring time, a title's weight halves every this many newer titles in the user's
    /// history (`None`: every title counts the same, however old).
    pub recency_half_life: Option<f32>,
    /// The order signal: what people watch next after the viewer's newest titles. Stored
    /// parameters from before it existed (`taste_models.params`) read as the default, so a
    /// server's own retraining brings it in.
    #[serde(default)]
    pub sequence: SequenceParams,
}

impl Default for TasteParams {
    fn default() -> Self {
        TasteParams {
            lambda: 200.0,
            top_k: 200,
            min_users: 2,
            fit_weights: EventWeights {
                liked: 1.0,
                watched: 0.3,
                disliked: 0.05,
            },
            // A disliked title neither adds nor subtracts at scoring time (a small negative
            // weight measured the same).
            score_weights: EventWeights {
                liked: 1.0,
                watched: 0.3,
                disliked: 0.0,
            },
            recency_half_life: Some(20.0),
            sequence: SequenceParams::default(),
        }
    }
}

impl TasteParams {
    /// Plain EASE as Steck published it: binary events, no recency, no order signal, the
    /// given λ.
    pub fn plain_ease(lambda: f64, top_k: usize, min_users: usize) -> TasteParams {
        TasteParams {
            lambda,
            top_k,
            min_users,
            fit_weights: EventWeights::BINARY,
            score_weights: EventWeights::BINARY,
            recency_half_life: None,
            sequence: SequenceParams::OFF,
        }
    }

    /// Checks every value; the error names the parameter and what is allowed.
    pub fn validate(&self) -> Result<(), TasteError> {
        let bad = |what: &str| Err(TasteError::InvalidParams(what.to_owned()));
        if !(self.lambda.is_finite() && self.lambda > 0.0) {
            return bad("lambda must be a finite number > 0");
        }
        if self.top_k == 0 {
            return bad("top_k must be at least 1");
        }
        if self.min_users == 0 {
            return bad("min_users must be at least 1");
        }
        let fit = self.fit_weights.all();
        if fit.iter().any(|w| !(w.is_finite() && *w >= 0.0)) || fit.iter().all(|w| *w == 0.0) {
            return bad("fit weights must be finite, ≥ 0, and not all 0");
        }
        if self.score_weights.all().iter().any(|w| !w.is_finite()) {
            return bad("score weights must be finite");
        }
        if let Some(h) = self.recency_half_life
            && !(h.is_finite() && h > 0.0)
        {
            return bad("recency_half_life must be a finite number of titles > 0");
        }
        self.sequence.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(TasteParams::default().validate(), Ok(()));
        assert_eq!(TasteParams::plain_ease(200.0, 100, 1).validate(), Ok(()));
    }

    #[test]
    fn parameters_stored_before_the_order_signal_read_with_its_default() {
        let mut stored = serde_json::to_value(TasteParams::default()).expect("serialises");
        stored
            .as_object_mut()
            .expect("an object")
            .remove("sequence");

        let read: TasteParams = serde_json::from_value(stored).expect("reads");

        assert_eq!(read, TasteParams::default());
    }

    #[test]
    fn out_of_range_values_are_named() {
        let cases = [
            (
                TasteParams {
                    lambda: 0.0,
                    ..TasteParams::default()
                },
                "lambda",
            ),
            (
                TasteParams {
                    top_k: 0,
                    ..TasteParams::default()
                },
                "top_k",
            ),
            (
                TasteParams {
                    fit_weights: EventWeights {
                        liked: 0.0,
                        watched: 0.0,
                        disliked: 0.0,
                    },
                    ..TasteParams::default()
                },
                "fit weights",
            ),
            (
                TasteParams {
                    recency_half_life: Some(-1.0),
                    ..TasteParams::default()
                },
                "recency_half_life",
            ),
        ];
        for (params, name) in cases {
            match params.validate() {
                Err(TasteError::InvalidParams(text)) => assert!(text.contains(name), "{text}"),
                other => panic!("{name}: expected an error, got {other:?}"),
            }
        }
    }
}
