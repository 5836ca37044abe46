//! Reading streaming offers (`availability`, written by the JustWatch sync) for `/watch-link`.
//!
//! The original took an arbitrary row (`LIMIT 1`, no `ORDER BY`) with exact, case-sensitive
//! service and country equality, so `service=netflix` never found JustWatch's `nfx` and a
//! title offered both by subscription and for rent could link to either. Here the service
//! matches by alias group, the country ignores case, and the choice is deterministic: the
//! best offer type (see [`OFFER_PREFERENCE`]), then the lowest id, among offers with a URL.

use crate::Result;
use crate::recommend::OFFER_PREFERENCE;
use seen_core::item::ItemId;
use seen_core::services::normalize_streaming_services;
use sqlx::PgExecutor;

/// The offer `/watch-link` redirects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchLink {
    /// The service as stored (e.g. `nfx`).
    pub service: String,
    /// The offer type as stored (e.g. `FLATRATE`).
    pub offer_type: String,
    /// The deeplink when non-empty, else the web URL.
    pub url: String,
}

/// The best offer with a URL for `item_id` on `service` (any alias of its group, or the exact
/// name, ignoring case, for a service outside the alias table) in `country` (ignoring case).
#[tracing::instrument(name = "watch link", skip(db))]
pub async fn best_watch_link(
    db: impl PgExecutor<'_>,
    item_id: ItemId,
    service: &str,
    country: &str,
) -> Result<Option<WatchLink>> {
    // Lower-cased spellings of the service's whole alias group (`netflix` → netflix, nfx).
    let spellings = normalize_streaming_services(&[service.to_owned()]);
    if spellings.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        r#"
        SELECT a.service, a.offer_type,
               COALESCE(NULLIF(a.deeplink, ''), NULLIF(a.web_url, '')) AS url
        FROM availability a
        WHERE a.item_id = $1
          AND upper(a.country) = upper(btrim($2))
          AND lower(btrim(a.service)) = ANY($3)
          AND COALESCE(NULLIF(a.deeplink, ''), NULLIF(a.web_url, '')) IS NOT NULL
        ORDER BY {OFFER_PREFERENCE}, a.id
        LIMIT 1
        "#
    );
    // Only a compile-time constant is interpolated above; every value is a bind parameter.
    let row: Option<(String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(item_id)
        .bind(country)
        .bind(&spellings)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(service, offer_type, url)| WatchLink {
        service,
        offer_type,
        url,
    }))
}
