//! Sentence embeddings for Seen'emAll: all-MiniLM-L6-v2 on candle, a deterministic stand-in for
//! tests, and [`EmbedService`], which runs the model on one dedicated thread for async callers.

mod batch_job;
mod batching;
mod bert;
mod embedder;
mod encoder;
mod error;
mod hash;
mod kernels;
mod ops;
mod service;
mod source;

pub use batch_job::embed_batch;
pub use batching::{BatchLimits, plan_batches};
pub use embedder::Embedder;
pub use encoder::{MAX_SEQ_LEN, MiniLmEncoder};
pub use error::{EmbedError, Result};
pub use hash::{HASH_DIM, HashEmbedder};
pub use service::{EmbedHealth, EmbedService};
pub use source::{MODEL_FILES, ModelFiles};
