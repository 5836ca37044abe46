//! `GET /healthz` (liveness, no I/O, as the original) and `GET /readyz` (touches the database).

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when the database answers within 2 s and the schema is current.
async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let check = async {
        let status = seen_store::check_schema(&state.db).await?;
        Ok::<_, seen_store::StoreError>(status)
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(status)) => Ok(Json(json!({
            "status": "ready",
            "database": "ok",
            "migrations": status.applied,
        }))),
        Ok(Err(e)) => {
            tracing::warn!(error.message = %e, "readiness check failed");
            Err(ApiError::Unavailable(format!("database not ready: {e}")))
        }
        Err(_) => Err(ApiError::Unavailable(
            "database not ready: timed out after 2s".into(),
        )),
    }
}
