//! The hydration walk (spec §4.15): merged ids become candidates in merge order. Each title
//! needs its catalog row and a vector, passes the post-filter (tri-state: a title whose
//! values cannot be checked stays, marked unverified), and is checked against the preferred
//! services; titles off those services only fill a page that would otherwise run short.

use super::input::RankInput;
use super::trace::Counts;
use crate::candidate::Candidate;
use crate::intent::matching::{MatchOutcome, item_matches};
use crate::item::{ItemId, WatchOption};
use crate::vector::cosine;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Candidates for `ids` (merge order) with their source scores, at most the candidate limit
/// of allowed ones plus fallbacks for a short page.
pub fn candidates(input: &RankInput, ids: &[ItemId], counts: &mut Counts) -> Vec<Candidate> {
    let r = &input.retrieved;
    let similarity: HashMap<ItemId, f64> =
        r.ann.iter().map(|h| (h.item_id, h.similarity)).collect();
    let collab: HashMap<ItemId, f64> = r.collab.iter().copied().collect();
    let trending: HashMap<ItemId, f64> = r.trending.iter().copied().collect();
    let lexical: HashMap<ItemId, f64> = r.lexical.iter().copied().collect();
    counts.hydrated = ids
        .iter()
        .filter(|id| input.titles.contains_key(id))
        .count();
    let mut filtered_out = 0usize;
    let walk = ids
        .iter()
        .filter_map(|id| {
            let entry = input.titles.get(id)?;
            let vector = entry.vector.clone().filter(|v| !v.is_empty())?;
            let unverified =
                match item_matches(&entry.item, &input.filters, input.prefilter.enforce_genres) {
                    MatchOutcome::Pass => Vec::new(),
                    MatchOutcome::Unverified(reasons) => reasons,
                    MatchOutcome::Fail => {
                        filtered_out += 1;
                        return None;
                    }
                };
            Some((entry, vector, unverified))
        })
        .enumerate()
        .map(|(rank, (entry, vector, unverified))| {
            let check = check_providers(entry.watch_options.clone(), &input.services);
            let id = entry.item.id;
            let ann = input.query_vector.as_ref().map(|q| {
                similarity
                    .get(&id)
                    .copied()
                    .unwrap_or_else(|| f64::from(cosine(q, &vector)))
            });
            let mut c = Candidate::new(Arc::clone(&entry.item), Some(vector), rank);
            c.watch_url = check.options.first().map(|o| o.url.clone());
            c.watch_options = check.options;
            c.source_scores.ann = ann;
            c.source_scores.collab = collab.get(&id).copied();
            c.source_scores.trending = trending.get(&id).copied();
            c.source_scores.lexical = lexical.get(&id).copied();
            c.unverified = unverified;
            (c, check.allowed)
        });
    // The list keeps every candidate (not just two pages' worth), so cursors can page deeper.
    let request = &input.request;
    let cands = select_with_fallback(walk, request.candidate_limit, request.limit);
    counts.filtered_out = filtered_out;
    cands
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
