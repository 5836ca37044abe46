//! Phase "external faults": `/recommend` with a query while every provider fails. Each
//! request must still answer 200 with a list (the offline parser, the heuristic rewrite and
//! order take over), and the server's own counters must show every language service was
//! called and fell back, so a silently disabled path fails the suite.

use futures::StreamExt;
use std::collections::BTreeMap;

/// Distinct queries, so the server's caches never answer for the fakes.
const QUERIES: [&str; 40] = [
    "light sci-fi under 2 hours",
    "dark crime thriller",
    "feel good comedy",
    "movies from the 90s",
    "something in french",
    "animated family adventure",
    "space opera",
    "romantic comedy for a date night",
    "no gore please",
    "mind-bending mystery",
    "war drama based on a true story",
    "kids show",
    "more like Interstellar",
    "films by Denis Villeneuve",
    "starring Tom Hanks",
    "something like The Matrix",
    "directed by Christopher Nolan",
    "cozy mystery series",
    "heist movie with a twist",
    "short horror under 90 minutes",
    "japanese animation",
    "courtroom drama",
    "superhero movie that is not too long",
    "documentary about nature",
    "slow burn psychological thriller",
    "80s action classics",
    "musical with great songs",
    "coming of age story",
    "post-apocalyptic survival",
    "period drama with costumes",
    "buddy cop comedy",
    "time travel movie",
    "similar to Toy Story",
    "western with a lone gunslinger",
    "sports underdog story",
    "spy thriller set in Europe",
    "fantasy epic with dragons",
    "quiet indie drama",
    "movies with Meryl Streep",
    "haunted house but not too scary",
];

/// What phase 1 saw.
pub struct ExternalOutcome {
    pub sent: usize,
    /// 200 with an `items` list.
    pub ok: usize,
    /// Everything else: status or transport error, with the query.
    pub failures: Vec<String>,
}

/// Sends every query once, two at a time.
pub async fn run(client: &reqwest::Client, base: &str) -> ExternalOutcome {
    let results: Vec<Result<(), String>> = futures::stream::iter(QUERIES.iter().enumerate())
        .map(|(i, query)| recommend(client, base, i, query))
        .buffer_unordered(2)
        .collect()
        .await;
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    ExternalOutcome {
        sent: QUERIES.len(),
        ok: QUERIES.len() - failures.len(),
        failures,
    }
}

/// One `/recommend` for a user of its own; `Err` says what was wrong.
async fn recommend(
    client: &reqwest::Client,
    base: &str,
    i: usize,
    query: &str,
) -> Result<(), String> {
    let mut url =
        url::Url::parse(&format!("{base}/recommend")).map_err(|e| format!("bad base URL: {e}"))?;
    url.query_pairs_mut()
        .append_pair("user_id", &format!("fx-{i}"))
        .append_pair("query", query)
        .append_pair("limit", "10");
    let resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("{query:?}: transport error: {e}"))?;
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp
        .json()
        .await
        .map_err(|e| format!("{query:?}: {status} with an unreadable body: {e}"))?;
    if status == 200 && body["items"].is_array() {
        Ok(())
    } else {
        Err(format!("{query:?}: {status} {body}"))
    }
}

/// `seenemall_language_calls_total` by service, then outcome, from `/metrics`.
pub async fn language_calls(
    client: &reqwest::Client,
    base: &str,
) -> anyhow::Result<BTreeMap<String, BTreeMap<String, u64>>> {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    Ok(parse_language_calls(&text))
}

/// Reads lines like `seenemall_language_calls_total{outcome="timeout",service="intent"} 3`.
fn parse_language_calls(text: &str) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut calls: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("seenemall_language_calls_total{") else {
            continue;
        };
        let Some((labels, value)) = rest.split_once("} ") else {
            continue;
        };
        let label = |name: &str| {
            labels.split(',').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k.trim() == name).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        let (Some(service), Some(outcome)) = (label("service"), label("outcome")) else {
            continue;
        };
        let count = value.trim().parse::<f64>().unwrap_or(0.0) as u64;
        *calls
            .entry(service)
            .or_default()
            .entry(outcome)
            .or_default() += count;
    }
    calls
}
