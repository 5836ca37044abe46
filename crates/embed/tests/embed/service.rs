//! EmbedService: the inference thread behind async callers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use seen_embed::{EmbedError, EmbedHealth, EmbedService, Embedder, HashEmbedder};

/// Wraps the hash embedder: counts calls, can be told to fail or panic, and can hold the
/// worker until the test releases it.
struct Probe {
    inner: HashEmbedder,
    calls: AtomicUsize,
    gate: std::sync::Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

impl Probe {
    fn new() -> Arc<Self> {
        Arc::new(Probe {
            inner: HashEmbedder::new(),
            calls: AtomicUsize::new(0),
            gate: std::sync::Mutex::new(None),
        })
    }

    /// The next pass blocks until the returned sender sends or is dropped.
    fn hold_next_pass(&self) -> std::sync::mpsc::Sender<()> {
        let (tx, rx) = std::sync::mpsc::channel();
        *self.gate.lock().expect("gate lock") = Some(rx);
        tx
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Embedder for Probe {
    fn embed(&self, texts: &[String]) -> seen_embed::Result<Vec<Vec<f32>>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let gate = self.gate.lock().expect("gate lock").take();
        if let Some(gate) = gate {
            let _ = gate.recv();
        }
        match texts.first().map(String::as_str) {
            Some("fail") => Err(EmbedError::Inference("told to fail".to_owned())),
            Some("panic") => panic!("told to panic"),
            _ => self.inner.embed(texts),
        }
    }

    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn model_id(&self) -> &str {
        self.inner.model_id()
    }
}

fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn concurrent_callers_each_get_their_own_vectors() {
    let service = EmbedService::spawn(Arc::new(HashEmbedder::new()));
    let reference = HashEmbedder::new();
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let service = service.clone();
            tokio::spawn(async move {
                let batch = vec![format!("caller {i} first"), format!("caller {i} second")];
                (batch.clone(), service.embed(batch).await)
            })
        })
        .collect();
    for task in tasks {
        let (batch, result) = task.await.expect("task finished");
        let vectors = result.expect("embedding works");
        assert_eq!(vectors, reference.embed(&batch).expect("hash cannot fail"));
    }
}

#[tokio::test]
async fn a_caller_that_left_is_skipped_and_the_worker_keeps_serving() {
    let probe = Probe::new();
    let service = EmbedService::spawn(probe.clone());
    let release = probe.hold_next_pass();

    // First request occupies the worker.
    let busy = tokio::spawn({
        let service = service.clone();
        async move { service.embed(texts(&["first"])).await }
    });
    while probe.calls() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Second request queues, then its caller gives up.
    let gave_up = tokio::time::timeout(
        Duration::from_millis(50),
        service.embed(texts(&["abandoned"])),
    )
    .await;
    assert!(
        gave_up.is_err(),
        "the worker is held, so this must time out"
    );

    release.send(()).expect("worker waits on the gate");
    busy.await
        .expect("task finished")
        .expect("first request served");
    let after = service
        .embed(texts(&["after"]))
        .await
        .expect("worker still serves");

    assert_eq!(after.len(), 1);
    assert_eq!(
        probe.calls(),
        2,
        "the abandoned request must not run a pass"
    );
}

#[tokio::test]
async fn a_failed_pass_is_reported_to_the_caller_and_to_health() {
    let service = EmbedService::spawn(Probe::new());
    let mut health = service.health();

    let err = service
        .embed(texts(&["fail"]))
        .await
        .expect_err("told to fail");
    assert!(matches!(err, EmbedError::Inference(_)), "{err:?}");
    assert!(
        matches!(&*health.borrow_and_update(), EmbedHealth::Failing(m) if m.contains("told to fail"))
    );

    service
        .embed(texts(&["fine"]))
        .await
        .expect("next pass works");
    assert_eq!(*health.borrow_and_update(), EmbedHealth::Ready);
}

#[tokio::test]
async fn a_panicking_embedder_does_not_kill_the_worker() {
    let service = EmbedService::spawn(Probe::new());
    let err = service
        .embed(texts(&["panic"]))
        .await
        .expect_err("told to panic");
    assert!(err.to_string().contains("told to panic"), "{err}");
    let ok = service
        .embed(texts(&["still here"]))
        .await
        .expect("worker survived");
    assert_eq!(ok.len(), 1);
}

#[tokio::test]
async fn a_repeated_query_is_served_from_the_cache() {
    let probe = Probe::new();
    let service = EmbedService::spawn(probe.clone());

    let first = service
        .embed_query("heist movies in paris")
        .await
        .expect("first");
    let second = service
        .embed_query("heist movies in paris")
        .await
        .expect("second");

    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(probe.calls(), 1);
    assert_eq!(
        *first,
        HashEmbedder::new().embed_one("heist movies in paris")
    );
}

#[tokio::test]
async fn a_failed_query_is_not_cached() {
    let probe = Probe::new();
    let service = EmbedService::spawn(probe.clone());
    assert!(service.embed_query("fail").await.is_err());
    assert!(service.embed_query("fail").await.is_err());
    assert_eq!(probe.calls(), 2);
}

#[tokio::test]
async fn the_worker_reports_stopped_once_every_handle_is_gone() {
    let service = EmbedService::spawn(Arc::new(HashEmbedder::new()));
    let mut health = service.health();
    drop(service);
    tokio::time::timeout(
        Duration::from_secs(5),
        health.wait_for(|h| *h == EmbedHealth::Stopped),
    )
    .await
    .expect("worker stops promptly")
    .expect("sender publishes Stopped before going away");
}

#[tokio::test]
async fn the_service_reports_the_embedder_identity() {
    let service = EmbedService::spawn(Arc::new(HashEmbedder::new()));
    assert_eq!(service.dim(), 384);
    assert_eq!(service.model_id(), "hash-384");
    assert!(
        service
            .embed(Vec::new())
            .await
            .expect("nothing to do")
            .is_empty()
    );
}
