//! all-MiniLM-L6-v2 on candle: tokenise, batch by a token budget, forward, mean-pool, normalise.
//!
//! Output matches sentence-transformers (`normalize_embeddings=True`, `max_seq_length=256`):
//! truncation at 256 word-pieces including `[CLS]`/`[SEP]`, mean over each text's real tokens,
//! L2 normalisation. sentence-transformers pads each batch on the right to its longest text and
//! masks the padding; we never pad (texts are laid end to end, see `bert.rs`), which gives the
//! same vectors without computing the padding.

use std::path::Path;

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use tokenizers::{Tokenizer, TruncationParams};

use crate::batching::{BatchLimits, plan_batches};
use crate::bert::Bert;
use crate::embedder::Embedder;
use crate::error::{EmbedError, Result};
use crate::source::ModelFiles;

/// Longest input in word-pieces, special tokens included (sentence-transformers' `max_seq_length`).
pub const MAX_SEQ_LEN: usize = 256;

/// The sentence encoder. Cheap to share behind an `Arc`; every call blocks on CPU work.
pub struct MiniLmEncoder {
    tokenizer: Tokenizer,
    model: Bert,
    dim: usize,
    model_id: String,
    limits: BatchLimits,
}

impl MiniLmEncoder {
    /// Loads from a local directory, or from the Hugging Face hub when no such directory exists
    /// (see [`ModelFiles::resolve`]).
    #[tracing::instrument(name = "load MiniLM encoder")]
    pub fn load(source: &str) -> Result<Self> {
        Self::from_files(&ModelFiles::resolve(source)?)
    }

    /// Loads from resolved files.
    pub fn from_files(files: &ModelFiles) -> Result<Self> {
        let tokenizer = load_tokenizer(&files.tokenizer)?;
        let config_text = std::fs::read_to_string(&files.config)
            .map_err(|e| EmbedError::load(&files.config, e))?;
        let config: candle_transformers::models::bert::Config =
            serde_json::from_str(&config_text).map_err(|e| EmbedError::load(&files.config, e))?;
        let vb = mmap_weights(&files.weights)?;
        let model = Bert::load(vb, &config).map_err(|e| EmbedError::load(&files.weights, e))?;
        Ok(MiniLmEncoder {
            tokenizer,
            model,
            dim: config.hidden_size,
            model_id: files.model_id.clone(),
            limits: BatchLimits::default(),
        })
    }

    /// Replaces the batching limits (mostly for benchmarks).
    pub fn with_batch_limits(mut self, limits: BatchLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The batching limits in use.
    pub fn batch_limits(&self) -> BatchLimits {
        self.limits
    }

    /// Word-piece ids of each text, with `[CLS]`/`[SEP]`, cut at [`MAX_SEQ_LEN`].
    pub fn tokenize(&self, texts: &[String]) -> Result<Vec<Vec<u32>>> {
        let inputs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let encodings = self
            .tokenizer
            .encode_batch_fast(inputs, true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        Ok(encodings
            .into_iter()
            .map(|e| e.get_ids().to_vec())
            .collect())
    }

    /// Embeds already tokenised rows in one forward pass (rows laid end to end, no padding).
    fn forward_rows(&self, rows: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        let hidden = self
            .model
            .forward(rows)
            .and_then(|h| h.flatten_all())
            .and_then(|h| h.to_vec1::<f32>())
            .map_err(EmbedError::inference)?;
        let mut start = 0;
        Ok(rows
            .iter()
            .map(|row| {
                let end = start + row.len() * self.dim;
                let v = mean_pool_normalised(&hidden[start..end], self.dim);
                start = end;
                v
            })
            .collect())
    }
}

impl Embedder for MiniLmEncoder {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let ids = self.tokenize(texts)?;
        let lengths: Vec<usize> = ids.iter().map(Vec::len).collect();
        let mut out = Vec::with_capacity(texts.len());
        for batch in plan_batches(&lengths, self.limits) {
            let rows: Vec<&[u32]> = ids[batch].iter().map(Vec::as_slice).collect();
            out.extend(self.forward_rows(&rows)?);
        }
        Ok(out)
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }
}

/// Mean of a text's token vectors (`tokens` is `[len, dim]` row-major; the count is clamped
/// ≥ 1e-9), then L2-normalised (norm clamped ≥ 1e-12), as sentence-transformers' Pooling and
/// Normalize modules do. Padding never reaches here, so no mask is needed.
fn mean_pool_normalised(tokens: &[f32], dim: usize) -> Vec<f32> {
    let mut sum = vec![0.0f32; dim];
    let mut count = 0.0f32;
    for token in tokens.chunks_exact(dim) {
        count += 1.0;
        sum.iter_mut().zip(token).for_each(|(s, x)| *s += x);
    }
    let count = count.max(1e-9);
    sum.iter_mut().for_each(|s| *s /= count);
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    sum.iter_mut().for_each(|s| *s /= norm);
    sum
}

fn load_tokenizer(path: &Path) -> Result<Tokenizer> {
    let mut tokenizer = Tokenizer::from_file(path).map_err(|e| EmbedError::load(path, e))?;
    // The shipped tokenizer.json pads and truncates to 128; sentence-transformers uses 256 and
    // pads per batch. We pad ourselves (after sorting by length), so the tokenizer must not.
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_SEQ_LEN,
            ..TruncationParams::default()
        }))
        .map_err(|e| EmbedError::load(path, e))?;
    Ok(tokenizer)
}

/// Maps the safetensors file into memory instead of reading 90 MB onto the heap.
#[allow(unsafe_code)]
fn mmap_weights(path: &Path) -> Result<VarBuilder<'static>> {
    // SAFETY: the mapping is only sound while nobody truncates or rewrites the file. The weights
    // are a read-only artefact fetched once by scripts/fetch-model.sh (which writes to a `.part`
    // file and renames it), so the mapped bytes never change while the process runs.
    unsafe { VarBuilder::from_mmaped_safetensors(&[path], DType::F32, &Device::Cpu) }
        .map_err(|e| EmbedError::load(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_averages_the_tokens_and_normalises() {
        let v = mean_pool_normalised(&[6.0, 0.0, 0.0, 8.0], 2);
        assert!(
            (v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6,
            "{v:?}"
        );
    }

    #[test]
    fn pooling_nothing_does_not_divide_by_zero() {
        assert_eq!(mean_pool_normalised(&[], 2), vec![0.0, 0.0]);
    }
}
