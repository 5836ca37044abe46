//! Settings of the language services, read from the original's environment variables
//! (spec §8): the intent parser (`INTENT_*`), the reranker (`RERANK_*`, `SMALL_RERANK_*`),
//! the LLM query rewrite (`REWRITE_LLM_*`, ours) and the entity linker (`TMDB_*`).
//!
//! A provider is enabled when its flag is on and (for the LLM providers) a key is set;
//! `OPENAI_API_KEY` is the shared fallback key, as in the original.

use clap::{ArgAction, Args};
use secrecy::{ExposeSecret, SecretString};
use seen_core::rerank::SmallRerankSettings;
use seen_providers::llm::{LlmProviderKind, LlmSettings};
use std::time::Duration;

/// Every language-service setting.
#[derive(Debug, Clone, Args)]
pub struct LanguageArgs {
    #[command(flatten)]
    pub intent: IntentArgs,
    #[command(flatten)]
    pub rerank: RerankArgs,
    #[command(flatten)]
    pub linker: LinkerArgs,
    /// Shared fallback key for the intent parser and the LLM reranker.
    #[arg(long, env = "OPENAI_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub openai_api_key: Option<SecretString>,
    /// Sent as the `OpenAI-Project` header (and nothing else: the original also switched
    /// to the Responses API, which broke the default endpoint, §10.5).
    #[arg(long, env = "OPENAI_PROJECT")]
    pub openai_project: Option<String>,
    /// Seconds all language calls of one request (linking, intent, rewrite, rerank) may take
    /// together; past it each falls back. Keep it below REQUEST_TIMEOUT_SECS.
    #[arg(long, env = "LLM_BUDGET_SECS", default_value_t = 15.0)]
    pub llm_budget_secs: f64,
}

/// The LLM intent parser and the LLM query rewrite (which uses the same provider).
#[derive(Debug, Clone, Args)]
pub struct IntentArgs {
    /// `openai` (or any OpenAI-compatible server) or `gemini`.
    #[arg(long, env = "INTENT_PROVIDER", default_value = "openai")]
    pub intent_provider: String,
    #[arg(long, env = "INTENT_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub intent_api_key: Option<SecretString>,
    /// Default: gpt-4o-mini (openai) / gemini-2.0-flash-lite (gemini).
    #[arg(long, env = "INTENT_MODEL")]
    pub intent_model: Option<String>,
    /// Default: OpenAI's chat-completions URL / Gemini's models URL.
    #[arg(long, env = "INTENT_ENDPOINT")]
    pub intent_endpoint: Option<String>,
    /// `0`, `false` or `no` turns the LLM parser off (the offline parser still runs).
    #[arg(long, env = "INTENT_ENABLED", default_value = "1", value_parser = parse_flag, action = ArgAction::Set)]
    pub intent_enabled: bool,
    /// Seconds for one parse (minimum 1).
    #[arg(long, env = "INTENT_TIMEOUT", default_value_t = 12.0)]
    pub intent_timeout: f64,
    /// Output-token cap of one parse.
    #[arg(long, env = "INTENT_MAX_TOKENS", default_value_t = 512)]
    pub intent_max_tokens: u32,
    /// Scope the prompt's genre list by the media types the query hints at.
    #[arg(long, env = "INTENT_SCOPE_GENRES_BY_MEDIA", default_value = "1", value_parser = parse_flag, action = ArgAction::Set)]
    pub intent_scope_genres_by_media: bool,
    /// Ask the LLM for an `ann_description` (one evocative sentence).
    #[arg(long, env = "INTENT_ENABLE_ANN_DESCRIPTION", default_value = "0", value_parser = parse_flag, action = ArgAction::Set)]
    pub intent_enable_ann_description: bool,
    /// Seconds a parsed intent stays cached.
    #[arg(long, env = "INTENT_CACHE_TTL", default_value_t = 300)]
    pub intent_cache_ttl: u64,
    /// Rewrite the query with the intent LLM (heuristic rewrite when off or failing).
    #[arg(long, env = "REWRITE_LLM_ENABLED", default_value = "1", value_parser = parse_flag, action = ArgAction::Set)]
    pub rewrite_llm_enabled: bool,
    /// Seconds for one LLM rewrite (minimum 0.5).
    #[arg(long, env = "REWRITE_LLM_TIMEOUT", default_value_t = 6.0)]
    pub rewrite_llm_timeout: f64,
    /// Directory of the prompt files (`intent_parser.json`, `reranker.json`, `rewrite.json`);
    /// the built-in prompts are used for a missing file.
    #[arg(long, env = "PROMPTS_DIR", default_value = "config/prompts")]
    pub prompts_dir: std::path::PathBuf,
}

/// The reranker.
#[derive(Debug, Clone, Args)]
pub struct RerankArgs {
    /// `openai`, `gemini` or `small` (local MiniLM).
    #[arg(long, env = "RERANK_PROVIDER", default_value = "openai")]
    pub rerank_provider: String,
    #[arg(long, env = "RERANK_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub rerank_api_key: Option<SecretString>,
    #[arg(long, env = "RERANK_MODEL")]
    pub rerank_model: Option<String>,
    #[arg(long, env = "RERANK_ENDPOINT")]
    pub rerank_endpoint: Option<String>,
    #[arg(long, env = "RERANK_ENABLED", default_value = "1", value_parser = parse_flag, action = ArgAction::Set)]
    pub rerank_enabled: bool,
    /// Seconds for one rerank (default 12 for LLMs; `small` uses SMALL_RERANK_TIMEOUT unless set).
    #[arg(long, env = "RERANK_TIMEOUT")]
    pub rerank_timeout: Option<f64>,
    /// Output-token cap of one LLM rerank.
    #[arg(long, env = "RERANK_MAX_TOKENS", default_value_t = 2048)]
    pub rerank_max_tokens: u32,
    #[arg(long, env = "SMALL_RERANK_INPUT_WINDOW", default_value_t = 40)]
    pub small_rerank_input_window: i64,
    #[arg(long, env = "SMALL_RERANK_OUTPUT_LIMIT", default_value_t = 12)]
    pub small_rerank_output_limit: i64,
    #[arg(long, env = "SMALL_RERANK_TIMEOUT", default_value_t = 1.5)]
    pub small_rerank_timeout: f64,
    #[arg(long, env = "SMALL_RERANK_CACHE_TTL", default_value_t = 120.0)]
    pub small_rerank_cache_ttl: f64,
    #[arg(long, env = "SMALL_RERANK_CACHE_MAXSIZE", default_value_t = 256)]
    pub small_rerank_cache_maxsize: i64,
    #[arg(long, env = "SMALL_RERANK_RANK_WEIGHT", default_value_t = 0.05)]
    pub small_rerank_rank_weight: f64,
}

/// The TMDB entity linker ("more like Interstellar", "films by Denis Villeneuve").
#[derive(Debug, Clone, Args)]
pub struct LinkerArgs {
    /// Enables entity linking (TMDB v3 key or v4 token).
    #[arg(
        long = "linker-tmdb-api-key",
        env = "TMDB_API_KEY",
        hide_env_values = true,
        value_parser = parse_secret
    )]
    pub tmdb_api_key: Option<SecretString>,
    /// TMDB API root (tests point it at a fake).
    #[arg(long = "linker-tmdb-base-url", env = "TMDB_BASE_URL", default_value = seen_providers::tmdb::DEFAULT_BASE_URL)]
    pub tmdb_base_url: String,
    /// Seconds for one search (the original waited up to 15 s).
    #[arg(long, env = "ENTITY_LINK_TIMEOUT", default_value_t = 3.0)]
    pub entity_link_timeout: f64,
    /// Searches per second (the original allowed 3).
    #[arg(long, env = "ENTITY_LINK_RATE", default_value_t = 3)]
    pub entity_link_rate: u32,
}

/// "true unless the value is one of 0/false/no" (case-insensitive), as the original.
fn parse_flag(raw: &str) -> Result<bool, String> {
    Ok(!matches!(
        raw.trim().to_ascii_lowercase().as_str(),
        "0" | "false" | "no"
    ))
}

/// Keys are secrets from the moment they are parsed, so `Debug` of the settings never shows
/// them.
pub(crate) fn parse_secret(raw: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(raw.to_owned()))
}

/// A configured key: the specific one, else the shared `OPENAI_API_KEY`; blank is none.
fn key(specific: Option<&SecretString>, shared: Option<&SecretString>) -> Option<SecretString> {
    fn usable(k: Option<&SecretString>) -> Option<&str> {
        k.map(|k| k.expose_secret().trim())
            .filter(|k| !k.is_empty())
    }
    usable(specific)
        .or_else(|| usable(shared))
        .map(|k| SecretString::from(k.to_owned()))
}

/// A provider name; anything unknown logs a warning and means `openai`, as the original.
fn provider(raw: &str, var: &str) -> LlmProviderKind {
    raw.parse().unwrap_or_else(|_| {
        tracing::warn!("{var}={raw:?} is not openai or gemini; using openai");
        LlmProviderKind::OpenAi
    })
}

fn endpoint(raw: Option<&String>, kind: LlmProviderKind, var: &str) -> anyhow::Result<url::Url> {
    match raw.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(LlmSettings::default_endpoint(kind)),
        Some(s) => url::Url::parse(s).map_err(|e| anyhow::anyhow!("{var} `{s}` is not a URL: {e}")),
    }
}

fn seconds(value: f64, min: f64) -> Duration {
    let v = if value.is_finite() { value } else { min };
    Duration::from_secs_f64(v.max(min))
}

impl LanguageArgs {
    /// The intent LLM, when enabled and keyed.
    pub fn intent_llm(&self) -> anyhow::Result<Option<LlmSettings>> {
        let a = &self.intent;
        let Some(api_key) = key(a.intent_api_key.as_ref(), self.openai_api_key.as_ref()) else {
            return Ok(None);
        };
        if !a.intent_enabled {
            return Ok(None);
        }
        let kind = provider(&a.intent_provider, "INTENT_PROVIDER");
        Ok(Some(LlmSettings {
            provider: kind,
            model: a
                .intent_model
                .clone()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| LlmSettings::default_model(kind).to_owned()),
            endpoint: endpoint(a.intent_endpoint.as_ref(), kind, "INTENT_ENDPOINT")?,
            api_key: Some(api_key),
            project: self.openai_project.clone().filter(|p| !p.trim().is_empty()),
            timeout: seconds(a.intent_timeout, 1.0),
            max_tokens: a.intent_max_tokens.max(16),
            temperature: 0.2,
        }))
    }

    /// The reranker's provider, or `None` when reranking is off (heuristic order).
    pub fn rerank_provider(&self) -> anyhow::Result<Option<RerankProvider>> {
        let a = &self.rerank;
        if !a.rerank_enabled {
            return Ok(None);
        }
        if a.rerank_provider.trim().eq_ignore_ascii_case("small") {
            let timeout = a
                .rerank_timeout
                .map(|t| seconds(t, 1.0))
                .unwrap_or_else(|| seconds(a.small_rerank_timeout, 0.1));
            return Ok(Some(RerankProvider::Small(
                SmallRerankSettings {
                    input_window: a.small_rerank_input_window.max(1) as usize,
                    output_limit: a.small_rerank_output_limit.max(1) as usize,
                    timeout,
                    cache_ttl: seconds(a.small_rerank_cache_ttl, 5.0),
                    cache_max_entries: a.small_rerank_cache_maxsize.max(16) as u64,
                    rank_weight: a.small_rerank_rank_weight,
                }
                .clamped(),
            )));
        }
        let Some(api_key) = key(a.rerank_api_key.as_ref(), self.openai_api_key.as_ref()) else {
            return Ok(None);
        };
        let kind = provider(&a.rerank_provider, "RERANK_PROVIDER");
        Ok(Some(RerankProvider::Llm(LlmSettings {
            provider: kind,
            model: a
                .rerank_model
                .clone()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| LlmSettings::default_model(kind).to_owned()),
            endpoint: endpoint(a.rerank_endpoint.as_ref(), kind, "RERANK_ENDPOINT")?,
            api_key: Some(api_key),
            project: self.openai_project.clone().filter(|p| !p.trim().is_empty()),
            timeout: seconds(a.rerank_timeout.unwrap_or(12.0), 1.0),
            max_tokens: a.rerank_max_tokens.max(64),
            temperature: 0.2,
        })))
    }
}

/// Which reranker runs.
#[derive(Debug, Clone)]
pub enum RerankProvider {
    Llm(LlmSettings),
    Small(SmallRerankSettings),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_true_unless_zero_false_or_no() {
        for off in ["0", "false", "NO", " False "] {
            assert_eq!(parse_flag(off), Ok(false), "{off}");
        }
        for on in ["1", "yes", "true", "anything"] {
            assert_eq!(parse_flag(on), Ok(true), "{on}");
        }
    }

    #[test]
    fn a_blank_specific_key_falls_back_to_the_shared_one() {
        let shared = SecretString::from("sk-shared");
        let blank = SecretString::from("  ");
        assert!(key(None, Some(&shared)).is_some());
        assert!(key(Some(&blank), Some(&shared)).is_some());
        assert!(key(Some(&blank), None).is_none());
    }

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: LanguageArgs,
    }

    #[test]
    fn keys_never_show_in_debug_output() {
        use clap::Parser;
        let cli = Cli::try_parse_from([
            "serve",
            "--openai-api-key",
            "sk-hunter2",
            "--intent-api-key",
            "sk-intent-hunter2",
            "--rerank-api-key",
            "sk-rerank-hunter2",
            "--linker-tmdb-api-key",
            "tmdb-hunter2",
        ])
        .expect("parses");
        let shown = format!("{cli:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let intent = cli.args.intent_llm().expect("settings").expect("enabled");
        assert!(!format!("{intent:?}").contains("hunter2"));
    }
}
