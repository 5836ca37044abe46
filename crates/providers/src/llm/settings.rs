//! Which LLM to call, where, and how patiently.

use super::LlmError;
use secrecy::SecretString;
use std::str::FromStr;
use std::time::Duration;
use url::Url;

/// The wire dialect a [`super::LlmClient`] speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LlmProviderKind {
    /// OpenAI chat completions, also spoken by llama.cpp, Ollama, vLLM and most gateways.
    OpenAi,
    /// Google Gemini `models/<model>:generateContent`.
    Gemini,
}

impl LlmProviderKind {
    /// The setting's spelling: `openai` or `gemini`.
    pub fn as_str(self) -> &'static str {
        match self {
            LlmProviderKind::OpenAi => "openai",
            LlmProviderKind::Gemini => "gemini",
        }
    }
}

impl std::fmt::Display for LlmProviderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LlmProviderKind {
    type Err = LlmError;

    /// `openai` or `gemini`, case-insensitive and trimmed.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "openai" => Ok(LlmProviderKind::OpenAi),
            "gemini" => Ok(LlmProviderKind::Gemini),
            _ => Err(LlmError::Config(format!(
                "unknown LLM provider `{raw}`; use `openai` or `gemini`"
            ))),
        }
    }
}

/// Settings for one [`super::LlmClient`]. `Debug` never shows the key.
#[derive(Debug, Clone)]
pub struct LlmSettings {
    /// Wire dialect.
    pub provider: LlmProviderKind,
    /// Model name sent in the body (OpenAI) or the URL path (Gemini).
    pub model: String,
    /// OpenAI: the full chat-completions URL. Gemini: the models base URL (the client
    /// appends `/<model>:generateContent`) or a full `...:generateContent` URL.
    pub endpoint: Url,
    /// The API key; required, even by local servers that ignore it (send any placeholder).
    pub api_key: Option<SecretString>,
    /// Sent as the `OpenAI-Project` header (OpenAI only). It does not switch to the
    /// Responses API, unlike the original (spec §10.5).
    pub project: Option<String>,
    /// Budget for the whole call, retries included.
    pub timeout: Duration,
    /// Cap on output tokens (OpenAI `max_tokens`, Gemini `maxOutputTokens`), so a rambling
    /// model cannot run up cost and latency.
    pub max_tokens: u32,
    /// Sampling temperature; low, because we want stable JSON.
    pub temperature: f32,
}

impl LlmSettings {
    /// Default output-token cap: ample for an intent or a 25-item rerank.
    pub const DEFAULT_MAX_TOKENS: u32 = 2048;
    /// Default temperature (the original's 0.2).
    pub const DEFAULT_TEMPERATURE: f32 = 0.2;
    /// Default whole-call timeout (the original's 12 s).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(12);

    /// Settings with the provider's default model and endpoint, and the defaults above.
    pub fn new(provider: LlmProviderKind, api_key: Option<SecretString>) -> Self {
        LlmSettings {
            provider,
            model: Self::default_model(provider).to_owned(),
            endpoint: Self::default_endpoint(provider),
            api_key,
            project: None,
            timeout: Self::DEFAULT_TIMEOUT,
            max_tokens: Self::DEFAULT_MAX_TOKENS,
            temperature: Self::DEFAULT_TEMPERATURE,
        }
    }

    /// The original's default model: `gpt-4o-mini` or `gemini-2.0-flash-lite`.
    pub fn default_model(kind: LlmProviderKind) -> &'static str {
        match kind {
            LlmProviderKind::OpenAi => "gpt-4o-mini",
            LlmProviderKind::Gemini => "gemini-2.0-flash-lite",
        }
    }

    /// The public endpoint: OpenAI's chat-completions URL, or Gemini's models base URL.
    pub fn default_endpoint(kind: LlmProviderKind) -> Url {
        let raw = match kind {
            LlmProviderKind::OpenAi => "https://api.openai.com/v1/chat/completions",
            LlmProviderKind::Gemini => "https://generativelanguage.googleapis.com/v1beta/models",
        };
        Url::parse(raw).expect("the built-in LLM endpoints are valid URLs. This is a bug.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_parse_case_insensitively() {
        assert_eq!(
            " OpenAI ".parse::<LlmProviderKind>().ok(),
            Some(LlmProviderKind::OpenAi)
        );
        assert_eq!(
            "GEMINI".parse::<LlmProviderKind>().ok(),
            Some(LlmProviderKind::Gemini)
        );
    }

    #[test]
    fn an_unknown_provider_is_a_config_error_naming_the_choices() {
        let err = "claude".parse::<LlmProviderKind>().expect_err("unknown");
        assert!(err.to_string().contains("openai"), "{err}");
        assert_eq!(err.kind(), "config");
    }

    #[test]
    fn defaults_follow_the_provider() {
        let s = LlmSettings::new(LlmProviderKind::Gemini, None);
        assert_eq!(s.model, "gemini-2.0-flash-lite");
        assert!(s.endpoint.as_str().ends_with("/v1beta/models"));
        assert_eq!(
            LlmSettings::default_model(LlmProviderKind::OpenAi),
            "gpt-4o-mini"
        );
    }

    #[test]
    fn debug_output_hides_the_key() {
        let s = LlmSettings::new(
            LlmProviderKind::OpenAi,
            Some(SecretString::from("sk-very-secret".to_owned())),
        );
        assert!(!format!("{s:?}").contains("very-secret"));
    }
}
