//! `movie` / `tv` on the wire, in requests and responses, with its OpenAPI schema.

use seen_core::item::MediaType;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Movie or TV show (TMDB keeps a separate id space for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = MediaType)]
pub enum WireMediaType {
    Movie,
    Tv,
}

impl From<MediaType> for WireMediaType {
    fn from(m: MediaType) -> Self {
        match m {
            MediaType::Movie => WireMediaType::Movie,
            MediaType::Tv => WireMediaType::Tv,
        }
    }
}

impl From<WireMediaType> for MediaType {
    fn from(m: WireMediaType) -> Self {
        match m {
            WireMediaType::Movie => MediaType::Movie,
            WireMediaType::Tv => MediaType::Tv,
        }
    }
}
