//! Behaviour of the whole model: planted structure is recovered, the weights are EASE's,
//! history changes scores without refitting, truncation and the byte form.

use super::codec::{FORMAT_VERSION, decode, encode};
use super::*;
use crate::item::ItemId;

/// Cluster A is titles 1..=10, cluster B titles 101..=110. 24 users watch 4–7 titles of one
/// cluster (liked or watched); two users bridge the clusters with one title of each; titles 11
/// and 111 have one user each.
fn two_clusters() -> HistoryMatrix {
    let mut m = HistoryMatrix::new();
    for u in 0..24i32 {
        let base = if u % 2 == 0 { 1 } else { 101 };
        let len = 4 + (u % 4);
        let events: Vec<TasteEvent> = (0..len)
            .map(|j| {
                let item = base + (u * 3 + j * 7) % 10;
                TasteEvent::new(item, if j % 2 == 0 { "liked" } else { "watched" })
            })
            .collect();
        m.push_user(&events);
    }
    m.push_user(&[TasteEvent::new(1, "liked"), TasteEvent::new(101, "liked")]);
    m.push_user(&[TasteEvent::new(2, "watched"), TasteEvent::new(102, "liked")]);
    m.push_user(&[TasteEvent::new(1, "liked"), TasteEvent::new(11, "watched")]);
    m.push_user(&[
        TasteEvent::new(101, "liked"),
        TasteEvent::new(111, "watched"),
    ]);
    m
}

fn small_params() -> TasteParams {
    TasteParams {
        lambda: 5.0,
        top_k: 50,
        min_users: 1,
        // The order signal has its own tests (below); these are about EASE.
        sequence: SequenceParams::OFF,
        ..TasteParams::default()
    }
}

fn fitted(history: &HistoryMatrix, params: &TasteParams) -> TasteModel {
    fit(history, params, &mut |_| {}).expect("the synthetic history fits")
}

fn in_a(item: ItemId) -> bool {
    item < 100
}

#[test]
fn a_viewer_of_one_cluster_is_recommended_that_cluster() {
    let model = fitted(&two_clusters(), &small_params());

    let top = model.score(
        &[
            TasteEvent::new(3, "liked"),
            TasteEvent::new(4, "watched"),
            TasteEvent::new(5, "liked"),
        ],
        HistoryOrder::Timed,
        5,
    );

    assert_eq!(top.len(), 5);
    assert!(top.iter().all(|s| in_a(s.item)), "{top:?}");
    assert!(
        top.iter().all(|s| ![3, 4, 5].contains(&s.item)),
        "seen titles are excluded"
    );
    assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn the_weights_are_the_closed_form_ease_solution() {
    // Three users over four titles, binary, λ = 1: B = I − P·diag(1/diag(P)), P = (XᵀX + I)⁻¹,
    // computed here by plain Gauss–Jordan elimination.
    let rows: [&[ItemId]; 3] = [&[1, 2], &[1, 2, 3], &[3, 4]];
    let mut history = HistoryMatrix::new();
    let mut x = [[0.0f64; 4]; 3];
    for (u, row) in rows.iter().enumerate() {
        history.push_user(
            &row.iter()
                .map(|&i| TasteEvent::new(i, "liked"))
                .collect::<Vec<_>>(),
        );
        for &i in *row {
            x[u][(i - 1) as usize] = 1.0;
        }
    }
    let mut g = [[0.0f64; 4]; 4];
    for (i, gi) in g.iter_mut().enumerate() {
        for (j, gij) in gi.iter_mut().enumerate() {
            *gij = x.iter().map(|r| r[i] * r[j]).sum::<f64>() + if i == j { 1.0 } else { 0.0 };
        }
    }
    let p = gauss_jordan_inverse(g);
    let params = TasteParams::plain_ease(1.0, 10, 1);

    let model = fitted(&history, &params);

    for i in 0..4 {
        let got = model.neighbours(i as ItemId + 1);
        let want: Vec<(ItemId, f32)> = (0..4)
            .filter(|&j| j != i)
            .map(|j| (j as ItemId + 1, (-p[i][j] / p[j][j]) as f32))
            .filter(|(_, w)| *w > 0.0)
            .collect();
        assert_eq!(
            got.len(),
            want.len(),
            "title {}: {got:?} vs {want:?}",
            i + 1
        );
        for ((gi, gw), (wi, ww)) in got.iter().zip(&want) {
            assert_eq!(gi, wi);
            assert!((gw - ww).abs() < 1e-5, "title {}: {gw} vs {ww}", i + 1);
        }
    }
}

fn gauss_jordan_inverse(mut a: [[f64; 4]; 4]) -> [[f64; 4]; 4] {
    let mut inv = [[0.0f64; 4]; 4];
    for (i, row) in inv.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for c in 0..4 {
        let pivot = a[c][c];
        for k in 0..4 {
            a[c][k] /= pivot;
            inv[c][k] /= pivot;
        }
        for r in 0..4 {
            if r != c {
                let f = a[r][c];
                for k in 0..4 {
                    a[r][k] -= f * a[c][k];
                    inv[r][k] -= f * inv[c][k];
                }
            }
        }
    }
    inv
}

#[test]
fn a_new_event_changes_the_scores_without_refitting() {
    let model = fitted(&two_clusters(), &small_params());
    let before = model.score(&[TasteEvent::new(3, "liked")], HistoryOrder::Timed, 5);

    let after = model.score(
        &[TasteEvent::new(3, "liked"), TasteEvent::new(105, "liked")],
        HistoryOrder::Timed,
        5,
    );

    assert!(before.iter().all(|s| in_a(s.item)), "{before:?}");
    assert!(after.iter().any(|s| !in_a(s.item)), "{after:?}");
    assert!(after.iter().all(|s| s.item != 105));
}

#[test]
fn a_later_dislike_overrides_a_like_of_the_same_title() {
    let model = fitted(&two_clusters(), &small_params());
    let liked = model.score(&[TasteEvent::new(3, "liked")], HistoryOrder::Timed, 30);

    let disliked = model.score(
        &[TasteEvent::new(3, "liked"), TasteEvent::new(3, "disliked")],
        HistoryOrder::Timed,
        30,
    );

    let total = |s: &[TasteScore]| s.iter().map(|s| s.score).sum::<f32>();
    assert!(total(&disliked) < total(&liked) * 0.5);
    assert!(
        disliked.iter().all(|s| s.because.is_none()),
        "a dislike is never the reason"
    );
}

#[test]
fn each_score_names_the_history_title_that_contributed_most() {
    let model = fitted(&two_clusters(), &small_params());
    let history = [TasteEvent::new(3, "liked"), TasteEvent::new(104, "watched")];
    let contribution = |source: ItemId, target: ItemId| {
        let w = model
            .params()
            .score_weights
            .of(EventKind::of(if source == 3 { "liked" } else { "watched" }));
        model
            .neighbours(source)
            .iter()
            .find(|(t, _)| *t == target)
            .map_or(0.0, |(_, b)| w * b)
    };

    let top = model.score(&history, HistoryOrder::Timed, 40);

    assert!(top.iter().any(|s| s.because == Some(3)));
    assert!(top.iter().any(|s| s.because == Some(104)));
    for s in &top {
        let expected = if contribution(3, s.item) >= contribution(104, s.item) {
            3
        } else {
            104
        };
        assert_eq!(s.because, Some(expected), "{s:?}");
    }
}

#[test]
fn recency_favours_the_neighbours_of_the_newest_titles() {
    let params = TasteParams {
        recency_half_life: Some(1.0),
        ..small_params()
    };
    let model = fitted(&two_clusters(), &params);
    let history = [TasteEvent::new(3, "liked"), TasteEvent::new(104, "liked")];

    let top = model.score(&history, HistoryOrder::Timed, 1);
    let flat = fitted(&two_clusters(), &small_params()).score(&history, HistoryOrder::Timed, 40);

    assert!(!in_a(top[0].item), "the newer B title leads: {top:?}");
    assert!(flat.iter().any(|s| in_a(s.item)));
}

#[test]
fn truncation_keeps_each_titles_strongest_weights() {
    let full = fitted(&two_clusters(), &small_params());
    let params = TasteParams {
        top_k: 3,
        ..small_params()
    };

    let small = fitted(&two_clusters(), &params);

    assert!(small.weight_count() < full.weight_count());
    for &item in full.items() {
        let mut strongest = full.neighbours(item);
        strongest.sort_by(|a, b| b.1.total_cmp(&a.1));
        strongest.truncate(3);
        strongest.sort_by_key(|(t, _)| *t);
        assert_eq!(small.neighbours(item), strongest, "title {item}");
    }
}

#[test]
fn titles_with_too_few_users_are_left_out() {
    let params = TasteParams {
        min_users: 2,
        ..small_params()
    };

    let model = fitted(&two_clusters(), &params);

    assert_eq!(model.items().len(), 20);
    assert!(!model.items().contains(&11) && !model.items().contains(&111));
    assert_eq!(model.stats().dropped_items, 2);
    assert!(model.neighbours(1).iter().all(|(t, _)| *t != 11));
    let too_few = fit(
        &two_clusters(),
        &TasteParams {
            min_users: 100,
            ..small_params()
        },
        &mut |_| {},
    );
    assert_eq!(too_few, Err(TasteError::NoItems { min_users: 100 }));
}

#[test]
fn the_fit_reports_its_stages_in_order() {
    let mut stages = Vec::new();

    fit(&two_clusters(), &small_params(), &mut |s| stages.push(s)).expect("fits");

    assert_eq!(
        stages,
        [
            FitStage::Counting,
            FitStage::CoOccurrence { items: 22 },
            FitStage::Inverting,
            FitStage::Pruning,
            FitStage::Sequencing
        ]
    );
}

#[test]
fn a_model_survives_the_byte_round_trip() {
    let model = fitted(&two_clusters(), &small_params());

    let bytes = encode(&model);
    let back = decode(&bytes).expect("decodes");

    assert_eq!(back, model);
    assert_eq!(bytes[8..10], FORMAT_VERSION.to_le_bytes());
}

#[test]
fn foreign_or_damaged_bytes_are_refused() {
    let model = fitted(&two_clusters(), &small_params());
    let bytes = encode(&model);
    let mut other_version = bytes.clone();
    other_version[8] = other_version[8].wrapping_add(1);
    let mut bad_target = model.clone();
    bad_target.targets[0] = 1_000;

    for (what, damaged) in [
        ("magic", b"NOTAMODEL!".to_vec()),
        ("version", other_version),
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("trailing", [bytes.as_slice(), &[0]].concat()),
        ("target", encode(&bad_target)),
    ] {
        assert!(
            matches!(decode(&damaged), Err(TasteError::Decode(_))),
            "{what} was accepted"
        );
    }
}

/// Title 1 is watched by everyone, with two of titles 2..=41 each.
fn a_hub_and_forty_titles() -> HistoryMatrix {
    let mut m = HistoryMatrix::new();
    for u in 0..80i32 {
        m.push_user(&[
            TasteEvent::new(1, "liked"),
            TasteEvent::new(2 + u % 40, "liked"),
            TasteEvent::new(2 + (u * 7 + 3) % 40, "watched"),
        ]);
    }
    m
}

#[test]
fn an_allowlist_and_exclusions_pick_the_best_allowed_titles_in_the_unrestricted_order() {
    let model = fitted(&a_hub_and_forty_titles(), &small_params());
    let history = [TasteEvent::new(1, "liked"), TasteEvent::new(5, "watched")];
    let all = model.score(&history, HistoryOrder::Timed, 100);
    assert!(all.len() > 16, "more titles than the first window: {all:?}");
    // Every other title of the full order is allowed; the best allowed one is excluded.
    let allow: Vec<ItemId> = all.iter().step_by(2).map(|s| s.item).collect();
    let excluded = allow[0];
    let picked = model.score_where(&history, HistoryOrder::Timed, 3, Some(&allow), |id| {
        id != excluded
    });
    let expected: Vec<TasteScore> = all
        .iter()
        .filter(|s| allow.contains(&s.item) && s.item != excluded)
        .take(3)
        .copied()
        .collect();
    assert_eq!(picked, expected);
    // Without an allowlist, exclusions skip past the window `keep` is first asked about.
    let skip: Vec<ItemId> = all.iter().take(all.len() - 1).map(|s| s.item).collect();
    let last = model.score_where(&history, HistoryOrder::Timed, 2, None, |id| {
        !skip.contains(&id)
    });
    assert_eq!(last, vec![all[all.len() - 1]]);
}

/// 30 users watch titles 1..=6 in this order (liked): watched together by everyone, so EASE
/// cannot tell which comes next, but the order can.
fn one_chain() -> HistoryMatrix {
    let mut m = HistoryMatrix::new();
    for _ in 0..30 {
        let events: Vec<TasteEvent> = (1..=6).map(|i| TasteEvent::new(i, "liked")).collect();
        m.push_user(&events);
    }
    m
}

#[test]
fn the_order_signal_recovers_what_comes_next() {
    let with_order = TasteParams {
        min_users: 1,
        ..TasteParams::default()
    };
    let model = fitted(&one_chain(), &with_order);
    let watched = [TasteEvent::new(1, "liked"), TasteEvent::new(2, "liked")];

    let next = model.score(&watched, HistoryOrder::Timed, 4);
    let batched = model.score(&watched, HistoryOrder::Batched, 4);

    assert!(!model.transitions().is_empty());
    let ids = |s: &[TasteScore]| s.iter().map(|s| s.item).collect::<Vec<_>>();
    assert_eq!(
        ids(&next),
        [3, 4, 5, 6],
        "the chain's next titles, in order"
    );
    // Batched: EASE alone, which ranks 3..=6 the same (ties by id) and scores them equally.
    assert_eq!(ids(&batched), [3, 4, 5, 6]);
    assert!(
        batched
            .windows(2)
            .all(|w| (w[0].score - w[1].score).abs() < 1e-6),
        "{batched:?}"
    );
    assert!(
        next[0].score > next[1].score && next[1].score > next[3].score,
        "{next:?}"
    );
}

#[test]
fn a_model_without_the_order_signal_stores_no_transitions() {
    let model = fitted(&one_chain(), &small_params());

    assert!(!model.transitions().is_fitted());
    assert_eq!(decode(&encode(&model)).expect("decodes"), model);
}

#[test]
fn format_1_models_still_decode_without_the_order_signal() {
    let model = fitted(&two_clusters(), &small_params());
    let p = model.params();
    // Format 1's layout: the parameters before `sequence`, then the fields before
    // `transitions` (postcard writes a struct as its fields in order).
    let v1 = (
        (
            p.lambda,
            p.top_k,
            p.min_users,
            p.fit_weights,
            p.score_weights,
            p.recency_half_life,
        ),
        model.stats(),
        model.items(),
        &model.row_starts,
        &model.targets,
        &model.weights,
    );
    let bytes = [
        b"SEENTAST".as_slice(),
        &1u16.to_le_bytes(),
        &postcard::to_allocvec(&v1).expect("serialises"),
    ]
    .concat();

    let back = decode(&bytes).expect("format 1 decodes");

    assert_eq!(back.params().sequence, SequenceParams::OFF);
    assert_eq!(back.params().lambda, p.lambda);
    let history = [TasteEvent::new(3, "liked"), TasteEvent::new(104, "watched")];
    assert_eq!(
        back.score(&history, HistoryOrder::Timed, 10),
        model.score(&history, HistoryOrder::Timed, 10)
    );
}
