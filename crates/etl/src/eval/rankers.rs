//! The rankings an evaluation compares. Each is one [`Ranker`]: a user's history in, a ranked
//! list of titles out. Adding a row to the report is adding one more implementation.

use super::split::{EvalEvent, SplitUser};
use futures::future::{BoxFuture, FutureExt};
use seen_core::item::ItemId;
use seen_core::taste::{HistoryOrder, TasteEvent, TasteModel};
use std::collections::{HashMap, HashSet};

/// What a ranker is asked for one user.
#[derive(Debug, Clone, Copy)]
pub struct RankQuery<'a> {
    /// MovieLens `userId`.
    pub user: i64,
    /// The user's history part, oldest first.
    pub history: &'a [EvalEvent],
    /// Titles the list must not hold (the history's); the evaluation drops any that slip in.
    pub seen: &'a HashSet<ItemId>,
    /// Titles wanted, best first.
    pub limit: usize,
}

impl RankQuery<'_> {
    /// Whether the history's order is when things were rated (MovieLens times, as `import
    /// movielens` stores them): what `/recommend` reads from `user_history.ts`.
    pub fn order(&self) -> HistoryOrder {
        HistoryOrder::from_times(self.history.iter().map(|e| e.ts))
    }
}

/// One ranking under evaluation. Async so that a ranker may do I/O (the product's pipeline
/// reads Postgres); the in-memory ones answer at once.
pub trait Ranker: Send + Sync {
    /// The report's row label.
    fn name(&self) -> &str;

    /// The user's list, best first.
    fn rank<'a>(&'a self, query: RankQuery<'a>) -> BoxFuture<'a, anyhow::Result<Vec<ItemId>>>;
}

/// Titles by how many users have them in their history part, most first (ties: lower id).
#[derive(Debug, Clone)]
pub struct MostPopular {
    order: Vec<ItemId>,
}

impl MostPopular {
    /// Counts over every user's history part (each user counts a title once).
    pub fn from_histories(users: &[SplitUser]) -> MostPopular {
        let mut counts: HashMap<ItemId, usize> = HashMap::new();
        for user in users {
            for item in user.seen() {
                *counts.entry(item).or_default() += 1;
            }
        }
        let mut order: Vec<(ItemId, usize)> = counts.into_iter().collect();
        order.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        MostPopular {
            order: order.into_iter().map(|(item, _)| item).collect(),
        }
    }
}

impl Ranker for MostPopular {
    fn name(&self) -> &str {
        "most popular (history counts)"
    }

    fn rank<'a>(&'a self, query: RankQuery<'a>) -> BoxFuture<'a, anyhow::Result<Vec<ItemId>>> {
        let list = self
            .order
            .iter()
            .filter(|item| !query.seen.contains(item))
            .take(query.limit)
            .copied()
            .collect();
        futures::future::ready(Ok(list)).boxed()
    }
}

/// A fitted taste model scoring the user's history at request time (as `serve` will).
#[derive(Debug, Clone)]
pub struct TasteRanker {
    name: String,
    model: TasteModel,
}

impl TasteRanker {
    /// A model under a row label.
    pub fn new(name: impl Into<String>, model: TasteModel) -> TasteRanker {
        TasteRanker {
            name: name.into(),
            model,
        }
    }
}

impl TasteRanker {
    /// The fitted model.
    pub fn model(&self) -> &TasteModel {
        &self.model
    }
}

impl Ranker for TasteRanker {
    fn name(&self) -> &str {
        &self.name
    }

    fn rank<'a>(&'a self, query: RankQuery<'a>) -> BoxFuture<'a, anyhow::Result<Vec<ItemId>>> {
        let history: Vec<TasteEvent> = query
            .history
            .iter()
            .map(|e| TasteEvent::new(e.item, e.event_type))
            .collect();
        let list = self
            .model
            .score(&history, query.order(), query.limit)
            .into_iter()
            .map(|s| s.item)
            .collect();
        futures::future::ready(Ok(list)).boxed()
    }
}
