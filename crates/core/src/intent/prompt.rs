//! The intent parser's prompt (spec §4.3.5): the system text, an optional
//! `ann_description` paragraph, the allowed-genres block, then the worked examples, the
//! linked entities and the query.

use super::legacy;
use super::linked::LinkedEntities;
use crate::item::MediaType;
use crate::prompt_spec::{PromptExample, PromptSpec};
use crate::pyjson;

/// Header of the allowed-genres block appended to the system text.
const GENRES_HEADER: &str =
    "Allowed catalog genres (choose only from this list for include/exclude/boost):";
/// Footer of the allowed-genres block.
const GENRES_FOOTER: &str =
    "If the user mentions a synonym or related phrase, map it to the closest genre above.";

/// The system and user messages for one query.
///
/// `genres` is the allowed list (usually the catalog's genres for [`prompt_media_hints`]);
/// an empty list adds no block. `ann_description` (`INTENT_ENABLE_ANN_DESCRIPTION`) appends
/// the spec's extra paragraph and example when the file has them.
pub fn intent_prompt(
    spec: &PromptSpec,
    genres: &[String],
    linked: &LinkedEntities,
    query: &str,
    ann_description: bool,
) -> (String, String) {
    let mut system = spec.system_prompt.trim_end().to_owned();
    let mut append = |block: &str| {
        if !system.is_empty() {
            system.push_str("\n\n");
        }
        system.push_str(block);
    };
    let ann_paragraph = spec
        .ann_description_instructions
        .as_deref()
        .map(str::trim)
        .filter(|p| ann_description && !p.is_empty());
    if let Some(paragraph) = ann_paragraph {
        append(paragraph);
    }
    if !genres.is_empty() {
        let lines: Vec<String> = genres.iter().map(|g| format!("- {g}")).collect();
        append(&format!(
            "{GENRES_HEADER}\n{}\n{GENRES_FOOTER}",
            lines.join("\n")
        ));
    }

    let mut examples: Vec<&PromptExample> = spec.examples.iter().collect();
    if ann_description {
        examples.extend(spec.ann_description_example.as_ref());
    }
    let mut parts: Vec<String> = Vec::new();
    if !examples.is_empty() {
        let lines: Vec<String> = examples
            .iter()
            .map(|e| {
                format!(
                    "Query: {}\nIntent: {}",
                    e.query_text(),
                    pyjson::dumps(&e.expected_output, false)
                )
            })
            .collect();
        parts.push(lines.join("\n"));
    }
    if !linked.is_empty() {
        let json = serde_json::to_value(linked).unwrap_or_default();
        parts.push(format!("Linked Entities: {}", pyjson::dumps(&json, false)));
    }
    parts.push(format!("Query: {query}"));
    parts.push("Intent:".to_owned());
    (system, parts.join("\n\n"))
}

/// Media types to scope the prompt's genre list by (`INTENT_SCOPE_GENRES_BY_MEDIA`): the
/// linked titles' kinds (`tv`, then `movie`), then the rule parser's media types for the
/// query, without repeats. Empty means "all genres".
pub fn prompt_media_hints(linked: &LinkedEntities, query: &str) -> Vec<MediaType> {
    let mut hints = linked.media_hints();
    for media in legacy::parse(query).media_types {
        if !hints.contains(&media) {
            hints.push(media);
        }
    }
    hints
}

#[cfg(test)]
#[path = "prompt_tests.rs"]
mod tests;
