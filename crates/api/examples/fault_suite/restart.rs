//! Phase "database restart": four writers post `/user/history` (every write a user of its
//! own, so each can be found afterwards) and two readers ask `/recommend`, for a fixed time;
//! part way through, Postgres is restarted (fast shutdown: every connection is terminated).
//! Every response is recorded; `/readyz` is polled from the moment the restart returns.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WRITERS: usize = 4;
const READERS: usize = 2;
/// Bounds each worker's loop in count as well as time.
const MAX_REQUESTS_PER_WORKER: usize = 5_000;
/// A worker pauses this long after a failure instead of hammering a server that is down.
const PAUSE_AFTER_FAILURE: Duration = Duration::from_millis(100);
const READY_LIMIT: Duration = Duration::from_secs(30);

/// What to run.
pub struct Plan<'a> {
    /// The restart command and its arguments.
    pub command: &'a [String],
    /// How long the load runs.
    pub duration: Duration,
    /// When, after the load starts, the restart runs.
    pub restart_after: Duration,
    /// Tag in every user id, so runs never collide.
    pub run: &'a str,
    /// Catalog item ids the writers record.
    pub items: &'a [i32],
}

/// One response (or transport failure).
struct Record {
    status: Result<u16, String>,
    retry_after: bool,
    at: Instant,
}

/// One write attempt and how it was answered.
pub struct Write {
    pub user_id: String,
    pub item: i32,
    record: Record,
}

impl Write {
    /// True when the server acknowledged it (200).
    pub fn acked(&self) -> bool {
        matches!(self.record.status, Ok(200))
    }
}

/// Statuses of one kind of request.
#[derive(Debug, Default)]
pub struct Tally {
    pub statuses: BTreeMap<u16, usize>,
    pub transport_errors: Vec<String>,
    /// 503s without a usable `Retry-After`.
    pub missing_retry_after: usize,
}

impl Tally {
    fn add(&mut self, record: &Record) {
        match &record.status {
            Ok(status) => {
                *self.statuses.entry(*status).or_default() += 1;
                if *status == 503 && !record.retry_after {
                    self.missing_retry_after += 1;
                }
            }
            Err(e) => self.transport_errors.push(e.clone()),
        }
    }

    pub fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// Statuses other than 200 and 503 (a 500 among them is the bug this suite hunts).
    pub fn unexpected(&self) -> usize {
        self.statuses
            .iter()
            .filter(|(s, _)| !matches!(**s, 200 | 503))
            .map(|(_, n)| n)
            .sum()
    }
}

/// What phase 2 saw.
pub struct Outcome {
    pub writes: Vec<Write>,
    pub write_tally: Tally,
    pub read_tally: Tally,
    /// How long the restart command took, or why it failed.
    pub restart: Result<Duration, String>,
    /// Writes acknowledged after the restart command returned.
    pub acked_after_restart: usize,
    /// From the restart command's return to the first 200 from `/readyz`.
    pub ready_after: Option<Duration>,
}

/// Runs the load and the restart.
pub async fn run(client: &reqwest::Client, base: &str, plan: &Plan<'_>) -> Outcome {
    let started = Instant::now();
    let stop_at = started + plan.duration;
    let last_acked: Arc<Mutex<Option<String>>> = Arc::default();

    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (client, base) = (client.clone(), base.to_owned());
        let (run, items) = (plan.run.to_owned(), plan.items.to_vec());
        let last_acked = last_acked.clone();
        writers.push(tokio::spawn(async move {
            let mut writes = Vec::new();
            for seq in 0..MAX_REQUESTS_PER_WORKER {
                if Instant::now() >= stop_at {
                    break;
                }
                let user_id = format!("fw-{run}-{w}-{seq}");
                let item = items[(w * 7 + seq) % items.len()];
                let body = serde_json::json!({"user_id": user_id, "items": [item]});
                let record = send(client.post(format!("{base}/user/history")).json(&body)).await;
                if matches!(record.status, Ok(200)) {
                    *last_acked.lock().expect("lock poisoned. This is a bug.") =
                        Some(user_id.clone());
                } else {
                    tokio::time::sleep(PAUSE_AFTER_FAILURE).await;
                }
                writes.push(Write {
                    user_id,
                    item,
                    record,
                });
            }
            writes
        }));
    }

    let mut readers = Vec::new();
    for r in 0..READERS {
        let (client, base, run) = (client.clone(), base.to_owned(), plan.run.to_owned());
        let last_acked = last_acked.clone();
        readers.push(tokio::spawn(async move {
            let mut records = Vec::new();
            for seq in 0..MAX_REQUESTS_PER_WORKER {
                if Instant::now() >= stop_at {
                    break;
                }
                // Alternately a new user (cold start) and the latest user a writer created.
                let written = last_acked
                    .lock()
                    .expect("lock poisoned. This is a bug.")
                    .clone();
                let user = match written {
                    Some(user) if seq % 2 == 1 => user,
                    _ => format!("fr-{run}-{r}-{seq}"),
                };
                let record =
                    send(client.get(format!("{base}/recommend?user_id={user}&limit=10"))).await;
                if !matches!(record.status, Ok(200)) {
                    tokio::time::sleep(PAUSE_AFTER_FAILURE).await;
                }
                records.push(record);
            }
            records
        }));
    }

    tokio::time::sleep_until((started + plan.restart_after).into()).await;
    let command = plan.command.to_vec();
    let restart_started = Instant::now();
    let restart = tokio::task::spawn_blocking(move || {
        let (program, args) = command
            .split_first()
            .ok_or_else(|| "no restart command given".to_owned())?;
        let status = Command::new(program)
            .args(args)
            .status()
            .map_err(|e| format!("could not run {program}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{program} exited with {status}"))
        }
    })
    .await
    .unwrap_or_else(|e| Err(format!("restart task failed: {e}")));
    let restart_done = Instant::now();
    let restart = restart.map(|()| restart_done - restart_started);
    let ready_after = match restart {
        Ok(_) => poll_ready(client, base, restart_done).await,
        Err(_) => None,
    };

    let mut writes = Vec::new();
    for task in writers {
        writes.extend(task.await.unwrap_or_default());
    }
    let mut read_tally = Tally::default();
    for task in readers {
        for record in task.await.unwrap_or_default() {
            read_tally.add(&record);
        }
    }
    let mut write_tally = Tally::default();
    for write in &writes {
        write_tally.add(&write.record);
    }
    let acked_after_restart = writes
        .iter()
        .filter(|w| w.acked() && w.record.at > restart_done)
        .count();
    Outcome {
        writes,
        write_tally,
        read_tally,
        restart,
        acked_after_restart,
        ready_after,
    }
}

async fn send(request: reqwest::RequestBuilder) -> Record {
    let result = request.send().await;
    let at = Instant::now();
    match result {
        Ok(resp) => {
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().parse::<u64>().is_ok_and(|secs| secs > 0));
            let status = resp.status().as_u16();
            // Read the body, so a connection cut mid-response counts as a transport error.
            match resp.bytes().await {
                Ok(_) => Record {
                    status: Ok(status),
                    retry_after,
                    at,
                },
                Err(e) => Record {
                    status: Err(format!("{status}, body cut: {e}")),
                    retry_after,
                    at,
                },
            }
        }
        Err(e) => Record {
            status: Err(e.to_string()),
            retry_after: false,
            at,
        },
    }
}

/// Time from `since` to the first 200 from `/readyz`, polling every 100 ms for at most
/// [`READY_LIMIT`].
async fn poll_ready(client: &reqwest::Client, base: &str, since: Instant) -> Option<Duration> {
    let url = format!("{base}/readyz");
    while since.elapsed() < READY_LIMIT {
        if let Ok(resp) = client.get(&url).send().await
            && resp.status().is_success()
        {
            return Some(since.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}
