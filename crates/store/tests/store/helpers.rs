//! Builders shared by the store tests.

use seen_core::catalog::{NewItem, map_tmdb_detail};
use seen_core::item::MediaType;
use serde_json::json;

/// A title with only a key, a title and a popularity; everything else unknown.
pub fn new_item(media: MediaType, tmdb_id: i32, title: &str, popularity: f64) -> NewItem {
    map_tmdb_detail(
        &json!({"id": tmdb_id, "title": title, "popularity": popularity}),
        Some(media),
    )
    .expect("a minimal payload maps")
}
