//! `seenemall serve` as a child process on a free loopback port, with every language service
//! on and pointed at the failing fakes; its output goes to a log file.

use anyhow::{Context, bail};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the server's language services are sent.
pub struct Upstreams {
    /// OpenAI fake for the intent parser and the LLM rewrite (they share a client).
    pub intent: String,
    /// OpenAI fake for the reranker.
    pub rerank: String,
    /// TMDB fake for the entity linker.
    pub tmdb: String,
}

/// How to start the server.
pub struct Launch<'a> {
    pub bin: &'a Path,
    pub database_url: &'a str,
    pub model: &'a Path,
    pub log: &'a Path,
    /// Written with the child's pid, so the calling script can reap it if this driver dies.
    pub pid_file: Option<&'a PathBuf>,
}

/// Settings the caller's environment must not leak into the run: a token would turn the
/// writes into 401s, another key or endpoint would send traffic off the machine.
const SCRUBBED: &[&str] = &[
    "API_TOKEN",
    "API_TOKEN_READS",
    "OPENAI_API_KEY",
    "OPENAI_PROJECT",
    "INTENT_MODEL",
    "RERANK_MODEL",
    "NO_COLOR",
    "LOG_FORMAT",
];

/// The running server; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pid_file: Option<PathBuf>,
}

impl Server {
    /// Spawns the server. A free port is found by binding port 0 and releasing it.
    pub fn spawn(launch: &Launch<'_>, upstreams: &Upstreams) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .context("finding a free port")?
            .port();
        let log = File::create(launch.log)
            .with_context(|| format!("creating {}", launch.log.display()))?;
        let mut cmd = Command::new(launch.bin);
        cmd.arg("serve")
            .stdin(Stdio::null())
            .stdout(log.try_clone().context("log file handle")?)
            .stderr(log);
        for var in SCRUBBED {
            cmd.env_remove(var);
        }
        // Short timeouts (the clients' minimums) and a 3 s language budget keep a stalled
        // provider from holding a request for long; the fakes stall for longer than any.
        cmd.env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("DATABASE_URL", launch.database_url)
            .env("EMBED_MODEL", launch.model)
            .env("RUST_LOG", "info")
            .env("LLM_BUDGET_SECS", "3")
            .env("INTENT_PROVIDER", "openai")
            .env("INTENT_API_KEY", "sk-fault-suite-intent")
            .env(
                "INTENT_ENDPOINT",
                format!("{}/v1/chat/completions", upstreams.intent),
            )
            .env("INTENT_ENABLED", "1")
            .env("INTENT_TIMEOUT", "1")
            .env("REWRITE_LLM_ENABLED", "1")
            .env("REWRITE_LLM_TIMEOUT", "1")
            .env("RERANK_PROVIDER", "openai")
            .env("RERANK_API_KEY", "sk-fault-suite-rerank")
            .env(
                "RERANK_ENDPOINT",
                format!("{}/v1/chat/completions", upstreams.rerank),
            )
            .env("RERANK_ENABLED", "1")
            .env("RERANK_TIMEOUT", "1")
            .env("TMDB_API_KEY", "fault-suite-tmdb")
            .env("TMDB_BASE_URL", format!("{}/3", upstreams.tmdb))
            .env("ENTITY_LINK_TIMEOUT", "0.5")
            .env("ENTITY_LINK_RATE", "50");
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {}", launch.bin.display()))?;
        if let Some(pid_file) = launch.pid_file {
            std::fs::write(pid_file, child.id().to_string())
                .with_context(|| format!("writing {}", pid_file.display()))?;
        }
        Ok(Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            pid_file: launch.pid_file.cloned(),
        })
    }

    /// True while the child has not exited.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits until `path` answers 200, failing if the server exits or `limit` passes.
    pub async fn wait_for(
        &mut self,
        client: &reqwest::Client,
        path: &str,
        limit: Duration,
    ) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let url = format!("{}{path}", self.base);
        while started.elapsed() < limit {
            if !self.alive() {
                bail!("the server exited before {path} answered");
            }
            if let Ok(resp) = client.get(&url).send().await
                && resp.status().is_success()
            {
                return Ok(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        bail!("{path} did not answer 200 within {limit:?}")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A stale pid must not lead the script to kill whatever process reuses it.
        if let Some(pid_file) = &self.pid_file {
            let _ = std::fs::remove_file(pid_file);
        }
    }
}
