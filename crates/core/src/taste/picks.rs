//! The taste model as the ranker's collaborative source: a viewer's best-scoring titles
//! (`x_u · B` over their history, so a new event counts at once), normalised like the
//! neighbour blend (the best pick scores 1), and for each pick the history title that
//! contributed most ("Because you liked X").

use super::history::{HistoryOrder, TasteEvent};
use super::model::TasteModel;
use crate::events::is_watchlist;
use crate::item::ItemId;
use std::collections::{HashMap, HashSet};

/// The model's picks for one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TastePicks {
    /// Collaborative scores in 0..=1, best first.
    pub scores: Vec<(ItemId, f64)>,
    /// For each pick, the history title that contributed most and whether the viewer liked it.
    pub because: HashMap<ItemId, (ItemId, bool)>,
}

/// The viewer's `limit` best titles by the model, from their history (`(item, event_type)`,
/// oldest first; `order` says whether that order is when things were watched), never an excluded title and only allowed ones (`allow`: the prefilter's
/// allowlist, when there is one). Watchlist entries are not history: they are left out.
pub fn taste_picks(
    model: &TasteModel,
    history: &[(ItemId, String)],
    order: HistoryOrder,
    exclude: &HashSet<ItemId>,
    allow: Option<&[ItemId]>,
    limit: usize,
) -> TastePicks {
    if allow.is_some_and(<[ItemId]>::is_empty) {
        return TastePicks::default();
    }
    let events: Vec<TasteEvent> = history
        .iter()
        .filter(|(_, event)| !is_watchlist(event))
        .map(|(item, event)| TasteEvent::new(*item, event))
        .collect();
    let scored = model.score_where(&events, order, limit, allow, |id| !exclude.contains(&id));
    let best = scored.first().map_or(0.0, |s| f64::from(s.score));
    let scale = if best > 0.0 { best } else { 1.0 };
    let liked: HashSet<ItemId> = latest_liked(history);
    TastePicks {
        scores: scored
            .iter()
            .map(|s| (s.item, f64::from(s.score) / scale))
            .collect(),
        because: scored
            .iter()
            .filter_map(|s| Some((s.item, s.because?)))
            .map(|(item, source)| (item, (source, liked.contains(&source))))
            .collect(),
    }
}

/// Titles whose latest event is `liked`.
fn latest_liked(history: &[(ItemId, String)]) -> HashSet<ItemId> {
    let mut latest: HashMap<ItemId, &str> = HashMap::new();
    for (item, event) in history {
        latest.insert(*item, event);
    }
    latest
        .into_iter()
        .filter(|(_, e)| e.eq_ignore_ascii_case("liked"))
        .map(|(item, _)| item)
        .collect()
}
