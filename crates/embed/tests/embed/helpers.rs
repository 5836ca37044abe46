//! Shared fixtures: the real model (loaded once) and the sentence-transformers reference vectors.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use seen_embed::MiniLmEncoder;
use serde::Deserialize;

/// One text and the vector sentence-transformers produced for it.
#[derive(Debug, Deserialize)]
pub struct ReferenceItem {
    pub text: String,
    pub n_tokens_untruncated: usize,
    pub vector: Vec<f32>,
}

#[derive(Debug, Deserialize)]
struct ReferenceFile {
    items: Vec<ReferenceItem>,
}

/// The workspace root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `EMBED_MODEL_DIR`, or `<repo>/.local/models/all-MiniLM-L6-v2`.
pub fn model_dir() -> PathBuf {
    std::env::var_os("EMBED_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".local/models/all-MiniLM-L6-v2"))
}

/// The real encoder, loaded once per test binary.
///
/// # Panics
/// When the model is missing: these tests must fail, not skip, so a CI without weights is loud.
#[track_caller]
pub fn encoder() -> &'static MiniLmEncoder {
    static ENCODER: OnceLock<MiniLmEncoder> = OnceLock::new();
    ENCODER.get_or_init(|| {
        let dir = model_dir();
        assert!(
            dir.is_dir(),
            "the MiniLM model is missing at {}: run `make model` (scripts/fetch-model.sh) \
             or set EMBED_MODEL_DIR",
            dir.display()
        );
        let source = dir.to_str().expect("model path must be UTF-8");
        MiniLmEncoder::load(source)
            .unwrap_or_else(|e| panic!("could not load the model (run `make model`): {e}"))
    })
}

/// The reference vectors (`tests/fixtures/minilm-reference.json`, a copy of the shared
/// `reference/minilm-reference.json`).
pub fn reference() -> &'static [ReferenceItem] {
    static REFERENCE: OnceLock<Vec<ReferenceItem>> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minilm-reference.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file: ReferenceFile = serde_json::from_str(&text).expect("reference file is JSON");
        file.items
    })
}

/// The reference item whose text is `prefix`, or else the first that starts with it.
#[track_caller]
pub fn reference_item(prefix: &str) -> &'static ReferenceItem {
    let items = reference();
    items
        .iter()
        .find(|i| i.text == prefix)
        .or_else(|| items.iter().find(|i| i.text.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no reference text starts with {prefix:?}"))
}

/// Cosine similarity.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

/// Largest absolute element difference.
pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}
