//! The vector retrieval searches with (spec §4.10): the rewrite texts' vectors blended by
//! weight, pulled towards the titles the query names ("more like Interstellar"), then, for a
//! viewer with a taste vector, blended with that.

use crate::vector::unit;

/// Weight of the linked titles' mean vector against the rewrite vector.
pub const LINKED_TITLE_WEIGHT: f32 = 1.0;

/// `Σ wᵢ·vᵢ`, L2-normalised. `None` when there is nothing to blend, the inputs do not line
/// up (counts or dimensions differ), the total weight is not above 0, or the sum has no
/// direction (zero or non-finite).
pub fn combine_weighted(weights: &[f32], vectors: &[Vec<f32>]) -> Option<Vec<f32>> {
    let dim = vectors.first()?.len();
    if weights.len() != vectors.len() || vectors.iter().any(|v| v.len() != dim) {
        return None;
    }
    let total: f32 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mut combined = vec![0.0_f32; dim];
    for (w, v) in weights.iter().zip(vectors) {
        for (c, x) in combined.iter_mut().zip(v) {
            *c += w * x;
        }
    }
    unit(&combined)
}

/// The rewrite vector pulled towards the linked titles: their mean vector, blended with the
/// rewrite vector at [`LINKED_TITLE_WEIGHT`]; either alone when the other is missing. No
/// titles leave the rewrite vector as it is.
pub fn with_linked_titles(rewrite: Option<Vec<f32>>, titles: &[Vec<f32>]) -> Option<Vec<f32>> {
    if titles.is_empty() {
        return rewrite;
    }
    let linked = combine_weighted(&vec![1.0; titles.len()], titles);
    match (rewrite, linked) {
        (Some(r), Some(l)) => combine_weighted(&[1.0, LINKED_TITLE_WEIGHT], &[r, l]),
        (r, l) => r.or(l),
    }
}

/// The vector to search with: a cold viewer's (no taste vector) is the rewrite vector; a warm
/// viewer's taste vector is blended with it ([`blend_query`]), at `alpha_query` when the
/// request has a query text and [`NO_QUERY_ALPHA`] when only overrides made the rewrite.
pub fn retrieval_vector(
    taste: Option<&[f32]>,
    rewrite: Option<&[f32]>,
    has_query: bool,
    alpha_query: f64,
) -> Option<Vec<f32>> {
    let Some(taste) = taste else {
        return rewrite.map(<[f32]>::to_vec);
    };
    let alpha = if has_query {
        alpha_query
    } else {
        NO_QUERY_ALPHA
    };
    blend_query(taste, rewrite, alpha)
}

/// Share of the profile in the warm query blend when there is no query text (only overrides
/// produced a rewrite vector).
pub const NO_QUERY_ALPHA: f64 = 0.5;

/// The warm-path ANN query vector (spec §4.10).
///
/// With a usable rewrite vector: `Normalise(alpha·short + (1−alpha)·rewrite)`, `alpha`
/// clamped to [0, 1] (non-finite → 0.5). Without one: `short` unchanged. Returns `None`
/// when no usable vector exists, meaning "retrieve as for cold start". Zero-norm guard (the
/// original had none): a blend that cancels out falls back to the rewrite vector; a
/// rewrite of another length than `short` is used alone.
pub fn blend_query(short: &[f32], rewrite: Option<&[f32]>, alpha: f64) -> Option<Vec<f32>> {
    let short_ok = unit(short).is_some();
    let Some(rewrite) = rewrite.filter(|r| unit(r).is_some()) else {
        return short_ok.then(|| short.to_vec());
    };
    if !short_ok || short.len() != rewrite.len() {
        return unit(rewrite);
    }
    let alpha = if alpha.is_finite() {
        alpha.clamp(0.0, 1.0)
    } else {
        NO_QUERY_ALPHA
    } as f32;
    let mixed: Vec<f32> = short
        .iter()
        .zip(rewrite)
        .map(|(s, r)| alpha * s + (1.0 - alpha) * r)
        .collect();
    unit(&mixed).or_else(|| unit(rewrite))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::norm;

    fn assert_close(actual: f32, expected: f32) {
        assert!((actual - expected).abs() < 1e-5, "{actual} != {expected}");
    }

    #[test]
    fn orthogonal_unit_vectors_weighted_half_and_one_blend_to_the_pinned_vector() {
        let got = combine_weighted(&[0.5, 1.0], &[vec![1.0, 0.0], vec![0.0, 1.0]]).unwrap();
        assert!((got[0] - 0.447_213_6).abs() < 1e-6, "{got:?}");
        assert!((got[1] - 0.894_427_2).abs() < 1e-6, "{got:?}");
    }

    #[test]
    fn a_blend_with_no_direction_or_bad_inputs_gives_none() {
        assert_eq!(
            combine_weighted(&[1.0, 1.0], &[vec![1.0, 0.0], vec![-1.0, 0.0]]),
            None
        );
        assert_eq!(combine_weighted(&[0.0], &[vec![1.0, 0.0]]), None);
        assert_eq!(combine_weighted(&[], &[]), None);
        assert_eq!(combine_weighted(&[1.0], &[vec![1.0], vec![1.0]]), None);
        assert_eq!(
            combine_weighted(&[1.0, 1.0], &[vec![1.0], vec![1.0, 0.0]]),
            None
        );
        assert_eq!(combine_weighted(&[1.0], &[vec![f32::INFINITY]]), None);
    }

    #[test]
    fn without_a_rewrite_the_short_vector_is_used_as_is() {
        assert_eq!(blend_query(&[0.3, 0.7], None, 0.2), Some(vec![0.3, 0.7]));
    }

    #[test]
    fn the_rewrite_blend_is_normalised() {
        let q = blend_query(&[1.0, 0.0], Some(&[0.0, 1.0]), 0.2).expect("usable vectors");
        assert_close(q[1] / q[0], 4.0);
        assert_close(norm(&q), 1.0);
    }

    #[test]
    fn alpha_is_clamped() {
        let q = blend_query(&[1.0, 0.0], Some(&[0.0, 1.0]), 7.0).expect("usable vectors");
        assert_eq!(q, vec![1.0, 0.0]);
    }

    #[test]
    fn a_blend_that_cancels_out_falls_back_to_the_rewrite() {
        let q = blend_query(&[1.0, 0.0], Some(&[-1.0, 0.0]), 0.5).expect("rewrite is usable");
        assert_eq!(q, vec![-1.0, 0.0]);
    }

    #[test]
    fn no_usable_vector_means_no_query() {
        assert_eq!(blend_query(&[0.0, 0.0], None, 0.2), None);
        assert_eq!(blend_query(&[0.0, 0.0], Some(&[0.0, 0.0]), 0.2), None);
        assert_eq!(
            blend_query(&[0.0, 0.0], Some(&[0.0, 2.0]), 0.2),
            Some(vec![0.0, 1.0])
        );
    }

    #[test]
    fn linked_titles_pull_the_rewrite_vector_half_way() {
        let v = with_linked_titles(Some(vec![1.0, 0.0]), &[vec![0.0, 1.0]]).expect("a blend");
        assert_close(v[0], v[1]);
        assert_eq!(
            with_linked_titles(None, &[vec![0.0, 2.0]]),
            Some(vec![0.0, 1.0])
        );
        assert_eq!(with_linked_titles(Some(vec![3.0]), &[]), Some(vec![3.0]));
    }

    #[test]
    fn a_cold_viewer_searches_with_the_rewrite_and_a_warm_one_with_a_blend() {
        let rewrite = [0.0, 1.0];
        assert_eq!(
            retrieval_vector(None, Some(&rewrite), true, 0.2),
            Some(vec![0.0, 1.0])
        );
        assert_eq!(retrieval_vector(None, None, false, 0.2), None);
        let with_query =
            retrieval_vector(Some(&[1.0, 0.0]), Some(&rewrite), true, 0.2).expect("a blend");
        assert_close(with_query[1] / with_query[0], 4.0);
        // Without a query text the blend is half and half, whatever `alpha_query` says.
        let without =
            retrieval_vector(Some(&[1.0, 0.0]), Some(&rewrite), false, 0.2).expect("a blend");
        assert_close(without[0], without[1]);
    }

    proptest::proptest! {
        #[test]
        fn a_blend_is_a_unit_vector_or_none(
            w in proptest::collection::vec(0.0f32..5.0, 2),
            a in proptest::collection::vec(-1.0f32..1.0, 4),
            b in proptest::collection::vec(-1.0f32..1.0, 4),
        ) {
            if let Some(v) = combine_weighted(&w, &[a, b]) {
                let n: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                proptest::prop_assert!((n - 1.0).abs() < 1e-4);
            }
        }
    }
}
