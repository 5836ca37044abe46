//! The evaluation's result: one row of metrics per ranking, printed as a Markdown table or
//! serialised as JSON.

use seen_core::eval_metrics::RankingMetrics;
use serde::Serialize;
use std::fmt;

/// One ranking's row.
#[derive(Debug, Clone, Serialize)]
pub struct EvalRow {
    /// The ranking's label.
    pub name: String,
    /// Its metrics, averaged over the evaluated users.
    #[serde(flatten)]
    pub metrics: RankingMetrics,
    /// Seconds its model took to fit, when it has one.
    pub fit_seconds: Option<f64>,
}

/// What an evaluation measured.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// How the ratings were split and what counts as relevant.
    pub protocol: String,
    /// MovieLens users with ratings of catalog movies.
    pub users_total: usize,
    /// Users evaluated (a history and at least one relevant title; after `--users`).
    pub users_evaluated: usize,
    /// History events (all users) the models were fitted on.
    pub history_events: usize,
    /// Relevant titles summed over the evaluated users.
    pub relevant_titles: usize,
    /// Catalog movies a ranking may return (coverage's denominator).
    pub rankable_titles: usize,
    /// One row per ranking.
    pub rows: Vec<EvalRow>,
    /// Wall time.
    pub seconds: f64,
}

impl EvalReport {
    /// The row with this label.
    pub fn row(&self, name: &str) -> Option<&EvalRow> {
        self.rows.iter().find(|r| r.name == name)
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.protocol)?;
        writeln!(
            f,
            "{} of {} users evaluated ({} relevant titles), {} history events, {} rankable \
             movies; {:.1} s",
            self.users_evaluated,
            self.users_total,
            self.relevant_titles,
            self.history_events,
            self.rankable_titles,
            self.seconds
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| ranking | NDCG@10 | Recall@10 | Recall@20 | HR@10 | Coverage@10 | fit (s) |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|")?;
        for row in &self.rows {
            let m = &row.metrics;
            let fit = row
                .fit_seconds
                .map_or_else(|| "–".to_owned(), |s| format!("{s:.1}"));
            writeln!(
                f,
                "| {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {} |",
                row.name,
                m.ndcg_at_10,
                m.recall_at_10,
                m.recall_at_20,
                m.hit_rate_at_10,
                m.coverage_at_10,
                fit
            )?;
        }
        Ok(())
    }
}
