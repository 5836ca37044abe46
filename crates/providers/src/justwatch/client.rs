//! The JustWatch GraphQL client.

use super::matching::{RawNode, choose_best_match};
use super::offers::{RawOffer, normalize_offers};
use super::queries::{SEARCH_FIRST, SOURCE, TITLE_OFFERS, TITLE_SEARCH};
use super::{Candidate, JustWatchSettings, Offer};
use crate::http::{HttpClient, HttpSettings, Service};
use crate::{ProviderError, Result};
use seen_core::item::MediaType;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

const SERVICE: Service = Service {
    name: "JustWatch",
    // JustWatch needs no key; a 401 can only mean the endpoint is not JustWatch's.
    key_env: "JUSTWATCH_ENDPOINT",
    secret_params: &[],
};

/// The original's User-Agent, so JustWatch sees the same client it always saw.
const USER_AGENT: &str = "SeenemAll/JustWatchSync (https://github.com/natanayalo/Seen-emAll)";

/// A catalog title to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleQuery {
    /// `items.title`.
    pub title: String,
    /// Movie or TV; restricts the search to `MOVIE` or `SHOW`.
    pub media: MediaType,
    /// `items.release_year`.
    pub release_year: Option<i32>,
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// No search result passed the matching rule.
    NoMatch {
        /// How many results the search returned.
        candidates: usize,
    },
    /// The matched node and its offers in the client's country (possibly none).
    Matched {
        /// The search result chosen.
        candidate: Candidate,
        /// Normalised, one per (service, offer type).
        offers: Vec<Offer>,
    },
}

/// JustWatch GraphQL client for one country, language and platform. Clones share one
/// connection pool and one rate limiter.
#[derive(Debug, Clone)]
pub struct JustWatchClient {
    http: HttpClient,
    endpoint: Url,
    country: String,
    language: String,
    platform: String,
}

#[derive(Debug, Deserialize)]
struct GraphQlError {
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SearchData {
    #[serde(rename = "searchTitles")]
    search_titles: Option<Edges>,
}

#[derive(Debug, Deserialize)]
struct Edges {
    #[serde(default)]
    edges: Vec<Option<Edge>>,
}

#[derive(Debug, Deserialize)]
struct Edge {
    node: Option<RawNode>,
}

#[derive(Debug, Deserialize)]
struct OffersData {
    node: Option<OffersNode>,
}

#[derive(Debug, Deserialize)]
struct OffersNode {
    #[serde(default)]
    offers: Option<Vec<Option<RawOffer>>>,
}

impl JustWatchClient {
    /// Builds a client; see [`JustWatchSettings::client`].
    pub fn new(settings: &JustWatchSettings) -> Result<Self> {
        let invalid = |message: String| ProviderError::InvalidConfig {
            service: SERVICE.name,
            message,
        };
        let endpoint = Url::parse(settings.endpoint.trim())
            .ok()
            .filter(|u| !u.cannot_be_a_base() && matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                invalid(format!(
                    "JUSTWATCH_ENDPOINT `{}` is not an http(s) URL (default {})",
                    settings.endpoint,
                    super::DEFAULT_ENDPOINT
                ))
            })?;
        let country = settings.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(invalid(format!(
                "JUSTWATCH_COUNTRY `{}` is not a two-letter ISO 3166-1 code such as IL or US",
                settings.country
            )));
        }
        let language = settings.language.trim().to_lowercase();
        let platform = settings.platform.trim().to_ascii_uppercase();
        if language.is_empty() || platform.is_empty() {
            return Err(invalid(
                "JUSTWATCH_LANGUAGE and JUSTWATCH_PLATFORM must not be blank (defaults en, WEB)"
                    .into(),
            ));
        }
        let http = HttpClient::new(
            SERVICE,
            HttpSettings {
                timeout: settings.timeout,
                requests_per_second: settings.requests_per_second,
                retry: settings.retry,
            },
        )?;
        Ok(JustWatchClient {
            http,
            endpoint,
            country,
            language,
            platform,
        })
    }

    /// The upper-cased country every request asks about (and the sync stores).
    pub fn country(&self) -> &str {
        &self.country
    }

    /// Searches for `title` among `media`'s object type (`TitleSearch`, first 5). Results
    /// without a node or a node id are skipped. A blank title sends no request.
    #[tracing::instrument(name = "justwatch search", level = "debug", skip(self))]
    pub async fn search(&self, title: &str, media: MediaType) -> Result<Vec<Candidate>> {
        let title = title.trim();
        if title.is_empty() {
            return Ok(Vec::new());
        }
        let variables = json!({
            "country": self.country,
            "language": self.language,
            "source": SOURCE,
            "searchQuery": title,
            "first": SEARCH_FIRST,
            "objectTypes": [super::matching::object_type(media)],
        });
        let data: SearchData = self.graphql(TITLE_SEARCH, variables).await?;
        Ok(data
            .search_titles
            .map(|s| s.edges)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .filter_map(|edge| edge.node?.into_candidate())
            .collect())
    }

    /// The normalised offers of node `id` in the client's country and platform
    /// (`TitleOffers`). A missing node or `offers` field means no offers.
    #[tracing::instrument(name = "justwatch offers", level = "debug", skip(self))]
    pub async fn offers(&self, id: &str) -> Result<Vec<Offer>> {
        let variables = json!({
            "id": id,
            "country": self.country,
            "language": self.language,
            "platform": self.platform,
        });
        let data: OffersData = self.graphql(TITLE_OFFERS, variables).await?;
        let raw = data
            .node
            .and_then(|n| n.offers)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        Ok(normalize_offers(raw))
    }

    /// Search, match (see [`super::matching`]) and, on a match, fetch its offers. Either
    /// call failing is an error: "no offers" is only ever reported when JustWatch said so.
    #[tracing::instrument(name = "justwatch resolve", level = "debug", skip(self), fields(title = %query.title))]
    pub async fn resolve(&self, query: &TitleQuery) -> Result<Resolution> {
        let candidates = self.search(&query.title, query.media).await?;
        let Some(best) =
            choose_best_match(&query.title, query.media, query.release_year, &candidates)
        else {
            return Ok(Resolution::NoMatch {
                candidates: candidates.len(),
            });
        };
        let offers = self.offers(&best.id).await?;
        Ok(Resolution::Matched {
            candidate: best.clone(),
            offers,
        })
    }

    /// POSTs one operation and returns its `data` as `T`. A body with a non-empty `errors`
    /// list is [`ProviderError::GraphQl`] with the first message.
    async fn graphql<T: DeserializeOwned>(&self, query: &str, variables: Value) -> Result<T> {
        let body = json!({"query": query, "variables": variables});
        let url = &self.endpoint;
        let response: Value = self
            .http
            .send_json(url, |client| {
                client
                    .post(url.clone())
                    .header(reqwest::header::USER_AGENT, USER_AGENT)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .json(&body)
            })
            .await?;
        let shown = self.http.redact(url);
        if let Some(errors) = response.get("errors").filter(|e| !is_empty(e)) {
            let first: Option<GraphQlError> = errors
                .as_array()
                .and_then(|list| list.first())
                .and_then(|e| serde_json::from_value(e.clone()).ok());
            let message = first
                .and_then(|e| e.message)
                .unwrap_or_else(|| "Unknown error".to_owned());
            return Err(ProviderError::GraphQl {
                service: SERVICE.name,
                url: shown,
                message,
            });
        }
        let data = response.get("data").cloned().unwrap_or(Value::Null);
        let data = if data.is_null() { json!({}) } else { data };
        serde_json::from_value(data).map_err(|e| ProviderError::Decode {
            service: SERVICE.name,
            url: shown,
            message: e.to_string(),
        })
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}
