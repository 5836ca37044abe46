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

/// More events than this recorded at one instant (one request, one import run) mean the
/// history's order is the client's, not the viewing order: a client posting a person's likes
/// in one request and their other watches in another says nothing about what came last.
pub const BATCH_LIMIT: usize = 30;

/// Whether a history's order says what was watched when, which decides whether the newest
/// titles may count more (recency, the order signal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryOrder {
    /// Recorded as it happened (or imported with its dates).
    Timed,
    /// Some instant holds more than [`BATCH_LIMIT`] events: every title counts the same.
    Batched,
    /// Timed, with the titles a request named ("more like X") appended as the newest: newer
    /// titles count more, but the order signal is left out (what people watch *after* X is
    /// not what is *like* X; the query set measured it lower).
    Seeded,
}

impl HistoryOrder {
    /// True when newer titles may count more.
    pub fn is_timed(self) -> bool {
        self != HistoryOrder::Batched
    }

    /// True when the order signal applies.
    pub fn follows_viewing(self) -> bool {
        self == HistoryOrder::Timed
    }

    /// The same history with a request's named titles appended as the newest.
    pub fn seeded(self) -> HistoryOrder {
        match self {
            HistoryOrder::Batched => HistoryOrder::Batched,
            HistoryOrder::Timed | HistoryOrder::Seeded => HistoryOrder::Seeded,
        }
    }

    /// From the most events the history recorded at one instant.
    pub fn from_largest_batch(events: usize) -> HistoryOrder {
        if events > BATCH_LIMIT {
            HistoryOrder::Batched
        } else {
            HistoryOrder::Timed
        }
    }

    /// From the times of an oldest-first history.
    pub fn from_times<T: PartialEq>(times: impl IntoIterator<Item = T>) -> HistoryOrder {
        HistoryOrder::from_largest_batch(largest_batch(times))
    }
}

/// The most events an oldest-first history recorded at one instant (equal times are
/// adjacent); 0 for an empty history.
pub fn largest_batch<T: PartialEq>(times: impl IntoIterator<Item = T>) -> usize {
    let mut largest = 0;
    let mut run = 0;
    let mut last: Option<T> = None;
    for t in times {
        run = if last.as_ref() == Some(&t) {
            run + 1
        } else {
            1
        };
        largest = largest.max(run);
        last = Some(t);
    }
    largest
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
    fn more_than_thirty_events_at_one_instant_make_a_batched_history() {
        let timed = (0..100).map(|i| i / BATCH_LIMIT); // runs of exactly 30
        assert_eq!(HistoryOrder::from_times(timed), HistoryOrder::Timed);
        let batched = std::iter::repeat_n(7, 5).chain(std::iter::repeat_n(9, BATCH_LIMIT + 1));
        assert_eq!(HistoryOrder::from_times(batched), HistoryOrder::Batched);
        assert_eq!(
            HistoryOrder::from_times(Vec::<u8>::new()),
            HistoryOrder::Timed
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
