use thiserror::Error;

/// What can go wrong fitting, decoding or configuring a taste model.
#[derive(Debug, Error, PartialEq)]
pub enum TasteError {
    /// A parameter is out of range; the text names it and what is allowed.
    #[error("invalid taste model parameter: {0}")]
    InvalidParams(String),
    /// No title has enough users to be modelled.
    #[error(
        "no title has at least {min_users} users with a weighted event; \
         Hint: import some history first, or lower min_users"
    )]
    NoItems {
        /// The threshold that left nothing.
        min_users: usize,
    },
    /// `XᵀX + λI` could not be factored (only possible with a λ too small for the data).
    #[error("the regularised co-occurrence matrix is not positive definite; raise lambda")]
    NotPositiveDefinite,
    /// The bytes are not a taste model this binary can read.
    #[error("cannot decode the taste model: {0}")]
    Decode(String),
}
