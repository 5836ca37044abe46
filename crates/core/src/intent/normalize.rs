//! From raw LLM JSON to a usable intent.
//!
//! The steps: [`normalize_llm_output`] (an object as is, a list of fragments merged), then
//! [`salvage_intent`] (each field checked on its own), then the keyword rules and a default
//! `ann_description` ([`finalize_intent`]). [`resolve_intent`] strings them together with the
//! offline fallback.
//!
//! Unlike the original, one wrongly typed field no longer wipes the whole intent: values are
//! coerced where the meaning is plain (`"120"` → 120, `120.0` → 120, `"tv"` → `["tv"]`), and
//! what still does not fit is dropped and reported.

use serde_json::{Map, Value};

use super::LlmIntent;
use super::fallbacks::FallbackRules;
use super::negation::strip_negated;
use super::offline::offline_intent;

/// How many query words become the default `ann_description`.
pub const ANN_DESCRIPTION_WORDS: usize = 32;

/// An object is returned as is. A list of objects is merged fragment by fragment: nulls and
/// empty lists are skipped, lists are unioned in order into what is there (a scalar there is
/// wrapped first), and a scalar is set only where nothing (or `[]`) is yet. An empty merge,
/// and any other JSON, gives `None`.
pub fn normalize_llm_output(payload: Value) -> Option<Value> {
    let fragments = match payload {
        Value::Object(map) => return Some(Value::Object(map)),
        Value::Array(fragments) => fragments,
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => return None,
    };
    let mut merged = Map::new();
    for fragment in fragments {
        let Value::Object(fragment) = fragment else {
            continue;
        };
        for (key, value) in fragment {
            match value {
                Value::Null => {}
                Value::Array(values) if values.is_empty() => {}
                Value::Array(values) => {
                    let mut combined = match merged.remove(&key) {
                        Some(Value::Array(existing)) => existing,
                        None | Some(Value::Null) => Vec::new(),
                        Some(scalar) => vec![scalar],
                    };
                    for v in values {
                        if !combined.contains(&v) {
                            combined.push(v);
                        }
                    }
                    merged.insert(key, Value::Array(combined));
                }
                scalar @ (Value::Bool(_)
                | Value::Number(_)
                | Value::String(_)
                | Value::Object(_)) => {
                    let unset = match merged.get(&key) {
                        None | Some(Value::Null) => true,
                        Some(Value::Array(existing)) => existing.is_empty(),
                        Some(_) => false,
                    };
                    if unset {
                        merged.insert(key, scalar);
                    }
                }
            }
        }
    }
    (!merged.is_empty()).then_some(Value::Object(merged))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A list of strings; a lone string is a one-element list. Blank strings are skipped and
/// elements that are not strings are dropped with a note.
fn coerce_list(field: &str, value: &Value, notes: &mut Vec<String>) -> Option<Vec<String>> {
    let items: Vec<&Value> = match value {
        Value::Null => return None,
        Value::String(_) => vec![value],
        Value::Array(items) => items.iter().collect(),
        Value::Bool(_) | Value::Number(_) | Value::Object(_) => {
            notes.push(format!(
                "{field}: expected a list of strings, got {}",
                kind(value)
            ));
            return None;
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match item.as_str().map(str::trim) {
            Some("") => {}
            Some(text) => out.push(text.to_owned()),
            None => notes.push(format!(
                "{field}[{i}]: expected a string, got {}",
                kind(item)
            )),
        }
    }
    Some(out)
}

/// A whole number: an integer, a float without fraction, or a string holding either.
fn coerce_int(field: &str, value: &Value, notes: &mut Vec<String>) -> Option<i32> {
    let number = match value {
        Value::Null => return None,
        Value::Number(n) => n.as_i64().map(|i| i as f64).or_else(|| n.as_f64()),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    };
    let whole = number.filter(|n| {
        n.is_finite() && n.fract() == 0.0 && *n >= f64::from(i32::MIN) && *n <= f64::from(i32::MAX)
    });
    if whole.is_none() {
        notes.push(format!("{field}: expected a whole number, got {value}"));
    }
    whole.map(|n| n as i32)
}

/// A text: a string, a number's text form, or the single string of a one-element list.
fn coerce_text(field: &str, value: &Value, notes: &mut Vec<String>) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => match items.as_slice() {
            [Value::String(s)] => Some(s.clone()),
            _ => None,
        },
        Value::Bool(_) | Value::Object(_) => None,
    };
    if text.is_none() {
        notes.push(format!("{field}: expected a string, got {}", kind(value)));
    }
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Reads every schema field on its own, coercing leniently. Fields that cannot be read are
/// left unset and described in the returned notes; unknown keys are ignored.
pub fn salvage_intent(raw: &Value) -> (LlmIntent, Vec<String>) {
    let mut notes = Vec::new();
    let Value::Object(map) = raw else {
        notes.push(format!("intent: expected an object, got {}", kind(raw)));
        return (LlmIntent::default(), notes);
    };
    let get = |key: &str| map.get(key).unwrap_or(&Value::Null);
    let n = &mut notes;
    let intent = LlmIntent {
        include_genres: coerce_list("include_genres", get("include_genres"), n),
        exclude_genres: coerce_list("exclude_genres", get("exclude_genres"), n),
        runtime_minutes_min: coerce_int("runtime_minutes_min", get("runtime_minutes_min"), n),
        runtime_minutes_max: coerce_int("runtime_minutes_max", get("runtime_minutes_max"), n),
        languages: coerce_list("languages", get("languages"), n),
        year_min: coerce_int("year_min", get("year_min"), n),
        year_max: coerce_int("year_max", get("year_max"), n),
        maturity_rating_max: coerce_text("maturity_rating_max", get("maturity_rating_max"), n),
        boost_genres: coerce_list("boost_genres", get("boost_genres"), n),
        media_types: coerce_list("media_types", get("media_types"), n),
        include_people: coerce_list("include_people", get("include_people"), n),
        streaming_providers: coerce_list("streaming_providers", get("streaming_providers"), n),
        ann_description: coerce_text("ann_description", get("ann_description"), n),
        // Not an LLM field: the vocabulary rules set it (`augment`).
        require_genres: None,
        tags: None,
        exclude_tags: None,
    };
    (intent, notes)
}

/// [`finalize_intent`] plus the notes on fields that were dropped.
pub fn finalize_with_notes(
    raw: Value,
    query: &str,
    rules: &FallbackRules,
) -> (Option<LlmIntent>, Vec<String>) {
    let Some(normalized) = normalize_llm_output(raw) else {
        return (None, Vec::new());
    };
    let (mut intent, notes) = salvage_intent(&normalized);
    if intent == LlmIntent::default() {
        return (None, notes);
    }
    rules.augment(&mut intent, query);
    describe(&mut intent, query);
    (Some(intent), notes)
}

/// The description to embed: the intent's own with negated clauses cut (an embedding reads
/// "without gore" as "gore"), else the query's first wanted words.
fn describe(intent: &mut LlmIntent, query: &str) {
    intent.ann_description = intent
        .ann_description
        .as_deref()
        .map(strip_negated)
        .filter(|d| !d.trim().is_empty());
    if intent.ann_description.is_none() {
        let wanted = strip_negated(query);
        let words: Vec<&str> = wanted
            .split_whitespace()
            .take(ANN_DESCRIPTION_WORDS)
            .collect();
        intent.ann_description = (!words.is_empty()).then(|| words.join(" "));
    }
}

/// Normalise → salvage → (nothing usable: `None`) → keyword rules → negated clauses cut from
/// the `ann_description` (see [`strip_negated`]), by default the query's first 32 wanted
/// words.
pub fn finalize_intent(raw: Value, query: &str, rules: &FallbackRules) -> Option<LlmIntent> {
    finalize_with_notes(raw, query, rules).0
}

/// Where a resolved intent came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentSource {
    /// The LLM's output gave at least one usable field.
    Llm,
    /// The LLM was off, failed or said nothing usable; the offline intent was used.
    Offline,
    /// Neither gave anything: the empty intent (do not cache it).
    Default,
}

/// The outcome of [`resolve_intent`].
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedIntent {
    /// The intent to use (the empty one when `source` is `Default`).
    pub intent: LlmIntent,
    /// Which path produced it; only `Llm` and `Offline` results are worth caching.
    pub source: IntentSource,
    /// Fields of the LLM output that were dropped, for logging.
    pub dropped: Vec<String>,
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// The whole intent step after the LLM call. `llm_output` is `None` when the LLM is off or
/// failed (any error, including timeouts: the original lost the offline fallback there).
/// An LLM output with nothing usable also falls back to the offline intent.
pub fn resolve_intent(
    llm_output: Option<Value>,
    query: &str,
    rules: &FallbackRules,
) -> ResolvedIntent {
    let mut dropped = Vec::new();
    if let Some(output) = llm_output.filter(|v| !is_blank(v)) {
        let (intent, notes) = finalize_with_notes(output, query, rules);
        dropped = notes;
        if let Some(intent) = intent {
            return ResolvedIntent {
                intent,
                source: IntentSource::Llm,
                dropped,
            };
        }
    }
    let offline = offline_intent(query, rules);
    let raw = serde_json::to_value(&offline).unwrap_or(Value::Null);
    match finalize_intent(raw, query, rules) {
        Some(intent) => ResolvedIntent {
            intent,
            source: IntentSource::Offline,
            dropped,
        },
        // Only the vocabulary's own fields ("cult classics": tags): the LLM schema's
        // salvage does not carry them, so the offline intent stands as it is.
        None if offline != LlmIntent::default() => {
            let mut intent = offline;
            describe(&mut intent, query);
            ResolvedIntent {
                intent,
                source: IntentSource::Offline,
                dropped,
            }
        }
        None => ResolvedIntent {
            intent: LlmIntent::default(),
            source: IntentSource::Default,
            dropped,
        },
    }
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
