//! `seenemall eval queries`: how well a running server answers the query-quality set
//! (`data/queries/queries.jsonl`), through `GET /recommend` as a new user would ask.
//!
//! Each request is sent for a user with no history (one per run, so no cached list is
//! reused), `limit=10`, with the server's defaults: on a server without an LLM key that is
//! the deterministic path (the rule parser, the vocabulary, offline linking), with a key the
//! LLM path. Requests go to `/debug/recommend` (the same list as `/recommend`) so the
//! report says which intent parser answered. The returned titles are matched to the
//! request's expected titles by exact title (case-insensitive); NDCG@10 and Recall@10 are
//! `seen_core::eval_metrics`' (binary relevance), per request and averaged.

use super::server::send_ok;
use crate::catalog_import::progress_bar;
use anyhow::Context;
use seen_core::eval_metrics::{ndcg_at, recall_at};
use seen_core::item::ItemId;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

/// Titles a request is scored on (and asks for).
pub const LIST_LENGTH: usize = 10;

/// One request of the set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryCase {
    /// The request text, as people type it.
    pub query: String,
    /// Catalog titles a film-literate person expects in the top 10.
    pub expected: Vec<String>,
    /// What the request means, in one line.
    pub reason: String,
}

/// How one request was answered.
#[derive(Debug, Clone, Serialize)]
pub struct QueryScore {
    pub query: String,
    pub ndcg_at_10: f64,
    pub recall_at_10: f64,
    /// The first five titles returned.
    pub top: Vec<String>,
}

/// The whole set through one path.
#[derive(Debug, Clone, Serialize)]
pub struct QueryReport {
    /// The intent parsers that answered, from the trace: `offline` (the deterministic
    /// path), `llm`, or both (`llm+offline`: the LLM failed for some requests).
    pub path: String,
    pub ndcg_at_10: f64,
    pub recall_at_10: f64,
    pub queries: Vec<QueryScore>,
}

/// Reads a query set (JSON lines; blank lines are skipped). Errors name the line.
pub fn read_cases(path: &Path) -> anyhow::Result<Vec<QueryCase>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the query set {}", path.display()))?;
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: QueryCase = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a query case", path.display(), n + 1))?;
        anyhow::ensure!(
            !case.query.trim().is_empty() && !case.expected.is_empty(),
            "{} line {}: a case needs a query and at least one expected title",
            path.display(),
            n + 1
        );
        cases.push(case);
    }
    anyhow::ensure!(!cases.is_empty(), "{} holds no query case", path.display());
    Ok(cases)
}

/// NDCG@10 and Recall@10 of `returned` titles against `expected` ones (exact titles,
/// case-insensitive; an expected title counts once).
pub fn score_titles(returned: &[String], expected: &[String]) -> (f64, f64) {
    let mut ids: HashMap<String, ItemId> = HashMap::new();
    for title in expected {
        let next = ids.len() as ItemId;
        ids.entry(title.to_lowercase()).or_insert(next);
    }
    let relevant: HashSet<ItemId> = ids.values().copied().collect();
    // A title that is not expected gets an id no expected title has.
    let ranked: Vec<ItemId> = returned
        .iter()
        .enumerate()
        .map(|(i, t)| {
            ids.get(&t.to_lowercase())
                .copied()
                .unwrap_or(-1 - i as ItemId)
        })
        .collect();
    // `+ 0.0` turns the -0.0 of an empty float sum into 0.0 for printing.
    (
        ndcg_at(&ranked, &relevant, LIST_LENGTH) + 0.0,
        recall_at(&ranked, &relevant, LIST_LENGTH) + 0.0,
    )
}

#[derive(Deserialize)]
struct RecommendPage {
    items: Vec<RecommendedTitle>,
    debug: PageTrace,
}

#[derive(Deserialize)]
struct PageTrace {
    /// `offline`, `llm` or `none`.
    intent_source: String,
}

#[derive(Deserialize)]
struct RecommendedTitle {
    title: String,
}

/// Sends every case to `base_url`'s `/debug/recommend` and scores the answers; `extra` are
/// more query parameters for every request (mixer overrides, to tune with).
pub async fn run(
    base_url: &str,
    cases: &[QueryCase],
    extra: &[(String, String)],
) -> anyhow::Result<QueryReport> {
    let bar = progress_bar(cases.len() as u64, true, "requests");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .context("cannot build an HTTP client")?;
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let user = format!("eval-queries-{nonce}");
    let url = format!("{}/debug/recommend", base_url.trim_end_matches('/'));
    let mut parsers = std::collections::BTreeSet::new();
    let mut queries = Vec::with_capacity(cases.len());
    for case in cases {
        let request = client
            .get(&url)
            .query(&[
                ("user_id", user.as_str()),
                ("query", case.query.as_str()),
                ("limit", "10"),
            ])
            .query(extra);
        let response = send_ok(request, &format!("GET {url} for {:?}", case.query)).await?;
        let page: RecommendPage = response
            .json()
            .await
            .with_context(|| format!("GET {url} for {:?}: not a recommend page", case.query))?;
        parsers.insert(page.debug.intent_source);
        let titles: Vec<String> = page.items.into_iter().map(|i| i.title).collect();
        let (ndcg_at_10, recall_at_10) = score_titles(&titles, &case.expected);
        let score = QueryScore {
            query: case.query.clone(),
            ndcg_at_10,
            recall_at_10,
            top: titles.into_iter().take(5).collect(),
        };
        bar.inc(1);
        queries.push(score);
    }
    bar.finish_and_clear();
    let mean =
        |f: fn(&QueryScore) -> f64| queries.iter().map(f).sum::<f64>() / queries.len() as f64;
    Ok(QueryReport {
        path: parsers.into_iter().collect::<Vec<_>>().join("+"),
        ndcg_at_10: mean(|q| q.ndcg_at_10),
        recall_at_10: mean(|q| q.recall_at_10),
        queries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn hits_are_matched_by_title_whatever_the_case() {
        let expected = titles(&["Alien", "Aliens"]);
        let (ndcg, recall) = score_titles(&titles(&["aliens", "Heat", "ALIEN"]), &expected);
        assert!((recall - 1.0).abs() < 1e-12);
        let ideal = 1.0 + 1.0 / 3f64.log2();
        let dcg = 1.0 + 1.0 / 4f64.log2();
        assert!((ndcg - dcg / ideal).abs() < 1e-12, "{ndcg}");
    }

    #[test]
    fn misses_and_repeats_score_nothing() {
        let expected = titles(&["Alien", "Alien"]);
        assert_eq!(
            score_titles(&titles(&["Heat", "Ronin"]), &expected),
            (0.0, 0.0)
        );
        let (_, recall) = score_titles(&titles(&["Alien"]), &expected);
        assert!(
            (recall - 1.0).abs() < 1e-12,
            "an expected title counts once"
        );
    }

    #[test]
    fn the_repository_set_is_well_formed() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/queries/queries.jsonl");
        let cases = read_cases(&path).expect("the query set parses");
        assert!(cases.len() >= 40, "{}", cases.len());
        assert!(cases.iter().all(|c| (3..=10).contains(&c.expected.len())));
    }
}
