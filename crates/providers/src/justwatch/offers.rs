//! JustWatch offers → the rows `availability` stores.
//!
//! Per offer (spec §4.4): the service is `package.shortName` (trimmed, lower-cased), else the
//! `packageId`; the deeplink is `preAffiliatedStandardWebURL`, else `standardWebURL`; the web
//! URL the other way round. `monetizationType` maps to [`OfferType`]; types we do not show
//! (`CINEMA`, unknown ones) are dropped, as are offers without a service.
//!
//! `availability` is unique per (item, country, service, offer type), while JustWatch lists
//! one offer per presentation (SD, HD, 4K). Of those duplicates we keep, deterministically,
//! the one with a URL, then the lowest price, then the first listed. Services are stored as
//! JustWatch names them (`nfx`); readers expand alias groups with
//! `seen_core::services::normalize_streaming_services`, so `netflix` still finds `nfx`.

use serde::Deserialize;

/// How a title is offered, in the order a viewer prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OfferType {
    /// Included in a subscription (`FLATRATE`, `FLATRATE_AND_BUY`).
    Flatrate,
    /// Free, no ads (`FREE`).
    Free,
    /// Free with ads (`ADS`, `FAST`).
    Ads,
    /// Rental (`RENT`).
    Rent,
    /// Purchase (`BUY`).
    Buy,
}

impl OfferType {
    /// Maps a JustWatch `monetizationType` (any case); `None` for types we do not store.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "FLATRATE" | "FLATRATE_AND_BUY" => Some(OfferType::Flatrate),
            "FREE" => Some(OfferType::Free),
            "ADS" | "FAST" => Some(OfferType::Ads),
            "RENT" => Some(OfferType::Rent),
            "BUY" => Some(OfferType::Buy),
            _ => None,
        }
    }

    /// The spelling stored in `availability.offer_type` (`FLATRATE`, `FREE`, `ADS`, `RENT`,
    /// `BUY`), which the readers' offer preference orders on.
    pub fn as_db_str(self) -> &'static str {
        match self {
            OfferType::Flatrate => "FLATRATE",
            OfferType::Free => "FREE",
            OfferType::Ads => "ADS",
            OfferType::Rent => "RENT",
            OfferType::Buy => "BUY",
        }
    }

    /// The lower-case name (`flatrate`, `rent`, ...), for logs and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferType::Flatrate => "flatrate",
            OfferType::Free => "free",
            OfferType::Ads => "ads",
            OfferType::Rent => "rent",
            OfferType::Buy => "buy",
        }
    }
}

impl std::fmt::Display for OfferType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One normalised offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// JustWatch package short name, lower-cased (`nfx`), else the package id.
    pub service: String,
    /// Subscription, rental, ...
    pub offer_type: OfferType,
    /// Pre-affiliated URL, else the standard web URL.
    pub deeplink: Option<String>,
    /// Standard web URL, else the pre-affiliated one.
    pub web_url: Option<String>,
    /// `retailPriceValue`, for rentals and purchases.
    pub price: Option<f64>,
    /// ISO 4217 currency of `price`.
    pub currency: Option<String>,
}

/// The wire shape of one offer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawOffer {
    monetization_type: Option<String>,
    #[serde(rename = "standardWebURL")]
    standard_web_url: Option<String>,
    #[serde(rename = "preAffiliatedStandardWebURL")]
    pre_affiliated_standard_web_url: Option<String>,
    retail_price_value: Option<f64>,
    currency: Option<String>,
    package: Option<RawPackage>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawPackage {
    package_id: Option<i64>,
    short_name: Option<String>,
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl RawOffer {
    fn normalize(self) -> Option<Offer> {
        let offer_type = OfferType::parse(self.monetization_type.as_deref()?)?;
        let package = self.package?;
        let service = non_blank(package.short_name)
            .map(|s| s.to_lowercase())
            .or_else(|| package.package_id.map(|id| id.to_string()))?;
        let standard = non_blank(self.standard_web_url);
        let affiliated = non_blank(self.pre_affiliated_standard_web_url);
        Some(Offer {
            service,
            offer_type,
            deeplink: affiliated.clone().or_else(|| standard.clone()),
            web_url: standard.or(affiliated),
            price: self
                .retail_price_value
                .filter(|p| p.is_finite() && *p >= 0.0),
            currency: non_blank(self.currency).map(|c| c.to_uppercase()),
        })
    }
}

/// Normalises `raw` (null entries already skipped) and keeps one offer per (service, type),
/// in first-seen order (see the module doc for which duplicate wins).
pub(crate) fn normalize_offers(raw: Vec<RawOffer>) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    for offer in raw.into_iter().filter_map(RawOffer::normalize) {
        match out
            .iter_mut()
            .find(|o| o.service == offer.service && o.offer_type == offer.offer_type)
        {
            Some(kept) if better(&offer, kept) => *kept = offer,
            Some(_) => {}
            None => out.push(offer),
        }
    }
    out
}

/// True when `new` should replace `kept`: it has a URL and `kept` has none, or both agree on
/// that and `new` is cheaper.
fn better(new: &Offer, kept: &Offer) -> bool {
    let has_url = |o: &Offer| o.deeplink.is_some() || o.web_url.is_some();
    match (has_url(new), has_url(kept)) {
        (true, false) => true,
        (false, true) => false,
        (true, true) | (false, false) => match (new.price, kept.price) {
            (Some(a), Some(b)) => a < b,
            (Some(_), None) | (None, Some(_)) | (None, None) => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn offers(raw: Value) -> Vec<Offer> {
        let raw: Vec<RawOffer> = serde_json::from_value(raw).expect("offer JSON");
        normalize_offers(raw)
    }

    fn offer(
        kind: &str,
        short: Option<&str>,
        id: i64,
        url: Option<&str>,
        price: Option<f64>,
    ) -> Value {
        json!({
            "monetizationType": kind, "presentationType": "HD",
            "standardWebURL": url, "preAffiliatedStandardWebURL": null,
            "retailPriceValue": price, "currency": "ils",
            "package": {"packageId": id, "shortName": short, "clearName": "X"}
        })
    }

    #[test]
    fn monetization_types_map_to_the_five_offer_types() {
        assert_eq!(OfferType::parse("flatrate"), Some(OfferType::Flatrate));
        assert_eq!(OfferType::parse("FAST"), Some(OfferType::Ads));
        assert_eq!(OfferType::parse(" Rent "), Some(OfferType::Rent));
        assert_eq!(OfferType::parse("CINEMA"), None);
        assert_eq!(OfferType::Buy.as_db_str(), "BUY");
    }

    #[test]
    fn urls_fall_back_to_each_other_and_the_short_name_is_lower_cased() {
        let got = offers(json!([{
            "monetizationType": "FLATRATE",
            "standardWebURL": "https://www.netflix.com/title/1",
            "preAffiliatedStandardWebURL": "https://aff.test/1",
            "package": {"packageId": 8, "shortName": " NFX "}
        }, {
            "monetizationType": "FREE",
            "standardWebURL": "",
            "preAffiliatedStandardWebURL": "https://aff.test/2",
            "package": {"packageId": 9, "shortName": "kan"}
        }]));
        assert_eq!(got[0].service, "nfx");
        assert_eq!(got[0].deeplink.as_deref(), Some("https://aff.test/1"));
        assert_eq!(
            got[0].web_url.as_deref(),
            Some("https://www.netflix.com/title/1")
        );
        assert_eq!(got[1].deeplink.as_deref(), Some("https://aff.test/2"));
        assert_eq!(got[1].web_url.as_deref(), Some("https://aff.test/2"));
    }

    #[test]
    fn the_package_id_stands_in_for_a_missing_short_name() {
        let got = offers(json!([offer(
            "BUY",
            None,
            350,
            Some("https://u"),
            Some(9.9)
        )]));
        assert_eq!(got[0].service, "350");
        assert_eq!(got[0].currency.as_deref(), Some("ILS"));
    }

    #[test]
    fn offers_without_service_or_with_an_unknown_type_are_dropped() {
        let got = offers(json!([
            {"monetizationType": "RENT", "package": {"packageId": null, "shortName": ""}},
            {"monetizationType": "RENT"},
            offer("CINEMA", Some("cin"), 1, Some("https://u"), None),
            {"package": {"packageId": 3, "shortName": "amp"}}
        ]));
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn presentation_duplicates_collapse_to_the_cheapest_offer_with_a_url() {
        let got = offers(json!([
            offer("RENT", Some("itu"), 2, None, Some(1.0)),
            offer("RENT", Some("itu"), 2, Some("https://itu/4k"), Some(19.9)),
            offer("RENT", Some("itu"), 2, Some("https://itu/sd"), Some(9.9)),
            offer("BUY", Some("itu"), 2, Some("https://itu/buy"), Some(49.9)),
        ]));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].web_url.as_deref(), Some("https://itu/sd"));
        assert_eq!(got[0].price, Some(9.9));
        assert_eq!(got[1].offer_type, OfferType::Buy);
    }
}
