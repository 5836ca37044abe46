//! A taste model as bytes: an 8-byte magic, a little-endian `u16` format version, then the
//! model in postcard (serde's compact binary format: varint integers, raw `f32`s). Decoding
//! checks the magic and version and then the model's structure, so scoring never indexes out
//! of bounds whatever the bytes were.

use super::error::TasteError;
use super::model::{FitStats, TasteModel};
use super::params::TasteParams;
use super::sequence::{SequenceParams, Transitions};
use super::weights::EventWeights;
use crate::item::ItemId;
use serde::Deserialize;

/// Marks the bytes as a Seen'emAll taste model.
const MAGIC: &[u8; 8] = b"SEENTAST";

/// The layout this binary writes; bump it when [`TasteModel`]'s fields change (and keep
/// reading the older ones, so a server upgraded before its next `train` still has a model).
pub const FORMAT_VERSION: u16 = 2;

/// Format 1: the model before the order signal. Frozen: it must keep decoding those bytes.
#[derive(Deserialize)]
struct ModelV1 {
    params: ParamsV1,
    stats: FitStats,
    items: Vec<ItemId>,
    row_starts: Vec<u32>,
    targets: Vec<u32>,
    weights: Vec<f32>,
}

/// Format 1's parameters.
#[derive(Deserialize)]
struct ParamsV1 {
    lambda: f64,
    top_k: usize,
    min_users: usize,
    fit_weights: EventWeights,
    score_weights: EventWeights,
    recency_half_life: Option<f32>,
}

impl From<ModelV1> for TasteModel {
    fn from(v1: ModelV1) -> TasteModel {
        let p = v1.params;
        TasteModel {
            params: TasteParams {
                lambda: p.lambda,
                top_k: p.top_k,
                min_users: p.min_users,
                fit_weights: p.fit_weights,
                score_weights: p.score_weights,
                recency_half_life: p.recency_half_life,
                sequence: SequenceParams::OFF,
            },
            stats: v1.stats,
            items: v1.items,
            row_starts: v1.row_starts,
            targets: v1.targets,
            weights: v1.weights,
            transitions: Transitions::default(),
        }
    }
}

/// The model as bytes.
pub fn encode(model: &TasteModel) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + model.weights.len() * 6);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    postcard::to_extend(model, out)
        .expect("postcard writes a plain struct of numbers into a Vec infallibly. This is a bug.")
}

/// A model from [`encode`]'s bytes.
///
/// # Errors
/// [`TasteError::Decode`] for foreign bytes, another format version, or a broken structure.
pub fn decode(bytes: &[u8]) -> Result<TasteModel, TasteError> {
    let fail = |why: String| Err(TasteError::Decode(why));
    let Some(body) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return fail("not a taste model (wrong magic bytes)".to_owned());
    };
    let Some((version, body)) = body.split_first_chunk::<2>() else {
        return fail("truncated header".to_owned());
    };
    let version = u16::from_le_bytes(*version);
    let decoded = match version {
        1 => postcard::take_from_bytes::<ModelV1>(body).map(|(m, rest)| (m.into(), rest)),
        FORMAT_VERSION => postcard::take_from_bytes::<TasteModel>(body),
        _ => {
            return fail(format!(
                "format version {version}, this binary reads 1 to {FORMAT_VERSION}; \
                 Hint: run `seenemall train` with this binary"
            ));
        }
    };
    let (model, rest) = decoded.map_err(|e| TasteError::Decode(e.to_string()))?;
    if !rest.is_empty() {
        return fail(format!("{} trailing bytes", rest.len()));
    }
    check_structure(&model).map_err(TasteError::Decode)?;
    Ok(model)
}

/// The invariants scoring relies on.
fn check_structure(m: &TasteModel) -> Result<(), String> {
    m.params
        .validate()
        .map_err(|e| format!("stored parameters: {e}"))?;
    let n = m.items.len();
    if !m.items.windows(2).all(|w| w[0] < w[1]) {
        return Err("titles are not strictly ascending".to_owned());
    }
    check_rows("weight", &m.row_starts, &m.targets, &m.weights, n)?;
    let t = &m.transitions;
    if t.is_fitted() {
        check_rows("transition", &t.row_starts, &t.targets, &t.weights, n)
    } else if t.targets.is_empty() && t.weights.is_empty() {
        Ok(())
    } else {
        Err("transitions without a row index".to_owned())
    }
}

/// One sparse matrix over `n` titles (CSR): an index of `n + 1` ascending starts from 0, as
/// many targets and finite weights as it says, every target a title. `what` names its entries.
fn check_rows(
    what: &str,
    row_starts: &[u32],
    targets: &[u32],
    weights: &[f32],
    n: usize,
) -> Result<(), String> {
    if row_starts.len() != n + 1 || row_starts.first() != Some(&0) {
        return Err(format!("{what} index does not match the titles"));
    }
    if !row_starts.windows(2).all(|w| w[0] <= w[1]) {
        return Err(format!("{what} index is not ascending"));
    }
    let nnz = row_starts.last().map_or(0, |&e| e as usize);
    if targets.len() != nnz || weights.len() != nnz {
        return Err(format!("{what} count does not match its index"));
    }
    if targets.iter().any(|&t| t as usize >= n) {
        return Err(format!("a {what} points past the last title"));
    }
    if weights.iter().any(|w| !w.is_finite()) {
        return Err(format!("a {what} is not a finite number"));
    }
    Ok(())
}
