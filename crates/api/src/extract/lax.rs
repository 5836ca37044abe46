//! Pydantic's lax coercions, in one place: what the original's clients may send where a number
//! or a flag is expected, with the OpenAPI schema that says so.
//!
//! JSON bodies: integer fields take `3`, `3.0`, `"3"` and `true` ([`LaxInt`]). Query strings:
//! integers may be written `3.0`, booleans as FastAPI spells them, numbers must be finite.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// The pattern of a string that must not be blank: it has a character that is not whitespace.
/// The validator reports a mismatch as `string_too_short` ("must not be blank").
pub const NOT_BLANK: &str = r"\S";

/// A 32-bit integer in a JSON body, at least `MIN`, accepted the way pydantic's lax mode
/// accepts it: a JSON integer (or integral float such as `3.0`), a string of up to nine digits
/// with an optional sign and surrounding spaces (`"42"`, `" +7 "`), or a boolean (`true` is 1).
///
/// `MIN` is `i32::MIN` ([`LaxI32`]) or `0` ([`LaxU31`]): the string pattern of the schema only
/// knows those two ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct LaxInt<const MIN: i32>(pub i32);

/// Any 32-bit integer, leniently.
pub type LaxI32 = LaxInt<{ i32::MIN }>;
/// A non-negative 32-bit integer, leniently.
pub type LaxU31 = LaxInt<0>;

impl<const MIN: i32> LaxInt<MIN> {
    /// The pattern of the accepted strings; up to nine digits always fit in 32 bits.
    pub fn pattern() -> &'static str {
        if MIN < 0 {
            r"^[ \t\n\r]*[+-]?[0-9]{1,9}[ \t\n\r]*$"
        } else {
            r"^[ \t\n\r]*\+?[0-9]{1,9}[ \t\n\r]*$"
        }
    }

    fn in_range(n: i64) -> Option<Self> {
        i32::try_from(n).ok().filter(|n| *n >= MIN).map(LaxInt)
    }

    fn from_text(s: &str) -> Option<Self> {
        let digits = s.trim_matches([' ', '\t', '\n', '\r']);
        // The sign the pattern allows: `-` only where negatives are in range.
        let unsigned = match digits.strip_prefix('-') {
            Some(_) if MIN >= 0 => return None,
            Some(rest) => rest,
            None => digits.strip_prefix('+').unwrap_or(digits),
        };
        if unsigned.is_empty()
            || unsigned.len() > 9
            || !unsigned.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        digits
            .strip_prefix('+')
            .unwrap_or(digits)
            .parse()
            .ok()
            .and_then(Self::in_range)
    }
}

impl<'de, const MIN: i32> Deserialize<'de> for LaxInt<MIN> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LaxVisitor<const MIN: i32>;

        impl<const MIN: i32> Visitor<'_> for LaxVisitor<MIN> {
            type Value = LaxInt<MIN>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "an integer of at least {MIN} (also as a string or a boolean)"
                )
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                LaxInt::in_range(i64::from(v))
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Bool(v), &self))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                LaxInt::in_range(v)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(LaxInt::in_range)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                let integral = v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15;
                // In range by the check above: |v| < 1e15 fits an i64 exactly.
                integral
                    .then_some(v as i64)
                    .and_then(LaxInt::in_range)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                LaxInt::from_text(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }

        deserializer.deserialize_any(LaxVisitor::<MIN>)
    }
}

impl<const MIN: i32> PartialSchema for LaxInt<MIN> {
    fn schema() -> RefOr<Schema> {
        let integer = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum((MIN > i32::MIN).then_some(MIN));
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(Self::pattern()));
        let flag = ObjectBuilder::new().schema_type(Type::Boolean);
        AnyOfBuilder::new()
            .item(integer)
            .item(text)
            .item(flag)
            .description(Some(if MIN < 0 {
                "An integer. As in pydantic's lax mode, `3.0`, `\"3\"` and `true` (1) are accepted too."
            } else {
                "An integer ≥ 0. As in pydantic's lax mode, `3.0`, `\"3\"` and `true` (1) are accepted too."
            }))
            .into()
    }
}

impl<const MIN: i32> ToSchema for LaxInt<MIN> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(if MIN < 0 {
            "LaxInt"
        } else {
            "LaxNonNegativeInt"
        })
    }
}

/// A query-string integer: `3`, ` 3 ` or `3.0` (pydantic accepts an integral float).
pub fn query_int(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    raw.parse::<i64>().ok().or_else(|| {
        raw.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15)
            // In range by the filter above.
            .map(|f| f as i64)
    })
}

/// A query-string boolean in FastAPI's spellings, case-insensitive.
pub fn query_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
        "false" | "0" | "no" | "off" | "f" | "n" => Some(false),
        _ => None,
    }
}

/// A query-string number; `None` when it does not parse. Non-finite values parse (`NaN`,
/// `inf`) so that the caller can name the problem.
pub fn query_float(raw: &str) -> Option<f64> {
    raw.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn lax(v: Value) -> Option<i32> {
        serde_json::from_value::<LaxI32>(v).ok().map(|n| n.0)
    }

    #[test]
    fn integers_follow_pydantic() {
        assert_eq!(lax(json!(3)), Some(3));
        assert_eq!(lax(json!("3")), Some(3));
        assert_eq!(lax(json!(" -3 ")), Some(-3));
        assert_eq!(lax(json!("+3")), Some(3));
        assert_eq!(lax(json!(3.0)), Some(3));
        assert_eq!(lax(json!(true)), Some(1));
        assert_eq!(lax(json!(3.5)), None);
        assert_eq!(lax(json!("3.0")), None);
        assert_eq!(lax(json!("x")), None);
        assert_eq!(lax(json!(null)), None);
        assert_eq!(lax(json!([1])), None);
        assert_eq!(lax(json!(1_i64 << 40)), None);
        assert_eq!(lax(json!("1234567890")), None, "more than nine digits");
    }

    #[test]
    fn a_non_negative_integer_refuses_negatives_in_every_form() {
        assert_eq!(serde_json::from_value::<LaxU31>(json!(-1)).ok(), None);
        assert_eq!(serde_json::from_value::<LaxU31>(json!("-1")).ok(), None);
        assert_eq!(serde_json::from_value::<LaxU31>(json!(false)).unwrap().0, 0);
    }

    #[test]
    fn the_string_pattern_accepts_exactly_the_strings_that_parse() {
        let signed = regex::Regex::new(LaxI32::pattern()).unwrap();
        let unsigned = regex::Regex::new(LaxU31::pattern()).unwrap();
        for s in [
            "0",
            "42",
            " 7 ",
            "\t-12\n",
            "+5",
            "-0",
            "999999999",
            "1234567890",
            "",
            "-",
            "1 2",
            "1.0",
            "٣",
            "0x1",
            " ",
            "+-1",
            "00000000001",
        ] {
            assert_eq!(signed.is_match(s), LaxI32::from_text(s).is_some(), "{s:?}");
            assert_eq!(
                unsigned.is_match(s),
                LaxU31::from_text(s).is_some(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn query_scalars_parse_like_fastapi() {
        assert_eq!(query_int(" 3 "), Some(3));
        assert_eq!(query_int("3.0"), Some(3));
        assert_eq!(query_int("3.5"), None);
        for (raw, want) in [("YES", true), ("off", false), ("t", true), ("0", false)] {
            assert_eq!(query_bool(raw), Some(want), "{raw}");
        }
        assert_eq!(query_bool("2"), None);
        assert!(query_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(query_float("x"), None);
    }
}
