//! `POST /user/import`: a Letterboxd, IMDb or Trakt export becomes history events, in one
//! transaction, idempotently (see `crate::history_import`).
//!
//! The file comes as a multipart upload (`file`, with `format`, `user_id` and `profile` as
//! form fields or query parameters) or as the raw body (`?format=…&user_id=…`, optionally
//! `&filename=watchlist.csv`). A refused file (too large, a zip bomb, too many rows, missing
//! columns, not UTF-8, not this format) is a 413 or 422 and writes nothing.

use crate::error::{ApiError, ApiResult, ErrorDetail};
use crate::history_import::{
    HistoryImportError, ImportRequest, ImportSummary, ProfileTarget, import_history,
};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::{Json, Router};
use seen_core::events::canonical_profile_id;
use seen_core::import::{ImportError, ImportFormat};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

/// Room for the multipart framing and the text fields around the file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The route, with a body limit just above the configured file limit.
pub fn router(max_file_bytes: usize) -> Router<AppState> {
    Router::new().route(
        "/user/import",
        post(post_import).layer(DefaultBodyLimit::max(
            max_file_bytes.saturating_add(MULTIPART_OVERHEAD),
        )),
    )
}

/// The export formats, as requests name them (exactly, lower case).
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum FormatName {
    Letterboxd,
    Imdb,
    Trakt,
}

impl FormatName {
    /// The format `raw` names exactly, as the schema's enum says.
    fn parse(raw: &str) -> Option<FormatName> {
        match raw {
            "letterboxd" => Some(FormatName::Letterboxd),
            "imdb" => Some(FormatName::Imdb),
            "trakt" => Some(FormatName::Trakt),
            _ => None,
        }
    }

    fn format(self) -> ImportFormat {
        match self {
            FormatName::Letterboxd => ImportFormat::Letterboxd,
            FormatName::Imdb => ImportFormat::Imdb,
            FormatName::Trakt => ImportFormat::Trakt,
        }
    }
}

/// Who and what, from the query string (multipart form fields of the same names win).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `letterboxd`, `imdb` or `trakt`.
    #[param(value_type = Option<FormatName>)]
    pub format: Option<String>,
    /// The user, as for `/user/history` (not blank, at most 64 characters).
    #[param(min_length = 1, max_length = 64, pattern = r"\S")]
    pub user_id: Option<String>,
    /// Optional profile (`user_id::profile`), at most 62 characters.
    #[param(max_length = 62)]
    pub profile: Option<String>,
    /// The file's name for a raw body (`watchlist.csv` tells it from `watched.csv`).
    pub filename: Option<String>,
}

/// The multipart form: these parts and no others (a part's name is not free text).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Documents the multipart body; the handler reads the parts one by one.
pub struct ImportForm {
    /// `letterboxd`, `imdb` or `trakt`.
    #[schema(value_type = FormatName)]
    format: String,
    /// The user (not blank, at most 64 characters).
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    user_id: String,
    /// Optional profile, at most 62 characters.
    #[schema(max_length = 62)]
    profile: Option<String>,
    /// The export: a zip, a CSV or a JSON file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Imports an export into a user's history.
#[utoipa::path(
    post,
    path = "/user/import",
    tag = "history",
    params(ImportParams),
    request_body(content = ImportForm, content_type = "multipart/form-data",
                 description = "Or the raw file as the body, with the fields in the query string"),
    responses(
        (status = 200, description = "Imported (a second import of the same file adds nothing)", body = ImportSummary),
        (status = 400, description = "A body that is not a well-formed multipart form; nothing was written"),
        (status = 413, description = "Over a size or row limit, or a zip bomb; nothing was written"),
        (status = 422, description = "Missing fields, or a file that is not this format; nothing was written"),
    )
)]
pub(crate) async fn post_import(
    State(state): State<AppState>,
    query: Result<Query<ImportParams>, QueryRejection>,
    request: Request,
) -> ApiResult<Json<ImportSummary>> {
    let Query(mut params) =
        query.map_err(|e| ApiError::invalid("query", "", "query_invalid", e.body_text(), None))?;
    let (bytes, file_name) = read_upload(&state, request, &mut params).await?;
    let import = validate(&params, bytes, file_name, &state)?;
    let user_id = import.user_id.clone();
    let profile = ProfileTarget {
        settings: state.pipeline.profile,
        embed_version: state.pipeline.embed_version.clone(),
    };
    let notice = state.cache.notice(&user_id);
    let summary = import_history(&state.db, import, &profile, &notice)
        .await
        .map_err(to_api_error)?;
    if summary.written > 0 {
        state.cache.invalidate_user(&user_id);
    }
    Ok(Json(summary))
}

/// The file and its name, from a multipart form (whose text fields fill `params`) or the body.
async fn read_upload(
    state: &AppState,
    request: Request,
    params: &mut ImportParams,
) -> ApiResult<(Bytes, Option<String>)> {
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| too_large_or(e.status(), e.body_text()))?;
        return Ok((bytes, params.filename.clone()));
    }
    let mut form = Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| too_large_or(e.status(), e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let data = field
            .bytes()
            .await
            .map_err(|e| too_large_or(e.status(), e.body_text()))?;
        if file_name.is_some() || name == "file" {
            file = Some((data, file_name));
            continue;
        }
        let text = String::from_utf8_lossy(&data).trim().to_owned();
        match name.as_str() {
            "format" => params.format = Some(text),
            "user_id" => params.user_id = Some(text),
            "profile" => params.profile = Some(text),
            "filename" => params.filename = Some(text),
            _ => {}
        }
    }
    let (bytes, name) = file.ok_or_else(|| {
        ApiError::invalid(
            "body",
            "file",
            "missing",
            "Field required: the export file",
            None,
        )
    })?;
    Ok((bytes, name.or_else(|| params.filename.clone())))
}

fn too_large_or(status: axum::http::StatusCode, text: String) -> ApiError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge("The upload is larger than the import limit (IMPORT_MAX_BYTES)".into())
    } else {
        ApiError::BadRequest(text)
    }
}

/// Every field problem at once.
fn validate(
    params: &ImportParams,
    bytes: Bytes,
    file_name: Option<String>,
    state: &AppState,
) -> ApiResult<ImportRequest> {
    let mut errors = Vec::new();
    let format = match params.format.as_deref() {
        None | Some("") => {
            errors.push(ErrorDetail::new(
                "body",
                "format",
                "missing",
                "Field required: letterboxd, imdb or trakt",
                None,
            ));
            None
        }
        Some(raw) => FormatName::parse(raw).map(FormatName::format).or_else(|| {
            errors.push(ErrorDetail::new(
                "body",
                "format",
                "enum",
                "Input should be 'letterboxd', 'imdb' or 'trakt'",
                Some(json!(raw)),
            ));
            None
        }),
    };
    let user_id = params.user_id.as_deref().map(str::trim).unwrap_or_default();
    if user_id.is_empty() {
        errors.push(ErrorDetail::new(
            "body",
            "user_id",
            "missing",
            "Field required",
            None,
        ));
    }
    // The stored id `user_id::profile` fits 128 characters: hence 64 and 62, as for history.
    for (field, value, max) in [
        ("user_id", params.user_id.as_deref(), 64),
        ("profile", params.profile.as_deref(), 62),
    ] {
        if value.is_some_and(|v| v.chars().count() > max) {
            errors.push(ErrorDetail::new(
                "body",
                field,
                "string_too_long",
                format!("String should have at most {max} characters"),
                Some(json!(value)),
            ));
        }
    }
    let canonical = canonical_profile_id(user_id, params.profile.as_deref());
    match format {
        Some(format) if errors.is_empty() => Ok(ImportRequest {
            format,
            file_name,
            bytes: bytes.to_vec(),
            user_id: canonical,
            limits: state.imports.limits,
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Limits are 413s; anything else wrong with the file is a 422 on `file`.
fn to_api_error(err: HistoryImportError) -> ApiError {
    let rejected = match err {
        HistoryImportError::Rejected(e) => e,
        HistoryImportError::Store(e) => return ApiError::Store(e),
        HistoryImportError::Task(msg) => return ApiError::Internal(anyhow::anyhow!(msg)),
    };
    let kind = match &rejected {
        ImportError::TooLarge { .. }
        | ImportError::ZipBomb { .. }
        | ImportError::TooManyRows { .. } => return ApiError::TooLarge(rejected.to_string()),
        ImportError::Empty => "empty_file",
        ImportError::BadZip(_) => "bad_zip",
        ImportError::NotUtf8 { .. } => "not_utf8",
        ImportError::MissingColumns { .. } => "missing_columns",
        ImportError::Malformed { .. } => "malformed_file",
        ImportError::WrongFormat { .. } => "wrong_format",
    };
    ApiError::invalid(
        "body",
        "file",
        kind,
        format!("{rejected}; nothing was imported"),
        None,
    )
}
