//! The TMDB v3 client.

use super::{ListKind, ListPage, TmdbAuth, TmdbSettings};
use crate::http::{HttpClient, HttpSettings, Service};
use crate::{ProviderError, Result};
use secrecy::ExposeSecret;
use seen_core::item::MediaType;
use serde_json::Value;
use url::Url;

const SERVICE: Service = Service {
    name: "TMDB",
    key_env: "TMDB_API_KEY",
    secret_params: &["api_key"],
};

/// TMDB v3 client. Clones share one connection pool and one rate limiter.
#[derive(Debug, Clone)]
pub struct TmdbClient {
    http: HttpClient,
    base_url: Url,
    auth: TmdbAuth,
}

impl TmdbClient {
    /// Builds a client; see [`TmdbSettings::client`].
    pub fn new(settings: &TmdbSettings) -> Result<Self> {
        let auth = TmdbAuth::from_credential(&settings.api_key)?;
        let base_url = Url::parse(settings.base_url.trim())
            .ok()
            .filter(|u| !u.cannot_be_a_base() && matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| ProviderError::InvalidConfig {
                service: SERVICE.name,
                message: format!(
                    "TMDB_BASE_URL `{}` is not an http(s) URL (default {})",
                    settings.base_url,
                    super::DEFAULT_BASE_URL
                ),
            })?;
        let http = HttpClient::new(
            SERVICE,
            HttpSettings {
                timeout: settings.timeout,
                requests_per_second: settings.requests_per_second,
                retry: settings.retry,
            },
        )?;
        Ok(TmdbClient {
            http,
            base_url,
            auth,
        })
    }

    /// One page (1-based) of a title list: `/{media}/popular`, `/{media}/top_rated` or
    /// `/trending/{media}/day`, with `page=N`.
    #[tracing::instrument(name = "tmdb list page", level = "debug", skip(self), fields(%media, %list))]
    pub async fn list_page(&self, media: MediaType, list: ListKind, page: u32) -> Result<ListPage> {
        let page_param = page.to_string();
        let (url, body) = self
            .get(&list.path(media), &[("page", page_param.as_str())])
            .await?;
        ListPage::from_json(&body, page).map_err(|message| self.decode_error(&url, message))
    }

    /// A title's details with credits, keywords and certifications appended, in one call:
    /// `/{media}/{id}?language=en-US&append_to_response=credits,keywords,release_dates` (movie)
    /// or `...,content_ratings` (tv). Returns the raw payload for `seen_core::catalog`.
    #[tracing::instrument(name = "tmdb details", level = "debug", skip(self), fields(%media))]
    pub async fn details(&self, media: MediaType, tmdb_id: i64) -> Result<Value> {
        let appended = match media {
            MediaType::Movie => "credits,keywords,release_dates",
            MediaType::Tv => "credits,keywords,content_ratings",
        };
        let id = tmdb_id.to_string();
        let params = [("language", "en-US"), ("append_to_response", appended)];
        let (url, body) = self.get(&[media.as_str(), id.as_str()], &params).await?;
        if !body.is_object() {
            return Err(self.decode_error(&url, "a title's details must be a JSON object".into()));
        }
        Ok(body)
    }

    /// GET `base/segments...?params` with auth, rate limit and retries; the redacted URL and
    /// the JSON body. Other callers (e.g. discover for golden sets) can use it directly.
    pub async fn get(&self, segments: &[&str], params: &[(&str, &str)]) -> Result<(String, Value)> {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .expect("the base URL was checked to be a base when the client was built")
            .pop_if_empty()
            .extend(segments);
        if !params.is_empty() {
            url.query_pairs_mut().extend_pairs(params);
        }
        if let TmdbAuth::ApiKey(key) = &self.auth {
            url.query_pairs_mut()
                .append_pair("api_key", key.expose_secret());
        }
        let bearer = match &self.auth {
            TmdbAuth::Bearer(token) => Some(token),
            TmdbAuth::ApiKey(_) => None,
        };
        let body: Value = self
            .http
            .send_json(&url, |client| {
                let request = client
                    .get(url.clone())
                    .header(reqwest::header::ACCEPT, "application/json");
                match bearer {
                    // `bearer_auth` marks the header sensitive, so it is never logged.
                    Some(token) => request.bearer_auth(token.expose_secret()),
                    None => request,
                }
            })
            .await?;
        Ok((self.http.redact(&url), body))
    }

    fn decode_error(&self, url: &str, message: String) -> ProviderError {
        ProviderError::Decode {
            service: SERVICE.name,
            url: url.to_owned(),
            message,
        }
    }
}
