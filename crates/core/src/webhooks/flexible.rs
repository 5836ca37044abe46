//! Values a media server may send as a JSON bool, number or string: Jellyfin's "send all
//! properties" writes `true` and `1994`, while a hand-written template writes `"True"` and
//! `"1994"`.

use serde::Deserialize;

/// A scalar of any JSON type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Flexible {
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
}

impl Flexible {
    /// `true`, `"true"` (any case), `"1"` or a non-zero number.
    pub fn as_bool(&self) -> bool {
        match self {
            Flexible::Bool(b) => *b,
            Flexible::Number(n) => *n != 0.0,
            Flexible::Text(s) => matches!(s.trim().to_lowercase().as_str(), "true" | "1" | "yes"),
        }
    }

    /// A whole number, from a number or a numeric string.
    pub fn as_i32(&self) -> Option<i32> {
        let n = match self {
            Flexible::Number(n) => *n,
            Flexible::Text(s) => s.trim().parse().ok()?,
            Flexible::Bool(_) => return None,
        };
        (n.fract() == 0.0 && n.abs() < f64::from(i32::MAX)).then_some(n as i32)
    }

    /// The value as text (numbers without a trailing `.0`).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Flexible::Text(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Flexible::Number(n) if n.fract() == 0.0 => Some(format!("{n:.0}")),
            Flexible::Number(n) => Some(n.to_string()),
            Flexible::Text(_) | Flexible::Bool(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools_and_numbers_are_read_from_any_json_type() {
        let parse = |s: &str| serde_json::from_str::<Flexible>(s).expect("json");
        assert!(parse("true").as_bool());
        assert!(parse("\"True\"").as_bool());
        assert!(!parse("\"False\"").as_bool());
        assert_eq!(parse("1994").as_i32(), Some(1994));
        assert_eq!(parse("\"1994\"").as_i32(), Some(1994));
        assert_eq!(parse("550").as_text().as_deref(), Some("550"));
    }
}
