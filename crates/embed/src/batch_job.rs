//! The blocking path for batch jobs: call the embedder directly, chunk by chunk.
//!
//! The embed job owns the process, so it skips [`crate::EmbedService`]'s channel and calls the
//! encoder from a blocking thread (`tokio::task::spawn_blocking`). Chunking bounds memory and
//! lets the job report progress and write vectors as it goes.

use crate::embedder::Embedder;
use crate::error::Result;

/// Embeds `texts` in chunks of `chunk_size` (at least 1), calling `on_progress` with the number
/// of texts done after each chunk. Output is in input order.
pub fn embed_batch(
    embedder: &dyn Embedder,
    texts: &[String],
    chunk_size: usize,
    mut on_progress: impl FnMut(usize),
) -> Result<Vec<Vec<f32>>> {
    let mut out = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(chunk_size.max(1)) {
        out.extend(embedder.embed(chunk)?);
        on_progress(out.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::HashEmbedder;

    #[test]
    fn chunks_report_progress_and_keep_order() {
        let e = HashEmbedder::new();
        let texts: Vec<String> = (0..5).map(|i| format!("title {i}")).collect();
        let mut progress = Vec::new();
        let out = embed_batch(&e, &texts, 2, |done| progress.push(done)).expect("hash cannot fail");
        assert_eq!(progress, vec![2, 4, 5]);
        assert_eq!(out, e.embed(&texts).expect("hash cannot fail"));
    }

    #[test]
    fn a_zero_chunk_size_still_makes_progress() {
        let texts = vec!["a".to_owned(), "b".to_owned()];
        let out = embed_batch(&HashEmbedder::new(), &texts, 0, |_| {}).expect("hash cannot fail");
        assert_eq!(out.len(), 2);
    }
}
