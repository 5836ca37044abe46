//! Finding the three model files: a local directory first, the Hugging Face hub otherwise.
//!
//! The hub is a fallback for developer machines. Sandboxes and CI have no route to it, so a hub
//! lookup runs on a helper thread with a deadline: it fails with a hint instead of hanging.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::error::{EmbedError, Result};

/// The files a sentence-transformers BERT checkpoint needs.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// How a hub lookup runs; tests point it at a local fake and shorten the deadline.
#[derive(Debug, Clone)]
struct Hub {
    /// `None`: `HF_ENDPOINT` or huggingface.co.
    endpoint: Option<String>,
    /// `None`: `HF_HOME`'s cache.
    cache_dir: Option<PathBuf>,
    /// How long the lookup and download may take before we give up.
    deadline: Duration,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            endpoint: None,
            cache_dir: None,
            deadline: Duration::from_secs(60),
        }
    }
}

/// Where the config, tokenizer and weights of a model are on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    /// `config.json` (BERT hyper-parameters).
    pub config: PathBuf,
    /// `tokenizer.json` (WordPiece vocabulary and normaliser).
    pub tokenizer: PathBuf,
    /// `model.safetensors` (weights).
    pub weights: PathBuf,
    /// The name vectors are labelled with (directory name or repository id).
    pub model_id: String,
}

impl ModelFiles {
    /// Resolves `source`: an existing directory is used as is; anything else is taken as a hub
    /// repository id (a bare name such as `all-MiniLM-L6-v2` means `sentence-transformers/…`).
    pub fn resolve(source: &str) -> Result<Self> {
        let dir = Path::new(source);
        if dir.is_dir() {
            return Self::from_dir(dir);
        }
        if looks_like_a_path(source) {
            return Err(EmbedError::ModelNotFound {
                source_name: source.to_owned(),
                cause: "the directory does not exist".to_owned(),
            });
        }
        Self::from_hub(source, &Hub::default())
    }

    /// Uses the three files of a local directory, failing if any is missing.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let missing: Vec<&str> = MODEL_FILES
            .into_iter()
            .filter(|f| !dir.join(f).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(EmbedError::ModelNotFound {
                source_name: dir.display().to_string(),
                cause: format!("missing {}", missing.join(", ")),
            });
        }
        let model_id = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(ModelFiles {
            config: dir.join("config.json"),
            tokenizer: dir.join("tokenizer.json"),
            weights: dir.join("model.safetensors"),
            model_id,
        })
    }

    /// Fetches the files from the hub cache, downloading them if needed, within a deadline.
    fn from_hub(source: &str, hub: &Hub) -> Result<Self> {
        let repo_id = if source.contains('/') {
            source.to_owned()
        } else {
            format!("sentence-transformers/{source}")
        };
        let not_found = |cause: String| EmbedError::ModelNotFound {
            source_name: source.to_owned(),
            cause,
        };
        let (tx, rx) = mpsc::channel();
        let (id, settings) = (repo_id.clone(), hub.clone());
        std::thread::Builder::new()
            .name("embed-hub-fetch".to_owned())
            .spawn(move || {
                // The receiver may have timed out and gone; nothing to do then.
                let _ = tx.send(fetch_from_hub(&id, &settings));
            })
            .map_err(|e| not_found(format!("could not start the hub download: {e}")))?;
        // The hub client has no read timeout of its own: a silent server would hang us forever.
        let paths = match rx.recv_timeout(hub.deadline) {
            Ok(result) => result.map_err(|e| {
                not_found(format!(
                    "no such directory, and the Hugging Face hub did not serve `{repo_id}`: {e}"
                ))
            })?,
            Err(_) => {
                return Err(not_found(format!(
                    "no such directory, and the Hugging Face hub did not answer within {:?}",
                    hub.deadline
                )));
            }
        };
        let [config, tokenizer, weights] = paths;
        Ok(ModelFiles {
            config,
            tokenizer,
            weights,
            model_id: repo_id,
        })
    }
}

/// Something with a leading `.`, `/` or `~`, or more than one `/`, cannot be a repository id.
fn looks_like_a_path(source: &str) -> bool {
    source.is_empty()
        || source.starts_with(['.', '/', '~'])
        || source.matches('/').count() > 1
        || source.contains('\\')
}

fn fetch_from_hub(repo_id: &str, hub: &Hub) -> std::result::Result<[PathBuf; 3], String> {
    let cache = match &hub.cache_dir {
        Some(dir) => hf_hub::Cache::new(dir.clone()),
        None => hf_hub::Cache::from_env(),
    };
    let cached = cache.model(repo_id.to_owned());
    if let [Some(c), Some(t), Some(w)] = MODEL_FILES.map(|f| cached.get(f)) {
        return Ok([c, t, w]);
    }
    let mut builder = hf_hub::api::sync::ApiBuilder::from_cache(cache).with_progress(false);
    if let Some(endpoint) = &hub.endpoint {
        builder = builder.with_endpoint(endpoint.clone());
    } else if let Ok(endpoint) = std::env::var("HF_ENDPOINT") {
        builder = builder.with_endpoint(endpoint);
    }
    let api = builder.build().map_err(|e| e.to_string())?;
    let repo = api.model(repo_id.to_owned());
    let mut out = Vec::with_capacity(MODEL_FILES.len());
    for file in MODEL_FILES {
        out.push(repo.get(file).map_err(|e| format!("{file}: {e}"))?);
    }
    out.try_into()
        .map_err(|_| "the hub returned the wrong number of files".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_relative_directory_fails_without_asking_the_hub() {
        let err = ModelFiles::resolve("./no/such/model").expect_err("directory is missing");
        let msg = err.to_string();
        assert!(msg.contains("does not exist"), "{msg}");
        assert!(msg.contains("make model"), "{msg}");
    }

    #[test]
    fn a_directory_without_weights_names_the_missing_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config.json"), "{}").expect("write config");
        let err = ModelFiles::from_dir(dir.path()).expect_err("files are missing");
        let msg = err.to_string();
        assert!(msg.contains("tokenizer.json, model.safetensors"), "{msg}");
    }

    #[test]
    fn a_complete_directory_resolves_with_its_name_as_model_id() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("tiny-model");
        std::fs::create_dir(&dir).expect("mkdir");
        for f in MODEL_FILES {
            std::fs::write(dir.join(f), "x").expect("write file");
        }
        let files = ModelFiles::resolve(dir.to_str().expect("utf-8 temp path"))
            .expect("all files are there");
        assert_eq!(files.model_id, "tiny-model");
        assert_eq!(files.weights, dir.join("model.safetensors"));
    }

    fn local_hub(endpoint: String, deadline: Duration) -> (Hub, tempfile::TempDir) {
        let cache = tempfile::tempdir().expect("temp cache dir");
        let hub = Hub {
            endpoint: Some(endpoint),
            cache_dir: Some(cache.path().to_path_buf()),
            deadline,
        };
        (hub, cache)
    }

    #[test]
    fn an_unreachable_hub_fails_with_a_hint() {
        // Bind then drop a listener: nothing answers on that port any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let (hub, _cache) = local_hub(format!("http://127.0.0.1:{port}"), Duration::from_secs(30));
        let err = ModelFiles::from_hub("all-MiniLM-L6-v2", &hub).expect_err("nothing listens");
        let msg = err.to_string();
        assert!(
            msg.contains("did not serve `sentence-transformers/all-MiniLM-L6-v2`"),
            "{msg}"
        );
        assert!(msg.contains("make model"), "{msg}");
    }

    #[test]
    fn a_silent_hub_fails_at_the_deadline_instead_of_hanging() {
        // Accepts connections but never answers.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let (hub, _cache) = local_hub(format!("http://{addr}"), Duration::from_millis(300));
        let started = std::time::Instant::now();
        let err = ModelFiles::from_hub("org/model", &hub).expect_err("the hub never answers");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(err.to_string().contains("did not answer within"), "{err}");
        drop(listener);
    }

    #[test]
    fn paths_and_repository_ids_are_told_apart() {
        assert!(looks_like_a_path("/models/minilm"));
        assert!(looks_like_a_path(".local/models/all-MiniLM-L6-v2"));
        assert!(!looks_like_a_path("sentence-transformers/all-MiniLM-L6-v2"));
        assert!(!looks_like_a_path("all-MiniLM-L6-v2"));
    }
}
