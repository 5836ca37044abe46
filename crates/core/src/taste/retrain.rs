//! When a server retrains the taste model on its own (`AUTO_TRAIN`): once enough history has
//! arrived since the model's fit, both in events and as a share of what the model saw. New
//! users need no retraining (they are scored from their own history at request time); a
//! retrain brings in titles and co-watching patterns the model has not seen.

/// The retraining threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetrainPolicy {
    /// New history events needed at least.
    pub min_new_events: u64,
    /// Share of the model's training history the new events must add (0.1: 10 % more).
    pub min_growth: f64,
}

impl Default for RetrainPolicy {
    fn default() -> Self {
        RetrainPolicy {
            min_new_events: 200,
            min_growth: 0.1,
        }
    }
}

impl RetrainPolicy {
    /// Whether `new_events` written since a fit that read `trained_rows` rows justify a new
    /// fit. With no model (`trained_rows` 0) the event count alone decides.
    pub fn is_due(&self, new_events: u64, trained_rows: u64) -> bool {
        new_events > 0
            && new_events >= self.min_new_events
            && new_events as f64 >= self.min_growth * trained_rows as f64
    }
}

#[cfg(test)]
mod tests {
    use super::RetrainPolicy;

    #[test]
    fn a_retrain_needs_enough_new_events_and_enough_growth() {
        let policy = RetrainPolicy {
            min_new_events: 200,
            min_growth: 0.1,
        };
        // No model yet: the event count decides.
        assert!(!policy.is_due(199, 0));
        assert!(policy.is_due(200, 0));
        // 100,000 rows trained on: 10,000 more are needed, not 200.
        assert!(!policy.is_due(9_999, 100_000));
        assert!(policy.is_due(10_000, 100_000));
        // A small model: the event floor decides.
        assert!(!policy.is_due(150, 1_000));
        assert!(policy.is_due(200, 1_000));
    }

    #[test]
    fn nothing_new_is_never_due_even_with_zero_thresholds() {
        let eager = RetrainPolicy {
            min_new_events: 0,
            min_growth: 0.0,
        };
        assert!(!eager.is_due(0, 0));
        assert!(eager.is_due(1, 50_000));
    }
}
