//! The ranker on hand-built inputs: no database, no model.

use super::*;
use crate::catalog_copy::CatalogEntry;
use crate::explain::Templates;
use crate::intent::IntentFilters;
use crate::item::{Genre, Item, MediaType};
use crate::mixer::MixerOverrides;
use crate::prefilter::PrefilterDecision;
use crate::rules::BusinessRules;
use std::collections::HashMap;
use std::sync::Arc;

/// A drama with the same popularity and votes as every other (so the mixer orders by
/// similarity unless a test says otherwise).
fn film(id: ItemId) -> Item {
    let mut item = Item::bare(id, MediaType::Movie, &format!("Film {id}"));
    item.popularity = Some(50.0);
    item.vote_count = Some(500);
    item.genres = vec![Genre {
        id: None,
        name: "Drama".into(),
    }];
    item
}

fn entry(item: Item, vector: [f32; 3]) -> (ItemId, CatalogEntry) {
    (
        item.id,
        CatalogEntry {
            item: Arc::new(item),
            vector: Some(vector.to_vec().into()),
            watch_options: Vec::new(),
        },
    )
}

/// Titles `1..=n`, found by ANN in id order with falling similarity, vectors far apart.
fn input(n: ItemId) -> RankInput {
    let titles: HashMap<ItemId, CatalogEntry> = (1..=n)
        .map(|id| {
            let angle = id as f32;
            entry(film(id), [angle.cos(), angle.sin(), 0.1])
        })
        .collect();
    RankInput {
        request: RankRequest {
            limit: 3,
            candidate_limit: 30,
            diversify: false,
            query: None,
            search_terms: String::new(),
            mixer: MixerOverrides::default(),
        },
        filters: IntentFilters::default(),
        services: Vec::new(),
        prefilter: PrefilterDecision::none(),
        exclude: HashSet::new(),
        negatives: HashSet::new(),
        query_vector: Some(vec![1.0, 0.0, 0.0]),
        retrieved: Retrieved {
            ann: (1..=n)
                .map(|id| AnnHit {
                    item_id: id,
                    similarity: 0.9 - f64::from(id) * 0.01,
                })
                .collect(),
            ..Retrieved::default()
        },
        titles,
        watched: Vec::new(),
        current_year: 2025,
    }
}

fn ranked(input: &RankInput, serendipity: f64) -> Ranked {
    let rules = BusinessRules::default();
    let templates = Templates::default();
    let settings = RankSettings {
        mixer: MixerWeights::default(),
        mmr: MmrSettings::default(),
        serendipity: SerendipitySettings::new(serendipity),
        heuristic: HeuristicSettings::default(),
        rules: &rules,
        templates: &templates,
        reranker_follows: false,
    };
    rank(input, &settings)
}

fn ids(r: &Ranked) -> Vec<ItemId> {
    r.items.iter().map(|c| c.item.id).collect()
}

fn set_item(input: &mut RankInput, id: ItemId, change: impl FnOnce(&mut Item)) {
    let entry = input.titles.get_mut(&id).expect("title in the input");
    change(Arc::make_mut(&mut entry.item));
}

#[test]
fn the_ann_list_comes_out_in_similarity_order_with_scores_and_explanations() {
    let r = ranked(&input(4), 0.0);
    assert_eq!(ids(&r), vec![1, 2, 3, 4]);
    assert!(r.items.iter().all(|c| !c.explanation.is_empty()));
    assert!(r.items.iter().all(|c| c.score > 0.0));
    assert_eq!(r.trace.counts.ann, 4);
    assert_eq!(r.trace.counts.merged, 4);
    assert_eq!(r.trace.counts.hydrated, 4);
    assert_eq!(r.trace.counts.returned, 4);
    let first = &r.trace.items["1"];
    assert_eq!(
        first.components.ann_source,
        crate::mixer::AnnSource::Similarity
    );
    assert!((first.components.ann - 0.89).abs() < 1e-9);
}

#[test]
fn excluded_and_rejected_titles_never_appear_whatever_the_source() {
    let mut input = input(5);
    input.exclude = HashSet::from([2, 4]);
    input.negatives = HashSet::from([3]);
    // A source that did not apply the exclusions, and a boost for an excluded title.
    input.retrieved.collab = vec![(4, 1.0), (5, 0.5)];
    input.prefilter.boost_ids = vec![2, 5];
    let r = ranked(&input, 0.0);
    assert_eq!(ids(&r), vec![5, 1]);
    assert_eq!(r.trace.counts.merged, 2);
    assert_eq!(r.trace.counts.collab, 2);
}

#[test]
fn a_request_made_only_of_filters_takes_the_best_known_matches_as_candidates() {
    let mut input = input(5);
    input.retrieved.ann.retain(|h| h.item_id <= 3);
    input.prefilter.boost_ids = vec![5, 4];
    // Words to search: the boosts only move up when retrieval found them.
    input.request.query = Some("a lighthouse keeper".into());
    input.request.search_terms = "lighthouse keeper".into();
    assert_eq!(merged_ids(&input), vec![1, 2, 3]);
    // Every word is a filter: the boosts join the pool, first.
    input.request.query = Some("comedies from the 90s".into());
    input.request.search_terms = String::new();
    assert_eq!(merged_ids(&input), vec![5, 4, 1, 2, 3]);
    input.request.query = None;
    assert_eq!(merged_ids(&input), vec![1, 2, 3]);
}

#[test]
fn collaborative_titles_merge_first_and_score_through_the_mixer() {
    let mut input = input(3);
    input.retrieved.ann.retain(|h| h.item_id != 3);
    input.retrieved.collab = vec![(3, 1.0)];
    let merged = merged_ids(&input);
    assert_eq!(merged, vec![3, 1, 2]);
    let r = ranked(&input, 0.0);
    let c = r
        .items
        .iter()
        .find(|c| c.item.id == 3)
        .expect("collab title");
    assert_eq!(c.source_scores.collab, Some(1.0));
    assert_eq!(r.trace.items["3"].components.collab, 1.0);
}

#[test]
fn a_filter_drops_failing_titles_and_ranks_unchecked_ones_last() {
    let mut input = input(4);
    input.filters.exclude_genres = vec!["Horror".into()];
    input.filters.max_runtime = Some(100);
    set_item(&mut input, 1, |i| {
        i.genres = vec![Genre {
            id: None,
            name: "Horror".into(),
        }];
        i.runtime = Some(90);
    });
    set_item(&mut input, 2, |i| i.runtime = None);
    set_item(&mut input, 3, |i| i.runtime = Some(95));
    set_item(&mut input, 4, |i| i.runtime = Some(150));
    let r = ranked(&input, 0.0);
    // 1 is horror and 4 too long: both out. 2's runtime is unknown: kept, after 3.
    assert_eq!(ids(&r), vec![3, 2]);
    assert_eq!(r.trace.counts.filtered_out, 2);
    assert_eq!(r.trace.counts.unverified, 1);
    assert!(!r.items[1].unverified.is_empty());
    assert!(
        r.items[1].explanation.contains("unknown"),
        "{}",
        r.items[1].explanation
    );
}

#[test]
fn a_mixer_override_changes_the_order() {
    let mut input = input(2);
    // 1: close to the query but obscure; 2: further away but very popular and voted.
    set_item(&mut input, 1, |i| {
        i.popularity = Some(5.0);
        i.vote_count = Some(10);
    });
    set_item(&mut input, 2, |i| {
        i.popularity = Some(100.0);
        i.vote_count = Some(5000);
    });
    input.retrieved.ann[1].similarity = 0.5;
    assert_eq!(ids(&ranked(&input, 0.0)), vec![1, 2]);

    input.request.mixer = MixerOverrides {
        popularity: Some(1.0),
        vote: Some(1.0),
        novelty: Some(0.0),
        ..MixerOverrides::default()
    };
    assert_eq!(ids(&ranked(&input, 0.0)), vec![2, 1]);
}

#[test]
fn mmr_moves_a_near_duplicate_off_the_first_page() {
    let mut input = input(3);
    input.request.limit = 2;
    // 2 is almost the same title as 1; 3 is different and less relevant.
    input.titles.insert(1, entry(film(1), [1.0, 0.0, 0.0]).1);
    input.titles.insert(2, entry(film(2), [0.99, 0.01, 0.0]).1);
    input.titles.insert(3, entry(film(3), [0.0, 1.0, 0.0]).1);
    assert_eq!(ids(&ranked(&input, 0.0)), vec![1, 2, 3]);

    input.request.diversify = true;
    let r = ranked(&input, 0.0);
    assert_eq!(ids(&r), vec![1, 3, 2]);
    assert_eq!(r.trace.items["3"].mmr_from, Some(2));
    assert_eq!(r.trace.items["1"].mmr_from, None);
}

#[test]
fn the_serendipity_slot_brings_a_long_tail_title_onto_page_one() {
    let mut input = input(7);
    input.request.limit = 5;
    let plain = ranked(&input, 0.0);
    assert_eq!(ids(&plain), vec![1, 2, 3, 4, 5, 6, 7]);
    assert!(plain.trace.items.values().all(|t| !t.serendipity));

    // 20% of five slots: one long-tail title (ranked 6th) takes the last short-tail slot.
    let r = ranked(&input, 0.2);
    assert_eq!(ids(&r), vec![1, 2, 3, 4, 6, 5, 7]);
    assert!(r.trace.items["6"].serendipity);
    assert!(!r.trace.items["5"].serendipity);
}

#[test]
fn nothing_retrieved_ranks_to_an_empty_list() {
    let mut input = input(2);
    input.retrieved = Retrieved::default();
    let r = ranked(&input, 0.2);
    assert!(r.items.is_empty());
    assert_eq!(r.trace.counts, Counts::default());
}

#[test]
fn a_title_close_to_a_watched_one_says_so() {
    let mut input = input(2);
    input.titles.insert(1, entry(film(1), [1.0, 0.0, 0.0]).1);
    input.watched = vec![("Heat".to_owned(), vec![0.9, 0.1, 0.0])];
    let r = ranked(&input, 0.0);
    assert_eq!(
        r.items[0].because.as_ref().map(|b| b.title.as_str()),
        Some("Heat")
    );
    assert!(r.items[0].explanation.contains("Because you watched Heat"));
}
