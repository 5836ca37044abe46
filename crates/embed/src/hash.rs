//! A deterministic stand-in for the model, for tests where the model is not the subject.

use crate::embedder::Embedder;
use crate::error::Result;

/// Default output size, the same as MiniLM's.
pub const HASH_DIM: usize = seen_core::vector::EMBEDDING_DIM;

/// Hashes lower-cased words and their character trigrams into a fixed-size vector, then
/// L2-normalises it.
///
/// Texts that share words share features, so similar texts get similar vectors (cosine of
/// identical texts is 1, of texts with no word or trigram in common near 0). The hash is FNV-1a,
/// fixed here, so vectors never change between runs, platforms or Rust versions.
#[derive(Debug, Clone)]
pub struct HashEmbedder {
    dim: usize,
    model_id: String,
}

impl HashEmbedder {
    /// A 384-dimensional hash embedder.
    pub fn new() -> Self {
        Self::with_dim(HASH_DIM)
    }

    /// A hash embedder of another size.
    ///
    /// # Panics
    /// When `dim` is zero: a zero-length vector cannot be normalised.
    pub fn with_dim(dim: usize) -> Self {
        assert!(dim > 0, "HashEmbedder needs a positive dimension");
        HashEmbedder {
            dim,
            model_id: format!("hash-{dim}"),
        }
    }

    /// The vector of one text.
    pub fn embed_one(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0.0f32; self.dim];
        let lower = text.to_lowercase();
        for word in lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            // The whole word weighs most; trigrams make "comedy" and "comedies" close.
            self.add(&mut v, word.as_bytes(), 2.0);
            let padded: Vec<char> = format!("<{word}>").chars().collect();
            for gram in padded.windows(3) {
                let gram: String = gram.iter().collect();
                self.add(&mut v, gram.as_bytes(), 1.0);
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        } else {
            // No words at all: still a unit vector, like the model's output for "".
            v[0] = 1.0;
        }
        v
    }

    fn add(&self, v: &mut [f32], feature: &[u8], weight: f32) {
        let h = fnv1a(feature);
        // Low bits pick the slot, a high bit the sign, so collisions cancel rather than pile up.
        let slot = (h % self.dim as u64) as usize;
        let sign = if h >> 63 == 0 { 1.0 } else { -1.0 };
        v[slot] += sign * weight;
    }
}

impl Default for HashEmbedder {
    fn default() -> Self {
        Self::new()
    }
}

impl Embedder for HashEmbedder {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        Ok(texts.iter().map(|t| self.embed_one(t)).collect())
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cos(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn every_vector_is_unit_length_and_384_wide() {
        let e = HashEmbedder::new();
        for text in ["a space opera", "", "!!!", "寄生虫"] {
            let v = e.embed_one(text);
            assert_eq!(v.len(), 384);
            let norm = cos(&v, &v).sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "{text:?} has norm {norm}");
        }
    }

    #[test]
    fn the_same_text_always_gives_the_same_vector() {
        let a = HashEmbedder::new().embed_one("Heist thriller in Paris");
        let b = HashEmbedder::new().embed_one("heist THRILLER in paris");
        assert_eq!(a, b);
    }

    #[test]
    fn similar_texts_are_closer_than_unrelated_ones() {
        let e = HashEmbedder::new();
        let q = e.embed_one("feel-good comedies about friendship");
        let near = e.embed_one("a feel-good comedy about old friends");
        let far = e.embed_one("submarine warfare documentary");
        assert!(cos(&q, &near) > cos(&q, &far) + 0.2);
    }

    #[test]
    fn embed_keeps_input_order_and_reports_its_identity() {
        let e = HashEmbedder::new();
        let texts = vec!["one".to_owned(), "two".to_owned()];
        let out = e.embed(&texts).expect("hash embedding cannot fail");
        assert_eq!(out[0], e.embed_one("one"));
        assert_eq!(out[1], e.embed_one("two"));
        assert_eq!(e.dim(), 384);
        assert_eq!(e.model_id(), "hash-384");
    }

    #[test]
    fn fnv1a_matches_the_published_test_vector() {
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
