//! JustWatch GraphQL client: find a catalog title on JustWatch, then read its offers.
//!
//! Two operations, the original's (`TitleSearch`, `TitleOffers`, see [`queries`]), sent as
//! `POST {endpoint}` with `{"query", "variables"}` through the shared [`crate::http`] loop, so
//! they get the rate limit, the per-request timeout and retries with backoff on 429, 5xx,
//! timeouts and dropped connections. A 2xx whose body carries GraphQL `errors` is
//! [`crate::ProviderError::GraphQl`] and is not retried.
//!
//! [`JustWatchClient::resolve`] is what the sync calls: search by title (filtered to the
//! title's media type), pick a match with the rule in [`matching`] (a title match is
//! required, years more than one apart are refused, ties go to the earliest candidate in
//! JustWatch's order), then fetch and normalise that node's offers ([`offers`]). Unlike the
//! original, a failed offers call is an error rather than "no offers", so the sync can tell
//! "the title has no offers" (delete its rows) from "we could not ask" (keep them).

mod client;
pub mod matching;
pub mod offers;
pub mod queries;
mod settings;

pub use client::{JustWatchClient, Resolution, TitleQuery};
pub use matching::{Candidate, choose_best_match};
pub use offers::{Offer, OfferType};
pub use settings::{DEFAULT_ENDPOINT, JustWatchSettings};
