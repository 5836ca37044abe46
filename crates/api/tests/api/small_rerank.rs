//! The `small` reranker with the real MiniLM model: it reorders the head of the list by
//! similarity to the request and never blocks the executor (the model
//! runs on the embedding service's thread).

use crate::helpers::{TestApp, Title, ids, seed_with};
use crate::language::debug_ok;
use seen_embed::{Embedder, HashEmbedder, MiniLmEncoder};
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The real encoder, loaded once per test binary. A missing model fails the test (run
/// `make model` or set EMBED_MODEL_DIR), it never skips.
fn encoder() -> Arc<MiniLmEncoder> {
    static ENCODER: OnceLock<Arc<MiniLmEncoder>> = OnceLock::new();
    ENCODER
        .get_or_init(|| {
            let dir = std::env::var_os("EMBED_MODEL_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                        .join("../../.local/models/all-MiniLM-L6-v2")
                });
            assert!(
                dir.is_dir(),
                "the MiniLM model is missing at {}: run `make model`",
                dir.display()
            );
            let dir = dir.to_str().expect("UTF-8 model path").to_owned();
            Arc::new(
                MiniLmEncoder::load(&dir).unwrap_or_else(|e| panic!("cannot load the model: {e}")),
            )
        })
        .clone()
}

fn catalog() -> Vec<Title> {
    let titles = [
        (
            1,
            "Laugh Factory",
            "a clumsy baker opens a comedy club in a small town",
            &["Comedy"][..],
        ),
        (
            2,
            "Court Drama",
            "a lawyer defends an innocent man in a tense courtroom trial",
            &["Drama"][..],
        ),
        (
            3,
            "Haunted Manor",
            "a family moves into an old house haunted by vengeful ghosts",
            &["Horror"][..],
        ),
        (
            4,
            "Galaxy War",
            "rebels battle an empire across the galaxy in space",
            &["Science Fiction"][..],
        ),
        (
            5,
            "Deep Sea",
            "divers explore the deep ocean and find a strange creature",
            &["Adventure"][..],
        ),
        (
            6,
            "Romance in Paris",
            "two strangers fall in love in paris during the spring",
            &["Romance"][..],
        ),
    ];
    titles
        .iter()
        .enumerate()
        .map(|(i, (id, title, overview, genres))| {
            let mut t = Title::movie(*id, title, overview, genres);
            // The haunted house is the least popular: only the reranker can lift it.
            t.popularity = 100.0 - i as f64 * 10.0;
            t.votes = 1000 - i as i32 * 100;
            t
        })
        .collect()
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_small_reranker_lifts_the_title_closest_to_the_request(pool: PgPool) {
    let model = encoder();
    let app = TestApp::spawn_full(
        pool.clone(),
        &[
            "--rerank-provider",
            "small",
            "--small-rerank-output-limit",
            "4",
            "--small-rerank-timeout",
            "30",
        ],
        model.clone() as Arc<dyn Embedder>,
        Arc::new(HashEmbedder::new()),
    )
    .await;
    let item_ids = seed_with(&pool, model.as_ref(), &catalog()).await;
    let params = [
        ("user_id", "u"),
        ("query", "ghost story in a spooky old mansion"),
        ("limit", "6"),
        ("diversify", "false"),
    ];
    let body = debug_ok(&app, &params).await;

    assert_eq!(body["debug"]["rerank"]["provider"], "small");
    assert_eq!(body["debug"]["rerank"]["decisions"], 4);
    assert_eq!(body["debug"]["reranker"], "small");
    assert_eq!(ids(&body)[0], i64::from(item_ids[2]), "{body}");
    // Decisions carry no explanation: the heuristic one is kept.
    assert!(
        body["items"][0]["explanation"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
    let scores: Vec<f64> = body["items"].as_array().expect("items")[..4]
        .iter()
        .map(|i| i["score"].as_f64().expect("score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}
