//! The seam between callers and whatever turns text into vectors.

use crate::error::Result;

/// Turns texts into unit vectors, synchronously.
///
/// The real model ([`crate::MiniLmEncoder`]) and the deterministic [`crate::HashEmbedder`] both
/// implement it, so services and tests take an `Arc<dyn Embedder>`. Calls block on CPU work:
/// async code goes through [`crate::EmbedService`] instead of calling this on a runtime thread.
pub trait Embedder: Send + Sync {
    /// One vector of [`Embedder::dim`] floats per text, in input order. Empty input → empty output.
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>>;

    /// Length of every vector this embedder returns.
    fn dim(&self) -> usize;

    /// Names the model, so stored vectors can say where they came from.
    fn model_id(&self) -> &str;
}
