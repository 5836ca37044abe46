//! What the ranker did, for `/debug/recommend`: candidate counts per source and after each
//! cut, and per title its mixer components, rule effects, MMR move and serendipity pick.

use super::input::Retrieved;
use crate::candidate::Candidate;
use crate::intent_boost::BoostEffect;
use crate::item::ItemId;
use crate::mixer::{AnnSource, MixBreakdown};
use crate::rules::RuleEffect;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The ranker's part of the trace.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RankTrace {
    pub counts: Counts,
    /// Per item id (as a string, for JSON objects).
    pub items: BTreeMap<String, ItemTrace>,
}

/// Candidates per source and after each cut.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub ann: usize,
    pub cold_start: usize,
    pub collab: usize,
    pub trending: usize,
    pub lexical: usize,
    pub merged: usize,
    pub hydrated: usize,
    pub filtered_out: usize,
    pub unverified: usize,
    pub returned: usize,
}

/// Mixer components and later adjustments of one title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemTrace {
    pub components: Components,
    pub retrieval_score: f64,
    /// Intent boosts and business-rule effects, as readable strings.
    pub rules: Vec<String>,
    /// Position before MMR when MMR moved the title.
    pub mmr_from: Option<usize>,
    /// True when the serendipity slot put the title on the first page.
    pub serendipity: bool,
    /// Filters that could not be checked (unknown runtime, rating...).
    pub unverified: Vec<String>,
}

/// Unweighted mixer components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Components {
    pub ann: f64,
    pub ann_source: AnnSource,
    pub collab: f64,
    pub trending: f64,
    pub popularity: f64,
    pub votes: f64,
    pub novelty: f64,
    pub lexical: f64,
    pub rating: f64,
}

impl From<&MixBreakdown> for ItemTrace {
    fn from(b: &MixBreakdown) -> Self {
        ItemTrace {
            components: Components {
                ann: b.ann,
                ann_source: b.ann_source,
                collab: b.collab,
                trending: b.trending,
                popularity: b.popularity,
                votes: b.vote,
                novelty: b.novelty,
                lexical: b.lexical,
                rating: b.rating,
            },
            retrieval_score: b.score,
            rules: Vec::new(),
            mmr_from: None,
            serendipity: false,
            unverified: Vec::new(),
        }
    }
}

impl RankTrace {
    /// A trace counting the retrieval sources.
    pub fn new(retrieved: &Retrieved) -> Self {
        RankTrace {
            counts: Counts {
                ann: retrieved.ann.len(),
                cold_start: retrieved.cold_start.len(),
                collab: retrieved.collab.len(),
                trending: retrieved.trending.len(),
                lexical: retrieved.lexical.len(),
                ..Counts::default()
            },
            items: BTreeMap::new(),
        }
    }

    /// The final list's counts.
    pub fn count_returned(&mut self, cands: &[Candidate]) {
        self.counts.unverified = cands.iter().filter(|c| !c.unverified.is_empty()).count();
        self.counts.returned = cands.len();
    }

    /// One entry per mixed title; every later record is about one of these titles.
    pub(super) fn record_mix(&mut self, breakdowns: &[MixBreakdown]) {
        for b in breakdowns {
            self.items.insert(b.id.to_string(), ItemTrace::from(b));
        }
    }

    pub(super) fn record_boosts(&mut self, boosts: &[BoostEffect]) {
        for b in boosts {
            let text = format!("intent boost +{:.3} for {}", b.bonus, b.matched.join(", "));
            self.note(b.id, text);
        }
    }

    pub(super) fn record_rules(&mut self, effects: &[RuleEffect]) {
        for effect in effects {
            let (id, text) = match effect {
                RuleEffect::Dropped { id, filter } => {
                    (*id, format!("dropped by filter {filter:?}"))
                }
                RuleEffect::Boosted {
                    id,
                    multiplier,
                    bonus,
                    before,
                    after,
                } => (
                    *id,
                    format!("boosted ×{multiplier:.3} +{bonus:.3}: {before:.4} → {after:.4}"),
                ),
            };
            self.note(id, text);
        }
    }

    /// Marks the titles of the first page that were not there before the serendipity slot.
    pub(super) fn record_serendipity(
        &mut self,
        cands: &[Candidate],
        top_before: &HashSet<ItemId>,
        limit: usize,
    ) {
        for c in cands.iter().take(limit) {
            if !top_before.contains(&c.item.id)
                && let Some(entry) = self.items.get_mut(&c.item.id.to_string())
            {
                entry.serendipity = true;
            }
        }
    }

    /// Where each title was before MMR (when it moved), and its unchecked filters.
    pub(super) fn record_positions(
        &mut self,
        cands: &[Candidate],
        before_mmr: &HashMap<ItemId, usize>,
    ) {
        for (i, c) in cands.iter().enumerate() {
            if let Some(entry) = self.items.get_mut(&c.item.id.to_string()) {
                entry.mmr_from = before_mmr.get(&c.item.id).copied().filter(|f| *f != i);
                entry.unverified = c.unverified.clone();
            }
        }
    }

    fn note(&mut self, id: ItemId, text: String) {
        if let Some(entry) = self.items.get_mut(&id.to_string()) {
            entry.rules.push(text);
        }
    }
}
