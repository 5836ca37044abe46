//! The prefilter decision: an optional allowlist for retrieval plus soft boosts (spec §4.7).
//!
//! The store runs up to two id queries for a request with filters: a *strict* one (media
//! types, providers and genres) and, when that is too sparse, a *relaxed* one without the
//! genre clause. This module turns their results into what retrieval uses:
//!
//! * strict is dense → retrieve only strict ids, boost the first `boost_cap`, enforce genres;
//! * relaxed is dense → retrieve only relaxed ids, boost strict ids, don't enforce genres;
//! * neither → retrieve from everything (ANN first), boost strict ids, don't enforce genres.
//!
//! A request with media types and languages ("k-drama": Korean TV) or genres a title must
//! have ("documentary series") tries one more strict run before dropping genres: without
//! the media types ([`decide_widened`]). Where the catalog has no Korean drama series,
//! Korean drama films answer better than series of unknown language, and documentary films
//! better than series of unknown genre.
//!
//! A request with tags ("heist movies": heist, bank robbery, caper) runs the strict filter
//! with the tags first ([`PrefilterDecision::with_tagged`]): the best-known tagged titles
//! become the first boosts (candidates too when tags and filters are all the request says,
//! see `rank::merged_ids`), ahead of the strict run's, and join the allowlist. Untagged titles still pass: half the catalog has no
//! keywords at all.
//!
//! Boosts are taken in the order the store returned them; the store orders the prefilter
//! queries best-known first (most votes, then TMDB popularity), so the boosts are the
//! best-known matches (the original had no ORDER BY, so its boosts were an arbitrary subset:
//! spec §10.7).

use crate::intent::IntentFilters;
use crate::item::ItemId;
use crate::sizing::PrefilterSizing;
use std::collections::HashSet;

/// What the prefilter tells retrieval and the post-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefilterDecision {
    /// Retrieve only these ids; `None` means no restriction.
    pub allowlist: Option<Vec<ItemId>>,
    /// Ids promoted to the front of the merged list when retrieval finds them.
    pub boost_ids: Vec<ItemId>,
    /// Whether the post-filter checks the intent's genres.
    pub enforce_genres: bool,
    /// True when the allowlist came from the strict run without the request's media
    /// types: the post-filter must not check them either.
    pub widened_media_types: bool,
    /// How many titles the tagged run found (`None`: the request has no tags).
    pub tagged: Option<usize>,
}

impl PrefilterDecision {
    /// The decision for an intent without filters: no allowlist, no boosts, genres enforced
    /// (there are none to enforce). Callers take this shortcut without querying.
    pub fn none() -> Self {
        PrefilterDecision {
            allowlist: None,
            boost_ids: Vec::new(),
            enforce_genres: true,
            widened_media_types: false,
            tagged: None,
        }
    }

    /// The decision with the tagged run's ids (strict filter and a tag, best-known first)
    /// put first: the first `boost_cap` of them lead the boosts (the strict run's fill the
    /// rest), and all of them join the allowlist, when there is one.
    pub fn with_tagged(mut self, tagged: Vec<ItemId>, sizing: PrefilterSizing) -> Self {
        let tagged = dedup(tagged);
        self.tagged = Some(tagged.len());
        let first: Vec<ItemId> = tagged.iter().take(sizing.boost_cap).copied().collect();
        let rest: Vec<ItemId> = std::mem::take(&mut self.boost_ids)
            .into_iter()
            .filter(|id| !first.contains(id))
            .collect();
        self.boost_ids = first;
        self.boost_ids.extend(rest);
        self.boost_ids.truncate(sizing.boost_cap);
        if let Some(allow) = self.allowlist.take() {
            let mut joined = tagged;
            joined.extend(allow);
            self.allowlist = Some(dedup(joined));
        }
        self
    }
}

/// Decides from the strict ids and, if the store ran it, the relaxed ids.
///
/// `relaxed` is `None` when the relaxed query was not run (for example because strict was
/// already dense, or because there is no genre clause to drop). Both lists are
/// de-duplicated keeping their order.
///
/// Difference from the original: when the relaxed run wins, the boosts are capped at
/// `boost_cap` like in the other two cases (the original promoted *every* strict id).
pub fn decide(
    strict: Vec<ItemId>,
    relaxed: Option<Vec<ItemId>>,
    sizing: PrefilterSizing,
) -> PrefilterDecision {
    let strict = dedup(strict);
    let boosts = |ids: &[ItemId]| ids.iter().take(sizing.boost_cap).copied().collect();

    if sizing.is_dense(strict.len()) {
        return PrefilterDecision {
            boost_ids: boosts(&strict),
            allowlist: Some(strict),
            enforce_genres: true,
            widened_media_types: false,
            tagged: None,
        };
    }
    if let Some(relaxed) = relaxed.map(dedup)
        && sizing.is_dense(relaxed.len())
    {
        return PrefilterDecision {
            allowlist: Some(relaxed),
            boost_ids: boosts(&strict),
            enforce_genres: false,
            widened_media_types: false,
            tagged: None,
        };
    }
    PrefilterDecision {
        allowlist: None,
        boost_ids: boosts(&strict),
        enforce_genres: false,
        widened_media_types: false,
        tagged: None,
    }
}

/// Whether a sparse strict run is worth rerunning without its media types: the request
/// names languages or genres a title must have, which say more about what is wanted
/// ("k-drama": Korean first, TV second; "documentary series about history": documentaries
/// first, whatever their format).
pub fn widens_media_types(filters: &IntentFilters) -> bool {
    (!filters.languages.is_empty() || !filters.required_genres.is_empty())
        && !filters.media_types.is_empty()
}

/// The decision when a sparse strict run, rerun without its media types, is dense: those
/// ids, genres enforced, media types dropped. `None` when the wider run is sparse too.
pub fn decide_widened(widened: Vec<ItemId>, sizing: PrefilterSizing) -> Option<PrefilterDecision> {
    let widened = dedup(widened);
    sizing.is_dense(widened.len()).then(|| PrefilterDecision {
        boost_ids: widened.iter().take(sizing.boost_cap).copied().collect(),
        allowlist: Some(widened),
        enforce_genres: true,
        widened_media_types: true,
        tagged: None,
    })
}

/// Drops repeated ids, keeping the first occurrence of each.
pub(crate) fn dedup(ids: Vec<ItemId>) -> Vec<ItemId> {
    let mut seen = HashSet::with_capacity(ids.len());
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizing() -> PrefilterSizing {
        // threshold 10, boost cap 9
        PrefilterSizing::for_limit(9)
    }

    #[test]
    fn no_filters_means_no_allowlist_no_boosts_and_enforced_genres() {
        let d = PrefilterDecision::none();
        assert_eq!(
            (d.allowlist, d.boost_ids, d.enforce_genres),
            (None, vec![], true)
        );
    }

    #[test]
    fn a_sparse_prefilter_falls_back_to_ann_with_strict_boosts() {
        let d = decide(vec![2, 1], Some(vec![2, 1, 3]), sizing());
        assert_eq!(
            (d.allowlist, d.boost_ids, d.enforce_genres),
            (None, vec![2, 1], false)
        );
    }

    #[test]
    fn a_dense_strict_run_becomes_the_allowlist_with_capped_boosts() {
        let strict: Vec<ItemId> = (1..=12).collect();
        let d = decide(strict.clone(), None, sizing());
        assert_eq!(d.allowlist, Some(strict));
        assert_eq!(d.boost_ids, (1..=9).collect::<Vec<_>>());
        assert!(d.enforce_genres);
    }

    #[test]
    fn a_dense_relaxed_run_becomes_the_allowlist_without_genre_enforcement() {
        let relaxed: Vec<ItemId> = (100..120).collect();
        let d = decide(vec![5, 6], Some(relaxed.clone()), sizing());
        assert_eq!(d.allowlist, Some(relaxed));
        assert_eq!(d.boost_ids, vec![5, 6]);
        assert!(!d.enforce_genres);
    }

    #[test]
    fn relaxed_boosts_are_capped_too() {
        let big = PrefilterSizing::for_limit(60); // threshold 30, cap 15
        let strict: Vec<ItemId> = (1..=20).collect();
        let relaxed: Vec<ItemId> = (1..=40).collect();
        let d = decide(strict, Some(relaxed), big);
        assert_eq!(d.boost_ids, (1..=15).collect::<Vec<_>>());
        assert!(!d.enforce_genres);
    }

    #[test]
    fn only_a_request_with_languages_or_required_genres_and_media_types_widens() {
        use crate::item::MediaType;
        let mut f = IntentFilters {
            media_types: vec![MediaType::Tv],
            genres: vec!["Drama".into()],
            ..IntentFilters::default()
        };
        assert!(!widens_media_types(&f));
        f.languages = vec!["ko".into()];
        assert!(widens_media_types(&f));
        f.languages.clear();
        f.required_genres = vec!["Documentary".into()];
        assert!(widens_media_types(&f));
        f.media_types.clear();
        assert!(!widens_media_types(&f));
    }

    #[test]
    fn a_dense_widened_run_becomes_the_allowlist_and_drops_the_media_types() {
        let widened: Vec<ItemId> = (1..=12).collect();
        let d = decide_widened(widened.clone(), sizing()).expect("dense");
        assert_eq!(d.allowlist, Some(widened));
        assert!(d.enforce_genres && d.widened_media_types);
        assert_eq!(decide_widened(vec![1, 2, 3], sizing()), None);
        assert!(!decide((1..=12).collect(), None, sizing()).widened_media_types);
    }

    #[test]
    fn tagged_titles_lead_the_boosts_and_join_the_allowlist() {
        let strict: Vec<ItemId> = (1..=12).collect();
        let d = decide(strict, None, sizing()).with_tagged(vec![40, 3, 41, 40], sizing());
        assert_eq!(d.boost_ids, vec![40, 3, 41, 1, 2, 4, 5, 6, 7]);
        let allow = d.allowlist.expect("dense");
        assert_eq!(&allow[..4], &[40, 3, 41, 1]);
        assert_eq!(allow.len(), 14);

        let sparse = decide(vec![2, 1], None, sizing()).with_tagged(vec![1], sizing());
        assert_eq!((sparse.boost_ids, sparse.allowlist), (vec![1, 2], None));
    }

    #[test]
    fn repeated_ids_count_once_towards_the_threshold() {
        let d = decide(vec![1; 20], None, sizing());
        assert_eq!(d.allowlist, None);
        assert_eq!(d.boost_ids, vec![1]);
    }
}
