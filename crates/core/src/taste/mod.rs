//! The taste model: a learned item-to-item collaborative model (EASE, Steck 2019).
//!
//! **What it is.** From everyone's history, EASE learns for every title a weight towards every
//! other title: "people who watched A also watch B". The weights are the solution of a ridge
//! regression that predicts each title from all the others (with the title itself left out),
//! which has a closed form: `P = (XᵀX + λI)⁻¹`, `B = I − P·diag(1/diag(P))`, `diag(B) = 0`.
//! `X` is the user × title matrix of events, weighted by type (`liked` counts more than
//! `watched`, `disliked` hardly at all).
//!
//! **Why it is cheap to serve.** Only each title's strongest `top_k` weights are kept, so the
//! model is a small sparse matrix. A user is scored at request time from their own history,
//! `scores = x_u · B`, summing the rows of the titles they touched: a new event changes the
//! next list without retraining.
//!
//! **Where the pieces are.** [`weights`] turns event types into numbers, [`history`] collects
//! everyone's history into the sparse `X`, [`ease`] fits the model (the dense inverse is done
//! by `faer`), [`model`] holds the fitted weights and scores a user, [`codec`] turns a model
//! into bytes and back, [`picks`] turns a viewer's scores into the ranker's collaborative
//! source, [`retrain`] decides when a server refits on its own.

pub mod codec;
pub mod ease;
mod error;
pub mod history;
pub mod model;
pub mod params;
pub mod picks;
pub mod retrain;
pub mod sequence;
pub mod weights;

#[cfg(test)]
mod tests;

/// The model family `seenemall train` stores and `serve` reads (`taste_models.kind`).
pub const MODEL_KIND: &str = "ease";

pub use ease::{FitStage, fit};
pub use error::TasteError;
pub use history::{BATCH_LIMIT, HistoryMatrix, HistoryOrder, TasteEvent};
pub use model::{FitStats, TasteModel, TasteScore};
pub use params::TasteParams;
pub use picks::{TastePicks, taste_picks};
pub use retrain::RetrainPolicy;
pub use sequence::{SequenceParams, Transitions};
pub use weights::{EventKind, EventWeights};
