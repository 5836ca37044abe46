//! The real all-MiniLM-L6-v2 against sentence-transformers' vectors.

use seen_embed::{Embedder, MAX_SEQ_LEN};

use crate::helpers::{cosine, encoder, max_abs_diff, reference, reference_item};

/// We agree with sentence-transformers to ~3e-7 per element (cosine 1 to f32 precision);
/// 0.99999 leaves room for another CPU's summation order, while a real bug (wrong pooling,
/// truncation or GELU) costs far more than that.
const MIN_COSINE: f32 = 0.99999;

fn embed_one(text: &str) -> Vec<f32> {
    let mut out = encoder()
        .embed(&[text.to_owned()])
        .expect("the model embeds a single text");
    out.pop().expect("one text in, one vector out")
}

#[test]
fn every_reference_text_matches_sentence_transformers() {
    let texts: Vec<String> = reference().iter().map(|i| i.text.clone()).collect();
    let vectors = encoder()
        .embed(&texts)
        .expect("the model embeds the reference texts");
    for (item, v) in reference().iter().zip(&vectors) {
        assert_eq!(v.len(), 384);
        let cos = cosine(v, &item.vector);
        assert!(cos >= MIN_COSINE, "cosine {cos} for {:?}", item.text);
    }
}

#[test]
fn each_reference_text_embedded_alone_matches_too() {
    for item in reference() {
        let cos = cosine(&embed_one(&item.text), &item.vector);
        assert!(cos >= MIN_COSINE, "cosine {cos} for {:?}", item.text);
    }
}

#[test]
fn a_batched_text_gets_the_same_vector_as_alone() {
    let texts: Vec<String> = reference().iter().map(|i| i.text.clone()).collect();
    let batched = encoder().embed(&texts).expect("batch");
    for (text, b) in texts.iter().zip(&batched) {
        let single = embed_one(text);
        let diff = max_abs_diff(&single, b);
        assert!(
            diff < 1e-5,
            "batched and single differ by {diff} for {text:?}"
        );
    }
}

#[test]
fn a_long_text_is_cut_at_256_word_pieces() {
    let long = reference_item("A retired detective");
    assert_eq!(long.n_tokens_untruncated, 642);
    let ids = encoder()
        .tokenize(std::slice::from_ref(&long.text))
        .expect("tokenize");
    assert_eq!(ids[0].len(), MAX_SEQ_LEN);
    let cos = cosine(&embed_one(&long.text), &long.vector);
    assert!(cos >= MIN_COSINE, "cosine {cos} for the 642-piece text");
}

#[test]
fn the_empty_text_gives_a_unit_vector() {
    let v = embed_one("");
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    assert!(cosine(&v, &reference_item("").vector) >= MIN_COSINE);
}

#[test]
fn output_order_follows_input_order_not_length() {
    let texts = vec![
        "short".to_owned(),
        reference_item("A retired detective").text.clone(),
        "a slightly longer query about heists".to_owned(),
    ];
    let out = encoder().embed(&texts).expect("embed");
    for (text, v) in texts.iter().zip(&out) {
        assert!(
            max_abs_diff(v, &embed_one(text)) < 1e-5,
            "{text:?} out of place"
        );
    }
}

#[test]
fn no_texts_give_no_vectors() {
    assert!(encoder().embed(&[]).expect("empty input").is_empty());
}

#[test]
fn the_encoder_reports_384_dimensions_and_its_directory_name() {
    assert_eq!(encoder().dim(), 384);
    let dir = crate::helpers::model_dir();
    let name = dir
        .file_name()
        .expect("model dir has a name")
        .to_string_lossy();
    assert_eq!(encoder().model_id(), name);
}
