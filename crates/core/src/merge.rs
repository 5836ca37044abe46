//! Putting the candidate list together: source merge and boost promotion (spec §4.13).

use crate::item::ItemId;
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

/// As [`merge_sources`], but the collaborative and primary lists alternate (collaborative
/// first): with a query, the taste model's picks for a named title ("more like Pulp
/// Fiction": what its watchers liked) must not fill the pool before the titles that match
/// the request's words or share the title's director and keywords.
pub fn merge_alternating(
    collab: &[ItemId],
    primary: &[ItemId],
    trending: &[ItemId],
    candidate_limit: usize,
) -> Vec<ItemId> {
    let longest = collab.len().max(primary.len());
    let alternating: Vec<ItemId> = (0..longest)
        .flat_map(|i| collab.get(i).into_iter().chain(primary.get(i)))
        .copied()
        .collect();
    merge_sources(&[], &alternating, trending, candidate_limit)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collaborative_items_come_before_ann_items() {
        assert_eq!(merge_sources(&[2, 3], &[1, 2], &[3], 9), vec![2, 3, 1]);
    }

    #[test]
    fn with_a_query_the_sources_alternate_so_neither_fills_the_pool() {
        assert_eq!(
            merge_alternating(&[1, 2, 3, 4], &[5, 2, 6], &[7], 5),
            vec![1, 5, 2, 3, 6]
        );
        assert_eq!(merge_alternating(&[], &[5, 6], &[7], 9), vec![5, 6, 7]);
        assert_eq!(merge_alternating(&[1, 2], &[], &[7], 9), vec![1, 2, 7]);
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
}
