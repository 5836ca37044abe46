//! BERT encoder forward pass over unpadded sequences.
//!
//! The texts of a batch are laid end to end as one `[tokens, hidden]` matrix, so every dense
//! layer (nearly all the work) runs as one large matrix product with no padding rows, and
//! attention runs per sequence (see [`crate::ops::Attention`]). Q, K and V are one fused
//! product. This is numerically the same model as `candle_transformers::models::bert`
//! (padded, masked), which the reference-vector tests check.

use candle_core::{D, Result, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{Config, HiddenAct};

use crate::ops::{Attention, BiasGelu, BiasResidualNorm};

/// A dense layer, weight kept as stored: `[out, in]`.
struct Dense {
    weight: Tensor,
    bias: Tensor,
}

/// Below this many tokens a dense layer multiplies with the weight on the left.
///
/// gemm tiles the left operand's rows in blocks of up to 64 (AVX-512), so `x · Wᵀ` with a
/// 14-token query would compute mostly padding; `W · xᵀ` puts the tokens on the narrow side.
const FEW_TOKENS: usize = 64;

impl Dense {
    fn load(vb: VarBuilder<'_>, inputs: usize, outputs: usize) -> Result<Self> {
        Ok(Dense {
            weight: vb.get((outputs, inputs), "weight")?,
            bias: vb.get(outputs, "bias")?,
        })
    }

    /// `x · Wᵀ` without the bias (the fused op that follows adds it).
    fn project(&self, x: &Tensor) -> Result<Tensor> {
        if x.dim(0)? < FEW_TOKENS {
            self.weight.matmul(&x.t()?)?.t()?.contiguous()
        } else {
            x.matmul(&self.weight.t()?)
        }
    }
}

/// `[bias; gamma; beta]` of a dense layer followed by a residual LayerNorm.
fn norm_params(dense_bias: &Tensor, vb: VarBuilder<'_>, n: usize) -> Result<Tensor> {
    Tensor::stack(&[dense_bias, &vb.get(n, "weight")?, &vb.get(n, "bias")?], 0)
}

struct Layer {
    qkv: Dense,
    attention_out: Dense,
    attention_norm: Tensor,
    intermediate: Dense,
    output: Dense,
    output_norm: Tensor,
}

impl Layer {
    fn load(vb: VarBuilder<'_>, c: &Config) -> Result<Self> {
        let h = c.hidden_size;
        let attn = vb.pp("attention");
        let q = Dense::load(attn.pp("self.query"), h, h)?;
        let k = Dense::load(attn.pp("self.key"), h, h)?;
        let v = Dense::load(attn.pp("self.value"), h, h)?;
        let qkv = Dense {
            weight: Tensor::cat(&[&q.weight, &k.weight, &v.weight], 0)?,
            bias: Tensor::cat(&[&q.bias, &k.bias, &v.bias], 0)?,
        };
        let attention_out = Dense::load(attn.pp("output.dense"), h, h)?;
        let attention_norm = norm_params(&attention_out.bias, attn.pp("output.LayerNorm"), h)?;
        let intermediate = Dense::load(vb.pp("intermediate.dense"), h, c.intermediate_size)?;
        let output = Dense::load(vb.pp("output.dense"), c.intermediate_size, h)?;
        let output_norm = norm_params(&output.bias, vb.pp("output.LayerNorm"), h)?;
        Ok(Layer {
            qkv,
            attention_out,
            attention_norm,
            intermediate,
            output,
            output_norm,
        })
    }

    fn forward(&self, x: &Tensor, lens: &[usize], heads: usize, eps: f32) -> Result<Tensor> {
        let norm = BiasResidualNorm { eps };
        let qkv = self.qkv.project(x)?;
        let context = qkv.apply_op2_no_bwd(&self.qkv.bias, &Attention { lens, heads })?;
        let attended = self.attention_out.project(&context)?.apply_op3_no_bwd(
            x,
            &self.attention_norm,
            &norm,
        )?;
        let inner = self
            .intermediate
            .project(&attended)?
            .apply_op2_no_bwd(&self.intermediate.bias, &BiasGelu)?;
        self.output
            .project(&inner)?
            .apply_op3_no_bwd(&attended, &self.output_norm, &norm)
    }
}

/// The BERT encoder (no pooler), returning the last hidden state of every real token.
pub(crate) struct Bert {
    word_embeddings: Tensor,
    position_embeddings: Tensor,
    /// `[token-type-0 embedding; gamma; beta]` of the embedding LayerNorm.
    embedding_norm: Tensor,
    layers: Vec<Layer>,
    heads: usize,
    eps: f32,
    max_positions: usize,
}

impl Bert {
    pub(crate) fn load(vb: VarBuilder<'_>, c: &Config) -> Result<Self> {
        if c.hidden_act != HiddenAct::Gelu {
            candle_core::bail!("only the exact GELU activation is supported");
        }
        // Some checkpoints nest everything under `bert.`.
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb
        };
        let h = c.hidden_size;
        let emb = vb.pp("embeddings");
        // Every text is one segment, so token type 0 is a constant row added to every token.
        let token_type = emb
            .get((c.type_vocab_size, h), "token_type_embeddings.weight")?
            .get(0)?;
        let ln = emb.pp("LayerNorm");
        let embedding_norm = Tensor::stack(
            &[&token_type, &ln.get(h, "weight")?, &ln.get(h, "bias")?],
            0,
        )?;
        let layers = (0..c.num_hidden_layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), c))
            .collect::<Result<Vec<_>>>()?;
        Ok(Bert {
            word_embeddings: emb.get((c.vocab_size, h), "word_embeddings.weight")?,
            position_embeddings: emb
                .get((c.max_position_embeddings, h), "position_embeddings.weight")?,
            embedding_norm,
            layers,
            heads: c.num_attention_heads,
            eps: c.layer_norm_eps as f32,
            max_positions: c.max_position_embeddings,
        })
    }

    /// Hidden states `[Σ len, hidden]` of `rows` (word-piece ids), rows laid end to end.
    pub(crate) fn forward(&self, rows: &[&[u32]]) -> Result<Tensor> {
        let lens: Vec<usize> = rows.iter().map(|r| r.len()).collect();
        if let Some(&len) = lens.iter().find(|&&l| l == 0 || l > self.max_positions) {
            candle_core::bail!(
                "a row of {len} tokens is outside 1..={}",
                self.max_positions
            );
        }
        let device = self.word_embeddings.device();
        let ids: Vec<u32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
        // Positions restart at 0 for every text: what padding on the right gives a padded model.
        let positions: Vec<u32> = lens.iter().flat_map(|&l| 0..l as u32).collect();
        let ids = Tensor::new(ids.as_slice(), device)?;
        let positions = Tensor::new(positions.as_slice(), device)?;
        let words = self.word_embeddings.index_select(&ids, 0)?;
        let places = self.position_embeddings.index_select(&positions, 0)?;
        let mut x = words.apply_op3_no_bwd(
            &places,
            &self.embedding_norm,
            &BiasResidualNorm { eps: self.eps },
        )?;
        for layer in &self.layers {
            x = layer.forward(&x, &lens, self.heads, self.eps)?;
        }
        debug_assert_eq!(x.dim(D::Minus1)?, self.word_embeddings.dim(1)?);
        Ok(x)
    }
}
