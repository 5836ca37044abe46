//! Async access to a blocking [`Embedder`] without blocking tokio.
//!
//! Protocol (TEI's `BackendThread`): one dedicated OS thread owns the embedder and is the only
//! place a forward pass runs, so two passes never fight over the 2 cores. Callers send an
//! [`Command`] over a bounded channel and await a `oneshot` reply; when the channel is full,
//! callers wait (backpressure) instead of growing a queue. Before each pass the worker checks
//! whether the caller is still waiting and skips the work if not. After each pass it publishes
//! the outcome on a `watch` channel that `/healthz` reads. The thread ends when the last
//! [`EmbedService`] clone is dropped.
//!
//! Queries go through a cache first: the same query text costs a hash lookup, not a pass.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use tokio::sync::{mpsc, oneshot, watch};

use crate::embedder::Embedder;
use crate::error::{EmbedError, Result};

/// Requests that may wait for the worker. Small: each may hold a whole batch of texts, and a
/// deeper queue would only add latency on 2 cores.
const QUEUE_CAPACITY: usize = 64;
/// Distinct query texts kept in the cache.
const QUERY_CACHE_SIZE: u64 = 10_000;
/// How long a cached query vector lives.
const QUERY_CACHE_TTL: Duration = Duration::from_secs(60 * 60);

/// What the worker last saw, for health checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedHealth {
    /// The last forward pass worked (or none has run yet: the model loaded).
    Ready,
    /// The last forward pass failed with this error.
    Failing(String),
    /// The worker thread has ended; nothing will be embedded any more.
    Stopped,
}

impl EmbedHealth {
    /// True when embeddings can be expected to work.
    pub fn is_ready(&self) -> bool {
        matches!(self, EmbedHealth::Ready)
    }
}

/// One unit of work for the inference thread.
struct Command {
    texts: Vec<String>,
    reply: oneshot::Sender<Result<Vec<Vec<f32>>>>,
    /// The caller's span, so the pass is logged under the request that asked for it.
    span: tracing::Span,
}

/// Handle to the inference thread. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct EmbedService {
    commands: mpsc::Sender<Command>,
    health: watch::Receiver<EmbedHealth>,
    queries: Cache<String, Arc<Vec<f32>>>,
    dim: usize,
    model_id: Arc<str>,
}

impl EmbedService {
    /// Starts the inference thread that owns `embedder`.
    ///
    /// # Panics
    /// When the OS refuses to start a thread, which leaves the process unable to serve anyway.
    pub fn spawn(embedder: Arc<dyn Embedder>) -> EmbedService {
        let (commands, rx) = mpsc::channel(QUEUE_CAPACITY);
        let (health_tx, health) = watch::channel(EmbedHealth::Ready);
        let dim = embedder.dim();
        let model_id: Arc<str> = embedder.model_id().into();
        std::thread::Builder::new()
            .name("embed-worker".to_owned())
            .spawn(move || run_worker(embedder.as_ref(), rx, &health_tx))
            .expect("the OS must let us start the embedding thread");
        EmbedService {
            commands,
            health,
            queries: Cache::builder()
                .max_capacity(QUERY_CACHE_SIZE)
                .time_to_live(QUERY_CACHE_TTL)
                .build(),
            dim,
            model_id,
        }
    }

    /// Embeds `texts` on the inference thread; waits while the queue is full.
    pub async fn embed(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, response) = oneshot::channel();
        let command = Command {
            texts,
            reply,
            span: tracing::Span::current(),
        };
        self.commands
            .send(command)
            .await
            .map_err(|_| EmbedError::WorkerStopped)?;
        response.await.map_err(|_| EmbedError::WorkerStopped)?
    }

    /// The vector of one query text, from the cache when the same text was asked recently.
    /// Concurrent identical queries share one forward pass.
    pub async fn embed_query(&self, text: &str) -> Result<Arc<Vec<f32>>> {
        self.queries
            .try_get_with(text.to_owned(), async {
                let mut vectors = self.embed(vec![text.to_owned()]).await?;
                let vector = vectors.pop().ok_or_else(|| {
                    EmbedError::Inference("the embedder returned no vector".to_owned())
                })?;
                Ok::<_, EmbedError>(Arc::new(vector))
            })
            .await
            .map_err(|e: Arc<EmbedError>| (*e).clone())
    }

    /// Health as last published by the worker; `borrow()` it or await `changed()`.
    pub fn health(&self) -> watch::Receiver<EmbedHealth> {
        self.health.clone()
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The embedder's model id.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }
}

fn run_worker(
    embedder: &dyn Embedder,
    mut commands: mpsc::Receiver<Command>,
    health: &watch::Sender<EmbedHealth>,
) {
    while let Some(Command { texts, reply, span }) = commands.blocking_recv() {
        if reply.is_closed() {
            // The caller timed out or went away: its pass would be wasted work.
            tracing::debug!(parent: &span, texts = texts.len(), "skipped embedding for a caller that left");
            continue;
        }
        let _entered = span.enter();
        // A panic inside the model must not kill the only inference thread.
        let result = catch_unwind(AssertUnwindSafe(|| embedder.embed(&texts)))
            .unwrap_or_else(|panic| Err(EmbedError::Inference(panic_message(&panic))));
        let status = match &result {
            Ok(_) => EmbedHealth::Ready,
            Err(e) => {
                tracing::error!(error.message = %e, texts = texts.len(), "embedding failed");
                EmbedHealth::Failing(e.to_string())
            }
        };
        health.send_if_modified(|current| {
            let changed = *current != status;
            *current = status;
            changed
        });
        // The caller may have left during the pass; then nobody needs the result.
        let _ = reply.send(result);
    }
    health.send_replace(EmbedHealth::Stopped);
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("the embedder panicked: {detail}")
}
