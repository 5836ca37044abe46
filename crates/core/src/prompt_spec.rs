//! Prompt files (`config/prompts/*.json`): a system text plus worked examples, in the
//! original's key layout (`system_prompt`, `examples[{input, expected_output}]`), so its
//! files and ours are interchangeable. Unknown keys (the reranker's `evaluation_metrics`)
//! are ignored.
//!
//! The shipped files are built in with `include_str!`, so a binary without its `config/`
//! directory still has prompts; a file given at run time replaces them.

use serde::Deserialize;
use serde_json::Value;

const SHIPPED_INTENT: &str = include_str!("../../../config/prompts/intent_parser.json");
const SHIPPED_RERANKER: &str = include_str!("../../../config/prompts/reranker.json");
const SHIPPED_REWRITE: &str = include_str!("../../../config/prompts/rewrite.json");

/// Why a prompt file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PromptSpecError {
    /// Not JSON, or `system_prompt` missing or not a string.
    #[error(
        "invalid prompt file: {0}. Hint: it needs a string `system_prompt` and may have `examples`"
    )]
    Invalid(#[from] serde_json::Error),
}

/// One worked example: what the model is given and what it should answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PromptExample {
    /// The input; for the intent parser and the rewrite, `{"query": ...}`.
    #[serde(default)]
    pub input: Value,
    /// The answer the model should give.
    #[serde(default)]
    pub expected_output: Value,
}

impl PromptExample {
    /// The example's `input.query` when it is a string, else the whole input as JSON.
    pub fn query_text(&self) -> String {
        match self.input.get("query") {
            Some(Value::String(q)) => q.clone(),
            Some(_) | None => crate::pyjson::dumps(&self.input, false),
        }
    }
}

/// A prompt file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PromptSpec {
    /// The system message.
    pub system_prompt: String,
    /// Worked examples, shown to the model in order.
    #[serde(default)]
    pub examples: Vec<PromptExample>,
    /// Intent parser only (our key; the original kept this text in code): the paragraph
    /// appended when `INTENT_ENABLE_ANN_DESCRIPTION` is on. Absent → nothing appended.
    #[serde(default)]
    pub ann_description_instructions: Option<String>,
    /// Intent parser only (our key): the extra example shown when that flag is on.
    #[serde(default)]
    pub ann_description_example: Option<PromptExample>,
}

impl PromptSpec {
    /// Parses a prompt file.
    pub fn from_json(text: &str) -> Result<Self, PromptSpecError> {
        Ok(serde_json::from_str(text)?)
    }

    /// The shipped `config/prompts/intent_parser.json`.
    pub fn intent_default() -> Self {
        Self::from_json(SHIPPED_INTENT).expect("the shipped intent prompt is valid. This is a bug.")
    }

    /// The shipped `config/prompts/reranker.json`.
    pub fn reranker_default() -> Self {
        Self::from_json(SHIPPED_RERANKER)
            .expect("the shipped reranker prompt is valid. This is a bug.")
    }

    /// The shipped `config/prompts/rewrite.json`.
    pub fn rewrite_default() -> Self {
        Self::from_json(SHIPPED_REWRITE)
            .expect("the shipped rewrite prompt is valid. This is a bug.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_parse() {
        let intent = PromptSpec::intent_default();
        assert_eq!(intent.examples.len(), 9);
        assert_eq!(
            intent.examples[0].query_text(),
            "light sci-fi under 2 hours"
        );
        assert!(intent.ann_description_instructions.is_some());
        assert!(intent.ann_description_example.is_some());
        assert!(
            PromptSpec::reranker_default()
                .system_prompt
                .contains("'items'")
        );
        assert!(
            PromptSpec::rewrite_default()
                .system_prompt
                .contains("rewrite")
        );
    }

    #[test]
    fn the_originals_layout_parses_and_unknown_keys_are_ignored() {
        let text = r#"{"system_prompt": "S", "examples": [{"input": {"query": "q"},
            "expected_output": {"a": 1}}], "evaluation_metrics": {"x": {"threshold": 1}}}"#;
        let spec = PromptSpec::from_json(text).expect("the original layout");
        assert_eq!(spec.system_prompt, "S");
        assert_eq!(spec.examples.len(), 1);
        assert!(spec.ann_description_instructions.is_none());
    }

    #[test]
    fn a_file_without_a_system_prompt_is_refused() {
        let err = PromptSpec::from_json(r#"{"examples": []}"#).expect_err("no system_prompt");
        assert!(err.to_string().contains("system_prompt"), "{err}");
    }
}
