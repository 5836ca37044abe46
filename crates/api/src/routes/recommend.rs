//! `GET /recommend` and `GET /debug/recommend` (the same list plus the pipeline trace).

use crate::error::ApiResult;
use crate::recommend::params::parse;
use crate::recommend::response::page_json;
use crate::recommend::{PageOut, recommend};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recommend", get(get_recommend))
        .route("/debug/recommend", get(get_debug_recommend))
}

async fn get_recommend(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<Value>> {
    let request = parse(&pairs)?;
    let out = recommend(&state, &request).await?;
    Ok(Json(page_body(&out)))
}

async fn get_debug_recommend(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<Value>> {
    let request = parse(&pairs)?;
    let out = recommend(&state, &request).await?;
    let mut body = page_body(&out);
    if let Some(obj) = body.as_object_mut() {
        obj.insert(
            "debug".into(),
            serde_json::to_value(&out.list.ranked.trace).unwrap_or_default(),
        );
    }
    Ok(Json(body))
}

fn page_body(out: &PageOut) -> Value {
    let items = &out.list.ranked.items[out.start..out.end];
    page_json(items, out.next_cursor.as_deref())
}
