//! Shaping ranked candidates into the original's response items (23 keys, in its order;
//! internal ranks, vectors and source scores are never sent).

use seen_core::Candidate;
use serde_json::{Map, Value, json};

/// One `/recommend` item.
pub fn item_json(c: &Candidate) -> Value {
    let i = &c.item;
    let mut m = Map::with_capacity(23);
    m.insert("id".into(), json!(i.id));
    m.insert("tmdb_id".into(), json!(i.tmdb_id));
    m.insert("media_type".into(), json!(i.media_type.as_str()));
    m.insert("title".into(), json!(i.title));
    m.insert("overview".into(), json!(i.overview));
    m.insert("poster_url".into(), json!(i.poster_url));
    m.insert("runtime".into(), json!(i.runtime));
    m.insert("original_language".into(), json!(i.original_language));
    // Always a list (the original could send JSON null, which crashed its own UI).
    m.insert("genres".into(), json!(i.genres));
    m.insert("release_year".into(), json!(i.release_year));
    m.insert("collection_id".into(), json!(i.collection_id));
    m.insert("collection_name".into(), json!(i.collection_name));
    m.insert("maturity_rating".into(), json!(i.maturity_rating));
    m.insert("watch_options".into(), json!(c.watch_options));
    m.insert("watch_url".into(), json!(c.watch_url));
    m.insert("popularity".into(), json!(i.popularity));
    m.insert("vote_average".into(), json!(i.vote_average));
    m.insert("vote_count".into(), json!(i.vote_count));
    m.insert("popular_rank".into(), json!(i.popular_rank));
    m.insert("trending_rank".into(), json!(i.trending_rank));
    m.insert("top_rated_rank".into(), json!(i.top_rated_rank));
    m.insert("score".into(), json!(c.score));
    m.insert("explanation".into(), json!(c.explanation));
    Value::Object(m)
}

/// `{"items": [...], "next_cursor"?: "..."}`.
pub fn page_json(items: &[Candidate], next_cursor: Option<&str>) -> Value {
    let mut body = Map::new();
    body.insert(
        "items".into(),
        Value::Array(items.iter().map(item_json).collect()),
    );
    if let Some(cursor) = next_cursor {
        body.insert("next_cursor".into(), json!(cursor));
    }
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use seen_core::item::{Item, MediaType};

    #[test]
    fn an_item_has_exactly_the_original_keys_in_order() {
        let c = Candidate::new(Item::bare(7, MediaType::Movie, "Heat"), None, 3);
        let v = item_json(&c);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "id",
                "tmdb_id",
                "media_type",
                "title",
                "overview",
                "poster_url",
                "runtime",
                "original_language",
                "genres",
                "release_year",
                "collection_id",
                "collection_name",
                "maturity_rating",
                "watch_options",
                "watch_url",
                "popularity",
                "vote_average",
                "vote_count",
                "popular_rank",
                "trending_rank",
                "top_rated_rank",
                "score",
                "explanation"
            ]
        );
        assert_eq!(v["genres"], json!([]));
    }

    #[test]
    fn next_cursor_is_present_only_when_given() {
        assert!(page_json(&[], None).get("next_cursor").is_none());
        assert_eq!(page_json(&[], Some("abc"))["next_cursor"], "abc");
    }
}
