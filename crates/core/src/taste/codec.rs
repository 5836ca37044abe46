//! A taste model as bytes: an 8-byte magic, a little-endian `u16` format version, then the
//! model in postcard (serde's compact binary format: varint integers, raw `f32`s). Decoding
//! checks the magic and version and then the model's structure, so scoring never indexes out
//! of bounds whatever the bytes were.

use super::error::TasteError;
use super::model::TasteModel;

/// Marks the bytes as a Seen'emAll taste model.
const MAGIC: &[u8; 8] = b"SEENTAST";

/// The layout this binary writes and reads; bump it when [`TasteModel`]'s fields change.
pub const FORMAT_VERSION: u16 = 1;

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
    if version != FORMAT_VERSION {
        return fail(format!(
            "format version {version}, this binary reads {FORMAT_VERSION}; \
             Hint: run `seenemall train` with this binary"
        ));
    }
    let (model, rest): (TasteModel, &[u8]) =
        postcard::take_from_bytes(body).map_err(|e| TasteError::Decode(e.to_string()))?;
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
    if m.row_starts.len() != n + 1 || m.row_starts.first() != Some(&0) {
        return Err("row index does not match the titles".to_owned());
    }
    if !m.row_starts.windows(2).all(|w| w[0] <= w[1]) {
        return Err("row index is not ascending".to_owned());
    }
    let nnz = m.row_starts.last().map_or(0, |&e| e as usize);
    if m.targets.len() != nnz || m.weights.len() != nnz {
        return Err("weight count does not match the row index".to_owned());
    }
    if m.targets.iter().any(|&t| t as usize >= n) {
        return Err("a weight points past the last title".to_owned());
    }
    if m.weights.iter().any(|w| !w.is_finite()) {
        return Err("a weight is not a finite number".to_owned());
    }
    Ok(())
}
