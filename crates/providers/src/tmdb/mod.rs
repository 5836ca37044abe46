//! TMDB v3 client: list pages, title details (credits, keywords and certifications appended in
//! one call), and the `/search/multi` reading the entity linker uses (`get` + [`linked_from_search_response`]).
//!
//! Build it from [`TmdbSettings`]: `TmdbSettings::new(key).client()?`. A v3 API key travels as
//! the `api_key` query parameter, a v4 read access token (a JWT) as `Authorization: Bearer`;
//! neither ever appears in logs or errors.

mod client;
mod lists;
mod search;
mod settings;

pub use client::TmdbClient;
pub use lists::{ListKind, ListPage};
pub use search::{LinkedEntities, linked_from_search_response};
pub use settings::{DEFAULT_BASE_URL, TmdbAuth, TmdbSettings};
