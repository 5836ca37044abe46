//! What one JustWatch sync did, printed at the end of `seenemall etl-justwatch`.

use seen_store::availability::OfferChanges;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Counts of one sync run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncSummary {
    /// The upper-cased country synced.
    pub country: String,
    /// Titles skipped because they were looked up within `--stale-after-hours`.
    pub skipped_fresh: u64,
    /// Titles matched on JustWatch (their offers replaced, possibly by none).
    pub matched: u64,
    /// Titles JustWatch had no acceptable match for (their offers removed).
    pub no_match: u64,
    /// Titles not written, by reason (`timeout`, `graphql_error`, `store_error`, ...).
    pub failed: BTreeMap<String, u64>,
    /// Offer rows inserted, refreshed, removed.
    pub offers: OfferChanges,
    /// Wall time.
    pub elapsed: Duration,
}

impl SyncSummary {
    /// Titles not written, all reasons together.
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }

    /// Titles looked up: matched, no match and failed.
    pub fn looked_up(&self) -> u64 {
        self.matched + self.no_match + self.failed_total()
    }

    pub(crate) fn fail(&mut self, reason: impl Into<String>) {
        *self.failed.entry(reason.into()).or_default() += 1;
    }
}

impl fmt::Display for SyncSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JustWatch sync ({}): {} titles looked up ({} skipped as fresh) in {:.1} s: \
             {} matched, {} no match, {} failed; offers written {} ({} new), removed {}",
            self.country,
            self.looked_up(),
            self.skipped_fresh,
            self.elapsed.as_secs_f64(),
            self.matched,
            self.no_match,
            self.failed_total(),
            self.offers.written(),
            self.offers.inserted,
            self.offers.removed,
        )?;
        for (reason, n) in &self.failed {
            write!(f, "\n  failed, {reason}: {n}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_names_every_count_and_failures_by_reason() {
        let mut summary = SyncSummary {
            country: "IL".into(),
            matched: 3,
            no_match: 1,
            offers: OfferChanges {
                inserted: 4,
                refreshed: 2,
                removed: 1,
                skipped: 0,
            },
            ..SyncSummary::default()
        };
        summary.fail("timeout");
        summary.fail("timeout");

        let text = summary.to_string();

        assert!(
            text.starts_with("JustWatch sync (IL): 6 titles looked up"),
            "{text}"
        );
        assert!(
            text.contains("3 matched, 1 no match, 2 failed; offers written 6 (4 new), removed 1"),
            "{text}"
        );
        assert!(text.contains("failed, timeout: 2"), "{text}");
    }
}
