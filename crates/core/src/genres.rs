//! Genre names: the canonical TMDB list and reading names out of raw `genres` JSON.

use crate::item::Genre;
use serde_json::Value;

/// The 19 canonical TMDB genres, in the original's order. The rule parser maps utterances
/// onto these, and the LLM prompt offers them when the catalog cannot list its own.
pub const CANONICAL_GENRES: [&str; 19] = [
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "TV Movie",
    "Thriller",
    "War",
    "Western",
];

/// Genre names from a raw `genres` value, trimmed, blanks dropped, in order.
///
/// Accepts a list of `{"name": ..}` objects or strings, a single such object, or a single
/// string; anything else (including `null`) gives no names. Names are trimmed; blank ones
/// are skipped.
pub fn genre_names_from_json(value: &Value) -> Vec<String> {
    genres_from_json(value)
        .into_iter()
        .map(|g| g.name)
        .collect()
}

/// A profile's genre shares (`users.genre_prefs`, `{"Drama": 0.4, ...}`) as pairs, in the
/// object's order; entries whose share is not a number are skipped, anything but an object
/// gives none.
pub fn genre_shares_from_json(value: &Value) -> Vec<(String, f64)> {
    value
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(g, w)| Some((g.clone(), w.as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Like [`genre_names_from_json`], keeping TMDB's genre ids where the JSON has them.
pub fn genres_from_json(value: &Value) -> Vec<Genre> {
    fn one(value: &Value) -> Option<Genre> {
        let (name, id) = match value {
            Value::Object(map) => (
                map.get("name")?.as_str()?,
                map.get("id").and_then(Value::as_i64),
            ),
            Value::String(s) => (s.as_str(), None),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => return None,
        };
        let name = name.trim();
        (!name.is_empty()).then(|| Genre {
            id,
            name: name.to_owned(),
        })
    }
    if let Value::Array(list) = value {
        list.iter().filter_map(one).collect()
    } else {
        one(value).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn there_are_nineteen_canonical_genres_starting_with_action() {
        assert_eq!(CANONICAL_GENRES.len(), 19);
        assert_eq!(CANONICAL_GENRES[0], "Action");
        assert!(CANONICAL_GENRES.contains(&"Science Fiction"));
    }

    #[test]
    fn a_list_of_objects_and_strings_gives_every_name_trimmed() {
        let raw = json!([{"id": 18, "name": " Drama "}, "Comedy", {"id": 1}, "  ", 7]);
        assert_eq!(genre_names_from_json(&raw), vec!["Drama", "Comedy"]);
    }

    #[test]
    fn a_single_object_or_string_gives_one_name() {
        assert_eq!(genre_names_from_json(&json!({"name": "War"})), vec!["War"]);
        assert_eq!(genre_names_from_json(&json!("Music")), vec!["Music"]);
    }

    #[test]
    fn null_gives_no_names() {
        assert!(genre_names_from_json(&Value::Null).is_empty());
        assert!(genre_names_from_json(&json!(42)).is_empty());
    }

    #[test]
    fn genre_shares_keep_numbers_only() {
        let shares = genre_shares_from_json(&json!({"Drama": 0.5, "Crime": "x", "War": 1}));
        assert_eq!(
            shares,
            vec![("Drama".to_owned(), 0.5), ("War".to_owned(), 1.0)]
        );
        assert!(genre_shares_from_json(&json!([1, 2])).is_empty());
    }
}
