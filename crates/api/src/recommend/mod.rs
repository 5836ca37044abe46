//! The `/recommend` pipeline, outside HTTP: parameters, the three phases (`gather`, the
//! pure `seen_core::rank`, `present`) sequenced by [`rank`], the ranked-list cache, pages and
//! response shaping. Route handlers in `routes::recommend` call [`recommend`].

pub mod cache;
mod gather;
pub mod params;
mod pipeline;
mod present;
pub mod response;
pub mod trace;

pub use pipeline::{RankedList, rank};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use cache::CachedList;
use params::RecommendRequest;
use seen_core::cursor::{PageCursor, page};
use std::sync::Arc;

/// One page of a ranked list.
pub struct PageOut {
    pub list: Arc<CachedList>,
    pub start: usize,
    pub end: usize,
    pub next_cursor: Option<String>,
}

/// Serves a page: from the cached ranked list when there is one, else ranks and caches.
///
/// A first page (no cursor) always uses the cached list when present; a cursor carrying a
/// list id must match the cached list, otherwise the list it pointed into is gone (expired,
/// or invalidated by a history write) and the cursor is stale. Legacy cursors without an id
/// (`{"rank": N}`) are served from the current list.
#[tracing::instrument(name = "recommend", skip_all, fields(user = %request.params.user_id))]
pub async fn recommend(state: &AppState, request: &RecommendRequest) -> ApiResult<PageOut> {
    let cursor = match &request.cursor {
        Some(raw) => Some(
            PageCursor::parse(raw).map_err(|_| ApiError::BadRequest("Invalid cursor".into()))?,
        ),
        None => None,
    };
    let key = state.cache.key(&request.params);
    let list = match state.cache.get(&key).await {
        Some(list) => list,
        None => {
            if cursor.as_ref().is_some_and(|c| c.key.is_some()) {
                return Err(ApiError::BadRequest(
                    "Invalid cursor: the ranked list it points into has expired or changed; request the first page again"
                        .into(),
                ));
            }
            let _permit =
                state
                    .limiter
                    .clone()
                    .try_acquire_owned()
                    .map_err(|_| ApiError::Overloaded {
                        retry_after_secs: 1,
                    })?;
            let ranked = rank(state, &request.params).await?;
            state.cache.insert(key, ranked).await
        }
    };
    if let Some(PageCursor { key: Some(id), .. }) = &cursor
        && *id != list.list_id
    {
        {
            return Err(ApiError::BadRequest(
                "Invalid cursor: it belongs to another ranked list; request the first page again"
                    .into(),
            ));
        }
    }
    let start = cursor.map_or(0, |c| c.rank);
    let p = page(start, request.params.limit, list.ranked.items.len());
    let next_cursor = p.next_rank.map(|rank| {
        PageCursor {
            rank,
            key: Some(list.list_id.clone()),
        }
        .encode()
    });
    Ok(PageOut {
        start: p.range.start,
        end: p.range.end,
        next_cursor,
        list,
    })
}
