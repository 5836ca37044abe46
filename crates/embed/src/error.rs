//! The crate's one error type.

/// Why an embedding could not be produced.
///
/// Causes are kept as text so the error is `Clone`: the query cache and the health channel
/// hand the same error to several readers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    /// The model source is neither a local directory nor a repository the hub could serve.
    #[error(
        "no model at `{source_name}`: {cause}\n - Hint: run `make model` (scripts/fetch-model.sh) \
         to put all-MiniLM-L6-v2 in .local/models/all-MiniLM-L6-v2, or point EMBED_MODEL at a \
         directory holding config.json, tokenizer.json and model.safetensors"
    )]
    ModelNotFound {
        /// The directory or repository id we were given.
        source_name: String,
        /// What went wrong looking for it.
        cause: String,
    },
    /// The files exist but could not be read as a BERT model and tokenizer.
    #[error("could not load the model from `{path}`: {cause}")]
    Load {
        /// File or directory being read.
        path: String,
        /// The underlying error.
        cause: String,
    },
    /// The tokenizer rejected a text.
    #[error("could not tokenize the input: {0}")]
    Tokenize(String),
    /// The forward pass failed (a candle error, or a panic caught on the worker thread).
    #[error("the embedding forward pass failed: {0}")]
    Inference(String),
    /// The inference thread is gone, so nothing can be embedded any more.
    #[error("the embedding worker has stopped")]
    WorkerStopped,
}

/// `Result` with [`EmbedError`] as the default error.
pub type Result<T, E = EmbedError> = std::result::Result<T, E>;

impl EmbedError {
    pub(crate) fn inference(err: impl std::fmt::Display) -> Self {
        EmbedError::Inference(err.to_string())
    }

    pub(crate) fn load(path: &std::path::Path, err: impl std::fmt::Display) -> Self {
        EmbedError::Load {
            path: path.display().to_string(),
            cause: err.to_string(),
        }
    }
}
