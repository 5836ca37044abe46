//! Fused candle ops for BERT on CPU: attention over unpadded sequences, bias + GELU, and
//! bias + residual + LayerNorm.
//!
//! candle runs each element-wise step as its own single-threaded pass with a fresh buffer; these
//! do one parallel pass each (rayon over rows or sequences), which is where much of a stock
//! candle BERT's time outside the matrix products goes.

use candle_core::{CpuStorage, CustomOp2, CustomOp3, Layout, Result, Shape, bail};
use pulp::{Simd, WithSimd};
use rayon::prelude::*;

use crate::kernels;

/// The contiguous `f32` data behind a storage and layout.
fn f32s<'a>(storage: &'a CpuStorage, layout: &Layout, what: &str) -> Result<&'a [f32]> {
    let all = storage.as_slice::<f32>()?;
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&all[start..end]),
        None => bail!("{what} must be contiguous"),
    }
}

/// Rows per parallel task: enough work to outweigh handing it to another thread.
const ROWS_PER_TASK: usize = 16;

/// The kernels run through `pulp`, which compiles a `WithSimd` body once per instruction set
/// (AVX2+FMA, AVX-512, …) and picks the best at run time, so their loops vectorise beyond the
/// SSE2 baseline of a portable build. Bodies are `#[inline(always)]` so they are compiled inside
/// pulp's `#[target_feature]` functions rather than called from them.
fn simd<Op: WithSimd>(op: Op) -> Op::Output {
    pulp::Arch::new().dispatch(op)
}

/// One head of attention over one sequence.
struct AttendHead<'a> {
    q: &'a [f32],
    k_t: &'a [f32],
    v: &'a [f32],
    head_dim: usize,
    stride: usize,
    out: &'a mut [f32],
}

impl WithSimd for AttendHead<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        kernels::attend(
            self.q,
            self.k_t,
            self.v,
            self.head_dim,
            self.stride,
            self.out,
        );
    }
}

/// GELU over a block of rows.
struct GeluRows<'a> {
    x: &'a [f32],
    bias: &'a [f32],
    out: &'a mut [f32],
}

impl WithSimd for GeluRows<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let n = self.bias.len();
        for (o, row) in self.out.chunks_exact_mut(n).zip(self.x.chunks_exact(n)) {
            kernels::bias_gelu(row, self.bias, o);
        }
    }
}

/// Bias + residual + LayerNorm over a block of rows.
struct NormRows<'a> {
    x: &'a [f32],
    residual: &'a [f32],
    bias: &'a [f32],
    gamma: &'a [f32],
    beta: &'a [f32],
    eps: f32,
    out: &'a mut [f32],
}

impl WithSimd for NormRows<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let n = self.bias.len();
        let rows = self.x.chunks_exact(n).zip(self.residual.chunks_exact(n));
        for (o, (row, res)) in self.out.chunks_exact_mut(n).zip(rows) {
            kernels::bias_residual_norm(row, res, self.bias, self.gamma, self.beta, self.eps, o);
        }
    }
}

/// Multi-head self-attention over sequences laid end to end (no padding).
///
/// Input: the fused Q|K|V projection `[tokens, 3 × hidden]` without bias; second operand: the
/// fused bias `[3 × hidden]`. Output: the context `[tokens, hidden]`, heads side by side.
pub(crate) struct Attention<'a> {
    /// Token count of each sequence, in order; they sum to `tokens`.
    pub lens: &'a [usize],
    pub heads: usize,
}

impl CustomOp2 for Attention<'_> {
    fn name(&self) -> &'static str {
        "ragged-attention"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let qkv = f32s(s1, l1, "qkv")?;
        let bias = f32s(s2, l2, "qkv bias")?;
        let (tokens, width) = l1.shape().dims2()?;
        let hidden = width / 3;
        if width % 3 != 0 || hidden % self.heads != 0 || bias.len() != width {
            bail!("attention: bad qkv width {width} for {} heads", self.heads);
        }
        if self.lens.iter().sum::<usize>() != tokens {
            bail!("attention: sequence lengths do not add up to {tokens} tokens");
        }
        let head_dim = hidden / self.heads;
        let scale = 1.0 / (head_dim as f32).sqrt();
        let mut starts = Vec::with_capacity(self.lens.len());
        let mut start = 0;
        for &len in self.lens {
            starts.push(start);
            start += len;
        }
        // One task per (sequence, head): balanced for a batch and for a single long text alike.
        let jobs: Vec<(usize, usize, usize)> = starts
            .iter()
            .zip(self.lens)
            .flat_map(|(&s, &len)| (0..self.heads).map(move |h| (s, len, h)))
            .collect();
        let results: Vec<Vec<f32>> = jobs
            .par_iter()
            .map(|&(s, len, h)| {
                let rows = &qkv[s * width..(s + len) * width];
                let cols = |part: usize| {
                    let c = part * hidden + h * head_dim;
                    c..c + head_dim
                };
                let (qc, kc, vc) = (cols(0), cols(1), cols(2));
                let stride = len.div_ceil(kernels::KEY_BLOCK) * kernels::KEY_BLOCK;
                let mut q = Vec::with_capacity(len * head_dim);
                let mut k_t = vec![0.0f32; stride * head_dim];
                let mut v = Vec::with_capacity(len * head_dim);
                for (i, row) in rows.chunks_exact(width).enumerate() {
                    q.extend(
                        row[qc.clone()]
                            .iter()
                            .zip(&bias[qc.clone()])
                            .map(|(x, b)| (x + b) * scale),
                    );
                    for (d, (x, b)) in row[kc.clone()].iter().zip(&bias[kc.clone()]).enumerate() {
                        k_t[d * stride + i] = x + b;
                    }
                    v.extend(
                        row[vc.clone()]
                            .iter()
                            .zip(&bias[vc.clone()])
                            .map(|(x, b)| x + b),
                    );
                }
                let mut out = vec![0.0f32; len * head_dim];
                simd(AttendHead {
                    q: &q,
                    k_t: &k_t,
                    v: &v,
                    head_dim,
                    stride,
                    out: &mut out,
                });
                out
            })
            .collect();
        let mut context = vec![0.0f32; tokens * hidden];
        for (&(s, _, h), out) in jobs.iter().zip(&results) {
            for (i, row) in out.chunks_exact(head_dim).enumerate() {
                let at = (s + i) * hidden + h * head_dim;
                context[at..at + head_dim].copy_from_slice(row);
            }
        }
        Ok((CpuStorage::F32(context), Shape::from((tokens, hidden))))
    }
}

/// `gelu(x + bias)` row by row: `x` is `[rows, n]`, `bias` is `[n]`.
pub(crate) struct BiasGelu;

impl CustomOp2 for BiasGelu {
    fn name(&self) -> &'static str {
        "bias-gelu"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = f32s(s1, l1, "gelu input")?;
        let bias = f32s(s2, l2, "gelu bias")?;
        let n = bias.len();
        if n == 0 || x.len() % n != 0 {
            bail!("bias-gelu: bias of {n} does not divide {} values", x.len());
        }
        let mut out = vec![0.0f32; x.len()];
        let chunk = n * ROWS_PER_TASK;
        out.par_chunks_mut(chunk)
            .zip(x.par_chunks(chunk))
            .for_each(|(out, x)| simd(GeluRows { x, bias, out }));
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// `LayerNorm(x + bias + residual)`: `x` and `residual` are `[rows, n]`; the third operand
/// stacks `[bias; gamma; beta]` as `[3, n]`.
pub(crate) struct BiasResidualNorm {
    pub eps: f32,
}

impl CustomOp3 for BiasResidualNorm {
    fn name(&self) -> &'static str {
        "bias-residual-layer-norm"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = f32s(s1, l1, "norm input")?;
        let residual = f32s(s2, l2, "residual")?;
        let params = f32s(s3, l3, "norm parameters")?;
        let n = params.len() / 3;
        if n == 0 || params.len() != 3 * n || x.len() % n != 0 || residual.len() != x.len() {
            bail!("bias-residual-norm: shapes do not line up");
        }
        let (bias, rest) = params.split_at(n);
        let (gamma, beta) = rest.split_at(n);
        let mut out = vec![0.0f32; x.len()];
        let chunk = n * ROWS_PER_TASK;
        out.par_chunks_mut(chunk)
            .zip(x.par_chunks(chunk).zip(residual.par_chunks(chunk)))
            .for_each(|(out, (x, residual))| {
                simd(NormRows {
                    x,
                    residual,
                    bias,
                    gamma,
                    beta,
                    eps: self.eps,
                    out,
                });
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}
