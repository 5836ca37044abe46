//! Scalar kernels for the fused BERT steps, written branch-free so LLVM vectorises the loops.
//!
//! Exact GELU needs `erf`; libm's `erff` is scalar and branchy and took ~11 % of a forward pass.
//! We use the same Abramowitz–Stegun 7.1.26 formula PyTorch's vectorised CPU `erf` uses
//! (|error| ≤ 1.5e-7) over a Cephes-style `exp`, so we stay as close to sentence-transformers'
//! numbers as libm would.

/// `e^x` for `x` in roughly [-87, 88] (Cephes `expf`: range reduction by ln 2, degree-6 polynomial,
/// ~1 ulp). Inputs outside are clamped, so the result is finite and positive.
#[inline(always)]
pub(crate) fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    // Adding and subtracting 1.5 × 2^23 rounds to the nearest integer without SSE4.1's `roundps`.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let shifted = x * LOG2E + ROUND;
    let n = shifted - ROUND;
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let mut p = 1.987_569_1e-4_f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let y = p * r * r + r + 1.0;
    // 2^n without a float→int cast (which would not vectorise): the low mantissa bits of
    // `shifted` hold n (offset by 2^22); n + 127 lies in [1, 254] after the clamp, so shifting
    // it into the exponent field leaves a normal float and the offset bit falls off the top.
    let scale = f32::from_bits(shifted.to_bits().wrapping_add(127) << 23);
    y * scale
}

/// The error function, Abramowitz–Stegun 7.1.26 (as PyTorch's vectorised CPU `erf`).
///
/// The formula is good to 1.5e-7; in f32, `1 − t·P(t)·e^(−x²)` near 0 adds a few ulps of 1, so
/// the absolute error is below 6e-7, which GELU scales by `x / 2` there.
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A1: f32 = 0.254_829_6;
    const A2: f32 = -0.284_496_74;
    const A3: f32 = 1.421_413_7;
    const A4: f32 = -1.453_152_1;
    const A5: f32 = 1.061_405_4;
    let a = x.abs();
    let t = 1.0 / (1.0 + P * a);
    let poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
    let y = 1.0 - poly * exp(-a * a);
    y.copysign(x)
}

/// `out[i] = gelu(x[i] + bias[i])` with the exact (erf) GELU of BERT's `"hidden_act": "gelu"`.
#[inline(always)]
pub(crate) fn bias_gelu(x: &[f32], bias: &[f32], out: &mut [f32]) {
    for ((o, &v), &b) in out.iter_mut().zip(x).zip(bias) {
        let v = v + b;
        *o = 0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// `out = LayerNorm(x + bias + residual) * gamma + beta` for one row (two-pass mean/variance).
#[inline(always)]
pub(crate) fn bias_residual_norm(
    x: &[f32],
    residual: &[f32],
    bias: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
    out: &mut [f32],
) {
    for (((o, &v), &r), &b) in out.iter_mut().zip(x).zip(residual).zip(bias) {
        *o = v + r + b;
    }
    let n = out.len() as f32;
    let mean = sum(out) / n;
    let var = out
        .iter()
        .map(|v| (v - mean) * (v - mean))
        .fold(0.0, |a, b| a + b)
        / n;
    let inv_std = 1.0 / (var + eps).sqrt();
    for ((o, &g), &b) in out.iter_mut().zip(gamma).zip(beta) {
        *o = (*o - mean) * inv_std * g + b;
    }
}

/// Keys are scored in blocks this wide, so a block's scores stay in registers while the
/// head dimension is summed; K transposed is padded with zero columns to a multiple of it.
pub(crate) const KEY_BLOCK: usize = 32;

/// Self-attention of one head over one sequence, without padding.
///
/// `q` and `v` hold one row of `head_dim` per token (bias added, `q` already scaled by
/// 1/√head_dim). `k_t` is K transposed, `head_dim` rows of `key_stride` (≥ keys, a multiple of
/// [`KEY_BLOCK`], zero beyond the real keys), so the score loop is contiguous multiply-adds
/// without horizontal sums. `out` gets one row per query. Every key is a real token: no mask.
#[inline(always)]
pub(crate) fn attend(
    q: &[f32],
    k_t: &[f32],
    v: &[f32],
    head_dim: usize,
    key_stride: usize,
    out: &mut [f32],
) {
    // MiniLM's heads are 384 / 12 = 32 wide: a fixed size lets accumulators live in registers.
    if head_dim == 32 {
        attend_fixed::<32>(q, k_t, v, key_stride, out);
    } else {
        attend_any(q, k_t, v, head_dim, key_stride, out);
    }
}

#[inline(always)]
fn attend_fixed<const D: usize>(q: &[f32], k_t: &[f32], v: &[f32], stride: usize, out: &mut [f32]) {
    let keys = v.len() / D;
    let mut scores = vec![0.0f32; stride];
    for (qi, oi) in q.chunks_exact(D).zip(out.chunks_exact_mut(D)) {
        for (block, dst) in scores.chunks_exact_mut(KEY_BLOCK).enumerate() {
            let mut acc = [0.0f32; KEY_BLOCK];
            for (&qd, k_row) in qi.iter().zip(k_t.chunks_exact(stride)) {
                let k_row = &k_row[block * KEY_BLOCK..(block + 1) * KEY_BLOCK];
                for (a, &k) in acc.iter_mut().zip(k_row) {
                    *a += qd * k;
                }
            }
            dst.copy_from_slice(&acc);
        }
        let inv = softmax_in_place(&mut scores[..keys]);
        // Two accumulators halve the chain of dependent adds.
        let (mut even, mut odd) = ([0.0f32; D], [0.0f32; D]);
        let mut pairs = scores[..keys].chunks_exact(2).zip(v.chunks_exact(2 * D));
        for (p, vv) in &mut pairs {
            let (v0, v1) = vv.split_at(D);
            for t in 0..D {
                even[t] += p[0] * v0[t];
                odd[t] += p[1] * v1[t];
            }
        }
        if keys % 2 == 1 {
            let last = &v[(keys - 1) * D..keys * D];
            for t in 0..D {
                even[t] += scores[keys - 1] * last[t];
            }
        }
        for t in 0..D {
            oi[t] = (even[t] + odd[t]) * inv;
        }
    }
}

#[inline(always)]
fn attend_any(q: &[f32], k_t: &[f32], v: &[f32], head_dim: usize, stride: usize, out: &mut [f32]) {
    let keys = v.len() / head_dim;
    let mut scores = vec![0.0f32; keys];
    for (qi, oi) in q.chunks_exact(head_dim).zip(out.chunks_exact_mut(head_dim)) {
        scores.fill(0.0);
        for (&qd, k_row) in qi.iter().zip(k_t.chunks_exact(stride)) {
            for (s, &k) in scores.iter_mut().zip(k_row) {
                *s += qd * k;
            }
        }
        let inv = softmax_in_place(&mut scores);
        oi.fill(0.0);
        for (&p, vj) in scores.iter().zip(v.chunks_exact(head_dim)) {
            for (o, &x) in oi.iter_mut().zip(vj) {
                *o += p * x;
            }
        }
        oi.iter_mut().for_each(|o| *o *= inv);
    }
}

/// Replaces scores by `exp(score − max)` and returns 1 / their sum (the caller scales once).
#[inline(always)]
fn softmax_in_place(scores: &mut [f32]) -> f32 {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    scores.iter_mut().for_each(|s| *s = exp(*s - max));
    1.0 / sum(scores)
}

#[inline(always)]
fn sum(a: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks = a.len() / 8 * 8;
    for x in a[..chunks].chunks_exact(8) {
        for i in 0..8 {
            acc[i] += x[i];
        }
    }
    acc.iter().sum::<f32>() + a[chunks..].iter().sum::<f32>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_two_ulp_of_std_over_the_useful_range() {
        let mut x = -80.0f32;
        while x < 80.0 {
            let (got, want) = (exp(x), x.exp());
            assert!(
                ((got - want) / want).abs() < 3e-7,
                "exp({x}) = {got}, want {want}"
            );
            x += 0.173;
        }
    }

    #[test]
    fn exp_of_a_very_negative_number_is_tiny_not_nan() {
        let y = exp(-1.0e4);
        assert!((0.0..1e-37).contains(&y), "{y}");
    }

    #[test]
    fn erf_is_within_6e7_of_the_series() {
        let mut x = -6.0f32;
        while x < 6.0 {
            let (got, want) = (erf(x), erf_series(x));
            assert!((got - want).abs() < 6e-7, "erf({x}) = {got}, want {want}");
            x += 0.0137;
        }
    }

    fn erf_series(x: f32) -> f32 {
        // std has no erf: the Maclaurin series in f64 below 3.5, the asymptotic erfc above.
        let x = f64::from(x);
        if x.abs() >= 3.5 {
            return x.signum() as f32 * (1.0 - erfc_asymptotic(x.abs())) as f32;
        }
        let mut term = x;
        let mut total = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            total += term / (2 * n + 1) as f64;
        }
        (total * 2.0 / std::f64::consts::PI.sqrt()) as f32
    }

    fn erfc_asymptotic(x: f64) -> f64 {
        (-x * x).exp() / (x * std::f64::consts::PI.sqrt()) * (1.0 - 1.0 / (2.0 * x * x))
    }

    #[test]
    fn gelu_matches_its_definition() {
        let x = [-3.0f32, -1.0, -0.1, 0.0, 0.5, 2.0];
        let bias = [0.0f32; 6];
        let mut out = [0.0f32; 6];
        bias_gelu(&x, &bias, &mut out);
        for (&v, &o) in x.iter().zip(&out) {
            let want = 0.5 * v * (1.0 + erf_series(v / std::f32::consts::SQRT_2));
            assert!((o - want).abs() < 1e-6, "gelu({v}) = {o}, want {want}");
        }
    }

    #[test]
    fn layer_norm_centres_and_scales_the_row() {
        let x = [1.0f32, 2.0, 3.0, 4.0];
        let zeros = [0.0f32; 4];
        let ones = [1.0f32; 4];
        let mut out = [0.0f32; 4];
        bias_residual_norm(&x, &zeros, &zeros, &ones, &zeros, 0.0, &mut out);
        let mean: f32 = out.iter().sum::<f32>() / 4.0;
        let var: f32 = out.iter().map(|v| v * v).sum::<f32>() / 4.0;
        assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5, "{out:?}");
    }

    #[test]
    fn layer_norm_adds_bias_and_residual_before_normalising() {
        let mut a = [0.0f32; 3];
        let mut b = [0.0f32; 3];
        let ones = [1.0f32; 3];
        let zeros = [0.0f32; 3];
        bias_residual_norm(
            &[1.0, 0.0, 0.0],
            &[0.0, 2.0, 0.0],
            &[0.0, 0.0, 3.0],
            &ones,
            &zeros,
            1e-12,
            &mut a,
        );
        bias_residual_norm(
            &[1.0, 2.0, 3.0],
            &zeros,
            &zeros,
            &ones,
            &zeros,
            1e-12,
            &mut b,
        );
        assert_eq!(a, b);
    }

    #[test]
    fn attention_with_one_key_returns_its_value() {
        let mut out = [0.0f32; 2];
        // One key: K transposed is the key itself, one value per dimension.
        attend(&[0.3, -0.2], &[1.0, 1.0], &[5.0, 7.0], 2, 1, &mut out);
        assert_eq!(out, [5.0, 7.0]);
    }

    #[test]
    fn attention_weights_values_by_softmax_of_scores() {
        // Keys (0, 0) and (1, 0): scores 0 and ln 3 → weights 1/4 and 3/4.
        let q = [3f32.ln(), 0.0];
        let k_t = [0.0, 1.0, 0.0, 0.0];
        let v = [4.0, 0.0, 0.0, 8.0];
        let mut out = [0.0f32; 2];
        attend(&q, &k_t, &v, 2, 2, &mut out);
        assert!(
            (out[0] - 1.0).abs() < 1e-6 && (out[1] - 6.0).abs() < 1e-6,
            "{out:?}"
        );
    }

    #[test]
    fn the_32_wide_fast_path_agrees_with_the_general_one() {
        const D: usize = 32;
        let keys: usize = 37;
        let stride = keys.div_ceil(KEY_BLOCK) * KEY_BLOCK;
        // Deterministic pseudo-random values in [-1, 1).
        let mut seed = 12_345u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        };
        let q: Vec<f32> = (0..keys * D).map(|_| next() * 0.5).collect();
        let v: Vec<f32> = (0..keys * D).map(|_| next()).collect();
        let mut k_t = vec![0.0f32; D * stride];
        for d in 0..D {
            for j in 0..keys {
                k_t[d * stride + j] = next();
            }
        }
        let mut fast = vec![0.0f32; keys * D];
        let mut slow = vec![0.0f32; keys * D];
        attend_fixed::<D>(&q, &k_t, &v, stride, &mut fast);
        attend_any(&q, &k_t, &v, D, stride, &mut slow);
        let worst = fast
            .iter()
            .zip(&slow)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-5, "paths differ by {worst}");
    }

    #[test]
    fn sum_handles_tails_shorter_than_eight() {
        let a: Vec<f32> = (0..11).map(|i| i as f32).collect();
        assert_eq!(sum(&a), 55.0);
    }
}
