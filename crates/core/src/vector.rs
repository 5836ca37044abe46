//! Small vector helpers shared by the profile maths, MMR and the rewrite blend.

/// Dimension of all-MiniLM-L6-v2 embeddings.
pub const EMBEDDING_DIM: usize = 384;

/// Dot product over the common length, with eight independent accumulators so the
/// compiler can vectorise it (a plain iterator sum of `f32` cannot be reordered, so it stays
/// scalar and latency-bound). MMR, "because you watched" and the profile maths live here.
/// Compiled for AVX2/FMA too and picked at run time (the release build targets baseline
/// x86-64, so the binary still runs on older CPUs).
#[multiversion::multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1"))]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0_f32; 8];
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Symmetric 8-bit quantisation: codes in -127..=127 and the scale that maps them back
/// (`x ≈ code · scale`). A zero or non-finite vector gets scale 0 (all codes 0).
pub fn quantize_i8(v: &[f32]) -> (Vec<i8>, f32) {
    let max = v.iter().fold(0.0_f32, |m, x| m.max(x.abs()));
    if max == 0.0 || !max.is_finite() {
        return (vec![0; v.len()], 0.0);
    }
    let scale = max / 127.0;
    // In range by construction: |x / scale| ≤ 127.
    let codes = v.iter().map(|x| (x / scale).round() as i8).collect();
    (codes, scale)
}

/// Dot product of two code vectors (exact in `i32` for up to 133k dimensions); integer
/// sums reorder freely, so this vectorises as written. Dispatched like [`dot`]: with AVX2
/// it scans 20k titles in ~0.4 ms, three times faster than the f32 vectors.
#[multiversion::multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1"))]
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| i32::from(*x) * i32::from(*y))
        .sum()
}

/// [`dot_i8`] of `query` with each `query.len()`-long row of `rows`, appended to `out`.
/// One dispatch for the whole scan, so the per-row sum inlines into the vector loop (a call
/// per row through the dispatcher cost as much as the arithmetic).
#[multiversion::multiversion(targets("x86_64+avx2+fma", "x86_64+sse4.1"))]
pub fn dots_i8(query: &[i8], rows: &[i8], out: &mut Vec<i32>) {
    if query.is_empty() {
        return;
    }
    // Plain loops, not `map` closures: after unrelated code moved between codegen units the
    // closure version ran 3× slower (criterion, same machine), as if its body had lost this
    // function's target features; the loops measured fast in both layouts.
    out.reserve(rows.len() / query.len());
    for row in rows.chunks_exact(query.len()) {
        let mut sum = 0i32;
        for (x, y) in row.iter().zip(query) {
            sum += i32::from(*x) * i32::from(*y);
        }
        out.push(sum);
    }
}

/// Euclidean norm.
pub fn norm(v: &[f32]) -> f32 {
    dot(v, v).sqrt()
}

/// L2-normalised copy; a zero or non-finite vector is returned unchanged.
pub fn normalized(v: &[f32]) -> Vec<f32> {
    let n = norm(v);
    if n > 0.0 && n.is_finite() {
        v.iter().map(|x| x / n).collect()
    } else {
        v.to_vec()
    }
}

/// L2-normalised copy, or `None` for an empty, zero or non-finite vector.
pub fn unit(v: &[f32]) -> Option<Vec<f32>> {
    let n = norm(v);
    (!v.is_empty() && n > 0.0 && n.is_finite()).then(|| v.iter().map(|x| x / n).collect())
}

/// Cosine similarity; 0 when either vector has no direction.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (na, nb) = (norm(a), norm(b));
    if na > 0.0 && nb > 0.0 && na.is_finite() && nb.is_finite() {
        dot(a, b) / (na * nb)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_scan_gives_each_rows_dot_product() {
        let query: Vec<i8> = (0..37).map(|i| (i * 7 % 255 - 127) as i8).collect();
        let rows: Vec<i8> = (0..37 * 5).map(|i| (i * 13 % 255 - 127) as i8).collect();
        let mut out = vec![1];
        dots_i8(&query, &rows, &mut out);
        let want: Vec<i32> = std::iter::once(1)
            .chain(rows.chunks(37).map(|row| dot_i8(&query, row)))
            .collect();
        assert_eq!(out, want);
        dots_i8(&[], &rows, &mut out);
        assert_eq!(out.len(), 6);
    }

    #[test]
    fn normalizing_a_zero_vector_leaves_it_unchanged() {
        assert_eq!(normalized(&[0.0, 0.0]), vec![0.0, 0.0]);
        assert_eq!(unit(&[0.0, 0.0]), None);
    }

    #[test]
    fn the_vectorised_dot_product_matches_the_plain_sum() {
        let a: Vec<f32> = (0..389).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..389).map(|i| (i as f32 * 0.11).cos()).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
        assert_eq!(dot(&[1.0, 2.0, 3.0], &[4.0, 5.0]), 14.0);
    }

    #[test]
    fn quantised_dot_products_approximate_the_real_ones() {
        let a: Vec<f32> = (0..384).map(|i| (i as f32 * 0.37).sin() * 0.1).collect();
        let b: Vec<f32> = (0..384).map(|i| (i as f32 * 0.11).cos() * 0.1).collect();
        let ((qa, sa), (qb, sb)) = (quantize_i8(&a), quantize_i8(&b));
        let approx = dot_i8(&qa, &qb) as f32 * sa * sb;
        assert!((approx - dot(&a, &b)).abs() < 0.01 * norm(&a) * norm(&b));
        assert_eq!(quantize_i8(&[0.0, 0.0]), (vec![0, 0], 0.0));
        assert_eq!(quantize_i8(&[-2.0, 1.0]).0, vec![-127, 64]);
    }

    #[test]
    fn cosine_of_parallel_vectors_is_one() {
        assert!((cosine(&[1.0, 2.0], &[2.0, 4.0]) - 1.0).abs() < 1e-6);
    }
}
