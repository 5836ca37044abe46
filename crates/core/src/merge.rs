//! Putting the candidate list together: source merge and boost promotion (spec §4.13), then
//! the provider filter and fallback of the hydration walk (spec §4.15).

use crate::item::{ItemId, WatchOption};
use std::collections::HashSet;

/// Merges the retrieval sources into one ordered, de-duplicated list of at most
/// `candidate_limit` ids: collaborative ids first, then the primary ids (ANN or
/// cold-start), then trending ids.
///
/// Collaborative picks come first on purpose: the original ranks them ahead of ANN, and
/// clients rely on that order. Pinned: ANN `[1, 2]`, collab `[2, 3]`, trending `[3]` →
/// `[2, 3, 1]`.
///
/// Difference from the original: with no collab and no trending ids the primary list is
/// also de-duplicated (the original passed it through, so an item with two embedding
/// versions could appear twice: spec §10.9).
pub fn merge_sources(
    collab: &[ItemId],
    primary: &[ItemId],
    trending: &[ItemId],
    candidate_limit: usize,
) -> Vec<ItemId> {
    let mut seen = HashSet::new();
    collab
        .iter()
        .chain(primary)
        .chain(trending)
        .copied()
        .filter(|id| seen.insert(*id))
        .take(candidate_limit)
        .collect()
}

/// Moves the boost ids that retrieval found to the front, in boost order.
///
/// Boost ids in `exclude`, repeated ones, and ones not already in `ids` are ignored, so
/// promotion never adds an item. The rest of `ids` keeps its order.
pub fn promote_boosts(
    ids: &[ItemId],
    boost_ids: &[ItemId],
    exclude: &HashSet<ItemId>,
) -> Vec<ItemId> {
    let present: HashSet<ItemId> = ids.iter().copied().collect();
    let mut promoted = HashSet::new();
    let mut out: Vec<ItemId> = boost_ids
        .iter()
        .copied()
        .filter(|id| !exclude.contains(id) && present.contains(id) && promoted.insert(*id))
        .collect();
    out.extend(ids.iter().copied().filter(|id| !promoted.contains(id)));
    out
}

/// The watch options an item keeps, and whether it is on a preferred service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderCheck {
    /// True when no services are preferred or at least one option matches.
    pub allowed: bool,
    /// Only the matching options when allowed by a preference; otherwise every option.
    pub options: Vec<WatchOption>,
}

/// Checks an item's options against the preferred services (JustWatch short names).
///
/// Matching trims and ignores case. With no preference every item is allowed and keeps all
/// its options; an item with no matching option is *disallowed* and keeps all its options,
/// so it can still be shown as a fallback.
pub fn check_providers(options: Vec<WatchOption>, preferred: &[String]) -> ProviderCheck {
    if preferred.is_empty() {
        return ProviderCheck {
            allowed: true,
            options,
        };
    }
    let wanted: HashSet<String> = preferred.iter().map(|s| s.trim().to_lowercase()).collect();
    let matching: Vec<WatchOption> = options
        .iter()
        .filter(|o| wanted.contains(&o.service.trim().to_lowercase()))
        .cloned()
        .collect();
    if matching.is_empty() {
        ProviderCheck {
            allowed: false,
            options,
        }
    } else {
        ProviderCheck {
            allowed: true,
            options: matching,
        }
    }
}

/// Walks hydrated, post-filtered candidates in merge order and keeps the page pool.
///
/// Each element is `(candidate, allowed)`, where `allowed` comes from [`check_providers`].
/// Allowed candidates are kept until `max_candidates` of them are held; the iterator is not
/// advanced further, so callers may build candidates lazily. Disallowed candidates are set
/// aside and, when fewer than `limit` allowed ones were found, the first of them fill the
/// gap at the end. A candidate's rank is its position in the input (count it with
/// `enumerate` before calling), which includes disallowed ones, as in the original.
pub fn select_with_fallback<T>(
    candidates: impl IntoIterator<Item = (T, bool)>,
    max_candidates: usize,
    limit: usize,
) -> Vec<T> {
    let mut ordered = Vec::new();
    let mut fallback = Vec::new();
    for (candidate, allowed) in candidates {
        if allowed {
            ordered.push(candidate);
            if ordered.len() >= max_candidates {
                break;
            }
        } else {
            fallback.push(candidate);
        }
    }
    let missing = limit.saturating_sub(ordered.len());
    ordered.extend(fallback.into_iter().take(missing));
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(service: &str, url: &str) -> WatchOption {
        WatchOption {
            service: service.to_owned(),
            url: url.to_owned(),
        }
    }

    #[test]
    fn collaborative_items_come_before_ann_items() {
        assert_eq!(merge_sources(&[2, 3], &[1, 2], &[3], 9), vec![2, 3, 1]);
    }

    #[test]
    fn the_merge_stops_at_the_candidate_limit() {
        assert_eq!(merge_sources(&[1, 2], &[3, 4], &[5], 3), vec![1, 2, 3]);
    }

    #[test]
    fn the_primary_list_alone_is_capped_and_deduplicated() {
        assert_eq!(merge_sources(&[], &[7, 7, 8, 9], &[], 2), vec![7, 8]);
    }

    #[test]
    fn trending_fills_in_after_the_primary_list() {
        assert_eq!(merge_sources(&[], &[1], &[1, 4], 9), vec![1, 4]);
    }

    #[test]
    fn boosts_found_by_retrieval_move_to_the_front_in_boost_order() {
        let exclude = HashSet::new();
        assert_eq!(
            promote_boosts(&[1, 2, 3, 4], &[4, 2], &exclude),
            vec![4, 2, 1, 3]
        );
    }

    #[test]
    fn boosts_never_add_missing_excluded_or_repeated_items() {
        let exclude = HashSet::from([3]);
        assert_eq!(
            promote_boosts(&[1, 2, 3], &[9, 3, 2, 2], &exclude),
            vec![2, 1, 3]
        );
    }

    #[test]
    fn without_a_preference_every_item_keeps_all_options() {
        let check = check_providers(vec![option("hlu", "h")], &[]);
        assert!(check.allowed);
        assert_eq!(check.options, vec![option("hlu", "h")]);
    }

    #[test]
    fn a_matching_item_keeps_only_the_preferred_options() {
        let opts = vec![option("hlu", "h"), option(" NFX ", "http://alpha")];
        let check = check_providers(opts, &["nfx".to_owned()]);
        assert!(check.allowed);
        assert_eq!(check.options, vec![option(" NFX ", "http://alpha")]);
    }

    #[test]
    fn an_item_off_the_preferred_services_is_disallowed_but_keeps_its_options() {
        let check = check_providers(vec![option("hlu", "h")], &["nfx".to_owned()]);
        assert!(!check.allowed);
        assert_eq!(check.options, vec![option("hlu", "h")]);
    }

    #[test]
    fn fallback_items_fill_the_page_only_when_allowed_ones_run_short() {
        // Pinned: query "netflix", items nfx then hlu.
        let walk = || vec![("nfx", true), ("hlu", false)];
        assert_eq!(select_with_fallback(walk(), 25, 1), vec!["nfx"]);
        assert_eq!(select_with_fallback(walk(), 25, 2), vec!["nfx", "hlu"]);
    }

    #[test]
    fn the_walk_stops_once_enough_allowed_items_are_held() {
        let mut seen = 0;
        let items = (0..10).map(|i| {
            seen += 1;
            (i, true)
        });
        assert_eq!(select_with_fallback(items, 3, 1), vec![0, 1, 2]);
        assert_eq!(seen, 3);
    }

    #[test]
    fn fallback_items_go_after_every_allowed_item() {
        let items = vec![(1, false), (2, true), (3, false), (4, true)];
        assert_eq!(select_with_fallback(items, 25, 3), vec![2, 4, 1]);
    }
}
