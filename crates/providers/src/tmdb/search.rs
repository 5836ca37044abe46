//! `/search/multi` results reduced to the ids the entity linker hands to the intent parser.

use super::lists::parse_id;
use serde_json::Value;

pub use seen_core::intent::linked::LinkedEntities;

/// Builds the entities from a `/search/multi` body: `results[]` entries whose `media_type`
/// is `movie`, `tv` or `person` and whose `id` is present, order kept. Other kinds (e.g.
/// `collection`) are ignored, as is a body without a `results` list. (A free function: the
/// type lives in `seen_core`, which knows nothing of TMDB's wire format.)
pub fn linked_from_search_response(body: &Value) -> LinkedEntities {
    let mut linked = LinkedEntities::default();
    let Some(results) = body.get("results").and_then(Value::as_array) else {
        return linked;
    };
    for entry in results {
        let Some(id) = entry.get("id").and_then(parse_id) else {
            continue;
        };
        match entry.get("media_type").and_then(Value::as_str) {
            Some("movie") => linked.movie.push(id),
            Some("tv") => linked.tv.push(id),
            Some("person") => linked.person.push(id),
            Some(_) | None => {}
        }
    }
    linked
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_are_grouped_by_kind_in_order() {
        let body = json!({"results": [
            {"id": 157336, "media_type": "movie"},
            {"id": 1, "media_type": "person"},
            {"id": 27205, "media_type": "movie"},
            {"id": 1399, "media_type": "tv"}
        ]});
        let linked = linked_from_search_response(&body);
        assert_eq!(linked.movie, vec![157336, 27205]);
        assert_eq!(linked.tv, vec![1399]);
        assert_eq!(linked.person, vec![1]);
    }

    #[test]
    fn other_kinds_and_entries_without_id_are_ignored() {
        let body = json!({"results": [
            {"id": 10, "media_type": "collection"},
            {"id": null, "media_type": "movie"},
            {"media_type": "tv"},
            {"id": 3}
        ]});
        assert!(linked_from_search_response(&body).is_empty());
    }
}
