//! Everyone's history as the sparse user × title matrix the model is fitted on.

use super::weights::EventKind;
use crate::item::ItemId;
use std::collections::HashSet;

/// One event of a user's history, as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TasteEvent {
    /// The title.
    pub item: ItemId,
    /// What the user did with it.
    pub kind: EventKind,
}

impl TasteEvent {
    /// An event from its stored event type (`liked`, `watched`, `disliked`, ...).
    pub fn new(item: ItemId, event_type: &str) -> TasteEvent {
        TasteEvent {
            item,
            kind: EventKind::of(event_type),
        }
    }
}

/// One entry per distinct title of an oldest-first history: its latest event, ordered by when
/// that latest event happened (oldest first). A later `disliked` overrides an earlier `liked`.
pub fn latest_per_item(events: &[TasteEvent]) -> Vec<TasteEvent> {
    let mut seen: HashSet<ItemId> = HashSet::with_capacity(events.len());
    let mut out: Vec<TasteEvent> = events
        .iter()
        .rev()
        .filter(|e| seen.insert(e.item))
        .copied()
        .collect();
    out.reverse();
    out
}

/// The training matrix: for each user, one entry per distinct title (see [`latest_per_item`]),
/// stored row after row (CSR without the values, which depend on the weights).
#[derive(Debug, Clone)]
pub struct HistoryMatrix {
    row_starts: Vec<usize>,
    events: Vec<TasteEvent>,
}

impl Default for HistoryMatrix {
    fn default() -> Self {
        HistoryMatrix::new()
    }
}

impl HistoryMatrix {
    /// An empty matrix.
    pub fn new() -> HistoryMatrix {
        HistoryMatrix {
            row_starts: vec![0],
            events: Vec::new(),
        }
    }

    /// Adds one user from their oldest-first history. A user with no event adds nothing.
    pub fn push_user(&mut self, history: &[TasteEvent]) {
        let row = latest_per_item(history);
        if row.is_empty() {
            return;
        }
        self.events.extend(row);
        self.row_starts.push(self.events.len());
    }

    /// Users added (with at least one event).
    pub fn users(&self) -> usize {
        self.row_starts.len().saturating_sub(1)
    }

    /// (user, title) entries.
    pub fn entries(&self) -> usize {
        self.events.len()
    }

    /// Each user's entries, in the order they were added.
    pub fn rows(&self) -> impl Iterator<Item = &[TasteEvent]> {
        self.row_starts.windows(2).map(|w| &self.events[w[0]..w[1]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_event_of_a_title_wins_and_orders_it() {
        let history = [
            TasteEvent::new(1, "liked"),
            TasteEvent::new(2, "watched"),
            TasteEvent::new(1, "disliked"),
        ];
        assert_eq!(
            latest_per_item(&history),
            [
                TasteEvent::new(2, "watched"),
                TasteEvent::new(1, "disliked")
            ]
        );
    }

    #[test]
    fn users_are_stored_row_by_row_and_empty_users_are_skipped() {
        let mut m = HistoryMatrix::new();
        m.push_user(&[TasteEvent::new(1, "liked"), TasteEvent::new(1, "liked")]);
        m.push_user(&[]);
        m.push_user(&[TasteEvent::new(2, "watched"), TasteEvent::new(3, "liked")]);

        let rows: Vec<Vec<ItemId>> = m
            .rows()
            .map(|r| r.iter().map(|e| e.item).collect())
            .collect();
        assert_eq!(rows, [vec![1], vec![2, 3]]);
        assert_eq!((m.users(), m.entries()), (2, 3));
    }
}
