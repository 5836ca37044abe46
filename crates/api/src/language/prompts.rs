//! The prompt files (`config/prompts/*.json`), read once at start. A missing file means the
//! built-in copy of the shipped prompt; a file that does not parse stops start-up with its
//! path, so a typo never silently changes what the models are asked.

use anyhow::Context;
use seen_core::prompt_spec::PromptSpec;
use std::path::Path;

/// The intent, rewrite and reranker prompts.
#[derive(Debug, Clone)]
pub struct Prompts {
    pub intent: PromptSpec,
    pub rewrite: PromptSpec,
    pub reranker: PromptSpec,
}

impl Prompts {
    /// Reads `intent_parser.json`, `rewrite.json` and `reranker.json` from `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        Ok(Prompts {
            intent: read(dir, "intent_parser.json", PromptSpec::intent_default)?,
            rewrite: read(dir, "rewrite.json", PromptSpec::rewrite_default)?,
            reranker: read(dir, "reranker.json", PromptSpec::reranker_default)?,
        })
    }
}

fn read(dir: &Path, name: &str, default: fn() -> PromptSpec) -> anyhow::Result<PromptSpec> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => PromptSpec::from_json(&text)
            .with_context(|| format!("prompt file {} is not valid", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::info!(path = %path.display(), "prompt file not found; using the built-in prompt");
            Ok(default())
        }
        Err(e) => Err(e).with_context(|| format!("cannot read prompt file {}", path.display())),
    }
}
