//! The titles one request never returns, built once per request: a set for the catalog
//! copy's scans and the taste model (shared with the blocking pool's scan), and the list the
//! Postgres queries bind.

use seen_core::ItemId;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Excluded {
    list: Vec<ItemId>,
    set: Arc<HashSet<ItemId>>,
}

impl Excluded {
    /// `ids` without repeats, first occurrence kept.
    pub fn new(ids: Vec<ItemId>) -> Self {
        let mut set = HashSet::with_capacity(ids.len());
        let list = ids.into_iter().filter(|id| set.insert(*id)).collect();
        Excluded {
            list,
            set: Arc::new(set),
        }
    }

    pub fn set(&self) -> &HashSet<ItemId> {
        &self.set
    }

    /// The set, for a task that outlives the borrow (the copy's nearest-neighbour scan).
    pub fn shared(&self) -> Arc<HashSet<ItemId>> {
        Arc::clone(&self.set)
    }

    pub fn list(&self) -> &[ItemId] {
        &self.list
    }

    /// The set for the ranker; copied only if a scan still holds it.
    pub fn into_set(self) -> HashSet<ItemId> {
        Arc::try_unwrap(self.set).unwrap_or_else(|shared| (*shared).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_count_once_and_the_set_survives_a_shared_holder() {
        let excluded = Excluded::new(vec![3, 1, 3, 2]);
        assert_eq!(excluded.list(), &[3, 1, 2]);
        assert_eq!(excluded.set().len(), 3);
        let held = excluded.shared();
        assert_eq!(excluded.into_set(), *held);
    }
}
