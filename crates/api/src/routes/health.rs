//! `GET /healthz` (liveness, no I/O, as the original) and `GET /readyz` (touches the database).

use crate::error::{ApiError, ApiResult, DetailBody};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// `GET /healthz` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthBody {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// `GET /readyz` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyBody {
    /// `ready`.
    #[schema(example = "ready")]
    pub status: &'static str,
    /// `ok`.
    #[schema(example = "ok")]
    pub database: &'static str,
    /// Migrations applied.
    pub migrations: usize,
}

/// Liveness: always ok, touches nothing.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "Alive", body = HealthBody))
)]
pub(crate) async fn healthz() -> Json<HealthBody> {
    Json(HealthBody { status: "ok" })
}

/// Readiness: the database answers within 2 s and its schema is current.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = ReadyBody),
        (status = 503, description = "Database unreachable or schema not current (with Retry-After)", body = DetailBody),
    )
)]
pub(crate) async fn readyz(State(state): State<AppState>) -> ApiResult<Json<ReadyBody>> {
    let check = async {
        let status = seen_store::check_schema(&state.db).await?;
        Ok::<_, seen_store::StoreError>(status)
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(status)) => Ok(Json(ReadyBody {
            status: "ready",
            database: "ok",
            migrations: status.applied,
        })),
        Ok(Err(e)) => {
            tracing::warn!(error.message = %e, "readiness check failed");
            Err(ApiError::Unavailable(format!("database not ready: {e}")))
        }
        Err(_) => Err(ApiError::Unavailable(
            "database not ready: timed out after 2s".into(),
        )),
    }
}
