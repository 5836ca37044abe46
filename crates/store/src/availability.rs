//! Streaming offers (`availability`): written per title by the JustWatch sync
//! ([`sync_title_offers`], with the lookup recorded in `justwatch_sync`), read by `/watch-link`
//! ([`best_watch_link`]).
//!
//! The original took an arbitrary row (`LIMIT 1`, no `ORDER BY`) with exact, case-sensitive
//! service and country equality, so `service=netflix` never found JustWatch's `nfx` and a
//! title offered both by subscription and for rent could link to either. Here the service
//! matches by alias group, the country ignores case, and the choice is deterministic: the
//! best offer type (see [`OFFER_PREFERENCE`]), then the lowest id, among offers with a URL.

use crate::Result;
use seen_core::item::{ItemId, MediaType};
use seen_core::services::normalize_streaming_services;
use sqlx::{Connection, PgConnection, PgExecutor};

/// An offer's link: the app deeplink, else the web URL (blank counts as missing).
pub const OFFER_URL: &str = "COALESCE(NULLIF(a.deeplink, ''), NULLIF(a.web_url, ''))";

/// Offer types in order of preference for a viewer (subscription first, purchase last).
pub const OFFER_PREFERENCE: &str = "CASE upper(a.offer_type) WHEN 'FLATRATE' THEN 0 WHEN 'FREE' THEN 1 \
    WHEN 'ADS' THEN 2 WHEN 'RENT' THEN 3 WHEN 'BUY' THEN 4 ELSE 5 END";

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

/// Column limits of `availability`: longer values would fail the whole title's write.
const MAX_URL_CHARS: usize = 1024;
const MAX_SERVICE_CHARS: usize = 64;
const MAX_OFFER_TYPE_CHARS: usize = 16;
const MAX_CURRENCY_CHARS: usize = 8;

/// One offer to store for a title and country.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    /// JustWatch package short name (`nfx`).
    pub service: String,
    /// `FLATRATE`, `FREE`, `ADS`, `RENT` or `BUY`.
    pub offer_type: String,
    /// Preferred link (pre-affiliated URL).
    pub deeplink: Option<String>,
    /// Plain web URL.
    pub web_url: Option<String>,
    /// Retail price, for rentals and purchases.
    pub price: Option<f64>,
    /// ISO 4217 currency of `price`.
    pub currency: Option<String>,
}

/// What the sync learnt about a title, recorded in `justwatch_sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Matched JustWatch node `justwatch_id`; its offers are the ones given.
    Matched {
        /// JustWatch node id (`tm92641`).
        justwatch_id: String,
    },
    /// No search result matched: the title has no offers we can vouch for.
    NoMatch,
}

impl SyncOutcome {
    fn label(&self) -> &'static str {
        match self {
            SyncOutcome::Matched { .. } => "matched",
            SyncOutcome::NoMatch => "no_match",
        }
    }

    fn justwatch_id(&self) -> Option<&str> {
        match self {
            SyncOutcome::Matched { justwatch_id } => Some(justwatch_id),
            SyncOutcome::NoMatch => None,
        }
    }
}

/// What [`sync_title_offers`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferChanges {
    /// Offers new for the title and country.
    pub inserted: u64,
    /// Offers already stored, refreshed (URLs, price, `last_checked`).
    pub refreshed: u64,
    /// Stored offers no longer offered, deleted.
    pub removed: u64,
    /// Offers not stored: a repeat of an earlier (service, type), or a blank service or type.
    pub skipped: u64,
}

impl OfferChanges {
    /// Offers written: inserted plus refreshed.
    pub fn written(&self) -> u64 {
        self.inserted + self.refreshed
    }
}

impl std::ops::AddAssign for OfferChanges {
    fn add_assign(&mut self, other: Self) {
        self.inserted += other.inserted;
        self.refreshed += other.refreshed;
        self.removed += other.removed;
        self.skipped += other.skipped;
    }
}

/// The offers as insertable columns: trimmed, one per (service, offer type) — the first
/// wins — and values too long for their column dropped (a cut URL would be a broken link).
struct OfferColumns {
    service: Vec<String>,
    offer_type: Vec<String>,
    deeplink: Vec<Option<String>>,
    web_url: Vec<Option<String>>,
    price: Vec<Option<f64>>,
    currency: Vec<Option<String>>,
    skipped: u64,
}

fn offer_columns(offers: &[NewOffer]) -> OfferColumns {
    let fits = |s: &Option<String>, max: usize| {
        s.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.chars().count() <= max)
            .map(str::to_owned)
    };
    let mut c = OfferColumns {
        service: Vec::new(),
        offer_type: Vec::new(),
        deeplink: Vec::new(),
        web_url: Vec::new(),
        price: Vec::new(),
        currency: Vec::new(),
        skipped: 0,
    };
    for o in offers {
        let service = o.service.trim().to_owned();
        let offer_type = o.offer_type.trim().to_uppercase();
        let usable = !service.is_empty()
            && service.chars().count() <= MAX_SERVICE_CHARS
            && !offer_type.is_empty()
            && offer_type.chars().count() <= MAX_OFFER_TYPE_CHARS;
        let repeat = c
            .service
            .iter()
            .zip(&c.offer_type)
            .any(|(s, t)| *s == service && *t == offer_type);
        if !usable || repeat {
            c.skipped += 1;
            continue;
        }
        c.service.push(service);
        c.offer_type.push(offer_type);
        c.deeplink.push(fits(&o.deeplink, MAX_URL_CHARS));
        c.web_url.push(fits(&o.web_url, MAX_URL_CHARS));
        c.price.push(o.price.filter(|p| p.is_finite()));
        c.currency.push(fits(&o.currency, MAX_CURRENCY_CHARS));
    }
    c
}

/// Makes `item_id`'s stored offers in `country` exactly `offers`, and records the lookup,
/// all in ONE transaction (a savepoint when `conn` is already in one): upsert every offer on
/// `uq_availability_offer` (item, country, service, offer type), refreshing `last_checked`;
/// delete the title's rows in that country no longer offered (any case of the country, so
/// rows an older writer stored in lower case go too); upsert `justwatch_sync`. Either all of
/// it is committed or none of it.
///
/// The country is trimmed and upper-cased. An empty `offers` removes every stored offer.
#[tracing::instrument(name = "sync title offers", skip(conn, offers), fields(n = offers.len()))]
pub async fn sync_title_offers(
    conn: &mut PgConnection,
    item_id: ItemId,
    country: &str,
    offers: &[NewOffer],
    outcome: &SyncOutcome,
) -> Result<OfferChanges> {
    let country = country.trim().to_uppercase();
    let c = offer_columns(offers);
    let mut tx = conn.begin().await?;
    // language=PostgreSQL
    let inserted: Vec<bool> = sqlx::query_scalar(
        r#"
        INSERT INTO availability AS a
            (item_id, country, service, offer_type, deeplink, web_url, price, currency, last_checked)
        SELECT $1, $2, o.service, o.offer_type, o.deeplink, o.web_url, o.price, o.currency, now()
        FROM UNNEST($3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[])
             AS o(service, offer_type, deeplink, web_url, price, currency)
        ON CONFLICT ON CONSTRAINT uq_availability_offer DO UPDATE
        SET deeplink = EXCLUDED.deeplink, web_url = EXCLUDED.web_url, price = EXCLUDED.price,
            currency = EXCLUDED.currency, last_checked = EXCLUDED.last_checked
        RETURNING (xmax = 0)
        "#,
    )
    .bind(item_id)
    .bind(&country)
    .bind(&c.service)
    .bind(&c.offer_type)
    .bind(&c.deeplink)
    .bind(&c.web_url)
    .bind(&c.price)
    .bind(&c.currency)
    .fetch_all(&mut *tx)
    .await?;
    // language=PostgreSQL
    let removed = sqlx::query(
        r#"
        DELETE FROM availability AS a
        WHERE a.item_id = $1 AND upper(btrim(a.country)) = $2
          AND (a.country <> $2 OR NOT EXISTS (
              SELECT 1 FROM UNNEST($3::text[], $4::text[]) AS o(service, offer_type)
              WHERE o.service = a.service AND o.offer_type = a.offer_type))
        "#,
    )
    .bind(item_id)
    .bind(&country)
    .bind(&c.service)
    .bind(&c.offer_type)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // language=PostgreSQL
    sqlx::query(
        r#"
        INSERT INTO justwatch_sync (item_id, country, outcome, justwatch_id, synced_at)
        VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (item_id, country) DO UPDATE
        SET outcome = EXCLUDED.outcome, justwatch_id = EXCLUDED.justwatch_id,
            synced_at = EXCLUDED.synced_at
        "#,
    )
    .bind(item_id)
    .bind(&country)
    .bind(outcome.label())
    .bind(outcome.justwatch_id())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let new = inserted.iter().filter(|i| **i).count() as u64;
    Ok(OfferChanges {
        inserted: new,
        refreshed: inserted.len() as u64 - new,
        removed,
        skipped: c.skipped,
    })
}

/// A catalog title the JustWatch sync looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncTitle {
    /// `items.id`.
    pub item_id: ItemId,
    /// Movie or TV.
    pub media_type: MediaType,
    /// `items.title`.
    pub title: String,
    /// `items.release_year`.
    pub release_year: Option<i32>,
}

/// Titles (non-blank title) not looked up in `country` within the last `stale_after_hours`
/// hours (0: every title): never-synced ones first, then the longest ago, then by id; at
/// most `limit` of them.
pub async fn titles_to_sync(
    db: impl PgExecutor<'_>,
    country: &str,
    stale_after_hours: u32,
    limit: Option<u64>,
) -> Result<Vec<SyncTitle>> {
    // language=PostgreSQL
    let rows: Vec<(ItemId, String, String, Option<i32>)> = sqlx::query_as(
        r#"
        SELECT i.id, i.media_type, i.title, i.release_year
        FROM items i
        LEFT JOIN justwatch_sync s ON s.item_id = i.id AND s.country = upper(btrim($1))
        WHERE btrim(i.title) <> ''
          AND (s.synced_at IS NULL OR s.synced_at <= now() - make_interval(hours => $2))
        ORDER BY s.synced_at ASC NULLS FIRST, i.id
        LIMIT $3
        "#,
    )
    .bind(country)
    .bind(i32::try_from(stale_after_hours).unwrap_or(i32::MAX))
    .bind(limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX)))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(item_id, media, title, release_year)| {
            Some(SyncTitle {
                item_id,
                media_type: MediaType::parse(&media)?,
                title,
                release_year,
            })
        })
        .collect())
}

/// How many titles were looked up in `country` within the last `hours` hours.
pub async fn count_fresh(db: impl PgExecutor<'_>, country: &str, hours: u32) -> Result<u64> {
    if hours == 0 {
        return Ok(0);
    }
    // language=PostgreSQL
    let n: i64 = sqlx::query_scalar(
        r#"
        SELECT count(*) FROM justwatch_sync
        WHERE country = upper(btrim($1)) AND synced_at > now() - make_interval(hours => $2)
        "#,
    )
    .bind(country)
    .bind(i32::try_from(hours).unwrap_or(i32::MAX))
    .fetch_one(db)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
