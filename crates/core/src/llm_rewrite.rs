//! An LLM-written query rewrite (our addition to spec §4.8): the model condenses the request
//! into at most 8 search words, which are embedded in place of the rule-based rewrite.
//! The model answers `{"rewrite": "..."}`; [`parse_rewrite`] enforces the word cap, so a
//! chatty model cannot flood the embedding with filler.

use serde_json::Value;

use crate::prompt_spec::PromptSpec;
use crate::pyjson;
use crate::rewrite::{REWRITE_WORDS, truncate_words};

/// The system and user messages: the file's system text, its examples as
/// `Request: ...` / `Answer: {...}` pairs, then the request.
pub fn rewrite_prompt(spec: &PromptSpec, query: &str) -> (String, String) {
    let mut parts: Vec<String> = spec
        .examples
        .iter()
        .map(|e| {
            format!(
                "Request: {}\nAnswer: {}",
                e.query_text(),
                pyjson::dumps(&e.expected_output, false)
            )
        })
        .collect();
    parts.push(format!("Request: {}\nAnswer:", query.trim()));
    (spec.system_prompt.trim_end().to_owned(), parts.join("\n\n"))
}

/// The rewrite from `{"rewrite": "..."}` (a bare string is accepted too), whitespace
/// collapsed and cut to [`REWRITE_WORDS`] words; `None` when there is no non-blank text.
pub fn parse_rewrite(answer: &Value) -> Option<String> {
    let text = match answer {
        Value::String(s) => s.as_str(),
        Value::Object(map) => map.get("rewrite")?.as_str()?,
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => return None,
    };
    let words = truncate_words(text, REWRITE_WORDS);
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rewrite_is_cut_to_eight_words() {
        let answer = json!({"rewrite": " one two  three four five six seven eight nine ten "});
        assert_eq!(
            parse_rewrite(&answer).as_deref(),
            Some("one two three four five six seven eight")
        );
    }

    #[test]
    fn a_blank_or_missing_rewrite_is_rejected() {
        assert_eq!(parse_rewrite(&json!({"rewrite": "   "})), None);
        assert_eq!(parse_rewrite(&json!({"text": "cozy drama"})), None);
        assert_eq!(parse_rewrite(&json!({"rewrite": 5})), None);
        assert_eq!(parse_rewrite(&json!([])), None);
    }

    #[test]
    fn a_bare_string_answer_is_accepted() {
        assert_eq!(
            parse_rewrite(&json!("cozy drama")).as_deref(),
            Some("cozy drama")
        );
    }

    #[test]
    fn the_prompt_ends_with_the_request() {
        let (system, user) = rewrite_prompt(&PromptSpec::rewrite_default(), "  a cozy movie ");
        assert!(system.contains("8 words"), "{system}");
        assert!(user.ends_with("Request: a cozy movie\nAnswer:"), "{user}");
        assert!(user.starts_with("Request: "), "{user}");
    }
}
