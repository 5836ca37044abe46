//! TMDB client settings and how the key is sent.

use super::TmdbClient;
use crate::http::RetryPolicy;
use crate::{ProviderError, Result};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// TMDB's production API root.
pub const DEFAULT_BASE_URL: &str = "https://api.themoviedb.org/3";

/// Settings for [`TmdbClient`].
#[derive(Debug, Clone)]
pub struct TmdbSettings {
    /// A v3 API key, or a v4 read access token (a JWT, starting `eyJ`).
    pub api_key: SecretString,
    /// API root; tests point it at a local fake.
    pub base_url: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Requests per second across every task sharing the client (TMDB allows about 40).
    pub requests_per_second: u32,
    /// Retry policy for 429, 5xx, timeouts and connection errors.
    pub retry: RetryPolicy,
}

impl TmdbSettings {
    /// Production defaults: 15 s timeout, 20 requests/s, 4 retries.
    pub fn new(api_key: impl Into<String>) -> Self {
        TmdbSettings {
            api_key: SecretString::from(api_key.into()),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(15),
            requests_per_second: 20,
            retry: RetryPolicy::default(),
        }
    }

    /// Builds the client. Fails (before any request) when the key is missing or blank, or a
    /// setting is unusable.
    pub fn client(&self) -> Result<TmdbClient> {
        TmdbClient::new(self)
    }
}

/// How the key travels.
#[derive(Clone)]
pub enum TmdbAuth {
    /// v3 key: `?api_key=...` on every request.
    ApiKey(SecretString),
    /// v4 read access token: `Authorization: Bearer ...`.
    Bearer(SecretString),
}

impl TmdbAuth {
    /// Picks the scheme from the credential's shape: JWTs (base64 of `{"`, i.e. `eyJ`) are
    /// v4 tokens, anything else a v3 key. Blank → [`ProviderError::MissingApiKey`].
    pub fn from_credential(credential: &SecretString) -> Result<Self> {
        let value = credential.expose_secret().trim();
        if value.is_empty() {
            return Err(ProviderError::MissingApiKey {
                service: "TMDB",
                env_var: "TMDB_API_KEY",
            });
        }
        let secret = SecretString::from(value.to_owned());
        Ok(if value.starts_with("eyJ") {
            TmdbAuth::Bearer(secret)
        } else {
            TmdbAuth::ApiKey(secret)
        })
    }
}

impl std::fmt::Debug for TmdbAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TmdbAuth::ApiKey(_) => f.write_str("ApiKey(REDACTED)"),
            TmdbAuth::Bearer(_) => f.write_str("Bearer(REDACTED)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(raw: &str) -> Result<TmdbAuth> {
        TmdbAuth::from_credential(&SecretString::from(raw.to_owned()))
    }

    #[test]
    fn a_jwt_is_sent_as_a_bearer_token() {
        assert!(matches!(
            auth("eyJhbGciOiJIUzI1NiJ9.e30.x"),
            Ok(TmdbAuth::Bearer(_))
        ));
    }

    #[test]
    fn a_hex_key_is_sent_as_the_api_key_parameter() {
        assert!(matches!(
            auth("0123456789abcdef0123456789abcdef"),
            Ok(TmdbAuth::ApiKey(_))
        ));
    }

    #[test]
    fn a_blank_key_is_refused_and_names_the_variable() {
        let err = auth("   ").unwrap_err();
        assert!(err.to_string().contains("TMDB_API_KEY"), "{err}");
    }

    #[test]
    fn debug_output_hides_the_key() {
        let text = format!("{:?}", auth("supersecretkey").expect("valid key"));
        assert!(!text.contains("supersecret"), "{text}");
        let settings = format!("{:?}", TmdbSettings::new("supersecretkey"));
        assert!(!settings.contains("supersecret"), "{settings}");
    }
}
