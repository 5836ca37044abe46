//! The two wire formats (spec §4.3.4), as pure functions: request bodies in, answer text and
//! JSON out. Kept apart from the transport so every shape is unit-tested without a server.

use super::LlmError;
use serde_json::{Value, json};

/// How much of a non-JSON answer is quoted in [`LlmError::NotJson`].
const MAX_QUOTED_CHARS: usize = 120;

/// Chat-completions body: system and user messages, JSON mode, temperature, token cap.
pub(crate) fn openai_body(
    model: &str,
    system: &str,
    user: &str,
    temperature: f32,
    max_tokens: u32,
) -> Value {
    json!({
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ],
        "temperature": temperature,
        "response_format": {"type": "json_object"},
        "max_tokens": max_tokens,
    })
}

/// `generateContent` body: one user turn, a `systemInstruction` when there is a system
/// text, and JSON output via `responseMimeType`.
pub(crate) fn gemini_body(system: &str, user: &str, temperature: f32, max_tokens: u32) -> Value {
    let mut body = json!({
        "contents": [{"role": "user", "parts": [{"text": user}]}],
        "generationConfig": {
            "temperature": temperature,
            "responseMimeType": "application/json",
            "maxOutputTokens": max_tokens,
        },
    });
    if !system.trim().is_empty() {
        body["systemInstruction"] = json!({"role": "system", "parts": [{"text": system}]});
    }
    body
}

/// `choices[0].message.content`; a missing path is [`LlmError::BadShape`], a null or blank
/// content [`LlmError::Empty`].
pub(crate) fn openai_text(body: &Value) -> Result<String, LlmError> {
    let message = body
        .pointer("/choices/0/message")
        .ok_or_else(|| LlmError::BadShape("no choices[0].message".into()))?;
    match message.get("content") {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.clone()),
        Some(Value::String(_) | Value::Null) | None => Err(LlmError::Empty),
        Some(Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_)) => Err(
            LlmError::BadShape("choices[0].message.content is not a string".into()),
        ),
    }
}

/// The trimmed, non-empty `text` of every part of `candidates[0].content`, joined by a
/// space. `content` may be an object with `parts` or a list of parts. No `candidates` list
/// is [`LlmError::BadShape`]; no text is [`LlmError::Empty`].
pub(crate) fn gemini_text(body: &Value) -> Result<String, LlmError> {
    let first = body
        .get("candidates")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .ok_or_else(|| LlmError::BadShape("no candidates[0]".into()))?;
    let parts: &[Value] = match first.get("content") {
        Some(Value::Object(content)) => content
            .get("parts")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default(),
        Some(Value::Array(parts)) => parts.as_slice(),
        Some(Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) | None => &[],
    };
    let texts: Vec<&str> = parts
        .iter()
        .filter_map(|p| p.get("text").and_then(Value::as_str))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if texts.is_empty() {
        return Err(LlmError::Empty);
    }
    Ok(texts.join(" "))
}

/// The text inside a Markdown code fence (```` ```json ... ``` ````), else the text trimmed.
/// Models asked for JSON still wrap it in fences now and then.
pub fn strip_code_fences(text: &str) -> &str {
    let trimmed = text.trim();
    let Some(rest) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    // Drop the info string (`json`, `JSON`, ...) up to the end of the opening line.
    let body = match rest.find('\n') {
        Some(newline) => &rest[newline + 1..],
        None => rest.trim_start_matches(|c: char| c.is_ascii_alphabetic()),
    };
    body.trim_end().strip_suffix("```").unwrap_or(body).trim()
}

/// The answer text (fences tolerated) as JSON, or [`LlmError::NotJson`] quoting its start.
pub(crate) fn parse_answer(text: &str) -> Result<Value, LlmError> {
    let inner = strip_code_fences(text);
    if inner.is_empty() {
        return Err(LlmError::Empty);
    }
    serde_json::from_str(inner).map_err(|e| {
        let quoted: String = inner.chars().take(MAX_QUOTED_CHARS).collect();
        LlmError::NotJson(format!("{e}; the answer starts `{quoted}`"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openai_body_asks_for_json_with_a_token_cap() {
        let body = openai_body("m", "sys", "usr", 0.2, 300);
        assert_eq!(body["response_format"], json!({"type": "json_object"}));
        assert_eq!(body["max_tokens"], 300);
        assert_eq!(
            body["messages"][0],
            json!({"role": "system", "content": "sys"})
        );
        assert_eq!(
            body["messages"][1],
            json!({"role": "user", "content": "usr"})
        );
    }

    #[test]
    fn the_gemini_body_has_a_system_instruction_only_when_there_is_a_system_text() {
        let with = gemini_body("sys", "usr", 0.2, 64);
        assert_eq!(with["systemInstruction"]["parts"][0]["text"], "sys");
        assert_eq!(with["generationConfig"]["maxOutputTokens"], 64);
        assert_eq!(
            with["generationConfig"]["responseMimeType"],
            "application/json"
        );
        assert!(
            gemini_body("  ", "usr", 0.2, 64)
                .get("systemInstruction")
                .is_none()
        );
    }

    #[test]
    fn openai_content_is_read_and_a_missing_path_is_a_bad_shape() {
        let ok = json!({"choices": [{"message": {"content": "{\"a\":1}"}}]});
        assert_eq!(openai_text(&ok).ok().as_deref(), Some("{\"a\":1}"));
        assert!(matches!(
            openai_text(&json!({"choices": []})),
            Err(LlmError::BadShape(_))
        ));
        let null = json!({"choices": [{"message": {"content": null}}]});
        assert!(matches!(openai_text(&null), Err(LlmError::Empty)));
    }

    #[test]
    fn gemini_parts_are_joined_whether_content_is_an_object_or_a_list() {
        let object = json!({"candidates": [{"content": {"parts": [{"text": " {\"a\": "}, {"text": "1} "}]}}]});
        assert_eq!(gemini_text(&object).ok().as_deref(), Some("{\"a\": 1}"));
        let list = json!({"candidates": [{"content": [{"text": "{}"}, 5]}]});
        assert_eq!(gemini_text(&list).ok().as_deref(), Some("{}"));
    }

    #[test]
    fn gemini_without_candidates_is_a_bad_shape_and_without_text_is_empty() {
        assert!(matches!(
            gemini_text(&json!({"candidates": []})),
            Err(LlmError::BadShape(_))
        ));
        let no_text = json!({"candidates": [{"content": {"parts": [{"text": "  "}]}}]});
        assert!(matches!(gemini_text(&no_text), Err(LlmError::Empty)));
    }

    #[test]
    fn fenced_json_is_unwrapped() {
        assert_eq!(strip_code_fences("```json\n{\"a\": 1}\n```"), "{\"a\": 1}");
        assert_eq!(strip_code_fences("```\n[1]\n```\n"), "[1]");
        assert_eq!(strip_code_fences("```json {\"a\": 1}```"), "{\"a\": 1}");
        assert_eq!(strip_code_fences(" {\"a\": 1} "), "{\"a\": 1}");
    }

    #[test]
    fn non_json_answers_are_quoted_briefly() {
        let err = parse_answer(&"Sure! Here you go ".repeat(50)).expect_err("not JSON");
        assert!(matches!(err, LlmError::NotJson(_)));
        assert!(err.to_string().len() < 300, "{err}");
    }
}
