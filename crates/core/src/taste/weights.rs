//! Event types as numbers: how much one event says about a viewer's taste.

use crate::events::is_negative;
use serde::{Deserialize, Serialize};

/// The three kinds of evidence the model tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// `liked`: the strongest signal.
    Liked,
    /// `watched`, `rated` and any other positive event type.
    Watched,
    /// `disliked` / `not_interested` (see [`crate::events::NEGATIVE_EVENTS`]).
    Disliked,
}

impl EventKind {
    /// The kind of an event type, case-insensitive.
    pub fn of(event_type: &str) -> EventKind {
        if is_negative(event_type) {
            EventKind::Disliked
        } else if event_type.eq_ignore_ascii_case("liked") {
            EventKind::Liked
        } else {
            EventKind::Watched
        }
    }
}

/// One weight per [`EventKind`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EventWeights {
    /// Weight of a `liked` title.
    pub liked: f32,
    /// Weight of a `watched` (or other positive) title.
    pub watched: f32,
    /// Weight of a `disliked` / `not_interested` title.
    pub disliked: f32,
}

impl EventWeights {
    /// Every event counts 1: the plain, binary EASE.
    pub const BINARY: EventWeights = EventWeights {
        liked: 1.0,
        watched: 1.0,
        disliked: 1.0,
    };

    /// The weight of one event kind.
    pub fn of(&self, kind: EventKind) -> f32 {
        match kind {
            EventKind::Liked => self.liked,
            EventKind::Watched => self.watched,
            EventKind::Disliked => self.disliked,
        }
    }

    /// The three weights, for validation.
    pub(crate) fn all(&self) -> [f32; 3] {
        [self.liked, self.watched, self.disliked]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_map_to_kinds_in_any_case() {
        assert_eq!(EventKind::of("Liked"), EventKind::Liked);
        assert_eq!(EventKind::of("watched"), EventKind::Watched);
        assert_eq!(EventKind::of("rated"), EventKind::Watched);
        assert_eq!(EventKind::of("DISLIKED"), EventKind::Disliked);
        assert_eq!(EventKind::of("not_interested"), EventKind::Disliked);
    }

    #[test]
    fn each_kind_reads_its_own_weight() {
        let w = EventWeights {
            liked: 1.0,
            watched: 0.5,
            disliked: 0.1,
        };
        assert_eq!(w.of(EventKind::Liked), 1.0);
        assert_eq!(w.of(EventKind::Watched), 0.5);
        assert_eq!(w.of(EventKind::Disliked), 0.1);
    }
}
