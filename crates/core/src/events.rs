//! User events (`watched`, `liked`, ...) and profile namespacing.

/// Event types that reject a title; compared lower-cased.
pub const NEGATIVE_EVENTS: &[&str] = &["not_interested", "disliked"];

/// A title the viewer wants to see (imported watchlists): interest, not a viewing. It is never
/// excluded from recommendations and never named in "Because you watched".
pub const WATCHLIST: &str = "watchlist";

/// True for `watchlist`, in any case.
pub fn is_watchlist(event_type: &str) -> bool {
    event_type.eq_ignore_ascii_case(WATCHLIST)
}

/// True for `not_interested` / `disliked`, in any case.
pub fn is_negative(event_type: &str) -> bool {
    let lowered = event_type.to_lowercase();
    NEGATIVE_EVENTS.contains(&lowered.as_str())
}

/// Multiplier of a positive event: watched 1, liked 2, rated 3, watchlist 0.5 (interest counts
/// for taste, less than a viewing), anything else 1.
/// Case-insensitive (the original's profile maths looked up the raw string, so "Liked"
/// counted as 1; we treat it as `liked` everywhere).
pub fn event_multiplier(event_type: &str) -> f64 {
    match event_type.to_lowercase().as_str() {
        "liked" => 2.0,
        "rated" => 3.0,
        WATCHLIST => 0.5,
        _ => 1.0,
    }
}

/// `multiplier(event) × max(0, weight or 1)`.
pub fn event_weight(event_type: &str, weight: Option<i32>) -> f64 {
    event_multiplier(event_type) * f64::from(weight.unwrap_or(1).max(0))
}

/// `user_id` alone, or `user_id::profile` when the stripped profile is non-empty.
pub fn canonical_profile_id(user_id: &str, profile: Option<&str>) -> String {
    match profile.map(str::trim) {
        Some(p) if !p.is_empty() => format!("{user_id}::{p}"),
        _ => user_id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_profile_means_no_profile() {
        assert_eq!(canonical_profile_id("u1", None), "u1");
        assert_eq!(canonical_profile_id("u1", Some(" ")), "u1");
        assert_eq!(canonical_profile_id("u1", Some("kids")), "u1::kids");
    }

    #[test]
    fn a_negative_weight_counts_as_zero() {
        assert_eq!(event_weight("liked", Some(-2)), 0.0);
        assert_eq!(event_weight("rated", None), 3.0);
    }

    #[test]
    fn a_watchlist_entry_weighs_half_a_viewing() {
        assert!(is_watchlist("Watchlist"));
        assert!(!is_watchlist("watched"));
        assert_eq!(event_weight("watchlist", None), 0.5);
    }

    #[test]
    fn negative_events_are_recognised_in_any_case() {
        assert!(is_negative("Not_Interested"));
        assert!(!is_negative("watched"));
    }
}
