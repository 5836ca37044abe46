//! What one sync did, printed at the end of `seenemall etl-tmdb`.

use seen_store::items::UpsertCounts;
use seen_store::list_ranks::RankRefresh;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Counts of one sync run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncSummary {
    /// List pages fetched.
    pub pages: u64,
    /// List entries seen, duplicates included.
    pub listed: u64,
    /// List entries without a usable id.
    pub unusable_ids: u64,
    /// Unique titles the lists named.
    pub unique: usize,
    /// Titles whose details were skipped as fresh (`--skip-fresh-hours`).
    pub skipped_fresh: usize,
    /// Detail payloads fetched.
    pub fetched: u64,
    /// Rows inserted / updated / left unchanged.
    pub counts: UpsertCounts,
    /// Titles not written, by reason (`not_found`, `timeout`, `unmappable: missing title`, ...).
    pub failed: BTreeMap<String, u64>,
    /// Rank changes made before the details phase.
    pub ranks: RankRefresh,
    /// Transactions committed by the details phase.
    pub batches: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl SyncSummary {
    /// Titles not written, all reasons together.
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }

    pub(crate) fn fail(&mut self, reason: impl Into<String>) {
        *self.failed.entry(reason.into()).or_default() += 1;
    }
}

impl fmt::Display for SyncSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "TMDB sync: {} list entries ({} without usable id) from {} pages, {} unique titles, in {:.1} s",
            self.listed,
            self.unusable_ids,
            self.pages,
            self.unique,
            self.elapsed.as_secs_f64()
        )?;
        writeln!(
            f,
            "  ranks: {} cleared, {} changed",
            self.ranks.cleared, self.ranks.moved
        )?;
        writeln!(
            f,
            "  details: {} fetched, {} skipped as fresh, {} failed",
            self.fetched,
            self.skipped_fresh,
            self.failed_total()
        )?;
        write!(
            f,
            "  inserted {}, updated {}, unchanged {} ({} batches)",
            self.counts.inserted, self.counts.updated, self.counts.unchanged, self.batches
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
    fn the_summary_lists_failures_by_reason() {
        let mut summary = SyncSummary::default();
        summary.fail("not_found");
        summary.fail("not_found");
        summary.fail("timeout");
        let text = summary.to_string();
        assert_eq!(summary.failed_total(), 3);
        assert!(text.contains("3 failed"), "{text}");
        assert!(text.contains("failed, not_found: 2"), "{text}");
        assert!(text.contains("failed, timeout: 1"), "{text}");
    }
}
