//! Pagination cursors (spec §4.22).
//!
//! A cursor is the URL-safe base64 (no padding) of a small JSON object. The original wrote
//! `{"rank": N}` (Python's `json.dumps` spacing); we write the same bytes, so cursors stay
//! interchangeable. [`PageCursor`] adds an optional `"key"`: the hash of the cached ranking
//! the page was cut from, so page 2 slices the same list as page 1 instead of re-ranking
//! (spec §10.2). Decoders accept both forms, compact or spaced JSON, with or without
//! padding, in the URL-safe or the standard alphabet.
//!
//! Differences from the original: the rank must be a JSON integer ≥ 0 (the original also
//! took `"5"` and truncated `5.7`), and characters outside the base64 alphabets are
//! rejected rather than silently dropped.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use std::ops::Range;

/// Longest cursor we try to decode; real ones are well under 200 characters.
const MAX_CURSOR_LEN: usize = 1024;

/// Why a cursor was rejected. Clients only ever see "Invalid cursor".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    /// The cursor is too long to be one of ours.
    #[error("cursor is longer than {MAX_CURSOR_LEN} characters")]
    TooLong,
    /// The cursor is not base64 in either alphabet.
    #[error("cursor is not base64")]
    NotBase64,
    /// The decoded bytes are not a JSON object.
    #[error("cursor is not a JSON object")]
    NotJson,
    /// `rank` is missing, negative or not an integer.
    #[error("cursor has no non-negative integer `rank`")]
    BadRank,
    /// `key` is present but not a string.
    #[error("cursor `key` is not a string")]
    BadKey,
}

/// A cursor that may also name the cached ranking it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor {
    /// Index of the first item of the page.
    pub rank: usize,
    /// Hash of the cache key of the full ranking; `None` for stateless cursors.
    pub key: Option<String>,
}

impl PageCursor {
    /// `{"rank": N}` or `{"rank": N, "key": "..."}`, URL-safe base64 without padding.
    pub fn encode(&self) -> String {
        let json = match &self.key {
            None => format!("{{\"rank\": {}}}", self.rank),
            Some(key) => format!(
                "{{\"rank\": {}, \"key\": {}}}",
                self.rank,
                Value::from(key.as_str())
            ),
        };
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Decodes a cursor written by [`PageCursor::encode`] (with or without a key) or the
    /// original service. A `null` key counts as absent.
    pub fn parse(raw: &str) -> Result<Self, CursorError> {
        let raw = raw.trim();
        if raw.len() > MAX_CURSOR_LEN {
            return Err(CursorError::TooLong);
        }
        // Accept the standard alphabet and any padding by mapping onto URL-safe, unpadded.
        let normalised: String = raw
            .trim_end_matches('=')
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                other => other,
            })
            .collect();
        let bytes = URL_SAFE_NO_PAD
            .decode(normalised)
            .map_err(|_| CursorError::NotBase64)?;
        let payload: Value = serde_json::from_slice(&bytes).map_err(|_| CursorError::NotJson)?;
        let object = payload.as_object().ok_or(CursorError::NotJson)?;
        let rank = object
            .get("rank")
            .and_then(Value::as_u64)
            .and_then(|r| usize::try_from(r).ok())
            .ok_or(CursorError::BadRank)?;
        let key = match object.get("key") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(CursorError::BadKey),
        };
        Ok(PageCursor { rank, key })
    }
}

/// One page cut from a ranked list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Indexes of the page's items; empty when `start` is past the end.
    pub range: Range<usize>,
    /// Rank for `next_cursor`, present only when items remain after this page.
    pub next_rank: Option<usize>,
}

/// The page of `limit` items starting at `start` in a list of `total`.
pub fn page(start: usize, limit: usize, total: usize) -> Page {
    let begin = start.min(total);
    let end = start.saturating_add(limit).min(total);
    let next = start.saturating_add(limit);
    Page {
        range: begin..end,
        next_rank: (next < total).then_some(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The legacy stateless cursor (the original's): just the rank of the next page.
    struct Cursor;

    impl Cursor {
        fn encode(rank: usize) -> String {
            PageCursor { rank, key: None }.encode()
        }

        fn parse(raw: &str) -> Result<usize, CursorError> {
            PageCursor::parse(raw).map(|c| c.rank)
        }
    }

    #[test]
    fn a_cursor_is_python_json_in_unpadded_url_safe_base64() {
        assert_eq!(Cursor::encode(10), "eyJyYW5rIjogMTB9");
        assert_eq!(Cursor::encode(1), "eyJyYW5rIjogMX0");
    }

    #[test]
    fn compact_json_cursors_are_accepted() {
        assert_eq!(Cursor::parse("eyJyYW5rIjoxMH0"), Ok(10));
    }

    #[test]
    fn padded_and_standard_alphabet_cursors_are_accepted() {
        assert_eq!(Cursor::parse("eyJyYW5rIjogMX0="), Ok(1));
        // `{"rank": 62, "k": "???>>>"}` in the standard alphabet (`/` and `+`).
        let standard = "eyJyYW5rIjogNjIsICJrIjogIj8/Pz4+PiJ9";
        assert_eq!(Cursor::parse(standard), Ok(62));
    }

    #[test]
    fn a_negative_rank_is_rejected() {
        let raw = URL_SAFE_NO_PAD.encode("{\"rank\": -1}");
        assert_eq!(Cursor::parse(&raw), Err(CursorError::BadRank));
    }

    #[test]
    fn a_non_integer_rank_is_rejected() {
        for payload in [
            "{\"rank\": 5.7}",
            "{\"rank\": \"5\"}",
            "{\"rank\": null}",
            "{}",
        ] {
            let raw = URL_SAFE_NO_PAD.encode(payload);
            assert_eq!(Cursor::parse(&raw), Err(CursorError::BadRank), "{payload}");
        }
    }

    #[test]
    fn garbage_is_rejected() {
        assert_eq!(Cursor::parse("not a cursor!"), Err(CursorError::NotBase64));
        assert_eq!(
            Cursor::parse(&URL_SAFE_NO_PAD.encode("[1]")),
            Err(CursorError::NotJson)
        );
        assert_eq!(
            Cursor::parse(&URL_SAFE_NO_PAD.encode("\u{0}\u{1}")),
            Err(CursorError::NotJson)
        );
        assert_eq!(Cursor::parse(&"A".repeat(2000)), Err(CursorError::TooLong));
    }

    #[test]
    fn a_keyed_cursor_carries_its_cache_key() {
        let cursor = PageCursor {
            rank: 20,
            key: Some("ab12".to_owned()),
        };
        let raw = cursor.encode();
        let json = URL_SAFE_NO_PAD.decode(&raw).expect("we just encoded it");
        assert_eq!(json, b"{\"rank\": 20, \"key\": \"ab12\"}");
        assert_eq!(PageCursor::parse(&raw), Ok(cursor));
        assert_eq!(Cursor::parse(&raw), Ok(20));
    }

    #[test]
    fn an_old_cursor_parses_as_a_page_cursor_without_key() {
        assert_eq!(
            PageCursor::parse("eyJyYW5rIjogMTB9"),
            Ok(PageCursor {
                rank: 10,
                key: None
            })
        );
    }

    #[test]
    fn a_non_string_key_is_rejected() {
        let raw = URL_SAFE_NO_PAD.encode("{\"rank\": 1, \"key\": 5}");
        assert_eq!(PageCursor::parse(&raw), Err(CursorError::BadKey));
    }

    #[test]
    fn a_page_has_a_next_rank_only_when_items_remain() {
        assert_eq!(
            page(0, 1, 2),
            Page {
                range: 0..1,
                next_rank: Some(1)
            }
        );
        assert_eq!(
            page(1, 1, 2),
            Page {
                range: 1..2,
                next_rank: None
            }
        );
    }

    #[test]
    fn a_start_past_the_end_gives_an_empty_page() {
        let p = page(50, 10, 3);
        assert!(p.range.is_empty());
        assert_eq!(p.next_rank, None);
    }

    proptest! {
        #[test]
        fn encoding_then_parsing_gives_the_rank_back(rank in any::<usize>()) {
            prop_assert_eq!(Cursor::parse(&Cursor::encode(rank)), Ok(rank));
        }

        #[test]
        fn encoding_then_parsing_gives_the_page_cursor_back(
            rank in 0usize..1_000_000,
            key in proptest::option::of(".{0,64}"),
        ) {
            let cursor = PageCursor { rank, key };
            prop_assert_eq!(PageCursor::parse(&cursor.encode()), Ok(cursor));
        }
    }
}
