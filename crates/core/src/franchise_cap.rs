//! Franchise cap (spec §4.16): at most `cap` titles per collection, so one franchise
//! cannot fill a page.
//!
//! It runs before the mixer, so it keeps the first titles in hydration order, not the
//! best-scored ones (§10.18, kept for compatibility).

use crate::candidate::Candidate;
use std::collections::HashMap;

/// The original's fixed cap: two titles per collection.
pub const DEFAULT_CAP: usize = 2;

/// Keeps at most `cap` candidates per non-null `collection_id`, in list order.
///
/// Candidates without a collection are always kept. A `cap` of 0 turns the cap off and
/// returns the list unchanged. Ranks are left alone: the mixer resets them next.
pub fn cap_per_collection(cands: Vec<Candidate>, cap: usize) -> Vec<Candidate> {
    if cap == 0 {
        return cands;
    }
    let mut seen: HashMap<i32, usize> = HashMap::new();
    cands
        .into_iter()
        .filter(|c| match c.item.collection_id {
            None => true,
            Some(collection) => {
                let count = seen.entry(collection).or_insert(0);
                *count += 1;
                *count <= cap
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, MediaType};

    fn cand(id: i32, collection: Option<i32>) -> Candidate {
        let mut item = Item::bare(id, MediaType::Movie, "t");
        item.collection_id = collection;
        Candidate::new(item, None, id as usize)
    }

    fn ids(cands: &[Candidate]) -> Vec<i32> {
        cands.iter().map(|c| c.item.id).collect()
    }

    #[test]
    fn a_third_title_of_the_same_collection_is_dropped() {
        let input = vec![
            cand(1, Some(42)),
            cand(2, Some(42)),
            cand(3, Some(42)),
            cand(4, Some(7)),
        ];
        assert_eq!(ids(&cap_per_collection(input, DEFAULT_CAP)), vec![1, 2, 4]);
    }

    #[test]
    fn a_cap_of_zero_leaves_the_list_unchanged() {
        let input = vec![
            cand(1, Some(42)),
            cand(2, Some(42)),
            cand(3, Some(42)),
            cand(4, Some(7)),
        ];
        assert_eq!(ids(&cap_per_collection(input, 0)), vec![1, 2, 3, 4]);
    }

    #[test]
    fn titles_without_a_collection_are_always_kept() {
        let input = vec![cand(1, None), cand(2, None), cand(3, None)];
        assert_eq!(ids(&cap_per_collection(input, 1)), vec![1, 2, 3]);
    }

    #[test]
    fn ranks_are_not_reset_by_the_cap() {
        let input = vec![cand(1, Some(5)), cand(2, Some(5)), cand(3, None)];
        let out = cap_per_collection(input, 1);
        assert_eq!(out[1].original_rank, 3);
    }
}
