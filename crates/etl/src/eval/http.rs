//! `seenemall eval http`: the same split, through a running server's HTTP API, as a client
//! would see it. Each evaluated user's history part is posted to `POST /user/history` (oldest
//! first, one request per run of same-type events, so the server stores them in time order)
//! under a fresh user id, then `GET /recommend?limit=20&diversify=false` is scored on the
//! user's later ratings. Run it against a database holding the catalog but not the MovieLens
//! import (which holds the later ratings too): nothing of the later part reaches the server.
//! The server ranks with whatever model it serves at that moment: the one `seenemall train`
//! or its own retraining (`AUTO_TRAIN`) fitted on the posted histories, or none.

use super::rankers::{MostPopular, RankQuery, Ranker};
use super::report::EvalReport;
use super::server::send_ok;
use super::split::{EvalEvent, SplitUser, evaluated};
use super::{evaluate, load_split, protocol};
use crate::catalog_import::progress_bar;
use anyhow::Context;
use futures::future::{BoxFuture, FutureExt};
use futures::{StreamExt, TryStreamExt};
use seen_core::item::ItemId;
use seen_store::PgPool;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Users whose histories are posted at the same time.
const POST_CONCURRENCY: usize = 4;

/// Settings of one HTTP evaluation.
#[derive(Debug, Clone)]
pub struct HttpEvalOptions {
    /// The MovieLens directory (`ratings.csv`, `links.csv`, or their `.gz`).
    pub dir: PathBuf,
    /// The server.
    pub url: String,
    /// Evaluate this many users, drawn by `seed` (all when `None`).
    pub users: Option<usize>,
    /// Seed of the user sample.
    pub seed: u64,
    /// Prefix of the user ids the histories are posted under (`<prefix><MovieLens userId>`).
    pub user_prefix: String,
    /// Post the histories first (`false`: an earlier run with the same prefix posted them).
    pub post: bool,
    /// Post one request per event type (liked, watched, disliked; each in time order) instead
    /// of one per run of same-type events: the order a client exporting ratings might use.
    pub by_type: bool,
}

/// Posts the histories (unless told not to), then scores `/recommend` and most popular.
pub async fn run(pool: &PgPool, opts: &HttpEvalOptions) -> anyhow::Result<EvalReport> {
    let started = Instant::now();
    let data = load_split(pool, &opts.dir).await?;
    let users = evaluated(data.users, opts.users, opts.seed);
    let server = Server::new(&opts.url, &opts.user_prefix)?;
    if opts.post {
        post_histories(&server, &users, opts.by_type).await?;
    }
    let rankers: Vec<(Box<dyn Ranker>, Option<f64>)> = vec![
        (Box::new(MostPopular::from_histories(&users)), None),
        (Box::new(server), None),
    ];
    let rows = evaluate(&users, &rankers, &data.rankable, true).await?;
    Ok(EvalReport {
        protocol: format!("{} (through the HTTP API)", protocol()),
        users_total: data.users_total,
        users_evaluated: users.len(),
        history_events: users.iter().map(|u| u.history.len()).sum(),
        relevant_titles: users.iter().map(|u| u.relevant.len()).sum(),
        rankable_titles: data.rankable.len(),
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

async fn post_histories(server: &Server, users: &[SplitUser], by_type: bool) -> anyhow::Result<()> {
    let bar = progress_bar(users.len() as u64, true, "histories posted");
    futures::stream::iter(users)
        .map(|user| {
            let bar = &bar;
            async move {
                if by_type {
                    for kind in ["liked", "watched", "disliked"] {
                        let events: Vec<EvalEvent> = user
                            .history
                            .iter()
                            .filter(|e| e.event_type == kind)
                            .cloned()
                            .collect();
                        if !events.is_empty() {
                            server.post(user.user, &events).await?;
                        }
                    }
                } else {
                    for run in user.history.chunk_by(|a, b| a.event_type == b.event_type) {
                        server.post(user.user, run).await?;
                    }
                }
                bar.inc(1);
                anyhow::Ok(())
            }
        })
        .buffer_unordered(POST_CONCURRENCY)
        .try_collect::<()>()
        .await?;
    bar.finish_and_clear();
    Ok(())
}

/// The server under evaluation: a client for its history and recommend endpoints.
struct Server {
    client: reqwest::Client,
    base: String,
    prefix: String,
}

#[derive(Serialize)]
struct HistoryPost<'a> {
    user_id: &'a str,
    items: Vec<ItemId>,
    event_type: &'a str,
}

#[derive(Deserialize)]
struct RecommendPage {
    items: Vec<RecommendedId>,
}

#[derive(Deserialize)]
struct RecommendedId {
    id: ItemId,
}

impl Server {
    fn new(url: &str, prefix: &str) -> anyhow::Result<Server> {
        Ok(Server {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .context("cannot build an HTTP client")?,
            base: url.trim_end_matches('/').to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    fn user_id(&self, user: i64) -> String {
        format!("{}{user}", self.prefix)
    }

    async fn post(&self, user: i64, run: &[EvalEvent]) -> anyhow::Result<()> {
        let url = format!("{}/user/history", self.base);
        let user_id = self.user_id(user);
        let body = HistoryPost {
            user_id: &user_id,
            items: run.iter().map(|e| e.item).collect(),
            event_type: run.first().map_or("watched", |e| e.event_type),
        };
        let request = self.client.post(&url).json(&body);
        send_ok(request, &format!("POST {url} for {user_id}")).await?;
        Ok(())
    }
}

impl Ranker for Server {
    fn name(&self) -> &str {
        "/recommend over HTTP (limit=20, diversify=false)"
    }

    fn rank<'a>(&'a self, query: RankQuery<'a>) -> BoxFuture<'a, anyhow::Result<Vec<ItemId>>> {
        async move {
            let url = format!("{}/recommend", self.base);
            let user_id = self.user_id(query.user);
            let limit = query.limit.to_string();
            let request = self.client.get(&url).query(&[
                ("user_id", user_id.as_str()),
                ("limit", limit.as_str()),
                ("diversify", "false"),
            ]);
            let response = send_ok(request, &format!("GET {url} for {user_id}")).await?;
            let page: RecommendPage = response
                .json()
                .await
                .with_context(|| format!("GET {url} for {user_id}: not a recommend page"))?;
            Ok(page.items.into_iter().map(|i| i.id).collect())
        }
        .boxed()
    }
}
