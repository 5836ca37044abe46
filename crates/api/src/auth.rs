//! Optional bearer-token protection for a server reachable from a household network.
//!
//! With `API_TOKEN` unset nothing changes (wire-compatible with the original). With it set,
//! every request that writes (any method other than GET, HEAD and OPTIONS: `/user/history`,
//! `/feedback`, `/user/import` and any endpoint added later, without a list to keep up to date)
//! needs `Authorization: Bearer <token>`. The one exception is `/webhooks/*`: Plex and Jellyfin
//! cannot send a bearer header, so those endpoints require `WEBHOOK_TOKEN` themselves. With `API_TOKEN_READS=1` the API's reads need it
//! too, except what carries no personal data and must stay reachable by tools and plain links:
//! health, metrics, the OpenAPI document and its page, `/watch-link` (opened as a plain link)
//! and the UI's own files (the UI asks for the token when a call gets 401).
//!
//! Tokens are compared as SHA-256 digests in constant time, so neither the content nor the
//! length of the configured token leaks through timing; the token is never logged.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Who may call what; built once from the settings.
#[derive(Clone, Default)]
pub struct AccessPolicy {
    token_digest: Option<[u8; 32]>,
    protect_reads: bool,
}

/// API reads that stay open even with `API_TOKEN_READS=1` (see the module doc).
const OPEN_READ_PREFIXES: &[&str] = &[
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs",
    "/openapi.json",
    "/watch-link/",
];

/// The media-server webhooks, which authenticate with `WEBHOOK_TOKEN` instead.
const WEBHOOK_PREFIX: &str = "/webhooks/";

/// Paths of API reads (everything else a GET reaches is the UI's static files).
const API_READ_PREFIXES: &[&str] = &["/recommend", "/debug/", "/titles/", "/user/"];

impl AccessPolicy {
    /// The policy for `token` (blank counts as unset) and the reads switch.
    pub fn new(token: Option<&SecretString>, protect_reads: bool) -> Self {
        let token_digest = token
            .map(|t| t.expose_secret().trim())
            .filter(|t| !t.is_empty())
            .map(|t| Sha256::digest(t.as_bytes()).into());
        AccessPolicy {
            token_digest,
            protect_reads,
        }
    }

    /// Whether a request with this method and path must show the token.
    fn requires_token(&self, method: &Method, path: &str) -> bool {
        if self.token_digest.is_none() || method == Method::OPTIONS {
            return false;
        }
        // Media servers cannot send a bearer header: webhooks check WEBHOOK_TOKEN themselves.
        if path.starts_with(WEBHOOK_PREFIX) {
            return false;
        }
        let reads = method == Method::GET || method == Method::HEAD;
        if !reads {
            return true;
        }
        self.protect_reads
            && !OPEN_READ_PREFIXES.iter().any(|p| path.starts_with(p))
            && API_READ_PREFIXES.iter().any(|p| path.starts_with(p))
    }

    /// Whether the `Authorization` header value carries the configured token.
    fn accepts(&self, authorization: Option<&str>) -> bool {
        let Some(expected) = &self.token_digest else {
            return true;
        };
        let Some(given) = authorization.and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        }) else {
            return false;
        };
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        given.ct_eq(expected).into()
    }
}

/// Middleware: answers 401 with a JSON `detail` when the policy wants a token it did not get.
pub async fn require_token(
    State(policy): State<Arc<AccessPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    if policy.requires_token(request.method(), request.uri().path()) {
        let authorization = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if !policy.accepts(authorization) {
            metrics::counter!("seenemall_auth_rejected_total").increment(1);
            let msg = if authorization.is_some() {
                "Invalid bearer token"
            } else {
                "This endpoint needs `Authorization: Bearer <API_TOKEN>`"
            };
            return ApiError::Unauthorized(msg.into()).into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(reads: bool) -> AccessPolicy {
        AccessPolicy::new(Some(&SecretString::from("s3cret")), reads)
    }

    #[test]
    fn without_a_token_nothing_is_protected() {
        let open = AccessPolicy::new(None, true);
        assert!(!open.requires_token(&Method::POST, "/user/history"));
        let blank = AccessPolicy::new(Some(&SecretString::from("  ")), true);
        assert!(!blank.requires_token(&Method::POST, "/feedback"));
    }

    #[test]
    fn writes_need_the_token_and_reads_stay_open_by_default() {
        let p = policy(false);
        assert!(p.requires_token(&Method::POST, "/user/history"));
        assert!(p.requires_token(&Method::POST, "/anything/new"));
        assert!(!p.requires_token(&Method::GET, "/recommend"));
        assert!(!p.requires_token(&Method::OPTIONS, "/user/history"));
    }

    #[test]
    fn protected_reads_leave_health_docs_links_and_the_ui_open() {
        let p = policy(true);
        assert!(p.requires_token(&Method::GET, "/recommend"));
        assert!(p.requires_token(&Method::GET, "/debug/recommend"));
        assert!(p.requires_token(&Method::GET, "/titles/search"));
        for open in [
            "/healthz",
            "/metrics",
            "/openapi.json",
            "/watch-link/3",
            "/",
            "/assets/a.js",
        ] {
            assert!(!p.requires_token(&Method::GET, open), "{open}");
        }
    }

    #[test]
    fn webhooks_are_left_to_their_own_token() {
        let p = policy(true);
        assert!(!p.requires_token(&Method::POST, "/webhooks/plex"));
        assert!(!p.requires_token(&Method::POST, "/webhooks/jellyfin"));
        assert!(p.requires_token(&Method::POST, "/user/import"));
    }

    #[test]
    fn only_the_exact_token_is_accepted() {
        let p = policy(false);
        assert!(p.accepts(Some("Bearer s3cret")));
        assert!(!p.accepts(Some("Bearer s3cret2")));
        assert!(!p.accepts(Some("Basic s3cret")));
        assert!(!p.accepts(Some("s3cret")));
        assert!(!p.accepts(None));
    }
}
