//! Lenient number parsing for TMDB-shaped JSON (spec data §2.3): numbers may arrive as JSON
//! numbers or numeric strings; anything unparsable becomes `None` instead of an error.

use serde_json::Value;

/// A finite float from a number or a numeric string (`"12.5"`).
pub(super) fn float(value: &Value) -> Option<f64> {
    let parsed = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }?;
    parsed.is_finite().then_some(parsed)
}

/// A whole number: an integer, a float without a fraction (`7.0`), or an integer string.
pub(super) fn exact_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0).then(|| float_to_i64(f)).flatten()
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

/// [`exact_i64`] that fits an `i32`.
pub(super) fn exact_i32(value: &Value) -> Option<i32> {
    exact_i64(value).and_then(|n| i32::try_from(n).ok())
}

/// Like Python's `int(x)`: floats are truncated (`7.9` → 7), strings must be integers
/// (`"7"` → 7, `"7.5"` → `None`).
pub(super) fn truncating_i32(value: &Value) -> Option<i32> {
    let n = match value {
        Value::Number(n) => n.as_i64().or_else(|| float_to_i64(n.as_f64()?.trunc())),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }?;
    i32::try_from(n).ok()
}

/// A float already known to be whole, when it fits an `i64`.
fn float_to_i64(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f > -LIMIT && f < LIMIT).then_some(f as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numeric_strings_parse_as_floats_and_junk_does_not() {
        assert_eq!(float(&json!("12.5")), Some(12.5));
        assert_eq!(float(&json!(3)), Some(3.0));
        assert_eq!(float(&json!("abc")), None);
        assert_eq!(float(&json!("NaN")), None);
        assert_eq!(float(&json!(true)), None);
    }

    #[test]
    fn vote_counts_truncate_floats_but_refuse_fractional_strings() {
        assert_eq!(truncating_i32(&json!(7.9)), Some(7));
        assert_eq!(truncating_i32(&json!("7")), Some(7));
        assert_eq!(truncating_i32(&json!("7.5")), None);
        assert_eq!(truncating_i32(&json!(1e12)), None);
    }

    #[test]
    fn whole_numbers_accept_integral_floats_and_strings_only() {
        assert_eq!(exact_i64(&json!(550)), Some(550));
        assert_eq!(exact_i64(&json!(550.0)), Some(550));
        assert_eq!(exact_i64(&json!(" 550 ")), Some(550));
        assert_eq!(exact_i64(&json!(550.5)), None);
        assert_eq!(exact_i32(&json!(5_000_000_000_i64)), None);
    }
}
