//! The query's language calls: entity linking, then the intent and the LLM rewrite side by
//! side, each within the request's language budget (`LLM_BUDGET_SECS`) on top of its own
//! timeout, so slow providers cannot add up past the request timeout. Every call degrades:
//! no linker, no LLM, a failure or the budget running out leaves the deterministic path
//! (offline intent, heuristic rewrite).

use super::super::params::RecommendParams;
use super::super::trace::Trace;
use crate::language::intent::IntentCall;
use crate::language::linker::Linked;
use crate::state::AppState;
use seen_core::intent::filters::{apply_ann_override, build_filters, preferred_services};
use seen_core::intent::normalize::{IntentSource, resolve_intent};
use seen_core::intent::{LinkedEntities, prompt_media_hints};
use seen_core::intent_boost::add_linked_people;
use seen_core::{IntentFilters, LlmIntent};
use std::sync::Arc;
use tokio::time::{Instant, timeout_at};

/// What the query says: linked entities, the intent as filters, and the LLM's rewrite.
pub struct Understanding {
    /// Titles and people the linker found.
    pub linked: Option<Arc<Linked>>,
    /// The intent in the LLM's schema (after overrides).
    pub llm: LlmIntent,
    /// The filters every stage reads (linked people added).
    pub filters: IntentFilters,
    /// Preferred streaming services named by the intent.
    pub services: Vec<String>,
    /// The LLM rewrite when one was asked for: its text or why it failed.
    pub llm_rewrite: Option<Result<String, &'static str>>,
}

/// Links, parses and rewrites the query of `p`, recording what happened in `trace`.
pub async fn understand(
    state: &AppState,
    p: &RecommendParams,
    deadline: Instant,
    trace: &mut Trace,
) -> Understanding {
    let query = p.query.as_deref();
    let linked = link(state, query, deadline).await;
    let empty = LinkedEntities::default();
    let entities = linked.as_deref().map_or(&empty, |l| &l.entities);
    let (intent, llm_rewrite) = tokio::join!(
        parse_intent(state, p, entities, deadline, trace),
        rewrite(state, p, deadline)
    );
    let (mut filters, mut llm) = build_filters(&intent, query, p.genre_override.as_deref());
    apply_ann_override(&mut llm, p.ann_description_override.as_deref());
    if let Some(linked) = &linked {
        add_linked_people(&mut filters, &linked.people);
    }
    let services = preferred_services(&llm);
    trace.intent = llm.clone();
    trace.linked = linked.as_deref().cloned();
    Understanding {
        linked,
        llm,
        filters,
        services,
        llm_rewrite,
    }
}

/// The linker's answer for the query, when a linker is configured and answers in time.
async fn link(state: &AppState, query: Option<&str>, deadline: Instant) -> Option<Arc<Linked>> {
    let (q, linker) = query.zip(state.language.linker.as_ref())?;
    match timeout_at(deadline, linker.link(q)).await {
        Ok(linked) => Some(linked),
        Err(_) => {
            tracing::warn!("entity linking ran out of the language budget");
            None
        }
    }
}

/// The intent: the LLM's answer when it gives one, validated leniently; otherwise (LLM off,
/// failed, or nothing usable) the rule-based parser and keyword fallbacks. With
/// `use_llm_intent=false` or no query there is no intent, as the original.
async fn parse_intent(
    state: &AppState,
    p: &RecommendParams,
    linked: &LinkedEntities,
    deadline: Instant,
    trace: &mut Trace,
) -> LlmIntent {
    let Some(q) = p.query.as_deref().filter(|_| p.use_llm_intent) else {
        trace.intent_source = "none".into();
        return LlmIntent::default();
    };
    let (answer, llm_call) = match &state.language.intent {
        Some(parser) => {
            let hints = if parser.options().scope_genres {
                prompt_media_hints(linked, q)
            } else {
                Vec::new()
            };
            let genres = state.language.prompt_genres(&state.db, &hints).await;
            match timeout_at(deadline, parser.parse(q, linked, &genres)).await {
                Ok((answer, call)) => (answer, Some(call.label())),
                Err(_) => {
                    tracing::warn!(
                        "the intent LLM ran out of the language budget; using the offline parser"
                    );
                    (None, Some(IntentCall::Failed("budget").label()))
                }
            }
        }
        None => (None, None),
    };
    let resolved = resolve_intent(answer, q, &state.fallbacks);
    if !resolved.dropped.is_empty() {
        tracing::info!(dropped = ?resolved.dropped, "invalid intent fields were dropped");
    }
    let source = match resolved.source {
        IntentSource::Llm => "llm",
        IntentSource::Offline => "offline",
        IntentSource::Default => "none",
    };
    tracing::info!(
        intent_source = source,
        llm = llm_call.as_deref().unwrap_or("off"),
        "intent parsed"
    );
    trace.intent_source = source.into();
    trace.intent_llm = llm_call;
    resolved.intent
}

/// The LLM rewrite of the query, when configured and not overridden by the request.
async fn rewrite(
    state: &AppState,
    p: &RecommendParams,
    deadline: Instant,
) -> Option<Result<String, &'static str>> {
    let rewriter = state.language.rewriter.as_ref()?;
    let q = p.query.as_deref()?;
    if p.rewrite_override
        .as_deref()
        .is_some_and(|o| !o.trim().is_empty())
    {
        return None;
    }
    match timeout_at(deadline, rewriter.rewrite(q)).await {
        Ok(outcome) => Some(outcome),
        Err(_) => Some(Err("budget")),
    }
}
