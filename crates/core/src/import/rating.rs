//! The one rating mapping every importer and webhook uses.
//!
//! Ratings are compared on a 10-point scale (Letterboxd's and Plex's five stars count double):
//!
//! | rating | event |
//! |---|---|
//! | ≥ 8/10 (≥ 4/5 stars) | `liked` |
//! | ≤ 4/10 (≤ 2/5 stars) | `disliked` |
//! | anything between | `watched` |
//!
//! The rating itself is kept in the event's `meta`.

use serde::Serialize;

/// Lowest rating (out of 10) that means `liked`.
pub const LIKED_FROM: f64 = 8.0;
/// Highest rating (out of 10) that means `disliked`.
pub const DISLIKED_UP_TO: f64 = 4.0;

/// What an imported row becomes in `user_history.event_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportEvent {
    /// Seen, no strong opinion.
    Watched,
    /// Seen and liked (a high rating, a heart, a favourite).
    Liked,
    /// Seen and disliked (a low rating).
    Disliked,
    /// Wants to see it: not seen, so never excluded from recommendations.
    Watchlist,
}

impl ImportEvent {
    /// The stored event type.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportEvent::Watched => "watched",
            ImportEvent::Liked => "liked",
            ImportEvent::Disliked => "disliked",
            ImportEvent::Watchlist => crate::events::WATCHLIST,
        }
    }
}

/// A viewer's rating on its source's scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rating {
    /// The value as the source wrote it (e.g. 4.5 stars, 7 out of 10).
    pub value: f64,
    /// The best possible value on that scale (5 or 10).
    pub out_of: f64,
}

impl Rating {
    /// Stars out of five (Letterboxd: 0.5 to 5). `None` outside (0, 5].
    pub fn stars(value: f64) -> Option<Rating> {
        Rating::on(value, 5.0)
    }

    /// Points out of ten (IMDb, Trakt, Plex: 1 to 10). `None` outside (0, 10].
    pub fn points(value: f64) -> Option<Rating> {
        Rating::on(value, 10.0)
    }

    fn on(value: f64, out_of: f64) -> Option<Rating> {
        (value.is_finite() && value > 0.0 && value <= out_of).then_some(Rating { value, out_of })
    }

    /// The rating out of ten.
    pub fn out_of_ten(self) -> f64 {
        self.value * 10.0 / self.out_of
    }

    /// `liked`, `disliked` or `watched` (see the module doc).
    pub fn event(self) -> ImportEvent {
        let ten = self.out_of_ten();
        if ten >= LIKED_FROM {
            ImportEvent::Liked
        } else if ten <= DISLIKED_UP_TO {
            ImportEvent::Disliked
        } else {
            ImportEvent::Watched
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stars(v: f64) -> ImportEvent {
        Rating::stars(v).expect("valid stars").event()
    }

    fn points(v: f64) -> ImportEvent {
        Rating::points(v).expect("valid points").event()
    }

    #[test]
    fn four_stars_or_more_is_liked_and_two_or_less_disliked() {
        assert_eq!(stars(5.0), ImportEvent::Liked);
        assert_eq!(stars(4.0), ImportEvent::Liked);
        assert_eq!(stars(3.5), ImportEvent::Watched);
        assert_eq!(stars(2.5), ImportEvent::Watched);
        assert_eq!(stars(2.0), ImportEvent::Disliked);
        assert_eq!(stars(0.5), ImportEvent::Disliked);
    }

    #[test]
    fn eight_of_ten_or_more_is_liked_and_four_or_less_disliked() {
        assert_eq!(points(10.0), ImportEvent::Liked);
        assert_eq!(points(8.0), ImportEvent::Liked);
        assert_eq!(points(7.0), ImportEvent::Watched);
        assert_eq!(points(5.0), ImportEvent::Watched);
        assert_eq!(points(4.0), ImportEvent::Disliked);
        assert_eq!(points(1.0), ImportEvent::Disliked);
    }

    #[test]
    fn both_scales_agree_on_the_same_opinion() {
        for s in [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0] {
            assert_eq!(stars(s), points(s * 2.0), "{s} stars");
        }
    }

    #[test]
    fn out_of_range_ratings_are_not_ratings() {
        assert_eq!(Rating::stars(0.0), None);
        assert_eq!(Rating::stars(6.0), None);
        assert_eq!(Rating::points(f64::NAN), None);
        assert_eq!(Rating::points(11.0), None);
    }
}
