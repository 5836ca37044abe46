//! JSON text the way Python's `json.dumps` writes it by default (`", "` and `": "`
//! separators), for prompts and for hashes the original computed over such text.
//!
//! Non-ASCII characters are written as is rather than `\u` escaped: a model reads them
//! better, and no hash here covers text that could hold them.

use serde_json::Value;

/// `value` with Python's default separators; object keys in their stored order, or sorted
/// when `sort_keys` (Python's `sort_keys=True`).
pub fn dumps(value: &Value, sort_keys: bool) -> String {
    let mut out = String::new();
    write(value, sort_keys, &mut out);
    out
}

fn write(value: &Value, sort_keys: bool, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, sort_keys, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if sort_keys {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write(item, sort_keys, out);
            }
            out.push('}');
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&value.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn separators_follow_python() {
        let v = json!({"b": [1, 2], "a": {"x": "y"}, "c": null});
        assert_eq!(
            dumps(&v, false),
            r#"{"b": [1, 2], "a": {"x": "y"}, "c": null}"#
        );
        assert_eq!(
            dumps(&v, true),
            r#"{"a": {"x": "y"}, "b": [1, 2], "c": null}"#
        );
    }

    #[test]
    fn strings_are_escaped_as_json() {
        assert_eq!(dumps(&json!(["a\"b\n"]), false), r#"["a\"b\n"]"#);
    }
}
