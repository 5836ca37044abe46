//! The LLM client: one JSON-mode completion per call, over the shared request loop.

use super::wire::{gemini_body, gemini_text, openai_body, openai_text, parse_answer};
use super::{LlmError, LlmProviderKind, LlmSettings};
use crate::http::{HttpClient, HttpSettings, RetryPolicy, Service};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::ExposeSecret;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// Gemini's key header: the key stays out of the URL, so no logged URL can leak it.
const GEMINI_KEY_HEADER: HeaderName = HeaderName::from_static("x-goog-api-key");
const OPENAI_PROJECT_HEADER: HeaderName = HeaderName::from_static("openai-project");

/// Not a quota (the providers enforce their own): a guard against a runaway caller loop.
const REQUESTS_PER_SECOND: u32 = 50;

/// One retry at most: a request already waits on the model for seconds, and the whole call
/// must fit in the caller's budget. A `Retry-After` longer than what is left is not waited
/// for (the request loop checks the deadline).
const RETRY: RetryPolicy = RetryPolicy {
    max_retries: 1,
    min_delay: Duration::from_millis(250),
    max_delay: Duration::from_secs(1),
    max_retry_after: Duration::from_secs(5),
};

/// A JSON-mode LLM client (OpenAI chat completions or Gemini). Cheap to clone: clones share
/// one connection pool.
#[derive(Debug, Clone)]
pub struct LlmClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    provider: LlmProviderKind,
    model: String,
    /// The URL every call posts to (for Gemini, with the model and `:generateContent`).
    url: Url,
    http: HttpClient,
    /// The auth header, marked sensitive so that no `Debug` or log shows it.
    auth: (HeaderName, HeaderValue),
    project: Option<HeaderValue>,
    timeout: Duration,
    max_tokens: u32,
    temperature: f32,
}

impl LlmClient {
    /// Checks the settings and builds the client. Fails with [`LlmError::MissingKey`] on a
    /// missing or blank key, and [`LlmError::Config`] on an unusable endpoint, model, timeout
    /// or header value; no request is sent.
    pub fn new(settings: LlmSettings) -> Result<Self, LlmError> {
        let key = settings
            .api_key
            .as_ref()
            .map(|k| k.expose_secret().trim())
            .filter(|k| !k.is_empty())
            .ok_or(LlmError::MissingKey)?;
        let model = settings.model.trim().to_owned();
        if model.is_empty() {
            return Err(LlmError::Config("the model name is blank".into()));
        }
        if !matches!(settings.endpoint.scheme(), "http" | "https")
            || settings.endpoint.cannot_be_a_base()
        {
            return Err(LlmError::Config(format!(
                "the endpoint `{}` is not an http(s) URL",
                settings.endpoint
            )));
        }
        if settings.timeout.is_zero() {
            return Err(LlmError::Config("the timeout must be positive".into()));
        }
        let secret_header = |value: String| {
            let mut header = HeaderValue::from_str(&value).map_err(|_| {
                LlmError::Config("the API key has characters not allowed in an HTTP header".into())
            })?;
            header.set_sensitive(true);
            Ok::<_, LlmError>(header)
        };
        let (service, url, auth) = match settings.provider {
            LlmProviderKind::OpenAi => (
                Service {
                    name: "OpenAI",
                    key_env: "OPENAI_API_KEY",
                    secret_params: &["key", "api_key"],
                },
                settings.endpoint.clone(),
                (AUTHORIZATION, secret_header(format!("Bearer {key}"))?),
            ),
            LlmProviderKind::Gemini => (
                Service {
                    name: "Gemini",
                    key_env: "INTENT_API_KEY",
                    secret_params: &["key", "api_key"],
                },
                gemini_url(&settings.endpoint, &model),
                (GEMINI_KEY_HEADER, secret_header(key.to_owned())?),
            ),
        };
        let project = match (
            settings.provider,
            settings.project.as_deref().map(str::trim),
        ) {
            (LlmProviderKind::OpenAi, Some(p)) if !p.is_empty() => {
                Some(HeaderValue::from_str(p).map_err(|_| {
                    LlmError::Config("OPENAI_PROJECT is not a valid header value".into())
                })?)
            }
            (LlmProviderKind::OpenAi | LlmProviderKind::Gemini, _) => None,
        };
        let http = HttpClient::new(
            service,
            HttpSettings {
                timeout: settings.timeout,
                requests_per_second: REQUESTS_PER_SECOND,
                retry: RETRY,
            },
        )?;
        Ok(LlmClient {
            inner: Arc::new(Inner {
                provider: settings.provider,
                model,
                url,
                http,
                auth,
                project,
                timeout: settings.timeout,
                max_tokens: settings.max_tokens,
                temperature: settings.temperature,
            }),
        })
    }

    /// The wire dialect.
    pub fn provider(&self) -> LlmProviderKind {
        self.inner.provider
    }

    /// The model name sent.
    pub fn model(&self) -> &str {
        &self.inner.model
    }

    /// One JSON-mode completion; the parsed JSON of the model's answer (Markdown fences
    /// tolerated). The whole call, one possible retry included, is bounded by the configured
    /// timeout. What the JSON means is the caller's business.
    #[tracing::instrument(
        name = "llm completion",
        skip_all,
        fields(provider = %self.inner.provider, model = %self.inner.model)
    )]
    pub async fn complete_json(&self, system: &str, user: &str) -> Result<Value, LlmError> {
        let deadline = Instant::now() + self.inner.timeout;
        match tokio::time::timeout_at(deadline, self.call(system, user, deadline)).await {
            Ok(result) => result,
            Err(_elapsed) => Err(LlmError::Timeout),
        }
    }

    async fn call(&self, system: &str, user: &str, deadline: Instant) -> Result<Value, LlmError> {
        let inner = &*self.inner;
        let body = match inner.provider {
            LlmProviderKind::OpenAi => openai_body(
                &inner.model,
                system,
                user,
                inner.temperature,
                inner.max_tokens,
            ),
            LlmProviderKind::Gemini => {
                gemini_body(system, user, inner.temperature, inner.max_tokens)
            }
        };
        let envelope: Value = inner
            .http
            .send_json_before(&inner.url, Some(deadline), |client| {
                let request = client
                    .post(inner.url.clone())
                    .header(inner.auth.0.clone(), inner.auth.1.clone())
                    .json(&body);
                match &inner.project {
                    Some(project) => request.header(OPENAI_PROJECT_HEADER, project.clone()),
                    None => request,
                }
            })
            .await?;
        let text = match inner.provider {
            LlmProviderKind::OpenAi => openai_text(&envelope)?,
            LlmProviderKind::Gemini => gemini_text(&envelope)?,
        };
        parse_answer(&text)
    }
}

/// `<endpoint>/<model>:generateContent`, unless the endpoint already ends with
/// `:generateContent` (a trailing `/` ignored either way). Any query is kept.
fn gemini_url(endpoint: &Url, model: &str) -> Url {
    let path = endpoint.path().trim_end_matches('/');
    let mut url = endpoint.clone();
    if path.ends_with(":generateContent") {
        url.set_path(path);
    } else {
        url.set_path(&format!("{path}/{model}:generateContent"));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL is valid")
    }

    #[test]
    fn the_gemini_url_appends_the_model_to_a_base() {
        let u = gemini_url(&url("https://g.example/v1beta/models/"), "gemini-x");
        assert_eq!(
            u.as_str(),
            "https://g.example/v1beta/models/gemini-x:generateContent"
        );
    }

    #[test]
    fn a_full_generate_content_url_is_used_as_is() {
        let full = "https://g.example/v1beta/models/other:generateContent";
        assert_eq!(
            gemini_url(&url(&format!("{full}/")), "gemini-x").as_str(),
            full
        );
    }

    #[test]
    fn a_missing_or_blank_key_is_refused() {
        let mut settings = LlmSettings::new(LlmProviderKind::OpenAi, None);
        assert!(matches!(
            LlmClient::new(settings.clone()),
            Err(LlmError::MissingKey)
        ));
        settings.api_key = Some(" ".to_owned().into());
        assert!(matches!(
            LlmClient::new(settings),
            Err(LlmError::MissingKey)
        ));
    }

    #[test]
    fn the_client_debug_output_hides_the_key() {
        let settings = LlmSettings::new(
            LlmProviderKind::Gemini,
            Some("AIza-very-secret".to_owned().into()),
        );
        let client = LlmClient::new(settings).expect("valid settings");
        assert!(!format!("{client:?}").contains("very-secret"));
    }
}
