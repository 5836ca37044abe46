//! Linked entities: the TMDB ids a free-text query mentions (from `/search/multi`), which
//! the intent prompt shows the LLM, which key the intent cache, and which hint media types.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::item::MediaType;

/// TMDB ids a free-text query mentions, by kind, in TMDB's relevance order
/// (`{"movie": [...], "tv": [...], "person": [...]}` on the wire and in prompts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedEntities {
    /// Movie ids.
    #[serde(default)]
    pub movie: Vec<i64>,
    /// TV show ids.
    #[serde(default)]
    pub tv: Vec<i64>,
    /// Person ids (actors, directors, ...).
    #[serde(default)]
    pub person: Vec<i64>,
}

impl LinkedEntities {
    /// True when nothing was linked.
    pub fn is_empty(&self) -> bool {
        self.movie.is_empty() && self.tv.is_empty() && self.person.is_empty()
    }

    /// The intent-cache component: the SHA-256 hex of the sorted-key JSON (Python
    /// separators, as the original hashed it), or `""` when nothing was linked.
    pub fn hash_key(&self) -> String {
        if self.is_empty() {
            return String::new();
        }
        let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let text = format!(
            r#"{{"movie": [{}], "person": [{}], "tv": [{}]}}"#,
            ids(&self.movie),
            ids(&self.person),
            ids(&self.tv)
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    /// Media types the linked titles hint at: `tv` first, then `movie` (the original's
    /// order), each when at least one such title was linked.
    pub fn media_hints(&self) -> Vec<MediaType> {
        let mut hints = Vec::new();
        if !self.tv.is_empty() {
            hints.push(MediaType::Tv);
        }
        if !self.movie.is_empty() {
            hints.push(MediaType::Movie);
        }
        hints
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn linked(movie: &[i64], tv: &[i64], person: &[i64]) -> LinkedEntities {
        LinkedEntities {
            movie: movie.to_vec(),
            tv: tv.to_vec(),
            person: person.to_vec(),
        }
    }

    #[test]
    fn nothing_linked_hashes_to_the_empty_string() {
        assert_eq!(LinkedEntities::default().hash_key(), "");
    }

    #[test]
    fn the_hash_is_sha256_of_the_sorted_key_python_json() {
        let text = r#"{"movie": [27205], "person": [], "tv": [1399, 2]}"#;
        let expected = hex::encode(Sha256::digest(text.as_bytes()));
        assert_eq!(linked(&[27205], &[1399, 2], &[]).hash_key(), expected);
        assert_eq!(expected.len(), 64);
    }

    #[test]
    fn different_entities_hash_differently() {
        assert_ne!(
            linked(&[1], &[], &[]).hash_key(),
            linked(&[], &[1], &[]).hash_key()
        );
    }

    #[test]
    fn tv_hints_come_before_movie_hints() {
        assert_eq!(
            linked(&[1], &[2], &[]).media_hints(),
            vec![MediaType::Tv, MediaType::Movie]
        );
        assert!(linked(&[], &[], &[3]).media_hints().is_empty());
    }

    #[test]
    fn it_serialises_with_the_three_keys() {
        assert_eq!(
            serde_json::to_value(linked(&[1], &[], &[2])).expect("serialisable"),
            json!({"movie": [1], "tv": [], "person": [2]})
        );
    }
}
